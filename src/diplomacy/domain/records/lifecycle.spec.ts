import { summarize } from '../summary/summary.js';
import { CATALOG, command, fieldsOf, given, NAMES, positionIn, problemOf, story, TOPIC } from '../testing/fixtures.js';
import { statusOf } from './topic-state.js';
import { decide, mayCountBefore, needsLog } from './decide.js';
import { effectiveLog } from '../time/timeline.js';
import { changesBetween } from '../positions/changes.js';

/**
 * Records and their lifecycle (DESIGN section 4; docs/architecture.md, "Records and their
 * lifecycle"): each rule as given events / when an event / then the records' status, with the
 * event that set it.
 */
const { usThirdSite, gabala, freeze, threat } = story;

const at = (day: string) => ({ occurred: day, reportedAt: day });

describe('lifecycle: restatements supersede', () => {
  const kennebunkport = command('proposal', {
    id: 'kennebunkport',
    targets: ['united-states'],
    ...at('2007-07-02'),
    payload: { item: 'azerbaijan-radar', terms: 'a joint early-warning system' },
  });

  it('given an open proposal, when its author proposes on the same item again, then the first is superseded by the second', () => {
    const { state } = given([gabala, kennebunkport]);
    expect(state.proposals.gabala.closed).toMatchObject({ status: 'superseded', by: 'kennebunkport' });
    expect(state.proposals.kennebunkport.restates).toEqual([
      { evidence: 'gabala', what: 'joint use of the Gabala radar' },
    ]);
    const russia = positionIn(state, 'russia', CATALOG);
    expect(russia.openProposals.map((p) => p.eventId)).toEqual(['kennebunkport']);
    expect(russia.closed.map((c) => [c.eventId, c.status])).toEqual([['gabala', 'superseded']]);
  });

  it('given a restated proposal, when its author withdraws the first one, then the restatement in its place is withdrawn', () => {
    const { state } = given([
      gabala,
      kennebunkport,
      command('withdrawal', { id: 'drop', refersTo: 'gabala', ...at('2007-08-01') }),
    ]);
    expect(state.proposals.kennebunkport.closed).toMatchObject({ status: 'withdrawn', by: 'drop' });
  });

  it('given a demand, when its author makes the same demand of the same parties again, then the first is superseded', () => {
    const again = command('freeze_demand', {
      id: 'again',
      targets: ['united-states'],
      ...at('2007-10-14'),
      payload: { item: 'us-third-site', action: 'the deployment of the third site' },
    });
    const { state } = given([freeze, again]);
    expect(state.demands.freeze.closed).toMatchObject({ status: 'superseded', by: 'again' });
    expect(positionIn(state, 'russia', CATALOG).activeDemands.map((d) => d.eventId)).toEqual(['again']);
  });

  it('given a demand made three times, then the standing one names both it restates, oldest first', () => {
    const demand = (id: string, day: string) =>
      command('freeze_demand', {
        id,
        targets: ['united-states'],
        ...at(day),
        payload: { item: 'us-third-site', action: 'the deployment of the third site' },
      });
    const { state } = given([freeze, demand('again', '2007-10-14'), demand('thrice', '2007-10-20')]);
    expect(state.demands.thrice.restates?.map((r) => r.evidence)).toEqual(['freeze', 'again']);
  });
});

describe('lifecycle: answers close demands and proposals', () => {
  const refuse = command('rejection', {
    id: 'refuse',
    actor: 'united-states',
    targets: ['russia'],
    refersTo: 'freeze',
    ...at('2007-10-14'),
  });

  it('given a refused demand, when the target concedes later, then the demand is met', () => {
    const { state } = given([
      freeze,
      refuse,
      command('concession', { id: 'delay', actor: 'united-states', refersTo: 'freeze', ...at('2007-11-01') }),
    ]);
    expect(state.demands.freeze.closed).toMatchObject({ status: 'met', by: 'delay', party: 'united-states' });
  });

  it('given a proposal made to two parties, when one signs, then it is still open; when both have, it is accepted', () => {
    const toBoth = command('proposal', {
      id: 'site',
      actor: 'united-states',
      targets: ['poland', 'czech-republic'],
      ...at('2007-01-22'),
      payload: { item: 'us-third-site', terms: 'interceptors and a radar' },
    });
    const czech = command('agreement', {
      id: 'prague',
      actor: 'czech-republic',
      refersTo: 'site',
      ...at('2008-04-03'),
    });
    const czechChangesItsTone = command('statement', {
      id: 'doubts',
      actor: 'czech-republic',
      ...at('2008-05-01'),
      payload: { item: 'us-third-site', stance: 'conditional', reason: 'parliament must ratify' },
    });
    const poland = command('agreement', { id: 'warsaw', actor: 'poland', refersTo: 'site', ...at('2008-08-20') });
    expect(statusOf('proposal', given([toBoth, czech]).state.proposals.site)).toBe('open');
    // A later statement changes the Czech answer, not its signature.
    const { state } = given([toBoth, czech, czechChangesItsTone, poland]);
    expect(state.proposals.site.closed).toMatchObject({ status: 'accepted', by: 'warsaw' });
    expect(state.proposals.site.agreedBy).toEqual(['czech-republic', 'poland']);
  });

  it('given an open proposal, when its author concedes on it, then it is closed as conceded and the author no longer offers it', () => {
    const { state } = given([
      gabala,
      command('concession', { id: 'back-down', refersTo: 'gabala', ...at('2007-06-20') }),
    ]);
    expect(state.proposals.gabala.closed).toMatchObject({ status: 'conceded', by: 'back-down' });
    const russia = positionIn(state, 'russia', CATALOG);
    expect(russia.openProposals).toEqual([]);
    expect(russia.items.find((i) => i.item === 'azerbaijan-radar')?.stance).toBe('withdrawn');
    expect(russia.concessions).toEqual([
      expect.objectContaining({
        eventId: 'back-down',
        backsDownOn: expect.objectContaining({ event: 'gabala', by: 'russia' }),
      }),
    ]);
  });
});

/** The US offer of observers at its sites (a sub-item of the third site), and the end of the plan on 17 September 2009. */
const observers = command('proposal', {
  id: 'observers',
  actor: 'united-states',
  targets: ['russia'],
  ...at('2007-10-13'),
  payload: {
    item: 'site-observers',
    itemTitle: 'Russian observers at the sites',
    itemParent: 'us-third-site',
    terms: 'observers at the sites',
  },
});
const dropSite = command('withdrawal', {
  id: 'drop-site',
  actor: 'united-states',
  refersTo: 'us-site',
  ...at('2009-09-17'),
});

describe('lifecycle: an ended item moots what depends on it', () => {
  const retarget = command('threat', {
    id: 'retarget',
    targets: ['poland'],
    ...at('2007-10-20'),
    payload: { item: 'us-third-site', counterMeasure: 'aim missiles at the sites' },
  });

  it('given demands, threats and sub-items on an item, when its proposer withdraws its last proposal of it, then they are all moot from that day', () => {
    const { state } = given([usThirdSite, freeze, observers, retarget, dropSite]);
    const moot = { status: 'moot', by: 'drop-site', on: '2009-09-17', party: 'united-states' };
    expect(state.proposals['us-site'].closed).toMatchObject({ status: 'withdrawn' });
    expect(state.demands.freeze.closed).toEqual(moot);
    expect(state.threats.retarget.closed).toEqual(moot);
    expect(state.proposals.observers.closed).toEqual(moot); // a sub-item of the third site
    expect(state.items['us-third-site'].ended).toMatchObject({ by: 'drop-site' });
  });

  it('given its own offer on a sub-item, when the proposer ends the plan, then it no longer reads as proposing the sub-item', () => {
    const { state } = given([usThirdSite, observers, dropSite]);
    const us = positionIn(state, 'united-states', CATALOG);
    expect(us.openProposals).toEqual([]);
    expect(us.items.find((i) => i.item === 'site-observers')).toMatchObject({
      stance: 'withdrawn',
      since: '2009-09-17',
      evidence: expect.objectContaining({ eventId: 'drop-site' }),
    });
  });

  it('given a refused demand on the item, when the item ends, then the demand is moot too', () => {
    const refuse = command('rejection', {
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'freeze',
      ...at('2007-10-14'),
    });
    const { state } = given([usThirdSite, freeze, refuse, dropSite]);
    expect(state.demands.freeze.closed).toMatchObject({ status: 'moot', by: 'drop-site' });
  });

  it("given a threat made moot by the end of its item, when its author's withdrawal reported earlier counts after that, then the withdrawal stays listed after the closure", () => {
    // Russia withdrew the threat (reported on 2009-09-20) over a period that the US withdrawal of
    // the site (reported later, on 2009-09-25, but over earlier days) overtook in topic order.
    const dropThreat = command('withdrawal', {
      id: 'drop-threat',
      refersTo: 'retarget',
      occurred: '2009-09-17/2009-09-19',
      reportedAt: '2009-09-20',
    });
    const lateDropSite = command('withdrawal', {
      id: 'drop-site',
      actor: 'united-states',
      refersTo: 'us-site',
      occurred: '2009-09-15/2009-09-19',
      reportedAt: '2009-09-25',
    });
    const { state } = given([usThirdSite, retarget, dropThreat, lateDropSite]);
    expect(state.threats.retarget.closed).toMatchObject({ status: 'moot', by: 'drop-site' });
    expect(state.threats.retarget.laterWithdrawals).toEqual([
      { status: 'withdrawn', by: 'drop-threat', on: '2009-09-19', party: 'russia' },
    ]);
    const [closed] = positionIn(state, 'russia', CATALOG).closed;
    expect(closed.withdrawnLater?.map((w) => w.evidence.eventId)).toEqual(['drop-threat']);
  });

  it('given a proposal on a sub-item, when a proposal names an unknown parent, then decide refuses it naming the field', () => {
    expect(() =>
      given([
        command('proposal', {
          actor: 'united-states',
          payload: { item: 'x', itemTitle: 'X', itemParent: 'no-such-item', terms: 't' },
        }),
      ]),
    ).toThrow(/payload\.itemParent/);
  });
});

