import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { filter, map, type Observable, Subject } from 'rxjs';
import { DataSource } from 'typeorm';

import { Channel } from './channels.js';

export { Channel } from './channels.js';

/**
 * What a listener hears: a notification (`own`: told by this process, from its listening
 * connection), or that notifications may have been missed (a reconnection).
 */
export type Heard =
  { readonly kind: 'notified'; readonly payload: string; readonly own: boolean } | { readonly kind: 'missed' };

const FIRST_RETRY_MS = 250;
/** Tellings of one channel within this long go out as one NOTIFY. */
const TELL_GATHER_MS = 5;
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
  /** Payloads waiting to be told, by channel (one NOTIFY per channel and gathering). */
  private readonly toTell = new Map<Channel, Set<string>>();
  private telling?: NodeJS.Timeout;
  /** The batch being sent, if any: batches go one after the other on the one connection. */
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Tells every process (this one too) that something changed, after the change committed. Sent
   * from the listening connection, outside any write transaction, gathered for a few
   * milliseconds, and with synchronous_commit off: PostgreSQL serializes the commits of
   * transactions that NOTIFY, WAL flush included, and a NOTIFY inside the append transaction (a
   * trigger on the log, tried first) brought 16 writers at 1,000,000 events from 809 to 67
   * appends/s. A notification lost to a crash or a dropped connection costs a delay: listeners
   * poll or reload on `missed`.
   */
  tell(channel: Channel, payload: string): void {
    if (this.closed) return;
    this.connecting ??= this.connect();
    const payloads = this.toTell.get(channel) ?? new Set<string>();
    payloads.add(payload);
    this.toTell.set(channel, payloads);
    this.telling ??= setTimeout(() => void this.sendTold(), TELL_GATHER_MS);
  }

  /**
   * Sends what was told since the last batch, after that batch: a timer's batch could start while
   * the last one's NOTIFYs were still being sent (or the shutdown's beside a timer's), and a pg
   * client given a query while another runs warns that pg 9 will refuse it (it did, in CI).
   */
  private sendTold(): Promise<void> {
    if (this.telling) clearTimeout(this.telling);
    this.telling = undefined;
    this.sending = this.sending.then(() => this.sendBatch()).catch(() => undefined);
    return this.sending;
  }

  private async sendBatch(): Promise<void> {
    await this.connecting; // the first tellings of a process wait for its connection
    const client = this.client;
    if (!client) {
      this.toTell.clear(); // not listening: the others poll, and hear `missed` when this reconnects
      return;
    }
    const batch = [...this.toTell].map(([channel, payloads]) => ({ channel, payload: joinPayloads([...payloads]) }));
    this.toTell.clear();
    try {
      for (const { channel, payload } of batch) await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    } catch (error) {
      this.logger.warn(`telling other processes failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

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
    // What this process wrote last is told before it goes (after any batch still being sent).
    await (this.telling ? this.sendTold() : this.sending);
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
    client.on('notification', ({ channel, payload, processId }) => {
      // This process tells from this connection (tell()): the backend that sent it is this one's.
      const own = processId === (client as pg.Client & { processID?: number }).processID;
      if (channel === Channel.log || channel === Channel.catalog)
        this.heard$.next({ channel, heard: { kind: 'notified', payload: payload ?? '', own } });
    });
    try {
      await client.connect();
      // This connection also tells (tell()): its NOTIFYs need not wait for a WAL flush.
      await client.query(`SET synchronous_commit = off; LISTEN ${Channel.log}; LISTEN ${Channel.catalog}`);
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

/** NOTIFY payloads are at most 8000 bytes: several payloads go as one, or as the channel's catch-all. */
const MAX_PAYLOAD = 7900;

/**
 * Several payloads of one channel as one: log positions as the highest; `items:<topics>` as one
 * list of topics (or `items`, every topic, past the size limit); anything else as the catch-all
 * (an empty payload: "something changed").
 */
export function joinPayloads(payloads: readonly string[]): string {
  if (payloads.length === 1) return payloads[0];
  if (payloads.every((p) => /^[0-9]+$/.test(p))) return String(Math.max(...payloads.map(Number)));
  if (payloads.every((p) => p.startsWith('items:'))) {
    const topics = [...new Set(payloads.flatMap((p) => p.slice(6).split(',')))].join(',');
    return topics.length > MAX_PAYLOAD ? 'items' : `items:${topics}`;
  }
  return '';
}
