import { longDate } from './dates.js';
import type {
  ActState, ConcessionState, DemandState, Evidence, ItemStance, ProposalState, Response, ThreatState, TopicState,
} from './topic-state.js';
import { WHOLE_TOPIC } from './topic-state.js';

export type OverallStance = ItemStance | 'mixed';

export interface ItemPosition {
  readonly item: string;
  readonly title: string;
  readonly stance: ItemStance;
  readonly reason?: string;
  readonly evidence?: Evidence;
}

export interface ProposalView {
  readonly eventId: string;
  readonly item: string;
  readonly title: string;
  readonly terms: string;
  readonly proposer: string;
  readonly addressees: readonly string[];
  /** Every addressee and every party that answered: accepted, rejected, endorsed, a stated stance, or none. */
  readonly responses: readonly { party: string; response: string; reason?: string; evidence?: Evidence }[];
  readonly evidence: Evidence;
}

export interface ResponseView {
  readonly to: string;
  readonly proposer: string;
  readonly item: string;
  readonly title: string;
  readonly response: string;
  readonly reason?: string;
  readonly evidence: Evidence;
}

export interface DemandView {
  readonly eventId: string;
  readonly kind: 'freeze_demand' | 'demand';
  readonly by: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly what: string;
  readonly condition?: string;
  readonly responses: readonly { party: string; response: string; evidence: Evidence }[];
  readonly evidence: Evidence;
}

export interface ThreatView {
  readonly eventId: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly counterMeasure: string;
  readonly condition?: string;
  readonly evidence: Evidence;
}

export interface ConcessionView {
  readonly eventId: string;
  readonly item?: string;
  readonly terms: string;
  readonly meets?: string;
  readonly evidence: Evidence;
}

export interface ActView {
  readonly eventId: string;
  readonly kind: 'action' | 'agreement';
  readonly targets: readonly string[];
  readonly item?: string;
  readonly description: string;
  readonly accepts?: string;
  readonly evidence: Evidence;
}

/** One party's position on one topic, as DESIGN section 4 defines it (less the date-dependent lists). */
export interface PositionCore {
  readonly party: string;
  readonly topic: string;
  readonly stance: OverallStance;
  readonly topicStance?: ItemPosition;
  readonly items: readonly ItemPosition[];
  readonly openProposals: readonly ProposalView[];
  readonly responses: readonly ResponseView[];
  readonly activeDemands: readonly DemandView[];
  readonly demandsOnParty: readonly DemandView[];
  readonly concessions: readonly ConcessionView[];
  readonly activeThreats: readonly ThreatView[];
  readonly acts: readonly ActView[];
  readonly lastChange: Evidence | null;
}

export interface CatalogItem {
  readonly slug: string;
  readonly title: string;
}

function title(state: TopicState, catalog: ReadonlyMap<string, string>, item: string): string {
  return catalog.get(item) ?? state.items[item]?.title ?? item;
}

function demandView(d: DemandState): DemandView {
  return {
    eventId: d.eventId, kind: d.kind, by: d.actor, targets: d.targets,
    ...(d.item ? { item: d.item } : {}), what: d.what, ...(d.condition ? { condition: d.condition } : {}),
    responses: Object.values(d.responses).map((r) => ({ party: r.party, response: r.response, evidence: r.evidence })),
    evidence: d.evidence,
  };
}

function proposalView(p: ProposalState, itemTitle: string): ProposalView {
  const answered = Object.values(p.responses) as Response[];
  const silent = p.addressees.filter((party) => !p.responses[party]).map((party) => ({ party, response: 'none' }));
  return {
    eventId: p.eventId, item: p.item, title: itemTitle, terms: p.terms, proposer: p.actor, addressees: p.addressees,
    responses: [
      ...answered.map((r) => ({ party: r.party, response: r.response, ...(r.reason ? { reason: r.reason } : {}), evidence: r.evidence })),
      ...silent,
    ],
    evidence: p.evidence,
  };
}

function threatView(t: ThreatState): ThreatView {
  return {
    eventId: t.eventId, targets: t.targets, ...(t.item ? { item: t.item } : {}), counterMeasure: t.counterMeasure,
    ...(t.condition ? { condition: t.condition } : {}), evidence: t.evidence,
  };
}

function concessionView(c: ConcessionState): ConcessionView {
  return { eventId: c.eventId, ...(c.item ? { item: c.item } : {}), terms: c.terms, ...(c.meets ? { meets: c.meets } : {}), evidence: c.evidence };
}

function actView(a: ActState): ActView {
  return {
    eventId: a.eventId, kind: a.kind, targets: a.targets, ...(a.item ? { item: a.item } : {}),
    description: a.description, ...(a.accepts ? { accepts: a.accepts } : {}), evidence: a.evidence,
  };
}

