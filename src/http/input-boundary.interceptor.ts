import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { unstorableText } from '../shared/text.js';
import { invalidRequest } from './validation.js';

/**
 * The HTTP side of the input boundary (src/shared/text.ts): path parameters, query parameters and
 * JSON bodies with text the database refuses (NUL, a lone surrogate) or nesting too deep are
 * answered 400 naming the field, before any handler, pipe or query sees them. decide applies the
 * same check to every event, whatever path it comes by (import and seeds too).
 */
@Injectable()
export class InputBoundaryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      const problems = [
        ...unstorableText(request.params ?? {}),
        ...unstorableText(request.query ?? {}),
        ...(request.body === undefined ? [] : unstorableText(request.body)),
      ];
      if (problems.length) throw invalidRequest(problems);
    }
    return next.handle();
  }
}
