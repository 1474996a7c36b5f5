import fc from 'fast-check';
import { type AddressInfo, connect } from 'node:net';
import request from 'supertest';
import { EVENT_TYPES, type EventType } from '../src/diplomacy/domain/events/events.js';
import { DEFAULT_PAYLOADS } from '../src/diplomacy/domain/testing/fixtures.js';
import { SeedLoader } from '../src/diplomacy/seeds/seed-loader.js';
import { NOT_BLANK_PATTERN } from '../src/shared/text.js';
import { startTestApp, TEST_TOKEN, type TestApp } from './support/test-app.js';

/**
 * The API fuzzed from its own OpenAPI document (issue 16, "Hardening"): every operation of
 * `/docs-json` gets requests built from its parameters and body schema, with mostly valid values
 * (known slugs, event ids, dates, the payload of each event type) and a few mutations: NUL, lone
 * surrogates, huge, negative, fractional and 1e21 numbers, dates outside years 1-9999 and with
 * offsets, raw `%00` and broken percent escapes, long strings, deep nesting, wrong types, keys
 * every object inherits, repeated query parameters, bodies that are not objects, missing or wrong
 * tokens. Every answer must be below 500, and a refused request must leave every table as it was.
 *
 * PROPERTY_RUNS (default 1,500 cases, about 15-40 s) and PROPERTY_SEED (default fixed) replay or
 * widen a run; a failure prints each offending request (method, url, headers, body) with its
 * answer. FUZZ_DEBUG=1 (or a path prefix, FUZZ_DEBUG=/events) prints the first 200 cases sent.
 * Live streams (replay with Accept: text/event-stream) count by their status, then are closed.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1500);
const SEED = Number(process.env.PROPERTY_SEED ?? 16_2026);
/** No single request may hang the run: a handler that never answers is as much a defect as a 500. */
const REQUEST_TIMEOUT_MS = 10_000;

type Json = unknown;
interface Schema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly $ref?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly example?: unknown;
  readonly const?: unknown;
  /** POST /events: one body schema per event type; an optional payload field: its schema or null. */
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
}
interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema: Schema;
}
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body?: Schema;
  readonly secured: boolean;
}
interface OpenApi {
  readonly paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: unknown; security?: unknown[] }>
  >;
  readonly components: { schemas: Record<string, Schema> };
}

/** What the seeded database holds, so that valid values reach the handlers, not only the checks. */
interface Known {
  readonly parties: readonly string[];
  readonly topics: readonly string[];
  readonly items: readonly string[];
  readonly eventIds: readonly string[];
  /** The readable keys of the seed events. */
  readonly keys: readonly string[];
  readonly eventsByTopic: ReadonlyMap<string, readonly string[]>;
  readonly lastPosition: number;
}

/** One request as sent: the path and query already encoded, so a case can hold bytes no encoder writes. */
interface Case {
  readonly method: string;
  readonly path: string;
  readonly query: readonly (readonly [string, string])[];
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

// ---------------------------------------------------------------- hostile values

const LONG = 'x'.repeat(100_000);
const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\ud83d',
  '\ud83d\ude80',
  '%00',
  '%',
  '%zz',
  '\\',
  "'",
  '"',
  "'; DROP TABLE events; --",
  '%_\\',
  '../../etc/passwd',
  '..',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '1e21',
  '-1',
  '0.5',
  '9007199254740993',
  '99999999999999999999',
  '0x10',
  'true',
  '[]',
  '{}',
  '\u202e\ufeff',
  'ÿ',
  'x'.repeat(81),
  'x'.repeat(201),
  'x'.repeat(2001),
  'Ω'.repeat(5000),
  LONG,
  '------------------------------------',
  '00000000-0000-0000-0000-00000000000g',
  '0123456789abcdef0123456789abcdef0123',
];
const HOSTILE_DATES = [
  '0000-01-01',
  '0000-12-31',
  '10000-01-01',
  '9999-12-31',
  '0001-01-01',
  '-000001-01-01',
  '+002007-06-07',
  '9999-12-31T23:30:00-01:00',
  '0001-01-01T00:30:00+01:00',
  '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59.99999999999Z',
  '2007-02-29',
  '2008-02-29',
  '2007-13-01',
  '2007-00-10',
  '2007-06-31',
  '2007-06-07T24:00:00Z',
  '2007-06-07T23:59:60Z',
  '2007-06-07T12:00:00+14:00',
  '2007-06-07T12:00:00+99:99',
  '2007-06-07T12:00:00-2359',
  '2007-06-07T12:00Z',
  '2007-06-07 12:00:00Z',
  '2007',
  '2007-06',
  '0000',
  '0000-01',
  '2007-06-07/2007-06-01',
  '2007-06-07/',
  '/2007-06-07',
  '2007..2008',
  '2007/2008/2009',
  '0000/9999',
  '0001-01/9999-12',
  '2007-W23',
  '20070607',
  '2007-6-7',
  '２００７-06-07',
  '2007-06-07T12:00:00.123456789012345678901234567890Z',
];
const HOSTILE_NUMBERS = [-1, 0, 0.5, -0.5, 1e21, -1e21, 2 ** 31, 2 ** 53 + 2, 2 ** 63, 1e308, Number.MIN_VALUE];
const WRONG_TYPES: Json[] = [null, true, false, 0, [], {}, [''], [null], { '': '' }, ['a', 'a'], [[[]]]];
const PROTO_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const EXTRA_KEYS = [...PROTO_KEYS, '', 'a.b', '$where', 'x\u0000', '\ud800', 'id', 'version', 'position', 'recordedAt'];
/** Written into a URL as they are: what no encoder produces. */
const RAW_URL_TOKENS = ['%00', '%', '%zz', '%C0%80', '%ED%A0%80', '%FF', '%2F', '%2e%2e', '..', '%u0000', '%E2%80%AE'];