/** Canonical order of listed elements: by their evidence's place in time, then id. */
export function sortByEvidence<T>(list: readonly T[]): T[] {
  const key = (e: T) => {
    const evidence = (e as { evidence: Evidence }).evidence;
    return `${evidence.occurred.to}|${evidence.occurred.from}|${evidence.reportedAt}|${evidence.eventId}`;
  };
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Items in catalog order, then the others by slug, so every read path lists them alike. */
export function itemOrder(catalogItems: readonly CatalogItem[], others: readonly string[]): string[] {
  const catalog = catalogItems.map((i) => i.slug);
  return [...catalog, ...[...new Set(others)].filter((s) => !catalog.includes(s)).sort()];
}

const POSITIVE = new Set<ItemStance>(['proposer', 'supports', 'accepted']);
const NEGATIVE = new Set<ItemStance>(['opposes', 'rejected']);

/** One word for a party's whole stance on a topic: the shared stance of its items, or "mixed". */
export function overallStance(stances: readonly ItemStance[]): OverallStance {
  const known = stances.filter((s) => s !== 'unknown' && s !== 'withdrawn' && s !== 'neutral');
  if (known.length === 0) return stances.includes('neutral') ? 'neutral' : 'unknown';
  const distinct = new Set(known);
  if (distinct.size === 1) return known[0];
  if (known.every((s) => POSITIVE.has(s))) return 'supports';
  if (known.every((s) => NEGATIVE.has(s))) return 'opposes';
  return 'mixed';
}

/** A party's position on the topic from the folded state. */
export function positionOf(state: TopicState, party: string, catalogItems: readonly CatalogItem[] = []): PositionCore {
  const catalog = new Map(catalogItems.map((i) => [i.slug, i.title]));
  const own = state.stances[party] ?? {};
  const itemSlugs = itemOrder(catalogItems, [...Object.keys(state.items), ...Object.keys(own).filter((k) => k !== WHOLE_TOPIC)]);
  const items: ItemPosition[] = itemSlugs.map((item) => {
    const entry = own[item];
    return entry
      ? { item, title: title(state, catalog, item), stance: entry.stance, ...(entry.reason ? { reason: entry.reason } : {}), evidence: entry.evidence }
      : { item, title: title(state, catalog, item), stance: 'unknown' as const };
  });
  const whole = own[WHOLE_TOPIC];
  const topicStance: ItemPosition | undefined = whole
    ? { item: WHOLE_TOPIC, title: 'the topic as a whole', stance: whole.stance, ...(whole.reason ? { reason: whole.reason } : {}), evidence: whole.evidence }
    : undefined;

  const proposals = Object.values(state.proposals);
  const demands = Object.values(state.demands);
  const responses: ResponseView[] = proposals
    .filter((p) => p.actor !== party && p.responses[party])
    .map((p) => {
      const r = p.responses[party];
      return {
        to: p.eventId, proposer: p.actor, item: p.item, title: title(state, catalog, p.item), response: r.response,
        ...(r.reason ? { reason: r.reason } : {}), evidence: r.evidence,
      };
    });

  return {
    party,
    topic: state.topic,
    stance: overallStance([...items.map((i) => i.stance), ...(whole ? [whole.stance] : [])]),
    ...(topicStance ? { topicStance } : {}),
    items,
    openProposals: sortByEvidence(
      proposals.filter((p) => p.actor === party && p.status === 'open').map((p) => proposalView(p, title(state, catalog, p.item))),
    ),
    responses: sortByEvidence(responses),
    activeDemands: sortByEvidence(demands.filter((d) => d.actor === party && d.status === 'active').map(demandView)),
    demandsOnParty: sortByEvidence(demands.filter((d) => d.targets.includes(party) && d.status === 'active').map(demandView)),
    concessions: sortByEvidence(state.concessions.filter((c) => c.actor === party).map(concessionView)),
    activeThreats: sortByEvidence(Object.values(state.threats).filter((t) => t.actor === party && t.status === 'active').map(threatView)),
    acts: sortByEvidence(state.acts.filter((a) => a.actor === party).map(actView)),
    lastChange: state.lastChange[party] ?? null,
  };
}

/** Names for the summary sentence; the caller passes the catalog's names. */
export interface Names {
  party(slug: string): string;
  topic(slug: string): string;
}

function list(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const STANCE_VERB: Partial<Record<ItemStance, string>> = {
  opposes: 'opposed', rejected: 'rejected', supports: 'supported', accepted: 'accepted',
  conditional: 'took a conditional stance on', neutral: 'stayed neutral on',
};

/**
 * A plain-English sentence built from the structure, e.g. "As of 13 October 2007, Russia opposed
 * the US third site, demanded that it be frozen while talks continue, and had on the table ...".
 */
export function summarize(position: PositionCore, at: string, names: Names): string {
  const clauses: string[] = [];
  const byVerb = new Map<string, string[]>();
  for (const item of position.items) {
    const verb = STANCE_VERB[item.stance];
    if (verb) byVerb.set(verb, [...(byVerb.get(verb) ?? []), item.title]);
  }
  for (const [verb, titles] of byVerb) clauses.push(`${verb} ${list(titles)}`);
  if (position.topicStance && STANCE_VERB[position.topicStance.stance] && byVerb.size === 0) {
    clauses.push(`${STANCE_VERB[position.topicStance.stance]} ${names.topic(position.topic)}`);
  }
  for (const demand of position.activeDemands) {
    const on = list(demand.targets.map(names.party));
    clauses.push(
      demand.kind === 'freeze_demand'
        ? `demanded that ${on} freeze ${demand.what}${demand.condition ? ` ${demand.condition}` : ''}`
        : `demanded of ${on}: ${demand.what}`,
    );
  }
  for (const threat of position.activeThreats) clauses.push(`threatened to ${threat.counterMeasure}${threat.condition ? ` ${threat.condition}` : ''}`);
  if (position.concessions.length) clauses.push(`had conceded ${list(position.concessions.map((c) => c.terms))}`);
  if (position.openProposals.length) {
    clauses.push(`had on the table ${list([...new Set(position.openProposals.map((p) => p.title))])}`);
  }
  const who = names.party(position.party);
  const when = `As of ${longDate(at)}`;
  if (clauses.length === 0) return `${when}, ${who} had taken no recorded position on ${names.topic(position.topic)}.`;
  const sentence = clauses.length === 1 ? clauses[0] : `${clauses.slice(0, -1).join(', ')}, and ${clauses[clauses.length - 1]}`;
  return `${when}, ${who} ${sentence}.`;
}
