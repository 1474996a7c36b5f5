import { inlineEvidence, withEvidenceMap } from './evidence-map.js';
import { CATALOG, command, given, positionIn, story } from '../testing/fixtures.js';

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
    const { value, evidence } = withEvidenceMap(positions);
    expect(cardsInline(positions)).toBeGreaterThan(Object.keys(evidence).length); // cards repeat inline
    expect(cardsInline(value)).toBe(0);
    expect(Object.keys(evidence).sort()).toEqual(['freeze', 'gabala', 'no-freeze', 'us-site']);
    expect(JSON.stringify({ value, evidence }).length).toBeLessThan(JSON.stringify(positions).length);
  });

  it('given a mapped answer, when its cards are put back, then it is the answer it was', () => {
    const { value, evidence } = withEvidenceMap(positions);
    expect(inlineEvidence(value, evidence)).toEqual(positions);
  });

  it('given a reference the map does not hold, when put back, then it says so rather than showing nothing', () => {
    const { value } = withEvidenceMap(positions);
    expect(() => inlineEvidence(value, {})).toThrow(/evidence map does not hold/);
  });
});
