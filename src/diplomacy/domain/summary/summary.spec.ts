import { historyWindowStart, type PositionCore } from '../positions/position.js';
import { inSentence, type Names, titleInSentence, summarize, topicInSentence } from './summary.js';
import { CATALOG, command, given, moscow, NAMES, positionIn, story, TOPIC } from '../testing/fixtures.js';

const { usThirdSite } = story;

describe('summarize', () => {
  const at = (s: ReturnType<typeof given>, day: string, party: string): PositionCore =>
    positionIn(s.stateOf(TOPIC, day), party, CATALOG);

  it('says where Russia stood at the Moscow talks: opposed item, freeze demand, open proposal', () => {
    const s = moscow();
    expect(summarize(at(s, '2007-10-13', 'russia'), '2007-10-13', NAMES)).toBe(
      'As of 13 October 2007, Russia opposed the US third site, demanded that the United States freeze the US third site while talks continue, and had on the table joint use of the Gabala radar.',
    );
  });

  it('given Russia’s threat against Poland, when Poland’s position is summarized, then it faced the threat while it stood, and saw it withdrawn once withdrawn', () => {
    const s = given([
      story.threat,
      command('withdrawal', {
        id: 'drop-threat',
        targets: ['poland'],
        refersTo: 'threat',
        occurred: '2007-07-20',
        reportedAt: '2007-07-21',
      }),
    ]);
    expect(summarize(at(s, '2007-06-10', 'poland'), '2007-06-10', NAMES)).toBe(
      'As of 10 June 2007, Poland faced the threat of Russia to aim missiles at Europe.',
    );
    // Withdrawn: no longer faced; nothing else of Poland's stands, so the withdrawal is said, as made against it.
    expect(summarize(at(s, '2007-08-01', 'poland'), '2007-08-01', NAMES)).toBe(
      'As of 1 August 2007, Poland had no standing position on missile defense in Europe; it saw the threat of Russia to aim missiles at Europe, made against it, withdrawn on 20 July 2007.',
    );
  });

  it('given a party with records of its own, when a threat against it stands too, then its own records are said first', () => {
    const s = given([
      story.usThirdSite,
      command('threat', {
        id: 'aim',
        targets: ['united-states'],
        occurred: '2007-06-04',
        reportedAt: '2007-06-05',
        payload: { counterMeasure: 're-aim missiles at Europe' },
      }),
    ]);
    expect(summarize(at(s, '2007-06-06', 'united-states'), '2007-06-06', NAMES)).toBe(
      'As of 6 June 2007, the United States had on the table the US third site and faced the threat of Russia to re-aim missiles at Europe.',
    );
  });

  it('does not yet count a demand whose interval contains the date', () => {
    expect(summarize(at(moscow(), '2007-10-12', 'russia'), '2007-10-12', NAMES)).toBe(
      'As of 12 October 2007, Russia opposed the US third site and had on the table joint use of the Gabala radar.',
    );
  });

  it('given a plan its proposer signs with a host, then both positions show the signing', () => {
    const s = given([
      story.usThirdSite,
      command('agreement', {
        id: 'czech-treaty',
        actor: 'united-states',
        targets: [],
        refersTo: 'us-site',
        occurred: '2008-07-08',
        reportedAt: '2008-07-08',
        payload: { parties: ['czech-republic'], signed: true, terms: 'a radar in the Czech Republic' },
      }),
    ]);
    const czech = at(s, '2008-07-09', 'czech-republic');
    const us = at(s, '2008-07-09', 'united-states');
    for (const position of [czech, us]) {
      expect(position.acts).toEqual([
        expect.objectContaining({
          eventId: 'czech-treaty',
          kind: 'agreement',
          signers: ['united-states', 'czech-republic'],
        }),
      ]);
    }
    expect(czech.items.find((i) => i.item === 'us-third-site')?.stance).toBe('accepted');
    // The co-signer signed it: the signing is its own latest act, not only something done to it.
    expect(czech.lastChange?.eventId).toBe('czech-treaty');
    expect(summarize(czech, '2008-07-09', NAMES)).toContain('signed the US third site with the United States');
    expect(summarize(us, '2008-07-09', NAMES)).toContain('signed the US third site with the Czech Republic');
    // Poland and Russia, to whom the plan was also made, have not signed: it is still open.
    expect(us.openProposals.map((p) => p.eventId)).toEqual(['us-site']);
    expect(us.responses).toEqual([]);
    expect(us.openProposals[0].responses.map((r) => [r.party, r.response])).toEqual([
      ['czech-republic', 'accepted'],
      ['poland', 'none'],
      ['russia', 'none'],
    ]);
  });

  it('given a co-signer with no other event in the topic, then the topic counts it as a party', () => {
    const s = given([
      story.gabala,
      command('agreement', {
        id: 'joint',
        actor: 'united-states',
        targets: [],
        refersTo: 'gabala',
        occurred: '2007-06-09',
        reportedAt: '2007-06-09',
        payload: { parties: ['nato'] },
      }),
    ]);
    expect(s.stateOf(TOPIC, '2007-06-10').parties).toContain('nato');
    expect(at(s, '2007-06-10', 'nato').acts.map((a) => a.eventId)).toEqual(['joint']);
  });

  it('mentions an active threat, and drops it once withdrawn', () => {
    const s = moscow();
    expect(summarize(at(s, '2007-06-05', 'russia'), '2007-06-05', NAMES)).toBe(
      'As of 5 June 2007, Russia opposed the US third site and threatened to aim missiles at Europe if the third site is built.',
    );
    expect(summarize(at(s, '2007-07-01', 'russia'), '2007-07-01', NAMES)).not.toContain('threatened');
  });

  it('says when a party has taken no recorded position', () => {
    expect(summarize(positionIn(given([]).state, 'iran', CATALOG), '2007-06-01', NAMES)).toBe(
      'As of 1 June 2007, Iran had taken no recorded position on missile defense in Europe.',
    );
  });

  it('given only events possibly in effect, then it says they may already be in effect, not only "no recorded position"', () => {
    const none = positionIn(given([]).state, 'iran', CATALOG);
    expect(summarize(none, '2007-06-01', NAMES, undefined, 1)).toBe(
      'As of 1 June 2007, Iran had taken no recorded position on missile defense in Europe, though 1 event involving Iran, not counted yet, had begun by that day and may already be in effect.',
    );
    expect(summarize(none, '2007-06-01', NAMES, undefined, 2)).toContain(
      '2 events involving Iran, not counted yet, had begun',
    );
  });

  it('names the topic when the stance is on the topic as a whole', () => {
    const s = given([command('statement', { actor: 'nato', targets: [], payload: { stance: 'supports' } })]);
    expect(summarize(positionIn(s.state, 'nato', CATALOG), '2007-06-07', NAMES)).toBe(
      'As of 7 June 2007, NATO supported missile defense in Europe.',
    );
  });

  it('groups items by verb and lists concessions and plain demands', () => {
    const s = given([
      usThirdSite,
      command('statement', { actor: 'iran', targets: [], payload: { item: 'us-third-site', stance: 'opposes' } }),
      command('statement', {
        actor: 'iran',
        targets: [],
        payload: { item: 'transparency-observers', stance: 'opposes' },
      }),
      command('demand', {
        actor: 'iran',
        targets: ['united-states', 'poland'],
        payload: { demand: 'no interceptors in Europe' },
      }),
      command('concession', { actor: 'iran', targets: ['united-states'], payload: { terms: 'talks in Geneva' } }),
    ]);
    expect(summarize(positionIn(s.state, 'iran', CATALOG), '2007-06-07', NAMES)).toBe(
      'As of 7 June 2007, Iran opposed the US third site and Russian observers at the sites, demanded of the United States and Poland: no interceptors in Europe, and had conceded talks in Geneva.',
    );
  });

  it('shortens an item title at its colon', () => {
    const s = given([
      command('proposal', {
        payload: { item: 'armavir-radar', itemTitle: 'a radar at Armavir: a new early-warning station', terms: 't' },
      }),
    ]);
    // Made that day, the proposal is the news of the date; a year on, it is what the party keeps on the table.
    expect(summarize(positionIn(s.state, 'russia', CATALOG), '2007-06-07', NAMES)).toBe(
      'As of 7 June 2007, Russia proposed a radar at Armavir on 7 June 2007.',
    );
    expect(summarize(positionIn(s.state, 'russia', CATALOG), '2008-06-07', NAMES)).toBe(
      'As of 7 June 2008, Russia had on the table a radar at Armavir.',
    );
  });

  it('says once that a party accepted what another proposed to it, and fits shorter clauses after a long one', () => {
    // Given talks the United States proposes to Russia, which Russia accepts, and Russia's opposition to the site
    const s = given([
      command('proposal', {
        id: 'talks',
        actor: 'united-states',
        targets: ['russia'],
        payload: { item: 'azerbaijan-radar', terms: 'expert talks' },
      }),
      command('statement', { payload: { item: 'us-third-site', stance: 'opposes' } }),
      command('agreement', {
        refersTo: 'talks',
        targets: ['united-states'],
        payload: { item: 'azerbaijan-radar', terms: 'expert talks' },
      }),
    ]);
    // When its position is summed up the day after
    const summary = summarize(positionIn(s.state, 'russia', CATALOG), '2007-06-08', NAMES);
    // Then the acceptance is one clause, and the opposition is still said
    expect(summary).toMatch(/accepted joint use of the Gabala radar, as the United States proposed, on 7 June 2007/);
    expect(summary).not.toMatch(/demand|agreed to/);
    expect(summary).toMatch(/opposed the US third site/);
  });

  it('keeps a summary of many items within about 60 words, naming the first and counting the rest', () => {
    // Given n plans the United States proposes, each supported by Russia (slugs in the order of their numbers)
    const slug = (i: number) => `plan-${String(i + 1).padStart(2, '0')}`;
    const plans = (n: number) =>
      given(
        Array.from({ length: n }, (_, i) => [
          command('proposal', {
            id: `proposal-${slug(i)}`,
            actor: 'united-states',
            payload: { item: slug(i), itemTitle: `plan number ${i + 1}`, terms: 'terms' },
          }),
          command('statement', { refersTo: `proposal-${slug(i)}`, payload: { item: slug(i), stance: 'supports' } }),
        ]).flat(),
      );
    // When both positions are summed up a year later (no turning point left)
    const summed = (n: number, party: string) =>
      summarize(positionIn(plans(n).state, party, CATALOG), '2008-06-07', NAMES);
    const russia = summed(30, 'russia');
    const us = summed(30, 'united-states');
    // Then each says the first items and how many more, in at most 60 words
    expect(russia).toMatch(
      /^As of 7 June 2008, Russia supported plan number 1, plan number 2, .* and \d+ other items\.$/,
    );
    expect(us).toMatch(
      /^As of 7 June 2008, the United States had on the table plan number 30, plan number 29, .* and \d+ other proposals\.$/,
    );
    const words = (text: string) => text.split(/\s+/).length;
    for (const summary of [russia, us]) expect(words(summary)).toBeLessThanOrEqual(60);
    // And one more plan is one more "other" item, not a longer sentence; a few plans are all named
    const others = (summary: string) => Number(/and (\d+) other/.exec(summary)![1]);
    expect(others(summed(31, 'russia'))).toBe(others(russia) + 1);
    expect(summed(3, 'russia')).toBe(
      'As of 7 June 2008, Russia supported plan number 1, plan number 2 and plan number 3.',
    );
  });
});

