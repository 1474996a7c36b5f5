import { produce, type Draft } from 'immer';
import { assertNever, type DiplomaticEvent } from './events.js';
import {
  type Evidence,
  evidenceRef,
  type ItemStance,
  type Response,
  type TopicState,
  WHOLE_TOPIC,
} from './topic-state.js';

/**
 * The evidence behind an element: the event, its dates and its provenance. Nested objects are
 * built afresh in one key order, so the same event gives the same evidence (and the same stored
 * card) whether it was just decided or read back from JSONB, which reorders keys.
 */
export function evidenceOf(event: DiplomaticEvent, correctedBy?: string): Evidence {
  const { occurred, speaker, source } = event;
  return {
    eventId: event.id,
    type: event.type,
    actor: event.actor,
    occurred: { from: occurred.from, to: occurred.to, precision: occurred.precision },
    reportedAt: event.reportedAt,
    ...(speaker
      ? { speaker: { name: speaker.name, ...(speaker.role !== undefined ? { role: speaker.role } : {}) } }
      : {}),
    ...(event.quote ? { quote: event.quote } : {}),
    summary: event.summary,
    source: {
      publisher: source.publisher,
      title: source.title,
      ...(source.author !== undefined ? { author: source.author } : {}),
      ...(source.url !== undefined ? { url: source.url } : {}),
      publishedAt: source.publishedAt,
    },
    ...(correctedBy ? { correctedBy } : {}),
  };
}

/**
 * A record of the topic state that position elements are built from, named before it changes:
 * `proposal`, `demand`, `threat` by event id; `concession`, `act` by list index; `stance` by
 * party and item; `lastChange` by party.
 */
export type RecordRef =
  | { kind: 'proposal' | 'demand' | 'threat' | 'concession' | 'act' | 'lastChange'; id: string }
  | { kind: 'stance'; id: string; item: string };

/**
 * The fold: the state of a topic after one more event. Pure, and the only one: the inline
 * projection, a full rebuild and a replay all use it, so they cannot disagree.
 *
 * Corrections and retractions are records about records: `effectiveEvents` (timeline.ts)
 * applies them to the events they name before folding, so here they change nothing.
 */
export function evolve(state: TopicState, event: DiplomaticEvent, correctedBy?: string): TopicState {
  if (event.type === 'correction' || event.type === 'retraction') return state;
  return produce(state, (draft) => applyEvent(draft as TopicState, state, event, correctedBy));
}

/**
 * The transitions of `evolve`, written as changes to `draft`: run on an immer draft by `evolve`,
 * and directly on a private mutable state by `TopicFold` (topic-fold.ts), which is what makes
 * folding a long topic linear. `touch` is told of every record just before it changes.
 */
