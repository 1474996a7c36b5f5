import type { EntityManager } from 'typeorm';
import { copyLines, copyText } from '../../database/copy-rows.js';
import { connectionOf, prepared } from '../../database/prepared.js';
import { historyEnd } from '../domain/positions/position.js';
import type { ElementVersion, RowChange } from './element-versions.js';
import type { Evidence, EvidenceRef } from '../domain/records/topic-state.js';

/**
 * The SQL side of the position projection: position_elements (versions of the elements of
 * positions, open ones ending at 'infinity'), evidence_cards and topic_states. Everything here
 * writes inside the caller's transaction.
 */

/** A version of one topic's projection, as stored. */
export type TopicVersion = ElementVersion & { readonly topic: string };

/** An element change of one topic, or a new side-list version (possibly in effect), to write in one statement. */
export type TopicRowChange =
  (RowChange & { readonly topic: string }) | { readonly kind: 'insert'; readonly version: TopicVersion };

const OPEN = 'infinity';
const ELEMENT_COLUMNS = ['party', 'topic', 'key', 'valid_from', 'valid_to', 'hidden_from', 'body'];
/**
 * The first day a version is out of the default history window (historyEnd), or never: stored
 * beside the element so that the index, not the heap, leaves out closed records and replaced
 * stances older than 12 months (at 1,000,000 events they were 60% of a party's rows at a date).
 */
const hiddenFrom = (key: string, body: unknown) => historyEnd(key, body as object) ?? OPEN;
const bodyText = (body: unknown) => JSON.stringify(body);

// Each write below is said once, with its parameters numbered from `$n`, so that writeIncrement
// can put them all in one statement and the writers of one kind of row use the same text.
/** Cards of the stored events whose `where` holds (evidence_card, a migration). */
const insertCards = (where: string) =>
  `INSERT INTO evidence_cards (ref, card) SELECT id::text, evidence_card(id, type, data) FROM events WHERE ${where}`;
/** topic_states rows from the four columns of stateColumns, at $n to $n+3. */
const upsertStates = (n: number) => `INSERT INTO topic_states (topic, version, last_event, parties)
  SELECT t, v, l, string_to_array(p, ',') FROM unnest($${n}::text[], $${n + 1}::int[], $${n + 2}::jsonb[], $${n + 3}::text[]) AS s(t, v, l, p)
  ON CONFLICT (topic) DO UPDATE SET version = EXCLUDED.version, last_event = EXCLUDED.last_event, parties = EXCLUDED.parties`;
/** New items from the three columns of itemColumns, at $n to $n+2: named by the events that put them on the table. */
const insertItems = (n: number) =>
  `INSERT INTO items (topic, slug, title, named_by) SELECT *, 'events' FROM unnest($${n}::text[], $${n + 1}::text[], $${n + 2}::text[]) ON CONFLICT DO NOTHING`;

/**
 * New titles of items the events named, from the three columns of itemColumns at $n to $n+2. Sent
 * only when there are some: the items table's trigger tells every process that the catalog
 * changed on any UPDATE statement, rows or none (an INSERT ... ON CONFLICT DO UPDATE on every
 * append had each process read its whole catalog again on every write: 62 appends/s, not 497).
 */
const renameItems = (n: number) =>
  `UPDATE items i SET title = r.title FROM unnest($${n}::text[], $${n + 1}::text[], $${n + 2}::text[]) AS r(topic, slug, title)
    WHERE i.topic = r.topic AND i.slug = r.slug AND i.named_by = 'events' AND i.title <> r.title`;

/** An item of a topic, as a proposal puts it on the table. */
export interface TopicItem {
  readonly topic: string;
  readonly slug: string;
  readonly title: string;
}
const itemColumns = (items: readonly TopicItem[]) => [
  items.map((i) => i.topic),
  items.map((i) => i.slug),
  items.map((i) => i.title),
];

/** Everything one append changes in the projection, to write in one statement. */
export interface Increment {
  /** Row changes that each name a different row (DayLedger.advance guarantees it for one day of one topic; topics never share rows). */
  readonly changes: readonly TopicRowChange[];
  /** The new events, whose cards are rendered from their stored rows. */
  readonly events: readonly string[];
  readonly states: readonly TopicStateRow[];
  /** New items of the catalog. */
  readonly items: readonly TopicItem[];
  /** Items the events named whose title is now another. */
  readonly renamed: readonly TopicItem[];
}

