import type { ImportReport } from '../diplomacy/import/bulk-import.service.js';
import { CliFailure } from './cli-failure.js';

/** What `npm run import` prints of a report, and the failure it ends with when a line was not imported (exit code 2). */
export function importOutcome(report: ImportReport, seconds: number): { lines: string[]; failure?: CliFailure } {
  const lines = [
    `Imported ${report.recorded} events from ${report.lines} lines in ${seconds.toFixed(1)} s ` +
      `(${Math.round(report.recorded / Math.max(seconds, 0.001))} events/s); ${report.alreadyThere} already there; ${report.bad.length} bad lines.`,
    ...report.bad.slice(0, 50).map((bad) => `  line ${bad.line}: ${bad.message}`),
    ...(report.bad.length > 50 ? [`  ... and ${report.bad.length - 50} more bad lines`] : []),
  ];
  if (!report.bad.length) return { lines };
  return {
    lines,
    failure: new CliFailure(2, `${report.bad.length} of ${report.lines} lines were not imported (listed above)`),
  };
}
