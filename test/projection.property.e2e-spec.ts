import { CommandBus } from '@nestjs/cqrs';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { RecordEvent } from '../src/diplomacy/domain/records/decide.js';
import { claimArb, command, createClaimsTopic, ITEMS } from './support/random-claims.js';
import { PositionProjection } from '../src/diplomacy/projection/position.projection.js';
import { TopicStates } from '../src/diplomacy/projection/topic-states.js';
import { RecordEventCommand } from '../src/diplomacy/record-event/record-event.command.js';
import { Problem } from '../src/shared/problem.js';
import { createCatalog, withoutKnownAt, withCards } from './support/scenario.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Row and key order aside: ids were renamed, so what sorted first may sort later. */
function canonical(json: string): string {
  const sortKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sortKeys)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
          )
        : value;
  const parsed = JSON.parse(json) as { elements: { party: string; key: string; valid_from: string }[]; state: unknown };
  const elements = parsed.elements.map((e) => JSON.stringify(sortKeys(e))).sort();
  return JSON.stringify({ elements, state: sortKeys(parsed.state) });
}

describe('the inline projection', () => {
  let t: TestApp;
  let topics = 0;

  beforeAll(async () => {
    t = await startTestApp();
    await createCatalog(t);
  });
  afterAll(() => t.close());

  const newTopic = () => createClaimsTopic(t, `property-topic-${++topics}`);

  /** Records what decide accepts, in order; returns the accepted commands. */
  async function recordAll(commands: readonly RecordEvent[]): Promise<RecordEvent[]> {
    const accepted: RecordEvent[] = [];
    for (const c of commands) {
      try {
        await t.app.get(CommandBus).execute(new RecordEventCommand(c));
        accepted.push(c);
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
      }
    }
    return accepted;
  }

  async function rows(topic: string): Promise<string> {
    const elements = await t.dataSource.query(
      `SELECT party, key, valid_from::text, valid_to::text, body FROM position_elements WHERE topic = $1 ORDER BY party, key, valid_from`,
      [topic],
    );
    const [row] = await t.dataSource.query('SELECT version, last_event FROM topic_states WHERE topic = $1', [topic]);
    // The fold the writers keep in memory, as their appends left it (or refolded from the log after a rebuild).
    const folded = await t.dataSource.transaction((manager) => t.app.get(TopicStates).current(manager, topic));
    return JSON.stringify({ elements, row: row ?? null, state: folded.fold.state }).replaceAll(topic, 'TOPIC');
  }

  it('equals a full rebuild for random event sequences, late reports, corrections and retractions included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(claimArb, { minLength: 3, maxLength: 25 }), async (claims) => {
        const topic = await newTopic();
        const ids: string[] = [];
        const commands = claims.map((c, i) => {
          const cmd = command(topic, c, i, ids);
          ids.push(cmd.id);
          return cmd;
        });
        await recordAll(commands);
        const inline = await rows(topic);
        await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
        expect(await rows(topic)).toBe(inline);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25) },
    );
  });

  it('answers from its stored rows what a fold of every event answers, corrected evidence included', async () => {
    const answer = async (topic: string, query: string) => {
      const res = await request(t.http).get(`/topics/${topic}/positions?${query}`).expect(200);
      return withoutKnownAt(withCards(res.body)); // in the same order, too
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(claimArb, { minLength: 3, maxLength: 25 }),
        fc.integer({ min: 1, max: 28 }),
        async (claims, day) => {
          const topic = await newTopic();
          const ids: string[] = [];
          await recordAll(
            claims.map((c, i) => {
              const cmd = command(topic, c, i, ids);
              ids.push(cmd.id);
              return cmd;
            }),
          );
          const at = `2007-03-${String(day).padStart(2, '0')}`;
          expect(await answer(topic, `at=${at}`)).toEqual(await answer(topic, `at=${at}&knownAt=2100-01-01`));
        },
      ),
      {
        numRuns: Number(process.env.PROPERTY_RUNS ?? 25),
        // A proposal corrected, then answered in order: the appended answer rewrites the proposal's
        // row, whose evidence card must show the proposal corrected.
        examples: [
          [
            [
              {
                type: 'proposal',
                actor: 'russia',
                target: 'poland',
                item: ITEMS[0],
                day: 1,
                span: 0,
                lateBy: 0,
                refer: 0,
                stance: 'supports',
              },
              {
                type: 'correction',
                actor: 'russia',
                target: 'poland',
                item: ITEMS[0],
                day: 2,
                span: 0,
                lateBy: 0,
                refer: 0,
                stance: 'supports',
              },
              {
                type: 'rejection',
                actor: 'poland',
                target: 'russia',
                item: ITEMS[0],
                day: 5,
                span: 0,
                lateBy: 0,
                refer: 0,
                stance: 'supports',
              },
            ],
            10,
          ],
        ],
      },
    );
  });

  it('does not depend on the order in which the same events were appended', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(claimArb, { minLength: 3, maxLength: 15 }), fc.integer(), async (claims, seed) => {
        const first = await newTopic();
        const ids: string[] = [];
        const commands = claims.map((c, i) => {
          const cmd = command(first, c, i, ids);
          ids.push(cmd.id);
          return cmd;
        });
        const accepted = await recordAll(commands);
        // The same events into a second topic, shuffled, each after the event it refers to.
        const second = await newTopic();
        const rename = new Map(accepted.map((c) => [c.id, randomUUID()]));
        const pending = accepted.map((c) => ({
          ...c,
          id: rename.get(c.id)!,
          topic: second,
          ...(c.refersTo ? { refersTo: rename.get(c.refersTo) } : {}),
        }));
        const shuffled: RecordEvent[] = [];
        let random = seed;
        while (pending.length) {
          const ready = pending.filter((c) => !c.refersTo || shuffled.some((s) => s.id === c.refersTo));
          random = (random * 1103515245 + 12345) & 0x7fffffff;
          const pick = ready[random % ready.length];
          shuffled.push(pick);
          pending.splice(pending.indexOf(pick), 1);
        }
        const reaccepted = await recordAll(shuffled);
        if (reaccepted.length !== accepted.length) return; // a rule saw a different history (e.g. withdraw before a later restatement): not comparable
        let mapped = await rows(second);
        for (const [original, renamed] of rename) mapped = mapped.replaceAll(renamed, original);
        expect(canonical(mapped)).toBe(canonical(await rows(first)));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 15) },
    );
  });
});
