import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Item titles at their date (2026-12-07, fourth audit). An answer showed an item's title from the
 * catalog, which kept the title the first proposal to arrive had given it: a title first given in
 * February showed in January, and past `knownAt`, and which one showed depended on arrival order.
 * Items now say who named them (`named_by`): the catalog, whose title holds at every date, or the
 * events, whose title at a date is the one they had given by then (stored as elements of the
 * topic itself, TOPIC_ITSELF, over the days each held). Items the projection added are those
 * whose title is the one a proposal of the log gave them (or their slug, where it gave none).
 * The projection is emptied, to be rebuilt from the log when the app next starts, with the
 * titles' elements; fold checkpoints of the old format (TOPIC_FOLD_FORMAT 4) are no longer read.
 */
export class ItemTitlesAtTheirDate1763802600000 implements MigrationInterface {
  name = 'ItemTitlesAtTheirDate1763802600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE items ADD COLUMN named_by text NOT NULL DEFAULT 'catalog' CHECK (named_by IN ('catalog', 'events'))`,
    );
    await db.query(`
      UPDATE items SET named_by = 'events'
       WHERE EXISTS (
         SELECT 1 FROM events e
          WHERE e.stream = items.topic AND e.type = 'proposal'
            AND e.data->'payload'->>'item' = items.slug
            AND coalesce(e.data->'payload'->>'itemTitle', items.slug) = items.title)`);
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE items DROP COLUMN named_by');
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
