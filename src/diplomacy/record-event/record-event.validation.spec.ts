import { checkRecordEventBody } from './record-event.validation.js';

const source = {
  publisher: 'The Washington Post',
  title: 'Putin Offers to Join Missile Shield Effort',
  publishedAt: '2007-06-08',
};

/** A valid body with every field; override what the test is about. */
function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    topic: 'missile-defense-europe',
    type: 'statement',
    actor: 'russia',
    targets: ['united-states', 'poland'],
    speaker: { name: 'Vladimir Putin', role: 'President of Russia' },
    occurred: '2007-06-07',
    reportedAt: '2007-06-08',
    source: { ...source, author: 'Michael A. Fletcher', url: 'https://www.washingtonpost.com/2007/06/08/putin' },
    quote: 'We have an understanding, as well as common threats',
    summary: 'Putin says Russia opposes the US third site.',
    refersTo: 'b1ffcd88-1d1c-4ef9-9c7e-7cc0ce491b22',
    cameo: '111',
    payload: { item: 'us-third-site', stance: 'opposes' },
    expectedVersion: 0,
    ...overrides,
  };
}

function without(...fields: string[]): Record<string, unknown> {
  const copy = body();
  for (const field of fields) delete copy[field];
  return copy;
}

function problems(json: unknown) {
  const checked = checkRecordEventBody(json);
  if (checked.ok) throw new Error('expected the body to be refused');
  return checked.problems;
}

