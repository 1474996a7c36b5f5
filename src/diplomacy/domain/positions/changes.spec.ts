import { changesBetween } from './changes.js';
import { command, given, story, TOPIC } from '../testing/fixtures.js';
import { effectiveLog, evidenceIn, foldTopic, foldTopicWithTitles } from '../time/timeline.js';

const { usThirdSite, gabala, freeze, threat, opposes } = story;

/** The state of the topic at each of two dates, and the changes of a party in between. */
function between(s: ReturnType<typeof given>, from: string, to: string, party: string) {
  const log = effectiveLog(s.events).events;
  return changesBetween(foldTopic(TOPIC, log, from), foldTopic(TOPIC, log, to), party, evidenceIn(log));
}
const brief = (changes: ReturnType<typeof changesBetween>) =>
  changes.map((c) => [c.kind, c.subject, c.evidence.eventId]);

describe("changesBetween: how Russia's position moved from June to October 2007", () => {
  const s = given([
    usThirdSite,
    opposes,
    threat,
    gabala,
    command('statement', {
      id: 'softer',
      targets: [],
      occurred: '2007-07-15',
      reportedAt: '2007-07-16',
      payload: { item: 'us-third-site', stance: 'conditional', reason: 'with Russian officers at the sites' },
    }),
    command('withdrawal', {
      id: 'drop-threat',
      targets: ['poland'],
      refersTo: 'threat',
      occurred: '2007-07-20',
      reportedAt: '2007-07-21',
    }),
    command('proposal', {
      id: 'armavir',
      occurred: '2007-10-12',
      reportedAt: '2007-10-14',
      payload: { item: 'armavir-radar', itemTitle: 'a new radar in southern Russia', terms: 'a radar at Armavir' },
    }),
    freeze,
  ]);

  it('lists every change with the event that caused it, in the order they occurred', () => {
    expect(brief(between(s, '2007-06-30', '2007-10-31', 'russia'))).toEqual([
      ['responded', 'us-site', 'softer'],
      ['stance-moved', 'us-third-site', 'softer'],
      ['withdrew-threat', 'threat', 'drop-threat'],
      ['proposed', 'armavir', 'armavir'],
      ['stance-moved', 'armavir-radar', 'armavir'],
      ['demanded', 'freeze', 'freeze'],
    ]);
  });

  it('says what moved: stances from and to, the response given, what was proposed and demanded', () => {
    const changes = between(s, '2007-06-30', '2007-10-31', 'russia');
    expect(changes.find((c) => c.kind === 'stance-moved' && c.subject === 'us-third-site')).toEqual({
      kind: 'stance-moved',
      subject: 'us-third-site',
      item: 'us-third-site',
      title: 'us-third-site',
      from: 'opposes',
      to: 'conditional',
      detail: 'with Russian officers at the sites',
      on: '2007-07-15',
      evidence: expect.objectContaining({ eventId: 'softer' }),
    });
    expect(changes.find((c) => c.kind === 'stance-moved' && c.subject === 'armavir-radar')).toMatchObject({
      from: 'unknown',
      to: 'proposer',
    });
    expect(changes.find((c) => c.kind === 'responded')).toMatchObject({
      item: 'us-third-site',
      to: 'conditional',
      detail: 'united-states',
    });
    expect(changes.find((c) => c.kind === 'withdrew-threat')).toMatchObject({ detail: 'aim missiles at Europe' });
    expect(changes.find((c) => c.kind === 'proposed')).toMatchObject({
      item: 'armavir-radar',
      detail: 'a radar at Armavir',
    });
    expect(changes.find((c) => c.kind === 'demanded')).toMatchObject({
      item: 'us-third-site',
      detail: 'the deployment of the third site',
    });
  });

  it('shows the other side of the same events to the United States', () => {
    expect(brief(between(s, '2007-06-30', '2007-10-31', 'united-states'))).toEqual([
      ['received-response', 'us-site', 'softer'],
      ['demand-received', 'freeze', 'freeze'],
    ]);
  });

  it('given a threat against Poland made in June and withdrawn in July, when Poland asks what changed, then the threat received and its withdrawal are its changes', () => {
    expect(brief(between(s, '2007-05-31', '2007-10-31', 'poland'))).toEqual([
      ['threat-received', 'threat', 'threat'],
      ['threat-closed', 'threat', 'drop-threat'],
    ]);
    const [received, closed] = between(s, '2007-05-31', '2007-10-31', 'poland');
    expect(received).toMatchObject({
      detail: 'russia: aim missiles at Europe',
      record: { event: 'threat', record: 'threat', by: 'russia', what: 'aim missiles at Europe' },
    });
    expect(closed).toMatchObject({ to: 'withdrawn', detail: 'russia: aim missiles at Europe' });
    // A window after the threat was made says only its withdrawal; one after both, nothing.
    expect(brief(between(s, '2007-06-30', '2007-10-31', 'poland'))).toEqual([
      ['threat-closed', 'threat', 'drop-threat'],
    ]);
    expect(between(s, '2007-07-31', '2007-10-31', 'poland')).toEqual([]);
  });

  it('counts nothing twice: the changes of a window are those of its halves', () => {
    const whole = brief(between(s, '2007-06-30', '2007-10-31', 'russia'));
    const halves = [
      ...brief(between(s, '2007-06-30', '2007-08-31', 'russia')),
      ...brief(between(s, '2007-08-31', '2007-10-31', 'russia')),
    ];
    expect(halves).toEqual(whole);
  });

  it('finds no change between a date and itself, nor before anything happened', () => {
    expect(between(s, '2007-10-31', '2007-10-31', 'russia')).toEqual([]);
    expect(between(s, '2006-01-01', '2006-12-31', 'russia')).toEqual([]);
  });

  it('starts with the threat and the stance when the window opens before them', () => {
    expect(brief(between(s, '2007-05-31', '2007-06-05', 'russia'))).toEqual([
      ['responded', 'us-site', 'opposes'],
      ['stance-moved', 'us-third-site', 'opposes'],
      ['threatened', 'threat', 'threat'],
    ]);
  });
});

