/** The HTTP side of the bench: the real server in a child process, driven by autocannon. */
import autocannon, { type Options, type Result } from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Server {
  readonly url: string;
  readonly pid: number;
  /** Highest resident set size seen by the kernel (VmHWM), in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));

/**
 * The node flags an npm script runs its program with (`node <flags> dist/...` in package.json),
 * so the bench runs the server and the export as `npm start` and `npm run export` do, from that
 * one owner (the Dockerfile's is tested against `npm start` by test/docker-stack.e2e-spec.ts).
 */
export function scriptFlags(script: 'start' | 'export'): string[] {
  const { scripts } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { scripts: Record<string, string> };
  const match = /\bnode((?: --\S+)*) dist\//.exec(scripts[script] ?? '');
  if (!match) throw new Error(`package.json's "${script}" script does not run node on dist/: ${scripts[script]}`);
  return match[1].split(' ').filter(Boolean);
}

/** How `npm start` runs the server: V8 collects garbage before the heap passes 400 MB. */
export const START_ARGS = scriptFlags('start');

export function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `node dist/src/main.js` on the bench database; a child process, so its memory is its own. */
export async function startServer(
  databaseUrl: string,
  port: number,
  token: string,
  nodeArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [...START_ARGS, ...nodeArgs, MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      API_TOKEN: token,
      LOG_LEVEL: 'warn',
      SEED_ON_START: 'false',
      // The bench is one client measuring the server's limit, not a client the limits are for.
      RATE_LIMIT_WRITES_PER_MINUTE: '0',
      RATE_LIMIT_READS_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`the server exited at start: ${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (tries > 600) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /health within 60 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, procStatus(child.pid!, 'VmRSS'))), 200);
  return {
    url,
    pid: child.pid!,
    peakRss: () => Math.max(peak, procStatus(child.pid!, 'VmHWM')),
    stop: async () => {
      clearInterval(sampler);
      peak = Math.max(peak, procStatus(child.pid!, 'VmHWM'));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface LoadResult {
  readonly result: Result;
  /** Latency of each response, ms. */
  readonly latencies: number[];
  /** Size of each response (headers and body), bytes. */
  readonly sizes: number[];
  readonly statuses: Map<number, number>;
  /** A few bodies of non-2xx answers, to say why. */
  readonly failures: string[];
  /** 2xx answers in each whole second from the start of the load (how fast a restarted server gets up to speed). */
  readonly perSecond: number[];
}

/** Runs autocannon and keeps every response time, so p95 is exact (autocannon reports p97.5, not p95). */
export function load(options: Options): Promise<LoadResult> {
  const latencies: number[] = [];
  const sizes: number[] = [];
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const perSecond: number[] = [];
  const started = performance.now();
  const requests = options.requests?.map((r) => ({
    ...r,
    onResponse: (status: number, body: string) => {
      if ((status < 200 || status >= 300) && failures.length < 5) failures.push(`${status} ${body.slice(0, 300)}`);
    },
  }));
  return new Promise((resolve, reject) => {
    const instance = autocannon({ timeout: 30, ...options, requests }, (error, result) =>
      error ? reject(error) : resolve({ result, latencies, sizes, statuses, failures, perSecond }),
    );
    instance.on('response', (_client: unknown, status: number, bytes: number, time: number) => {
      latencies.push(time);
      sizes.push(bytes);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const second = Math.floor((performance.now() - started) / 1000);
      if (status >= 200 && status < 300) perSecond[second] = (perSecond[second] ?? 0) + 1;
    });
  });
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
