import { createHash } from 'node:crypto';
import { CODING_TABLE } from '../domain/events/cameo.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { ACLED_COLUMNS } from './acled.row.js';
import { JSON_LINES_TYPE } from './export-formats.js';
import { PLOVER_FIELDS } from './plover.row.js';
import { POLECAT_COLUMNS } from './polecat.row.js';
import { POSITION_COLUMNS } from './positions.row.js';
import { CODING_COLUMNS, codingRows } from './coding.row.js';

/** Frictionless table schema field types used here. */
export type FieldType = 'string' | 'integer' | 'number' | 'date' | 'datetime';
export interface Field {
  readonly name: string;
  readonly type: FieldType;
  readonly description?: string;
}

/** Fields of a table: string unless told (the compiler checks each named column exists). */
function fields<C extends string>(
  columns: readonly C[],
  types: Partial<Record<C, FieldType>>,
  notes: Partial<Record<C, string>> = {},
): Field[] {
  return columns.map((name) => ({
    name,
    type: types[name] ?? 'string',
    ...(notes[name] ? { description: notes[name] } : {}),
  }));
}

const EDTF_NOTE = 'when it happened, as EDTF (ISO 8601-2, level 0): a day, a month, a year or an interval of days';

export const TABLE_SCHEMAS = {
  polecat: {
    fields: fields(
      POLECAT_COLUMNS,
      {
        'Event Date': 'date',
        'Publication Date': 'date',
        'Stance End Date': 'date',
        'Stance Reported At': 'datetime',
        'Stance Goldstein': 'number',
      },
      {
        'Stance Occurred EDTF': EDTF_NOTE,
        'Event Date': 'first day of the occurred interval',
        'Quad Code': 'CAMEO quad class of the event code',
      },
    ),
    primaryKey: ['Event ID'],
  },
  acled: {
    fields: fields(
      ACLED_COLUMNS,
      {
        event_date: 'date',
        year: 'integer',
        time_precision: 'integer',
        fatalities: 'integer',
        timestamp: 'integer',
        stance_end_date: 'date',
        stance_reported_at: 'datetime',
        stance_goldstein: 'number',
      },
      {
        stance_occurred_edtf: EDTF_NOTE,
        time_precision: '1: the day, 2: within a week, 3: within a month or vaguer',
        timestamp: 'when Stance recorded the event (Unix seconds)',
      },
    ),
    primaryKey: ['event_id_cnty'],
  },
  positions: {
    fields: fields(
      POSITION_COLUMNS,
      { since: 'date' },
      {
        item: 'item slug; empty: the topic as a whole',
        status: 'current: the stance at the date; replaced: an earlier stance within the 12 months before it',
        until: 'the day a later stance took over (replaced rows)',
        evidence: 'the event that set the stance ("<event id>+<correction id>" when a correction changed it)',
      },
    ),
  },
  coding: {
    fields: fields(
      CODING_COLUMNS,
      { goldstein: 'number', quad_class: 'integer' },
      {
        quad_class: '1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict',
        plover_event: 'empty where PLOVER has no category for it',
      },
    ),
    primaryKey: ['event_type', 'cameo_code'],
  },
} as const;

/** A digest of the coding table's rows (codingRows: codes, names, Goldstein scores, quad classes, PLOVER categories): any change changes it. */
export function codingTableDigest(): string {
  return createHash('sha256').update(canonicalJson(codingRows())).digest('hex').slice(0, 16);
}

/** What a snapshot is: the instant it is known at, the log position it stops at, the day of its positions. */
export interface Snapshot {
  readonly knownAt: string | null;
  readonly logPosition: number;
  readonly at: string;
  readonly createdAt: string;
}

/** Where each resource of a package is (a file name, or a URL of the same snapshot). */
export type ResourcePaths = Readonly<Record<'log' | 'plover' | 'polecat' | 'acled' | 'positions' | 'coding', string>>;

/**
 * A Frictionless data package (datapackage.json) around a snapshot: its resources with their
 * table schemas, and what makes it citable and reproducible: the known-at instant, the log
 * position (an export with the same knownAt and upTo gives the same rows) and the versions of the
 * CAMEO, PLOVER and Goldstein tables the codes come from.
 */
export function dataPackage(snapshot: Snapshot, paths: ResourcePaths): DataPackage {
  const known = snapshot.knownAt ? `as publicly known at ${snapshot.knownAt}` : 'everything recorded';
  return {
    profile: 'data-package',
    name: `stance-snapshot-${snapshot.logPosition}`,
    title: `Stance: diplomatic events and positions, ${known}, up to log position ${snapshot.logPosition}`,
    created: snapshot.createdAt,
    stance: {
      knownAt: snapshot.knownAt,
      logPosition: snapshot.logPosition,
      positionsAt: snapshot.at,
      coding: { ...CODING_TABLE, digest: codingTableDigest() },
    },
    resources: [
      {
        name: 'log',
        path: paths.log,
        format: 'jsonl',
        mediatype: JSON_LINES_TYPE,
        description:
          'The event log as POST /events bodies (the import format), corrections and retractions included, in log order: importing it into an empty database gives the same positions',
      },
      {
        name: 'plover',
        path: paths.plover,
        format: 'jsonl',
        mediatype: JSON_LINES_TYPE,
        description: `PLOVER records (${PLOVER_FIELDS.join(', ')}), each event as corrected at the known-at instant, retracted ones left out; Stance's own fields under "stance"`,
      },
      {
        name: 'polecat',
        path: paths.polecat,
        format: 'csv',
        mediatype: 'text/csv',
        profile: 'tabular-data-resource',
        schema: TABLE_SCHEMAS.polecat,
      },
      {
        name: 'acled',
        path: paths.acled,
        format: 'csv',
        mediatype: 'text/csv',
        profile: 'tabular-data-resource',
        schema: TABLE_SCHEMAS.acled,
      },
      {
        name: 'positions',
        path: paths.positions,
        format: 'csv',
        mediatype: 'text/csv',
        profile: 'tabular-data-resource',
        schema: TABLE_SCHEMAS.positions,
      },
      {
        name: 'coding',
        path: paths.coding,
        format: 'csv',
        mediatype: 'text/csv',
        profile: 'tabular-data-resource',
        description:
          'The coding table the exports use: per Stance event type, each CAMEO code it may take, with its name, Goldstein score, quad class and PLOVER category (the digest under stance.coding is of this content)',
        schema: TABLE_SCHEMAS.coding,
      },
    ],
  };
}

/** One file of a package: where it is, its format, and for tables their schema. */
export interface DataResource {
  readonly name: string;
  readonly path: string;
  readonly format: 'jsonl' | 'csv';
  readonly mediatype: string;
  readonly description?: string;
  readonly profile?: 'tabular-data-resource';
  readonly schema?: { readonly fields: readonly Field[]; readonly primaryKey?: readonly string[] };
}

/** GET /export/datapackage.json: a Frictionless data package descriptor, with Stance's snapshot under `stance`. */
export interface DataPackage {
  readonly profile: 'data-package';
  readonly name: string;
  readonly title: string;
  readonly created: string;
  readonly stance: {
    /** The instant the snapshot is as known at (null: everything recorded). */
    readonly knownAt: string | null;
    /** The global position of the last event it may include. */
    readonly logPosition: number;
    /** The day of its positions. */
    readonly positionsAt: string;
    /** The tables the CAMEO codes, PLOVER categories and Goldstein scores come from, and a digest of their content. */
    readonly coding: {
      readonly cameo: string;
      readonly plover: string;
      readonly goldstein: string;
      readonly digest: string;
    };
  };
  readonly resources: readonly DataResource[];
}
