import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { describeProblems, type FieldProblem } from '../shared/problem.js';

/** Flattens nested class-validator errors into "field.path: what is wrong" lines. */
function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
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
    exceptionFactory: (errors) => invalidRequest(fieldProblems(errors)),
  });
}

/** The 400 answer naming each bad field, for class-validator DTOs and JSON Schema checked bodies alike. */
export function invalidRequest(problems: readonly FieldProblem[]): BadRequestException {
  return new BadRequestException({ error: 'Bad Request', message: describeProblems(problems), errors: problems });
}