describe('lifecycle: reactions to decisions (a stance toward a decision is not a stance on its item)', () => {
  const dropSite = command('withdrawal', {
    id: 'drop-site',
    actor: 'united-states',
    refersTo: 'us-site',
    ...at('2009-09-17'),
    payload: { reason: 'a phased adaptive approach instead' },
  });
  const russiaOpposes = command('statement', { id: 'opposes', ...at('2007-06-01') });
  const welcome = command('statement', {
    id: 'welcome',
    actor: 'russia',
    refersTo: 'drop-site',
    ...at('2009-09-17'),
    payload: { stance: 'supports', reason: 'a step in the right direction' },
  });

  it('given a withdrawal, when another party welcomes it, then that party shows a welcomed reaction and keeps its stance on the item', () => {
    const s = given([usThirdSite, russiaOpposes, dropSite, welcome]);
    const [recorded] = s.events.filter((e) => e.id === 'welcome');
    // The decision's author is a target, and support of another's decision is coded as praise.
    expect(recorded.targets).toEqual(['united-states']);
    expect(recorded.cameo).toMatchObject({ code: '051', plover: 'SUPPORT' });
    const russia = positionIn(s.state, 'russia', CATALOG);
    expect(russia.reactions).toEqual([
      expect.objectContaining({
        eventId: 'welcome',
        by: 'russia',
        reaction: 'welcomed',
        reason: 'a step in the right direction',
        to: expect.objectContaining({
          event: 'drop-site',
          decision: 'withdrawal',
          by: 'united-states',
          item: 'us-third-site',
        }),
        concerns: ['united-states'],
      }),
    ]);
    expect(russia.items.find((i) => i.item === 'us-third-site')?.stance).toBe('opposes');
    const us = positionIn(s.state, 'united-states', CATALOG);
    expect(us.reactionsToParty.map((r) => [r.eventId, r.reaction])).toEqual([['welcome', 'welcomed']]);
    expect(us.lastChangeAffecting?.eventId).toBe('welcome');
    expect(summarize(russia, '2009-09-20', NAMES)).toContain(
      'welcomed the withdrawal by the United States of the US third site on 17 September 2009',
    );
  });

  it('given an action, when another party condemns it or rejects it, then each is a reaction of that kind (CAMEO 111, 120)', () => {
    const suspend = command('action', { id: 'suspend', actor: 'russia', targets: ['nato'], ...at('2007-12-12') });
    const condemn = command('statement', {
      id: 'condemn',
      actor: 'united-states',
      refersTo: 'suspend',
      ...at('2007-12-12'),
      payload: { stance: 'opposes' },
    });
    const reject = command('rejection', { id: 'reject', actor: 'nato', refersTo: 'suspend', ...at('2007-12-13') });
    const s = given([suspend, condemn, reject]);
    expect(s.events.find((e) => e.id === 'condemn')?.cameo?.code).toBe('111');
    expect(s.events.find((e) => e.id === 'reject')?.cameo?.code).toBe('120');
    expect(positionIn(s.state, 'united-states', CATALOG).reactions.map((r) => r.reaction)).toEqual(['condemned']);
    expect(positionIn(s.state, 'nato', CATALOG).reactions.map((r) => r.reaction)).toEqual(['rejected']);
    expect(positionIn(s.state, 'russia', CATALOG).reactionsToParty.map((r) => r.eventId)).toEqual([
      'condemn',
      'reject',
    ]);
  });

  it('given a threat, when its target rejects it, then the threat stays active and the rejection is a reaction to it', () => {
    const reject = command('rejection', { id: 'dismiss', actor: 'poland', refersTo: 'threat', ...at('2007-06-05') });
    const s = given([story.threat, reject]);
    expect(statusOf('threat', s.state.threats.threat)).toBe('active');
    expect(positionIn(s.state, 'poland', CATALOG).reactions[0]).toMatchObject({
      reaction: 'rejected',
      to: { decision: 'threat', by: 'russia' },
    });
  });

  it('given an agreement between two parties, when a third agrees to it, then it shows the act and an agreed reaction, and both signers see it', () => {
    const treaty = command('agreement', {
      id: 'treaty',
      actor: 'united-states',
      ...at('2008-07-08'),
      payload: { terms: 'a radar in the Czech Republic', parties: ['czech-republic'] },
    });
    const join = command('agreement', { id: 'join', actor: 'poland', refersTo: 'treaty', ...at('2008-08-20') });
    const s = given([treaty, join]);
    expect(s.events.find((e) => e.id === 'join')?.targets).toEqual(['united-states', 'czech-republic']);
    const poland = positionIn(s.state, 'poland', CATALOG);
    expect(poland.acts.map((a) => a.eventId)).toEqual(['join']);
    expect(poland.reactions.map((r) => [r.reaction, r.to.decision])).toEqual([['agreed', 'agreement']]);
    for (const party of ['united-states', 'czech-republic'])
      expect(positionIn(s.state, party, CATALOG).reactionsToParty.map((r) => r.eventId)).toEqual(['join']);
  });

  it('given a proposal, when another party states a stance on it by refersTo, then it answers that proposal and sets its stance on the item', () => {
    const conditional = command('statement', {
      id: 'cond',
      actor: 'czech-republic',
      refersTo: 'us-site',
      ...at('2007-03-01'),
      payload: { stance: 'conditional', reason: 'parliament must approve' },
    });
    const s = given([usThirdSite, conditional]);
    expect(s.state.proposals['us-site'].responses['czech-republic']).toMatchObject({
      response: 'conditional',
      evidence: 'cond',
    });
    const czech = positionIn(s.state, 'czech-republic', CATALOG);
    expect(czech.items.find((i) => i.item === 'us-third-site')?.stance).toBe('conditional');
    expect(czech.reactions).toEqual([]);
  });

  it('refuses a statement that answers its own event, and one whose item is not the proposal it answers', () => {
    const own = problemOf(() =>
      given([usThirdSite, dropSite]).when(
        command('statement', { actor: 'united-states', refersTo: 'drop-site', ...at('2009-09-18') }),
      ),
    );
    expect(fieldsOf(own)).toEqual(['refersTo']);
    expect(own.message).toContain("a statement answers another party's event");
    const wrongItem = problemOf(() =>
      given([usThirdSite]).when(
        command('statement', {
          refersTo: 'us-site',
          ...at('2007-03-01'),
          payload: { item: 'azerbaijan-radar', stance: 'opposes' },
        }),
      ),
    );
    expect(fieldsOf(wrongItem)).toEqual(['payload.item']);
  });

  it('given a decision, when a reaction is dated inside its interval, then both count from the reaction’s day', () => {
    const vague = command('action', { id: 'vague', actor: 'russia', occurred: '2007-12', reportedAt: '2008-01-02' });
    const early = command('statement', {
      id: 'early',
      actor: 'united-states',
      refersTo: 'vague',
      occurred: '2007-12-10',
      reportedAt: '2007-12-11',
      payload: { stance: 'opposes' },
    });
    const s = given([vague, early]);
    expect(positionIn(s.stateOf(TOPIC, '2007-12-09'), 'united-states', CATALOG).reactions).toEqual([]);
    expect(positionIn(s.stateOf(TOPIC, '2007-12-10'), 'united-states', CATALOG).reactions).toHaveLength(1);
  });
});

describe('lifecycle: a reaction to a retracted decision', () => {
  it('given a welcomed withdrawal, when the withdrawal is retracted, then the welcome shows nowhere and sets no stance', () => {
    const s = given([
      usThirdSite,
      command('statement', { id: 'opposes', ...at('2007-06-01') }),
      command('withdrawal', { id: 'drop', actor: 'united-states', refersTo: 'us-site', ...at('2009-09-17') }),
      command('statement', {
        id: 'welcome',
        refersTo: 'drop',
        ...at('2009-09-18'),
        payload: { item: 'us-third-site', stance: 'supports' },
      }),
      command('retraction', { actor: 'united-states', refersTo: 'drop', ...at('2009-09-20') }),
    ]);
    const russia = positionIn(s.state, 'russia', CATALOG);
    expect(russia.reactions).toEqual([]);
    expect(russia.items.find((i) => i.item === 'us-third-site')?.stance).toBe('opposes');
  });
});

describe('lifecycle: signings (audit of 2026-12-07)', () => {
  const draft = (id: string, day: string, terms: string) =>
    command('proposal', {
      id,
      actor: 'united-states',
      targets: ['poland'],
      ...at(day),
      payload: { item: 'us-third-site', terms },
    });
  const sign = (refersTo: string, day: string) =>
    command('agreement', { id: `sign-${refersTo}`, actor: 'poland', targets: ['united-states'], refersTo, ...at(day) });

  it('given a restated proposal, when its addressee signs the first draft, then the restatement in its place is accepted', () => {
    const { state } = given([
      draft('v1', '2020-04-01', 'v1'),
      draft('v2', '2020-04-05', 'v2'),
      sign('v1', '2020-04-10'),
    ]);
    expect(state.proposals.v1.closed).toMatchObject({ status: 'superseded', by: 'v2' });
    expect(state.proposals.v2.closed).toMatchObject({ status: 'accepted', by: 'sign-v1', party: 'poland' });
    const us = positionIn(state, 'united-states', CATALOG);
    expect(us.openProposals).toEqual([]);
    expect(us.closed.find((c) => c.eventId === 'v2')?.responses.map((r) => [r.party, r.response])).toEqual([
      ['poland', 'accepted'],
    ]);
  });

  it('given a restated proposal withdrawn since, when its addressee signs the first draft, then it is refused', () => {
    const s = given([
      draft('v1', '2020-04-01', 'v1'),
      draft('v2', '2020-04-05', 'v2'),
      command('withdrawal', { id: 'drop', actor: 'united-states', refersTo: 'v2', ...at('2020-04-08') }),
    ]);
    const p = problemOf(() => s.when(sign('v1', '2020-04-10')));
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain('restated by v2');
  });

  it('given a plan, when its proposer signs it with the addressee, then it is accepted by the addressee, not by the proposer', () => {
    const { state } = given([
      draft('treaty', '2020-11-01', 'a radar in the Czech Republic'),
      command('agreement', {
        id: 'signed',
        actor: 'united-states',
        targets: ['poland'],
        refersTo: 'treaty',
        ...at('2020-11-10'),
        payload: { parties: ['poland'], signed: true, terms: 'the treaty' },
      }),
    ]);
    expect(state.proposals.treaty.closed).toMatchObject({ status: 'accepted', by: 'signed', party: 'poland' });
    const us = positionIn(state, 'united-states', CATALOG);
    expect(summarize(us, '2020-11-12', NAMES)).toContain('accepted by Poland on 10 November 2020');
  });
});

describe('lifecycle: a signing of a proposal already accepted (audit of 2026-12-07, finding 4)', () => {
  const plan = command('proposal', {
    id: 'plan',
    actor: 'united-states',
    targets: ['russia'],
    ...at('2021-01-01'),
    payload: { item: 'us-third-site', terms: 'the site' },
  });
  const russiaSigns = command('agreement', { id: 'ru-signs', refersTo: 'plan', ...at('2021-01-10') });
  const polandSigns = command('agreement', {
    id: 'pl-signs',
    actor: 'poland',
    targets: ['united-states'],
    refersTo: 'plan',
    ...at('2021-01-12'),
  });
  const polandRejects = command('rejection', {
    id: 'pl-rejects',
    actor: 'poland',
    targets: ['united-states'],
    refersTo: 'plan',
    ...at('2021-01-14'),
  });

  it('given a proposal accepted by its addressee, when a third party signs it, then the signing is among its responses and in that party’s closedConcerningParty', () => {
    const s = given([plan, russiaSigns, polandSigns]);
    expect(s.state.proposals.plan.closed).toMatchObject({ status: 'accepted', by: 'ru-signs', party: 'russia' });
    const [closed] = positionIn(s.state, 'united-states', CATALOG).closed;
    expect(closed.responses.map((r) => [r.party, r.response, r.evidence?.eventId])).toEqual([
      ['poland', 'accepted', 'pl-signs'],
      ['russia', 'accepted', 'ru-signs'],
    ]);
    expect(positionIn(s.state, 'poland', CATALOG).closedConcerningParty.map((c) => c.eventId)).toEqual(['plan']);
  });

  it('given that signing, when the same party rejects the proposal later, then its signing stays beneath its rejection (earlier)', () => {
    const s = given([plan, russiaSigns, polandSigns, polandRejects]);
    expect(s.state.proposals.plan.responses.poland).toMatchObject({
      party: 'poland',
      response: 'rejected',
      evidence: 'pl-rejects',
      earlier: [{ response: 'accepted', evidence: 'pl-signs' }],
    });
    expect(s.state.proposals.plan.closed).toMatchObject({ status: 'accepted', by: 'ru-signs' });
  });
});

