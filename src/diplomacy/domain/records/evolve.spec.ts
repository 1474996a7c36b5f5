import { evidenceOf, evolve } from './evolve.js';
import { CATALOG, command, given, positionIn, story, TOPIC } from '../testing/fixtures.js';
import { emptyTopicState, statusOf, WHOLE_TOPIC } from './topic-state.js';

const { usThirdSite, gabala, freeze, threat, opposes } = story;

const evidence = (eventId: string) => expect.objectContaining({ eventId });
const itemStance = (state: Parameters<typeof positionIn>[0], party: string, item: string) =>
  positionIn(state, party, CATALOG).items.find((i) => i.item === item);

const rejectUsSite = command('rejection', {
  id: 'reject-site',
  actor: 'russia',
  targets: ['united-states'],
  refersTo: 'us-site',
  occurred: '2007-02-10',
  reportedAt: '2007-02-11',
  payload: { reason: 'it threatens Russian deterrence' },
});

describe('evolve: proposals', () => {
  it('makes the actor the proposer, with an open proposal that every addressee has not answered yet', () => {
    const { state } = given([usThirdSite]);
    expect(state.items['us-third-site']).toEqual({
      slug: 'us-third-site',
      title: 'us-third-site',
      proposer: 'united-states',
    });
    const us = positionIn(state, 'united-states', CATALOG);
    expect(us.stance).toBe('proposer');
    expect(itemStance(state, 'united-states', 'us-third-site')).toMatchObject({
      stance: 'proposer',
      title: 'the US third site',
      evidence: evidence('us-site'),
    });
    expect(us.openProposals).toEqual([
      {
        eventId: 'us-site',
        item: 'us-third-site',
        title: 'the US third site',
        terms: '10 interceptors in Poland, a radar in the Czech Republic',
        proposer: 'united-states',
        addressees: ['poland', 'czech-republic', 'russia'],
        responses: [
          { party: 'poland', response: 'none' },
          { party: 'czech-republic', response: 'none' },
          { party: 'russia', response: 'none' },
        ],
        evidence: evidence('us-site'),
        countsFrom: '2007-01-22',
      },
    ]);
  });

  it('keeps the title a proposal gives a new item', () => {
    const { state } = given([
      command('proposal', {
        id: 'armavir',
        payload: { item: 'armavir-radar', itemTitle: 'a new radar in southern Russia', terms: 'Armavir' },
      }),
    ]);
    expect(state.items['armavir-radar']).toEqual({
      slug: 'armavir-radar',
      title: 'a new radar in southern Russia',
      proposer: 'russia',
    });
    expect(positionIn(state, 'russia', CATALOG).openProposals[0].title).toBe('a new radar in southern Russia');
  });

  it('engages the actor and the targets, in order of appearance', () => {
    expect(given([usThirdSite]).state.parties).toEqual(['united-states', 'poland', 'czech-republic', 'russia']);
    expect(given([usThirdSite, gabala]).state.parties).toEqual(['united-states', 'poland', 'czech-republic', 'russia']);
  });
});

