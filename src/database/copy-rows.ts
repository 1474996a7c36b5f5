import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pgCopyStreams from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { connectionOf } from './prepared.js';

/** Characters COPY's text format escapes; most values (JSON included) have none, and are sent as they are. */
const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A text as one field of COPY's text format. */
export const copyText = (text: string): string =>
  SPECIAL.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]) : text;

/** One field of COPY's text format: \N for null. */
function field(value: string | number | null): string {
  if (value === null) return '\\N';
  return typeof value === 'number' ? String(value) : copyText(value);
}

function* lines(rows: Iterable<readonly (string | number | null)[]>): Generator<string> {
  for (const row of rows) {
    let line = field(row[0]);
    for (let i = 1; i < row.length; i++) line += `\t${field(row[i])}`;
    yield `${line}\n`;
  }
}

/** Lines grouped in chunks of a thousand: one stream write each. */
function* chunks(lines: Iterable<string>): Generator<string> {
  let chunk = '';
  let count = 0;
  for (const line of lines) {
    chunk += line;
    if (++count === 1000) {
      yield chunk;
      chunk = '';
      count = 0;
    }
  }
  if (chunk) yield chunk;
}

/**
 * Writes rows with COPY, PostgreSQL's bulk path (several times faster than INSERT), on the
 * connection of `manager`'s transaction, so the rows commit or roll back with it. Rows are
 * produced as COPY asks for them, so a generator can fold the next rows while PostgreSQL
 * stores the last ones.
 */
export function copyRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly (string | number | null)[]>,
): Promise<void> {
  return copyLines(manager, table, columns, lines(rows));
}

/**
 * The same with lines already in COPY's text format (fields joined by tabs, each line ending in
 * a newline, texts through copyText), or buffers of such lines: for the bulkiest writers, which
 * know which of their fields can hold a character to escape.
 */
export async function copyLines(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  lines: Iterable<string> | readonly Buffer[],
): Promise<void> {
  const client = await connectionOf(manager);
  const stream = client.query(pgCopyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(
    Readable.from(Array.isArray(lines) && Buffer.isBuffer(lines[0]) ? lines : chunks(lines as Iterable<string>)),
    stream,
  );
}
