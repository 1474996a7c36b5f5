/**
 * Topic view: a timeline with one lane per party, a date slider (and a date field) that replays
 * the negotiation, the grid of every party's stance on each item as of that date, each party's
 * position card, and new events arriving live (SSE).
 */
import { DataSet } from 'vis-data/peer';
import { type DataGroup, type DataItem, Timeline, type TimelineOptions } from 'vis-timeline/peer';
import 'vis-timeline/styles/vis-timeline-graph2d.css';
import {
  api,
  type Evidence,
  type Names,
  type RecordedEvent,
  type ReplayStep,
  stepWithCards,
  type Topic,
} from './api.js';
import { DateField } from './date-field.js';
import {
  addDays,
  dayNumber,
  dayOf,
  dayOfLocal,
  localDate,
  longDate,
  occurredText,
  shortOccurred,
  today,
} from './dates.js';
import { byId, fill, h, setOptions } from './dom.js';
import { eventDetails } from './event-details.js';
import { legend, typeMarker, typeStyle } from './event-types.js';
import { positionCard } from './position-card.js';
import { lastPossibleDay } from '../../src/diplomacy/domain/time/order.js';
import { stanceGrid } from './stance-grid.js';

/** An event as the replay gives it, with the day it counts from (its step's: an answer to it may move it earlier). */
type TimelineEvent = RecordedEvent & { correctedBy?: string; countsFrom: string };

const PLAY_STEP_MS = 1500;
const HALF_DAY_MS = 43_200_000;
const SHORT_INTERVAL_DAYS = 6;

