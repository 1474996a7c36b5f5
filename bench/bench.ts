/**
 * `npm run bench [-- --events N]`: the quality bars (docs/architecture.md, "Tests and benchmarks"),
 * each measured next to what the database alone does on the same data in the same run. Generates
 * a synthetic log, imports it into a fresh database through the BulkImporter, rebuilds the
 * projection, then drives the real server (a child process) with autocannon, then two server
 * processes on the same log and a restart (bench/processes.ts). Writes
 * bench/results/<date>-<events>-<embedded|server>.md.
 */
import 'reflect-metadata';
import { freePort, withClient } from '../src/database/scratch-database.js';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Request } from 'autocannon';
import { Presets, SingleBar } from 'cli-progress';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppModule } from '../src/app.module.js';
import { CatalogService } from '../src/catalog/catalog.service.js';
import { loadSettings } from '../src/config/settings.js';
import { BulkImporter } from '../src/diplomacy/import/bulk-import.service.js';
import { PositionProjection } from '../src/diplomacy/projection/position.projection.js';
import { copyBaseline, insertBaseline, lookupBaseline, sequentialReadBaseline } from './baselines.js';
import { type BenchDatabase, freshDatabase, keptDatabase, loadCatalog, replicatedDatabase } from './database.js';
import { FIRST_DAY, type GeneratedData, generate, isoDay, LAST_DAY, prng } from './generate.js';
import { appendBodies, writeHeaders, writeToEveryTopic } from './appends.js';
import { restartPhase } from './restart.js';
import { exportPhase } from './export.js';
import { sampleReplicaLag } from './replica.js';
import { startStreamingReplica, type StreamingReplica } from '../src/database/streaming-replica.js';
import { processesPhase } from './processes.js';
import type { Row } from './row.js';
import { cpuMeter } from './cpu.js';
import { load, percentile, type Server, START_ARGS, startServer } from './http.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    topics: { type: 'string', default: '1000' },
    parties: { type: 'string', default: '200' },
    seed: { type: 'string', default: '42' },
    /** Seconds of each HTTP phase and of each baseline beside it. */
    duration: { type: 'string' },
    'query-connections': { type: 'string', default: '1' },
    'write-connections': { type: 'string', default: '16' },
    /** Keep the database and the generated files (for a look afterwards). */
    keep: { type: 'boolean', default: false },
    /** Write CPU profiles of the server (node --cpu-prof) into this folder. */
    profile: { type: 'string' },
    /** Where the results file goes (default bench/results/). */
    results: { type: 'string' },
    /**
     * The name of a database a run with --keep left on DATABASE_URL's server, made with the same
     * --events, --topics, --parties and --seed: import and rebuild are skipped (the log is already
     * there; migrations run) and only the HTTP phases run. For trying a read path on 1,000,000
     * events without the 15 minutes of import and rebuild; the results say so.
     */
    reuse: { type: 'string' },
    /**
     * Runs everything on a primary started with a hot standby (src/database/streaming-replica.ts,
     * the system's PostgreSQL binaries), the server reading from the standby (DATABASE_READ_URL),
     * and samples the standby's lag during the append run. The results file ends in -replica.
     */
    replica: { type: 'boolean', default: false },
    /**
     * After the other phases: restart the server on the same database, without and then with fold
     * checkpoints, and measure appends/s in the first 10 s of each (bench/restart.ts).
     */
    restart: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(args.events);
const SEED = Number(args.seed);
const DURATION = Number(args.duration ?? (EVENTS >= 1_000_000 ? 30 : EVENTS >= 100_000 ? 15 : 3));
const QUERY_CONNECTIONS = Number(args['query-connections']);
const WRITE_CONNECTIONS = Number(args['write-connections']);
const TOKEN = 'bench-token-0123456789abcdefghij';
/**
 * The series of the ids the append phases post: a --reuse run's log already holds those of the run
 * that kept it, so it posts a series of its own (else every append would be a 409).
 */
const SERIES = args.reuse ? `reuse-${Date.now()}` : '';

