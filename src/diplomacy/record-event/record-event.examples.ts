import { EVENT_TYPES, type EventType } from '../domain/events/events.js';
import { readArticles, seedBody } from '../seeds/seed-files.js';
import type { RecordEventBody } from './record-event.body.js';

/** An example of a POST /events body, as an OpenAPI example object. */
export interface BodyExample {
  readonly summary: string;
  readonly value: RecordEventBody;
}

/** An illustrative source: hand-written examples claim nothing a real article said. */
const EXAMPLE_SOURCE = {
  publisher: 'Example Wire',
  title: 'Missile defense: corrections and further reports (example)',
  publishedAt: '2007-06-12',
};

/**
 * Bodies for the event types no seed event has yet, written by hand: each answers a seed event by
 * its key, and test/openapi.e2e-spec.ts records them on the seeded app (so the validator and the
 * domain accept them). A seed event of the type, once there is one, takes its place.
 */
export const HAND_EXAMPLES: Readonly<Partial<Record<EventType, RecordEventBody>>> = {
  correction: {
    topic: 'missile-defense-europe',
    type: 'correction',
    actor: 'united-states',
    occurred: '2007-06-12',
    source: EXAMPLE_SOURCE,
    summary: 'The report dates the US third-site plan from 2006 on, not 2007.',
    refersTo: 'wp-2007-06-08.us-third-site-plan',
    payload: {
      reason: 'The plan was public before 2007: the interval starts earlier.',
      changes: { occurred: '2006-01-01/2007-06-06' },
    },
  },
  report: {
    topic: 'missile-defense-europe',
    type: 'report',
    actor: 'united-states',
    targets: ['poland', 'czech-republic'],
    occurred: '2007-01-01/2007-06-06',
    source: EXAMPLE_SOURCE,
    summary: 'Another source reports the US plan of interceptors in Poland and a radar in the Czech Republic.',
    refersTo: 'wp-2007-06-08.us-third-site-plan',
    payload: { note: 'Gives the same ten interceptors.' },
  },
  retraction: {
    topic: 'missile-defense-europe',
    type: 'retraction',
    actor: 'russia',
    occurred: '2007-06-12',
    source: EXAMPLE_SOURCE,
    summary: 'The report that Russian officials called the shield a threat to Russia is withdrawn.',
    refersTo: 'wp-2007-06-08.russia-says-shield-threatens-its-security',
    payload: { reason: 'The source could not confirm the remark.' },
  },
};

/**
 * One example body per event type for the API documentation: the first seed event of the type in
 * corpus order (seeds/articles, file name order), or HAND_EXAMPLES. Without a seeds folder (an
 * install without the corpus) the hand-written ones alone.
 */
export async function recordEventExamples(seedsDir: string): Promise<Partial<Record<EventType, BodyExample>>> {
  const seeds = await readArticles(seedsDir).catch(() => []);
  const examples: Partial<Record<EventType, BodyExample>> = {};
  for (const { article } of seeds) {
    for (const event of article.events) {
      if (examples[event.type]) continue;
      const body = seedBody(article, event);
      examples[event.type] = { summary: `Seed event ${body.key}`, value: body };
    }
  }
  for (const type of EVENT_TYPES) {
    const hand = HAND_EXAMPLES[type];
    if (!examples[type] && hand) examples[type] = { summary: `A ${type} (hand-written example)`, value: hand };
  }
  return Object.fromEntries(EVENT_TYPES.filter((type) => examples[type]).map((type) => [type, examples[type]]));
}
