import { CommandBus } from '@nestjs/cqrs';
import fc from 'fast-check';
import type { RecordEvent } from '../src/diplomacy/domain/records/decide.js';
import type { RecordedEvent } from '../src/diplomacy/domain/events/events.js';
import { elementId, type ElementBody, type ElementId } from '../src/diplomacy/domain/positions/elements.js';
import { CheckpointSchedule } from '../src/diplomacy/projection/checkpoint-schedule.js';
import { FoldCheckpoints } from '../src/diplomacy/projection/fold-checkpoints.js';
import { type FoldedTopic, foldedPart, projectTopic } from '../src/diplomacy/projection/folded-topic.js';
import { PositionProjection } from '../src/diplomacy/projection/position.projection.js';
import { TopicStates } from '../src/diplomacy/projection/topic-states.js';
import { RecordEventCommand } from '../src/diplomacy/record-event/record-event.command.js';
import { readRecorded } from '../src/diplomacy/recorded-events.js';
import { EventStore } from '../src/event-store/event-store.js';
import { Problem } from '../src/shared/problem.js';
import { type Claim, claimArb, command, createClaimsTopic, ITEMS } from './support/random-claims.js';
import { createCatalog } from './support/scenario.js';
import { startAppOn, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Checkpointed folds (FoldCheckpoints): a fold restored from a checkpoint taken at any version,
 * with the events after it folded on, is the fold from scratch, and the writer that starts from
 * it writes the rows a rebuild writes; a checkpoint that does not match the log is ignored.
 */
describe('fold checkpoints', () => {
  let t: TestApp;
  let topics = 0;

  beforeAll(async () => {
    t = await startTestApp();
    await createCatalog(t);
  });
  afterAll(() => t.close());

  const newTopic = (app: TestApp = t) => createClaimsTopic(app, `checkpoint-topic-${++topics}`);

  /** Commands for random claims, each free to refer to any claim before it (of `earlier` too). */
  function commandsFor(topic: string, claims: readonly Claim[], earlier: string[] = []) {
    return claims.map((c, i) => {
      const cmd = command(topic, c, earlier.length + i, earlier);
      earlier.push(cmd.id);
      return cmd;
    });
  }

  async function recordAll(commands: readonly RecordEvent[], app: TestApp = t): Promise<void> {
    for (const c of commands) {
      try {
        await app.app.get(CommandBus).execute(new RecordEventCommand(c));
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
      }
    }
  }

  const events = (topic: string): Promise<RecordedEvent[]> => readRecorded(t.app.get(EventStore), topic);
  const version = async (topic: string) => (await events(topic)).length;

  /** The writer's cached fold, as the schedule saves it. */
  async function checkpointNow(app: TestApp, topic: string): Promise<void> {
    const folded = await app.dataSource.transaction((manager) => app.app.get(TopicStates).current(manager, topic));
    await app.app.get(FoldCheckpoints).save([FoldCheckpoints.of(folded)]);
  }

  const restore = (topic: string, upTo: number) =>
    t.dataSource.transaction((manager) => t.app.get(FoldCheckpoints).restore(manager, topic, upTo));

  /**
   * What a writer's fold holds, to compare: the state (each forgot its history, as cached folds
   * do), the last key, the parties, and the ledger's elements changed on its day whose body then
   * differs from the element's body now (an element changed and changed back on one day is left
   * in a writer's ledger, a no-op that a fold from scratch does not list).
   */
  function held(folded: FoldedTopic, current: ReadonlyMap<ElementId, ElementBody>) {
    folded.fold.forgetHistory();
    const changed = [...folded.ledger.changedOnDay]
      .filter(([id, start]) => JSON.stringify(start) !== JSON.stringify(current.get(id) ?? null))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return {
      version: folded.version,
      last: folded.last,
      parties: folded.parties(),
      state: folded.fold.state,
      ledger: { day: folded.ledger.day, changed },
    };
  }

  async function rows(topic: string): Promise<string> {
    const elements = await t.dataSource.query(
      `SELECT party, key, valid_from::text, valid_to::text, body FROM position_elements WHERE topic = $1 ORDER BY party, key, valid_from`,
      [topic],
    );
    const [state] = await t.dataSource.query('SELECT version, last_event FROM topic_states WHERE topic = $1', [topic]);
    return JSON.stringify({ elements, state });
  }

  it('restores a checkpoint of any version to the fold from scratch, and the writer then writes what a rebuild writes', async () => {
    const outcomes = { restored: 0, refolded: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(claimArb, { minLength: 2, maxLength: 20 }),
        fc.nat(),
        fc.array(claimArb, { minLength: 1, maxLength: 5 }),
        async (claims, cut, later) => {
          const topic = await newTopic();
          const ids: string[] = [];
          const commands = commandsFor(topic, claims, ids);
          const at = cut % (commands.length + 1);
          await recordAll(commands.slice(0, at));
          if ((await version(topic)) > 0) await checkpointNow(t, topic);
          await recordAll(commands.slice(at));

          // A restart: nothing cached, the checkpoint and the log in the database.
          t.app.get(TopicStates).clear();
          const all = await events(topic);
          const scratch = projectTopic(topic, all);
          const current = new Map(
            scratch.versions.filter((v) => v.validTo === null).map((v) => [elementId(v.party, v.key), v.body]),
          );
          const restored = await restore(topic, all.length);
          if (restored) {
            outcomes.restored++;
            expect(held(restored, current)).toEqual(held(foldedPart(scratch), current));
          } else outcomes.refolded++;

          // The next writes start from the checkpoint (or refold where it cannot): the rows are a rebuild's.
          t.app.get(TopicStates).clear();
          await recordAll(commandsFor(topic, later, ids));
          const inline = await rows(topic);
          await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
          expect(await rows(topic)).toBe(inline);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
    // Both ways were taken: the property is not about refolds alone.
    expect(outcomes.restored).toBeGreaterThan(0);
    expect(outcomes.refolded).toBeGreaterThan(0);
  });

  it('folds on a cached fold that another process left behind to the fold from scratch, and then writes what a rebuild writes', async () => {
    const other = await startAppOn(t.database);
    const outcomes = { foldedOn: 0, refolded: 0 };
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(claimArb, { minLength: 1, maxLength: 15 }),
          fc.array(claimArb, { minLength: 1, maxLength: 8 }),
          fc.array(claimArb, { minLength: 1, maxLength: 4 }),
          async (mine, theirs, later) => {
            const topic = await newTopic();
            const ids: string[] = [];
            await recordAll(commandsFor(topic, mine, ids));
            const states = t.app.get(TopicStates);
            const cached = await t.dataSource.transaction((manager) => states.current(manager, topic));
            await recordAll(commandsFor(topic, theirs, ids), other); // this process's fold is behind now

            const all = await events(topic);
            const scratch = projectTopic(topic, all);
            const current = new Map(
              scratch.versions.filter((v) => v.validTo === null).map((v) => [elementId(v.party, v.key), v.body]),
            );
            const now = await t.dataSource.transaction((manager) => states.current(manager, topic));
            if (now === cached) outcomes.foldedOn++;
            else outcomes.refolded++;
            expect(held(now, current)).toEqual(held(foldedPart(scratch), current));

            await recordAll(commandsFor(topic, later, ids));
            const inline = await rows(topic);
            await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
            expect(await rows(topic)).toBe(inline);
          },
        ),
        { numRuns: Number(process.env.PROPERTY_RUNS ?? 30) },
      );
    } finally {
      await other.app.close();
    }
    expect(outcomes.foldedOn).toBeGreaterThan(0);
    expect(outcomes.refolded).toBeGreaterThan(0);
  });

  /** Russia's claims on Poland about the first item, on the day each test gives. */
  const base: Omit<Claim, 'type' | 'day' | 'refer'> = {
    actor: 'russia',
    target: 'poland',
    item: ITEMS[0],
    span: 0,
    lateBy: 0,
    stance: 'supports',
  };

  /** A proposal on 1 March, answered on 5 March after the checkpoint: it folds on from the checkpoint. */
  const story = (topic: string) => {
    const ids: string[] = [];
    const before = commandsFor(topic, [{ ...base, type: 'proposal', day: 1, refer: 0 }], ids);
    const after = commandsFor(
      topic,
      [{ ...base, type: 'rejection', actor: 'poland', target: 'russia', day: 5, refer: 0 }],
      ids,
    );
    return { before, after };
  };

  it('folds on from a checkpoint, and ignores one of another format or whose event the log holds with another hash', async () => {
    const topic = await newTopic();
    const { before, after } = story(topic);
    await recordAll(before);
    await checkpointNow(t, topic);
    await recordAll(after);
    expect(await version(topic)).toBe(2);
    expect(await restore(topic, 2)).toMatchObject({ version: 2, last: { countsFrom: '2007-03-05' } });
    // Not a checkpoint from the future: the version asked for is where the fold must stand.
    expect((await restore(topic, 1))?.version).toBe(1);

    const [{ format }] = await t.dataSource.query('SELECT format FROM fold_checkpoints WHERE topic = $1', [topic]);
    await t.dataSource.query(`UPDATE fold_checkpoints SET format = 'older' WHERE topic = $1`, [topic]);
    expect(await restore(topic, 2)).toBeUndefined();
    await t.dataSource.query(`UPDATE fold_checkpoints SET format = $2, hash = '\\x00' WHERE topic = $1`, [
      topic,
      format,
    ]);
    expect(await restore(topic, 2)).toBeUndefined();
  });

  it('refolds from scratch when an event after the checkpoint counts before its last event', async () => {
    const topic = await newTopic();
    const ids: string[] = [];
    await recordAll(commandsFor(topic, [{ ...base, type: 'proposal', day: 10, refer: 0 }], ids));
    await checkpointNow(t, topic);
    // Reported late: it occurred on 2 March, before the checkpoint's last event.
    await recordAll(
      commandsFor(topic, [{ ...base, type: 'statement', actor: 'poland', day: 2, lateBy: 30, refer: 0 }], ids),
    );
    expect(await version(topic)).toBe(2);
    expect(await restore(topic, 2)).toBeUndefined();
  });

  it('saves every moved fold at shutdown, and the next process warms up from the checkpoints', async () => {
    const first = await startAppOn(t.database);
    const topic = await newTopic(first);
    const { before, after } = story(topic);
    await recordAll([...before, ...after], first);
    await first.app.close(); // not first.close(): the database is t's
    const [saved] = await t.dataSource.query('SELECT version FROM fold_checkpoints WHERE topic = $1', [topic]);
    expect(saved).toEqual({ version: 2 });

    const second = await startAppOn(t.database);
    try {
      // The warm-up runs in the background after start; no request waited for it.
      await second.app.get(CheckpointSchedule).idle();
      expect(
        second.app
          .get(TopicStates)
          .cached()
          .find((f) => f.topic === topic),
      ).toMatchObject({ version: 2 });
    } finally {
      await second.app.close();
    }
  });
});
