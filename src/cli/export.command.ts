import { Presets, SingleBar } from 'cli-progress';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { HISTORY_SCOPES, type HistoryScope } from '../diplomacy/positions/position.view.js';
import { dataPackage } from '../diplomacy/export/data-package.js';
import { EventExport } from '../diplomacy/export/event-export.service.js';
import { EVENT_FORMATS, type EventFormat, fileOf, type Separator } from '../diplomacy/export/export-formats.js';
import type { ExportQuery } from '../diplomacy/export/export-query.js';
import { parseInstant } from '../diplomacy/domain/time/dates.js';
import { CliFailure } from './cli-failure.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { checkExportFilters } from './export-filters.js';

const FORMATS = [...EVENT_FORMATS, 'positions', 'package'] as const;
type Format = (typeof FORMATS)[number];

interface ExportFlags {
  format?: Format;
  out?: string;
  knownAt?: string;
  upTo?: number;
  at?: string;
  history?: HistoryScope;
  topic?: string;
  party?: string;
  type?: string;
  from?: string;
  to?: string;
  tsv?: boolean;
}

/** A date flag, checked as the API checks its parameter (exit code 1 naming the flag). */
function instant(flag: string, value: string | undefined, dayMeans: 'start' | 'end' = 'end'): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseInstant(value, dayMeans);
  if (!parsed.ok) throw new CliFailure(1, `--${flag}: ${parsed.problem}`);
  return parsed.value;
}

@Command({
  name: 'export',
  arguments: '',
  description:
    'Export events (stance: the log, the import format; plover; polecat; acled), positions at a date (positions), or a data package of all of them (package, into --out DIR)',
})
export class ExportCommand extends CommandRunner {
  constructor(
    private readonly exports: EventExport,
    private readonly catalog: CatalogService,
  ) {
    super();
  }

  async run(_args: string[], flags: ExportFlags): Promise<void> {
    const format = flags.format ?? 'stance';
    const separator: Separator = flags.tsv ? 'tab' : 'comma';
    const query: ExportQuery = {
      topic: flags.topic,
      party: flags.party,
      type: flags.type,
      from: instant('from', flags.from)?.slice(0, 10),
      to: instant('to', flags.to)?.slice(0, 10),
      knownAt: instant('known-at', flags.knownAt),
      upTo: flags.upTo,
    };
    await checkExportFilters(format, flags, query, this.catalog);
    const at = (instant('at', flags.at) ?? new Date().toISOString()).slice(0, 10);
    const history = flags.history;
    if (history !== undefined && !HISTORY_SCOPES.includes(history))
      throw new CliFailure(1, `--history: must be one of ${HISTORY_SCOPES.join(', ')}`);
    if (format === 'package') {
      if (!flags.out) throw new CliFailure(1, '--format package needs --out DIR, the folder to write the package into');
      await this.writePackage(flags.out, query, at, history);
      return;
    }
    if (format === 'positions') {
      const upTo = await this.exports.logPosition(query.upTo);
      await this.write(
        await this.exports.positionTable({ at, knownAt: query.knownAt, upTo, history }, separator),
        flags.out,
      );
      return;
    }
    const logPosition = await this.exports.logPosition(query.upTo);
    const started = performance.now();
    const read = await this.writeEvents(format, { ...query, upTo: logPosition }, separator, flags.out);
    const seconds = (performance.now() - started) / 1000;
    // On stderr, as the progress bar: stdout may be the export itself.
    process.stderr.write(
      `Exported ${format}: ${read} events read in ${seconds.toFixed(1)} s (${Math.round(read / Math.max(seconds, 0.001))} events/s), ` +
        `up to log position ${logPosition}${query.knownAt ? `, as known at ${query.knownAt}` : ''}.\n`,
    );
  }