describe('evolve: rejections', () => {
  it("records the response on the proposal, which the proposer sees, and the rejecter's stance on the item", () => {
    const { state } = given([usThirdSite, rejectUsSite]);
    const us = positionIn(state, 'united-states', CATALOG);
    expect(us.openProposals[0].responses).toEqual([
      {
        party: 'russia',
        response: 'rejected',
        reason: 'it threatens Russian deterrence',
        evidence: evidence('reject-site'),
        countsFrom: '2007-02-10',
      },
      { party: 'poland', response: 'none' },
      { party: 'czech-republic', response: 'none' },
    ]);
    const russia = positionIn(state, 'russia', CATALOG);
    expect(russia.responses).toEqual([
      {
        to: {
          event: 'us-site',
          record: 'proposal',
          by: 'united-states',
          item: 'us-third-site',
          title: 'the US third site',
          what: '10 interceptors in Poland, a radar in the Czech Republic',
        },
        item: 'us-third-site',
        title: 'the US third site',
        response: 'rejected',
        reason: 'it threatens Russian deterrence',
        evidence: evidence('reject-site'),
        countsFrom: '2007-02-10',
      },
    ]);
    expect(itemStance(state, 'russia', 'us-third-site')).toMatchObject({
      stance: 'rejected',
      reason: 'it threatens Russian deterrence',
    });
    expect(russia.stance).toBe('rejected');
  });

  it("is the rejecter's own last change, and the last change affecting the proposer, not the other addressees", () => {
    const { state } = given([usThirdSite, rejectUsSite]);
    expect(state.lastChange['united-states']).toBe('us-site');
    expect(state.lastChange.russia).toBe('reject-site');
    expect(state.lastChangeAffecting['united-states']).toBe('reject-site');
    expect(state.lastChangeAffecting.russia).toBe('reject-site');
    expect(state.lastChangeAffecting.poland).toBe('us-site');
  });

  it('refuses a demand every target rejected: closed as refused by the rejection, the answer on it', () => {
    const { state } = given([
      freeze,
      command('rejection', {
        id: 'no-freeze',
        actor: 'united-states',
        refersTo: 'freeze',
        occurred: '2007-10-13',
        reportedAt: '2007-10-14',
      }),
    ]);
    expect(state.demands.freeze.closed).toEqual({
      status: 'refused',
      on: '2007-10-13',
      by: 'no-freeze',
      party: 'united-states',
    });
    const russia = positionIn(state, 'russia', CATALOG);
    expect(russia.activeDemands).toEqual([]);
    const [closed] = russia.closed;
    expect(closed).toMatchObject({ record: 'demand', eventId: 'freeze', status: 'refused' });
    expect(closed.responses).toEqual([
      {
        party: 'united-states',
        response: 'rejected',
        reason: 'the radar cannot replace the third site', // the refusal's reason shows with the demand it refused
        evidence: evidence('no-freeze'),
        countsFrom: '2007-10-13',
      },
    ]);
    expect(state.lastChangeAffecting.russia).toBe('no-freeze');
    expect(state.lastChange.russia).toBe('freeze');
  });
});

