/** Random claims on one topic for the property tests on the real database (decide refuses what breaks a rule). */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { RecordEvent } from '../../src/diplomacy/domain/records/decide.js';
import type { TestApp } from './test-app.js';

const PARTIES = ['russia', 'united-states', 'poland', 'nato'];
export const ITEMS = ['us-third-site', 'azerbaijan-radar'];
const TYPES = [
  'proposal',
  'statement',
  'rejection',
  'freeze_demand',
  'threat',
  'withdrawal',
  'concession',
  'agreement',
  'endorsement',
  'action',
  'correction',
  'retraction',
] as const;

/** A random claim; `refer` picks an earlier claim by index, and decide refuses what breaks a rule. */
export const claimArb = fc.record({
  type: fc.constantFrom(...TYPES),
  actor: fc.constantFrom(...PARTIES),
  target: fc.constantFrom(...PARTIES),
  item: fc.constantFrom(...ITEMS),
  day: fc.integer({ min: 1, max: 20 }),
  span: fc.constantFrom(0, 0, 0, 3),
  lateBy: fc.constantFrom(0, 0, 1, 30),
  refer: fc.nat(),
  stance: fc.constantFrom('supports', 'opposes', 'conditional'),
});
export type Claim = typeof claimArb extends fc.Arbitrary<infer T> ? T : never;

export function command(topic: string, c: Claim, index: number, earlier: readonly string[]): RecordEvent {
  const day = (n: number) => `2007-03-${String(n).padStart(2, '0')}`;
  const from = day(c.day);
  const to = day(Math.min(c.day + c.span, 28));
  // Distinct report times make the topic order independent of the append order.
  const reported = new Date(Date.UTC(2007, 2, Math.min(c.day + c.span, 28) + c.lateBy, 12, index)).toISOString();
  const refersTo = earlier.length ? earlier[c.refer % earlier.length] : randomUUID();
  const targets = c.target === c.actor ? [] : [c.target];
  const payloads: Record<(typeof TYPES)[number], Record<string, unknown>> = {
    proposal: { item: c.item, terms: `terms ${index}` },
    statement: { item: c.item, stance: c.stance, reason: `reason ${index}` },
    rejection: { reason: `no ${index}` },
    freeze_demand: { item: c.item, action: 'the deployment', condition: 'while talks go on' },
    threat: { item: c.item, counterMeasure: 're-aim missiles' },
    withdrawal: {},
    concession: { terms: `gives ${index}` },
    agreement: {},
    endorsement: { item: c.item },
    action: { act: `act ${index}`, ...(c.span ? { item: c.item } : {}) },
    correction: { reason: 'fix', changes: { summary: `corrected ${index}` } },
    retraction: { reason: 'wrong' },
  };
  // An action names an earlier claim half the time: decide keeps those that carry out a threat of its actor.
  const refers =
    ['rejection', 'withdrawal', 'concession', 'agreement', 'correction', 'retraction'].includes(c.type) ||
    (c.type === 'action' && Math.floor(c.refer / 7) % 2 === 1);
  return {
    id: randomUUID(),
    topic,
    type: c.type,
    actor: c.actor,
    targets,
    occurred: from === to ? from : `${from}/${to}`,
    reportedAt: reported,
    source: { publisher: 'P', title: 'T', publishedAt: reported },
    summary: `claim ${index}`,
    ...(refers ? { refersTo } : {}),
    payload: payloads[c.type],
    ...(c.type === 'freeze_demand' || c.type === 'concession'
      ? { targets: targets.length ? targets : ['poland'] }
      : {}),
  };
}

/** A topic of the claims' items, created over HTTP; returns its slug. */
export async function createClaimsTopic(app: TestApp, slug: string): Promise<string> {
  await request(app.http)
    .post('/topics')
    .set(app.auth)
    .send({ slug, title: slug, items: ITEMS.map((i) => ({ slug: i, title: i })) })
    .expect(201);
  return slug;
}
