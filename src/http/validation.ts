import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { describeProblems, type FieldProblem } from '../shared/problem.js';

/** class-validator's checks of a value's type, against which bounds (Min, Max, Length) are meaningless. */
const TYPE_CONSTRAINTS = new Set([
  'isInt',
  'isNumber',
  'isString',
  'isBoolean',
  'isDateString',
  'isIso8601',
  'isArray',
]);

/** Flattens nested class-validator errors into "field.path: what is wrong" lines. */
function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // A value of the wrong type is said to be that alone: "upTo=abc" was also "greater than
    // 9007199254740991" and "less than 0" (NaN fails every bound), three problems of which two were false.
    const constraints = error.constraints ?? {};
    const typeProblems = Object.entries(constraints).filter(([name]) => TYPE_CONSTRAINTS.has(name));
    const own = (typeProblems.length ? typeProblems.map(([, problem]) => problem) : Object.values(constraints)).map(
      (problem) => ({
        field,
        problem: problem.startsWith(`${error.property} `) ? problem.slice(error.property.length + 1) : problem,
      }),
    );
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
