/**
 * Test fixtures for the pure domain: a command builder with valid defaults and a `given`
 * scenario that decides and records commands the way the write path does, so specs read as
 * given-events / when-command / then-events-or-error.
 */
import { Problem } from '../../../shared/problem.js';
import { decide, type DecisionContext, type RecordEvent } from '../records/decide.js';
import type { DiplomaticEvent, EventType, RecordedEvent } from '../events/events.js';
import { type CatalogItem, type HistoryWindow, type PositionCore, positionOf } from '../positions/position.js';
import { type Names } from '../summary/summary.js';
import { asCorrected, effectiveLog, evidenceIn, foldTopic } from '../time/timeline.js';
import { emptyTopicState, type EvidenceLookup, type TopicState } from '../records/topic-state.js';
import { SpeakerDirectory } from '../../../shared/speakers.js';

export const TOPIC = 'missile-defense-europe';
export const PARTIES = [
  'russia',
  'united-states',
  'poland',
  'czech-republic',
  'nato',
  'iran',
  'richard-lugar',
] as const;
export const TOPICS = ['missile-defense-europe', 'cfe-treaty'] as const;
export const CATALOG_ITEMS = ['us-third-site', 'azerbaijan-radar', 'transparency-observers'] as const;
export const NOW = new Date('2026-01-01T00:00:00.000Z');

/** The catalog's speakers in the specs: Putin's two roles of 2008, and speakers of two parties. */
export const SPEAKERS = new SpeakerDirectory(
  [
    {
      name: 'Vladimir Putin',
      party: 'russia',
      aliases: ['Putin', 'President Putin'],
      roles: [
        { role: 'President of Russia', from: '2000-05-07', to: '2008-05-07' },
        { role: 'Prime Minister of Russia', from: '2008-05-08', to: '2012-05-07' },
      ],
    },
    { name: 'Sergei Lavrov', party: 'russia', aliases: ['Lavrov'], roles: [{ role: 'Foreign Minister of Russia' }] },
    { name: 'Robert Gates', party: 'united-states', aliases: ['Gates'], roles: [] },
    { name: 'Condoleezza Rice', party: 'united-states', aliases: ['Rice'], roles: [] },
  ],
  () => undefined,
);

/** The catalog's items of TOPIC with their titles, as positionOf and the summary want them. */
export const CATALOG: readonly CatalogItem[] = [
  { slug: 'us-third-site', title: 'the US third site' },
  { slug: 'azerbaijan-radar', title: 'joint use of the Gabala radar' },
  { slug: 'transparency-observers', title: 'Russian observers at the sites' },
];

const PARTY_NAMES: Readonly<Record<string, string>> = {
  russia: 'Russia',
  'united-states': 'the United States',
  poland: 'Poland',
  'czech-republic': 'the Czech Republic',
  nato: 'NATO',
  iran: 'Iran',
  'richard-lugar': 'Richard Lugar',
};
const TOPIC_NAMES: Readonly<Record<string, string>> = {
  'missile-defense-europe': 'missile defense in Europe',
  'cfe-treaty': 'the CFE treaty',
};

export const NAMES: Names = {
  party: (slug) => PARTY_NAMES[slug] ?? slug,
  topic: (slug) => TOPIC_NAMES[slug] ?? slug,
  its: () => 'its',
};