describe('inSentence', () => {
  it.each([
    ['United States', 'the United States'],
    ['Czech Republic', 'the Czech Republic'],
    ['Russia', 'Russia'],
    ['Richard Lugar', 'Richard Lugar'],
    ['U.S. Congress', 'the U.S. Congress'],
    ['Russian Duma', 'Russian Duma'],
    ['European Parliament', 'the European Parliament'],
    ['NATO', 'NATO'],
  ])('writes %s as %s', (name, expected) => {
    expect(inSentence(name)).toBe(expected);
  });

  it('gives a plural name "the" (the catalog says which are plural), and never a second "the"', () => {
    expect(inSentence('European G8 countries', true)).toBe('the European G8 countries');
    expect(inSentence('The Quartet')).toBe('the Quartet'); // mid-sentence, its own article in lower case
  });
});

describe('summarize: what closed, said as the structure says it (audit of 2026-12-07)', () => {
  const on = (day: string) => ({ occurred: day, reportedAt: day });
  const positionAt = (s: ReturnType<typeof given>, day: string, party: string) =>
    positionIn(s.stateOf(TOPIC, day), party, CATALOG);

  it('given a demand both its targets refused, then the summary names both', () => {
    const s = given([
      command('freeze_demand', { id: 'f', actor: 'russia', targets: ['united-states', 'poland'], ...on('2020-11-01') }),
      command('rejection', {
        id: 'r1',
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'f',
        ...on('2020-11-03'),
      }),
      command('rejection', { id: 'r2', actor: 'poland', targets: ['russia'], refersTo: 'f', ...on('2020-11-04') }),
    ]);
    expect(summarize(positionAt(s, '2020-11-05', 'russia'), '2020-11-05', NAMES)).toContain(
      'refused by Poland and the United States on 4 November 2020',
    );
    // Each refuser's summary says its own refusal on its own day, the first one's included.
    expect(summarize(positionAt(s, '2020-11-05', 'united-states'), '2020-11-05', NAMES)).toContain(
      'the demand of Russia on the US third site on 3 November 2020',
    );
  });

  it('given a welcomed withdrawal of a threat, then the summary says the threat was withdrawn, not the plan it was about', () => {
    const s = given([
      story.usThirdSite,
      command('threat', { id: 't', actor: 'russia', targets: ['united-states'], ...on('2020-03-03') }),
      command('withdrawal', { id: 'w', actor: 'russia', refersTo: 't', ...on('2020-03-10') }),
      command('statement', {
        id: 'welcome',
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'w',
        ...on('2020-03-11'),
        payload: { stance: 'supports', reason: 'welcome' },
      }),
    ]);
    const summary = summarize(positionAt(s, '2020-03-12', 'united-states'), '2020-03-12', NAMES);
    expect(summary).toContain('welcomed the withdrawal by Russia of its threat to aim missiles at Europe');
    expect(summary).not.toContain('withdrawal by Russia of the US third site');
  });

  it('given a signing the party opposed since, then the summary says it signed on its day and opposes now', () => {
    const s = given([
      command('proposal', {
        id: 'deal',
        actor: 'united-states',
        targets: ['poland'],
        ...on('2020-01-02'),
        payload: { item: 'us-third-site', terms: 'the deal' },
      }),
      command('agreement', {
        id: 'sig',
        actor: 'poland',
        targets: ['united-states'],
        refersTo: 'deal',
        ...on('2020-01-05'),
      }),
      command('statement', {
        id: 'no',
        actor: 'poland',
        targets: ['united-states'],
        refersTo: 'deal',
        ...on('2020-02-05'),
        payload: { item: 'us-third-site', stance: 'opposes' },
      }),
    ]);
    const summary = summarize(positionAt(s, '2020-02-10', 'poland'), '2020-02-10', NAMES);
    expect(summary).toContain('opposed the US third site');
    expect(summary).not.toContain('agreed to');
  });

  it('given only closed records, then the summary says the latest closure, not "no recorded position"', () => {
    const s = given([
      command('freeze_demand', { id: 'f', actor: 'russia', targets: ['poland'], ...on('2020-01-12') }),
      command('rejection', { id: 'r', actor: 'poland', targets: ['russia'], refersTo: 'f', ...on('2020-01-22') }),
      command('withdrawal', { id: 'w', actor: 'russia', refersTo: 'f', ...on('2020-02-12') }),
    ]);
    expect(summarize(positionAt(s, '2020-06-01', 'russia'), '2020-06-01', NAMES)).toBe(
      'As of 1 June 2020, Russia had no standing position on missile defense in Europe; it withdrew its demand that Poland freeze the US third site on 12 February 2020.',
    );
    expect(summarize(positionAt(s, '2020-06-01', 'poland'), '2020-06-01', NAMES)).toBe(
      'As of 1 June 2020, Poland had no standing position on missile defense in Europe; it saw the demand of Russia on the US third site, which it had answered, withdrawn on 12 February 2020.',
    );
  });

  it('given a demand made of a party that never answered it, when its author withdraws it, then the party saw it withdrawn as made of it, not "which it had answered"', () => {
    const s = given([
      command('freeze_demand', { id: 'f', actor: 'russia', targets: ['poland'], ...on('2020-01-12') }),
      command('withdrawal', { id: 'w', actor: 'russia', refersTo: 'f', ...on('2020-02-12') }),
    ]);
    expect(summarize(positionAt(s, '2020-06-01', 'poland'), '2020-06-01', NAMES)).toBe(
      'As of 1 June 2020, Poland had no standing position on missile defense in Europe; it saw the demand of Russia on the US third site, made of it, withdrawn on 12 February 2020.',
    );
  });

  it('given two demands closed alike on one day, then the summary says so once', () => {
    const s = given([
      command('freeze_demand', { id: 'f1', actor: 'russia', targets: ['united-states'], ...on('2020-06-01') }),
      command('freeze_demand', {
        id: 'f2',
        actor: 'russia',
        targets: ['united-states'],
        ...on('2020-06-02'),
        payload: { item: 'us-third-site', action: 'the radar', condition: 'now' },
      }),
      command('rejection', {
        id: 'r1',
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'f1',
        ...on('2020-06-10'),
      }),
      command('rejection', {
        id: 'r2',
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'f2',
        ...on('2020-06-10'),
      }),
    ]);
    const summary = summarize(positionAt(s, '2020-06-11', 'united-states'), '2020-06-11', NAMES);
    const clause = 'the demand of Russia on the US third site on 10 June 2020';
    expect(summary.split(clause).length - 1).toBe(1);
  });
});

