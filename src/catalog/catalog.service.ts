import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { closestSlugs, type Named } from '../shared/suggestions.js';
import { describeProblems, Problem } from '../shared/problem.js';
import { type CatalogSpeaker, inDayOrder, roleProblems, SpeakerDirectory } from '../shared/speakers.js';
import type {
  CreateItemDto,
  CreatePartyDto,
  CreateSpeakerDto,
  CreateTopicDto,
  UpdatePartyDto,
  UpdateTopicDto,
} from './catalog.dto.js';
import { EventStore, type Reader } from '../event-store/event-store.js';
import { ItemEntity, type ItemNaming, type ListedTopic, PartyEntity, TopicEntity } from './catalog.entities.js';
import { readSpeakers, writeSpeaker } from './speaker-rows.js';
import { groupBy } from '../shared/group-by.js';
import { Channel, DatabaseNotifications } from '../database/notifications.js';

export interface CatalogSnapshot {
  readonly parties: ReadonlyMap<string, PartyEntity>;
  readonly topics: ReadonlyMap<string, TopicEntity>;
  /** Topic slug -> item slug -> item. */
  readonly items: ReadonlyMap<string, ReadonlyMap<string, ItemEntity>>;
  /** Every speaker, by name and alias: events' speakers are matched to it, and shown with its roles. */
  readonly speakers: SpeakerDirectory;
}

/** Topics whose items another write added, gathered for this long before one read of them all. */
const ITEMS_GATHER_MS = 20;

/**
 * Parties, speakers, topics and items. Reads come from an in-memory snapshot, because every
 * recorded event checks its slugs against it. It is reloaded after every catalog write in this
 * process, and when the database says the catalog changed (a trigger's NOTIFY, heard by
 * DatabaseNotifications): another process's write reaches this one within milliseconds. Items
 * added by proposals reload only their topics' items.
 */
@Injectable()
export class CatalogService implements OnModuleInit, OnModuleDestroy {
  private snapshot?: Promise<CatalogSnapshot>;
  private heard?: Subscription;
  private itemTopics = new Set<string>();
  private gathering?: NodeJS.Timeout;

  constructor(
    private readonly notifications: DatabaseNotifications,
    private readonly dataSource: DataSource,
    private readonly eventStore: EventStore,
    @InjectRepository(PartyEntity) private readonly parties: Repository<PartyEntity>,
    @InjectRepository(TopicEntity) private readonly topics: Repository<TopicEntity>,
    @InjectRepository(ItemEntity) private readonly items: Repository<ItemEntity>,
  ) {}

  current(): Promise<CatalogSnapshot> {
    this.snapshot ??= this.load();
    return this.snapshot;
  }

  invalidate(): void {
    this.snapshot = undefined;
  }

  onModuleInit(): void {
    this.heard = this.notifications.on(Channel.catalog).subscribe((heard) => {
      if (heard.kind === 'notified' && heard.payload.startsWith('items:')) {
        // This process's own items are in its snapshot already (itemsAdded): reading them back
        // was a catalog read per gathering (20 ms) under appends, 25-30 transactions a second in
        // the probe at 1,000,000 events (README, "Performance").
        if (!heard.own) this.itemsChanged(heard.payload.slice(6).split(','));
      } else this.invalidate();
    });
  }

  onModuleDestroy(): void {
    this.heard?.unsubscribe();
    if (this.gathering) clearTimeout(this.gathering);
  }

  /** Items were added to these topics (here or elsewhere): their items are read again, together. */
  private itemsChanged(topics: readonly string[]): void {
    for (const topic of topics) this.itemTopics.add(topic);
    this.gathering ??= setTimeout(() => {
      this.gathering = undefined;
      const wanted = [...this.itemTopics];
      this.itemTopics.clear();
      if (!this.snapshot) return; // nothing cached: the next read loads everything anyway
      // Read while requests go on with the snapshot they have; the items found missing are added to it
      // in place (items are only ever added; this process's own are there already).
      this.items.find({ where: { topic: In(wanted) } }).then(
        (rows) => {
          for (const [topic, added] of groupBy(rows, (row) => row.topic)) this.addItems(topic, added);
        },
        () => this.invalidate(), // a failed read of the items: read everything again
      );
    }, ITEMS_GATHER_MS);
  }

  /**
   * Items that proposals put on a topic's table, once their transaction has committed (no need to
   * read them back). Added in place: items are only ever added, and a topic's map is looked up per
   * request, so copying it on every proposal would cost more than the proposal.
   */
  itemsAdded(topic: string, added: readonly { slug: string; title: string }[]): void {
    if (added.length === 0) return;
    this.notifications.tell(Channel.catalog, `items:${topic}`);
    this.addItems(topic, added);
  }

