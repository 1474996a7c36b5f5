import { Problem } from '../../../shared/problem.js';
import { GOLDSTEIN_SCALE } from '../events/cameo.js';
import { decide, needsLog } from './decide.js';
import { failedChecks } from './in-order.js';
import { TopicFold } from './topic-fold.js';
import { applyCorrection, effectiveLog } from '../time/timeline.js';
import type { DiplomaticEvent } from '../events/events.js';
import {
  CATALOG_ITEMS,
  command,
  type CommandOverrides,
  fieldsOf,
  given,
  NOW,
  PARTIES,
  problemOf,
  SPEAKERS,
  story,
  TOPIC,
  TOPICS,
} from '../testing/fixtures.js';
import { emptyTopicState } from './topic-state.js';

const SOURCE = { publisher: 'The Washington Post', title: 't', publishedAt: '2007-06-08' };

const { usThirdSite, gabala, freeze, threat, opposes } = story;

function cameo(code: string, name: string, goldstein: number, plover: string | null) {
  return { code, name, goldstein, plover, scale: GOLDSTEIN_SCALE };
}

describe('decide: a valid command becomes one event', () => {
  it('records a proposal with its targets, day, report instant, default CAMEO coding and payload', () => {
    const event = given([]).when(
      command('proposal', {
        id: 'p1',
        speaker: { name: 'Vladimir Putin', role: 'President' },
        quote: 'We could use the Gabala radar together',
        payload: { item: 'azerbaijan-radar', terms: 'joint use of the Gabala radar' },
      }),
    );
    expect(event).toEqual({
      id: 'p1',
      topic: TOPIC,
      type: 'proposal',
      actor: 'russia',
      targets: ['united-states'],
      speaker: { name: 'Vladimir Putin', role: 'President' },
      occurred: { from: '2007-06-07', to: '2007-06-07', precision: 'day' },
      reportedAt: '2007-06-08T00:00:00.000Z',
      source: SOURCE,
      quote: 'We could use the Gabala radar together',
      summary: 'A proposal about missile defense in Europe.',
      cameo: cameo('030', 'Express intent to cooperate, not specified below', 4.0, 'AGREE'),
      payload: { item: 'azerbaijan-radar', terms: 'joint use of the Gabala radar' },
    });
  });

  it('leaves out speaker, quote and refersTo when not given', () => {
    const event = given([]).when(command('proposal', { targets: ['united-states', 'poland'] }));
    expect(event).not.toHaveProperty('speaker');
    expect(event).not.toHaveProperty('quote');
    expect(event).not.toHaveProperty('refersTo');
    expect(event.targets).toEqual(['united-states', 'poland']);
  });

  it('given a request naming a target twice, then it is refused (400) naming targets, as co-signers named twice are', () => {
    const p = problemOf(() =>
      given([]).when(command('proposal', { targets: ['united-states', 'poland', 'united-states'] })),
    );
    expect(p.kind).toBe('invalid');
    expect(fieldsOf(p)).toEqual(['targets']);
    expect(p.message).toContain('must not name the same party twice');
  });

  it('gives no targets when none are named', () => {
    expect(given([]).when(command('statement', { targets: undefined })).targets).toEqual([]);
  });

  it('records a proposal coded as an offer to negotiate (036) as PLOVER CONSULT', () => {
    const event = given([]).when(command('proposal', { cameo: '036' }));
    expect(event.cameo).toEqual(cameo('036', 'Express intent to meet or negotiate', 4.0, 'CONSULT'));
  });

  it('records a proposal that puts a new item on the table, with its title', () => {
    const event = given([]).when(
      command('proposal', {
        payload: { item: 'armavir-radar', itemTitle: 'a new radar in southern Russia', terms: 'a radar at Armavir' },
      }),
    );
    expect(event.payload).toEqual({
      item: 'armavir-radar',
      itemTitle: 'a new radar in southern Russia',
      terms: 'a radar at Armavir',
    });
  });

  it('lets the proposer put its own item on the table again', () => {
    const s = given([gabala]);
    expect(s.when(command('proposal', { id: 'gabala-2', occurred: '2007-07-02', reportedAt: '2007-07-02' })).type).toBe(
      'proposal',
    );
  });

  it('records a rejection of a proposal, coded 120 REJECT, over a month', () => {
    const event = given([usThirdSite]).when(
      command('rejection', {
        id: 'r1',
        actor: 'russia',
        targets: ['united-states'],
        refersTo: 'us-site',
        occurred: '2007-02',
        reportedAt: '2007-03-01',
      }),
    );
    expect(event).toMatchObject({
      type: 'rejection',
      actor: 'russia',
      targets: ['united-states'],
      refersTo: 'us-site',
      occurred: { from: '2007-02-01', to: '2007-02-28', precision: 'month' },
      reportedAt: '2007-03-01T00:00:00.000Z',
      cameo: cameo('120', 'Reject, not specified below', -4.0, 'REJECT'),
      payload: { reason: 'the radar cannot replace the third site' },
    });
  });

  it('records a rejection of a demand', () => {
    const event = given([freeze]).when(
      command('rejection', {
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'freeze',
        occurred: '2007-10-13',
        reportedAt: '2007-10-14',
        cameo: '127',
      }),
    );
    expect(event.cameo).toEqual(cameo('127', 'Reject plan, agreement to settle dispute', -5.0, 'REJECT'));
  });

  it('records a concession that meets a freeze demand, coded 080 CONCEDE', () => {
    const event = given([freeze]).when(
      command('concession', {
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'freeze',
        occurred: '2007-10-23',
        reportedAt: '2007-10-24',
        payload: { item: 'us-third-site', terms: 'delay activation until Iran tests a missile' },
      }),
    );
    expect(event).toMatchObject({
      type: 'concession',
      refersTo: 'freeze',
      occurred: { from: '2007-10-23', to: '2007-10-23', precision: 'day' },
      cameo: cameo('080', 'Yield, not specified below', 5.0, 'CONCEDE'),
      payload: { item: 'us-third-site', terms: 'delay activation until Iran tests a missile' },
    });
  });

  it('records a concession that answers nothing, coded as inspection (0862)', () => {
    const event = given([]).when(command('concession', { actor: 'united-states', targets: ['russia'], cameo: '0862' }));
    expect(event.cameo).toEqual(cameo('0862', 'Receive inspectors', 9.0, 'CONCEDE'));
    expect(event).not.toHaveProperty('refersTo');
  });

  it('records a freeze demand over an interval, coded 105 by default', () => {
    const event = given([]).when(freeze);
    expect(event).toMatchObject({
      type: 'freeze_demand',
      targets: ['united-states'],
      occurred: { from: '2007-10-12', to: '2007-10-13', precision: 'interval' },
      reportedAt: '2007-10-14T00:00:00.000Z',
      cameo: cameo('105', 'Demand that target yields, not specified below', -5.0, 'REQUEST'),
      payload: { item: 'us-third-site', action: 'the deployment of the third site', condition: 'while talks continue' },
    });
  });

  it('accepts a more specific code of the family for a freeze demand (1056)', () => {
    expect(given([]).when(command('freeze_demand', { cameo: '1056' })).cameo).toEqual(
      cameo('1056', 'Demand de-escalation of military engagement', -5.0, 'REQUEST'),
    );
  });

  it('records a demand, coded 100 REQUEST, over a year', () => {
    const event = given([]).when(command('demand', { occurred: '2007', reportedAt: '2008-01-02' }));
    expect(event).toMatchObject({
      type: 'demand',
      occurred: { from: '2007-01-01', to: '2007-12-31', precision: 'year' },
      cameo: cameo('100', 'Demand, not specified below', -5.0, 'REQUEST'),
      payload: { demand: 'legally binding guarantees that the system is not aimed at Russia' },
    });
  });

  it('records a threat, coded 130 THREATEN, or 138 when military force is named', () => {
    const s = given([]);
    expect(s.when(threat)).toMatchObject({
      type: 'threat',
      targets: ['poland'],
      cameo: cameo('130', 'Threaten, not specified below', -4.4, 'THREATEN'),
      payload: { counterMeasure: 'aim missiles at Europe', condition: 'if the third site is built' },
    });
    expect(s.when({ ...threat, cameo: '138' }).cameo).toEqual(
      cameo('138', 'Threaten with military force, not specified below', -7.0, 'THREATEN'),
    );
  });

  it('records the withdrawal of its own threat, coded 080 RETREAT', () => {
    const event = given([threat]).when(
      command('withdrawal', {
        actor: 'russia',
        targets: ['poland'],
        refersTo: 'threat',
        occurred: '2007-07-01',
        reportedAt: '2007-07-02',
      }),
    );
    expect(event).toMatchObject({
      type: 'withdrawal',
      refersTo: 'threat',
      cameo: cameo('080', 'Yield, not specified below', 5.0, 'RETREAT'),
      payload: { reason: 'talks resumed' },
    });
  });

  it.each([
    ['its own proposal', 'gabala'],
    ['its own demand', 'freeze'],
  ])('records the withdrawal of %s', (_, id) => {
    const s = given([gabala, freeze]);
    const event = s.when(
      command('withdrawal', { actor: 'russia', refersTo: id, occurred: '2007-11-01', reportedAt: '2007-11-02' }),
    );
    expect(event.refersTo).toBe(id);
  });

  it('records an agreement to a proposal as accord (019), and a signed deal without one as 057', () => {
    const s = given([gabala]);
    const accepting = s.when(
      command('agreement', {
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'gabala',
        occurred: '2007-06-08',
        reportedAt: '2007-06-09',
      }),
    );
    expect(accepting).toMatchObject({
      type: 'agreement',
      refersTo: 'gabala',
      cameo: cameo('019', 'Express accord', 3.4, 'AGREE'),
      payload: {},
    });
    const signing = s.when(
      command('agreement', {
        actor: 'united-states',
        targets: ['poland'],
        payload: { item: 'us-third-site', terms: 'basing' },
      }),
    );
    expect(signing.cameo).toEqual(cameo('057', 'Sign formal agreement', 8.0, 'AGREE'));
    expect(signing.payload).toEqual({ item: 'us-third-site', terms: 'basing' });
  });

  it('records an endorsement, coded 051 SUPPORT', () => {
    const event = given([usThirdSite]).when(command('endorsement', { actor: 'poland', targets: ['united-states'] }));
    expect(event).toMatchObject({
      type: 'endorsement',
      actor: 'poland',
      cameo: cameo('051', 'Praise or endorse', 3.4, 'SUPPORT'),
      payload: { item: 'us-third-site' },
    });
  });

  it('records a statement: opposing is coded 111 (PLOVER ACCUSE), any other stance 010 (no PLOVER category)', () => {
    const s = given([]);
    expect(s.when(opposes)).toMatchObject({
      type: 'statement',
      targets: [],
      cameo: cameo('111', 'Criticize or denounce', -2.0, 'ACCUSE'),
      payload: { item: 'us-third-site', stance: 'opposes', reason: 'it threatens Russian deterrence' },
    });
    expect(
      s.when(command('statement', { payload: { stance: 'conditional', reason: 'only with observers' } })),
    ).toMatchObject({
      cameo: cameo('010', 'Make statement, not specified below', 0.0, null),
      payload: { stance: 'conditional', reason: 'only with observers' },
    });
  });

  it('records an action, coded 160 SANCTION by default', () => {
    const event = given([]).when(command('action', { topic: 'cfe-treaty', targets: ['nato'] }));
    expect(event).toMatchObject({
      topic: 'cfe-treaty',
      type: 'action',
      targets: ['nato'],
      cameo: cameo('160', 'Reduce relations, not specified below', -4.0, 'SANCTION'),
      payload: { act: 'suspend the CFE treaty' },
    });
  });

  it('records a correction without a CAMEO code, with its new date parsed', () => {
    const event = given([gabala]).when(
      command('correction', {
        refersTo: 'gabala',
        occurred: '2007-06-10',
        reportedAt: '2007-06-10',
        payload: {
          reason: 'the offer was made a day earlier',
          changes: { occurred: '2007-06-06', summary: 'Putin offered Gabala.' },
        },
      }),
    );
    expect(event).toMatchObject({
      type: 'correction',
      refersTo: 'gabala',
      cameo: null,
      payload: {
        reason: 'the offer was made a day earlier',
        changes: {
          occurred: { from: '2007-06-06', to: '2007-06-06', precision: 'day' },
          summary: 'Putin offered Gabala.',
        },
      },
    });
  });

  it('records a retraction without a CAMEO code', () => {
    const event = given([gabala]).when(
      command('retraction', { refersTo: 'gabala', occurred: '2007-06-20', reportedAt: '2007-06-20' }),
    );
    expect(event).toMatchObject({
      type: 'retraction',
      refersTo: 'gabala',
      cameo: null,
      payload: { reason: 'the report was misattributed' },
    });
  });

  it('normalises a timestamped report to UTC', () => {
    const event = given([]).when(command('statement', { reportedAt: '2007-06-08T14:30:00+02:00' }));
    expect(event.reportedAt).toBe('2007-06-08T12:30:00.000Z');
  });

  it('allows a report on the day the event began, and an answer on the day of what it answers', () => {
    const s = given([gabala]);
    expect(s.when(command('statement', { occurred: '2007-06-08', reportedAt: '2007-06-08' })).reportedAt).toBe(
      '2007-06-08T00:00:00.000Z',
    );
    expect(
      s.when(
        command('rejection', {
          actor: 'united-states',
          targets: ['russia'],
          refersTo: 'gabala',
          occurred: '2007-06-07',
        }),
      ).type,
    ).toBe('rejection');
  });

  it('is pure: deciding twice gives the same event and records nothing', () => {
    const s = given([gabala]);
    const cmd = command('rejection', { id: 'same', actor: 'united-states', targets: ['russia'], refersTo: 'gabala' });
    const context = s.context(cmd);
    expect(decide(cmd, context)).toEqual(decide(cmd, context));
    expect(s.events).toHaveLength(1);
  });
});

