import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
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
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  return startAppOn(await createTestDatabase(), env);
}

/** Another server process on the same database (dropped when this one closes). */
export async function startAppOn(database: TestDatabase, env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const settings = loadSettings({ API_TOKEN: TEST_TOKEN, LOG_LEVEL: 'silent', SEED_ON_START: 'false', ...env });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(settings, { url: database.appUrl, ownerUrl: database.url })],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(fastifyAdapter(settings), { logger: false });
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
