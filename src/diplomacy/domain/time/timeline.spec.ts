import type { RecordedEvent } from '../events/events.js';
import { evidenceOf } from '../records/evolve.js';
import { positionOf } from '../positions/position.js';
import { CATALOG, command, given, story } from '../testing/fixtures.js';
import { compareOrder, lastPossibleDay, orderKey } from './order.js';
import {
  correctedUpTo,
  countsAt,
  type EffectiveLog,
  effectiveLog,
  evidenceIn,
  firstDifferentDay,
  foldTopic,
  possiblyInEffectAt,
  sideListsAt,
} from './timeline.js';

const { gabala, freeze, opposes, usThirdSite } = story;
const ids = (log: { events: readonly { event: { id: string } }[] }) => log.events.map((e) => e.event.id);
const END_OF = (day: string) => `${day}T23:59:59.999Z`;

describe('topic order', () => {
  const [base] = given([gabala]).events;
  const at = (from: string, to: string, reportedAt: string, position: number) =>
    ({ ...base, occurred: { from, to, precision: 'interval' }, reportedAt, position }) as RecordedEvent;
  const order = (...events: RecordedEvent[]) =>
    [...events].sort((a, b) => compareOrder(orderKey(a), orderKey(b))).map((e) => e.position);

  it('orders by the end of the occurred interval first', () => {
    expect(
      order(
        at('2007-06-01', '2007-06-08', '2007-06-08T00:00:00.000Z', 1),
        at('2007-06-05', '2007-06-07', '2007-06-09T00:00:00.000Z', 2),
      ),
    ).toEqual([2, 1]);
  });

  it('orders an event reported before its interval ended by its report day: it had happened by then', () => {
    // Given an event dated 1-30 June and reported on 3 June, and one dated 5 June
    const reported = at('2007-06-01', '2007-06-30', '2007-06-03T18:00:00.000Z', 1);
    const dated = at('2007-06-05', '2007-06-05', '2007-06-06T00:00:00.000Z', 2);
    // Then the first counts from 3 June (the UTC day of its report), before the second
    expect(orderKey(reported).countsFrom).toBe('2007-06-03');
    expect(order(dated, reported)).toEqual([1, 2]);
    // And its date stays as the source gave it
    expect(reported.occurred).toEqual({ from: '2007-06-01', to: '2007-06-30', precision: 'interval' });
  });

  it('takes the UTC day of the report, as knownAt compares it', () => {
    // 23:30 on 2 June in New York is 3 June in UTC (reportedAt is stored in UTC)
    expect(
      lastPossibleDay({ occurred: { from: '2007-06-01', to: '2007-06-30' }, reportedAt: '2007-06-03T03:30:00.000Z' }),
    ).toBe('2007-06-03');
    expect(
      lastPossibleDay({ occurred: { from: '2007-06-01', to: '2007-06-02' }, reportedAt: '2007-06-03T03:30:00.000Z' }),
    ).toBe('2007-06-02');
  });

  it('never counts an event before it began, though a report (of a log older than that rule) came first', () => {
    expect(lastPossibleDay({ occurred: { from: '2007-06-05', to: '2007-06-30' }, reportedAt: '2007-06-03' })).toBe(
      '2007-06-05',
    );
  });

  it('places an answer to a record reported before its month ended from that report, not from the month end', () => {
    // Given a proposal dated June 2007, reported on 10 June, and a rejection of it on 12 June
    const proposal = at('2007-06-01', '2007-06-30', '2007-06-10T00:00:00.000Z', 1);
    const rejection = {
      ...at('2007-06-12', '2007-06-12', '2007-06-13T00:00:00.000Z', 2),
      type: 'rejection',
      refersTo: proposal.id,
    } as RecordedEvent;
    // Then the rejection counts from its own day: the proposal counted from 10 June
    expect(orderKey(rejection, orderKey(proposal)).countsFrom).toBe('2007-06-12');
    // And one dated 5 June (before the report) still counts no earlier than the proposal
    const early = {
      ...rejection,
      occurred: { from: '2007-06-05', to: '2007-06-05', precision: 'day' },
    } as RecordedEvent;
    expect(orderKey(early, orderKey(proposal)).countsFrom).toBe('2007-06-10');
  });

  it('then by its start', () => {
    expect(
      order(
        at('2007-06-05', '2007-06-07', '2007-06-08T00:00:00.000Z', 1),
        at('2007-06-01', '2007-06-07', '2007-06-09T00:00:00.000Z', 2),
      ),
    ).toEqual([2, 1]);
  });

  it('then by the report', () => {
    expect(
      order(
        at('2007-06-07', '2007-06-07', '2007-06-09T00:00:00.000Z', 1),
        at('2007-06-07', '2007-06-07', '2007-06-08T12:00:00.000Z', 2),
      ),
    ).toEqual([2, 1]);
  });

  it('then by global position', () => {
    expect(
      order(
        at('2007-06-07', '2007-06-07', '2007-06-08T00:00:00.000Z', 9),
        at('2007-06-07', '2007-06-07', '2007-06-08T00:00:00.000Z', 3),
      ),
    ).toEqual([3, 9]);
  });

  it('is zero only for the same position', () => {
    const a = at('2007-06-07', '2007-06-07', '2007-06-08T00:00:00.000Z', 4);
    expect(compareOrder(orderKey(a), orderKey(a))).toBe(0);
  });
});

