/**
 * The bench's run with more than one server process (issue 21): the same clients (writers and
 * position readers) on one process, then over two on the same log, the writes sent two ways: by
 * topic (each topic's writes to one process, as docker/haproxy.cfg's hash of the topic sends
 * them) and spread by connection (as a balancer that ignores the body would); then appends in
 * the first 10 s after a process is stopped and started again.
 */
import { cpuMeter, type CpuSpent } from './cpu.js';
import { freePort } from '../src/database/scratch-database.js';
import { AFTER_RESTART_S, appendBodies, writeHeaders, writeToEveryTopic } from './appends.js';
import { FIRST_DAY, type GeneratedData, isoDay, LAST_DAY } from './generate.js';
import { load, type LoadResult, percentile, type Server, startServer } from './http.js';
import type { Row } from './row.js';

/** Position readers beside the writers, one per process when there are two. */
const READERS = 2;

export interface ProcessesOptions {
  readonly databaseUrl: string;
  readonly data: GeneratedData;
  readonly seed: number;
  readonly random: () => number;
  readonly token: string;
  /** Prefix of the posted events' id series (bench.ts, SERIES): empty on a fresh log. */
  readonly series: string;
  /** Seconds of each measured load. */
  readonly duration: number;
  readonly writers: number;
  readonly log: (line: string) => void;
  readonly fmt: (n: number, digits?: number) => string;
}

export interface ProcessesFindings {
  readonly rows: Row[];
  readonly notes: string[];
  readonly settings: string[];
}

/**
 * How writes reach the processes. A process keeps each topic's fold for its writers and checks it
 * against the topic's version in the write transaction: a write of another process to the topic
 * makes the next one here fold the topic again from the log.
 */
type Routing = 'by-topic' | 'by-connection';
const ROUTINGS: Record<Routing, string> = {
  'by-topic': "writes by topic (each topic's to one process, as the balancer's hash of the topic)",
  'by-connection': 'writes spread by connection (any topic to any process)',
};

/** What one load over some processes did. */
interface Measured {
  readonly appendsPerSecond: number;
  readonly writeFailures: number;
  readonly positionP95: number;
  readonly readFailures: number;
  readonly failures: string[];
  /** Appends answered in each second of the load, all processes together. */
  readonly appendsEachSecond: number[];
}

/**
 * `writers` clients posting new events and READERS clients reading one party's position on one
 * topic (full), at the same time for `seconds`, each client bound to one process (client i to
 * process i mod n), as a balancer spreading connections evenly would. By topic, the writers of
 * process i write only the topics k with k mod n = i (writeToEveryTopic filled them there).
 */
async function measureLoad(
  servers: readonly Server[],
  options: ProcessesOptions,
  bodies: ReturnType<typeof appendBodies>,
  seconds: number,
  routing: Routing,
  readers = READERS,
): Promise<Measured> {
  const { data, random, token, writers } = options;
  const topics = data.catalog.topics;
  const share = (clients: number, i: number) =>
    Math.floor(clients / servers.length) + (i < clients % servers.length ? 1 : 0);
  const position = () => {
    const topic = topics[Math.floor(random() * topics.length)];
    const party = topic.parties[Math.floor(random() * topic.parties.length)];
    const at = isoDay(FIRST_DAY + Math.floor(random() * (LAST_DAY - FIRST_DAY + 1)));
    return `/parties/${party}/positions?topic=${topic.slug}&at=${at}`;
  };
  const started = performance.now();
  const loads: Promise<LoadResult>[] = [];
  const reads: Promise<LoadResult>[] = [];
  servers.forEach((server, i) => {
    const mine = routing === 'by-topic' ? topics.filter((_, k) => k % servers.length === i) : topics;
    const body = () => bodies.next(mine[Math.floor(random() * mine.length)]);
    if (share(writers, i))
      loads.push(
        load({
          url: server.url,
          connections: share(writers, i),
          duration: seconds,
          headers: writeHeaders(token),
          requests: [{ method: 'POST', path: '/events', setupRequest: (req) => ({ ...req, body: body() }) }],
        }),
      );
    if (share(readers, i))
      reads.push(
        load({
          url: server.url,
          connections: share(readers, i),
          duration: seconds,
          requests: [{ setupRequest: (req) => ({ ...req, path: position() }) }],
        }),
      );
  });
  const [written, read] = await Promise.all([Promise.all(loads), Promise.all(reads)]);
  const elapsed = (performance.now() - started) / 1000;
  const sum = (results: LoadResult[], key: '2xx' | 'non2xx') => results.reduce((n, r) => n + r.result[key], 0);
  return {
    appendsPerSecond: sum(written, '2xx') / elapsed,
    writeFailures: sum(written, 'non2xx'),
    positionP95: percentile(
      read.flatMap((r) => r.latencies),
      95,
    ),
    readFailures: sum(read, 'non2xx'),
    failures: [...written, ...read].flatMap((r) => r.failures).slice(0, 3),
    appendsEachSecond: Array.from({ length: seconds }, (_, second) =>
      written.reduce((n, r) => n + (r.perSecond[second] ?? 0), 0),
    ),
  };
}