describe('changesBetween: demands met and withdrawn, concessions, deals and acts', () => {
  const s = given([
    gabala,
    freeze,
    command('demand', { id: 'guarantees', occurred: '2007-10-14', reportedAt: '2007-10-15' }),
    command('concession', {
      id: 'delay',
      actor: 'united-states',
      refersTo: 'freeze',
      occurred: '2007-10-23',
      reportedAt: '2007-10-24',
    }),
    command('withdrawal', {
      id: 'drop-guarantees',
      refersTo: 'guarantees',
      occurred: '2007-10-25',
      reportedAt: '2007-10-26',
    }),
    command('agreement', {
      id: 'deal',
      actor: 'united-states',
      refersTo: 'gabala',
      occurred: '2007-10-26',
      reportedAt: '2007-10-27',
    }),
    command('action', {
      id: 'suspend',
      actor: 'russia',
      targets: ['nato'],
      occurred: '2007-10-27',
      reportedAt: '2007-10-28',
    }),
  ]);

  it('tells the demander its demand was met, then withdrawn, and its proposal answered and so accepted', () => {
    expect(brief(between(s, '2007-10-20', '2007-10-31', 'russia'))).toEqual([
      ['demand-met', 'freeze', 'delay'],
      ['withdrew-demand', 'guarantees', 'drop-guarantees'],
      ['proposal-closed', 'gabala', 'deal'],
      ['received-response', 'gabala', 'deal'],
      ['acted', 'suspend', 'suspend'],
    ]);
  });

  it('tells the other side it conceded, agreed and responded', () => {
    expect(brief(between(s, '2007-10-20', '2007-10-31', 'united-states'))).toEqual([
      ['conceded', 'delay', 'delay'],
      ['demand-closed', 'freeze', 'delay'],
      ['demand-closed', 'guarantees', 'drop-guarantees'],
      ['agreed', 'deal', 'deal'],
      ['responded', 'gabala', 'deal'],
      ['stance-moved', 'azerbaijan-radar', 'deal'],
    ]);
  });

  it('reports a demand made and closed within the window as both', () => {
    expect(
      brief(between(s, '2007-10-13', '2007-10-31', 'russia')).filter(([, subject]) => subject === 'guarantees'),
    ).toEqual([
      ['demanded', 'guarantees', 'guarantees'],
      ['withdrew-demand', 'guarantees', 'drop-guarantees'],
    ]);
  });
});

