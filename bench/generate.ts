/**
 * Deterministic synthetic data for `npm run bench`: a catalog (parties, speakers, topics with a
 * few items) and a JSON-lines log of POST /events bodies that the domain accepts line by line.
 *
 * Every topic is simulated day by day in the order its events are written, so each refersTo
 * names an earlier line that decide will accept (another party's open proposal for a rejection,
 * the actor's own still-active proposal/demand/threat for a withdrawal, an active demand on the
 * actor for a concession...). Late reports and month-precision dates land in the past of their
 * topic; they are kept to types nothing refers to, so the simulation stays in step with the
 * state decide reads. Run alone: `node dist/bench/generate.js --events 10000 --out DIR`.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { v5 as uuidv5 } from 'uuid';

export interface GenerateOptions {
  readonly events: number;
  readonly topics: number;
  readonly parties: number;
  readonly seed: number;
  /** Folder for catalog.json and events.jsonl. */
  readonly dir: string;
}

export interface BenchCatalog {
  readonly parties: {
    slug: string;
    name: string;
    kind: 'state' | 'alliance' | 'organisation' | 'person';
    aliases: string[];
  }[];
  readonly speakers: { name: string; role: string; party: string }[];
  /** `parties` is not part of the seed format: the bench uses it to make valid POST bodies. */
  readonly topics: {
    slug: string;
    title: string;
    description: string;
    items: { slug: string; title: string }[];
    parties: string[];
  }[];
}

export interface GeneratedData {
  readonly eventsFile: string;
  readonly catalogFile: string;
  readonly catalog: BenchCatalog;
  readonly lines: number;
  readonly bytes: number;
  /** Lines per event type; lines reported late (written after later events of their topic); vague dates. */
  readonly byType: Record<string, number>;
  readonly lateReports: number;
  readonly monthPrecision: number;
  readonly intervalPrecision: number;
}

