import { EventIdConflictError } from '../../event-store/event-store.errors.js';
import { databaseRefusal } from './database-refusal.js';

/** A PostgreSQL error as pg hands it over (TypeORM's QueryFailedError copies the same fields). */
const postgresError = (code: string, message: string, more: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, severity: 'ERROR', ...more });

describe('databaseRefusal: which failures a line caused, and how the report shows them', () => {
  it('takes what the rows can cause: constraints, data exceptions, raised errors, program limits', () => {
    expect(databaseRefusal(postgresError('P0001', 'summary refused'))).toBe(
      'the database refused it: summary refused (SQLSTATE P0001)',
    );
    for (const code of ['23514', '23505', '22021', '54000', '2F005', '38000', '39P01', '44000'])
      expect(databaseRefusal(postgresError(code, 'no'))).toBe(`the database refused it: no (SQLSTATE ${code})`);
    expect(databaseRefusal(new EventIdConflictError('x'))).toMatch(
      /^the database refused it: event x is already stored/,
    );
  });

  it('leaves alone failures that would refuse every line alike, and errors that are not PostgreSQL’s', () => {
    for (const code of ['08006', '40P01', '40001', '53100', '57014', '57P01', '42501', '42P01', 'XX000', '55P03'])
      expect(databaseRefusal(postgresError(code, 'down'))).toBeUndefined();
    expect(databaseRefusal(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeUndefined();
    expect(databaseRefusal(new TypeError('x is undefined'))).toBeUndefined();
    expect(databaseRefusal(undefined)).toBeUndefined();
  });

  it('shows the message alone, on one line, without credentials, and cut to a report line', () => {
    const refused = databaseRefusal(
      postgresError('P0001', 'could not reach postgres://stance:s3cret@db:5432/stance\n  with password=hunter2', {
        detail: 'Failing row contains (a secret row)',
        parameters: ['the whole batch'],
      }),
    );
    expect(refused).toBe(
      'the database refused it: could not reach postgres://stance:***@db:5432/stance with password=*** (SQLSTATE P0001)',
    );
    const long = databaseRefusal(postgresError('23514', 'x'.repeat(1000)))!;
    expect(long.length).toBeLessThan(400);
    expect(long).toMatch(/x… \(SQLSTATE 23514\)$/);
  });
});
