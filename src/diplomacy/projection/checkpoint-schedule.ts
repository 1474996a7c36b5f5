import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { Settings } from '../../config/settings.js';
import { SETTINGS } from '../../config/settings.provider.js';
import { type Checkpoint, FoldCheckpoints } from './fold-checkpoints.js';
import { TopicStates } from './topic-states.js';

/** Checkpoints saved in one statement: at most this many topics... */
const SAVE_TOPICS = 100;
/** ...or this many characters of folds (a few MB a statement, not one of hundreds). */
const SAVE_CHARACTERS = 4_000_000;
/** Topics restored per statement in the warm-up (each parsed with a yield to requests after it: FoldCheckpoints.restoreUnlocked). */
const WARM_UP_TOPICS = 5;

/**
 * When folds become checkpoints, and checkpoints folds again (FoldCheckpoints): the busiest
 * topics' checkpoints are restored in the background right after start (requests do not wait:
 * a write that comes first restores its topic itself); folds that moved by CHECKPOINT_MIN_EVENTS
 * are saved every CHECKPOINT_INTERVAL_MS; every fold that moved is saved at shutdown, for at most
 * CHECKPOINT_SHUTDOWN_MS. Saving runs outside append transactions, in batches, yielding to
 * requests between folds; a rebuild saves its own (PositionProjection.rebuildAll). Commands
 * (no HTTP server) neither warm up nor save periodically, but save what moved when they end.
 */
@Injectable()
export class CheckpointSchedule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('CheckpointSchedule');
  private timer?: NodeJS.Timeout;
  private stopping = false;
  /** The warm-up or a save under way: one at a time, and shutdown waits for it. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly checkpoints: FoldCheckpoints,
    private readonly states: TopicStates,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly http: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    // A server warms up and saves periodically; a command (import, export, the bench's context) does not.
    if (!this.checkpoints.enabled || !this.http.httpAdapter) return;
    this.run(() => this.warmUp());
    if (this.settings.checkpointIntervalMs > 0) {
      this.timer = setInterval(
        () => this.run(() => this.saveMoved(this.settings.checkpointMinEvents)),
        this.settings.checkpointIntervalMs,
      );
      this.timer.unref();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.checkpoints.enabled) return;
    this.stopping = true; // a warm-up stops at its next batch
    clearInterval(this.timer);
    const deadline = Date.now() + this.settings.checkpointShutdownMs;
    await this.running;
    this.stopping = false;
    const saved = await this.saveMoved(1, deadline);
    if (saved) this.log.log(`saved ${saved} checkpoints at shutdown`);
  }

  /** Resolves when the warm-up or save under way (if any) is done. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Runs one job after the one before; a failure is logged (checkpoints only save time). */
  private run(job: () => Promise<unknown>): void {
    this.running = this.running.then(job).catch((error: unknown) => {
      this.log.warn(`checkpoints: ${(error as Error).message}`);
    });
  }

  /** Restores the checkpoints of the busiest topics into the fold cache, as far as it has room. */
  async warmUp(): Promise<number> {
    const topics = await this.checkpoints.busiest(this.settings.foldCacheEvents);
    let restored = 0;
    for (let i = 0; i < topics.length && !this.stopping; i += WARM_UP_TOPICS) {
      for (const folded of await this.checkpoints.restoreUnlocked(topics.slice(i, i + WARM_UP_TOPICS)))
        if (this.states.offer(folded)) restored++;
      await yieldToRequests();
    }
    if (restored) this.log.log(`warmed up ${restored} of ${topics.length} topics from their checkpoints`);
    return restored;
  }

  /**
   * Saves the cached folds that moved by at least `minEvents` since their checkpoint, each as
   * it stands when its turn comes (a fold a transaction is changing waits for the next save);
   * stops at `deadline` (ms since the epoch). Returns how many it saved.
   */
  async saveMoved(minEvents: number, deadline = Infinity): Promise<number> {
    let batch: Checkpoint[] = [];
    let characters = 0;
    let saved = 0;
    const flush = async () => {
      await this.checkpoints.save(batch);
      saved += batch.length;
      batch = [];
      characters = 0;
    };
    for (const folded of this.states.cached()) {
      if (Date.now() > deadline || this.stopping) break;
      const moved = folded.version - this.checkpoints.savedVersion(folded.topic);
      if (folded.version <= 0 || moved < Math.max(1, minEvents)) continue;
      let checkpoint: Checkpoint;
      try {
        checkpoint = FoldCheckpoints.of(folded);
      } catch (error) {
        this.log.warn(`no checkpoint of ${folded.topic}: ${(error as Error).message}`); // the others are still saved
        continue;
      }
      batch.push(checkpoint);
      characters += checkpoint.text.length;
      if (batch.length >= SAVE_TOPICS || characters >= SAVE_CHARACTERS) await flush();
      else await yieldToRequests();
    }
    if (batch.length && Date.now() <= deadline) await flush();
    return saved;
  }
}
