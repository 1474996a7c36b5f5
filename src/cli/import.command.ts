import { Command, CommandRunner, Option } from 'nest-commander';
import { Presets, SingleBar } from 'cli-progress';
import { BulkImporter } from '../diplomacy/import/bulk-import.service.js';
import { IMPORT_FORMATS, type ImportFormat } from '../diplomacy/import/foreign/line-formats.js';
import { CliFailure } from './cli-failure.js';
import { importOutcome } from './import-outcome.js';

interface ImportFlags {
  batchSize?: number;
  format?: ImportFormat;
  topic?: string;
}

@Command({
  name: 'import',
  arguments: '<file>',
  description:
    'Import a file of events through the domain, in batches: JSON lines of POST /events bodies (the default), or --format plover (JSON lines), polecat or acled (CSV/TSV with a header); rows that map to no Stance event are reported by line',
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
      format: flags.format,
      topic: flags.topic,
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

  @Option({ flags: '--format <format>', description: `one of ${IMPORT_FORMATS.join(', ')} (default stance)` })
  parseFormat(value: string): ImportFormat {
    if (!IMPORT_FORMATS.includes(value as ImportFormat))
      throw new CliFailure(1, `--format must be one of ${IMPORT_FORMATS.join(', ')}, got "${value}"`);
    return value as ImportFormat;
  }

  @Option({ flags: '--topic <slug>', description: 'the topic of foreign rows that name none the catalog knows' })
  parseTopic(value: string): string {
    return value;
  }
}
