import type { ItemStance, TopicState } from '../records/topic-state.js';
import {
  type CatalogItem,
  elementsToPosition,
  historyEnd,
  historyWindowStart,
  itemOrder,
  overallStance,
  sortByEvidence,
} from './position.js';
import { elementsOf, splitElementId, withEvidence } from './elements.js';
import { CATALOG, command, given, moscow, positionIn, story, TOPIC } from '../testing/fixtures.js';

const { gabala, opposes } = story;

describe('positionOf', () => {
  it('gives a party with no recorded position nothing: no catalog item it never engaged with', () => {
    expect(positionIn(given([gabala]).state, 'iran', CATALOG)).toEqual({
      party: 'iran',
      topic: TOPIC,
      stance: 'unknown',
      items: [],
      openProposals: [],
      responses: [],
      activeDemands: [],
      demandsOnParty: [],
      concessions: [],
      activeThreats: [],
      threatsAgainstParty: [],
      acts: [],
      reactions: [],
      reactionsToParty: [],
      closed: [],
      closedConcerningParty: [],
      lastChange: null,
      lastChangeAffecting: null,
    });
  });

  it('lists the items it engaged with in catalog order, then the others by slug, titled by the catalog, then the state', () => {
    const s = given([
      command('proposal', { id: 'zeta', payload: { item: 'zeta-plan', itemTitle: 'the zeta plan', terms: 'z' } }),
      command('proposal', {
        id: 'armavir',
        payload: { item: 'armavir-radar', itemTitle: 'a radar at Armavir', terms: 'a' },
      }),
      command('proposal', {
        id: 'site',
        actor: 'united-states',
        payload: { item: 'us-third-site', itemTitle: 'the third site as the state knows it', terms: 's' },
      }),
    ]);
    const russia = positionIn(s.state, 'russia', CATALOG);
    expect(russia.items.map((i) => [i.item, i.title, i.stance])).toEqual([
      ['armavir-radar', 'a radar at Armavir', 'proposer'],
      ['zeta-plan', 'the zeta plan', 'proposer'],
    ]);
    expect(positionIn(s.state, 'united-states', CATALOG).items.map((i) => [i.item, i.title])).toEqual([
      ['us-third-site', 'the US third site'],
    ]);
  });

  it('gives each known item stance its reason and evidence', () => {
    const [site] = positionIn(given([opposes]).state, 'russia', CATALOG).items;
    expect(site).toEqual({
      item: 'us-third-site',
      title: 'the US third site',
      stance: 'opposes',
      reason: 'it threatens Russian deterrence',
      since: '2007-06-01',
      evidence: expect.objectContaining({ eventId: 'opposes', type: 'statement', actor: 'russia' }),
    });
  });

  it('sums up a proposer who opposes another item as "mixed"', () => {
    expect(positionIn(moscow().state, 'russia', CATALOG).stance).toBe('mixed');
  });

  it('lists elements by when they occurred, not when they were recorded', () => {
    const s = given([
      command('threat', { id: 'later', occurred: '2007-08-01', reportedAt: '2007-08-02' }),
      command('threat', { id: 'earlier', occurred: '2007-06-01', reportedAt: '2007-09-01' }),
      command('threat', { id: 'vague', occurred: '2007-06', reportedAt: '2007-09-01' }),
    ]);
    expect(positionIn(s.state, 'russia', CATALOG).activeThreats.map((t) => t.eventId)).toEqual([
      'earlier',
      'vague',
      'later',
    ]);
  });

  it('gives the last change of the party', () => {
    expect(positionIn(moscow().state, 'russia', CATALOG).lastChange).toMatchObject({ eventId: 'freeze' });
  });
});

describe('overallStance', () => {
  it.each<[ItemStance[], string]>([
    [[], 'unknown'],
    [['unknown', 'withdrawn'], 'unknown'],
    [['neutral'], 'neutral'],
    [['neutral', 'unknown'], 'neutral'],
    [['proposer'], 'proposer'],
    [['proposer', 'proposer'], 'proposer'],
    [['proposer', 'opposes'], 'mixed'],
    [['proposer', 'supports', 'accepted'], 'supports'],
    [['opposes', 'rejected'], 'opposes'],
    [['rejected', 'rejected', 'unknown'], 'rejected'],
    [['conditional'], 'conditional'],
    [['conditional', 'supports'], 'mixed'],
    [['neutral', 'opposes'], 'opposes'],
    [['withdrawn', 'accepted'], 'accepted'],
    [['supports', 'rejected'], 'mixed'],
  ])('sums up %j as %s', (stances, expected) => {
    expect(overallStance(stances)).toBe(expected);
  });
});

