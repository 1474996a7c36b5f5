import { Command, CommandRunner, Option } from 'nest-commander';
import { Presets, SingleBar } from 'cli-progress';
import { BulkImporter } from '../diplomacy/import/bulk-import.service.js';
import { importOutcome } from './import-outcome.js';

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
    const { lines, failure } = importOutcome(report, seconds);
    for (const line of lines) console.log(line);
    if (failure) throw failure;
  }

  @Option({ flags: '--batch-size <n>', description: 'events per transaction (default 20000)' })
  parseBatchSize(value: string): number {
    return Number(value);
  }
}