export function applyEvent(
  draftState: TopicState,
  state: TopicState,
  event: DiplomaticEvent,
  correctedBy?: string,
  touch: (record: RecordRef) => void = () => undefined,
): void {
  if (event.type === 'correction' || event.type === 'retraction') return;
  const draft = draftState as Draft<TopicState>;
  {
    const evidence = evidenceRef(event.id, correctedBy);
    const occurredTo = event.occurred.to;
    const touched = new Set([event.actor, ...event.targets]);
    const setStance = (party: string, item: string, stance: ItemStance, reason?: string) => {
      touch({ kind: 'stance', id: party, item });
      draft.stances[party] ??= {};
      draft.stances[party][item] = { stance, ...(reason ? { reason } : {}), evidence };
    };
    const respond = (proposalId: string, response: Response) => {
      const proposal = draft.proposals[proposalId];
      if (!proposal) return;
      touch({ kind: 'proposal', id: proposalId });
      proposal.responses[response.party] = response;
      touched.add(proposal.actor);
    };
    /** A statement or endorsement on an item answers every standing proposal of it by another party. */
    const respondToItem = (item: string, response: Response) => {
      // Search the base state, not the draft: touching every draft record would copy them all.
      for (const id in state.proposals) {
        const proposal = state.proposals[id];
        if (proposal.item === item && proposal.actor !== event.actor && proposal.status === 'open') {
          respond(proposal.eventId, response);
        }
      }
    };

    switch (event.type) {
      case 'proposal': {
        const { item, itemTitle, terms } = event.payload;
        const existing = draft.items[item];
        draft.items[item] = {
          slug: item,
          title: itemTitle ?? existing?.title ?? item,
          proposer: existing?.proposer ?? event.actor,
        };
        touch({ kind: 'proposal', id: event.id });
        draft.proposals[event.id] = {
          eventId: event.id,
          actor: event.actor,
          item,
          terms,
          addressees: [...event.targets],
          status: 'open',
          responses: {},
          evidence,
          occurredTo,
        };
        setStance(event.actor, item, 'proposer');
        break;
      }
      case 'rejection': {
        const reason = event.payload.reason;
        const response: Response = {
          party: event.actor,
          response: 'rejected',
          ...(reason ? { reason } : {}),
          evidence,
        };
        const proposal = draft.proposals[event.refersTo!];
        if (proposal) {
          respond(proposal.eventId, response);
          setStance(event.actor, proposal.item, 'rejected', reason);
        }
        const demand = draft.demands[event.refersTo!];
        if (demand) {
          touch({ kind: 'demand', id: demand.eventId });
          demand.responses[event.actor] = response;
          touched.add(demand.actor);
        }
        break;
      }
      case 'concession': {
        const demand = event.refersTo ? draft.demands[event.refersTo] : undefined;
        touch({ kind: 'concession', id: String(draft.concessions.length) });
        draft.concessions.push({
          eventId: event.id,
          actor: event.actor,
          terms: event.payload.terms,
          ...(event.payload.item ? { item: event.payload.item } : {}),
          ...(demand ? { meets: demand.eventId } : {}),
          evidence,
        });
        if (demand) {
          touch({ kind: 'demand', id: demand.eventId });
          demand.targets.forEach((t) => touched.add(t)); // it leaves their demandsOnParty
          demand.status = 'met';
          demand.closedBy = evidence;
          demand.responses[event.actor] = { party: event.actor, response: 'conceded', evidence };
          touched.add(demand.actor);
        }
        break;
      }
      case 'freeze_demand':
      case 'demand': {
        const payload = event.payload;
        touch({ kind: 'demand', id: event.id });
        draft.demands[event.id] = {
          eventId: event.id,
          kind: event.type,
          actor: event.actor,
          targets: [...event.targets],
          ...(payload.item ? { item: payload.item } : {}),
          what: 'action' in payload ? payload.action : payload.demand,
          ...('condition' in payload && payload.condition ? { condition: payload.condition } : {}),
          status: 'active',
          responses: {},
          evidence,
          occurredTo,
        };
        break;
      }
      case 'threat': {
        const { item, counterMeasure, condition } = event.payload;
        touch({ kind: 'threat', id: event.id });
        draft.threats[event.id] = {
          eventId: event.id,
          actor: event.actor,
          targets: [...event.targets],
          ...(item ? { item } : {}),
          counterMeasure,
          ...(condition ? { condition } : {}),
          status: 'active',
          evidence,
          occurredTo,
        };
        break;
      }
      case 'withdrawal': {
        const id = event.refersTo!;
        const proposal = draft.proposals[id];
        if (proposal) {
          touch({ kind: 'proposal', id });
          proposal.status = 'withdrawn';
          proposal.withdrawal = evidence;
          setStance(event.actor, proposal.item, 'withdrawn', event.payload.reason);
        }
        const demand = draft.demands[id];
        if (demand) {
          touch({ kind: 'demand', id });
          demand.status = 'withdrawn';
          demand.closedBy = evidence;
          demand.targets.forEach((t) => touched.add(t));
        }
        const threat = draft.threats[id];
        if (threat) {
          touch({ kind: 'threat', id });
          threat.status = 'withdrawn';
          threat.withdrawal = evidence;
        }
        break;
      }
      case 'agreement': {
        const proposal = event.refersTo ? draft.proposals[event.refersTo] : undefined;
        const item = event.payload.item ?? proposal?.item;
        touch({ kind: 'act', id: String(draft.acts.length) });
        draft.acts.push({
          eventId: event.id,
          kind: 'agreement',
          actor: event.actor,
          targets: [...event.targets],
          ...(item ? { item } : {}),
          description: event.payload.terms ?? proposal?.terms ?? event.summary,
          ...(proposal ? { accepts: proposal.eventId } : {}),
          evidence,
        });
        if (proposal) {
          respond(proposal.eventId, { party: event.actor, response: 'accepted', evidence });
          setStance(event.actor, proposal.item, 'accepted');
        } else if (item) {
          setStance(event.actor, item, 'accepted');
        }
        break;
      }
      case 'endorsement': {
        const item = event.payload.item;
        setStance(event.actor, item, 'supports', 'endorsed it');
        respondToItem(item, { party: event.actor, response: 'endorsed', evidence });
        break;
      }
      case 'statement': {
        const { item, stance, reason } = event.payload;
        setStance(event.actor, item ?? WHOLE_TOPIC, stance, reason);
        if (item)
          respondToItem(item, { party: event.actor, response: stance, ...(reason ? { reason } : {}), evidence });
        break;
      }
      case 'action': {
        const { item, act } = event.payload;
        touch({ kind: 'act', id: String(draft.acts.length) });
        draft.acts.push({
          eventId: event.id,
          kind: 'action',
          actor: event.actor,
          targets: [...event.targets],
          ...(item ? { item } : {}),
          description: act,
          evidence,
        });
        break;
      }
      default:
        assertNever(event);
    }

    for (const party of touched) {
      if (!state.parties.includes(party)) draft.parties.push(party);
      touch({ kind: 'lastChange', id: party });
      draft.lastChange[party] = evidence;
    }
  }
}