describe('decide: the shape of a command', () => {
  it.each([
    ['2007-10-13/2007-10-12', 'the interval "2007-10-13/2007-10-12" ends before it starts'],
    ['2007-02-30', '"2007-02-30" is not a real calendar date'],
    ['2007-02-29', '"2007-02-29" is not a real calendar date'],
    ['2007-13', '"2007-13" is not a real month'],
    ['last week', 'is not a date'],
  ])('refuses occurred %j as invalid, naming the field', (occurred, problem) => {
    const p = problemOf(() => given([]).when(command('statement', { occurred, reportedAt: '2008-01-01' })));
    expect(p).toBeInstanceOf(Problem);
    expect(p.kind).toBe('invalid');
    expect(p.message.startsWith('occurred: ')).toBe(true);
    expect(p.message).toContain(problem);
    expect(p.details.errors).toEqual([{ field: 'occurred', problem: expect.stringContaining(problem) }]);
  });

  it('accepts 29 February in a leap year', () => {
    expect(
      given([]).when(command('statement', { occurred: '2008-02-29', reportedAt: '2008-03-01' })).occurred.from,
    ).toBe('2008-02-29');
  });

  it.each([
    ['reportedAt', { reportedAt: '2007-06-31' }],
    ['reportedAt', { reportedAt: 'soon' }],
    ['source.publishedAt', { source: { publisher: 'The Washington Post', title: 't', publishedAt: '8 June 2007' } }],
  ])('refuses a bad %s', (field, overrides) => {
    const p = problemOf(() => given([]).when(command('statement', overrides)));
    expect(p.kind).toBe('invalid');
    expect(fieldsOf(p)).toEqual([field]);
  });

  it("given a request without reportedAt (it takes the source's publication), when the publication date is bad, then the problem is named on source.publishedAt alone", () => {
    const published = (publishedAt: string) => ({ publisher: 'Wire', title: 'Report', publishedAt });
    // toRecordEvent fills reportedAt in from source.publishedAt when the body has none.
    const defaulted = (publishedAt: string) =>
      command('statement', { source: published(publishedAt), reportedAt: publishedAt });
    const bad = problemOf(() => given([]).when(defaulted('x')));
    expect(bad.kind).toBe('invalid');
    expect(fieldsOf(bad)).toEqual(['source.publishedAt']);
    expect(fieldsOf(problemOf(() => given([]).when(defaulted('2007-06-01'))))).toEqual(['source.publishedAt']);
    // Given apart, each date is named on its own field.
    expect(
      fieldsOf(problemOf(() => given([]).when(command('statement', { source: published('x'), reportedAt: 'y' })))),
    ).toEqual(['reportedAt', 'source.publishedAt']);
  });

  it.each([
    ['proposal', { item: 'azerbaijan-radar' }, 'payload.terms'],
    ['proposal', { terms: 'x' }, 'payload.item'],
    ['freeze_demand', { item: 'us-third-site' }, 'payload.action'],
    ['threat', {}, 'payload.counterMeasure'],
    ['statement', { item: 'us-third-site' }, 'payload.stance'],
    ['endorsement', {}, 'payload.item'],
    ['action', {}, 'payload.act'],
    ['concession', {}, 'payload.terms'],
    ['demand', {}, 'payload.demand'],
  ] as const)('refuses a %s whose payload %j misses %s', (type, payload, field) => {
    const p = problemOf(() => given([]).when(command(type, { payload })));
    expect(p.kind).toBe('invalid');
    expect(p.message).toBe(`${field}: is required for a ${type}`);
    expect(p.details.errors).toEqual([{ field, problem: `is required for a ${type}` }]);
  });

  it('refuses payload fields the type does not have', () => {
    const p = problemOf(() => given([]).when(command('threat', { payload: { counterMeasure: 'x', terms: 'y' } })));
    expect(p.kind).toBe('invalid');
    expect(fieldsOf(p)).toEqual(['payload.terms']);
    expect(p.message).toContain('is not a field of a threat payload');
  });

  it('reports every shape problem at once', () => {
    const p = problemOf(() =>
      given([]).when(
        command('rejection', { occurred: '2007-02-30', reportedAt: 'x', payload: { reason: 'no', item: 'y' } }),
      ),
    );
    expect(p.kind).toBe('invalid');
    expect(fieldsOf(p)).toEqual(['occurred', 'reportedAt', 'payload.item', 'refersTo']);
  });

  it.each(['rejection', 'withdrawal', 'correction', 'retraction'] as const)(
    'refuses a %s that names no event it answers',
    (type) => {
      const p = problemOf(() => given([]).when(command(type)));
      expect(p.kind).toBe('invalid');
      expect(p.details.errors).toEqual([
        { field: 'refersTo', problem: `is required for a ${type}: name the event it answers` },
      ]);
    },
  );
});

