/**
 * A position in words: the summary sentence of a party's position on a topic, built from its
 * structure (docs/architecture.md, "Positions"), and which elements it reads (the compact view
 * fetches only those).
 */
import { longDate, occurredPhrase } from '../time/dates.js';
import { lastPossibleDay } from '../time/order.js';
import type { Evidence } from '../records/topic-state.js';
import { type ClosedStatus, type ItemStance, type ReactionKind, WHOLE_TOPIC } from '../records/topic-state.js';
import {
  type ActView,
  type ClosedView,
  type DemandView,
  evidenceOrder,
  type PositionCore,
  type ReactionLinkView,
  type ReactionView,
} from '../positions/position.js';
import { type ElementBody, ElementKey } from '../positions/elements.js';
import { groupBy } from '../../../shared/group-by.js';

/** Names for the summary sentence; the caller passes the catalog's names. */
export interface Names {
  /** A party's name inside a sentence ("the United States": inSentence). */
  readonly party: (slug: string) => string;
  /** A topic's title inside a sentence (topicInSentence). */
  readonly topic: (slug: string) => string;
  /** A party's possessive: "its", or "their" for a party whose name is plural ("European G8 countries"). */
  readonly its: (slug: string) => Possessive;
}

export type Possessive = 'its' | 'their';

/** The party as a clause's subject after the first ("it withdrew ...", "they withdrew ..."): plural as its possessive is. */
const pronoun = (names: Pick<Names, 'its'>, slug: string) => (names.its(slug) === 'their' ? 'they' : 'it');

/** "was" or "were", as the party's name is singular or plural ("the European G8 countries were party to ..."). */
const was = (names: Pick<Names, 'its'>, slug: string) => (names.its(slug) === 'their' ? 'were' : 'was');

/** A party name for a reaction's clause (the page passes its own names: the catalog's). */
export type PartyNames = Pick<Names, 'party' | 'its'>;