describe('lifecycle: a record about an item already ended is moot from its own day (audit of 2026-12-07, finding 7)', () => {
  const plan = command('proposal', {
    id: 'plan',
    actor: 'united-states',
    targets: ['russia'],
    ...at('2021-01-01'),
    payload: { item: 'us-third-site', terms: 'the site' },
  });
  const endPlan = command('withdrawal', {
    id: 'end-plan',
    actor: 'united-states',
    refersTo: 'plan',
    ...at('2021-01-10'),
  });
  const freezeIt = command('freeze_demand', {
    id: 'freeze-it',
    ...at('2021-01-15'),
    payload: { item: 'us-third-site', action: 'the deployment of the third site' },
  });
  const threaten = command('threat', {
    id: 'threaten',
    ...at('2021-01-16'),
    payload: { item: 'us-third-site', counterMeasure: 'aim missiles at the sites' },
  });
  const subOffer = (actor: string) =>
    command('proposal', {
      id: 'sub-offer',
      actor,
      targets: [actor === 'russia' ? 'united-states' : 'russia'],
      ...at('2021-01-17'),
      payload: {
        item: 'site-observers',
        itemTitle: 'Observers at the sites',
        itemParent: 'us-third-site',
        terms: 'observers',
      },
    });
  const mootOn = (on: string) => ({ status: 'moot', on, by: 'end-plan', party: 'united-states' });

  it('given a withdrawn plan, when a freeze demand and a threat on it are made after, then both are moot from their own day, caused by the end of the plan', () => {
    const { state } = given([plan, endPlan, freezeIt, threaten]);
    expect(state.demands['freeze-it'].closed).toEqual(mootOn('2021-01-15'));
    expect(state.threats.threaten.closed).toEqual(mootOn('2021-01-16'));
    const russia = positionIn(state, 'russia', CATALOG);
    expect(russia.activeDemands).toEqual([]);
    expect(russia.activeThreats).toEqual([]);
    expect(russia.closed.map((c) => [c.eventId, c.status])).toEqual([
      ['threaten', 'moot'],
      ['freeze-it', 'moot'],
    ]);
    expect(positionIn(state, 'united-states', CATALOG).demandsOnParty).toEqual([]);
  });

  it('given a withdrawn plan, when another party proposes a sub-item of it, then the offer is moot from its day; by the plan’s own proposer, it reads withdrawn', () => {
    const byRussia = given([plan, endPlan, subOffer('russia')]).state;
    expect(byRussia.proposals['sub-offer'].closed).toEqual(mootOn('2021-01-17'));
    expect(positionIn(byRussia, 'russia', CATALOG).openProposals).toEqual([]);
    const byUs = given([plan, endPlan, subOffer('united-states')]).state;
    expect(byUs.proposals['sub-offer'].closed).toEqual(mootOn('2021-01-17'));
    expect(byUs.stances['united-states']['site-observers']).toMatchObject({ stance: 'withdrawn', since: '2021-01-17' });
  });

  it('given the same records, when the end of the plan is reported last, then the topic reads the same as when it came first', () => {
    const late = { ...endPlan, reportedAt: '2021-02-01' };
    const first = given([plan, late, freezeIt, threaten, subOffer('russia')]).state;
    const last = given([plan, freezeIt, threaten, subOffer('russia'), late]).state;
    expect(last).toEqual(first);
  });

  it('given a plan put back on the table by its proposer, when a demand on it is made after, then it is active', () => {
    const again = command('proposal', {
      id: 'again',
      actor: 'united-states',
      targets: ['russia'],
      ...at('2021-01-12'),
      payload: { item: 'us-third-site', terms: 'the site again' },
    });
    const { state } = given([plan, endPlan, again, freezeIt]);
    expect(state.demands['freeze-it'].closed).toBeUndefined();
  });

  it('given a demand moot from its start, when its target rejects it and its author withdraws it, then both are kept and it stays moot', () => {
    const { state } = given([
      plan,
      endPlan,
      freezeIt,
      command('rejection', {
        id: 'no',
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'freeze-it',
        ...at('2021-01-18'),
      }),
      command('withdrawal', { id: 'drop', refersTo: 'freeze-it', ...at('2021-01-20') }),
    ]);
    const demand = state.demands['freeze-it'];
    expect(demand.closed).toEqual(mootOn('2021-01-15'));
    expect(demand.responses['united-states']).toMatchObject({ response: 'rejected', evidence: 'no' });
    expect(demand.laterWithdrawals).toEqual([expect.objectContaining({ by: 'drop' })]);
  });

  it('given a demand moot from its start that its target never answered, when its author withdraws it, then the target, which lists it closed, has that withdrawal as its last change affecting it', () => {
    const { state } = given([
      plan,
      endPlan,
      freezeIt,
      // Naming no party: only the record it withdraws says whom it concerns.
      command('withdrawal', { id: 'drop', targets: [], refersTo: 'freeze-it', ...at('2021-01-20') }),
    ]);
    const us = positionIn(state, 'united-states', CATALOG);
    expect(us.closedConcerningParty.map((c) => [c.eventId, c.withdrawnLater?.length])).toEqual([['freeze-it', 1]]);
    expect(us.lastChangeAffecting?.eventId).toBe('drop');
  });
});

describe('lifecycle: an answer counts from the day it counts (audit of 2026-12-07, finding 8), and proves what it answers by then', () => {
  // Until 2026-12-08 an answer dated inside its record's month waited for the month's end; it now
  // counts from its own day, and so does the record it answers (provenDays): its stance and the
  // closure it sets still date from the day it counts, never before.
  const monthly = command('proposal', {
    id: 'monthly',
    actor: 'united-states',
    targets: ['russia'],
    occurred: '2021-01',
    reportedAt: '2021-02-01',
    payload: { item: 'us-third-site', terms: 'the site' },
  });
  const monthlyDemand = command('demand', {
    id: 'monthly-demand',
    actor: 'united-states',
    targets: ['russia'],
    occurred: '2021-01',
    reportedAt: '2021-02-01',
    payload: { item: 'azerbaijan-radar', demand: 'open the radar' },
  });
  const answer = (type: 'rejection' | 'statement', id: string, refersTo: string, day: string) =>
    command(type, {
      id,
      refersTo,
      ...at(day),
      ...(type === 'statement' ? { payload: { stance: 'supports', reason: 'fine' } } : {}),
    });

  it('given a proposal dated by its month, when it is rejected on the 10th, then the proposal and the stance count from the 10th (since), never before', () => {
    const s = given([monthly, answer('rejection', 'no', 'monthly', '2021-01-10')]);
    expect(s.stateOf(TOPIC, '2021-01-09').stances.russia).toBeUndefined();
    expect(s.stateOf(TOPIC, '2021-01-10').proposals.monthly).toMatchObject({ countsFrom: '2021-01-10' });
    const item = positionIn(s.state, 'russia', CATALOG).items.find((i) => i.item === 'us-third-site');
    expect(item).toMatchObject({ stance: 'rejected', since: '2021-01-10' });
  });

  it('given that rejection, when a later answer replaces it, then the trail says it held from the 10th to the later answer’s day', () => {
    const s = given([
      monthly,
      answer('rejection', 'no', 'monthly', '2021-01-10'),
      answer('statement', 'yes', 'monthly', '2021-01-20'),
    ]);
    expect(s.state.replacedStances).toEqual([
      expect.objectContaining({
        party: 'russia',
        entry: expect.objectContaining({ since: '2021-01-10' }),
        until: '2021-01-20',
      }),
    ]);
    expect(s.state.stances.russia['us-third-site']).toMatchObject({ stance: 'supports', since: '2021-01-20' });
  });

  it('given a demand dated by its month, when its target refuses it on the 10th, then it is refused on the 10th', () => {
    const { state } = given([monthlyDemand, answer('rejection', 'no', 'monthly-demand', '2021-01-10')]);
    expect(state.demands['monthly-demand'].closed).toMatchObject({ status: 'refused', on: '2021-01-10', by: 'no' });
    expect(summarize(positionIn(state, 'united-states', CATALOG), '2021-02-05', NAMES)).toContain(
      'refused by Russia on 10 January 2021',
    );
  });
});

describe('lifecycle: an event counts no later than the day it was reported (outside audit F4)', () => {
  // A report proves the event had happened by its day: one dated "January 2021" and reported on
  // the 5th counts from the 5th, not from the 31st (lastPossibleDay).
  const reported = (id: string, type: 'proposal' | 'demand' | 'statement', payload: Record<string, unknown>) =>
    command(type, {
      id,
      actor: 'united-states',
      targets: ['russia'],
      occurred: '2021-01',
      reportedAt: '2021-01-05',
      payload,
    });
  const plan = reported('plan', 'proposal', { item: 'us-third-site', terms: 'the site' });
  const ask = reported('ask', 'demand', { item: 'azerbaijan-radar', demand: 'open the radar' });
  const answer = (id: string, refersTo: string, occurred: string, reportedAt = occurred) =>
    command('rejection', { id, refersTo, occurred, reportedAt, payload: { reason: 'no' } });

  it('given a statement dated by its month and reported on the 5th, then its stance counts from the 5th (since), possibly in effect before', () => {
    const s = given([reported('says', 'statement', { item: 'us-third-site', stance: 'opposes', reason: 'no' })]);
    expect(s.stateOf(TOPIC, '2021-01-04').stances['united-states']).toBeUndefined();
    const state = s.stateOf(TOPIC, '2021-01-05');
    expect(state.stances['united-states']['us-third-site']).toMatchObject({ stance: 'opposes', since: '2021-01-05' });
    // And the event stays as its source dated it
    expect(s.evidence('says').occurred).toEqual({ from: '2021-01-01', to: '2021-01-31', precision: 'month' });
    // And the summary reads it as counted
    expect(summarize(positionIn(s.stateOf(TOPIC, '2021-01-15'), 'united-states', CATALOG), '2021-01-15', NAMES)).toBe(
      'As of 15 January 2021, the United States opposed the US third site.',
    );
  });

  it('given a proposal dated by its month and reported on the 5th, then it is news from the 5th, said in its source’s words (in January 2021)', () => {
    const s = given([plan]);
    expect(s.stateOf(TOPIC, '2021-01-05').proposals.plan).toMatchObject({ countsFrom: '2021-01-05' });
    expect(
      summarize(positionIn(s.stateOf(TOPIC, '2021-01-15'), 'united-states', CATALOG), '2021-01-15', NAMES),
    ).toContain('proposed the US third site in January 2021');
  });

  it('given a proposal dated by its month and reported on the 5th, when it is rejected on the 10th, then the rejection counts from the 10th, not the month’s end', () => {
    const s = given([plan, answer('no', 'plan', '2021-01-10')]);
    expect(s.stateOf(TOPIC, '2021-01-09').stances.russia).toBeUndefined();
    expect(s.stateOf(TOPIC, '2021-01-10').stances.russia['us-third-site']).toMatchObject({
      stance: 'rejected',
      since: '2021-01-10',
    });
  });

  it('given a demand reported on the 5th, when its target is said to have refused it on the 3rd, then both count from the 3rd: the refusal proves the demand had been made by then', () => {
    const { state } = given([ask, answer('no', 'ask', '2021-01-03', '2021-01-06')]);
    expect(state.demands.ask).toMatchObject({ countsFrom: '2021-01-03' });
    expect(state.demands.ask.closed).toMatchObject({ status: 'refused', on: '2021-01-03', by: 'no' });
    expect(summarize(positionIn(state, 'united-states', CATALOG), '2021-01-20', NAMES)).toContain(
      'refused by Russia on 3 January 2021',
    );
  });

  it('given a proposal of the 10th, when a rejection dated January is reported on the 8th, then decide refuses it: it had happened before the proposal', () => {
    const s = given([
      command('proposal', {
        id: 'tenth',
        actor: 'united-states',
        targets: ['russia'],
        ...at('2021-01-10'),
        payload: { item: 'us-third-site', terms: 'the site' },
      }),
    ]);
    const problem = problemOf(() => s.when(answer('no', 'tenth', '2021-01', '2021-01-08')));
    expect(fieldsOf(problem)).toEqual(['occurred']);
    expect(problem.message + JSON.stringify(problem)).toContain('reported on 8 January 2021');
  });
});

