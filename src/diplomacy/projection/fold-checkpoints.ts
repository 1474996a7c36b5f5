import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Settings } from '../../config/settings.js';
import { SETTINGS } from '../../config/settings.provider.js';
import { EventStore } from '../../event-store/event-store.js';
import { readRecorded } from '../recorded-events.js';
import { CHECKPOINT_FORMAT, checkpointText, type CommittedFold, foldOnward, fromCheckpoint } from './folded-topic.js';

/** Checkpoints saved per statement at most: three parameters each, within PostgreSQL's 65,535. */
const SAVE_ROWS = 1000;

/** One fold to save: its topic, the version it was folded to, and its text (checkpointText). */
export interface Checkpoint {
  readonly topic: string;
  readonly version: number;
  readonly text: string;
}

/** A checkpoint as read back, with the topic's version when it was read. */
interface StoredCheckpoint {
  readonly topic: string;
  readonly version: number;
  readonly fold: string;
  readonly current: number;
}

/**
 * A checkpoint counts only if its format is this code's and the log still holds the event it was
 * folded to with the same hash: the chain's hash covers that event and every one before it, so a
 * fold of any other log (rewritten, restored from elsewhere) is ignored and the topic refolded.
 */
const MATCHING = `c.format = $2 AND c.version <= s.version
  AND EXISTS (SELECT 1 FROM events e WHERE e.stream = c.topic AND e.version = c.version AND e.hash = c.hash)`;

/**
 * The writers' folds saved in the database (fold_checkpoints, migrations/1763801900000), so a
 * process that starts folds only what came after a topic's checkpoint instead of its whole log
 * (docs/architecture.md, "The projection"). Saving happens outside append transactions
 * (CheckpointSchedule: periodically, at shutdown) or in a rebuild's; restoring in the writer's
 * locked transaction on a cache miss (TopicStates), or at start for the busiest topics.
 */
@Injectable()
export class FoldCheckpoints {
  private readonly log = new Logger('FoldCheckpoints');
  /** The version of each topic's checkpoint as this process last saved or read it. */
  private readonly saved = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  get enabled(): boolean {
    return this.settings.foldCheckpoints;
  }

  /** Whether a rebuild saves the fold of a topic of `events` events (a smaller one refolds in moments). */
  worthSavingAfterRebuild(events: number): boolean {
    return this.enabled && events >= this.settings.checkpointMinEvents;
  }

  /** The version of the topic's checkpoint, as far as this process knows (0: none). */
  savedVersion(topic: string): number {
    return this.saved.get(topic) ?? 0;
  }

  /** A fold's checkpoint, taken at once (the fold may move on at the next await). */
  static of(folded: CommittedFold): Checkpoint {
    return { topic: folded.topic, version: folded.version, text: checkpointText(folded) };
  }

  /**
   * The topic folded to `version` from its checkpoint and the events after it, read as one range;
   * undefined when there is no checkpoint that matches the log, or when the events after it do
   * not fold in at the end (keyedAfter: corrections, retractions, a late report counted before
   * the checkpoint's last event): then only a refold from scratch is exact. Call with the topic locked.
   */
  async restore(manager: EntityManager, topic: string, version: number): Promise<CommittedFold | undefined> {
    if (!this.enabled || version === 0) return undefined;
    const [stored] = await manager.query<StoredCheckpoint[]>(
      `SELECT c.topic, c.version, c.fold, $3::int AS current
         FROM fold_checkpoints c, (SELECT $3::int AS version) s
        WHERE c.topic = $1 AND ${MATCHING}`,
      [topic, CHECKPOINT_FORMAT, version],
    );
    return stored ? this.foldedFrom(stored, manager) : undefined;
  }