describe('decide: slugs must be known', () => {
  it.each([
    ['actor', { actor: 'rusia' }, 'unknown party "rusia"', 'russia'],
    ['targets[0]', { targets: ['untied-states'] }, 'unknown party "untied-states"', 'united-states'],
    ['targets[1]', { targets: ['poland', 'chech-republic'] }, 'unknown party "chech-republic"', 'czech-republic'],
    ['topic', { topic: 'missile-defence-europe' }, 'unknown topic "missile-defence-europe"', 'missile-defense-europe'],
    [
      'payload.item',
      { payload: { item: 'us-third-sight', stance: 'opposes' } },
      'unknown item of topic missile-defense-europe "us-third-sight"',
      'us-third-site',
    ],
  ])(
    'refuses an unknown %s as unprocessable, suggesting the closest known slug',
    (field, overrides, problem, suggestion) => {
      const p = problemOf(() => given([]).when(command('statement', overrides)));
      expect(p.kind).toBe('unprocessable');
      expect(p.message).toContain(`${field}: ${problem}`);
      expect(p.message).toContain(`did you mean "${suggestion}"`);
      expect(fieldsOf(p)).toEqual([field]);
      expect((p.details.suggestions as string[])[0]).toBe(suggestion);
    },
  );

  it('knows the items proposals put on the table, besides the catalog', () => {
    const armavir = command('proposal', {
      id: 'armavir',
      payload: { item: 'armavir-radar', itemTitle: 'a new radar in southern Russia', terms: 'a radar at Armavir' },
    });
    const s = given([armavir]);
    expect(
      s.when(command('endorsement', { actor: 'iran', targets: [], payload: { item: 'armavir-radar' } })).type,
    ).toBe('endorsement');
    const p = problemOf(() =>
      s.when(command('endorsement', { actor: 'iran', targets: [], payload: { item: 'armavir-rada' } })),
    );
    expect(p.details.suggestions).toContain('armavir-radar');
  });

  it('refuses a party that targets itself', () => {
    const p = problemOf(() => given([]).when(command('threat', { actor: 'russia', targets: ['poland', 'russia'] })));
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['targets']);
  });

  it('checks the item of a proposal on another topic against that topic', () => {
    const cfe = command('proposal', {
      topic: 'cfe-treaty',
      id: 'cfe-flanks',
      occurred: '2007-04-26',
      reportedAt: '2007-04-27',
      payload: { item: 'flank-limits', itemTitle: 'lifting the flank limits', terms: 'lift the flank limits' },
    });
    const s = given([cfe]);
    // The item exists in cfe-treaty, so missile-defense-europe does not know it.
    const p = problemOf(() => s.when(command('statement', { payload: { item: 'flank-limits', stance: 'supports' } })));
    expect(fieldsOf(p)).toEqual(['payload.item']);
  });
});

