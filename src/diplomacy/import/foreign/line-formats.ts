import { parse } from 'csv-parse/sync';
import { readAcled } from './acled.import.js';
import { type ForeignContext, toStanceBody } from './foreign-event.js';
import type { Read, Row } from './foreign-rows.js';
import { readPlover } from './plover.import.js';
import { readPolecat } from './polecat.import.js';

/** The formats `npm run import --format` reads: Stance's own JSON lines, and the foreign ones. */
export const IMPORT_FORMATS = ['stance', 'plover', 'polecat', 'acled'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What a line of a file is: the POST /events body it asks for, a header, or why it is bad. */
export type Decoded = { readonly body: unknown } | { readonly header: true } | { readonly message: string };

/**
 * Reads one format's lines. A decoder reads the lines of one file, in order, and may be asked for
 * a line again (the import's second pass): a table's header, read on its first line, stays.
 * Tables must hold one row per line (a field with a line break is reported as a bad line).
 */
export interface LineDecoder {
  decode(number: number, text: string): Decoded;
}

function jsonObject(text: string, what: string): { row: Row } | { message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { message: 'not valid JSON' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { message: `must be a JSON object (${what})` };
  return { row: json as Row };
}

const mapped = (read: Read, context: ForeignContext): Decoded =>
  'message' in read ? read : toStanceBody(read, context);

class StanceLines implements LineDecoder {
  decode(_number: number, text: string): Decoded {
    const json = jsonObject(text, 'a POST /events body');
    return 'row' in json ? { body: json.row } : json;
  }
}

class PloverLines implements LineDecoder {
  constructor(private readonly context: ForeignContext) {}
  decode(_number: number, text: string): Decoded {
    const json = jsonObject(text, 'a PLOVER record');
    return 'row' in json ? mapped(readPlover(json.row), this.context) : json;
  }
}

class TableLines implements LineDecoder {
  private header?: { columns: string[]; delimiter: string; line: number };

  constructor(
    private readonly context: ForeignContext,
    private readonly read: (row: Row) => Read,
  ) {}

  decode(number: number, text: string): Decoded {
    if (!this.header || this.header.line === number) {
      // The separator is the header's: a tab makes it TSV.
      const delimiter = text.includes('\t') ? '\t' : ',';
      this.header = { columns: this.cells(text, delimiter) ?? [], delimiter, line: number };
      return { header: true };
    }
    const cells = this.cells(text, this.header.delimiter);
    if (!cells) return { message: 'not a valid CSV row (a quoted field left open: a row must be on one line)' };
    if (cells.length !== this.header.columns.length)
      return { message: `has ${cells.length} fields where the header has ${this.header.columns.length}` };
    return mapped(
      this.read(Object.fromEntries(this.header.columns.map((column, i) => [column, cells[i]]))),
      this.context,
    );
  }

  private cells(text: string, delimiter: string): string[] | undefined {
    try {
      const rows: string[][] = parse(text, { delimiter, relax_column_count: true });
      return rows[0] ?? [];
    } catch {
      return undefined;
    }
  }
}

export function lineDecoder(format: ImportFormat, context: ForeignContext): LineDecoder {
  switch (format) {
    case 'stance':
      return new StanceLines();
    case 'plover':
      return new PloverLines(context);
    case 'polecat':
      return new TableLines(context, readPolecat);
    case 'acled':
      return new TableLines(context, readAcled);
  }
}