describe('lifecycle: backing down ends an item as a withdrawal does', () => {
  it('given a plan and a demand to freeze it, when the proposer backs down on its only proposal of the item, then the demand is moot', () => {
    const backDown = command('concession', {
      id: 'back-down',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'us-site',
      ...at('2007-11-01'),
      payload: { terms: 'no third site after all' },
    });
    const { state } = given([usThirdSite, freeze, backDown]);
    expect(state.proposals['us-site'].closed).toMatchObject({ status: 'conceded', by: 'back-down' });
    expect(state.demands.freeze.closed).toMatchObject({ status: 'moot', by: 'back-down' });
    expect(positionIn(state, 'russia', CATALOG).activeDemands).toEqual([]);
  });
});

describe('lifecycle: a signer withdraws from an agreement (the United States and the JCPOA)', () => {
  const deal = command('agreement', {
    id: 'deal',
    actor: 'united-states',
    targets: [],
    ...at('2015-07-14'),
    payload: { parties: ['russia', 'poland'], terms: 'the joint plan on the radar', signed: true },
  });
  const leave = command('withdrawal', {
    id: 'leave',
    actor: 'united-states',
    targets: [],
    refersTo: 'deal',
    ...at('2018-05-08'),
    payload: { reason: 'the deal is defective at its core' },
  });

  it('given a signed deal, when one signer withdraws, then its position says so and the others see who left', () => {
    const { state } = given([deal, leave]);
    const us = positionIn(state, 'united-states', CATALOG);
    expect(us.acts[0].left).toEqual([
      { party: 'united-states', on: '2018-05-08', evidence: expect.objectContaining({ eventId: 'leave' }) },
    ]);
    expect(summarize(us, '2018-05-09', NAMES)).toBe(
      'As of 9 May 2018, the United States withdrew from the joint plan on the radar on 8 May 2018.',
    );
    const russia = positionIn(state, 'russia', CATALOG);
    expect(russia.acts[0].left?.map((l) => l.party)).toEqual(['united-states']);
    expect(summarize(russia, '2018-05-09', NAMES)).toBe(
      'As of 9 May 2018, Russia saw the United States withdraw from the joint plan on the radar on 8 May 2018.',
    );
    // Before it, the deal stood for all three
    const before = positionIn(given([deal, leave]).stateOf(TOPIC, '2018-05-07'), 'united-states', CATALOG);
    expect(before.acts[0].left).toBeUndefined();
  });

  it('given a signed deal, when a party that did not sign it withdraws from it, then decide refuses it naming refersTo', () => {
    const p = problemOf(() => given([deal]).when({ ...leave, actor: 'czech-republic' }));
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain('czech-republic did not sign the agreement deal');
  });
});

describe('lifecycle: a late report is decided at its own date (checkInOrder)', () => {
  // The US plan and its offer of observers, a sub-item; the plan is withdrawn on 2009-09-17.
  const backDown = command('concession', {
    id: 'back-down',
    actor: 'united-states',
    targets: ['russia'],
    refersTo: 'observers',
    occurred: '2008-03-01',
    reportedAt: '2010-01-05', // reported after the plan's end, which made the offer moot
  });

  it('given an offer made moot on 17 September 2009, when its author is reported to have backed down on it in March 2008, then the back-down is recorded and closes it then', () => {
    const scenario = given([usThirdSite, observers, dropSite]);
    expect(scenario.state.proposals.observers.closed).toMatchObject({ status: 'moot' });
    scenario.record(backDown);
    expect(scenario.state.proposals.observers.closed).toMatchObject({
      status: 'conceded',
      by: 'back-down',
      on: '2008-03-01',
    });
    expect(statusOf('proposal', scenario.stateOf(TOPIC, '2008-02-29').proposals.observers)).toBe('open');
    // The plan's end still moots what stood on it then; the offer had closed before.
    expect(scenario.state.proposals['us-site'].closed).toMatchObject({ status: 'withdrawn', by: 'drop-site' });
  });

  it('given the same, when decided against the topic as it stands now (no history), then it was refused as moot', () => {
    const scenario = given([usThirdSite, observers, dropSite]);
    const now = { ...scenario.context(backDown), log: undefined };
    const p = problemOf(() => decide(backDown, now));
    expect(p.message).toContain('the proposal observers is no longer open (moot)');
  });

  it('given a proposal Russia signed on 1 August, when its author is reported to have withdrawn it on 20 July, then decide refuses it, naming the signing that could not have followed', () => {
    const signing = command('agreement', {
      id: 'signing',
      refersTo: 'us-site',
      ...at('2007-08-01'),
      payload: { terms: 'the third site' },
    });
    const scenario = given([usThirdSite, signing]);
    const p = problemOf(() =>
      scenario.when(
        command('withdrawal', {
          actor: 'united-states',
          refersTo: 'us-site',
          occurred: '2007-07-20',
          reportedAt: '2007-09-01',
        }),
      ),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['occurred']);
    expect(p.details.conflictsWith).toBe('signing');
    expect(p.message).toContain(
      'occurred: this withdrawal (20 July 2007) would withdraw the proposal us-site before the later agreement by russia ' +
        '(event signing, 1 August 2007) that signs it, which then could not stand: the proposal us-site is not open (withdrawn); ' +
        'retract or correct one of them',
    );
  });

  it('given an item the United States put on the table in 2008, when Russia is reported to have proposed it in 2007, then decide refuses it, naming the US proposal', () => {
    const plan = command('proposal', {
      id: 'plan',
      actor: 'united-states',
      ...at('2008-01-10'),
      payload: { item: 'x-plan', itemTitle: 'The X plan', terms: 'a plan' },
    });
    const scenario = given([plan]);
    const p = problemOf(() =>
      scenario.when(
        command('proposal', {
          occurred: '2007-12-01',
          reportedAt: '2008-02-01',
          payload: { item: 'x-plan', terms: 'ours first' },
        }),
      ),
    );
    expect(fieldsOf(p)).toEqual(['occurred']);
    expect(p.details.conflictsWith).toBe('plan');
    // Said from the poster's side: its proposal, then the US one that could not stand after it.
    expect(p.message).toBe(
      'occurred: this proposal of "x-plan" (1 December 2007) would come before the later proposal of the same item ' +
        'by united-states (event plan, 10 January 2008), which then could not stand: an item is the first ' +
        "proposer's, and united-states could then only endorse it, agree to it or state a stance on it; " +
        'retract or correct one of them',
    );
    expect(p.message).not.toContain('was proposed by russia');
  });

  it('given a threat withdrawn on 1 July, when an earlier withdrawal of it on 20 June is reported, then decide refuses it, naming the withdrawal that could not have followed', () => {
    const scenario = given([
      threat,
      command('withdrawal', { id: 'drop', targets: ['poland'], refersTo: 'threat', ...at('2007-07-01') }),
    ]);
    const p = problemOf(() =>
      scenario.when(
        command('withdrawal', {
          targets: ['poland'],
          refersTo: 'threat',
          occurred: '2007-06-20',
          reportedAt: '2007-07-05',
        }),
      ),
    );
    expect(p.details.conflictsWith).toBe('drop');
    expect(p.message).toContain('the threat threat is not active any more (withdrawn)');
  });

  it('given a late proposal that contradicts nothing after it, then it is recorded at its place, and later events keep theirs', () => {
    const scenario = given([
      usThirdSite,
      gabala,
      command('rejection', { id: 'no', actor: 'united-states', refersTo: 'gabala', ...at('2007-06-10') }),
    ]);
    scenario.record(
      command('proposal', {
        id: 'early',
        ...at('2007-05-01'),
        payload: { item: 'azerbaijan-radar', terms: 'an earlier offer' },
      }),
    );
    expect(scenario.state.proposals.early.closed).toMatchObject({ status: 'superseded', by: 'gabala' });
    expect(scenario.state.proposals.gabala.closed).toBeUndefined();
  });
});

