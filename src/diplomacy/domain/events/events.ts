/**
 * The diplomatic event model (docs/architecture.md, "Events"). Pure types: no framework.
 * Every reported claim is one immutable event of one of these types.
 */
export const EVENT_TYPES = [
  'proposal',
  'rejection',
  'concession',
  'freeze_demand',
  'demand',
  'threat',
  'withdrawal',
  'agreement',
  'endorsement',
  'statement',
  'action',
  'correction',
  'retraction',
  'report',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Records about records: a correction or retraction of an earlier event, or another source's
 * report of it (corroboration). They change no position by themselves, have no CAMEO code, and
 * count from their own reportedAt.
 */
export type AboutARecord = 'correction' | 'retraction' | 'report';
export const ABOUT_A_RECORD: ReadonlySet<EventType> = new Set<EventType>(['correction', 'retraction', 'report']);
export const isAboutARecord = (type: EventType): type is AboutARecord => ABOUT_A_RECORD.has(type);

export const STATED_STANCES = ['supports', 'opposes', 'conditional', 'neutral'] as const;
export type StatedStance = (typeof STATED_STANCES)[number];

/** When it happened: whole days, inclusive, with the precision the source allows. */
export interface Occurred {
  readonly from: string; // YYYY-MM-DD
  readonly to: string; // YYYY-MM-DD, >= from
  readonly precision: 'day' | 'month' | 'year' | 'interval';
  /**
   * Why these days: the source's own words or cross-references ("the same day", "after the
   * ministerial meetings"), or the public record that fixes them. The recorder's reasoning,
   * kept beside the date so a reader can check how tight it is; it changes no position.
   */
  readonly basis?: string;
}

/** `occurred` as a client sends it: the date text alone, or with the reasoning behind it. */
export type OccurredInput = string | { readonly date: string; readonly basis?: string };

export interface Speaker {
  readonly name: string;
  readonly role?: string;
}

export interface Source {
  readonly publisher: string;
  readonly title: string;
  readonly author?: string;
  readonly url?: string;
  readonly publishedAt: string; // ISO 8601 date or timestamp
}

/** CAMEO code (a string: leading zeros matter), its Goldstein score and PLOVER category. */
export interface CameoCoding {
  readonly code: string;
  readonly name: string;
  readonly goldstein: number;
  readonly plover: string | null;
  readonly scale: string;
}

export interface ProposalPayload {
  /** The item this proposal puts on the table; created by it when new. */
  readonly item: string;
  readonly itemTitle?: string;
  /** The item a new item belongs to (observers at the sites belong to the third site): ending the parent ends it. */
  readonly itemParent?: string;
  readonly terms: string;
}
export interface RejectionPayload {
  readonly reason?: string;
}
export interface ConcessionPayload {
  readonly item?: string;
  readonly terms: string;
}
export interface FreezeDemandPayload {
  readonly item?: string;
  readonly action: string;
  readonly condition?: string;
}
export interface DemandPayload {
  readonly item?: string;
  readonly demand: string;
}
export interface ThreatPayload {
  readonly item?: string;
  readonly counterMeasure: string;
  readonly condition?: string;
}
export interface WithdrawalPayload {
  readonly reason?: string;
}
export interface AgreementPayload {
  readonly item?: string;
  readonly terms?: string;
  /** The other parties that sign it with the actor: one event, shown in every signer's position. */
  readonly parties?: readonly string[];
  /** A formal signing (CAMEO 057 by default) or an accord in words (019). */
  readonly signed?: boolean;
}

/** Who an agreement binds: its actor and its co-signers. */
export function signersOf(event: { readonly actor: string; readonly payload: object }): string[] {
  const parties = (event.payload as { parties?: readonly string[] }).parties ?? [];
  return [event.actor, ...parties];
}
export interface EndorsementPayload {
  readonly item: string;
}
export interface StatementPayload {
  readonly item?: string;
  readonly stance: StatedStance;
  readonly reason?: string;
}
export interface ActionPayload {
  readonly item?: string;
  readonly act: string;
}
/** What a correction changes in the record it corrects; the original stays stored. */
export interface CorrectionChanges {
  readonly occurred?: Occurred;
  readonly speaker?: Speaker;
  readonly targets?: readonly string[];
  readonly quote?: string;
  readonly summary?: string;
  readonly payload?: Readonly<Record<string, unknown>>;
}
export interface CorrectionPayload {
  readonly reason: string;
  readonly changes: CorrectionChanges;
}
export interface RetractionPayload {
  readonly reason: string;
}
/** Another source's report of an event: its own source, quote, speaker and reportedAt are the event's fields. */
export interface ReportPayload {
  /** What this report adds or how it differs (optional). */
  readonly note?: string;
}

export interface PayloadOf {
  proposal: ProposalPayload;
  rejection: RejectionPayload;
  concession: ConcessionPayload;
  freeze_demand: FreezeDemandPayload;
  demand: DemandPayload;
  threat: ThreatPayload;
  withdrawal: WithdrawalPayload;
  agreement: AgreementPayload;
  endorsement: EndorsementPayload;
  statement: StatementPayload;
  action: ActionPayload;
  correction: CorrectionPayload;
  retraction: RetractionPayload;
  report: ReportPayload;
}

interface EventOf<T extends EventType> {
  readonly id: string;
  readonly topic: string;
  readonly type: T;
  /** The party whose position this is (a state, an alliance or body, or a person speaking for themselves). */
  readonly actor: string;
  /** The parties it is addressed to or aimed at. */
  readonly targets: readonly string[];
  readonly speaker?: Speaker;
  readonly occurred: Occurred;
  /** When the source made it public (ISO 8601). */
  readonly reportedAt: string;
  readonly source: Source;
  readonly quote?: string;
  readonly summary: string;
  /** A readable name, unique in its topic ("putin-offers-gabala"): other events and URLs may use it for the id. */
  readonly key?: string;
  /** The event this one answers: the proposal rejected, the threat withdrawn or carried out, the record corrected. */
  readonly refersTo?: string;
  /** Absent (null) only for corrections, retractions and reports, which are records about records. */
  readonly cameo: CameoCoding | null;
  readonly payload: PayloadOf[T];
}

/** A diplomatic event, as decided (before the store gives it a version and position). */
export type DiplomaticEvent = { [T in EventType]: EventOf<T> }[EventType];
export type DiplomaticEventOf<T extends EventType> = Extract<DiplomaticEvent, { type: T }>;

/**
 * An event with its place in its topic stream and in the log: what the domain orders events by.
 * An event decide accepted but not yet stored has a place too, the one it will get (DecisionFold).
 */
export type PlacedEvent = DiplomaticEvent & {
  readonly version: number;
  readonly position: number;
};

/** An event as recorded in its topic stream. */
export type RecordedEvent = DiplomaticEvent & {
  readonly version: number;
  readonly position: number;
  readonly recordedAt: string;
};

/** The item a payload names, if any. */
export function itemOf(event: DiplomaticEvent): string | undefined {
  return 'item' in event.payload ? event.payload.item : undefined;
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
