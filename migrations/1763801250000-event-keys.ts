import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An event may carry a readable key (`data.key`), unique in its topic. The write path looks keys
 * up under the topic's lock and refuses a taken one with a 409; this index is what finds them
 * (refersTo by key, GET /topics/:topic/events/:key) and what holds the rule for any other path
 * to the log (a bulk import line with a taken key is refused by it, and reported by line).
 */
export class EventKeys1763801250000 implements MigrationInterface {
  name = 'EventKeys1763801250000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE UNIQUE INDEX events_topic_key ON events (stream, (data->>'key')) WHERE data ? 'key'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX events_topic_key');
  }
}
