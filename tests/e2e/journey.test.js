// The applicant's journey in a real browser against the real backend (`serve --demo`): from a
// service's first page through login (BankID via its /dev/bankid page) or anonymously, personal
// data, the service's pages with live conditions, inline validation and uploads, the summary and
// the submission, to the receipt and Min sida; drafts resumed in another browser; Swedish and
// English; keyboard only; a narrow screen and 200 % zoom; upload progress and its announcements in
// a live region; deleting a draft (focus and a status message afterwards, an error when it fails).
// axe-core checks every page on the way.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { axeViolations } from './lib/a11y.js';
import { startBackend } from './lib/backend.js';
import { launchBrowser, watchForErrors } from './lib/browser.js';

const TEST_TIMEOUT = { timeout: 120_000 };
const GRANT = 'bidrag-till-forening'; // e-ID; every field kind, conditions on fields and a page.
const STREET = 'felanmalan-gata-och-park'; // anonymous allowed.
const DEMO = { bankIdButton: 'Skanna som Tolva Testperson (18900101-9802)', name: 'Tolva Testperson' };
const PDF = (name) => ({ name, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% test\n') });

/**
 * The texts a service's owner wrote, as the API gives them (each paragraph of the longer ones):
 * name, audience, first page, receipt heading and last page, privacy notice, page titles and
 * descriptions, labels, help texts, option labels and info texts.
 */
function serviceTexts(service) {
  const paragraphs = (text) => (text ?? '').split(/\r?\n\s*\r?\n/);
  const texts = [service.name, ...paragraphs(service.audience), ...paragraphs(service.first_page_text),
    service.receipt_heading, ...paragraphs(service.last_page_text), ...paragraphs(service.privacy_text)];
  for (const p of service.form.pages) {
    texts.push(p.title, ...paragraphs(p.description));
    for (const f of p.fields) {
      texts.push(f.label, f.help, ...paragraphs(f.kind.text), ...(f.kind.options ?? []).map((o) => o.label));
    }
  }
  return [...new Set(texts.map((t) => (t ?? '').trim()).filter(Boolean))];
}

/** The texts of `texts` shown in the page (a whole text node each) whose nearest `lang` is not "sv". */
function unmarkedServiceTexts(page, texts) {
  return page.evaluate((texts) => {
    const wanted = new Set(texts);
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const lang = node.parentElement.closest('[lang]')?.getAttribute('lang');
      if (wanted.has(text) && lang !== 'sv') found.push(`"${text}" in <${node.parentElement.localName}> (lang ${lang})`);
    }
    return found;
  }, texts);
}

describe('The applicant\'s journey: first page, login, personal data, pages, summary, submission, receipt', () => {
  /** @type {Awaited<ReturnType<typeof startBackend>>} */
  let backend;
  /** @type {import('playwright-core').Browser} */
  let browser;

  before(async () => {
    backend = await startBackend();
    browser = await launchBrowser();
    const catalogue = await (await fetch(new URL('api/v1/catalogue', backend.url))).json();
    for (const slug of [GRANT, STREET]) {
      assert.ok(catalogue.some((s) => s.slug === slug), `the demo data publishes ${slug}`);
    }
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await backend?.stop();
  });

  const url = (urlPath) => new URL(urlPath, backend.url).href;

  /** A fresh browser context (like another device), closed in any case; page errors fail the test. */
  async function withPage(body, { viewport = { width: 1280, height: 900 }, deviceScaleFactor = 1, context: given } = {}) {
    const context = given ?? (await browser.newContext({ locale: 'sv-SE', viewport, deviceScaleFactor }));
    try {
      const page = await context.newPage();
      const errors = watchForErrors(page);
      await body(page, context);
      assert.deepEqual(errors, [], 'errors in the page');
    } catch (err) {
      err.message += `\n--- backend output (last lines) ---\n${backend.output()}`;
      throw err;
    } finally {
      if (!given) await context.close();
    }
  }

  async function assertNoAxeViolations(page, where) {
    const violations = await axeViolations(page);
    assert.equal(violations, '', `axe found violations on ${where}:\n${violations}`);
  }

  const h1 = (page, name) => page.getByRole('heading', { level: 1, name });
  /** The h1 of a numbered step ends with the step's title ("Steg 2 av 7 Föreningen"). */
  const stepHeading = (page, title) => h1(page, new RegExp(`${title.replace(/[?]/g, '\\?')}$`));
  const next = (page) => page.getByRole('button', { name: 'Nästa', exact: true });

  /** Waits until the step's heading has the keyboard focus (it moves there on every step change). */
  async function waitForStep(page, title) {
    await stepHeading(page, title).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'steg-rubrik');
  }

  /** On the login page: Mobilt BankID, then the person scans and confirms on /dev/bankid. */
  async function logInWithBankId(page, context) {
    await page.getByRole('button', { name: 'Mobilt BankID', exact: true }).click();
    await page.getByRole('img', { name: 'QR-kod för BankID' }).waitFor();
    const app = await context.newPage();
    await app.goto(url('/dev/bankid'));
    await app.locator('section').first().getByRole('button', { name: DEMO.bankIdButton }).click();
    await app.waitForLoadState();
    await app.locator('section').first().getByRole('button', { name: 'Bekräfta med säkerhetskoden' }).click();
    await app.waitForLoadState();
    await app.close();
  }

  /** The grant service's first page → Starta → BankID → the personal data step. */
  async function startGrantLoggedIn(page, context) {
    await page.goto(url(`/tjanster/${GRANT}`));
    await page.getByRole('link', { name: 'Starta' }).click();
    await h1(page, 'Logga in').waitFor();
    await logInWithBankId(page, context);
    await waitForStep(page, 'Dina uppgifter');
  }

  async function fillAssociation(page) {
    await page.getByLabel('Föreningens namn').fill('Föreningen Testbollen');
    await page.getByLabel('Organisationsnummer').fill('802002-4280');
    await page.getByLabel('Hur många medlemmar har föreningen?').fill('120');
    await page.getByLabel('Hur många av medlemmarna är mellan 7 och 25 år?').fill('40');
    // The board's first row is there from the start: the group needs at least one.
    const member = page.getByRole('group', { name: 'Ledamot 1', exact: true });
    await member.getByLabel('Namn').fill('Anna Andersson');
    await member.getByLabel('Roll i styrelsen').selectOption({ label: 'Ordförande' });
    await member.getByLabel('E-postadress').fill('anna@example.org');
    await page.getByRole('group', { name: /fått bidrag från staden/ }).getByLabel('Nej').check();
  }

  async function fillContact(page) {
    // The name comes from the population register and the personnummer from the e-ID, which
    // the applicant cannot change (the definition locks it).
    const name = page.getByLabel('Namn (från folkbokföringen)', { exact: true });
    await name.waitFor();
    assert.equal(await name.inputValue(), DEMO.name);
    const personnummer = page.getByLabel('Personnummer (från din e-legitimation)', { exact: true });
    assert.equal(await personnummer.inputValue(), '189001019802');
    assert.equal(await personnummer.getAttribute('readonly'), '', 'a locked answer cannot be changed');
    await page.getByLabel('E-postadress').fill('tolva@example.org');
  }

  /** The submission requests the page makes, with their idempotency keys. */
  function recordSubmissions(page) {
    const sent = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/v1\/(catalogue\/[^/]+\/cases|me\/drafts\/[^/]+\/submit)$/.test(new URL(r.url()).pathname)) {
        sent.push(r.headers()['idempotency-key']);
      }
    });
    return sent;
  }

  it('completes the e-ID demo service with BankID: personal data, every field kind, a page shown by a condition, uploads, summary, one case, receipt and Min sida', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await page.goto(url(`/tjanster/${GRANT}`));
      await assertNoAxeViolations(page, 'the first page');
      await page.getByRole('link', { name: 'Starta' }).click();
      await h1(page, 'Logga in').waitFor();
      assert.equal(new URL(page.url()).searchParams.get('till'), `/tjanster/${GRANT}/ansokan`);
      await logInWithBankId(page, context);

      // Personal data from the register.
      await waitForStep(page, 'Dina uppgifter');
      await page.locator('.details').getByText(DEMO.name).waitFor();
      await page.locator('.details').getByText('18900101-9802').waitFor();
      const progress = page.getByRole('navigation', { name: 'Steg i ansökan' });
      assert.equal(await progress.locator('li').count(), 6, 'personal data, four pages, summary');
      assert.equal(await progress.locator('[aria-current="step"]').innerText(), 'Dina uppgifter');
      assert.match(await stepHeading(page, 'Dina uppgifter').innerText(), /^Steg 1 av 6/);
      assert.equal(await page.title(), 'Dina uppgifter – Bidrag till förening – E-tjänster');
      await assertNoAxeViolations(page, 'the personal data step');
      await next(page).click();

      // Föreningen: text with a pattern, numbers, yes/no, a conditional question and an info text.
      await waitForStep(page, 'Föreningen');
      await fillAssociation(page);
      // The organisationsnummer's check digit is checked as it is typed, in the browser.
      const orgnr = page.getByLabel('Organisationsnummer');
      await orgnr.fill('802002-4281');
      await orgnr.blur();
      await page.locator('#f-organisationsnummer-fel').getByText('Organisationsnumret stämmer inte – kontrollera siffrorna.').waitFor();
      await orgnr.fill('16802002-4280');
      await page.locator('#f-organisationsnummer-fel').getByText('Fel').waitFor({ state: 'detached' });
      await page.getByRole('group', { name: /fått bidrag från staden/ }).getByLabel('Ja').check();
      await page.getByRole('group', { name: /redovisat hur det bidraget/ }).getByLabel('Nej').check();
      await page.getByRole('heading', { level: 2, name: 'Redovisa det förra bidraget' }).waitFor();
      // The info text's heading, list and link, written with the platform's marks.
      const info = page.locator('.info-text');
      await info.getByRole('heading', { level: 3, name: 'Så gör du' }).waitFor();
      assert.equal(await info.getByRole('listitem').count(), 2);
      assert.equal(await info.getByRole('link', { name: 'kultur- och fritidsförvaltningen' }).getAttribute('href'), 'mailto:kultur.fritid@example.org');
      await assertNoAxeViolations(page, 'the page Föreningen');
      await next(page).click();

      await waitForStep(page, 'Kontaktperson');
      await fillContact(page);
      await assertNoAxeViolations(page, 'the page Kontaktperson');
      await next(page).click();

      // Bidraget: radio buttons, a drop-down, check boxes; choosing a project grant adds a page.
      await waitForStep(page, 'Bidraget');
      assert.equal(await progress.locator('li').count(), 6);
      await page.getByLabel('Projektbidrag, för ett avgränsat projekt').check();
      await progress.getByText('Projektet').waitFor();
      assert.equal(await progress.locator('li').count(), 7, 'the project page joins the steps');
      await page.getByLabel('Var har föreningen mest verksamhet?').selectOption({ label: 'Norr' });
      await page.getByLabel('Unga 13–25 år').check();
      await page.getByLabel('Barn 7–12 år').check();
      await page.getByLabel('Hur mycket söker föreningen?').fill('60 000');
      await assertNoAxeViolations(page, 'the page Bidraget');
      await next(page).click();

      // Projektet: long text and dates.
      await waitForStep(page, 'Projektet');
      await page.getByLabel('Projektets namn').fill('Sommarläger');
      await page.getByLabel(/Beskriv projektet/).fill('Ett sommarläger för unga i Norr med friluftsliv, idrott och kultur varje vecka.');
      await page.getByLabel('När börjar projektet?').fill('2027-06-01');
      await page.getByLabel('När slutar projektet?').fill('2027-08-31');
      await assertNoAxeViolations(page, 'the page Projektet');
      await next(page).click();

      // Bilagor: uploads with progress; the type is checked before anything is sent.
      await waitForStep(page, 'Bilagor');
      const uploads = [];
      page.on('request', (r) => r.url().endsWith('/api/v1/uploads') && uploads.push(r));
      await page.getByLabel('Den senaste verksamhetsberättelsen').setInputFiles(PDF('verksamhetsberattelse.pdf'));
      await page.locator('.file-name', { hasText: 'verksamhetsberattelse.pdf' }).waitFor();
      const budget = page.getByLabel('Budget', { exact: true });
      await budget.setInputFiles({ name: 'budget.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
      await page.locator('#f-budget-fel').getByText('budget.exe: Filen måste vara PDF, Excel eller OpenDocument-kalkylark.').waitFor();
      assert.equal(uploads.length, 1, 'a file of the wrong type is never uploaded');
      assert.equal(await budget.getAttribute('aria-invalid'), 'true');
      await budget.setInputFiles([PDF('budget.pdf'), PDF('budget-bilaga.pdf')]);
      await page.locator('.file-name', { hasText: 'budget-bilaga.pdf' }).waitFor();
      await page.locator('.file-name', { hasText: /^budget\.pdf$/ }).waitFor();
      assert.equal(await page.locator('#f-budget-fel').innerText(), '', 'the old error goes with the next choice');
      await page.getByRole('button', { name: 'Ta bort budget-bilaga.pdf' }).click();
      assert.equal(await page.locator('.file-name', { hasText: 'budget-bilaga.pdf' }).count(), 0);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-budget', 'focus goes back to the file input');
      await assertNoAxeViolations(page, 'the page Bilagor with files');
      await next(page).click();

      // Summary: every visible answer, grouped by page, with labels instead of values.
      await waitForStep(page, 'Granska och skicka');
      const summary = await page.locator('main').innerText();
      for (const shown of ['Föreningen Testbollen', '802002-4280', 'Ledamot 1: Namn: Anna Andersson, Roll i styrelsen: Ordförande, E-postadress: anna@example.org', '60 000 kr', 'Projektbidrag, för ett avgränsat projekt', 'Norr', 'Barn 7–12 år, Unga 13–25 år', '1 juni 2027', 'verksamhetsberattelse.pdf', 'budget.pdf', 'Sommarläger']) {
        assert.ok(summary.includes(shown), `the summary shows ${shown}`);
      }
      assert.ok(!summary.includes('budget-bilaga.pdf'));
      assert.equal(await page.getByRole('link', { name: /^Ändra / }).count(), 5, 'one per visible page');
      await assertNoAxeViolations(page, 'the summary');

      // "Ändra" goes to the page and "Nästa" straight back to the summary.
      await page.getByRole('link', { name: 'Ändra Kontaktperson' }).click();
      await waitForStep(page, 'Kontaktperson');
      await page.getByLabel('Telefonnummer').fill('042-10 50 00');
      await next(page).click();
      await waitForStep(page, 'Granska och skicka');
      await page.getByText('042-10 50 00').waitFor();

      // A double click sends once.
      const sent = recordSubmissions(page);
      await page.getByRole('button', { name: 'Skicka in' }).dblclick();
      await h1(page, 'Ditt ärende är skickat').waitFor();
      assert.equal(sent.length, 1, 'one submission request');
      const reference = (await page.locator('.reference').innerText()).trim();
      assert.match(reference, /^[A-Z]+-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      await page.getByText('Tack! Vi har tagit emot ditt ärende.').waitFor();
      await assertNoAxeViolations(page, 'the receipt');

      await page.getByRole('link', { name: 'Följ ärendet på Mina sidor' }).click();
      await h1(page, 'Mina sidor').waitFor();
      const cases = page.getByRole('region', { name: 'Mina ärenden' });
      await cases.getByText(reference).waitFor();
      assert.equal(await cases.locator('li').count(), 1, 'one case');
      await page.getByText('Du har inga påbörjade ansökningar.').waitFor();
      await assertNoAxeViolations(page, 'Min sida');

      // Applying again: the answers of this case can be taken over, when the applicant says so.
      await page.goto(url(`/tjanster/${GRANT}/ansokan`));
      await waitForStep(page, 'Dina uppgifter');
      const offer = page.locator('.notice', { hasText: 'Du har ansökt här förut' });
      await offer.getByText(reference).waitFor();
      await assertNoAxeViolations(page, 'the offer to fill in from the previous case');
      await offer.getByRole('button', { name: 'Fyll i svaren från mitt förra ärende' }).click();
      await offer.getByText('Svaren därifrån är ifyllda.').waitFor();
      await next(page).click();
      await waitForStep(page, 'Föreningen');
      assert.equal(await page.getByLabel('Föreningens namn').inputValue(), 'Föreningen Testbollen');
      assert.equal(await page.getByLabel('Organisationsnummer').inputValue(), '8020024280');
      assert.equal(await page.getByLabel('Hur många medlemmar har föreningen?').inputValue(), '', 'only the fields that ask for it');
      // The new application was saved as a draft: it goes, so that the tests after find none.
      await page.waitForURL((u) => u.searchParams.has('utkast'));
      const draftId = new URL(page.url()).searchParams.get('utkast');
      const status = await page.evaluate(async (id) => {
        const { token } = JSON.parse(sessionStorage.getItem('etjanster.session'));
        return (await fetch(`/api/v1/me/drafts/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status;
      }, draftId);
      assert.equal(status, 204);
    });
  });

  it('completes the anonymous demo service without logging in, with the same idempotency key on a retry after a lost answer', TEST_TIMEOUT, async () => {
    await withPage(async (page) => {
      await page.goto(url(`/tjanster/${STREET}`));
      await page.getByRole('link', { name: 'Starta' }).click();
      await h1(page, 'Vill du logga in?').waitFor();
      await assertNoAxeViolations(page, 'the choice to log in');
      await page.getByRole('link', { name: 'Fortsätt utan att logga in' }).click();

      await waitForStep(page, 'Vad är fel?');
      const progress = page.getByRole('navigation', { name: 'Steg i ansökan' });
      assert.deepEqual(await progress.locator('li').allInnerTexts(), ['Vad är fel?', 'Kontakt', 'Granska och skicka']);
      await page.getByLabel('Gatubelysning').check();
      await page.getByLabel('Var är felet?').fill('Storgatan 1');
      await assertNoAxeViolations(page, 'the page Vad är fel?');
      await next(page).click();

      await waitForStep(page, 'Kontakt');
      await page.getByLabel('Nej').check();
      assert.equal(await page.getByText('Spara och fortsätt senare').count(), 0, 'no drafts without logging in');
      await next(page).click();

      await waitForStep(page, 'Granska och skicka');
      await assertNoAxeViolations(page, 'the summary');

      // The first answer is lost on the way back (the case is made all the same); the retry
      // carries the same key and gets the same case, so there is one.
      const sent = recordSubmissions(page);
      const replies = [];
      let first = true;
      await page.route('**/api/v1/catalogue/*/cases', async (route) => {
        const response = await route.fetch();
        replies.push({ status: response.status(), body: await response.json() });
        if (first) {
          first = false;
          await route.abort('connectionreset');
        } else {
          await route.fulfill({ response });
        }
      });
      await page.getByRole('button', { name: 'Skicka in' }).click();
      await page.getByRole('alert').getByText('Vi fick ingen kontakt med servern').waitFor();
      await assertNoAxeViolations(page, 'the summary after a failed submission');
      await page.getByRole('button', { name: 'Skicka in' }).click();
      await h1(page, 'Felanmälan är skickad').waitFor();
      assert.equal(sent.length, 2);
      assert.equal(sent[0], sent[1], 'the retry uses the first key');
      assert.deepEqual(replies.map((r) => r.status), [201, 200]);
      assert.equal(replies[0].body.reference, replies[1].body.reference);
      assert.equal((await page.locator('.reference').innerText()).trim(), replies[0].body.reference);
      assert.equal(await page.getByRole('link', { name: 'Följ ärendet på Mina sidor' }).count(), 0);
      await page.getByText('Du lämnade ingen e-postadress, så vi kan inte svara dig om ärendet.', { exact: false }).waitFor();
      await assertNoAxeViolations(page, 'the receipt');

      // Reloading the receipt keeps it.
      await page.reload();
      await h1(page, 'Felanmälan är skickad').waitFor();
      assert.equal((await page.locator('.reference').innerText()).trim(), replies[0].body.reference);
    });
  });

  it('resumes a draft in a new browser context after logging in again, from Min sida, with the answers in place', TEST_TIMEOUT, async () => {
    let draftUrl;
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      await next(page).click();
      await waitForStep(page, 'Föreningen');
      await fillAssociation(page);
      // Saved a second after the last change: the address then names the draft.
      await page.waitForURL((u) => u.searchParams.has('utkast'));
      await page.getByText(/^Utkastet sparades/).waitFor();
      await next(page).click();
      await waitForStep(page, 'Kontaktperson');
      await page.getByLabel('E-postadress').fill('tolva@example.org');
      await page.getByRole('button', { name: 'Spara och fortsätt senare' }).click();
      await h1(page, 'Mina sidor').waitFor();
      await page.getByRole('status').getByText('Ditt utkast är sparat.').waitFor();
      draftUrl = page.url();
    });
    assert.ok(draftUrl);

    await withPage(async (page, context) => {
      await page.goto(url('/mina-sidor'));
      await h1(page, 'Logga in').waitFor();
      await logInWithBankId(page, context);
      await h1(page, 'Mina sidor').waitFor();
      const drafts = page.getByRole('region', { name: 'Påbörjade ansökningar' });
      await drafts.getByRole('heading', { name: 'Bidrag till förening' }).waitFor();
      await drafts.getByRole('link', { name: 'Fortsätt Bidrag till förening' }).click();
      // Back on the page the applicant left, with every answer.
      await waitForStep(page, 'Kontaktperson');
      assert.equal(await page.getByLabel('E-postadress').inputValue(), 'tolva@example.org');
      await page.getByRole('link', { name: 'Tillbaka' }).click();
      await waitForStep(page, 'Föreningen');
      assert.equal(await page.getByLabel('Föreningens namn').inputValue(), 'Föreningen Testbollen');
      assert.equal(await page.getByLabel('Hur många medlemmar har föreningen?').inputValue(), '120');
      assert.equal(await page.getByRole('group', { name: /fått bidrag från staden/ }).getByLabel('Nej').isChecked(), true);
    });
  });

  it('shows the fields to answer again when a draft was carried over to a new form version', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      await next(page).click();
      await waitForStep(page, 'Föreningen');
      await fillAssociation(page);
      await page.waitForURL((u) => u.searchParams.has('utkast'));
      const draftId = new URL(page.url()).searchParams.get('utkast');
      // As the server answers after a new version moved the draft: one answer did not fit.
      await page.route(`**/api/v1/me/drafts/${draftId}`, async (route) => {
        if (route.request().method() !== 'GET') return route.fallback();
        const response = await route.fetch();
        const draft = await response.json();
        delete draft.answers.organisationsnummer;
        draft.reanswer = [{ field: 'organisationsnummer', label: 'Organisationsnummer' }];
        await route.fulfill({ response, json: draft });
      });
      await page.goto(url(`/tjanster/${GRANT}/ansokan?utkast=${draftId}`));
      const notice = page.getByRole('status').filter({ hasText: 'Formuläret har ändrats' });
      await notice.waitFor();
      await assertNoAxeViolations(page, 'a step with the re-answer notice');
      // The draft was saved once, before the applicant was on a page: it resumes at the start.
      await waitForStep(page, 'Dina uppgifter');
      await notice.getByRole('link', { name: 'Organisationsnummer' }).click();
      await waitForStep(page, 'Föreningen');
      await notice.waitFor();
      // On the field's own page the link goes straight to the field.
      await notice.getByRole('link', { name: 'Organisationsnummer' }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-organisationsnummer', 'the link goes to the field');
      assert.equal(await page.getByLabel('Organisationsnummer').inputValue(), '');
      await page.getByLabel('Organisationsnummer').fill('8020024280');
      await notice.waitFor({ state: 'detached' });
    });
  });

  it('shows a conditional field as soon as an answer calls for it, and hides it again, without asking the server', TEST_TIMEOUT, async () => {
    await withPage(async (page) => {
      await page.goto(url(`/tjanster/${STREET}/ansokan?steg=felet`));
      await stepHeading(page, 'Vad är fel?').waitFor();
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      const other = page.getByLabel('Beskriv vad det gäller');
      assert.equal(await other.count(), 0);
      await page.getByLabel('Annat').check();
      await other.waitFor();
      await other.fill('Trasig bänk');
      await page.getByLabel('Klotter').check();
      await other.waitFor({ state: 'detached' });
      // The answer is kept while hidden, and back when the field is.
      await page.getByLabel('Annat').check();
      assert.equal(await other.inputValue(), 'Trasig bänk');
      assert.deepEqual(requests, [], 'no request per change');
    });
  });

  it('checks the demo\'s rules across fields as the applicant answers, with no request: an end before the start, over two years, more young members than members', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      await next(page).click();
      await waitForStep(page, 'Föreningen');
      await fillAssociation(page);
      await next(page).click();
      await waitForStep(page, 'Kontaktperson');
      await fillContact(page);
      await next(page).click();
      await waitForStep(page, 'Bidraget');
      await page.getByLabel('Projektbidrag, för ett avgränsat projekt').check();
      await page.getByLabel('Var har föreningen mest verksamhet?').selectOption({ label: 'Norr' });
      await page.getByLabel('Unga 13–25 år').check();
      await page.getByLabel('Hur mycket söker föreningen?').fill('20000');
      await next(page).click();
      await waitForStep(page, 'Projektet');

      // Offline from here: whatever the page says now, it says without the server.
      await context.setOffline(true);
      const requests = [];
      page.on('request', (r) => r.url().includes('/api/') && requests.push(`${r.method()} ${r.url()}`));
      const start = page.getByLabel('När börjar projektet?');
      await start.fill('2027-06-01');
      await page.getByLabel('När slutar projektet?').fill('2027-05-01');
      // Leaving the field (for another field: leaving it for a button shows nothing yet).
      await start.focus();
      const endError = page.locator('#f-projektslut-fel');
      await endError.getByText('Slutdatum måste vara efter startdatum.').waitFor();
      const end = page.getByLabel('När slutar projektet?');
      assert.equal(await end.getAttribute('aria-invalid'), 'true');
      await end.fill('2029-06-02');
      await endError.getByText('Ett projekt får pågå i högst två år.', { exact: false }).waitFor();
      await end.fill('2029-06-01');
      await endError.getByText('Fel').waitFor({ state: 'detached' });
      await assertNoAxeViolations(page, 'the page Projektet after a rule was broken and mended');
      assert.deepEqual(requests.filter((r) => !r.includes('/me/drafts/')), [], 'no request but the draft\'s autosave');
      await context.setOffline(false);

      // Back on the first page: more members aged 7–25 than members, named in the summary.
      for (const before of ['Bidraget', 'Kontaktperson', 'Föreningen']) {
        await page.getByRole('link', { name: 'Tillbaka' }).click();
        await waitForStep(page, before);
      }
      await page.getByLabel('Hur många av medlemmarna är mellan 7 och 25 år?').fill('500');
      await next(page).click();
      const summary = page.getByRole('alert').filter({ hasText: 'Det finns fel som du behöver rätta' });
      await summary.waitFor();
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), [
        'Hur många av medlemmarna är mellan 7 och 25 år? Medlemmarna mellan 7 och 25 år kan inte vara fler än föreningens alla medlemmar. Kontrollera de två antalen.',
      ]);
    });
  });

  it('adds and removes the board\'s rows with the keyboard, checks each row by its rule as it is answered, and fills in the contact\'s address from the register', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      await next(page).click();
      await waitForStep(page, 'Föreningen');
      await fillAssociation(page);
      const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
      const board = page.getByRole('group', { name: 'Styrelsens ledamöter', exact: true });
      assert.equal(await board.getByRole('group').count(), 1, 'one row to begin with');
      assert.equal(await board.getByRole('button', { name: /^Ta bort/ }).count(), 0, 'the one row the group needs cannot be removed');

      // A second row, from the keyboard: focus goes to its first question.
      const add = board.getByRole('button', { name: 'Lägg till ledamot' });
      await add.focus();
      await page.keyboard.press('Enter');
      await board.getByRole('group', { name: 'Ledamot 2', exact: true }).waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'f-styrelse.1.ledamot_namn');
      await page.keyboard.type('Bo Berg');
      await page.keyboard.press('Tab');
      assert.equal(await focusedId(), 'f-styrelse.1.ledamot_roll');
      await page.keyboard.press('Tab');
      assert.equal(await focusedId(), 'f-styrelse.1.ledamot_epost');
      await page.keyboard.press('Tab');
      // Neither e-mail nor telephone: the row's rule says so at the row's e-mail, in the browser.
      const second = board.getByRole('group', { name: 'Ledamot 2', exact: true });
      await page.locator('[id="f-styrelse.1.ledamot_epost-fel"]')
        .getByText('Skriv ledamotens e-postadress eller telefonnummer, så att vi når styrelsen.').waitFor();
      assert.equal(await second.getByLabel('E-postadress').getAttribute('aria-invalid'), 'true');
      await assertNoAxeViolations(page, 'a repeating group with two rows and an error in one');

      // "Nästa" lists each row's problems, named by row and question, linked to the input.
      await next(page).click();
      const summary = page.getByRole('alert').filter({ hasText: 'Det finns fel som du behöver rätta' });
      await summary.waitFor();
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), [
        'Ledamot 2 – Roll i styrelsen: Fältet måste fyllas i.',
        'Ledamot 2 – E-postadress: Skriv ledamotens e-postadress eller telefonnummer, så att vi når styrelsen.',
      ]);
      await summary.getByRole('link', { name: /^Ledamot 2 – Roll/ }).click();
      assert.equal(await focusedId(), 'f-styrelse.1.ledamot_roll');

      // Removing the row: it goes with its answers, and focus goes to the add button.
      await second.getByRole('button', { name: 'Ta bort Ledamot 2' }).press('Enter');
      await second.waitFor({ state: 'detached' });
      assert.equal(await focusedId(), 'f-styrelse-ny-rad');
      await next(page).click();

      // The contact's address, from the register, shown as such; the applicant may change it.
      await waitForStep(page, 'Kontaktperson');
      const address = page.getByRole('group', { name: 'Din adress (valfritt) (från folkbokföringen)', exact: true });
      await address.waitFor();
      assert.equal(await address.getByLabel('Gatuadress').inputValue(), 'LGH 1001, SIMULATORVÄGEN 3');
      assert.equal(await address.getByLabel('Postnummer').inputValue(), '99992');
      assert.equal(await address.getByLabel('Ort').inputValue(), 'PROVBY');
      assert.equal(await address.getByLabel('Postnummer').getAttribute('autocomplete'), 'postal-code');
      await address.getByLabel('Postnummer').fill('9999');
      await address.getByLabel('Ort').focus();
      await page.locator('[id="f-kontakt_adress.postnummer-fel"]').getByText('Skriv postnumret med fem siffror, som 252 25.').waitFor();
      await address.getByLabel('Postnummer').fill('252 21');
      await fillContact(page);
      await assertNoAxeViolations(page, 'an address filled in from the register');
      await next(page).click();
      await waitForStep(page, 'Bidraget');
      await page.getByLabel('Aktivitetsbidrag, för regelbunden verksamhet').check();
      await page.getByLabel('Var har föreningen mest verksamhet?').selectOption({ label: 'Norr' });
      await page.getByLabel('Unga 13–25 år').check();
      await page.getByLabel('Hur mycket söker föreningen?').fill('20000');
      await next(page).click();
      await waitForStep(page, 'Bilagor');
      await page.getByLabel('Den senaste verksamhetsberättelsen').setInputFiles(PDF('verksamhetsberattelse.pdf'));
      await page.locator('.file-name', { hasText: 'verksamhetsberattelse.pdf' }).waitFor();
      await next(page).click();
      await waitForStep(page, 'Granska och skicka');
      const shown = await page.locator('main').innerText();
      assert.ok(shown.includes('Ledamot 1: Namn: Anna Andersson, Roll i styrelsen: Ordförande, E-postadress: anna@example.org'), shown);
      assert.ok(!shown.includes('Bo Berg'), 'the removed row is gone');
      assert.ok(shown.includes('LGH 1001, SIMULATORVÄGEN 3, 252 21 PROVBY'), shown);
      await page.getByRole('button', { name: 'Skicka in' }).click();
      await h1(page, 'Ditt ärende är skickat').waitFor();
    });
  });

  it('shows an error summary on an invalid page that takes focus and links to each field, with the messages the server gives', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      await next(page).click();
      await waitForStep(page, 'Föreningen');
      await page.getByLabel('Organisationsnummer').fill('12345');
      await page.getByLabel('Hur många medlemmar har föreningen?').fill('2,5');
      await next(page).click();

      const summary = page.getByRole('alert').filter({ hasText: 'Det finns fel som du behöver rätta' });
      await summary.waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'felsammanfattning');
      assert.equal(await page.title(), 'Fel: Föreningen – Bidrag till förening – E-tjänster');
      const links = summary.getByRole('link');
      assert.deepEqual(await links.allInnerTexts(), [
        'Föreningens namn: Fältet måste fyllas i.',
        'Organisationsnummer: Skriv organisationsnumret med tio siffror, som 802002-4280.',
        'Hur många medlemmar har föreningen? Skriv ett heltal.',
        'Hur många av medlemmarna är mellan 7 och 25 år? Fältet måste fyllas i.',
        'Styrelsens ledamöter: Fältet måste fyllas i.',
        'Har föreningen fått bidrag från staden de senaste tre åren? Fältet måste fyllas i.',
      ]);
      // Each field says what is wrong, tied to it for screen readers.
      const orgnr = page.getByLabel('Organisationsnummer');
      assert.equal(await orgnr.getAttribute('aria-invalid'), 'true');
      assert.match(await orgnr.getAttribute('aria-describedby'), /f-organisationsnummer-fel/);
      assert.equal(await page.locator('#f-organisationsnummer-fel').textContent(), 'Fel: Skriv organisationsnumret med tio siffror, som 802002-4280.');
      await assertNoAxeViolations(page, 'a page with errors');

      // The links jump to their fields; a radio group's goes to its first option.
      await links.nth(1).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-organisationsnummer');
      // An error about a whole repeating group goes to its first row's first question.
      await links.nth(4).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-styrelse.0.ledamot_namn');
      await links.nth(5).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-fatt_bidrag_tidigare');

      // Fixing an answer takes its error away at once.
      await orgnr.fill('802002-4280');
      await page.locator('#f-organisationsnummer-fel').getByText('Fel').waitFor({ state: 'detached' });
      assert.equal(await links.count(), 5);
      // Inline validation when a field is left.
      await page.getByLabel('Hur många av medlemmarna är mellan 7 och 25 år?').fill('-1');
      await page.keyboard.press('Tab');
      await page.locator('#f-medlemmar_7_25-fel').getByText('Talet får inte vara mindre än 0.').waitFor();
    });
  });

  it('can be completed with the keyboard alone', TEST_TIMEOUT, async () => {
    await withPage(async (page) => {
      const focused = () => page.evaluate(() => {
        const el = document.activeElement;
        return { id: el?.id ?? '', text: (el?.innerText ?? el?.value ?? '').trim(), tag: el?.tagName };
      });
      /** Presses Tab until `want` holds for the focused element (at most 40 times). */
      async function tabTo(want) {
        for (let i = 0; i < 40; i++) {
          await page.keyboard.press('Tab');
          if (want(await focused())) return;
        }
        assert.fail('the element was not reached with Tab');
      }
      await page.goto(url(`/tjanster/${STREET}`));
      await h1(page, 'Felanmälan gata och park').waitFor();
      await tabTo((f) => f.text.startsWith('Starta'));
      await page.keyboard.press('Enter');
      await h1(page, 'Vill du logga in?').waitFor();
      await tabTo((f) => f.text === 'Fortsätt utan att logga in');
      await page.keyboard.press('Enter');

      await waitForStep(page, 'Vad är fel?');
      await page.keyboard.press('Tab');
      assert.equal((await focused()).id, 'f-typ', 'from the heading, Tab goes to the first question');
      await page.keyboard.press('ArrowDown'); // Hål i gatan
      await page.keyboard.press('Tab');
      assert.equal((await focused()).id, 'f-plats');
      await page.keyboard.type('Storgatan 1');
      await page.keyboard.press('Enter');

      await waitForStep(page, 'Kontakt');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space'); // Ja
      await page.getByLabel('E-postadress').waitFor();
      await page.keyboard.press('Tab');
      assert.equal((await focused()).id, 'f-epost');
      await page.keyboard.type('namn@example.org');
      await page.keyboard.press('Enter');

      await waitForStep(page, 'Granska och skicka');
      await page.getByText('Hål i gatan').waitFor();
      await tabTo((f) => f.text === 'Skicka in');
      await page.keyboard.press('Enter');
      await h1(page, 'Felanmälan är skickad').waitFor();
      await page.getByText('Du får ett e-postmeddelande med en personlig länk.', { exact: false }).waitFor();
    });
  });

  it('speaks English when switched, remembers it, and formats dates for the language', TEST_TIMEOUT, async () => {
    await withPage(async (page) => {
      await page.goto(url(`/tjanster/${STREET}`));
      const banner = page.getByRole('banner');
      await banner.getByRole('button', { name: 'English' }).click();
      await page.getByRole('link', { name: 'Start' }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await page.getByRole('heading', { level: 2, name: 'How we process your personal data' }).waitFor();
      // The service's own texts stay as written, and say that they are Swedish.
      assert.equal(await page.locator('h1 > span').getAttribute('lang'), 'sv');

      await page.reload();
      await page.getByRole('link', { name: 'Start' }).click();
      await h1(page, 'Do you want to log in?').waitFor();
      await page.getByRole('link', { name: 'Continue without logging in' }).click();
      await h1(page, /^Step 1 of 3/).waitFor();
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      await page.getByRole('alert').getByText('There is a problem').waitFor();
      await page.getByRole('alert').getByText('Vad gäller det? This field is required.').waitFor();
      await assertNoAxeViolations(page, 'a page with errors in English');

      await banner.getByRole('button', { name: 'Svenska' }).click();
      await page.getByRole('alert').getByText('Vad gäller det? Fältet måste fyllas i.').waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
    });
  });

  it('marks every text the service wrote as Swedish (lang="sv") when the platform speaks English: catalogue, first page, steps, errors, summary, receipt', TEST_TIMEOUT, async () => {
    const service = await (await fetch(url(`/api/v1/catalogue/${STREET}`))).json();
    const texts = serviceTexts(service);
    assert.ok(texts.includes('Hål i gatan') && texts.includes('Var är felet?'), 'the service texts are read from the API');
    await withPage(async (page) => {
      /** Fails when a text of the service is shown on the page outside an element with lang="sv". */
      async function assertMarkedSwedish(where) {
        assert.equal(await page.locator('html').getAttribute('lang'), 'en', where);
        assert.deepEqual(await unmarkedServiceTexts(page, texts), [], `service texts not marked as Swedish on ${where}`);
      }
      await page.goto(url('/'));
      await page.getByRole('banner').getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'E-services' }).waitFor();
      await page.getByRole('link', { name: service.name }).waitFor();
      await assertMarkedSwedish('the catalogue');

      await page.getByRole('link', { name: service.name }).click();
      await page.getByRole('link', { name: 'Start' }).waitFor();
      await assertMarkedSwedish('the first page');
      await page.getByRole('link', { name: 'Start' }).click();
      await h1(page, 'Do you want to log in?').waitFor();
      await assertMarkedSwedish('the choice to log in');
      await page.getByRole('link', { name: 'Continue without logging in' }).click();

      await h1(page, /^Step 1 of 3/).waitFor();
      await page.getByLabel('Annat').check();
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      await page.getByRole('alert').getByText('There is a problem').waitFor();
      await assertMarkedSwedish('a page with errors');
      await page.getByLabel('Beskriv vad det gäller').fill('En trasig bänk');
      await page.getByLabel('Var är felet?').fill('Storgatan 1');
      await page.getByRole('button', { name: 'Next', exact: true }).click();

      await h1(page, /^Step 2 of 3/).waitFor();
      await page.getByLabel('Yes').check();
      await page.getByLabel('E-postadress').fill('namn@example.org');
      await assertMarkedSwedish('the contact page');
      await page.getByRole('button', { name: 'Next', exact: true }).click();

      await h1(page, /^Step 3 of 3/).waitFor();
      // The answer to a choice is the option's label: the service's words too.
      await page.locator('dd').getByText('Annat', { exact: true }).waitFor();
      await assertMarkedSwedish('the summary');
      await assertNoAxeViolations(page, 'the summary in English');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await h1(page, 'Felanmälan är skickad').waitFor();
      await assertMarkedSwedish('the receipt');
    });
  });

  it('shows the service\'s English texts where it wrote them, in English messages, and its Swedish-only texts marked lang="sv"', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      await page.getByRole('banner').getByRole('button', { name: 'English' }).click();
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      // The first page is translated: title, description, labels and help are English, and not marked Swedish.
      await stepHeading(page, 'The association').waitFor();
      // So is the service's name.
      await page.locator('.caption').getByText('Grants to associations').waitFor();
      assert.equal(await page.title(), 'The association – Grants to associations – E-services');
      const langOf = (locator) => locator.evaluate((el) => el.closest('[lang]').getAttribute('lang'));
      assert.equal(await langOf(page.locator('#steg-rubrik').getByText('The association', { exact: true })), 'en');
      await page.getByText("The details must agree with the association's statutes and its latest annual meeting.").waitFor();
      const name = page.getByLabel("The association's name");
      await name.waitFor();
      assert.equal(await langOf(page.locator('label[for="f-foreningens_namn"] span').first()), 'en');
      await page.getByText('It is on the registration certificate from the Swedish Tax Agency.').waitFor();
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      const alert = page.getByRole('alert');
      await alert.getByText('There is a problem').waitFor();
      await alert.getByText("The association's name: This field is required.").waitFor();
      await name.fill('Föreningen Testbollen');
      await page.getByLabel('Organisation number').fill('802002-4281');
      await page.getByLabel('Organisation number').blur();
      await page.locator('#f-organisationsnummer-fel').getByText('The organisation number is not right – check the digits.').waitFor();
      await page.getByLabel('Organisation number').fill('802002-4280');
      await page.getByLabel('How many members does the association have?').fill('40');
      await page.getByLabel('How many of the members are aged 7 to 25?').fill('12');
      // The repeating group's texts, in English too: its rows are numbered members.
      const member = page.getByRole('group', { name: 'Member 1', exact: true });
      await member.getByLabel('Name').fill('Anna Andersson');
      await member.getByLabel('Role on the board').selectOption({ label: 'Chair' });
      await member.getByLabel('E-mail address').fill('anna@example.org');
      await page.getByRole('button', { name: 'Add member' }).waitFor();
      await page.getByRole('group', { name: /had a grant from the city/ }).getByLabel('No').check();
      await assertNoAxeViolations(page, 'a translated page in English');
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      // The next page has no English: it is shown in Swedish, marked so.
      await stepHeading(page, 'Kontaktperson').waitFor();
      assert.equal(await langOf(page.locator('#steg-rubrik').getByText('Kontaktperson', { exact: true })), 'sv');
      assert.equal(await langOf(page.locator('label[for="f-kontakt_namn"] span').first()), 'sv');
      // Back in Swedish, the translated page speaks Swedish again.
      await page.getByRole('banner').getByRole('button', { name: 'Svenska' }).click();
      await page.getByRole('link', { name: 'Tillbaka' }).click();
      await stepHeading(page, 'Föreningen').waitFor();
      await page.getByLabel('Föreningens namn').waitFor();
    });
  });

  it('fits a 360 px wide screen without sideways scrolling', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok((await overflow()) <= 0, 'personal data');
      await next(page).click();
      await waitForStep(page, 'Föreningen');
      await next(page).click();
      await page.getByRole('alert').waitFor();
      assert.ok((await overflow()) <= 0, 'a page with errors');
      await assertNoAxeViolations(page, 'a page with errors at 360 px');
      await page.goto(url(`/tjanster/${GRANT}/ansokan?steg=granska-och-skicka`));
      await stepHeading(page, 'Granska och skicka').waitFor();
      assert.ok((await overflow()) <= 0, 'the summary');
      await assertNoAxeViolations(page, 'the summary at 360 px');
    }, { viewport: { width: 360, height: 740 } });
  });

  it('on a phone (375 × 812) has the step\'s heading near the top: a one-line header with the account links behind "Meny", the steps behind "Alla steg", both opened with the keyboard', TEST_TIMEOUT, async () => {
    const headingTop = (page) => page.evaluate(() => document.querySelector('h1').getBoundingClientRect().top);
    const focusedText = (page) => page.evaluate(() => document.activeElement?.textContent.trim());
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      const banner = page.getByRole('banner');
      const progress = page.getByRole('navigation', { name: 'Steg i ansökan' });
      const steps = progress.locator('ol');
      assert.ok((await headingTop(page)) <= 120, `the first step's heading starts ${await headingTop(page)} px from the top`);
      await next(page).click();
      await waitForStep(page, 'Föreningen');
      // A step with a back link: the header, "Tillbaka", "Alla steg" and the service's name take
      // at most about 120 px (they took about 360).
      const top = await headingTop(page);
      assert.ok(top <= 130, `the heading starts ${top} px from the top`);
      assert.match(await stepHeading(page, 'Föreningen').innerText(), /^Steg 2 av 6/);
      assert.equal(await steps.isVisible(), false, 'the steps are folded');
      assert.equal(await banner.getByRole('button', { name: 'Logga ut' }).isVisible(), false, 'the account links are folded');
      assert.ok((await banner.boundingBox()).height <= 60, 'the header is one line');
      await assertNoAxeViolations(page, 'a step on a phone');

      // From the heading, Shift+Tab reaches "Alla steg"; Enter opens the list with the current step.
      await page.keyboard.press('Shift+Tab');
      assert.equal(await focusedText(page), 'Alla steg');
      await page.keyboard.press('Enter');
      await steps.waitFor();
      assert.equal(await progress.locator('details').evaluate((d) => d.open), true);
      assert.equal(await progress.locator('[aria-current="step"]').innerText(), 'Föreningen');
      assert.equal(await steps.locator('li').count(), 6);
      await assertNoAxeViolations(page, 'a step on a phone with its steps open');
      await page.keyboard.press('Space');
      await steps.waitFor({ state: 'hidden' });

      // "Meny" opens the account links over the page, with the keyboard too.
      await banner.locator('summary').focus();
      assert.equal(await focusedText(page), 'Meny');
      await page.keyboard.press('Enter');
      await banner.getByRole('button', { name: 'Logga ut' }).waitFor();
      await banner.getByRole('link', { name: 'Mina uppgifter' }).waitFor();
      await assertNoAxeViolations(page, 'a step on a phone with the account menu open');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
      // The next page starts with the menu closed.
      await banner.getByRole('link', { name: 'Mina uppgifter' }).click();
      await page.getByRole('heading', { level: 1, name: 'Mina uppgifter' }).waitFor();
      assert.equal(await banner.getByRole('button', { name: 'Logga ut' }).isVisible(), false);
    }, { viewport: { width: 375, height: 812 } });

    // A wide screen shows the steps and the account links without the summaries.
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      const progress = page.getByRole('navigation', { name: 'Steg i ansökan' });
      assert.ok(await progress.locator('ol').isVisible());
      assert.equal(await progress.locator('summary').isVisible(), false);
      assert.ok(await page.getByRole('banner').getByRole('button', { name: 'Logga ut' }).isVisible());
      assert.equal(await page.getByRole('banner').locator('summary').isVisible(), false);
    });
  });

  it('works at 200% zoom (1280 px enlarged twice): no sideways scrolling, and the step page and its error summary stay usable', TEST_TIMEOUT, async () => {
    // A 1280 × 800 screen at 200 %: the page gets 640 × 400 CSS pixels, each drawn as 2 × 2.
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      assert.deepEqual(await page.evaluate(() => [window.innerWidth, window.devicePixelRatio]), [640, 2]);
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok((await overflow()) <= 0, 'personal data');
      await assertNoAxeViolations(page, 'the personal data step at 200 %');
      await next(page).click();
      await waitForStep(page, 'Föreningen');
      assert.ok((await overflow()) <= 0, 'a page of questions');
      await page.getByLabel('Organisationsnummer').fill('12345');
      await next(page).click();

      const summary = page.getByRole('alert').filter({ hasText: 'Det finns fel som du behöver rätta' });
      await summary.waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'felsammanfattning');
      assert.ok((await overflow()) <= 0, 'a page with errors');
      assert.ok(await summary.isVisible());
      const inView = (id) => page.evaluate((id) => {
        const r = document.getElementById(id).getBoundingClientRect();
        return r.top >= 0 && r.left >= 0 && r.right <= window.innerWidth && r.top < window.innerHeight;
      }, id);
      assert.ok(await inView('felsammanfattning'), 'the error summary is scrolled into view');
      await assertNoAxeViolations(page, 'a page with errors at 200 %');

      // The summary's links still take the applicant to the field, which is then in view.
      await summary.getByRole('link', { name: /^Organisationsnummer:/ }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-organisationsnummer');
      assert.ok(await inView('f-organisationsnummer'), 'the field is scrolled into view');
      await page.getByLabel('Organisationsnummer').fill('802002-4280');
      await page.locator('#f-organisationsnummer-fel').getByText('Fel').waitFor({ state: 'detached' });
      // Every button of the page can be reached and is not cut off.
      for (const name of ['Nästa', 'Spara och fortsätt senare']) {
        const box = await page.getByRole('button', { name, exact: true }).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 640, `${name} fits the width`);
      }
    }, { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
  });

  it('shows the progress of an upload while the file is on its way, ending at 100 %', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      await page.goto(url(`/tjanster/${GRANT}/ansokan?steg=bilagor`));
      await stepHeading(page, 'Bilagor').waitFor();
      // Every value a progress bar shows, in order.
      await page.evaluate(() => {
        window.progressSeen = [];
        const record = () => {
          for (const bar of document.querySelectorAll('progress')) {
            if (window.progressSeen.at(-1) !== bar.value) window.progressSeen.push(bar.value);
          }
        };
        new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
      });
      // A slow line: 512 kB at 128 kB/s takes about four seconds to send.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 128 * 1024,
      });
      const big = { name: 'stor-berattelse.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(512 * 1024, 0x20)]) };
      await page.getByLabel('Den senaste verksamhetsberättelsen').setInputFiles(big);

      const bar = page.getByRole('progressbar', { name: big.name });
      await bar.waitFor();
      assert.ok(await bar.isVisible(), 'the progress bar is shown');
      await page.getByRole('button', { name: `Avbryt ${big.name}` }).waitFor();
      await assertNoAxeViolations(page, 'the page Bilagor while a file uploads');

      // Once stored, the file is listed with its size and "Ta bort" instead of the bar.
      await page.getByRole('button', { name: `Ta bort ${big.name}` }).waitFor();
      assert.equal(await bar.count(), 0, 'the bar is gone');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

      const seen = await page.evaluate(() => window.progressSeen);
      assert.ok(seen.some((v) => v > 0 && v < 100), `progress in between was shown: ${seen}`);
      assert.equal(seen.at(-1), 100, `the bar ends complete: ${seen}`);
      assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'progress only goes forward');
    });
  });

  it('announces in a polite live region when an upload starts, when the file is uploaded, and when a file is refused', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      await page.goto(url(`/tjanster/${GRANT}/ansokan?steg=bilagor`));
      await stepHeading(page, 'Bilagor').waitFor();
      const input = page.getByLabel('Den senaste verksamhetsberättelsen');
      const region = page.locator(`#${await input.getAttribute('id')}-status`);
      assert.equal(await region.getAttribute('role'), 'status', 'a polite live region');
      assert.equal(await region.innerText(), '', 'silent until something happens');
      const regionId = `${await input.getAttribute('id')}-status`;

      // A file of the wrong type: the region says why, as the field's error does, in either language.
      await input.setInputFiles({ name: 'berattelse.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
      await region.getByText(/^berattelse\.exe: Filen måste vara PDF\./).waitFor();
      await page.getByRole('button', { name: 'English' }).click();
      await region.getByText(/^berattelse\.exe: The file must be PDF\./).waitFor();
      await page.getByRole('button', { name: 'Svenska' }).click();

      // Every text the region gets from now on, in order.
      await page.evaluate((id) => {
        window.announced = [];
        const el = document.getElementById(id);
        new MutationObserver(() => window.announced.push(el.textContent)).observe(el, { subtree: true, childList: true, characterData: true });
      }, regionId);
      // A slow line, so that the upload is seen under way.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
      const file = { name: 'berattelse.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(256 * 1024, 0x20)]) };
      await input.setInputFiles(file);
      await page.getByRole('progressbar', { name: file.name }).waitFor();
      assert.equal(await region.innerText(), 'Laddar upp berattelse.pdf …');
      await page.getByRole('button', { name: `Ta bort ${file.name}` }).waitFor();
      await page.waitForFunction((id) => document.getElementById(id)?.textContent === 'berattelse.pdf är uppladdad.', regionId);
      assert.deepEqual(
        (await page.evaluate(() => window.announced)).filter((t, i, all) => t && t !== all[i - 1]),
        ['Laddar upp berattelse.pdf …', 'berattelse.pdf är uppladdad.'],
      );
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await assertNoAxeViolations(page, 'the page Bilagor after an upload');
    });
  });

  it('deletes a draft from Min sida after asking, moves focus to the drafts heading with a status message, shows an error when the server fails, and the draft stays gone after a reload', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startGrantLoggedIn(page, context);
      await next(page).click();
      await waitForStep(page, 'Föreningen');
      await fillAssociation(page);
      await page.waitForURL((u) => u.searchParams.has('utkast'));
      const draftId = new URL(page.url()).searchParams.get('utkast');
      await page.getByText(/^Utkastet sparades/).waitFor();

      await page.goto(url('/mina-sidor'));
      await h1(page, 'Mina sidor').waitFor();
      // The test person may have drafts from other tests: this one is the item that resumes it.
      const drafts = page.getByRole('region', { name: 'Påbörjade ansökningar' });
      const item = drafts.getByRole('listitem').filter({ has: page.locator(`a[href$="utkast=${draftId}"]`) });
      await item.waitFor();
      const before = await drafts.getByRole('listitem').count();
      const remove = item.getByRole('button', { name: 'Ta bort Bidrag till förening' });
      await assertNoAxeViolations(page, 'Min sida with a draft');

      // Saying no keeps the draft.
      const questions = [];
      page.once('dialog', (d) => { questions.push(d.message()); d.dismiss(); });
      await remove.click();
      assert.deepEqual(questions, ['Ta bort utkastet till Bidrag till förening? Det går inte att ångra.']);
      assert.equal(await item.count(), 1, 'the draft is kept');

      // The server fails: an error is shown and announced, the draft stays, focus stays on its button.
      const deletePath = `**/api/v1/me/drafts/${draftId}`;
      await page.route(deletePath, (route) => (route.request().method() === 'DELETE'
        ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ message: 'Internt fel', code: 'internal_error', type: 'server_error' }) })
        : route.continue()));
      page.once('dialog', (d) => d.accept());
      await remove.click();
      const alert = drafts.getByRole('alert');
      await alert.getByText('Utkastet kunde inte tas bort. Tjänsten fungerar inte som den ska just nu. Försök igen om en stund.').waitFor();
      assert.equal(await item.count(), 1, 'the draft is kept when the server fails');
      assert.equal(await remove.evaluate((el) => el === document.activeElement), true, 'focus stays on the button');
      await assertNoAxeViolations(page, 'Min sida after a failed deletion');
      await page.unroute(deletePath);

      const deletes = [];
      page.on('request', (r) => r.method() === 'DELETE' && deletes.push(new URL(r.url()).pathname));
      page.once('dialog', (d) => d.accept());
      await remove.click();
      // Focus goes to the drafts' heading, and a status message says the draft is gone.
      await page.waitForFunction(() => document.activeElement?.id === 'utkast');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent.trim()), 'Påbörjade ansökningar');
      await drafts.getByRole('status').getByText('Utkastet är borttaget.').waitFor();
      assert.equal(await alert.innerText(), '', 'the earlier error is gone');
      // The list is fetched again: the others are back, this one is not.
      const listed = () => page.waitForFunction(
        (n) => !document.querySelector('[aria-labelledby="utkast"] .loading')
          && document.querySelectorAll('[aria-labelledby="utkast"] li').length === n,
        before - 1,
      );
      await listed();
      assert.equal(await item.count(), 0, 'the draft is gone');
      assert.deepEqual(deletes, [`/api/v1/me/drafts/${draftId}`]);
      await assertNoAxeViolations(page, 'Min sida after deleting a draft');

      await page.reload();
      await h1(page, 'Mina sidor').waitFor();
      await listed();
      assert.equal(await item.count(), 0, 'the draft stays gone');
    });
  });
});