/** sfc32 seeded through splitmix32: small, fast, and the same numbers on every machine. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix(),
    b = splitmix(),
    c = splitmix(),
    d = splitmix();
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;
export const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
export const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const FIRST_DAY = dayNumber('2000-01-01');
export const LAST_DAY = dayNumber('2024-12-31');

const ID_NAMESPACE = 'b3c1e7a2-5d4f-4c8e-9a6b-2f1d0e3c4b5a';

const NAME_PARTS = [
  'Al',
  'Bor',
  'Cal',
  'Dor',
  'El',
  'Fen',
  'Gal',
  'Hel',
  'Is',
  'Jor',
  'Kar',
  'Lum',
  'Mor',
  'Nor',
  'Ost',
  'Par',
  'Quel',
  'Ros',
  'Sar',
  'Tor',
  'Ul',
  'Val',
  'Wen',
  'Xan',
  'Yor',
  'Zel',
];
const NAME_ENDS = ['ia', 'land', 'stan', 'ora', 'avia', 'mark', 'esia', 'ovo', 'ania', 'ica'];
const SURNAMES = [
  'Adler',
  'Bauer',
  'Costa',
  'Dumas',
  'Eriksen',
  'Ferreira',
  'Grant',
  'Horvat',
  'Ivanov',
  'Jansen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Novak',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Sato',
  'Tanaka',
  'Usman',
  'Varga',
  'Weber',
  'Yilmaz',
  'Zhou',
];
const ROLES = [
  'Foreign Minister',
  'President',
  'Prime Minister',
  'Defense Minister',
  'Chief negotiator',
  'Deputy Foreign Minister',
  'Spokesperson',
];
const SUBJECTS = [
  'missile defense',
  'arms control',
  'trade tariffs',
  'fishing rights',
  'border demarcation',
  'gas transit',
  'nuclear enrichment',
  'troop deployments',
  'climate targets',
  'visa regime',
  'water sharing',
  'airspace access',
  'port access',
  'sanctions relief',
  'peacekeeping',
];
const PLANS = [
  'joint monitoring',
  'a phased withdrawal',
  'an inspection regime',
  'a moratorium',
  'a shared early-warning centre',
  'a ceasefire line',
  'a quota system',
  'a verification protocol',
  'a transit corridor',
  'a consultation council',
  'a confidence-building package',
  'delayed activation',
];
const PUBLISHERS = [
  'The Washington Post',
  'Reuters',
  'Associated Press',
  'The New York Times',
  'Agence France-Presse',
  'BBC News',
  'Financial Times',
  'Der Spiegel',
  'Le Monde',
  'Kommersant',
  'The Guardian',
  'Fox News',
];
const REASONS = [
  'it threatens national security',
  'the terms are not verifiable',
  'talks must go on first',
  'it ignores earlier commitments',
  'it would shift the balance in the region',
  'domestic opposition is strong',
  'the timetable is unrealistic',
];
const ACTS = [
  'suspended its participation in the treaty',
  'recalled its ambassador',
  'moved additional units to the border',
  'announced new sanctions',
  'opened a consulate',
  'held large-scale exercises',
  'released detained fishermen',
  'resumed gas deliveries',
];
const COUNTER = [
  'deploy missiles near the border',
  'leave the treaty',
  'cut gas supplies',
  'impose tariffs',
  'expel diplomats',
  'suspend cooperation on inspections',
];
const STANCES = ['supports', 'opposes', 'conditional', 'neutral'] as const;

type Kind = 'proposal' | 'demand' | 'freeze_demand' | 'threat';
interface Pending {
  readonly id: string;
  readonly kind: Kind;
  readonly actor: string;
  readonly targets: string[];
  readonly item?: string;
  /** First day a later event may answer it: the day after its occurred interval ends. */
  readonly available: number;
  /** Its reportedAt (ms): an answer is reported no earlier. */
  readonly reported: number;
  /** Parties that signed an agreement to it (a proposal is accepted once all its addressees have). */
  readonly agreedBy: Set<string>;
}
interface Recorded {
  readonly id: string;
  readonly type: string;
  readonly actor: string;
  readonly from: number;
  readonly available: number;
  readonly reported: number;
  readonly dayPrecision: boolean;
}
interface TopicSim {
  readonly slug: string;
  readonly title: string;
  readonly parties: string[];
  /** item slug -> proposer (undefined: on the table in the catalog, proposed by nobody yet) */
  readonly items: Map<string, string | undefined>;
  nextItem: number;
  readonly open: Pending[];
  /** Items their proposer ended (took back its last offer of): a record made about one is moot from its own day. */
  readonly ended: Set<string>;
  /** Recent events a correction or retraction may name. */
  readonly recent: Recorded[];
}

/** Share of each type among the scheduled slots; a slot whose type cannot apply becomes a statement. */
const MIX: readonly [string, number][] = [
  ['statement', 28],
  ['proposal', 12],
  ['rejection', 9],
  ['endorsement', 7],
  ['freeze_demand', 4],
  ['demand', 5],
  ['threat', 5],
  ['withdrawal', 6],
  ['concession', 5],
  ['agreement', 4],
  ['action', 6],
  ['correction', 0.3],
  ['retraction', 0.2],
];
const MIX_TOTAL = MIX.reduce((sum, [, w]) => sum + w, 0);
/** At most this many open proposals / active demands / active threats per party and topic: older ones get withdrawn. */
const CAP: Record<Kind, number> = { proposal: 3, demand: 3, freeze_demand: 2, threat: 2 };
/**
 * Types a late report, or a vague date, may have: nothing refers to them and they change no status
 * decide checks. Every other type is dated to its day and written in topic order, so this
 * simulation meets the records in the order the fold does (docs/architecture.md, "Records and
 * their lifecycle").
 */
const LATE_TYPES = new Set(['statement', 'endorsement', 'action']);
const LATE_SHARE = 0.09; // of those types: about 4% of all lines