function list(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const STANCE_VERB: Partial<Record<ItemStance, string>> = {
  opposes: 'opposed',
  rejected: 'rejected',
  supports: 'supported',
  accepted: 'accepted',
  conditional: 'took a conditional stance on',
  neutral: 'stayed neutral on',
};

const REACTION_VERB: Record<ReactionKind, string> = {
  welcomed: 'welcomed',
  condemned: 'condemned',
  conditional: 'set conditions on',
  noted: 'took note of',
  rejected: 'rejected',
  agreed: 'agreed to',
};

/**
 * A reaction in words, as the summary and the page say it: "welcomed the withdrawal by the United
 * States of the US third site". `party` names a party in a sentence.
 */
export function reactionText(reaction: Pick<ReactionView, 'reaction' | 'to'>, names: PartyNames): string {
  return `${REACTION_VERB[reaction.reaction]} ${decisionPhrase(reaction.to, names, reaction.to.title)}`;
}

/** A decision as a summary names it: "the withdrawal by the United States of the US third site". */
function decisionPhrase(to: ReactionLinkView, names: PartyNames, itemTitle?: string): string {
  const by = names.party(to.by);
  const its = names.its(to.by);
  const what = itemTitle ? shortTitle(itemTitle) : to.what;
  switch (to.decision) {
    case 'withdrawal':
      // What was taken back: a threat or a demand is not its item ("the withdrawal by Russia of
      // Shield plan" said of Russia's threat against the US plan, which was still on the table).
      return to.record === 'threat'
        ? `the withdrawal by ${by} of ${its} threat to ${to.what}`
        : to.record === 'demand'
          ? `the withdrawal by ${by} of ${its} demand${itemTitle ? ` on ${what}` : ` ${quoted(to.what)}`}`
          : `the withdrawal by ${by} of ${what}`;
    case 'threat':
      return `the threat by ${by} to ${to.what || what}`;
    case 'agreement':
      return `the agreement by ${by} on ${what}`;
    case 'concession':
      return `the concession by ${by} on ${to.what}`;
    case 'endorsement':
      return `the endorsement by ${by} of ${what}`;
    case 'action':
      // An act is named in its recorder's words, quoted ("the decision by the United States to
      // reimposed sanctions" bent them into a verb phrase they were not written as).
      return `the action by ${by} “${to.what}”`;
  }
}

/**
 * The part of an item title before any colon, as a sentence says it: "the US third site: 10
 * interceptors..." -> "the US third site"; "The deal" -> "the deal" (titleInSentence).
 */
function shortTitle(title: string): string {
  return titleInSentence(title.split(':')[0].trim());
}

/**
 * When a clause's event happened, in the words of its evidence's precision ("on 6 June 2007", "in
 * June 2007", "between 1 January and 6 June 2007"): an event known only to have happened by a day
 * is never said to have happened on it (the US third site "proposed on 6 June 2007", dated
 * 1 January to 6 June), nor on the day it was reported ("in July 2022", reported and counted from
 * 10 July). An answer that counts later than its own date (it answers something dated after it)
 * is said on the day it counts; an event that counts earlier (an answer to it proves it had
 * happened by then: provenDays) in its source's words, which that day falls within.
 */
function when(evidence: Pick<Evidence, 'occurred' | 'reportedAt'>, counts: string = lastPossibleDay(evidence)): string {
  return counts <= lastPossibleDay(evidence) ? occurredPhrase(evidence.occurred) : `on ${longDate(counts)}`;
}

/**
 * The day an element counts from, as the fold stored it on the element (evolve: placeOf) and the
 * position reads it: a reaction's, an act's, a proposal's or an answer's `countsFrom`. Every day a
 * clause says of an element, and every turning point's day, is this one: the summary derives no
 * counting rule of its own ("welcomed the withdrawal ... on 3 June" was said of a reaction dated
 * 3 June to a withdrawal counted from 10 June, a day on which it did not count yet).
 */
export const countsFrom = (element: { readonly countsFrom: string }): string => element.countsFrom;

/** An element's day in a clause: the day it counts from, in the words of its evidence's precision where that is the day (when). */
const saidOn = (element: {
  readonly countsFrom: string;
  readonly evidence: Pick<Evidence, 'occurred' | 'reportedAt'>;
}) => when(element.evidence, countsFrom(element));

/** Words a recorder wrote, quoted in a sentence: an act, a demand with no item ("its demand “lift the hold”"). */
const quoted = (words: string) => `“${words}”`;

/**
 * What a closed record was about, after its kind: " to aim missiles at Europe" (a threat), " on the
 * US third site" (an item), or a demand's or concession's own words, quoted: a demand's are a verb
 * phrase by convention ("lift the hold"), and "its demand on lift the hold" was no English.
 * `title` is the item's title.
 */
function aboutRecord(c: Pick<ClosedView, 'record' | 'item' | 'what'>, title: string): string {
  if (c.record === 'threat') return ` to ${c.what}`;
  return (c.record === 'demand' || c.record === 'concession') && !c.item ? ` ${quoted(c.what)}` : ` on ${title}`;
}

/** How a closed record reads in a summary: "withdrew its threat to ...", "saw its demand ... refused by ...". */
function closedClause(c: ClosedView, party: string, names: Names, titleOf: (c: ClosedView) => string): string {
  const what =
    c.record === 'demand' && c.evidence.type === 'freeze_demand'
      ? `demand that ${list(c.targets.map(names.party))} freeze ${titleOf(c)}`
      : `${c.record}${aboutRecord(c, titleOf(c))}`;
  const own = c.closed.party === party;
  const who = names.party(c.closed.party);
  const its = names.its(party);
  const on = when(c.closed.evidence, c.closed.on);
  switch (c.status) {
    case 'withdrawn':
      return own ? `withdrew ${its} ${what} ${on}` : `saw ${its} ${what} withdrawn by ${who} ${on}`;
    case 'refused':
      return `had ${its} ${what} refused by ${answeredBy(c, 'rejected', names)} ${on}`;
    case 'met':
      return `had ${its} ${what} met by ${who} ${on}`;
    case 'accepted':
      return `had ${its} ${what} accepted by ${answeredBy(c, 'accepted', names)} ${on}`;
    case 'conceded':
      return `backed down on ${its} ${what} ${on}`;
    case 'superseded':
      return `restated ${its} ${what} ${on}`;
    case 'carried-out':
      return `carried out ${its} ${what} ${on}`;
    case 'moot':
      if (mootFromItsStart(c))
        return `saw ${its} ${what} moot from the start: ${who} had ended what it was about ${when(c.closed.evidence)}`;
      // Its own decision (withdrawing the plan a sub-proposal depended on) is not done to it by itself.
      return own
        ? `saw ${its} ${what} made moot by ${its} own ${c.closed.evidence.type.replace(/_/g, ' ')} ${on}`
        : `saw ${its} ${what} made moot by ${who} ${on}`;
  }
}

/**
 * A record moot on the day it was made: what it was about had ended by then (evolve's
 * mootFromItsStart: closed on its own day, by the earlier event that ended its item). Said so,
 * with the day of the end, not as though the end came on its day; the page says it alike.
 * One ended later on its day (the cascade) was not moot from its start: its end comes after it.
 */
export const mootFromItsStart = (c: ClosedView): boolean =>
  c.status === 'moot' &&
  c.closed.on === c.countsFrom &&
  evidenceOrder(c.closed.evidence, c.closed.on) < evidenceOrder(c.evidence, c.countsFrom);

/**
 * The answers of `response` that closed a record: those counted by the day it closed. A party
 * that signed a proposal others had accepted already answered it, but did not accept it then.
 */
const answersThatClosed = (c: ClosedView, response: string) =>
  c.responses.filter((r) => r.response === response && (r.countsFrom === undefined || r.countsFrom <= c.closed.on));

/**
 * Who closed a record by their answers: every party whose answer was `response` (a demand made of
 * two parties is refused by both, a proposal to two accepted by both), else the closure's party.
 */
function answeredBy(c: ClosedView, response: string, names: Names): string {
  const parties = partiesOnce(answersThatClosed(c, response).map((r) => r.party));
  return parties.length ? joinNames(parties.map(names.party)) : names.party(c.closed.party);
}

/** Each party once, in the order first named: a list names no party twice ("the Czech Republic and the Czech Republic"). */
const partiesOnce = (parties: readonly string[]) => [...new Set(parties)];

/** Whether `party`'s own answer is among those that closed another party's record (it refused, met or accepted it). */
const closedByAnswerOf = (c: ClosedView, party: string) =>
  c.closed.party === party ||
  (c.status === 'refused' && answersThatClosed(c, 'rejected').some((r) => r.party === party)) ||
  (c.status === 'accepted' && answersThatClosed(c, 'accepted').some((r) => r.party === party));

/**
 * What a party's answer or decision did to another's record that closed: refused, met or accepted
 * it, or made it moot (its withdrawal of the plan the record was about: "closed" said more than happened).
 */
const answerVerb = (c: ClosedView) =>
  c.status === 'refused' || c.status === 'met' || c.status === 'accepted' || c.status === 'moot' ? c.status : 'closed';

/** Another's record as a clause names it: "the demand of Russia on the US third site", "the demand of Russia “lift the hold”". */
const othersRecord = (c: ClosedView, title: string, names: Names) =>
  `the ${c.record} of ${names.party(c.by)}${aboutRecord(c, title)}`;

/** The response that refuses or accepts a record, as its answers name it. */
const CLOSING_RESPONSE: Partial<Record<ClosedStatus, string>> = { refused: 'rejected', accepted: 'accepted' };

/**
 * The party's own answer among those that closed another's record, and the day it counts: a
 * demand made of two parties closes when the second refuses it, but the first refused it on its
 * own day ("refused the demand of Betania on 15 January", the other party's day, was said of a
 * refusal of 12 January). The closure itself where the party's event closed it, or where its
 * answer is not in the record (a reader that holds only the closure).
 */
function ownAnswer(
  c: ClosedView,
  party: string,
): { readonly evidence: Pick<Evidence, 'occurred' | 'reportedAt'>; readonly on: string } {
  const closure = { evidence: c.closed.evidence, on: c.closed.on };
  const response = CLOSING_RESPONSE[c.status];
  if (c.closed.party === party || !response) return closure;
  const own = answersThatClosed(c, response).find((r) => r.party === party);
  if (!own?.evidence || own.countsFrom === undefined) return closure;
  // The day it counts from (no earlier than what it answers, as the fold stored it), and no later
  // than the closure it was one of.
  const counts = own.countsFrom;
  return { evidence: own.evidence, on: counts < c.closed.on ? counts : c.closed.on };
}

/** When the party's own answer that closed another's record counts, in words ("on 12 January 2022"). */
const answeredOn = (c: ClosedView, party: string) => {
  const { evidence, on } = ownAnswer(c, party);
  return when(evidence, on);
};

/** "refused the demand of Russia on the US third site on 12 October 2007": the party's answer that closed another's record. */
function answerClause(c: ClosedView, party: string, title: string, names: Names): string {
  const record = othersRecord(c, title, names);
  if (mootFromItsStart(c)) return `saw ${record}, made ${when(c.evidence)}, moot from the start`;
  const verb = answerVerb(c);
  const on = answeredOn(c, party);
  return verb === 'moot' ? `made ${record} moot ${on}` : `${verb} ${record} ${on}`;
}

/**
 * Each party's first withdrawal from an agreement: the one that took it out (a later one changes
 * nothing). decide refuses a second withdrawal now (standing.ts), but a log written before that
 * may hold one, and the log is never rewritten: so this stays.
 */
function firstWithdrawals<L extends { readonly party: string; readonly on: string }>(left: readonly L[]): L[] {
  const first = new Map<string, L>();
  for (const l of left) if (!first.has(l.party) || l.on < first.get(l.party)!.on) first.set(l.party, l);
  return [...first.values()];
}

/** Closures that are turning points: within this many days before `at` they lead the summary. */
export const TURNING_POINT_DAYS = 92;

/**
 * Actions the summary says: those of the 12 months before `at` (the default history window), the
 * older ones being in the position's `acts`. Bounded so that a compact answer reads a year of a
 * party's acts, not every act of its history (acts never close: at 1,000,000 events a busy party
 * holds thousands).
 */
export const ACTION_DAYS = 366;

/** The kinds of element that hold a closed record: the party's own (closed) and another's it is in (closed-on). */
export const CLOSURE_KINDS = ['closed', 'closed-on'] as const;

/** What a summary that says only the party's latest closure or action reads beyond summaryReads: the closures of the window, and every act. */
export const LATEST_KINDS: readonly string[] = [...CLOSURE_KINDS, 'act', 'agreement'];

/**
 * Which kinds of element the summary (and the stance) may read, by kind alone (summaryReads
 * decides each element): `always` at any date, `recent` only when the stored version began within
 * TURNING_POINT_DAYS before `at` (a closure or reaction never begins before the day it happened),
 * `year` when it began within ACTION_DAYS (actions, for the actions said), never the others
 * (trails, answers to others' proposals, reactions to the party). A
 * reader that fetches only these (the compact view, in SQL) fetches a superset of what
 * summaryReads reads; a property test holds the two together.
 */
export const SUMMARY_READ_KINDS = {
  always: [
    'item',
    'topic-stance',
    'proposal',
    'demand',
    'demand-on',
    'threat',
    'threat-on',
    'concession',
    'last-change',
    'last-affecting',
    // An agreement in force, or left, is said however old (an agreement's key is its own: ElementKey.agreement).
    'agreement',
  ],
  recent: [...CLOSURE_KINDS, 'reaction'],
  /** Read when the version began within ACTION_DAYS before `at`: actions, for the actions the summary says. */
  year: ['act'],
} as const;

/**
 * What the summary (and the stance) of a position read of an element, so that a reader that
 * needs only those (the compact view) fetches no other evidence card: 'whole' (the element with
 * its evidence, which orders lists and dates signings), 'body' (stances: ordered by the catalog,
 * their evidence unused), 'none' (trails, answers to others' proposals, closures older than the
 * turning-point window, actions older than ACTION_DAYS). `since` is the day the stored version
 * began: an act's version never begins before the act ends. Kept beside summaryClauses, whose reads
 * it follows; the corpus e2e test compares compact lines with full positions at many dates.
 */
export function summaryReads(key: string, body: ElementBody, at: string, since: string): 'whole' | 'body' | 'none' {
  if (key.startsWith('item:') || key === ElementKey.stance(WHOLE_TOPIC)) return 'body';
  // Replaced stances, responses, and the topic's own titles (read with the answer's items, not as elements of it).
  if (key.startsWith('was:') || key.startsWith('response:') || key.startsWith('title:')) return 'none';
  if (key.startsWith('closed:') || key.startsWith('closed-on:'))
    return daysBetween((body as { closed: { on: string } }).closed.on, at) <= TURNING_POINT_DAYS ? 'whole' : 'none';
  if (key.startsWith('reaction:')) return daysBetween(since, at) <= TURNING_POINT_DAYS ? 'whole' : 'none';
  if (key.startsWith('reaction-on:')) return 'none';
  // An action is said for a year (a turning point while recent, then among what the party had
  // done); an agreement (its own key kind, read 'whole' below) while it is in force, and a
  // withdrawal from it whenever it is the latest.
  if (key.startsWith('act:')) return daysBetween(since, at) <= ACTION_DAYS ? 'whole' : 'none';
  return 'whole';
}

/** About how many words a summary may take (docs/architecture.md, "Positions"). */
export const SUMMARY_WORDS = 60;

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * A plain-English sentence built from the structure, e.g. "As of 8 June 2007, Russia withdrew its
 * threat to aim missiles at Europe on 7 June 2007, opposed the US third site and had on the table
 * joint use of the Gabala radar." Turning points (records closed in the three months before `at`,
 * latest first; signings) lead, then the standing position: stances, demands, threats, what is on
 * the table. Clauses are added while the sentence stays within about 60 words. Each item appears
 * under one stance only (a party has one current stance per item), so it cannot contradict itself.
 */
