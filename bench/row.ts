/** One line of the results table: a measure, its target, the project's figure beside the database's. */
export interface Row {
  readonly measure: string;
  readonly target: string;
  readonly project: string;
  readonly baseline: string;
  /** How many times slower than the database alone. */
  readonly ratio?: number;
  readonly pass?: boolean;
}