describe('elementsOf and elementsToPosition', () => {
  it('closes a withdrawn proposal with the answers to it; the answering party keeps its stance on the item', () => {
    const answered = [
      gabala,
      command('rejection', {
        actor: 'united-states',
        refersTo: 'gabala',
        occurred: '2007-06-08',
        reportedAt: '2007-06-09',
      }),
    ];
    const keysOf = (state: TopicState) => [...elementsOf(state).keys()].map((id) => splitElementId(id).join(':'));
    expect(keysOf(given(answered).state)).toEqual(
      expect.arrayContaining(['russia:proposal:gabala', 'united-states:response:gabala']),
    );
    const withdrawn = keysOf(
      given([
        ...answered,
        command('withdrawal', { refersTo: 'gabala', occurred: '2007-06-09', reportedAt: '2007-06-10' }),
      ]).state,
    );
    expect(withdrawn).not.toContain('russia:proposal:gabala');
    expect(withdrawn).not.toContain('united-states:response:gabala');
    expect(withdrawn).toContain('united-states:item:azerbaijan-radar');
    expect(withdrawn).toEqual(expect.arrayContaining(['russia:closed:gabala', 'united-states:closed-on:gabala']));
  });

  it('puts a position back together from its elements in any order, as positionOf does', () => {
    const s = moscow();
    for (const party of s.state.parties) {
      const elements = [...elementsOf(s.state, party)].map(
        ([id, body]) => [splitElementId(id)[1], withEvidence(body, s.evidence)] as const,
      );
      const expected = positionIn(s.state, party, CATALOG);
      expect(elementsToPosition(party, TOPIC, new Map(elements), CATALOG, s.state.items)).toEqual(expected);
      expect(elementsToPosition(party, TOPIC, new Map([...elements].reverse()), CATALOG, s.state.items)).toEqual(
        expected,
      );
    }
  });

  it('agrees with positionOf at a date when elements come from the fold at that date', () => {
    const s = moscow();
    for (const at of ['2007-06-05', '2007-06-30', '2007-10-12', '2007-10-13']) {
      const state = s.stateOf(TOPIC, at);
      const elements = new Map(
        [...elementsOf(state, 'russia')].map(([id, body]) => [splitElementId(id)[1], withEvidence(body, s.evidence)]),
      );
      const { stance, ...rest } = positionIn(state, 'russia', CATALOG);
      expect(elementsToPosition('russia', TOPIC, elements, CATALOG)).toEqual({ stance, ...rest });
    }
  });

  it('titles items from the catalog first, then the state, then the slug', () => {
    const catalog: CatalogItem[] = [{ slug: 'a', title: 'A from the catalog' }];
    const elements = new Map<string, object>([
      ['item:a', { item: 'a', stance: 'supports', evidence: positionIn(given([opposes]).state, 'russia').lastChange! }],
      ['item:b', { item: 'b', stance: 'opposes', evidence: positionIn(given([opposes]).state, 'russia').lastChange! }],
      ['item:c', { item: 'c', stance: 'neutral', evidence: positionIn(given([opposes]).state, 'russia').lastChange! }],
    ]);
    const position = elementsToPosition('russia', TOPIC, elements, catalog, { b: { title: 'B from the state' } });
    expect(position.items.map((i) => i.title)).toEqual(['A from the catalog', 'B from the state', 'c']);
    expect(position.stance).toBe('mixed');
  });

  it('reads the topic stance back as the topic as a whole', () => {
    const s = given([command('statement', { actor: 'nato', targets: [], payload: { stance: 'neutral' } })]);
    const elements = new Map(
      [...elementsOf(s.state, 'nato')].map(([id, body]) => [splitElementId(id)[1], withEvidence(body, s.evidence)]),
    );
    expect(elementsToPosition('nato', TOPIC, elements, CATALOG).topicStance).toMatchObject({
      item: '*',
      title: 'the topic as a whole',
      stance: 'neutral',
    });
    expect(elementsToPosition('nato', TOPIC, elements, CATALOG).stance).toBe('neutral');
  });
});