  /** The events of one format, with a progress bar on stderr (cli-progress, as import and rebuild show theirs). */
  private async writeEvents(
    format: EventFormat,
    query: ExportQuery,
    separator: Separator,
    out?: string,
  ): Promise<number> {
    const total = await this.exports.count(format, query, query.upTo!);
    const bar = new SingleBar(
      { format: `export ${format} [{bar}] {value}/{total} events | {duration}s | {eta}s left`, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    let read = 0;
    const { text } = await this.exports.events(format, query, {
      separator,
      onRow: () => {
        if (++read % 1000 === 0) bar.update(read);
      },
    });
    try {
      await this.write(text, out);
    } finally {
      bar.update(read);
      bar.stop();
    }
    return read;
  }

  /** A Frictionless data package: datapackage.json and its six resources, one snapshot (knownAt, log position). */
  private async writePackage(dir: string, query: ExportQuery, at: string, history?: HistoryScope): Promise<void> {
    mkdirSync(dir, { recursive: true });
    const logPosition = await this.exports.logPosition(query.upTo);
    const snapshot = { ...query, upTo: logPosition };
    const paths = {
      log: fileOf('stance', 'comma'),
      plover: fileOf('plover', 'comma'),
      polecat: fileOf('polecat', 'comma'),
      acled: fileOf('acled', 'comma'),
      positions: 'positions.csv',
      coding: 'coding.csv',
    };
    for (const format of EVENT_FORMATS)
      await this.writeEvents(format, snapshot, 'comma', join(dir, paths[format === 'stance' ? 'log' : format]));
    await this.write(
      await this.exports.positionTable({ at, knownAt: query.knownAt, upTo: logPosition, history }),
      join(dir, paths.positions),
    );
    await this.write(this.exports.codingTable(), join(dir, paths.coding));
    const descriptor = dataPackage(
      { knownAt: query.knownAt ?? null, logPosition, at, createdAt: new Date().toISOString() },
      paths,
    );
    writeFileSync(join(dir, 'datapackage.json'), `${JSON.stringify(descriptor, null, 2)}\n`);
    process.stderr.write(`Wrote the data package to ${dir} (log position ${logPosition}).\n`);
  }

  /** To a file, or to stdout; a reader of stdout that stops early (`| head`) ends the export, not in an error. */
  private async write(text: Readable, out?: string): Promise<void> {
    try {
      await pipeline(text, out ? createWriteStream(out) : process.stdout);
    } catch (error) {
      if (!out && (error as NodeJS.ErrnoException).code === 'EPIPE') return;
      throw error;
    }
  }

  @Option({ flags: '--format <format>', description: `one of ${FORMATS.join(', ')} (default stance)` })
  parseFormat(value: string): Format {
    if (!FORMATS.includes(value as Format))
      throw new CliFailure(1, `--format must be one of ${FORMATS.join(', ')}, got "${value}"`);
    return value as Format;
  }

  @Option({ flags: '--out <path>', description: 'file to write (default: stdout); for package, a folder' })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '--known-at <instant>', description: 'as publicly known at this date or timestamp' })
  parseKnownAt(value: string): string {
    return value;
  }

  @Option({
    flags: '--up-to <position>',
    description: 'the last log position to include (default: the committed head)',
  })
  parseUpTo(value: string): number {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new CliFailure(1, `--up-to must be a log position (a whole number), got "${value}"`);
    return n;
  }

  @Option({ flags: '--at <day>', description: 'the day of the positions (positions, package; default today)' })
  parseAt(value: string): string {
    return value;
  }

  @Option({
    flags: '--history <scope>',
    description: 'replaced stances in positions: window (the 12 months before --at, default) or all',
  })
  parseHistory(value: string): string {
    return value;
  }

  @Option({ flags: '--topic <slug>', description: 'events of this topic' })
  parseTopic(value: string): string {
    return value;
  }

  @Option({ flags: '--party <slug>', description: 'events by or aimed at this party' })
  parseParty(value: string): string {
    return value;
  }

  @Option({ flags: '--type <type>', description: 'events of this type' })
  parseType(value: string): string {
    return value;
  }

  @Option({ flags: '--from <day>', description: 'events that occurred on or after this day' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <day>', description: 'events that occurred on or before this day' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--tsv', description: 'tables as TSV instead of CSV' })
  parseTsv(): boolean {
    return true;
  }
}
