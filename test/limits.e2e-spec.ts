import request from 'supertest';
import { claim, startCatalogApp } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/**
 * Limits (issue 16): a client that floods the API is answered 429 with Retry-After once its
 * budget for the minute is spent, and what it was refused writes nothing.
 */
describe('rate limits', () => {
  const WRITES = 40;
  const READS = 30;
  let t: TestApp;
  beforeAll(async () => {
    t = await startCatalogApp({
      RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES),
      RATE_LIMIT_READS_PER_MINUTE: String(READS),
    });
  });
  afterAll(() => t.close());

  const eventCount = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM events'))[0].n);

  it('answer a flood of writes 429 with Retry-After, write nothing refused, and leave reads their own budget', async () => {
    const statuses: number[] = [];
    let refusal: request.Response | undefined;
    // The catalog's own writes (parties, topics) spent part of the budget already: send until refused.
    for (let i = 0; i < WRITES + 5; i++) {
      const res = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(claim({ summary: `Flood ${i}.` }));
      statuses.push(res.status);
      if (res.status === 429) refusal ??= res;
    }
    const accepted = statuses.filter((s) => s === 201).length;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(WRITES);
    // Once refused, refused until the minute is over: no 201 after the first 429.
    expect(statuses.slice(statuses.indexOf(429)).every((s) => s === 429)).toBe(true);
    expect(await eventCount()).toBe(accepted);
    expect(refusal!.headers['retry-after']).toMatch(/^\d+$/);
    const retryAfter = Number(refusal!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refusal!.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(
        new RegExp(`too many writes from this client: at most 40 a minute; retry after ${retryAfter} s`),
      ),
    });
    // A write with a wrong token is refused by the limit too, before the token is looked at.
    await request(t.http).post('/events').set({ Authorization: 'Bearer wrong' }).send(claim()).expect(429);
    // Reads are a budget of their own.
    await request(t.http).get('/parties/russia/positions').expect(200);
  });

  it('answer a flood of reads 429, and keep the health probe free', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < READS + 5; i++) statuses.push((await request(t.http).get('/events?limit=1')).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThan(READS);
    expect(statuses.at(-1)).toBe(429);
    const refusal = await request(t.http).get('/topics/missile-defense-europe/positions').expect(429);
    expect(refusal.headers['retry-after']).toMatch(/^\d+$/);
    expect(refusal.body.message).toMatch(/too many reads from this client: at most 30 a minute/);
    for (let i = 0; i < 5; i++) await request(t.http).get('/health').expect(200);
  });
});
