import { longDate, parseDay } from './dates.js';

describe('parseDay: a day typed into a date field', () => {
  it("takes ISO days and the page's own style, full or short month, any case", () => {
    expect(parseDay('2007-10-14')).toBe('2007-10-14');
    expect(parseDay('14 October 2007')).toBe('2007-10-14');
    expect(parseDay(' 3 apr 2008 ')).toBe('2008-04-03');
    expect(parseDay('14 Oct. 2007')).toBe('2007-10-14');
  });

  it('reads back every day the page writes', () => {
    for (const day of ['2007-01-01', '2007-10-14', '2008-02-29', '1999-12-31'])
      expect(parseDay(longDate(day))).toBe(day);
  });

  it('refuses what names no real day, or no day at all', () => {
    for (const text of [
      '31 September 2007',
      '2007-02-29',
      '2007-13-01',
      '10/14/2007',
      '14 Oc 2007',
      '2007-10',
      'soon',
      '',
    ])
      expect(parseDay(text)).toBeNull();
  });
});
