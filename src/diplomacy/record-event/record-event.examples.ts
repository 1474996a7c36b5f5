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
  title: 'Missile defense: further reports (example)',
  publishedAt: '2007-06-12',
};

/**
 * Bodies for the event types no seed event has yet, written by hand: each answers a seed event by
 * its key, and test/openapi.e2e-spec.ts records them on the seeded app (so the validator and the
 * domain accept them). A seed event of the type, once there is one, takes its place: the corpus
 * has corrections and retractions since its second pass (issue 18), and no report yet (no claim
 * of one article is the same claim as one of another).
 */
export const HAND_EXAMPLES: Readonly<Partial<Record<EventType, RecordEventBody>>> = {
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
