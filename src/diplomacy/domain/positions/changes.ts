import type {
  ClosedStatus,
  DemandResponse,
  EarlierAnswer,
  ReactionKind,
  ReactionLink,
  RecordKind,
  Closure,
  Evidence,
  EvidenceLookup,
  EvidenceRef,
  ItemStance,
  ResponseKind,
  StanceEntry,
  TopicState,
} from '../records/topic-state.js';
import { parseEvidenceRef, WHOLE_TOPIC } from '../records/topic-state.js';

export type ChangeKind =
  | 'proposed'
  | 'withdrew-proposal'
  | 'demanded'
  | 'withdrew-demand'
  | 'demand-met'
  | 'threatened'
  | 'withdrew-threat'
  | 'conceded'
  | 'concession-closed'
  | 'acted'
  | 'agreed'
  | 'left-agreement'
  | 'signer-left'
  | 'reacted'
  | 'reaction-received'
  | 'responded'
  | 'received-response'
  | 'stance-moved'
  | 'demand-received'
  | 'threat-received'
  | 'proposal-closed'
  | 'demand-closed'
  | 'threat-closed';

/** The kinds of record a change can be about: a proposal, demand or threat, a concession, an agreement or an action. */
export type ChangedRecordKind = RecordKind | 'concession' | 'agreement' | 'action';

/**
 * The record a change is about, named (DESIGN section 4: a link names what it points to, never a
 * bare id alone): its kind, author, what it said, its item and the item's title.
 */
export interface ChangedRecord {
  readonly event: string;
  readonly record: ChangedRecordKind;
  readonly by: string;
  /** The terms proposed or conceded, what was demanded, the counter-measure threatened, the act's description. */
  readonly what: string;
  readonly item?: string;
  readonly title?: string;
}

/** The decision or threat a reaction is about, named, with its item's title. */
export interface ChangedDecision extends ReactionLink {
  readonly title?: string;
}

export interface Change {
  readonly kind: ChangeKind;
  /** What the change is about: an event id of a record (named by `record`) or of a decision (`decision`), or an item slug. */
  readonly subject: string;
  readonly item?: string;
  /**
   * The item's title as it stood on the day the change's event counts from (the catalog's, for an
   * item the catalog named): never one given later, nor one reported after knownAt.
   */
  readonly title?: string;
  /** The record `subject` names: what it was, by whom, about which item. */
  readonly record?: ChangedRecord;
  /** For a reaction: the decision or threat `subject` names. */
  readonly decision?: ChangedDecision;
  readonly from?: ItemStance;
  readonly to?: ItemStance | ResponseKind | ClosedStatus | ReactionKind;
  readonly detail?: string;
  /**
   * The day the change counts from: the day the fold gave its event's element (a record's
   * `countsFrom`, an answer's, an act's or a reaction's, a closure's `on`, a stance's `since`),
   * never its event's own earlier date. A record moot from its start closes on its own day.
   */
  readonly on: string;
  /** The event that caused the change. */
  readonly evidence: Evidence;
}

/**
 * Withdrawals by its author of a record already closed for good (a late report put the withdrawal
 * behind the closure), new since `was`: the author's own events, which a change must name.
 */
function laterWithdrawals(
  was: { laterWithdrawals?: readonly Closure[] } | undefined,
  now: { laterWithdrawals?: readonly Closure[] },
) {
  const seen = new Set((was?.laterWithdrawals ?? []).map((c) => parseEvidenceRef(c.by).eventId));
  return (now.laterWithdrawals ?? []).filter((c) => !seen.has(parseEvidenceRef(c.by).eventId));
}

/** The event a reference names: a correction of the same answer is not a new answer. */
function eventOf(ref: EvidenceRef): string;
function eventOf(ref: EvidenceRef | undefined): string | undefined;
function eventOf(ref: EvidenceRef | undefined): string | undefined {
  return ref && parseEvidenceRef(ref).eventId;
}

/**
 * A party's answers to a record given since `was` (its answer at the earlier date), oldest first:
 * the answers a later one replaced in between (`earlier`) as well as the latest. Only the latest
 * was compared, and a conditional answer followed by a signing within one window was not said.
 */