describe('changesBetween: what others did to records a party is in (its closedConcerningParty, reactionsToParty)', () => {
  const s = given([
    command('proposal', {
      id: 'talks',
      actor: 'united-states',
      targets: ['russia'],
      occurred: '2007-10-12',
      reportedAt: '2007-10-13',
      payload: { item: 'azerbaijan-radar', terms: 'expert talks' },
    }),
    command('rejection', { id: 'no-talks', refersTo: 'talks', occurred: '2007-10-13', reportedAt: '2007-10-14' }),
    command('demand', {
      id: 'no-sites',
      targets: ['united-states', 'poland'],
      occurred: '2007-10-14',
      reportedAt: '2007-10-15',
      payload: { demand: 'no interceptors in Poland' },
    }),
    command('rejection', {
      id: 'poland-refuses',
      actor: 'poland',
      targets: ['russia'],
      refersTo: 'no-sites',
      occurred: '2007-10-20',
      reportedAt: '2007-10-21',
    }),
    command('withdrawal', {
      id: 'talks-off',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'talks',
      occurred: '2007-10-22',
      reportedAt: '2007-10-23',
    }),
    command('statement', {
      id: 'welcome',
      actor: 'nato',
      targets: ['united-states'],
      refersTo: 'talks-off',
      occurred: '2007-10-24',
      reportedAt: '2007-10-25',
      payload: { stance: 'supports' },
    }),
  ]);

  it('tells a party that a proposal it answered was withdrawn, and that a demand of its was answered', () => {
    // When Russia asks what changed after its refusal of the talks (from is exclusive)
    expect(brief(between(s, '2007-10-13', '2007-10-31', 'russia'))).toEqual([
      ['demanded', 'no-sites', 'no-sites'],
      ['received-response', 'no-sites', 'poland-refuses'],
      ['proposal-closed', 'talks', 'talks-off'],
    ]);
  });

  it("tells a party of another's answer to a demand made of both only as the author's, and of a reaction to its decision", () => {
    expect(brief(between(s, '2007-10-13', '2007-10-31', 'poland'))).toEqual([
      ['demand-received', 'no-sites', 'no-sites'],
      ['responded', 'no-sites', 'poland-refuses'],
    ]);
    expect(brief(between(s, '2007-10-13', '2007-10-31', 'united-states'))).toEqual([
      ['demand-received', 'no-sites', 'no-sites'],
      ['stance-moved', 'azerbaijan-radar', 'talks-off'],
      ['withdrew-proposal', 'talks', 'talks-off'],
      ['reaction-received', 'talks-off', 'welcome'],
    ]);
  });
});

describe('changesBetween: every stance and answer taken in the window, not only the last (audit of 2026-12-07, second)', () => {
  // Given the United States proposes the third site, and Russia supports, opposes and supports it again
  const stance = (id: string, day: string, value: string) =>
    command('statement', {
      id,
      targets: ['united-states'],
      occurred: day,
      reportedAt: day,
      payload: { item: 'us-third-site', stance: value },
    });
  const s = given([
    usThirdSite,
    stance('for', '2007-02-01', 'supports'),
    stance('against', '2007-02-10', 'opposes'),
    stance('for-again', '2007-02-20', 'supports'),
  ]);
  const moves = (from: string, to: string) =>
    between(s, from, to, 'russia')
      .filter((c) => c.kind === 'stance-moved')
      .map((c) => [c.from, c.to, c.evidence.eventId]);

  it('when the window holds all three, then each move is said', () => {
    expect(moves('2007-01-25', '2007-03-01')).toEqual([
      ['unknown', 'supports', 'for'],
      ['supports', 'opposes', 'against'],
      ['opposes', 'supports', 'for-again'],
    ]);
  });

  it('when the window starts after the first, then the opposition held in between is said, and the return', () => {
    expect(moves('2007-02-05', '2007-03-01')).toEqual([
      ['supports', 'opposes', 'against'],
      ['opposes', 'supports', 'for-again'],
    ]);
    // And the long window says what its two parts say
    expect([...moves('2007-02-05', '2007-02-15'), ...moves('2007-02-15', '2007-03-01')]).toEqual(
      moves('2007-02-05', '2007-03-01'),
    );
  });

  it('given a conditional answer to a proposal, then a signing, when both are in the window, then both are said', () => {
    const answered = given([
      usThirdSite,
      command('statement', {
        id: 'if-officers',
        actor: 'czech-republic',
        targets: ['united-states'],
        refersTo: 'us-site',
        occurred: '2007-03-01',
        reportedAt: '2007-03-01',
        payload: { item: 'us-third-site', stance: 'conditional', reason: 'if NATO agrees' },
      }),
      command('agreement', {
        id: 'signs',
        actor: 'czech-republic',
        targets: ['united-states'],
        refersTo: 'us-site',
        occurred: '2007-04-01',
        reportedAt: '2007-04-01',
        payload: {},
      }),
    ]);
    const said = between(answered, '2007-02-01', '2007-05-01', 'czech-republic')
      .filter((c) => c.kind === 'responded')
      .map((c) => [c.to, c.evidence.eventId]);
    expect(said).toEqual([
      ['conditional', 'if-officers'],
      ['accepted', 'signs'],
    ]);
  });
});