describe('historyEnd (the history window, stored beside each element)', () => {
  const days = (from: string, n: number) =>
    Array.from({ length: n }, (_, i) =>
      new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
    );

  it('given a record closed on a day, then it is in the window of every `at` before historyEnd and of none from it on', () => {
    const s = moscow();
    const closed = [...elementsOf(s.state, 'russia')].find(([id]) => splitElementId(id)[1] === 'closed:threat')!;
    const [, body] = closed;
    const on = (body as { closed: { on: string } }).closed.on;
    for (const since of [on, '2006-02-28', '2007-02-27', '2007-02-28', '2008-02-29', '2007-03-01', '2007-12-31']) {
      const moved = { ...(body as object), closed: { ...(body as { closed: object }).closed, on: since } };
      const end = historyEnd('closed:threat', moved)!;
      for (const at of days(since, 800)) {
        const elements = new Map<string, object>([['closed:threat', withEvidence(moved, s.evidence)]]);
        const shown = elementsToPosition(
          'russia',
          TOPIC,
          elements,
          CATALOG,
          {},
          { historyFrom: historyWindowStart(at) },
        );
        expect({ since, at, shown: shown.closed.length === 1 }).toEqual({ since, at, shown: at < end });
      }
    }
  });

  it('given an element that is not history, then it has no end', () => {
    const s = moscow();
    for (const [id, body] of elementsOf(s.state, 'russia')) {
      const key = splitElementId(id)[1];
      if (!key.startsWith('closed') && !key.startsWith('was:')) expect(historyEnd(key, body)).toBeUndefined();
    }
  });
});

describe('closed records of one day (audit of 2026-12-07, finding 6)', () => {
  it('given a demand and a threat on a plan, when its end moots both on one day, then they are listed by their own place in time, whatever their ids', () => {
    const site = command('proposal', {
      id: 'site',
      actor: 'united-states',
      occurred: '2021-01-01',
      reportedAt: '2021-01-01',
      payload: { item: 'us-third-site', terms: 'the site' },
    });
    const record = (type: 'demand' | 'threat', id: string, day: string) =>
      command(type, {
        id,
        occurred: day,
        reportedAt: day,
        payload:
          type === 'demand'
            ? { item: 'us-third-site', demand: 'stop the site' }
            : { item: 'us-third-site', counterMeasure: 'aim missiles at the sites' },
      });
    const end = command('withdrawal', {
      id: 'end',
      actor: 'united-states',
      refersTo: 'site',
      occurred: '2021-01-10',
      reportedAt: '2021-01-10',
    });
    // "z-demand" was made first, "a-threat" (an id that sorts first) the day after.
    const { state } = given([
      site,
      record('demand', 'z-demand', '2021-01-03'),
      record('threat', 'a-threat', '2021-01-04'),
      end,
    ]);
    expect(positionIn(state, 'russia', CATALOG).closed.map((c) => c.eventId)).toEqual(['z-demand', 'a-threat']);
  });
});

describe('ordering helpers', () => {
  it('itemOrder puts catalog items first, then the others sorted once each', () => {
    expect(
      itemOrder(
        [
          { slug: 'z', title: 'Z' },
          { slug: 'a', title: 'A' },
        ],
        ['c', 'a', 'b', 'c'],
      ),
    ).toEqual(['z', 'a', 'b', 'c']);
  });

  it('sortByEvidence orders by the day it counts from (occurred end, or an earlier report), start, report, then event id', () => {
    const e = (eventId: string, from: string, to: string, reportedAt: string) => ({
      evidence: { eventId, occurred: { from, to }, reportedAt },
    });
    const list = [
      e('d', '2007-06-01', '2007-06-09', '2007-06-10'),
      // Dated June, reported on 3 June: it had happened by then, and counts from then.
      e('r', '2007-06-01', '2007-06-30', '2007-06-03T09:00:00.000Z'),
      e('c', '2007-06-05', '2007-06-07', '2007-06-08'),
      e('b', '2007-06-01', '2007-06-07', '2007-06-09'),
      e('a2', '2007-06-01', '2007-06-07', '2007-06-08'),
      e('a1', '2007-06-01', '2007-06-07', '2007-06-08'),
    ];
    expect(sortByEvidence(list as never[]).map((x: { evidence: { eventId: string } }) => x.evidence.eventId)).toEqual([
      'r',
      'a1',
      'a2',
      'b',
      'c',
      'd',
    ]);
  });
});
