import type { CatalogService } from '../catalog/catalog.service.js';
import { EVENT_TYPES } from '../diplomacy/domain/events/events.js';
import type { ExportQuery } from '../diplomacy/export/export-query.js';
import { CliFailure } from './cli-failure.js';

/** The flags of `export` that filter events. */
export interface ExportFilterFlags {
  readonly topic?: string;
  readonly party?: string;
  readonly type?: string;
  readonly from?: string;
  readonly to?: string;
}

/**
 * The event filters checked as GET /export/events checks them (404 naming close names, 400),
 * each refusal naming its flag: an unknown party, topic or type, or a range that ends before it
 * starts, exported nothing and exited 0. Positions and packages are whole snapshots and take
 * none (their routes refuse them): a package asked with --party had filtered its event files
 * only, and described itself as the whole log.
 */
export async function checkExportFilters(
  format: string,
  flags: ExportFilterFlags,
  query: Pick<ExportQuery, 'from' | 'to'>,
  catalog: Pick<CatalogService, 'topic' | 'party'>,
): Promise<void> {
  const given = (['topic', 'party', 'type', 'from', 'to'] as const).filter((flag) => flags[flag] !== undefined);
  if ((format === 'package' || format === 'positions') && given.length)
    throw new CliFailure(
      1,
      `--${given[0]}: the ${format} export is a whole snapshot and takes no event filter (--known-at, --up-to, --at and --history choose it)`,
    );
  const named = async (flag: string, check: () => Promise<unknown>) => {
    try {
      await check();
    } catch (error) {
      throw new CliFailure(1, `--${flag}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  if (flags.topic) await named('topic', () => catalog.topic(flags.topic!));
  if (flags.party) await named('party', () => catalog.party(flags.party!));
  if (flags.type && !(EVENT_TYPES as readonly string[]).includes(flags.type))
    throw new CliFailure(1, `--type: unknown event type "${flags.type}"; the types are ${EVENT_TYPES.join(', ')}`);
  if (query.from && query.to && query.from > query.to)
    throw new CliFailure(1, `--from: ${query.from} is after --to ${query.to}: the range holds no day`);
}
