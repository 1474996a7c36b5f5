import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const PARTY_KINDS = ['state', 'alliance', 'organisation', 'person'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** Whose position is tracked: a state, an alliance or body, or a person speaking for themselves. */
@Entity('parties')
export class PartyEntity {
  @PrimaryColumn() slug: string;
  @Column() name: string;
  @Column({ type: 'text' }) kind: PartyKind;
  @Column('text', { array: true, default: () => `'{}'` }) aliases: string[];
  /** The party it belongs to (the US Congress within the United States), or null. */
  @Column({ type: 'text', nullable: true }) parent: string | null;
  /** A name that is plural ("European G8 countries"): a summary says "their", not "its". */
  @Column({ default: false }) plural: boolean;
  @CreateDateColumn({ name: 'created_at', select: false }) createdAt: Date;
}

/** One negotiation dossier; each topic is one event stream. */
@Entity('topics')
export class TopicEntity {
  @PrimaryColumn() slug: string;
  @Column() title: string;
  /** The title as a sentence says it ("missile defense in Europe"), where it differs from the title's own words; else null. */
  @Column({ type: 'text', nullable: true }) phrase: string | null;
  @Column({ default: '' }) description: string;
  @CreateDateColumn({ name: 'created_at', select: false }) createdAt: Date;
}

/**
 * Who named an item: the catalog (a topic's items, POST /topics/:topic/items, the seeds' catalog),
 * whose title holds at every date as any name of the catalog does; or the events (a proposal put
 * it on the table), whose title at a date is the one the events had given by then.
 */
export const ITEM_NAMINGS = ['catalog', 'events'] as const;
export type ItemNaming = (typeof ITEM_NAMINGS)[number];

/** What is on the table inside a topic: a proposal or plan. */
@Entity('items')
export class ItemEntity {
  @PrimaryColumn() topic: string;
  @PrimaryColumn() slug: string;
  /** Its title now (for an item the events named: the title the first proposal to arrive gave it; answers read it at their date). */
  @Column() title: string;
  @Column({ default: '' }) description: string;
  @Column({ name: 'named_by', type: 'text', default: 'catalog' }) namedBy: ItemNaming;
}

/** What the API shows of an entity: created_at is not read back, so only the answer to its creation has it. */
type Shown<E extends { createdAt: Date }> = Omit<E, 'createdAt'> & { readonly createdAt?: Date };
export type Party = Shown<PartyEntity>;
export type Topic = Shown<TopicEntity>;
export type TopicWithItems = Topic & { readonly items: readonly Item[] };
/** A topic as GET /topics lists it: with how many events it holds (the page opens on the busiest). */
export type ListedTopic = Topic & { readonly events: number };
export type Item = ItemEntity;

/**
 * Speakers have no entity: a speaker is a row of `speakers` (name, party, aliases) and its rows of
 * `speaker_roles`, written together in one transaction and read together (speaker-rows.ts).
 */
export const CATALOG_ENTITIES = [PartyEntity, TopicEntity, ItemEntity];