export async function generate(options: GenerateOptions): Promise<GeneratedData> {
  const random = prng(options.seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const chance = (p: number) => random() < p;

  // ---- Catalog -------------------------------------------------------------------------------
  const parties: BenchCatalog['parties'] = [];
  for (let i = 0; i < options.parties; i++) {
    const kind = i % 20 === 19 ? 'person' : i % 10 === 9 ? 'alliance' : i % 25 === 24 ? 'organisation' : 'state';
    const base = `${NAME_PARTS[i % NAME_PARTS.length]}${NAME_ENDS[Math.floor(i / NAME_PARTS.length) % NAME_ENDS.length]}`;
    const name =
      kind === 'person'
        ? `${base} ${pick(SURNAMES)}`
        : kind === 'alliance'
          ? `${base} Pact`
          : kind === 'organisation'
            ? `${base} Council`
            : base;
    parties.push({
      slug: `${kind === 'state' ? 'state' : kind}-${String(i + 1).padStart(3, '0')}`,
      name,
      kind,
      aliases: [],
    });
  }
  const speakers = parties.flatMap((p) =>
    [0, 1, 2].map((k) => ({
      name: `${pick(['A.', 'B.', 'C.', 'D.', 'E.', 'M.', 'S.'])} ${pick(SURNAMES)} ${k + 1}`,
      role: ROLES[(k * 3 + p.slug.length) % ROLES.length],
      party: p.slug,
    })),
  );
  const speakersOf = new Map<string, { name: string; role: string }[]>();
  for (const s of speakers)
    speakersOf.set(s.party, [...(speakersOf.get(s.party) ?? []), { name: s.name, role: s.role }]);
  const nameOf = new Map(parties.map((p) => [p.slug, p.name]));

  // Some parties are in many more dossiers than others (a mild skew, as with great powers).
  const weights = parties.map((_, i) => 1 / Math.sqrt(i + 20));
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  const pickParty = () => {
    let r = random() * weightTotal;
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) <= 0) return parties[i].slug;
    return parties[parties.length - 1].slug;
  };

  const topics: BenchCatalog['topics'] = [];
  const sims: TopicSim[] = [];
  const windows: { start: number; end: number; weight: number }[] = [];
  for (let t = 0; t < options.topics; t++) {
    const slug = `topic-${String(t + 1).padStart(4, '0')}`;
    const subject = SUBJECTS[t % SUBJECTS.length];
    const title = `${subject[0].toUpperCase()}${subject.slice(1)} dossier ${t + 1}`;
    const engaged = new Set<string>();
    const size = 4 + int(5);
    while (engaged.size < size) engaged.add(pickParty());
    const items = Array.from({ length: 2 + int(3) }, (_, k) => ({
      slug: `item-${k + 1}`,
      title: `${pick(PLANS)} on ${subject} (${k + 1})`,
    }));
    topics.push({ slug, title, description: `Synthetic negotiation on ${subject}`, items, parties: [...engaged] });
    sims.push({
      slug,
      title,
      parties: [...engaged],
      items: new Map(items.map((i) => [i.slug, undefined])),
      nextItem: items.length + 1,
      open: [],
      ended: new Set(),
      recent: [],
    });
    const start = FIRST_DAY + int(LAST_DAY - FIRST_DAY - 5 * 365);
    const end = Math.min(LAST_DAY, start + 5 * 365 + int(20 * 365));
    // Log-normal activity: a few busy dossiers, many quieter ones.
    const gauss = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    windows.push({ start, end, weight: Math.exp(0.5 * gauss) });
  }
  const catalog: BenchCatalog = { parties, speakers, topics };

  // ---- Schedule: how many events each topic gets, on which days ------------------------------
  const totalWeight = windows.reduce((a, w) => a + w.weight, 0);
  const counts = windows.map((w) => Math.floor((options.events * w.weight) / totalWeight));
  for (
    let i = 0, left = options.events - counts.reduce((a, b) => a + b, 0);
    left > 0;
    i = (i + 1) % counts.length, left--
  )
    counts[i]++;
  const T = options.topics;
  // key = (day * 4096 + random tiebreak) * T + topic: sorting interleaves the topics by day.
  const keys = new Float64Array(options.events);
  let k = 0;
  windows.forEach((w, t) => {
    for (let i = 0; i < counts[t]; i++) keys[k++] = ((w.start + int(w.end - w.start + 1)) * 4096 + int(4096)) * T + t;
  });
  keys.sort();

  // ---- Events ----------------------------------------------------------------------------------
  mkdirSync(options.dir, { recursive: true });
  const eventsFile = join(options.dir, 'events.jsonl');
  const catalogFile = join(options.dir, 'catalog.json');
  writeFileSync(catalogFile, JSON.stringify(catalog, null, 1));
  const out = createWriteStream(eventsFile);
  let buffer: string[] = [];
  let bytes = 0;
  let lines = 0;
  const write = async (body: Record<string, unknown>) => {
    const line = JSON.stringify(body);
    buffer.push(line);
    bytes += Buffer.byteLength(line) + 1;
    lines++;
    if (buffer.length >= 2000) {
      if (!out.write(buffer.join('\n') + '\n'))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = [];
    }
  };
  const byType: Record<string, number> = {};
  let lateReports = 0;
  let monthPrecision = 0;
  let intervalPrecision = 0;
  // Late reports wait, by the day they were published, until the simulation reaches that day.
  const late: Record<string, unknown>[][] = [];
  let flushed = FIRST_DAY;
  const flushLate = async (upTo: number) => {
    for (; flushed <= upTo; flushed++) for (const body of late[flushed - FIRST_DAY] ?? []) await write(body);
  };

  let slot = 0;
  const newId = () => uuidv5(`${options.seed}:${slot}`, ID_NAMESPACE);
  const timeOn = (day: number) => day * DAY_MS + (6 + int(16)) * 3_600_000 + int(3_600_000);
  const others = (sim: TopicSim, actor: string, n: number) => {
    const rest = sim.parties.filter((p) => p !== actor);
    const chosen = new Set<string>();
    while (chosen.size < Math.min(n, rest.length)) chosen.add(pick(rest));
    return [...chosen];
  };
  const knownItem = (sim: TopicSim) => pick([...sim.items.keys()]);
  /** An item still on the table: demands and threats are made about those (one about an ended item would be moot at once, and never answered). */
  const liveItem = (sim: TopicSim) => pick([...sim.items.keys()].filter((item) => !sim.ended.has(item)));
  const itemTitle = (sim: TopicSim, item: string) => `${item} of ${sim.title}`;

  for (let i = 0; i < keys.length; i++, slot++) {
    const t = keys[i] % T;
    const day = Math.floor(keys[i] / T / 4096);
    await flushLate(day - 1);

    const sim = sims[t];
    let actor = pick(sim.parties);
    let type = weightedType(random());

    // When it happened: mostly a day; some vague (an interval ending today, or last month).
    let from = day;
    let to = day;
    let precision: 'day' | 'month' | 'interval' = 'day';
    const dom = new Date(day * DAY_MS).getUTCDate();
    const vague = random();
    if (dom <= 7 && vague < 0.12 && LATE_TYPES.has(type)) {
      const first = new Date(day * DAY_MS);
      const prevMonth = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() - 1, 1);
      from = Math.floor(prevMonth / DAY_MS);
      to = Math.floor(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 0) / DAY_MS);
      precision = 'month';
    } else if (vague < 0.05 && LATE_TYPES.has(type)) {
      from = day - 1 - int(10);
      precision = 'interval';
    }
    const answerable = (p: Pending) => p.available <= from;

    let refersTo: string | undefined;
    let targets: string[] = [];
    let payload: Record<string, unknown> = {};
    let summary = '';
    let refReported = 0;
    const refer = (p: { id: string; reported: number }) => {
      refersTo = p.id;
      refReported = p.reported;
    };

    // Each branch either builds its event or falls through to a statement.
    const own = (kind: Kind) => sim.open.filter((p) => p.actor === actor && p.kind === kind);
    const close = (p: Pending) => sim.open.splice(sim.open.indexOf(p), 1);
    /** A withdrawal of `p`: the proposer taking back its last proposal of an item ends the item, mooting what is about it. */
    const withdraw = (p: Pending) => {
      close(p);
      const lastOffer =
        p.kind === 'proposal' &&
        sim.items.get(p.item!) === actor &&
        !sim.open.some((o) => o.kind === 'proposal' && o.actor === actor && o.item === p.item);
      if (lastOffer) {
        for (const o of sim.open.filter((o) => o.item === p.item)) close(o);
        sim.ended.add(p.item!);
      }
    };
    if (type === 'proposal' || type === 'demand' || type === 'freeze_demand' || type === 'threat') {
      const mine = own(type);
      if (mine.length >= CAP[type]) {
        // The party drops its oldest answerable one before making another: a withdrawal.
        const oldest = mine.find(answerable);
        type = oldest ? 'withdrawal' : 'statement';
        if (oldest) {
          refer(oldest);
          withdraw(oldest);
          payload = chance(0.5) ? { reason: `superseded by a new ${oldest.kind.replace('_', ' ')}` } : {};
          summary = `${nameOf.get(actor)} withdraws its ${oldest.kind.replace('_', ' ')}.`;
        }
      }
    } else if (type === 'withdrawal') {
      const candidates = sim.open.filter((p) => p.actor === actor && answerable(p));
      const target = candidates.length ? pick(candidates) : undefined;
      if (target) {
        refer(target);
        withdraw(target);
        payload = chance(0.6) ? { reason: pick(REASONS) } : {};
        summary = `${nameOf.get(actor)} withdraws its ${target.kind.replace('_', ' ')}${target.item ? ` on ${target.item}` : ''}.`;
      } else type = 'statement';
    } else if (type === 'rejection') {
      const candidates = sim.open.filter((p) => p.actor !== actor && p.kind !== 'threat' && answerable(p));
      const target = candidates.length ? pick(candidates) : undefined;
      if (target) {
        refer(target);
        targets = [target.actor];
        payload = chance(0.7) ? { reason: pick(REASONS) } : {};
        summary = `${nameOf.get(actor)} rejects the ${target.kind.replace('_', ' ')} of ${nameOf.get(target.actor)}.`;
      } else type = 'statement';
    } else if (type === 'concession') {
      const candidates = sim.open.filter(
        (p) => (p.kind === 'demand' || p.kind === 'freeze_demand') && p.targets.includes(actor) && answerable(p),
      );
      const target = candidates.length ? pick(candidates) : undefined;
      if (target) {
        refer(target);
        close(target); // met
        targets = [target.actor];
        payload = { ...(target.item ? { item: target.item } : {}), terms: `agrees to ${pick(PLANS)}` };
        summary = `${nameOf.get(actor)} meets the demand of ${nameOf.get(target.actor)}.`;
      } else type = 'statement';
    } else if (type === 'agreement') {
      const candidates = sim.open.filter((p) => p.kind === 'proposal' && p.actor !== actor && answerable(p));
      const target = candidates.length ? pick(candidates) : undefined;
      if (target) {
        refer(target);
        target.agreedBy.add(actor);
        if (target.targets.every((p) => target.agreedBy.has(p))) close(target); // accepted
        targets = [target.actor];
        payload = chance(0.5) ? { terms: `accepts ${target.item}` } : {};
        summary = `${nameOf.get(actor)} accepts the proposal of ${nameOf.get(target.actor)} on ${target.item}.`;
      } else type = 'statement';
    } else if (type === 'correction' || type === 'retraction') {
      const pool =
        type === 'retraction'
          ? sim.recent.filter((r) => ['statement', 'endorsement', 'action', 'rejection'].includes(r.type))
          : sim.recent;
      const candidates = pool.filter((r) => r.available <= day);
      const target = candidates.length ? pick(candidates) : undefined;
      if (target) {
        refer(target);
        actor = target.actor; // a record about a record is by the record's actor (decide)
        if (type === 'retraction') {
          sim.recent.splice(sim.recent.indexOf(target), 1);
          payload = { reason: 'the source withdrew the report' };
          summary = `The earlier report was withdrawn by its source.`;
        } else {
          const shiftDate =
            target.dayPrecision && ['statement', 'endorsement', 'action'].includes(target.type) && chance(0.4);
          const changes = shiftDate
            ? { occurred: isoDay(target.from - 1 - int(3)) }
            : { summary: `Corrected: ${pick(REASONS)}.` };
          payload = {
            reason: shiftDate ? 'the source gave the wrong date' : 'the source corrected its wording',
            changes,
          };
          summary = `A correction of an earlier record.`;
        }
      } else type = 'statement';
    }

    // The types that open something, and the rest.
    const isNew = type === 'proposal' || type === 'demand' || type === 'freeze_demand' || type === 'threat';
    const id = newId();
    if (type === 'proposal') {
      const free = [...sim.items]
        .filter(([, proposer]) => proposer === undefined || proposer === actor)
        .map(([slug]) => slug);
      let item: string;
      if (free.length === 0 || chance(0.3)) {
        item = `plan-${sim.nextItem++}`;
        sim.items.set(item, actor);
        payload = { item, itemTitle: itemTitle(sim, item), terms: `proposes ${pick(PLANS)}` };
      } else {
        item = pick(free);
        sim.items.set(item, actor);
        payload = { item, terms: `proposes ${pick(PLANS)} under ${item}` };
      }
      sim.ended.delete(item); // its proposer puts it back on the table
      targets = others(sim, actor, 1 + int(2));
      summary = `${nameOf.get(actor)} proposes ${pick(PLANS)} on ${item}.`;
      // It restates the party's standing proposals of the item: they are superseded.
      for (const p of own('proposal').filter((p) => p.item === item)) close(p);
    } else if (type === 'demand' || type === 'freeze_demand') {
      targets = others(sim, actor, 1 + int(2));
      const item = chance(0.6) ? liveItem(sim) : undefined;
      payload =
        type === 'demand'
          ? { ...(item ? { item } : {}), demand: `${pick(PLANS)} before any further step` }
          : {
              ...(item ? { item } : {}),
              action: `work on ${item ?? pick(PLANS)}`,
              ...(chance(0.5) ? { condition: 'while talks continue' } : {}),
            };
      summary = `${nameOf.get(actor)} demands that ${targets.map((p) => nameOf.get(p)).join(' and ')} ${type === 'freeze_demand' ? 'freeze' : 'accept'} ${item ?? 'its terms'}.`;
      // The same demand made again (same item and targets) restates the standing one: it is superseded.
      const same = (p: Pending) =>
        item !== undefined &&
        p.item === item &&
        p.targets.length === targets.length &&
        p.targets.every((x) => targets.includes(x));
      for (const p of own(type).filter(same)) close(p);
    } else if (type === 'threat') {
      targets = others(sim, actor, 1);
      const item = chance(0.5) ? liveItem(sim) : undefined;
      payload = {
        ...(item ? { item } : {}),
        counterMeasure: pick(COUNTER),
        ...(chance(0.5) ? { condition: `if ${item ?? 'the plan'} goes ahead` } : {}),
      };
      summary = `${nameOf.get(actor)} threatens to ${payload.counterMeasure as string}.`;
    } else if (type === 'endorsement') {
      const items = [...sim.items]
        .filter(([, proposer]) => proposer !== undefined && proposer !== actor)
        .map(([slug]) => slug);
      const item = items.length ? pick(items) : knownItem(sim);
      payload = { item };
      summary = `${nameOf.get(actor)} backs ${item}.`;
    } else if (type === 'action') {
      targets = chance(0.6) ? others(sim, actor, 1) : [];
      const act = pick(ACTS);
      payload = { ...(chance(0.3) ? { item: knownItem(sim) } : {}), act };
      summary = `${nameOf.get(actor)} ${act}.`;
    } else if (type === 'statement') {
      const stance = pick(STANCES);
      const item = chance(0.7) ? knownItem(sim) : undefined;
      targets = chance(0.3) ? others(sim, actor, 1) : [];
      payload = { ...(item ? { item } : {}), stance, ...(chance(0.6) ? { reason: pick(REASONS) } : {}) };
      summary = `${nameOf.get(actor)} ${stance === 'neutral' ? 'stays neutral on' : stance === 'conditional' ? 'sets conditions on' : stance} ${item ?? 'the talks'}.`;
    }

    // Reported the same day or soon after; a few are reported months or years later.
    const isLate = LATE_TYPES.has(type) && precision === 'day' && chance(LATE_SHARE);
    const reportDay = isLate
      ? Math.min(LAST_DAY, day + 30 + Math.floor(random() ** 2 * 1500))
      : day + (chance(0.7) ? 0 : chance(0.8) ? 1 : 2 + int(2));
    const reported = Math.max(timeOn(Math.min(reportDay, LAST_DAY)), refReported);
    const reportedAt = new Date(reported).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const speaker = pick(speakersOf.get(actor)!);
    const publishedAt = reportedAt.slice(0, 10);
    const body: Record<string, unknown> = {
      id,
      topic: sim.slug,
      type,
      actor,
      ...(targets.length ? { targets } : {}),
      ...(type === 'correction' || type === 'retraction' ? {} : { speaker }),
      occurred:
        precision === 'day'
          ? isoDay(from)
          : precision === 'month'
            ? isoDay(from).slice(0, 7)
            : `${isoDay(from)}/${isoDay(to)}`,
      reportedAt,
      source: {
        publisher: pick(PUBLISHERS),
        title: `${nameOf.get(actor)} and the ${sim.title.toLowerCase()}`,
        ...(chance(0.5) ? { author: `${pick(['J.', 'K.', 'L.', 'P.', 'R.'])} ${pick(SURNAMES)}` } : {}),
        url: `https://news.example.org/${publishedAt.replaceAll('-', '/')}/${id.slice(0, 8)}`,
        publishedAt,
      },
      ...(chance(0.5) && type !== 'correction' && type !== 'retraction'
        ? { quote: `We will not accept ${pick(PLANS)} without guarantees` }
        : {}),
      summary,
      ...(refersTo ? { refersTo } : {}),
      payload,
    };
    byType[type] = (byType[type] ?? 0) + 1;
    if (precision === 'month') monthPrecision++;
    if (precision === 'interval') intervalPrecision++;

    if (isLate) {
      lateReports++;
      (late[reportDay - FIRST_DAY] ??= []).push(body);
      continue; // nothing may refer to it: it is not written yet
    }
    await write(body);
    if (isNew) {
      sim.open.push({
        id,
        kind: type as Kind,
        actor,
        targets,
        item: payload.item as string | undefined,
        available: to + 1,
        reported,
        agreedBy: new Set(),
      });
    }
    if (type !== 'correction' && type !== 'retraction') {
      sim.recent.push({ id, type, actor, from, available: to + 1, reported, dayPrecision: precision === 'day' });
      if (sim.recent.length > 40) sim.recent.shift();
    }
  }
  await flushLate(LAST_DAY);
  if (buffer.length) out.write(buffer.join('\n') + '\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { eventsFile, catalogFile, catalog, lines, bytes, byType, lateReports, monthPrecision, intervalPrecision };
}

function weightedType(r: number): string {
  let left = r * MIX_TOTAL;
  for (const [type, weight] of MIX) if ((left -= weight) <= 0) return type;
  return 'statement';
}

// Run alone: node dist/bench/generate.js --events N --out DIR [--topics N --parties N --seed N]
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const outIndex = process.argv.indexOf('--out');
  const dir = outIndex > 0 ? process.argv[outIndex + 1] : 'bench-data';
  const started = Date.now();
  generate({
    events: arg('events', 1_000_000),
    topics: arg('topics', 1000),
    parties: arg('parties', 200),
    seed: arg('seed', 42),
    dir,
  })
    .then((data) =>
      console.log(
        `${data.lines} lines (${(data.bytes / 1e6).toFixed(0)} MB) in ${data.eventsFile}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        data.byType,
        { late: data.lateReports, month: data.monthPrecision, interval: data.intervalPrecision },
      ),
    )
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
