import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { SETTINGS } from '../config/settings.provider.js';
import type { Settings } from '../config/settings.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Reads are open; every write needs `Authorization: Bearer <API_TOKEN>`. */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(SETTINGS) settings: Settings) {
    this.expected = Buffer.from(settings.apiToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (SAFE_METHODS.has(request.method)) return true;
    const header = request.headers.authorization;
    if (!header) throw new UnauthorizedException('writes need an Authorization: Bearer <API_TOKEN> header');
    // Exactly "Bearer <token>": a token followed by anything else is not the token.
    const token = /^Bearer ([^\s]+)$/.exec(header)?.[1];
    const given = Buffer.from(token ?? '');
    const matches =
      token !== undefined && given.length === this.expected.length && timingSafeEqual(given, this.expected);
    if (!matches) throw new UnauthorizedException('the bearer token is not valid');
    return true;
  }
}
