import type { ArticleFile } from './seed-files.js';

/**
 * The coverage ledger of a seed article (seeds/coverage/<article>.json, seeds/README.md): every
 * sentence of the article, numbered, with the events recorded from it or the reason none is.
 * The sentences come from the article's text by one rule (`sentencesOf`), so a test can hold the
 * ledger to the text, and its keys to the seed files.
 */

/** Why no event is recorded from a sentence: a closed list, so the ledger says one of these. */
export const NO_EVENT_REASONS = [
  /** A headline, byline, dateline, section heading, site notice, page marker or copyright line. */
  'furniture',
  /** Context that states no position or act of a party: a scene, who was present, what a treaty did. */
  'background',
  /** The author's own judgement or framing, kept out of every party's position. */
  'editorial',
  /** A claim already recorded from another sentence: `repeats` names its events. */
  'repetition',
  /** Meetings or acts still ahead when the article was published: not events yet. */
  'ahead',
] as const;
export type NoEventReason = (typeof NO_EVENT_REASONS)[number];

export interface LedgerSentence {
  readonly n: number;
  readonly text: string;
  /** The keys of the events recorded from this sentence (in the article's seed file). */
  readonly recorded?: readonly string[];
  /** Why nothing new is recorded from it. */
  readonly none?: NoEventReason;
  /** With `none: "repetition"`: the events it repeats. */
  readonly repeats?: readonly string[];
  /** Anything a reader should know: what was left out of a sentence something was recorded from, and why. */
  readonly note?: string;
}

export interface Ledger {
  /** The article's text file (in ../shared/articles/). */
  readonly article: string;
  /** Its seed file (in seeds/articles/). */
  readonly seeds: string;
  readonly sentences: readonly LedgerSentence[];
}