describe('countsAt and possiblyInEffectAt', () => {
  const effective = (event: RecordedEvent) => ({ event, key: orderKey(event) });
  const talks = effective(given([freeze]).events[0]); // Oct. 12-13

  it.each([
    ['2007-10-11', false, false],
    ['2007-10-12', false, true],
    ['2007-10-13', true, false],
    ['2007-10-20', true, false],
  ])('at %s an event of 12-13 October counts: %s, possibly in effect: %s', (at, counts, possibly) => {
    expect(countsAt(talks, at)).toBe(counts);
    expect(possiblyInEffectAt(talks, at)).toBe(possibly);
  });

  it('counts a one-day event from its day on, and never lists it as possibly in effect', () => {
    const offer = effective(given([gabala]).events[0]);
    expect(countsAt(offer, '2007-06-06')).toBe(false);
    expect(countsAt(offer, '2007-06-07')).toBe(true);
    expect(possiblyInEffectAt(offer, '2007-06-07')).toBe(false);
    expect(possiblyInEffectAt(offer, '2007-06-06')).toBe(false);
  });

  it('counts an answer dated inside the interval of what it answers from its own day, and what it answers with it', () => {
    // The US rejects, on 12 October, the freeze Russia demanded over 12-13 October: the freeze had
    // been demanded by the 12th, so both count from then (provenDays), the rejection after the freeze.
    const rejection = command('rejection', {
      id: 'no',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'freeze',
      occurred: '2007-10-12',
      reportedAt: '2007-10-31',
      payload: { reason: 'no' },
    });
    const s = given([gabala, freeze, rejection]);
    const log = effectiveLog(s.events).events;
    expect(ids({ events: log })).toEqual(['gabala', 'freeze', 'no']);
    const answer = log.find((e) => e.event.id === 'no')!;
    expect(answer.key.countsFrom).toBe('2007-10-12');
    expect(log.find((e) => e.event.id === 'freeze')!.key.countsFrom).toBe('2007-10-12');
    expect(countsAt(answer, '2007-10-11')).toBe(false);
    const state = foldTopic(s.state.topic, log, '2007-10-12');
    expect(state.demands.freeze.responses['united-states']).toMatchObject({ response: 'rejected' });
  });

  it('leaves an event out of the fold at a date inside its interval', () => {
    const s = given([gabala, freeze]);
    const log = effectiveLog(s.events).events;
    expect(foldTopic(s.state.topic, log, '2007-10-12').demands).toEqual({});
    expect(Object.keys(foldTopic(s.state.topic, log, '2007-10-13').demands)).toEqual(['freeze']);
  });
});