const log = (line: string) => console.log(`[bench] ${line}`);
const secondsSince = (start: number) => (performance.now() - start) / 1000;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** What each phase found, for the table and the notes. */
interface Findings {
  readonly rows: Row[];
  readonly notes: string[];
  readonly settings: string[];
}

function progressBar(label: string, unit: string): SingleBar {
  // Without a terminal (CI, nohup) it prints a line every 30 s instead of redrawing.
  return new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration}s`,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 30_000,
    },
    Presets.shades_classic,
  );
}

const scalar = (url: string, sql: string) =>
  withClient(url, async (client) => String(Object.values((await client.query(sql)).rows[0])[0]));

/** A fingerprint of the projection's rows, to check that a rebuild writes what the inline projection wrote. */
function fingerprint(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const sum = async (sql: string) => (await client.query(sql)).rows[0] as { n: string; h: string };
    const elements = await sum(
      `SELECT count(*) AS n, coalesce(sum(hashtext(party || '|' || topic || '|' || key || '|' || valid_from || '|' || valid_to || '|' || body)::bigint), 0) AS h
         FROM position_elements`,
    );
    const cards = await sum(
      `SELECT count(*) AS n, coalesce(sum(hashtext(ref || card)::bigint), 0) AS h FROM evidence_cards`,
    );
    const states = await sum(
      `SELECT count(*) AS n, coalesce(sum(hashtext(topic || version || coalesce(last_event::text, '') || array_to_string(parties, ','))::bigint), 0) AS h FROM topic_states`,
    );
    return `${elements.n} elements #${elements.h}, ${cards.n} evidence cards #${cards.h}, ${states.n} topic states #${states.h}`;
  });
}

/** Bulk import through the domain, next to a raw COPY of the same rows. */
async function importPhase(
  app: INestApplicationContext,
  database: BenchDatabase,
  data: GeneratedData,
  dir: string,
  found: Findings,
): Promise<number> {
  log('importing through the BulkImporter (validation, decide, append, inline projection)');
  const bar = progressBar('import', 'MB');
  bar.start(Math.ceil(data.bytes / 1e6), 0);
  const started = performance.now();
  const meter = cpuMeter([]); // the importer runs in this process: its CPU is the bench's
  const report = await app.get(BulkImporter).importFile(data.eventsFile, {
    onProgress: (done, total) => bar.update(Math.floor((done / total) * Math.ceil(data.bytes / 1e6))),
  });
  const cpu = meter.stop();
  const seconds = secondsSince(started);
  bar.stop();
  log(`imported ${fmt(report.recorded)} events in ${seconds.toFixed(1)} s; ${report.bad.length} bad lines`);
  if (report.bad.length) {
    for (const bad of report.bad.slice(0, 10)) log(`  line ${bad.line}: ${bad.message}`);
    found.notes.push(
      `${report.bad.length} generated lines were refused by the importer (first: line ${report.bad[0].line}: ${report.bad[0].message}).`,
    );
  }

  log('baseline: COPY of the same rows into a scratch copy of the events table');
  const copy = await copyBaseline(database.url, dir);
  const rate = report.recorded / seconds;
  found.rows.push({
    measure: 'Bulk import (events/s)',
    target: '>= 20,000',
    project: fmt(rate),
    baseline: `${fmt(copy.rows / copy.seconds)} (COPY, same indexes)`,
    ratio: copy.rows / copy.seconds / rate,
    pass: rate >= 20_000 && report.bad.length === 0,
  });
  const recorded = report.recorded || 1;
  const perEvent = (spent: number) => ((1e6 * spent) / recorded).toFixed(0);
  found.rows.push({
    measure: 'CPU per imported event (µs): the importer / PostgreSQL / whole machine',
    target: '',
    project: `${perEvent(cpu.bench)} / ${perEvent(cpu.postgres)} / ${perEvent(cpu.machine)}`,
    baseline: '',
  });
  found.rows.push({
    measure: `Imported events/s the machine's ${cpu.cores} cores allow at that CPU per event (its ceiling); the machine busy, and stolen by the hypervisor`,
    target: '',
    project: `${cpu.machine ? fmt((cpu.cores * recorded) / cpu.machine) : 'n/a'}; busy ${fmt(100 * cpu.busyShare)}%, stolen ${fmt(100 * cpu.stealShare, 1)}%`,
    baseline: '',
  });
  found.settings.push(
    `Import: BulkImporter.importFile (pass 1 validates every line; pass 2 decides each topic's lines in file order and appends them with COPY, one transaction per topic of up to 20,000 lines, two topics at a time), in the bench process: ${fmt(report.recorded)} events in ${seconds.toFixed(1)} s, ${report.bad.length} bad lines`,
  );
  return report.recorded;
}