/** The order the projection folds a topic in (docs/architecture.md, "Order inside a topic"). */
function topicOrder(a: TimelineEvent, b: TimelineEvent): number {
  const key = (e: TimelineEvent) => `${e.countsFrom}|${e.occurred.from}|${e.reportedAt}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.position - b.position;
}

/** What the view shows, as the page's address keeps it. */
export interface TopicViewState {
  readonly topic: string;
  readonly at: string;
  readonly knownAt?: string;
}

export interface TopicViewContext {
  readonly names: Names;
  readonly announce: (text: string) => void;
  readonly showError: (error: unknown) => void;
  /** Told whenever the topic, the date or the known-at date changes. */
  readonly onState: (state: TopicViewState) => void;
  /** Told the topic's events when it opens and whenever one arrives. */
  readonly onEvents: (topic: string, events: readonly RecordedEvent[]) => void;
  /** Told which event is selected (the record form offers to correct or retract it). */
  readonly onSelect: (event: RecordedEvent | null) => void;
}

export class TopicView {
  private readonly select = byId<HTMLSelectElement>('topic-select');
  private readonly fromInput = new DateField('topic-from');
  private readonly toInput = new DateField('topic-to');
  private readonly slider = byId<HTMLInputElement>('date-slider');
  private readonly dateInput = new DateField('topic-date');
  private readonly knownAt = byId<HTMLInputElement>('known-at');
  private readonly knownAtInput = new DateField('known-at-date');
  private readonly playButton = byId<HTMLButtonElement>('play');
  private readonly cards = byId('cards');
  private readonly details = byId('details');
  private readonly list = byId('event-list');
  private readonly liveStatus = byId('live-status');

  private readonly items = new DataSet<DataItem>();
  private readonly groups = new DataSet<DataGroup>();
  private readonly timeline: Timeline;

  private topic = '';
  private events: TimelineEvent[] = [];
  /**
   * With "as publicly known on": the ids of the events known then (as they stood then: corrections
   * and retractions reported later do not apply). The others, reported later, are shown hatched.
   */
  private knownIds: ReadonlySet<string> | null = null;
  private selected: string | null = null;
  private live?: EventSource;
  private caughtUp = false;
  private player?: number;
  /** Index (into the events in range) of the last event the replay stepped to. */
  private stepIndex = -1;
  private cardsRequest = 0;
  /** The day the slider, the date field and the timeline's bar show. */
  private shownDay = '';
  private cardsTimer?: number;

  constructor(private readonly context: TopicViewContext) {
    byId('legend').append(legend());
    const options: TimelineOptions = {
      stack: true,
      orientation: 'top',
      zoomKey: 'ctrlKey', // the wheel scrolls the page; Ctrl+wheel zooms the timeline
      // On a phone the grid, the answer, must not sit two screens down.
      maxHeight: window.matchMedia('(max-width: 760px)').matches ? 200 : 300,
      verticalScroll: true,
      showCurrentTime: false,
      groupOrder: 'order',
      margin: { item: { horizontal: 1, vertical: 2 }, axis: 4 },
      tooltip: { followMouse: true, overflowMethod: 'cap' },
      // Markers are built as elements, never parsed from strings.
      template: (item: DataItem & { eventType: string }) => {
        const marker = typeMarker(item.eventType, 12);
        marker.dataset.eventId = String(item.id);
        return marker as unknown as HTMLElement;
      },
    };
    this.timeline = new Timeline(byId('timeline'), this.items, this.groups, options);
    this.timeline.addCustomTime(new Date(), 'at');
    this.timeline.on('select', (props: { items: string[] }) => {
      if (props.items[0]) this.showEvent(String(props.items[0]), false);
    });
    // Dragging the date bar on the timeline moves the slider, to the nearest day boundary.
    this.timeline.on('timechanged', (props: { id: string; time: Date }) => {
      if (props.id !== 'at') return;
      this.stop();
      this.setDate(dayOfLocal(new Date(props.time.getTime() - HALF_DAY_MS)));
    });

    this.select.addEventListener('change', () => void this.open(this.select.value).catch(context.showError));
    for (const input of [this.fromInput, this.toInput]) input.onChange(() => this.applyRange());
    this.slider.addEventListener('input', () => {
      this.stop();
      this.setDate(dayOf(Number(this.slider.value)));
    });
    // The arrows step from event to event (what an analyst walks through); Shift+arrow, a day.
    this.slider.addEventListener('keydown', (e) => {
      const direction = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[e.key] as 1 | -1 | undefined;
      if (!direction || e.shiftKey) return;
      e.preventDefault();
      this.stop();
      this.stepToDay(direction);
    });
    this.dateInput.onChange((day) => {
      this.stop();
      this.goTo(day);
    });
    this.knownAt.addEventListener('change', () => {
      if (this.knownAt.checked && !this.knownAtInput.value) this.knownAtInput.value = this.day();
      this.reload();
    });
    this.knownAtInput.onChange(() => {
      this.knownAt.checked = true;
      this.reload();
    });
    this.playButton.addEventListener('click', () => (this.player ? this.stop() : this.play()));
    byId('prev-event').addEventListener('click', () => {
      this.stop();
      this.step(-1);
    });
    byId('next-event').addEventListener('click', () => {
      this.stop();
      this.step(1);
    });
  }

  setTopics(topics: readonly Topic[]): void {
    setOptions(
      this.select,
      topics.map((t) => ({ value: t.slug, label: t.title })),
    );
  }

  /** The slider's date. */
  day(): string {
    return dayOf(Number(this.slider.value));
  }

  /** The topic shown. */
  shownTopic(): string {
    return this.topic;
  }

  /** Sets (or, with undefined, drops) the "as publicly known on" date. */
  setKnownAt(knownAt: string | undefined): void {
    if (knownAt === this.knownAtDay()) return;
    this.knownAt.checked = !!knownAt;
    if (knownAt) this.knownAtInput.value = knownAt;
    this.reload();
  }

  /** The "as publicly known on" date, if that is asked for. */
  private knownAtDay(): string | undefined {
    return this.knownAt.checked && this.knownAtInput.value ? this.knownAtInput.value : undefined;
  }

  /** Opens a topic at a day (default: its latest event's), as publicly known on `knownAt` if given. */
  async open(topic: string, at?: string, knownAt?: string): Promise<void> {
    this.stop();
    this.topic = topic;
    this.select.value = topic;
    this.live?.close();
    this.events = [];
    this.selected = null;
    this.context.onSelect(null);
    fill(
      this.details,
      h('p', { class: 'muted' }, 'Select an event on the timeline, in the list below, or a source button on a card.'),
    );
    this.knownAt.checked = !!knownAt;
    this.knownAtInput.value = knownAt ?? '';
    await this.load();
    if (topic !== this.topic) return; // another topic was picked meanwhile
    this.defaultRange();
    if (at) this.goTo(at);
    this.follow(topic);
    this.context.onEvents(topic, this.events);
  }

  /**
   * (Re)reads every step of the topic: on opening it, when a correction changes the record, and
   * when the "as publicly known on" date changes. As known on K, the events reported by then are
   * shown as they stood then (a correction reported later does not move or reword one, and one
   * retracted later is still there, as the positions beside them count it), then those reported
   * later as they stand now, hatched.
   */
  private async load(): Promise<void> {
    const topic = this.topic;
    const knownAt = this.knownAtDay();
    const [now, then] = await Promise.all([api.replay(topic), knownAt ? api.replay(topic, knownAt) : undefined]);
    if (topic !== this.topic || knownAt !== this.knownAtDay()) return; // asked again meanwhile
    // The timeline shows the events that count: a retracted record's step shows what no longer does.
    const shown = (steps: readonly ReplayStep[]): TimelineEvent[] =>
      steps
        .filter((s) => !s.retractedBy)
        .map((s) => ({
          ...s.event,
          ...(s.correctedBy ? { correctedBy: s.correctedBy } : {}),
          countsFrom: s.countsFrom ?? lastPossibleDay(s.event),
        }));
    const known = then ? shown(then.steps) : null;
    this.knownIds = known && new Set(known.map((e) => e.id));
    this.events = known ? [...known, ...shown(now.steps).filter((e) => !this.knownIds!.has(e.id))] : shown(now.steps);
    this.events.sort(topicOrder);
    this.render();
  }

  /** Reads the topic again and shows the slider's date (the "as publicly known on" date changed). */
  private reload(): void {
    void this.load()
      .then(() => this.setDate(this.day(), true))
      .catch(this.context.showError);
  }

  /** Whether an event was not yet reported on the "as publicly known on" date. */
  private unreported(event: TimelineEvent): boolean {
    return this.knownIds !== null && !this.knownIds.has(event.id);
  }

  /** From the start of the year of the first report (older background would squash the view) to the last event. */
  private defaultRange(): void {
    const reported = this.events.map((e) => e.reportedAt.slice(0, 10)).sort();
    const ends = this.events.map((e) => e.occurred.to).sort();
    const to = ends.at(-1) ?? today();
    const from = reported.length ? `${reported[0].slice(0, 4)}-01-01` : addDays(to, -365);
    this.fromInput.value = from < to ? from : addDays(to, -30);
    this.toInput.value = to;
    this.applyRange(to);
  }

  /** Moves to a day, widening the range if the day is outside it. */
  goTo(day: string): void {
    if (day < this.fromInput.value) this.fromInput.value = day;
    if (day > this.toInput.value) this.toInput.value = day;
    this.applyRange(day);
  }

  private applyRange(day?: string): void {
    const from = this.fromInput.value;
    const to = this.toInput.value;
    if (!from || !to || from > to) return;
    this.slider.min = String(dayNumber(from));
    this.slider.max = String(dayNumber(to));
    this.timeline.setWindow(localDate(addDays(from, -3)), localDate(addDays(to, 4)), { animation: false });
    this.renderList();
    const wanted = day ?? this.day();
    this.setDate(wanted < from ? from : wanted > to ? to : wanted, true);
  }

  private inRange(): TimelineEvent[] {
    const from = this.fromInput.value;
    const to = this.toInput.value;
    return this.events.filter((e) => e.occurred.to >= from && e.occurred.from <= to);
  }

  /** Moves the replay to a day: slider, timeline bar, event marks and position cards. */
  setDate(day: string, force = false): void {
    const changed = day !== this.shownDay;
    this.shownDay = day;
    this.slider.value = String(dayNumber(day));
    const text = longDate(day);
    this.slider.setAttribute('aria-valuetext', text);
    if (this.dateInput.value !== day) this.dateInput.value = day;
    this.timeline.setCustomTime(localDate(day, 24), 'at');
    this.timeline.setCustomTimeTitle(`Positions as of the end of ${text}`, 'at');
    this.stepIndex = this.inRange().filter((e) => e.countsFrom <= day).length - 1;
    this.markEvents();
    if (changed || force) this.refreshCardsSoon();
  }

  private refreshCardsSoon(): void {
    clearTimeout(this.cardsTimer);
    this.cardsTimer = window.setTimeout(() => void this.refreshCards().catch(this.context.showError), 120);
  }

  private async refreshCards(): Promise<void> {
    const request = ++this.cardsRequest;
    const day = this.day();
    const knownAt = this.knownAtDay();
    this.context.onState({ topic: this.topic, at: day, ...(knownAt ? { knownAt } : {}) });
    const { positions } = await api.topicPositions(this.topic, day, knownAt);
    if (request !== this.cardsRequest) return; // a later date was asked for meanwhile
    const order = new Map(
      this.groups.get().map((g) => [String(g.id), Number((g as DataGroup & { order: number }).order)]),
    );
    const sorted = [...positions].sort((a, b) => (order.get(a.party) ?? 1e9) - (order.get(b.party) ?? 1e9));
    const known = () =>
      knownAt
        ? h(
            'span',
            { class: 'known-note' },
            ` as publicly known on ${knownAt === day ? 'that day' : longDate(knownAt)}`,
          )
        : '';
    fill(byId('grid-heading'), `Where everyone stood on ${longDate(day)}`, known());
    fill(
      byId('grid'),
      stanceGrid(sorted, this.context.names, (e) => this.showEvidence(e)),
    );
    byId('grid').dataset.day = day;
    byId('grid').dataset.knownAt = knownAt ?? '';
    fill(byId('positions-heading'), `Positions on ${longDate(day)}`, known());
    fill(
      this.cards,
      sorted.length
        ? sorted.map((p) =>
            positionCard(p, {
              title: 'party',
              names: this.context.names,
              onEvidence: (e) => this.showEvidence(e),
              onEvent: (id) => this.showEventById(id),
            }),
          )
        : h(
            'p',
            { class: 'muted' },
            knownAt
              ? 'Nothing about this topic had been reported by then.'
              : 'No party had taken a recorded position by then.',
          ),
    );
    this.cards.dataset.day = day;
    this.cards.dataset.knownAt = knownAt ?? '';
  }

  /** Draws every event afresh: on opening the topic and after a correction. */
  private render(): void {
    this.groups.clear();
    this.items.clear();
    this.addToTimeline(this.events);
  }

  private addToTimeline(events: readonly TimelineEvent[]): void {
    const known = new Set(this.groups.getIds().map(String));
    const actors = [...new Set(events.map((e) => e.actor))].filter((party) => !known.has(party));
    this.groups.add(
      actors.map((party, i) => ({ id: party, content: this.context.names.party(party), order: known.size + i })),
    );
    this.items.add(events.map((e) => this.item(e)));
    this.renderList();
    this.markEvents();
    const days = [...new Set(this.events.map((e) => e.countsFrom))];
    fill(
      byId('event-days'),
      days.map((d) => h('option', { value: dayNumber(d) })),
    );
  }

  private item(e: TimelineEvent): DataItem & { eventType: string } {
    const style = typeStyle(e.type);
    const days = dayNumber(e.occurred.to) - dayNumber(e.occurred.from);
    // A day, or a few days ("Oct. 12-13"), is a marker at its middle; a vaguer date is a tinted span.
    const span = days > SHORT_INTERVAL_DAYS;
    const middle = localDate(e.occurred.from, 12 * (days + 1));
    return {
      id: e.id,
      group: e.actor,
      eventType: e.type,
      content: '',
      type: span ? 'range' : 'point',
      start: span ? localDate(e.occurred.from) : middle,
      ...(span ? { end: localDate(e.occurred.to, 24) } : {}),
      title: `${style.label}, ${occurredText(e.occurred)}: ${e.summary}`,
      className: `ev ev-${e.type}`,
      style: span
        ? `background-color: ${style.color}1f; border-color: ${style.color};`
        : 'background: transparent; border-color: transparent;',
    };
  }

  /** Events after the slider's date fade; with "as publicly known", those not yet reported are hatched too. */
  private markEvents(): void {
    const day = this.shownDay;
    const updates: { id: string; className: string }[] = [];
    const entries = new Map(
      [...this.list.querySelectorAll<HTMLElement>('li[data-event-id]')].map((li) => [li.dataset.eventId, li]),
    );
    for (const e of this.events) {
      const future = e.occurred.to > day;
      const unreported = this.unreported(e);
      const className = `ev ev-${e.type}${future ? ' ev-future' : ''}${unreported ? ' ev-unreported' : ''}`;
      if (this.items.get(e.id)?.className !== className) updates.push({ id: e.id, className });
      const entry = entries.get(e.id);
      if (entry) {
        entry.classList.toggle('ev-future', future);
        entry.classList.toggle('ev-unreported', unreported);
        entry.querySelector('.not-reported')?.toggleAttribute('hidden', !unreported);
      }
    }
    if (updates.length) this.items.update(updates);
  }

  private renderList(): void {
    const events = this.inRange();
    byId('topic-count').textContent = `${events.length} of ${this.events.length} events in this range`;
    fill(
      this.list,
      events.map((e) => {
        const button = h(
          'button',
          { type: 'button', 'aria-current': e.id === this.selected ? 'true' : false },
          typeMarker(e.type, 12),
          h('span', { class: 'when' }, shortOccurred(e.occurred)),
          ' ',
          h('strong', {}, this.context.names.party(e.actor)),
          ` ${typeStyle(e.type).label.toLowerCase()}: ${e.summary}`,
          h('span', { class: 'not-reported', hidden: true }, ` (reported ${longDate(e.reportedAt)})`),
        );
        button.addEventListener('click', () => this.showEvent(e.id, true));
        return h('li', { 'data-event-id': e.id, 'data-type': e.type }, button);
      }),
    );
  }

  private showEvent(id: string, fromList: boolean): void {
    const event = this.events.find((e) => e.id === id);
    if (!event) return;
    this.selected = id;
    fill(this.details, eventDetails(event, this.context.names));
    this.context.onSelect(event);
    this.timeline.setSelection([id]);
    if (fromList) this.timeline.moveTo(localDate(event.occurred.from), { animation: false });
    for (const button of this.list.querySelectorAll('button[aria-current]')) button.removeAttribute('aria-current');
    const entry = this.list.querySelector<HTMLElement>(`[data-event-id="${id}"] button`);
    entry?.setAttribute('aria-current', 'true');
    if (entry && !fromList) this.scrollListTo(entry);
  }

  /** Scrolls the event list (only the list, never the page) so the entry shows. */
  private scrollListTo(entry: HTMLElement): void {
    const top = entry.offsetTop;
    const visible =
      top >= this.list.scrollTop && top + entry.offsetHeight <= this.list.scrollTop + this.list.clientHeight;
    if (!visible) this.list.scrollTop = top - this.list.clientHeight / 3;
  }

  /** An event named by id: from the timeline, or read from the log (an event of another topic). */
  private showEventById(id: string): void {
    if (this.events.some((e) => e.id === id)) return this.showEvent(id, false);
    void api
      .event(id)
      .then((event) => fill(this.details, eventDetails(event, this.context.names)))
      .catch(this.context.showError);
  }

  /** A card's evidence: the full event when the timeline has it, else what the evidence carries. */
  private showEvidence(evidence: Evidence): void {
    if (this.events.some((e) => e.id === evidence.eventId)) this.showEvent(evidence.eventId, false);
    else fill(this.details, eventDetails(evidence, this.context.names));
  }

  /** One event forward or back, in topic order, moving the date to it and showing it. */
  private step(direction: 1 | -1): boolean {
    const events = this.inRange();
    const next = this.stepIndex + direction;
    if (next < 0 || next >= events.length) return false;
    const event = events[next];
    this.setDate(event.occurred.to < this.fromInput.value ? this.fromInput.value : event.occurred.to);
    this.stepIndex = next; // setDate counts up to the day's last event; several can share a day
    this.showEvent(event.id, false);
    return true;
  }

  /** To the next (or previous) day with an event, from the day shown. */
  private stepToDay(direction: 1 | -1): void {
    const day = this.day();
    const days = this.inRange().map((e) => e.occurred.to);
    const next = direction > 0 ? days.find((d) => d > day) : days.filter((d) => d < day).at(-1);
    if (!next) return;
    this.setDate(next < this.fromInput.value ? this.fromInput.value : next);
    const last = this.inRange()
      .filter((e) => e.occurred.to === next)
      .at(-1);
    if (last) this.showEvent(last.id, false);
    this.context.announce(`${longDate(next)}: ${last ? last.summary : ''}`);
  }

  private play(): void {
    if (this.stepIndex >= this.inRange().length - 1) {
      this.setDate(this.fromInput.value);
      this.stepIndex = -1; // start with the first event, even one dated on the first day
    }
    this.playButton.textContent = 'Pause';
    this.playButton.setAttribute('aria-pressed', 'true');
    const tick = () => {
      if (!this.step(1)) this.stop();
    };
    this.player = window.setInterval(tick, PLAY_STEP_MS);
    tick();
  }

  private stop(): void {
    if (!this.player) return;
    clearInterval(this.player);
    this.player = undefined;
    this.playButton.textContent = 'Play';
    this.playButton.setAttribute('aria-pressed', 'false');
  }

  /**
   * Follows the topic's event stream. It first repeats the steps already shown (skipped by id),
   * then sends each new one; EventSource reconnects by itself after a network error, sending the
   * last id it received (Last-Event-ID), and the server then sends only the steps it missed.
   */
  private follow(topic: string): void {
    this.caughtUp = false;
    this.status('Connecting to the live stream…');
    const source = new EventSource(`/topics/${encodeURIComponent(topic)}/replay`);
    this.live = source;
    source.addEventListener('step', (message) => {
      if (this.live === source)
        this.receive(
          stepWithCards(JSON.parse((message as MessageEvent<string>).data) as Parameters<typeof stepWithCards>[0]),
        );
    });
    // `resumed`: EventSource reconnected with the id it last received, and gets only what it missed.
    for (const live of ['caught-up', 'resumed'])
      source.addEventListener(live, () => {
        this.caughtUp = true;
        this.status('Live: new events appear as they are recorded');
      });
    source.addEventListener('error', () => {
      if (this.live === source) this.status('Live stream interrupted; reconnecting…');
    });
  }

  private receive(step: ReplayStep): void {
    const { event } = step;
    if (event.type === 'correction' || event.type === 'retraction' || event.type === 'report') return this.reload();
    // A retracted record's step comes just before its retraction's, which reads the topic again.
    if (step.retractedBy) return;
    if (this.events.some((e) => e.id === event.id)) return;
    const countsFrom = step.countsFrom ?? lastPossibleDay(event);
    // An answer proving that what it answers had happened before the day shown for it moves that
    // event (and what it answers) earlier: the topic is read again, as for a correction.
    if (this.events.some((e) => e.id === event.refersTo && e.countsFrom > countsFrom)) return this.reload();
    const added = { ...event, ...(step.correctedBy ? { correctedBy: step.correctedBy } : {}), countsFrom };
    // A live event was reported now: known on an "as publicly known on" date only if that is today or later.
    const knownAt = this.knownAtDay();
    if (this.knownIds && knownAt && added.reportedAt.slice(0, 10) <= knownAt)
      this.knownIds = new Set([...this.knownIds, added.id]);
    // A range that reached the latest event follows the news: it grows to take in a later one.
    const latest =
      this.events
        .map((e) => e.occurred.to)
        .sort()
        .at(-1) ?? '';
    if (this.toInput.value >= latest && event.occurred.to > this.toInput.value) {
      this.toInput.value = event.occurred.to;
      this.applyRange();
    }
    this.events = [...this.events, added].sort(topicOrder);
    this.addToTimeline([added]);
    this.setDate(this.day(), true);
    this.context.onEvents(this.topic, this.events);
    const entry = this.list.querySelector(`[data-event-id="${event.id}"]`);
    entry?.classList.add('ev-new');
    if (this.caughtUp) {
      this.context.announce(
        `New event: ${this.context.names.party(event.actor)}, ${typeStyle(event.type).label.toLowerCase()}: ${event.summary}`,
      );
    }
  }

  private status(text: string): void {
    this.liveStatus.textContent = text;
    this.liveStatus.dataset.state = this.caughtUp ? 'live' : 'waiting';
  }
}
