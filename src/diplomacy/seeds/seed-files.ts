import type { RecordEvent } from '../domain/records/decide.js';
import type { Source } from '../domain/events/events.js';
import type { SpeakerRole } from '../../shared/speakers.js';

/** The shape of seeds/catalog.json (see seeds/README.md). */
export interface CatalogFile {
  /** A parent is listed before the parties within it. */
  readonly parties: readonly {
    slug: string;
    name: string;
    kind: 'state' | 'alliance' | 'organisation' | 'person';
    aliases?: string[];
    parent?: string;
  }[];
  /** Every speaker the seed events name (an event's speaker must be in the catalog). */
  readonly speakers: readonly { name: string; party: string; aliases?: string[]; roles?: SpeakerRole[] }[];
  readonly topics: readonly {
    slug: string;
    title: string;
    description?: string;
    items?: readonly { slug: string; title: string; description?: string }[];
  }[];
}

/** A seed event: a RecordEvent with a readable key for an id, and keys in refersTo. */
export type SeedEvent = Omit<RecordEvent, 'id' | 'reportedAt' | 'source'> & {
  readonly key: string;
  /** Defaults to the article's publication date. */
  readonly reportedAt?: string;
};

/** The shape of one seeds/articles/*.json file. */
export interface ArticleFile {
  readonly source: Source;
  readonly note?: string;
  readonly events: readonly SeedEvent[];
}

/** Seed ids are UUID v5 of their keys in this namespace, so loading twice writes nothing new. */
export const SEED_NAMESPACE = '6f1c2a8e-3b7d-4e59-9a41-5c2d8e7f1b30';

/** The key a seed event shows in the API: its file key, the "/" after the article as a dot (URL-safe). */
export const eventKeyOf = (seedKey: string) => seedKey.replace('/', '.');

/** A seed event as the same command POST /events sends, with keys turned into ids. */
export function seedCommand(article: ArticleFile, event: SeedEvent, idOf: (key: string) => string): RecordEvent {
  return {
    id: idOf(event.key),
    topic: event.topic,
    type: event.type,
    actor: event.actor,
    targets: event.targets ?? [],
    ...(event.speaker ? { speaker: event.speaker } : {}),
    occurred: event.occurred,
    reportedAt: event.reportedAt ?? article.source.publishedAt,
    source: article.source,
    ...(event.quote ? { quote: event.quote } : {}),
    summary: event.summary,
    key: eventKeyOf(event.key),
    ...(event.refersTo ? { refersTo: idOf(event.refersTo) } : {}),
    ...(event.cameo ? { cameo: event.cameo } : {}),
    payload: event.payload,
  };
}
