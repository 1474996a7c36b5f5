import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { loadSettings, SettingsError } from '../config/settings.js';
import { openDatabase } from '../database/database.js';
import { DatabaseStartError } from '../database/embedded-database.js';
import { CliFailure } from './cli-failure.js';
import { CliModule } from './cli.module.js';

/** `node dist/src/cli/main.js <migrate|seed|rebuild|import FILE|verify>`, on the embedded database or DATABASE_URL. */
async function main(): Promise<void> {
  const settings = { ...loadSettings(), logLevel: process.env.LOG_LEVEL || 'warn' };
  const database = await openDatabase(settings);
  try {
    await CommandFactory.run(CliModule.forRoot(settings, database), {
      logger: ['error', 'warn'],
      errorHandler: (error) => {
        throw error;
      },
      // nest-commander's default prints a command's failure and goes on to exit 0: a failed import
      // or rebuild looked like success to scripts. Thrown on, it ends here with a non-zero code.
      serviceErrorHandler: (error) => {
        throw error;
      },
    });
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof DatabaseStartError || error instanceof CliFailure)
    console.error(`stance: ${error.message}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(error instanceof CliFailure ? error.exitCode : 1);
});
