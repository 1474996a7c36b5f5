import { Problem } from '../../../shared/problem.js';
import type { AgreementPayload, DiplomaticEvent } from '../events/events.js';
import { occurredText } from '../time/dates.js';
import {
  type ClosedStatus,
  forgottenBy,
  headOf,
  parseEvidenceRef,
  recordOf,
  statusOf,
  type TopicState,
} from './topic-state.js';

/** What the standing checks read of an event: a command being decided, or an event recorded. */
export type Checked = Pick<DiplomaticEvent, 'type' | 'actor' | 'payload' | 'refersTo'>;

const unprocessable = (field: string, problem: string) => Problem.field('unprocessable', field, problem);

/**
 * decide's rules that read the topic's records (DESIGN section 4): who put an item on the table,
 * and whether the record an answer names still stands. They are checked against the topic as it
 * stood at the event's own place in the topic's order (decide, `history`), and every later event
 * is checked again by them when a late report lands before it (in-order.ts): the other rules of
 * decide read nothing that an event earlier in the order can change.
 */
export function checkStanding(event: Checked, target: DiplomaticEvent | undefined, state: TopicState): void {
  const item = proposedItem(event);
  const proposer = item === undefined ? undefined : state.items[item]?.proposer;
  if (item !== undefined && proposer && proposer !== event.actor) {
    throw unprocessable(
      'payload.item',
      `"${item}" was proposed by ${proposer}; ${event.actor} can endorse it, agree to it or state a stance on it, not propose it`,
    );
  }
  if (!target) return;
  const kind = target.type === 'proposal' ? 'proposal' : target.type === 'threat' ? 'threat' : 'demand';
  const record = recordOf(state, target.id);
  const status = record && statusOf(kind, record);
  // A restated record is answered through the restatement that stands in its place (headOf).
  const head = headOf(state, target.id);
  const headRecord = recordOf(state, head);
  const headStatus = headRecord && statusOf(kind, headRecord);
  const via = head === target.id ? '' : ` (restated by ${head})`;
  switch (event.type) {
    case 'concession':
      if (target.type === 'proposal') {
        // Backing down on one's own proposal: it must still be on the table.
        if (target.actor === event.actor && headStatus !== 'open')
          throw unprocessable('refersTo', `the proposal ${target.id}${via} is no longer open (${headStatus})`);
        return;
      }
      // A refused demand can still be met; a met, withdrawn or moot one cannot.
      if (target.actor !== event.actor && headStatus !== 'active' && headStatus !== 'refused')
        throw unprocessable('refersTo', `the ${target.type} ${target.id}${via} is no longer active (${headStatus})`);
      return;
    case 'withdrawal': {
      if (target.type === 'agreement') {
        // A signer leaves an agreement once, as a record is withdrawn once: a second withdrawal
        // was recorded and listed beside the first (acts[].left named the party twice).
        const left = state.acts
          .find((a) => a.eventId === target.id && a.kind === 'agreement')
          ?.left?.find((l) => l.party === event.actor);
        if (left)
          throw unprocessable(
            'refersTo',
            `the agreement ${target.id} is not in force for ${event.actor} any more (withdrawn by ${parseEvidenceRef(left.closure.by).eventId} on ${left.closure.on})`,
          );
        return;
      }
      if (target.actor !== event.actor) return;
      // A record the log made moot (the plan it was about ended) may still be withdrawn by its
      // author, once: a true claim of its own date, kept after the closure (laterWithdrawals).
      // Refusing it made what is recorded depend on which report came first (audit of 2026-12-07);
      // a second withdrawal is refused whichever came first, as one of a standing record is.
      const withdrawn = headRecord?.laterWithdrawals?.[0];
      if (headStatus === 'moot' && withdrawn)
        throw unprocessable(
          'refersTo',
          `the ${target.type} ${target.id}${via} was withdrawn already (by ${parseEvidenceRef(withdrawn.by).eventId} on ${withdrawn.on}), after it became moot`,
        );
      if (
        headStatus !== undefined &&
        headStatus !== 'open' &&
        headStatus !== 'active' &&
        headStatus !== 'refused' &&
        headStatus !== 'moot'
      )
        throw unprocessable('refersTo', `the ${target.type} ${target.id}${via} is not active any more (${headStatus})`);
      return;
    }
    case 'action':
      // Carrying out a threat: it must stand at the action's place (a withdrawn, moot or already
      // carried-out threat is no longer there to carry out).
      if (target.type === 'threat' && headStatus !== 'active')
        throw unprocessable(
          'refersTo',
          `the threat ${target.id} is no longer active (${headStatus}): nothing to carry out`,
        );
      return;
    case 'agreement':
      if (target.type !== 'proposal') return;
      if (target.actor === event.actor && !(event.payload as AgreementPayload).parties?.length) return;
      if (status === 'withdrawn' || status === 'moot' || status === 'conceded')
        throw unprocessable('refersTo', `the proposal ${target.id} is not open (${status})`);
      // A restated proposal is signed through the restatement that stands in its place (headOf).
      if (status === 'superseded' && (headStatus === 'withdrawn' || headStatus === 'moot' || headStatus === 'conceded'))
        throw unprocessable('refersTo', `the proposal ${target.id}${via} is not open (${headStatus})`);
      return;
    default:
      return;
  }
}