  /** Items read back from the table, or put on the table (or renamed) by this process's proposals (named by events, then). */
  private addItems(
    topic: string,
    added: readonly { slug: string; title: string; description?: string; namedBy?: ItemNaming }[],
  ): void {
    if (!this.snapshot || added.length === 0) return;
    this.snapshot = this.snapshot.then((snapshot) => {
      const known = snapshot.items.get(topic) as Map<string, ItemEntity> | undefined;
      const items = known ?? new Map<string, ItemEntity>();
      // The row as the table holds it: what a reload would read (the caller's item may carry more, its proposer).
      for (const { slug, title, description, namedBy } of added) {
        const known = items.get(slug);
        if (!known)
          items.set(slug, { topic, slug, title, description: description ?? '', namedBy: namedBy ?? 'events' });
        // An item the events named takes the title they give it now (a restatement renamed it).
        else if (known.namedBy === 'events' && known.title !== title) items.set(slug, { ...known, title });
      }
      return known ? snapshot : { ...snapshot, items: new Map([...snapshot.items, [topic, items]]) };
    });
  }

  private async load(): Promise<CatalogSnapshot> {
    const [parties, topics, items, speakers] = await Promise.all([
      this.parties.find({ order: { slug: 'ASC' } }),
      this.topics.find({ order: { slug: 'ASC' } }),
      this.items.find({ order: { topic: 'ASC' } }),
      readSpeakers(this.dataSource),
    ]);
    const byTopic = new Map<string, Map<string, ItemEntity>>();
    for (const item of items) {
      if (!byTopic.has(item.topic)) byTopic.set(item.topic, new Map());
      byTopic.get(item.topic)!.set(item.slug, item);
    }
    const bySlug = new Map(parties.map((p) => [p.slug, p]));
    return {
      parties: bySlug,
      topics: new Map(topics.map((t) => [t.slug, t])),
      items: byTopic,
      speakers: new SpeakerDirectory(speakers, (party) => bySlug.get(party)?.parent ?? undefined),
    };
  }

  async party(slug: string): Promise<PartyEntity> {
    const catalog = await this.current();
    const party = catalog.parties.get(slug);
    if (!party) throw notFound('party', slug, partyNames(catalog));
    return party;
  }

  async topic(slug: string): Promise<TopicEntity & { items: readonly ItemEntity[] }> {
    const catalog = await this.current();
    const topic = catalog.topics.get(slug);
    if (!topic)
      throw notFound(
        'topic',
        slug,
        [...catalog.topics.values()].map((t) => ({ slug: t.slug, names: [t.title] })),
      );
    // By slug, as a reload reads them: items added since the last reload were listed last.
    return {
      ...topic,
      items: [...(catalog.items.get(slug)?.values() ?? [])].sort((a, b) => (a.slug < b.slug ? -1 : 1)),
    };
  }

  async listParties(): Promise<PartyEntity[]> {
    return [...(await this.current()).parties.values()];
  }

  /** Every topic with its number of events (a topic is one stream of the log), read at the time of asking where `reader` reads. */
  async listTopics(reader?: Reader): Promise<ListedTopic[]> {
    const topics = [...(await this.current()).topics.values()];
    const versions = await this.eventStore.streamVersions(
      topics.map((t) => t.slug),
      reader,
    );
    return topics.map((t) => ({ ...t, events: versions.get(t.slug) ?? 0 }));
  }

  async listSpeakers(party?: string): Promise<CatalogSpeaker[]> {
    return (await this.current()).speakers.list(party);
  }

  async createParty(dto: CreatePartyDto): Promise<PartyEntity> {
    if ((await this.current()).parties.has(dto.slug)) throw exists('party', dto.slug);
    // null says "none", as left out does (it reached closestSlugs as a 500).
    if (dto.parent !== undefined && dto.parent !== null) await this.partyForField('parent', dto.parent);
    return this.write(() =>
      this.parties.save(
        this.parties.create({
          ...dto,
          aliases: dto.aliases ?? [],
          parent: dto.parent ?? null,
          plural: dto.plural ?? false,
        }),
      ),
    );
  }

  /** Names a party anew (name, aliases, plural): every answer, at any date, says it so from now on. */
  async updateParty(slug: string, dto: UpdatePartyDto): Promise<PartyEntity> {
    await this.party(slug);
    const changes = given(dto, ['name', 'aliases', 'plural']);
    await this.write(() => this.parties.update({ slug }, changes));
    return this.party(slug);
  }