describe('lifecycle: the same rules whichever report comes first (audit of 2026-12-07)', () => {
  const plan = command('proposal', {
    id: 'plan',
    actor: 'united-states',
    targets: ['poland'],
    ...at('2010-01-10'),
    payload: { item: 'x-plan', itemTitle: 'The X plan', terms: 'p' },
  });
  const sub = command('proposal', {
    id: 'sub',
    actor: 'united-states',
    targets: ['poland'],
    ...at('2010-01-12'),
    payload: { item: 'x-sub', itemTitle: 'A part of it', itemParent: 'x-plan', terms: 's' },
  });
  const signSub = command('agreement', {
    id: 'sign-sub',
    actor: 'poland',
    targets: ['united-states'],
    refersTo: 'sub',
    ...at('2010-02-01'),
    payload: { terms: 's' },
  });
  const endPlan = command('withdrawal', {
    id: 'end-plan',
    actor: 'united-states',
    targets: ['poland'],
    refersTo: 'plan',
    occurred: '2010-01-20',
    reportedAt: '2010-03-01',
  });

  it('given a signing of a sub-item, when the end of its plan is reported dated before it, then it is refused, naming the signing', () => {
    const p = problemOf(() => given([plan, sub, signSub]).when(endPlan));
    expect(p.details.conflictsWith).toBe('sign-sub');
    expect(p.message).toContain('the proposal sub is not open (moot)');
  });

  it('given the end of the plan, when the signing of its sub-item is reported after, then it is refused too', () => {
    expect(problemOf(() => given([plan, sub, endPlan]).when(signSub)).message).toContain(
      'the proposal sub is not open (moot)',
    );
  });

  it('given a threat made moot by the end of its item, when its author withdraws it, then the withdrawal is kept after the closure; a second one is refused', () => {
    const threat = command('threat', {
      id: 'retarget',
      targets: ['united-states'],
      ...at('2010-01-11'),
      payload: { item: 'x-plan', counterMeasure: 'aim missiles at the sites' },
    });
    const drop = (id: string, day: string) =>
      command('withdrawal', { id, targets: ['united-states'], refersTo: 'retarget', ...at(day) });
    const scenario = given([plan, threat, { ...endPlan, reportedAt: '2010-01-20' }, drop('drop', '2010-02-01')]);
    expect(scenario.state.threats.retarget.closed).toMatchObject({ status: 'moot', by: 'end-plan' });
    expect(scenario.state.threats.retarget.laterWithdrawals).toEqual([expect.objectContaining({ by: 'drop' })]);
    const p = problemOf(() => scenario.when(drop('again', '2010-02-05')));
    expect(p.message).toContain('was withdrawn already (by drop on 2010-02-01)');
    // Reported late, before the first: refused as well, naming it.
    expect(
      problemOf(() => scenario.when({ ...drop('early', '2010-01-25'), reportedAt: '2010-03-01' })).details
        .conflictsWith,
    ).toBe('drop');
  });

  it('given a demand met by a concession, when its restatement dated before the concession is reported, then the concession meets the restatement', () => {
    const demand = (id: string, day: string) =>
      command('demand', {
        id,
        targets: ['united-states'],
        ...at(day),
        payload: { item: 'us-third-site', demand: 'stop' },
      });
    const met = command('concession', {
      id: 'met',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'first',
      ...at('2010-02-01'),
    });
    const scenario = given([usThirdSite, demand('first', '2010-01-05'), met]);
    scenario.record({ ...demand('again', '2010-01-15'), reportedAt: '2010-03-01' });
    expect(scenario.state.demands.first.closed).toMatchObject({ status: 'superseded', by: 'again' });
    expect(scenario.state.demands.again.closed).toMatchObject({ status: 'met', by: 'met' });
    expect(scenario.state.concessions.find((c) => c.eventId === 'met')?.meets).toMatchObject({ event: 'again' });
  });
});

describe('lifecycle: a correction is decided as a late report is (checkCorrectionInOrder; audit 1, finding 3)', () => {
  const plan = command('proposal', {
    id: 'plan',
    actor: 'united-states',
    targets: ['russia', 'poland'],
    ...at('2010-01-01'),
    payload: { item: 'x-plan', itemTitle: 'The X plan', terms: 'p' },
  });
  const signing = command('agreement', {
    id: 'signing',
    actor: 'russia',
    targets: ['united-states'],
    refersTo: 'plan',
    ...at('2010-01-10'),
    payload: { terms: 'p' },
  });
  const withdrawal = command('withdrawal', {
    id: 'withdrawal',
    actor: 'united-states',
    targets: ['russia', 'poland'],
    refersTo: 'plan',
    ...at('2010-01-20'),
  });
  const correction = (refersTo: string, actor: string, changes: Record<string, unknown>, day = '2010-02-01') =>
    command('correction', { refersTo, actor, targets: [], ...at(day), payload: { reason: 'r', changes } });

  it('given a plan Russia signed on 10 January and withdrawn on 20 January, when the withdrawal is corrected to 5 January, then it is refused on the new date, naming the signing, as the late withdrawal is', () => {
    const scenario = given([plan, signing, withdrawal]);
    const p = problemOf(() =>
      scenario.when(correction('withdrawal', 'united-states', { occurred: '2010-01-05' }, '2010-01-21')),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['payload.changes.occurred']);
    expect(p.details.conflictsWith).toBe('signing');
    expect(p.message).toContain(
      'corrected so, the withdrawal withdrawal (5 January 2010) would withdraw the proposal plan before the later agreement ' +
        'by russia (event signing, 10 January 2010) that signs it, which then could not stand: the proposal plan is not open (withdrawn)',
    );
    // The same history reported the other way: a late withdrawal dated 5 January.
    const late = problemOf(() =>
      given([plan, signing]).when({ ...withdrawal, id: 'early', occurred: '2010-01-05', reportedAt: '2010-01-21' }),
    );
    expect(late.details.conflictsWith).toBe('signing');
  });

  it('given the same, when the signing (reported late) is corrected to after the withdrawal, then it is refused, naming the withdrawal', () => {
    const scenario = given([plan, { ...signing, reportedAt: '2010-02-01' }, withdrawal]);
    const p = problemOf(() => scenario.when(correction('signing', 'russia', { occurred: '2010-01-25' })));
    expect(fieldsOf(p)).toEqual(['payload.changes.occurred']);
    expect(p.details.conflictsWith).toBe('withdrawal');
    expect(p.message).toContain(
      "corrected so, the agreement signing (25 January 2010) could not stand where it would fall in the topic's order, after the withdrawal withdrawal (20 January 2010): the proposal plan is not open (withdrawn)",
    );
  });

  it("given Russia's proposal of an item, when a later US proposal's item is corrected to it, then it is refused on that field, naming Russia's proposal", () => {
    const ours = command('proposal', {
      id: 'ours',
      ...at('2010-01-05'),
      payload: { item: 'y-plan', itemTitle: 'The Y plan', terms: 'ours' },
    });
    const theirs = command('proposal', {
      id: 'theirs',
      actor: 'united-states',
      ...at('2010-01-15'),
      payload: { item: 'z-plan', itemTitle: 'The Z plan', terms: 'theirs' },
    });
    const scenario = given([ours, theirs]);
    // Its item corrected to Russia's item: the United States cannot propose what Russia proposed.
    const item = problemOf(() => scenario.when(correction('theirs', 'united-states', { payload: { item: 'y-plan' } })));
    expect(fieldsOf(item)).toEqual(['payload.changes.payload.item']);
    expect(item.details.conflictsWith).toBe('ours');
    expect(item.message).toContain('"y-plan" was proposed by russia');
  });

  it("given the US proposal of an item on 10 January 2008, when Russia's later proposal of it is corrected to 1 December 2007, then the message says so from Russia's side", () => {
    const plan = command('proposal', {
      id: 'plan',
      actor: 'united-states',
      ...at('2008-01-10'),
      payload: { item: 'x-plan', itemTitle: 'The X plan', terms: 'a plan' },
    });
    const ours = command('proposal', {
      id: 'ours',
      ...at('2008-02-10'),
      payload: { item: 'w-plan', itemTitle: 'The W plan', terms: 'ours' },
    });
    const scenario = given([plan, ours]);
    const p = problemOf(() =>
      scenario.when(
        correction('ours', 'russia', { occurred: '2007-12-01', payload: { item: 'x-plan' } }, '2008-03-01'),
      ),
    );
    expect(p.details.conflictsWith).toBe('plan');
    expect(p.message).toContain(
      'corrected so, the proposal ours of "x-plan" (1 December 2007) would come before the later proposal of the same item by united-states (event plan, 10 January 2008), which then could not stand',
    );
  });

  it('given a proposal rejected on 10 January, when the proposal is corrected to 15 January, then it is refused, naming the rejection that would end before it began', () => {
    const proposal = { ...plan, reportedAt: '2010-02-01' };
    const no = command('rejection', { id: 'no', actor: 'russia', refersTo: 'plan', ...at('2010-01-10') });
    const p = problemOf(() =>
      given([proposal, no]).when(correction('plan', 'united-states', { occurred: '2010-01-15' }, '2010-02-02')),
    );
    expect(fieldsOf(p)).toEqual(['payload.changes.occurred']);
    expect(p.details.conflictsWith).toBe('no');
    expect(p.message).toContain('would end before the proposal plan it answers began');
  });

  it('given the same plan, when a correction contradicts nothing (the withdrawal moved to 15 January, after the signing), then it is recorded and counts there', () => {
    const scenario = given([plan, signing, withdrawal]);
    scenario.record(correction('withdrawal', 'united-states', { occurred: '2010-01-15' }, '2010-01-21'));
    expect(scenario.state.proposals.plan.closed).toMatchObject({ status: 'withdrawn', on: '2010-01-15' });
  });

  it('given a log a correction made inconsistent before this rule, when later corrections leave it so, then what failed already is not held against them', () => {
    const scenario = given([plan, signing, withdrawal]);
    // Recorded unchecked, as corrections were before: the withdrawal moved before the signing.
    const moved = correction('withdrawal', 'united-states', { occurred: '2010-01-05' }, '2010-01-21');
    const event = decide(moved, { ...scenario.context(moved), log: undefined });
    scenario.events.push({ ...event, version: 4, position: 4, recordedAt: '2026-01-01T00:00:04.000Z' });
    expect(
      scenario.record(correction('withdrawal', 'united-states', { occurred: '2010-01-06' }, '2010-01-22')).type,
    ).toBe('correction');
    expect(scenario.record(correction('signing', 'russia', { summary: 'Russia signed it.' })).type).toBe('correction');
  });
});

describe('decide: an answer is checked against what it answers as corrected', () => {
  it('given a proposal corrected to an earlier date, when an agreement dated between the two dates answers it, then it is accepted', () => {
    const late = command('proposal', {
      id: 'p',
      actor: 'united-states',
      targets: ['russia'],
      ...at('2010-03-01'),
      payload: { item: 'us-third-site', terms: 't' },
    });
    const moved = command('correction', {
      refersTo: 'p',
      actor: 'united-states',
      targets: [],
      ...at('2010-03-02'),
      payload: { reason: 'wrong date', changes: { occurred: '2010-01-10' } },
    });
    const scenario = given([late, moved]);
    expect(
      scenario.when(command('agreement', { refersTo: 'p', ...at('2010-02-01'), payload: { terms: 't' } })).refersTo,
    ).toBe('p');
  });

  it('given an agreement whose co-signer was corrected, then the corrected co-signer may leave it, and the one first named may not', () => {
    const deal = command('agreement', {
      id: 'deal',
      actor: 'poland',
      targets: [],
      ...at('2010-01-10'),
      payload: { terms: 'a deal', parties: ['czech-republic'] },
    });
    const fix = command('correction', {
      refersTo: 'deal',
      actor: 'poland',
      targets: [],
      ...at('2010-01-12'),
      payload: { reason: 'wrong party', changes: { payload: { parties: ['united-states'] } } },
    });
    const scenario = given([deal, fix]);
    expect(
      scenario.when(
        command('withdrawal', { actor: 'united-states', targets: [], refersTo: 'deal', ...at('2010-02-01') }),
      ).type,
    ).toBe('withdrawal');
    expect(
      problemOf(() =>
        scenario.when(
          command('withdrawal', { actor: 'czech-republic', targets: [], refersTo: 'deal', ...at('2010-02-01') }),
        ),
      ).message,
    ).toContain('did not sign');
  });
});

