import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadSettings } from '../src/config/settings.js';

/**
 * The full stack (docker-compose.yml, the Dockerfile, docker/): no Docker daemon runs the tests,
 * so this checks what can be checked without one (README.md, "A full stack", says what was run):
 * the services and their wiring, that every setting given to the API processes is one the
 * server reads and takes, and that the image starts the server as `npm start` does.
 */
interface Service {
  readonly image?: string;
  readonly build?: string;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly environment?: Record<string, string>;
  readonly ports?: readonly string[];
  readonly volumes?: readonly string[];
  readonly depends_on?: Record<string, { condition: string }>;
}

const text = (path: string) => readFileSync(path, 'utf8');
// Merge keys (<<) share the PostgreSQL and API blocks; Compose reads them, as YAML 1.1 did.
const compose = parse(text('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const haproxy = text('docker/haproxy.cfg');
const dockerfile = text('Dockerfile');

/** A Compose value with its ${NAME:-default} variables as they are when no .env sets them. */
const interpolated = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
const environment = (service: Service) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolated(String(v))]));
/** A file of this repository mounted into a service at `target`. */
const mounted = (service: Service, target: string) => {
  const volume = service.volumes?.find((v) => v.split(':')[1] === target);
  expect(volume).toBeDefined();
  return text(volume!.split(':')[0]);
};
/** The environment variables src/config/settings.ts reads. */
const settingsNames = () => {
  const source = text('src/config/settings.ts');
  return new Set([...source.matchAll(/env\.([A-Z][A-Z0-9_]+)|\(env, '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1] ?? m[2]));
};
const API_SERVICES = ['api-1', 'api-2'];

describe('the full stack of docker-compose.yml', () => {
  it('runs a primary, a streaming standby, two API processes and a load balancer', () => {
    expect(Object.keys(services).sort()).toEqual(['api-1', 'api-2', 'balancer', 'primary', 'replica']);
    expect(services.primary.image).toMatch(/^postgres:\d+$/);
    expect(services.replica.image).toBe(services.primary.image); // a standby runs the primary's major version
    expect(services.balancer.image).toMatch(/^haproxy:[\d.]+$/);
    for (const api of API_SERVICES) expect(services[api].build).toBe('.');
    // The standby allows at least the primary's connections: one command for both.
    expect(services.replica.command).toEqual(services.primary.command);
  });

  it('sets up replication on the primary and takes the standby from it with pg_basebackup -R', () => {
    const init = mounted(services.primary, '/docker-entrypoint-initdb.d/10-stance-roles.sh');
    expect(init).toMatch(/CREATE ROLE replicator REPLICATION LOGIN/);
    expect(init).toMatch(/host replication replicator all scram-sha-256.*pg_hba\.conf/);
    expect(init).toMatch(/CREATE ROLE stance_owner LOGIN[\s\S]*CREATE ROLE stance_app LOGIN/);

    const [shell, script] = services.replica.entrypoint!;
    expect(shell).toBe('/bin/bash');
    const entrypoint = mounted(services.replica, script);
    expect(entrypoint).toMatch(/pg_basebackup [^\n]*\\\n[^\n]*--write-recovery-conf --wal-method stream/);
    expect(entrypoint).toMatch(/exec docker-entrypoint\.sh "\$@"/); // the image's own start, on the data taken
    const replication = environment(services.replica);
    expect(replication).toMatchObject({ PRIMARY_HOST: 'primary', REPLICATION_USER: 'replicator' });
    expect(replication.PGPASSWORD).toBe(environment(services.primary).REPLICATION_PASSWORD);
    expect(services.replica.depends_on).toEqual({ primary: { condition: 'service_healthy' } });
  });

  it("gives the API processes settings the server reads and accepts: the app's role on the primary, the owner, the standby for reads", () => {
    const names = settingsNames();
    for (const api of API_SERVICES) {
      const env = environment(services[api]);
      expect(Object.keys(env).filter((name) => !names.has(name))).toEqual([]);
      const settings = loadSettings(env);
      expect(settings).toMatchObject({ host: '0.0.0.0', apiTokenGenerated: false });
      const [app, owner, read] = [env.DATABASE_URL, env.MIGRATION_DATABASE_URL, env.DATABASE_READ_URL].map(
        (url) => new URL(url),
      );
      expect([app.username, app.host]).toEqual(['stance_app', 'primary:5432']);
      expect([owner.username, owner.host]).toEqual(['stance_owner', 'primary:5432']);
      expect([read.username, read.host]).toEqual(['stance_app', 'replica:5432']);
      // The roles' passwords are the ones the primary's first start gave them.
      const primary = environment(services.primary);
      expect([app.password, owner.password]).toEqual([primary.STANCE_APP_PASSWORD, primary.STANCE_OWNER_PASSWORD]);
    }
    // One process migrates (and seeds an empty database) before the other starts: migrations take no lock.
    expect(services['api-2'].depends_on).toEqual({ 'api-1': { condition: 'service_healthy' } });
  });

  it("balances over both processes, checks /health, sends each topic's writes to one process, and holds live streams open for long", () => {
    const backends = [...haproxy.matchAll(/^backend (\S+)\n((?: {4}.*\n?)*)/gm)].map(([, name, body]) => ({
      name,
      body,
    }));
    const serving = backends.filter((b) => b.body.includes('server '));
    expect(serving.map((b) => b.name).sort()).toEqual(['api', 'event_writes', 'live_streams']);
    const port = environment(services['api-1']).PORT;
    for (const { body } of serving) {
      expect([...body.matchAll(/^ {4}server (\S+) (\S+)$/gm)].map(([, name, address]) => [name, address])).toEqual(
        API_SERVICES.map((api) => [api, `${api}:${port}`]),
      );
      expect(body).toMatch(/option httpchk GET \/health\n {4}http-check expect status 200/);
      expect(body).toMatch(/default-server check /);
    }
    expect(haproxy).toMatch(/acl live_stream req\.hdr\(accept\) -m sub text\/event-stream\n/);
    expect(haproxy).toMatch(/use_backend live_streams if live_stream\n/);
    // Each topic's writes to one process, which keeps its fold of the topic current (bench/processes.ts).
    expect(haproxy).toMatch(/use_backend event_writes if event_write event_write_path\n/);
    expect(backends.find((b) => b.name === 'event_writes')!.body).toMatch(
      /option http-buffer-request\n {4}balance hash req\.body,json_query\('\$\.topic'\)\n {4}hash-type consistent/,
    );
    const hours = (body: string, timeout: string) => new RegExp(`timeout ${timeout} (\\d+)h`).exec(body)?.[1];
    expect(hours(backends.find((b) => b.name === 'live_streams')!.body, 'server')).toBeDefined();
    expect(hours(haproxy, 'client')).toBeDefined();
    // The balancer listens where Compose publishes it.
    const [published] = services.balancer.ports!;
    expect(haproxy).toMatch(new RegExp(`bind :${published.split(':').at(-1)}\\n`));
  });

  it('builds the image in stages, runs it without root, checks /health, and starts the server as npm start does', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(3);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health/m);
    const start = (JSON.parse(text('package.json')) as { scripts: { start: string } }).scripts.start;
    const [build, run] = start.split(' && ');
    expect(build).toBe('npm run build'); // done in the build stage
    const command = JSON.parse(/^CMD (.*)$/m.exec(dockerfile)![1]) as string[];
    expect(command.join(' ')).toBe(run);
  });
});