describe('evolve: demands and concessions', () => {
  it("lists a freeze demand among the actor's active demands and the target's demands on it", () => {
    const { state } = given([freeze]);
    const expected = {
      eventId: 'freeze',
      kind: 'freeze_demand',
      by: 'russia',
      targets: ['united-states'],
      item: 'us-third-site',
      what: 'the deployment of the third site',
      condition: 'while talks continue',
      responses: [],
      evidence: evidence('freeze'),
      countsFrom: '2007-10-13',
    };
    expect(positionIn(state, 'russia', CATALOG).activeDemands).toEqual([expected]);
    expect(positionIn(state, 'united-states', CATALOG).demandsOnParty).toEqual([expected]);
    expect(positionIn(state, 'russia', CATALOG).demandsOnParty).toEqual([]);
    expect(positionIn(state, 'poland', CATALOG).demandsOnParty).toEqual([]);
  });

  it('keeps what a plain demand asks for', () => {
    const { state } = given([command('demand', { id: 'guarantees' })]);
    expect(state.demands.guarantees).toMatchObject({
      kind: 'demand',
      what: 'legally binding guarantees that the system is not aimed at Russia',
    });
    expect(statusOf('demand', state.demands.guarantees)).toBe('active');
    expect(state.demands.guarantees).not.toHaveProperty('condition');
  });

  it('marks a demand met by the concession that answers it, and lists the concession', () => {
    const { state } = given([
      freeze,
      command('concession', {
        id: 'delay',
        actor: 'united-states',
        refersTo: 'freeze',
        occurred: '2007-10-23',
        reportedAt: '2007-10-24',
        payload: { item: 'us-third-site', terms: 'delay activation until Iran tests a missile' },
      }),
    ]);
    expect(state.demands.freeze).toMatchObject({
      closed: { status: 'met', by: 'delay', party: 'united-states', on: '2007-10-23' },
      responses: { 'united-states': { party: 'united-states', response: 'conceded', evidence: 'delay' } },
    });
    expect(positionIn(state, 'russia', CATALOG).activeDemands).toEqual([]);
    expect(positionIn(state, 'united-states', CATALOG).demandsOnParty).toEqual([]);
    expect(positionIn(state, 'united-states', CATALOG).concessions).toEqual([
      {
        eventId: 'delay',
        item: 'us-third-site',
        terms: 'delay activation until Iran tests a missile',
        meets: expect.objectContaining({ event: 'freeze', record: 'demand', by: 'russia' }),
        evidence: evidence('delay'),
        countsFrom: '2007-10-23',
      },
    ]);
    expect(state.lastChangeAffecting.russia).toBe('delay');
  });

  it('touches every target of a met demand: it leaves their demands', () => {
    const { state } = given([
      command('freeze_demand', { id: 'both', targets: ['poland', 'czech-republic'] }),
      command('concession', {
        id: 'prague-waits',
        actor: 'czech-republic',
        targets: ['russia'],
        refersTo: 'both',
        occurred: '2007-06-09',
        reportedAt: '2007-06-10',
      }),
    ]);
    expect(positionIn(state, 'poland', CATALOG).demandsOnParty).toEqual([]);
    expect(state.lastChangeAffecting.poland).toBe('prague-waits');
    expect(state.lastChangeAffecting.russia).toBe('prague-waits');
    expect(state.lastChange.poland).toBeUndefined(); // a target's last change is its own, and Poland did nothing
  });

  it('lists a concession that answers no demand without meeting anything', () => {
    const { state } = given([command('concession', { id: 'observers', actor: 'united-states' })]);
    expect(positionIn(state, 'united-states', CATALOG).concessions).toEqual([
      {
        eventId: 'observers',
        terms: 'Russian observers may visit the sites',
        evidence: evidence('observers'),
        countsFrom: '2007-06-07',
      },
    ]);
  });

  it('closes a withdrawn demand, touching its targets', () => {
    const { state } = given([
      freeze,
      command('withdrawal', {
        id: 'drop-freeze',
        actor: 'russia',
        refersTo: 'freeze',
        occurred: '2007-12-01',
        reportedAt: '2007-12-02',
      }),
    ]);
    expect(state.demands.freeze.closed).toMatchObject({ status: 'withdrawn', by: 'drop-freeze' });
    expect(positionIn(state, 'russia', CATALOG).activeDemands).toEqual([]);
    expect(positionIn(state, 'united-states', CATALOG).demandsOnParty).toEqual([]);
    expect(state.lastChangeAffecting['united-states']).toBe('drop-freeze');
  });
});

