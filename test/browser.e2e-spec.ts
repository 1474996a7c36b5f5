import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Locator, Page } from 'playwright-core';
import request from 'supertest';
import { SeedLoader } from '../src/diplomacy/seeds/seed-loader.js';
import { WebController } from '../src/web/web.module.js';
import { buildWebPage, CHROMIUM, chromiumInstalled, launchChromium, watchPage } from './support/browser.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const SHOTS = 'test-results';
const TOPIC = 'missile-defense-europe';
const VIEWPORTS = [
  [1440, 900],
  [390, 844],
] as const;

/** Waits until the grid and the position cards show this day (and this knownAt, '' for all records). */
async function cardsShow(page: Page, day: string, knownAt: string): Promise<void> {
  await page.waitForFunction(
    ([d, k]) =>
      [document.getElementById('cards'), document.getElementById('grid')].every(
        (part) => part?.dataset.day === d && part.dataset.knownAt === k,
      ),
    [day, knownAt],
  );
}

/** Both screenshots of a state: on a laptop (1440x900) and on a phone (390x844), scrolled to what it is about. */
async function screenshots(page: Page, name: string, about?: Locator): Promise<void> {
  const before = page.viewportSize();
  for (const [width, height] of VIEWPORTS) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    if (about) await about.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    else await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/browser-${name}-${width}x${height}.png` });
  }
  if (before) await page.setViewportSize(before);
}

/** Elements wider than the page at 390 px: what makes a phone scroll sideways or overlap. */
async function overflowing(page: Page): Promise<string[]> {
  await page.setViewportSize({ width: 390, height: 844 });
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main *:not(svg *), header *')]
      .filter((e) => e.offsetParent !== null && !e.closest('.grid-wrap, .table-wrap, .timeline, .chart, .date-box'))
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className}`),
  );
}

/** The app with the seed corpus, listening for the browser. */
interface Site {
  readonly t: TestApp;
  readonly origin: string;
}

async function startSite(): Promise<Site> {
  const t = await startTestApp();
  await t.app.get(SeedLoader).load();
  await t.app.listen(0, '127.0.0.1');
  return { t, origin: `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}` };
}

async function open(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready]');
}

/** Shows the topic on that day, with every record, by typing the day into the date field. */
async function showTopicAt(page: Page, day: string): Promise<void> {
  await page.selectOption('#topic-select', TOPIC);
  await page.waitForSelector(`#event-list li[data-type="freeze_demand"]`);
  await page.locator('#topic-date').fill(day);
  await page.locator('#topic-date').press('Enter');
  await cardsShow(page, day, '');
}

/** Russia's position on all its topics on 14 October 2007, and what changed since 1 June. */
async function showRussia(page: Page): Promise<void> {
  await page.locator('nav a', { hasText: 'Party' }).click();
  await page.selectOption('#party-select', 'russia');
  await page.locator('#party-at').fill('14 October 2007');
  await page.locator('#party-at').press('Enter');
  await page.locator('#party-since').fill('2007-06-01');
  await page.locator('#party-since').press('Enter');
  await page.waitForFunction(() =>
    document.getElementById('party-changes-heading')?.textContent?.includes('1 June 2007 to 14 October 2007'),
  );
  await page.waitForFunction(() =>
    document.getElementById('party-positions-heading')?.textContent?.includes('14 October 2007'),
  );
}

async function showRelationsOfRussiaToTheUS(page: Page): Promise<void> {
  await page.locator('nav a', { hasText: 'Cooperation and conflict' }).click();
  await page.selectOption('#relations-actor', 'russia');
  await page.selectOption('#relations-target', 'united-states');
  await page.waitForFunction(() => document.querySelectorAll('#relations-means tbody tr').length > 1);
}