/** A valid payload for every type (answers still need a refersTo). */
export const DEFAULT_PAYLOADS: Readonly<Record<EventType, Readonly<Record<string, unknown>>>> = {
  proposal: { item: 'azerbaijan-radar', terms: 'joint use of the Gabala radar in Azerbaijan' },
  rejection: { reason: 'the radar cannot replace the third site' },
  concession: { terms: 'Russian observers may visit the sites' },
  freeze_demand: {
    item: 'us-third-site',
    action: 'the deployment of the third site',
    condition: 'while talks continue',
  },
  demand: { demand: 'legally binding guarantees that the system is not aimed at Russia' },
  threat: { counterMeasure: 'aim missiles at Europe', condition: 'if the third site is built' },
  withdrawal: { reason: 'talks resumed' },
  agreement: {},
  endorsement: { item: 'us-third-site' },
  statement: { item: 'us-third-site', stance: 'opposes', reason: 'it threatens Russian deterrence' },
  action: { act: 'suspend the CFE treaty' },
  correction: { reason: 'the date was wrong', changes: { summary: 'Corrected summary.' } },
  retraction: { reason: 'the report was misattributed' },
  report: { note: 'a second outlet reports the same remark' },
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type CommandOverrides = Partial<Mutable<Omit<RecordEvent, 'type'>>>;

let nextId = 0;

/**
 * The fixture source's publication: 8 June 2007, or the start of the day reported if that is
 * earlier (decide refuses a source published after reportedAt). A timestamp, so a bad reportedAt
 * is still named as reportedAt, not as the source's.
 */
function publishedBy(reportedAt: string | undefined): string {
  const day = reportedAt?.slice(0, 10);
  return day && /^\d{4}-\d{2}-\d{2}$/.test(day) && day < '2007-06-08' ? `${day}T00:00:00Z` : '2007-06-08';
}

/**
 * A valid RecordEvent of `type` with the fixture defaults (russia addressing the united-states, or
 * the other way round); any field can be overridden.
 */
export function command(type: EventType, overrides: CommandOverrides = {}): RecordEvent {
  const actor = overrides.actor ?? 'russia';
  return {
    id: overrides.id ?? `evt-${++nextId}`,
    topic: TOPIC,
    type,
    actor,
    targets: actor === 'united-states' ? ['russia'] : ['united-states'],
    occurred: '2007-06-07',
    reportedAt: '2007-06-08',
    source: { publisher: 'The Washington Post', title: 't', publishedAt: publishedBy(overrides.reportedAt) },
    summary: `A ${type} about missile defense in Europe.`,
    payload: DEFAULT_PAYLOADS[type],
    ...overrides,
  };
}

/** Claims from the 2007 stories, with fixed ids so answers can name them. */
export const story = {
  /** The US plan: 10 interceptors in Poland, a radar in the Czech Republic. */
  usThirdSite: command('proposal', {
    id: 'us-site',
    actor: 'united-states',
    targets: ['poland', 'czech-republic', 'russia'],
    occurred: '2007-01-22',
    reportedAt: '2007-01-23',
    payload: { item: 'us-third-site', terms: '10 interceptors in Poland, a radar in the Czech Republic' },
  }),
  /** Putin at Heiligendamm: use the Gabala radar together instead. */
  gabala: command('proposal', {
    id: 'gabala',
    actor: 'russia',
    targets: ['united-states'],
    occurred: '2007-06-07',
    reportedAt: '2007-06-08',
    payload: { item: 'azerbaijan-radar', terms: 'joint use of the Gabala radar' },
  }),
  /** Russia opposes the third site (a statement on the item). */
  opposes: command('statement', {
    id: 'opposes',
    actor: 'russia',
    targets: [],
    occurred: '2007-06-01',
    reportedAt: '2007-06-02',
  }),
  /** Russia threatens to aim missiles at Europe. */
  threat: command('threat', {
    id: 'threat',
    actor: 'russia',
    targets: ['poland'],
    occurred: '2007-06-04',
    reportedAt: '2007-06-05',
  }),
  /** Lavrov at the Moscow talks, Oct. 12-13: freeze the plans while talks go on. */
  freeze: command('freeze_demand', {
    id: 'freeze',
    actor: 'russia',
    targets: ['united-states'],
    occurred: '2007-10-12/2007-10-13',
    reportedAt: '2007-10-14',
  }),
} as const;

/** Runs `fn`, expecting it to throw a Problem, and returns it. */
export function problemOf(fn: () => unknown): Problem {
  try {
    fn();
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('expected a Problem, but nothing was thrown');
}

/** The field names a Problem reports in details.errors. */
export function fieldsOf(problem: Problem): string[] {
  return ((problem.details.errors ?? []) as { field: string }[]).map((e) => e.field);
}

/** The evidence behind each state a Scenario folded, for positionIn. */
const evidenceOfStates = new WeakMap<TopicState, EvidenceLookup>();

/** positionOf for a state a Scenario folded, its evidence looked up among the scenario's events. */
export function positionIn(
  state: TopicState,
  party: string,
  catalogItems: readonly CatalogItem[] = [],
  window: HistoryWindow = {},
): PositionCore {
  const evidence = evidenceOfStates.get(state);
  if (!evidence) throw new Error('positionIn: the state was not folded by a Scenario');
  return positionOf(state, party, evidence, catalogItems, window);
}

/** An in-memory topic log: decides commands against what is recorded so far and records them. */
export class Scenario {
  readonly events: RecordedEvent[] = [];

  /** The topic as recorded so far (or counted at `at`): every event, corrected, without the retracted ones. */
  stateOf(topic: string = TOPIC, at?: string): TopicState {
    const log = effectiveLog(this.events.filter((e) => e.topic === topic)).events;
    const state = foldTopic(topic, log, at);
    evidenceOfStates.set(state, evidenceIn(log));
    return state;
  }

  /** The evidence the scenario's recorded events give, as folds of them reference it. */
  get evidence(): EvidenceLookup {
    return evidenceIn(effectiveLog(this.events).events);
  }

  get state(): TopicState {
    return this.stateOf(TOPIC);
  }

  context(cmd: RecordEvent): DecisionContext {
    const target = cmd.refersTo ? this.events.find((e) => e.id === cmd.refersTo) : undefined;
    return {
      now: NOW,
      parties: new Set(PARTIES),
      topics: new Set(TOPICS),
      catalogItems: new Set(CATALOG_ITEMS),
      speakers: SPEAKERS,
      state: this.stateOf(cmd.topic),
      // Every command has the log, as a writer gives it to those that need it (needsLog).
      log: this.events.filter((e) => e.topic === cmd.topic),
      ...(target
        ? {
            referenced: {
              event: asCorrected(target, this.events),
              retracted: this.events.some((e) => e.type === 'retraction' && e.refersTo === target.id),
            },
          }
        : {}),
    };
  }

  /** When: decide only, recording nothing. Throws the Problem decide throws. */
  when(cmd: RecordEvent): DiplomaticEvent {
    return decide(cmd, this.context(cmd));
  }

  /** Decides and records; throws the Problem decide throws. */
  record(cmd: RecordEvent): RecordedEvent {
    return this.append(this.when(cmd));
  }

  /**
   * Records an event that a rule of the topic's records refuses now, as a log written before that
   * rule may hold it: decided against an empty topic (its shape, slugs and reference still checked).
   */
  recordAsBefore(cmd: RecordEvent): RecordedEvent {
    return this.append(decide(cmd, { ...this.context(cmd), state: emptyTopicState(cmd.topic), log: undefined }));
  }

  private append(event: DiplomaticEvent): RecordedEvent {
    const position = this.events.length + 1;
    const recorded = {
      ...event,
      version: this.events.filter((e) => e.topic === event.topic).length + 1,
      position,
      recordedAt: new Date(NOW.getTime() + position * 1000).toISOString(),
    } as RecordedEvent;
    this.events.push(recorded);
    return recorded;
  }

  /** Records the command if decide accepts it; returns undefined (recording nothing) if not. */
  tryRecord(cmd: RecordEvent): RecordedEvent | undefined {
    try {
      return this.record(cmd);
    } catch (error) {
      if (error instanceof Problem) return undefined;
      throw error;
    }
  }
}

/** Given these commands, decided and recorded in order (each must be accepted). */
export function given(commands: readonly RecordEvent[]): Scenario {
  const scenario = new Scenario();
  for (const cmd of commands) {
    try {
      scenario.record(cmd);
    } catch (error) {
      throw new Error(`given: command ${cmd.id} (${cmd.type}) was rejected: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return scenario;
}

/** The Moscow talks, 12-13 October 2007, as far as Russia's position goes. */
export const moscow = (): Scenario =>
  given([
    story.usThirdSite,
    story.opposes,
    story.threat,
    story.gabala,
    command('withdrawal', {
      id: 'drop-threat',
      targets: ['poland'],
      refersTo: 'threat',
      occurred: '2007-07-01',
      reportedAt: '2007-07-02',
    }),
    story.freeze,
  ]);
