/**
 * Cooperation and conflict over time: the Goldstein score of each event from its actor toward
 * each target. The chart draws one point per party pair and month at its monthly mean, sized and
 * labelled by its number of events, and no line: a line would cross months without any event and
 * make one event look as weighty as sixteen. The tables give the same values and every event as
 * text, and the shown values download as CSV.
 */
import { ScatterChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { api, type EventView, type Names, type Party, type Topic } from './api.js';
import { DateField } from './date-field.js';
import { addMonths, shortOccurred } from './dates.js';
import { byId, fill, h, setOptions } from './dom.js';
import { typeBadge } from './event-types.js';

echarts.use([
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  AriaComponent,
  SVGRenderer,
]);

interface Score {
  readonly day: string;
  readonly when: string;
  readonly actor: string;
  readonly target: string;
  readonly pair: string;
  readonly goldstein: number;
  readonly type: string;
  readonly topic: string;
  readonly summary: string;
}

interface MonthlyMean {
  readonly month: string; // YYYY-MM
  readonly actor: string;
  readonly target: string;
  readonly pair: string;
  readonly mean: number;
  readonly count: number;
}

/** Distinct symbols as well as colours (Okabe-Ito and darker tones), so lines stay apart without colour vision. */
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'roundRect', 'pin', 'arrow'];
const COLORS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#1f2937',
  '#e69f00',
  '#56b4e9',
  '#8c564b',
  '#7b2cbf',
  '#6b8e23',
];

const MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short', year: 'numeric' });
const monthLabel = (month: string) => MONTH.format(new Date(`${month}-15T00:00:00Z`));
const signed = (n: number) => `${n > 0 ? '+' : ''}${Math.round(n * 10) / 10}`;
/** A point's area grows with its events, within bounds that keep single events visible and crowds readable. */
const pointSize = (count: number) => Math.min(10 + 4 * Math.sqrt(count - 1), 30);

