import type { DataSource } from 'typeorm';

/** Every row of the projection's tables in a fixed order: what a rebuild from the log must write again. */
export const projectionRows = async (dataSource: DataSource) => ({
  elements: await dataSource.query(
    'SELECT party, topic, key, valid_from::text, valid_to::text, body FROM position_elements ORDER BY 1, 2, 3, 4',
  ),
  cards: await dataSource.query('SELECT ref, card FROM evidence_cards ORDER BY ref'),
  states: await dataSource.query('SELECT topic, version, last_event, parties FROM topic_states ORDER BY topic'),
});
