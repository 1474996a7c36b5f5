/** What a request names, so that requests written together cannot change each other's answers. */
export interface Claim {
  /** Its topic: one request per topic in a batch, each decided against the topic as recorded before it. */
  readonly topic: string;
  /** The event id it records: while it is written, a retry of it waits, and then answers as the first time. */
  readonly id: string;
  /** The event it refers to: while that one is written, it waits, so that it then finds it. */
  readonly refersTo?: string;
}

/** What writing a batch answers one of its requests; a failure here fails that request alone. */
export type Outcome<Answer> = { readonly answer: Answer } | { readonly error: unknown };

export interface GroupCommitOptions<Request, Answer> {
  /** Writes a batch in one transaction: one outcome per request, in order; throws if the transaction fails. */
  readonly write: (batch: readonly Request[]) => Promise<readonly Outcome<Answer>[]>;
  readonly claim: (request: Request) => Claim;
  /** Requests in one batch at most. */
  readonly maxBatch: number;
  /** Batches written at once. */
  readonly writers: number;
}

/**
 * The names a request locks while its batch is written, and those it waits for; topics and
 * event ids share one set of names, so each says which it is.
 */
function lockKeys({ topic, id, refersTo }: Claim): { held: string[]; awaited: string[] } {
  const held = [`topic:${topic}`, `id:${id}`];
  return { held, awaited: refersTo ? [...held, `id:${refersTo}`] : held };
}

interface Pending<Request, Answer> {
  readonly request: Request;
  readonly keys: { held: string[]; awaited: string[] };
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: requests that arrive while others are being written wait and are written
 * together, so a transaction's locks, round trips and commit are shared by all of them. Each
 * request still gets its own answer, and if a shared transaction fails, each of its requests is
 * written again alone, so only the one at fault fails.
 */
export class GroupCommit<Request, Answer> {
  private readonly queue: Pending<Request, Answer>[] = [];
  private writing = 0;
  /** The lock keys of the batches being written now: a request naming one waits for a later batch. */
  private readonly busy = new Set<string>();

  constructor(private readonly options: GroupCommitOptions<Request, Answer>) {}

  submit(request: Request): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, keys: lockKeys(this.options.claim(request)), resolve, reject });
      this.startWriters();
    });
  }

  private startWriters(): void {
    while (this.writing < this.options.writers) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const held = batch.flatMap(({ keys }) => keys.held);
      held.forEach((key) => this.busy.add(key));
      this.writing++;
      void this.write(batch).finally(() => {
        held.forEach((key) => this.busy.delete(key));
        this.writing--;
        this.startWriters();
      });
    }
  }

  /** The queued requests that can be written together, oldest first. */
  private takeBatch(): Pending<Request, Answer>[] {
    const batch: Pending<Request, Answer>[] = [];
    const taken = new Set<string>();
    const free = (key: string) => !this.busy.has(key) && !taken.has(key);
    for (let i = 0; i < this.queue.length && batch.length < this.options.maxBatch;) {
      const { keys } = this.queue[i];
      if (keys.awaited.every(free)) {
        batch.push(...this.queue.splice(i, 1));
        keys.held.forEach((key) => taken.add(key));
      } else {
        i++;
      }
    }
    return batch;
  }

  private async write(batch: readonly Pending<Request, Answer>[]): Promise<void> {
    let outcomes: readonly Outcome<Answer>[];
    try {
      outcomes = await this.options.write(batch.map(({ request }) => request));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const pending of batch) await this.write([pending]);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) pending.reject(outcome.error);
      else pending.resolve(outcome.answer);
    });
  }
}
