import { elementsOf, evidenceRefsIn, splitElementId, withEvidence } from './elements.js';
import { moscow } from '../testing/fixtures.js';

describe('elementsOf', () => {
  it("cuts each party's position into keyed elements", () => {
    const s = moscow();
    const keys = (party: string) =>
      [...elementsOf(s.state, party).keys()]
        .map((id) => splitElementId(id))
        .map(([p, key]) => `${p}:${key}`)
        .sort();
    expect(keys('russia')).toEqual([
      'russia:closed:threat',
      'russia:demand:freeze',
      'russia:item:azerbaijan-radar',
      'russia:item:us-third-site',
      'russia:last-affecting',
      'russia:last-change',
      'russia:proposal:gabala',
      'russia:response:us-site',
    ]);
    expect(keys('united-states')).toEqual([
      'united-states:demand-on:freeze',
      'united-states:item:us-third-site',
      'united-states:last-affecting',
      'united-states:last-change',
      'united-states:proposal:us-site',
    ]);
    // Threatened, but did nothing itself: the threat, withdrawn since, is in its position as closed concerning it.
    expect(keys('poland')).toEqual(['poland:closed-on:threat', 'poland:last-affecting']);
    const all = elementsOf(s.state);
    expect(all.size).toBe(
      ['russia', 'united-states', 'poland', 'czech-republic'].reduce((n, p) => n + elementsOf(s.state, p).size, 0),
    );
  });
});

describe('evidence references', () => {
  it('finds every reference in stored bodies, a bare last-change reference included, and replaces each with its evidence', () => {
    const bodies = [
      'e1',
      {
        eventId: 'p',
        responses: [
          { party: 'x', response: 'rejected', evidence: 'e2+c1' },
          { party: 'y', response: 'none' },
        ],
        evidence: 'p',
      },
      { evidence: 'e3', retraction: 'r1', reason: 'wrong' },
    ];
    expect([...evidenceRefsIn(bodies)].sort()).toEqual(['e1', 'e2+c1', 'e3', 'p', 'r1']);
    const lookup = (ref: string) => ({ eventId: ref.split('+')[0], named: ref }) as never;
    expect(withEvidence('e1', lookup)).toEqual({ eventId: 'e1', named: 'e1' });
    expect(withEvidence(bodies[1], lookup)).toEqual({
      eventId: 'p',
      responses: [
        { party: 'x', response: 'rejected', evidence: { eventId: 'e2', named: 'e2+c1' } },
        { party: 'y', response: 'none' },
      ],
      evidence: { eventId: 'p', named: 'p' },
    });
    expect(withEvidence(bodies[2], lookup)).toEqual({
      evidence: { eventId: 'e3', named: 'e3' },
      retraction: { eventId: 'r1', named: 'r1' },
      reason: 'wrong',
    });
  });
});