  /**
   * The folds of these topics from their checkpoints, each brought to the topic's version as
   * committed now, without locks (the warm-up at start): a writer checks each against the
   * topic's version before trusting it. Topics without a matching checkpoint, or whose later
   * events need a refold, are left out.
   */
  async restoreUnlocked(topics: readonly string[]): Promise<CommittedFold[]> {
    const stored = await this.dataSource.query<StoredCheckpoint[]>(
      `SELECT c.topic, c.version, c.fold, s.version AS current
         FROM fold_checkpoints c JOIN topic_states s ON s.topic = c.topic
        WHERE c.topic = ANY($1) AND ${MATCHING}`,
      [topics, CHECKPOINT_FORMAT],
    );
    const folds: CommittedFold[] = [];
    for (const checkpoint of stored) {
      const folded = await this.foldedFrom(checkpoint);
      if (folded) folds.push(folded);
      // Requests served while the warm-up runs wait for one topic's parse, not a whole batch's: at
      // 1,000,000 events (checkpoints of 102 KB on average, 347 KB at most) 20 median topics parsed
      // in 24 ms and the 20 largest in 70 ms, one topic in at most about 3.5 ms.
      await yieldToRequests();
    }
    return folds;
  }

  private async foldedFrom(stored: StoredCheckpoint, manager?: EntityManager): Promise<CommittedFold | undefined> {
    let folded: CommittedFold;
    try {
      folded = fromCheckpoint(stored.topic, stored.version, stored.fold);
    } catch (error) {
      this.log.warn(`the checkpoint of ${stored.topic} cannot be read (${(error as Error).message}): refolding it`);
      return undefined;
    }
    this.saved.set(stored.topic, Math.max(this.savedVersion(stored.topic), stored.version));
    if (stored.current === stored.version) return folded;
    const after = await readRecorded(this.store, stored.topic, manager, {
      after: stored.version,
      upTo: stored.current,
    });
    return foldOnward(folded, after) ? folded : undefined;
  }

  /**
   * Topics with a checkpoint, busiest first (by events), as many as `capacity` events of folds
   * hold: what a process warms up at start.
   */
  async busiest(capacity: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ topic: string }[]>(
      `SELECT topic FROM (
         SELECT s.topic, sum(s.version) OVER (ORDER BY s.version DESC, s.topic) AS upto
           FROM topic_states s JOIN fold_checkpoints c ON c.topic = s.topic
          WHERE c.format = $2) busiest
        WHERE upto <= $1 ORDER BY upto`,
      [capacity, CHECKPOINT_FORMAT],
    );
    return rows.map((row) => row.topic);
  }

  /**
   * Saves checkpoints in one statement, each with the hash of its event; one that would replace
   * a newer checkpoint of the same format is left out. `manager`: inside that transaction (a
   * rebuild's), else on a connection of the pool, outside any append.
   */
  async save(checkpoints: readonly Checkpoint[], manager: EntityManager | DataSource = this.dataSource): Promise<void> {
    if (checkpoints.length === 0) return;
    if (checkpoints.length > SAVE_ROWS) {
      for (let i = 0; i < checkpoints.length; i += SAVE_ROWS)
        await this.save(checkpoints.slice(i, i + SAVE_ROWS), manager);
      return;
    }
    // One row of parameters per checkpoint rather than arrays: node-postgres escapes every quote of
    // an array's texts into an array literal, and for folds of about 100 KB of JSON that and its
    // garbage were most of a save (a CPU profile of a shutdown at 1,000,000 events: 1.5 s of
    // serialising and 2.5 s of garbage collection for about 400 checkpoints in its 5 s).
    const rows = checkpoints.map((_, i) => `($${3 * i + 2}::text, $${3 * i + 3}::int, $${3 * i + 4}::text)`);
    await manager.query(
      `INSERT INTO fold_checkpoints (topic, version, hash, format, fold)
       SELECT c.topic, c.version, e.hash, $1, c.fold
         FROM (VALUES ${rows.join(', ')}) AS c(topic, version, fold)
         JOIN events e ON e.stream = c.topic AND e.version = c.version
       ON CONFLICT (topic) DO UPDATE
          SET version = excluded.version, hash = excluded.hash, format = excluded.format, fold = excluded.fold,
              saved_at = now()
        WHERE fold_checkpoints.version <= excluded.version OR fold_checkpoints.format <> excluded.format`,
      [CHECKPOINT_FORMAT, ...checkpoints.flatMap((c) => [c.topic, c.version, c.text])],
    );
    for (const { topic, version } of checkpoints) this.saved.set(topic, Math.max(this.savedVersion(topic), version));
  }

  /** Every checkpoint goes (a rebuild writes them again); inside the rebuild's transaction. */
  async deleteAll(manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM fold_checkpoints');
    this.saved.clear();
  }
}