describe('evolve: threats and withdrawals', () => {
  const dropThreat = command('withdrawal', {
    id: 'drop-threat',
    actor: 'russia',
    targets: ['poland'],
    refersTo: 'threat',
    occurred: '2007-07-01',
    reportedAt: '2007-07-02',
  });

  it('lists an active threat until it is withdrawn', () => {
    const threatened = given([threat]).state;
    expect(positionIn(threatened, 'russia', CATALOG).activeThreats).toEqual([
      {
        eventId: 'threat',
        by: 'russia',
        targets: ['poland'],
        counterMeasure: 'aim missiles at Europe',
        condition: 'if the third site is built',
        evidence: evidence('threat'),
        countsFrom: '2007-06-04',
      },
    ]);
    const { state } = given([threat, dropThreat]);
    expect(positionIn(state, 'russia', CATALOG).activeThreats).toEqual([]);
    expect(state.threats.threat.closed).toMatchObject({ status: 'withdrawn', by: 'drop-threat' });
    expect(positionIn(state, 'russia', CATALOG).closed).toEqual([
      expect.objectContaining({ record: 'threat', eventId: 'threat', status: 'withdrawn' }),
    ]);
  });

  it('given a threat against Poland, when Poland’s position is asked, then it lists the threat as Russia’s activeThreats does, and its withdrawal as closed concerning Poland, which it affects', () => {
    const threatened = given([threat]).state;
    const russia = positionIn(threatened, 'russia', CATALOG);
    const poland = positionIn(threatened, 'poland', CATALOG);
    expect(poland.threatsAgainstParty).toEqual(russia.activeThreats);
    expect(poland.lastChangeAffecting?.eventId).toBe('threat');
    expect(positionIn(threatened, 'united-states', CATALOG).threatsAgainstParty).toEqual([]);

    const { state } = given([threat, dropThreat]);
    const after = positionIn(state, 'poland', CATALOG);
    expect(after.threatsAgainstParty).toEqual([]);
    expect(after.closedConcerningParty).toEqual(positionIn(state, 'russia', CATALOG).closed);
    expect(after.closedConcerningParty).toEqual([
      expect.objectContaining({ record: 'threat', eventId: 'threat', by: 'russia', status: 'withdrawn' }),
    ]);
    // The withdrawal took the threat out of Poland's list: it changed Poland's position.
    expect(state.lastChangeAffecting.poland).toBe('drop-threat');
  });

  it('given a threat about the US third site against the United States, when the United States withdraws the plan, then the threat is moot in the United States’ closedConcerningParty', () => {
    const { state } = given([
      story.usThirdSite,
      command('threat', {
        id: 'aim',
        targets: ['united-states'],
        occurred: '2007-06-01',
        reportedAt: '2007-06-01',
        payload: { item: 'us-third-site', counterMeasure: 'aim missiles at the sites' },
      }),
      command('withdrawal', {
        id: 'drop-site',
        actor: 'united-states',
        refersTo: 'us-site',
        occurred: '2009-09-17',
        reportedAt: '2009-09-17',
      }),
    ]);
    const us = positionIn(state, 'united-states', CATALOG);
    expect(us.threatsAgainstParty).toEqual([]);
    expect(us.closedConcerningParty).toEqual([
      expect.objectContaining({
        record: 'threat',
        eventId: 'aim',
        status: 'moot',
        closed: expect.objectContaining({ party: 'united-states' }),
      }),
    ]);
  });

  it('closes a withdrawn proposal: no longer open, the proposer\'s stance "withdrawn"', () => {
    const { state } = given([
      gabala,
      command('withdrawal', {
        id: 'drop-gabala',
        refersTo: 'gabala',
        occurred: '2007-09-01',
        reportedAt: '2007-09-02',
        payload: { reason: 'no answer came' },
      }),
    ]);
    const russia = positionIn(state, 'russia', CATALOG);
    expect(russia.openProposals).toEqual([]);
    expect(itemStance(state, 'russia', 'azerbaijan-radar')).toMatchObject({
      stance: 'withdrawn',
      reason: 'no answer came',
      evidence: evidence('drop-gabala'),
    });
    expect(state.proposals.gabala.closed).toMatchObject({ status: 'withdrawn', by: 'drop-gabala' });
    expect(russia.stance).toBe('unknown');
  });
});

