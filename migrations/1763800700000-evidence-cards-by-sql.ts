import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An event's evidence card (what a position shows as its evidence: evidenceOf in the domain) is
 * rendered by PostgreSQL from the stored event, by every writer alike, instead of being sent
 * back by the app: an append or an import no longer ships each event's summary and quote twice.
 * A corrected record's card is still rendered by the domain, which applies the corrections.
 *
 * Slugs, keys and references compare as bytes (COLLATE "C"): sorting them to build the index
 * of a rebuild is a third faster, and nothing orders them for people.
 *
 * The projection is emptied: it is rebuilt from the log when the app next starts.
 */
export class EvidenceCardsBySql1763800700000 implements MigrationInterface {
  name = 'EvidenceCardsBySql1763800700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
    await db.query(`
      ALTER TABLE position_elements
        ALTER COLUMN party TYPE text COLLATE "C",
        ALTER COLUMN topic TYPE text COLLATE "C",
        ALTER COLUMN key TYPE text COLLATE "C"`);
    await db.query('ALTER TABLE evidence_cards ALTER COLUMN ref TYPE text COLLATE "C"');
    // Since replaced by the function generated from the card description (migration 1763801000000).
    // json, not jsonb: json keeps the keys in the order given, the order evidenceOf writes them.
    await db.query(`
      CREATE FUNCTION evidence_card(id uuid, type text, data jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT json_strip_nulls(json_build_object(
          'eventId', id, 'type', type, 'actor', data->'actor',
          'occurred', json_build_object('from', data->'occurred'->'from', 'to', data->'occurred'->'to', 'precision', data->'occurred'->'precision'),
          'reportedAt', data->'reportedAt',
          'speaker', CASE WHEN data ? 'speaker' THEN json_build_object('name', data->'speaker'->'name', 'role', data->'speaker'->'role') END,
          'quote', nullif(data->'quote', '""'),
          'summary', data->'summary',
          'source', json_build_object('publisher', data->'source'->'publisher', 'title', data->'source'->'title', 'author', data->'source'->'author',
                                      'url', data->'source'->'url', 'publishedAt', data->'source'->'publishedAt')))::text
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP FUNCTION evidence_card');
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
    await db.query('ALTER TABLE evidence_cards ALTER COLUMN ref TYPE text COLLATE "default"');
    await db.query(`
      ALTER TABLE position_elements
        ALTER COLUMN party TYPE text COLLATE "default",
        ALTER COLUMN topic TYPE text COLLATE "default",
        ALTER COLUMN key TYPE text COLLATE "default"`);
  }
}
