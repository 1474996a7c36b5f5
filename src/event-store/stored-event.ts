/** An event handed to the store. The store knows nothing of what `type` and `data` mean. */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Correlation and causation ids; not part of the event's identity. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** When it happened, as dates (YYYY-MM-DD), inclusive. */
  readonly occurredFrom?: string | null;
  readonly occurredTo?: string | null;
  /** When the world learned of it (ISO 8601). */
  readonly reportedAt?: string | null;
}

/** An event as stored: its place in its stream and in the global log, and when this system learned it. */
export interface StoredEvent {
  readonly position: number;
  readonly id: string;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly occurredFrom: string | null;
  readonly occurredTo: string | null;
  readonly reportedAt: string | null;
  readonly recordedAt: string;
}

/** GET /log: a page of the global log in position order, and the cursor to ask for the next one. */
export interface LogPage {
  readonly events: readonly StoredEvent[];
  /** The position to pass as `after` for the next page. */
  readonly next: number;
  readonly hasMore: boolean;
}

export interface StreamAppend {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  /** The version the stream must be at (0 for a new stream); absent means "any". */
  readonly expectedVersion?: number;
}

/** How an append writes (AppendTransaction.append). */
export interface AppendOptions {
  /** What this transaction read of the streams and ids (tx.read), so append does not read them again. */
  readonly read?: StreamsRead;
  /**
   * `request` (the default): one statement (append_events), then the registered inline
   * projections, in the transaction. `bulk`, for a bulk import's thousands of events: one stream,
   * written with COPY, and no inline projection: the caller projects the events, which it holds,
   * in the same transaction.
   */
  readonly mode?: 'request' | 'bulk';
}

export interface AppendResult {
  /** Every event of the request, stored now or earlier. */
  readonly events: readonly StoredEvent[];
  /** True when every event was already stored with the same payload: nothing was written. */
  readonly duplicate: boolean;
}

/** What a writer read of some streams and ids inside its transaction, with the streams locked. */
export interface StreamsRead {
  /** Each stream's current version (0 for a new stream). */
  readonly versions: ReadonlyMap<string, number>;
  /** The ids asked about, and the events already stored under some of them. */
  readonly ids: ReadonlySet<string>;
  readonly stored: ReadonlyMap<string, StoredEvent>;
}
