/** The Stance API as the page uses it. Types come from the server's own domain, so they cannot drift. */
import type { components } from '../../client/stance-api.js';
import type { Change } from '../../src/diplomacy/domain/positions/changes.js';
import type { DiplomaticEvent, RecordedEvent } from '../../src/diplomacy/domain/events/events.js';
import type { PositionView } from '../../src/diplomacy/positions/position.view.js';
import { type EvidenceMap, inlineEvidence, type WithRefs } from '../../src/diplomacy/domain/positions/evidence-map.js';

export type { Change, DiplomaticEvent, PositionView, RecordedEvent };
export type { Evidence } from '../../src/diplomacy/domain/records/topic-state.js';
export type { ClosedView } from '../../src/diplomacy/domain/positions/position.js';

export interface Party {
  readonly slug: string;
  readonly name: string;
  readonly kind: string;
  /** A plural name ("European G8 countries"): the page says "their", as the summaries do. */
  readonly plural?: boolean;
}

/** A topic as GET /topics lists it, with its number of events. */
export type Topic = components['schemas']['ListedTopic'];

/** One step of GET /topics/:topic/replay (and of its event stream). */
export interface ReplayStep {
  readonly step: number;
  readonly event: RecordedEvent;
  readonly correctedBy?: string;
  /** A retracted record's step: the retraction that withdrew it (the record no longer counts). */
  readonly retractedBy?: string;
  /** The day the event counts from (null for a correction, retraction or report, which fold into nothing). */
  readonly countsFrom: string | null;
  readonly positions: readonly PositionView[];
}

export type EventView = RecordedEvent & {
  readonly status: 'recorded' | 'corrected' | 'retracted';
  readonly corrected: DiplomaticEvent | null;
};

export class ApiError extends Error {}

type ProblemAnswer = components['schemas']['ProblemAnswer'];

/** What the page reads of the OpenAPI document (/docs-json): POST /events' body schema per type. */
export interface ApiDocument<Schema> {
  readonly paths: {
    readonly '/events': {
      readonly post: {
        readonly requestBody: {
          readonly content: {
            readonly 'application/json': {
              readonly schema: { readonly discriminator: { readonly mapping: Readonly<Record<string, string>> } };
            };
          };
        };
      };
    };
  };
  readonly components: { readonly schemas: Readonly<Record<string, Schema>> };
}

export type RecordAnswer =
  { readonly ok: true; readonly event: RecordedEvent } | { readonly ok: false; readonly problem: ProblemAnswer };

/** The `message` of an error answer (every error the API sends has one). */
function messageOf(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}

async function get<T>(path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
  const url = query.size ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body: unknown = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(messageOf(body) ?? `${url} answered ${response.status}`);
  return body as T;
}

/**
 * An answer whose `key` field cites evidence by reference, with the cards put back in place: the
 * page shows a card where it is cited (the server sends each once, in the answer's `evidence` map).
 */
async function withCards<K extends string, T>(
  key: K,
  answer: Promise<Record<K, WithRefs<T>> & { evidence: EvidenceMap }>,
): Promise<Record<K, T>> {
  const body = await answer;
  return { [key]: inlineEvidence<T>(body[key], body.evidence) } as Record<K, T>;
}

/** A streamed replay step, with its own evidence map, as the page reads it. */
export function stepWithCards(data: WithRefs<ReplayStep> & { evidence: EvidenceMap }): ReplayStep {
  return inlineEvidence<ReplayStep>(data, data.evidence);
}

export const api = {
  parties: () => get<Party[]>('/parties'),
  topics: () => get<Topic[]>('/topics'),
  topic: (topic: string) =>
    get<Topic & { items: readonly { slug: string; title: string }[] }>(`/topics/${encodeURIComponent(topic)}`),
  event: (id: string) => get<EventView>(`/events/${encodeURIComponent(id)}`),
  document: <Schema>() => get<ApiDocument<Schema>>('/docs-json'),
  /** POST /events: the recorded event, or the server's problem (its `errors` name the bad fields). */
  async record(body: object, token: string): Promise<RecordAnswer> {
    const response = await fetch('/events', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const answer: unknown = await response.json().catch(() => ({}));
    if (response.ok) return { ok: true, event: (answer as { event: RecordedEvent }).event };
    const problem = answer as Partial<ProblemAnswer>;
    return {
      ok: false,
      problem: {
        ...problem,
        statusCode: response.status,
        error: problem.error ?? response.statusText,
        message: problem.message ?? `POST /events answered ${response.status}`,
      },
    };
  },
  /** Every step of a topic's replay, as publicly known on `knownAt` if given. */
  replay: (topic: string, knownAt?: string) =>
    withCards<'steps', ReplayStep[]>('steps', get(`/topics/${encodeURIComponent(topic)}/replay`, { knownAt })),
  topicPositions: (topic: string, at: string, knownAt?: string) =>
    withCards<'positions', PositionView[]>(
      'positions',
      get(`/topics/${encodeURIComponent(topic)}/positions`, { at, knownAt }),
    ),
  partyPositions: (party: string, at: string, knownAt?: string) =>
    withCards<'positions', PositionView[]>(
      'positions',
      get(`/parties/${encodeURIComponent(party)}/positions`, { at, detail: 'full', knownAt }),
    ),
  changes: (party: string, from: string, to: string, knownAt?: string) =>
    withCards<'topics', { topic: string; title: string; changes: Change[] }[]>(
      'topics',
      get(`/parties/${encodeURIComponent(party)}/changes`, { from, to, knownAt }),
    ),
  /** Every recorded event (of one topic), following the cursor pages. */
  async allEvents(topic?: string): Promise<EventView[]> {
    const events: EventView[] = [];
    for (let after = 0; ;) {
      const page = await get<{ events: EventView[]; next: number; hasMore: boolean }>('/events', {
        topic,
        after: String(after),
        limit: '500',
      });
      events.push(...page.events);
      if (!page.hasMore) return events;
      after = page.next;
    }
  },
};

/** Party and topic names from the catalog, with the slug as a fallback. */
export class Names {
  private readonly parties: Map<string, string>;
  private readonly plural: Set<string>;

  constructor(parties: readonly Party[]) {
    this.parties = new Map(parties.map((p) => [p.slug, p.name]));
    this.plural = new Set(parties.filter((p) => p.plural).map((p) => p.slug));
  }

  party(slug: string): string {
    return this.parties.get(slug) ?? slug;
  }

  /** "its", or "their" for a party whose name is plural (the catalog says which). */
  its(slug: string): 'its' | 'their' {
    return this.plural.has(slug) ? 'their' : 'its';
  }
}