/** Writes an append's changes to the projection in one round trip. */
export async function writeIncrement(
  manager: EntityManager,
  { changes, events, states, items, renamed }: Increment,
): Promise<void> {
  const rows = changes.map((c) =>
    c.kind === 'insert'
      ? [
          'insert',
          c.version.party,
          c.version.topic,
          c.version.key,
          c.version.validFrom,
          c.version.validTo ?? OPEN,
          bodyText(c.version.body),
          hiddenFrom(c.version.key, c.version.body),
        ]
      : c.kind === 'open'
        ? ['insert', c.party, c.topic, c.key, c.day, OPEN, bodyText(c.body), hiddenFrom(c.key, c.body)]
        : c.kind === 'rewrite'
          ? [c.kind, c.party, c.topic, c.key, c.day, null, bodyText(c.body), hiddenFrom(c.key, c.body)]
          : [c.kind, c.party, c.topic, c.key, c.day, null, null, null],
  );
  const column = (i: number) => rows.map((r) => r[i]);
  const client = await connectionOf(manager);
  await client.query(
    prepared(
      `WITH c AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::text[], $8::date[])
         AS c(kind, party, topic, key, day, valid_to, body, hidden_from)
     ), closed AS (
       UPDATE position_elements e SET valid_to = c.day FROM c
        WHERE c.kind = 'close' AND e.party = c.party AND e.topic = c.topic AND e.valid_to = 'infinity' AND e.key = c.key
     ), reopened AS (
       UPDATE position_elements e SET valid_to = 'infinity' FROM c
        WHERE c.kind = 'reopen' AND e.party = c.party AND e.topic = c.topic AND e.valid_to = c.day AND e.key = c.key
     ), rewritten AS (
       UPDATE position_elements e SET body = c.body, hidden_from = c.hidden_from FROM c
        WHERE c.kind = 'rewrite' AND e.party = c.party AND e.topic = c.topic AND e.valid_to = 'infinity' AND e.key = c.key AND e.valid_from = c.day
     ), dropped AS (
       DELETE FROM position_elements e USING c
        WHERE c.kind = 'drop' AND e.party = c.party AND e.topic = c.topic AND e.valid_to = 'infinity' AND e.key = c.key AND e.valid_from = c.day
     ), inserted AS (
       INSERT INTO position_elements (party, topic, key, valid_from, valid_to, body, hidden_from)
       SELECT party, topic, key, day, valid_to, body, hidden_from FROM c WHERE kind = 'insert'
     ), cards AS (
       ${insertCards('id = ANY($9::uuid[])')}
     ), states AS (
       ${upsertStates(10)}
     )
     ${renamed.length ? `, renamed AS (${renameItems(17)})` : ''}
     ${insertItems(14)}`,
      [
        ...[0, 1, 2, 3, 4, 5, 6, 7].map(column),
        events,
        ...stateColumns(states),
        ...itemColumns(items),
        ...(renamed.length ? itemColumns(renamed) : []),
      ],
    ),
  );
}

/** A topic's versions as lines of COPY into position_elements. */
export function versionLines(topic: string, versions: readonly ElementVersion[], into: string[] = []): string[] {
  // Slugs, keys (slugs and event ids) and dates have nothing to escape; only bodies can.
  for (const v of versions)
    into.push(
      `${v.party}\t${topic}\t${v.key}\t${v.validFrom}\t${v.validTo ?? OPEN}\t${hiddenFrom(v.key, v.body)}\t${copyText(bodyText(v.body))}\n`,
    );
  return into;
}

/** Writes whole versions with COPY (a refold): much faster than INSERT for many rows. */
export function copyVersions(
  manager: EntityManager,
  topic: string,
  versions: readonly ElementVersion[],
): Promise<void> {
  return copyElementLines(manager, versionLines(topic, versions));
}

export function copyElementLines(manager: EntityManager, lines: Iterable<string> | readonly Buffer[]): Promise<void> {
  return copyLines(manager, 'position_elements', ELEMENT_COLUMNS, lines);
}