describe('changesBetween: order within a day', () => {
  it('given a proposal and its rejection on one day, then the proposal is said first, whatever their ids', () => {
    const s = given([
      gabala,
      command('rejection', {
        id: 'a-no', // sorts before "gabala"
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'gabala',
        occurred: gabala.occurred,
        reportedAt: gabala.reportedAt,
        payload: { reason: 'a complement only' },
      }),
    ]);
    expect(brief(between(s, '2007-06-01', '2007-06-30', 'russia'))).toEqual([
      ['proposed', 'gabala', 'gabala'],
      ['stance-moved', 'azerbaijan-radar', 'gabala'],
      ['received-response', 'gabala', 'a-no'],
    ]);
  });
});

describe('changesBetween: records of one day and one report (audit of 2026-12-07, finding 6)', () => {
  it('given a demand and a threat of one day reported together, then the one whose interval starts first is said first, whatever their ids', () => {
    const s = given([
      command('demand', {
        id: 'a-demand',
        occurred: '2007-06-07',
        reportedAt: '2007-06-08',
        payload: { item: 'us-third-site', demand: 'stop the site' },
      }),
      command('threat', {
        id: 'z-threat', // sorts after "a-demand"
        occurred: '2007-06-01/2007-06-07',
        reportedAt: '2007-06-08',
        payload: { item: 'us-third-site', counterMeasure: 'aim missiles at the sites' },
      }),
    ]);
    expect(brief(between(s, '2007-05-01', '2007-06-30', 'russia'))).toEqual([
      ['threatened', 'z-threat', 'z-threat'],
      ['demanded', 'a-demand', 'a-demand'],
    ]);
  });
});

describe('changesBetween: a signer leaves an agreement', () => {
  it('given a deal, when one signer withdraws from it, then its changes say it left, and the co-signer’s that it did', () => {
    const s = given([
      command('agreement', {
        id: 'deal',
        actor: 'united-states',
        targets: [],
        occurred: '2015-07-14',
        reportedAt: '2015-07-14',
        payload: { parties: ['russia'], terms: 'the joint plan' },
      }),
      command('withdrawal', {
        id: 'leave',
        actor: 'united-states',
        targets: [],
        refersTo: 'deal',
        occurred: '2018-05-08',
        reportedAt: '2018-05-08',
      }),
    ]);
    expect(brief(between(s, '2018-01-01', '2018-06-01', 'united-states'))).toEqual([
      ['left-agreement', 'deal', 'leave'],
    ]);
    expect(brief(between(s, '2018-01-01', '2018-06-01', 'russia'))).toEqual([['signer-left', 'deal', 'leave']]);
  });
});

describe('changesBetween: what a change is about, named (DESIGN section 4: a link names what it points to)', () => {
  const s = given([
    usThirdSite,
    opposes,
    threat,
    command('statement', {
      id: 'softer',
      targets: [],
      occurred: '2007-07-15',
      reportedAt: '2007-07-16',
      payload: { item: 'us-third-site', stance: 'conditional', reason: 'with Russian officers at the sites' },
    }),
    command('withdrawal', {
      id: 'drop-threat',
      targets: ['poland'],
      refersTo: 'threat',
      occurred: '2007-07-20',
      reportedAt: '2007-07-21',
    }),
  ]);

  it('given an answer to a proposal and a withdrawn threat, then each change names its record: kind, author, what it said, its item', () => {
    const changes = between(s, '2007-06-30', '2007-10-31', 'russia');
    expect(changes.find((c) => c.kind === 'responded')?.record).toEqual({
      event: 'us-site',
      record: 'proposal',
      by: 'united-states',
      what: usThirdSite.payload.terms,
      item: 'us-third-site',
      title: 'us-third-site',
    });
    expect(changes.find((c) => c.kind === 'withdrew-threat')?.record).toEqual({
      event: 'threat',
      record: 'threat',
      by: 'russia',
      what: 'aim missiles at Europe',
    });
    // A stance is about an item, not a record: its title names it.
    expect(changes.find((c) => c.kind === 'stance-moved')).not.toHaveProperty('record');
  });
});