describe('evolve: statements, endorsements, agreements and acts', () => {
  it("sets the stance on the item named, answering other parties' open proposals of it", () => {
    const { state } = given([usThirdSite, opposes]);
    expect(itemStance(state, 'russia', 'us-third-site')).toMatchObject({
      stance: 'opposes',
      reason: 'it threatens Russian deterrence',
      evidence: evidence('opposes'),
    });
    expect(positionIn(state, 'russia', CATALOG).responses).toEqual([
      expect.objectContaining({
        to: expect.objectContaining({ event: 'us-site' }),
        response: 'opposes',
        reason: 'it threatens Russian deterrence',
      }),
    ]);
    expect(positionIn(state, 'united-states', CATALOG).openProposals[0].responses[0]).toMatchObject({
      party: 'russia',
      response: 'opposes',
    });
  });

  it('keeps the latest stance: a later statement replaces the earlier one', () => {
    const { state } = given([
      usThirdSite,
      opposes,
      command('statement', {
        id: 'softer',
        targets: [],
        occurred: '2007-10-13',
        reportedAt: '2007-10-14',
        payload: { item: 'us-third-site', stance: 'conditional', reason: 'if Russian officers are there' },
      }),
    ]);
    expect(itemStance(state, 'russia', 'us-third-site')).toMatchObject({
      stance: 'conditional',
      reason: 'if Russian officers are there',
    });
    expect(positionIn(state, 'united-states', CATALOG).openProposals[0].responses[0]).toMatchObject({
      party: 'russia',
      response: 'conditional',
    });
  });

  it('sets the stance on the topic as a whole when a statement names no item', () => {
    const { state } = given([
      command('statement', {
        id: 'nato-backs',
        actor: 'nato',
        targets: [],
        payload: { stance: 'supports', reason: 'alliance solidarity' },
      }),
    ]);
    const nato = positionIn(state, 'nato', CATALOG);
    expect(nato.topicStance).toEqual({
      item: WHOLE_TOPIC,
      title: 'the topic as a whole',
      stance: 'supports',
      reason: 'alliance solidarity',
      since: '2007-06-07',
      evidence: evidence('nato-backs'),
    });
    expect(nato.items.every((i) => i.stance === 'unknown')).toBe(true);
    expect(nato.stance).toBe('supports');
    expect(state.stances.nato[WHOLE_TOPIC].stance).toBe('supports');
  });

  it("does not answer a party's own proposals, nor withdrawn ones, by its statements", () => {
    const { state } = given([
      gabala,
      command('statement', {
        actor: 'russia',
        targets: [],
        occurred: '2007-06-08',
        reportedAt: '2007-06-09',
        payload: { item: 'azerbaijan-radar', stance: 'supports' },
      }),
      command('withdrawal', { refersTo: 'gabala', occurred: '2007-06-09', reportedAt: '2007-06-10' }),
      command('statement', {
        actor: 'united-states',
        occurred: '2007-06-10',
        reportedAt: '2007-06-11',
        payload: { item: 'azerbaijan-radar', stance: 'opposes' },
      }),
    ]);
    expect(state.proposals.gabala.responses).toEqual({});
  });

  it('makes an endorser a supporter, and tells the proposer it endorsed', () => {
    const { state } = given([
      usThirdSite,
      command('endorsement', { id: 'poland-backs', actor: 'poland', targets: ['united-states'] }),
    ]);
    expect(itemStance(state, 'poland', 'us-third-site')).toMatchObject({
      stance: 'supports',
      reason: 'endorsed it',
      evidence: evidence('poland-backs'),
    });
    expect(positionIn(state, 'united-states', CATALOG).openProposals[0].responses).toEqual([
      { party: 'poland', response: 'endorsed', countsFrom: '2007-06-07', evidence: evidence('poland-backs') },
      { party: 'czech-republic', response: 'none' },
      { party: 'russia', response: 'none' },
    ]);
    expect(positionIn(state, 'poland', CATALOG).responses).toEqual([
      expect.objectContaining({
        to: expect.objectContaining({ event: 'us-site', by: 'united-states' }),
        response: 'endorsed',
      }),
    ]);
    expect(positionIn(state, 'poland', CATALOG).stance).toBe('supports');
  });

  it('makes an agreement to a proposal an acceptance, and an act', () => {
    const { state } = given([
      gabala,
      command('agreement', {
        id: 'yes',
        actor: 'united-states',
        refersTo: 'gabala',
        occurred: '2007-06-09',
        reportedAt: '2007-06-10',
      }),
    ]);
    const us = positionIn(state, 'united-states', CATALOG);
    expect(itemStance(state, 'united-states', 'azerbaijan-radar')).toMatchObject({
      stance: 'accepted',
      evidence: evidence('yes'),
    });
    expect(us.stance).toBe('accepted');
    expect(us.responses).toEqual([]); // the proposal it answered is closed: the answer shows with it
    expect(us.closed).toEqual([]); // not its own record
    expect(us.closedConcerningParty).toEqual([
      expect.objectContaining({ record: 'proposal', eventId: 'gabala', status: 'accepted' }),
    ]);
    expect(us.acts).toEqual([
      {
        eventId: 'yes',
        kind: 'agreement',
        targets: ['russia'],
        item: 'azerbaijan-radar',
        description: 'joint use of the Gabala radar',
        accepts: expect.objectContaining({ event: 'gabala', record: 'proposal', by: 'russia' }),
        evidence: evidence('yes'),
        countsFrom: '2007-06-09',
      },
    ]);
    const russia = positionIn(state, 'russia', CATALOG);
    expect(russia.openProposals).toEqual([]);
    expect(russia.closed[0].responses).toEqual([
      { party: 'united-states', response: 'accepted', evidence: evidence('yes'), countsFrom: '2007-06-09' },
    ]);
  });

  it('makes a signed deal on an item, answering no proposal, an acceptance of the item', () => {
    const { state } = given([
      command('agreement', {
        id: 'basing',
        actor: 'united-states',
        targets: ['poland'],
        payload: { item: 'us-third-site', terms: 'basing agreement' },
      }),
    ]);
    expect(itemStance(state, 'united-states', 'us-third-site')).toMatchObject({ stance: 'accepted' });
    expect(positionIn(state, 'united-states', CATALOG).acts).toEqual([
      {
        eventId: 'basing',
        kind: 'agreement',
        targets: ['poland'],
        signed: true, // a deal of its own, with no code said, is taken as signed (CAMEO 057)
        item: 'us-third-site',
        description: 'basing agreement',
        evidence: evidence('basing'),
        countsFrom: '2007-06-07',
      },
    ]);
  });

  it("lists an action among the actor's acts without touching stances", () => {
    const { state } = given([command('action', { id: 'suspend', actor: 'russia', targets: ['nato'] })]);
    expect(positionIn(state, 'russia', CATALOG).acts).toEqual([
      {
        eventId: 'suspend',
        kind: 'action',
        targets: ['nato'],
        description: 'suspend the CFE treaty',
        evidence: evidence('suspend'),
        countsFrom: '2007-06-07',
      },
    ]);
    expect(state.stances).toEqual({});
    expect(state.lastChange.nato).toBeUndefined();
    expect(state.lastChangeAffecting.nato).toBe('suspend');
    expect(state.lastChange.russia).toBe('suspend');
  });
});