/**
 * One process, then two on the same log, under the same clients (each process's fold cache filled
 * first, as a process that has served a while has it); then the process stopped (SIGTERM, as a
 * deployment does) and started again, and appends counted over its first AFTER_RESTART_S seconds.
 */
export async function processesPhase(options: ProcessesOptions): Promise<ProcessesFindings> {
  const { databaseUrl, data, seed, random, token, series, duration, writers, log, fmt } = options;
  const found: ProcessesFindings = { rows: [], notes: [], settings: [] };
  const topics = data.catalog.topics;
  const bodies = appendBodies(data.catalog, seed, random, `${series}processes`);
  const servers: Server[] = [];
  const start = async () => {
    const server = await startServer(databaseUrl, await freePort(), token);
    servers.push(server);
    return server;
  };
  /** One write to each topic, topic k on servers[k mod n]: each process's own topics folded there. */
  const fill = async () => {
    log(`two processes: one write to each of ${topics.length} topics over ${servers.length} process(es) (fold caches)`);
    const filled = await writeToEveryTopic(
      servers.map((s) => s.url),
      topics,
      bodies,
      writers,
      token,
    );
    if (filled.failures) found.notes.push(`${filled.failures} writes filling the fold caches failed.`);
  };
  const runs: { processes: number; routing: Routing; measured: Measured; cpu: CpuSpent }[] = [];
  const run = async (routing: Routing) => {
    log(
      `two processes: ${writers} writers and ${READERS} position readers over ${servers.length} process(es), ${routing}, ${duration} s`,
    );
    const meter = cpuMeter(servers.map((s) => s.pid));
    const measured = await measureLoad(servers, options, bodies, duration, routing);
    runs.push({ processes: servers.length, routing, measured, cpu: meter.stop() });
  };
  try {
    const first = await start();
    await fill();
    await run('by-topic'); // one process: both routings are the same
    await start();
    await fill();
    await run('by-topic');
    await run('by-connection');
    await servers.pop()!.stop(); // the second process; the first is restarted below

    log(`two processes: stopping ${first.url} and starting it again; appends over its first ${AFTER_RESTART_S} s`);
    await servers.pop()!.stop();
    const stopped = performance.now();
    const restarted = await start();
    const startSeconds = (performance.now() - stopped) / 1000;
    const afterRestart = await measureLoad([restarted], options, bodies, AFTER_RESTART_S, 'by-topic', 0);

    for (const { processes, routing, measured: m, cpu } of runs) {
      const over = processes > 1 ? `2 server processes, ${ROUTINGS[routing]}` : 'one server process';
      // How much of the machine the run used: two processes add no core (bench/cpu.ts).
      const machine = `machine busy ${fmt(100 * cpu.busyShare)}%, stolen ${fmt(100 * cpu.stealShare, 1)}%`;
      found.rows.push({
        measure: `POST /events appends/s, ${writers} clients over ${over} (${READERS} position readers beside); how busy the machine was`,
        target: processes > 1 ? '>= 1,500' : '',
        project: `${fmt(m.appendsPerSecond)} (${m.writeFailures} non-2xx); ${machine}`,
        baseline: '',
        ...(processes > 1 ? { pass: m.appendsPerSecond >= 1500 && m.writeFailures === 0 } : {}),
      });
      found.rows.push({
        measure: `Position query p95 (ms), one party, one topic (full), ${READERS} readers under those appends, over ${over}`,
        target: '',
        project: `${m.positionP95.toFixed(1)} (${m.readFailures} non-2xx)`,
        baseline: '',
      });
      if (m.writeFailures || m.readFailures) found.notes.push(`Failures over ${over}: ${m.failures.join(' | ')}`);
    }
    found.rows.push({
      measure: `POST /events appends/s in the first ${AFTER_RESTART_S} s after a restart (${writers} clients, one process)`,
      target: '>= 1,000',
      project: `${fmt(afterRestart.appendsPerSecond)} (${afterRestart.writeFailures} non-2xx)`,
      baseline: '',
      pass: afterRestart.appendsPerSecond >= 1000 && afterRestart.writeFailures === 0,
    });
    // Second by second: when the restarted process is up to speed (its JIT warm, its folds restored from checkpoints).
    found.rows.push({
      measure: `POST /events appends in each second after that restart (${AFTER_RESTART_S} s, from the first /health answer)`,
      target: '',
      project: afterRestart.appendsEachSecond.map((n) => fmt(n)).join(' '),
      baseline: '',
    });
    if (afterRestart.writeFailures)
      found.notes.push(`Failures after the restart: ${afterRestart.failures.join(' | ')}`);
    found.settings.push(
      `Two processes: \`node dist/src/main.js\` twice on the same database; ${writers} writers (POST /events as in the appends above, a series of their own) and ${READERS} readers (GET /parties/:party/positions?topic=&at=, a random topic, one of its parties, a random day) for ${duration} s, client i bound to process i mod n; by topic, the writers of process i write the topics k with k mod n = i, after one write to each topic there. ` +
        `Restart: SIGTERM, then the process started again (${startSeconds.toFixed(1)} s until /health answered), then ${writers} writers for ${AFTER_RESTART_S} s from its first answer`,
    );
    return found;
  } finally {
    await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
  }
}
