/** Edit distance, for "did you mean" answers to unknown slugs. */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** A known slug and the other names it goes by (a party's name and aliases, an item's title). */
export interface Named {
  readonly slug: string;
  readonly names: readonly string[];
}

/**
 * The edit distance costs the product of the two lengths: a 100,000-character slug against a
 * catalog of hundreds kept a request busy for seconds (found by the fuzz test). No slug is longer
 * than 80 characters, so both sides are cut to 100.
 */
const MAX_COMPARED = 100;

/** A name as a slug would spell it: "the United States" -> "united-states". */
function slugLike(name: string): string {
  return name
    .slice(0, MAX_COMPARED)
    .toLowerCase()
    .replace(/^the\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

function score(wanted: string, candidate: string): number {
  if (candidate === wanted) return -1000;
  const contains = candidate.includes(wanted) || wanted.includes(candidate) ? -100 : 0;
  return contains + distance(wanted, candidate);
}

/**
 * The known slugs closest to `wanted`: a slug or name that matches it exactly first, then shared
 * prefixes and substrings, then by edit distance. Names count as the slug they belong to, so
 * "usa" finds united-states when USA is one of its aliases.
 */
export function closestSlugs(wanted: string, known: readonly (string | Named)[], count = 3): string[] {
  const w = slugLike(wanted) || wanted.slice(0, MAX_COMPARED).toLowerCase();
  return known
    .map((entry) => {
      const { slug, names } = typeof entry === 'string' ? { slug: entry, names: [] } : entry;
      const best = Math.min(score(w, slug), ...names.map((name) => score(w, slugLike(name))));
      return { slug, score: best };
    })
    .sort((a, b) => a.score - b.score || a.slug.localeCompare(b.slug))
    .slice(0, count)
    .map((s) => s.slug);
}