describe('summarize: dates as precise as their sources, and what the party did (audit of 2026-12-07, second)', () => {
  const positionAt = (s: ReturnType<typeof given>, day: string, party: string): PositionCore =>
    positionIn(s.stateOf(TOPIC, day), party, CATALOG);

  it.each([
    ['2007-01-01/2007-06-06', 'proposed the US third site between 1 January and 6 June 2007'],
    ['2006-07-01/2007-06-06', 'proposed the US third site between 1 July 2006 and 6 June 2007'],
    ['2007-06-01/2007-06-06', 'proposed the US third site between 1 and 6 June 2007'],
    ['2007-06', 'proposed the US third site in June 2007'],
    ['2007-06-06', 'proposed the US third site on 6 June 2007'],
  ])('given a proposal dated %s, then the summary says it %s, never on a day the source did not give', (date, said) => {
    const s = given([{ ...usThirdSite, occurred: date, reportedAt: '2007-06-30' }]);
    expect(summarize(positionAt(s, '2007-07-01', 'united-states'), '2007-07-01', NAMES)).toContain(said);
  });

  it('given a refusal known only to have happened within a month, then the closure is said in that month', () => {
    const s = given([
      usThirdSite,
      story.freeze,
      command('rejection', {
        id: 'no-freeze',
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'freeze',
        occurred: '2007-11',
        reportedAt: '2007-12-02',
      }),
    ]);
    expect(summarize(positionAt(s, '2007-12-05', 'russia'), '2007-12-05', NAMES)).toContain(
      'refused by the United States in November 2007',
    );
  });

  it('given an action, then the summary says it on its day, and among what the party had done after that', () => {
    // Given Russia opposes the plan, then suspends a treaty by decree
    const s = given([
      usThirdSite,
      story.opposes,
      command('action', {
        id: 'decree',
        actor: 'russia',
        targets: ['nato'],
        occurred: '2007-07-14',
        reportedAt: '2007-07-14',
        payload: { act: 'decree suspending the CFE Treaty' },
      }),
    ]);
    // When its position is summed up the next day, then the act leads
    expect(summarize(positionAt(s, '2007-07-15', 'russia'), '2007-07-15', NAMES)).toBe(
      'As of 15 July 2007, Russia took the action “decree suspending the CFE Treaty” on 14 July 2007 and opposed the US third site.',
    );
    // And eleven months later it is still said, after the standing stance; after a year, only the position lists it
    expect(summarize(positionAt(s, '2008-06-15', 'russia'), '2008-06-15', NAMES)).toBe(
      'As of 15 June 2008, Russia opposed the US third site and had taken the action “decree suspending the CFE Treaty”.',
    );
    expect(summarize(positionAt(s, '2008-07-16', 'russia'), '2008-07-16', NAMES)).toBe(
      'As of 16 July 2008, Russia opposed the US third site.',
    );
    expect(positionAt(s, '2008-07-16', 'russia').acts.map((a) => a.eventId)).toEqual(['decree']);
  });
});

