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

const MAX_COMPARED = 100;

/** The known slugs closest to `wanted`: shared prefixes and substrings first, then by edit distance. */
export function closestSlugs(wanted: string, known: readonly string[], count = 3): string[] {
  // The edit distance costs the product of the two lengths: a 100,000-character slug against a
  // catalog of hundreds kept a request busy for seconds. No slug is longer than 80 characters.
  const w = wanted.slice(0, MAX_COMPARED).toLowerCase();
  return [...known]
    .map((slug) => {
      const contains = slug.includes(w) || w.includes(slug) ? -100 : 0;
      return { slug, score: contains + distance(w, slug) };
    })
    .sort((a, b) => a.score - b.score || a.slug.localeCompare(b.slug))
    .slice(0, count)
    .map((s) => s.slug);
}
