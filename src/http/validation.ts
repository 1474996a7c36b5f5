import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldProblem } from '../shared/problem.js';

/** Flattens nested class-validator errors into "field.path: what is wrong" lines. */
export function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((problem) => ({
      field,
      problem: problem.startsWith(`${error.property} `) ? problem.slice(error.property.length + 1) : problem,
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problems = fieldProblems(errors);
      return new BadRequestException({
        error: 'Bad Request',
        message: problems.map((p) => `${p.field}: ${p.problem}`).join('; '),
        errors: problems,
      });
    },
  });
}
