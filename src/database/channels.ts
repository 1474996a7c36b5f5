/**
 * The channels on which the database tells every Stance process what changed (DESIGN section 10:
 * N stateless processes on one primary). Triggers send them (migrations/1763801800000), so every
 * write path does, whichever process or tool wrote: an append, an import, a seed, a catalog edit.
 */
export const Channel = {
  /** An insert into the log; the payload is the highest position it wrote. */
  log: 'stance_log',
  /**
   * A catalog change; the payload names the table (`parties`, `speakers`, `speaker_roles`,
   * `topics`, `items`), or `items:<topic>,<topic>...` when items were only added to those topics.
   */
  catalog: 'stance_catalog',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
