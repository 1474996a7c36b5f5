import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Ledger, ledgerProblems, sentencesOf } from './coverage.js';
import { readArticles } from './seed-files.js';

/**
 * The articles' texts, as the corpus was made from them: copies in seeds/sources/, so a fresh
 * clone checks its ledgers too (the ledgers quote every sentence anyway). STANCE_ARTICLES_DIR names
 * another place; where the originals sit beside the project (../shared/articles), the copies
 * must be identical to them.
 */
const ARTICLES_DIR = process.env.STANCE_ARTICLES_DIR ?? 'seeds/sources';
const ORIGINALS_DIR = '../shared/articles';

describe('sentencesOf: the rule that numbers an article', () => {
  it('keeps headings, bylines and page furniture as lines of their own', () => {
    expect(sentencesOf('A Headline to Read\n\nBy Jane Q. Writer\nFriday, June 8, 2007\n\nThe text starts. It ends.\nCONTINUED 1 >\n')).toEqual([
      'A Headline to Read',
      'By Jane Q. Writer',
      'Friday, June 8, 2007',
      'The text starts.',
      'It ends.',
      'CONTINUED 1 >',
    ]);
  });

  it('runs lines of prose together across blank lines, joining words broken at a line end', () => {
    expect(sentencesOf('The talks on bal-\nlistic missile defense met at the Bush \n\nfamily estate. Then they left.')).toEqual([
      'The talks on ballistic missile defense met at the Bush family estate.',
      'Then they left.',
    ]);
  });

  it('takes a line the layout broke (it ends with a space) for prose, even in capitals', () => {
    expect(sentencesOf('It was a signal.\n\nRussian Foreign Minister Sergei \nLavrov was blunt.')).toEqual([
      'It was a signal.',
      'Russian Foreign Minister Sergei Lavrov was blunt.',
    ]);
  });

  it('ends no sentence at an abbreviation, an initial or an ellipsis, and ends one inside a quotation', () => {
    expect(
      sentencesOf(
        'Sen. Lugar spoke on Oct. 8 with Prof. Theodore A. Postol of the U.S. Army. He said "it is tense. . . . It is better so. We agree." Then he left.',
      ),
    ).toEqual([
      'Sen. Lugar spoke on Oct. 8 with Prof. Theodore A. Postol of the U.S. Army.',
      'He said "it is tense. . . . It is better so.',
      'We agree."',
      'Then he left.',
    ]);
  });
});

describe('the coverage ledgers of the seed articles (seeds/coverage/)', () => {
  const ledgers = readdirSync('seeds/coverage')
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join('seeds/coverage', f), 'utf8')) as Ledger);

  it('reads copies of the articles identical to the originals, where these are at hand', () => {
    const copies = readdirSync('seeds/sources').sort();
    expect(copies).toHaveLength(ledgers.length);
    if (!existsSync(ORIGINALS_DIR)) return; // a clone elsewhere: the copies are all there is
    expect(readdirSync(ORIGINALS_DIR).sort()).toEqual(copies);
    for (const file of copies)
      expect(readFileSync(join('seeds/sources', file), 'utf8')).toBe(readFileSync(join(ORIGINALS_DIR, file), 'utf8'));
  });

  it('has one ledger per seed article', async () => {
    const articles = (await readArticles('seeds')).map((a) => `articles/${a.file}`);
    expect(ledgers.map((l) => l.seeds).sort()).toEqual(articles.sort());
  });

  it.each(ledgers.map((l) => [l.article, l] as const))(
    '%s: every sentence is accounted for, every key exists, every event has its sentence',
    async (_name, ledger) => {
      const path = join(ARTICLES_DIR, ledger.article);
      if (!existsSync(path)) throw new Error(`the article ${path} is missing: set STANCE_ARTICLES_DIR to its folder`);
      const articles = await readArticles('seeds');
      const allKeys = new Set(articles.flatMap((a) => a.article.events.map((e) => e.key)));
      const own = articles.find((a) => `articles/${a.file}` === ledger.seeds)!.article;
      expect(ledgerProblems(ledger, readFileSync(path, 'utf8'), own, allKeys)).toEqual([]);
    },
  );

  it('finds what is wrong with a ledger: a missing sentence, a sentence without a reason, an unknown key', async () => {
    const [{ article }] = await readArticles('seeds');
    const text = 'The first. The second. The third.';
    const ledger: Ledger = {
      article: 'x.txt',
      seeds: 'articles/x.json',
      sentences: [
        { n: 1, text: 'The first.', recorded: ['nowhere/at-all'] },
        { n: 2, text: 'The second.' },
      ],
    };
    expect(ledgerProblems(ledger, text, { ...article, events: [] }, new Set())).toEqual([
      'sentence 3 of the article is "The third.", the ledger has "undefined"',
      'sentence 1 names "nowhere/at-all", which no seed file has',
      'sentence 2 records nothing and gives no reason',
    ]);
    const repetition: Ledger = { ...ledger, sentences: [{ n: 1, text: 'The first.', none: 'repetition' }] };
    expect(ledgerProblems(repetition, 'The first.', { ...article, events: [] }, new Set())).toEqual([
      'sentence 1: a repetition, and only a repetition, names the events it repeats',
    ]);
  });
});
