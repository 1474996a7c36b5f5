import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Speakers as catalog entries with aliases and dated roles (issue 17): Putin was President of
 * Russia until 7 May 2008 and Prime Minister from 8 May. An event's speaker is matched to them by
 * name or alias, and answers show the role held on the event's day (src/shared/speakers.ts).
 *
 * A role is a row with its days, both inclusive, a bound left null being open. The database holds
 * the rules POST /speakers checks first with a 400 naming the field (roleProblems): a role ends
 * no earlier than it starts, and a speaker holds one role a day (an exclusion constraint over the
 * days, btree_gist being there since the first catalog migration). The one undated role each
 * speaker had is kept as an undated role. The app's role gets its grants on the new table at
 * every start, as on every catalog table (grantAppRole). The projection is left as it is: stored
 * evidence cards keep what the events said, and answers add the catalog's role as they are read.
 */
export class SpeakerRoles1763801500000 implements MigrationInterface {
  name = 'SpeakerRoles1763801500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE speakers ADD COLUMN aliases text[] NOT NULL DEFAULT '{}'`);
    await db.query(`
      CREATE TABLE speaker_roles (
        speaker   text NOT NULL,
        party     text NOT NULL,
        role      text NOT NULL CHECK (role <> ''),
        from_day  date,
        to_day    date,
        FOREIGN KEY (speaker, party) REFERENCES speakers (name, party) ON DELETE CASCADE,
        CHECK (from_day <= to_day),
        CONSTRAINT speaker_roles_one_a_day
          EXCLUDE USING gist (speaker WITH =, party WITH =, daterange(from_day, to_day, '[]') WITH &&)
      )`);
    await db.query(
      `INSERT INTO speaker_roles (speaker, party, role) SELECT name, party, role FROM speakers WHERE role <> ''`,
    );
    await db.query('ALTER TABLE speakers DROP COLUMN role');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE speakers ADD COLUMN role text NOT NULL DEFAULT ''`);
    // One role again: the latest each speaker held.
    await db.query(`
      UPDATE speakers s SET role = r.role
        FROM (SELECT DISTINCT ON (speaker, party) speaker, party, role FROM speaker_roles
               ORDER BY speaker, party, from_day DESC NULLS LAST) r
       WHERE r.speaker = s.name AND r.party = s.party`);
    await db.query('DROP TABLE speaker_roles');
    await db.query('ALTER TABLE speakers DROP COLUMN aliases');
  }
}
