import type { EntityManager } from 'typeorm';
import { isUuid } from '../shared/ids.js';
import { Problem } from '../shared/problem.js';
import type { RecordEvent } from './domain/records/decide.js';

/** An event's readable key in its topic. */
export interface KeyInTopic {
  readonly topic: string;
  readonly key: string;
}

/** The recorded events with these keys: "topic/key" -> id. One indexed read (events_topic_key). */
export async function readKeys(manager: EntityManager, wanted: readonly KeyInTopic[]): Promise<Map<string, string>> {
  if (wanted.length === 0) return new Map();
  const rows: { topic: string; key: string; id: string }[] = await manager.query(
    `SELECT stream AS topic, data->>'key' AS key, id FROM events
      WHERE data ? 'key' AND (stream, data->>'key') IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [wanted.map((w) => w.topic), wanted.map((w) => w.key)],
  );
  return new Map(rows.map((r) => [`${r.topic}/${r.key}`, r.id]));
}

/** The keys a request names: its own, and the one it refers to when that is not an id. */
export function keysNamedBy(request: RecordEvent): KeyInTopic[] {
  const { topic, key, refersTo } = request;
  return [...(key ? [{ topic, key }] : []), ...(refersTo && !isUuid(refersTo) ? [{ topic, key: refersTo }] : [])];
}

/**
 * The request as decide takes it: `refersTo` by key turned into the event's id. Refused when its
 * own key is taken in the topic by another event (409), or when no event of the topic has the
 * key it refers to (422). A retry of the same event finds its own key, with its own id: no clash.
 */
export function withKeysResolved(request: RecordEvent, keyed: ReadonlyMap<string, string>): RecordEvent {
  const { topic, key, refersTo } = request;
  if (key) {
    const holder = keyed.get(`${topic}/${key}`);
    if (holder && holder !== request.id) {
      throw Problem.field('conflict', 'key', `topic "${topic}" already has an event with key "${key}" (${holder})`, {
        eventId: holder,
      });
    }
  }
  if (!refersTo || isUuid(refersTo)) return request;
  const id = keyed.get(`${topic}/${refersTo}`);
  if (!id) throw Problem.field('unprocessable', 'refersTo', `no event of topic "${topic}" has the key "${refersTo}"`);
  return { ...request, refersTo: id };
}
