import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { loadSettings } from '../../src/config/settings.js';
import { configureHttp } from '../../src/http/configure-http.js';
import { fastifyAdapter } from '../../src/http/fastify-adapter.js';
import { createTestDatabase, TestDatabase } from './test-database.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly http: ReturnType<NestFastifyApplication['getHttpServer']>;
  /** The app's own connection, as the app's role. */
  readonly dataSource: DataSource;
  readonly database: TestDatabase;
  readonly auth: { Authorization: string };
  close(): Promise<void>;
}

/** The real application, with the real HTTP edge, on its own fresh database. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}, logTo?: DestinationStream): Promise<TestApp> {
  return startAppOn(await createTestDatabase(), env, logTo);
}

/** Another server process on the same database (dropped when this one closes). */
/** With `logTo`, the app logs as the server does (pino, at LOG_LEVEL), into that stream. */
export async function startAppOn(
  database: TestDatabase,
  env: NodeJS.ProcessEnv = {},
  logTo?: DestinationStream,
): Promise<TestApp> {
  // Rate limits off unless a test sets them: suites send thousands of requests from one address.
  const settings = loadSettings({
    API_TOKEN: TEST_TOKEN,
    LOG_LEVEL: 'silent',
    SEED_ON_START: 'false',
    RATE_LIMIT_WRITES_PER_MINUTE: '0',
    RATE_LIMIT_READS_PER_MINUTE: '0',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(settings, { url: database.appUrl, ownerUrl: database.url }, logTo)],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(fastifyAdapter(settings), { logger: false });
  if (logTo) app.useLogger(app.get(Logger));
  await configureHttp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    http: app.getHttpServer(),
    dataSource: app.get(DataSource),
    database,
    auth: { Authorization: `Bearer ${TEST_TOKEN}` },
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