const nested = (depth: number, leaf: Json = 'bottom', array = false): Json => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = array ? [value] : { x: value };
  return value;
};

const dateArb = fc.oneof(
  fc.constantFrom(...HOSTILE_DATES),
  fc
    .record({
      year: fc.integer({ min: -20_000, max: 20_000 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      offset: fc.constantFrom('', 'Z', '+01:00', '-01:00', '+14:00', '-23:59', '+24:00'),
    })
    .map(({ year, month, day, offset }) => {
      const y = year < 0 ? `-${String(-year).padStart(6, '0')}` : String(year).padStart(4, '0');
      const md = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      return offset ? `${y}-${md}T23:30:00${offset}` : `${y}-${md}`;
    }),
);

/** A string one edit away from a valid one: the near misses that slip past loose checks ("-" for a digit of a UUID). */
const NEAR_MISS_CHARS = [...'--::T_ .%/\u0000\ud800ZgA9'];
function nearMiss(valid: string, seed: number): string {
  const i = valid.length ? seed % valid.length : 0;
  const char = NEAR_MISS_CHARS[Math.floor(seed / 7) % NEAR_MISS_CHARS.length];
  switch (Math.floor(seed / 3) % 4) {
    case 0:
      return valid.slice(0, i) + char + valid.slice(i);
    case 1:
      return valid.slice(0, i) + char + valid.slice(i + 1);
    case 2:
      // Two neighbours swapped: the same characters, the same length, not the same shape.
      return i + 1 < valid.length
        ? valid.slice(0, i) + valid[i + 1] + valid[i] + valid.slice(i + 2)
        : valid.slice(0, i);
    default:
      return valid.slice(0, i) + valid.slice(i + 1);
  }
}

/** Numbers as a query string carries them: what Number() makes of them is where the trouble is. */
const NUMBER_TEXT = [
  '1e21',
  '-1',
  '0.5',
  '99999999999999999999',
  '9223372036854775808',
  '9007199254740993',
  'NaN',
  'Infinity',
  '0x10',
  ' 1',
  '',
  '1e308',
  '-0',
];

const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 3, arbitrary: dateArb },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(31, 32, 33, 200).chain((d) => fc.constantFrom(nested(d), nested(d, 1, true))),
  },
);

// ---------------------------------------------------------------- valid values, from the schema

function validFor(name: string, schema: Schema, known: Known, doc: OpenApi, op: Operation): fc.Arbitrary<Json> {
  const byName = schema.$ref || schema.type === 'object' ? undefined : knownValue(name, schema, known, op);
  if (byName) return byName;
  if (schema.$ref) return validFor(name, doc.components.schemas[schema.$ref.split('/').pop()!], known, doc, op);
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) return fc.oneof(...branches.map((branch) => validFor(name, branch, known, doc, op)));
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const arbs = Object.fromEntries(
        Object.entries(properties).map(([key, sub]) => [key, validFor(key, sub, known, doc, op)]),
      );
      return fc.record(arbs, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
    }
    case 'array':
      return fc.array(validFor(name.replace(/s$/, ''), schema.items ?? {}, known, doc, op), {
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      // A slug for a slug's pattern; a text that need only not be blank keeps its example (a known speaker's name).
      if (schema.pattern && schema.pattern !== NOT_BLANK_PATTERN) return freshSlug;
      if (typeof schema.example === 'string') return fc.constantFrom(schema.example, `${schema.example} (fuzzed)`);
      return fc.string({
        minLength: Math.max(1, schema.minLength ?? 1),
        maxLength: Math.min(schema.maxLength ?? 40, 40),
      });
    default:
      return fc.constant({});
  }
}

