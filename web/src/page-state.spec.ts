import { readState, stateHash } from './page-state.js';

describe('the page state in its address', () => {
  it('reads back what it writes, leaving out what is not set', () => {
    const state = {
      view: 'topic',
      topic: 'missile-defense-europe',
      at: '2007-10-14',
      knownAt: '2007-10-20',
    } as const;
    expect(stateHash(state)).toBe('#view=topic&topic=missile-defense-europe&at=2007-10-14&knownAt=2007-10-20');
    expect(readState(stateHash(state))).toEqual(state);
    const party = { view: 'party', party: 'russia', at: '2007-10-14', since: '2007-06-01' } as const;
    expect(readState(stateHash(party))).toEqual(party);
  });

  it('opens the older addresses on their view and subject', () => {
    expect(readState('#topic=cfe-treaty')).toEqual({ view: 'topic', topic: 'cfe-treaty' });
    expect(readState('#party=russia')).toEqual({ view: 'party', party: 'russia' });
    expect(readState('#relations')).toEqual({ view: 'relations' });
    expect(readState('')).toEqual({ view: 'topic' });
  });
});
