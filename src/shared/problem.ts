/**
 * A failure the caller can act on, free of any framework so the domain can raise it.
 * The HTTP edge maps `kind` to a status code.
 */
export type ProblemKind = 'invalid' | 'not_found' | 'conflict' | 'unprocessable';

export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export class Problem extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** One bad field: the message names it and says what is wrong. */
  static field(kind: ProblemKind, field: string, problem: string, details: Record<string, unknown> = {}): Problem {
    return new Problem(kind, `${field}: ${problem}`, { errors: [{ field, problem }], ...details });
  }
}
