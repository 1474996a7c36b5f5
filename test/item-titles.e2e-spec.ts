import request from 'supertest';
import { Channel, DatabaseNotifications } from '../src/database/notifications.js';
import { claim, record, startCatalogApp } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/**
 * An item the events named (a proposal put it on the table with `itemTitle`) is called, in an
 * answer at a date, by the title the events had given it by then (DESIGN section 4: "items,
 * titles … that did not exist then do not appear"). The catalog kept the title the first proposal
 * to arrive gave: a title first given in February showed in January, past `knownAt` too, and which
 * title showed depended on the order the reports arrived in (fourth outside audit, 2026-12-07).
 * An item the catalog named keeps the catalog's title at every date.
 */
describe('item titles at their date', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startCatalogApp();
  });
  afterAll(() => t.close());

  const topic = async (slug: string) => {
    await request(t.http)
      .post('/topics')
      .set(t.auth)
      .send({ slug, title: `Titles (${slug})` })
      .expect(201);
    return slug;
  };
  const event = (slug: string, body: Record<string, unknown>) =>
    record(
      t,
      claim({
        topic: slug,
        speaker: undefined,
        quote: undefined,
        source: { publisher: 'Audit Daily', title: 'A report', publishedAt: body.occurred },
        ...body,
      }),
    );
  const proposal = (slug: string, occurred: string, itemTitle: string, extra: Record<string, unknown> = {}) =>
    event(slug, {
      type: 'proposal',
      actor: 'united-states',
      targets: ['russia'],
      occurred,
      summary: `The US proposes ${itemTitle}.`,
      payload: { item: 'site', itemTitle, terms: `terms of ${itemTitle}` },
      ...extra,
    });
  /** The summaries and item titles in an answer: what it calls things (ids and slugs differ between topics). */
  const said = (value: unknown, into: string[] = []): string[] => {
    if (Array.isArray(value)) value.forEach((v) => said(v, into));
    else if (value && typeof value === 'object')
      for (const [key, v] of Object.entries(value))
        if ((key === 'title' || key === 'summary') && typeof v === 'string') into.push(v);
        else said(v, into);
    return into;
  };
  /** Every answer that may name the item (full, compact, side by side): what they call things, as text. */
  const answers = async (party: string, slug: string, at: string, knownAt?: string) => {
    const known = knownAt ? `&knownAt=${knownAt}` : '';
    const full = await request(t.http).get(`/parties/${party}/positions?topic=${slug}&at=${at}${known}`).expect(200);
    const compact = await request(t.http).get(`/parties/${party}/positions?at=${at}${known}`).expect(200);
    const line = compact.body.positions.find((p: { topic: string }) => p.topic === slug);
    const side = await request(t.http).get(`/topics/${slug}/positions?at=${at}${known}`).expect(200);
    return JSON.stringify(said([full.body.positions, line, side.body.positions]));
  };

  it('does not show a title that was given after the date, nor one reported after knownAt', async () => {
    const slug = await topic('titles-future');
    // The title comes on 1 February; Russia's demand, reported late, named the item in January.
    await proposal(slug, '2021-02-01', 'the secret site plan');
    const demand = await event(slug, {
      type: 'demand',
      actor: 'russia',
      targets: ['united-states'],
      occurred: '2021-01-10',
      summary: 'Russia demands the US not build the site.',
      payload: { item: 'site', demand: 'do not build it' },
    });
    await event(slug, {
      type: 'withdrawal',
      actor: 'russia',
      targets: [],
      occurred: '2021-01-12',
      refersTo: demand.event.id,
      summary: 'Russia drops its demand.',
      payload: {},
    });
    for (const knownAt of [undefined, '2021-01-20']) {
      const before = await answers('russia', slug, '2021-01-20', knownAt);
      expect(before).not.toContain('secret site plan');
      const closed = (
        await request(t.http)
          .get(`/parties/russia/positions?topic=${slug}&at=2021-01-20${knownAt ? `&knownAt=${knownAt}` : ''}`)
          .expect(200)
      ).body.positions[0].closed;
      expect(closed.map((c: { title: string }) => c.title)).toEqual(['site']);
    }
    expect(await answers('russia', slug, '2021-02-05')).toContain('the secret site plan');
    // Known on 20 January, the title of 1 February is still unknown whatever the date asked.
    expect(await answers('russia', slug, '2021-02-05', '2021-01-20')).not.toContain('secret site plan');
  });

  it('says the same titles whichever order two proposals were reported in', async () => {
    const early = { occurred: '2021-01-01', title: 'the early site plan', reportedAt: '2021-03-01T00:00:00Z' };
    const late = { occurred: '2021-02-01', title: 'the late site plan', reportedAt: '2021-02-01T00:00:00Z' };
    const asked = [
      ['2021-01-15', undefined],
      ['2021-02-15', undefined],
      ['2021-02-15', '2021-02-10'],
      ['2021-03-15', undefined],
    ] as const;
    const told: string[][] = [];
    for (const [name, order] of [
      ['titles-early-first', [early, late]],
      ['titles-late-first', [late, early]],
    ] as const) {
      const slug = await topic(name);
      for (const p of order) await proposal(slug, p.occurred, p.title, { reportedAt: p.reportedAt });
      told.push(
        await Promise.all(
          asked.map(async ([at, knownAt]) => (await answers('united-states', slug, at, knownAt)).replaceAll(slug, '')),
        ),
      );
    }
    expect(told[0]).toEqual(told[1]);
    // The catalog's listing says the title now, the latest in topic order, whichever arrived first.
    for (const name of ['titles-early-first', 'titles-late-first'])
      expect((await request(t.http).get(`/topics/${name}`).expect(200)).body.items).toEqual([
        expect.objectContaining({ slug: 'site', title: 'the late site plan', namedBy: 'events' }),
      ]);
    const [january, february, februaryAsKnown, march] = told[0];
    expect(january).toContain('the early site plan');
    expect(january).not.toContain('the late site plan');
    expect(february).toContain('the late site plan'); // the restatement renamed it on 1 February
    expect(februaryAsKnown).toContain('the late site plan'); // the early one was reported on 1 March only
    expect(februaryAsKnown).not.toContain('the early site plan');
    expect(march).toContain('the late site plan');
  });

  it('renames an item from the day a restatement gives it a new title', async () => {
    const slug = await topic('titles-renamed');
    await proposal(slug, '2021-01-01', 'the old site plan');
    await proposal(slug, '2021-02-01', 'the new site plan');
    const january = await answers('united-states', slug, '2021-01-15');
    expect(january).toContain('the old site plan');
    expect(january).not.toContain('the new site plan');
    const february = await answers('united-states', slug, '2021-02-02');
    expect(february).toContain('the new site plan');
    expect((await request(t.http).get(`/topics/${slug}`).expect(200)).body.items[0].title).toBe('the new site plan');
  });

  it("takes a retracted proposal's title back, in answers and in the listing", async () => {
    const slug = await topic('titles-retracted');
    await proposal(slug, '2021-01-01', 'the old site plan');
    const renaming = await proposal(slug, '2021-02-01', 'the new site plan');
    await event(slug, {
      type: 'retraction',
      actor: 'united-states',
      targets: [],
      occurred: '2021-03-01',
      refersTo: renaming.event.id,
      summary: 'The report of the new plan was wrong.',
      payload: { reason: 'misreported' },
    });
    const february = await answers('united-states', slug, '2021-02-02');
    expect(february).toContain('the old site plan');
    expect(february).not.toContain('the new site plan');
    expect((await request(t.http).get(`/topics/${slug}`).expect(200)).body.items[0].title).toBe('the old site plan');
  });

  it('names items and records in GET /parties/:party/changes as on the day of each change, never by a later title or one reported after knownAt', async () => {
    const slug = await topic('titles-changes');
    const first = await proposal(slug, '2021-01-01', 'the old site plan');
    const no = await event(slug, {
      type: 'rejection',
      actor: 'russia',
      targets: ['united-states'],
      occurred: '2021-01-10',
      refersTo: first.event.id,
      summary: 'Russia rejects the plan.',
      payload: { reason: 'a threat to its deterrent' },
    });
    // Renamed by a restatement of 1 February, reported on the 20th.
    const renaming = await proposal(slug, '2021-02-01', 'the new site plan', {
      source: { publisher: 'Audit Daily', title: 'A late report', publishedAt: '2021-02-20' },
    });
    const changes = async (party: string, to: string, knownAt?: string) =>
      (
        await request(t.http)
          .get(
            `/parties/${party}/changes?topic=${slug}&from=2020-12-31&to=${to}${knownAt ? `&knownAt=${knownAt}` : ''}`,
          )
          .expect(200)
      ).body.topics[0].changes as {
        kind: string;
        title?: string;
        record?: Record<string, unknown>;
        evidence: string;
      }[];

    const us = await changes('united-states', '2021-03-01');
    expect(us.map((c) => [c.kind, c.title, c.record?.title])).toEqual([
      ['proposed', 'the old site plan', 'the old site plan'],
      ['stance-moved', 'the old site plan', undefined],
      ['received-response', 'the old site plan', 'the old site plan'],
      // Restated on 1 February: the first proposal is superseded then, under the name of that day.
      ['proposal-closed', 'the new site plan', 'the new site plan'],
      ['proposed', 'the new site plan', 'the new site plan'],
    ]);
    // Russia's answer names what it answered: the US proposal, its terms and its item, as called then.
    const russia = await changes('russia', '2021-03-01');
    expect(russia.find((c) => c.kind === 'responded')).toMatchObject({
      title: 'the old site plan',
      record: {
        event: first.event.id,
        record: 'proposal',
        by: 'united-states',
        what: 'terms of the old site plan',
        item: 'site',
        title: 'the old site plan',
      },
      evidence: expect.stringContaining(no.event.id),
    });
    // Nothing from after the window's end, nor reported after knownAt, though the same events count.
    for (const [to, knownAt] of [
      ['2021-01-20', undefined],
      ['2021-03-01', '2021-02-10'],
    ] as const) {
      const told = JSON.stringify([await changes('united-states', to, knownAt), await changes('russia', to, knownAt)]);
      expect(told).toContain('the old site plan');
      expect(told).not.toContain('the new site plan');
      expect(told).not.toContain(renaming.event.id);
    }
  });

  it("keeps the catalog's title of an item the catalog named, at every date", async () => {
    const slug = 'titles-catalog';
    await request(t.http)
      .post('/topics')
      .set(t.auth)
      .send({ slug, title: 'Catalog titles', items: [{ slug: 'site', title: 'The site as the catalog says it' }] })
      .expect(201);
    await proposal(slug, '2021-01-01', 'the site as the US says it');
    for (const at of ['2021-01-02', '2022-01-01'])
      expect(await answers('united-states', slug, at)).toContain('the site as the catalog says it');
  });

  it("does not make every process read its whole catalog again on a write: only a rename is the catalog's change", async () => {
    const slug = await topic('titles-quiet');
    const heard: string[] = [];
    const listening = t.app
      .get(DatabaseNotifications)
      .on(Channel.catalog)
      .subscribe((h) => h.kind === 'notified' && heard.push(h.payload));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // the listener's connection is up
      await proposal(slug, '2021-01-01', 'the quiet plan');
      await event(slug, {
        type: 'statement',
        actor: 'russia',
        targets: [],
        occurred: '2021-01-02',
        summary: 'Russia opposes the plan.',
        payload: { item: 'site', stance: 'opposes' },
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The process told of its new item ("items:<topic>": others add it); the table's trigger said nothing.
      expect(heard).toEqual([`items:${slug}`]);
      await proposal(slug, '2021-02-01', 'the loud plan');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toContain('items'); // a rename: every process reads its catalog again
    } finally {
      listening.unsubscribe();
    }
  });
});
