import request from 'supertest';
import type { TestApp } from './test-app.js';
import { withCards } from './scenario.js';

type Position = { party: string } & Record<string, unknown>;
type Step = {
  step: number;
  countsFrom: string | null;
  event: { id: string };
  retractedBy?: string;
  positions: Position[];
};
type Dated = { occurred: { from: string; to: string }; reportedAt: string };

const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Holds a topic's replay to its positions on every day one changes (as known at `knownAt`): for
 * every party whose position read at a day differs from the one read the day before, the replay
 * has a step on that day whose position of the party is the one GET /parties/:p/positions reads
 * at that day (the day's last step that shows the party: the positions after the day's events).
 * A position changes only on a day an event of the topic began, ended, was reported or counts
 * from (as recorded or as corrected), so those days, each against the day before, are every
 * change. What is compared between days leaves out what depends on the day asked rather than on
 * the record (`at`, and the summary's "As of"), and the events that began but do not count yet
 * (`possiblyInEffect`): each is listed from the day it began, with no step before the day it counts
 * from (it has no place in the topic order until then), and a party engaged by nothing else has a
 * position then, but none a step made. Returns the number of changes compared.
 */
export async function expectAStepOnEveryDayAPositionChanges(
  http: TestApp['http'],
  topic: string,
  knownAt?: string,
): Promise<number> {
  const known = knownAt ? `&knownAt=${knownAt}` : '';
  const replay = (
    await request(http)
      .get(`/topics/${topic}/replay?${known.slice(1)}`)
      .expect(200)
  ).body;
  const steps = withCards(replay, 'steps') as Step[];
  const events = (await request(http).get(`/events?topic=${topic}&limit=500${known}`).expect(200)).body
    .events as (Dated & { corrected?: Dated | null })[];
  const dated: Dated[] = [
    ...events,
    ...events.flatMap((e) => (e.corrected ? [e.corrected] : [])),
    ...(steps.map((s) => s.event) as unknown as Dated[]),
  ];
  const days = [
    ...new Set([
      ...dated.flatMap((e) => [e.occurred.from, e.occurred.to, e.reportedAt.slice(0, 10)]),
      ...steps.flatMap((s) => (s.countsFrom ? [s.countsFrom] : [])),
    ]),
  ].sort();
  const read = new Map<string, Map<string, Position>>();
  const positionsAt = async (day: string) => {
    if (!read.has(day)) {
      const answer = (await request(http).get(`/topics/${topic}/positions?at=${day}&history=all${known}`).expect(200))
        .body;
      read.set(day, new Map((withCards(answer) as Position[]).map((p) => [p.party, p])));
    }
    return read.get(day)!;
  };
  const compared = (position: Position | undefined) => {
    if (!position) return null;
    const { at: _at, summary: _summary, possiblyInEffect: _possiblyInEffect, ...rest } = position;
    const listed = (rest.retracted as unknown[]).length + (rest.answersToRetracted as unknown[]).length;
    return rest.lastChangeAffecting || listed > 0 ? rest : null; // else engaged only by events possibly in effect
  };
  let changes = 0;
  for (const day of days) {
    const [now, before] = [await positionsAt(day), await positionsAt(dayBefore(day))];
    for (const party of new Set([...now.keys(), ...before.keys()])) {
      if (JSON.stringify(compared(now.get(party))) === JSON.stringify(compared(before.get(party)))) continue;
      const path = `/parties/${party}/positions?topic=${topic}&at=${day}&detail=full&history=all${known}`;
      const asked = withCards((await request(http).get(path).expect(200)).body) as Position[];
      const shown = steps
        .filter((s) => s.countsFrom === day)
        .flatMap((s) => s.positions)
        .filter((p) => p.party === party)
        .at(-1);
      expect({ path, shown }).toEqual({ path, shown: asked[0] });
      changes++;
    }
  }
  return changes;
}