const freshSlug = fc.stringMatching(/^[a-z]{3,8}(-[a-z0-9]{1,5})?$/).map((s) => `fz-${s}`);
const validDay = fc
  .record({
    y: fc.integer({ min: 2006, max: 2009 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const validInstant = fc.oneof(
  validDay,
  validDay.map((d) => `${d}T12:00:00Z`),
  validDay.map((d) => `${d}T08:30:00+02:00`),
);

/** Values by the name of the field, as a client who read the docs and the data would send them. */
function knownValue(name: string, schema: Schema, known: Known, op: Operation): fc.Arbitrary<Json> | undefined {
  const parties = fc.constantFrom(...known.parties);
  switch (name) {
    case 'party':
    case 'actor':
    case 'target':
      return parties;
    case 'topic':
      return fc.constantFrom(...known.topics);
    case 'slug':
      // Mostly new slugs (201); now and then one taken (409).
      return fc.oneof(
        { weight: 4, arbitrary: freshSlug },
        { weight: 1, arbitrary: fc.constantFrom(...known.parties, ...known.topics, ...known.items) },
      );
    case 'item':
    case 'itemParent':
      return fc.constantFrom(...known.items);
    case 'refersTo':
      return fc.constantFrom(...known.eventIds);
    case 'id':
      return op.method === 'GET' ? fc.constantFrom(...known.eventIds) : fc.uuid({ version: 4 });
    case 'key':
      // A key to read (most seed events are on one topic), or a fresh one to record.
      return op.method === 'GET' ? fc.constantFrom(...known.keys) : freshSlug;
    case 'occurred':
      return fc.oneof(
        validDay,
        validDay.map((d) => d.slice(0, 7)),
        validDay.map((d) => `${d}/${d.slice(0, 8)}28`),
      );
    case 'reportedAt':
    case 'publishedAt':
    case 'at':
    case 'knownAt':
    case 'from':
    case 'to':
      return schema.type === 'string' || schema.type === undefined ? validInstant : undefined;
    case 'url':
      return fc.constantFrom('https://example.com/article', 'http://news.example.org/a?b=c');
    case 'cameo':
      return fc.constantFrom('010', '0311', '1056', '111', '12', '1234');
    case 'expectedVersion':
      return fc.nat({ max: 100 });
    case 'after':
      return fc.nat({ max: known.lastPosition });
    case 'q':
      return fc.constantFrom('missile', 'radar', 'Putin', 'shield', '%', '_');
    case 'aliases':
      return fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 3 });
    default:
      return undefined;
  }
}

const ANSWERS: readonly string[] = ['rejection', 'withdrawal', 'agreement', 'concession', 'correction', 'retraction'];

/**
 * POST /events: the schema leaves the payload to the type and the rules to the domain. Fitted to
 * them (the payload of the type, an earlier event of the same topic to answer, no stale
 * expectedVersion most of the time), a good share of the events is recorded, and the mutations
 * reach decide and the append rather than stopping at the schema.
 */
function decidable(body: Json, choice: number, known: Known): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const event = { ...(body as Record<string, unknown>) };
  const type = event.type as EventType;
  if (!EVENT_TYPES.includes(type)) return body;
  event.payload = {
    ...(type === 'correction'
      ? { reason: 'a better report', changes: { summary: 'Corrected.' } }
      : DEFAULT_PAYLOADS[type]),
  };
  const answerable = known.eventsByTopic.get(String(event.topic)) ?? [];
  if (ANSWERS.includes(type) && answerable.length) event.refersTo = answerable[choice % answerable.length];
  else delete event.refersTo;
  if (Array.isArray(event.targets)) event.targets = event.targets.filter((target) => target !== event.actor);
  if (choice % 4 !== 0) delete event.cameo;
  if (choice % 5 !== 0) delete event.expectedVersion;
  if (choice % 3 !== 0 && event.source && typeof event.source === 'object') {
    delete event.reportedAt;
    event.source = { ...event.source, publishedAt: '2010-01-15' };
  }
  return event;
}

// ---------------------------------------------------------------- mutations

type PathKey = string | number;
type BodyHow = 'replace' | 'delete' | 'extra-key' | 'wrap' | 'near-miss' | 'duplicate';
type Mutation =
  | {
      readonly kind: 'body-node';
      readonly at: number;
      readonly how: BodyHow;
      readonly value: Json;
      readonly key: string;
    }
  | { readonly kind: 'body-raw'; readonly raw: string | undefined; readonly contentType?: string }
  | { readonly kind: 'path'; readonly at: number; readonly value: UrlValue }
  | {
      readonly kind: 'query';
      readonly at: number;
      readonly how: 'replace' | 'repeat' | 'extra';
      readonly key: string;
      readonly value: UrlValue;
    }
  | { readonly kind: 'header'; readonly name: string; readonly value: string | undefined };

const textValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 3, arbitrary: dateArb },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS).map(String) },
);

