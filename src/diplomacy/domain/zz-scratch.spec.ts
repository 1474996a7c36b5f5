import { command, given, CATALOG } from './testing/fixtures.js';
import { positionOf } from './position.js';
import { effectiveLog, foldTopic, elementTimeline, advanceElements, allElements } from './timeline.js';
import { evolve } from './evolve.js';
import { emptyTopicState } from './topic-state.js';

it('answer in interval', () => {
  const s = given([
    command('proposal', { id: 'p1', actor: 'united-states', targets: ['russia'], occurred: '2007-10-12/2007-10-13', reportedAt: '2007-10-14', payload: { item: 'us-third-site', terms: 'x' } }),
    command('rejection', { id: 'r1', actor: 'russia', targets: ['united-states'], occurred: '2007-10-12', reportedAt: '2007-10-14', refersTo: 'p1' }),
  ]);
  const st = s.state;
  console.log(JSON.stringify(positionOf(st, 'united-states', CATALOG).openProposals[0].responses), positionOf(st, 'russia', CATALOG).items);
});
it('reported earlier answer', () => {
  const s = given([
    command('proposal', { id: 'p1', actor: 'united-states', targets: ['russia'], occurred: '2007-10-12', reportedAt: '2007-10-15', payload: { item: 'us-third-site', terms: 'x' } }),
    command('rejection', { id: 'r1', actor: 'russia', targets: ['united-states'], occurred: '2007-10-12', reportedAt: '2007-10-13', refersTo: 'p1' }),
  ]);
  console.log(JSON.stringify(positionOf(s.state, 'united-states', CATALOG).openProposals[0].responses));
});
it('jsonb', () => {
  const s = given([
    command('proposal', { id: 'p1', actor: 'united-states', targets: ['russia'], occurred: '2007-10-12', reportedAt: '2007-10-15', payload: { item: 'us-third-site', terms: 'x' } }),
    command('statement', { id: 's1', actor: 'russia', occurred: '2007-10-14', reportedAt: '2007-10-15' }),
    command('statement', { id: 's2', actor: 'poland', occurred: '2007-10-15', reportedAt: '2007-10-15', payload: {stance: 'supports'} }),
  ]);
  const log = effectiveLog(s.events);
  const full = elementTimeline('missile-defense-europe', log.events, CATALOG).versions;
  const jsonb = (v: unknown): any => JSON.parse(JSON.stringify(v, (_k, x) => x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a],[b]) => a.length - b.length || (a < b ? -1 : 1))) : x));
  let rows: any[] = [];
  let state = emptyTopicState('missile-defense-europe');
  for (const { event } of log.events) {
    state = evolve(state, event);
    const day = event.occurred.to;
    const ch = advanceElements(day, rows.filter(r => r.validTo === null).map(jsonb), rows.filter(r => r.validTo === day).map(jsonb), allElements(state, CATALOG));
    const k = (r: any) => `${r.party}|${r.key}|${r.validFrom}`;
    const del = new Set(ch.deletes.map(k));
    rows = rows.filter(r => !del.has(k(r)));
    for (const u of ch.updates) rows = rows.map(r => k(r) === k(u) ? u : r);
    rows.push(...ch.inserts);
  }
  console.log(full.length, rows.length);
});
