import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { readSpeakers } from '../src/catalog/speaker-rows.js';
import { dataSourceOptions } from '../src/database/database.js';
import { BulkImporter } from '../src/diplomacy/import/bulk-import.service.js';
import { claim, record, startCatalogApp, withCards } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const TOPIC = 'missile-defense-europe';

/** Speakers as the catalog lists them (GET /speakers). */
interface Listed {
  name: string;
  party: string;
  aliases: string[];
  roles: { role: string; from?: string; to?: string }[];
}

describe('speakers: catalog entries with aliases and dated roles (issue 17)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startCatalogApp(); // its catalog holds Putin with his two offices of 2008 (support/scenario.ts)
  });
  afterAll(() => t.close());

  /** What a request could write about speakers and events: every row, digested. */
  const rows = async () =>
    (
      await t.dataSource.query<{ digest: string }[]>(
        `SELECT (SELECT md5(coalesce(string_agg(s::text, ',' ORDER BY s::text), '')) FROM speakers s) ||
                (SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM speaker_roles r) ||
                (SELECT count(*) FROM events)::text AS digest`,
      )
    )[0].digest;

  const speakers = async (party?: string): Promise<Listed[]> =>
    (
      await request(t.http)
        .get(`/speakers${party ? `?party=${party}` : ''}`)
        .expect(200)
    ).body;

  it('lists speakers with their aliases and roles in order of their days', async () => {
    const putin = (await speakers('russia')).find((s) => s.name === 'Vladimir Putin');
    expect(putin).toEqual({
      name: 'Vladimir Putin',
      party: 'russia',
      aliases: ['Putin'],
      roles: [
        { role: 'President of Russia', from: '2000-05-07', to: '2008-05-07' },
        { role: 'Prime Minister of Russia', from: '2008-05-08', to: '2012-05-07' },
      ],
    });
    expect((await speakers()).map((s) => s.party)).toEqual(
      [...(await speakers()).map((s) => s.party)].sort((a, b) => a.localeCompare(b)),
    );
  });

  it.each([
    [
      'a role that ends before it starts',
      [{ role: 'Prime Minister of Russia', from: '2012-05-08', to: '2008-05-07' }],
      'roles.0.to',
      /must not be before from \(2012-05-08\)/,
    ],
    [
      'two roles sharing a day',
      [
        { role: 'President of Russia', to: '2008-05-07' },
        { role: 'Prime Minister of Russia', from: '2008-05-07' },
      ],
      'roles.1',
      /overlaps roles\.0.*one role a day/,
    ],
    ['a day that is not one', [{ role: 'President of Russia', from: '2008-02-30' }], 'roles.0.from', /YYYY-MM-DD/],
    [
      'a timestamp for a day',
      [{ role: 'President of Russia', to: '2008-05-07T12:00:00Z' }],
      'roles.0.to',
      /YYYY-MM-DD/,
    ],
    ['a role without its name', [{ from: '2008-05-08' }], 'roles.0.role', /string/],
    ['a role that is no object', ['President of Russia'], 'roles', /object/],
  ])('refuses %s with a 400 naming the field, and writes nothing', async (_case, roles, field, problem) => {
    const before = await rows();
    const res = await request(t.http)
      .post('/speakers')
      .set(t.auth)
      .send({ name: 'Dmitry Medvedev', party: 'russia', roles })
      .expect(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, problem: expect.stringMatching(problem) })]),
    );
    expect(res.body.message).toContain(`${field}: `);
    expect(await rows()).toBe(before);
  });

  it('refuses the one undated role of before as `role`: roles say it now', async () => {
    const res = await request(t.http)
      .post('/speakers')
      .set(t.auth)
      .send({ name: 'Dmitry Medvedev', party: 'russia', role: 'President of Russia' })
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
  });

  it("refuses a name or alias that already names another of the party's speakers (409), and writes nothing", async () => {
    const before = await rows();
    const res = await request(t.http)
      .post('/speakers')
      .set(t.auth)
      .send({ name: 'Dmitry Medvedev', party: 'russia', aliases: ['Medvedev', 'PUTIN'] })
      .expect(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'aliases.1' })]);
    expect(await rows()).toBe(before);
  });

  it('refuses an event by an unknown speaker (422 naming speaker.name, with suggestions), and records it once the speaker is added', async () => {
    const before = await rows();
    const medvedev = claim({
      actor: 'russia',
      speaker: { name: 'Dmitry Medvedev' },
      occurred: '2008-06-05',
      source: { publisher: 'Test Wire', title: 'Medvedev in Berlin', publishedAt: '2008-06-05' },
    });
    const refused = await request(t.http).post('/events').set(t.auth).send(medvedev).expect(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        field: 'speaker.name',
        problem: expect.stringMatching(/unknown speaker.*POST \/speakers/),
      }),
    ]);
    expect(refused.body.suggestions).toHaveLength(3);
    const misspelt = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send({ ...medvedev, speaker: { name: 'Vladimir Poutine' } })
      .expect(422);
    expect(misspelt.body.suggestions[0]).toBe('Vladimir Putin');
    expect(await rows()).toBe(before);

    // The documented way: add the speaker, then record the event.
    await request(t.http)
      .post('/speakers')
      .set(t.auth)
      .send({
        name: 'Dmitry Medvedev',
        party: 'russia',
        aliases: ['Medvedev'],
        roles: [{ role: 'President of Russia', from: '2008-05-07', to: '2012-05-07' }],
      })
      .expect(201);
    const recorded = await record(t, medvedev);
    expect(recorded.event.speaker).toEqual({ name: 'Dmitry Medvedev' });
  });

  it("shows the role the speaker held on the event's day: Putin President in June 2007, Prime Minister in June 2008", async () => {
    const byPutin = (occurred: string, speaker: Record<string, string>, publishedAt = occurred) =>
      record(
        t,
        claim({
          topic: 'cfe-treaty',
          type: 'action',
          targets: [],
          speaker,
          occurred,
          source: { publisher: 'Test Wire', title: `Putin, ${occurred}`, publishedAt },
          payload: { act: `an act of ${occurred}` },
          cameo: '160',
        }),
      );
    const asPresident = (await byPutin('2007-06-07', { name: 'Vladimir Putin' })).event.id;
    const asPrimeMinister = (await byPutin('2008-06-01', { name: 'putin' })).event.id; // an alias, in any case
    const ownRole = (await byPutin('2008-06-02', { name: 'Putin', role: 'Premier' })).event.id;
    // Dated "May 2008" and reported on 5 May: it counts from 5 May, when Putin was still President
    // (until 7 May), not from 31 May, when he was Prime Minister.
    const reportedInMay = (await byPutin('2008-05', { name: 'Putin' }, '2008-05-05')).event.id;

    // The stored event keeps what was given.
    const stored = await request(t.http).get(`/events/${asPrimeMinister}`).expect(200);
    expect(stored.body.speaker).toEqual({ name: 'putin' });

    const roles = (body: { evidence: Record<string, { speaker?: { name: string; role?: string } }> }) =>
      Object.fromEntries(
        [asPresident, asPrimeMinister, ownRole, reportedInMay].map((id) => [id, body.evidence[id]?.speaker?.role]),
      );
    const expected = {
      [asPresident]: 'President of Russia',
      [reportedInMay]: 'President of Russia',
      [asPrimeMinister]: 'Prime Minister of Russia',
      [ownRole]: 'Premier', // the event's own role is what its source said
    };
    // From the projection, from a fold of the log (knownAt), in a replay and in the changes.
    const positions = await request(t.http).get('/parties/russia/positions?topic=cfe-treaty&at=2008-12-31').expect(200);
    expect(roles(positions.body)).toEqual(expected);
    const known = await request(t.http)
      .get('/parties/russia/positions?topic=cfe-treaty&at=2008-12-31&knownAt=2030-01-01')
      .expect(200);
    expect(roles(known.body)).toEqual(expected);
    const replay = await request(t.http).get('/topics/cfe-treaty/replay').expect(200);
    expect(roles(replay.body)).toEqual(expected);
    const changes = await request(t.http).get('/parties/russia/changes?from=2007-01-01&to=2008-12-31&topic=cfe-treaty');
    expect(roles(changes.body)).toEqual(expected);
    expect(withCards(positions.body)[0].acts.length).toBe(4);

    // The cards stored by PostgreSQL keep the event alone: the role is the catalog's, added as answers are read.
    const [card] = await t.dataSource.query<{ card: string }[]>('SELECT card FROM evidence_cards WHERE ref = $1', [
      asPrimeMinister,
    ]);
    expect(JSON.parse(card.card).speaker).toEqual({ name: 'putin' });
  });

  it('gives a speaker new roles by posting them again, and answers read them at once', async () => {
    await record(
      t,
      claim({
        key: 'lavrov-on-the-third-site',
        topic: TOPIC,
        speaker: { name: 'Sergei Lavrov' },
        occurred: '2007-10-13',
        source: { publisher: 'Test Wire', title: 'Lavrov', publishedAt: '2007-10-13' },
      }),
    );
    const role = async () => {
      const res = await request(t.http).get(`/parties/russia/positions?topic=${TOPIC}&at=2007-12-31`).expect(200);
      const card = Object.values(
        res.body.evidence as Record<string, { summary: string; speaker?: { name: string; role?: string } }>,
      ).find((c) => c.speaker?.name === 'Sergei Lavrov');
      return card?.speaker?.role;
    };
    expect(await role()).toBe('Foreign Minister of Russia');
    await request(t.http)
      .post('/speakers')
      .set(t.auth)
      .send({
        name: 'Sergei Lavrov',
        party: 'russia',
        aliases: ['Lavrov'],
        roles: [{ role: 'Minister of Foreign Affairs', from: '2004-03-09' }],
      })
      .expect(201);
    expect(await role()).toBe('Minister of Foreign Affairs');
    expect((await speakers('russia')).find((s) => s.name === 'Sergei Lavrov')?.aliases).toEqual(['Lavrov']);
  });

  it('refuses an unknown speaker in a bulk import too, by line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stance-speakers-')), 'events.jsonl');
    writeFileSync(
      file,
      [
        claim({ occurred: '2007-06-03', speaker: { name: 'Lavrov' } }),
        claim({ occurred: '2007-06-03', speaker: { name: 'Sergei Lavroff' } }),
      ]
        .map((line) => JSON.stringify(line))
        .join('\n') + '\n',
    );
    const report = await t.app.get(BulkImporter).importFile(file);
    expect(report.recorded).toBe(1);
    expect(report.bad).toEqual([
      {
        line: 2,
        message: expect.stringMatching(
          /^speaker\.name: unknown speaker "Sergei Lavroff"; did you mean "Sergei Lavrov"/,
        ),
      },
    ]);
  });
});

