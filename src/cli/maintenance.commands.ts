import { Command, CommandRunner } from 'nest-commander';
import { SingleBar, Presets } from 'cli-progress';
import { DataSource } from 'typeorm';
import { PositionProjection } from '../diplomacy/projection/position.projection.js';
import { SeedLoader } from '../diplomacy/seeds/seed-loader.js';

@Command({ name: 'migrate', description: 'Run the database migrations (they also run at every start)' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async run(): Promise<void> {
    // Opening the data source ran any pending migration (migrationsRun); report where we stand.
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM migrations',
    );
    console.log(`The schema is up to date: ${count} migrations applied.`);
  }
}

@Command({
  name: 'seed',
  description: 'Load the seed corpus (seeds/) through the command path; loading twice changes nothing',
})
export class SeedCommand extends CommandRunner {
  constructor(private readonly seeds: SeedLoader) {
    super();
  }

  async run(): Promise<void> {
    const report = await this.seeds.load();
    console.log(
      `Seeds: ${report.recorded} events recorded, ${report.alreadyThere} already there, from ${report.files.length} articles.`,
    );
  }
}

@Command({
  name: 'rebuild',
  description: 'Rebuild every position projection from the event log through the same evolve',
})
export class RebuildCommand extends CommandRunner {
  constructor(private readonly projection: PositionProjection) {
    super();
  }

  async run(): Promise<void> {
    const bar = new SingleBar(
      { format: 'rebuild [{bar}] {value}/{total} events | {duration}s', hideCursor: true },
      Presets.shades_classic,
    );
    const started = Date.now();
    let barStarted = false;
    const topics = await this.projection.rebuildAll((done, total) => {
      if (!barStarted) {
        bar.start(total, 0);
        barStarted = true;
      }
      bar.update(done);
    });
    if (barStarted) bar.stop();
    console.log(`Rebuilt ${topics} topics in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
}