/** Full rebuild, next to a sequential read of the log; checks that it reproduces the inline projection. */
async function rebuildPhase(app: INestApplicationContext, database: BenchDatabase, found: Findings): Promise<void> {
  const before = await fingerprint(database.url);
  log('rebuilding every topic through the same evolve');
  const bar = progressBar('rebuild', 'events');
  let barStarted = false;
  const started = performance.now();
  await app.get(PositionProjection).rebuildAll((done, total) => {
    if (!barStarted) bar.start(total, 0);
    barStarted = true;
    bar.update(done);
  });
  const seconds = secondsSince(started);
  if (barStarted) bar.stop();
  const after = await fingerprint(database.url);
  const same = before === after;
  log(
    `rebuilt in ${seconds.toFixed(1)} s; projection ${same ? 'identical to' : 'DIFFERENT from'} the inline one (${after})`,
  );
  if (!same) found.notes.push(`The rebuild did not reproduce the inline projection: before ${before}; after ${after}.`);

  const read = await sequentialReadBaseline(database.url);
  found.rows.push({
    measure: 'Full projection rebuild (s)',
    target: '<= 60',
    project: seconds.toFixed(1),
    baseline: `${read.seconds.toFixed(1)} (read ${fmt(read.bytes / 1e6)} MB of log)`,
    ratio: seconds / read.seconds,
    pass: seconds <= 60 && same,
  });
  found.settings.push(
    `Rebuild: PositionProjection.rebuildAll; projection after the import and after the rebuild ${same ? 'identical' : 'DIFFERENT'} (${after})`,
  );
}

/**
 * What autovacuum does to a table after a bulk load, before the reads are timed: it sets the
 * visibility map (index-only scans need it: the compact view counts from the span index alone)
 * and the tuples' hint bits (otherwise the first read of every page after the rebuild dirties it).
 * This machine's server runs with autovacuum off (its CI settings), which no served database
 * does; unvacuumed, position p95 was 71.9 (compact) and 23.5 ms (one topic) at 1,000,000 events,
 * vacuumed 63.7 and 9.8 (the same database, same server, 2026-12-06).
 */
async function vacuumPhase(database: BenchDatabase, found: Findings): Promise<void> {
  const autovacuum = await scalar(database.url, 'SHOW autovacuum');
  const started = performance.now();
  await withClient(database.url, (client) =>
    client.query('VACUUM (ANALYZE) position_elements, evidence_cards, topic_states, events'),
  );
  const seconds = secondsSince(started);
  log(`vacuumed the log and the projection in ${seconds.toFixed(1)} s (the server's autovacuum: ${autovacuum})`);
  found.settings.push(
    `Before the HTTP phases: VACUUM (ANALYZE) of the log and the projection, as autovacuum does after a bulk load (${seconds.toFixed(1)} s; this server's autovacuum is ${autovacuum})`,
  );
}

/** The two position answers an analyst asks for (DESIGN section 4). */
type PositionView = 'compact' | 'full';
const VIEWS: Record<PositionView, { label: string; path: (party: string, at: string, topic?: string) => string }> = {
  compact: {
    label: 'one party, all topics (compact)',
    path: (party, at) => `/parties/${party}/positions?at=${at}`,
  },
  full: {
    label: 'one party, one topic (full)',
    path: (party, at, topic) => `/parties/${party}/positions?topic=${topic}&at=${at}`,
  },
};