const SENTENCE_END = /[.?!]["”’')\]]*$/;
const ENDS_A_LINE_OF_PROSE = /[.?!,;:\-–—"”’]$/;
/** Words that stay lower case in a heading ("Putin Offers to Join Missile Shield Effort"). */
const SMALL_WORDS = new Set(['a', 'an', 'and', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to']);
/** Abbreviations the articles use that end with a full stop but end no sentence. */
const ABBREVIATIONS = new Set(['U.S.', 'Sen.', 'Gen.', 'Prof.', 'Brig.', 'Mr.', 'Dr.', 'St.', 'Jr.', 'Oct.', 'Aug.']);

const isHeading = (line: string) =>
  !ENDS_A_LINE_OF_PROSE.test(line) && line.split(/\s+/).every((word) => SMALL_WORDS.has(word) || !/^[a-z]/.test(word));

/** Running lines as one text: a word broken at a line end ("bal-" / "listic") is joined again. */
function joinLines(lines: readonly string[]): string {
  return lines.reduce((text, line) =>
    /\p{L}-$/u.test(text) && /^\p{Ll}/u.test(line) ? text.slice(0, -1) + line : `${text} ${line}`,
  );
}

/** A text cut after each full stop, question or exclamation mark that ends a sentence. */
function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const words = text.split(' ');
  let current: string[] = [];
  words.forEach((word, i) => {
    current.push(word);
    const next = words[i + 1];
    const ends =
      next !== undefined &&
      SENTENCE_END.test(word) &&
      /^[\p{Lu}\d“"‘(]/u.test(next) &&
      !ABBREVIATIONS.has(word) &&
      !/^\p{Lu}\.$/u.test(word) && // an initial: "Theodore A. Postol"
      !(word === '.' && words[i - 1] === '.'); // an ellipsis: ". . . It's"
    if (ends || next === undefined) {
      sentences.push(current.join(' '));
      current = [];
    }
  });
  return sentences;
}

/**
 * The sentences of an article, by one rule (seeds/README.md, "Coverage ledgers"):
 * - whitespace is collapsed and blank lines are ignored (in the October article a column break
 *   falls inside sentences);
 * - a heading is a line of its own: it follows the end of a sentence (or another heading, or
 *   starts the text), does not end like prose (no final . ? ! , ; : dash or quote), does not end
 *   with a space (the October article's layout leaves one where it broke a line of prose, as in
 *   "Russian Foreign Minister Sergei "), and all its words but a, an, and, at, by, for, in, of,
 *   on, or, the, to start with no lower-case letter (titles, bylines, datelines, section heads,
 *   "CONTINUED 1 >", the copyright line);
 * - other lines run together, a word broken by a hyphen at a line end joined again (so a real
 *   hyphen that fell at a line end is lost: "high-precision" reads "highprecision");
 * - a sentence ends after . ? or ! (with any closing quotes or brackets) when the next word starts
 *   with a capital, a digit or an opening quote, except after an abbreviation the articles use
 *   (U.S., Sen., Gen., Prof., Brig., Mr., Dr., St., Jr., Oct., Aug.), an initial ("A.") or inside
 *   an ellipsis (". . ."). Sentences inside a quotation count as sentences.
 */
export function sentencesOf(article: string): string[] {
  const lines = article
    .split('\n')
    .map((raw) => ({ line: raw.replace(/\s+/g, ' ').trim(), broken: / $/.test(raw) }))
    .filter(({ line }) => line !== '');
  const sentences: string[] = [];
  let running: string[] = [];
  const flush = () => {
    if (running.length) sentences.push(...splitSentences(joinLines(running)));
    running = [];
  };
  for (const { line, broken } of lines) {
    const previous = running.at(-1);
    if ((previous === undefined || SENTENCE_END.test(previous)) && !broken && isHeading(line)) {
      flush();
      sentences.push(line);
    } else running.push(line);
  }
  flush();
  return sentences;
}

/** One line per thing wrong with a ledger, against its article's text and the seed files. */
export function ledgerProblems(
  ledger: Ledger,
  articleText: string,
  article: ArticleFile,
  allKeys: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const expected = sentencesOf(articleText);
  const got = ledger.sentences.map((s) => s.text);
  expected.forEach((text, i) => {
    if (got[i] !== text) problems.push(`sentence ${i + 1} of the article is "${text}", the ledger has "${got[i]}"`);
  });
  if (got.length > expected.length) problems.push(`the ledger has ${got.length} sentences, the article ${expected.length}`);
  ledger.sentences.forEach((s, i) => {
    const where = `sentence ${s.n}`;
    if (s.n !== i + 1) problems.push(`${where} is numbered out of order (expected ${i + 1})`);
    const recorded = s.recorded ?? [];
    if (recorded.length === 0 && s.none === undefined) problems.push(`${where} records nothing and gives no reason`);
    if (recorded.length > 0 && s.none !== undefined) problems.push(`${where} records events and gives a reason not to`);
    if (s.none !== undefined && !(NO_EVENT_REASONS as readonly string[]).includes(s.none))
      problems.push(`${where}: "${s.none}" is not one of ${NO_EVENT_REASONS.join(', ')}`);
    if ((s.none === 'repetition') !== (s.repeats !== undefined && s.repeats.length > 0))
      problems.push(`${where}: a repetition, and only a repetition, names the events it repeats`);
    for (const key of [...recorded, ...(s.repeats ?? [])])
      if (!allKeys.has(key)) problems.push(`${where} names "${key}", which no seed file has`);
  });
  // Every event recorded from the article (not a record about a record, nor one it retracts) has a sentence.
  const named = new Set(ledger.sentences.flatMap((s) => s.recorded ?? []));
  const retracted = new Set(article.events.filter((e) => e.type === 'retraction').map((e) => e.refersTo));
  for (const event of article.events) {
    if (event.source || ['correction', 'retraction', 'report'].includes(event.type) || retracted.has(event.key)) continue;
    if (!named.has(event.key)) problems.push(`the event "${event.key}" is recorded from no sentence`);
  }
  return problems;
}
