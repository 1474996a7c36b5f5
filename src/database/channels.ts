/**
 * The channels on which Stance processes tell each other what changed (DESIGN section 10: N
 * stateless processes on one primary). The log and items added by proposals are told by the
 * process that wrote them, after commit (DatabaseNotifications.tell, which says why not from the
 * write transaction); the catalog's tables by triggers (migrations/1763801800000), whoever wrote.
 */
export const Channel = {
  /** Appends to the log; the payload is the highest position written. */
  log: 'stance_log',
  /**
   * A catalog change; the payload names the table (`parties`, `speakers`, `speaker_roles`,
   * `topics`, `items`), or `items:<topic>,<topic>...` when items were only added to those topics.
   */
  catalog: 'stance_catalog',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