describe('summarize: a threat carried out', () => {
  const positionAt = (s: ReturnType<typeof given>, day: string, party: string): PositionCore =>
    positionIn(s.stateOf(TOPIC, day), party, CATALOG);
  // Putin threatened to suspend the CFE Treaty on 26 April 2007; the decree of 14 July did.
  const threatAndDecree = () =>
    given([
      usThirdSite,
      story.opposes,
      command('threat', {
        id: 'cfe-threat',
        targets: ['nato'],
        occurred: '2007-04-26',
        reportedAt: '2007-04-26',
        payload: { counterMeasure: 'suspend the CFE Treaty' },
      }),
      command('action', {
        id: 'decree',
        targets: ['nato'],
        refersTo: 'cfe-threat',
        occurred: '2007-07-14',
        reportedAt: '2007-07-14',
        payload: { act: 'decree suspending the CFE Treaty' },
      }),
    ]);

  it('given a threat, before the action, then the summary says it threatened', () => {
    expect(summarize(positionAt(threatAndDecree(), '2007-07-13', 'russia'), '2007-07-13', NAMES)).toBe(
      'As of 13 July 2007, Russia opposed the US third site and threatened to suspend the CFE Treaty.',
    );
  });

  it('given the action that carried it out, then the turning point says it carried out its threat on the day, once (not the action again), and no threat stands', () => {
    expect(summarize(positionAt(threatAndDecree(), '2007-07-15', 'russia'), '2007-07-15', NAMES)).toBe(
      'As of 15 July 2007, Russia carried out its threat to suspend the CFE Treaty on 14 July 2007 and opposed the US third site.',
    );
  });

  it('given that closure past the turning points, then the action is said among what it had done for the year, and the threat no more', () => {
    expect(summarize(positionAt(threatAndDecree(), '2008-01-15', 'russia'), '2008-01-15', NAMES)).toBe(
      'As of 15 January 2008, Russia opposed the US third site and had taken the action “decree suspending the CFE Treaty”.',
    );
  });

  it('given nothing else standing, then the fallback says it carried out its threat, not only that it acted', () => {
    const s = given([
      command('threat', {
        id: 'cfe-threat',
        targets: ['nato'],
        occurred: '2007-04-26',
        reportedAt: '2007-04-26',
        payload: { counterMeasure: 'suspend the CFE Treaty' },
      }),
      command('action', {
        id: 'decree',
        targets: ['nato'],
        refersTo: 'cfe-threat',
        occurred: '2007-07-14',
        reportedAt: '2007-07-14',
        payload: { act: 'decree suspending the CFE Treaty' },
      }),
    ]);
    expect(summarize(positionAt(s, '2008-02-01', 'russia'), '2008-02-01', NAMES)).toBe(
      'As of 1 February 2008, Russia had taken the action “decree suspending the CFE Treaty”.',
    );
    expect(summarize(positionAt(s, '2008-08-01', 'russia'), '2008-08-01', NAMES)).toBe(
      'As of 1 August 2008, Russia had no standing position on missile defense in Europe; it carried out its threat to suspend the CFE Treaty on 14 July 2007.',
    );
  });

  it('given a threat with a long counter-measure among many items, then the summary stays within 60 words and still leads with the turning point', () => {
    const long = 'deploy Iskander missiles in the Kaliningrad region and target the interceptor sites in Poland';
    const s = given([
      usThirdSite,
      command('threat', {
        id: 'iskander',
        targets: ['poland'],
        occurred: '2008-11-05',
        reportedAt: '2008-11-05',
        payload: { counterMeasure: long },
      }),
      command('action', {
        id: 'deploy',
        targets: ['poland'],
        refersTo: 'iskander',
        occurred: '2009-01-10',
        reportedAt: '2009-01-10',
        payload: { act: 'deployed Iskander missiles' },
      }),
      ...['us-third-site', 'azerbaijan-radar', 'transparency-observers'].map((item, i) =>
        command('statement', {
          id: `st-${i}`,
          targets: [],
          occurred: '2008-12-01',
          reportedAt: '2008-12-01',
          payload: { item, stance: 'opposes' },
        }),
      ),
    ]);
    const text = summarize(positionAt(s, '2009-01-12', 'russia'), '2009-01-12', NAMES);
    expect(text).toMatch(
      /^As of 12 January 2009, Russia carried out its threat to deploy Iskander missiles .* on 10 January 2009/,
    );
    expect(text.split(/\s+/).length).toBeLessThanOrEqual(60);
  });
});

describe('titleInSentence', () => {
  it.each([
    [
      'The Treaty on Conventional Armed Forces in Europe (CFE)',
      'the Treaty on Conventional Armed Forces in Europe (CFE)',
    ],
    ['The Intermediate-Range Nuclear Forces (INF) Treaty', 'the Intermediate-Range Nuclear Forces (INF) Treaty'],
    ['NATO enlargement', 'NATO enlargement'],
    ['Theatre missile defense', 'Theatre missile defense'],
  ])('writes %s as %s', (title, expected) => {
    expect(titleInSentence(title)).toBe(expected);
  });

  it('gives the summary of a party without a recorded position the title in sentence case', () => {
    // Given a party engaged in a topic whose title begins with an article, and nothing counted yet
    const position = positionIn(given([]).state, 'russia', CATALOG);
    // When its position is summed up
    const summary = summarize(position, '2007-06-08', {
      ...NAMES,
      topic: () => topicInSentence({ title: 'The Treaty on Conventional Armed Forces in Europe (CFE)', phrase: null }),
    });
    // Then the title reads inside the sentence
    expect(summary).toBe(
      'As of 8 June 2007, Russia had taken no recorded position on the Treaty on Conventional Armed Forces in Europe (CFE).',
    );
  });
});