describe('lifecycle: a threat carried out (Russia suspending the CFE Treaty, as it had threatened)', () => {
  // Putin, 26 April 2007: Russia may suspend the CFE Treaty; the decree of 14 July 2007 did.
  const suspendThreat = command('threat', {
    id: 'suspend-threat',
    targets: ['united-states'],
    ...at('2007-04-26'),
    payload: {
      item: 'us-third-site',
      counterMeasure: 'suspend the CFE Treaty',
      condition: 'if the third site is built',
    },
  });
  const suspension = (overrides: Parameters<typeof command>[1] = {}) =>
    command('action', {
      id: 'suspension',
      targets: ['united-states'],
      refersTo: 'suspend-threat',
      ...at('2007-07-14'),
      payload: { act: 'suspended its obligations under the CFE Treaty' },
      ...overrides,
    });
  const withdrawal = (day: string) =>
    command('withdrawal', { id: 'drop', targets: ['united-states'], refersTo: 'suspend-threat', ...at(day) });

  it('given a threat, when its author carries it out, then the threat is closed as carried-out by the action on its day, and is no longer active', () => {
    const s = given([usThirdSite, suspendThreat, suspension()]);
    expect(s.state.threats['suspend-threat'].closed).toEqual({
      status: 'carried-out',
      on: '2007-07-14',
      by: 'suspension',
      party: 'russia',
    });
    const russia = positionIn(s.state, 'russia', CATALOG);
    expect(russia.activeThreats).toEqual([]);
    expect(russia.closed).toEqual([
      expect.objectContaining({
        record: 'threat',
        eventId: 'suspend-threat',
        status: 'carried-out',
        what: 'suspend the CFE Treaty',
        closed: expect.objectContaining({ status: 'carried-out', on: '2007-07-14', party: 'russia' }),
      }),
    ]);
    expect(russia.closed[0].closed.evidence.eventId).toBe('suspension');
  });

  it('given the same, then the act links to the threat it carried out, naming it, and is about the threat’s item', () => {
    const s = given([usThirdSite, suspendThreat, suspension()]);
    const [act] = positionIn(s.state, 'russia', CATALOG).acts;
    expect(act).toMatchObject({
      eventId: 'suspension',
      kind: 'action',
      item: 'us-third-site',
      carriesOut: {
        event: 'suspend-threat',
        record: 'threat',
        by: 'russia',
        item: 'us-third-site',
        title: 'the US third site',
        what: 'suspend the CFE Treaty',
      },
    });
  });

  it('given a threat about the third site, when the action carrying it out names another item, then decide refuses it on payload.item, naming the threat’s item', () => {
    const p = problemOf(() =>
      given([usThirdSite, suspendThreat]).when(suspension({ payload: { act: 'a radar', item: 'azerbaijan-radar' } })),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['payload.item']);
    expect(p.message).toContain(
      'names "azerbaijan-radar", but the threat suspend-threat it carries out is about "us-third-site"',
    );
  });

  it('given a threat about the third site, when the action carrying it out names that item, then it is recorded about it, as one naming none', () => {
    const named = given([
      usThirdSite,
      suspendThreat,
      suspension({ payload: { act: 'a decree', item: 'us-third-site' } }),
    ]);
    const none = given([usThirdSite, suspendThreat, suspension({ payload: { act: 'a decree' } })]);
    expect(named.state.acts[0]).toMatchObject({ item: 'us-third-site', carriesOut: { item: 'us-third-site' } });
    expect(none.state.acts[0]).toMatchObject({ item: 'us-third-site', carriesOut: { item: 'us-third-site' } });
  });

  it('given a threat about no item, when the action carrying it out names one, then the act is about that item', () => {
    const itemless = command('threat', {
      id: 'suspend-threat',
      targets: ['united-states'],
      ...at('2007-04-26'),
      payload: { counterMeasure: 'suspend the CFE Treaty' },
    });
    const s = given([usThirdSite, itemless, suspension({ payload: { act: 'a radar', item: 'azerbaijan-radar' } })]);
    expect(s.state.acts[0]).toMatchObject({ item: 'azerbaijan-radar', carriesOut: { event: 'suspend-threat' } });
    expect(s.state.acts[0].carriesOut?.item).toBeUndefined();
  });

  it('given the same, then at the day before the action the threat is active, and from its day it is closed', () => {
    const s = given([usThirdSite, suspendThreat, suspension()]);
    const before = positionIn(s.stateOf(TOPIC, '2007-07-13'), 'russia', CATALOG);
    expect(before.activeThreats.map((t) => t.eventId)).toEqual(['suspend-threat']);
    expect(before.closed).toEqual([]);
    const on = positionIn(s.stateOf(TOPIC, '2007-07-14'), 'russia', CATALOG);
    expect(on.activeThreats).toEqual([]);
    expect(on.closed.map((c) => c.status)).toEqual(['carried-out']);
  });

  it('given a threat dated by its month, when an action of the 10th carries it out, then both count from the 10th, when the action proves the threat had been made', () => {
    const monthly = command('threat', {
      id: 'suspend-threat',
      targets: ['united-states'],
      occurred: '2007-07',
      reportedAt: '2007-08-01',
      payload: { counterMeasure: 'suspend the CFE Treaty' },
    });
    const s = given([monthly, suspension({ occurred: '2007-07-10', reportedAt: '2007-08-02' })]);
    expect(s.state.threats['suspend-threat'].closed).toMatchObject({ status: 'carried-out', on: '2007-07-10' });
    expect(s.stateOf(TOPIC, '2007-07-09').threats).toEqual({});
    expect(s.stateOf(TOPIC, '2007-07-10').acts).toHaveLength(1);
    expect(summarize(positionIn(s.state, 'russia', CATALOG), '2007-08-05', NAMES)).toContain(
      'carried out its threat to suspend the CFE Treaty on 10 July 2007',
    );
  });

  it('given a threat carried out, when the action is retracted, then the threat is active again and the act is gone', () => {
    const s = given([
      suspendThreat,
      suspension(),
      command('retraction', { refersTo: 'suspension', ...at('2007-07-20'), payload: { reason: 'misreported' } }),
    ]);
    expect(statusOf('threat', s.state.threats['suspend-threat'])).toBe('active');
    const russia = positionIn(s.state, 'russia', CATALOG);
    expect(russia.activeThreats.map((t) => t.eventId)).toEqual(['suspend-threat']);
    expect(russia.acts).toEqual([]);
    expect(russia.closed).toEqual([]);
  });

  it('given a threat carried out, when the threat is retracted, then the action stands alone, linking nothing', () => {
    const s = given([
      suspendThreat,
      suspension(),
      command('retraction', { refersTo: 'suspend-threat', ...at('2007-07-20'), payload: { reason: 'misreported' } }),
    ]);
    expect(s.state.threats).toEqual({});
    expect(s.state.acts).toEqual([expect.not.objectContaining({ carriesOut: expect.anything() })]);
  });

  it('given a threat carried out, when the action is corrected to an earlier day, then the threat closes on that day', () => {
    const s = given([
      suspendThreat,
      suspension(),
      command('correction', {
        refersTo: 'suspension',
        ...at('2007-07-20'),
        payload: { reason: 'the decree was signed earlier', changes: { occurred: '2007-07-10' } },
      }),
    ]);
    expect(s.state.threats['suspend-threat'].closed).toMatchObject({
      status: 'carried-out',
      on: '2007-07-10',
      by: `suspension+${s.events.at(-1)!.id}`,
    });
  });

  it('given a threat withdrawn on 1 July, when its carrying out on 14 June is reported late, then decide refuses it, naming the withdrawal that could not have followed', () => {
    const s = given([suspendThreat, withdrawal('2007-07-01')]);
    const p = problemOf(() => s.when(suspension({ occurred: '2007-06-14', reportedAt: '2007-07-20' })));
    expect(fieldsOf(p)).toEqual(['occurred']);
    expect(p.details.conflictsWith).toBe('drop');
    expect(p.message).toContain('is not active any more (carried-out)');
  });

  it('given a threat carried out on 14 July, when its withdrawal on 1 July is reported late, then decide refuses it, naming the action that could not have followed', () => {
    const s = given([suspendThreat, suspension()]);
    const p = problemOf(() => s.when(withdrawal('2007-07-01')));
    expect(fieldsOf(p)).toEqual(['occurred']);
    expect(p.details.conflictsWith).toBe('suspension');
    expect(p.message).toContain('no longer active (withdrawn)');
  });

  it('given a threat carried out on 14 July (reported on 25 July), when its withdrawal on 20 July is recorded after, then it is refused: the threat was carried out before', () => {
    // The same rule whichever report comes first (the action is checked at its own place).
    const s = given([suspendThreat, suspension({ reportedAt: '2007-07-25' })]);
    expect(problemOf(() => s.when(withdrawal('2007-07-20'))).message).toContain('is not active any more (carried-out)');
  });

  it('given a threat about a plan its proposer withdrew, when the threat’s author acts on it after, then it is refused: the threat is moot', () => {
    const dropSite = command('withdrawal', {
      id: 'drop-site',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'us-site',
      ...at('2007-06-01'),
    });
    const p = problemOf(() => given([usThirdSite, suspendThreat, dropSite]).when(suspension()));
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain('no longer active (moot)');
  });

  it('given a threat carried out, then the plan’s later end leaves it carried out, not moot', () => {
    const dropSite = command('withdrawal', {
      id: 'drop-site',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'us-site',
      ...at('2009-09-17'),
    });
    const s = given([usThirdSite, suspendThreat, suspension(), dropSite]);
    expect(s.state.threats['suspend-threat'].closed).toMatchObject({ status: 'carried-out', by: 'suspension' });
  });

  it('given the same, then GET /changes over the window says the party acted and its threat closed as carried out', () => {
    const s = given([usThirdSite, suspendThreat, suspension()]);
    const changes = changesBetween(s.stateOf(TOPIC, '2007-07-01'), s.state, 'russia', s.evidence);
    expect(changes.map((c) => [c.kind, c.subject, c.to ?? null, c.evidence.eventId])).toEqual([
      ['acted', 'suspension', null, 'suspension'],
      ['threat-closed', 'suspend-threat', 'carried-out', 'suspension'],
    ]);
  });
});