/** Deletes a topic's versions that end on or after `from` ('-infinity': all), among those of `parties`. */
export async function deleteVersionsFrom(
  manager: EntityManager,
  topic: string,
  parties: readonly string[],
  from: string,
): Promise<void> {
  await manager.query('DELETE FROM position_elements WHERE party = ANY($1) AND topic = $2 AND valid_to >= $3::date', [
    parties,
    topic,
    from,
  ]);
}

/**
 * Renders the cards of stored events (evidence_card) whose ids or streams are given; those
 * already there are rendered again, unless `fresh` says none can be (a rebuild, whose table has
 * no key to check against until the end).
 */
export async function renderCards(
  manager: EntityManager,
  which: { readonly ids: readonly string[] } | { readonly topics: readonly string[] },
  fresh = false,
): Promise<void> {
  const [where, value] =
    'ids' in which ? ['id = ANY($1::uuid[])', which.ids] : ['stream = ANY($1::text[])', which.topics];
  if (value.length === 0) return;
  await manager.query(`${insertCards(where)} ${fresh ? '' : 'ON CONFLICT (ref) DO UPDATE SET card = EXCLUDED.card'}`, [
    value,
  ]);
}

/**
 * Stores the cards of corrected records (correctedEvidence); a reference written again (a
 * correction reported earlier than another) gets its new card, unless `fresh` (as in renderCards).
 */
export async function saveCorrectedCards(
  manager: EntityManager,
  cards: ReadonlyMap<EvidenceRef, Evidence>,
  fresh = false,
): Promise<void> {
  if (cards.size === 0) return;
  await manager.query(
    `INSERT INTO evidence_cards (ref, card) SELECT * FROM unnest($1::text[], $2::text[])
     ${fresh ? '' : 'ON CONFLICT (ref) DO UPDATE SET card = EXCLUDED.card'}`,
    [[...cards.keys()], [...cards.values()].map((card) => JSON.stringify(card))],
  );
}

/** The stored cards (JSON text) of these references. */
export async function readCards(
  db: Pick<EntityManager, 'query'>,
  refs: readonly EvidenceRef[],
): Promise<Map<EvidenceRef, string>> {
  if (refs.length === 0) return new Map();
  const rows: { ref: string; card: string }[] = await db.query(
    'SELECT ref, card FROM evidence_cards WHERE ref = ANY($1::text[])',
    [refs],
  );
  return new Map(rows.map((row) => [row.ref, row.card]));
}

export interface TopicStateRow {
  readonly topic: string;
  readonly version: number;
  readonly last: object | null;
  readonly parties: readonly string[];
}

export async function saveStates(manager: EntityManager, states: readonly TopicStateRow[]): Promise<void> {
  const empty = states.filter((s) => s.version === 0).map((s) => s.topic);
  if (empty.length) await manager.query('DELETE FROM topic_states WHERE topic = ANY($1)', [empty]);
  states = states.filter((s) => s.version > 0);
  if (states.length === 0) return;
  await manager.query(upsertStates(1), stateColumns(states));
}

export async function saveItems(
  manager: EntityManager,
  { items, renamed }: Pick<Increment, 'items' | 'renamed'>,
): Promise<void> {
  if (items.length) await manager.query(insertItems(1), itemColumns(items));
  if (renamed.length) await manager.query(renameItems(1), itemColumns(renamed));
}

/** topic_states rows as columns; each topic's parties as one comma-joined text (slugs have no commas): unnest cannot take ragged arrays. */
function stateColumns(states: readonly TopicStateRow[]): unknown[] {
  return [
    states.map((s) => s.topic),
    states.map((s) => s.version),
    states.map((s) => (s.last ? JSON.stringify(s.last) : null)),
    states.map((s) => s.parties.join(',')),
  ];
}

/** The parties a topic's stored projection covers (topic_states.parties). */
export async function partiesOf(db: Pick<EntityManager, 'query'>, topic: string): Promise<string[]> {
  const [row] = await db.query<{ parties: string[] }[]>('SELECT parties FROM topic_states WHERE topic = $1', [topic]);
  return row?.parties ?? [];
}
