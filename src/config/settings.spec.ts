import { loadSettings, SettingsError } from './settings.js';

describe('loadSettings', () => {
  it('gives working defaults for an empty environment', () => {
    const settings = loadSettings({});
    expect(settings.port).toBe(3000);
    expect(settings.databaseUrl).toBeUndefined();
    expect(settings.embeddedPort).not.toBe(5432);
    expect(settings.apiTokenGenerated).toBe(true);
    expect(settings.apiToken.length).toBeGreaterThanOrEqual(16);
    expect(settings.foldCacheEvents).toBe(3_000_000);
    expect(settings).toMatchObject({
      foldCheckpoints: true,
      checkpointIntervalMs: 300_000,
      checkpointMinEvents: 500,
      checkpointShutdownMs: 5_000,
    });
    expect(settings.corsOrigins).toEqual([]);
    expect(settings.databaseReadUrl).toBeUndefined();
  });

  it('reads DATABASE_READ_URL, the standby that reads go to', () => {
    const url = 'postgres://stance_app:pw@standby.example:5433/stance';
    expect(
      loadSettings({ DATABASE_URL: 'postgres://stance_app:pw@db/stance', DATABASE_READ_URL: url }).databaseReadUrl,
    ).toBe(url);
  });

  it('reads CORS_ORIGINS as a list of origins', () => {
    expect(loadSettings({ CORS_ORIGINS: 'https://notebook.example.org, http://localhost:8888' }).corsOrigins).toEqual([
      'https://notebook.example.org',
      'http://localhost:8888',
    ]);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 1 to 65535, got "abc"'],
    [
      { CORS_ORIGINS: 'https://notebook.example.org/' },
      'CORS_ORIGINS must list origins like https://notebook.example.org',
    ],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS must list origins'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 1 to 65535, got "70000"'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL like postgres://user@host:5432/db, got "not a url"'],
    [
      { DATABASE_URL: 'mysql://root@localhost/test' },
      'DATABASE_URL must start with postgres:// or postgresql://, got "mysql://"',
    ],
    [{ DATABASE_URL: 'postgres://postgres@localhost:5432' }, 'DATABASE_URL must name a database'],
    [{ MIGRATION_DATABASE_URL: 'postgres://owner@db/stance' }, 'MIGRATION_DATABASE_URL needs DATABASE_URL'],
    [
      { DATABASE_URL: 'postgres://app@db/stance', MIGRATION_DATABASE_URL: 'postgres://owner@db/other' },
      'MIGRATION_DATABASE_URL must name the same server and database as DATABASE_URL (db:5432/stance), got db:5432/other',
    ],
    [
      { DATABASE_URL: 'postgres://owner@db/stance', MIGRATION_DATABASE_URL: 'postgres://owner:pw@db:5432/stance' },
      "DATABASE_URL must name the app's own role",
    ],
    [
      { DATABASE_URL: 'postgres://app@db/stance', MIGRATION_DATABASE_URL: 'owner' },
      'MIGRATION_DATABASE_URL must be a URL',
    ],
    [
      { DATABASE_READ_URL: 'http://standby.example:5432/stance' },
      'DATABASE_READ_URL must start with postgres:// or postgresql://, got "http://"',
    ],
    [{ DATABASE_READ_URL: 'postgres://app@standby.example' }, 'DATABASE_READ_URL must name a database'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ API_TOKEN: 'short' }, 'API_TOKEN must be at least 16 characters long'],
    [{ FOLD_CACHE_EVENTS: '-3' }, 'FOLD_CACHE_EVENTS must be a whole number, 0 or more, got "-3"'],
    [{ FOLD_CHECKPOINTS: 'maybe' }, 'FOLD_CHECKPOINTS must be true or false, got "maybe"'],
    [{ CHECKPOINT_INTERVAL_MS: '1.5' }, 'CHECKPOINT_INTERVAL_MS must be a whole number, 0 or more, got "1.5"'],
    [{ SEED_ON_START: 'maybe' }, 'SEED_ON_START must be true or false, got "maybe"'],
  ])('rejects %j with one clear line', (env, message) => {
    expect(() => loadSettings(env)).toThrow(SettingsError);
    expect(() => loadSettings(env)).toThrow(message);
  });

  it('never prints the password of a DATABASE_URL it cannot read', () => {
    // A port that is not a number makes the URL unreadable; the message still shows where it points.
    const env = { DATABASE_URL: 'postgres://stance:s3cr3t-p@ss@db.example:54x2/stance' };
    expect(() => loadSettings(env)).toThrow(SettingsError);
    expect(() => loadSettings(env)).toThrow('got "postgres://stance:***@db.example:54x2/stance"');
    expect(() => loadSettings(env)).not.toThrow(/s3cr3t/);
  });

  it('keeps a given token and database url', () => {
    const settings = loadSettings({
      API_TOKEN: 'a-long-enough-token',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    });
    expect(settings.apiToken).toBe('a-long-enough-token');
    expect(settings.apiTokenGenerated).toBe(false);
    expect(settings.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(settings.migrationDatabaseUrl).toBeUndefined(); // one role: it runs the migrations too
  });

  it('keeps the owner for migrations and the app role apart', () => {
    const settings = loadSettings({
      DATABASE_URL: 'postgres://stance_app:pw@127.0.0.1/stance',
      MIGRATION_DATABASE_URL: 'postgres://stance_owner:pw@127.0.0.1:5432/stance',
    });
    expect(settings.databaseUrl).toBe('postgres://stance_app:pw@127.0.0.1/stance');
    expect(settings.migrationDatabaseUrl).toBe('postgres://stance_owner:pw@127.0.0.1:5432/stance');
  });
});
