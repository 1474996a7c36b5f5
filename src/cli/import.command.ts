import { Command, CommandRunner, Option } from 'nest-commander';
import { Presets, SingleBar } from 'cli-progress';
import { BulkImporter } from '../diplomacy/import/bulk-import.service.js';

interface ImportFlags {
  batchSize?: number;
}

@Command({
  name: 'import',
  arguments: '<file>',
  description: 'Import a JSON-lines file of events (one POST /events body per line) through the domain, in batches',
})
export class ImportCommand extends CommandRunner {
  constructor(private readonly importer: BulkImporter) {
    super();
  }

  async run([file]: string[], flags: ImportFlags): Promise<void> {
    const bar = new SingleBar(
      { format: 'import [{bar}] {percentage}% | {duration}s | {eta}s left', hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(100, 0);
    const started = Date.now();
    const report = await this.importer.importFile(file, {
      batchSize: flags.batchSize,
      onProgress: (read, total) => bar.update(Math.floor((read / Math.max(total, 1)) * 100)),
    });
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `Imported ${report.recorded} events from ${report.lines} lines in ${seconds.toFixed(1)} s ` +
        `(${Math.round(report.recorded / Math.max(seconds, 0.001))} events/s); ${report.alreadyThere} already there; ${report.bad.length} bad lines.`,
    );
    for (const bad of report.bad.slice(0, 50)) console.log(`  line ${bad.line}: ${bad.message}`);
    if (report.bad.length > 50) console.log(`  ... and ${report.bad.length - 50} more bad lines`);
    if (report.bad.length) process.exitCode = 2;
  }

  @Option({ flags: '--batch-size <n>', description: 'events per transaction (default 20000)' })
  parseBatchSize(value: string): number {
    return Number(value);
  }
}
