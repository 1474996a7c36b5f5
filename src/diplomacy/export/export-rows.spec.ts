import { codingFor, quadClassOf } from '../domain/events/cameo.js';
import type { RecordedEvent } from '../domain/events/events.js';
import { toRecordEvent } from '../record-event/record-event.body.js';
import type { PositionView } from '../positions/position.view.js';
import { acledRow, timePrecision } from './acled.row.js';
import { edtf } from './exported-event.js';
import { ploverRow } from './plover.row.js';
import { polecatRow } from './polecat.row.js';
import { positionRows } from './positions.row.js';
import { stanceLine } from './stance-jsonl.row.js';

const NAMES: Record<string, string> = { russia: 'Russia', 'united-states': 'United States', poland: 'Poland' };
const names = (slug: string) => NAMES[slug] ?? slug;

const freeze: RecordedEvent = {
  id: '0b8f5a3e-2c4d-4e6f-8a1b-3c5d7e9f1a2b',
  topic: 'missile-defense-europe',
  type: 'freeze_demand',
  actor: 'russia',
  targets: ['united-states', 'poland'],
  speaker: { name: 'Sergei Lavrov', role: 'Foreign Minister of Russia' },
  occurred: { from: '2007-10-12', to: '2007-10-13', precision: 'interval' },
  reportedAt: '2007-10-31T00:00:00.000Z',
  source: {
    publisher: 'Example Weekly',
    title: 'The 2+2 talks',
    author: 'A. Writer',
    url: 'https://example.org/a',
    publishedAt: '2007-10-31',
  },
  quote: 'freeze the plans',
  summary: 'Lavrov demanded that the United States freeze its plans while talks go on.',
  key: 'oct-2007/lavrov-freeze-demand',
  cameo: { ...codingFor('freeze_demand', '1056', { answersAnotherEvent: false })!, scale: 'Goldstein' },
  payload: { item: 'us-third-site', action: 'the third site', condition: 'while talks go on' },
  version: 7,
  position: 42,
  recordedAt: '2026-12-06T09:00:00.000Z',
};
const correction = '9d1e2f3a-4b5c-4d6e-8f7a-1b2c3d4e5f6a';

