/**
 * The export phase of `npm run bench`: `npm run export` (the CLI, a child process, so its memory is
 * its own) of every event in the log as Stance JSON lines, PLOVER and POLECAT, next to a raw
 * COPY (SELECT ...) TO STDOUT of the same rows. Each export reads the log through a cursor, so its
 * peak memory should not grow with the log.
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import copyStreams from 'pg-copy-streams';
import { withClient } from '../src/database/scratch-database.js';
import { procStatus, scriptFlags } from './http.js';

import type { Row } from './row.js';

/** How `npm run export` runs the CLI (package.json). */
const EXPORT_ARGS = scriptFlags('export');

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const FORMATS = ['stance', 'plover', 'polecat'] as const;

interface Exported {
  readonly events: number;
  readonly seconds: number;
  readonly peakRss: number;
}

/** `node dist/src/cli/main.js export --format F --out /dev/null`, with its own timing (it prints it) and its peak RSS. */
function runExport(databaseUrl: string, format: string): Promise<Exported> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...EXPORT_ARGS, CLI, 'export', '--format', format, '--out', '/dev/null'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let peak = 0;
    const sample = () => (peak = Math.max(peak, procStatus(child.pid!, 'VmHWM')));
    const sampler = setInterval(sample, 100);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(sampler);
      const done = /: (\d+) events read in ([\d.]+) s/.exec(stderr);
      if (code !== 0 || !done) reject(new Error(`export ${format} failed (${code}): ${stderr.slice(-500)}`));
      else resolve({ events: Number(done[1]), seconds: Number(done[2]), peakRss: peak });
    });
  });
}

/** The database alone: the same rows in log order, as documents, COPY'd out and dropped. */
async function copyOut(url: string): Promise<{ rows: number; seconds: number }> {
  return withClient(url, async (client) => {
    const started = performance.now();
    const copy = client.query(
      copyStreams.to(`COPY (SELECT id, stream, type, data, reported_at FROM events ORDER BY position) TO STDOUT`),
    );
    await pipeline(copy, new Writable({ write: (_chunk, _encoding, done) => done() }));
    return { rows: Number(copy.rowCount), seconds: (performance.now() - started) / 1000 };
  });
}

export async function exportPhase(
  databaseUrl: string,
  log: (line: string) => void,
  fmt: (n: number, digits?: number) => string,
): Promise<{ rows: Row[]; settings: string[] }> {
  const rows: Row[] = [];
  const copy = await copyOut(databaseUrl);
  const copyRate = copy.rows / copy.seconds;
  log(`baseline: COPY (SELECT ...) TO STDOUT of ${fmt(copy.rows)} events in ${copy.seconds.toFixed(1)} s`);
  for (const format of FORMATS) {
    log(`exporting every event as ${format} (npm run export, a child process)`);
    const run = await runExport(databaseUrl, format);
    const rate = run.events / run.seconds;
    log(`exported ${fmt(run.events)} events in ${run.seconds.toFixed(1)} s; peak RSS ${fmt(run.peakRss / 2 ** 20)} MB`);
    rows.push({
      measure: `Export, ${format} (events/s; peak RSS of the CLI)`,
      target: 'bounded memory',
      project: `${fmt(rate)}; ${fmt(run.peakRss / 2 ** 20)} MB`,
      baseline: `${fmt(copyRate)} (COPY TO STDOUT)`,
      ratio: copyRate / rate,
      pass: run.peakRss <= 512 * 2 ** 20,
    });
  }
  return {
    rows,
    settings: [
      `Export: \`node ${EXPORT_ARGS.join(' ')} dist/src/cli/main.js export --format <stance|plover|polecat> --out /dev/null\` (as \`npm run export\`), a child process reading the log through a cursor (pg-query-stream, 1,000 rows a fetch); events/s as the CLI times its export (start-up not counted); peak RSS is its VmHWM. Baseline: \`COPY (SELECT id, stream, type, data, reported_at FROM events ORDER BY position) TO STDOUT\`, bytes dropped`,
    ],
  };
}