describe('decide: what proposals may put on the table', () => {
  it('refuses a proposal of an item another party proposed', () => {
    const p = problemOf(() =>
      given([usThirdSite]).when(
        command('proposal', { actor: 'russia', payload: { item: 'us-third-site', terms: 'x' } }),
      ),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['payload.item']);
    expect(p.message).toContain('"us-third-site" was proposed by united-states');
  });

  it('refuses a new item without a title', () => {
    const p = problemOf(() =>
      given([]).when(command('proposal', { payload: { item: 'armavir-radar', terms: 'a radar at Armavir' } })),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['payload.itemTitle']);
  });

  it('does not need a title for a catalog item', () => {
    expect(
      given([]).when(command('proposal', { payload: { item: 'transparency-observers', terms: 'observers' } })).type,
    ).toBe('proposal');
  });
});

describe('decide: CAMEO codes', () => {
  it.each([
    ['proposal', '120'],
    ['freeze_demand', '051'],
    ['rejection', '100'],
  ] as const)('refuses a %s coded %s, from another family', (type, code) => {
    const p = problemOf(() =>
      given([usThirdSite]).when(
        command(type, { cameo: code, ...(type === 'rejection' ? { refersTo: 'us-site' } : {}) }),
      ),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['cameo']);
    expect(p.message).toContain(`is not in the ${type} family`);
  });

  it('refuses a code it does not know', () => {
    const p = problemOf(() => given([]).when(command('statement', { cameo: '0999' })));
    expect(fieldsOf(p)).toEqual(['cameo']);
  });

  it('refuses a CAMEO code on a correction', () => {
    const p = problemOf(() =>
      given([gabala]).when(command('correction', { refersTo: 'gabala', cameo: '010', reportedAt: '2007-06-09' })),
    );
    expect(p.kind).toBe('unprocessable');
    expect(p.message).toContain('record about a record');
  });
});

describe('decide: time', () => {
  it('refuses a report dated before the event', () => {
    const p = problemOf(() =>
      given([]).when(command('statement', { occurred: '2007-06-07', reportedAt: '2007-06-06' })),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['reportedAt']);
    expect(p.message).toContain('a report cannot come before the event');
  });

  it('refuses a report dated before the start of a vague event, not one inside it', () => {
    const s = given([]);
    expect(
      fieldsOf(problemOf(() => s.when(command('statement', { occurred: '2007-07', reportedAt: '2007-06-30' })))),
    ).toEqual(['reportedAt']);
    expect(s.when(command('statement', { occurred: '2007-07', reportedAt: '2007-07-15' })).occurred.to).toBe(
      '2007-07-31',
    );
  });

  it('refuses a report from the future, but allows one within a day of now', () => {
    const s = given([]);
    expect(fieldsOf(problemOf(() => s.when(command('statement', { reportedAt: '2026-01-03' }))))).toEqual([
      'reportedAt',
    ]);
    expect(s.when(command('statement', { reportedAt: '2026-01-01T12:00:00Z', occurred: '2025-12-31' })).type).toBe(
      'statement',
    );
  });

  it('refuses a source published in the future, but allows one within a day of now', () => {
    const s = given([]);
    const published = (publishedAt: string) => ({ publisher: 'Wire', title: 'Report', publishedAt });
    expect(fieldsOf(problemOf(() => s.when(command('statement', { source: published('2099-01-01') }))))).toEqual([
      'source.publishedAt',
    ]);
    expect(
      s.when(command('statement', { source: published('2026-01-01T12:00:00Z'), reportedAt: '2026-01-01T12:00:00Z' }))
        .type,
    ).toBe('statement');
  });

  it('given a source published after reportedAt, then it is refused naming source.publishedAt: reportedAt is when the source made it public', () => {
    const s = given([]);
    const published = (publishedAt: string) => ({ publisher: 'Wire', title: 'Report', publishedAt });
    const p = problemOf(() =>
      s.when(
        command('statement', { occurred: '2007-05-01', source: published('2007-06-02'), reportedAt: '2007-05-02' }),
      ),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['source.publishedAt']);
    expect(p.message).toContain('2007-06-02 is after reportedAt (2007-05-02)');
    // Later the same day, as timestamps, contradicts it too.
    expect(
      fieldsOf(
        problemOf(() =>
          s.when(
            command('statement', {
              source: published('2007-06-08T15:00:00Z'),
              reportedAt: '2007-06-08T09:00:00Z',
            }),
          ),
        ),
      ),
    ).toEqual(['source.publishedAt']);
  });

  it('given a source published before reportedAt, or on a day that can be the same instant, then it is recorded', () => {
    const s = given([]);
    const published = (publishedAt: string) => ({ publisher: 'Wire', title: 'Report', publishedAt });
    for (const [publishedAt, reportedAt] of [
      ['2007-06-01', '2007-06-08'], // reported again, later, from an earlier source
      ['2007-06-08', '2007-06-08T09:00:00Z'], // a day: from its start
      ['2007-06-08T15:00:00Z', '2007-06-08'], // a day of report: to its end
    ])
      expect(s.when(command('statement', { source: published(publishedAt), reportedAt })).type).toBe('statement');
  });

  it('refuses an event that has not happened yet', () => {
    const p = problemOf(() =>
      given([]).when(command('statement', { occurred: '2026-01-02', reportedAt: '2026-01-02' })),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['occurred']);
    expect(p.message).toContain('is in the future');
  });

  it('refuses an answer that ends before the event it answers began', () => {
    const p = problemOf(() =>
      given([gabala]).when(
        command('rejection', {
          actor: 'united-states',
          targets: ['russia'],
          refersTo: 'gabala',
          occurred: '2007-06-06',
        }),
      ),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['occurred']);
    expect(p.message).toContain('would end before the event it answers began (2007-06-07)');
  });

  it('lets a correction date from before the record it corrects', () => {
    const s = given([gabala]);
    const event = s.when(
      command('correction', { refersTo: 'gabala', occurred: '2007-06-01', reportedAt: '2007-06-10' }),
    );
    expect(event.type).toBe('correction');
  });
});