function answersSince<A extends { readonly evidence: EvidenceRef; readonly earlier?: readonly EarlierAnswer[] }>(
  was: A | undefined,
  now: A,
): (A | EarlierAnswer)[] {
  const seen = new Set(was ? [was, ...(was.earlier ?? [])].map((a) => eventOf(a.evidence)) : []);
  return [...(now.earlier ?? []), now].filter((a) => !seen.has(eventOf(a.evidence)));
}

/** Changes that answer or close a record: their events are said after the records made on the same day (depthsOf). */
const ANSWERS: ReadonlySet<ChangeKind> = new Set<ChangeKind>([
  'responded',
  'received-response',
  'reaction-received',
  'reacted',
  'demand-met',
  'proposal-closed',
  'demand-closed',
  'threat-closed',
  'concession-closed',
  'withdrew-proposal',
  'withdrew-demand',
  'withdrew-threat',
  'left-agreement',
  'signer-left',
]);

/** Whether a record closed (or closed differently: a refused demand later met) between two states. */
function newlyClosed(was: Closure | undefined, now: Closure | undefined): now is Closure {
  return now !== undefined && (was === undefined || was.status !== now.status || was.by !== now.by);
}

/**
 * What changed in a party's position on a topic between two folded states
 * (docs/architecture.md, "The read path": "how did Russia's position change between June and
 * October"), each change with its cause.
 */
