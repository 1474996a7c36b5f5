import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { invalidRequest } from './validation.js';

/**
 * The query parameters each route takes, as the API's document declares them (one owner: the
 * routes' decorators and DTOs, from which the document is built). Filled once the document is
 * built, after the routes are: until then (and for routes it does not document, the page's)
 * nothing is checked.
 */
export class DeclaredQueries {
  private readonly byRoute = new Map<string, ReadonlySet<string>>();

  /** Takes each operation's query parameters from the document (paths as `/parties/{party}/positions`). */
  load(document: OpenAPIObject): void {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations as Record<string, unknown>)) {
        const parameters = (operation as { parameters?: { in: string; name: string }[] }).parameters;
        if (!Array.isArray(parameters)) continue;
        const names = parameters.filter((p) => p.in === 'query').map((p) => p.name);
        // Fastify names a route's pattern with colons: /parties/:party/positions.
        this.byRoute.set(`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`, new Set(names));
      }
    }
  }

  /** The parameters a route takes, or undefined if the document does not describe it. */
  of(method: string, route: string): ReadonlySet<string> | undefined {
    return this.byRoute.get(`${method === 'HEAD' ? 'GET' : method} ${route}`);
  }
}

/**
 * Refuses a query parameter the route does not take (400 naming it, with the ones it takes). A
 * misspelt `knownAt` or a parameter one route has and another lacks was ignored, and the answer
 * looked like an answer to the question asked: GET /parties/:p/changes?knownAt=... listed
 * changes reported after knownAt, with nothing to say the parameter had no effect. Routes whose
 * query is a DTO also refuse unknown fields in the validation pipe; this covers every route.
 */
@Injectable()
export class DeclaredQueryInterceptor implements NestInterceptor {
  constructor(private readonly declared: DeclaredQueries) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      const takes = this.declared.of(request.method, request.routeOptions.url ?? '');
      if (takes) {
        const unknown = Object.keys(request.query ?? {}).filter((name) => !takes.has(name));
        if (unknown.length) {
          const known = takes.size ? `it takes ${[...takes].sort().join(', ')}` : 'it takes none';
          throw invalidRequest(
            unknown.map((field) => ({ field, problem: `is not a query parameter of this route (${known})` })),
          );
        }
      }
    }
    return next.handle();
  }
}
