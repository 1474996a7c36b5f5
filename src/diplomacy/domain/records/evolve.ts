import { castDraft, produce, type Draft } from 'immer';
import { renderCard } from './evidence-card.js';
import { assertNever, isAboutARecord, signersOf, type DiplomaticEvent, type StatedStance } from '../events/events.js';
import { type AnsweredKey, answeredKey, placeOf } from '../time/order.js';
import {
  type ClosedStatus,
  type Closure,
  type Evidence,
  evidenceRef,
  isFinal,
  isStanding,
  type ItemStance,
  parseEvidenceRef,
  headOf,
  type DecisionKind,
  type DemandResponse,
  type DemandState,
  type ProposalState,
  type SettledRecord,
  type ThreatState,
  type ReactionKind,
  type ReactionLink,
  type RecordKind,
  type RecordLink,
  type Response,
  type TopicState,
  WHOLE_TOPIC,
} from './topic-state.js';

/**
 * The evidence behind an element: the event, its dates and its provenance, as its card
 * describes it (evidence-card.ts, which PostgreSQL's evidence_card is generated from). Nested
 * objects are built afresh in one key order, so the same event gives the same evidence (and the
 * same stored card) whether it was just decided or read back from JSONB, which reorders keys.
 */
export function evidenceOf(event: DiplomaticEvent, correctedBy?: string): Evidence {
  return renderCard(event, correctedBy);
}

/**
 * A record of the topic state that position elements are built from, named before it changes:
 * `proposal`, `demand`, `threat` by event id; `concession`, `act`, `reaction` and `replaced` (a stance of the
 * trail) by list index; `stance` by party and item; `lastChange` and `lastChangeAffecting` by party;
 * `title` by item.
 */
export type RecordRef =
  | {
      kind:
        | 'proposal'
        | 'demand'
        | 'threat'
        | 'concession'
        | 'act'
        | 'reaction'
        | 'replaced'
        | 'lastChange'
        | 'lastChangeAffecting'
        /** An item's title (id: the item's slug). */
        | 'title';
      id: string;
    }
  | { kind: 'stance'; id: string; item: string };

/**
 * The fold: the state of a topic after one more event. Pure, and the only one: the inline
 * projection, a full rebuild and a replay all use it, so they cannot disagree.
 *
 * Corrections and retractions are records about records: `effectiveEvents` (timeline.ts)
 * applies them to the events they name before folding, so here they change nothing.
 */
export function evolve(
  state: TopicState,
  event: DiplomaticEvent,
  correctedBy?: string,
  place?: AnsweredKey,
): TopicState {
  if (isAboutARecord(event.type)) return state;
  return produce(state, (draft) => applyEvent(draft as TopicState, state, event, correctedBy, place));
}

/** The reaction a stated stance toward another party's decision makes. */
const REACTION_TO_STANCE: Readonly<Record<StatedStance, ReactionKind>> = {
  supports: 'welcomed',
  opposes: 'condemned',
  conditional: 'conditional',
  neutral: 'noted',
};

/** What a record proposed, demanded or threatened (a settled one keeps a proposal's terms only). */
function recordWhat(record: ProposalState | DemandState | ThreatState | SettledRecord): string {
  if ('counterMeasure' in record) return record.counterMeasure;
  if ('what' in record) return record.what;
  return record.terms ?? '';
}

/** An item and every item below it (sub-items name their parent), as slugs. */
export function lineageOf(state: TopicState, item: string): Set<string> {
  const lineage = new Set([item]);
  for (let grown = true; grown;) {
    grown = false;
    for (const slug in state.items) {
      const parent = state.items[slug].parent;
      if (parent !== undefined && lineage.has(parent) && !lineage.has(slug)) {
        lineage.add(slug);
        grown = true;
      }
    }
  }
  return lineage;
}

/**
 * The end of an item, or of the nearest item above it that ended (observers at the sites end
 * with the third site), if any: what a record made about the item afterwards depended on.
 */
export function endOf(state: TopicState, item: string | undefined): Closure | undefined {
  const seen = new Set<string>();
  for (let slug = item; slug !== undefined && !seen.has(slug); slug = state.items[slug]?.parent) {
    seen.add(slug);
    const ended = state.items[slug]?.ended;
    if (ended) return ended;
  }
  return undefined;
}