describe('checkRecordEventBody', () => {
  it('passes a valid body through, as it was sent', () => {
    const sent = body();
    expect(checkRecordEventBody(sent)).toEqual({ ok: true, body: sent });
  });

  it('passes a body with only the required fields', () => {
    const sent = {
      topic: 'cfe-treaty',
      type: 'action',
      actor: 'russia',
      occurred: '2007',
      source,
      summary: 'Russia suspends the CFE treaty.',
      payload: {},
    };
    expect(checkRecordEventBody(sent).ok).toBe(true);
  });

  it('names a missing required field, nested ones by their path', () => {
    expect(problems(without('summary'))).toEqual([{ field: 'summary', problem: 'is required' }]);
    expect(problems(without('source'))).toEqual([{ field: 'source', problem: 'is required' }]);
    expect(problems(body({ source: { publisher: 'AP', publishedAt: '2007-06-08' } }))).toEqual([
      { field: 'source.title', problem: 'is required' },
    ]);
    expect(problems(body({ speaker: { role: 'President' } }))).toEqual([
      { field: 'speaker.name', problem: 'is required' },
    ]);
  });

  it('names a value of the wrong type', () => {
    expect(problems(body({ summary: 42 }))).toEqual([{ field: 'summary', problem: 'must be a string' }]);
    expect(problems(body({ payload: ['item'] }))).toEqual([{ field: 'payload', problem: 'must be an object' }]);
    expect(problems(body({ speaker: 'Putin' }))).toEqual([{ field: 'speaker', problem: 'must be an object' }]);
    expect(problems(body({ speaker: [{ name: 'Putin' }] }))).toEqual([
      { field: 'speaker', problem: 'must be an object' },
    ]);
    expect(problems(body({ targets: 'poland' }))).toEqual([{ field: 'targets', problem: 'must be an array' }]);
    expect(problems(body({ quote: null }))).toEqual([{ field: 'quote', problem: 'must be a string' }]);
    expect(problems(body({ expectedVersion: 1.5 }))).toEqual([
      { field: 'expectedVersion', problem: 'must be an integer number' },
    ]);
    expect(problems(['not', 'an', 'object'])).toEqual([{ field: 'body', problem: 'must be an object' }]);
  });

  it('names a bad slug, whatever its type', () => {
    const problem = 'must be a lowercase slug like "united-states"';
    expect(problems(body({ actor: 'Russia' }))).toEqual([{ field: 'actor', problem }]);
    expect(problems(body({ topic: 5 }))).toEqual([{ field: 'topic', problem }]);
  });

  it('names an event type it does not know, once, whatever its type', () => {
    const problem =
      'must be one of the following values: proposal, rejection, concession, freeze_demand, demand, threat, withdrawal, agreement, endorsement, statement, action, correction, retraction, report';
    expect(problems(body({ type: 'invasion' }))).toEqual([{ field: 'type', problem }]);
    expect(problems(body({ type: 7 }))).toEqual([{ field: 'type', problem }]);
  });

  it('names a bad UUID, including the "urn:uuid:" form PostgreSQL refuses', () => {
    expect(problems(body({ id: 'abc' }))).toEqual([{ field: 'id', problem: 'must be a UUID' }]);
    const notAnEvent = "must be an event's id (a UUID) or its key (lowercase words and dots, at most 120 characters)";
    expect(problems(body({ refersTo: 'urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' }))).toEqual([
      { field: 'refersTo', problem: notAnEvent },
    ]);
    expect(problems(body({ refersTo: 12 }))).toEqual([{ field: 'refersTo', problem: notAnEvent }]);
  });

  it('takes a readable key, and a key wherever an event is named', () => {
    expect(
      checkRecordEventBody(body({ key: 'putin-offers-gabala', refersTo: 'wp-2007-06-08.us-third-site-plan' })).ok,
    ).toBe(true);
    expect(problems(body({ key: 'Putin offers' }))).toEqual([
      {
        field: 'key',
        problem: 'must be lowercase words joined by hyphens, parts by dots, like "wp-2007-06-08.us-third-site-plan"',
      },
    ]);
    expect(problems(body({ key: 'k'.repeat(121) }))[0]).toMatchObject({ field: 'key' });
    expect(problems(body({ refersTo: 'k'.repeat(121) }))[0]).toMatchObject({ field: 'refersTo' });
    expect(problems(body({ refersTo: 'a/b' }))[0]).toMatchObject({ field: 'refersTo' });
  });

  it('names a source url without its protocol, or longer than class-validator allowed', () => {
    expect(problems(body({ source: { ...source, url: 'www.washingtonpost.com/putin' } }))).toEqual([
      { field: 'source.url', problem: 'must be a URL address' },
    ]);
    const long = `https://www.washingtonpost.com/${'a'.repeat(2060)}`;
    expect(problems(body({ source: { ...source, url: long } }))).toEqual([
      { field: 'source.url', problem: 'must be shorter than or equal to 2083 characters' },
    ]);
  });

  it('refuses unknown properties at the top and inside nested objects, but not inside the payload', () => {
    expect(problems(body({ extra: 1 }))).toEqual([{ field: 'extra', problem: 'property extra should not exist' }]);
    expect(problems(body({ source: { ...source, edition: 'late' } }))).toEqual([
      { field: 'source.edition', problem: 'property edition should not exist' },
    ]);
    expect(problems(body({ speaker: { name: 'Putin', party: 'russia' } }))).toEqual([
      { field: 'speaker.party', problem: 'property party should not exist' },
    ]);
    expect(
      checkRecordEventBody(body({ payload: { item: 'us-third-site', stance: 'opposes', anything: true } })).ok,
    ).toBe(true);
  });

  it('names text that is too long or too short', () => {
    expect(problems(body({ summary: 'x'.repeat(1001) }))).toEqual([
      { field: 'summary', problem: 'must be shorter than or equal to 1000 characters' },
    ]);
    expect(problems(body({ summary: '' }))).toEqual([
      { field: 'summary', problem: 'must be longer than or equal to 1 characters' },
    ]);
    expect(problems(body({ source: { ...source, publisher: 'p'.repeat(201) } }))).toEqual([
      { field: 'source.publisher', problem: 'must be shorter than or equal to 200 characters' },
    ]);
  });

  it('names a bad CAMEO code, and one sent as a number', () => {
    const problem = 'must be a CAMEO code of 2 to 4 digits, as a string';
    expect(problems(body({ cameo: '1' }))).toEqual([{ field: 'cameo', problem }]);
    expect(problems(body({ cameo: 36 }))).toEqual([{ field: 'cameo', problem }]);
  });

  it('names a negative expectedVersion', () => {
    expect(problems(body({ expectedVersion: -1 }))).toEqual([
      { field: 'expectedVersion', problem: 'must not be less than 0' },
    ]);
  });

  it('names a targets entry that is not a slug on the list, once however many are bad', () => {
    const problem = 'each target must be a lowercase slug like "united-states"';
    expect(problems(body({ targets: ['poland', 'United States', 'NATO'] }))).toEqual([{ field: 'targets', problem }]);
    expect(problems(body({ targets: ['poland', 7] }))).toEqual([{ field: 'targets', problem }]);
    expect(problems(body({ targets: Array(51).fill('poland') }))).toEqual([
      { field: 'targets', problem: 'must contain no more than 50 elements' },
    ]);
  });

  it('reports every bad field at once', () => {
    const found = problems({
      ...without('actor'),
      type: 'invasion',
      summary: '',
      source: { ...source, url: 'nowhere' },
      extra: 1,
    });
    expect(found.map((p) => p.field).sort()).toEqual(['actor', 'extra', 'source.url', 'summary', 'type']);
  });
});
