import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { Observable, Subject, type Subscription } from 'rxjs';
import { Channel, DatabaseNotifications } from '../../database/notifications.js';
import { EventStore } from '../../event-store/event-store.js';
import type { StoredEvent } from '../../event-store/stored-event.js';
import { EventRecorded } from '../record-event/event-recorded.event.js';

/**
 * How often the tail looks for new events when nothing woke it: commits of this process wake it at
 * once, and the database's NOTIFY (Channel.log) wakes it for every other process's. Polling stays
 * as the fallback for a notification lost while the listening connection was down.
 */
const POLL_MS = 1000;
/** Rows per read of the log: a burst larger than this is read in several. */
const READ_LIMIT = 1000;

/**
 * One reader of the global log for every live stream of this process. Each stream used to poll
 * the log itself every second: 200 open streams ran ~200 queries a second with nothing new and
 * slowed writes 55x. The tail reads the log once per wake (a commit of this process, or every
 * second for the commits of others) and hands each follower the new events of its stream; it
 * reads nothing while no one follows. Reads stay gap-safe (EventStore.readAll).
 */
@Injectable()
export class LogTail implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LogTail.name);
  private readonly recorded$ = new Subject<readonly StoredEvent[]>();
  /** Every event at or before it has been handed to the followers; undefined while no one follows. */
  private position: number | undefined;
  private followers = 0;
  private poll: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private wakeAgain = false;
  private heard?: Subscription;

  constructor(
    private readonly store: EventStore,
    private readonly notifications: DatabaseNotifications,
  ) {}

  onModuleInit(): void {
    // Any process's commit, this one's included: a wake with nothing new reads nothing more than a poll.
    this.heard = this.notifications.on(Channel.log).subscribe(() => this.wake());
  }

  /**
   * The events of `stream` recorded after `after`, in log order, batch by batch, until unsubscribed.
   * A follower that joins behind the tail first reads the gap itself, then takes the shared reads.
   */
  follow(stream: string, after: number): Observable<readonly StoredEvent[]> {
    return new Observable<readonly StoredEvent[]>((subscriber) => {
      this.position ??= after;
      const sharedFrom = this.position;
      let caughtUp = sharedFrom <= after;
      const held: (readonly StoredEvent[])[] = [];
      const pass = (batch: readonly StoredEvent[]) => {
        const mine = batch.filter((e) => e.stream === stream && e.position > after);
        if (mine.length === 0) return;
        if (caughtUp) subscriber.next(mine);
        else held.push(mine);
      };
      const subscription = this.recorded$.subscribe(pass);
      this.join();
      if (!caughtUp) {
        void this.readGap(stream, after, sharedFrom).then(
          (gap) => {
            if (gap.length) subscriber.next(gap);
            caughtUp = true;
            for (const batch of held.splice(0)) subscriber.next(batch);
          },
          (error: unknown) => subscriber.error(error),
        );
      }
      return () => {
        subscription.unsubscribe();
        this.leave();
      };
    });
  }

  /** A commit of this process: read now rather than at the next poll. */
  wake(): void {
    if (this.followers === 0) return;
    if (this.reading) {
      this.wakeAgain = true; // a commit may have landed after the running read's snapshot
      return;
    }
    this.reading = this.readNew().finally(() => {
      this.reading = undefined;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  /** How many live streams this process serves (for /health and the tests). */
  get followerCount(): number {
    return this.followers;
  }

  onModuleDestroy(): void {
    this.heard?.unsubscribe();
    if (this.poll) clearInterval(this.poll);
    this.recorded$.complete();
  }

  private join(): void {
    this.followers += 1;
    this.poll ??= setInterval(() => this.wake(), POLL_MS);
  }

  private leave(): void {
    this.followers -= 1;
    if (this.followers > 0) return;
    clearInterval(this.poll);
    this.poll = undefined;
    this.position = undefined; // the next follower starts the tail where it stands
  }

  private async readNew(): Promise<void> {
    try {
      for (;;) {
        if (this.position === undefined) return;
        const fresh = await this.store.readAll(this.position, READ_LIMIT);
        if (fresh.length === 0 || this.position === undefined) return;
        this.position = fresh[fresh.length - 1].position;
        this.recorded$.next(fresh);
        if (fresh.length < READ_LIMIT) return;
      }
    } catch (error) {
      // The next wake tries again from the same place: a follower misses nothing.
      this.logger.warn(
        `reading the log for live streams failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async readGap(stream: string, after: number, upTo: number): Promise<StoredEvent[]> {
    const gap: StoredEvent[] = [];
    for (let from = after; ;) {
      const rows = await this.store.readAll(from, READ_LIMIT, stream);
      const wanted = rows.filter((e) => e.position <= upTo);
      gap.push(...wanted);
      if (wanted.length < READ_LIMIT) return gap;
      from = wanted[wanted.length - 1].position;
    }
  }
}

@EventsHandler(EventRecorded)
export class WakeTailOnEventRecorded implements IEventHandler<EventRecorded> {
  constructor(private readonly tail: LogTail) {}

  handle(): void {
    this.tail.wake();
  }
}