export function summarize(
  position: PositionCore,
  at: string,
  names: Names,
  knownAt?: string,
  possiblyInEffect = 0,
): string {
  return summaryOf(position, at, names, knownAt, possiblyInEffect).text;
}

/**
 * The summary (summarize), and whether it says only the position's latest closure: nothing stands
 * and no turning point is recent, so it names the latest record closed in the history window,
 * however old. A reader of only what summaryReads reads (the compact view) has not fetched the
 * closures older than the turning-point window: for such a position it fetches them and asks
 * again, so its summary is the full position's.
 */
export function summaryOf(
  position: PositionCore,
  at: string,
  names: Names,
  knownAt?: string,
  /** How many events involving the party are possibly in effect at `at` (its `possiblyInEffect` list). */
  possiblyInEffect = 0,
): { readonly text: string; readonly saysOnlyItsLatest: boolean } {
  const text = (said: string) => ({ text: said, saysOnlyItsLatest: clauses.length === 0 });
  const who = names.party(position.party);
  const asOf = `As of ${longDate(at)}${knownAt ? `, as publicly known on ${longDate(knownAt.slice(0, 10))}` : ''}`;
  const clauses = summaryClauses(position, at, names, clauseBudget(at, who)).map((c) => c.text);
  const topic = names.topic(position.topic);
  if (clauses.length === 0) {
    // Nothing stands and no turning point is recent, but the position may still hold what closed
    // or what the party did: the latest of those is said, not "no recorded position" beside a list
    // of closed records or acts (the US Congress's funding hold, older than the year of actions said).
    const last = [latestClosure(position, names), latestAction(position), latestWithdrawalFromAgreement(position)]
      .filter((c): c is DatedClause => c !== undefined)
      .reduce<DatedClause | undefined>((latest, c) => (!latest || c.on > latest.on ? c : latest), undefined);
    if (last)
      return text(
        `${asOf}, ${who} had no standing position on ${topic}; ${pronoun(names, position.party)} ${last.text}.`,
      );
    // Records older than the history window are not in the position, but the party did record
    // something: "no recorded position" would deny it (history=all says the closure).
    if (position.lastChange)
      return text(
        `${asOf}, ${who} had no standing position on ${topic}, where ${names.its(position.party)} latest recorded event was ${when(position.lastChange)}.`,
      );
    // A topic where the party has only possibly-in-effect events is listed (DESIGN section 4): "no
    // recorded position" alone would read as if it had said nothing, beside its own statement dated
    // "October 2007" on 15 October. Not counted, so nothing of it is said as its stance.
    if (possiblyInEffect > 0)
      return text(
        `${asOf}, ${who} had taken no recorded position on ${topic}, though ${possiblyInEffectClause(possiblyInEffect, who)}.`,
      );
    return text(`${asOf}, ${who} had taken no recorded position on ${topic}.`);
  }
  return text(`${asOf}, ${who} ${joinNames(clauses)}.`);
}

