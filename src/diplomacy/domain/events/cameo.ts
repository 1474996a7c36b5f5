import {
  type AboutARecord,
  type CameoCoding,
  type DiplomaticEvent,
  type EventType,
  isAboutARecord,
  type StatedStance,
} from './events.js';

/**
 * One table maps event types to CAMEO codes, Goldstein scores and PLOVER categories
 * (docs/architecture.md, "Events"), so the data interoperates with GDELT, ICEWS and PLOVER datasets.
 */
export const GOLDSTEIN_SCALE =
  'Goldstein (1992) conflict-cooperation scale, as mapped to CAMEO 1.1b3 in GDELT CAMEO.goldsteinscale.txt';

/** CAMEO event codes used here: code -> [name, Goldstein score]. Codes are strings: leading zeros matter. */
export const CAMEO_CODES: Readonly<Record<string, readonly [string, number]>> = {
  '010': ['Make statement, not specified below', 0.0],
  '012': ['Make pessimistic comment', -0.4],
  '013': ['Make optimistic comment', 0.4],
  '019': ['Express accord', 3.4],
  '020': ['Make an appeal or request, not specified below', 3.0],
  '030': ['Express intent to cooperate, not specified below', 4.0],
  '031': ['Express intent to engage in material cooperation', 5.2],
  '032': ['Express intent to provide diplomatic cooperation', 4.5],
  '035': ['Express intent to yield, not specified below', 5.0],
  '0355': ['Express intent to allow international involvement (non-mediation)', 5.0],
  '0356': ['Express intent to de-escalate military engagement', 5.0],
  '036': ['Express intent to meet or negotiate', 4.0],
  '051': ['Praise or endorse', 3.4],
  '057': ['Sign formal agreement', 8.0],
  '080': ['Yield, not specified below', 5.0],
  '083': ['Accede to requests or demands for political reform, not specified below', 5.0],
  '0832': ['Accede to demands for change in policy', 5.0],
  '086': ['Allow international involvement, not specified below', 9.0],
  '0862': ['Receive inspectors', 9.0],
  '087': ['De-escalate military engagement, not specified below', 9.0],
  '100': ['Demand, not specified below', -5.0],
  '104': ['Demand political reform, not specified below', -5.0],
  '1042': ['Demand policy change', -5.0],
  '105': ['Demand that target yields, not specified below', -5.0],
  '1056': ['Demand de-escalation of military engagement', -5.0],
  '106': ['Demand meeting, negotiation', -5.0],
  '111': ['Criticize or denounce', -2.0],
  '120': ['Reject, not specified below', -4.0],
  '125': ['Reject proposal to meet, discuss, or negotiate', -5.0],
  '127': ['Reject plan, agreement to settle dispute', -5.0],
  '130': ['Threaten, not specified below', -4.4],
  '138': ['Threaten with military force, not specified below', -7.0],
  '160': ['Reduce relations, not specified below', -4.0],
  '161': ['Reduce or break diplomatic relations', -4.0],
};

interface TypeCoding {
  /** A client may pick any code of the table that starts with one of these. */
  readonly families: readonly string[];
  readonly defaultCode: (context: CodingContext) => string;
  readonly plover: (code: string) => string | null;
}

export interface CodingContext {
  readonly stance?: StatedStance;
  readonly answersAnotherEvent: boolean;
  /** An agreement said to be signed (true), or an accord in words (false). */
  readonly signed?: boolean;
}

const fixed = (code: string) => () => code;
const always = (category: string | null) => () => category;
const ACTION_PLOVER: Readonly<Record<string, string>> = {
  '01': 'AGREE',
  '02': 'REQUEST',
  '03': 'AGREE',
  '04': 'CONSULT',
  '05': 'SUPPORT',
  '06': 'COOPERATE',
  '07': 'AID',
  '08': 'CONCEDE',
  '10': 'REQUEST',
  '11': 'ACCUSE',
  '12': 'REJECT',
  '13': 'THREATEN',
  '14': 'PROTEST',
  '15': 'MOBILIZE',
  '16': 'SANCTION',
  '17': 'COERCE',
  '18': 'ASSAULT',
  '19': 'ASSAULT',
  '20': 'ASSAULT',
};