describe('the speaker-roles migration', () => {
  it("keeps each speaker's one role as an undated role, and undoes to the latest role", async () => {
    const database = await createTestDatabase();
    const dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    const last = async () =>
      (await dataSource.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id DESC LIMIT 1'))[0].name;
    /** Undoes migrations down to (and including) the speaker-roles one: later ones may follow it. */
    const undoSpeakerRoles = async () => {
      while ((await last()) !== 'SpeakerRoles1763801500000') await dataSource.undoLastMigration();
      await dataSource.undoLastMigration();
    };
    try {
      await undoSpeakerRoles();
      expect(await last()).toBe('PartyParents1763801400000');
      await dataSource.query(`INSERT INTO parties (slug, name, kind) VALUES ('russia', 'Russia', 'state')`);
      await dataSource.query(
        `INSERT INTO speakers (name, party, role) VALUES ('Vladimir Putin', 'russia', 'President of Russia'), ('Nobody', 'russia', '')`,
      );
      await dataSource.runMigrations();
      expect(await readSpeakers(dataSource)).toEqual([
        { name: 'Nobody', party: 'russia', aliases: [], roles: [] },
        { name: 'Vladimir Putin', party: 'russia', aliases: [], roles: [{ role: 'President of Russia' }] },
      ]);
      await dataSource.query(`DELETE FROM speaker_roles`);
      await dataSource.query(
        `INSERT INTO speaker_roles (speaker, party, role, from_day, to_day) VALUES
           ('Vladimir Putin', 'russia', 'President of Russia', '2000-05-07', '2008-05-07'),
           ('Vladimir Putin', 'russia', 'Prime Minister of Russia', '2008-05-08', '2012-05-07')`,
      );
      await undoSpeakerRoles();
      expect(await dataSource.query('SELECT name, role FROM speakers ORDER BY name')).toEqual([
        { name: 'Nobody', role: '' },
        { name: 'Vladimir Putin', role: 'Prime Minister of Russia' },
      ]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