/** Posts, through the API, Baluyevsky's threat to station missiles near the Polish border; answers its id. */
async function postThreat({ t, origin }: Site): Promise<string> {
  const response = await fetch(`${origin}/events`, {
    method: 'POST',
    headers: { ...t.auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      topic: TOPIC,
      type: 'threat',
      actor: 'russia',
      targets: ['united-states', 'poland'],
      speaker: { name: 'Yuri Baluyevsky', role: 'Chief of the General Staff of Russia' },
      occurred: '2007-10-14',
      source: { publisher: 'Browser test wire', title: 'A live report', publishedAt: '2007-10-14' },
      quote: 'We will have to respond',
      summary:
        'Baluyevsky warned that Russia would station missiles near the Polish border if the third site is built.',
      payload: {
        item: 'us-third-site',
        counterMeasure: 'station missiles near the Polish border',
        condition: 'if the third site is built',
      },
    }),
  });
  expect(response.status).toBe(201);
  const { event } = (await response.json()) as { event: { id: string } };
  return event.id;
}

// CI always runs it (.ci/run installs Chromium); a newcomer's machine without Chromium is told how to get it.
const inChromium = chromiumInstalled() || process.env.CI ? describe : describe.skip;
if (!chromiumInstalled() && !process.env.CI) {
  console.warn(`Skipping the browser test: ${CHROMIUM} is missing (install it with "apt-get install -y chromium").`);
}

