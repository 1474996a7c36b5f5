import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogTail } from '../src/diplomacy/replay/log-tail.js';
import { TopicHistory } from '../src/diplomacy/topic-history.js';
import { EventStore } from '../src/event-store/event-store.js';
import { claim, createTopic, record, startCatalogApp } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/** Counts the calls of one method of a live object (calling through); `restore` puts the method back. */
function countCalls<T extends object>(
  target: T,
  method: keyof T & string,
): { readonly count: number; restore(): void } {
  const original = target[method] as (...args: unknown[]) => unknown;
  let count = 0;
  (target as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
    count += 1;
    return original.apply(this, args);
  };
  return {
    get count() {
      return count;
    },
    restore: () => {
      (target as Record<string, unknown>)[method] = original;
    },
  };
}

interface Stream {
  readonly status: number;
  readonly response: IncomingMessage;
  text(): string;
  readUntil(needle: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Live streams (issue 16): one client holds at most LIVE_STREAMS_PER_CLIENT open (429), the
 * server at most LIVE_STREAMS_MAX (503), and however many are open, the process reads the log
 * once per wake for all of them, not once per stream.
 */
describe('live streams', () => {
  let t: TestApp;
  let port: number;
  let topic: string;
  beforeAll(async () => {
    t = await startCatalogApp({ LIVE_STREAMS_PER_CLIENT: '3', LIVE_STREAMS_MAX: '4' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    topic = await createTopic(t);
    await record(t, claim({ topic }));
  });
  afterAll(() => t.close());

  /** A live replay of the topic from `client` (any 127.x.y.z address is this machine). */
  const open = (client = '127.0.0.1') =>
    new Promise<Stream>((resolve, reject) => {
      const req = get(
        {
          host: '127.0.0.1',
          port,
          path: `/topics/${topic}/replay`,
          localAddress: client,
          headers: { Accept: 'text/event-stream' },
        },
        (response) => {
          let text = '';
          const waiting: (() => void)[] = [];
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
            for (const wake of waiting.splice(0)) wake();
          });
          resolve({
            status: response.statusCode!,
            response,
            text: () => text,
            readUntil: async (needle) => {
              const deadline = Date.now() + 10_000;
              while (!text.includes(needle)) {
                if (Date.now() > deadline) throw new Error(`no "${needle}" in: ${text.slice(-500)}`);
                await new Promise<void>((wake) => {
                  waiting.push(wake);
                  setTimeout(wake, 200);
                });
              }
            },
            close: () =>
              new Promise<void>((done) => {
                req.on('close', () => done());
                req.destroy();
              }),
          });
        },
      );
      req.on('error', reject);
    });

  const until = async (check: () => boolean) => {
    for (const deadline = Date.now() + 5000; !check();) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('refuses a client its stream past its cap with 429, and any client past the server cap with 503', async () => {
    const mine = await Promise.all([open(), open(), open()]);
    for (const s of mine) {
      expect(s.status).toBe(200);
      await s.readUntil('event: caught-up');
    }
    const fourth = await open();
    expect(fourth.status).toBe(429);
    expect(fourth.response.headers['retry-after']).toMatch(/^\d+$/);
    await fourth.readUntil('at most 3 open at once');
    // Another client still has room, until the server is full.
    const other = await open('127.0.0.2');
    expect(other.status).toBe(200);
    const third = await open('127.0.0.3');
    expect(third.status).toBe(503);
    expect(third.response.headers['retry-after']).toMatch(/^\d+$/);
    await third.readUntil('already serves its 4 live streams');
    // A closed stream gives its place back.
    await mine[0].close();
    await until(() => t.app.get(LogTail).followerCount === 3);
    const again = await open();
    expect(again.status).toBe(200);
    await Promise.all([...mine.slice(1), other, again].map((s) => s.close()));
    await until(() => t.app.get(LogTail).followerCount === 0);
  });

  it('reads the log once per wake for all streams, and every stream gets each new event', async () => {
    const store = t.app.get(EventStore);
    const streams = await Promise.all([open('127.0.0.1'), open('127.0.0.1'), open('127.0.0.2'), open('127.0.0.2')]);
    for (const s of streams) await s.readUntil('event: caught-up');
    const reads = countCalls(store, 'readAll');
    try {
      await new Promise((r) => setTimeout(r, 3200));
      // One poll a second for the four streams together: a poll per stream would be 12 or more.
      expect(reads.count).toBeGreaterThanOrEqual(2);
      expect(reads.count).toBeLessThanOrEqual(5);
      const folds = countCalls(t.app.get(TopicHistory), 'events');
      const live = await record(t, claim({ topic, summary: 'A live report for every stream.' }));
      for (const s of streams) await s.readUntil(live.event.id);
      // The step is folded once for the four streams.
      expect(folds.count).toBe(1);
      folds.restore();
      // Each stream got the step once.
      for (const s of streams) expect(s.text().split(`"id":"${live.event.id}"`).length - 1).toBeGreaterThanOrEqual(1);
    } finally {
      reads.restore();
      await Promise.all(streams.map((s) => s.close()));
    }
    await until(() => t.app.get(LogTail).followerCount === 0);
    // Nobody follows: the tail reads nothing.
    const idle = countCalls(store, 'readAll');
    await new Promise((r) => setTimeout(r, 1500));
    expect(idle.count).toBe(0);
    idle.restore();
  });

  it('hands a follower that joins behind the tail the events it missed, then the shared ones, each once', async () => {
    const tail = t.app.get(LogTail);
    const store = t.app.get(EventStore);
    const ahead: string[] = [];
    const first = tail
      .follow(topic, await store.lastPosition())
      .subscribe((batch) => ahead.push(...batch.map((e) => e.id)));
    const missed = await record(t, claim({ topic, summary: 'Recorded while one follower follows.' }));
    await until(() => ahead.includes(missed.event.id));
    // The tail now stands past `missed`: a follower from 0 reads the gap itself.
    const behind: number[] = [];
    const second = tail.follow(topic, 0).subscribe((batch) => behind.push(...batch.map((e) => e.position)));
    const shared = await record(t, claim({ topic, summary: 'Recorded while two followers follow.' }));
    await until(() => behind.includes(shared.event.position));
    const all = (await store.readStream(topic)).map((e) => e.position);
    expect(behind).toEqual(all);
    first.unsubscribe();
    second.unsubscribe();
  });
});
