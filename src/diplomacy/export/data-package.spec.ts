import { ACLED_COLUMNS } from './acled.row.js';
import { codingTableDigest, dataPackage, TABLE_SCHEMAS } from './data-package.js';
import { POLECAT_COLUMNS } from './polecat.row.js';
import { POSITION_COLUMNS } from './positions.row.js';

describe('the data package', () => {
  const paths = {
    log: 'events.jsonl',
    plover: 'events.plover.jsonl',
    polecat: 'p.csv',
    acled: 'a.csv',
    positions: 'positions.csv',
    coding: 'coding.csv',
  };
  const snapshot = {
    knownAt: '2007-12-31T23:59:59.999Z',
    logPosition: 79,
    at: '2007-12-31',
    createdAt: '2026-12-06T10:00:00.000Z',
  };

  it('records the snapshot: known-at instant, log position, day of the positions, coding tables', () => {
    const descriptor = dataPackage(snapshot, paths);
    expect(descriptor).toMatchObject({
      profile: 'data-package',
      name: 'stance-snapshot-79',
      created: '2026-12-06T10:00:00.000Z',
      stance: {
        knownAt: '2007-12-31T23:59:59.999Z',
        logPosition: 79,
        positionsAt: '2007-12-31',
        coding: { digest: codingTableDigest() },
      },
    });
    expect(descriptor.title).toContain('as publicly known at 2007-12-31T23:59:59.999Z');
    expect(descriptor.resources.map((r) => [r.name, r.path, r.format])).toEqual([
      ['log', 'events.jsonl', 'jsonl'],
      ['plover', 'events.plover.jsonl', 'jsonl'],
      ['polecat', 'p.csv', 'csv'],
      ['acled', 'a.csv', 'csv'],
      ['positions', 'positions.csv', 'csv'],
      ['coding', 'coding.csv', 'csv'],
    ]);
  });

  it('describes each table with the columns its row mapping writes, in order', () => {
    expect(TABLE_SCHEMAS.polecat.fields.map((f) => f.name)).toEqual([...POLECAT_COLUMNS]);
    expect(TABLE_SCHEMAS.acled.fields.map((f) => f.name)).toEqual([...ACLED_COLUMNS]);
    expect(TABLE_SCHEMAS.positions.fields.map((f) => f.name)).toEqual([...POSITION_COLUMNS]);
    expect(TABLE_SCHEMAS.acled.fields.find((f) => f.name === 'time_precision')).toMatchObject({ type: 'integer' });
  });

  it('digests the coding table: 16 hex digits, the same every time', () => {
    expect(codingTableDigest()).toMatch(/^[0-9a-f]{16}$/);
    expect(codingTableDigest()).toBe(codingTableDigest());
  });
});
