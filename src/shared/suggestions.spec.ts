import { closestSlugs } from './suggestions.js';

const PARTIES = ['russia', 'united-states', 'poland', 'czech-republic', 'nato', 'iran', 'richard-lugar'];

describe('closestSlugs', () => {
  it.each([
    ['rusia', 'russia'],
    ['russa', 'russia'],
    ['polnad', 'poland'],
    ['czech', 'czech-republic'],
    ['united', 'united-states'],
    ['lugar', 'richard-lugar'],
    ['Russia', 'russia'],
    ['iran-', 'iran'],
  ])('suggests %s -> %s first', (wanted, best) => {
    expect(closestSlugs(wanted, PARTIES)[0]).toBe(best);
  });

  it('gives three suggestions by default, or as many as asked', () => {
    expect(closestSlugs('x', PARTIES)).toHaveLength(3);
    expect(closestSlugs('x', PARTIES, 1)).toHaveLength(1);
    expect(closestSlugs('x', ['a'], 3)).toEqual(['a']);
    expect(closestSlugs('x', [])).toEqual([]);
  });

  it('compares only the first 100 characters of a slug of any length (the fuzz sent 100,000)', () => {
    // Unbounded, the edit distance of a 100,000-character slug to a catalog of hundreds took
    // seconds. Not timed here (a loaded machine made a 500 ms bound fail): the answer shows the cut.
    const catalog = [...PARTIES, ...Array.from({ length: 500 }, (_, i) => `party-number-${i}`)];
    expect(closestSlugs(`russia${'x'.repeat(100_000)}`, catalog)[0]).toBe('russia');
    // Compared whole, the slug would contain 'a' x 60 and be 100,001 edits from the other.
    const cut = 'a'.repeat(100);
    expect(closestSlugs(`${cut}${'b'.repeat(100_000)}`, [`${cut}c`, 'a'.repeat(60)])[0]).toBe(`${cut}c`);
  });

  it('ranks by edit distance, then by slug', () => {
    expect(closestSlugs('nata', ['natb', 'nato', 'zzzz'], 2)).toEqual(['natb', 'nato']);
  });

  it('searches names and aliases too, and ranks an exact one first', () => {
    const named = [
      { slug: 'united-states', names: ['the United States', 'USA', 'US'] },
      { slug: 'russia', names: ['Russia', 'Russian Federation'] },
      { slug: 'nato', names: ['NATO', 'North Atlantic Treaty Organization'] },
      { slug: 'ukraine', names: ['Ukraine'] },
    ];
    expect(closestSlugs('usa', named)[0]).toBe('united-states');
    expect(closestSlugs('USA', named)[0]).toBe('united-states');
    expect(closestSlugs('Russian Federation', named)[0]).toBe('russia');
    expect(closestSlugs('north-atlantic-treaty-organisation', named)[0]).toBe('nato');
    // Plain slugs and named ones mix.
    expect(closestSlugs('polnad', ['poland', ...named])[0]).toBe('poland');
  });

  it('does not change the list it is given', () => {
    const known = ['b', 'a'];
    closestSlugs('a', known);
    expect(known).toEqual(['b', 'a']);
  });
});
