import type { SchemaObject } from '@nestjs/swagger';
import { SLUG_PATTERN } from '../../shared/slugs.js';
import { NOT_BLANK_PATTERN } from '../../shared/text.js';
import { EVENT_TYPES, type EventType } from '../domain/events/events.js';
import { payloadSchema } from '../domain/events/payloads.js';

/**
 * The JSON Schema of a POST /events body (and of each line of a bulk import). ajv checks it
 * (record-event.validation.ts); the domain then checks dates, known slugs and the payload of each
 * type (checkPayload). The OpenAPI document shows one schema per type (eventBodySchema): this
 * schema with `type` fixed and the payload the domain's rules accept, made from both owners.
 */

export { SLUG_PATTERN };
export const CAMEO_PATTERN = '^\\d{2,4}$';
/** An event's readable key: slug words, with dots between parts ("wp-2007-06-08.us-third-site-plan"). */
export const EVENT_KEY_PATTERN = '^[a-z0-9]+([-.][a-z0-9]+)*$';
export const EVENT_KEY_MAX = 120;

const slug = (example: string): SchemaObject => ({ type: 'string', pattern: SLUG_PATTERN, example });
/** A text field: within its lengths, and never only white space (a blank summary or publisher says nothing). */
const text = (minLength: number, maxLength: number, more: SchemaObject = {}): SchemaObject => ({
  type: 'string',
  minLength,
  maxLength,
  ...(minLength > 0 ? { pattern: NOT_BLANK_PATTERN } : {}),
  ...more,
});

const SPEAKER: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: text(1, 200, { example: 'Sergei Lavrov' }),
    role: text(0, 200, { example: 'Foreign Minister of Russia' }),
  },
};

const SOURCE: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['publisher', 'title', 'publishedAt'],
  properties: {
    publisher: text(1, 200, { example: 'The Washington Post' }),
    title: text(1, 500, { example: 'Putin Offers to Join Missile Shield Effort' }),
    author: text(1, 200, { example: 'Michael A. Fletcher' }),
    // 2083 characters: the longest URL class-validator's isURL took.
    url: { type: 'string', format: 'url', maxLength: 2083, description: 'http, https or ftp, with the protocol' },
    publishedAt: { type: 'string', example: '2007-06-08', description: 'ISO 8601 date or timestamp' },
  },
};

const TARGETS: SchemaObject = {
  type: 'array',
  maxItems: 50,
  items: { type: 'string', pattern: SLUG_PATTERN },
  example: ['united-states'],
};
const OCCURRED_DATE = text(4, 45, {
  example: '2007-10-12/2007-10-13',
  description: 'A day, a month (YYYY-MM), a year, or an interval from/to',
});
/** The date alone, or with the reasoning behind it (`basis`), kept beside it in the event. */
const OCCURRED: SchemaObject = {
  oneOf: [
    OCCURRED_DATE,
    {
      type: 'object',
      additionalProperties: false,
      required: ['date'],
      properties: {
        date: OCCURRED_DATE,
        basis: text(1, 1000, {
          example: "'Oct. 12-13' in the article's first sentence",
          description: "Why these days: the source's words or cross-references, or the public record that fixes them",
        }),
      },
    },
  ],
};
const QUOTE = text(1, 2000, { description: 'Short verbatim quote' });
const SUMMARY = text(1, 1000, { description: 'One neutral sentence' });

/** What a correction may change, each field by the schema of the field it changes (the domain checks the rest). */
const CORRECTION_CHANGE_FIELDS: Readonly<Record<string, SchemaObject>> = {
  occurred: OCCURRED,
  speaker: SPEAKER,
  targets: { ...TARGETS, uniqueItems: true },
  quote: QUOTE,
  summary: SUMMARY,
};

