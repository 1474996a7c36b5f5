import { CODING, codesFor, codingFor } from '../../domain/events/cameo.js';
import type { EventType } from '../../domain/events/events.js';
import { type ForeignContext, type ForeignEvent, toStanceBody } from './foreign-event.js';
import { partyMatcher } from './party-matcher.js';

const party = partyMatcher([
  { slug: 'russia', name: 'Russia', aliases: ['Russian Federation', 'Moscow'] },
  { slug: 'united-states', name: 'United States', aliases: ['U.S.', 'Washington'] },
  { slug: 'georgia', name: 'Georgia', aliases: [] },
  { slug: 'georgia-us-state', name: 'State of Georgia', aliases: ['Georgia'] },
]);
const context: ForeignContext = { format: 'plover', party, topicKnown: (slug) => slug === 'missile-defense-europe' };

const row = (overrides: Partial<ForeignEvent> = {}): ForeignEvent => ({
  date: '2007-10-12',
  actor: 'Moscow',
  recipients: ['the United States'],
  category: 'REQUEST',
  summary: 'Russia asked for a freeze.',
  source: { publisher: 'Wire', title: 'Story' },
  topics: ['missile-defense-europe'],
  ...overrides,
});

describe('partyMatcher', () => {
  it('matches by slug, name and alias, whatever the case, with or without "the"', () => {
    expect(['russia', 'RUSSIA', 'Russian Federation', 'moscow', ' the Russian Federation '].map(party)).toEqual(
      Array(5).fill('russia'),
    );
    expect(['u.s.', 'The United States', 'united-states'].map(party)).toEqual(Array(3).fill('united-states'));
  });

  it('matches nothing for an unknown name, or one two parties share', () => {
    expect(party('Atlantis')).toBeUndefined();
    expect(party('Georgia')).toBeUndefined();
    expect(party('georgia-us-state')).toBe('georgia-us-state');
  });
});

describe('toStanceBody', () => {
  it('maps a row to a POST /events body, the actor and recipients matched to parties', () => {
    expect(toStanceBody(row({ id: 'abc-1', enddate: '2007-10-13', quote: 'freeze' }), context)).toEqual({
      body: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        topic: 'missile-defense-europe',
        type: 'demand',
        actor: 'russia',
        targets: ['united-states'],
        occurred: '2007-10-12/2007-10-13',
        source: { publisher: 'Wire', title: 'Story', publishedAt: '2007-10-13' },
        quote: 'freeze',
        summary: 'Russia asked for a freeze.',
        payload: { demand: 'Russia asked for a freeze.' },
      },
    });
    // The same foreign id gives the same event id; a UUID is kept.
    const id = (r: ForeignEvent) =>
      'body' in toStanceBody(r, context) ? (toStanceBody(r, context) as { body: { id?: string } }).body.id : undefined;
    expect(id(row({ id: 'abc-1' }))).toBe(id(row({ id: 'abc-1' })));
    expect(id(row({ id: 'abc-1' }))).not.toBe(id(row({ id: 'abc-2' })));
    expect(id(row({ id: '0b8f5a3e-2c4d-4e6f-8a1b-3c5d7e9f1a2b' }))).toBe('0b8f5a3e-2c4d-4e6f-8a1b-3c5d7e9f1a2b');
  });

  it.each([
    ['REQUEST', 'yield', 'freeze_demand', undefined],
    ['REQUEST', undefined, 'demand', undefined],
    ['THREATEN', undefined, 'threat', undefined],
    ['CONCEDE', undefined, 'concession', undefined],
    ['AGREE', undefined, 'agreement', '019'],
    ['SUPPORT', undefined, 'statement', '051'],
    ['ACCUSE', undefined, 'statement', '111'],
    ['SANCTION', undefined, 'action', '160'],
  ])('maps %s (mode %s) to a %s coded %s', (category, mode, type, cameo) => {
    const mapped = toStanceBody(row({ category, mode }), context);
    expect(mapped).toMatchObject({ body: { type, ...(cameo ? { cameo } : {}) } });
  });

  it.each([
    [
      'REJECT',
      'REJECT is not imported: a rejection must name the proposal or demand it rejects (refersTo), which the row cannot',
    ],
    [
      'RETREAT',
      'RETREAT is not imported: a withdrawal must name the proposal, demand or threat it takes back (refersTo), which the row cannot',
    ],
    ['ASSAULT', 'ASSAULT is not a diplomatic position Stance records'],
  ])('reports %s with the reason', (category, message) => {
    expect(toStanceBody(row({ category }), context)).toEqual({ message });
  });

  it('reports unknown parties and a missing topic, and takes --topic for rows that name none', () => {
    expect(toStanceBody(row({ actor: 'Atlantis' }), context)).toEqual({
      message: 'actor "Atlantis" matches no party by slug, name or alias',
    });
    expect(toStanceBody(row({ recipients: ['Georgia'] }), context)).toEqual({
      message: 'recipient "Georgia" matches no party by slug, name or alias',
    });
    expect(toStanceBody(row({ topics: ['arctic'] }), context)).toEqual({
      message: 'names no topic the catalog knows: give one with --topic',
    });
    expect(toStanceBody(row({ topics: [] }), { ...context, topic: 'missile-defense-europe' })).toMatchObject({
      body: { topic: 'missile-defense-europe' },
    });
  });

  it("reads back what the export writes: each type's PLOVER category imports as a type of the same category", () => {
    for (const type of Object.keys(CODING) as Exclude<EventType, 'correction' | 'retraction' | 'report'>[])
      for (const code of codesFor(type)) {
        const plover = CODING[type].plover(code);
        const mode = type === 'freeze_demand' ? 'yield' : undefined;
        const mapped = plover ? toStanceBody(row({ category: plover, mode }), context) : undefined;
        if (!mapped || !('body' in mapped)) continue; // a category Stance does not import (reported, as tested above)
        const { type: imported, cameo } = mapped.body;
        const coding = codingFor(imported, cameo, { answersAnotherEvent: false, stance: 'supports' });
        expect({ type, code, plover: coding?.plover }).toEqual({ type, code, plover });
      }
  });
});
