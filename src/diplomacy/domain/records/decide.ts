import { describeProblems, Problem, type FieldProblem } from '../../../shared/problem.js';
import { CameoCodeError, codingFor } from '../events/cameo.js';
import { occurredDate, parseInstant, parseOccurredInput } from '../time/dates.js';
import type {
  AgreementPayload,
  DiplomaticEvent,
  EventType,
  CorrectionChanges,
  Occurred,
  OccurredInput,
  PlacedEvent,
  Source,
  Speaker,
  StatedStance,
} from '../events/events.js';
import { EVENT_TYPES, isAboutARecord, itemOf, signersOf } from '../events/events.js';
import { checkPayload } from '../events/payloads.js';
import { isUuid } from '../../../shared/ids.js';
import { closestSlugs, type Named } from '../../../shared/suggestions.js';
import type { TopicState } from './topic-state.js';
import {
  answersBeforeItBegan,
  checkCorrectionInOrder,
  checkInOrder,
  placeOfNew,
  reportedBeforeItsEnd,
} from './in-order.js';
import { readsForgotten } from './standing.js';
import { effectiveLog } from '../time/timeline.js';
import {
  answeredKey,
  answersItsReference,
  compareOrder,
  lastPossibleDay,
  movesWhatItAnswers,
  type OrderKey,
} from '../time/order.js';
import { unstorableText } from '../../../shared/text.js';
import type { SpeakerDirectory } from '../../../shared/speakers.js';

