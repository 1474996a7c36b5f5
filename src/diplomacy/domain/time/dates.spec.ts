import {
  dayOf,
  formatOccurred,
  longDate,
  occurredDate,
  parseInstant,
  parseOccurred,
  parseOccurredInput,
  todayIso,
} from './dates.js';

describe('parseOccurred', () => {
  it.each([
    ['2007-06-07', { from: '2007-06-07', to: '2007-06-07', precision: 'day' }],
    ['2007-07', { from: '2007-07-01', to: '2007-07-31', precision: 'month' }],
    ['2007-06', { from: '2007-06-01', to: '2007-06-30', precision: 'month' }],
    ['2007-02', { from: '2007-02-01', to: '2007-02-28', precision: 'month' }],
    ['2008-02', { from: '2008-02-01', to: '2008-02-29', precision: 'month' }],
    ['2007', { from: '2007-01-01', to: '2007-12-31', precision: 'year' }],
    ['2007-10-12/2007-10-13', { from: '2007-10-12', to: '2007-10-13', precision: 'interval' }],
    ['2007-10-12..2007-10-13', { from: '2007-10-12', to: '2007-10-13', precision: 'interval' }],
    ['2007-07/2007-08', { from: '2007-07-01', to: '2007-08-31', precision: 'interval' }],
    ['2007-06-15/2007-07', { from: '2007-06-15', to: '2007-07-31', precision: 'interval' }],
    ['2007/2008', { from: '2007-01-01', to: '2008-12-31', precision: 'interval' }],
    ['2007-10-12 / 2007-10-13', { from: '2007-10-12', to: '2007-10-13', precision: 'interval' }],
    ['2007-10-12/2007-10-12', { from: '2007-10-12', to: '2007-10-12', precision: 'interval' }],
    ['2008-02-29', { from: '2008-02-29', to: '2008-02-29', precision: 'day' }],
    ['2000-02-29', { from: '2000-02-29', to: '2000-02-29', precision: 'day' }],
  ])('reads %s', (text, expected) => {
    expect(parseOccurred(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2007-10-13/2007-10-12', 'the interval "2007-10-13/2007-10-12" ends before it starts'],
    ['2007-08/2007-07', 'ends before it starts'],
    ['2007-02-30', '"2007-02-30" is not a real calendar date'],
    ['2007-02-29', '"2007-02-29" is not a real calendar date'],
    ['1900-02-29', '"1900-02-29" is not a real calendar date'],
    ['2007-04-31', 'is not a real calendar date'],
    ['2007-06-00', 'is not a real calendar date'],
    ['2007-13', '"2007-13" is not a real month'],
    ['2007-00', 'is not a real month'],
    ['2007-13-01', 'is not a real calendar date'],
    ['June 2007', 'is not a date: use YYYY-MM-DD, YYYY-MM or YYYY'],
    ['2007-6-7', 'is not a date'],
    ['', 'is not a date'],
    ['2007-06-07T10:00:00Z', 'is not a date'],
    ['2007-01/2007-02/2007-03', 'has more than two ends'],
    ['2007-10-12/2007-02-30', 'is not a real calendar date'],
    ['2007-13/2008', 'is not a real month'],
  ])('rejects %j', (text, problem) => {
    const parsed = parseOccurred(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });
});

describe('parseOccurredInput', () => {
  it('reads the date alone, or with its basis kept beside it', () => {
    expect(parseOccurredInput('2007-07')).toEqual(parseOccurred('2007-07'));
    expect(parseOccurredInput({ date: '2007-07-01/2007-07-02', basis: 'the summit days' })).toEqual({
      ok: true,
      value: { from: '2007-07-01', to: '2007-07-02', precision: 'interval', basis: 'the summit days' },
    });
    expect(parseOccurredInput({ date: '2007-13', basis: 'x' })).toEqual(parseOccurred('2007-13'));
    expect(occurredDate({ date: '2007', basis: 'x' })).toBe('2007');
  });
});

describe('formatOccurred', () => {
  it.each(['2007-06-07', '2007-07', '2007', '2007-10-12/2007-10-13'])('writes %s back as it was given', (text) => {
    const parsed = parseOccurred(text);
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(formatOccurred(parsed.value)).toBe(text);
  });

  it('writes the ".." form of an interval in the ISO form', () => {
    const parsed = parseOccurred('2007-10-12..2007-10-13');
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(formatOccurred(parsed.value)).toBe('2007-10-12/2007-10-13');
  });
});

describe('parseInstant', () => {
  it('reads a day as the end of that UTC day by default, so everything reported that day counts', () => {
    expect(parseInstant('2007-06-08')).toEqual({ ok: true, value: '2007-06-08T23:59:59.999Z' });
  });

  it('reads a day as its start when asked (a report date)', () => {
    expect(parseInstant('2007-06-08', 'start')).toEqual({ ok: true, value: '2007-06-08T00:00:00.000Z' });
  });

  it.each([
    ['2007-06-08T10:30:00Z', '2007-06-08T10:30:00.000Z'],
    ['2007-06-08T10:30Z', '2007-06-08T10:30:00.000Z'],
    ['2007-06-08T10:30:00.250Z', '2007-06-08T10:30:00.250Z'],
    ['2007-06-08T10:30:00+02:00', '2007-06-08T08:30:00.000Z'],
    ['2007-06-08T01:00:00+03:00', '2007-06-07T22:00:00.000Z'],
  ])('reads the timestamp %s as the UTC instant %s, whatever dayMeans says', (text, iso) => {
    expect(parseInstant(text)).toEqual({ ok: true, value: iso });
    expect(parseInstant(text, 'start')).toEqual({ ok: true, value: iso });
  });

  it('accepts 29 February in a leap year and refuses it otherwise', () => {
    expect(parseInstant('2008-02-29').ok).toBe(true);
    expect(parseInstant('2008-02-29T12:00:00Z').ok).toBe(true);
    expect(parseInstant('2007-02-29').ok).toBe(false);
    expect(parseInstant('2007-02-29T12:00:00Z')).toEqual({
      ok: false,
      problem: '"2007-02-29T12:00:00Z" is not a real date and time',
    });
  });

  it.each(['2007-02-30', '2007-13-01'])('refuses the impossible day %s', (text) => {
    expect(parseInstant(text)).toEqual({ ok: false, problem: `"${text}" is not a real calendar date` });
  });

  it.each(['2007-06-08T10:30:00', '2007-06-08 10:30Z', 'yesterday', '2007-06', '08/06/2007', '2007-06-08T23:60Z'])(
    'refuses %j',
    (text) => {
      const parsed = parseInstant(text);
      expect(parsed.ok).toBe(false);
    },
  );

  it('explains what it expects', () => {
    expect(parseInstant('yesterday')).toEqual({
      ok: false,
      problem: '"yesterday" is not an ISO 8601 date (YYYY-MM-DD) or timestamp (YYYY-MM-DDTHH:MM:SSZ)',
    });
  });
});

describe('the years a date may have (1 to 9999, as PostgreSQL and ISO 8601 here)', () => {
  it('refuses year 0 in a day, a month, a year and an interval', () => {
    for (const text of ['0000-01-01', '0000-06', '0000', '0000-12-31/2007-01-01'])
      expect(parseOccurred(text)).toEqual({ ok: false, problem: expect.stringMatching(/outside the years 1 to 9999/) });
    expect(parseInstant('0000-01-01')).toEqual({ ok: false, problem: expect.stringMatching(/outside the years/) });
  });

  it('refuses an instant that an offset carries outside them, and keeps the edges', () => {
    expect(parseInstant('9999-12-31T23:30:00-01:00')).toEqual({
      ok: false,
      problem: expect.stringMatching(/once converted to UTC/),
    });
    expect(parseInstant('0001-01-01T00:30:00+01:00')).toEqual({ ok: false, problem: expect.stringMatching(/UTC/) });
    expect(parseInstant('9999-12-31T23:59:59Z')).toEqual({ ok: true, value: '9999-12-31T23:59:59.000Z' });
    expect(parseInstant('0001-01-01')).toEqual({ ok: true, value: '0001-01-01T23:59:59.999Z' });
    expect(parseOccurred('0001-01-01/9999-12-31')).toMatchObject({ ok: true });
  });
});

describe('day helpers', () => {
  it('dayOf takes the UTC day of an instant', () => {
    expect(dayOf('2007-06-08T23:59:59.999Z')).toBe('2007-06-08');
  });

  it('todayIso is the UTC day of the given clock', () => {
    expect(todayIso(new Date('2026-01-01T23:30:00-02:00'))).toBe('2026-01-02');
  });

  it.each([
    ['2007-10-13', '13 October 2007'],
    ['2007-01-01', '1 January 2007'],
    ['2008-02-29', '29 February 2008'],
    ['2007-12-31', '31 December 2007'],
  ])('longDate writes %s as %s', (day, text) => {
    expect(longDate(day)).toBe(text);
  });
});