/**
 * The candidates of a parameter's bad value, one picked by what the parameter is (numbers for a
 * number, dates for a date, a near miss of the value it had) or any of them (`pick`).
 */
interface UrlValue {
  readonly pick: number;
  readonly text: string;
  readonly number: string;
  readonly date: string;
  readonly raw: string;
  readonly near: number;
}
const urlValue: fc.Arbitrary<UrlValue> = fc.record({
  pick: fc.nat({ max: 6 }),
  text: textValue,
  number: fc.constantFrom(...NUMBER_TEXT),
  date: dateArb,
  raw: fc.constantFrom(...RAW_URL_TOKENS),
  near: fc.nat(),
});
const DATE_NAMES = new Set(['at', 'knownAt', 'from', 'to']);

/** The bad value of a parameter, as it goes into the URL (encoded, unless a raw token). */
function badUrlValue(v: UrlValue, parameter: Parameter | undefined, current: string | undefined): string {
  const type = parameter?.schema.type;
  switch (v.pick) {
    case 0:
    case 1:
      if (type === 'number' || type === 'integer') return encode(v.number);
      if (parameter && DATE_NAMES.has(parameter.name)) return encode(v.date);
      return encode(v.text);
    case 2:
    case 3:
      return current !== undefined ? encode(nearMiss(current, v.near)) : encode(v.text);
    case 4:
      return v.raw;
    default:
      return encode([v.text, v.number, v.date][v.near % 3]);
  }
}

const bodyRaw = fc.oneof(
  fc.constantFrom<{ raw: string | undefined; contentType?: string }>(
    { raw: undefined },
    { raw: '' },
    { raw: 'null' },
    { raw: '[]' },
    { raw: '"a string"' },
    { raw: '1e21' },
    { raw: '{' },
    { raw: '{"topic":' },
    { raw: '{"__proto__":{"admin":true}}' },
    { raw: '{"constructor":{"prototype":{"x":1}}}' },
    { raw: '{"a":1,"a":2}' },
    { raw: '{"x":"\\u0000"}' },
    { raw: '{"x":"\\ud800"}' },
    { raw: '{"x":' + '['.repeat(5000) + ']'.repeat(5000) + '}' },
    { raw: '{"x":"' + 'y'.repeat(1_100_000) + '"}' },
    { raw: 'topic=x&type=statement', contentType: 'application/x-www-form-urlencoded' },
    { raw: '{"topic":"x"}', contentType: 'text/plain' },
    { raw: '{"topic":"x"}', contentType: 'application/json; charset=latin1' },
    { raw: '{"topic":"x"}', contentType: 'application/xml' },
    {
      raw: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--b--',
      contentType: 'multipart/form-data; boundary=b',
    },
  ),
);

/**
 * The mutations that can change an operation's request: a GET has no body schema to break (a raw
 * body is still tried), an operation without path parameters no path. Weights of what it has.
 */
function mutationFor(op: Operation): fc.Arbitrary<Mutation> {
  const hasPath = op.parameters.some((p) => p.in === 'path');
  return fc.oneof(...MUTATIONS.filter(({ kind }) => (kind !== 'body-node' || op.body) && (kind !== 'path' || hasPath)));
}