describe('mayCountBefore, needsLog: which commands a writer reads the log for', () => {
  const scenario = () => given([usThirdSite, story.threat]);
  const last = (s: ReturnType<typeof scenario>) => effectiveLog(s.events).events.at(-1)!.key;

  it('is false for a record-changing event that counts after the last one, and for statements whatever their date', () => {
    const s = scenario();
    expect(mayCountBefore(command('withdrawal', { refersTo: 'threat', ...at('2007-06-05') }), s.state, last(s))).toBe(
      false,
    );
    expect(mayCountBefore(command('statement', { ...at('2007-01-01') }), s.state, last(s))).toBe(false);
  });

  it("is true for a correction that moves an event or changes a record's payload or targets, false for one that rewords it", () => {
    const s = scenario();
    const fix = (changes: Record<string, unknown>) =>
      command('correction', { refersTo: 'us-site', ...at('2007-07-01'), payload: { reason: 'r', changes } });
    const site = s.events[0];
    expect(needsLog(fix({ occurred: '2007-01-20' }), s.state, last(s), site)).toBe(true);
    expect(needsLog(fix({ payload: { terms: 'x' } }), s.state, last(s), site)).toBe(true);
    expect(needsLog(fix({ targets: ['poland'] }), s.state, last(s), site)).toBe(true);
    expect(needsLog(fix({ summary: 'x', quote: 'y' }), s.state, last(s), site)).toBe(false);
    expect(needsLog(fix({ occurred: '2007-01-20' }), s.state, last(s), undefined)).toBe(false);
  });

  it('is true for an action carrying out a threat that counts before the last record-changing event, false for one that names nothing', () => {
    const s = given([usThirdSite, story.threat, gabala]); // the Gabala offer of 7 June is the last
    expect(mayCountBefore(command('action', { refersTo: 'threat', ...at('2007-06-05') }), s.state, last(s))).toBe(true);
    expect(mayCountBefore(command('action', { ...at('2007-06-05') }), s.state, last(s))).toBe(false);
  });

  it('is true for a record-changing event that counts before the last one, and false for an empty topic', () => {
    const s = scenario();
    expect(mayCountBefore(command('proposal', { ...at('2007-05-01') }), s.state, last(s))).toBe(true);
    expect(mayCountBefore(command('proposal', { ...at('2007-05-01') }), s.state, null)).toBe(false);
  });

  it('is true for an answer of any type that proves the last record happened before the day it counts from (movesWhatItAnswers), false for one that does not', () => {
    // A Russian threat dated June 2007 and reported on the 20th: it counts from the 20th.
    const s = given([
      usThirdSite,
      command('threat', {
        id: 'late-threat',
        targets: ['united-states'],
        occurred: '2007-06',
        reportedAt: '2007-06-20',
      }),
    ]);
    const condemn = (day: string) =>
      command('statement', { actor: 'united-states', targets: ['russia'], refersTo: 'late-threat', ...at(day) });
    // A statement changes no record, but one of the 10th moves the threat from the 20th to the 10th.
    expect(mayCountBefore(condemn('2007-06-10'), s.state, last(s))).toBe(true);
    expect(mayCountBefore(condemn('2007-06-25'), s.state, last(s))).toBe(false);
    // And decided with the log, it is recorded, and the threat counts from its day.
    s.record({ ...condemn('2007-06-10'), id: 'condemned' });
    expect(s.stateOf(TOPIC, '2007-06-10').threats['late-threat']).toMatchObject({ countsFrom: '2007-06-10' });
  });
});

describe('lifecycle: a concession closes with what it is about (audit 2, finding 3)', () => {
  // The US plan and its offer of observers (a sub-item); Russia concedes on each, no refersTo.
  const plan = command('proposal', {
    id: 'plan',
    actor: 'united-states',
    targets: ['russia'],
    ...at('2022-01-05'),
    payload: { item: 'us-third-site', terms: 'a radar and ten interceptors' },
  });
  const subOffer = command('proposal', {
    id: 'sub-offer',
    actor: 'united-states',
    targets: ['russia'],
    ...at('2022-01-06'),
    payload: {
      item: 'site-observers',
      itemTitle: 'Russian observers at the sites',
      itemParent: 'us-third-site',
      terms: 'observers at the sites',
    },
  });
  const concede = (id: string, item: string, terms: string, day: string, actor = 'russia') =>
    command('concession', {
      id,
      actor,
      targets: [actor === 'russia' ? 'united-states' : 'russia'],
      ...at(day),
      payload: { item, terms },
    });
  const onPlan = concede('on-plan', 'us-third-site', 'Russia accepts a radar alone', '2022-01-10');
  const onSub = concede('on-sub', 'site-observers', 'Russia pays for the observers', '2022-01-11');
  const endPlan = command('withdrawal', {
    id: 'end-plan',
    actor: 'united-states',
    targets: ['russia'],
    refersTo: 'plan',
    ...at('2022-02-01'),
  });

  it('given concessions on a plan and on its sub-item, when the proposer withdraws the plan, then both are moot from that day, caused by the withdrawal', () => {
    const { state } = given([plan, subOffer, onPlan, onSub, endPlan]);
    const moot = { status: 'moot', on: '2022-02-01', by: 'end-plan', party: 'united-states' };
    expect(state.concessions.map((c) => c.closed)).toEqual([moot, moot]);
    const russia = positionIn(state, 'russia', CATALOG);
    expect(russia.concessions).toEqual([]);
    expect(russia.closed.map((c) => [c.record, c.eventId, c.item, c.status, c.closed.evidence.eventId])).toEqual([
      ['concession', 'on-plan', 'us-third-site', 'moot', 'end-plan'],
      ['concession', 'on-sub', 'site-observers', 'moot', 'end-plan'],
    ]);
    expect(russia.closed[0]).toMatchObject({
      by: 'russia',
      targets: ['united-states'],
      what: 'Russia accepts a radar alone',
    });
    // Before the withdrawal, both stood.
    const before = positionIn(given([plan, subOffer, onPlan, onSub, endPlan]).stateOf(TOPIC, '2022-01-31'), 'russia');
    expect(before.concessions.map((c) => c.eventId)).toEqual(['on-plan', 'on-sub']);
    expect(before.closed).toEqual([]);
  });

  it('given a withdrawn plan, when a concession on it is made after, then it is moot from its own day, caused by the end of the plan', () => {
    const late = concede('late', 'site-observers', 'Russia pays for the observers', '2022-02-10');
    const { state } = given([plan, subOffer, endPlan, late]);
    expect(state.concessions[0].closed).toEqual({
      status: 'moot',
      on: '2022-02-10',
      by: 'end-plan',
      party: 'united-states',
    });
    expect(positionIn(state, 'russia', CATALOG).concessions).toEqual([]);
  });

  it('given the same records, when the end of the plan is reported last, then the concession reads the same as when the end came first', () => {
    const late = concede('late', 'site-observers', 'Russia pays for the observers', '2022-02-10');
    const first = given([plan, subOffer, endPlan, late]).state.concessions;
    const last = given([plan, subOffer, late, { ...endPlan, reportedAt: '2022-03-01' }]).state.concessions;
    expect(last).toEqual(first);
  });

  it('given a concession that meets a demand on the plan, when the plan ends, then the concession is moot and the demand stays met', () => {
    const demand = command('demand', {
      id: 'ask',
      actor: 'united-states',
      targets: ['russia'],
      ...at('2022-01-07'),
      payload: { item: 'us-third-site', demand: 'accept the radar' },
    });
    const meet = command('concession', {
      id: 'meet',
      targets: ['united-states'],
      refersTo: 'ask',
      ...at('2022-01-08'),
      payload: { terms: 'Russia accepts the radar' },
    });
    const { state } = given([plan, demand, meet, endPlan]);
    expect(state.demands.ask.closed).toMatchObject({ status: 'met', by: 'meet' });
    expect(state.concessions[0].closed).toMatchObject({ status: 'moot', by: 'end-plan' });
  });

  it('given the US plan, when Russia’s concession names it, then decide refuses it on refersTo: a concession meets a demand or backs down on its author’s own proposal, so none is about another party’s proposal', () => {
    for (const payload of [
      { terms: 'Russia accepts a radar alone' },
      { item: 'us-third-site', terms: 'a radar alone' },
    ]) {
      const p = problemOf(() =>
        given([plan]).when(
          command('concession', { targets: ['united-states'], refersTo: 'plan', ...at('2022-01-10'), payload }),
        ),
      );
      expect(fieldsOf(p)).toEqual(['refersTo']);
      expect(p.message).toContain("backs down on one's own proposal; plan is united-states's proposal");
    }
  });

  it('given a demand on the plan, when a concession meeting it names no item, then its record is about the demand’s item, and the end of the plan makes it moot', () => {
    const demand = command('demand', {
      id: 'ask',
      actor: 'united-states',
      targets: ['russia'],
      ...at('2022-01-07'),
      payload: { item: 'us-third-site', demand: 'accept the radar' },
    });
    const meet = command('concession', {
      id: 'meet',
      targets: ['united-states'],
      refersTo: 'ask',
      ...at('2022-01-08'),
      payload: { terms: 'Russia accepts the radar' },
    });
    const before = given([plan, demand, meet]);
    expect(positionIn(before.state, 'russia', CATALOG).concessions).toEqual([
      expect.objectContaining({ eventId: 'meet', meets: expect.objectContaining({ item: 'us-third-site' }) }),
    ]);
    const russia = positionIn(given([plan, demand, meet, endPlan]).state, 'russia', CATALOG);
    expect(russia.concessions).toEqual([]);
    expect(russia.closed.filter((c) => c.record === 'concession').map((c) => [c.eventId, c.item, c.status])).toEqual([
      ['meet', 'us-third-site', 'moot'],
    ]);
  });

  it('given a demand on the plan, when a concession meeting it names another item, then decide refuses it on payload.item, naming the demand’s item', () => {
    const demand = command('demand', {
      id: 'ask',
      actor: 'united-states',
      targets: ['russia'],
      ...at('2022-01-07'),
      payload: { item: 'us-third-site', demand: 'accept the radar' },
    });
    const p = problemOf(() =>
      given([plan, demand]).when(
        command('concession', {
          targets: ['united-states'],
          refersTo: 'ask',
          ...at('2022-01-08'),
          payload: { item: 'azerbaijan-radar', terms: 'Russia shares the Gabala data' },
        }),
      ),
    );
    expect(fieldsOf(p)).toEqual(['payload.item']);
    expect(p.message).toContain('names "azerbaijan-radar", but the demand ask it meets is about "us-third-site"');
  });

  it('given the plan, when its author backs down on it naming another item, then decide refuses it on payload.item; naming none, its record is about the plan’s item', () => {
    const backDown = (payload: Record<string, unknown>) =>
      command('concession', {
        id: 'own',
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'plan',
        ...at('2022-01-12'),
        payload,
      });
    const p = problemOf(() => given([plan]).when(backDown({ item: 'azerbaijan-radar', terms: 'no radar' })));
    expect(fieldsOf(p)).toEqual(['payload.item']);
    expect(p.message).toContain('but the proposal plan it backs down on is about "us-third-site"');
    const { state } = given([plan, backDown({ terms: 'the US lowers the radar' })]);
    expect(state.concessions[0]).toMatchObject({ item: 'us-third-site', backsDownOn: { event: 'plan' } });
  });

  it('given an open proposal, when its author concedes on its item without naming it, then it backs down on it as one naming it does', () => {
    const own = concede('own', 'us-third-site', 'the US lowers the radar', '2022-01-12', 'united-states');
    const named = { ...own, refersTo: 'plan' };
    for (const backDown of [own, named]) {
      const { state } = given([plan, subOffer, onPlan, backDown]);
      expect(state.proposals.plan.closed).toMatchObject({ status: 'conceded', by: 'own', on: '2022-01-12' });
      const us = positionIn(state, 'united-states', CATALOG);
      expect(us.openProposals).toEqual([]);
      expect(us.items.find((i) => i.item === 'us-third-site')).toMatchObject({
        stance: 'withdrawn',
        reason: 'the US lowers the radar',
      });
      expect(us.concessions).toEqual([
        expect.objectContaining({ eventId: 'own', backsDownOn: expect.objectContaining({ event: 'plan' }) }),
      ]);
      // It ended the plan: the sub-item's offer and Russia's concession on the plan are moot by it.
      expect(state.proposals['sub-offer'].closed).toMatchObject({ status: 'moot', by: 'own' });
      expect(state.concessions.find((c) => c.eventId === 'on-plan')?.closed).toMatchObject({
        status: 'moot',
        by: 'own',
      });
    }
  });

  it('given a back-down on the offer of a sub-item, when the plan ends later, then the back-down stays as made: it closed the offer, and nothing of it is left to make moot', () => {
    const dropObservers = concede('drop', 'site-observers', 'no observers after all', '2022-01-20', 'united-states');
    const { state } = given([plan, subOffer, dropObservers, endPlan]);
    expect(state.proposals['sub-offer'].closed).toMatchObject({ status: 'conceded', by: 'drop', on: '2022-01-20' });
    expect(state.concessions[0].closed).toBeUndefined();
    const us = positionIn(state, 'united-states', CATALOG);
    expect(us.closed.filter((c) => c.item === 'site-observers').map((c) => [c.record, c.status])).toEqual([
      ['proposal', 'conceded'],
    ]);
  });

  it('given a proposal already closed, when its author concedes on its item, then the concession backs down on nothing', () => {
    const own = concede('own', 'azerbaijan-radar', 'Russia shares the radar data', '2007-06-20', 'russia');
    const accepted = command('agreement', {
      id: 'yes',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'gabala',
      ...at('2007-06-10'),
    });
    const { state } = given([gabala, accepted, own]);
    expect(state.proposals.gabala.closed).toMatchObject({ status: 'accepted' });
    expect(state.concessions[0].backsDownOn).toBeUndefined();
    expect(state.concessions[0].closed).toBeUndefined();
  });
});

