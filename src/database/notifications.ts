import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { filter, map, type Observable, Subject } from 'rxjs';
import { DataSource } from 'typeorm';

import { Channel } from './channels.js';

export { Channel } from './channels.js';

/** What a listener hears: a notification, or that notifications may have been missed (a reconnection). */
export type Heard = { readonly kind: 'notified'; readonly payload: string } | { readonly kind: 'missed' };

const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 5000;

/**
 * One connection of this process that LISTENs to the channels, kept apart from the pool: a
 * LISTEN lives on its session, and a pooled connection goes back to other work (pgbouncer in
 * transaction mode cannot carry it either: see the README). Notifications are a wake-up, never
 * the data itself: a listener reads what changed from the tables, and keeps polling as a fallback,
 * so a notification lost while the connection was down (announced as `missed`) costs a delay,
 * never an answer. Node's `pg` client is used directly: the wrappers on npm (pg-listen and the
 * like) add a reconnect loop of the same size and have not been released for years.
 */
@Injectable()
export class DatabaseNotifications implements OnModuleDestroy {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly heard$ = new Subject<{ channel: Channel; heard: Heard }>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private retryMs = FIRST_RETRY_MS;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly dataSource: DataSource) {}

  /** What is heard on `channel`; the connection opens with the first listener. */
  on(channel: Channel): Observable<Heard> {
    this.connecting ??= this.connect();
    return this.heard$.pipe(
      filter((h) => h.channel === channel),
      map((h) => h.heard),
    );
  }

  /** Resolves once the connection listens (or has failed once and retries in the background). */
  async ready(): Promise<void> {
    await this.connecting;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    this.heard$.complete();
  }

  private async connect(): Promise<void> {
    const { url } = this.dataSource.options as { url?: string };
    const client = new pg.Client({ connectionString: url, application_name: 'stance-listener' });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      this.reconnectLater(why);
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('the connection ended'));
    client.on('notification', ({ channel, payload }) => {
      if (channel === Channel.log || channel === Channel.catalog)
        this.heard$.next({ channel, heard: { kind: 'notified', payload: payload ?? '' } });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${Channel.log}; LISTEN ${Channel.catalog}`);
      if (this.closed) {
        await client.end();
        return;
      }
      const reconnected = this.retryMs !== FIRST_RETRY_MS || this.client !== undefined;
      this.client = client;
      this.retryMs = FIRST_RETRY_MS;
      // While the connection was down, notifications were lost: every listener catches up.
      if (reconnected)
        for (const channel of Object.values(Channel)) this.heard$.next({ channel, heard: { kind: 'missed' } });
    } catch (error) {
      client.end().catch(() => undefined);
      this.reconnectLater(error instanceof Error ? error.message : String(error));
    }
  }

  private reconnectLater(why: string): void {
    if (this.closed) return;
    this.logger.warn(`listening for changes stopped (${why}); trying again in ${this.retryMs} ms, polling meanwhile`);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connecting = this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }
}
