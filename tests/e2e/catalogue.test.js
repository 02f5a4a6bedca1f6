// The public side of the SPA in a real browser against the real backend: the catalogue of
// e-services and a service's first page. The backend runs with a fresh SQLite database and
// its demo data; the services are read from the API, so nothing here hard-codes their names.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { axeViolations } from './lib/a11y.js';
import { startBackend } from './lib/backend.js';
import { launchBrowser, watchForErrors } from './lib/browser.js';
import { SCREENSHOT_DIR } from './lib/paths.js';

const TEST_TIMEOUT = { timeout: 60_000 };
const PRIVACY_HEADING = 'Så behandlar vi dina personuppgifter';

describe('The public catalogue and the first page of a service', () => {
  /** @type {Awaited<ReturnType<typeof startBackend>>} */
  let backend;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {{slug: string, name: string, audience: string, identity: string}[]} */
  let services;
  /** The service the journey tests follow: the first in the catalogue. */
  let service;

  before(async () => {
    backend = await startBackend();
    const response = await fetch(new URL('api/v1/catalogue', backend.url));
    assert.equal(response.status, 200, 'GET /api/v1/catalogue');
    services = await response.json();
    assert.ok(Array.isArray(services) && services.length > 0, 'the demo data publishes at least one service');
    service = services[0];
    browser = await launchBrowser();
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await backend?.stop();
  });

  /**
   * Opens `urlPath` in a fresh browser context, runs `body`, and fails if the page threw or
   * logged an error. The context is closed in any case.
   * @param {string} urlPath
   * @param {(page: import('playwright-core').Page) => Promise<void>} body
   */
  async function withPage(urlPath, body) {
    const context = await browser.newContext({ locale: 'sv-SE', viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const errors = watchForErrors(page);
      const response = await page.goto(new URL(urlPath, backend.url).href);
      assert.equal(response?.status(), 200, `GET ${urlPath}`);
      await body(page);
      assert.deepEqual(errors, [], 'errors in the page');
    } catch (err) {
      err.message += `\n--- backend output (last lines) ---\n${backend.output()}`;
      throw err;
    } finally {
      await context.close();
    }
  }

  /** Waits for the catalogue's list (the loading state is over). */
  async function waitForCatalogue(page) {
    await page.getByRole('link', { name: service.name, exact: true }).waitFor();
  }

  it('shows every published service by name under the heading "E-tjänster"', TEST_TIMEOUT, async () => {
    await withPage('/', async (page) => {
      await waitForCatalogue(page);
      assert.deepEqual(await page.locator('h1').allTextContents(), ['E-tjänster']);
      assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
      for (const s of services) {
        const link = page.getByRole('link', { name: s.name, exact: true });
        assert.equal(await link.getAttribute('href'), `/tjanster/${s.slug}`, `link to ${s.name}`);
      }
      for (const landmark of ['banner', 'main', 'contentinfo', 'search']) {
        assert.equal(await page.getByRole(landmark).count(), 1, `one ${landmark} landmark`);
      }
      if (process.env.SCREENSHOTS === '1') {
        fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'catalogue.png'), fullPage: true });
      }
    });
  });

  it('filters the catalogue by what is typed in the search box', TEST_TIMEOUT, async () => {
    await withPage('/', async (page) => {
      await waitForCatalogue(page);
      const search = page.getByRole('searchbox', { name: 'Sök e-tjänst' });
      const cards = page.locator('.service-list > li');

      // The longest word of the service's name finds it again, typed in capitals.
      const word = service.name.split(/\s+/).sort((a, b) => b.length - a.length)[0];
      await search.fill(word.toUpperCase());
      await page.getByRole('link', { name: service.name, exact: true }).waitFor();
      const expected = services.filter((s) =>
        `${s.name} ${s.audience}`.toLowerCase().includes(word.toLowerCase()),
      ).length;
      assert.equal(await cards.count(), expected);

      await search.fill('qqqzzz ingen träff');
      await page.getByText('Ingen e-tjänst matchar din sökning').waitFor();
      assert.equal(await cards.count(), 0);
      assert.match(await page.getByRole('status').innerText(), /^Visar 0 av \d+ e-tjänst/);

      await search.fill('');
      await waitForCatalogue(page);
      assert.equal(await cards.count(), services.length);
    });
  });

  it('has no WCAG 2.2 A or AA violations on the catalogue', TEST_TIMEOUT, async () => {
    await withPage('/', async (page) => {
      await waitForCatalogue(page);
      const violations = await axeViolations(page);
      assert.equal(violations, '', `axe found violations on the catalogue:\n${violations}`);
    });
  });

  it('opens a service\'s first page from the catalogue, with its name as the only h1', TEST_TIMEOUT, async () => {
    await withPage('/', async (page) => {
      await waitForCatalogue(page);
      await page.getByRole('link', { name: service.name, exact: true }).click();
      await page.waitForURL(`**/tjanster/${service.slug}`);
      await page.getByRole('heading', { level: 1, name: service.name, exact: true }).waitFor();
      assert.equal(await page.locator('h1').count(), 1);
      await page.getByRole('heading', { level: 2, name: PRIVACY_HEADING }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Vem kan använda e-tjänsten' }).waitFor();
      await page.getByRole('link', { name: 'Starta' }).waitFor();
      assert.equal(await page.title(), `${service.name} – E-tjänster`);
      // After an in-app navigation the keyboard focus is at the new content.
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN');
    });
  });

  it('has no WCAG 2.2 A or AA violations on a service\'s first page', TEST_TIMEOUT, async () => {
    await withPage(`/tjanster/${service.slug}`, async (page) => {
      await page.getByRole('heading', { level: 2, name: PRIVACY_HEADING }).waitFor();
      const violations = await axeViolations(page);
      assert.equal(violations, '', `axe found violations on the first page:\n${violations}`);
    });
  });

  it('shows a service\'s first page when its address is opened directly (SPA fallback)', TEST_TIMEOUT, async () => {
    await withPage(`/tjanster/${service.slug}`, async (page) => {
      await page.getByRole('heading', { level: 1, name: service.name, exact: true }).waitFor();
      await page.getByRole('heading', { level: 2, name: PRIVACY_HEADING }).waitFor();
      // The breadcrumb leads back to the catalogue.
      await page.getByRole('navigation', { name: 'Du är här' }).getByRole('link', { name: 'E-tjänster' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      await waitForCatalogue(page);
    });
  });

  it('lets a keyboard user skip straight to the main content', TEST_TIMEOUT, async () => {
    await withPage('/', async (page) => {
      await waitForCatalogue(page);
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Gå direkt till innehållet' });
      assert.equal(await skip.evaluate((el) => el === document.activeElement), true, 'the skip link is the first tab stop');
      assert.ok((await skip.boundingBox())?.y >= 0, 'the focused skip link is visible');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'sok', 'the next tab stop is the search box');
    });
  });

  it('shows a loading message, then an error with a retry button when the catalogue cannot be loaded', TEST_TIMEOUT, async () => {
    await withPage('/', async (page) => {
      // Only requests made after this point are intercepted: reload so the app asks again.
      let release;
      const released = new Promise((resolve) => { release = resolve; });
      await page.route('**/api/v1/catalogue', async (route) => {
        await released;
        await route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ message: 'Internal error', code: 'internal', type: 'internal' }),
        });
      });
      await page.reload();
      await page.getByRole('status').filter({ hasText: 'Hämtar e-tjänsterna' }).waitFor();
      release();
      const alert = page.getByRole('alert');
      await alert.getByRole('heading', { name: 'Det gick inte att hämta e-tjänsterna' }).waitFor();
      assert.deepEqual(await page.locator('h1').allTextContents(), ['E-tjänster']);

      await page.unroute('**/api/v1/catalogue');
      await alert.getByRole('button', { name: 'Försök igen' }).click();
      await waitForCatalogue(page);
      assert.equal(await page.getByRole('alert').count(), 0);
    });
  });

  it('says so when no services are published', TEST_TIMEOUT, async () => {
    await withPage('/', async (page) => {
      await page.route('**/api/v1/catalogue', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: '[]' }),
      );
      await page.reload();
      await page.getByText('Det finns inga e-tjänster att visa just nu').waitFor();
      assert.equal(await page.getByRole('searchbox').count(), 0);
    });
  });

  it('says that the page does not exist for an unknown service or address', TEST_TIMEOUT, async () => {
    for (const urlPath of ['/tjanster/finns-inte-alls', '/ingen/sadan/sida']) {
      await withPage(urlPath, async (page) => {
        await page.getByRole('heading', { level: 1, name: 'Sidan finns inte' }).waitFor();
        await page.getByRole('link', { name: 'Se alla e-tjänster' }).waitFor();
      });
    }
  });
});
