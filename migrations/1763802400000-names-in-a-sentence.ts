import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How a summary names a topic and a party inside its sentence (issue 15: "correct
 * capitalisation"). A topic's title is a title ("Missile defense in Europe"); inside a sentence it
 * read "had no standing position on Missile defense in Europe". A topic may now give its
 * `phrase`, the title as a sentence says it ("missile defense in Europe"); without one a leading
 * article is lower-cased, the rest kept (a title's first word may be a name: "NATO membership",
 * "Iran's nuclear program", which no rule could tell from "Missile"). A party may be `plural`
 * ("European G8 countries"): a summary says "their proposal", not "its proposal".
 *
 * Catalog rows are never edited by the API, and the seed loader leaves rows already there as they
 * are, so a database seeded before this gets the two seed values here, where they are still the
 * seed's own rows.
 */
export class NamesInASentence1763802400000 implements MigrationInterface {
  name = 'NamesInASentence1763802400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE topics ADD COLUMN phrase text');
    await db.query('ALTER TABLE parties ADD COLUMN plural boolean NOT NULL DEFAULT false');
    await db.query(
      `UPDATE topics SET phrase = 'missile defense in Europe' WHERE slug = 'missile-defense-europe' AND title = 'Missile defense in Europe'`,
    );
    await db.query(
      `UPDATE parties SET plural = true WHERE slug = 'european-g8-members' AND name = 'European G8 countries'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE topics DROP COLUMN phrase');
    await db.query('ALTER TABLE parties DROP COLUMN plural');
  }
}
