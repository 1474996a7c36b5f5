import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { EVENT_TYPES, type EventType } from '../domain/events/events.js';
import { checkPayload, PAYLOAD_FIELDS, payloadSchema } from '../domain/events/payloads.js';
import { EVENT_BODY_SCHEMAS, eventBodyName, RECORD_EVENT_BODY } from './record-event.schema.js';
import { addBodyFormats, checkRecordEventBody } from './record-event.validation.js';

/**
 * The API documents POST /events with one schema per event type (issue 17), made from the JSON
 * Schema ajv checks and the domain's payload rules. Here both sides judge the same bodies: what
 * the documented schemas accept is exactly what the validator and checkPayload accept.
 */
const ajv = new Ajv2020({ allErrors: true, strict: true });
addBodyFormats(ajv);
ajv.addKeyword('example');
ajv.addKeyword('discriminator'); // oneOf already picks the branch: each fixes `type`
ajv.addKeyword('components'); // where the OpenAPI document keeps its schemas
// Laid out as in the OpenAPI document, whose references these are.
ajv.addSchema({ $id: 'api', components: { schemas: { ...EVENT_BODY_SCHEMAS, RecordEventBody: RECORD_EVENT_BODY } } });
const documented = ajv.getSchema('api#/components/schemas/RecordEventBody')!;
const branch = (type: EventType) => ajv.getSchema(`api#/components/schemas/${eventBodyName(type)}`)!;

/** What the API accepts before the catalog and the topic are read: the validator, then the payload rules. */
const validates = (body: Record<string, unknown>) => {
  const checked = checkRecordEventBody(body);
  return checked.ok && checkPayload(checked.body.type, checked.body.payload).length === 0;
};

const body = (type: EventType, payload: unknown): Record<string, unknown> => ({
  topic: 'missile-defense-europe',
  type,
  actor: 'russia',
  targets: ['united-states'],
  occurred: '2007-06-07',
  source: {
    publisher: 'The Washington Post',
    title: 'Putin Offers to Join Missile Shield Effort',
    publishedAt: '2007-06-08',
  },
  summary: 'Putin says Russia opposes the US third site.',
  payload,
});

const RUNS = {
  numRuns: Number(process.env.PROPERTY_RUNS ?? 300),
  ...(process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED) } : {}),
};

/** Values near each rule's edges: good and bad slugs, texts at and past their limits, wrong types. */
const text = (length: number, unit = 'x') => unit.repeat(length);
const VALUES = [
  'us-third-site',
  'US Third Site',
  'a--b',
  '',
  '   ',
  '\u00a0\ufeff',
  ' x ',
  'supports',
  'hostile',
  text(200),
  text(201),
  text(500),
  text(501),
  text(2000),
  text(2001),
  text(1000, '😀'), // 2000 UTF-16 units: 1000 characters
  text(2001, '😀'),
  null,
  true,
  false,
  0,
  7.5,
  [],
  ['poland'],
  ['poland', 'poland'],
  ['poland', 'czech-republic'],
  ['Poland'],
  Array.from({ length: 21 }, (_, i) => `party-${i}`),
  {},
  { occurred: '2006-01-01/2007-06-06' },
  { summary: '' },
  { targets: ['poland', 'poland'] },
  { quote: 3 },
];
const FIELD_NAMES = [...new Set(Object.values(PAYLOAD_FIELDS).flatMap((fields) => Object.keys(fields))), 'unknown'];
/** Payloads of a type: its own fields, with values its rules accept about half the time, or anything. */
const payloadArb = (type: EventType) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record(
        Object.fromEntries(
          Object.entries(PAYLOAD_FIELDS[type]).map(([name, field]) => [
            name,
            fc.oneof(
              fc.constantFrom(...VALUES.filter((value) => value !== null && field.check(value) === undefined)),
              fc.constantFrom(...VALUES),
            ),
          ]),
        ),
        { requiredKeys: [] },
      ),
    },
    {
      weight: 2,
      arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.constantFrom(...VALUES), { maxKeys: 5 }),
    },
    { weight: 1, arbitrary: fc.constantFrom(null, 'text', [], 3) },
  );

describe('the documented body of each event type', () => {
  it('is the body schema with its type fixed and the payload its rules accept', () => {
    expect(RECORD_EVENT_BODY.oneOf).toHaveLength(EVENT_TYPES.length);
    for (const type of EVENT_TYPES) {
      const schema = EVENT_BODY_SCHEMAS[eventBodyName(type)];
      expect(schema.properties!.type).toEqual({ type: 'string', const: type });
      const payload = schema.properties!.payload as { properties: Record<string, unknown>; required: string[] };
      expect(Object.keys(payload.properties)).toEqual(Object.keys(PAYLOAD_FIELDS[type]));
      expect(payload.required).toEqual(payloadSchema(type).required);
    }
  });

  it.each(EVENT_TYPES)('accepts exactly the %s bodies the validator and the payload rules accept', (type) => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(payloadArb(type), (payload) => {
        const given = body(type, payload);
        const accepted = validates(given);
        expect(branch(type)(given)).toBe(accepted);
        expect(documented(given)).toBe(accepted);
        seen[accepted ? 'accepted' : 'refused']++;
      }),
      RUNS,
    );
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it('refuses a field of another type, as the payload rules do', () => {
    const given = body('rejection', { reason: 'no', item: 'us-third-site' });
    expect(validates(given)).toBe(false);
    expect(branch('rejection')(given)).toBe(false);
    expect(documented(given)).toBe(false);
    expect(documented(body('concession', { item: 'us-third-site', terms: 'freeze' }))).toBe(true);
  });

  it("checks a correction's changes as the validator does", () => {
    const changes = (value: unknown) => body('correction', { reason: 'misdated', changes: value });
    for (const value of [{ occurred: 'x' }, { targets: ['poland', 'poland'] }, { summary: '' }, { quote: 3 }]) {
      expect(validates(changes(value))).toBe(false);
      expect(documented(changes(value))).toBe(false);
    }
    expect(documented(changes({ occurred: '2006-01-01/2007-06-06', payload: { terms: 'other' } }))).toBe(true);
  });
});