const MUTATIONS: { kind: Mutation['kind']; weight: number; arbitrary: fc.Arbitrary<Mutation> }[] = [
  {
    kind: 'body-node',
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('body-node' as const),
      at: fc.nat(),
      how: fc.constantFrom<BodyHow>(
        'replace',
        'replace',
        'delete',
        'extra-key',
        'wrap',
        'near-miss',
        'near-miss',
        'duplicate',
      ),
      value: hostileValue,
      key: fc.constantFrom(...EXTRA_KEYS),
    }),
  },
  { kind: 'body-raw', weight: 2, arbitrary: bodyRaw.map((r) => ({ kind: 'body-raw' as const, ...r })) },
  {
    kind: 'path',
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('path' as const), at: fc.nat(), value: urlValue }),
  },
  {
    kind: 'query',
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('query' as const),
      at: fc.nat(),
      how: fc.constantFrom<'replace' | 'repeat' | 'extra'>('replace', 'replace', 'repeat', 'extra'),
      key: fc.constantFrom(...PROTO_KEYS, 'x', 'at[]', 'topic[0]', 'knownAt[x]', ''),
      value: urlValue,
    }),
  },
  {
    kind: 'header',
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom<{ name: string; value: string | undefined }>(
          { name: 'authorization', value: undefined },
          { name: 'authorization', value: 'Bearer wrong-token-0123456789abcdef' },
          { name: 'authorization', value: `Bearer ${TEST_TOKEN} ${TEST_TOKEN}` },
          { name: 'authorization', value: `Basic ${TEST_TOKEN}` },
          { name: 'accept', value: 'text/event-stream' },
          { name: 'accept', value: 'application/xml' },
          { name: 'x-correlation-id', value: 'ÿ'.repeat(200) },
          { name: 'x-correlation-id', value: 'x'.repeat(8000) },
          { name: 'x-correlation-id', value: '%00\\"\'' },
        ),
      )
      .map((h) => ({ kind: 'header' as const, ...h })),
  },
];

/** Every node of a JSON value, by its path (the root too). */
function nodes(value: Json, path: PathKey[] = []): PathKey[][] {
  const here = [path];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => nodes(v, [...path, i])));
  if (value && typeof value === 'object')
    return here.concat(...Object.entries(value).map(([k, v]) => nodes(v, [...path, k])));
  return here;
}

/** An own property, whatever its name: `obj.__proto__ = v` would set the prototype, not a key. */
function setOwn(target: Record<PathKey, Json>, key: PathKey, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function applyBodyNode(body: Json, m: Extract<Mutation, { kind: 'body-node' }>): Json {
  const all = nodes(body);
  const path = all[m.at % all.length];
  const parentPath = path.slice(0, -1);
  const parent = parentPath.reduce<Json>((v, k) => (v as Record<PathKey, Json>)[k], body) as Record<PathKey, Json>;
  const key = path.at(-1);
  const current = key === undefined ? body : parent[key];
  const replace = (value: Json): Json => {
    if (key === undefined) return value;
    setOwn(parent, key, value);
    return body;
  };
  switch (m.how) {
    case 'replace':
      return replace(m.value);
    case 'delete':
      if (key === undefined) return undefined;
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return body;
    case 'extra-key':
      if (current && typeof current === 'object' && !Array.isArray(current)) {
        setOwn(current as Record<PathKey, Json>, m.key, m.value);
        return body;
      }
      return replace({ [m.key]: m.value });
    case 'wrap':
      return replace(Array.isArray(current) ? { x: current } : [current]);
    case 'near-miss':
      return typeof current === 'string' ? replace(nearMiss(current, m.at)) : replace(m.value);
    case 'duplicate':
      // The same entry twice: unique keys and "the same party twice" rules.
      if (Array.isArray(current) && current.length) current.push(JSON.parse(JSON.stringify(current[0])));
      else if (Array.isArray(parent)) parent.push(JSON.parse(JSON.stringify(current)));
      else return replace(m.value);
      return body;
  }
}

/** encodeURIComponent, except that a lone surrogate goes out as the bytes it would be in CESU-8 (no encoder writes it). */
function encode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff)
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    else out += encodeURIComponent(char);
  }
  return out;
}

// ---------------------------------------------------------------- cases of an operation

