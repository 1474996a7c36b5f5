/**
 * A failure the caller can act on, free of any framework so the domain can raise it.
 * The HTTP edge maps `kind` to a status code.
 */
export type ProblemKind = 'invalid' | 'not_found' | 'conflict' | 'unprocessable';

export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

/** "field: problem; field: problem": how every error message lists bad fields. */
export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
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
