import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The API's OpenAPI document is a valid OpenAPI 3 document (issue 17), checked by a validator, not by eye. */
describe('the OpenAPI document at /docs-json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('validates as OpenAPI 3 and documents every route of the API', async () => {
    const document = (await request(t.http).get('/docs-json').expect(200)).body;
    expect(document.openapi).toMatch(/^3\./);
    // Checked against the OpenAPI 3 JSON Schema, every $ref resolved.
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(() => validator.resolveRefs()).not.toThrow();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/events',
        '/events/{id}',
        '/topics/{topic}/events/{key}',
        '/parties/{party}/positions',
        '/topics/{topic}/positions',
        '/topics/{topic}/replay',
        '/log',
        '/health',
      ]),
    );
  });
});