/**
 * Whether checkStanding reads, for this event, what a fold that forgot its history let go of
 * (TopicFold.forgetHistory, a writer's cached fold): a withdrawal from an agreement reads who left
 * it already, in the agreement's act. Such an event is checked against a fold of the topic's log
 * (needsLog, checkInOrder), not against that state, which would let a second withdrawal through.
 */
export function readsForgotten(
  event: Pick<Checked, 'type'>,
  target: DiplomaticEvent | undefined,
  state: TopicState,
): boolean {
  return event.type === 'withdrawal' && target?.type === 'agreement' && forgottenBy(state, target.id);
}

/** The item a proposal puts on the table: the one the proposer rule reads (only its first proposer may propose it). */
function proposedItem(event: Checked): string | undefined {
  const item = (event.payload as { item?: unknown }).item;
  return event.type === 'proposal' && typeof item === 'string' ? item : undefined;
}

/**
 * Why `earlier`, reported late (or corrected to an earlier place), would make `later`, an event
 * after it in the topic's order, break the rules above, said from the side of the one who posts
 * `earlier`: what follows "this withdrawal". The later event's own problem ("the proposal ... is
 * not open (withdrawn)" of a signing) is about the later event, and read alone it leaves the
 * poster to work out what its own event did: it is told "this withdrawal (20 July 2007) would
 * withdraw the proposal P before the later agreement by russia (event S, 1 August 2007) that signs
 * it, which then could not stand: ...", the later problem last. A proposal of an item dated before
 * another party's proposal of it makes that party its second proposer. `state`: the topic with
 * `earlier` in place, just before `later`; `why`: the later event's own problem there. Undefined
 * where `earlier` is not what closed what `later` answers (the caller then names the two events
 * and the later one's problem).
 */
export function breakingLater(
  earlier: Checked & Pick<DiplomaticEvent, 'id' | 'occurred'>,
  later: DiplomaticEvent,
  state: TopicState,
  why: string,
): string | undefined {
  const item = proposedItem(earlier);
  const when = `(${occurredText(earlier.occurred)}) would`;
  const then = `by ${later.actor} (event ${later.id}, ${occurredText(later.occurred)})`;
  if (item !== undefined && proposedItem(later) === item && later.actor !== earlier.actor)
    return (
      `of "${item}" ${when} come before the later proposal of the same item ${then}, which then could not stand: ` +
      `an item is the first proposer's, and ${later.actor} could then only endorse it, agree to it or state a stance on it`
    );
  const closing = closingOf(earlier, later, state);
  return (
    closing &&
    `${when} ${closing.did} before the later ${later.type} ${then} that ${closing.answer}, which then could not stand: ${why}`
  );
}

/**
 * What `earlier` did, in `state`, to the record (or agreement) that `later` names ("withdraw the
 * threat T"), and how `later` stands to it ("carries it out"); undefined if `earlier` did not close it.
 */
function closingOf(
  earlier: Pick<DiplomaticEvent, 'id'>,
  later: DiplomaticEvent,
  state: TopicState,
): { readonly did: string; readonly answer: string } | undefined {
  if (!later.refersTo) return undefined;
  const by = (closure: { readonly by: string }) => parseEvidenceRef(closure.by).eventId === earlier.id;
  const left = state.acts
    .find((a) => a.eventId === later.refersTo && a.kind === 'agreement')
    ?.left?.find((l) => l.party === later.actor && by(l.closure));
  if (left) return { did: `take ${later.actor} out of the agreement ${later.refersTo}`, answer: 'withdraws from it' };
  const head = headOf(state, later.refersTo);
  const record = recordOf(state, head);
  if (!record) return undefined;
  const kind = state.proposals[head]
    ? 'proposal'
    : state.demands[head]
      ? 'demand'
      : state.threats[head]
        ? 'threat'
        : state.settled[head].kind;
  const named = `the ${kind} ${head}${head === later.refersTo ? '' : ` (restating ${later.refersTo})`}`;
  const answer = ANSWER_VERBS[later.type]?.(kind) ?? 'answers it';
  if (record.closed && by(record.closed)) return { did: CLOSING[record.closed.status](named), answer };
  if (record.laterWithdrawals?.some(by))
    return { did: `withdraw ${named} (after it became ${record.closed?.status ?? 'closed'})`, answer };
  return undefined;
}

/** What an event that closed a record did to it, by the status it left it in: "withdraw the threat T". */
const CLOSING: Readonly<Record<ClosedStatus, (named: string) => string>> = {
  accepted: (named) => `complete the acceptance of ${named}`,
  refused: (named) => `complete the refusal of ${named}`,
  met: (named) => `meet ${named}`,
  withdrawn: (named) => `withdraw ${named}`,
  conceded: (named) => `back down on ${named}`,
  superseded: (named) => `restate ${named}`,
  moot: (named) => `make ${named} moot (by ending what it is about)`,
  'carried-out': (named) => `carry out ${named}`,
};

/** How an answer that a closed record refuses stands to that record: "signs it", "carries it out". */
const ANSWER_VERBS: Partial<Record<DiplomaticEvent['type'], (kind: string) => string>> = {
  action: () => 'carries it out',
  agreement: () => 'signs it',
  withdrawal: () => 'withdraws it',
  concession: (kind) => (kind === 'proposal' ? 'backs down on it' : 'meets it'),
};
