/** A party as the catalog names it. */
export interface NamedParty {
  readonly slug: string;
  readonly name: string;
  readonly aliases: readonly string[];
}

/** Matching ignores case, surrounding space and a leading "the" ("the United States" is "United States"). */
const normal = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/^the\s+/, '')
    .replace(/\s+/g, ' ');

/**
 * Finds the party a foreign dataset names: by slug, name or alias. A name two parties share
 * matches neither (undefined), as an unknown one does: the importer must not guess.
 */
export function partyMatcher(parties: Iterable<NamedParty>): (name: string) => string | undefined {
  const byName = new Map<string, string | null>();
  const add = (text: string, slug: string) => {
    const key = normal(text);
    const known = byName.get(key);
    byName.set(key, known === undefined || known === slug ? slug : null);
  };
  for (const party of parties) for (const text of [party.slug, party.name, ...party.aliases]) add(text, party.slug);
  return (name) => byName.get(normal(name)) ?? undefined;
}
