import { type CatalogSpeaker, isDay, roleOn, roleProblems, SpeakerDirectory, speakerKey } from './speakers.js';

const PUTIN: CatalogSpeaker = {
  name: 'Vladimir Putin',
  party: 'russia',
  aliases: ['Putin', 'President Putin'],
  roles: [
    { role: 'President of Russia', from: '2000-05-07', to: '2008-05-07' },
    { role: 'Prime Minister of Russia', from: '2008-05-08', to: '2012-05-07' },
  ],
};
const RICE: CatalogSpeaker = {
  name: 'Condoleezza Rice',
  party: 'united-states',
  aliases: ['Rice'],
  roles: [{ role: 'U.S. Secretary of State', from: '2005-01-26', to: '2009-01-20' }],
};
const PELOSI: CatalogSpeaker = {
  name: 'Nancy Pelosi',
  party: 'us-congress',
  aliases: ['Speaker Pelosi'],
  roles: [{ role: 'Speaker of the House' }],
};
/** Two speakers of other parties called the same. */
const SMITHS: CatalogSpeaker[] = [
  { name: 'John Smith', party: 'poland', aliases: [], roles: [] },
  { name: 'John Smith', party: 'nato', aliases: [], roles: [] },
];
const PARENTS: Record<string, string> = { 'us-house': 'us-congress', 'us-congress': 'united-states' };
const directory = new SpeakerDirectory([PUTIN, RICE, PELOSI, ...SMITHS], (party) => PARENTS[party]);

describe('roleOn: the role held on a day', () => {
  it.each([
    ['2007-06-07', 'President of Russia'],
    ['2008-05-07', 'President of Russia'], // the last day counts
    ['2008-05-08', 'Prime Minister of Russia'], // and so does the first
    ['2008-06-01', 'Prime Minister of Russia'],
    ['1999-12-31', undefined],
    ['2012-05-08', undefined],
  ])('Putin on %s: %s', (day, role) => {
    expect(roleOn(PUTIN.roles, day)).toBe(role);
  });

  it('reads a bound left out as open', () => {
    expect(roleOn([{ role: 'Foreign Minister', from: '2004-03-09' }], '2030-01-01')).toBe('Foreign Minister');
    expect(roleOn([{ role: 'Foreign Minister', from: '2004-03-09' }], '2004-03-08')).toBeUndefined();
    expect(roleOn([{ role: 'General' }], '0001-01-01')).toBe('General');
    expect(roleOn([], '2007-06-07')).toBeUndefined();
  });
});

describe('roleProblems: days, order, one role a day', () => {
  it('takes dated, half-dated and undated roles that do not share a day', () => {
    expect(roleProblems(PUTIN.roles)).toEqual([]);
    expect(
      roleProblems([
        { role: 'A', to: '2000-01-01' },
        { role: 'B', from: '2000-01-02' },
      ]),
    ).toEqual([]);
    expect(roleProblems([{ role: 'A' }])).toEqual([]);
    expect(roleProblems([])).toEqual([]);
  });

  it.each(['2008-5-8', '2008-02-30', '0000-01-01', '2008-05-08T00:00:00Z', '', 'yesterday'])(
    'refuses %j as a day, naming the field',
    (day) => {
      expect(roleProblems([{ role: 'A' }, { role: 'B', from: day }])).toEqual([
        { field: 'roles.1.from', problem: 'must be a day, YYYY-MM-DD' },
      ]);
    },
  );

  it('refuses a role that ends before it starts', () => {
    expect(roleProblems([{ role: 'A', from: '2008-05-08', to: '2008-05-07' }])).toEqual([
      { field: 'roles.0.to', problem: 'must not be before from (2008-05-08)' },
    ]);
  });

  it('refuses two roles sharing a day, naming the later given', () => {
    const [problem, ...more] = roleProblems([
      { role: 'Prime Minister', from: '2008-05-07' },
      { role: 'President', to: '2008-05-07' },
    ]);
    expect(more).toEqual([]);
    expect(problem.field).toBe('roles.1');
    expect(problem.problem).toMatch(/overlaps roles\.0 .*one role a day/);
    expect(roleProblems([{ role: 'A' }, { role: 'B', from: '1990-01-01', to: '1990-12-31' }])[0].field).toBe('roles.1');
  });

  it('refuses an empty role', () => {
    expect(roleProblems([{ role: ' ' }])).toEqual([{ field: 'roles.0.role', problem: 'must not be empty' }]);
  });

  it('knows the calendar', () => {
    expect(isDay('2008-02-29')).toBe(true);
    expect(isDay('2007-02-29')).toBe(false);
    expect(isDay('0099-12-31')).toBe(true);
    expect(isDay('9999-12-31')).toBe(true);
  });
});

describe("SpeakerDirectory.match: an event's speaker in the catalog", () => {
  it('finds a speaker of the actor by name or alias, in any case and spacing', () => {
    for (const name of ['Vladimir Putin', 'vladimir putin', '  Vladimir   PUTIN ', 'Putin', 'president putin'])
      expect(directory.match(name, 'russia')).toEqual({ speaker: PUTIN });
    expect(speakerKey('Vladimir  Putin')).toBe(speakerKey('vladimir putin'));
  });

  it("finds a speaker of the party the actor belongs to, and up: the House speaks with the Congress's speaker", () => {
    expect(directory.match('Speaker Pelosi', 'us-house')).toEqual({ speaker: PELOSI });
    expect(directory.match('Rice', 'us-house')).toEqual({ speaker: RICE });
  });

  it('finds the one speaker of another party so called: Rice telling what the Russians said', () => {
    expect(directory.match('Condoleezza Rice', 'russia')).toEqual({ speaker: RICE });
  });

  it("prefers the actor's own speaker to others of the same name", () => {
    const smiths = new SpeakerDirectory(SMITHS, () => undefined);
    expect(smiths.match('John Smith', 'nato')).toEqual({ speaker: SMITHS[1] });
    expect(smiths.match('john smith', 'poland')).toEqual({ speaker: SMITHS[0] });
  });

  it('names the candidates when several other parties have a speaker so called', () => {
    expect(directory.match('John Smith', 'russia')).toEqual({ ambiguous: SMITHS });
  });

  it('suggests the closest names of an unknown speaker, by name and alias', () => {
    const found = directory.match('Vladimir Poutine', 'russia');
    expect(found).toMatchObject({ unknown: true });
    expect('suggestions' in found && found.suggestions[0]).toBe('Vladimir Putin');
    const byAlias = directory.match('Condi Rice', 'united-states');
    expect('suggestions' in byAlias && byAlias.suggestions[0]).toBe('Condoleezza Rice');
    expect(SpeakerDirectory.EMPTY.match('Putin', 'russia')).toEqual({ unknown: true, suggestions: [] });
  });

  it("gives the role of the matched speaker on a day: Putin's two offices", () => {
    expect(directory.roleOf('Putin', 'russia', '2007-06-07')).toBe('President of Russia');
    expect(directory.roleOf('Putin', 'russia', '2008-06-01')).toBe('Prime Minister of Russia');
    expect(directory.roleOf('Rice', 'russia', '2008-03-31')).toBe('U.S. Secretary of State');
    expect(directory.roleOf('Someone', 'russia', '2008-03-31')).toBeUndefined();
    expect(directory.roleOf('John Smith', 'russia', '2008-03-31')).toBeUndefined();
  });

  it('lists speakers by party then name', () => {
    expect(directory.list().map((s) => s.party)).toEqual(['nato', 'poland', 'russia', 'united-states', 'us-congress']);
    expect(directory.list('russia')).toEqual([PUTIN]);
  });
});