/**
 * "1 event involving Russia, not counted yet, had begun by that day and may already be in effect":
 * true of an event dated to a period that includes the day, and of an answer to a record not
 * known yet (timeline.ts, awaitingTarget), which may be dated well before it.
 */
function possiblyInEffectClause(count: number, who: string): string {
  const events = count === 1 ? 'event' : 'events';
  return `${count} ${events} involving ${who}, not counted yet, had begun by that day and may already be in effect`;
}

/** A clause with the day it is about: the latest of several is said. */
interface DatedClause {
  readonly text: string;
  readonly on: string;
}

/** The latest closure of a record of the party, or of another's record it had answered, as a dated clause; undefined if none. */
function latestClosure(position: PositionCore, names: Names): DatedClause | undefined {
  const closures = [...position.closed, ...position.closedConcerningParty].filter((c) => c.status !== 'superseded');
  const last = closures.reduce<ClosedView | undefined>(
    (latest, c) => (!latest || c.closed.on > latest.closed.on ? c : latest),
    undefined,
  );
  if (!last) return undefined;
  const title = last.item
    ? shortTitle(position.items.find((i) => i.item === last.item)?.title ?? last.title ?? last.item)
    : last.what;
  const on = last.closed.on;
  if (last.by === position.party) return { text: closedClause(last, position.party, names, () => title), on };
  if (closedByAnswerOf(last, position.party))
    return { text: answerClause(last, position.party, title, names), on: ownAnswer(last, position.party).on };
  return { text: closedConcerning(last, position.party, title, names), on };
}

/**
 * Another party's record that concerned the party, closed by that party or a third ("saw the threat
 * of Russia to expel the diplomats, made against it, carried out on 25 April 2021"): the one phrase
 * of it, said as the latest closure of a position with nothing standing, and as a turning point
 * (a threat against the party carried out or withdrawn) of one with a standing position.
 */
function closedConcerning(c: ClosedView, party: string, title: string, names: Names): string {
  // A threat is made against the party, a demand made of it; "which it had answered" only where it
  // had (a demand it never answered read as answered).
  const them = pronoun(names, party) === 'they' ? 'them' : 'it';
  const concerning =
    c.record === 'threat'
      ? `made against ${them}`
      : c.responses.some((r) => r.party === party)
        ? `which ${pronoun(names, party)} had answered`
        : `made of ${them}`;
  return `saw ${othersRecord(c, title, names)}, ${concerning}, ${CLOSED_PAST[c.status]} ${when(c.closed.evidence, c.closed.on)}`;
}

/** The party's latest action, however old (acts never close), as a dated clause; undefined if none. */
function latestAction(position: PositionCore): DatedClause | undefined {
  const last = position.acts
    .filter((a) => a.kind === 'action')
    .reduce<ActView | undefined>(
      (latest, a) => (!latest || countsFrom(a) > countsFrom(latest) ? a : latest),
      undefined,
    );
  return last && { text: `took the action “${last.description}” ${saidOn(last)}`, on: countsFrom(last) };
}

/** The party's latest withdrawal from an agreement it had signed, however old (the agreement stays in its acts). */
function latestWithdrawalFromAgreement(position: PositionCore): DatedClause | undefined {
  const left = position.acts.flatMap((act) => {
    const own = act.kind === 'agreement' ? act.left?.find((l) => l.party === position.party) : undefined;
    return own
      ? [{ text: `withdrew from ${agreementTitle(position, act)} ${when(own.evidence, own.on)}`, on: own.on }]
      : [];
  });
  return left.reduce<DatedClause | undefined>((latest, c) => (!latest || c.on > latest.on ? c : latest), undefined);
}

/** An agreement as a clause names it: its item's title, else its terms. */
function agreementTitle(position: PositionCore, act: Pick<ActView, 'item' | 'description'>): string {
  const item = act.item ? position.items.find((i) => i.item === act.item) : undefined;
  return item ? shortTitle(item.title) : act.description;
}

/** A closure in a clause ("saw the demand of Russia on X ... withdrawn on ..."). */
const CLOSED_PAST: Readonly<Record<ClosedStatus, string>> = {
  withdrawn: 'withdrawn',
  refused: 'refused',
  met: 'met',
  accepted: 'accepted',
  conceded: 'given up',
  superseded: 'restated',
  moot: 'made moot',
  'carried-out': 'carried out',
};