describe('an event counts from the earliest day it or an answer to it can have happened on (provenDays)', () => {
  // A proposal dated 1-10 June and reported on the 11th; a rejection of it dated 5 June, reported on the 6th.
  const plan = command('proposal', {
    id: 'plan',
    actor: 'united-states',
    targets: ['russia'],
    occurred: '2007-06-01/2007-06-10',
    reportedAt: '2007-06-11',
    payload: { item: 'us-third-site', terms: 'the site' },
  });
  const rejection = (overrides: { occurred: string; reportedAt: string }) =>
    command('rejection', {
      id: 'no',
      actor: 'russia',
      targets: ['united-states'],
      refersTo: 'plan',
      payload: { reason: 'no' },
      ...overrides,
    });
  const early = rejection({ occurred: '2007-06-05', reportedAt: '2007-06-06' });
  const countsFrom = (s: ReturnType<typeof given>, id: string, knownAt?: string) =>
    effectiveLog(s.events, knownAt).events.find((e) => e.event.id === id)?.key.countsFrom;

  it('given a proposal reported after its dates, when a rejection of it is reported on the 6th, then both count from the rejection’s day', () => {
    const s = given([plan, early]);
    expect(countsFrom(s, 'plan')).toBe('2007-06-05');
    expect(countsFrom(s, 'no')).toBe('2007-06-05');
    // On the 7th the rejection and what it rejected are both counted: the world knew of both.
    const state = s.stateOf(plan.topic, '2007-06-07');
    expect(state.proposals.plan).toMatchObject({ countsFrom: '2007-06-05' });
    expect(state.stances.russia['us-third-site']).toMatchObject({ stance: 'rejected', since: '2007-06-05' });
    // Before it, the proposal is possibly in effect, from the start of its dates.
    expect(
      sideListsAt(effectiveLog(s.events), 'united-states', '2007-06-04').possiblyInEffect.map((e) => e.eventId),
    ).toEqual(['plan']);
  });

  it('given a signing reported after the proposal’s dates, when an answer to the signing was reported earlier, then it moves the signing and the proposal with it', () => {
    // Russia signs the plan (dated in June, reported on the 9th); Poland welcomes the signing on the 4th.
    const s = given([
      plan,
      command('agreement', {
        id: 'signed',
        actor: 'russia',
        targets: ['united-states'],
        refersTo: 'plan',
        occurred: '2007-06',
        reportedAt: '2007-06-09',
      }),
      command('statement', {
        id: 'welcome',
        actor: 'poland',
        targets: ['russia'],
        refersTo: 'signed',
        occurred: '2007-06-04',
        reportedAt: '2007-06-04',
        payload: { stance: 'supports', reason: 'good news' },
      }),
    ]);
    expect(countsFrom(s, 'welcome')).toBe('2007-06-04');
    expect(countsFrom(s, 'signed')).toBe('2007-06-04');
    expect(countsFrom(s, 'plan')).toBe('2007-06-04');
    expect(s.stateOf(plan.topic, '2007-06-04').proposals.plan.closed).toMatchObject({
      status: 'accepted',
      on: '2007-06-04',
    });
  });

  it('given a proposal reported after its dates, when a rejection’s own last day comes after the proposal’s, then the proposal keeps its day', () => {
    // Dated in June and reported on the 12th: it proves only that the proposal had happened by the 12th.
    const s = given([plan, rejection({ occurred: '2007-06', reportedAt: '2007-06-12' })]);
    expect(countsFrom(s, 'plan')).toBe('2007-06-10');
    expect(countsFrom(s, 'no')).toBe('2007-06-12');
  });

  it('given a proposal moved earlier by its rejection, when the rejection is retracted, then the proposal counts from its own day again', () => {
    const s = given([
      plan,
      early,
      command('retraction', {
        id: 'un-no',
        actor: 'russia',
        refersTo: 'no',
        occurred: '2007-06-12',
        reportedAt: '2007-06-12',
        payload: { reason: 'misreported' },
      }),
    ]);
    expect(countsFrom(s, 'no')).toBeUndefined();
    expect(countsFrom(s, 'plan')).toBe('2007-06-10');
    expect(s.stateOf(plan.topic, '2007-06-07').proposals).toEqual({});
  });

  it('given a proposal moved earlier by its rejection, when asked as known before the rejection was reported, then the proposal keeps its own day', () => {
    // The rejection dated 5 June but reported on the 20th: as known on the 12th, only the proposal was.
    const s = given([plan, rejection({ occurred: '2007-06-05', reportedAt: '2007-06-20' })]);
    expect(countsFrom(s, 'no', END_OF('2007-06-12'))).toBeUndefined();
    expect(countsFrom(s, 'plan', END_OF('2007-06-12'))).toBe('2007-06-10');
    expect(effectiveLog(s.events, END_OF('2007-06-12')).events.map((e) => e.key.countsFrom)).toEqual(['2007-06-10']);
    // As known on the 20th, the rejection proves it had happened by the 5th.
    expect(countsFrom(s, 'plan', END_OF('2007-06-20'))).toBe('2007-06-05');
  });
});