/** "Record this reported claim": what POST /events and the seeds ask for. */
export interface RecordEvent {
  readonly id: string;
  readonly topic: string;
  readonly type: EventType;
  readonly actor: string;
  readonly targets?: readonly string[];
  readonly speaker?: Speaker;
  /** "2007-06-07", "2007-07", "2007" or "2007-10-12/2007-10-13", alone or as { date, basis } */
  readonly occurred: OccurredInput;
  readonly reportedAt: string;
  readonly source: Source;
  readonly quote?: string;
  readonly summary: string;
  /** A readable key, unique in the topic (the edge checks that against the log). */
  readonly key?: string;
  /** The id of the event it answers (the edge turns a key into the id). */
  readonly refersTo?: string;
  readonly cameo?: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** An event someone refers to, as stored, wherever it is. */
export interface ReferencedEvent {
  readonly event: DiplomaticEvent;
  readonly retracted: boolean;
}

/** Slugs the catalog knows (a Set, or a Map by slug): looked up one at a time, listed only to suggest the closest. */
export interface KnownSlugs {
  has(slug: string): boolean;
  keys(): Iterable<string>;
  /** What else a slug is called (a party's name and aliases, an item's title), where known: suggestions search it too. */
  get?(
    slug: string,
  ): { readonly name?: string; readonly title?: string; readonly aliases?: readonly string[] } | undefined;
}

/** The known slugs with their other names, for "did you mean". */
function named(known: KnownSlugs, extra: readonly string[] = []): Named[] {
  const slugs = [...new Set([...known.keys(), ...extra])];
  return slugs.map((slug) => {
    const entry = known.get?.(slug);
    const names = entry ? [entry.name, entry.title, ...(entry.aliases ?? [])] : [];
    return { slug, names: names.filter((n): n is string => typeof n === 'string' && n !== '') };
  });
}

/** Everything decide needs to know; time is passed in, never read. */
export interface DecisionContext {
  readonly now: Date;
  readonly parties: KnownSlugs;
  readonly topics: KnownSlugs;
  /** Items of the command's topic known to the catalog. */
  readonly catalogItems: KnownSlugs;
  /** The catalog's speakers: an event's speaker must be one of them. */
  readonly speakers: SpeakerDirectory;
  /** The topic as recorded so far (every event, all corrections). */
  readonly state: TopicState;
  /**
   * The topic's recorded events, of every type, as stored (a writer gives it where `needsLog` says):
   * an event that may count before the last of them is decided against the topic as it stood at
   * its own place (checkInOrder), and a correction against the log with it applied
   * (checkCorrectionInOrder). Left out, the event is decided against `state` and a correction is
   * not checked against the events after the one it corrects.
   */
  readonly log?: readonly PlacedEvent[];
  readonly referenced?: ReferencedEvent;
}

const unprocessable = (field: string, problem: string, details: Record<string, unknown> = {}) =>
  Problem.field('unprocessable', field, problem, details);

function unknownSlug(field: string, kind: string, slug: string, known: readonly Named[]): Problem {
  const suggestions = closestSlugs(slug, known);
  return unprocessable(
    field,
    `unknown ${kind} "${slug}"${suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : ''}`,
    { suggestions },
  );
}

function invalid(problems: FieldProblem[]): Problem {
  return new Problem('invalid', describeProblems(problems), { errors: problems });
}

/** The types that are claims about the world, not about other records. */
const DIPLOMATIC_TYPES: readonly EventType[] = EVENT_TYPES.filter((type) => !isAboutARecord(type));
/** Decisions and threats: what a statement, rejection or agreement may react to (ReactionState). */
const REACTABLE: readonly EventType[] = ['threat', 'withdrawal', 'action', 'agreement', 'concession', 'endorsement'];
const ANSWERABLE: Partial<Record<EventType, readonly EventType[]>> = {
  rejection: ['proposal', 'demand', 'freeze_demand', ...REACTABLE],
  statement: ['proposal', 'demand', 'freeze_demand', ...REACTABLE],
  withdrawal: ['proposal', 'demand', 'freeze_demand', 'threat', 'agreement'],
  agreement: ['proposal', ...REACTABLE.filter((type) => type !== 'threat')],
  concession: ['demand', 'freeze_demand', 'proposal'],
  // An action may carry out its actor's own threat (Russia suspending the CFE Treaty, as it had threatened): it closes it.
  action: ['threat'],
  // Records about records: every diplomatic event may be corrected, retracted or reported again;
  // a report, being a claim that it happened, may be retracted too.
  correction: DIPLOMATIC_TYPES,
  retraction: [...DIPLOMATIC_TYPES, 'report'],
  report: DIPLOMATIC_TYPES,
};
/** Types that react to a decision or threat they name (evolve's ReactionState). */
const REACTS = new Set<EventType>(['statement', 'rejection', 'agreement']);
const MUST_REFER = new Set<EventType>(['rejection', 'withdrawal', 'correction', 'retraction', 'report']);

/**
 * What decide reads of a topic's state: its items (and who proposed each) and whether each
 * proposal, demand and threat still stands. Events of these types change that, and where they
 * fall in the topic's order matters (a late proposal supersedes, a late withdrawal moots), so a
 * fold that takes events as they are accepted (DecisionFold) folds again in topic order when one
 * of them lands in the past, or when a correction or retraction changes one of them.
 */
export const DECISION_RECORD_TYPES: ReadonlySet<EventType> = new Set([
  'proposal',
  'demand',
  'freeze_demand',
  'threat',
  'withdrawal',
  'concession',
  'rejection',
  'agreement',
]);

/**
 * Whether an event changes what decide reads of the topic's records: one of DECISION_RECORD_TYPES,
 * or an action that names a threat (it carries it out: the threat closes). An action that names
 * nothing changes no status, and most actions name nothing: keeping them out of the set keeps a
 * late one from refolding a topic, or from reading its log, for nothing.
 */
export function changesRecords(event: { readonly type: EventType; readonly refersTo?: string }): boolean {
  return DECISION_RECORD_TYPES.has(event.type) || (event.type === 'action' && event.refersTo !== undefined);
}

/**
 * Whether a correction or retraction of an event of this type may change what decide reads: one of
 * a record-changing type, or of an action (one that carried out a threat re-opens it, retracted).
 */
export function rewritesRecords(type: EventType): boolean {
  return DECISION_RECORD_TYPES.has(type) || type === 'action';
}

/**
 * decide(command, context) -> the event to record, or a Problem naming the field and what is wrong.
 * Pure: it reads nothing but its arguments.
 */
export function decide(command: RecordEvent, context: DecisionContext): DiplomaticEvent {
  // 1. Shapes that do not need the catalog: text that can be stored, dates and the payload.
  //    Every path to the log (HTTP, import, seeds) comes through here: no text the database refuses passes.
  const problems: FieldProblem[] = unstorableText(command);
  if (problems.length) throw invalid(problems);
  const occurred = parseOccurredInput(command.occurred);
  if (!occurred.ok) problems.push({ field: 'occurred', problem: occurred.problem });
  // A request without reportedAt takes the source's publication (toRecordEvent): a date wrong there
  // is named once, where the request gave it.
  const reportedAtField = command.reportedAt === command.source.publishedAt ? 'source.publishedAt' : 'reportedAt';
  const reportedAt = parseInstant(command.reportedAt, 'start');
  if (!reportedAt.ok) problems.push({ field: reportedAtField, problem: reportedAt.problem });
  const publishedAt = parseInstant(command.source.publishedAt, 'start');
  if (!publishedAt.ok && reportedAtField === 'reportedAt')
    problems.push({ field: 'source.publishedAt', problem: publishedAt.problem });
  // As for co-signers (payload.parties) and a correction's targets: a party named twice is a
  // mistake in the request, not something to tidy away unseen.
  if (command.targets && new Set(command.targets).size !== command.targets.length)
    problems.push({ field: 'targets', problem: 'must not name the same party twice' });
  problems.push(...checkPayload(command.type, command.payload));
  if (command.key !== undefined && isUuid(command.key)) {
    problems.push({
      field: 'key',
      problem: 'must not read as a UUID: where an event is named, it would be taken for an id',
    });
  }
  if (command.type === 'agreement' && !command.refersTo) {
    const { item, terms } = command.payload as AgreementPayload;
    // An agreement to nothing would be kept for good and read as a signing in every summary.
    if (item === undefined && terms === undefined) {
      problems.push({
        field: 'payload.terms',
        problem: 'is required for an agreement that answers no proposal: say what was agreed (or name its item)',
      });
    }
  }
  if (MUST_REFER.has(command.type) && !command.refersTo) {
    problems.push({ field: 'refersTo', problem: `is required for a ${command.type}: name the event it answers` });
  }
  if (problems.length || !occurred.ok || !reportedAt.ok) throw invalid(problems);

  // 2. Slugs must name what the catalog knows.
  if (!context.topics.has(command.topic)) throw unknownSlug('topic', 'topic', command.topic, named(context.topics));
  if (!context.parties.has(command.actor)) throw unknownSlug('actor', 'party', command.actor, named(context.parties));
  (command.targets ?? []).forEach((target, i) => {
    if (!context.parties.has(target)) throw unknownSlug(`targets[${i}]`, 'party', target, named(context.parties));
  });
  if (command.type === 'agreement') {
    ((command.payload as AgreementPayload).parties ?? []).forEach((party, i) => {
      const field = `payload.parties[${i}]`;
      if (!context.parties.has(party)) throw unknownSlug(field, 'party', party, named(context.parties));
      if (party === command.actor) throw unprocessable(field, 'is the actor: co-signers are the other parties');
    });
  }
  if (command.speaker) checkSpeaker('speaker', command.speaker, command.actor, context);
  const targets = [...(command.targets ?? [])];
  if (targets.includes(command.actor))
    throw unprocessable('targets', `a party cannot target itself ("${command.actor}")`);

  // 3. Time: a report cannot come before the event, nor from the future.
  if (reportedAt.value.slice(0, 10) < occurred.value.from) {
    throw unprocessable(
      reportedAtField,
      `${command.reportedAt} is before the event occurred (${occurredDate(command.occurred)}); a report cannot come before the event`,
    );
  }
  if (Date.parse(reportedAt.value) > context.now.getTime() + 24 * 3600 * 1000) {
    throw unprocessable(reportedAtField, `${command.reportedAt} is in the future`);
  }
  // The source is cited as published: one published after now (with the same day of slack) is a typo.
  if (publishedAt.ok && Date.parse(publishedAt.value) > context.now.getTime() + 24 * 3600 * 1000) {
    throw unprocessable('source.publishedAt', `${command.source.publishedAt} is in the future`);
  }
  // reportedAt is when the source made the claim public, so a source published after it
  // contradicts it (a typo in one of them). Each is read as widely as it allows: a bare day of
  // publication from its start, a bare day of report to its end.
  const reportedBy = parseInstant(command.reportedAt, 'end');
  if (publishedAt.ok && reportedBy.ok && publishedAt.value > reportedBy.value) {
    throw unprocessable(
      'source.publishedAt',
      `${command.source.publishedAt} is after reportedAt (${command.reportedAt}): reportedAt is when the source made the claim public, so the source cannot have been published later`,
    );
  }
  if (occurred.value.from > context.now.toISOString().slice(0, 10)) {
    throw unprocessable(
      'occurred',
      `${occurredDate(command.occurred)} is in the future: record what happened, not what is planned`,
    );
  }

  const payload = command.payload as Record<string, unknown>;
  checkItem(command, payload, context);
  const referenced = checkReference(command, { occurred: occurred.value, reportedAt: reportedAt.value }, context);
  // A reaction concerns the parties whose decision it is about: they are among its targets, so
  // their positions show it (reactionsToParty) and its lastChangeAffecting.
  if (referenced && REACTS.has(command.type) && REACTABLE.includes(referenced.type))
    for (const party of signersOf(referenced))
      if (!targets.includes(party) && party !== command.actor) targets.push(party);
  if (command.type === 'correction') checkCorrection(payload.changes as Record<string, unknown>, referenced!, context);

  let cameo;
  try {
    cameo = codingFor(command.type, command.cameo, {
      stance: payload.stance as StatedStance | undefined,
      answersAnotherEvent: Boolean(command.refersTo),
      signed: payload.signed as boolean | undefined,
    });
  } catch (error) {
    if (error instanceof CameoCodeError) throw unprocessable('cameo', error.message);
    throw error;
  }

  const event = {
    id: command.id,
    topic: command.topic,
    type: command.type,
    actor: command.actor,
    targets,
    ...(command.speaker ? { speaker: command.speaker } : {}),
    occurred: occurred.value,
    reportedAt: reportedAt.value,
    source: command.source,
    ...(command.quote ? { quote: command.quote } : {}),
    summary: command.summary,
    ...(command.key ? { key: command.key } : {}),
    ...(command.refersTo ? { refersTo: command.refersTo } : {}),
    cameo,
    payload: normalisedPayload(command.type, payload),
  } as DiplomaticEvent;
  // 4. The rules that read the topic's records, at the event's own place in the topic's order; for
  //    a correction, at the corrected event's place, for it and every event after it.
  if (event.type === 'correction') {
    if (context.log) checkCorrectionInOrder(event, context.log);
  } else
    checkInOrder(event, referenced, context.log ? effectiveLog(context.log).events : [], context.state, context.log);
  return event;
}

/**
 * Whether decide needs the topic's log (DecisionContext.log) for this command, which its caller reads
 * first: a command that may count before the topic's last record-changing event (mayCountBefore), one
 * whose standing rule reads what `state` let go of (readsForgotten: a withdrawal from an agreement a
 * writer's fold forgot), or a correction that may change what the standing rules read
 * (correctionMayChangeRecords). `target`: the
 * event the command refers to, where the caller has it.
 */
export function needsLog(
  command: RecordEvent,
  state: TopicState,
  last: OrderKey | null,
  target: DiplomaticEvent | undefined,
): boolean {
  if (command.type === 'correction')
    return target !== undefined && correctionMayChangeRecords(target, command.payload.changes as CorrectionChanges);
  return mayCountBefore(command, state, last) || (last !== null && readsForgotten(command, target, state));
}

/**
 * Whether a correction with these changes may change what decide's rules read of the topic: a new
 * date moves the event in the topic's order (and may put an answer before what it answers); a new
 * payload or new targets of a record-changing event may change an item's proposer, a signer, or
 * whether a demand restates another. A corrected quote, summary or speaker changes none of it.
 */
export function correctionMayChangeRecords(target: DiplomaticEvent, changes: CorrectionChanges | undefined): boolean {
  if (!changes) return false;
  if (changes.occurred !== undefined) return true;
  return DECISION_RECORD_TYPES.has(target.type) && (changes.payload !== undefined || changes.targets !== undefined);
}

/**
 * Whether a command may count before `last`, the key of the topic's last record-changing event
 * (changesRecords; the last event of any type will do, at the cost of reading the history
 * more often): then decide needs the topic's history (DecisionContext.log), which its caller
 * reads from the log first. Only such a command needs it, and only if such an event counts after
 * it: statements, endorsements and actions that name no threat change nothing the standing rules read.
 * Never false for a command that does count before `last`: an answer whose target the fold no
 * longer places (forgetHistory) is placed no later than it will be. Nor for an answer of any type
 * that moves what it answers (movesWhatItAnswers) to before `last`: what it answers then counts
 * earlier, and the events after its new place are checked again (checkInOrder); one whose target
 * the fold no longer places is taken to move it.
 */
export function mayCountBefore(command: RecordEvent, state: TopicState, last: OrderKey | null): boolean {
  if (!last) return false;
  const answers = answersItsReference(command);
  if (!answers && !changesRecords(command)) return false;
  const occurred = parseOccurredInput(command.occurred);
  const reportedAt = parseInstant(command.reportedAt, 'start');
  if (!occurred.ok || !reportedAt.ok) return false; // decide refuses it before reading any history
  const shape = { ...command, occurred: occurred.value, reportedAt: reportedAt.value } as unknown as DiplomaticEvent;
  const answered = answeredKey(state, shape);
  if (answers && lastPossibleDay(shape) < last.countsFrom && (!answered || movesWhatItAnswers(shape, answered)))
    return true;
  return changesRecords(command) && compareOrder(placeOfNew(shape, answered), last) < 0;
}

/**
 * An event's speaker must be a speaker of the catalog (by name or alias, in any case; see
 * SpeakerDirectory.match): an unknown one is refused with the closest names, and is added first
 * with POST /speakers. Accepting it with a warning would keep a misspelt name in the log for
 * good, fixable only by a correction, and a warning in an answer is easily never read (an
 * import's or a feed's). The event keeps the name as given: matching checks it, and answers find
 * the speaker's role by the same match.
 */
function checkSpeaker(
  field: string,
  speaker: { readonly name?: unknown },
  party: string,
  context: DecisionContext,
): void {
  if (typeof speaker.name !== 'string') return; // the request's schema names a missing name
  const found = context.speakers.match(speaker.name, party);
  if ('speaker' in found) return;
  if ('ambiguous' in found) {
    const whose = found.ambiguous.map((s) => `${s.name} (${s.party})`).join(', ');
    throw unprocessable(
      `${field}.name`,
      `"${speaker.name}" names speakers of several parties (${whose}) and none of ${party}'s; add the speaker for ${party} with POST /speakers`,
      { candidates: found.ambiguous.map((s) => ({ name: s.name, party: s.party })) },
    );
  }
  const { suggestions } = found;
  throw unprocessable(
    `${field}.name`,
    `unknown speaker "${speaker.name}"${suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : ''} ` +
      '(a new speaker is added with POST /speakers first)',
    { suggestions },
  );
}

function normalisedPayload(type: EventType, payload: Record<string, unknown>): Record<string, unknown> {
  if (type !== 'correction') return payload;
  const changes = { ...(payload.changes as Record<string, unknown>) };
  if (isOccurredInput(changes.occurred)) {
    const parsed = parseOccurredInput(changes.occurred);
    if (parsed.ok) changes.occurred = parsed.value;
  }
  return { ...payload, changes };
}

function knownItems(context: DecisionContext): Named[] {
  return named(context.catalogItems, Object.keys(context.state.items));
}

const isKnownItem = (context: DecisionContext, item: string) =>
  context.catalogItems.has(item) || Object.hasOwn(context.state.items, item);

function checkItem(command: RecordEvent, payload: Record<string, unknown>, context: DecisionContext): void {
  const item = payload.item as string | undefined;
  if (!item) return;
  if (command.type === 'proposal') {
    // Who proposed the item is a standing rule (checkStanding): it depends on the event's place.
    if (!isKnownItem(context, item) && !payload.itemTitle) {
      throw unprocessable('payload.itemTitle', `is required when a proposal puts a new item ("${item}") on the table`);
    }
    const parent = payload.itemParent as string | undefined;
    if (parent !== undefined) {
      if (parent === item) throw unprocessable('payload.itemParent', 'an item cannot be its own parent');
      if (!isKnownItem(context, parent))
        throw unknownSlug('payload.itemParent', `item of topic ${command.topic}`, parent, knownItems(context));
    }
    return;
  }
  if (!isKnownItem(context, item))
    throw unknownSlug('payload.item', `item of topic ${command.topic}`, item, knownItems(context));
}

function checkReference(
  command: RecordEvent,
  dated: { readonly occurred: Occurred; readonly reportedAt: string },
  context: DecisionContext,
): DiplomaticEvent | undefined {
  if (!command.refersTo) return undefined;
  const allowed = ANSWERABLE[command.type];
  if (!allowed) {
    throw unprocessable('refersTo', `a ${command.type} does not answer another event; leave refersTo out`);
  }
  const found = context.referenced;
  if (!found || found.event.id !== command.refersTo) {
    throw unprocessable('refersTo', `no recorded event has id ${command.refersTo}`);
  }
  const target = found.event;
  if (target.topic !== command.topic) {
    throw unprocessable('refersTo', `event ${target.id} belongs to topic "${target.topic}", not "${command.topic}"`);
  }
  if (found.retracted) throw unprocessable('refersTo', `event ${target.id} has been retracted`);
  if (!allowed.includes(target.type)) {
    if (command.type === 'action')
      throw unprocessable(
        'refersTo',
        `an action names in refersTo only a threat of its actor's that it carries out, not a ${target.type} (${target.id})`,
      );
    throw unprocessable('refersTo', `a ${command.type} answers a ${allowed.join(', ')}, not a ${target.type}`);
  }
  if (answersBeforeItBegan({ type: command.type, ...dated }, target)) {
    throw unprocessable(
      'occurred',
      `the ${command.type} (${occurredDate(command.occurred)}${reportedBeforeItsEnd(dated)}) would end before the event it answers began (${target.occurred.from})`,
    );
  }
  // A correction, retraction or report is about one party's claim, and is listed among that party's
  // events (GET /events?party=, its exports): by another party, it would read as that party's doing.
  // Corrections are not editorial events outside any party: every one is some party's event.
  if (isAboutARecord(command.type) && target.actor !== command.actor)
    throw unprocessable(
      'actor',
      `a ${command.type} is about ${target.actor}'s ${target.type} ${target.id}: its actor must be that event's (${target.actor})`,
    );
  // What is checked here reads nothing of the topic's records: those rules are checkStanding's.
  switch (command.type) {
    case 'statement': {
      if (target.actor === command.actor) {
        throw unprocessable(
          'refersTo',
          `a statement answers another party's event; ${target.id} is ${command.actor}'s own ${target.type} (to state a stance on an item, name it in payload.item)`,
        );
      }
      // A stance toward a decision or threat (a reaction) is not a stance on its item: it may name any.
      if (!REACTABLE.includes(target.type)) checkAnswersItsItem(command, target, 'it answers');
      break;
    }
    case 'report': {
      // Another source for the same claim (its actor checked above), from a source it does not already have.
      const sameSource = (a: Source, b: Source) =>
        a.publisher === b.publisher && a.title === b.title && a.publishedAt === b.publishedAt;
      if (sameSource(command.source, target.source))
        throw unprocessable('source', `is the source event ${target.id} already cites: a report adds another source`);
      break;
    }
    case 'rejection':
      if (target.actor === command.actor) {
        throw unprocessable(
          'refersTo',
          `a rejection answers another party; ${target.id} is ${command.actor}'s own ${target.type}`,
        );
      }
      break;
    case 'concession':
      if (target.type === 'proposal') {
        // Backing down on one's own proposal: it must still be on the table.
        if (target.actor !== command.actor) {
          throw unprocessable(
            'refersTo',
            `a concession answers another party's demand or backs down on one's own proposal; ${target.id} is ${target.actor}'s proposal`,
          );
        }
        checkAnswersItsItem(command, target, 'it backs down on');
        break;
      }
      if (target.actor === command.actor) {
        throw unprocessable(
          'refersTo',
          `a concession answers another party; ${target.id} is ${command.actor}'s own ${target.type}`,
        );
      }
      checkAnswersItsItem(command, target, 'it meets');
      break;
    case 'withdrawal': {
      // Leaving an agreement (the United States and the JCPOA): any of its signers may, for itself.
      if (target.type === 'agreement') {
        const signers = signersOf(target);
        if (!signers.includes(command.actor))
          throw unprocessable(
            'refersTo',
            `${command.actor} did not sign the agreement ${target.id} (signed by ${signers.join(', ')}): only a signer withdraws from it`,
          );
        break;
      }
      if (target.actor !== command.actor) {
        throw unprocessable(
          'refersTo',
          `${command.actor} can only withdraw its own proposal, demand or threat; ${target.id} is by ${target.actor}`,
        );
      }
      break;
    }
    case 'action':
      // A party carries out its own threat; another's act against the threatened party is no
      // fulfilment of it (whether the threat still stands is checkStanding's, at the action's place).
      if (target.actor !== command.actor)
        throw unprocessable(
          'refersTo',
          `an action carries out its actor's own threat; the threat ${target.id} is by ${target.actor}, not ${command.actor}`,
        );
      checkAnswersItsItem(command, target, 'it carries out');
      break;
    case 'agreement':
      if (target.type !== 'proposal') {
        if (target.actor === command.actor)
          throw unprocessable(
            'refersTo',
            `an agreement answers another party's decision; ${target.id} is ${command.actor}'s own ${target.type}`,
          );
        break;
      }
      // A proposer signs its own plan only together with another party (a treaty both sign).
      if (target.actor === command.actor && !(command.payload as AgreementPayload).parties?.length) {
        throw unprocessable(
          'refersTo',
          'a party does not agree to its own proposal alone; name who signs it with them in payload.parties',
        );
      }
      break;
    default:
      break;
  }
  return target;
}

/**
 * An answer about a record is about that record's item: it names that item or none, and one naming
 * none takes the record's (evolve: a statement on a proposal sets the stance on the proposal's item,
 * an action carrying out a threat is an act about the threat's item, a concession is about the item
 * of the demand it meets or of the proposal it backs down on, and closes, moot, when that item
 * ends). Naming another item would record the answer about one item and the record it answers
 * about another, and the end of the record's item would leave the answer standing: a 422 on
 * payload.item.
 * `relation`: how the answer stands to the record ("it answers", "it carries out").
 */
function checkAnswersItsItem(command: RecordEvent, target: DiplomaticEvent, relation: string): void {
  const named = (command.payload as { item?: string }).item; // a slug: checkPayload checked it
  const about = itemOf(target);
  if (named !== undefined && about !== undefined && named !== about)
    throw unprocessable(
      'payload.item',
      `names "${named}", but the ${target.type} ${target.id} ${relation} is about "${about}": ` +
        `name that item, or leave payload.item out (the ${command.type} then takes it)`,
    );
}

/** A correction's changes are checked here, not by the request schema alone (an import line, a seed). */
const isOccurredInput = (value: unknown): value is OccurredInput =>
  typeof value === 'string' ||
  (typeof value === 'object' &&
    value !== null &&
    typeof (value as { date?: unknown }).date === 'string' &&
    ['undefined', 'string'].includes(typeof (value as { basis?: unknown }).basis));

const CORRECTABLE = ['occurred', 'speaker', 'targets', 'quote', 'summary', 'payload'];

function checkCorrection(changes: Record<string, unknown>, original: DiplomaticEvent, context: DecisionContext): void {
  const keys = Object.keys(changes);
  if (keys.length === 0)
    throw unprocessable('payload.changes', 'must change at least one of ' + CORRECTABLE.join(', '));
  for (const key of keys) {
    if (!CORRECTABLE.includes(key)) {
      throw unprocessable(
        `payload.changes.${key}`,
        `cannot be corrected (only ${CORRECTABLE.join(', ')}); retract the record and record a new event instead`,
      );
    }
  }
  if (changes.occurred !== undefined) {
    const parsed = isOccurredInput(changes.occurred)
      ? parseOccurredInput(changes.occurred)
      : { ok: false as const, problem: 'must be a date string, or an object with its date and basis' };
    if (!parsed.ok) throw invalid([{ field: 'payload.changes.occurred', problem: parsed.problem }]);
    if (original.reportedAt.slice(0, 10) < parsed.value.from) {
      throw unprocessable('payload.changes.occurred', 'the corrected date is after the original report');
    }
  }
  if (changes.speaker && typeof changes.speaker === 'object')
    checkSpeaker('payload.changes.speaker', changes.speaker, original.actor, context);
  if (changes.targets !== undefined) {
    if (!Array.isArray(changes.targets))
      throw invalid([{ field: 'payload.changes.targets', problem: 'must be a list of party slugs' }]);
    changes.targets.forEach((t, i) => {
      if (!context.parties.has(t as string))
        throw unknownSlug(`payload.changes.targets[${i}]`, 'party', String(t), named(context.parties));
    });
    // As for an event's own targets: never its actor, each party once.
    if (changes.targets.includes(original.actor))
      throw unprocessable('payload.changes.targets', `a party cannot target itself ("${original.actor}")`);
    if (new Set(changes.targets).size !== changes.targets.length)
      throw invalid([{ field: 'payload.changes.targets', problem: 'must not name the same party twice' }]);
  }
  for (const key of ['quote', 'summary'] as const) {
    if (changes[key] !== undefined && (typeof changes[key] !== 'string' || changes[key] === '')) {
      throw invalid([{ field: `payload.changes.${key}`, problem: 'must be a non-empty string' }]);
    }
  }
  if (changes.payload !== undefined) {
    const merged = {
      ...(original.payload as Record<string, unknown>),
      ...(changes.payload as Record<string, unknown>),
    };
    const problems = checkPayload(original.type, merged, 'payload.changes.payload');
    if (problems.length) throw invalid(problems);
    const item = itemOf({ ...original, payload: merged } as DiplomaticEvent);
    if (item && item !== itemOf(original) && !isKnownItem(context, item)) {
      throw unknownSlug('payload.changes.payload.item', `item of topic ${original.topic}`, item, knownItems(context));
    }
  }
}
