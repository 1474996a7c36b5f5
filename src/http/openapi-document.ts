import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { recordEventExamples } from '../diplomacy/record-event/record-event.examples.js';
import { EVENT_BODY_SCHEMAS } from '../diplomacy/record-event/record-event.schema.js';
import { answerSchema } from './api-answer.decorator.js';
import { ANSWER_SCHEMAS } from './answer-schemas.generated.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The API's OpenAPI 3.1 document (served at /docs-json, and the source of the typed client,
 * `npm run client`): the routes' decorators, then the schemas no decorator can hold: one body
 * schema per event type with an example each (from `seedsDir`), the answers' schemas generated
 * from their types, and the problem shape on every error answer.
 */
export async function apiDocument(app: INestApplication, seedsDir: string): Promise<OpenAPIObject> {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Stance API')
      .setDescription(
        'Diplomatic positions over time, rebuilt from immutable events. Reads are open; writes need a bearer token (API_TOKEN). ' +
          'Every error answers with a problem (`ProblemAnswer`): the status, its name, a message and, for bad fields, `errors`.',
      )
      .setVersion('0.1.0')
      // 3.1: its schemas are JSON Schema 2020-12, so POST /events shows the very schemas ajv and
      // the payload rules check (a correction's changes use if/then, which 3.0 cannot hold).
      .setOpenAPIVersion('3.1.0')
      .addBearerAuth()
      .build(),
  );
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ...EVENT_BODY_SCHEMAS,
      ...(ANSWER_SCHEMAS as Record<string, SchemaObject>),
    },
  };
  const recordEvent = document.paths['/events'].post!.requestBody as { content: Record<string, object> };
  recordEvent.content['application/json'] = {
    ...recordEvent.content['application/json'],
    examples: await recordEventExamples(seedsDir),
  };
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method];
      if (operation) withProblems(operation);
    }
  }
  return document;
}

const PROBLEM: ResponseObject['content'] = { 'application/json': { schema: answerSchema('ProblemAnswer') } };

/** Every error answer of an operation has the problem shape (ErrorFilter writes them all). */
function withProblems(operation: OperationObject): void {
  const responses = operation.responses as Record<string, ResponseObject>;
  const problem = (description: string): ResponseObject => ({ description, content: PROBLEM });
  for (const [status, response] of Object.entries(responses))
    if (Number(status) >= 400 && !response.content) responses[status] = { ...response, content: PROBLEM };
  const parameters = (operation.parameters ?? []) as { in?: string }[];
  if (!responses['400'] && (operation.requestBody || parameters.some((p) => p.in === 'query')))
    responses['400'] = problem('A bad parameter or body: `errors` names each bad field');
  if (operation.security?.length && !responses['401']) responses['401'] = problem('No valid bearer token');
  if (!responses['404'] && parameters.some((p) => p.in === 'path'))
    responses['404'] = problem('Nothing by that name: `suggestions` holds close known names');
  responses.default ??= problem('Any other error (429: too many requests, 5xx): a problem');
}