describe('effectiveLog and foldTopic: late reports change the past', () => {
  // Poland's opposition on 5 June only came out in September, after the Gabala offer was recorded.
  const lateNews = command('statement', {
    id: 'late',
    actor: 'poland',
    targets: [],
    occurred: '2007-06-05',
    reportedAt: '2007-09-01',
    payload: { stance: 'conditional', item: 'us-third-site' },
  });

  it('puts an event that occurred early first in topic order, whenever it was recorded', () => {
    const s = given([gabala, lateNews]);
    expect(s.events.map((e) => e.id)).toEqual(['gabala', 'late']);
    expect(ids(effectiveLog(s.events))).toEqual(['late', 'gabala']);
  });

  it('counts it at a date before the events recorded earlier', () => {
    const s = given([gabala, lateNews]);
    const state = foldTopic(s.state.topic, effectiveLog(s.events).events, '2007-06-06');
    expect(state.stances.poland['us-third-site'].stance).toBe('conditional');
    expect(state.proposals).toEqual({});
  });

  it('does not count it for what was known before it was reported', () => {
    const s = given([gabala, lateNews]);
    const before = effectiveLog(s.events, END_OF('2007-08-31'));
    expect(ids(before)).toEqual(['gabala']);
    expect(foldTopic(s.state.topic, before.events, '2007-06-30').stances.poland).toBeUndefined();
    expect(ids(effectiveLog(s.events, END_OF('2007-09-01')))).toEqual(['late', 'gabala']);
  });

  it('counts a report made at the very instant asked about', () => {
    const s = given([gabala, lateNews]);
    expect(ids(effectiveLog(s.events, '2007-09-01T00:00:00.000Z'))).toEqual(['late', 'gabala']);
    expect(ids(effectiveLog(s.events, '2007-08-31T23:59:59.999Z'))).toEqual(['gabala']);
  });

  it('stops the fold at the first event that does not count yet', () => {
    const s = given([usThirdSite, gabala, freeze]);
    const state = foldTopic(s.state.topic, effectiveLog(s.events).events, '2007-06-07');
    expect(Object.keys(state.proposals).sort()).toEqual(['gabala', 'us-site']);
    expect(state.demands).toEqual({});
  });
});