const kib = (bytes: number) => `${fmt(bytes / 1024, bytes < 10 * 1024 ? 1 : 0)}`;

/**
 * GET /parties/:party/positions?at= for random parties and days: all topics in the compact view,
 * and one of the party's topics in full, each next to the SQL lookups it needs.
 */
async function queryPhase(
  server: Server,
  database: BenchDatabase,
  data: GeneratedData,
  random: () => number,
  found: Findings,
  view: PositionView,
): Promise<void> {
  const parties = data.catalog.parties.map((p) => p.slug);
  const topicsOf = new Map<string, string[]>();
  for (const topic of data.catalog.topics)
    for (const party of topic.parties) topicsOf.set(party, [...(topicsOf.get(party) ?? []), topic.slug]);
  const next = () => {
    const party = parties[Math.floor(random() * parties.length)];
    const at = isoDay(FIRST_DAY + Math.floor(random() * (LAST_DAY - FIRST_DAY + 1)));
    if (view === 'compact') return { party, at };
    const topics = topicsOf.get(party) ?? [data.catalog.topics[0].slug];
    return { party, at, topic: topics[Math.floor(random() * topics.length)] };
  };
  const request = {
    setupRequest: (req: Request) => {
      const { party, at, topic } = next();
      return { ...req, path: VIEWS[view].path(party, at, topic) };
    },
  };
  await load({ url: server.url, connections: QUERY_CONNECTIONS, duration: 2, requests: [request] }); // warm-up
  log(`position queries, ${VIEWS[view].label}: ${QUERY_CONNECTIONS} connection(s), ${DURATION} s`);
  const queries = await load({
    url: server.url,
    connections: QUERY_CONNECTIONS,
    duration: DURATION,
    requests: [request],
  });
  const lookups = await lookupBaseline(database.url, QUERY_CONNECTIONS, DURATION, next);
  const q = (p: number) => percentile(queries.latencies, p);
  const l = (p: number) => percentile(lookups.latencies, p);
  const size = (p: number) => percentile(queries.sizes, p);
  found.rows.push({
    measure: `Position query latency p50 / p95 / p99 (ms, ${QUERY_CONNECTIONS} client${QUERY_CONNECTIONS > 1 ? 's' : ''}), ${VIEWS[view].label}`,
    target: 'p95 <= 10',
    project: `${q(50).toFixed(1)} / **${q(95).toFixed(1)}** / ${q(99).toFixed(1)}`,
    baseline: `${l(50).toFixed(2)} / ${l(95).toFixed(2)} / ${l(99).toFixed(2)} (SQL lookup)`,
    ratio: q(95) / l(95),
    pass: q(95) <= 10 && queries.result.non2xx === 0,
  });
  found.rows.push({
    measure: `Position queries per second, ${VIEWS[view].label}`,
    target: '',
    project: fmt(queries.result['2xx'] / DURATION),
    baseline: `${fmt(lookups.latencies.length / lookups.seconds)} (SQL lookup)`,
    ratio: lookups.latencies.length / lookups.seconds / (queries.result['2xx'] / DURATION),
  });
  found.rows.push({
    measure: `Answer size p50 / p95 / max (KiB), ${VIEWS[view].label}`,
    target: '',
    project: `${kib(size(50))} / ${kib(size(95))} / ${kib(size(100))}`,
    baseline: '',
  });
  if (queries.result.non2xx)
    found.notes.push(`${queries.result.non2xx} position queries failed: ${queries.failures.join(' | ')}`);
  found.settings.push(
    `Position queries, ${VIEWS[view].label}: GET ${VIEWS[view].path(':party', '<random day 2000-2024>', view === 'full' ? '<one of its topics>' : undefined)}, ` +
      `a random party of ${parties.length}; ${fmt(queries.latencies.length)} requests after a 2 s warm-up, ${queries.result.non2xx} non-2xx`,
  );
}

