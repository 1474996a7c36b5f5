import { ACLED_COLUMNS, acledRow } from './acled.row.js';
import type { ExportedEvent, PartyNames } from './exported-event.js';
import { PLOVER_FIELDS, ploverRow } from './plover.row.js';
import { POLECAT_COLUMNS, polecatRow } from './polecat.row.js';
import { POSITION_COLUMNS } from './positions.row.js';

/** The exports of events: the log itself (the import format), and the research formats of the events as corrected. */
export const EVENT_FORMATS = ['stance', 'plover', 'polecat', 'acled'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];
/** How a table is written: comma- or tab-separated. */
export const SEPARATORS = ['comma', 'tab'] as const;
export type Separator = (typeof SEPARATORS)[number];

interface JsonLinesFormat {
  readonly kind: 'jsonl';
}
interface TableFormat {
  readonly kind: 'table';
  readonly columns: readonly string[];
  readonly row: (event: ExportedEvent, names: PartyNames) => Readonly<Record<string, string | number>>;
}

/** Each research format's writer: PLOVER as JSON lines, POLECAT and ACLED as tables. */
export const RESEARCH_FORMATS: Readonly<
  Record<
    Exclude<EventFormat, 'stance'>,
    (JsonLinesFormat & { readonly row: typeof ploverRow; readonly fields: readonly string[] }) | TableFormat
  >
> = {
  plover: { kind: 'jsonl', row: ploverRow, fields: PLOVER_FIELDS },
  polecat: { kind: 'table', columns: POLECAT_COLUMNS, row: polecatRow },
  acled: { kind: 'table', columns: ACLED_COLUMNS, row: acledRow },
};

export const POSITIONS_TABLE = { columns: POSITION_COLUMNS } as const;

export const JSON_LINES_TYPE = 'application/x-ndjson';
export const mediaTypeOf = (separator: Separator) => (separator === 'tab' ? 'text/tab-separated-values' : 'text/csv');
export const extensionOf = (separator: Separator) => (separator === 'tab' ? 'tsv' : 'csv');
export const delimiterOf = (separator: Separator) => (separator === 'tab' ? '\t' : ',');

/** The file name of an export of events. */
export function fileOf(format: EventFormat, separator: Separator): string {
  if (format === 'stance') return 'events.jsonl';
  if (format === 'plover') return 'events.plover.jsonl';
  return `events.${format}.${extensionOf(separator)}`;
}
