import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { SeedLoader } from '../src/diplomacy/seeds/seed-loader.js';
import { WebController } from '../src/web/web.module.js';
import { buildWebPage, CHROMIUM, chromiumInstalled, launchChromium, watchPage } from './support/browser.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const SHOTS = 'test-results';
const TOPIC = 'missile-defense-europe';

/** The slider's value for a day: days since 1970-01-01. */
const sliderValue = (day: string) => String(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/** Waits until the position cards show this day (and this knownAt, '' for all records). */
async function cardsShow(page: Page, day: string, knownAt: string): Promise<void> {
  await page.waitForFunction(
    ([d, k]) => {
      const cards = document.getElementById('cards');
      return cards?.dataset.day === d && cards.dataset.knownAt === k;
    },
    [day, knownAt],
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

/** Shows the topic on that day, with every record. */
async function showTopicAt(page: Page, day: string): Promise<void> {
  await page.selectOption('#topic-select', TOPIC);
  await page.waitForSelector(`#event-list li[data-type="freeze_demand"]`);
  await page.locator('#date-slider').fill(sliderValue(day));
  await cardsShow(page, day, '');
}

/** Russia's position on all its topics on 14 October 2007, and what changed since 1 June. */
async function showRussia(page: Page): Promise<void> {
  await page.locator('nav a', { hasText: 'Party' }).click();
  await page.selectOption('#party-select', 'russia');
  await page.locator('#party-at').fill('2007-10-14');
  await page.locator('#party-since').fill('2007-06-01');
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

  it("replays a topic: picks it, moves the date slider, and shows the freeze demand on Russia's card", async () => {
    await open(page, site.origin);
    await page.selectOption('#topic-select', TOPIC);
    await page.waitForSelector(`#event-list li[data-type="freeze_demand"]`);
    expect(await page.locator('.timeline .vis-item.ev').count()).toBeGreaterThan(20);
    expect(await page.locator('.vis-label', { hasText: 'Russia' }).count()).toBe(1);
    expect(await page.locator('#legend li', { hasText: 'Freeze demand' }).count()).toBe(1);

    await page.locator('#date-slider').fill(sliderValue('2007-10-14'));
    await cardsShow(page, '2007-10-14', '');
    expect(await page.locator('#date-output').textContent()).toBe('14 October 2007');
    expect(await page.locator('#date-slider').getAttribute('aria-valuetext')).toBe('14 October 2007');

    // The slider is a real range input: the arrow keys move it a day at a time.
    await page.locator('#date-slider').press('ArrowRight');
    await cardsShow(page, '2007-10-15', '');
    await page.locator('#date-slider').press('ArrowLeft');
    await cardsShow(page, '2007-10-14', '');

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
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/browser-topic-2007-10-14.png` });
  });

  it('"as publicly known at that date" hides what was reported later', async () => {
    await open(page, site.origin);
    await showTopicAt(page, '2007-10-14');
    await page.locator('#known-at').check();
    await cardsShow(page, '2007-10-14', '2007-10-14');
    // The October article came out on 31 October: on the 14th nobody had read of the freeze demand.
    expect(await page.locator('.card[data-party="russia"]').count()).toBe(1);
    expect(await page.locator('.card[data-party="russia"] .card-part.freeze').count()).toBe(0);
    expect(await page.locator('#positions-heading').textContent()).toContain('as publicly known that day');
    expect(await page.locator('#event-list li[data-type="freeze_demand"].ev-unreported').count()).toBeGreaterThan(0);
    expect(await page.locator('.timeline .vis-item.ev-freeze_demand.ev-unreported').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/browser-known-at-2007-10-14.png` });

    await page.locator('#known-at').uncheck();
    await cardsShow(page, '2007-10-14', '');
    expect(await page.locator('.card[data-party="russia"] .card-part.freeze').count()).toBe(1);
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
      await page.screenshot({ path: `${SHOTS}/browser-live-event.png` });
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
    const first = await page.locator('#date-output').textContent();
    await page.waitForFunction((before) => document.querySelector('#date-output')?.textContent !== before, first);
    await page.locator('#play').click();
    expect(await page.locator('#play').getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('#event-list button[aria-current="true"]').count()).toBe(1);
  });

  it("shows a party's positions on all its topics and what changed since another date", async () => {
    await open(page, site.origin);
    await showRussia(page);
    expect(await page.locator('#party-cards .card').count()).toBeGreaterThan(1);
    expect(await page.locator(`#party-cards .card[data-topic="${TOPIC}"] .card-part.freeze`).count()).toBe(1);
    const changes = page.locator(`#party-changes section[data-topic="${TOPIC}"]`);
    expect(await changes.locator('li[data-kind="demanded"]').count()).toBeGreaterThan(0);
    // The quote opens under the change that cites it.
    await changes.locator('li[data-kind="demanded"] button.evidence').first().click();
    expect(await changes.locator('li[data-kind="demanded"] .event-details').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/browser-party-russia.png`, fullPage: true });
  });

  it('charts cooperation and conflict per party pair, with the values as tables', async () => {
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
      await page.screenshot({ path: `${SHOTS}/browser-relations.png` });
    } finally {
      await page.close();
      await own.t.close();
    }
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
