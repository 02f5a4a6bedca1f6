// Min sida in a real browser against the real backend (`serve --demo`): the tabs of /mina-sidor,
// one case's page (status in words, messages both ways, a decision to download, a clear "not
// found"), and the case list the city's portal frames from another origin, which gets its token
// from the portal by postMessage. axe-core checks every new screen.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { axeViolations } from './lib/a11y.js';
import { startBackend } from './lib/backend.js';
import { launchBrowser, watchForErrors } from './lib/browser.js';

const TEST_TIMEOUT = { timeout: 120_000 };
const STREET = 'felanmalan-gata-och-park';
const DEMO = { bankIdButton: 'Skanna som Tolva Testperson (18900101-9802)' };
const DECISION = { name: 'beslut.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% beslut om lagning\n') };

/**
 * A stand-in for the city's Min sida portal on an origin of its own: a page that frames the
 * backend's /embed/cases and, when the frame says it is ready, hands it the token from the
 * page's fragment (`#token=…`), sent only to the backend's origin. `backendOrigin()` is asked
 * per request: the portal starts first, since its origin goes into the backend's settings.
 * @param {() => string} backendOrigin
 */
function startPortal(backendOrigin) {
  const page = (origin) => `<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><title>Stadens Mina sidor</title></head>
<body>
<main>
<h1>Stadens Mina sidor</h1>
<iframe id="arenden" title="Mina ärenden" src="${origin}/embed/cases" width="600" height="400"></iframe>
</main>
<script>
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  window.readyMessages = [];
  window.addEventListener('message', (event) => {
    if (event.origin !== ${JSON.stringify(origin)} || event.data?.type !== 'etjanster:ready') return;
    window.readyMessages.push(event.data);
    if (token) event.source.postMessage({ type: 'etjanster:token', token }, event.origin);
  });
</script>
</body>
</html>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page(backendOrigin()));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({ origin, stop: () => new Promise((done) => server.close(done)) });
    });
  });
}

describe('Min sida: tabs, one case with messages and documents, and the portal\'s embedded case list', () => {
  /** @type {Awaited<ReturnType<typeof startBackend>>} */
  let backend;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {Awaited<ReturnType<typeof startPortal>>} */
  let portal;

  before(async () => {
    // The portal's origin must be known before the backend starts: it goes into
    // `[portal] allowed_origins` (the frame-ancestors of /embed/).
    portal = await startPortal(() => new URL(backend.url).origin);
    // `[0]`: the config crate's path syntax for the first element of a list.
    backend = await startBackend({ env: { 'APP_PORTAL__ALLOWED_ORIGINS[0]': portal.origin } });
    browser = await launchBrowser();
    assert.ok(backend.accounts.handlaggare, 'the demo prints the handler account');
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await backend?.stop();
    await portal?.stop();
  });

  const url = (urlPath) => new URL(urlPath, backend.url).href;
  const h1 = (page, name) => page.getByRole('heading', { level: 1, name });

  async function assertNoAxeViolations(page, where) {
    const violations = await axeViolations(page);
    assert.equal(violations, '', `axe found violations on ${where}:\n${violations}`);
  }

  /** A fresh browser context (like another device), closed in any case; page errors fail the test. */
  async function withPage(body) {
    const context = await browser.newContext({ locale: 'sv-SE', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    try {
      const page = await context.newPage();
      const errors = watchForErrors(page);
      await body(page, context);
      assert.deepEqual(errors, [], 'errors in the page');
    } catch (err) {
      err.message += `\n--- backend output (last lines) ---\n${backend.output()}`;
      throw err;
    } finally {
      await context.close();
    }
  }

  /** The applicant logs in with BankID (the /dev/bankid simulator) and lands on Mina sidor. */
  async function applicantLogsIn(page, context) {
    await page.goto(url('/logga-in?till=%2Fmina-sidor'));
    await page.getByRole('button', { name: 'Mobilt BankID', exact: true }).click();
    await page.getByRole('img', { name: 'QR-kod för BankID' }).waitFor();
    const app = await context.newPage();
    await app.goto(url('/dev/bankid'));
    await app.locator('section').first().getByRole('button', { name: DEMO.bankIdButton }).click();
    await app.waitForLoadState();
    await app.locator('section').first().getByRole('button', { name: 'Bekräfta med säkerhetskoden' }).click();
    await app.waitForLoadState();
    await app.close();
    await h1(page, 'Mina sidor').waitFor();
  }

  /** The logged-in page's applicant token. */
  const applicantToken = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('etjanster.session')).token);

  /** Submits a street fault report as the logged-in applicant (through the API, with the page's token). */
  async function submitCase(page) {
    const service = await (await fetch(url(`/api/v1/catalogue/${STREET}`))).json();
    const token = await applicantToken(page);
    const r = await fetch(url(`/api/v1/catalogue/${STREET}/cases`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({
        form_version: service.form_version,
        answers: { typ: 'hal_i_gatan', plats: 'Storgatan 1', vill_ha_svar: true, epost: 'tolva@example.org' },
      }),
    });
    const text = await r.text();
    assert.ok(r.status === 201 || r.status === 200, `submit: ${r.status} ${text}`);
    return JSON.parse(text).reference;
  }

  /** A staff call with the demo handler's token. */
  async function staff(method, path, { json, body, contentType } = {}) {
    const login = await fetch(url('/api/v1/auth/staff/token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'handlaggare', password: backend.accounts.handlaggare }),
    });
    assert.equal(login.status, 200, 'the handler logs in');
    const { access_token: token } = await login.json();
    const headers = { Authorization: `Bearer ${token}` };
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    if (contentType) headers['Content-Type'] = contentType;
    const r = await fetch(url(`/api/v1${path}`), { method, headers, body: json !== undefined ? JSON.stringify(json) : body });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text);
  }

  /** The private link in the mail to `address` about `reference` (the file transport's .eml files). */
  async function followLinkInMail(address, reference) {
    const dir = path.join(path.dirname(backend.databasePath), 'data', 'mail');
    for (let i = 0; i < 200; i += 1) {
      const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
      for (const f of files) {
        const raw = fs.readFileSync(path.join(dir, f), 'utf8').replace(/=\r?\n/g, '');
        if (!raw.includes(address)) continue;
        const m = raw.match(new RegExp(`(/mina-sidor/folj/${reference}#[A-Za-z0-9_-]{43})`));
        if (m) return m[1];
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail to ${address} with a private link to ${reference} in ${dir}`);
  }

  it('an anonymous reporter opens the private link from their mail, sees the status and the city\'s message, and answers it with the keyboard', TEST_TIMEOUT, async () => {
    const service = await (await fetch(url(`/api/v1/catalogue/${STREET}`))).json();
    const r = await fetch(url(`/api/v1/catalogue/${STREET}/cases`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({
        form_version: service.form_version,
        answers: { typ: 'hal_i_gatan', plats: 'Anonyma gatan 3', vill_ha_svar: true, epost: 'anonym@example.org' },
      }),
    });
    assert.equal(r.status, 201, await r.clone().text());
    const { reference } = await r.json();
    const link = await followLinkInMail('anonym@example.org', reference);
    await staff('POST', `/cases/${reference}/messages`, { json: { body: 'Vilken sida av gatan?' } });
    await withPage(async (page) => {
      await page.goto(url(link));
      await page.getByRole('heading', { level: 1, name: /Felanmälan gata och park/ }).waitFor();
      assert.equal(new URL(page.url()).hash, '', 'the token is taken out of the address');
      await page.getByText('Inskickat', { exact: true }).first().waitFor();
      await page.getByText('Vilken sida av gatan?').waitFor();
      assert.equal(await page.getByText('Anonyma gatan 3').count(), 0, 'no answers through the link');
      await assertNoAxeViolations(page, 'the private link\'s case page');
      // A reload still works (the token is kept for the tab).
      await page.reload();
      await page.getByText('Vilken sida av gatan?').waitFor();
      await page.getByLabel('Skriv till handläggaren').focus();
      await page.keyboard.type('Norra sidan, vid lyktstolpen.');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.getByText('Meddelandet är skickat.').waitFor();
      await page.locator('.message-mine').getByText('Norra sidan, vid lyktstolpen.').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'folj-resultat', 'focus on the outcome');
    });
    const messages = await staff('GET', `/cases/${reference}/messages`);
    assert.equal(messages.at(-1).body, 'Norra sidan, vid lyktstolpen.');
    // The handler sees how the reporter is reached, and closes the link (say it reached the wrong person).
    await withPage(async (page) => {
      await page.goto(url(`/handlaggning/arenden/${reference}`));
      await page.getByLabel('Användarnamn').fill('handlaggare');
      await page.getByLabel('Lösenord').fill(backend.accounts.handlaggare);
      await page.getByRole('button', { name: 'Logga in' }).click();
      const section = page.getByRole('region', { name: 'Meddelanden' });
      await section.getByText('följer det och läser och svarar på meddelanden med en personlig länk', { exact: false }).waitFor();
      await section.getByRole('button', { name: 'Stäng den personliga länken' }).click();
      await section.getByText('Den personliga länken är stängd.').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'lank-resultat', 'focus on the outcome');
      await section.getByText('Den sökande går inte att nå', { exact: false }).waitFor();
      assert.equal(await section.getByLabel('Nytt meddelande till den sökande').isVisible(), false, 'no message form');
      await assertNoAxeViolations(page, 'a case whose applicant cannot be reached');
    });
    await withPage(async (page) => {
      await page.goto(url(link));
      await page.getByRole('heading', { level: 1, name: 'Länken fungerar inte' }).waitFor();
    });
    // A link without its token says so.
    await withPage(async (page) => {
      await page.goto(url(`/mina-sidor/folj/${reference}`));
      await page.getByRole('heading', { level: 1, name: 'Länken är inte hel' }).waitFor();
    });
  });

  it('the tabs show a submitted case under Pågående, not under Avslutade, with its status in words and a link to it', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await applicantLogsIn(page, context);
      const reference = await submitCase(page);
      await page.goto(url('/mina-sidor'));
      await h1(page, 'Mina sidor').waitFor();
      const tabs = page.getByRole('navigation', { name: 'Visa' });
      await tabs.getByRole('link', { name: /^Pågående \(\d+\)$/ }).click();
      await page.waitForURL((u) => u.searchParams.get('flik') === 'pagaende');
      assert.equal(await tabs.getByRole('link', { name: /^Pågående/ }).getAttribute('aria-current'), 'page');
      assert.equal(await tabs.getByRole('link', { name: /^Avslutade/ }).getAttribute('aria-current'), null);
      const ongoing = page.getByRole('region', { name: 'Pågående ärenden' });
      const item = ongoing.getByRole('listitem').filter({ hasText: reference });
      await item.waitFor();
      await item.getByText('Inskickat', { exact: true }).waitFor();
      await item.getByText('Vi har tagit emot ärendet.', { exact: false }).waitFor();
      assert.equal(await page.getByRole('region', { name: 'Påbörjade ansökningar' }).count(), 0, 'only the chosen tab');
      await assertNoAxeViolations(page, 'Min sida, tab Pågående');

      await tabs.getByRole('link', { name: /^Avslutade/ }).click();
      await page.waitForURL((u) => u.searchParams.get('flik') === 'avslutade');
      const closed = page.getByRole('region', { name: 'Avslutade ärenden' });
      await closed.waitFor();
      assert.equal(await closed.getByText(reference).count(), 0, 'an ongoing case is not under Avslutade');
      await assertNoAxeViolations(page, 'Min sida, tab Avslutade');

      await tabs.getByRole('link', { name: /^Påbörjade/ }).click();
      await page.getByRole('region', { name: 'Påbörjade ansökningar' }).waitFor();
      assert.equal(await page.getByRole('region', { name: /ärenden/ }).count(), 0, 'no cases on the drafts tab');

      await tabs.getByRole('link', { name: /^Pågående/ }).click();
      await item.getByRole('link', { name: reference, exact: true }).click();
      await page.waitForURL((u) => u.pathname === `/mina-sidor/arenden/${reference}`);
      await h1(page, new RegExp(reference)).waitFor();
    });
  });

  it('the case page shows the status in words, the handler\'s message, and a message the applicant sends appears as "Du"', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await applicantLogsIn(page, context);
      const reference = await submitCase(page);
      await staff('POST', `/cases/${reference}/messages`, { json: { body: 'Vi tittar på hålet i veckan.' } });

      await page.goto(url(`/mina-sidor/arenden/${reference}`));
      const heading = h1(page, new RegExp(`Felanmälan.*${reference}`));
      await heading.waitFor();
      assert.match(await page.title(), new RegExp(reference));
      const status = page.getByRole('region', { name: 'Status' });
      await status.getByText('Inskickat', { exact: true }).waitFor();
      await status.getByText(/Vi har tagit emot ärendet/).waitFor();
      const messages = page.getByRole('region', { name: 'Meddelanden' });
      const theirs = messages.getByRole('listitem').filter({ hasText: 'Vi tittar på hålet i veckan.' });
      await theirs.getByText('Handläggare', { exact: true }).waitFor();
      await page.getByRole('region', { name: 'Dina svar' }).getByText('Storgatan 1').waitFor();
      await page.getByRole('region', { name: 'Händelser' }).getByText('Du skickade in ärendet.').waitFor();
      await assertNoAxeViolations(page, 'the applicant\'s case page');

      // An empty message is not sent: the error is tied to the field.
      const field = page.getByLabel('Nytt meddelande');
      await page.getByRole('button', { name: 'Skicka meddelande' }).click();
      await page.getByText('Skriv ett meddelande.').waitFor();
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.equal(await field.getAttribute('aria-describedby'), 'nytt-meddelande-fel');
      await assertNoAxeViolations(page, 'the case page with a message error');

      await field.fill('Tack! Hålet är ungefär en meter brett.');
      // With a file: uploaded first, then sent with the message by its id.
      await page.getByLabel('Bifoga en fil').setInputFiles({ name: 'bild.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% x\n') });
      const posted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/me/cases/${reference}/messages`) && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Skicka meddelande' }).click();
      assert.equal((await posted).status(), 201);
      const mine = messages.getByRole('listitem').filter({ hasText: 'Tack! Hålet är ungefär en meter brett.' });
      await mine.getByText('Du', { exact: true }).waitFor();
      await mine.getByRole('button', { name: 'Ladda ner bild.pdf' }).waitFor();
      await mine.getByText('Inte läst än').waitFor();
      await messages.getByRole('status').getByText('Ditt meddelande är skickat.').waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'meddelanden');
      assert.equal(await field.inputValue(), '', 'the form is emptied');

      // The handler sees it; once read, the applicant sees the read receipt.
      const list = await staff('GET', `/cases/${reference}/messages`);
      assert.ok(list.some((m) => m.author === 'applicant' && m.body === 'Tack! Hålet är ungefär en meter brett.'));
      await page.reload();
      await mine.getByText(/^Läst av handläggaren/).waitFor();
    });
  });

  it('a message the server refuses is not shown as sent, and the reason is announced', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await applicantLogsIn(page, context);
      const reference = await submitCase(page);
      await page.route(`**/api/v1/me/cases/${reference}/messages`, (route) => (route.request().method() === 'POST'
        ? route.fulfill({
          status: 409,
          contentType: 'application/json',
          body: JSON.stringify({ message: 'Messages cannot be sent on this case in its current status.', code: 'messaging_closed', type: 'conflict' }),
        })
        : route.continue()));
      await page.goto(url(`/mina-sidor/arenden/${reference}`));
      await h1(page, new RegExp(reference)).waitFor();
      await page.getByLabel('Nytt meddelande').fill('Hallå?');
      await page.getByRole('button', { name: 'Skicka meddelande' }).click();
      const messages = page.getByRole('region', { name: 'Meddelanden' });
      await messages.getByRole('alert').getByText(/^Meddelandet skickades inte: det går inte att skicka meddelanden/).waitFor();
      assert.equal(await messages.getByText('Hallå?').count(), 0, 'not listed');
      assert.equal(await page.getByLabel('Nytt meddelande').count(), 0, 'the form goes');
    });
  });

  it('an open supplement request shows the handler\'s message and a form for the field asked about, checked like the application before it is sent', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await applicantLogsIn(page, context);
      const reference = await submitCase(page);
      await staff('POST', `/cases/${reference}/supplement-requests`, { json: { message: 'Ange närmaste husnummer.', fields: ['plats'] } });

      await page.goto(url(`/mina-sidor/arenden/${reference}`));
      const supplement = page.getByRole('region', { name: 'Komplettera ditt ärende' });
      await supplement.getByText('Ange närmaste husnummer.').waitFor();
      await page.getByRole('region', { name: 'Status' }).getByText(/behöver mer uppgifter från dig/).waitFor();
      const field = supplement.getByLabel('Var är felet?');
      assert.equal(await field.inputValue(), 'Storgatan 1', 'the answer as submitted');
      assert.equal(await supplement.getByRole('textbox').count(), 1, 'only the field asked about');
      await assertNoAxeViolations(page, 'the case page with a supplement request');

      // The shared validation stops an empty answer: a summary takes focus, the error is tied to the field.
      await field.fill('');
      await supplement.getByRole('button', { name: 'Skicka komplettering' }).click();
      const summary = supplement.getByRole('alert').filter({ hasText: 'Det finns fel som du behöver rätta' });
      await summary.waitFor();
      await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      const describedBy = await field.getAttribute('aria-describedby');
      assert.ok(describedBy, 'the field names its error');
      const errorText = await page.locator(`#${describedBy.split(' ').pop()}`).textContent();
      assert.equal(errorText.trim(), 'Fel: Fältet måste fyllas i.');
      await assertNoAxeViolations(page, 'the supplement form with an error');

      await field.fill('Storgatan 12');
      await supplement.getByRole('button', { name: 'Skicka komplettering' }).click();
      await page.getByRole('status').getByText('Din komplettering är skickad till handläggaren.').waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'arende-rubrik');
      await supplement.waitFor({ state: 'detached' });
      await page.getByRole('region', { name: 'Händelser' }).getByText('Du skickade en komplettering.').waitFor();
      await page.getByRole('region', { name: 'Dina svar' }).getByText('Storgatan 12').waitFor();
      const [answered] = await staff('GET', `/cases/${reference}/supplements`);
      assert.ok(answered.answered_at, 'answered');
      assert.deepEqual(answered.changes, [{ field: 'plats', before: 'Storgatan 1', after: 'Storgatan 12' }]);
    });
  });

  it('a decision the handler attaches is marked as a decision and downloads with the applicant\'s token', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await applicantLogsIn(page, context);
      const reference = await submitCase(page);
      await staff('POST', `/cases/${reference}/documents?kind=decision&name=${encodeURIComponent(DECISION.name)}`, {
        body: DECISION.buffer,
        contentType: DECISION.mimeType,
      });

      await page.goto(url(`/mina-sidor/arenden/${reference}`));
      await h1(page, new RegExp(reference)).waitFor();
      const documents = page.getByRole('region', { name: 'Beslut och dokument' });
      const row = documents.getByRole('listitem').filter({ hasText: DECISION.name });
      await row.getByText('Beslut', { exact: true }).waitFor();
      await page.getByRole('region', { name: 'Händelser' }).getByText(`Handläggaren lade till beslutet ${DECISION.name}.`).waitFor();
      await assertNoAxeViolations(page, 'the case page with a decision');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByRole('button', { name: `Ladda ner ${DECISION.name}` }).click(),
      ]);
      assert.equal(download.suggestedFilename(), DECISION.name);
      assert.deepEqual(await readFile(await download.path()), DECISION.buffer);
    });
  });

  it('a case reference the applicant does not have shows a clear "not found" page', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await applicantLogsIn(page, context);
      await page.goto(url('/mina-sidor/arenden/HBG-2000-999999'));
      await h1(page, 'Ärendet finns inte').waitFor();
      await page.getByText('HBG-2000-999999').waitFor();
      await page.getByRole('link', { name: 'Till Mina sidor' }).waitFor();
      await assertNoAxeViolations(page, 'the case page for an unknown case');
    });
  });

  it('the embedded case list, framed by the portal on another origin, gets the token by postMessage, lists the case and links out of the frame', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await applicantLogsIn(page, context);
      const reference = await submitCase(page);
      const token = await applicantToken(page);

      const portalPage = await context.newPage();
      const errors = watchForErrors(portalPage);
      await portalPage.goto(`${portal.origin}/#token=${encodeURIComponent(token)}`);
      const frame = portalPage.frameLocator('iframe#arenden');
      const link = frame.getByRole('link', { name: new RegExp(reference) });
      await link.waitFor();
      assert.equal(await link.getAttribute('href'), `${new URL(backend.url).origin}/mina-sidor/arenden/${reference}`);
      assert.equal(await link.getAttribute('target'), '_top');
      await frame.getByRole('listitem').filter({ hasText: reference }).getByText('Inskickat').waitFor();
      assert.deepEqual(await portalPage.evaluate(() => window.readyMessages), [{ type: 'etjanster:ready' }]);
      // The token is used, not kept.
      const embedded = portalPage.frames().find((f) => f.url().includes('/embed/cases'));
      assert.equal(await embedded.evaluate(() => sessionStorage.length + localStorage.length), 0);
      await assertNoAxeViolations(portalPage, 'the portal with the embedded case list');

      // Following the link leaves the frame for the case page on Mina sidor.
      await link.click();
      await portalPage.waitForURL((u) => u.origin === new URL(backend.url).origin && u.pathname === `/mina-sidor/arenden/${reference}`);
      assert.deepEqual(errors, [], 'errors in the portal page');
      await portalPage.close();
    });
  });

  it('the embedded case list outside a portal asks the person to log in on Mina sidor', TEST_TIMEOUT, async () => {
    await withPage(async (page) => {
      await page.goto(url('/embed/cases'));
      await h1(page, 'Mina ärenden').waitFor();
      await page.getByText('Logga in på Mina sidor för att se dina ärenden.').waitFor();
      const link = page.getByRole('link', { name: 'Logga in på Mina sidor' });
      assert.equal(await link.getAttribute('href'), `${new URL(backend.url).origin}/mina-sidor`);
      assert.equal(await link.getAttribute('target'), '_top');
      assert.equal(await page.getByRole('banner').count(), 0, 'no header of our own');
      await assertNoAxeViolations(page, 'the embedded case list without a portal');
    });
  });
});