describe('effectiveLog: retractions', () => {
  const rejection = command('rejection', {
    id: 'no',
    actor: 'united-states',
    refersTo: 'gabala',
    occurred: '2007-06-08',
    reportedAt: '2007-06-09',
  });
  const retraction = command('retraction', {
    id: 'gone',
    refersTo: 'gabala',
    occurred: '2007-07-01',
    reportedAt: '2007-07-01',
    payload: { reason: 'Putin made no such offer' },
  });

  it('counts the record as long as the retraction was not yet reported', () => {
    const s = given([gabala, rejection, retraction]);
    const log = effectiveLog(s.events, END_OF('2007-06-30'));
    expect(ids(log)).toEqual(['gabala', 'no']);
    expect(log.retracted).toEqual([]);
    const state = foldTopic(s.state.topic, log.events);
    expect(positionOf(state, 'russia', evidenceIn(log.events), CATALOG).openProposals.map((p) => p.eventId)).toEqual([
      'gabala',
    ]);
  });

  it('drops the record once the retraction is reported, and lists it as retracted', () => {
    const s = given([gabala, rejection, retraction]);
    for (const log of [effectiveLog(s.events, END_OF('2007-07-01')), effectiveLog(s.events)]) {
      expect(ids(log)).toEqual(['no']);
      expect(log.retracted).toEqual([
        { evidence: evidenceOf(s.events[0]), retraction: evidenceOf(s.events[2]), reason: 'Putin made no such offer' },
      ]);
    }
    const state = foldTopic(s.state.topic, effectiveLog(s.events).events);
    expect(positionOf(state, 'russia', s.evidence, CATALOG).openProposals).toEqual([]);
    expect(state.items).toEqual({});
  });

  it('never lists the retraction itself among the events', () => {
    const s = given([gabala, retraction]);
    expect(effectiveLog(s.events).events).toEqual([]);
  });

  it("keeps an answer to the retracted record in its author's position, with what it answered, from the day it counts", () => {
    const s = given([gabala, rejection, retraction]);
    const log = effectiveLog(s.events);
    const answer = {
      evidence: evidenceOf(s.events[1]),
      answers: evidenceOf(s.events[0]),
      retraction: evidenceOf(s.events[2]),
    };
    expect(sideListsAt(log, 'united-states', '2007-06-08').answersToRetracted).toEqual([answer]);
    expect(sideListsAt(log, 'united-states', '2007-06-07').answersToRetracted).toEqual([]); // it did not count yet
    expect(sideListsAt(log, 'russia', '2007-06-08').answersToRetracted).toEqual([]); // only its author's
    // Not known to be retracted yet: it answers the record, as any answer.
    expect(effectiveLog(s.events, END_OF('2007-06-30')).answersToRetracted).toEqual([]);
  });

  it('lists a retracted record from the day it began, never at an earlier date', () => {
    const s = given([gabala, rejection, retraction]);
    const log = effectiveLog(s.events);
    expect(sideListsAt(log, 'russia', '2007-06-06').retracted).toEqual([]);
    expect(sideListsAt(log, 'russia', '2007-06-07').retracted.map((r) => r.evidence.eventId)).toEqual(['gabala']);
    expect(sideListsAt(log, 'united-states', '2007-06-07').retracted).toEqual([]); // its author's list
  });
});

describe('effectiveLog: an answer to a record not known yet', () => {
  // Russia's offer, dated 7 June, reported only on 20 June; the United States' rejection of it,
  // dated 8 June, reported on 9 June.
  const offer = { ...gabala, reportedAt: '2007-06-20' };
  const rejection = command('rejection', {
    id: 'no',
    actor: 'united-states',
    targets: ['russia'],
    refersTo: 'gabala',
    occurred: '2007-06-08',
    reportedAt: '2007-06-09',
  });
  const beforeTheOffer = END_OF('2007-06-10');
  const possibly = (log: EffectiveLog, party: string, at: string) =>
    sideListsAt(log, party, at).possiblyInEffect.map((e) => e.eventId);

  it('given the rejection known before the offer, when known in between, then it is not counted: what it answers was not public', () => {
    const s = given([offer, rejection]);
    const log = effectiveLog(s.events, beforeTheOffer);
    expect(ids(log)).toEqual([]);
    const state = foldTopic(s.state.topic, log.events, '2007-06-21');
    expect(positionOf(state, 'united-states', evidenceIn(log.events), CATALOG).lastChange).toBeNull();
  });

  it('then it is listed as possibly in effect for the parties it involves, from the day it began, never dropped', () => {
    const s = given([offer, rejection]);
    const log = effectiveLog(s.events, beforeTheOffer);
    expect(possibly(log, 'united-states', '2007-06-21')).toEqual(['no']);
    expect(possibly(log, 'united-states', '2007-06-08')).toEqual(['no']);
    expect(possibly(log, 'russia', '2007-06-21')).toEqual(['no']);
    expect(possibly(log, 'united-states', '2007-06-07')).toEqual([]); // it had not begun
    expect(sideListsAt(log, 'united-states', '2007-06-21').possiblyInEffect).toEqual([evidenceOf(s.events[1])]);
  });

  it('then, known once the offer was reported, it counts as any answer, and is no longer listed', () => {
    const s = given([offer, rejection]);
    for (const log of [effectiveLog(s.events, END_OF('2007-06-20')), effectiveLog(s.events)]) {
      expect(ids(log)).toEqual(['gabala', 'no']);
      expect(log.awaitingTarget).toEqual([]);
      expect(possibly(log, 'united-states', '2007-06-21')).toEqual([]);
    }
  });

  it('given an answer to such an answer, then it waits too', () => {
    // Russia withdraws its offer (known on 9 June, before the offer); the United States welcomes that.
    const withdrawal = command('withdrawal', {
      id: 'drop',
      actor: 'russia',
      refersTo: 'gabala',
      occurred: '2007-06-08',
      reportedAt: '2007-06-09',
    });
    const welcome = command('statement', {
      id: 'welcome',
      actor: 'united-states',
      refersTo: 'drop',
      occurred: '2007-06-09',
      reportedAt: '2007-06-10',
      payload: { stance: 'supports' },
    });
    const s = given([offer, withdrawal, welcome]);
    const log = effectiveLog(s.events, beforeTheOffer);
    expect(ids(log)).toEqual([]);
    expect(log.awaitingTarget.map(({ event }) => event.id)).toEqual(['drop', 'welcome']);
    expect(possibly(log, 'russia', '2007-06-21')).toEqual(['drop', 'welcome']);
    expect(ids(effectiveLog(s.events, END_OF('2007-06-20')))).toEqual(['gabala', 'drop', 'welcome']);
  });

  it('given an answer passed without its target (a caller reading one event), then it is not held back', () => {
    const s = given([offer, rejection]);
    expect(ids(effectiveLog([s.events[1]], beforeTheOffer))).toEqual(['no']);
  });
});