// `if`/`then` are JSON Schema (ajv reads them); the OpenAPI typings of @nestjs/swagger do not list them.
const CORRECTION_CHANGES = {
  if: { required: ['type'], properties: { type: { const: 'correction' } } },
  then: {
    properties: {
      payload: { type: 'object', properties: { changes: { type: 'object', properties: CORRECTION_CHANGE_FIELDS } } },
    },
  },
} as SchemaObject;

export const RECORD_EVENT_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['topic', 'type', 'actor', 'occurred', 'source', 'summary', 'payload'],
  allOf: [CORRECTION_CHANGES],
  properties: {
    id: {
      type: 'string',
      format: 'uuid',
      description: 'Client-chosen UUID: retrying with the same id and payload is safe',
    },
    topic: slug('missile-defense-europe'),
    type: { type: 'string', enum: [...EVENT_TYPES] },
    actor: slug('russia'),
    targets: TARGETS,
    speaker: SPEAKER,
    occurred: OCCURRED,
    reportedAt: {
      type: 'string',
      example: '2007-10-31',
      description: 'When the source made it public; defaults to source.publishedAt',
    },
    source: SOURCE,
    quote: QUOTE,
    summary: SUMMARY,
    key: {
      type: 'string',
      pattern: EVENT_KEY_PATTERN,
      maxLength: EVENT_KEY_MAX,
      example: 'putin-offers-gabala',
      description:
        'A readable key, unique in the topic: another event may name this one by it in refersTo, and GET /topics/{topic}/events/{key} reads it',
    },
    refersTo: {
      type: 'string',
      format: 'event-ref',
      example: 'putin-offers-gabala',
      description:
        "The event this one answers (an action: its actor's threat that it carries out): its id (a UUID) or its key in this topic",
    },
    cameo: {
      type: 'string',
      pattern: CAMEO_PATTERN,
      example: '1056',
      description: 'A CAMEO code within the type family',
    },
    payload: {
      type: 'object',
      description: 'Type-specific fields, e.g. {"item": "us-third-site", "action": "...", "condition": "..."}',
    },
    expectedVersion: {
      type: 'integer',
      minimum: 0,
      description: 'The topic version you expect (optimistic concurrency); 409 if it moved',
    },
  },
};

/** The name of a type's body schema in the OpenAPI document: "FreezeDemandEvent". */
export const eventBodyName = (type: EventType): string =>
  type
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('') + 'Event';

/**
 * The body of an event of one type, as documented: RECORD_EVENT_SCHEMA with `type` fixed and the
 * payload of the type (PAYLOAD_FIELDS); a correction's changes as the if/then above checks them.
 */
export function eventBodySchema(type: EventType): SchemaObject {
  const { allOf: _perType, properties, ...body } = RECORD_EVENT_SCHEMA;
  const payload = payloadSchema(type) as SchemaObject;
  return {
    ...body,
    title: `A ${type.replace('_', ' ')}`,
    properties: {
      ...properties,
      type: { type: 'string', const: type } as SchemaObject,
      payload:
        type === 'correction'
          ? {
              ...payload,
              properties: {
                ...payload.properties,
                changes: {
                  ...payload.properties!.changes,
                  description:
                    "The corrected fields; `payload` holds fields of the original's payload to replace, checked as that type's payload",
                  properties: CORRECTION_CHANGE_FIELDS,
                },
              },
            }
          : payload,
    },
  };
}

/** The body schemas of the OpenAPI document's components, one per event type. */
export const EVENT_BODY_SCHEMAS: Readonly<Record<string, SchemaObject>> = Object.fromEntries(
  EVENT_TYPES.map((type) => [eventBodyName(type), eventBodySchema(type)]),
);

/** POST /events' body, as documented: one schema per event type, told apart by `type`. */
export const RECORD_EVENT_BODY: SchemaObject = {
  oneOf: EVENT_TYPES.map((type) => ({ $ref: `#/components/schemas/${eventBodyName(type)}` })),
  discriminator: {
    propertyName: 'type',
    mapping: Object.fromEntries(EVENT_TYPES.map((type) => [type, `#/components/schemas/${eventBodyName(type)}`])),
  },
};
