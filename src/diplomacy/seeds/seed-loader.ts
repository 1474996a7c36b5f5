import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { CatalogService } from '../../catalog/catalog.service.js';
import { SETTINGS } from '../../config/settings.provider.js';
import type { Settings } from '../../config/settings.js';
import { EventIdConflictError } from '../../event-store/event-store.errors.js';
import { describeProblems, Problem } from '../../shared/problem.js';
import { roleProblems } from '../../shared/speakers.js';
import { writeSpeaker } from '../../catalog/speaker-rows.js';
import type { RecordEvent } from '../domain/records/decide.js';
import { occurredDate } from '../domain/time/dates.js';
import { requestFingerprint } from '../record-event/record-event.handler.js';
import { RecordEventCommand } from '../record-event/record-event.command.js';
import { type CatalogFile, readArticles, SEED_NAMESPACE, seedCommand } from './seed-files.js';

export interface SeedReport {
  readonly recorded: number;
  readonly alreadyThere: number;
  readonly files: readonly string[];
}

export const seedId = (key: string) => uuidv5(key, SEED_NAMESPACE);

const withoutKey = ({ key: _key, ...command }: RecordEvent): RecordEvent => command;
const withoutBasis = (command: RecordEvent): RecordEvent => ({ ...command, occurred: occurredDate(command.occurred) });

/** The forms a seed event had in corpora loaded before: without its key, without its date's basis, or both. */
export const asLoadedBefore = (command: RecordEvent): RecordEvent[] => [
  withoutKey(command),
  withoutBasis(command),
  withoutKey(withoutBasis(command)),
];

/**
 * Loads seeds/ through the real command path (decide, append, projection). Idempotent:
 * catalog rows are inserted if missing, and events carry ids derived from their keys.
 */
@Injectable()
export class SeedLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seeds');

  constructor(
    private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
    private readonly catalog: CatalogService,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  /** The first start of an empty database loads the corpus, so a newcomer sees data at once. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.seedOnStart) return;
    const [{ count }] = await this.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM events');
    if (count > 0) return;
    const report = await this.load();
    this.logger.log(`Loaded the seed corpus: ${report.recorded} events from ${report.files.length} articles`);
  }

  async load(dir = this.settings.seedsDir): Promise<SeedReport> {
    const catalog = JSON.parse(await readFile(join(dir, 'catalog.json'), 'utf8')) as CatalogFile;
    await this.loadCatalog(catalog);
    const articles = await readArticles(dir);
    let recorded = 0;
    let alreadyThere = 0;
    for (const { file, article } of articles) {
      for (const event of article.events) {
        const command = seedCommand(article, event, seedId);
        try {
          const result = await this.commands.execute(new RecordEventCommand(command, undefined, `seed:${file}`));
          if (result.duplicate) alreadyThere++;
          else recorded++;
        } catch (error) {
          if (error instanceof EventIdConflictError && (await this.recordedBefore(command))) {
            alreadyThere++;
            continue;
          }
          if (error instanceof Problem) throw new Error(`seeds/articles/${file}, event "${event.key}": ${error.message}`, { cause: error });
          throw error;
        }
      }
    }
    return { recorded, alreadyThere, files: articles.map((a) => a.file) };
  }

  /**
   * A seed event a database loaded before seed events gained their key or the basis of their date
   * is stored without them, so the same seed now reads as another request with its id. It is the
   * same event when the stored request is this one without what it gained (events are never
   * rewritten, so the stored one keeps neither). The basis is the recorder's reasoning about a
   * date, not part of the claim: the date itself, and everything a position reads, must match.
   * A date that changed is no such case: it comes as a correction (seeds/README.md).
   */
  private async recordedBefore(command: RecordEvent): Promise<boolean> {
    const rows = await this.dataSource.query<{ fingerprint: string }[]>(
      `SELECT metadata->>'requestFingerprint' AS fingerprint FROM events WHERE id = $1`,
      [command.id],
    );
    const stored = rows[0]?.fingerprint;
    return asLoadedBefore(command).some((earlier) => requestFingerprint(earlier) === stored);
  }

  private async loadCatalog(file: CatalogFile): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const p of file.parties) {
        await manager.query(
          // A party already there keeps what it has, and gains a plural name the catalog learnt since (names-in-a-sentence).
          `INSERT INTO parties (slug, name, kind, aliases, parent, plural) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (slug) DO UPDATE SET plural = true WHERE EXCLUDED.plural AND parties.name = EXCLUDED.name`,
          [p.slug, p.name, p.kind, p.aliases ?? [], p.parent ?? null, p.plural ?? false],
        );
      }
      for (const s of file.speakers) {
        const problems = roleProblems(s.roles ?? []);
        if (problems.length) throw new Error(`seeds/catalog.json, speaker "${s.name}": ${describeProblems(problems)}`);
        // A speaker already there keeps what it has: the catalog may have been completed since.
        await writeSpeaker(manager, { name: s.name, party: s.party, aliases: s.aliases ?? [], roles: s.roles ?? [] }, 'keep');
      }
      for (const t of file.topics) {
        // A topic already there keeps what it has, and gains a phrase for the same title where it had none.
        await manager.query(`INSERT INTO topics (slug, title, phrase, description) VALUES ($1, $2, $3, $4)
           ON CONFLICT (slug) DO UPDATE SET phrase = EXCLUDED.phrase
           WHERE topics.phrase IS NULL AND EXCLUDED.phrase IS NOT NULL AND topics.title = EXCLUDED.title`, [
          t.slug, t.title, t.phrase ?? null, t.description ?? '',
        ]);
        for (const i of t.items ?? []) {
          await manager.query('INSERT INTO items (topic, slug, title, description) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
            t.slug, i.slug, i.title, i.description ?? '',
          ]);
        }
      }
    });
    this.catalog.invalidate();
  }
}