describe('effectiveLog: corrections count from their own report', () => {
  const correction = command('correction', {
    id: 'fix',
    refersTo: 'opposes',
    occurred: '2007-07-01',
    reportedAt: '2007-07-01',
    payload: {
      reason: 'Russia set a condition; it said so on 30 May',
      changes: {
        occurred: '2007-05-30',
        summary: 'Russia would accept the site with Russian officers there.',
        payload: { stance: 'conditional' },
      },
    },
  });

  it('leaves the original as it was before the correction was reported', () => {
    const s = given([opposes, correction]);
    const log = effectiveLog(s.events, END_OF('2007-06-30'));
    expect(log.events).toHaveLength(1);
    const [{ event, correctedBy }] = log.events;
    expect(correctedBy).toBeUndefined();
    expect(event.summary).toBe('A statement about missile defense in Europe.');
    expect(event.occurred).toEqual({ from: '2007-06-01', to: '2007-06-01', precision: 'day' });
    const state = foldTopic(s.state.topic, log.events);
    expect(state.stances.russia['us-third-site']).toMatchObject({ stance: 'opposes' });
    expect(state.stances.russia['us-third-site'].evidence).toBe('opposes');
  });

  it('applies it from its report on, marking the evidence with the correction', () => {
    const s = given([opposes, correction]);
    const log = effectiveLog(s.events, END_OF('2007-07-01'));
    const [{ event, correctedBy }] = log.events;
    expect(correctedBy).toBe('fix');
    expect(event.id).toBe('opposes');
    expect(event.summary).toBe('Russia would accept the site with Russian officers there.');
    expect(event.occurred).toEqual({ from: '2007-05-30', to: '2007-05-30', precision: 'day' });
    const state = foldTopic(s.state.topic, log.events, '2007-05-31');
    expect(state.stances.russia['us-third-site']).toMatchObject({ stance: 'conditional', evidence: 'opposes+fix' });
  });

  it('applies several corrections in the order they were recorded', () => {
    const second = command('correction', {
      id: 'fix-2',
      refersTo: 'opposes',
      occurred: '2007-07-02',
      reportedAt: '2007-07-02',
      payload: { reason: 'r', changes: { summary: 'Second summary.' } },
    });
    const s = given([opposes, correction, second]);
    const [{ event, correctedBy }] = effectiveLog(s.events).events;
    expect(correctedBy).toBe('fix-2');
    expect(event.summary).toBe('Second summary.');
    expect(event.payload).toMatchObject({ stance: 'conditional' });
    expect(event.occurred.from).toBe('2007-05-30');
  });

  it('correctedUpTo gives what effectiveLog gives for a reference to any of the corrections, in whatever order they come', () => {
    const second = command('correction', {
      id: 'fix-2',
      refersTo: 'opposes',
      occurred: '2007-07-02',
      reportedAt: '2007-07-02',
      payload: { reason: 'r', changes: { summary: 'Second summary.' } },
    });
    const s = given([opposes, correction, second]);
    const [original, fix, fix2] = s.events;
    expect(correctedUpTo(original, [fix2, fix], 'fix-2')).toEqual(effectiveLog(s.events).events[0].event);
    expect(correctedUpTo(original, [fix2, fix], 'fix')).toEqual(
      effectiveLog(s.events, END_OF('2007-07-01')).events[0].event,
    );
    expect(() => correctedUpTo(original, [fix], 'fix-2')).toThrow(/fix-2/);
  });

  it('moves a corrected record in topic order', () => {
    const s = given([
      usThirdSite,
      gabala,
      command('correction', {
        refersTo: 'gabala',
        occurred: '2007-06-10',
        reportedAt: '2007-06-10',
        payload: { reason: 'r', changes: { occurred: '2007-01-01' } },
      }),
    ]);
    expect(ids(effectiveLog(s.events))).toEqual(['gabala', 'us-site']);
    expect(ids(effectiveLog(s.events, END_OF('2007-06-09')))).toEqual(['us-site', 'gabala']);
  });

  it('lists a corrected record that is then retracted with its corrected evidence', () => {
    const s = given([
      opposes,
      correction,
      command('retraction', { id: 'gone', refersTo: 'opposes', occurred: '2007-07-05', reportedAt: '2007-07-05' }),
    ]);
    const log = effectiveLog(s.events);
    expect(log.events).toEqual([]);
    expect(log.retracted).toEqual([
      expect.objectContaining({
        evidence: expect.objectContaining({
          eventId: 'opposes',
          correctedBy: 'fix',
          summary: 'Russia would accept the site with Russian officers there.',
        }),
      }),
    ]);
    // What a replay shows of it: the event as corrected, with its retraction, beside its entry.
    expect(log.retractedEvents).toEqual([
      {
        event: expect.objectContaining({
          id: 'opposes',
          summary: 'Russia would accept the site with Russian officers there.',
        }),
        correctedBy: 'fix',
        retraction: expect.objectContaining({ id: 'gone' }),
        record: log.retracted[0],
      },
    ]);
  });
});

