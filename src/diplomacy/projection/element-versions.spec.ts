import { elementId } from '../domain/positions/elements.js';
import { command, given, story } from '../domain/testing/fixtures.js';
import { effectiveLog } from '../domain/time/timeline.js';
import { DayLedger, elementTimeline, type ElementVersion } from './element-versions.js';

const { gabala, usThirdSite } = story;

describe('elementTimeline', () => {
  it('keeps each element with the days it held, closing a version when the element changes or goes', () => {
    const s = given([
      gabala,
      command('rejection', {
        id: 'no',
        actor: 'united-states',
        refersTo: 'gabala',
        occurred: '2007-06-10',
        reportedAt: '2007-06-11',
      }),
      command('withdrawal', {
        id: 'drop',
        targets: [],
        refersTo: 'gabala',
        occurred: '2007-06-20',
        reportedAt: '2007-06-21',
      }),
    ]);
    const { versions, state } = elementTimeline(s.state.topic, effectiveLog(s.events).events);
    expect(state).toEqual(s.state);
    const of = (party: string, key: string) =>
      versions
        .filter((v) => v.party === party && v.key === key)
        .map((v) => [
          v.validFrom,
          v.validTo,
          typeof v.body === 'string' ? v.body : (v.body as { evidence: string }).evidence,
        ]);
    expect(of('russia', 'proposal:gabala')).toEqual([
      ['2007-06-07', '2007-06-10', 'gabala'],
      ['2007-06-10', '2007-06-20', 'gabala'],
    ]);
    expect(of('russia', 'item:azerbaijan-radar')).toEqual([
      ['2007-06-07', '2007-06-20', 'gabala'],
      ['2007-06-20', null, 'drop'],
    ]);
    expect(of('united-states', 'response:gabala')).toEqual([['2007-06-10', '2007-06-20', 'no']]); // the proposal is withdrawn
    expect(of('united-states', 'item:azerbaijan-radar')).toEqual([['2007-06-10', null, 'no']]);
    expect(of('russia', 'closed:gabala')).toEqual([['2007-06-20', null, 'gabala']]);
    // Its last change is its own event; the last change affecting it may be another party's.
    expect(of('united-states', 'last-change')).toEqual([['2007-06-10', null, 'no']]);
    expect(of('united-states', 'last-affecting')).toEqual([
      ['2007-06-07', '2007-06-10', 'gabala'],
      ['2007-06-10', '2007-06-20', 'no'],
      ['2007-06-20', null, 'drop'],
    ]);
  });

  it('compares elements only at the end of a day: what changes back within the day makes no version', () => {
    const s = given([
      usThirdSite,
      command('statement', {
        id: 'a',
        actor: 'poland',
        targets: [],
        occurred: '2007-02-01',
        reportedAt: '2007-02-02',
        payload: { stance: 'supports', item: 'us-third-site' },
      }),
      command('statement', {
        id: 'b',
        actor: 'poland',
        targets: [],
        occurred: '2007-02-01',
        reportedAt: '2007-02-03',
        payload: { stance: 'opposes', item: 'us-third-site' },
      }),
    ]);
    const { versions } = elementTimeline(s.state.topic, effectiveLog(s.events).events);
    const stance = versions.filter((v) => v.party === 'poland' && v.key === 'item:us-third-site');
    expect(stance).toEqual([
      {
        party: 'poland',
        key: 'item:us-third-site',
        validFrom: '2007-02-01',
        validTo: null,
        body: expect.objectContaining({ stance: 'opposes' }),
      },
    ]);
  });
});