describe('the export rows, field by field', () => {
  it('writes dates as EDTF (ISO 8601-2 level 0): day, month, year, interval', () => {
    expect(edtf({ from: '2007-06-07', to: '2007-06-07', precision: 'day' })).toBe('2007-06-07');
    expect(edtf({ from: '2007-07-01', to: '2007-07-31', precision: 'month' })).toBe('2007-07');
    expect(edtf({ from: '2007-01-01', to: '2007-12-31', precision: 'year' })).toBe('2007');
    expect(edtf({ from: '2007-10-12', to: '2007-10-13', precision: 'interval' })).toBe('2007-10-12/2007-10-13');
  });

  it('writes the log as the POST /events bodies that record each event again', () => {
    const line = stanceLine(freeze);
    expect(line).toEqual({
      id: freeze.id,
      topic: 'missile-defense-europe',
      type: 'freeze_demand',
      actor: 'russia',
      targets: ['united-states', 'poland'],
      speaker: { name: 'Sergei Lavrov', role: 'Foreign Minister of Russia' },
      occurred: '2007-10-12/2007-10-13',
      reportedAt: '2007-10-31T00:00:00.000Z',
      source: freeze.source,
      quote: 'freeze the plans',
      summary: freeze.summary,
      key: 'oct-2007/lavrov-freeze-demand',
      cameo: '1056',
      payload: freeze.payload,
    });
    // The inverse of toRecordEvent: the command it makes is the event less what the store and decide add.
    const { version: _v, position: _p, recordedAt: _r, cameo: _c, occurred: _o, ...decided } = freeze;
    expect(toRecordEvent(line, freeze.id)).toEqual({ ...decided, occurred: '2007-10-12/2007-10-13', cameo: '1056' });
  });

  it('writes a PLOVER record', () => {
    expect(ploverRow({ event: freeze, correctedBy: correction }, names)).toEqual({
      id: freeze.id,
      date: '2007-10-12',
      enddate: '2007-10-13',
      actor: 'Russia',
      recipient: 'United States; Poland',
      event: 'REQUEST',
      mode: 'yield',
      context: 'missile-defense-europe',
      quad_code: 3,
      event_text: freeze.summary,
      link: 'https://example.org/a',
      text: 'freeze the plans',
      cite_info: 'Example Weekly, "The 2+2 talks", A. Writer, 2007-10-31, https://example.org/a',
      stance: {
        topic: 'missile-defense-europe',
        type: 'freeze_demand',
        actor: 'russia',
        targets: ['united-states', 'poland'],
        item: 'us-third-site',
        occurred: '2007-10-12/2007-10-13',
        occurredBasis: null,
        reportedAt: '2007-10-31T00:00:00.000Z',
        source: freeze.source,
        speaker: { name: 'Sergei Lavrov', role: 'Foreign Minister of Russia' },
        key: 'oct-2007/lavrov-freeze-demand',
        refersTo: null,
        cameo: { code: '1056', name: 'Demand de-escalation of military engagement', goldstein: -5 },
        payload: freeze.payload,
        correctedBy: correction,
        position: 42,
      },
    });
  });

  it('writes a POLECAT-style row', () => {
    expect(polecatRow({ event: freeze }, names)).toEqual({
      'Event ID': freeze.id,
      'Event Date': '2007-10-12',
      'Event Type': 'REQUEST',
      'Event Mode': 'yield',
      'Quad Code': 'VERBAL CONFLICT',
      Contexts: 'missile-defense-europe',
      'Actor Name': 'Russia',
      'Actor Title': 'Sergei Lavrov, Foreign Minister of Russia',
      'Recipient Name': 'United States; Poland',
      Source: 'Example Weekly',
      'Publication Date': '2007-10-31',
      Headline: 'The 2+2 talks',
      'Event Text': freeze.summary,
      'Stance Occurred EDTF': '2007-10-12/2007-10-13',
      'Stance End Date': '2007-10-13',
      'Stance Reported At': '2007-10-31T00:00:00.000Z',
      'Stance Type': 'freeze_demand',
      'Stance Topic': 'missile-defense-europe',
      'Stance Item': 'us-third-site',
      'Stance Actor': 'russia',
      'Stance Recipients': 'united-states; poland',
      'Stance CAMEO Code': '1056',
      'Stance Goldstein': -5,
      'Stance Quote': 'freeze the plans',
      'Stance Source URL': 'https://example.org/a',
      'Stance Refers To': '',
      'Stance Corrected By': '',
    });
  });

  it('writes an ACLED-style row, with ACLED time precision', () => {
    expect(acledRow({ event: freeze, correctedBy: correction }, names)).toEqual({
      event_id_cnty: freeze.id,
      event_date: '2007-10-12',
      year: 2007,
      time_precision: 2,
      disorder_type: 'Strategic developments',
      event_type: 'Strategic developments',
      sub_event_type: 'Other',
      actor1: 'Russia',
      assoc_actor_1: 'Sergei Lavrov',
      actor2: 'United States; Poland',
      source: 'Example Weekly, "The 2+2 talks", A. Writer, 2007-10-31, https://example.org/a',
      notes: `${freeze.summary} "freeze the plans"`,
      fatalities: 0,
      tags: 'freeze_demand',
      timestamp: Date.parse('2026-12-06T09:00:00.000Z') / 1000,
      stance_occurred_edtf: '2007-10-12/2007-10-13',
      stance_end_date: '2007-10-13',
      stance_reported_at: '2007-10-31T00:00:00.000Z',
      stance_type: 'freeze_demand',
      stance_topic: 'missile-defense-europe',
      stance_item: 'us-third-site',
      stance_actor: 'russia',
      stance_targets: 'united-states; poland',
      stance_cameo_code: '1056',
      stance_goldstein: -5,
      stance_plover: 'REQUEST',
      stance_quote: 'freeze the plans',
      stance_refers_to: '',
      stance_corrected_by: correction,
    });
    expect(acledRow({ event: { ...freeze, type: 'agreement' } }, names).sub_event_type).toBe('Agreement');
    expect(timePrecision({ from: '2007-06-07', to: '2007-06-07', precision: 'day' })).toBe(1);
    expect(timePrecision({ from: '2007-10-12', to: '2007-10-18', precision: 'interval' })).toBe(2);
    expect(timePrecision({ from: '2007-10-12', to: '2007-10-19', precision: 'interval' })).toBe(3);
    expect(timePrecision({ from: '2007-07-01', to: '2007-07-31', precision: 'month' })).toBe(3);
  });

  it('groups CAMEO roots in quad classes as GDELT and ICEWS do', () => {
    expect(
      ['010', '036', '051', '057', '080', '1056', '111', '120', '138', '160'].map((c) => quadClassOf(c).code),
    ).toEqual([1, 1, 1, 1, 2, 3, 3, 3, 3, 4]);
  });

  it('writes a position as one row per item: the current stance and the ones it replaced', () => {
    const evidence = (eventId: string, correctedBy?: string) => ({ eventId, ...(correctedBy ? { correctedBy } : {}) });
    const view = {
      party: 'russia',
      topic: 'missile-defense-europe',
      topicStance: {
        item: 'missile-defense-europe',
        title: 'all',
        stance: 'opposes',
        since: '2007-06-06',
        evidence: evidence('e0'),
      },
      items: [
        {
          item: 'azerbaijan-radar',
          title: 'joint use of the Gabala radar',
          stance: 'withdrawn',
          since: '2008-04-03',
          evidence: evidence('e2', 'c1'),
          replaced: [{ stance: 'proposer', since: '2007-06-07', until: '2008-04-03', evidence: evidence('e1') }],
        },
      ],
    } as unknown as PositionView;
    expect(positionRows(view)).toEqual([
      {
        party: 'russia',
        topic: 'missile-defense-europe',
        item: '',
        stance: 'opposes',
        since: '2007-06-06',
        until: '',
        status: 'current',
        evidence: 'e0',
      },
      {
        party: 'russia',
        topic: 'missile-defense-europe',
        item: 'azerbaijan-radar',
        stance: 'proposer',
        since: '2007-06-07',
        until: '2008-04-03',
        status: 'replaced',
        evidence: 'e1',
      },
      {
        party: 'russia',
        topic: 'missile-defense-europe',
        item: 'azerbaijan-radar',
        stance: 'withdrawn',
        since: '2008-04-03',
        until: '',
        status: 'current',
        evidence: 'e2+c1',
      },
    ]);
  });
});
