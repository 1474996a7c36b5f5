import request from 'supertest';
import { withClient } from '../src/database/scratch-database.js';
import { claim, createCatalog, record } from './support/scenario.js';
import { startTestApp, TEST_TOKEN, type TestApp } from './support/test-app.js';

interface LogLine {
  level: number;
  msg?: string;
  route?: string;
  req?: { id: string; method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
  [key: string]: unknown;
}

/**
 * Request logs (issue 16): one line per request with method, route, status, time and request
 * id, the id echoed to the client; a server error logged with its route and that id; no
 * credentials in the log.
 */
describe('request logs', () => {
  let t: TestApp;
  const written: string[] = [];
  const lines = () => written.map((line) => JSON.parse(line) as LogLine);
  const requestLine = (id: string) => lines().find((l) => l.req?.id === id && l.res);
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { write: (line: string) => written.push(line) });
    await createCatalog(t);
    await record(t, claim());
  });
  afterAll(() => t.close());

  it('logs each request once with method, route, status, time and the request id the client was given', async () => {
    const res = await request(t.http)
      .get('/parties/russia/positions?at=2007-06-08')
      .set('X-Request-Id', 'analyst-7-0042')
      .expect(200);
    expect(res.headers['x-request-id']).toBe('analyst-7-0042');
    const line = requestLine('analyst-7-0042')!;
    expect(line).toMatchObject({
      level: 30,
      route: '/parties/:party/positions',
      req: { method: 'GET', url: '/parties/russia/positions?at=2007-06-08' },
      res: { statusCode: 200 },
    });
    expect(typeof line.responseTime).toBe('number');
    expect(lines().filter((l) => l.req?.id === 'analyst-7-0042' && l.res)).toHaveLength(1);
  });

  it('makes its own id when the client sends none, or one that is not short and plain', async () => {
    const none = await request(t.http).get('/parties').expect(200);
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const odd = await request(t.http).get('/parties').set('X-Request-Id', 'x'.repeat(65)).expect(200);
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLine(odd.headers['x-request-id'])).toBeDefined();
  });

  it('logs refused writes too, and never the token', async () => {
    const refused = await request(t.http).post('/events').set(t.auth).send({}).expect(400);
    expect(requestLine(refused.headers['x-request-id'])).toMatchObject({ route: '/events', res: { statusCode: 400 } });
    const unknown = await request(t.http).get('/no/such/route').expect(404);
    expect(requestLine(unknown.headers['x-request-id'])).toMatchObject({ res: { statusCode: 404 } });
    expect(written.join('\n')).not.toContain(TEST_TOKEN);
  });

  it('leaves the health probe out', async () => {
    const probe = await request(t.http).get('/health').expect(200);
    expect(requestLine(probe.headers['x-request-id'])).toBeUndefined();
  });

  it('logs a server error with its route and request id, and gives the client that id', async () => {
    // The owner moves a table away behind the app's back (the app's role may not).
    const asOwner = (sql: string) => withClient(t.database.url, (owner) => owner.query(sql));
    await asOwner('ALTER TABLE position_elements RENAME TO position_elements_away');
    try {
      const res = await request(t.http)
        .get('/topics/missile-defense-europe/positions')
        .set('X-Request-Id', 'broken-read-1')
        .expect(500);
      expect(res.body.message).toContain('(request broken-read-1)');
    } finally {
      await asOwner('ALTER TABLE position_elements_away RENAME TO position_elements');
    }
    const error = lines().find((l) => l.level === 50 && String(l.msg).includes('broken-read-1'))!;
    expect(error.msg).toMatch(/^GET \/topics\/:topic\/positions failed \(request broken-read-1\): /);
    expect(requestLine('broken-read-1')).toMatchObject({ level: 50, res: { statusCode: 500 } });
  });
});
