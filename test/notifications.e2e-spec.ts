import { firstValueFrom, filter, take, toArray } from 'rxjs';
import type { DataSource } from 'typeorm';
import { Channel, DatabaseNotifications, type Heard } from '../src/database/notifications.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** Two processes' listeners on one database (DatabaseNotifications reads only the data source's url). */
describe('database notifications between processes', () => {
  let database: TestDatabase;
  let here: DatabaseNotifications;
  let there: DatabaseNotifications;

  beforeAll(async () => {
    database = await createTestDatabase();
    const on = { options: { url: database.url } } as unknown as DataSource;
    here = new DatabaseNotifications(on);
    there = new DatabaseNotifications(on);
  });
  afterAll(async () => {
    await here.onModuleDestroy();
    await there.onModuleDestroy();
    await database.drop();
  });

  it('tell every process, and say which process told (the catalog reads back only items another process added)', async () => {
    const heardHere = firstValueFrom(here.on(Channel.catalog).pipe(take(2), toArray()));
    const heardThere = firstValueFrom(there.on(Channel.catalog).pipe(take(2), toArray()));
    await Promise.all([here.ready(), there.ready()]);

    here.tell(Channel.catalog, 'items:topic-here');
    await firstValueFrom(there.on(Channel.catalog).pipe(filter(isNotified)));
    there.tell(Channel.catalog, 'items:topic-there');

    expect(await heardHere).toEqual([
      { kind: 'notified', payload: 'items:topic-here', own: true },
      { kind: 'notified', payload: 'items:topic-there', own: false },
    ]);
    expect(await heardThere).toEqual([
      { kind: 'notified', payload: 'items:topic-here', own: false },
      { kind: 'notified', payload: 'items:topic-there', own: true },
    ]);
  });
});

const isNotified = (heard: Heard) => heard.kind === 'notified';