describe('DayLedger', () => {
  const A = { value: 'a' };
  const B = { value: 'b' };
  const C = { value: 'c' };
  const id = elementId('russia', 'item:x');
  const DAY = '2007-06-10';
  const row = (kind: string, body?: object) => ({
    kind,
    party: 'russia',
    key: 'item:x',
    day: DAY,
    ...(body ? { body } : {}),
  });
  const version = (validFrom: string, validTo: string | null, body: object): ElementVersion => ({
    party: 'russia',
    key: 'item:x',
    validFrom,
    validTo,
    body,
  });
  /** A ledger whose last day is `day`; with `start`, item:x changed that day and began it as `start` (null: absent). */
  const ledger = (day: string, start?: object | null) =>
    start === undefined
      ? DayLedger.of([], day)
      : DayLedger.of(
          start === null ? [version(day, null, B)] : [version('2007-06-01', day, start), version(day, null, B)],
          day,
        );
  const advance = (from: DayLedger, before: object | null, after: object | null) =>
    from.advance(DAY, new Map([[id, { before, after }]]));

  it('writes nothing for an element whose body did not change, whatever its key order', () => {
    expect(advance(ledger('2007-06-01'), { a: 1, b: 2 }, { b: 2, a: 1 })).toEqual([]);
  });

  it('opens a version for a new element', () => {
    expect(advance(ledger('2007-06-01'), null, A)).toEqual([row('open', A)]);
  });

  it('closes the version of an earlier day and opens one for the new body', () => {
    expect(advance(ledger('2007-06-01'), A, B)).toEqual([row('close'), row('open', B)]);
  });

  it('closes the version of an element that is gone', () => {
    expect(advance(ledger('2007-06-01'), A, null)).toEqual([row('close')]);
  });

  it("rewrites a version opened earlier the same day: today's value is not history yet", () => {
    expect(advance(ledger(DAY, A), B, C)).toEqual([row('rewrite', C)]);
  });

  it('drops the version opened today and reopens the one closed today when the element changes back the same day', () => {
    expect(advance(ledger(DAY, A), B, A)).toEqual([row('drop'), row('reopen')]);
  });

  it('drops a version opened today when the element goes the same day, leaving the one closed today closed', () => {
    expect(advance(ledger(DAY, A), B, null)).toEqual([row('drop')]);
  });

  it('reopens the version closed today when a gone element comes back as it was', () => {
    expect(advance(ledger(DAY, A), null, A)).toEqual([row('reopen')]);
  });

  it('opens a new version when a gone element comes back different', () => {
    expect(advance(ledger(DAY, A), null, B)).toEqual([row('open', B)]);
  });

  it('treats an element first changed today like one changed on an earlier day', () => {
    expect(advance(ledger(DAY), A, B)).toEqual([row('close'), row('open', B)]);
  });

  it('forgets what changed on an earlier day once a new day begins', () => {
    const moved = ledger('2007-06-01', A);
    moved.advance(DAY, new Map());
    expect([moved.day, moved.changedOnDay]).toEqual([DAY, new Map()]);
  });

  it('remembers how each changed element began the day, for the next events of that day', () => {
    const moving = ledger('2007-06-01');
    moving.advance(DAY, new Map([[id, { before: A, after: B }]]));
    expect(moving.changedOnDay).toEqual(new Map([[id, A]]));
    expect(advance(moving, B, A)).toEqual([row('drop'), row('reopen')]);
  });

  it('refuses to go back to an earlier day', () => {
    expect(() => ledger('2007-06-11').advance(DAY, new Map())).toThrow(/forward/);
  });

  it('finds, from stored versions, the elements that changed on the last day, with their body when it began', () => {
    const at = (key: string, validFrom: string, validTo: string | null, body: string): ElementVersion => ({
      party: 'p',
      key,
      validFrom,
      validTo,
      body,
    });
    const versions = [
      at('changed', '2007-06-01', '2007-06-10', 'a'),
      at('changed', '2007-06-10', null, 'b'),
      at('new', '2007-06-10', null, 'c'),
      at('gone', '2007-06-02', '2007-06-10', 'd'),
      at('untouched', '2007-06-03', null, 'e'),
      at('earlier', '2007-06-01', '2007-06-04', 'f'),
    ];
    const found = DayLedger.of(versions, '2007-06-10');
    expect(found.day).toBe('2007-06-10');
    expect(found.changedOnDay).toEqual(
      new Map([
        [elementId('p', 'changed'), 'a'],
        [elementId('p', 'new'), null],
        [elementId('p', 'gone'), 'd'],
      ]),
    );
  });
});
