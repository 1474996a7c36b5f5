import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import pgCopyStreams from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

/** One CSV field: null is an empty unquoted field, everything else is quoted. */
const field = (value: string | number | null): string => (value === null ? '' : `"${String(value).replaceAll('"', '""')}"`);

function* csv(rows: Iterable<readonly (string | number | null)[]>): Generator<string> {
  let lines: string[] = [];
  for (const row of rows) {
    lines.push(row.map(field).join(','));
    if (lines.length === 1000) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length) yield `${lines.join('\n')}\n`;
}

/**
 * Writes rows with COPY, PostgreSQL's bulk path (several times faster than INSERT), on the
 * connection of `manager`'s transaction, so the rows commit or roll back with it.
 */
export async function copyRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly (string | number | null)[]>,
): Promise<void> {
  if (!manager.queryRunner) throw new Error('copyRows needs the manager of a transaction');
  const client = (await manager.queryRunner.connect()) as PoolClient;
  const stream = client.query(pgCopyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT csv)`));
  await pipeline(Readable.from(csv(rows)), stream);
}