describe('names in a sentence: a topic\'s phrase, a plural party\'s "their"', () => {
  const on = (day: string) => ({ occurred: day, reportedAt: day });
  const positionAt = (s: ReturnType<typeof given>, day: string, party: string) =>
    positionIn(s.stateOf(TOPIC, day), party, CATALOG);

  it('names a topic by its phrase where the catalog gives one ("Missile defense in Europe" read capitalised mid-sentence)', () => {
    expect(topicInSentence({ title: 'Missile defense in Europe', phrase: 'missile defense in Europe' })).toBe(
      'missile defense in Europe',
    );
    expect(topicInSentence({ title: 'Missile defense in Europe', phrase: null })).toBe('Missile defense in Europe');
    expect(topicInSentence({ title: 'A follow-on treaty to START' })).toBe('a follow-on treaty to START');
  });

  it('given only an action older than the year of actions said, then the summary says it, not "no recorded position"', () => {
    const s = given([
      command('action', { id: 'hold', actor: 'russia', ...on('2007-10-20'), payload: { act: 'A hold on funding' } }),
    ]);
    expect(summarize(positionAt(s, '2009-01-01', 'russia'), '2009-01-01', NAMES)).toBe(
      'As of 1 January 2009, Russia had no standing position on missile defense in Europe; it took the action “A hold on funding” on 20 October 2007.',
    );
  });

  it('given an item titled with an article, then a summary names it in sentence case', () => {
    const s = given([
      command('proposal', {
        id: 'deal',
        ...on('2020-03-01'),
        payload: { item: 'x-deal', itemTitle: 'The deal', terms: 'a deal' },
      }),
    ]);
    const position = positionIn(s.stateOf(TOPIC, '2020-03-02'), 'russia', [
      ...CATALOG,
      { slug: 'x-deal', title: 'The deal' },
    ]);
    expect(summarize(position, '2020-03-02', NAMES)).toContain('the deal');
    expect(summarize(position, '2020-03-02', NAMES)).not.toContain('The deal');
  });

  it('given a party whose name is plural, when it backed down on its proposal, then the summary says "their"', () => {
    const s = given([
      command('proposal', {
        id: 'cuts',
        ...on('2020-01-10'),
        payload: { item: 'azerbaijan-radar', terms: 'joint use' },
      }),
      command('concession', { id: 'back', refersTo: 'cuts', ...on('2020-02-01') }),
    ]);
    const plural = { ...NAMES, party: () => 'the European G8 countries', its: () => 'their' as const };
    const summary = summarize(positionAt(s, '2020-02-10', 'russia'), '2020-02-10', plural);
    expect(summary).toContain('backed down on their proposal');
    expect(summary).not.toMatch(/\bits\b/);
  });
});

describe('summarize: what stands and what closed, said once and in English (audit of 2026-12-08)', () => {
  const on = (day: string) => ({ occurred: day, reportedAt: day });
  const positionAt = (s: ReturnType<typeof given>, day: string, party: string) =>
    positionIn(s.stateOf(TOPIC, day), party, CATALOG, { historyFrom: historyWindowStart(day) });
  const said = (s: ReturnType<typeof given>, day: string, party: string, names: Names = NAMES) =>
    summarize(positionAt(s, day, party), day, names);
  const basingTreaty = command('agreement', {
    id: 'basing',
    actor: 'united-states',
    targets: [],
    ...on('2021-01-06'),
    payload: { terms: 'a basing treaty', parties: ['czech-republic'], signed: true },
  });
  const czechLeaves = (id: string, day: string) =>
    command('withdrawal', { id, actor: 'czech-republic', targets: [], refersTo: 'basing', ...on(day) });

  it('given agreements signed more than three months before, then each party still in them is said to be party to them', () => {
    // Given a treaty the United States signs with the Czech Republic, and an accord Poland agrees to alone
    const s = given([
      basingTreaty,
      command('agreement', {
        id: 'trade',
        actor: 'poland',
        targets: [],
        ...on('2021-01-06'),
        payload: { terms: 'a trade accord' },
      }),
    ]);
    // When their positions are summed up five months later, then the agreements stand
    expect(said(s, '2021-06-01', 'united-states')).toBe(
      'As of 1 June 2021, the United States was party to a basing treaty with the Czech Republic.',
    );
    expect(said(s, '2021-06-01', 'czech-republic')).toBe(
      'As of 1 June 2021, the Czech Republic was party to a basing treaty with the United States.',
    );
    expect(said(s, '2021-06-01', 'poland')).toBe('As of 1 June 2021, Poland was party to a trade accord.');
    // And years later too: an agreement in force does not age out
    expect(said(s, '2025-06-01', 'poland')).toBe('As of 1 June 2025, Poland was party to a trade accord.');
  });

  it('given a co-signer that left, then it says it withdrew, and the other is party to the agreement still', () => {
    const s = given([basingTreaty, czechLeaves('left', '2021-01-07')]);
    expect(said(s, '2021-06-01', 'czech-republic')).toBe(
      'As of 1 June 2021, the Czech Republic had no standing position on missile defense in Europe; it withdrew from a basing treaty on 7 January 2021.',
    );
    expect(said(s, '2021-06-01', 'united-states')).toBe(
      'As of 1 June 2021, the United States was party to a basing treaty.',
    );
  });

  it('given a co-signer that withdrew twice in a log written before that was refused, then the other signer sees it withdraw once, on the day it left', () => {
    const s = given([basingTreaty, czechLeaves('left', '2021-01-15')]);
    s.recordAsBefore(czechLeaves('left-again', '2021-01-16'));
    const summary = said(s, '2021-01-21', 'united-states');
    expect(summary).toContain('saw the Czech Republic withdraw from a basing treaty on 15 January 2021');
    expect(summary).not.toContain('the Czech Republic and the Czech Republic');
  });

  it('given two co-signers that leave on different days, then each is said with its day', () => {
    const treaty = command('agreement', {
      id: 'basing',
      actor: 'united-states',
      targets: [],
      ...on('2021-01-06'),
      payload: { terms: 'a basing treaty', parties: ['czech-republic', 'poland'], signed: true },
    });
    const polandLeaves = command('withdrawal', {
      id: 'pl',
      actor: 'poland',
      targets: [],
      refersTo: 'basing',
      ...on('2021-01-20'),
    });
    const s = given([treaty, czechLeaves('left', '2021-01-15'), polandLeaves]);
    expect(said(s, '2021-01-21', 'united-states')).toContain(
      'saw the Czech Republic withdraw from a basing treaty on 15 January 2021 and Poland on 20 January 2021',
    );
  });

  it('given a plural party with only a withdrawn threat, then the summary says "they ... their"', () => {
    const s = given([
      command('threat', {
        id: 't',
        actor: 'nato',
        targets: ['russia'],
        ...on('2021-01-08'),
        payload: { counterMeasure: 'impose sanctions' },
      }),
      command('withdrawal', { id: 'w', actor: 'nato', refersTo: 't', ...on('2021-01-09') }),
    ]);
    const plural = { ...NAMES, party: () => 'the European G8 countries', its: () => 'their' as const };
    expect(said(s, '2021-06-01', 'nato', plural)).toBe(
      'As of 1 June 2021, the European G8 countries had no standing position on missile defense in Europe; they withdrew their threat to impose sanctions on 9 January 2021.',
    );
  });

  it('given a demand with no item refused, then its words are quoted, never put after "on"', () => {
    const s = given([
      command('demand', {
        id: 'd',
        actor: 'russia',
        targets: ['poland'],
        ...on('2021-01-10'),
        payload: { demand: 'lift the hold' },
      }),
      command('rejection', { id: 'no', actor: 'poland', targets: ['russia'], refersTo: 'd', ...on('2021-01-11') }),
    ]);
    expect(said(s, '2021-01-12', 'russia')).toBe(
      'As of 12 January 2021, Russia had its demand “lift the hold” refused by Poland on 11 January 2021.',
    );
    expect(said(s, '2021-01-12', 'poland')).toBe(
      'As of 12 January 2021, Poland refused the demand of Russia “lift the hold” on 11 January 2021.',
    );
  });

  it('given a welcomed withdrawal of a demand with no item, then the reaction quotes the demand', () => {
    const s = given([
      command('demand', {
        id: 'd',
        actor: 'russia',
        targets: ['poland'],
        ...on('2021-01-10'),
        payload: { demand: 'lift the hold' },
      }),
      command('withdrawal', { id: 'w', actor: 'russia', refersTo: 'd', ...on('2021-01-12') }),
      command('statement', {
        id: 'welcome',
        actor: 'poland',
        targets: ['russia'],
        refersTo: 'w',
        ...on('2021-01-13'),
        payload: { stance: 'supports', reason: 'welcome' },
      }),
    ]);
    expect(said(s, '2021-01-14', 'poland')).toContain(
      'welcomed the withdrawal by Russia of its demand “lift the hold”',
    );
  });

  it('given a plan withdrawn by its proposer, then its own sub-proposal was made moot by its own withdrawal, and the demand on the plan made moot, not "closed"', () => {
    const s = given([
      command('proposal', {
        id: 'site',
        actor: 'united-states',
        targets: ['russia'],
        ...on('2021-01-01'),
        payload: { item: 'us-third-site', terms: 'interceptors' },
      }),
      command('proposal', {
        id: 'observers',
        actor: 'united-states',
        targets: ['russia'],
        ...on('2021-01-02'),
        payload: { item: 'transparency-observers', itemParent: 'us-third-site', terms: 'observers' },
      }),
      command('freeze_demand', { id: 'freeze', actor: 'russia', targets: ['united-states'], ...on('2021-01-05') }),
      command('withdrawal', { id: 'drop', actor: 'united-states', refersTo: 'site', ...on('2021-01-20') }),
    ]);
    const summary = said(s, '2021-01-22', 'united-states');
    expect(summary).toContain(
      'saw its proposal on Russian observers at the sites made moot by its own withdrawal on 20 January 2021',
    );
    expect(summary).toContain('made the demand of Russia on the US third site moot on 20 January 2021');
    expect(summary).not.toMatch(/by the United States|closed the demand/);
    // What it decided is said before what that decision made moot
    expect(summary).toMatch(
      /withdrew its proposal on the US third site on 20 January 2021, saw its proposal on Russian/,
    );
  });

  it('given a concession that meets a demand, then meeting it is said once', () => {
    const s = given([
      command('freeze_demand', { id: 'freeze', actor: 'russia', targets: ['united-states'], ...on('2021-01-10') }),
      command('concession', {
        id: 'month',
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'freeze',
        ...on('2021-01-20'),
        payload: { terms: 'freeze for a month' },
      }),
    ]);
    const summary = said(s, '2021-01-22', 'united-states');
    expect(summary).toContain('met the demand of Russia on the US third site on 20 January 2021');
    expect(summary).not.toContain('had conceded');
    // Once the meeting is no longer a turning point, the concession is what stands
    expect(said(s, '2021-06-01', 'united-states')).toBe(
      'As of 1 June 2021, the United States had conceded freeze for a month.',
    );
  });

  it('given records all older than the history window, then the summary does not deny that the party recorded anything', () => {
    const s = given([
      command('threat', { id: 't', actor: 'russia', targets: ['poland'], ...on('2021-01-12') }),
      command('withdrawal', { id: 'w', actor: 'russia', refersTo: 't', ...on('2021-01-22') }),
    ]);
    const summary = said(s, '2022-03-01', 'russia');
    expect(summary).toBe(
      'As of 1 March 2022, Russia had no standing position on missile defense in Europe, where its latest recorded event was on 22 January 2021.',
    );
    // With every record shown, the closure itself is said
    expect(summarize(positionIn(s.stateOf(TOPIC, '2022-03-01'), 'russia', CATALOG), '2022-03-01', NAMES)).toBe(
      'As of 1 March 2022, Russia had no standing position on missile defense in Europe; it withdrew its threat to aim missiles at Europe on 22 January 2021.',
    );
  });
});