describe('evolve: the fold itself', () => {
  it('leaves the state it is given untouched', () => {
    const s = given([usThirdSite]);
    const before = s.state;
    const copy = JSON.parse(JSON.stringify(before));
    const after = evolve(before, given([usThirdSite, rejectUsSite]).events[1]);
    expect(before).toEqual(copy);
    expect(after).not.toEqual(before);
  });

  it('changes nothing for corrections and retractions: effectiveLog applies them before the fold', () => {
    const s = given([
      gabala,
      command('correction', { refersTo: 'gabala', reportedAt: '2007-06-10' }),
      command('retraction', { refersTo: 'gabala', reportedAt: '2007-06-11' }),
    ]);
    const state = evolve(emptyTopicState(TOPIC), s.events[0]);
    expect(evolve(state, s.events[1])).toBe(state);
    expect(evolve(state, s.events[2])).toBe(state);
  });

  it('references the evidence of a corrected record with the correction', () => {
    const [event] = given([opposes]).events;
    const state = evolve(emptyTopicState(TOPIC), event, 'fix-1');
    expect(state.stances.russia['us-third-site'].evidence).toBe('opposes+fix-1');
    expect(state.lastChange.russia).toBe('opposes+fix-1');
  });

  it("builds evidence from the event's clocks and provenance", () => {
    const [event] = given([
      command('statement', {
        id: 'quoted',
        speaker: { name: 'Sergei Lavrov', role: 'Foreign Minister' },
        quote: 'We will not accept it',
      }),
    ]).events;
    expect(evidenceOf(event)).toEqual({
      eventId: 'quoted',
      type: 'statement',
      actor: 'russia',
      occurred: { from: '2007-06-07', to: '2007-06-07', precision: 'day' },
      reportedAt: '2007-06-08T00:00:00.000Z',
      speaker: { name: 'Sergei Lavrov', role: 'Foreign Minister' },
      quote: 'We will not accept it',
      summary: 'A statement about missile defense in Europe.',
      source: { publisher: 'The Washington Post', title: 't', publishedAt: '2007-06-08' },
    });
    expect(evidenceOf(event, 'c1').correctedBy).toBe('c1');
  });

  it('answers nothing when what an answer refers to is not in the state', () => {
    const s = given([usThirdSite, rejectUsSite]);
    const state = evolve(emptyTopicState(TOPIC), s.events[1]);
    expect(state.proposals).toEqual({});
    expect(state.stances).toEqual({});
    expect(state.parties).toEqual(['russia', 'united-states']);
  });
});
