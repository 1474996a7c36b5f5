import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createCatalog, createTopic } from './scenario.js';
import { startAppOn, TEST_TOKEN } from './test-app.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** Compiles the server as `npm start` runs it, once per test file, into .stance/<name> (kept out of git). */
export function buildServer(name: string): string {
  const build = resolve(`.stance/${name}`);
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', build]);
  return build;
}

/**
 * A database for server processes to share: migrated, with the catalog and one more topic with
 * the same items (a second stream), made by an app that is closed again (the processes use it).
 */
export async function databaseForProcesses(): Promise<{ database: TestDatabase; topic: string }> {
  const database = await createTestDatabase();
  const setup = await startAppOn(database);
  await createCatalog(setup);
  const topic = await createTopic(setup);
  await setup.app.close();
  return { database, topic };
}

/** A real server process on `database`, ready once /health answers. */
export async function startServerProcess(
  build: string,
  database: TestDatabase,
  port: number,
  env: NodeJS.ProcessEnv = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [`${build}/src/main.js`], {
    env: {
      ...process.env,
      // As a server is set up: the app's role, migrations as the owner.
      DATABASE_URL: database.appUrl,
      MIGRATION_DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      API_TOKEN: TEST_TOKEN,
      LOG_LEVEL: 'error',
      SEED_ON_START: 'false',
      RATE_LIMIT_WRITES_PER_MINUTE: '0',
      RATE_LIMIT_READS_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  for (const deadline = Date.now() + 30_000; ;) {
    if (child.exitCode !== null) throw new Error(`the server exited at start: ${errors}`);
    if (Date.now() > deadline) throw new Error('the server did not start in 30 s');
    const up = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops a server process and waits for it to exit. */
export async function stopServerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One server-sent event as a stream carries it. */
export interface SentEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** A server-sent event stream read as it arrives. */
export interface EventStream {
  readonly status: number;
  /** The events received so far. */
  readonly events: readonly SentEvent[];
  /** Waits (at most `ms`) until `done` holds for the events received. */
  until(done: (events: readonly SentEvent[]) => boolean, ms?: number): Promise<readonly SentEvent[]>;
  close(): void;
}

/** Opens `url` with Accept: text/event-stream (and the headers given) and parses what comes. */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SentEvent[] = [];
  const waiting = new Set<() => void>();
  let buffer = '';
  if (response.ok && response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue; // a comment: the keep-alive
            const colon = line.indexOf(':');
            fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
          }
          if (fields.has('event') || fields.has('data'))
            events.push({
              ...(fields.has('id') ? { id: fields.get('id') } : {}),
              event: fields.get('event') ?? 'message',
              data: fields.get('data') ?? '',
            });
          for (const wake of waiting) wake();
        }
      }
    })().catch(() => undefined);
  }
  return {
    status: response.status,
    events,
    until: (done, ms = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!done(events)) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve(events);
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(
            new Error(
              `the stream did not get there in ${ms} ms; it sent ${JSON.stringify(events.map((e) => e.event))}`,
            ),
          );
        }, ms);
        waiting.add(check);
        check();
      }),
    close: () => abort.abort(),
  };
}
