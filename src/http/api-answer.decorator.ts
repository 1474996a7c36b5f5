import { ApiResponse } from '@nestjs/swagger';
import type { ApiAnswers } from './api-answers.js';

/** Where the OpenAPI document holds the schema of an answer (answer-schemas.generated.ts). */
export const answerSchema = (name: keyof ApiAnswers) => ({ $ref: `#/components/schemas/${name}` });

/**
 * Documents a route's answer with the schema generated from the type ApiAnswers names `name`
 * (status 200 unless told). The compiler checks that the route returns that type, so the
 * documented schema is the one of what it returns.
 */
export function ApiAnswer<N extends keyof ApiAnswers>(
  name: N,
  options: { status?: number; description?: string } = {},
) {
  return <F extends (...args: never[]) => ApiAnswers[N] | Promise<ApiAnswers[N]>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): void => {
    ApiResponse({
      status: options.status ?? 200,
      description: options.description ?? 'OK',
      schema: answerSchema(name),
    })(target, key, descriptor);
  };
}