/** POST /events from 16 clients: valid new events at the end of random topics, next to one-row INSERTs. */
async function writePhase(
  server: Server,
  database: BenchDatabase,
  data: GeneratedData,
  random: () => number,
  found: Findings,
  replica?: StreamingReplica,
): Promise<void> {
  const topics = data.catalog.topics;
  const bodies = appendBodies(data.catalog, SEED, random, SERIES);
  const headers = writeHeaders(TOKEN);

  // A server that has just started folds each topic from the log on its first write to it
  // (TopicStates). Write once to every topic first, timed on its own; then measure the steady state.
  log(`POST /events: one to each of ${topics.length} topics (fold cache filling), ${WRITE_CONNECTIONS} clients`);
  const cold = await writeToEveryTopic([server.url], topics, bodies, WRITE_CONNECTIONS, TOKEN);
  const coldRate = topics.length / cold.seconds;
  const request = {
    method: 'POST',
    path: '/events',
    setupRequest: (req: Request) => ({ ...req, body: bodies.next() }),
  };
  log(`POST /events: ${WRITE_CONNECTIONS} clients, ${DURATION} s`);
  const countEvents = async () => Number(await scalar(database.url, 'SELECT count(*) FROM events'));
  const before = await countEvents();
  const lag = replica && (await sampleReplicaLag(database.url, replica.onStandby(database.url)));
  const started = performance.now();
  const meter = cpuMeter([server.pid]);
  const writes = await load({
    url: server.url,
    connections: WRITE_CONNECTIONS,
    duration: DURATION,
    headers,
    requests: [request],
  });
  const cpu = meter.stop();
  const seconds = secondsSince(started);
  if (lag) {
    const { rows, setting } = await lag.stop();
    found.rows.push(...rows);
    found.settings.push(setting);
  }
  const grown = (await countEvents()) - before;
  const sample = await scalar(database.url, 'SELECT data::text FROM events ORDER BY position DESC LIMIT 1');
  const inserts = await insertBaseline(database.url, WRITE_CONNECTIONS, DURATION, sample);
  const rate = writes.result['2xx'] / seconds;
  const w = (p: number) => percentile(writes.latencies, p).toFixed(1);
  found.rows.push({
    measure: `POST /events appends/s (${WRITE_CONNECTIONS} clients, every topic's fold cached)`,
    target: '>= 1,000',
    project: `${fmt(rate)} (${writes.result.non2xx} non-2xx)`,
    baseline: `${fmt(inserts.inserts / inserts.seconds)} (one-row INSERT transactions)`,
    ratio: inserts.inserts / inserts.seconds / rate,
    pass: rate >= 1000 && writes.result.non2xx === 0,
  });
  found.rows.push({
    measure: 'POST /events latency p50 / p95 / p99 (ms)',
    target: '',
    project: `${w(50)} / ${w(95)} / ${w(99)}`,
    baseline: '',
  });
  // What one append costs the machine, and so how many its cores allow at best (docs/architecture.md, "Tests and benchmarks").
  const appended = writes.result['2xx'] || 1;
  const perAppend = (spent: number) => ((1000 * spent) / appended).toFixed(2);
  found.rows.push({
    measure: 'CPU per append in that run (ms): server / PostgreSQL / load generator / whole machine',
    target: '',
    project: `${perAppend(cpu.server)} / ${perAppend(cpu.postgres)} / ${perAppend(cpu.bench)} / ${perAppend(cpu.machine)}`,
    baseline: '',
  });
  found.rows.push({
    measure: `Appends/s the machine's ${cpu.cores} cores allow at that CPU per append (its ceiling); the machine busy, and stolen by the hypervisor`,
    target: '',
    project: `${cpu.machine ? fmt((cpu.cores * appended) / cpu.machine) : 'n/a'}; busy ${fmt(100 * cpu.busyShare)}%, stolen ${fmt(100 * cpu.stealShare, 1)}%`,
    baseline: '',
  });
  found.rows.push({
    measure: 'POST /events appends/s right after start (first write to each topic: its fold is read from the log)',
    target: '',
    project: `${fmt(coldRate)} (${cold.failures} non-2xx)`,
    baseline: '',
  });
  // Requests still in flight when autocannon stops may commit without being counted.
  if (grown < writes.result['2xx'] || grown > writes.result['2xx'] + WRITE_CONNECTIONS) {
    found.notes.push(`POST /events answered 2xx ${writes.result['2xx']} times but the log grew by ${grown} events.`);
  }
  if (writes.result.non2xx) {
    const statuses = [...writes.statuses].filter(([status]) => status >= 300).map(([status, n]) => `${n}x ${status}`);
    found.notes.push(`Non-2xx answers to POST /events: ${statuses.join(', ')}; e.g. ${writes.failures.join(' | ')}`);
  }
  found.settings.push(
    `Appends: POST /events, 80% statements and 20% proposals of new items on random topics, dated today (the end of their topic); ${fmt(writes.latencies.length)} requests, after one to each of the ${fmt(topics.length)} topics`,
  );
}

