import type { FieldProblem } from './problem.js';
import { closestSlugs, type Named } from './suggestions.js';

/**
 * Speakers as the catalog knows them (issue 17): a person with the names they go by and the
 * roles they held, each for its days. Both sides use this one module: the catalog checks and
 * stores speakers with it, and the diplomacy domain matches an event's speaker to it (decide)
 * and shows the role held on the event's day (evidence-map.ts). It lives in the shared kernel
 * because the catalog may not import the domain, nor the domain the catalog.
 */

/** A role held from `from` to `to`, both days (YYYY-MM-DD) inclusive; a bound left out is open. */
export interface SpeakerRole {
  readonly role: string;
  readonly from?: string;
  readonly to?: string;
}

/** A speaker of the catalog, who speaks for `party`. */
export interface CatalogSpeaker {
  readonly name: string;
  readonly party: string;
  readonly aliases: readonly string[];
  /** In order of their first day; no two share a day. */
  readonly roles: readonly SpeakerRole[];
}

/** How names are compared: any case, any run of spaces, Unicode in one normal form. */
export function speakerKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a calendar day YYYY-MM-DD of the years 1-9999 (PostgreSQL has no year 0). */
export function isDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  if (year < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads years 0-99 as 1900-1999
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const START = '0000-00-00';
const END = '9999-99-99';
const startOf = (role: SpeakerRole) => role.from ?? START;
const endOf = (role: SpeakerRole) => role.to ?? END;

/** The role held on `day` (YYYY-MM-DD), if one was. */
export function roleOn(roles: readonly SpeakerRole[], day: string): string | undefined {
  return roles.find((r) => startOf(r) <= day && day <= endOf(r))?.role;
}

const describe = (role: SpeakerRole) =>
  `"${role.role}"${role.from ? ` from ${role.from}` : ''}${role.to ? ` to ${role.to}` : ''}`;

/**
 * What is wrong with a speaker's roles, each problem naming its field (`roles.1.to`, as the
 * validation of the request names nested fields): days that are not YYYY-MM-DD, a role that ends
 * before it starts, two roles sharing a day. One role a day: the role an answer shows for a day
 * must be one.
 */
export function roleProblems(roles: readonly SpeakerRole[], field = 'roles'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  roles.forEach((role, i) => {
    if (role.role.trim() === '') problems.push({ field: `${field}.${i}.role`, problem: 'must not be empty' });
    for (const bound of ['from', 'to'] as const) {
      const day = role[bound];
      if (day !== undefined && !isDay(day))
        problems.push({ field: `${field}.${i}.${bound}`, problem: 'must be a day, YYYY-MM-DD' });
    }
    if (role.from && role.to && isDay(role.from) && isDay(role.to) && role.to < role.from)
      problems.push({ field: `${field}.${i}.to`, problem: `must not be before from (${role.from})` });
  });
  if (problems.length) return problems;
  const byStart = roles
    .map((role, index) => ({ role, index }))
    .sort((a, b) => startOf(a.role).localeCompare(startOf(b.role)));
  for (let k = 1; k < byStart.length; k++) {
    const [before, after] = [byStart[k - 1], byStart[k]];
    if (endOf(before.role) < startOf(after.role)) continue;
    const [first, second] = before.index < after.index ? [before, after] : [after, before];
    problems.push({
      field: `${field}.${second.index}`,
      problem: `${describe(second.role)} overlaps roles.${first.index} (${describe(first.role)}): a speaker holds one role a day`,
    });
  }
  return problems;
}

/** The roles in order of their first day, as they are stored and listed. */
export function inDayOrder(roles: readonly SpeakerRole[]): SpeakerRole[] {
  return [...roles].sort((a, b) => startOf(a).localeCompare(startOf(b)));
}

/** What an event's speaker name is, as the catalog knows it. */
export type SpeakerMatch =
  | { readonly speaker: CatalogSpeaker }
  | { readonly unknown: true; readonly suggestions: readonly string[] }
  /** Speakers of several other parties go by this name, and none of the party's own. */
  | { readonly ambiguous: readonly CatalogSpeaker[] };

/**
 * Every speaker of the catalog, indexed by each name and alias (speakerKey). Built once per
 * catalog snapshot; a match is a lookup and a walk up the party's parents.
 */
export class SpeakerDirectory {
  private readonly byKey = new Map<string, CatalogSpeaker[]>();

  constructor(
    private readonly speakers: readonly CatalogSpeaker[],
    /** The party a party belongs to (the US Congress within the United States), if any. */
    private readonly parentOf: (party: string) => string | undefined,
  ) {
    for (const speaker of speakers) {
      // The name first: a speaker found by name is listed before one found by alias.
      for (const name of [speaker.name, ...speaker.aliases]) {
        const key = speakerKey(name);
        const known = this.byKey.get(key) ?? [];
        if (!known.includes(speaker)) this.byKey.set(key, [...known, speaker]);
      }
    }
  }

  static readonly EMPTY = new SpeakerDirectory([], () => undefined);

  /** The speakers, of one party or all, by party then name. */
  list(party?: string): CatalogSpeaker[] {
    return this.speakers
      .filter((s) => party === undefined || s.party === party)
      .sort((a, b) => a.party.localeCompare(b.party) || a.name.localeCompare(b.name));
  }

  /** The speakers called `name`, by name or alias (speakerKey), of any party. */
  called(name: string): readonly CatalogSpeaker[] {
    return this.byKey.get(speakerKey(name)) ?? [];
  }

  /**
   * The catalog's speaker an event of `party` names by `name`: one of the party's own speakers,
   * else of the party it belongs to (and up), else the only speaker of any other party so
   * called: a speaker may report what another party said (Rice telling what the Russians said
   * in Moscow, seed fox-2008-04-03). Unknown: the closest names, to suggest.
   */
  match(name: string, party: string): SpeakerMatch {
    const known = this.called(name);
    const seen = new Set<string>();
    for (let p: string | undefined = party; p !== undefined && !seen.has(p); p = this.parentOf(p)) {
      seen.add(p);
      const own = known.find((s) => s.party === p);
      if (own) return { speaker: own };
    }
    if (known.length === 1) return { speaker: known[0] };
    if (known.length > 1) return { ambiguous: known };
    return { unknown: true, suggestions: this.closest(name) };
  }

  /** The role the speaker an event of `party` names held on `day`, where the catalog says. */
  roleOf(name: string, party: string, day: string): string | undefined {
    const found = this.match(name, party);
    return 'speaker' in found ? roleOn(found.speaker.roles, day) : undefined;
  }

  /** The closest names of the catalog's speakers, by name and aliases. */
  closest(name: string): string[] {
    const byName = new Map<string, Named>();
    for (const s of this.speakers) {
      const entry = byName.get(s.name);
      byName.set(s.name, { slug: s.name, names: [...(entry?.names ?? [s.name]), ...s.aliases] });
    }
    return closestSlugs(name, [...byName.values()]);
  }
}
