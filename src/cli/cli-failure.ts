/** A command that ran but did not do all it was asked (an import with bad lines): its exit code and why. */
export class CliFailure extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}
