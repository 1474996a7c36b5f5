import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every answer looks up the `report` events of the events it cites (AnswerEvidence). Through the
 * general events_refers_to index, which holds every answer of the log, PostgreSQL planned that
 * lookup with a parallel worker: 20-30 ms of worker start-up on each position read at 1,000,000
 * events (one topic in full went from 2.8 to 113 ms p50 in the bench). An index of reports alone
 * is as small as the reports are, and its lookup costs a probe per cited event.
 */
export class ReportsByEvent1763801600000 implements MigrationInterface {
  name = 'ReportsByEvent1763801600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX events_reports ON events ((data->>'refersTo')) WHERE type = 'report'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX events_reports');
  }
}
