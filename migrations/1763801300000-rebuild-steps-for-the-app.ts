import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The steps of a full rebuild (PositionProjection.rebuildAll) that only a table's owner may take:
 * dropping the projection's indexes before its rows are written with COPY, building them once at
 * the end (much faster than keeping them up to date row by row), and ANALYZE. The app's role
 * owns no table (src/database/roles.ts): it runs these functions, which run as their owner
 * (SECURITY DEFINER, with the search path of this migration), and can do nothing else with them.
 */
export class RebuildStepsForTheApp1763801300000 implements MigrationInterface {
  name = 'RebuildStepsForTheApp1763801300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION projection_indexes_dropped() RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
      BEGIN
        DROP INDEX IF EXISTS position_elements_by_party;
        ALTER TABLE evidence_cards DROP CONSTRAINT IF EXISTS evidence_cards_pkey;
      END $$`);
    // The party index as migrations/1763801100000-history-window-in-the-index.ts made it.
    await db.query(`
      CREATE FUNCTION projection_indexes_built() RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
      BEGIN
        CREATE INDEX position_elements_by_party ON position_elements (party, topic, valid_to, valid_from, hidden_from, key);
        ALTER TABLE evidence_cards ADD PRIMARY KEY (ref);
      END $$`);
    await db.query(`
      CREATE FUNCTION projection_analyzed() RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
      BEGIN
        ANALYZE position_elements, evidence_cards, topic_states;
      END $$`);
    for (const step of ['projection_indexes_dropped', 'projection_indexes_built', 'projection_analyzed'])
      await db.query(`REVOKE EXECUTE ON FUNCTION ${step}() FROM PUBLIC`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const step of ['projection_indexes_dropped', 'projection_indexes_built', 'projection_analyzed'])
      await db.query(`DROP FUNCTION ${step}()`);
  }
}