export function changesBetween(
  before: TopicState,
  after: TopicState,
  party: string,
  lookup: EvidenceLookup,
  titleOf: ItemTitleWhen = (item) => after.items[item]?.title ?? item,
): Change[] {
  const changes: (Omit<Change, 'evidence'> & { evidence: EvidenceRef })[] = [];
  for (const p of Object.values(after.proposals)) {
    const was = before.proposals[p.eventId];
    if (p.actor === party) {
      if (!was)
        changes.push({
          kind: 'proposed',
          subject: p.eventId,
          item: p.item,
          detail: p.terms,
          on: p.countsFrom,
          evidence: p.evidence,
        });
      for (const later of laterWithdrawals(was, p))
        changes.push({ kind: 'withdrew-proposal', subject: p.eventId, item: p.item, on: later.on, evidence: later.by });
      if (newlyClosed(was?.closed, p.closed)) {
        changes.push(
          p.closed.status === 'withdrawn'
            ? { kind: 'withdrew-proposal', subject: p.eventId, item: p.item, on: p.closed.on, evidence: p.closed.by }
            : {
                kind: 'proposal-closed',
                subject: p.eventId,
                item: p.item,
                to: p.closed.status,
                on: p.closed.on,
                evidence: p.closed.by,
              },
        );
      }
      for (const r of Object.values(p.responses))
        for (const answer of answersSince(was?.responses[r.party], r))
          changes.push({
            kind: 'received-response',
            subject: p.eventId,
            item: p.item,
            to: answer.response,
            detail: r.party,
            on: answer.countsFrom,
            evidence: answer.evidence,
          });
    } else if (p.responses[party]) {
      const r = p.responses[party];
      for (const answer of answersSince(was?.responses[party], r))
        changes.push({
          kind: 'responded',
          subject: p.eventId,
          item: p.item,
          to: answer.response,
          detail: p.actor,
          on: answer.countsFrom,
          evidence: answer.evidence,
        });
      // A proposal the party answered is in its position until it closes, then among the records
      // closed concerning it (closed by its own answer, the answer says it).
      for (const later of laterWithdrawals(was, p))
        changes.push({
          kind: 'proposal-closed',
          subject: p.eventId,
          item: p.item,
          to: 'withdrawn',
          detail: p.actor,
          on: later.on,
          evidence: later.by,
        });
      if (newlyClosed(was?.closed, p.closed) && eventOf(p.closed.by) !== eventOf(r.evidence))
        changes.push({
          kind: 'proposal-closed',
          subject: p.eventId,
          item: p.item,
          to: p.closed.status,
          detail: p.actor,
          on: p.closed.on,
          evidence: p.closed.by,
        });
    }
  }
  for (const d of Object.values(after.demands)) {
    const was = before.demands[d.eventId];
    // New answers, but the one that closed the demand: the closure says it.
    const answered = (r: DemandResponse) =>
      answersSince(was?.responses[r.party], r).filter((a) => eventOf(d.closed?.by) !== eventOf(a.evidence));
    if (d.actor === party) {
      if (!was)
        changes.push({
          kind: 'demanded',
          subject: d.eventId,
          ...(d.item ? { item: d.item } : {}),
          detail: d.what,
          on: d.countsFrom,
          evidence: d.evidence,
        });
      for (const r of Object.values(d.responses).filter((r) => r.party !== party))
        for (const answer of answered(r))
          changes.push({
            kind: 'received-response',
            subject: d.eventId,
            ...(d.item ? { item: d.item } : {}),
            to: answer.response,
            detail: r.party,
            on: answer.countsFrom,
            evidence: answer.evidence,
          });
      for (const later of laterWithdrawals(was, d))
        changes.push({ kind: 'withdrew-demand', subject: d.eventId, on: later.on, evidence: later.by });
      if (newlyClosed(was?.closed, d.closed)) {
        const { status, by, on } = d.closed;
        changes.push(
          status === 'met' || status === 'withdrawn'
            ? { kind: status === 'met' ? 'demand-met' : 'withdrew-demand', subject: d.eventId, on, evidence: by }
            : { kind: 'demand-closed', subject: d.eventId, to: status, detail: d.what, on, evidence: by },
        );
      }
    } else if (d.targets.includes(party) || d.responses[party]) {
      // A demand made of the party, or one it answered: in its position (demandsOnParty, then closedConcerningParty).
      if (!was && d.targets.includes(party))
        changes.push({
          kind: 'demand-received',
          subject: d.eventId,
          detail: `${d.actor}: ${d.what}`,
          on: d.countsFrom,
          evidence: d.evidence,
        });
      for (const later of laterWithdrawals(was, d))
        changes.push({
          kind: 'demand-closed',
          subject: d.eventId,
          to: 'withdrawn',
          detail: `${d.actor}: ${d.what}`,
          on: later.on,
          evidence: later.by,
        });
      const own = d.responses[party];
      for (const answer of own ? answered(own) : [])
        changes.push({
          kind: 'responded',
          subject: d.eventId,
          ...(d.item ? { item: d.item } : {}),
          to: answer.response,
          detail: d.actor,
          on: answer.countsFrom,
          evidence: answer.evidence,
        });
      if (newlyClosed(was?.closed, d.closed))
        changes.push({
          kind: 'demand-closed',
          subject: d.eventId,
          to: d.closed.status,
          detail: `${d.actor}: ${d.what}`,
          on: d.closed.on,
          evidence: d.closed.by,
        });
    }
  }
  for (const t of Object.values(after.threats)) {
    const was = before.threats[t.eventId];
    if (t.actor !== party) {
      // A threat made against the party: in its position (threatsAgainstParty, then closedConcerningParty).
      if (!t.targets.includes(party)) continue;
      const detail = `${t.actor}: ${t.counterMeasure}`;
      if (!was)
        changes.push({ kind: 'threat-received', subject: t.eventId, detail, on: t.countsFrom, evidence: t.evidence });
      for (const later of laterWithdrawals(was, t))
        changes.push({
          kind: 'threat-closed',
          subject: t.eventId,
          to: 'withdrawn',
          detail,
          on: later.on,
          evidence: later.by,
        });
      if (newlyClosed(was?.closed, t.closed))
        changes.push({
          kind: 'threat-closed',
          subject: t.eventId,
          to: t.closed.status,
          detail,
          on: t.closed.on,
          evidence: t.closed.by,
        });
      continue;
    }
    if (!was)
      changes.push({
        kind: 'threatened',
        subject: t.eventId,
        detail: t.counterMeasure,
        on: t.countsFrom,
        evidence: t.evidence,
      });
    for (const later of laterWithdrawals(was, t))
      changes.push({
        kind: 'withdrew-threat',
        subject: t.eventId,
        detail: t.counterMeasure,
        on: later.on,
        evidence: later.by,
      });
    if (newlyClosed(was?.closed, t.closed)) {
      changes.push(
        t.closed.status === 'withdrawn'
          ? {
              kind: 'withdrew-threat',
              subject: t.eventId,
              detail: t.counterMeasure,
              on: t.closed.on,
              evidence: t.closed.by,
            }
          : {
              kind: 'threat-closed',
              subject: t.eventId,
              to: t.closed.status,
              detail: t.counterMeasure,
              on: t.closed.on,
              evidence: t.closed.by,
            },
      );
    }
  }
  const concessionsSeen = new Map(before.concessions.map((c) => [c.eventId, c]));
  for (const c of after.concessions) {
    if (c.actor !== party) continue;
    const was = concessionsSeen.get(c.eventId);
    if (!was)
      changes.push({ kind: 'conceded', subject: c.eventId, detail: c.terms, on: c.countsFrom, evidence: c.evidence });
    // Moot once what it was about ended (or from its own day, made after the end): the closure's cause.
    if (newlyClosed(was?.closed, c.closed))
      changes.push({
        kind: 'concession-closed',
        subject: c.eventId,
        ...(c.item ? { item: c.item } : {}),
        to: c.closed.status,
        detail: c.terms,
        on: c.closed.on,
        evidence: c.closed.by,
      });
  }
  const actsSeen = new Map(before.acts.map((a) => [a.eventId, a]));
  for (const a of after.acts) {
    if (a.actor !== party && !a.cosigners?.includes(party)) continue;
    if (!actsSeen.has(a.eventId))
      changes.push({
        kind: a.kind === 'agreement' ? 'agreed' : 'acted',
        subject: a.eventId,
        detail: a.description,
        on: a.countsFrom,
        evidence: a.evidence,
      });
    // Signers that withdrew from it since: the party itself, or another signer.
    const leftBefore = new Set((actsSeen.get(a.eventId)?.left ?? []).map((l) => l.closure.by));
    for (const l of (a.left ?? []).filter((l) => !leftBefore.has(l.closure.by)))
      changes.push(
        l.party === party
          ? {
              kind: 'left-agreement',
              subject: a.eventId,
              detail: a.description,
              on: l.closure.on,
              evidence: l.closure.by,
            }
          : { kind: 'signer-left', subject: a.eventId, detail: l.party, on: l.closure.on, evidence: l.closure.by },
      );
  }
  const reactionsSeen = new Set(before.reactions.map((r) => r.eventId));
  for (const r of after.reactions) {
    if (reactionsSeen.has(r.eventId)) continue;
    if (r.actor === party)
      changes.push({
        kind: 'reacted',
        subject: r.to.event,
        decision: r.to,
        to: r.reaction,
        detail: r.to.what,
        on: r.countsFrom,
        evidence: r.evidence,
      });
    // Another party's reaction to a decision that concerns this one (reactionsToParty).
    else if (r.concerns.includes(party))
      changes.push({
        kind: 'reaction-received',
        subject: r.to.event,
        decision: r.to,
        to: r.reaction,
        detail: r.actor,
        on: r.countsFrom,
        evidence: r.evidence,
      });
  }
  // Every stance the party took between the two dates, each move from the one before: the
  // stances a later one replaced in between too (the trail), not only the first and the last.
  // Comparing only those left out an opposition held for ten days between two supports, which
  // the position at the later date lists in its trail: a long window said less than its parts.
  const wasStances = before.stances[party] ?? {};
  const replacedBefore = new Set(
    before.replacedStances.filter((r) => r.party === party).map((r) => `${r.item}|${r.entry.evidence}`),
  );
  const between = new Map<string, StanceEntry[]>();
  for (const r of after.replacedStances) {
    if (r.party !== party || replacedBefore.has(`${r.item}|${r.entry.evidence}`)) continue;
    if (r.entry.evidence === wasStances[r.item]?.evidence) continue; // the stance held at the earlier date
    between.set(r.item, [...(between.get(r.item) ?? []), r.entry]);
  }
  for (const [item, entry] of Object.entries(after.stances[party] ?? {})) {
    let held = wasStances[item]?.stance ?? 'unknown';
    for (const taken of [...(between.get(item) ?? []), entry]) {
      if (taken.evidence === wasStances[item]?.evidence || taken.stance === held) continue;
      changes.push({
        kind: 'stance-moved',
        subject: item,
        ...(item !== WHOLE_TOPIC ? { item } : {}),
        from: held,
        to: taken.stance,
        ...(taken.reason ? { detail: taken.reason } : {}),
        on: taken.since,
        evidence: taken.evidence,
      });
      held = taken.stance;
    }
  }
  // In the topic's order (order.ts, compareOrder): by the day each change counts from (`on`, as
  // the fold stored it: a rejection proves the proposal it answers by its own day, so both count
  // from then, the proposal first), then by depth in a chain of answers (a record made before the
  // answers to it, an answer before a reaction to it), then the start of the occurred interval and
  // the report; an event's changes of one day stay together. Sorting by the event's own last
  // possible day listed answers before what they answered.
  const depth = depthsOf(changes, after);
  const key = (c: Change) =>
    `${c.on}|${depth(c)}|${c.evidence.occurred.from}|${c.evidence.reportedAt}|${c.evidence.eventId}|${c.kind}`;
  const records = recordsIn(after);
  return changes
    .map((change) => named(change, records, titleOf))
    .map((change) => ({ ...change, evidence: lookup(change.evidence) }))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * How deep in a chain of answers each change's event is (OrderKey.depth): a decision's as the fold
 * kept it (`decisions`); a reaction one deeper than the decision it answers; another answer
 * (a rejection, a stance naming a record) 1; a record made 0.
 */
function depthsOf(
  changes: readonly (Omit<Change, 'evidence'> & { evidence: EvidenceRef })[],
  state: TopicState,
): (c: Pick<Change, 'evidence'>) => number {
  const depths = new Map<string, number>();
  for (const c of changes) {
    const id = eventOf(c.evidence);
    const depth = c.decision
      ? (state.decisions[c.decision.event]?.depth ?? 0) + 1
      : (state.decisions[id]?.depth ?? (ANSWERS.has(c.kind) ? 1 : 0));
    depths.set(id, Math.max(depths.get(id) ?? 0, depth));
  }
  return (c) => depths.get(c.evidence.eventId) ?? 0;
}

/** An item's title on the day an event counts from (by the event's id). */
export type ItemTitleWhen = (item: string, eventId: string) => string;

/** Every record of a state that a change can name, by its event id. */
function recordsIn(state: TopicState): Map<string, ChangedRecord> {
  const records = new Map<string, ChangedRecord>();
  const add = (event: string, record: ChangedRecordKind, by: string, what: string, item?: string) =>
    records.set(event, { event, record, by, what, ...(item ? { item } : {}) });
  for (const p of Object.values(state.proposals)) add(p.eventId, 'proposal', p.actor, p.terms, p.item);
  for (const d of Object.values(state.demands)) add(d.eventId, 'demand', d.actor, d.what, d.item);
  for (const t of Object.values(state.threats)) add(t.eventId, 'threat', t.actor, t.counterMeasure, t.item);
  for (const c of state.concessions) add(c.eventId, 'concession', c.actor, c.terms, c.item);
  for (const a of state.acts) add(a.eventId, a.kind, a.actor, a.description, a.item);
  return records;
}

/**
 * A change as answered: the record it is about named, and every item it names titled as on the
 * day its event counts from, so no title given after that day, or reported after knownAt, shows.
 */
function named<C extends Omit<Change, 'evidence'> & { evidence: EvidenceRef }>(
  change: C,
  records: ReadonlyMap<string, ChangedRecord>,
  titleOf: ItemTitleWhen,
): C {
  const when = eventOf(change.evidence);
  const titled = <L extends { item?: string }>(link: L): L =>
    link.item ? { ...link, title: titleOf(link.item, when) } : link;
  const record = change.decision ? undefined : records.get(change.subject);
  return {
    ...change,
    ...(change.item ? { title: titleOf(change.item, when) } : {}),
    ...(record ? { record: titled(record) } : {}),
    ...(change.decision ? { decision: titled(change.decision) } : {}),
  };
}