describe('changesBetween: item titles as on the day of each change, never a later one (fourth audit, finding 1)', () => {
  /** Russia proposes a radar on 1 August, called "a radar in the south", and renames it by restating it on 1 September. */
  const proposal = (id: string, day: string, title: string, reportedAt = day) =>
    command('proposal', {
      id,
      occurred: day,
      reportedAt,
      payload: { item: 'south-radar', itemTitle: title, terms: `a radar (${id})` },
    });
  const changesOf = (events: Parameters<typeof given>[0], from: string, to: string, knownAt?: string) => {
    const log = effectiveLog(given(events).events, knownAt).events;
    const after = foldTopicWithTitles(TOPIC, log, to);
    return changesBetween(
      foldTopic(TOPIC, log, from),
      after.state,
      'russia',
      evidenceIn(log),
      (item, eventId) => after.titlesWhen(eventId)[item]?.title ?? item,
    ).map((c) => [c.kind, c.evidence.eventId, c.title, c.record?.title]);
  };
  const first = proposal('first', '2007-08-01', 'a radar in the south');
  const renamed = proposal('renamed', '2007-09-01', 'the Armavir radar', '2007-09-02');

  it('given a rename within the window, then the changes before it keep the title of their day, those after it take the new one', () => {
    expect(changesOf([first, renamed], '2007-07-01', '2007-10-01')).toEqual([
      ['proposed', 'first', 'a radar in the south', 'a radar in the south'],
      ['stance-moved', 'first', 'a radar in the south', undefined],
      // Restated on 1 September: the first proposal is superseded then, under the name of that day.
      ['proposal-closed', 'renamed', 'the Armavir radar', 'the Armavir radar'],
      ['proposed', 'renamed', 'the Armavir radar', 'the Armavir radar'],
    ]);
  });

  it('given a rename after the window, or reported after knownAt, then no change shows its title', () => {
    expect(changesOf([first, renamed], '2007-07-01', '2007-08-15')).toEqual([
      ['proposed', 'first', 'a radar in the south', 'a radar in the south'],
      ['stance-moved', 'first', 'a radar in the south', undefined],
    ]);
    // Reported on 2 September: as known on the 1st, the rename had not happened.
    expect(changesOf([first, renamed], '2007-07-01', '2007-10-01', '2007-09-01T12:00:00Z')).toEqual([
      ['proposed', 'first', 'a radar in the south', 'a radar in the south'],
      ['stance-moved', 'first', 'a radar in the south', undefined],
    ]);
  });
});

describe('changesBetween: a concession made moot when what it was about ended (audit 2, finding 3)', () => {
  const s = given([
    usThirdSite,
    command('concession', {
      id: 'radar-only',
      targets: ['united-states'],
      occurred: '2008-01-10',
      reportedAt: '2008-01-10',
      payload: { item: 'us-third-site', terms: 'Russia accepts a radar alone' },
    }),
    command('withdrawal', {
      id: 'drop-site',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'us-site',
      occurred: '2009-09-17',
      reportedAt: '2009-09-17',
    }),
  ]);

  it('given a concession on the plan, when the plan is withdrawn, then the conceding party sees its concession closed, moot, by the withdrawal', () => {
    const changes = between(s, '2009-01-01', '2009-12-31', 'russia');
    expect(changes.find((c) => c.kind === 'concession-closed')).toMatchObject({
      subject: 'radar-only',
      item: 'us-third-site',
      to: 'moot',
      detail: 'Russia accepts a radar alone',
      record: { record: 'concession', by: 'russia', what: 'Russia accepts a radar alone' },
      evidence: expect.objectContaining({ eventId: 'drop-site' }),
    });
    // Over a window that holds both, it is said as conceded, then closed.
    expect(brief(between(s, '2007-12-31', '2009-12-31', 'russia')).filter(([k]) => k.startsWith('conce'))).toEqual([
      ['conceded', 'radar-only', 'radar-only'],
      ['concession-closed', 'radar-only', 'drop-site'],
    ]);
  });
});