/** A CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export class RelationsView {
  private readonly topicSelect = byId<HTMLSelectElement>('relations-topic');
  private readonly actorSelect = byId<HTMLSelectElement>('relations-actor');
  private readonly targetSelect = byId<HTMLSelectElement>('relations-target');
  private readonly from = new DateField('relations-from');
  private readonly to = new DateField('relations-to');
  private chart?: echarts.ECharts;
  private scores: Score[] = [];
  private topicTitles = new Map<string, string>();
  private request = 0;
  /** The monthly means the chart shows now: what the CSV download holds. */
  private shown: MonthlyMean[] = [];

  constructor(
    private readonly names: Names,
    private readonly showError: (error: unknown) => void,
  ) {
    this.topicSelect.addEventListener('change', () => void this.load().catch(showError));
    for (const input of [this.actorSelect, this.targetSelect]) input.addEventListener('change', () => this.render());
    for (const field of [this.from, this.to]) field.onChange(() => this.render());
    window.addEventListener('resize', () => this.chart?.resize());
    byId('relations-csv').addEventListener('click', () => this.download());
  }

  /** The chart's data as a CSV file: month, pair (slugs and names), mean score, number of events. */
  private download(): void {
    const rows = [
      ['month', 'from', 'toward', 'from_name', 'toward_name', 'mean_goldstein', 'events'],
      ...this.shown.map((m) => [
        m.month,
        m.actor,
        m.target,
        this.names.party(m.actor),
        this.names.party(m.target),
        Math.round(m.mean * 100) / 100,
        m.count,
      ]),
    ];
    const csv = rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
    const range = `${this.from.value || 'start'}-to-${this.to.value || 'end'}`;
    const link = h('a', {
      href: `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`,
      download: `stance-goldstein-monthly-${this.topicSelect.value || 'all-topics'}-${range}.csv`,
      hidden: true,
    });
    document.body.append(link);
    link.click();
    link.remove();
  }

  setCatalog(topics: readonly Topic[], parties: readonly Party[]): void {
    this.topicTitles = new Map(topics.map((t) => [t.slug, t.title]));
    setOptions(this.topicSelect, [
      { value: '', label: 'All topics' },
      ...topics.map((t) => ({ value: t.slug, label: t.title })),
    ]);
    for (const select of [this.actorSelect, this.targetSelect]) {
      setOptions(
        select,
        [{ value: '', label: 'Any party' }, ...parties.map((p) => ({ value: p.slug, label: p.name }))],
        '',
      );
    }
  }

  /** Called when the view is shown: the chart needs a visible container to measure. */
  async show(): Promise<void> {
    this.chart ??= echarts.init(byId('relations-chart'), undefined, { renderer: 'svg' });
    this.chart.resize();
    await this.load();
  }

  private async load(): Promise<void> {
    const request = ++this.request;
    const events = await api.allEvents(this.topicSelect.value || undefined);
    if (request !== this.request) return;
    this.scores = events
      .flatMap((e) => this.scoresOf(e))
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.pair.localeCompare(b.pair)));
    if (!this.from.value || !this.to.value) this.defaults(events);
    this.render();
  }

  /**
   * As in the topic view, from the year of the first report, so old background does not squash
   * the chart; and from the actor of the busiest pair toward anyone, so the lines stay readable.
   */
  private defaults(events: readonly EventView[]): void {
    const reported = events.map((e) => e.reportedAt.slice(0, 10)).sort();
    if (!reported.length || !this.scores.length) return;
    this.from.value = `${reported[0].slice(0, 4)}-01-01`;
    this.to.value = this.scores[this.scores.length - 1].day;
    const pairs = new Map<string, { actor: string; count: number }>();
    for (const s of this.scores) pairs.set(s.pair, { actor: s.actor, count: (pairs.get(s.pair)?.count ?? 0) + 1 });
    this.actorSelect.value = [...pairs.values()].sort((a, b) => b.count - a.count)[0].actor;
  }

  /** One score per target; corrected records as corrected, retracted ones left out. */
  private scoresOf(view: EventView): Score[] {
    if (view.status === 'retracted') return [];
    const event = view.corrected ?? view;
    const cameo = event.cameo;
    if (!cameo) return [];
    return event.targets.map((target) => ({
      day: event.occurred.to,
      when: shortOccurred(event.occurred),
      actor: event.actor,
      target,
      pair: `${this.names.party(event.actor)} → ${this.names.party(target)}`,
      goldstein: cameo.goldstein,
      type: event.type,
      topic: event.topic,
      summary: event.summary,
    }));
  }

  private visible(): Score[] {
    const actor = this.actorSelect.value;
    const target = this.targetSelect.value;
    const from = this.from.value || '0000-01-01';
    const to = this.to.value || '9999-12-31';
    return this.scores.filter(
      (s) => s.day >= from && s.day <= to && (!actor || s.actor === actor) && (!target || s.target === target),
    );
  }

  private render(): void {
    const scores = this.visible();
    const means = monthlyMeans(scores);
    this.shown = means;
    const pairs = [...new Set(means.map((m) => m.pair))].sort();
    this.chart?.setOption(
      {
        aria: { enabled: true },
        animation: false,
        color: COLORS,
        grid: { left: 48, right: 24, top: 60, bottom: 36 },
        legend: { type: 'scroll', top: 0, data: pairs, textStyle: { color: '#1f2328' } },
        tooltip: {
          trigger: 'item',
          formatter: (p: { seriesName: string; data: [string, number, number] }) =>
            echarts.format.encodeHTML(
              `${p.seriesName}, ${monthLabel(p.data[0].slice(0, 7))}: mean ${signed(p.data[1])} over ${p.data[2]} event${p.data[2] === 1 ? '' : 's'}`,
            ),
        },
        // From the first month shown to the end of the last, so no point sits on the edge.
        xAxis: {
          type: 'time',
          axisLabel: { color: '#1f2328' },
          ...(means.length
            ? { min: `${means[0].month}-01`, max: addMonths(`${means[means.length - 1].month}-01`, 1) }
            : {}),
        },
        yAxis: {
          type: 'value',
          min: -10,
          max: 10,
          interval: 5,
          name: 'Goldstein (monthly mean)',
          nameGap: 14,
          nameTextStyle: { color: '#1f2328', align: 'left' },
          axisLabel: { color: '#1f2328' },
        },
        series: pairs.map((pair, index) => ({
          name: pair,
          type: 'scatter',
          symbol: SYMBOLS[index % SYMBOLS.length],
          symbolSize: (value: [string, number, number]) => pointSize(value[2]),
          label: {
            show: true,
            position: 'right',
            color: '#1f2328',
            fontSize: 11,
            formatter: (p: { data: [string, number, number] }) => String(p.data[2]),
          },
          data: means.filter((m) => m.pair === pair).map((m) => [`${m.month}-15`, m.mean, m.count]),
          ...(index === 0
            ? {
                markLine: {
                  silent: true,
                  symbol: 'none',
                  label: { show: false },
                  lineStyle: { color: '#6b7280', type: 'dashed' },
                  data: [{ yAxis: 0 }],
                },
              }
            : {}),
        })),
      },
      { notMerge: true },
    );
    byId('relations-chart').setAttribute(
      'aria-label',
      `Chart of the monthly mean Goldstein score, one point per month with events, labelled with their number, for ${pairs.length} party pair${pairs.length === 1 ? '' : 's'}; the tables below give the values.`,
    );
    fill(
      byId('relations-means').querySelector('tbody')!,
      means.length
        ? means.map((m) =>
            h(
              'tr',
              {},
              h('td', {}, monthLabel(m.month)),
              h('td', {}, m.pair),
              h('td', { class: 'num' }, signed(m.mean)),
              h('td', { class: 'num' }, m.count),
            ),
          )
        : h('tr', {}, h('td', { colspan: 4 }, 'No coded events between parties in this range.')),
    );
    byId('relations-count').textContent = `(${scores.length})`;
    fill(
      byId('relations-table').querySelector('tbody')!,
      scores.map((s) =>
        h(
          'tr',
          {},
          h('td', { 'data-day': s.day }, s.when),
          h('td', {}, s.pair),
          h('td', { class: 'num' }, signed(s.goldstein)),
          h('td', {}, typeBadge(s.type)),
          h('td', {}, this.topicTitles.get(s.topic) ?? s.topic),
          h('td', {}, s.summary),
        ),
      ),
    );
  }
}

/** Each pair's mean score per month (by the month its event's interval ends), in time order. */
function monthlyMeans(scores: readonly Score[]): MonthlyMean[] {
  const groups = new Map<
    string,
    { month: string; actor: string; target: string; pair: string; sum: number; count: number }
  >();
  for (const s of scores) {
    const key = `${s.day.slice(0, 7)}|${s.pair}`;
    const group = groups.get(key) ?? {
      month: s.day.slice(0, 7),
      actor: s.actor,
      target: s.target,
      pair: s.pair,
      sum: 0,
      count: 0,
    };
    group.sum += s.goldstein;
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, mean: g.sum / g.count }))
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.pair.localeCompare(b.pair)));
}
