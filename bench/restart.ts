/**
 * `npm run bench -- --restart`: appends/s in the first 10 s after the server restarts on the
 * bench's database, without and with fold checkpoints (FoldCheckpoints). Every write of a
 * process that has just started used to refold its topic from the whole log (15-17 appends/s at
 * 1,000,000 events); a checkpoint saved at shutdown lets it fold only what came after.
 */
import { performance } from 'node:perf_hooks';
import type { Request } from 'autocannon';
import { freePort } from '../src/database/scratch-database.js';
import { load, percentile, type Server, startServer } from './http.js';
import type { Row } from './row.js';
import { AFTER_RESTART_S, writeHeaders } from './appends.js';

export interface RestartOptions {
  readonly databaseUrl: string;
  readonly token: string;
  readonly connections: number;
  /** A new event's body for POST /events, on a random topic. */
  readonly body: () => string;
}

/**
 * Starts the server twice on the kept database, each time right after a clean stop of the one
 * before (a stop saves checkpoints of every moved fold: CheckpointSchedule), and appends for
 * AFTER_RESTART_S from the moment /health answers: first with FOLD_CHECKPOINTS=false (every first
 * write to a topic refolds it), then with checkpoints (the checkpoints of the last stop with
 * them, a few events behind: the writes of the run without them fold on).
 */
export async function restartPhase(
  options: RestartOptions,
  log: (line: string) => void,
  fmt: (n: number, digits?: number) => string,
): Promise<{ rows: Row[]; settings: string[] }> {
  const rows: Row[] = [];
  const headers = writeHeaders(options.token);
  const request = {
    method: 'POST',
    path: '/events',
    setupRequest: (req: Request) => ({ ...req, body: options.body() }),
  };
  const run = async (checkpoints: boolean) => {
    const started = performance.now();
    const server: Server = await startServer(options.databaseUrl, await freePort(), options.token, [], {
      FOLD_CHECKPOINTS: String(checkpoints),
    });
    const startSeconds = (performance.now() - started) / 1000;
    log(
      `restart ${checkpoints ? 'with' : 'without'} checkpoints: /health after ${startSeconds.toFixed(1)} s; appending for ${AFTER_RESTART_S} s`,
    );
    try {
      const writes = await load({
        url: server.url,
        connections: options.connections,
        duration: AFTER_RESTART_S,
        headers,
        requests: [request],
      });
      const rate = writes.result['2xx'] / AFTER_RESTART_S;
      const p = (q: number) => percentile(writes.latencies, q).toFixed(0);
      rows.push({
        measure: `POST /events appends/s in the first ${AFTER_RESTART_S} s after a restart, ${checkpoints ? 'with fold checkpoints' : 'without checkpoints (FOLD_CHECKPOINTS=false)'}`,
        target: checkpoints ? '>= 1,000' : '',
        project: `${fmt(rate)} (${writes.result.non2xx} non-2xx; p50 ${p(50)} ms, p95 ${p(95)} ms; /health after ${startSeconds.toFixed(1)} s)`,
        baseline: '',
        ...(checkpoints ? { pass: rate >= 1000 && writes.result.non2xx === 0 } : {}),
      });
    } finally {
      const stopping = performance.now();
      await server.stop();
      log(`stopped in ${((performance.now() - stopping) / 1000).toFixed(1)} s`);
    }
  };
  await run(false);
  await run(true);
  return {
    rows,
    settings: [
      `Restart (--restart): the server stopped (SIGTERM) and started again on the same database, twice; ${options.connections} clients append for ${AFTER_RESTART_S} s from the moment /health answers, as in the append phase; without checkpoints first, then with those the earlier stop saved`,
    ],
  };
}