  /**
   * Adds a speaker, or gives one already there (same name and party) these aliases and roles in
   * place of its own: the catalog says who held which office, and may be completed (the events
   * keep what their sources gave, and answers read the roles from here).
   */
  async createSpeaker(dto: CreateSpeakerDto): Promise<CatalogSpeaker> {
    const problems = roleProblems(dto.roles ?? []);
    if (problems.length) throw new Problem('invalid', describeProblems(problems), { errors: problems });
    await this.partyForField('party', dto.party);
    // A name means one speaker of a party: an event of that party names them by it.
    const { speakers } = await this.current();
    const names = [['name', dto.name] as const, ...(dto.aliases ?? []).map((a, i) => [`aliases.${i}`, a] as const)];
    for (const [field, name] of names) {
      const other = speakers.called(name).find((s) => s.party === dto.party && s.name !== dto.name);
      if (other)
        throw Problem.field('conflict', field, `"${name}" already names ${other.name}, a speaker of ${dto.party}`);
    }
    const speaker: CatalogSpeaker = {
      name: dto.name,
      party: dto.party,
      aliases: [...new Set(dto.aliases ?? [])],
      roles: inDayOrder(
        (dto.roles ?? []).map(({ role, from, to }) => ({ role, ...(from ? { from } : {}), ...(to ? { to } : {}) })),
      ),
    };
    await this.write(() => this.dataSource.transaction((manager) => writeSpeaker(manager, speaker, 'replace')));
    return speaker;
  }

  async createTopic(dto: CreateTopicDto): Promise<TopicEntity & { items: ItemEntity[] }> {
    if ((await this.current()).topics.has(dto.slug)) throw exists('topic', dto.slug);
    return this.write(() =>
      this.dataSource.transaction(async (manager) => {
        const topic = await manager.save(TopicEntity, {
          slug: dto.slug,
          title: dto.title,
          phrase: dto.phrase ?? null,
          description: dto.description ?? '',
        });
        const items = await manager.save(
          ItemEntity,
          (dto.items ?? []).map((item) => ({
            topic: dto.slug,
            slug: item.slug,
            title: item.title,
            description: item.description ?? '',
          })),
        );
        return { ...topic, items };
      }),
    );
  }

  /** Names or describes a topic anew (title, phrase, description); a phrase of null removes it. */
  async updateTopic(slug: string, dto: UpdateTopicDto): Promise<TopicEntity & { items: readonly ItemEntity[] }> {
    await this.topic(slug);
    const changes = given(dto, ['title', 'phrase', 'description']);
    await this.write(() => this.topics.update({ slug }, changes));
    return this.topic(slug);
  }

  async addItem(topic: string, dto: CreateItemDto): Promise<ItemEntity> {
    const existing = await this.topic(topic);
    if (existing.items.some((i) => i.slug === dto.slug)) throw exists(`item of topic ${topic}`, dto.slug);
    return this.write(() =>
      this.items.save({ topic, slug: dto.slug, title: dto.title, description: dto.description ?? '' }),
    );
  }

  private async partyForField(field: string, slug: string): Promise<void> {
    const catalog = await this.current();
    if (!catalog.parties.has(slug)) {
      const suggestions = closestSlugs(slug, partyNames(catalog));
      throw Problem.field('unprocessable', field, `unknown party "${slug}"; did you mean ${suggestions.join(', ')}?`, {
        suggestions,
      });
    }
  }

  private async write<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      this.invalidate();
    }
  }
}

/**
 * The fields of an edit that were given (null included: it removes a value); an edit that gives
 * none is refused, as it would change nothing and most likely misspelt its fields' names.
 */
function given<T extends object, K extends keyof T & string>(dto: T, fields: readonly K[]): Pick<T, K> {
  const changes = Object.fromEntries(fields.filter((f) => dto[f] !== undefined).map((f) => [f, dto[f]])) as Pick<T, K>;
  if (Object.keys(changes).length === 0)
    throw Problem.field('invalid', 'body', `names nothing to change: give ${fields.join(', ')} or some of them`);
  return changes;
}

/** Each party's slug with its name and aliases: a suggestion may come from any of them. */
function partyNames(catalog: CatalogSnapshot): Named[] {
  return [...catalog.parties.values()].map((p) => ({ slug: p.slug, names: [p.name, ...p.aliases] }));
}

export function notFound(kind: string, slug: string, known: readonly (string | Named)[]): Problem {
  const suggestions = closestSlugs(slug, known);
  return new Problem(
    'not_found',
    `unknown ${kind} "${slug}"; known ${kind === 'party' ? 'parties' : `${kind}s`} include ${suggestions.map((s) => `"${s}"`).join(', ')}`,
    {
      suggestions,
    },
  );
}

function exists(kind: string, slug: string): Problem {
  return Problem.field('conflict', 'slug', `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} "${slug}" already exists`);
}