describe('summarize: records closed before or as they were made (audit of 2026-12-07, lifecycle)', () => {
  const at = (s: ReturnType<typeof given>, day: string, party: string): PositionCore =>
    positionIn(s.stateOf(TOPIC, day), party, CATALOG);
  const plan = command('proposal', {
    id: 'plan',
    actor: 'united-states',
    targets: ['russia'],
    occurred: '2021-01-01',
    reportedAt: '2021-01-01',
    payload: { item: 'us-third-site', terms: 'the site' },
  });

  it('given a proposal accepted by its addressee, when a third party signs it later, then the acceptance names only the addressee, and the signer is not said to have accepted it then', () => {
    const s = given([
      plan,
      command('agreement', { id: 'ru', refersTo: 'plan', occurred: '2021-01-10', reportedAt: '2021-01-10' }),
      command('agreement', {
        id: 'pl',
        actor: 'poland',
        targets: ['united-states'],
        refersTo: 'plan',
        occurred: '2021-01-12',
        reportedAt: '2021-01-12',
      }),
    ]);
    expect(summarize(at(s, '2021-01-13', 'united-states'), '2021-01-13', NAMES)).toContain(
      'accepted by Russia on 10 January 2021',
    );
    expect(summarize(at(s, '2021-01-13', 'poland'), '2021-01-13', NAMES)).not.toContain('on 10 January 2021');
  });

  it('given a plan withdrawn on 10 January, when a demand and a threat about it are made after, then both parties’ summaries say they were moot from the start', () => {
    const s = given([
      plan,
      command('withdrawal', {
        actor: 'united-states',
        refersTo: 'plan',
        occurred: '2021-01-10',
        reportedAt: '2021-01-10',
      }),
      command('threat', {
        occurred: '2021-01-16',
        reportedAt: '2021-01-16',
        payload: { item: 'us-third-site', counterMeasure: 'aim missiles at the sites' },
      }),
      command('demand', {
        occurred: '2021-01-15',
        reportedAt: '2021-01-15',
        payload: { item: 'us-third-site', demand: 'no site' },
      }),
    ]);
    expect(summarize(at(s, '2021-01-20', 'russia'), '2021-01-20', NAMES)).toContain(
      'Russia saw its threat to aim missiles at the sites moot from the start: the United States had ended what it was about on 10 January 2021',
    );
    expect(summarize(at(s, '2021-01-20', 'united-states'), '2021-01-20', NAMES)).toContain(
      'saw the demand of Russia on the US third site, made on 15 January 2021, moot from the start',
    );
  });

  it('given a demand made on 10 January, when the plan it is about is withdrawn later that day, then it was made moot by the withdrawal, not moot from the start', () => {
    const s = given([
      plan,
      command('demand', {
        occurred: '2021-01-10',
        reportedAt: '2021-01-10T08:00:00Z',
        payload: { item: 'us-third-site', demand: 'no site' },
      }),
      command('withdrawal', {
        actor: 'united-states',
        refersTo: 'plan',
        occurred: '2021-01-10',
        reportedAt: '2021-01-10T18:00:00Z',
      }),
    ]);
    const russia = summarize(at(s, '2021-01-20', 'russia'), '2021-01-20', NAMES);
    expect(russia).not.toContain('moot from the start');
    expect(russia).toContain('made moot by the United States on 10 January 2021');
  });
});

