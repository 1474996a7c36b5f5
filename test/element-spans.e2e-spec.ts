import fc from 'fast-check';
import { withClient } from '../src/database/scratch-database.js';
import { MAX_FINITE_SPAN, UNBOUNDED_SPAN, validOnDay } from '../src/diplomacy/projection/element-spans.js';
import { startCatalogApp } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

const DAY = 86_400_000;
const FIRST = Date.parse('1990-01-01');
const day = (n: number) => new Date(FIRST + n * DAY).toISOString().slice(0, 10);

/** A version's bounds: days from 1990 (any length, one day to decades), or infinite. */
const version = fc
  .record({
    from: fc.oneof(
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 9, arbitrary: fc.integer({ min: 0, max: 15_000 }) },
    ),
    length: fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 40 }) },
      // Lengths at the edges of the spans' classes: 2^k and 2^k + 1 days.
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 13 }).chain((k) => fc.constantFrom(2 ** k, 2 ** k + 1)) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 15_000 }) },
    ),
  })
  .map(({ from, length }) => ({
    validFrom: from === null ? '-infinity' : day(from),
    validTo: from === null || length === null ? 'infinity' : day(from + length),
    // The days at its edges: the day before it, its first and last days, the day it ends.
    edges: from === null ? [] : [from - 1, from, ...(length === null ? [] : [from + length - 1, from + length])],
  }));

/**
 * The span lookup against the definition of valid on a day, on the real table: whatever the
 * versions' lengths and bounds, it finds exactly those with valid_from <= d < valid_to.
 */
describe('versions valid on a day, found by span', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startCatalogApp();
  });
  afterAll(() => t.close());

  it('finds exactly the versions valid on the day', async () => {
    await withClient(t.database.url, async (owner) => {
      // The plan production gets on a big table: index ranges, whose bounds are computed for every span.
      await owner.query('SET enable_seqscan = off');
      await fc.assert(
        fc.asyncProperty(
          fc.array(version, { minLength: 1, maxLength: 120 }),
          fc.array(fc.integer({ min: -400, max: 15_400 }), { minLength: 1, maxLength: 8 }),
          async (versions, days) => {
            await owner.query('DELETE FROM position_elements');
            await owner.query(
              `INSERT INTO position_elements (party, topic, key, valid_from, valid_to, body)
               SELECT 'p', 't', 'k' || n, f, t, '{}' FROM unnest($1::date[], $2::date[]) WITH ORDINALITY AS v(f, t, n)`,
              [versions.map((v) => v.validFrom), versions.map((v) => v.validTo)],
            );
            // Another party's versions valid on every day: never read.
            await owner.query(
              `INSERT INTO position_elements (party, topic, key, valid_from, valid_to, body) VALUES ('q', 't', 'x', '-infinity', 'infinity', '{}')`,
            );
            for (const n of [...days, ...versions.flatMap((v) => v.edges)]) {
              const on = day(n);
              const { rows: found } = await owner.query<{ key: string }>(
                `SELECT e.key FROM ${validOnDay('$1', '$2::date')} ORDER BY 1`,
                ['p', on],
              );
              const { rows: expected } = await owner.query<{ key: string }>(
                `SELECT key FROM position_elements WHERE party = 'p' AND valid_from <= $1::date AND valid_to > $1::date ORDER BY 1`,
                [on],
              );
              expect(found.map((r) => r.key)).toEqual(expected.map((r) => r.key));
            }
          },
        ),
        { numRuns: 40 },
      );
      const { rows: spans } = await owner.query<{ span: number }>('SELECT DISTINCT span FROM position_elements');
      for (const { span } of spans)
        expect(span === UNBOUNDED_SPAN || (span >= 0 && span <= MAX_FINITE_SPAN)).toBe(true);
    });
  });

  it('classes a version by the bit length of its length in days less one', async () => {
    const spanOf = async (from: string, to: string) =>
      withClient(t.database.url, async (owner) => {
        await owner.query('DELETE FROM position_elements');
        await owner.query(
          `INSERT INTO position_elements (party, topic, key, valid_from, valid_to, body) VALUES ('p', 't', 'k', $1, $2, '{}')`,
          [from, to],
        );
        return (await owner.query<{ span: number }>('SELECT span FROM position_elements')).rows[0].span;
      });
    expect(await spanOf('2007-06-07', '2007-06-08')).toBe(0);
    expect(await spanOf('2007-06-07', '2007-06-09')).toBe(1);
    expect(await spanOf('2007-06-07', '2007-06-11')).toBe(2);
    expect(await spanOf('2007-06-07', '2007-06-12')).toBe(3);
    expect(await spanOf('4714-11-24 BC', '5874897-12-31')).toBe(MAX_FINITE_SPAN);
    expect(await spanOf('2007-06-07', 'infinity')).toBe(UNBOUNDED_SPAN);
    expect(await spanOf('-infinity', 'infinity')).toBe(UNBOUNDED_SPAN);
  });
});