/**
 * The transitions of `evolve`, written as changes to `draft`: run on an immer draft by `evolve`,
 * and directly on a private mutable state by `TopicFold` (topic-fold.ts), which is what makes
 * folding a long topic linear. `touch` is told of every record just before it changes.
 *
 * The lifecycle (docs/architecture.md, "Records and their lifecycle"): events fold in topic
 * order, so "later" below is that order. A record closes once, except a refused demand, which
 * can still be met or withdrawn.
 */
export function applyEvent(
  draftState: TopicState,
  state: TopicState,
  event: DiplomaticEvent,
  correctedBy?: string,
  placed?: AnsweredKey,
  touch: (record: RecordRef) => void = () => undefined,
): void {
  if (event.type === 'correction' || event.type === 'retraction' || event.type === 'report') return;
  const draft = draftState as Draft<TopicState>;
  const evidence = evidenceRef(event.id, correctedBy);
  // Where it stands in the topic's order: its key in the effective log (`placed`), which knows
  // the answers that prove it happened earlier (provenDays); else as orderKey gives it from the
  // state before it, which holds what it answers (an event no answer moves, folded at the end).
  // `day` is the day it counts from, so a stance it sets (`since`), the stance it replaces
  // (`until`) and a closure it sets (`on`) date from then: never from a day on which a position
  // does not show the event yet.
  const place = placed ?? placeOf(event, answeredKey(state, event));
  const day = place.countsFrom;
  /** Parties whose position this event changes: its actor and targets, and the parties of every record it closes. */
  const affected = new Set([event.actor, ...event.targets]);
  /** A closure set by this event; `party`: the one whose act closed it, where that is not the event's actor (a co-signer's). */
  const closure = (status: ClosedStatus, party = event.actor): Closure => ({ status, on: day, by: evidence, party });

  const nameItem = (item: string, title?: string, parent?: string) => {
    touch({ kind: 'title', id: item }); // its title counts from this event's day (a proposal may rename it below)
    if (draft.items[item]) return;
    draft.items[item] = { slug: item, title: title ?? item, ...(parent ? { parent } : {}) };
  };
  const setStance = (party: string, item: string, stance: ItemStance, reason?: string) => {
    touch({ kind: 'stance', id: party, item });
    draft.stances[party] ??= {};
    const before = draft.stances[party][item];
    if (before) {
      touch({ kind: 'replaced', id: String(draft.replacedStances.length) });
      draft.replacedStances.push({ party, item, entry: before, until: day });
    }
    draft.stances[party][item] = { stance, ...(reason ? { reason } : {}), since: day, evidence };
  };

  const closeProposal = (id: string, status: ClosedStatus, party?: string) => {
    const proposal = draft.proposals[id];
    if (!proposal || !isStanding(proposal)) return;
    touch({ kind: 'proposal', id });
    proposal.closed = closure(status, party);
    affected.add(proposal.actor);
    for (const party in proposal.responses) affected.add(party); // their answers leave their positions
  };
  const closeDemand = (id: string, status: ClosedStatus) => {
    const demand = draft.demands[id];
    if (!demand || isFinal(demand.closed)) return;
    touch({ kind: 'demand', id });
    demand.closed = closure(status);
    affected.add(demand.actor);
    demand.targets.forEach((t) => affected.add(t));
    for (const party in demand.responses) affected.add(party);
  };
  const closeThreat = (id: string, status: ClosedStatus) => {
    const threat = draft.threats[id];
    if (!threat || !isStanding(threat)) return;
    touch({ kind: 'threat', id });
    threat.closed = closure(status);
    affected.add(threat.actor);
    threat.targets.forEach((t) => affected.add(t)); // it leaves their threatsAgainstParty for closedConcerningParty
  };

  /**
   * A party's explicit answer to a record (it names the record): the latest one stands, the
   * earlier ones stay beneath it. Answers by stating a stance on an item replace each other: the
   * stance trail keeps those.
   */
  const answer = <R extends Response | DemandResponse>(was: R | undefined, response: R): R =>
    was && was.evidence !== response.evidence
      ? {
          ...response,
          earlier: [
            ...(was.earlier ?? []),
            {
              response: was.response,
              ...(was.reason ? { reason: was.reason } : {}),
              evidence: was.evidence,
              countsFrom: was.countsFrom,
            },
          ],
        }
      : response;
  /**
   * An answer to a proposal. One closed for good still records an explicit answer (it shows with
   * the closed record, in the answering party's closedConcerningParty): a refusal of a plan
   * already withdrawn is still something the party said.
   */
  const respond = (proposalId: string, response: Response, explicit = true) => {
    const proposal = draft.proposals[proposalId];
    if (!proposal || (!explicit && !isStanding(proposal))) return;
    touch({ kind: 'proposal', id: proposalId });
    proposal.responses[response.party] = castDraft(
      explicit ? answer<Response>(proposal.responses[response.party], response) : response,
    );
    affected.add(proposal.actor);
  };
  /** A statement or endorsement on an item answers every standing proposal of it by another party. */
  const respondToItem = (item: string, response: Response) => {
    // Search the base state, not the draft: touching every draft record would copy them all.
    for (const id in state.proposals) {
      const proposal = state.proposals[id];
      if (proposal.item === item && proposal.actor !== event.actor && isStanding(proposal))
        respond(id, response, false);
    }
  };
  /**
   * Its proposer withdrew an item: every standing record of any party about it or its sub-items
   * becomes moot, from this day, with this event as the cause.
   */
  const endItem = (item: string) => {
    const state = draft.items[item];
    if (!state || state.ended) return;
    state.ended = closure('withdrawn');
    const lineage = lineageOf(draftState, item);
    const about = (record: { item?: string; closed?: Closure }) =>
      record.item !== undefined && lineage.has(record.item) && !isFinal(record.closed); // a refused demand too
    const mooted: string[] = [];
    for (const id in draftState.proposals)
      if (about(draftState.proposals[id])) {
        closeProposal(id, 'moot');
        mooted.push(id);
      }
    for (const id in draftState.demands) if (about(draftState.demands[id])) closeDemand(id, 'moot');
    for (const id in draftState.threats) if (about(draftState.threats[id])) closeThreat(id, 'moot');
    // Concessions are records too: what a party conceded on a plan that is gone no longer stands
    // (one said "had conceded" of the dam after the dam was dropped). A back-down on one's own
    // proposal is spent once made: it closed that proposal (as conceded) and commits its author to
    // nothing more, so nothing is left of it for a later end of the item, or of its parent, to make
    // moot (a back-down on the observers was listed as made moot by the end of the whole site plan
    // a year after).
    draftState.concessions.forEach((c, i) => {
      const concededOn = c.item;
      if (c.backsDownOn || c.closed || concededOn === undefined || !lineage.has(concededOn)) return;
      touch({ kind: 'concession', id: String(i) });
      draft.concessions[i].closed = closure('moot');
      affected.add(c.actor);
    });
    // The proposer ending a plan takes back its own offers on the sub-items too: its stance on
    // them is no longer "proposer" (a position listed the observers at the sites as proposed, with
    // no proposal left open and the offer closed as moot).
    for (const sub of new Set(
      mooted
        .map((id) => draftState.proposals[id])
        .filter((p) => p.actor === event.actor)
        .map((p) => p.item),
    )) {
      const offered = Object.values(draftState.proposals).some(
        (p) => p.item === sub && p.actor === event.actor && isStanding(p),
      );
      if (sub !== item && !offered && draftState.stances[event.actor]?.[sub]?.stance === 'proposer')
        setStance(event.actor, sub, 'withdrawn');
    }
  };

  /**
   * A record made about an item that had already ended (its proposer withdrew it, or the plan
   * above it) is moot from its own day, with the event that ended the item as the cause, as the
   * cascade (endItem) makes moot one made before the end: so the record reads the same, listed
   * under `closed` and never active, whichever report came first (the fold is in topic order).
   * Recording it, not refusing it, keeps what the party said: a demand about a plan already
   * dropped is still a true report of its day. Returns whether it was.
   */
  const mootFromItsStart = (record: { item?: string; closed?: Closure }, item = record.item): boolean => {
    const ended = endOf(draftState, item);
    if (!ended) return false;
    record.closed = { status: 'moot', on: day, by: ended.by, party: ended.party };
    return true;
  };

  /**
   * The proposer taking back its last standing proposal of an item, by a withdrawal or by backing
   * down on it (a concession on its own proposal), ends the item: what others said about it is moot.
   */
  const endIfNoLongerOffered = (item: string) => {
    const stillOffered = Object.values(draftState.proposals).some(
      (p) => p.item === item && p.actor === event.actor && isStanding(p),
    );
    if (draft.items[item]?.proposer === event.actor && !stillOffered) endItem(item);
  };

  /** A proposal by id, whole or settled (TopicFold.forgetHistory): what an answer to it still reads. */
  const proposalNamed = (id: string | undefined) =>
    id ? (draft.proposals[id] ?? (draft.settled[id]?.kind === 'proposal' ? draft.settled[id] : undefined)) : undefined;
  /** A link to a proposal (whole or settled) that names it: author, item, terms. */
  const proposalLink = (id: string, p: { actor: string; item?: string; terms?: string }): RecordLink => ({
    event: id,
    record: 'proposal',
    by: p.actor,
    ...(p.item ? { item: p.item } : {}),
    what: p.terms ?? '',
  });
  /** The event as one of its actor's acts (an agreement or an action), with the record it accepts or carries out. */
  const recordAct = (
    kind: 'agreement' | 'action',
    item: string | undefined,
    description: string,
    links: { readonly accepts?: RecordLink; readonly carriesOut?: RecordLink } = {},
    cosigners: readonly string[] = [],
    signed = false,
  ) => {
    touch({ kind: 'act', id: String(draft.acts.length) });
    draft.acts.push({
      eventId: event.id,
      kind,
      actor: event.actor,
      targets: [...event.targets],
      ...(cosigners.length ? { cosigners: [...cosigners] } : {}),
      ...(signed ? { signed } : {}),
      ...(item ? { item } : {}),
      description,
      ...(links.accepts ? { accepts: links.accepts } : {}),
      ...(links.carriesOut ? { carriesOut: links.carriesOut } : {}),
      evidence,
      countsFrom: day,
    });
  };

  /** This event as a decision a later reaction may name (kept for good, also by forgetHistory). */
  const noteDecision = (kind: DecisionKind, what: string, item?: string, record?: RecordKind) => {
    draft.decisions[event.id] = {
      kind,
      actor: event.actor,
      ...(item ? { item } : {}),
      what,
      ...(record ? { record } : {}),
      countsFrom: place.countsFrom,
      depth: place.depth,
    };
  };
  /** The decision or threat an event names, as a link; undefined when it names a proposal or demand. */
  const reactedTo = (id: string | undefined): ReactionLink | undefined => {
    if (!id) return undefined;
    const decision = draft.decisions[id];
    if (decision)
      return {
        event: id,
        decision: decision.kind,
        by: decision.actor,
        ...(decision.item ? { item: decision.item } : {}),
        what: decision.what,
        ...(decision.record ? { record: decision.record } : {}),
      };
    const threat = draft.threats[id];
    const record = threat ?? (draft.settled[id]?.kind === 'threat' ? draft.settled[id] : undefined);
    if (!record) return undefined;
    return {
      event: id,
      decision: 'threat',
      by: record.actor,
      ...(record.item ? { item: record.item } : {}),
      what: threat?.counterMeasure ?? '',
    };
  };
  /** The event as a reaction to a decision: in its author's position and in those it concerns. */
  const react = (to: ReactionLink, reaction: ReactionKind, reason?: string) => {
    touch({ kind: 'reaction', id: String(draft.reactions.length) });
    draft.reactions.push({
      eventId: event.id,
      actor: event.actor,
      reaction,
      ...(reason ? { reason } : {}),
      to,
      concerns: [...event.targets],
      evidence,
      countsFrom: day,
    });
  };

  switch (event.type) {
    case 'proposal': {
      const { item, itemTitle, itemParent, terms } = event.payload;
      nameItem(item, itemTitle, itemParent);
      const itemState = draft.items[item];
      if (itemTitle) itemState.title = itemTitle;
      itemState.proposer ??= event.actor;
      if (itemState.proposer === event.actor) delete itemState.ended; // put back on the table
      // A party's new proposal on an item restates its standing ones: they are superseded by it.
      const restated = Object.keys(state.proposals).filter((id) => {
        const p = state.proposals[id];
        return p.actor === event.actor && p.item === item && isStanding(p);
      });
      for (const id of restated) closeProposal(id, 'superseded');
      touch({ kind: 'proposal', id: event.id });
      draft.proposals[event.id] = {
        eventId: event.id,
        actor: event.actor,
        item,
        terms,
        addressees: [...event.targets],
        responses: {},
        evidence,
        countsFrom: day,
        ...(restated.length
          ? {
              // The whole chain, oldest first: the standing record names every one it restates.
              restates: restated.flatMap((id) => [
                ...(state.proposals[id].restates ?? []),
                { evidence: state.proposals[id].evidence, what: state.proposals[id].terms },
              ]),
            }
          : {}),
      };
      // An offer of a sub-item of a plan its own proposer had ended is no offer of the proposer
      // any more (endItem says the same of one made before the end): its stance reads withdrawn.
      const moot = mootFromItsStart(draft.proposals[event.id]);
      const ender = moot && endOf(draftState, item)?.party === event.actor;
      setStance(event.actor, item, ender ? 'withdrawn' : 'proposer');
      break;
    }
    case 'rejection': {
      const reason = event.payload.reason;
      const decision = reactedTo(event.refersTo);
      if (decision) {
        react(decision, 'rejected', reason);
        break;
      }
      const response: Response = {
        party: event.actor,
        response: 'rejected',
        ...(reason ? { reason } : {}),
        evidence,
        countsFrom: day,
      };
      // A rejection of a restated record answers the restatement that stands in its place.
      const id = headOf(draftState, event.refersTo!);
      const settled = draft.settled[id];
      const item = draft.proposals[id]?.item ?? (settled?.kind === 'proposal' ? settled.item : undefined);
      respond(id, response);
      if (item) setStance(event.actor, item, 'rejected', reason);
      const demand = draft.demands[id];
      if (demand) {
        // A refused demand still takes answers (a second party's refusal, a repeated one); it closes once.
        // One closed for good (met, withdrawn, moot) records the answer too, and stays closed.
        touch({ kind: 'demand', id });
        demand.responses[event.actor] = castDraft(answer<DemandResponse>(demand.responses[event.actor], response));
        affected.add(demand.actor);
        // Refused once every party it was made of has rejected it (any rejection, if it named none).
        if (isStanding(demand) && demand.targets.every((t) => demand.responses[t]?.response === 'rejected'))
          closeDemand(id, 'refused');
      }
      break;
    }
    case 'concession': {
      const { item, terms } = event.payload;
      if (item) nameItem(item);
      // A concession on a restated record acts on the restatement in its place (headOf), as a
      // withdrawal, rejection or signing does: meeting the first of two demands met the standing one.
      // One that names no record but the item of its author's own open proposal backs down on that
      // proposal, as one naming it does (DESIGN section 4: no answer says that P conceded and still
      // offers the same thing; the proposal stayed open beside the concession).
      const id =
        event.refersTo === undefined
          ? item === undefined
            ? undefined
            : Object.keys(state.proposals).findLast((p) => {
                const proposal = state.proposals[p];
                return proposal.actor === event.actor && proposal.item === item && isStanding(proposal);
              })
          : headOf(draftState, event.refersTo);
      // Its record is about its own item, else the item of the record it names (the demand it meets,
      // or answered once met, the proposal it backs down on: decide refuses one naming another):
      // the end of that item makes it moot (endItem), or moot from its start if it had ended.
      const named = id ? (draft.demands[id] ?? proposalNamed(id) ?? draft.settled[id]) : undefined;
      const about = item ?? named?.item;
      noteDecision('concession', terms, about);
      // It meets a demand that is still open (or refused); one closed for good it only refers to.
      const demand = id && draft.demands[id] && !isFinal(draft.demands[id].closed) ? draft.demands[id] : undefined;
      const own = proposalNamed(id);
      const backsDown = own !== undefined && own.actor === event.actor;
      touch({ kind: 'concession', id: String(draft.concessions.length) });
      const index = draft.concessions.length;
      draft.concessions.push({
        eventId: event.id,
        actor: event.actor,
        targets: [...event.targets],
        terms,
        ...(about ? { item: about } : {}),
        ...(demand
          ? {
              meets: {
                event: demand.eventId,
                record: 'demand',
                by: demand.actor,
                ...(demand.item ? { item: demand.item } : {}),
                what: demand.what,
              },
            }
          : {}),
        ...(backsDown ? { backsDownOn: proposalLink(id!, own) } : {}),
        evidence,
        countsFrom: day,
      });
      // Made about an item already ended: moot from its own day, as a demand or threat is.
      mootFromItsStart(draft.concessions[index]);
      if (demand) {
        touch({ kind: 'demand', id: demand.eventId });
        demand.responses[event.actor] = castDraft(
          answer<DemandResponse>(demand.responses[event.actor], {
            party: event.actor,
            response: 'conceded',
            evidence,
            countsFrom: day,
          }),
        );
        closeDemand(demand.eventId, 'met');
      }
      // Backing down on one's own proposal closes it: the party no longer offers it.
      const standing = id ? draft.proposals[id] : undefined;
      if (backsDown && standing && isStanding(standing)) {
        closeProposal(standing.eventId, 'conceded');
        setStance(event.actor, standing.item, 'withdrawn', terms);
        endIfNoLongerOffered(standing.item);
      }
      break;
    }
    case 'freeze_demand':
    case 'demand': {
      const payload = event.payload;
      if (payload.item) nameItem(payload.item);
      const sameTargets = (targets: readonly string[]) =>
        targets.length === event.targets.length && targets.every((t) => event.targets.includes(t));
      // The same demand made again (same party, kind, item and targets) restates the standing one.
      const restated = payload.item
        ? Object.keys(state.demands).filter((id) => {
            const d = state.demands[id];
            return (
              d.actor === event.actor &&
              d.kind === event.type &&
              d.item === payload.item &&
              sameTargets(d.targets) &&
              !isFinal(d.closed)
            );
          })
        : [];
      for (const id of restated) closeDemand(id, 'superseded');
      touch({ kind: 'demand', id: event.id });
      draft.demands[event.id] = {
        eventId: event.id,
        kind: event.type,
        actor: event.actor,
        targets: [...event.targets],
        ...(payload.item ? { item: payload.item } : {}),
        what: 'action' in payload ? payload.action : payload.demand,
        ...('condition' in payload && payload.condition ? { condition: payload.condition } : {}),
        responses: {},
        evidence,
        countsFrom: day,
        ...(restated.length
          ? {
              restates: restated.flatMap((id) => [
                ...(state.demands[id].restates ?? []),
                { evidence: state.demands[id].evidence, what: state.demands[id].what },
              ]),
            }
          : {}),
      };
      mootFromItsStart(draft.demands[event.id]);
      break;
    }
    case 'threat': {
      const { item, counterMeasure, condition } = event.payload;
      if (item) nameItem(item);
      touch({ kind: 'threat', id: event.id });
      draft.threats[event.id] = {
        eventId: event.id,
        actor: event.actor,
        targets: [...event.targets],
        ...(item ? { item } : {}),
        counterMeasure,
        ...(condition ? { condition } : {}),
        evidence,
        countsFrom: day,
      };
      mootFromItsStart(draft.threats[event.id]);
      break;
    }
    case 'withdrawal': {
      const left = draft.acts.findIndex((a) => a.eventId === event.refersTo && a.kind === 'agreement');
      if (left >= 0) {
        // A signer leaves the agreement: for it, the act is no longer in force, and its stance on
        // the item is withdrawn; the other signers keep it, and see who left.
        const act = draft.acts[left];
        touch({ kind: 'act', id: String(left) });
        // Its first withdrawal sets its stance; a later one is listed beside it, and changes nothing.
        // decide refuses a second one now (standing.ts), but a log written before may hold one.
        const first = !act.left?.some((l) => l.party === event.actor);
        act.left = [...(act.left ?? []), { party: event.actor, closure: closure('withdrawn') }];
        for (const party of [act.actor, ...(act.cosigners ?? [])]) affected.add(party);
        noteDecision('withdrawal', act.description, act.item);
        if (act.item && first) setStance(event.actor, act.item, 'withdrawn', event.payload.reason);
        break;
      }
      const id = headOf(draftState, event.refersTo!);
      const taken = draft.proposals[id] ?? draft.demands[id] ?? draft.threats[id] ?? draft.settled[id];
      const kind: RecordKind | undefined = draft.proposals[id]
        ? 'proposal'
        : draft.demands[id]
          ? 'demand'
          : draft.threats[id]
            ? 'threat'
            : draft.settled[id]?.kind;
      noteDecision('withdrawal', taken ? recordWhat(taken) : '', taken?.item, kind);
      const proposal = draft.proposals[id];
      if (proposal && isStanding(proposal)) {
        closeProposal(id, 'withdrawn');
        setStance(event.actor, proposal.item, 'withdrawn', event.payload.reason);
        endIfNoLongerOffered(proposal.item);
      }
      if (draft.demands[id]) closeDemand(id, 'withdrawn');
      if (draft.threats[id]) closeThreat(id, 'withdrawn');
      // A record another event had closed for good before this withdrawal counted keeps it, after its closure.
      const record = draft.proposals[id] ?? draft.demands[id] ?? draft.threats[id];
      if (record?.closed && parseEvidenceRef(record.closed.by).eventId !== event.id) {
        touch({ kind: draft.proposals[id] ? 'proposal' : draft.demands[id] ? 'demand' : 'threat', id });
        record.laterWithdrawals = [...(record.laterWithdrawals ?? []), closure('withdrawn')];
        // Every party whose position lists it closed sees the later withdrawal as its last change
        // affecting it: a demand's or threat's targets, and those that answered it (a demand
        // withdrawn after its closure by a withdrawal naming no party changed its target's
        // `closedConcerningParty`, and not the target's `lastChangeAffecting`).
        affected.add(record.actor);
        (draft.demands[id] ?? draft.threats[id])?.targets.forEach((t) => affected.add(t));
        if ('responses' in record) for (const party in record.responses) affected.add(party);
      }
      break;
    }
    case 'agreement': {
      // A signing of a restated proposal signs the restatement in its place (headOf), as a rejection
      // or withdrawal of it answers that one: signing the first of two drafts recorded the signature
      // on neither, and the standing draft read as unanswered.
      const id = event.refersTo && headOf(draftState, event.refersTo);
      const open = id ? draft.proposals[id] : undefined;
      const proposal = proposalNamed(id);
      const item = event.payload.item ?? proposal?.item;
      if (item) nameItem(item);
      // Agreeing to another party's decision (joining a deal, accepting a withdrawal) is a reaction to it too.
      const decision = reactedTo(id);
      if (decision) react(decision, 'agreed');
      noteDecision('agreement', event.payload.terms ?? proposal?.terms ?? event.summary, item);
      // One event binds every signer: each position shows the act and the accepted item.
      const signers = signersOf(event);
      signers.slice(1).forEach((party) => affected.add(party));
      // A co-signer signed it too: the signing is its own latest act (lastChange), not only something done to it.
      for (const party of signers.slice(1)) {
        touch({ kind: 'lastChange', id: party });
        draft.lastChange[party] = evidence;
      }
      recordAct(
        'agreement',
        item,
        event.payload.terms ?? proposal?.terms ?? event.summary,
        proposal ? { accepts: proposalLink(id!, proposal) } : {},
        signers.slice(1),
        // Signed (CAMEO 057) or an accord in words (019): the Czech deal announced in April 2008
        // was signed in July; a summary says "signed" only of a signing.
        event.cameo?.code.startsWith('057') ?? false,
      );
      // Each signer accepted the item, but the proposer signing its own plan with others: its
      // stance on its own plan stays what its statements made it (the US "accepted" its third site
      // once the Czech deal named it a party).
      if (item)
        signers.filter((party) => party !== proposal?.actor).forEach((party) => setStance(party, item, 'accepted'));
      if (open) {
        // The proposer signing its own plan with others does not accept it from itself. A signing
        // of a proposal already closed for good (accepted by the others) is still recorded on it,
        // as a rejection is: an explicit answer, the party's earlier ones beneath it (`earlier`).
        for (const party of signers.filter((p) => p !== open.actor)) {
          respond(open.eventId, { party, response: 'accepted', evidence, countsFrom: day });
          if (!open.agreedBy?.includes(party)) open.agreedBy = [...(open.agreedBy ?? []), party];
        }
      }
      if (open && isStanding(open)) {
        // Accepted once every party it was made to has signed (the first agreement, if it named none),
        // by the last of them to sign: never by the proposer, who may sign its own plan with them.
        const acceptedBy =
          signers.filter((p) => open.addressees.includes(p)).at(-1) ?? signers.find((p) => p !== open.actor);
        if (open.addressees.every((party) => open.agreedBy?.includes(party)))
          closeProposal(open.eventId, 'accepted', acceptedBy);
      }
      break;
    }
    case 'endorsement': {
      const item = event.payload.item;
      nameItem(item);
      noteDecision('endorsement', draft.items[item].title, item);
      setStance(event.actor, item, 'supports', 'endorsed it');
      respondToItem(item, { party: event.actor, response: 'endorsed', evidence, countsFrom: day });
      break;
    }
    case 'statement': {
      const { item, stance, reason } = event.payload;
      if (item) nameItem(item);
      // A stance toward a decision (welcomed, condemned) is not a stance on its item.
      const decision = reactedTo(event.refersTo);
      if (decision) {
        react(decision, REACTION_TO_STANCE[stance], reason);
        break;
      }
      if (event.refersTo) {
        // A stance on a named proposal or demand: an answer to that record, and a stance on its item.
        const id = headOf(draftState, event.refersTo);
        const response = {
          party: event.actor,
          response: stance,
          ...(reason ? { reason } : {}),
          evidence,
          countsFrom: day,
        };
        const proposal = proposalNamed(id);
        if (draft.proposals[id]) respond(id, response);
        const demand = draft.demands[id];
        if (demand) {
          touch({ kind: 'demand', id });
          demand.responses[event.actor] = castDraft(answer<DemandResponse>(demand.responses[event.actor], response));
          affected.add(demand.actor);
        }
        // What it answered was retracted: it has nowhere to show (as an answer to a retracted record),
        // and never becomes a stance on the item it named (welcoming a decision is not supporting a plan).
        const answered = proposal ?? demand ?? draft.settled[id];
        if (!answered) break;
        const about = answered.item ?? item;
        if (about) setStance(event.actor, about, stance, reason);
        break;
      }
      setStance(event.actor, item ?? WHOLE_TOPIC, stance, reason);
      if (item)
        respondToItem(item, {
          party: event.actor,
          response: stance,
          ...(reason ? { reason } : {}),
          evidence,
          countsFrom: day,
        });
      break;
    }
    case 'action': {
      const { act } = event.payload;
      // An action naming its actor's standing threat carries it out: the threat closes, by this
      // action, on the day it counts (no earlier than the threat: placeOf). decide refuses one that
      // names anything else; a threat retracted since is not in the fold, and the act links nothing.
      const threat = event.refersTo !== undefined ? draft.threats[event.refersTo] : undefined;
      const carried = threat && threat.actor === event.actor && isStanding(threat) ? threat : undefined;
      // The act is about what the threat was about, where it names nothing itself.
      const item = event.payload.item ?? carried?.item;
      if (item) nameItem(item);
      noteDecision('action', act, item);
      const carriesOut: RecordLink | undefined = carried && {
        event: carried.eventId,
        record: 'threat',
        by: carried.actor,
        ...(carried.item ? { item: carried.item } : {}),
        what: carried.counterMeasure,
      };
      if (carried) closeThreat(carried.eventId, 'carried-out');
      recordAct('action', item, act, carriesOut ? { carriesOut } : {});
      break;
    }
    default:
      assertNever(event);
  }

  touch({ kind: 'lastChange', id: event.actor });
  draft.lastChange[event.actor] = evidence;
  for (const party of affected) {
    if (!state.parties.includes(party)) draft.parties.push(party);
    touch({ kind: 'lastChangeAffecting', id: party });
    draft.lastChangeAffecting[party] = evidence;
  }
}