function casesOf(op: Operation, known: Known, doc: OpenApi): fc.Arbitrary<Case> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const pathArb = fc.tuple(...pathParams.map((p) => validFor(p.name, p.schema, known, doc, op)));
  const queryArb = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(validFor(p.name, p.schema, known, doc, op), { nil: undefined, freq: p.required ? 20 : 2 }),
    ),
  );
  let bodyArb: fc.Arbitrary<Json> = op.body ? validFor('body', op.body, known, doc, op) : fc.constant(undefined);
  if (op.path === '/events' && op.method === 'POST')
    bodyArb = fc.tuple(bodyArb, fc.nat()).map(([body, choice]) => decidable(body, choice, known));
  return fc
    .record({
      path: pathArb,
      query: queryArb,
      body: bodyArb,
      mutations: fc.array(mutationFor(op), { minLength: 1, maxLength: 3 }),
      // A quarter of the cases are sent as built, so the valid path is exercised too.
      pristine: fc.nat({ max: 3 }),
    })
    .map(({ path, query, body, mutations, pristine }) => {
      const applied = pristine === 0 ? [] : mutations;
      const segments = pathParams.map((p, i) => ({
        name: p.name,
        value: String(path[i]),
        encoded: encode(String(path[i])),
      }));
      // Each pair keeps its name and value as generated, for a near miss of it.
      const pairs: [string, string, string | undefined][] = [];
      queryParams.forEach((p, i) => {
        // Query values are strings, numbers or enum members: never objects.
        const value = query[i] as string | number | undefined;
        if (value !== undefined) pairs.push([p.name, encode(String(value)), String(value)]);
      });
      let json: Json = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
      let raw: { raw: string | undefined; contentType?: string } | undefined;
      const headers: Record<string, string | undefined> = {
        authorization: op.secured ? `Bearer ${TEST_TOKEN}` : undefined,
      };
      for (const m of applied) {
        switch (m.kind) {
          case 'body-node':
            if (op.body) json = applyBodyNode(json, m);
            break;
          case 'body-raw':
            if (op.body || m.raw !== undefined) raw = m;
            break;
          case 'path':
            if (segments.length) {
              const segment = segments[m.at % segments.length];
              const parameter = pathParams.find((p) => p.name === segment.name);
              segment.encoded = badUrlValue(m.value, parameter, segment.value);
            }
            break;
          case 'query': {
            const parameterOf = (name: string) => queryParams.find((p) => p.name === name);
            if (m.how === 'extra' || pairs.length === 0) {
              // A name of the operation's own, or one no operation has.
              const names = [...queryParams.map((p) => p.name), m.key];
              const name = names[m.at % names.length];
              pairs.push([encode(name), badUrlValue(m.value, parameterOf(name), undefined), undefined]);
            } else {
              const pair = pairs[m.at % pairs.length];
              const bad = badUrlValue(m.value, parameterOf(pair[0]), pair[2]);
              if (m.how === 'repeat') pairs.push([pair[0], bad, undefined]);
              else pair[1] = bad;
            }
            break;
          }
          case 'header':
            headers[m.name] = m.value;
        }
      }
      const bodyText = raw ? raw.raw : json === undefined ? undefined : JSON.stringify(json);
      const contentType = raw?.contentType ?? (bodyText !== undefined ? 'application/json' : undefined);
      const filled = op.path.replace(/\{(\w+)\}/g, (_, name: string) => segments.find((s) => s.name === name)!.encoded);
      const sent: Record<string, string> = {};
      for (const [name, value] of Object.entries({ ...headers, 'content-type': contentType }))
        if (value !== undefined) sent[name] = value;
      return {
        method: op.method,
        path: filled,
        query: pairs.map(([k, v]) => [k, v] as const),
        headers: sent,
        body: bodyText,
      };
    });
}

// ---------------------------------------------------------------- sending and checking

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}
interface Failed {
  readonly failed: string;
}

const urlOf = (c: Case) => c.path + (c.query.length ? '?' + c.query.map(([k, v]) => `${k}=${v}`).join('&') : '');

/**
 * Real HTTP, written on a socket of its own: the bytes of the case go out as they are (Node's
 * client refuses some URLs and supertest re-encodes them) and one request's answer cannot spill
 * into the next. A live stream (text/event-stream) is answered by its status and headers, then closed.
 */
