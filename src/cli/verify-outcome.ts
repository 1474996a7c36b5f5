import type { ChainReport } from '../event-store/log-chain.js';
import { CliFailure } from './cli-failure.js';

/** Exit code of `npm run verify` when the chain is broken (1 stays "could not run", 2 "import partly done"). */
export const CHAIN_BROKEN = 3;

/** What `npm run verify` prints of a report, and the failure it ends with when the chain is broken. */
export function verifyOutcome(report: ChainReport, seconds: number): { lines: string[]; failure?: CliFailure } {
  if (!report.broken) {
    const { position, hash } = report.head;
    return {
      lines: [
        `The hash chain is intact: ${report.checked} events checked in ${seconds.toFixed(1)} s; ` +
          `head at position ${position}${hash ? `, hash ${hash}` : ''}.`,
      ],
    };
  }
  const { position, id, previousPosition } = report.broken;
  const previous = previousPosition ? `position ${previousPosition}` : 'the start of the log';
  return {
    lines: [],
    failure: new CliFailure(
      CHAIN_BROKEN,
      `the hash chain breaks at position ${position} (event ${id}): its hash does not follow from ${previous} ` +
        `and the row itself, so that row was altered or a row before it was removed (${report.checked} events intact before it)`,
    ),
  };
}