function renderTable(rows: readonly Row[]): string {
  return [
    '| measure | target | Stance | database alone | x DB | result |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.measure} | ${r.target} | ${r.project} | ${r.baseline} | ${r.ratio === undefined ? '' : `${r.ratio.toFixed(1)}x`} | ${r.pass === undefined ? '' : r.pass ? 'pass' : '**miss**'} |`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const runStarted = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'stance-bench-'));
  const found: Findings = { rows: [], notes: [], settings: [] };

  log(
    `generating ${fmt(EVENTS)} events over ${args.topics} topics and ${args.parties} parties (seed ${SEED}) in ${dir}`,
  );
  const generateStarted = performance.now();
  const data = await generate({
    events: EVENTS,
    topics: Number(args.topics),
    parties: Number(args.parties),
    seed: SEED,
    dir,
  });
  const generateSeconds = secondsSince(generateStarted);
  log(`generated ${fmt(data.lines)} lines, ${fmt(data.bytes / 1e6)} MB, in ${generateSeconds.toFixed(1)} s`);

  if (args.replica && args.reuse)
    throw new Error('--replica starts its own primary: it cannot --reuse a kept database');
  const replica = args.replica ? await startStreamingReplica() : undefined;
  const database = replica
    ? await replicatedDatabase(replica)
    : args.reuse
      ? keptDatabase(args.reuse)
      : await freshDatabase(args.keep);
  log(`database: ${database.description}`);
  let server: Server | undefined;
  try {
    // Import and rebuild run in this process, on the application's own providers.
    const settings = loadSettings({
      DATABASE_URL: database.url,
      API_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      SEED_ON_START: 'false',
    });
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(settings, { url: database.url }), {
      logger: ['error', 'warn'],
    });
    const postgres = await scalar(database.url, 'SHOW server_version');
    const postgresSettings = await scalar(
      database.url,
      `SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings
        WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'work_mem', 'max_wal_size', 'effective_cache_size')`,
    );
    if (args.reuse) {
      found.notes.push(
        `A run on the kept database ${args.reuse}: import and rebuild were not run, and the figures of the HTTP phases are on its log as it was (earlier runs' appends included).`,
      );
    } else {
      await loadCatalog(database.url, data.catalog);
      app.get(CatalogService).invalidate();
      await importPhase(app, database, data, dir, found);
      await rebuildPhase(app, database, found);
    }
    await vacuumPhase(database, found);
    await app.close();
    const exported = await exportPhase(database.url, log, fmt);
    found.rows.push(...exported.rows);
    found.settings.push(...exported.settings);

    // HTTP: the real server as a child process, so its memory is its own.
    server = await startServer(
      database.url,
      await freePort(),
      TOKEN,
      args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [],
      replica ? { DATABASE_READ_URL: replica.onStandby(database.url) } : {},
    );
    log(`server pid ${server.pid} on ${server.url}`);
    const random = prng(SEED + 1);
    await queryPhase(server, database, data, random, found, 'compact');
    await queryPhase(server, database, data, random, found, 'full');
    await writePhase(server, database, data, random, found, replica);
    const rss = server.peakRss();
    await server.stop();
    server = undefined;
    found.rows.push({
      measure: 'Peak server RSS (MB, VmHWM of the server process)',
      target: '<= 512',
      project: fmt(rss / 2 ** 20),
      baseline: '',
      pass: rss <= 512 * 2 ** 20,
    });
    const processes = await processesPhase({
      databaseUrl: database.url,
      data,
      seed: SEED,
      random,
      token: TOKEN,
      series: SERIES,
      duration: DURATION,
      writers: WRITE_CONNECTIONS,
      log,
      fmt,
    });
    found.rows.push(...processes.rows);
    found.notes.push(...processes.notes);
    found.settings.push(...processes.settings);
    if (args.restart) {
      const bodies = appendBodies(data.catalog, SEED, prng(SEED + 2), `restart-${Date.now()}`);
      const restarted = await restartPhase(
        { databaseUrl: database.url, token: TOKEN, connections: WRITE_CONNECTIONS, body: () => bodies.next() },
        log,
        fmt,
      );
      found.rows.push(...restarted.rows);
      found.settings.push(...restarted.settings);
    }

    const date = new Date().toISOString().slice(0, 10);
    const table = renderTable(found.rows);
    const byType = Object.entries(data.byType)
      .sort((a, b) => b[1] - a[1])
      .map(([type, n]) => `${type} ${fmt(n)}`)
      .join(', ');
    const document = [
      `# Stance benchmark: ${fmt(EVENTS)} events (${date})`,
      '',
      'Targets (docs/architecture.md, "Tests and benchmarks") are set for 1,000,000 events on a 2-core machine. "Database alone" is the same PostgreSQL doing',
      'the least the figure needs, on the same data, in the same run; "x DB" is how many times slower the project is.',
      '',
      table,
      '',
      '## Machine',
      `- CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Linux ${release()}`,
      `- Node ${process.version}; PostgreSQL ${postgres} (${postgresSettings})`,
      `- Database: ${database.description.replace(/ in \/.*$/, '')}; the server, PostgreSQL and the load generator share the machine`,
      '',
      '## Settings',
      `- \`npm run bench -- --events ${EVENTS}\` (topics ${args.topics}, parties ${args.parties}, seed ${SEED}); each HTTP phase and its baseline ${DURATION} s`,
      `- Data: ${fmt(data.lines)} lines, ${fmt(data.bytes / 1e6)} MB of JSON lines, generated in ${generateSeconds.toFixed(1)} s; by type: ${byType}`,
      `- Dates 2000-2024; ${fmt(data.lateReports)} late reports (${((100 * data.lateReports) / data.lines).toFixed(1)}%, written after later events of their topic), ` +
        `${fmt(data.monthPrecision)} month-precision and ${fmt(data.intervalPrecision)} interval dates`,
      ...found.settings.map((s) => `- ${s}`),
      `- Server: \`node ${START_ARGS.join(' ')} dist/src/main.js\` (as \`npm start\` runs it) as a child process, LOG_LEVEL=warn; RSS sampled from /proc every 200 ms, and VmHWM`,
      `- Total bench time ${secondsSince(runStarted).toFixed(0)} s`,
      ...(found.notes.length ? ['', '## Notes', ...found.notes.map((n) => `- ${n}`)] : []),
      '',
    ].join('\n');
    console.log(`\n${table}\n`);
    for (const note of found.notes) console.log(`note: ${note}`);
    const resultsDir = args.results ?? fileURLToPath(new URL('../../bench/results/', import.meta.url));
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `${date}-${EVENTS}-${database.kind}${args.reuse ? '-reads' : ''}.md`);
    writeFileSync(file, document);
    log(`results written to ${file}`);
  } finally {
    await server?.stop().catch(() => undefined);
    await database.drop().catch((error) => log(`could not drop the database: ${error}`));
    await replica?.stop().catch((error) => log(`could not stop the replica: ${error}`));
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
