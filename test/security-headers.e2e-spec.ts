import request from 'supertest';
import { startTestApp, TestApp, TEST_TOKEN } from './support/test-app.js';

/** The security headers (helmet, configure-http.ts) on every kind of answer. */
describe('security headers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('go with API answers, errors, refused writes and the page', async () => {
    const answers = [
      await request(t.http).get('/parties').expect(200),
      await request(t.http).get('/nowhere').expect(404),
      await request(t.http).post('/events').set('authorization', `Bearer ${TEST_TOKEN}`).send({}).expect(400),
      await request(t.http).post('/events').send({}).expect(401),
      await request(t.http).get('/').expect(200),
    ];
    for (const { headers } of answers) {
      const policy = headers['content-security-policy'];
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("style-src 'self' 'unsafe-inline'");
      expect(policy).toContain("img-src 'self' data:");
      expect(policy).not.toContain('upgrade-insecure-requests');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(headers['strict-transport-security']).toBeUndefined();
    }
  });
});
