import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A position's side lists are true to their date (noteVersions, sideListsAt): a retracted record
 * is listed from the day it began, not at every date (an answer about October 2007 listed
 * statements of March 2008 as retracted), and an event that answers a record retracted since
 * is listed in its author's position (`answersToRetracted`) instead of showing nowhere. The
 * projection stores the side lists beside the elements, so it is emptied, to be rebuilt from the
 * log when the app next starts (PositionProjection, with its progress in the log); the log is
 * untouched.
 */
export class SideListsTrueToTheirDate1763802100000 implements MigrationInterface {
  name = 'SideListsTrueToTheirDate1763802100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