describe('firstDifferentDay (where a refold starts rewriting rows)', () => {
  const [base] = given([gabala]).events;
  const on = (day: string, position: number, id = `e${position}`) =>
    ({
      ...base,
      id,
      occurred: { from: day, to: day, precision: 'day' },
      reportedAt: `${day}T12:00:00.000Z`,
      position,
    }) as RecordedEvent;
  const log = (...events: RecordedEvent[]) => effectiveLog(events).events;

  it('is the day of a late event, not the day it was reported', () => {
    const known = [on('2007-06-01', 1), on('2007-06-09', 2)];
    expect(firstDifferentDay(log(...known), log(...known, on('2007-06-05', 3)))).toBe('2007-06-05');
  });

  it('is the earlier of the two days when an event moved', () => {
    const moved = {
      ...on('2007-06-09', 2),
      occurred: { from: '2007-06-03', to: '2007-06-03', precision: 'day' },
    } as RecordedEvent;
    expect(firstDifferentDay(log(on('2007-06-01', 1), on('2007-06-09', 2)), log(on('2007-06-01', 1), moved))).toBe(
      '2007-06-03',
    );
  });

  it('is the day of an event that is gone (retracted)', () => {
    expect(firstDifferentDay(log(on('2007-06-01', 1), on('2007-06-09', 2)), log(on('2007-06-01', 1)))).toBe(
      '2007-06-09',
    );
  });

  it('is "infinity" when nothing differs', () => {
    expect(firstDifferentDay(log(on('2007-06-01', 1)), log(on('2007-06-01', 1)))).toBe('infinity');
  });
});