/**
 * The words a summary's clauses may take: what "As of D, P" leaves of SUMMARY_WORDS. It leaves out
 * "as publicly known on K": the same events give the same clauses, known-at or not.
 */
export const clauseBudget = (at: string, who: string): number =>
  SUMMARY_WORDS - wordCount(`As of ${longDate(at)}, ${who}`);

/** "a", "a and b", "a, b, and c". */
function joinNames(parts: readonly string[]): string {
  return parts.length <= 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`;
}

/** One clause of a summary, with the items it names and, where it states one, the party's stance on them. */
export interface SummaryClause {
  readonly text: string;
  readonly items: readonly string[];
  readonly stance?: ItemStance;
  /** Of a turning point: the day it is about (turning points are said newest first; standing clauses have none). */
  readonly on?: string;
  /** Of a turning point: whether it says what the party itself did (the latest such is never left out). */
  readonly own?: boolean;
  /**
   * A clause that names a list ("supported A, B, C and D") says it within `words` words if it can,
   * naming the first entries and counting the rest ("supported A and 3 other items"); when not
   * even one entry fits, undefined, or with `anyway` the clause naming one entry. Without this, a
   * party supporting forty items had a first clause of forty titles, said whole (a summary of
   * hundreds of words at 1,000,000 events), and a later such clause was left out.
   */
  readonly within?: (words: number, anyway?: boolean) => SummaryClause | undefined;
}

/** One entry of a listing clause: its name in the sentence and the items it names. */
interface Entry {
  readonly name: string;
  readonly items: readonly string[];
}

/**
 * A clause of `head` and a list of entries, shortened from the end when a word budget requires
 * ("had on the table A, B and 2 other proposals"): `other` names what the entries are, singular
 * and plural. The shortened clause names only the items of the entries it names.
 */
function listing(
  head: string,
  entries: readonly Entry[],
  other: readonly [string, string],
  stance?: ItemStance,
): SummaryClause {
  const clause = (named: readonly Entry[], rest: number): SummaryClause => ({
    text:
      rest === 0
        ? `${head} ${list(named.map((e) => e.name))}`
        : `${head} ${named.map((e) => e.name).join(', ')} and ${rest} other ${rest === 1 ? other[0] : other[1]}`,
    items: [...new Set(named.flatMap((e) => e.items))],
    ...(stance ? { stance } : {}),
  });
  return {
    ...clause(entries, 0),
    within: (words, anyway) => {
      // Words of the first k entries, summed once: trying each k by counting its whole text was
      // quadratic in the list (a busy party's compact answer at 1,000,000 events spent about 1 ms
      // of CPU there, for lists of a hundred items).
      const firstWords = [wordCount(head)]; // the words of the head and the first k entries
      for (const entry of entries) firstWords.push(firstWords[firstWords.length - 1] + wordCount(entry.name));
      for (let k = entries.length - 1; k >= 1; k--) {
        if (firstWords[k] + wordCount(`and ${entries.length - k} other ${other[1]}`) > words) continue;
        const shorter = clause(entries.slice(0, k), entries.length - k);
        if (wordCount(shorter.text) <= words) return shorter; // the sum is exact but for names that are blank
      }
      return anyway && entries.length > 1 ? clause(entries.slice(0, 1), entries.length - 1) : undefined;
    },
  };
}

/**
 * A turning point's clause, with the day it is about and whether it says what the party itself
 * did (its withdrawal, answer, signing, reaction, action, proposal) rather than what others did
 * to it or near it.
 */
type TurningClause = SummaryClause & { readonly on: string; readonly own: boolean };

/**
 * Turning points newest first (DESIGN section 4: the summary leads with them). Of one day, in the
 * order given: the party's reactions, then its own records closed (each moot one after the
 * decision that made it so), its proposals, its answers, withdrawals from agreements, signings,
 * actions. Grouped by kind, a withdrawal of 1 March came after closures of 1 February and was
 * left out when they filled the words (an exit from a pact said as "accepted" it).
 */
const newestFirst = (turning: readonly TurningClause[]): TurningClause[] =>
  turning
    .map((clause, i) => ({ clause, i }))
    .sort((a, b) => (a.clause.on < b.clause.on ? 1 : a.clause.on > b.clause.on ? -1 : a.i - b.i))
    .map(({ clause }) => clause);

/** The clauses of a summary, turning points first, within about `budget` words (summarize joins them). */
export function summaryClauses(position: PositionCore, at: string, names: Names, budget: number): SummaryClause[] {
  const titleOf = new Map(position.items.map((i) => [i.item, shortTitle(i.title)]));
  const recordTitle = (c: { item?: string; title?: string; what: string }) =>
    c.item ? (titleOf.get(c.item) ?? shortTitle(c.title ?? c.item)) : c.what;
  const about = (item: string | undefined) => (item ? [item] : []);
  const actTitle = (act: ActView) => agreementTitle(position, act);
  const turning: TurningClause[] = [];
  // The party's own reactions to other parties' decisions lead their day ("welcomed the
  // withdrawal by the United States of ..."): what it said of a turning point, before what it underwent.
  for (const r of position.reactions.filter((r) => daysBetween(countsFrom(r), at) <= TURNING_POINT_DAYS).reverse()) {
    turning.push({
      text: `${reactionText(r, names)} ${saidOn(r)}`,
      items: [],
      on: countsFrom(r),
      own: true,
    });
  }
  const recent = [...position.closed, ...position.closedConcerningParty].filter(
    (c) => c.status !== 'superseded' && daysBetween(c.closed.on, at) <= TURNING_POINT_DAYS,
  );
  /** Items a turning point already gives the party's stance on (an agreement, a withdrawn or conceded proposal). */
  const stated = new Set<string>();
  // Latest first, but what a decision of the party made moot after that decision ("withdrew its
  // proposal on the site ..., saw its proposal on observers made moot by its own withdrawal").
  const own = recent.filter((c) => c.by === position.party);
  const place = (c: ClosedView, i: number) => {
    const cause =
      c.status === 'moot'
        ? own.findIndex((d) => d.status !== 'moot' && d.closed.evidence.eventId === c.closed.evidence.eventId)
        : -1;
    return cause >= 0 ? cause + 0.5 : i;
  };
  const ownRecent = own
    .map((c, i) => ({ c, key: place(c, i) }))
    .sort((a, b) => a.key - b.key)
    .map(({ c }) => c);
  for (const c of ownRecent) {
    const withdrawn = c.record === 'proposal' && c.item && (c.status === 'withdrawn' || c.status === 'conceded');
    turning.push({
      text: closedClause(c, position.party, names, recordTitle),
      items: about(c.item),
      ...(withdrawn ? { stance: 'withdrawn' as const } : {}),
      on: c.closed.on,
      own: c.closed.party === position.party,
    });
    if (withdrawn) stated.add(c.item);
  }
  // New proposals of the party lead what it keeps standing: an offer made days ago is the news of the
  // date (Putin's Gabala offer on 8 June 2007), not one more item of "had on the table".
  for (const p of position.openProposals.filter(
    (p) => daysBetween(countsFrom(p), at) <= TURNING_POINT_DAYS && !stated.has(p.item),
  )) {
    if ((position.items.find((i) => i.item === p.item)?.stance ?? 'proposer') !== 'proposer') continue;
    turning.push({
      text: `proposed ${shortTitle(p.title)} ${saidOn(p)}`,
      items: [p.item],
      stance: 'proposer',
      on: countsFrom(p),
      own: true,
    });
    stated.add(p.item);
  }
  /** Items a clause on the party's answer to another's record already names (its signing is that answer). */
  const answered = new Set<string>();
  /** Records the party met whose meeting a clause says: the concession that met one is that turning point, said once. */
  const metSaid = new Set<string>();
  /** The party's own withdrawals from agreements said below, each with the proposal the agreement accepted and its item. */
  const leftSaid = position.acts.flatMap((act) => {
    const own = act.kind === 'agreement' ? act.left?.find((l) => l.party === position.party) : undefined;
    return own && daysBetween(own.on, at) <= TURNING_POINT_DAYS
      ? [{ on: own.on, accepts: act.accepts?.event, item: act.item }]
      : [];
  });
  /**
   * An acceptance the party has since taken back by leaving the agreement on it: its withdrawal is
   * said, and "accepted the proposal of Gammastan on the pact" beside it stated what it had left
   * (as a signing whose withdrawal is said is not said).
   */
  const acceptanceLeft = (c: ClosedView, answered: string) =>
    c.status === 'accepted' &&
    leftSaid.some((l) => l.on >= answered && (l.accepts === c.eventId || (c.item !== undefined && l.item === c.item)));
  // A threat against the party that its own decision made moot comes after its answers to what
  // others asked of it: the threat was made against it, the answers are its records.
  const answeredByIt = recent.filter((c) => c.by !== position.party && closedByAnswerOf(c, position.party));
  for (const c of [
    ...answeredByIt.filter((c) => c.record !== 'threat'),
    ...answeredByIt.filter((c) => c.record === 'threat'),
  ]) {
    // What the party did to another's record (a proposal it accepted, a demand it refused or met),
    // on the day of its own answer, not the day another's answer closed the record.
    const answer = ownAnswer(c, position.party);
    if (c.item) answered.add(c.item);
    if (acceptanceLeft(c, answer.on)) continue;
    const verb = answerVerb(c);
    const asked = c.record === 'proposal' ? 'proposed' : c.record === 'threat' ? 'threatened' : 'demanded';
    const who = names.party(c.by);
    const on = when(answer.evidence, answer.on);
    // Where the party's stance on the item is its answer (it accepted the talks another proposed,
    // or opposed what it refused), one clause says both: the item is not said again below. (This
    // clause said "closed the demand" of every record, a proposal accepted included.)
    const stance = c.item && !stated.has(c.item) ? position.items.find((i) => i.item === c.item)?.stance : undefined;
    const agreed = (verb === 'accepted' || verb === 'met') && (stance === 'accepted' || stance === 'supports');
    const refused = verb === 'refused' && (stance === 'rejected' || stance === 'opposes');
    turning.push({
      text: agreed
        ? `${STANCE_VERB[stance]} ${recordTitle(c)}, as ${who} ${asked}, ${on}`
        : answerClause(c, position.party, recordTitle(c), names),
      items: about(c.item),
      ...(agreed || refused ? { stance } : {}),
      on: answer.on,
      own: true,
    });
    if (agreed || refused) stated.add(c.item!);
    if (verb === 'met') metSaid.add(c.eventId);
  }
  // A threat made against the party that its author carried out, withdrew, or a third party's
  // decision made moot is a turning point of the party's position (Russia expelling its diplomats):
  // beside a standing position the summary said only that, and the threat carried out was left out.
  // Added below, where the party has something else to say: alone, it is the latest closure of a
  // position with nothing standing, said as such (summaryOf).
  const threatsClosed: TurningClause[] = recent
    .filter((c) => c.record === 'threat' && c.by !== position.party && !closedByAnswerOf(c, position.party))
    .map((c) => ({
      text: closedConcerning(c, position.party, recordTitle(c), names),
      items: [],
      on: c.closed.on,
      own: false,
    }));
  // Withdrawals from agreements are turning points: the party's own ("withdrew from the JCPOA"),
  // and other signers' from one it is party to.
  const leftBy = new Set<string>();
  /** Agreements another signer's withdrawal from is said: the party stays in them, and the clause names them. */
  const othersLeftSaid = new Set<string>();
  for (const act of position.acts.filter((a) => a.kind === 'agreement' && a.left?.length)) {
    const what = actTitle(act);
    const own = act.left!.find((l) => l.party === position.party);
    if (own) leftBy.add(act.eventId);
    if (own && daysBetween(own.on, at) <= TURNING_POINT_DAYS) {
      turning.push({
        text: `withdrew from ${what} ${when(own.evidence, own.on)}`,
        items: about(act.item),
        on: own.on,
        own: true,
      });
      if (act.item) stated.add(act.item);
    }
    if (own) continue;
    // Each other signer once, on the day it left (a second withdrawal of one signer changes
    // nothing: "saw the Czech Republic and the Czech Republic withdraw"); signers that left on
    // different days each with its day.
    const others = firstWithdrawals(act.left!).filter(
      (l) => l.party !== position.party && daysBetween(l.on, at) <= TURNING_POINT_DAYS,
    );
    const byDay = [...groupBy(others, (l) => when(l.evidence, l.on))].map(
      ([on, left]) => [joinNames(left.map((l) => names.party(l.party))), on] as const,
    );
    if (!byDay.length) continue;
    othersLeftSaid.add(act.eventId);
    turning.push({
      text: `saw ${joinNames(byDay.map(([who, on], i) => (i === 0 ? `${who} withdraw from ${what} ${on}` : `${who} ${on}`)))}`,
      items: [],
      on: others.map((l) => l.on).reduce((a, b) => (a > b ? a : b)),
      own: false,
    });
  }
  for (const act of position.acts.filter(
    (a) => a.kind === 'agreement' && daysBetween(countsFrom(a), at) <= TURNING_POINT_DAYS,
  )) {
    if (leftBy.has(act.eventId)) continue; // its withdrawal is said: the signing is not said as standing
    if (act.item && (stated.has(act.item) || answered.has(act.item))) continue; // one clause per item
    const what = actTitle(act);
    const others = (act.signers ?? []).filter((p) => p !== position.party).map((p) => names.party(p));
    // "signed" only of a signing (CAMEO 057); an accord in words (019) is agreed to, or accepted,
    // as the party's stance on the item reads once the signing is past.
    const verb = act.signed ? 'signed' : others.length ? 'agreed to' : 'accepted';
    const signed = `${verb} ${what}${others.length ? ` with ${joinNames(others)}` : ''}`;
    // The signing states the party's stance only while it still is its stance: one who opposed the
    // deal since is said to have signed it on its day, and its stance now is said below (this said
    // "agreed to" the deal, and never "opposed", for three months).
    const current = act.item ? position.items.find((i) => i.item === act.item)?.stance : 'accepted';
    // A proposer that signs its own plan with others keeps proposing it: the signing says that.
    if (current === 'accepted' || current === 'supports' || current === 'proposer') {
      if (act.item) stated.add(act.item);
      turning.push({
        text: signed,
        items: about(act.item),
        stance: 'accepted',
        on: countsFrom(act),
        own: true,
      });
    } else
      turning.push({
        text: `${signed} ${saidOn(act)}`,
        items: about(act.item),
        on: countsFrom(act),
        own: true,
      });
  }

  // The party's own actions are turning points on their day (Russia's decree suspending the CFE
  // Treaty): a summary that said only "opposed the 1990 CFE Treaty" left out what it did. An
  // action is said in its recorder's words, quoted: they name the act, not a verb of ours.
  const actions = position.acts.filter((a) => a.kind === 'action' && daysBetween(countsFrom(a), at) <= ACTION_DAYS);
  const recentActions = actions.filter((a) => daysBetween(countsFrom(a), at) <= TURNING_POINT_DAYS);
  // An action that carried out a threat is said once, by the closure's clause ("carried out its
  // threat to ... on D"), which is as recent as the action (the threat closes on the day it counts).
  const carriedOutSaid = new Set(ownRecent.filter((c) => c.status === 'carried-out').map((c) => c.eventId));
  for (const act of [...recentActions].reverse()) {
    if (act.carriesOut && carriedOutSaid.has(act.carriesOut.event)) continue;
    turning.push({
      text: `took the action “${act.description}” ${saidOn(act)}`,
      items: about(act.item),
      on: countsFrom(act),
      own: true,
    });
  }

  const standing: SummaryClause[] = [];
  const byVerb = new Map<string, { stance: ItemStance; items: string[]; titles: string[] }>();
  for (const item of position.items) {
    if (stated.has(item.item)) continue; // never two stances of the party on one item
    const verb = STANCE_VERB[item.stance];
    if (!verb) continue;
    const group = byVerb.get(verb) ?? { stance: item.stance, items: [], titles: [] };
    group.items.push(item.item);
    group.titles.push(shortTitle(item.title));
    byVerb.set(verb, group);
  }
  for (const [verb, group] of byVerb)
    standing.push(
      listing(
        verb,
        group.titles.map((title, i) => ({ name: title, items: [group.items[i]] })),
        ['item', 'items'],
        group.stance,
      ),
    );
  if (position.topicStance && STANCE_VERB[position.topicStance.stance] && byVerb.size === 0) {
    standing.push({
      text: `${STANCE_VERB[position.topicStance.stance]} ${names.topic(position.topic)}`,
      items: [],
    });
  }
  /** Where the agreements in force are said: after the stances, before demands and threats. */
  const agreementsAt = standing.length;
  // Several demands of the same kind, on the same parties and item, read as one.
  const demands = new Map<string, DemandView>();
  const groupOf = (d: DemandView) =>
    `${d.kind}|${d.targets.join(',')}|${d.kind === 'freeze_demand' ? (d.item ?? d.what) : d.what}`;
  for (const demand of position.activeDemands) if (!demands.has(groupOf(demand))) demands.set(groupOf(demand), demand);
  for (const demand of demands.values()) {
    const on = list(demand.targets.map(names.party));
    const what = demand.item ? (titleOf.get(demand.item) ?? demand.what) : demand.what;
    const condition = position.activeDemands.find((d) => groupOf(d) === groupOf(demand) && d.condition)?.condition;
    standing.push({
      text:
        demand.kind === 'freeze_demand'
          ? `demanded that ${on} freeze ${what}${condition ? ` ${condition}` : ''}`
          : `demanded of ${on}: ${demand.what}`,
      items: about(demand.item),
    });
  }
  for (const threat of position.activeThreats)
    standing.push({
      text: `threatened to ${threat.counterMeasure}${threat.condition ? ` ${threat.condition}` : ''}`,
      items: about(threat.item),
    });
  // Older actions of the year are still what the party did: said after its threats, latest first.
  const olderActions = actions.filter((a) => !recentActions.includes(a)).reverse();
  if (olderActions.length)
    standing.push(
      listing(
        olderActions.length === 1 ? 'had taken the action' : 'had taken the actions',
        olderActions.map((a) => ({ name: `“${a.description}”`, items: about(a.item) })),
        ['action', 'actions'],
      ),
    );
  const pending = position.demandsOnParty.filter((d) => !d.responses.some((r) => r.party === position.party));
  if (pending.length)
    standing.push(
      listing(
        `faced ${pending.length === 1 ? 'a demand' : `${pending.length} demands`} from`,
        [...new Set(pending.map((d) => names.party(d.by)))].map((name) => ({ name, items: [] })),
        ['party', 'parties'],
      ),
    );
  const offered = position.concessions.filter((c) => !c.backsDownOn && !(c.meets && metSaid.has(c.meets.event)));
  if (offered.length)
    standing.push(
      listing(
        'had conceded',
        offered.map((c) => ({ name: c.terms, items: about(c.item) })),
        ['concession', 'concessions'],
      ),
    );
  // What the party has on the table, where that is its stance: a party that later opposed its own
  // open proposal, or withdrew another proposal of the item, has its latest stance said instead.
  const stanceOn = new Map(position.items.map((i) => [i.item, i.stance]));
  const onTable = position.openProposals.filter(
    (p) => !stated.has(p.item) && (stanceOn.get(p.item) ?? 'proposer') === 'proposer',
  );
  if (onTable.length) {
    // Latest first: a list cut short names the offers of the day, not those of decades before (the
    // seeds' "had on the table Russia's 1993 'Trust' proposal and 1 other proposal" hid Gabala).
    const titles = groupBy([...onTable].reverse(), (p) => shortTitle(p.title));
    standing.push(
      listing(
        'had on the table',
        [...titles].map(([name, proposals]) => ({ name, items: [...new Set(proposals.map((p) => p.item))] })),
        ['proposal', 'proposals'],
        'proposer',
      ),
    );
  }
  // Threats others made against the party and still stand: what it faced, after its own records
  // (a position whose last change was Russia's threat said nothing of it). Latest first.
  const threatsFaced = [
    ...new Set(
      [...position.threatsAgainstParty]
        .reverse()
        .map((t) => `the threat of ${names.party(t.by)} to ${t.counterMeasure}`),
    ),
  ];
  if (threatsFaced.length)
    standing.push(
      listing(
        'faced',
        threatsFaced.map((name) => ({ name, items: [] })),
        ['threat', 'threats'],
      ),
    );

  // Agreements in force for the party stand however old (a signing is a turning point for
  // TURNING_POINT_DAYS; after that, a treaty in force read "had taken no recorded position"). One
  // whose item another clause names is said there (the party's stance on it, its plan on the table).
  const named = new Set([...turning, ...standing].flatMap((c) => c.items));
  const inForce = position.acts.filter(
    (a) =>
      a.kind === 'agreement' &&
      !leftBy.has(a.eventId) &&
      !othersLeftSaid.has(a.eventId) &&
      daysBetween(countsFrom(a), at) > TURNING_POINT_DAYS &&
      !(a.item && named.has(a.item)),
  );
  if (inForce.length) {
    // One agreement names the signers still in it; several are named by title only (a list of
    // "X with A and B and Y" reads as one agreement).
    const stillIn = (a: ActView) =>
      (a.signers ?? []).filter((p) => p !== position.party && !a.left?.some((l) => l.party === p));
    const entries =
      inForce.length === 1
        ? [
            {
              name: `${actTitle(inForce[0])}${stillIn(inForce[0]).length ? ` with ${joinNames(stillIn(inForce[0]).map(names.party))}` : ''}`,
              items: about(inForce[0].item),
            },
          ]
        : [...groupBy([...inForce].reverse(), actTitle)].map(([name, acts]) => ({
            name,
            items: [...new Set(acts.flatMap((a) => about(a.item)))],
          }));
    standing.splice(
      agreementsAt,
      0,
      listing(`${was(names, position.party)} party to`, entries, ['agreement', 'agreements']),
    );
  }

  // In order while they fit; a clause too long for what is left is shortened if it names a list
  // (listing), else gives way to shorter ones after it. The first clause is said whatever its length.
  // The party's own latest turning point is never given up: its words are kept for it until it is
  // said (a newer one of another party's, or one of the same day said first, cannot crowd it out).
  if (turning.length || standing.length) turning.push(...threatsClosed);
  const ordered = newestFirst(turning);
  const latestOwn = ordered.find((c) => c.own);
  let kept = latestOwn ? wordCount(latestOwn.text) + 1 : 0;
  const clauses: SummaryClause[] = [];
  let used = 0;
  for (const whole of [...ordered, ...standing]) {
    if (whole === latestOwn) kept = 0;
    const room = budget - used - kept;
    const fits = wordCount(whole.text) <= room;
    const clause = fits
      ? whole
      : clauses.length === 0 && kept === 0
        ? (whole.within?.(budget, true) ?? whole)
        : whole.within?.(room);
    if (!clause) continue;
    // Two records closed alike on one day read alike ("closed the demand of Russia on M on 10 June"): said once.
    if (clauses.some((c) => c.text === clause.text)) continue;
    clauses.push(clause);
    used += wordCount(clause.text) + 1;
  }
  return clauses.map(({ text, items, stance, on, own }) => ({
    text,
    items,
    ...(stance ? { stance } : {}),
    ...(on ? { on, own } : {}),
  }));
}

/**
 * A topic's title inside a sentence: a leading article is lower-cased ("The Treaty on Conventional
 * Armed Forces in Europe" -> "had taken no recorded position on the Treaty on ..."). The rest is
 * left as written: a title's first word may be a name ("NATO enlargement", "Iran's programme").
 */
export function titleInSentence(title: string): string {
  return title.replace(/^(The|A|An) /, (article) => article.toLowerCase());
}

/** A topic's name inside a sentence: the catalog's `phrase` where it gives one ("missile defense in Europe"), else titleInSentence. */
export function topicInSentence(topic: { readonly title: string; readonly phrase?: string | null }): string {
  return topic.phrase ?? titleInSentence(topic.title);
}

/**
 * "United States" -> "the United States" inside a sentence; a body named by its country ("U.S.
 * Congress") and a plural group ("European G8 countries", the catalog's `plural`) take "the" too.
 */
export function inSentence(name: string, plural = false): string {
  // A name that begins with its article ("The Russian Federation") takes it in lower case mid-sentence.
  if (/^the /i.test(name)) return `the ${name.slice(4)}`;
  const takesThe =
    plural ||
    /^(United |Czech Republic|Netherlands|Philippines|European Union|Group of|U\.S\. |U\.K\. |US |UK )/.test(name) ||
    / (Congress|Senate|Parliament|Council|Commission|Assembly)$/.test(name);
  return takesThe ? `the ${name}` : name;
}
