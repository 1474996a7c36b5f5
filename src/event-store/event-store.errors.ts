/** The stream is not at the version the writer expected: someone else appended first. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly stream: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`stream "${stream}" is at version ${currentVersion}, not at the expected version ${expectedVersion}`);
  }
}

/** An event id is already stored with a different payload; ids are never reused or overwritten. */
export class EventIdConflictError extends Error {
  constructor(readonly eventId: string) {
    super(`event ${eventId} is already stored with a different payload; an event id is never reused`);
  }
}