function send(port: number, c: Case): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = c.body === undefined ? undefined : Buffer.from(c.body);
    const head = [
      `${c.method} ${urlOf(c)} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Connection: close',
      ...Object.entries(c.headers).map(([name, value]) => `${name}: ${value}`),
      ...(body ? [`Content-Length: ${body.length}`] : []),
    ];
    const socket = connect(port, '127.0.0.1', () => {
      // Written, not ended: a server that sees the client's end of the stream may close before answering.
      socket.write(Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), body ?? Buffer.alloc(0)]));
    });
    const chunks: Buffer[] = [];
    let settled = false;
    const answer = (): Answer | undefined => {
      const received = Buffer.concat(chunks).toString();
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      const contentType = /\r\ncontent-type: *([^\r]*)/i.exec(received.slice(0, end))?.[1] ?? '';
      return { status, contentType, text: received.slice(end + 4) };
    };
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const sofar = answer();
      if (sofar?.contentType.includes('text/event-stream')) {
        settled = true;
        socket.destroy();
        resolve({ ...sofar, text: '(a live stream, closed once it began)' });
      }
    });
    socket.on('error', (error) => {
      if (!settled) reject(error);
    });
    socket.on('close', () => {
      if (settled) return;
      settled = true;
      const whole = answer();
      if (whole) resolve(whole);
      else
        reject(
          new Error(`the connection closed without an answer: ${JSON.stringify(Buffer.concat(chunks).toString())}`),
        );
    });
  });
}

const TABLES = [
  'events',
  'parties',
  'speakers',
  'speaker_roles',
  'topics',
  'items',
  'position_elements',
  'evidence_cards',
  'topic_states',
];

/**
 * What a request could write: the log, the catalog and the projection. Counts, and a digest of the
 * catalog tables' rows, since a save() that finds a row updates it without adding one.
 */
async function tableState(t: TestApp): Promise<string> {
  const counts = TABLES.map((table) => `SELECT '${table}' AS t, count(*)::text AS n FROM ${table}`);
  const digests = ['parties', 'speakers', 'speaker_roles', 'topics', 'items'].map(
    (table) => `SELECT '${table} digest', coalesce(md5(string_agg(r::text, ',' ORDER BY r::text)), '') FROM ${table} r`,
  );
  const rows = await t.dataSource.query<{ t: string; n: string }[]>([...counts, ...digests].join(' UNION ALL '));
  return rows.map((r) => `${r.t.replace(' ', '-')}=${r.n}`).join(' ');
}

/** The tables whose rows differ, "events=79 -> 80". */
function changed(before: string, after: string): string {
  const was = new Map(before.split(' ').map((entry) => entry.split('=') as [string, string]));
  return after
    .split(' ')
    .map((entry) => entry.split('='))
    .filter(([table, now]) => was.get(table) !== now)
    .map(([table, now]) => `${table}=${was.get(table)} -> ${now}`)
    .join(', ');
}

const clip = (text: string | undefined, max = 600) =>
  text === undefined ? '(none)' : text.length > max ? `${text.slice(0, max)}... (${text.length} characters)` : text;

function request_(c: Case, answer: Answer | Failed): string {
  const { authorization: _token, ...headers } = c.headers;
  const shown = 'failed' in answer ? answer.failed : `${answer.status} ${clip(answer.text)}`;
  return [
    `${c.method} ${clip(urlOf(c), 400)}`,
    `  headers: ${JSON.stringify({ ...headers, ...(c.headers.authorization ? { authorization: c.headers.authorization === `Bearer ${TEST_TOKEN}` ? 'Bearer <the token>' : c.headers.authorization } : {}) })}`,
    `  body: ${clip(c.body)}`,
    `  answer: ${shown}`,
  ].join('\n');
}

async function operationsOf(t: TestApp): Promise<{ doc: OpenApi; operations: Operation[] }> {
  const doc = (await request(t.http).get('/docs-json').expect(200)).body as OpenApi;
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, spec] of Object.entries(methods)) {
      const content = (spec.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: spec.parameters ?? [],
        body: content?.['application/json']?.schema,
        secured: (spec.security ?? []).length > 0 || method !== 'get',
      });
    }
  return { doc, operations };
}

async function knownData(t: TestApp): Promise<Known> {
  const parties = (await request(t.http).get('/parties').expect(200)).body.map((p: { slug: string }) => p.slug);
  const topics = (await request(t.http).get('/topics').expect(200)).body.map((p: { slug: string }) => p.slug);
  const items: string[] = [];
  for (const topic of topics)
    items.push(
      ...(await request(t.http).get(`/topics/${topic}`).expect(200)).body.items.map((i: { slug: string }) => i.slug),
    );
  const log = (await request(t.http).get('/log?limit=1000').expect(200)).body;
  const eventsByTopic = new Map<string, string[]>();
  for (const event of log.events as { id: string; stream: string }[])
    eventsByTopic.set(event.stream, [...(eventsByTopic.get(event.stream) ?? []), event.id]);
  return {
    eventsByTopic,
    parties,
    topics,
    items,
    eventIds: log.events.map((e: { id: string }) => e.id),
    keys: (log.events as { data: { key?: string } }[]).flatMap((e) => (e.data.key ? [e.data.key] : [])),
    lastPosition: log.next,
  };
}

describe('the API under fuzzing, from its OpenAPI document', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    const seeded = await t.app.get(SeedLoader).load();
    expect(seeded.recorded).toBeGreaterThan(60);
    // Listening once (closed by app.close): the fuzz sends its raw bytes itself.
    await t.app.listen(0, '127.0.0.1');
    port = (t.http.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.close();
  });

  it(`answers every request below 500 and writes nothing for a refused one (${RUNS} cases, seed ${SEED})`, async () => {
    const { doc, operations } = await operationsOf(t);
    expect(operations.length).toBeGreaterThan(15);
    const known = await knownData(t);

    // Operations with a body get twice the cases: they have the most to get wrong.
    const weights = operations.map((op) => (op.body ? 2 : 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const perOperation = operations.map((op, i) =>
      fc.sample(casesOf(op, known, doc), { numRuns: Math.ceil((RUNS * weights[i]) / total), seed: SEED + i }),
    );
    // Round robin, so writes and reads interleave and later reads see what earlier writes added.
    const cases: Case[] = [];
    for (let round = 0; perOperation.some((list) => round < list.length); round++)
      for (const list of perOperation) if (round < list.length) cases.push(list[round]);

    const failures: string[] = [];
    const debug: string[] = [];
    const statuses = new Map<string, Map<number, number>>();
    let state = await tableState(t);
    const started = Date.now();
    for (const c of cases) {
      // Node's errors come from another realm than Jest's test context: no `instanceof Error` here.
      const answer: Answer | Failed = await send(port, c).catch((error: { message?: string }) => ({
        failed: error?.message ?? JSON.stringify(error),
      }));
      const after = await tableState(t);
      if ('failed' in answer || answer.status >= 500) failures.push(`no answer below 500:\n${request_(c, answer)}`);
      else if (answer.status >= 400 && after !== state)
        failures.push(`refused, yet wrote rows (${changed(state, after)}):\n${request_(c, answer)}`);
      state = after;
      if (
        process.env.FUZZ_DEBUG &&
        (!process.env.FUZZ_DEBUG.startsWith('/') || c.path.startsWith(process.env.FUZZ_DEBUG))
      )
        debug.push(request_(c, answer));
      const operation = operations.find(
        (op) => op.method === c.method && new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]*')}$`).test(c.path),
      );
      const key = operation ? `${operation.method} ${operation.path}` : `${c.method} ${c.path}`;
      const byStatus = statuses.get(key) ?? new Map<number, number>();
      const status = 'failed' in answer ? 0 : answer.status;
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      statuses.set(key, byStatus);
    }
    const seconds = (Date.now() - started) / 1000;
    if (process.env.FUZZ_DEBUG) for (const line of debug.slice(0, 200)) console.log(line);
    console.log(
      `fuzz: ${cases.length} cases in ${seconds.toFixed(1)} s (seed ${SEED})\n` +
        [...statuses]
          .map(
            ([key, s]) =>
              `  ${key}: ${[...s]
                .sort(([a], [b]) => a - b)
                .map(([st, n]) => `${st}x${n}`)
                .join(' ')}`,
          )
          .join('\n'),
    );
    expect(cases.length).toBeGreaterThanOrEqual(Math.min(RUNS, 1000));
    // A fuzz that only ever hears 400 tests the checks, not the handlers behind them: with enough
    // cases, every operation answered (2xx), and every one with a body or a path parameter to get
    // wrong also refused (4xx). (GET /speakers?party= takes any text but NUL, which is rarely drawn.)
    if (RUNS >= 1000)
      for (const op of operations) {
        const seen = [...(statuses.get(`${op.method} ${op.path}`)?.keys() ?? [])];
        const checked = op.body !== undefined || op.parameters.some((p) => p.in === 'path');
        expect({
          op: `${op.method} ${op.path}`,
          answered: seen.some((s) => s < 300),
          refused: seen.some((s) => s >= 400) || !checked,
        }).toEqual({ op: `${op.method} ${op.path}`, answered: true, refused: true });
      }
    expect(
      failures.slice(0, 20).join('\n\n') + (failures.length > 20 ? `\n\n... and ${failures.length - 20} more` : ''),
    ).toBe('');
  }, 240_000);
});
