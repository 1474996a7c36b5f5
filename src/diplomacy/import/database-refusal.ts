import { EventIdConflictError } from '../../event-store/event-store.errors.js';

/**
 * SQLSTATE classes that the rows being written can cause: data exceptions (22), integrity
 * constraints, checks and unique keys (23), errors raised by functions and triggers (2F, 38, 39,
 * P0: RAISE EXCEPTION is P0001), WITH CHECK OPTION (44) and program limits such as an index row
 * too large for its page (54). Any other failure (a lost connection 08, a deadlock 40, a full disk
 * or memory 53, a cancelled query or a shutdown 57, missing privileges 42, an internal error XX)
 * would refuse every line alike: it is no line's fault, so the import stops on it (exit 1) and a
 * rerun resumes, rather than report every line of the file as refused.
 */
const CAUSED_BY_THE_ROWS = new Set(['22', '23', '2F', '38', '39', '44', '54', 'P0']);

/** A longer message is cut: it is one line of a report (PostgreSQL's own messages are far shorter). */
const MAX_MESSAGE = 300;

/**
 * Why the database refused a write that the import's checks accepted, as a line of the import's
 * report, or undefined if the error is not such a refusal (see CAUSED_BY_THE_ROWS). Only the
 * error's message and SQLSTATE are shown: its detail repeats the failing row, its query and
 * parameters the whole batch, and credentials in a connection string are masked in case a
 * function put one in its message.
 */
export function databaseRefusal(error: unknown): string | undefined {
  // A concurrent writer stored one of the ids first (a unique violation, translated by the store):
  // deciding the lines again finds it.
  if (error instanceof EventIdConflictError) return `the database refused it: ${error.message}`;
  const { code, severity, message } = (error ?? {}) as { code?: unknown; severity?: unknown; message?: unknown };
  // `severity` tells PostgreSQL's errors (pg's DatabaseError, or TypeORM's QueryFailedError that
  // copies its fields) from Node's, whose codes can also have five letters (EPIPE).
  if (typeof code !== 'string' || typeof severity !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  if (!CAUSED_BY_THE_ROWS.has(code.slice(0, 2))) return undefined;
  return `the database refused it: ${shown(String(message))} (SQLSTATE ${code})`;
}

/** A message on one line, without credentials, at most MAX_MESSAGE characters. */
function shown(message: string): string {
  const masked = message
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s@]*@/gi, '$1***@')
    .replace(/\b(password|passwd|pwd)\s*=\s*('[^']*'|\S+)/gi, '$1=***')
    .replace(/\s+/g, ' ')
    .trim();
  return masked.length > MAX_MESSAGE ? `${masked.slice(0, MAX_MESSAGE - 1)}…` : masked;
}
