import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordEvent } from '../domain/records/decide.js';
import type { Source } from '../domain/events/events.js';
import { type RecordEventBody, toRecordEvent } from '../record-event/record-event.body.js';
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
    plural?: boolean;
  }[];
  /** Every speaker the seed events name (an event's speaker must be in the catalog). */
  readonly speakers: readonly { name: string; party: string; aliases?: string[]; roles?: SpeakerRole[] }[];
  readonly topics: readonly {
    slug: string;
    title: string;
    phrase?: string;
    description?: string;
    items?: readonly { slug: string; title: string; description?: string }[];
  }[];
}

/** A seed event: a RecordEvent with a readable key for an id, and keys in refersTo. */
export type SeedEvent = Omit<RecordEvent, 'id' | 'reportedAt' | 'source'> & {
  readonly key: string;
  /**
   * Defaults to the article's: a correction that fixes a date from the public record cites
   * that record (seeds/README.md, "Corrections").
   */
  readonly source?: Source;
  /** Defaults to the publication date of the event's source. */
  readonly reportedAt?: string;
};

/** The shape of one seeds/articles/*.json file. */
export interface ArticleFile {
  readonly source: Source;
  readonly note?: string;
  readonly events: readonly SeedEvent[];
}

/** The articles of a seeds folder (seeds/articles/*.json), in file name order: the order they load in. */
export async function readArticles(dir: string): Promise<{ readonly file: string; readonly article: ArticleFile }[]> {
  const files = (await readdir(join(dir, 'articles'))).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({
      file,
      article: JSON.parse(await readFile(join(dir, 'articles', file), 'utf8')) as ArticleFile,
    })),
  );
}

/** Seed ids are UUID v5 of their keys in this namespace, so loading twice writes nothing new. */
export const SEED_NAMESPACE = '6f1c2a8e-3b7d-4e59-9a41-5c2d8e7f1b30';

/** The key a seed event shows in the API: its file key, the "/" after the article as a dot (URL-safe). */
export const eventKeyOf = (seedKey: string) => seedKey.replace('/', '.');

/**
 * A seed event as a client would send it to POST /events: its key in the API's form, and the
 * event it answers named by key (the API documents each event type with one of these).
 */
export function seedBody(article: ArticleFile, event: SeedEvent): RecordEventBody {
  const source = event.source ?? article.source;
  return {
    topic: event.topic,
    type: event.type,
    actor: event.actor,
    targets: event.targets ?? [],
    ...(event.speaker ? { speaker: event.speaker } : {}),
    occurred: event.occurred,
    reportedAt: event.reportedAt ?? source.publishedAt,
    source,
    ...(event.quote ? { quote: event.quote } : {}),
    summary: event.summary,
    key: eventKeyOf(event.key),
    ...(event.refersTo ? { refersTo: eventKeyOf(event.refersTo) } : {}),
    ...(event.cameo ? { cameo: event.cameo } : {}),
    payload: event.payload,
  };
}

/** A seed event as the same command POST /events sends, with keys turned into ids. */
export function seedCommand(article: ArticleFile, event: SeedEvent, idOf: (key: string) => string): RecordEvent {
  const command = toRecordEvent(seedBody(article, event), idOf(event.key));
  return event.refersTo ? { ...command, refersTo: idOf(event.refersTo) } : command;
}