describe('summarize: the newest turning point first, and each answer on its own day (audit of 2026-12-07)', () => {
  const on = (day: string) => ({ occurred: day, reportedAt: day });
  const at = (s: ReturnType<typeof given>, day: string, party: string): PositionCore =>
    positionIn(s.stateOf(TOPIC, day), party, CATALOG);
  /**
   * Poland's demands on two US plans, made moot when the United States withdrew them (1-2 February),
   * then a pact with Russia that Poland signed on 15 February and left on 1 March:
   * older turning points that fill the word budget before the newest is reached.
   */
  const pactLeftAfterMootDemands = (plans: readonly string[]) =>
    given([
      ...plans.map((item, i) =>
        command('proposal', {
          id: `plan-${item}`,
          actor: 'united-states',
          targets: ['poland'],
          ...on(`2022-01-0${i + 1}`),
          payload: { item, terms: `the ${item}` },
        }),
      ),
      ...plans.map((item, i) =>
        command('demand', {
          id: `demand-${item}`,
          actor: 'poland',
          targets: ['united-states'],
          ...on(`2022-01-1${i}`),
          payload: { item, demand: `halt work on the ${item}` },
        }),
      ),
      ...plans.map((item, i) =>
        command('withdrawal', { actor: 'united-states', refersTo: `plan-${item}`, ...on(`2022-02-0${i + 1}`) }),
      ),
      command('proposal', {
        id: 'pact',
        actor: 'russia',
        targets: ['poland'],
        ...on('2022-02-10'),
        payload: { item: 'pact', itemTitle: 'the pact', terms: 'pact terms' },
      }),
      command('agreement', {
        id: 'signed',
        actor: 'russia',
        targets: ['poland'],
        refersTo: 'pact',
        ...on('2022-02-15'),
        payload: { item: 'pact', terms: 'pact terms', parties: ['poland'], signed: true },
      }),
      command('withdrawal', { id: 'exit', actor: 'poland', refersTo: 'signed', ...on('2022-03-01') }),
    ]);

  it('given a party that left a pact after older turning points, then its withdrawal is said first, and no stale acceptance of the pact', () => {
    const s = pactLeftAfterMootDemands(['us-third-site', 'azerbaijan-radar']);
    const poland = at(s, '2022-03-02', 'poland');
    expect(poland.items.find((i) => i.item === 'pact')?.stance).toBe('withdrawn');
    const summary = summarize(poland, '2022-03-02', NAMES);
    expect(summary).toMatch(/^As of 2 March 2022, Poland withdrew from the pact on 1 March 2022, /);
    expect(summary).not.toContain('accepted');
  });

  it('given three older turning points that alone fill the word budget, then the newest, the party’s last change, is still said', () => {
    const s = pactLeftAfterMootDemands(['us-third-site', 'azerbaijan-radar', 'transparency-observers']);
    const poland = at(s, '2022-03-02', 'poland');
    expect(poland.lastChange?.eventId).toBe('exit');
    const summary = summarize(poland, '2022-03-02', NAMES);
    expect(summary).toContain('withdrew from the pact on 1 March 2022');
    expect(summary.split(/\s+/).length).toBeLessThanOrEqual(60);
  });

  it('given turning points of several kinds, then they are said newest first', () => {
    const s = pactLeftAfterMootDemands(['us-third-site', 'azerbaijan-radar']);
    const summary = summarize(at(s, '2022-03-02', 'poland'), '2022-03-02', NAMES);
    const days = [...summary.matchAll(/on (\d+) (January|February|March) 2022/g)]
      .slice(1) // the first date said after "As of" is the summary's own
      .map(([, d, m]) => Date.parse(`${d} ${m} 2022`));
    expect(days).toEqual([...days].sort((a, b) => b - a));
  });

  it('given a demand made of two parties, when each refuses it on its own day, then each refuser’s summary gives its own refusal’s day, not the day the last refusal closed it', () => {
    const s = given([
      command('proposal', {
        id: 'wall',
        actor: 'united-states',
        targets: ['russia'],
        ...on('2022-01-05'),
        payload: { item: 'us-third-site', terms: 'a wall' },
      }),
      command('demand', {
        id: 'stop',
        actor: 'russia',
        targets: ['united-states', 'poland'],
        ...on('2022-01-10'),
        payload: { item: 'us-third-site', demand: 'stop the wall' },
      }),
      command('rejection', {
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'stop',
        occurred: '2022-01-12',
        reportedAt: '2022-01-20',
      }),
      command('rejection', {
        actor: 'poland',
        targets: ['russia'],
        refersTo: 'stop',
        occurred: '2022-01-15',
        reportedAt: '2022-01-16',
      }),
    ]);
    const us = summarize(at(s, '2022-01-25', 'united-states'), '2022-01-25', NAMES);
    expect(us).toContain('refused the demand of Russia on the US third site on 12 January 2022');
    expect(us).not.toContain('15 January');
    expect(summarize(at(s, '2022-01-25', 'poland'), '2022-01-25', NAMES)).toContain(
      'refused the demand of Russia on the US third site on 15 January 2022',
    );
    // The demand itself closed when the last of its targets refused it.
    expect(summarize(at(s, '2022-01-25', 'russia'), '2022-01-25', NAMES)).toContain(
      'refused by Poland and the United States on 15 January 2022',
    );
  });

  it('given a proposal made to two parties, when each accepts it on its own day, then the first accepter’s summary gives its own day', () => {
    const s = given([
      command('proposal', {
        id: 'talks',
        actor: 'united-states',
        targets: ['russia', 'poland'],
        ...on('2022-01-05'),
        payload: { item: 'transparency-observers', terms: 'observers' },
      }),
      command('agreement', { actor: 'russia', targets: ['united-states'], refersTo: 'talks', ...on('2022-01-08') }),
      command('agreement', { actor: 'poland', targets: ['united-states'], refersTo: 'talks', ...on('2022-01-11') }),
    ]);
    expect(summarize(at(s, '2022-01-20', 'united-states'), '2022-01-20', NAMES)).toContain(
      'accepted by Poland and Russia on 11 January 2022',
    );
    const russia = summarize(at(s, '2022-01-20', 'russia'), '2022-01-20', NAMES);
    expect(russia).toContain('on 8 January 2022');
    expect(russia).not.toContain('11 January');
  });
});