describe('changesBetween: each change on the day it counts, in the topic order (audit 3, finding A)', () => {
  const s = given([
    // A proposal dated by its month, reported on the 20th, and a rejection of it dated the 5th.
    command('proposal', {
      id: 'deal',
      occurred: '2007-01',
      reportedAt: '2007-01-20T12:00:00Z',
      payload: { item: 'deal', itemTitle: 'The deal', terms: 'a deal' },
    }),
    command('rejection', {
      id: 'no-deal',
      actor: 'united-states',
      refersTo: 'deal',
      occurred: '2007-01-05',
      reportedAt: '2007-01-06T12:00:00Z',
    }),
    // A pact with two co-signers; Poland leaves it in June (reported on the 10th); Russia welcomed
    // the leaving on 3 June (reported on the 4th).
    command('agreement', {
      id: 'pact',
      targets: ['united-states', 'poland'],
      occurred: '2007-02-01',
      reportedAt: '2007-02-01T12:00:00Z',
      payload: { item: 'us-third-site', terms: 'the pact', parties: ['united-states', 'poland'], signed: true },
    }),
    // A threat dated by its month, reported on the 25th, carried out on the 10th.
    command('threat', {
      id: 'threat-april',
      occurred: '2007-04',
      reportedAt: '2007-04-25T12:00:00Z',
      payload: { counterMeasure: 'expel the diplomats' },
    }),
    command('action', {
      id: 'expels',
      refersTo: 'threat-april',
      occurred: '2007-04-10',
      reportedAt: '2007-04-11T12:00:00Z',
      payload: { act: 'expelled the diplomats' },
    }),
    command('withdrawal', {
      id: 'poland-leaves',
      actor: 'poland',
      targets: ['russia', 'united-states'],
      refersTo: 'pact',
      occurred: '2007-06',
      reportedAt: '2007-06-10T12:00:00Z',
    }),
    command('statement', {
      id: 'welcomes',
      targets: ['poland'],
      refersTo: 'poland-leaves',
      occurred: '2007-06-03',
      reportedAt: '2007-06-04T12:00:00Z',
      payload: { stance: 'supports' },
    }),
    // A plan withdrawn on 5 August, and a threat about it made on the 10th: moot from its start.
    command('proposal', {
      id: 'shield',
      actor: 'united-states',
      occurred: '2007-08-01',
      reportedAt: '2007-08-01T12:00:00Z',
      payload: { item: 'shield', itemTitle: 'The shield', terms: 'a shield' },
    }),
    command('withdrawal', {
      id: 'drop-shield',
      actor: 'united-states',
      refersTo: 'shield',
      occurred: '2007-08-05',
      reportedAt: '2007-08-05T12:00:00Z',
    }),
    command('threat', {
      id: 'late-threat',
      occurred: '2007-08-10',
      reportedAt: '2007-08-10T12:00:00Z',
      payload: { item: 'shield', counterMeasure: 'aim missiles at the shield' },
    }),
  ]);
  const dated = (changes: ReturnType<typeof changesBetween>) =>
    changes.map((c) => [c.on, c.kind, c.to ?? '', c.evidence.eventId]);

  it('given an answer dated before what it answers counted, when the changes are listed, then each change is on the day it counts and after what it answers', () => {
    expect(dated(between(s, '2006-12-31', '2007-12-31', 'russia'))).toEqual([
      // The rejection of 5 January proves the proposal dated January had happened by then
      // (provenDays): both count from the 5th, the proposal first.
      ['2007-01-05', 'proposed', '', 'deal'],
      ['2007-01-05', 'stance-moved', 'proposer', 'deal'],
      ['2007-01-05', 'received-response', 'rejected', 'no-deal'],
      ['2007-02-01', 'agreed', '', 'pact'],
      ['2007-02-01', 'stance-moved', 'accepted', 'pact'],
      // Carried out on the 10th: the threat dated April had been made by then, and comes first.
      ['2007-04-10', 'threatened', '', 'threat-april'],
      ['2007-04-10', 'acted', '', 'expels'],
      ['2007-04-10', 'threat-closed', 'carried-out', 'expels'],
      // Welcomed on 3 June: the withdrawal dated June had happened by then, and comes first.
      ['2007-06-03', 'signer-left', '', 'poland-leaves'],
      ['2007-06-03', 'reacted', 'welcomed', 'welcomes'],
      // Moot from its start: closed on its own day by the earlier withdrawal, after it was made.
      ['2007-08-10', 'threatened', '', 'late-threat'],
      ['2007-08-10', 'threat-closed', 'moot', 'drop-shield'],
    ]);
  });
});