describe('decide: answers must answer something they can', () => {
  it('refuses a rejection of its own proposal', () => {
    const p = problemOf(() => given([gabala]).when(command('rejection', { actor: 'russia', refersTo: 'gabala' })));
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain("gabala is russia's own proposal");
  });

  it('refuses a rejection of a statement', () => {
    const p = problemOf(() =>
      given([opposes]).when(command('rejection', { actor: 'united-states', targets: ['russia'], refersTo: 'opposes' })),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain(
      'a rejection answers a proposal, demand, freeze_demand, threat, withdrawal, action, agreement, concession, endorsement, not a statement',
    );
  });

  it('refuses a rejection of a proposal in another topic', () => {
    const cfe = command('proposal', {
      topic: 'cfe-treaty',
      id: 'cfe-flanks',
      actor: 'nato',
      targets: ['russia'],
      payload: { item: 'flank-limits', itemTitle: 'lifting the flank limits', terms: 'adapt the treaty' },
    });
    const p = problemOf(() =>
      given([cfe]).when(command('rejection', { actor: 'russia', targets: ['nato'], refersTo: 'cfe-flanks' })),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain('belongs to topic "cfe-treaty", not "missile-defense-europe"');
  });

  it("refuses the withdrawal of another party's threat", () => {
    const p = problemOf(() =>
      given([threat]).when(command('withdrawal', { actor: 'poland', targets: ['russia'], refersTo: 'threat' })),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain('poland can only withdraw its own proposal, demand or threat; threat is by russia');
  });

  it('refuses the withdrawal of a threat already withdrawn', () => {
    const withdrawn = command('withdrawal', {
      id: 'w1',
      actor: 'russia',
      targets: ['poland'],
      refersTo: 'threat',
      occurred: '2007-07-01',
      reportedAt: '2007-07-02',
    });
    const p = problemOf(() =>
      given([threat, withdrawn]).when(
        command('withdrawal', {
          actor: 'russia',
          refersTo: 'threat',
          occurred: '2007-08-01',
          reportedAt: '2007-08-02',
        }),
      ),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain('is not active any more (withdrawn)');
  });

  it('refuses the withdrawal of a demand already met', () => {
    const met = command('concession', {
      actor: 'united-states',
      targets: ['russia'],
      refersTo: 'freeze',
      occurred: '2007-10-20',
      reportedAt: '2007-10-21',
    });
    const p = problemOf(() =>
      given([freeze, met]).when(
        command('withdrawal', {
          actor: 'russia',
          refersTo: 'freeze',
          occurred: '2007-11-01',
          reportedAt: '2007-11-02',
        }),
      ),
    );
    expect(p.message).toContain('is not active any more (met)');
  });

  describe('an action carrying out a threat (refersTo)', () => {
    const carryOut = (overrides: CommandOverrides = {}) =>
      command('action', {
        targets: ['poland'],
        refersTo: 'threat',
        occurred: '2007-07-14',
        reportedAt: '2007-07-15',
        payload: { act: 'aimed missiles at Europe' },
        ...overrides,
      });

    it('given a threat, when its author acts on it, then the action is recorded naming the threat, coded as any action', () => {
      const event = given([threat]).when(carryOut({ id: 'aimed' }));
      expect(event).toMatchObject({ id: 'aimed', type: 'action', actor: 'russia', refersTo: 'threat' });
      expect(event.cameo?.code).toBe('160');
    });

    it("given Russia's threat, when Poland's action names it, then it is refused on refersTo, naming the threat's author", () => {
      const p = problemOf(() => given([threat]).when(carryOut({ actor: 'poland', targets: ['russia'] })));
      expect(p.kind).toBe('unprocessable');
      expect(fieldsOf(p)).toEqual(['refersTo']);
      expect(p.message).toContain(
        "an action carries out its actor's own threat; the threat threat is by russia, not poland",
      );
    });

    it('given a proposal, when an action names it, then it is refused on refersTo, saying an action names only a threat', () => {
      const p = problemOf(() => given([gabala]).when(carryOut({ refersTo: 'gabala' })));
      expect(p.kind).toBe('unprocessable');
      expect(fieldsOf(p)).toEqual(['refersTo']);
      expect(p.message).toContain(
        "an action names in refersTo only a threat of its actor's that it carries out, not a proposal (gabala)",
      );
    });

    it('given a withdrawn threat, when its author acts on it after, then it is refused on refersTo, saying it was withdrawn', () => {
      const drop = command('withdrawal', {
        id: 'drop',
        targets: ['poland'],
        refersTo: 'threat',
        occurred: '2007-07-01',
        reportedAt: '2007-07-02',
      });
      const p = problemOf(() => given([threat, drop]).when(carryOut()));
      expect(fieldsOf(p)).toEqual(['refersTo']);
      expect(p.message).toContain('the threat threat is no longer active (withdrawn): nothing to carry out');
    });

    it('given a threat carried out, when its author acts on it again, then it is refused: it was carried out already', () => {
      const p = problemOf(() =>
        given([threat, carryOut({ id: 'aimed' })]).when(carryOut({ occurred: '2007-08-01', reportedAt: '2007-08-02' })),
      );
      expect(fieldsOf(p)).toEqual(['refersTo']);
      expect(p.message).toContain('the threat threat is no longer active (carried-out)');
    });

    it('given a threat carried out, when its author withdraws it after, then the withdrawal is refused as of a closed record', () => {
      const p = problemOf(() =>
        given([threat, carryOut({ id: 'aimed' })]).when(
          command('withdrawal', {
            targets: ['poland'],
            refersTo: 'threat',
            occurred: '2007-08-01',
            reportedAt: '2007-08-02',
          }),
        ),
      );
      expect(fieldsOf(p)).toEqual(['refersTo']);
      expect(p.message).toContain('is not active any more (carried-out)');
    });
  });

  it('refuses a withdrawal of something that cannot be withdrawn', () => {
    const p = problemOf(() => given([opposes]).when(command('withdrawal', { refersTo: 'opposes' })));
    expect(p.message).toContain(
      'a withdrawal answers a proposal, demand, freeze_demand, threat, agreement, not a statement',
    );
  });

  it('refuses an agreement to a withdrawn proposal', () => {
    const withdrawn = command('withdrawal', {
      actor: 'russia',
      refersTo: 'gabala',
      occurred: '2007-06-20',
      reportedAt: '2007-06-21',
    });
    const p = problemOf(() =>
      given([gabala, withdrawn]).when(
        command('agreement', {
          actor: 'united-states',
          targets: ['russia'],
          refersTo: 'gabala',
          occurred: '2007-07-01',
          reportedAt: '2007-07-02',
        }),
      ),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain('the proposal gabala is not open');
  });

  it('refuses an agreement to its own proposal', () => {
    const p = problemOf(() => given([gabala]).when(command('agreement', { actor: 'russia', refersTo: 'gabala' })));
    expect(p.message).toContain('a party does not agree to its own proposal');
  });

  describe('an agreement signed by several parties', () => {
    const usSite = story.usThirdSite;
    const treaty = (payload: Record<string, unknown>, overrides: CommandOverrides = {}) =>
      command('agreement', {
        actor: 'united-states',
        targets: [],
        refersTo: 'us-site',
        occurred: '2008-07-08',
        reportedAt: '2008-07-08',
        payload,
        ...overrides,
      });

    it('lets the proposer sign its own plan together with another party, coded 057 when signed', () => {
      const event = given([usSite]).when(treaty({ parties: ['czech-republic'], signed: true }));
      expect(event).toMatchObject({ actor: 'united-states', payload: { parties: ['czech-republic'], signed: true } });
      expect(event.cameo).toEqual(cameo('057', 'Sign formal agreement', 8.0, 'AGREE'));
    });

    it('codes an accord in words 019, whatever it answers', () => {
      const words = given([usSite]).when(treaty({ signed: false }, { actor: 'poland', refersTo: 'us-site' }));
      expect(words.cameo?.code).toBe('019');
      const signedAnswer = given([usSite]).when(treaty({ signed: true }, { actor: 'poland' }));
      expect(signedAnswer.cameo?.code).toBe('057');
    });

    it('refuses an agreement that answers no proposal and says nothing of what was agreed', () => {
      const p = problemOf(() => given([usSite]).when(treaty({ parties: ['poland'] }, { refersTo: undefined })));
      expect(fieldsOf(p)).toEqual(['payload.terms']);
      expect(given([usSite]).when(treaty({ terms: 'a basing treaty' }, { refersTo: undefined })).type).toBe(
        'agreement',
      );
    });

    it('refuses a co-signer the catalog does not know, the actor as its own co-signer, and a bad list', () => {
      const s = given([usSite]);
      const unknown = problemOf(() => s.when(treaty({ parties: ['czech'] })));
      expect(fieldsOf(unknown)).toEqual(['payload.parties[0]']);
      expect(unknown.details.suggestions).toContain('czech-republic');
      const self = problemOf(() => s.when(treaty({ parties: ['czech-republic', 'united-states'] })));
      expect(fieldsOf(self)).toEqual(['payload.parties[1]']);
      expect(self.message).toContain('is the actor');
      for (const parties of [[], 'czech-republic', ['czech-republic', 'czech-republic'], ['Czech Republic']]) {
        expect(fieldsOf(problemOf(() => s.when(treaty({ parties }))))).toEqual(['payload.parties']);
      }
      expect(fieldsOf(problemOf(() => s.when(treaty({ parties: ['poland'], signed: 'yes' }))))).toEqual([
        'payload.signed',
      ]);
    });
  });

  it('refuses an agreement to something other than a proposal', () => {
    const p = problemOf(() =>
      given([freeze]).when(
        command('agreement', {
          actor: 'united-states',
          refersTo: 'freeze',
          occurred: '2007-10-20',
          reportedAt: '2007-10-20',
        }),
      ),
    );
    expect(p.message).toContain(
      'answers a proposal, withdrawal, action, agreement, concession, endorsement, not a freeze_demand',
    );
  });

  it('refuses a concession to its own demand, and to one already met', () => {
    const s = given([freeze]);
    expect(
      problemOf(() =>
        s.when(
          command('concession', {
            actor: 'russia',
            refersTo: 'freeze',
            occurred: '2007-10-20',
            reportedAt: '2007-10-21',
          }),
        ),
      ).message,
    ).toContain("freeze is russia's own freeze_demand");
    s.record(
      command('concession', {
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'freeze',
        occurred: '2007-10-20',
        reportedAt: '2007-10-21',
      }),
    );
    const p = problemOf(() =>
      s.when(
        command('concession', {
          actor: 'poland',
          refersTo: 'freeze',
          occurred: '2007-10-22',
          reportedAt: '2007-10-23',
        }),
      ),
    );
    expect(p.message).toContain('the freeze_demand freeze is no longer active (met)');
  });

  it.each(['proposal', 'threat', 'endorsement'] as const)(
    'refuses a refersTo on a %s, which answers nothing',
    (type) => {
      const p = problemOf(() =>
        given([gabala]).when(
          command(type, {
            actor: 'united-states',
            targets: ['russia'],
            refersTo: 'gabala',
            ...(type === 'proposal' ? { payload: { item: 'us-third-site', terms: 'x' } } : {}),
          }),
        ),
      );
      expect(p.kind).toBe('unprocessable');
      expect(fieldsOf(p)).toEqual(['refersTo']);
      expect(p.message).toContain(`a ${type} does not answer another event; leave refersTo out`);
    },
  );

  it.each(['correction', 'retraction', 'rejection'] as const)(
    'refuses a %s of a record that does not exist',
    (type) => {
      const p = problemOf(() =>
        given([gabala]).when(command(type, { actor: 'united-states', refersTo: 'no-such-event' })),
      );
      expect(p.kind).toBe('unprocessable');
      expect(fieldsOf(p)).toEqual(['refersTo']);
      expect(p.message).toBe('refersTo: no recorded event has id no-such-event');
    },
  );

  it('refuses a context whose referenced event is another one', () => {
    const s = given([gabala, threat]);
    const cmd = command('rejection', { actor: 'united-states', refersTo: 'gabala' });
    const context = { ...s.context(cmd), referenced: { event: s.events[1], retracted: false } };
    expect(fieldsOf(problemOf(() => decide(cmd, context)))).toEqual(['refersTo']);
  });

  it.each([
    ['rejection', { actor: 'united-states', targets: ['russia'] }],
    ['agreement', { actor: 'united-states', targets: ['russia'] }],
    ['correction', {}],
    ['retraction', {}],
  ] as const)('refuses a %s of a retracted record', (type, overrides) => {
    const retracted = command('retraction', { refersTo: 'gabala', occurred: '2007-06-20', reportedAt: '2007-06-20' });
    const p = problemOf(() =>
      given([gabala, retracted]).when(
        command(type, { ...overrides, refersTo: 'gabala', occurred: '2007-06-21', reportedAt: '2007-06-21' }),
      ),
    );
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain('event gabala has been retracted');
  });

  it('refuses a correction of a correction', () => {
    const fix = command('correction', {
      id: 'fix',
      refersTo: 'gabala',
      occurred: '2007-06-10',
      reportedAt: '2007-06-10',
    });
    const p = problemOf(() =>
      given([gabala, fix]).when(
        command('correction', { refersTo: 'fix', occurred: '2007-06-11', reportedAt: '2007-06-11' }),
      ),
    );
    expect(p.message).toContain('not a correction');
  });
});

describe('decide: corrections', () => {
  const correct = (changes: Record<string, unknown>) =>
    command('correction', {
      refersTo: 'gabala',
      occurred: '2007-06-10',
      reportedAt: '2007-06-10',
      payload: { reason: 'r', changes },
    });

  it('must change something', () => {
    const p = problemOf(() => given([gabala]).when(correct({})));
    expect(fieldsOf(p)).toEqual(['payload.changes']);
  });

  it.each(['correction', 'retraction'] as const)(
    "given Russia's offer, when the United States sends a %s of it, then it is refused naming actor: it is Russia's record",
    (type) => {
      const about = command(type, {
        actor: 'united-states',
        targets: [],
        refersTo: 'gabala',
        occurred: '2007-06-10',
        reportedAt: '2007-06-10',
        payload: type === 'correction' ? { reason: 'r', changes: { quote: 'q' } } : { reason: 'r' },
      });
      const p = problemOf(() => given([gabala]).when(about));
      expect(p.kind).toBe('unprocessable');
      expect(fieldsOf(p)).toEqual(['actor']);
      expect(p.message).toContain("its actor must be that event's (russia)");
      expect(given([gabala]).when({ ...about, actor: 'russia', targets: ['united-states'] }).type).toBe(type);
    },
  );

  it('cannot change the actor or type: that is a new record', () => {
    const p = problemOf(() => given([gabala]).when(correct({ actor: 'iran' })));
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['payload.changes.actor']);
    expect(p.message).toContain('retract the record and record a new event instead');
  });

  it('checks the new date: real, and not after the original report', () => {
    const s = given([gabala]);
    const bad = problemOf(() => s.when(correct({ occurred: '2007-02-30' })));
    expect(bad.kind).toBe('invalid');
    expect(fieldsOf(bad)).toEqual(['payload.changes.occurred']);
    const late = problemOf(() => s.when(correct({ occurred: '2007-06-09' })));
    expect(late.kind).toBe('unprocessable');
    expect(late.message).toContain('the corrected date is after the original report');
    expect(s.when(correct({ occurred: '2007-06-08' })).type).toBe('correction');
  });

  it('keeps the basis of a date beside it, in an event and in a correction', () => {
    const s = given([gabala]);
    const basis = "'the same day' as the press conference of 7 June";
    const event = s.when(command('statement', { occurred: { date: '2007-06-07', basis }, reportedAt: '2007-06-08' }));
    expect(event.occurred).toEqual({ from: '2007-06-07', to: '2007-06-07', precision: 'day', basis });
    const dated = s.when(correct({ occurred: { date: '2007-06-01/2007-06-02', basis } }));
    expect(dated.payload).toMatchObject({
      changes: { occurred: { from: '2007-06-01', to: '2007-06-02', precision: 'interval', basis } },
    });
    const wrong = problemOf(() => s.when(correct({ occurred: { basis } })));
    expect(fieldsOf(wrong)).toEqual(['payload.changes.occurred']);
  });

  it('checks new targets against the catalog', () => {
    const p = problemOf(() => given([gabala]).when(correct({ targets: ['united-states', 'polnad'] })));
    expect(p.kind).toBe('unprocessable');
    expect(fieldsOf(p)).toEqual(['payload.changes.targets[1]']);
    expect(p.details.suggestions).toContain('poland');
  });

  it('checks the corrected payload as a payload of the original type', () => {
    const s = given([gabala]);
    const p = problemOf(() => s.when(correct({ payload: { terms: '' } })));
    expect(p.kind).toBe('invalid');
    expect(fieldsOf(p)).toEqual(['payload.changes.payload.terms']);
    const unknownItem = problemOf(() => s.when(correct({ payload: { item: 'gabala-radar' } })));
    expect(fieldsOf(unknownItem)).toEqual(['payload.changes.payload.item']);
    expect(s.when(correct({ payload: { terms: 'joint use of Gabala, with data shared' } })).type).toBe('correction');
  });

  it('refuses an empty quote or summary', () => {
    expect(fieldsOf(problemOf(() => given([gabala]).when(correct({ summary: '' }))))).toEqual([
      'payload.changes.summary',
    ]);
  });
});

describe('applyCorrection', () => {
  it('changes only the fields named, merging the payload', () => {
    const s = given([gabala]);
    const original = s.events[0] as DiplomaticEvent;
    const corrected = applyCorrection(original, {
      occurred: { from: '2007-06-06', to: '2007-06-06', precision: 'day' },
      payload: { terms: 'joint use, data shared' },
    });
    expect(corrected).toEqual({
      ...original,
      occurred: { from: '2007-06-06', to: '2007-06-06', precision: 'day' },
      payload: { item: 'azerbaijan-radar', terms: 'joint use, data shared' },
    });
    expect(original.payload).toEqual({ item: 'azerbaijan-radar', terms: 'joint use of the Gabala radar' });
  });
});

describe('the decision context', () => {
  it('is what the fixtures pass', () => {
    const cmd = command('statement');
    const context = given([]).context(cmd);
    expect(context).toEqual({
      now: NOW,
      parties: new Set(PARTIES),
      topics: new Set(TOPICS),
      catalogItems: new Set(CATALOG_ITEMS),
      speakers: SPEAKERS,
      state: emptyTopicState(TOPIC),
      log: [],
    });
  });
});

describe("decide: an event's speaker is a speaker of the catalog", () => {
  it('takes a speaker by name or alias, in any case, and keeps the name as given', () => {
    for (const name of ['Vladimir Putin', 'putin', 'PRESIDENT PUTIN'])
      expect(given([]).when(command('statement', { speaker: { name } })).speaker).toEqual({ name });
  });

  it('takes a speaker of another party, the only one so called (Rice telling what Russia said)', () => {
    expect(given([]).when(command('statement', { speaker: { name: 'Rice' } })).speaker).toEqual({ name: 'Rice' });
  });

  it('refuses an unknown speaker, naming speaker.name, with the closest names and how to add one', () => {
    const problem = problemOf(() => given([]).when(command('statement', { speaker: { name: 'Vladimir Poutine' } })));
    expect(problem.kind).toBe('unprocessable');
    expect(fieldsOf(problem)).toEqual(['speaker.name']);
    expect(problem.details.suggestions).toEqual(expect.arrayContaining(['Vladimir Putin']));
    expect((problem.details.suggestions as string[])[0]).toBe('Vladimir Putin');
    expect(problem.message).toMatch(
      /unknown speaker "Vladimir Poutine"; did you mean "Vladimir Putin".*POST \/speakers/,
    );
  });

  it("refuses a correction's unknown speaker, matched for the corrected event's actor", () => {
    const original = command('statement', { id: 'said', speaker: { name: 'Putin' } });
    const correction = (speaker: { name: string }) =>
      command('correction', {
        actor: 'russia',
        refersTo: 'said',
        occurred: '2007-06-09',
        reportedAt: '2007-06-09',
        payload: { reason: 'misattributed', changes: { speaker } },
      });
    expect(fieldsOf(problemOf(() => given([original]).when(correction({ name: 'Lavroff' }))))).toEqual([
      'payload.changes.speaker.name',
    ]);
    expect(given([original]).when(correction({ name: 'Lavrov' })).type).toBe('correction');
  });
});

describe('decide: a signer withdraws from an agreement once, whatever the fold it is decided against (audit 2, finding 6)', () => {
  const deal = command('agreement', {
    id: 'deal',
    actor: 'united-states',
    targets: [],
    occurred: '2015-07-14',
    reportedAt: '2015-07-14',
    payload: { parties: ['russia'], terms: 'the joint plan on the radar', signed: true },
  });
  const leave = (id: string, day: string) =>
    command('withdrawal', { id, actor: 'russia', targets: [], refersTo: 'deal', occurred: day, reportedAt: day });
  /** The topic as a writer's cached fold holds it: its past acts let go of (TopicFold.forgetHistory). */
  const forgotten = (s: ReturnType<typeof given>) => {
    const log = effectiveLog(s.events).events;
    const fold = new TopicFold(TOPIC, { tracking: false });
    for (const { event, correctedBy, key } of log) fold.apply(event, correctedBy, key);
    fold.forgetHistory();
    return { state: fold.state, last: log.at(-1)!.key };
  };

  it('given a writer whose fold let go of the deal, when the signer that left withdraws again, then it reads the log and refuses it naming refersTo', () => {
    const s = given([deal, leave('left', '2018-05-08')]);
    const again = leave('again', '2018-06-01');
    const { state, last } = forgotten(s);
    expect(state.acts).toEqual([]);
    expect(needsLog(again, state, last, s.events[0])).toBe(true);
    const p = problemOf(() => decide(again, { ...s.context(again), state }));
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain('not in force for russia any more (withdrawn by left on 2018-05-08)');
  });

  it('given a writer whose fold holds the deal whole, then a withdrawal from it that counts last needs no log', () => {
    const s = given([deal]);
    const last = effectiveLog(s.events).events.at(-1)!.key;
    expect(needsLog(leave('left', '2018-05-08'), s.state, last, s.events[0])).toBe(false);
  });

  it('given a log written before this rule holding a second withdrawal, then its fold lists it beside the first, and a later correction is not held to it', () => {
    const s = given([deal, leave('left', '2018-05-08')]);
    s.recordAsBefore(leave('again', '2018-06-01'));
    expect(failedChecks(effectiveLog(s.events).events).has('again')).toBe(true);
    expect(s.state.acts[0].left?.map((l) => l.party)).toEqual(['russia', 'russia']);
    const fix = command('correction', {
      actor: 'russia',
      refersTo: 'left',
      occurred: '2018-06-02',
      reportedAt: '2018-06-02',
      payload: { reason: 'the date was wrong', changes: { occurred: '2018-05-07' } },
    });
    expect(s.record(fix).type).toBe('correction');
  });
});

describe("decide: a back-down on one's own proposal by its item is checked at its place (audit 2, finding 3)", () => {
  const plan = command('proposal', {
    id: 'plan',
    actor: 'united-states',
    targets: ['russia'],
    occurred: '2022-01-05',
    reportedAt: '2022-01-05',
    payload: { item: 'us-third-site', terms: 'a radar and ten interceptors' },
  });
  const drop = command('withdrawal', {
    id: 'drop',
    actor: 'united-states',
    targets: ['russia'],
    refersTo: 'plan',
    occurred: '2022-02-01',
    reportedAt: '2022-02-01',
  });
  const backDown = (day: string, reportedAt = day) =>
    command('concession', {
      id: 'back-down',
      actor: 'united-states',
      targets: ['russia'],
      occurred: day,
      reportedAt,
      payload: { item: 'us-third-site', terms: 'a radar alone' },
    });

  it('given a plan its proposer backed down on by its item, when the proposer withdraws the plan, then decide refuses it: it is conceded', () => {
    const p = problemOf(() => given([plan, backDown('2022-01-12')]).when(drop));
    expect(fieldsOf(p)).toEqual(['refersTo']);
    expect(p.message).toContain('is not active any more (conceded)');
  });

  it('given a withdrawn plan, when a back-down on it by its item dated before is reported late, then decide refuses it, naming the withdrawal', () => {
    const p = problemOf(() => given([plan, drop]).when(backDown('2022-01-12', '2022-03-01')));
    expect(fieldsOf(p)).toEqual(['occurred']);
    expect(p.details.conflictsWith).toBe('drop');
  });
});
