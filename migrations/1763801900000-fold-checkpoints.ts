import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Checkpoints of the writers' folds (src/diplomacy/projection/fold-checkpoints.ts), so that a
 * process that starts does not refold every topic from its whole log on the first write to it
 * (15-17 appends/s for minutes at 1,000,000 events). One row per topic: the fold as JSON text
 * (`fold`; text, not jsonb: written and read whole, never queried inside; stored out of line
 * without compression, STORAGE EXTERNAL: measured on the bench's 1,000 checkpoints at 100,000
 * events, 21 MB of text, pglz made it 8.5 MB but took 330-560 ms to write it against 70-80 ms,
 * and 116 ms to read it against 77 ms: time a stop and a start are short of, where disk is not),
 * the stream version it was folded to, the hash of the log's event
 * at that version (the chain's hash covers every event before it: a checkpoint of another log, or
 * of a log since restored from elsewhere, does not match and is ignored), and the format of the
 * fold and of the text (a checkpoint of another format is ignored, never misread). Derived data,
 * like the projection: deleting every row loses nothing but time.
 */
export class FoldCheckpoints1763801900000 implements MigrationInterface {
  name = 'FoldCheckpoints1763801900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE fold_checkpoints (
        topic text PRIMARY KEY,
        version integer NOT NULL CHECK (version > 0),
        hash bytea NOT NULL,
        format text NOT NULL,
        fold text NOT NULL,
        saved_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('ALTER TABLE fold_checkpoints ALTER COLUMN fold SET STORAGE EXTERNAL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE fold_checkpoints');
  }
}
