import { inlineEvidence, withEvidenceMap } from './evidence-map.js';
import { CATALOG, command, given, positionIn, SPEAKERS, story } from '../testing/fixtures.js';

/** Whether any object in a value still looks like an evidence card (a source and a report time). */
function cardsInline(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + cardsInline(v), 0);
  if (typeof value !== 'object' || value === null) return 0;
  const own = 'source' in value && 'reportedAt' in value ? 1 : 0;
  return own + Object.values(value).reduce((n: number, v) => n + cardsInline(v), 0);
}

describe('evidence map: each card once per answer', () => {
  const { usThirdSite, gabala, freeze } = story;
  const { state } = given([
    usThirdSite,
    gabala,
    freeze,
    command('rejection', {
      id: 'no-freeze',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'freeze',
      occurred: '2007-10-13',
      reportedAt: '2007-10-13',
    }),
  ]);
  const positions = ['russia', 'united-states'].map((party) => positionIn(state, party, CATALOG));

  it('given positions citing the same events many times, when mapped, then no card is left in place and each is in the map once', () => {
    const { value, evidence } = withEvidenceMap(positions, SPEAKERS);
    expect(cardsInline(positions)).toBeGreaterThan(Object.keys(evidence).length); // cards repeat inline
    expect(cardsInline(value)).toBe(0);
    expect(Object.keys(evidence).sort()).toEqual(['freeze', 'gabala', 'no-freeze', 'us-site']);
    expect(JSON.stringify({ value, evidence }).length).toBeLessThan(JSON.stringify(positions).length);
  });

  it('given a mapped answer, when its cards are put back, then it is the answer it was', () => {
    const { value, evidence } = withEvidenceMap(positions, SPEAKERS);
    expect(inlineEvidence(value, evidence)).toEqual(positions);
  });

  it('given a reference the map does not hold, when put back, then it says so rather than showing nothing', () => {
    const { value } = withEvidenceMap(positions, SPEAKERS);
    expect(() => inlineEvidence(value, {})).toThrow(/evidence map does not hold/);
  });
});

describe("evidence map: the speaker's role on the event's day", () => {
  const putin = (id: string, occurred: string, role?: string, reportedAt = `${occurred.slice(-10)}T12:00:00Z`) =>
    command('statement', {
      id,
      occurred,
      reportedAt,
      speaker: { name: 'putin', ...(role !== undefined ? { role } : {}) },
    });
  const { state } = given([
    putin('as-president', '2007-06-07'),
    putin('as-prime-minister', '2008-06-01'),
    putin('in-may', '2008-05-01/2008-05-31'),
    putin('own-role', '2008-06-02', 'President of Russia'),
    // Dated "May 2008" and reported on 5 May: said by 5 May, while Putin was still President (to 7 May).
    putin('reported-in-may', '2008-05', undefined, '2008-05-05T12:00:00Z'),
  ]);
  const { evidence } = withEvidenceMap(positionIn(state, 'russia', CATALOG), SPEAKERS);
  const role = (id: string) => evidence[id]?.speaker?.role;

  it('given no role in the event, then the role the catalog says the speaker held on its day, matched by alias in any case', () => {
    expect(role('as-president')).toBe('President of Russia');
    expect(role('as-prime-minister')).toBe('Prime Minister of Russia');
  });

  it('given an interval, then the role on its last day, the day the event counts from', () => {
    expect(role('in-may')).toBe('Prime Minister of Russia');
  });

  it('given an interval reported before it ends, then the role on the day of the report, the day the event counts from (lastPossibleDay)', () => {
    expect(role('reported-in-may')).toBe('President of Russia');
  });

  it('given a role in the event, then that role: it is what the source said', () => {
    expect(role('own-role')).toBe('President of Russia');
  });

  it('keeps the name as the event gave it', () => {
    expect(evidence['as-president']?.speaker?.name).toBe('putin');
  });
});