export const CODING: Readonly<Record<Exclude<EventType, AboutARecord>, TypeCoding>> = {
  proposal: {
    families: ['02', '03'],
    defaultCode: fixed('030'),
    plover: (code) => (code === '036' ? 'CONSULT' : code.startsWith('02') ? 'REQUEST' : 'AGREE'),
  },
  rejection: { families: ['12'], defaultCode: fixed('120'), plover: always('REJECT') },
  concession: { families: ['08'], defaultCode: fixed('080'), plover: always('CONCEDE') },
  freeze_demand: { families: ['10'], defaultCode: fixed('105'), plover: always('REQUEST') },
  demand: { families: ['10'], defaultCode: fixed('100'), plover: always('REQUEST') },
  threat: { families: ['13'], defaultCode: fixed('130'), plover: always('THREATEN') },
  withdrawal: { families: ['08'], defaultCode: fixed('080'), plover: always('RETREAT') },
  agreement: {
    families: ['019', '057'],
    // Said: 057 "sign formal agreement" or 019 "express accord". Not said: a deal of its own is
    // taken as signed, the acceptance of an earlier proposal as an accord.
    defaultCode: (c) => ((c.signed ?? !c.answersAnotherEvent) ? '057' : '019'),
    plover: always('AGREE'),
  },
  endorsement: { families: ['05'], defaultCode: fixed('051'), plover: always('SUPPORT') },
  statement: {
    families: ['01', '05', '11'],
    // Support said of another party's event (a decision welcomed, a proposal praised) is 051
    // "praise or endorse"; opposition is 111 "criticize or denounce" whatever it answers.
    defaultCode: (c) =>
      c.stance === 'opposes' ? '111' : c.stance === 'supports' && c.answersAnotherEvent ? '051' : '010',
    // PLOVER has no category for a bare statement of stance; praise is SUPPORT, criticism ACCUSE
    // (the PLOVER import takes ACCUSE to a 111 statement: the round trip keeps it).
    plover: (code) => (code.startsWith('05') ? 'SUPPORT' : code.startsWith('11') ? 'ACCUSE' : null),
  },
  action: {
    families: ['06', '07', '08', '14', '15', '16', '17', '18', '19', '20'],
    defaultCode: fixed('160'),
    plover: (code) => ACTION_PLOVER[code.slice(0, 2)] ?? null,
  },
};

export class CameoCodeError extends Error {}

/** The coding of an event: the client's code if it belongs to the type's family, else the type's default. */
export function codingFor(type: EventType, requested: string | undefined, context: CodingContext) {
  if (isAboutARecord(type)) {
    if (requested) throw new CameoCodeError(`a ${type} is a record about a record and has no CAMEO code`);
    return null;
  }
  const coding = CODING[type];
  const code = requested ?? coding.defaultCode(context);
  const known = CAMEO_CODES[code];
  if (!known) {
    throw new CameoCodeError(
      `"${code}" is not a CAMEO code Stance knows; known codes for a ${type}: ${codesFor(type).join(', ')}`,
    );
  }
  if (!coding.families.some((family) => code.startsWith(family))) {
    throw new CameoCodeError(
      `CAMEO ${code} (${known[0]}) is not in the ${type} family; pick one of ${codesFor(type).join(', ')}`,
    );
  }
  return { code, name: known[0], goldstein: known[1], plover: coding.plover(code), scale: GOLDSTEIN_SCALE };
}

const shown = new Map<string, CameoCoding>();

/**
 * An event's coding as this table says it: the code is the event's (decide chose it, the log keeps
 * it), its name, Goldstein score and PLOVER category are the table's. The log keeps the coding it
 * was recorded with for good, so a category the table gained since (ACCUSE for 111 statements)
 * reaches the exports and GET /events only from here: every place that shows a coding reads it so.
 * A code the table no longer has keeps its stored coding.
 */
export function codingShown<E extends Pick<DiplomaticEvent, 'type' | 'cameo'>>(event: E): E {
  const stored = event.cameo;
  if (!stored || isAboutARecord(event.type)) return event;
  const key = `${event.type} ${stored.code}`;
  let coding = shown.get(key);
  if (!coding) {
    const known = CAMEO_CODES[stored.code];
    if (!known) return event;
    const plover = CODING[event.type].plover(stored.code);
    coding = Object.freeze({ code: stored.code, name: known[0], goldstein: known[1], plover, scale: GOLDSTEIN_SCALE });
    shown.set(key, coding);
  }
  return { ...event, cameo: coding };
}

export function codesFor(type: Exclude<EventType, AboutARecord>): string[] {
  // Sorted as strings: JavaScript lists number-like keys ("100") before the others ("080").
  return Object.keys(CAMEO_CODES)
    .filter((code) => CODING[type].families.some((family) => code.startsWith(family)))
    .sort();
}

/** The four quad classes of CAMEO root codes, numbered as GDELT's QuadClass (1 to 4). */
export const QUAD_CLASSES = [
  'verbal cooperation',
  'material cooperation',
  'verbal conflict',
  'material conflict',
] as const;
export type QuadClass = (typeof QUAD_CLASSES)[number];

/**
 * The quad class of a CAMEO code, by its root (the first two digits), grouped as GDELT and ICEWS
 * group them: 01-05 verbal cooperation (signing included), 06-08 material cooperation, 09-13
 * verbal conflict, 14-20 material conflict.
 */
export function quadClassOf(code: string): { readonly code: 1 | 2 | 3 | 4; readonly name: QuadClass } {
  const root = Number(code.slice(0, 2));
  const index = root <= 5 ? 0 : root <= 8 ? 1 : root <= 13 ? 2 : 3;
  return { code: (index + 1) as 1 | 2 | 3 | 4, name: QUAD_CLASSES[index] };
}

/** What this table is, for a citation: its sources and a digest of its content (any change to a code, score or category changes it). */
export const CODING_TABLE = {
  cameo: 'CAMEO 1.1b3 (event codes used by Stance)',
  plover: 'PLOVER event categories (2018 codebook)',
  goldstein: GOLDSTEIN_SCALE,
} as const;
