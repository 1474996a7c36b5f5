import { EVENT_TYPES } from './events.js';
import { checkPayload, PAYLOAD_FIELDS } from './payloads.js';
import { DEFAULT_PAYLOADS } from '../testing/fixtures.js';

describe('checkPayload', () => {
  it.each(EVENT_TYPES)('accepts the fixture payload of a %s', (type) => {
    expect(checkPayload(type, DEFAULT_PAYLOADS[type])).toEqual([]);
  });

  it.each([
    ['proposal', { item: 'us-third-site' }, ['payload.terms']],
    ['proposal', { terms: 'x' }, ['payload.item']],
    ['concession', {}, ['payload.terms']],
    ['freeze_demand', { item: 'us-third-site' }, ['payload.action']],
    ['demand', {}, ['payload.demand']],
    ['threat', { condition: 'if built' }, ['payload.counterMeasure']],
    ['endorsement', {}, ['payload.item']],
    ['statement', { item: 'us-third-site' }, ['payload.stance']],
    ['action', {}, ['payload.act']],
    ['correction', { reason: 'x' }, ['payload.changes']],
    ['retraction', {}, ['payload.reason']],
  ] as const)('a %s without %j misses %j', (type, payload, fields) => {
    const problems = checkPayload(type, payload);
    expect(problems.map((p) => p.field)).toEqual(fields);
    for (const p of problems) expect(p.problem).toBe(`is required for a ${type}`);
  });

  it('treats null as missing', () => {
    expect(checkPayload('proposal', { item: 'us-third-site', terms: null })).toEqual([
      { field: 'payload.terms', problem: 'is required for a proposal' },
    ]);
  });

  it('rejects fields the type does not have and names the ones it has', () => {
    expect(checkPayload('rejection', { reason: 'no', item: 'us-third-site' })).toEqual([
      { field: 'payload.item', problem: 'is not a field of a rejection payload (expected: reason)' },
    ]);
  });

  it('checks each field by its rule', () => {
    expect(checkPayload('proposal', { item: 'US Third Site', terms: '  ', itemTitle: 'x'.repeat(201) })).toEqual([
      { field: 'payload.item', problem: 'must be a lowercase slug like "us-third-site"' },
      { field: 'payload.itemTitle', problem: 'must be at most 200 characters' },
      { field: 'payload.terms', problem: 'must be a non-empty string' },
    ]);
    expect(checkPayload('statement', { stance: 'hostile' })).toEqual([
      { field: 'payload.stance', problem: 'must be one of supports, opposes, conditional, neutral' },
    ]);
    expect(checkPayload('correction', { reason: 'x', changes: [] })).toEqual([
      { field: 'payload.changes', problem: 'must be an object' },
    ]);
  });

  it('counts characters, not UTF-16 units, as JSON Schema does for the documented payload', () => {
    expect(checkPayload('proposal', { item: 'us-third-site', terms: 'x', itemTitle: '😀'.repeat(200) })).toEqual([]);
    expect(checkPayload('proposal', { item: 'us-third-site', terms: 'x', itemTitle: '😀'.repeat(201) })).toEqual([
      { field: 'payload.itemTitle', problem: 'must be at most 200 characters' },
    ]);
  });

  it.each([null, 'text', [], 3])('refuses %j as a payload', (payload) => {
    expect(checkPayload('statement', payload)).toEqual([{ field: 'payload', problem: 'must be an object' }]);
  });

  it('names fields under the path it is given', () => {
    expect(checkPayload('statement', {}, 'payload.changes.payload')).toEqual([
      { field: 'payload.changes.payload.stance', problem: 'is required for a statement' },
    ]);
  });

  it('has a field list for every event type', () => {
    expect(Object.keys(PAYLOAD_FIELDS).sort()).toEqual([...EVENT_TYPES].sort());
  });
});
