/** What the bench's append phases send: new events at the end of random topics, and the first write to each topic. */
import { v5 as uuidv5 } from 'uuid';
import type { BenchCatalog } from './generate.js';

const POST_NAMESPACE = '0e7c4f1a-8b2d-4a6e-9c3f-5d1b7a2e4f60';
/** Share of new events that propose a new item (the rest are statements on the topic's items). */
const PROPOSALS = 0.2;

export type Topic = BenchCatalog['topics'][number];

/** The headers of a write with the bench's token. */
export const writeHeaders = (token: string) => ({
  'content-type': 'application/json',
  authorization: `Bearer ${token}`,
});

/**
 * POST /events bodies: valid new events dated today (the end of their topic's order, as a fresh
 * report is), 80% statements and 20% proposals of new items. Ids are unique per `seed` and
 * `series` (each phase that posts its own series), so every request is a new event.
 */
export function appendBodies(catalog: BenchCatalog, seed: number, random: () => number, series = '') {
  const today = new Date().toISOString().slice(0, 10);
  const topics = catalog.topics;
  let posted = 0;
  return {
    /** The JSON text of a new event on `topic` (a random one if not given). */
    next(topic: Topic = topics[Math.floor(random() * topics.length)]): string {
      const n = posted++;
      const name = series ? `${series}-${n}` : String(n);
      const actor = topic.parties[Math.floor(random() * topic.parties.length)];
      const proposal = random() < PROPOSALS;
      return JSON.stringify({
        id: uuidv5(`post:${seed}:${name}`, POST_NAMESPACE),
        topic: topic.slug,
        type: proposal ? 'proposal' : 'statement',
        actor,
        occurred: today,
        reportedAt: new Date().toISOString(),
        source: { publisher: 'Reuters', title: `Live report ${name}`, publishedAt: today },
        summary: proposal ? `${actor} puts a new plan on the table.` : `${actor} states its stance.`,
        payload: proposal
          ? { item: `live-plan-${name}`, itemTitle: `live plan ${name}`, terms: 'a phased approach' }
          : {
              item: topic.items[Math.floor(random() * topic.items.length)].slug,
              stance: random() < 0.5 ? 'supports' : 'opposes',
              reason: 'talks must go on first',
            },
      });
    },
  };
}

/**
 * One write to each topic, from `clients` clients, topic k sent to `urls[k mod n]` (the process a
 * balancer hashing the topic would pick: bench/processes.ts): a process that has just started
 * folds each topic from the log on its first write to it (TopicStates), so this fills its fold
 * cache. Answers how long it took and how many writes failed.
 */
export async function writeToEveryTopic(
  urls: readonly string[],
  topics: readonly Topic[],
  bodies: ReturnType<typeof appendBodies>,
  clients: number,
  token: string,
): Promise<{ seconds: number; failures: number }> {
  const started = performance.now();
  let failures = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < topics.length) {
        const k = next++;
        const res = await fetch(`${urls[k % urls.length]}/events`, {
          method: 'POST',
          headers: writeHeaders(token),
          body: bodies.next(topics[k]),
        });
        if (!res.ok) failures++;
        await res.arrayBuffer();
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, failures };
}

/** How long after a restart appends are counted: issue 21's target is >= 1,000 appends/s within 10 s of a restart. */
export const AFTER_RESTART_S = 10;