describe('summarize: concessions close with what they are about (audit 2, finding 3)', () => {
  const on = (day: string) => ({ occurred: day, reportedAt: day });
  const plan = command('proposal', {
    id: 'plan',
    actor: 'united-states',
    targets: ['russia'],
    ...on('2022-01-05'),
    payload: { item: 'us-third-site', terms: 'a radar and ten interceptors' },
  });
  const subOffer = command('proposal', {
    id: 'sub-offer',
    actor: 'united-states',
    targets: ['russia'],
    ...on('2022-01-06'),
    payload: {
      item: 'site-observers',
      itemTitle: 'Russian observers at the sites',
      itemParent: 'us-third-site',
      terms: 'observers at the sites',
    },
  });
  const concede = (id: string, actor: string, item: string, terms: string, day: string) =>
    command('concession', {
      id,
      actor,
      targets: [actor === 'russia' ? 'united-states' : 'russia'],
      ...on(day),
      payload: { item, terms },
    });
  const russiaOnPlan = concede('on-plan', 'russia', 'us-third-site', 'Russia accepts a radar alone', '2022-01-10');
  const russiaOnSub = concede('on-sub', 'russia', 'site-observers', 'Russia pays for the observers', '2022-01-11');
  const endPlan = command('withdrawal', {
    id: 'end-plan',
    actor: 'united-states',
    targets: ['russia'],
    refersTo: 'plan',
    ...on('2022-02-01'),
  });
  const said = (s: ReturnType<typeof given>, day: string, party: string) =>
    summarize(positionIn(s.stateOf(TOPIC, day), party, CATALOG), day, NAMES);

  it('given concessions on a plan and its sub-item, when the plan is withdrawn, then the conceding party no longer "had conceded" them: they were made moot', () => {
    const s = given([plan, subOffer, russiaOnPlan, russiaOnSub, endPlan]);
    expect(said(s, '2022-01-20', 'russia')).toBe(
      'As of 20 January 2022, Russia had conceded Russia accepts a radar alone and Russia pays for the observers.',
    );
    expect(said(s, '2022-03-01', 'russia')).toBe(
      'As of 1 March 2022, Russia saw its concession on the US third site made moot by the United States on 1 February 2022 and saw its concession on Russian observers at the sites made moot by the United States on 1 February 2022.',
    );
    expect(said(s, '2023-06-01', 'russia')).toBe(
      'As of 1 June 2023, Russia had no standing position on missile defense in Europe; it saw its concession on the US third site made moot by the United States on 1 February 2022.',
    );
  });

  it('given an open proposal, when its author concedes on its item without naming it, then it backed down on it: it no longer has it on the table nor "had conceded"', () => {
    const own = concede('own', 'united-states', 'us-third-site', 'the US lowers the radar', '2022-01-12');
    const s = given([plan, subOffer, russiaOnPlan, own]);
    const summary = said(s, '2022-01-20', 'united-states');
    expect(summary).toBe(
      'As of 20 January 2022, the United States backed down on its proposal on the US third site on 12 January 2022 and saw its proposal on Russian observers at the sites made moot by its own concession on 12 January 2022.',
    );
  });
});

describe('summarize: every day said is the day its element counts from (audit 3, findings B and C)', () => {
  const positionAt = (s: ReturnType<typeof given>, day: string, party: string) =>
    positionIn(s.stateOf(TOPIC, day), party, CATALOG);
  const pact = command('agreement', {
    id: 'pact',
    actor: 'russia',
    targets: ['united-states', 'poland'],
    occurred: '2021-02-01',
    reportedAt: '2021-02-01T12:00:00Z',
    payload: { item: 'us-third-site', terms: 'the pact', parties: ['united-states', 'poland'], signed: true },
  });

  it('given a welcome dated 3 June of a withdrawal dated June and reported on 10 June, then the welcome proves the withdrawal by 3 June: both count from then, and the welcome is said on 3 June', () => {
    const s = given([
      pact,
      command('withdrawal', {
        id: 'poland-leaves',
        actor: 'poland',
        targets: ['russia', 'united-states'],
        refersTo: 'pact',
        occurred: '2021-06',
        reportedAt: '2021-06-10T12:00:00Z',
      }),
      command('statement', {
        id: 'welcomes',
        actor: 'russia',
        targets: ['poland'],
        refersTo: 'poland-leaves',
        occurred: '2021-06-03',
        reportedAt: '2021-06-04T12:00:00Z',
        payload: { stance: 'supports' },
      }),
    ]);
    // Not before its day; from it, with the withdrawal it proves (provenDays), on the day it counts.
    expect(summarize(positionAt(s, '2021-06-02', 'russia'), '2021-06-02', NAMES)).not.toContain('welcomed');
    const fifth = summarize(positionAt(s, '2021-06-05', 'russia'), '2021-06-05', NAMES);
    expect(fifth).toContain('welcomed the withdrawal by Poland of the US third site on 3 June 2021');
    expect(fifth).toContain('saw Poland withdraw from the US third site');
  });

  it('given an action dated 10 April carrying out a threat dated April and reported on 25 April, then the action proves the threat by 10 April and the summary says it on 10 April', () => {
    const s = given([
      command('threat', {
        id: 'threat-april',
        actor: 'russia',
        targets: ['poland'],
        occurred: '2021-04',
        reportedAt: '2021-04-25T12:00:00Z',
        payload: { counterMeasure: 'expel the diplomats' },
      }),
      command('action', {
        id: 'expels',
        actor: 'russia',
        targets: ['poland'],
        refersTo: 'threat-april',
        occurred: '2021-04-10',
        reportedAt: '2021-04-11T12:00:00Z',
        payload: { act: 'expelled the diplomats' },
      }),
      command('action', {
        id: 'sanctions',
        actor: 'russia',
        targets: ['poland'],
        occurred: '2021-04-20',
        reportedAt: '2021-04-21T12:00:00Z',
        payload: { act: 'sanctions on Polish goods' },
      }),
    ]);
    const summary = summarize(positionAt(s, '2021-05-01', 'russia'), '2021-05-01', NAMES);
    expect(summary).toContain('carried out its threat to expel the diplomats on 10 April 2021');
    expect(summary).toContain('took the action “sanctions on Polish goods” on 20 April 2021');
  });

  it('given a threat against a party with a standing position, when it is carried out, then its summary says so among its turning points', () => {
    const s = given([
      command('statement', {
        id: 'poland-supports',
        actor: 'poland',
        targets: [],
        occurred: '2021-03-01',
        reportedAt: '2021-03-01T12:00:00Z',
        payload: { item: 'us-third-site', stance: 'supports' },
      }),
      command('threat', {
        id: 'threat-april',
        actor: 'russia',
        targets: ['poland'],
        occurred: '2021-04',
        reportedAt: '2021-04-25T12:00:00Z',
        payload: { counterMeasure: 'expel the diplomats' },
      }),
      command('action', {
        id: 'expels',
        actor: 'russia',
        targets: ['poland'],
        refersTo: 'threat-april',
        occurred: '2021-04-10',
        reportedAt: '2021-04-11T12:00:00Z',
        payload: { act: 'expelled the diplomats' },
      }),
    ]);
    expect(summarize(positionAt(s, '2021-05-01', 'poland'), '2021-05-01', NAMES)).toBe(
      'As of 1 May 2021, Poland saw the threat of Russia to expel the diplomats, made against it, carried out on 10 April 2021 and supported the US third site.',
    );
    // Past the turning-point window, only what stands.
    expect(summarize(positionAt(s, '2021-09-01', 'poland'), '2021-09-01', NAMES)).toBe(
      'As of 1 September 2021, Poland supported the US third site.',
    );
  });
});
