import { GroupCommit, type Claim, type Outcome } from './group-commit.js';

interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A batch being written: it stays open until the test settles it. */
interface Write {
  readonly batch: readonly Claim[];
  readonly done: Deferred<readonly Outcome<string>[]>;
}

function groupCommit({ maxBatch = 64, writers = 1 } = {}) {
  const writes: Write[] = [];
  const commits = new GroupCommit<Claim, string>({
    write: (batch) => {
      const done = deferred<readonly Outcome<string>[]>();
      writes.push({ batch, done });
      return done.promise;
    },
    claim: (request) => request,
    maxBatch,
    writers,
  });
  /** Submits a request and keeps its answer or error (so that no rejection goes unhandled meanwhile). */
  const submit = (id: string, topic: string, refersTo?: string): Promise<Outcome<string>> =>
    commits.submit({ id, topic, refersTo }).then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error }),
    );
  /** The ids of each batch written so far, in the order they were started. */
  const batches = () => writes.map(({ batch }) => batch.map(({ id }) => id));
  return { submit, writes, batches };
}

/** Answers every request of a write, each with its own answer. */
const commit = (write: Write) => write.done.resolve(write.batch.map(({ id }) => ({ answer: `recorded ${id}` })));

/** Lets the scheduler start what a settled write made possible: promise callbacks only, no clock. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes the requests that arrive while a batch is written together, in the next batch', async () => {
    const { submit, writes, batches } = groupCommit();
    const first = submit('a', 'cfe-treaty');
    const later = [submit('b', 'inf-treaty'), submit('c', 'start-follow-on')];
    expect(batches()).toEqual([['a']]);

    commit(writes[0]);
    await settled();
    expect(batches()).toEqual([['a'], ['b', 'c']]);
    commit(writes[1]);
    expect(await first).toEqual({ answer: 'recorded a' });
    expect(await Promise.all(later)).toEqual([{ answer: 'recorded b' }, { answer: 'recorded c' }]);
  });

  it('puts one request per topic in a batch, and holds a topic being written for a later batch', async () => {
    const { submit, writes, batches } = groupCommit({ writers: 2 });
    void submit('a', 'cfe-treaty');
    void submit('b', 'cfe-treaty');
    void submit('c', 'inf-treaty');
    void submit('d', 'cfe-treaty');
    void submit('e', 'g8-climate');
    // A writer was free for b, but its topic was being written.
    expect(batches()).toEqual([['a'], ['c']]);

    commit(writes[0]);
    await settled();
    expect(batches()).toEqual([['a'], ['c'], ['b', 'e']]);
    commit(writes[2]);
    await settled();
    expect(batches()).toEqual([['a'], ['c'], ['b', 'e'], ['d']]);
  });

  it('makes a request that names an event id being written wait for it', async () => {
    const { submit, writes, batches } = groupCommit({ writers: 2 });
    void submit('x', 'cfe-treaty');
    const retry = submit('x', 'inf-treaty');
    const reference = submit('r', 'start-follow-on', 'x');
    void submit('y', 'g8-climate');
    expect(batches()).toEqual([['x'], ['y']]);

    commit(writes[0]);
    await settled();
    // The reference waits for the retry too: it must find x written, whichever request writes it.
    expect(batches()).toEqual([['x'], ['y'], ['x']]);
    commit(writes[2]);
    await settled();
    expect(batches()).toEqual([['x'], ['y'], ['x'], ['r']]);
    commit(writes[3]);
    expect(await retry).toEqual({ answer: 'recorded x' });
    expect(await reference).toEqual({ answer: 'recorded r' });
  });

  it('writes no more than maxBatch requests in one batch, oldest first', async () => {
    const { submit, writes, batches } = groupCommit({ maxBatch: 3 });
    void submit('blocker', 'g8-climate');
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) void submit(id, `topic ${id}`);

    for (let i = 0; i < 3; i++) {
      commit(writes[i]);
      await settled();
    }
    expect(batches()).toEqual([['blocker'], ['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
  });

  it('writes no more than `writers` batches at once', async () => {
    const { submit, writes, batches } = groupCommit({ writers: 2 });
    for (const id of ['a', 'b', 'c', 'd']) void submit(id, `topic ${id}`);
    expect(batches()).toEqual([['a'], ['b']]);

    commit(writes[1]);
    await settled();
    expect(batches()).toEqual([['a'], ['b'], ['c', 'd']]);
  });

  it('gives each request its own answer: one refused does not refuse the others', async () => {
    const { submit, writes, batches } = groupCommit();
    void submit('blocker', 'g8-climate');
    const answers = [submit('a', 'cfe-treaty'), submit('b', 'inf-treaty'), submit('c', 'start-follow-on')];
    commit(writes[0]);
    await settled();

    const refused = new Error('b is refused');
    writes[1].done.resolve([{ answer: 'recorded a' }, { error: refused }, { answer: 'recorded c' }]);
    expect(await Promise.all(answers)).toEqual([
      { answer: 'recorded a' },
      { error: refused },
      { answer: 'recorded c' },
    ]);
    expect(batches()).toHaveLength(2);
  });

  it('writes each request of a failed batch again alone, so only the one at fault fails', async () => {
    const { submit, writes, batches } = groupCommit({ writers: 2 });
    void submit('blocker', 'g8-climate');
    void submit('other', 'nato-enlargement');
    const answers = [submit('a', 'cfe-treaty'), submit('b', 'inf-treaty'), submit('c', 'start-follow-on')];
    commit(writes[0]);
    await settled();
    expect(batches()).toEqual([['blocker'], ['other'], ['a', 'b', 'c']]);

    writes[2].done.reject(new Error('the shared transaction failed'));
    await settled();
    expect(batches().slice(3)).toEqual([['a']]);
    // While b and c are written again, their topics stay taken.
    const waiting = submit('d', 'inf-treaty');
    commit(writes[1]);
    await settled();
    expect(batches().slice(3)).toEqual([['a']]);

    commit(writes[3]);
    await settled();
    const atFault = new Error('b is at fault');
    writes[4].done.reject(atFault);
    await settled();
    commit(writes[5]);
    await settled();
    expect(batches().slice(3)).toEqual([['a'], ['b'], ['c'], ['d']]);
    commit(writes[6]);
    expect(await Promise.all(answers)).toEqual([
      { answer: 'recorded a' },
      { error: atFault },
      { answer: 'recorded c' },
    ]);
    expect(await waiting).toEqual({ answer: 'recorded d' });
  });

  it('fails a request written alone with the error of its transaction', async () => {
    const { submit, writes, batches } = groupCommit();
    const answer = submit('a', 'cfe-treaty');
    const failure = new Error('the transaction failed');
    writes[0].done.reject(failure);
    expect(await answer).toEqual({ error: failure });
    expect(batches()).toEqual([['a']]);
  });
});