inChromium('the timeline page in Chromium', () => {
  // Tests that only read share one site; each gets a page of its own. A test that posts an event
  // gets a site of its own, and closes its page first: the page's event stream keeps the server open.
  let site: Site;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildWebPage();
    site = await startSite();
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.t.close();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  });
  afterEach(() => page.close());

  it('opens on the busiest topic at its latest date, and a shared address opens the same view', async () => {
    await open(page, site.origin);
    // The missile-defense dossier holds most of the seed events; its last event is dated 3 April 2008.
    expect(await page.locator('#topic-select').inputValue()).toBe(TOPIC);
    await cardsShow(page, '2008-04-03', '');
    expect(await page.locator('#topic-date').inputValue()).toBe('3 April 2008');
    expect(page.url()).toContain(`#view=topic&topic=${TOPIC}&at=2008-04-03`);
    expect(await page.locator('.timeline .vis-item.ev').count()).toBeGreaterThan(20);
    expect(await page.locator('.vis-label', { hasText: 'Russia' }).count()).toBe(1);
    expect(await page.locator('#legend li', { hasText: 'Freeze demand' }).count()).toBe(1);
    await screenshots(page, 'opened');

    // Someone sends the address of a view: the date, and what was publicly known a week later.
    const shared = `${site.origin}/#view=topic&topic=${TOPIC}&at=2007-10-14&knownAt=2007-10-20`;
    await page.goto(shared);
    await page.waitForSelector('body[data-ready]');
    await cardsShow(page, '2007-10-14', '2007-10-20');
    const grid = await page.locator('#grid').innerText();
    const other = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    try {
      await open(other, site.origin); // another tab, at the default view first
      await other.goto(shared);
      await cardsShow(other, '2007-10-14', '2007-10-20');
      expect(await other.locator('#grid').innerText()).toBe(grid);
      expect(await other.locator('#topic-date').inputValue()).toBe('14 October 2007');
      expect(await other.locator('#known-at').isChecked()).toBe(true);
      expect(await other.locator('#known-at-date').inputValue()).toBe('20 October 2007');
      expect(await other.locator('#grid-heading').textContent()).toBe(
        'Where everyone stood on 14 October 2007 as publicly known on 20 October 2007',
      );
      await screenshots(other, 'shared-address', other.locator('#grid'));
    } finally {
      await other.close();
    }

    // The party view keeps its party, date and comparison date in the address too.
    await page.goto(`${site.origin}/#view=party&party=poland&at=2007-10-14&since=2007-06-01`);
    await page.waitForFunction(() =>
      document.getElementById('party-changes-heading')?.textContent?.includes('1 June 2007 to 14 October 2007'),
    );
    expect(await page.locator('#party-select').inputValue()).toBe('poland');
    expect(await page.locator('#party-positions-heading').textContent()).toBe('Positions of Poland on 14 October 2007');
  });

  it('types a date and reads the grid; the slider steps from event to event', async () => {
    await open(page, site.origin);
    await page.locator('#topic-date').fill('14 October 2007');
    await page.locator('#topic-date').press('Enter');
    await cardsShow(page, '2007-10-14', '');
    expect(page.url()).toContain('at=2007-10-14');
    expect(await page.locator('#date-slider').getAttribute('aria-valuetext')).toBe('14 October 2007');
    const russia = page.locator('#grid tr[data-party="russia"]');
    expect(await russia.locator('td[data-item="us-third-site"]').textContent()).toContain('opposes');
    // A cell's button shows the evidence of the stance.
    await russia.locator('td[data-item="us-third-site"] button').first().click();
    expect(await page.locator('#details .event-details').count()).toBe(1);
    expect(await page.locator('#details .event-details .details-head').textContent()).toContain('Russia');
    await screenshots(page, 'grid-2007-10-14', page.locator('#grid'));

    // The arrow keys on the slider go to the next and previous days with events, not the next day.
    const days = await page.evaluate(() =>
      [...new Set([...document.querySelectorAll<HTMLOptionElement>('#event-days option')].map((o) => Number(o.value)))]
        .sort((a, b) => a - b)
        .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10)),
    );
    const next = days.find((d) => d > '2007-10-14')!;
    await page.locator('#date-slider').press('ArrowRight');
    await cardsShow(page, next, '');
    await page.locator('#date-slider').press('ArrowLeft');
    await cardsShow(page, days.filter((d) => d < next).at(-1)!, '');
    // With Shift, a day at a time.
    await page.locator('#topic-date').fill('2007-10-14');
    await page.locator('#topic-date').press('Enter');
    await cardsShow(page, '2007-10-14', '');
    await page.locator('#date-slider').press('Shift+ArrowRight');
    await cardsShow(page, '2007-10-15', '');

    // A date that is no day is marked, and changes nothing.
    await page.locator('#topic-date').fill('31 September 2007');
    await page.locator('#topic-date').press('Enter');
    expect(await page.locator('#topic-date').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#grid').getAttribute('data-day')).toBe('2007-10-15');
  });

  it("shows the freeze demand on Russia's card, with its evidence", async () => {
    await open(page, site.origin);
    await showTopicAt(page, '2007-10-14');
    const freeze = page.locator('.card[data-party="russia"] .card-part.freeze');
    expect(await freeze.locator('h5').textContent()).toBe('Freeze demanded');
    expect(await freeze.textContent()).toMatch(/Freeze .*Poland/);
    expect(await freeze.textContent()).toContain('Sergei Lavrov');
    // Restated twice, it is listed once; the United States refused it at the talks of the 12th (public record).
    expect(await freeze.locator('li').count()).toBe(1);
    expect(await freeze.textContent()).toMatch(/refused by (the )?United States on 12 October 2007/);
    // The other side sees the same demand addressed to it.
    expect(await page.locator('.card[data-party="united-states"] .card-part.freeze-on').textContent()).toContain(
      'Russia demands a freeze',
    );
    // A source button shows the quote, speaker and source of the evidence.
    await freeze.locator('button.evidence', { hasText: 'Sergei Lavrov' }).first().click();
    const details = page.locator('#details .event-details');
    expect(await details.locator('.details-head').textContent()).toContain('Freeze demand');
    expect(await details.locator('blockquote').count()).toBe(1);
    expect(await details.textContent()).toContain('Sergei Lavrov');
    expect(await details.textContent()).toContain('Reported31 October 2007');
    // Why the date is what it is: the corrected date of the talks, from the public record.
    expect(await details.textContent()).toContain('Dated by');
  });

  it("shows Russia's re-targeting threat on the card of the United States, against which it was made, and its withdrawal", async () => {
    await open(page, site.origin);
    await showTopicAt(page, '2007-06-06');
    const against = page.locator('.card[data-party="united-states"] .card-part.threats-on');
    expect(await against.locator('h5').textContent()).toBe('Threats against it');
    expect(await against.locator('li').count()).toBe(1);
    expect(await against.textContent()).toContain('Russia: re-aim some Russian nuclear missiles at targets in Europe');
    expect(await against.locator('button.evidence', { hasText: 'Vladimir Putin' }).count()).toBe(1);
    // It is Russia's threat, not the United States' own.
    expect(await page.locator('.card[data-party="united-states"] .card-part.threats').count()).toBe(0);
    expect(await page.locator('.card[data-party="united-states"] .summary').textContent()).toContain(
      'faced the threat of Russia to re-aim some Russian nuclear missiles at targets in Europe',
    );
    await screenshots(page, 'threat-against-us', page.locator('.card[data-party="united-states"]'));

    // Withdrawn on 7 June: no longer against it, shown closed, naming who threatened.
    await page.locator('#topic-date').fill('2007-06-08');
    await page.locator('#topic-date').press('Enter');
    await cardsShow(page, '2007-06-08', '');
    expect(await page.locator('.card[data-party="united-states"] .card-part.threats-on').count()).toBe(0);
    expect(await page.locator('.card[data-party="united-states"] .card-part.turning').textContent()).toMatch(
      /Threat by Russia to re-aim some Russian nuclear missiles at targets in Europe .*withdrawn by Russia on 7 June 2007/,
    );
  });

  it("lists a party's retracted records on its card only from the day they began", async () => {
    await open(page, site.origin);
    await showTopicAt(page, '2008-04-03');
    const retracted = page.locator('.card[data-party="russia"] .card-part.retracted');
    expect(await retracted.locator('summary').textContent()).toMatch(/^2 retracted/);
    expect(await retracted.locator('li').count()).toBe(2);
    // Both began on 1 March 2008: in October 2007 the card lists none.
    await showTopicAt(page, '2007-10-14');
    expect(await page.locator('.card[data-party="russia"] .card-part.retracted').count()).toBe(0);
  });

  it('"as publicly known on" a date of its own hides what was reported later', async () => {
    await open(page, site.origin);
    await showTopicAt(page, '2007-10-14');
    expect(await page.locator('.card[data-party="russia"] .card-part.freeze').count()).toBe(1);
    await page.locator('#known-at').check();
    // It starts at the positions' date, and takes a date of its own.
    await cardsShow(page, '2007-10-14', '2007-10-14');
    await page.locator('#known-at-date').fill('20 October 2007');
    await page.locator('#known-at-date').press('Enter');
    await cardsShow(page, '2007-10-14', '2007-10-20');
    expect(page.url()).toContain('knownAt=2007-10-20');
    // The October article came out on 31 October: on the 20th nobody had read of the freeze demand.
    expect(await page.locator('.card[data-party="russia"]').count()).toBe(1);
    expect(await page.locator('.card[data-party="russia"] .card-part.freeze').count()).toBe(0);
    expect(await page.locator('#positions-heading').textContent()).toContain('as publicly known on 20 October 2007');
    expect(await page.locator('#event-list li[data-type="freeze_demand"].ev-unreported').count()).toBeGreaterThan(0);
    expect(await page.locator('.timeline .vis-item.ev-freeze_demand.ev-unreported').count()).toBeGreaterThan(0);
    await screenshots(page, 'known-at-2007-10-20', page.locator('#grid'));

    // Known on 1 November, the freeze demand is back though the positions' date has not moved.
    await page.locator('#known-at-date').fill('2007-11-01');
    await page.locator('#known-at-date').press('Enter');
    await cardsShow(page, '2007-10-14', '2007-11-01');
    expect(await page.locator('.card[data-party="russia"] .card-part.freeze').count()).toBe(1);
    await page.locator('#known-at').uncheck();
    await cardsShow(page, '2007-10-14', '');
    expect(page.url()).not.toContain('knownAt');
  });

  it('"as publicly known on" lists each event as it stood then: a later correction does not reword it, a later retraction does not hide it', async () => {
    const own = await startSite();
    try {
      const post = async (body: Record<string, unknown>) => {
        const response = await fetch(`${own.origin}/events`, {
          method: 'POST',
          headers: { ...own.t.auth, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            topic: TOPIC,
            actor: 'russia',
            targets: ['united-states'],
            speaker: { name: 'Vladimir Putin', role: 'President of Russia' },
            quote: 'As reported',
            reportedAt: body.occurred,
            ...body,
          }),
        });
        expect(response.status).toBe(201);
        return ((await response.json()) as { event: { id: string } }).event.id;
      };
      const source = (day: string) => ({ publisher: 'Browser test wire', title: `Report of ${day}`, publishedAt: day });
      const threat = await post({
        type: 'threat',
        targets: ['united-states', 'poland'],
        occurred: '2007-10-14',
        source: source('2007-10-14'),
        summary: 'Baluyevsky warned that Russia would station missiles near the Polish border.',
        payload: { item: 'us-third-site', counterMeasure: 'station missiles near the Polish border' },
      });
      await post({
        type: 'correction',
        refersTo: threat,
        occurred: '2007-10-25',
        source: source('2007-10-25'),
        summary: 'Correction: the threat named Lithuania too.',
        payload: { reason: 'a fuller transcript', changes: { summary: 'Baluyevsky named the Lithuanian border too.' } },
      });
      const stance = await post({
        type: 'statement',
        occurred: '2007-10-15',
        source: source('2007-10-15'),
        summary: 'Putin said Russia would never accept the radar in Czechia.',
        payload: { item: 'us-third-site', stance: 'opposes' },
      });
      await post({
        type: 'retraction',
        refersTo: stance,
        occurred: '2007-10-26',
        source: source('2007-10-26'),
        summary: 'Retraction: the remark was misattributed.',
        payload: { reason: 'misattributed' },
      });

      await page.goto(`${own.origin}/#view=topic&topic=${TOPIC}&at=2007-10-16&knownAt=2007-10-20`);
      await page.waitForSelector('body[data-ready]');
      await cardsShow(page, '2007-10-16', '2007-10-20');
      const entry = (id: string) => page.locator(`#event-list li[data-event-id="${id}"]`);
      expect(await entry(threat).textContent()).toContain('station missiles near the Polish border');
      const unreported = (id: string) => page.locator(`#event-list li.ev-unreported[data-event-id="${id}"]`).count();
      expect(await unreported(threat)).toBe(0);
      expect(await entry(stance).count()).toBe(1);
      expect(await unreported(stance)).toBe(0);
      // Now: the correction rewords the threat, and the retracted statement is gone.
      await page.locator('#known-at').uncheck();
      await cardsShow(page, '2007-10-16', '');
      await page.waitForFunction(
        (id) => document.querySelector(`#event-list li[data-event-id="${id}"]`)?.textContent?.includes('Lithuanian'),
        threat,
      );
      expect(await entry(stance).count()).toBe(0);
    } finally {
      await page.close();
      await own.t.close();
    }
  });

  it('says a demand made about an item already ended was moot from its start, naming what ended it, not "moot by" its ender on its day', async () => {
    const own = await startSite();
    try {
      const post = async (body: Record<string, unknown> & { occurred: string }) => {
        const response = await fetch(`${own.origin}/events`, {
          method: 'POST',
          headers: { ...own.t.auth, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            topic: TOPIC,
            source: { publisher: 'Browser test wire', title: `Report of ${body.occurred}`, publishedAt: body.occurred },
            ...body,
          }),
        });
        expect(response.status).toBe(201);
        return ((await response.json()) as { event: { id: string } }).event.id;
      };
      const plan = await post({
        type: 'proposal',
        actor: 'united-states',
        targets: ['russia'],
        occurred: '2009-01-05',
        summary: 'The United States proposes a radar in the Caucasus.',
        payload: { item: 'caucasus-radar', itemTitle: 'the Caucasus radar', terms: 'a radar in the Caucasus' },
      });
      await post({
        type: 'withdrawal',
        actor: 'united-states',
        targets: ['russia'],
        occurred: '2009-01-10',
        refersTo: plan,
        summary: 'The United States drops the Caucasus radar.',
        payload: {},
      });
      // Five days after the plan was dropped: moot from its own day.
      await post({
        type: 'demand',
        actor: 'russia',
        targets: ['united-states'],
        occurred: '2009-01-15',
        summary: 'Russia demands that the Caucasus radar not be built.',
        payload: { item: 'caucasus-radar', demand: 'do not build the Caucasus radar' },
      });
      await open(page, own.origin);
      await showTopicAt(page, '2009-01-20');
      const line = page.locator('.card[data-party="russia"] li', { hasText: 'do not build the Caucasus radar' });
      expect(await line.count()).toBe(1);
      const text = (await line.textContent()) ?? '';
      expect(text).toMatch(
        /moot from its start: the Caucasus radar had already ended \(withdrawal by (the )?United States, 10 January 2009\)/,
      );
      expect(text).not.toMatch(/moot by|on 15 January 2009/);
      // The source button beside it is the withdrawal's, the event that ended the item.
      expect(await line.locator('button.evidence').count()).toBe(2);
      await screenshots(page, 'moot-from-its-start', line);
    } finally {
      await page.close();
      await own.t.close();
    }
  });

  it('the party view keeps the address\'s "as publicly known on" date', async () => {
    await page.goto(`${site.origin}/#view=party&party=russia&at=2007-10-14&since=2007-06-01&knownAt=2007-10-20`);
    await page.waitForSelector('body[data-ready]');
    await page.waitForFunction(() =>
      document.getElementById('party-positions-heading')?.textContent?.includes('as publicly known on 20 October 2007'),
    );
    expect(await page.locator('#party-known-at').isChecked()).toBe(true);
    // The October article came out on 31 October: on the 20th nobody had read of the freeze demand.
    expect(await page.locator(`#party-cards .card[data-topic="${TOPIC}"] .card-part.freeze`).count()).toBe(0);
    expect(await page.locator('#party-changes li[data-kind="demanded"]').count()).toBe(0);
    await page.locator('#party-known-at').uncheck();
    await page.waitForFunction(
      (topic) => document.querySelector(`#party-cards .card[data-topic="${topic}"] .card-part.freeze`),
      TOPIC,
    );
    expect(page.url()).not.toContain('knownAt');
  });

  it('records an event through the form: a bad field is named beside it, a good event appears live', async () => {
    const own = await startSite();
    try {
      await open(page, own.origin);
      await showTopicAt(page, '2008-04-03');
      await page.waitForSelector('#live-status[data-state="live"]');
      await page.evaluate(() => Object.assign(window, { notReloaded: true }));

      await page.locator('#record-panel summary').click();
      const form = page.locator('.record-form');
      await form.getByLabel('API token').fill(own.t.auth.Authorization.replace(/^Bearer /, ''));
      await form.getByLabel('Type').selectOption('statement');
      // The fields of a statement, from the API's document: its payload's stance among them.
      expect(await form.locator('[data-path="payload.stance"] option').allTextContents()).toEqual(
        expect.arrayContaining(['supports', 'opposes']),
      );
      await form.getByLabel('Actor (required)').fill('poland');
      // Parties by search: the boxes narrow to the names that match.
      await form.getByLabel('Search the parties for targets').fill('united');
      expect(await form.locator('[data-field="targets"] .checklist-entry:visible').count()).toBe(1);
      await form.getByLabel('United States').check();
      await form.getByLabel('Occurred (required)').fill('early April');
      await form.locator('[data-path="source.publisher"]').fill('Example Daily');
      await form.locator('[data-path="source.title"]').fill('Warsaw weighs the shield');
      await form.locator('[data-path="source.publishedAt"]').fill('2008-04-10');
      await form.getByLabel('Quote').fill('We are close to an agreement');
      await form.getByLabel('Summary (required)').fill('Poland says it is close to agreeing to host the interceptors.');
      await form.locator('[data-path="payload.item"]').fill('us-third-site');
      await form.locator('[data-path="payload.stance"]').selectOption('supports');
      await form.getByRole('button', { name: 'Record the event' }).click();

      // The server's problem, beside the field it names; nothing recorded.
      const error = form.locator('[data-field="occurred"] .field-error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/date|month|year|interval/i);
      expect(await form.getByLabel('Occurred (required)').getAttribute('aria-invalid')).toBe('true');
      await screenshots(page, 'form-error', error);

      await form.getByLabel('Occurred (required)').fill('2008-04-10');
      await form.getByRole('button', { name: 'Record the event' }).click();
      await page.waitForSelector('#event-list li[data-type="statement"] >> text=close to agreeing to host');
      expect(await form.locator('.field-error').count()).toBe(0);
      expect(await form.locator('.record-status').textContent()).toContain('Recorded');
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      // The token stays for this tab.
      expect(await page.evaluate(() => sessionStorage.getItem('stance.apiToken'))).toBeTruthy();
      await screenshots(
        page,
        'form-recorded',
        page.locator('#event-list li', { hasText: 'close to agreeing to host' }),
      );

      // The selected event can be corrected or retracted: the form then answers it.
      await page.locator('#event-list li[data-type="statement"] button', { hasText: 'close to agreeing' }).click();
      const id = await page.locator('#details .event-details').getAttribute('data-event-id');
      await page.getByRole('button', { name: 'Retract this record' }).click();
      expect(await form.getByLabel('Type').inputValue()).toBe('retraction');
      expect(await form.locator('[data-path="refersTo"]').inputValue()).toBe(id);
      expect(await form.locator('[data-path="actor"]').inputValue()).toBe('poland');
      await form.getByLabel('Occurred (required)').fill('2008-04-11');
      await form.locator('[data-path="source.publisher"]').fill('Example Daily');
      await form.locator('[data-path="source.title"]').fill('A correction to our report');
      await form.locator('[data-path="source.publishedAt"]').fill('2008-04-11');
      await form.getByLabel('Summary (required)').fill('Example Daily retracts its report of the Polish statement.');
      await form.locator('[data-path="payload.reason"]').fill('The minister was misquoted');
      await form.getByRole('button', { name: 'Record the event' }).click();
      await page.waitForFunction(() =>
        document.querySelector('.record-status')?.textContent?.startsWith('Recorded: Example Daily retracts'),
      );
      expect(await form.locator('.field-error').count()).toBe(0);
    } finally {
      await page.close();
      await own.t.close();
    }
  });

  it('shows an event posted through the API without a reload', async () => {
    const own = await startSite();
    try {
      await open(page, own.origin);
      await showTopicAt(page, '2007-10-14');
      await page.waitForSelector('#live-status[data-state="live"]');
      await page.evaluate(() => Object.assign(window, { notReloaded: true }));

      const id = await postThreat(own);

      await page.waitForSelector(`#event-list li[data-event-id="${id}"]`);
      await page.waitForSelector(`.timeline .vis-item.ev-threat [data-event-id="${id}"]`);
      await page.waitForFunction(() =>
        document
          .querySelector('.card[data-party="russia"] .card-part.threats')
          ?.textContent?.includes('station missiles near the Polish border'),
      );
      expect(await page.locator('#announcer').textContent()).toContain('New event: Russia, threat');
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    } finally {
      await page.close();
      await own.t.close();
    }
  });

  it('plays the replay step by step', async () => {
    await open(page, site.origin);
    await showTopicAt(page, '2007-10-14');
    await page.locator('#play').click();
    await page.waitForFunction(() => document.querySelector('#play')?.getAttribute('aria-pressed') === 'true');
    // Each step moves the date to the next event and selects it.
    await page.waitForSelector('#details .event-details');
    const first = await page.locator('#topic-date').inputValue();
    await page.waitForFunction(
      (before) => document.querySelector<HTMLInputElement>('#topic-date')?.value !== before,
      first,
    );
    await page.locator('#play').click();
    expect(await page.locator('#play').getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('#event-list button[aria-current="true"]').count()).toBe(1);
  });

  it("shows a party's positions on all its topics and what changed since another date", async () => {
    await open(page, site.origin);
    await showRussia(page);
    expect(page.url()).toContain('view=party&topic=');
    expect(page.url()).toContain('party=russia&at=2007-10-14');
    expect(page.url()).toContain('since=2007-06-01');
    expect(await page.locator('#party-cards .card').count()).toBeGreaterThan(1);
    expect(await page.locator(`#party-cards .card[data-topic="${TOPIC}"] .card-part.freeze`).count()).toBe(1);
    const changes = page.locator(`#party-changes section[data-topic="${TOPIC}"]`);
    expect(await changes.locator('li[data-kind="demanded"]').count()).toBeGreaterThan(0);
    // The quote opens under the change that cites it.
    await changes.locator('li[data-kind="demanded"] button.evidence').first().click();
    expect(await changes.locator('li[data-kind="demanded"] .event-details').count()).toBe(1);
    // Each card reads: turning points first, then what stands, then what closed.
    const orders = await page
      .locator('#party-cards .card')
      .evaluateAll((cards) =>
        cards.map((card) => [...card.querySelectorAll(':scope > .card-part')].map((part) => part.className)),
      );
    expect(orders.some((parts) => parts[0]?.includes('turning'))).toBe(true);
    for (const parts of orders) {
      const turning = parts.findIndex((p) => p.includes('turning'));
      const closed = parts.findIndex((p) => p.includes('closed'));
      if (turning >= 0) expect(turning).toBe(0);
      // Only the side lists (possibly in effect, retracted, answers to retracted records) come after what closed.
      if (closed >= 0) expect(closed).toBe(parts.filter((p) => !/possibly|retracted/.test(p)).length - 1);
    }
    await screenshots(page, 'party-russia', page.locator(`#party-cards .card[data-topic="${TOPIC}"]`));

    // Switching views is a step of the history: Back returns to the topic view as it was left.
    await page.goBack();
    await page.waitForSelector('#view-topic:not([hidden])');
    await cardsShow(page, '2008-04-03', '');
    expect(page.url()).toContain('view=topic');
  });

  it('charts cooperation and conflict as monthly points with counts, with the values as a table and a CSV', async () => {
    const own = await startSite();
    try {
      await postThreat(own);
      await open(page, own.origin);
      await showRelationsOfRussiaToTheUS(page);
      const rows = await page.locator('#relations-means tbody tr').allTextContents();
      expect(rows.every((row) => row.includes('Russia → United States'))).toBe(true);
      expect(
        await page.locator('#relations-table tbody tr', { hasText: 'station missiles near the Polish border' }).count(),
      ).toBe(1);
      expect(await page.locator('#relations-chart svg path').count()).toBeGreaterThan(5);
      expect(await page.locator('#relations-chart').getAttribute('aria-label')).toContain('for 1 party pair;');
      await screenshots(page, 'relations');

      // The download holds what the chart shows: the table's rows, one line each.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download the chart’s data (CSV)' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^stance-goldstein-monthly-.*\.csv$/);
      const csv = readFileSync(await download.path(), 'utf8')
        .trim()
        .split('\r\n');
      expect(csv[0]).toBe('month,from,toward,from_name,toward_name,mean_goldstein,events');
      expect(csv).toHaveLength(rows.length + 1);
      expect(csv.slice(1).every((line) => line.includes(',russia,united-states,Russia,United States,'))).toBe(true);
      const counts = await page.locator('#relations-means tbody tr td:nth-child(4)').allTextContents();
      expect(csv.slice(1).map((line) => line.split(',').at(-1))).toEqual(counts);
    } finally {
      await page.close();
      await own.t.close();
    }
  });

  it('is readable on a phone: nothing but the scrolling tables runs wider than 390 px', async () => {
    await open(page, site.origin);
    await showTopicAt(page, '2007-10-14');
    expect(await overflowing(page)).toEqual([]);
    await showRussia(page);
    expect(await overflowing(page)).toEqual([]);
    await showRelationsOfRussiaToTheUS(page);
    expect(await overflowing(page)).toEqual([]);
  });

  it('loaded nothing from outside the app and broke no content-security rule', async () => {
    // Through every view and control the other tests use.
    const problems = watchPage(page, site.origin);
    await open(page, site.origin);
    await showTopicAt(page, '2007-10-14');
    await page.waitForSelector('#live-status[data-state="live"]');
    await page.locator('.card[data-party="russia"] button.evidence').first().click();
    await page.waitForSelector('#details .event-details');
    await page.locator('#known-at').check();
    await cardsShow(page, '2007-10-14', '2007-10-14');
    await page.locator('#play').click();
    await page.locator('#play').click();
    await showRussia(page);
    await showRelationsOfRussiaToTheUS(page);
    expect(problems).toEqual([]);
  });

  it('serves the page without shadowing the API, and says how to build it when it is missing', async () => {
    const { t } = site;
    expect((await request(t.http).get('/topics').expect(200)).body.length).toBeGreaterThan(0);
    await request(t.http).get('/health').expect(200);
    await request(t.http).get('/assets/no-such-file.js').expect(404);
    const controller = t.app.get(WebController);
    const built = controller.root;
    controller.root = '/nonexistent-web-dist';
    try {
      const response = await request(t.http).get('/').expect(503);
      expect(response.text).toContain('npm run build:web');
    } finally {
      controller.root = built;
    }
  });
});