describe('lifecycle: a signer leaves an agreement once (audit 2, finding 6)', () => {
  const deal = command('agreement', {
    id: 'deal',
    actor: 'united-states',
    targets: [],
    ...at('2015-07-14'),
    payload: { parties: ['russia', 'poland'], terms: 'the joint plan on the radar', signed: true },
  });
  const leave = (id: string, day: string, actor = 'russia') =>
    command('withdrawal', { id, actor, targets: [], refersTo: 'deal', ...at(day) });

  it('given a signer that left the deal, when it withdraws from it again, then decide refuses it naming refersTo', () => {
    const p = problemOf(() => given([deal, leave('left', '2018-05-08')]).when(leave('again', '2018-06-01')));
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain(
      'the agreement deal is not in force for russia any more (withdrawn by left on 2018-05-08)',
    );
  });

  it('given a signer that left the deal, when another signer withdraws, then it is recorded', () => {
    const { state } = given([deal, leave('left', '2018-05-08'), leave('pl-left', '2018-06-01', 'poland')]);
    expect(state.acts[0].left?.map((l) => l.party)).toEqual(['russia', 'poland']);
  });

  it('given a signer that left the deal, when an earlier withdrawal of it is reported late, then decide refuses it, naming the withdrawal that could not have followed', () => {
    const p = problemOf(() =>
      given([deal, leave('left', '2018-05-08')]).when({ ...leave('earlier', '2018-05-01'), reportedAt: '2018-06-01' }),
    );
    expect(fieldsOf(p)).toEqual(['occurred']);
    expect(p.details.conflictsWith).toBe('left');
  });
});

describe('lifecycle: a late report refused for a later event is told what its own event would do (checkInOrder, breakingLater)', () => {
  // Each case: recorded events, then a report dated before one of them that the later one could not follow.
  const plan = command('proposal', {
    id: 'plan',
    actor: 'united-states',
    targets: ['russia'],
    ...at('2010-01-10'),
    payload: { item: 'x-plan', itemTitle: 'The X plan', terms: 'p' },
  });
  const sub = command('proposal', {
    id: 'sub',
    actor: 'united-states',
    targets: ['russia'],
    ...at('2010-01-12'),
    payload: { item: 'x-sub', itemTitle: 'A part of it', itemParent: 'x-plan', terms: 's' },
  });
  const threatOn = command('threat', {
    id: 'retarget',
    targets: ['united-states'],
    ...at('2010-01-11'),
    payload: { item: 'x-plan', counterMeasure: 'aim missiles at the sites' },
  });
  const ask = command('demand', {
    id: 'ask',
    targets: ['united-states'],
    ...at('2010-01-11'),
    payload: { item: 'x-plan', demand: 'legal guarantees' },
  });
  const late = (type: Parameters<typeof command>[0], overrides: Parameters<typeof command>[1]) =>
    command(type, { id: 'late', occurred: '2010-01-20', reportedAt: '2010-03-01', ...overrides });
  const refused = (recorded: Parameters<typeof given>[0], report: Parameters<typeof command>[1] & object) => {
    const p = problemOf(() => given(recorded).when(report as never));
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['occurred']);
    return p;
  };

  it('given a threat carried out on 1 February, when its withdrawal on 20 January is reported, then the refusal says the withdrawal would withdraw the threat before the action that carries it out', () => {
    const act = command('action', {
      id: 'act',
      targets: ['united-states'],
      refersTo: 'retarget',
      ...at('2010-02-01'),
      payload: { act: 'missiles aimed' },
    });
    const p = refused([plan, threatOn, act], late('withdrawal', { targets: ['united-states'], refersTo: 'retarget' }));
    expect(p.details.conflictsWith).toBe('act');
    expect(p.message).toContain(
      'this withdrawal (20 January 2010) would withdraw the threat retarget before the later action by russia ' +
        '(event act, 1 February 2010) that carries it out, which then could not stand: the threat retarget is no longer active (withdrawn)',
    );
  });

  it('given a threat withdrawn on 1 February, when an earlier withdrawal of it is reported, then the refusal says it would withdraw the threat before the later withdrawal of it', () => {
    const drop = command('withdrawal', {
      id: 'drop',
      targets: ['united-states'],
      refersTo: 'retarget',
      ...at('2010-02-01'),
    });
    const p = refused([plan, threatOn, drop], late('withdrawal', { targets: ['united-states'], refersTo: 'retarget' }));
    expect(p.details.conflictsWith).toBe('drop');
    expect(p.message).toContain(
      'this withdrawal (20 January 2010) would withdraw the threat retarget before the later withdrawal by russia (event drop, 1 February 2010) that withdraws it',
    );
  });

  it('given a demand met on 1 February, when its withdrawal on 20 January is reported, then the refusal says it would withdraw the demand before the concession that meets it', () => {
    const meet = command('concession', {
      id: 'meet',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'ask',
      ...at('2010-02-01'),
      payload: { terms: 'guarantees given' },
    });
    const p = refused([plan, ask, meet], late('withdrawal', { targets: ['united-states'], refersTo: 'ask' }));
    expect(p.details.conflictsWith).toBe('meet');
    expect(p.message).toContain(
      'this withdrawal (20 January 2010) would withdraw the demand ask before the later concession by united-states ' +
        '(event meet, 1 February 2010) that meets it, which then could not stand',
    );
  });

  it('given a signing of a sub-item on 1 February, when the end of its plan on 20 January is reported, then the refusal says the end would make the sub-item’s proposal moot before the signing', () => {
    const signSub = command('agreement', {
      id: 'sign-sub',
      targets: ['united-states'],
      refersTo: 'sub',
      ...at('2010-02-01'),
      payload: { terms: 's' },
    });
    const p = refused(
      [plan, sub, signSub],
      late('withdrawal', { actor: 'united-states', targets: ['russia'], refersTo: 'plan' }),
    );
    expect(p.details.conflictsWith).toBe('sign-sub');
    expect(p.message).toContain(
      'this withdrawal (20 January 2010) would make the proposal sub moot (by ending what it is about) before the later ' +
        'agreement by russia (event sign-sub, 1 February 2010) that signs it, which then could not stand: the proposal sub is not open (moot)',
    );
  });

  it('given a back-down on a proposal on 1 February, when an earlier back-down on it is reported, then the refusal says it would back down on the proposal before the later one', () => {
    const backDown = command('concession', {
      id: 'back-down',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'plan',
      ...at('2010-02-01'),
      payload: { terms: 'a smaller plan' },
    });
    const p = refused(
      [plan, backDown],
      late('concession', {
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'plan',
        payload: { terms: 'no radar' },
      }),
    );
    expect(p.details.conflictsWith).toBe('back-down');
    expect(p.message).toContain(
      'this concession (20 January 2010) would back down on the proposal plan before the later concession by united-states ' +
        '(event back-down, 1 February 2010) that backs down on it',
    );
  });

  it('given a threat made moot and withdrawn after, when an earlier withdrawal after the closure is reported, then the refusal says it would withdraw the moot threat before the later withdrawal', () => {
    const endPlan = command('withdrawal', {
      id: 'end-plan',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'plan',
      ...at('2010-01-15'),
    });
    const drop = command('withdrawal', {
      id: 'drop',
      targets: ['united-states'],
      refersTo: 'retarget',
      ...at('2010-02-01'),
    });
    const p = refused(
      [plan, threatOn, endPlan, drop],
      late('withdrawal', { targets: ['united-states'], refersTo: 'retarget' }),
    );
    expect(p.details.conflictsWith).toBe('drop');
    expect(p.message).toContain(
      'this withdrawal (20 January 2010) would withdraw the threat retarget (after it became moot) before the later withdrawal by russia (event drop, 1 February 2010) that withdraws it',
    );
  });

  it('given a signer that left a deal on 1 February, when its earlier withdrawal from it is reported, then the refusal says it would take the signer out of the deal before its later withdrawal', () => {
    const deal = command('agreement', {
      id: 'deal',
      actor: 'united-states',
      targets: [],
      ...at('2010-01-05'),
      payload: { parties: ['russia'], terms: 'the joint plan', signed: true },
    });
    const leave = command('withdrawal', { id: 'left', targets: [], refersTo: 'deal', ...at('2010-02-01') });
    const p = refused([deal, leave], late('withdrawal', { targets: [], refersTo: 'deal' }));
    expect(p.details.conflictsWith).toBe('left');
    expect(p.message).toContain(
      'this withdrawal (20 January 2010) would take russia out of the agreement deal before the later withdrawal by russia ' +
        '(event left, 1 February 2010) that withdraws from it, which then could not stand: the agreement deal is not in force for russia any more',
    );
  });
});
