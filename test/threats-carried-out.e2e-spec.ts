import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { BulkImporter } from '../src/diplomacy/import/bulk-import.service.js';
import { PositionProjection } from '../src/diplomacy/projection/position.projection.js';
import { claim, createTopic, record, reportOf, RUSSIA_TO_US, startCatalogApp, withCards } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/**
 * A threat carried out, over HTTP and by the import (docs/architecture.md, "Records and their
 * lifecycle"): Russia threatened to suspend the CFE Treaty (26 April 2007) and suspended it by
 * decree (14 July 2007, reported on 16 July). The action names the threat in refersTo: the threat
 * is active until the action's day, closed as carried-out by it from then, and still active for
 * whoever asks as publicly known before the action was reported.
 */
describe('a threat carried out by its author’s action', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startCatalogApp();
  });
  afterAll(() => t.close());

  const threatOf = (topic: string, id: string) =>
    claim({
      id,
      topic,
      ...RUSSIA_TO_US,
      type: 'threat',
      occurred: '2007-04-26',
      source: reportOf('2007-04-26'),
      summary: 'Putin says Russia may suspend the CFE Treaty.',
      payload: { item: 'us-third-site', counterMeasure: 'suspend the CFE Treaty' },
    });
  const actionOf = (topic: string, id: string, threat: string, overrides: Record<string, unknown> = {}) =>
    claim({
      id,
      topic,
      ...RUSSIA_TO_US,
      type: 'action',
      refersTo: threat,
      occurred: '2007-07-14',
      source: reportOf('2007-07-16'),
      summary: 'Putin signs a decree suspending the CFE Treaty.',
      payload: { act: 'decree suspending the CFE Treaty' },
      ...overrides,
    });

  /** Russia's position as its answer sends it (the evidence map beside it), and with the cards in place. */
  const russiaAt = async (topic: string, query: string) => {
    const body = (await request(t.http).get(`/parties/russia/positions?topic=${topic}&${query}`).expect(200)).body;
    return { body, position: withCards(body)[0] };
  };

  it('is active before the action’s day, closed as carried-out by it from its day, and active as known before its report', async () => {
    // Given a threat, when its author's action carries it out
    const topic = await createTopic(t);
    const threat = randomUUID();
    const action = randomUUID();
    await record(t, threatOf(topic, threat));
    const recorded = await record(t, actionOf(topic, action, threat));
    expect(recorded.event).toMatchObject({ id: action, type: 'action', refersTo: threat });

    // Then the day before, the threat is active
    const before = await russiaAt(topic, 'at=2007-07-13');
    expect(before.position.activeThreats.map((x: { eventId: string }) => x.eventId)).toEqual([threat]);
    expect(before.position.closed).toEqual([]);
    expect(before.position.summary).toContain('threatened to suspend the CFE Treaty');

    // And from its day, closed as carried-out, the action's card in the evidence map
    const after = await russiaAt(topic, 'at=2007-07-20');
    expect(after.position.activeThreats).toEqual([]);
    expect(after.body.positions[0].closed).toEqual([
      expect.objectContaining({
        record: 'threat',
        eventId: threat,
        status: 'carried-out',
        closed: { status: 'carried-out', on: '2007-07-14', party: 'russia', evidence: action },
      }),
    ]);
    expect(after.body.evidence[action]).toMatchObject({
      eventId: action,
      type: 'action',
      reportedAt: expect.any(String),
    });
    expect(after.position.acts).toEqual([
      expect.objectContaining({
        eventId: action,
        item: 'us-third-site',
        carriesOut: expect.objectContaining({
          event: threat,
          record: 'threat',
          by: 'russia',
          what: 'suspend the CFE Treaty',
          title: 'the US third site in Poland and the Czech Republic',
        }),
      }),
    ]);
    expect(after.position.summary).toContain('carried out its threat to suspend the CFE Treaty on 14 July 2007');
    expect(after.position.summary).not.toContain('took the action');

    // And as publicly known before the action was reported (16 July), the threat is still active
    const known = await russiaAt(topic, 'at=2007-07-20&knownAt=2007-07-15');
    expect(known.position.activeThreats.map((x: { eventId: string }) => x.eventId)).toEqual([threat]);
    expect(known.position.closed).toEqual([]);
    const knownLater = await russiaAt(topic, 'at=2007-07-20&knownAt=2007-07-17');
    expect(knownLater.position.closed.map((c: { status: string }) => c.status)).toEqual(['carried-out']);

    // And the compact line says the same
    const compact = await request(t.http).get(`/parties/russia/positions?at=2007-07-20`).expect(200);
    const line = compact.body.positions.find((l: { topic: string }) => l.topic === topic);
    expect(line.summary).toBe(after.position.summary);
    expect(line.counts).toMatchObject({ activeThreats: 0, closed: 1, acts: 1 });

    // And GET /changes reports it as a change, caused by the action
    const changes = await request(t.http)
      .get(`/parties/russia/changes?topic=${topic}&from=2007-07-01&to=2007-07-31`)
      .expect(200);
    expect(
      withCards(changes.body, 'topics')[0].changes.map(
        (c: { kind: string; to?: string; evidence: { eventId: string } }) => [c.kind, c.to ?? null, c.evidence.eventId],
      ),
    ).toEqual([
      ['acted', null, action],
      ['threat-closed', 'carried-out', action],
    ]);

    // And the projection the writer kept is a rebuild's
    const answers = async () =>
      Promise.all(
        ['2007-07-13', '2007-07-14', '2008-01-01'].map(
          async (at) => (await request(t.http).get(`/topics/${topic}/positions?at=${at}&history=all`).expect(200)).body,
        ),
      );
    const inline = await answers();
    await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
    expect(await answers()).toEqual(inline);
  });

  it('refuses another party’s action naming the threat, a second carrying out and a later withdrawal, writing nothing', async () => {
    const topic = await createTopic(t);
    const threat = randomUUID();
    await record(t, threatOf(topic, threat));
    const version = async () =>
      (await request(t.http).get(`/events?topic=${topic}`).expect(200)).body.events.length as number;

    // Another party's action naming Russia's threat: a 422 on refersTo naming the threat's author
    const byOther = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(
        actionOf(topic, randomUUID(), threat, {
          actor: 'united-states',
          targets: ['russia'],
          speaker: { name: 'Robert Gates' },
        }),
      )
      .expect(422);
    expect(byOther.body.errors).toEqual([
      expect.objectContaining({
        field: 'refersTo',
        problem: expect.stringContaining(`the threat ${threat} is by russia, not united-states`),
      }),
    ]);
    expect(await version()).toBe(1);

    // An action naming another item than the threat it carries out: a 422 on payload.item naming the threat's item
    const otherItem = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(actionOf(topic, randomUUID(), threat, { payload: { act: 'a radar deal', item: 'azerbaijan-radar' } }))
      .expect(422);
    expect(otherItem.body.errors).toEqual([
      expect.objectContaining({
        field: 'payload.item',
        problem: expect.stringContaining(
          `names "azerbaijan-radar", but the threat ${threat} it carries out is about "us-third-site"`,
        ),
      }),
    ]);
    expect(await version()).toBe(1);

    // Carried out once, it cannot be carried out again nor withdrawn after
    const action = randomUUID();
    await record(t, actionOf(topic, action, threat));
    const again = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(actionOf(topic, randomUUID(), threat, { occurred: '2007-08-01', source: reportOf('2007-08-01') }))
      .expect(422);
    expect(again.body.errors[0]).toMatchObject({
      field: 'refersTo',
      problem: expect.stringContaining('no longer active (carried-out)'),
    });
    const withdrawal = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(
        claim({
          topic,
          ...RUSSIA_TO_US,
          type: 'withdrawal',
          refersTo: threat,
          occurred: '2007-08-01',
          source: reportOf('2007-08-01'),
          payload: {},
        }),
      )
      .expect(422);
    expect(withdrawal.body.errors[0]).toMatchObject({
      field: 'refersTo',
      problem: expect.stringContaining('not active any more (carried-out)'),
    });
    expect(await version()).toBe(2);

    // A withdrawal reported late, dated before the action, could not have been followed by it
    const late = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(
        claim({
          topic,
          ...RUSSIA_TO_US,
          type: 'withdrawal',
          refersTo: threat,
          occurred: '2007-07-01',
          source: reportOf('2007-08-01'),
          payload: {},
        }),
      )
      .expect(422);
    // Told from the withdrawal's side: what it would do, before which later event
    expect(late.body.errors).toEqual([
      {
        field: 'occurred',
        problem:
          `this withdrawal (1 July 2007) would withdraw the threat ${threat} before the later action by russia ` +
          `(event ${action}, 14 July 2007) that carries it out, which then could not stand: the threat ${threat} ` +
          'is no longer active (withdrawn): nothing to carry out; retract or correct one of them',
      },
    ]);
    expect(late.body.conflictsWith).toBe(action);
    expect(await version()).toBe(2);
  });

  it('re-opens the threat when the action is retracted, and the projection agrees with a rebuild', async () => {
    const topic = await createTopic(t);
    const threat = randomUUID();
    const action = randomUUID();
    await record(t, threatOf(topic, threat));
    await record(t, actionOf(topic, action, threat));
    await record(
      t,
      claim({
        topic,
        ...RUSSIA_TO_US,
        type: 'retraction',
        refersTo: action,
        occurred: '2007-07-20',
        source: reportOf('2007-07-20'),
        payload: { reason: 'the decree was misreported' },
      }),
    );
    const { position } = await russiaAt(topic, 'at=2007-08-01');
    expect(position.activeThreats.map((x: { eventId: string }) => x.eventId)).toEqual([threat]);
    expect(position.closed).toEqual([]);
    expect(position.acts).toEqual([]);
    // Before the retraction was reported, the threat read as carried out
    const known = await russiaAt(topic, 'at=2007-08-01&knownAt=2007-07-18');
    expect(known.position.closed.map((c: { status: string }) => c.status)).toEqual(['carried-out']);
    const inline = (await request(t.http).get(`/topics/${topic}/positions?at=2007-08-01`).expect(200)).body;
    await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
    expect((await request(t.http).get(`/topics/${topic}/positions?at=2007-08-01`).expect(200)).body).toEqual(inline);
  });

  it('is accepted and refused by the import as by POST /events (one write path: decide)', async () => {
    // Given lines with a threat, another party's action naming it, its author's action carrying
    // it out, and a withdrawal after
    const topic = await createTopic(t);
    const threat = randomUUID();
    const action = randomUUID();
    const file = join(mkdtempSync(join(tmpdir(), 'stance-carried-')), 'events.jsonl');
    const lines = [
      threatOf(topic, threat),
      actionOf(topic, randomUUID(), threat, {
        actor: 'united-states',
        targets: ['russia'],
        speaker: { name: 'Robert Gates' },
      }),
      actionOf(topic, action, threat),
      claim({
        id: randomUUID(),
        topic,
        ...RUSSIA_TO_US,
        type: 'withdrawal',
        refersTo: threat,
        occurred: '2007-08-01',
        source: reportOf('2007-08-01'),
        payload: {},
      }),
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    // When they are imported
    const report = await t.app.get(BulkImporter).importFile(file);
    // Then the other party's action and the withdrawal are refused by line, as POST refuses them
    expect(report.recorded).toBe(2);
    expect(report.bad).toEqual([
      { line: 2, message: expect.stringContaining(`refersTo: an action carries out its actor's own threat`) },
      { line: 4, message: expect.stringContaining('not active any more (carried-out)') },
    ]);
    // And the threat reads as POST made it read
    const { position } = await russiaAt(topic, 'at=2007-07-20');
    expect(position.activeThreats).toEqual([]);
    expect(position.closed[0]).toMatchObject({ status: 'carried-out', closed: { evidence: { eventId: action } } });
  });
});
