// Case handling in a real browser against the real backend (`serve --demo`): the handler logs in,
// finds the case in the inbox, assigns it, registers it, asks for a supplement; the applicant
// supplements on Min sida; the handler sees what changed, attaches a decision and closes the case;
// the applicant reads and downloads the decision. The handlers' pages are their own app
// (/handlaggning, a wasm of its own). axe-core checks every screen on the way.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startBackend } from './lib/backend.js';
import { launchBrowser } from './lib/browser.js';
import { STREET, journeySteps } from './lib/staff-journey.js';

const TEST_TIMEOUT = { timeout: 180_000 };
const DECISION = { name: 'beslut.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% beslut\n') };

describe('Case handling: inbox, assignment, statuses, supplements, decisions, and the applicant on Min sida', () => {
  /** @type {Awaited<ReturnType<typeof startBackend>>} */
  let backend;
  /** @type {import('playwright-core').Browser} */
  let browser;

  before(async () => {
    backend = await startBackend();
    browser = await launchBrowser();
    assert.ok(backend.accounts.handlaggare, 'the demo prints the handler account');
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await backend?.stop();
  });

  const { url, h1, assertNoAxeViolations, newPage, applicantLogsIn, submitCase } = journeySteps(() => ({ backend, browser }));

  /**
   * Waits until the keyboard focus is on the element whose text is `text` (a result's message that
   * takes the focus), and says where it is when it is not.
   */
  async function assertFocusOn(page, text, after) {
    await page.waitForFunction((t) => document.activeElement?.textContent?.trim() === t, text, { timeout: 5_000 }).catch(() => {});
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el ? `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> ${el.textContent.trim().slice(0, 80)}` : 'nothing';
    });
    assert.ok(focused.endsWith(`> ${text}`), `after ${after} the focus is on ${focused}, not on the message "${text}"`);
  }

  /** The handler logs in on the staff login page (where /handlaggning sends them). */
  async function handlerLogsIn(page) {
    await page.goto(url('/handlaggning'));
    await h1(page, 'Logga in som handläggare').waitFor();
    assert.equal(new URL(page.url()).pathname, '/handlaggning/logga-in');
    await assertNoAxeViolations(page, 'the staff login page');
    await page.getByLabel('Användarnamn').fill('handlaggare');
    await page.getByLabel('Lösenord').fill('fel-lösenord');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('alert').getByText('Fel användarnamn eller lösenord.').waitFor();
    await page.getByLabel('Lösenord').fill(backend.accounts.handlaggare);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await h1(page, 'Inkorg').waitFor();
  }

  it('a handler registers a case, asks for a supplement, the applicant supplements on Min sida, the handler closes it with a decision, and the applicant reads the decision', TEST_TIMEOUT, async () => {
    const applicant = await newPage();
    const handler = await newPage();
    // No screen asks for what its user may not have: nothing the server refuses (403, or 404 for a
    // section that does not exist), in the handler's pages or the applicant's.
    const refused = [];
    for (const { page } of [applicant, handler]) {
      page.on('response', (r) => {
        if (r.url().includes('/api/') && [403, 404].includes(r.status())) refused.push(`${r.status()} ${r.request().method()} ${r.url()}`);
      });
    }
    try {
      await applicantLogsIn(applicant.page, applicant.context);
      const reference = await submitCase(applicant.page);
      assert.match(reference, /^[A-Z]+-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

      // The inbox: counts per status, filters, the case found by its reference.
      const staff = handler.page;
      await handlerLogsIn(staff);
      await staff.getByRole('navigation', { name: 'Ärenden per status' }).getByRole('link', { name: /Inskickat/ }).waitFor();
      await assertNoAxeViolations(staff, 'the inbox');
      await staff.getByLabel('Sök ärendenummer eller personnummer').fill(reference);
      await staff.getByRole('button', { name: 'Filtrera' }).click();
      await staff.waitForURL((u) => u.searchParams.get('sok') === reference);
      const rows = staff.locator('table.cases tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 1, 'one case has that reference');
      // The applicant's personnummer finds it too, and stays out of the address (history, logs).
      await staff.getByLabel('Sök ärendenummer eller personnummer').fill('18900101-9802');
      await staff.getByLabel('Handläggare').selectOption({ label: 'Ej tilldelade' });
      await staff.getByRole('button', { name: 'Filtrera' }).click();
      await staff.waitForURL((u) => u.searchParams.get('tilldelad') === 'ingen');
      assert.ok(!staff.url().includes('9802'), staff.url());
      await staff.getByRole('link', { name: reference }).waitFor();
      assert.equal(await rows.count(), 1, 'one case of that person');
      await staff.getByRole('link', { name: reference }).click();

      // The case: answers as submitted, assignment, registration.
      await h1(staff, new RegExp(reference)).waitFor();
      assert.equal(new URL(staff.url()).pathname, `/handlaggning/arenden/${reference}`);
      await staff.getByText('Storgatan 1', { exact: true }).waitFor();
      await staff.getByText('Hål i gatan', { exact: true }).waitFor();
      await assertNoAxeViolations(staff, 'the case view');

      // At 1280 px the answers stand beside the actions, and a menu leads to every section's heading.
      assert.equal(staff.viewportSize().width, 1280);
      const answersBox = await staff.getByRole('region', { name: 'Svar', exact: true }).boundingBox();
      for (const name of ['Tilldelning', 'Ändra status']) {
        const box = await staff.getByRole('region', { name, exact: true }).boundingBox();
        assert.ok(answersBox.x + answersBox.width <= box.x, `"Svar" (${JSON.stringify(answersBox)}) is left of "${name}" (${JSON.stringify(box)})`);
        assert.ok(box.y < answersBox.y + answersBox.height && answersBox.y < box.y + box.height, `"Svar" and "${name}" are side by side: ${JSON.stringify([answersBox, box])}`);
      }
      const menu = staff.getByRole('navigation', { name: 'Ärendets delar' });
      const sections = ['Svar', 'Kompletteringar', 'Meddelanden', 'Beslut och dokument', 'Tilldelning', 'Ändra status', 'Händelser', 'Interna anteckningar', 'Gallring'];
      for (const name of sections) {
        const href = await menu.getByRole('link', { name, exact: true }).getAttribute('href');
        assert.match(href, /^#[a-z-]+$/, `the menu's link to ${name}`);
        assert.equal(await staff.locator(`h2${href}`).innerText(), name, `the menu's ${href} leads to the heading ${name}`);
      }
      await menu.getByRole('link', { name: 'Meddelanden', exact: true }).click();
      await staff.waitForFunction(() => document.activeElement?.id === 'meddelanden');
      assert.ok(new URL(staff.url()).pathname.endsWith(reference), 'the menu stays on the page');

      // The timeline names who did what in Swedish: the applicant sent the case.
      const timeline = staff.getByRole('region', { name: 'Händelser', exact: true });
      assert.match(await timeline.innerText(), /Inskickat – sökanden/);
      assert.doesNotMatch(await timeline.innerText(), /applicant/);

      // The status choice starts at a neutral prompt, never at a status the handler did not choose.
      const newStatus = staff.getByLabel('Ny status');
      assert.equal(await newStatus.inputValue(), '');
      assert.equal(await newStatus.locator('option:checked').innerText(), 'Välj status');
      await staff.getByRole('button', { name: 'Ändra status' }).click();
      await staff.getByRole('alert').getByText('Välj den nya statusen.').waitFor();
      await staff.locator('.case-status').getByText('Inskickat').waitFor();

      // "Tilldela mig": the button goes, the focus goes to the result (not to <body>), and the
      // status form's complaint before is gone.
      await staff.getByRole('button', { name: 'Tilldela mig' }).click();
      await staff.getByRole('status').getByText('Ärendet är tilldelat Demo Handläggare.').waitFor();
      await staff.locator('.case-facts').getByText('Demo Handläggare').waitFor();
      await staff.getByRole('button', { name: 'Tilldela mig' }).waitFor({ state: 'detached' });
      await assertFocusOn(staff, 'Ärendet är tilldelat Demo Handläggare.', '"Tilldela mig"');
      assert.equal(await staff.getByText('Välj den nya statusen.').count(), 0, 'the earlier complaint is gone');

      // "Ändra status": the focus goes to the result; the assignment's message is gone; the choice
      // starts again at the prompt; the timeline names the handler by name.
      await newStatus.selectOption({ label: 'Registrerat' });
      await staff.getByRole('button', { name: 'Ändra status' }).click();
      await staff.locator('.case-status').getByText('Registrerat').waitFor();
      await staff.getByRole('status').getByText('Statusen är ändrad till Registrerat.').waitFor();
      await assertFocusOn(staff, 'Statusen är ändrad till Registrerat.', '"Ändra status"');
      assert.equal(await staff.getByText('Ärendet är tilldelat Demo Handläggare.').count(), 0, 'the earlier success message is gone');
      assert.equal(await newStatus.inputValue(), '');
      await timeline.getByText(/Registrerat \(från Inskickat\) – Demo Handläggare/).waitFor();
      assert.doesNotMatch(await timeline.innerText(), /– handlaggare/);
      await assertNoAxeViolations(staff, 'the case after an assignment and a status change');

      // A message with a file to the applicant, and an internal note.
      await staff.getByLabel('Nytt meddelande till den sökande').fill('Vi tittar på det. Se kartan.');
      await staff.getByLabel('Bifoga en fil (valfritt)').setInputFiles({ ...DECISION, name: 'karta.pdf' });
      await staff.getByRole('button', { name: 'Skicka meddelande' }).click();
      await staff.getByText('Meddelandet är skickat.').waitFor();
      await staff.getByRole('button', { name: 'Ladda ner karta.pdf' }).waitFor();
      await staff.getByLabel('Ny anteckning').fill('Ring gatuenheten.');
      await staff.getByRole('button', { name: 'Spara anteckning' }).click();
      await staff.locator('.notes').getByText('Ring gatuenheten.').waitFor();
      await staff.getByText('Anteckningen är sparad.').waitFor();
      assert.equal(await staff.getByText('Meddelandet är skickat.').count(), 0, 'the message\'s success is gone');

      // A supplement request for one field: only fields the applicant answered or could have,
      // never one the answers hide ("Beskriv vad det gäller" is for "Annat") or an info block.
      const askable = staff.getByRole('group', { name: /Fält som får ändras/ });
      assert.deepEqual(await askable.locator('label').allInnerTexts(), ['Vad gäller det?', 'Var är felet?', 'Vill du att vi kontaktar dig?', 'E-postadress']);
      await staff.getByLabel('Vad ska den sökande komplettera?').fill('Ange närmaste husnummer.');
      await askable.getByLabel('Var är felet?').check();
      await staff.getByRole('button', { name: 'Begär komplettering' }).click();
      await staff.getByText('Begäran om komplettering är skickad till den sökande.').waitFor();
      assert.equal(await staff.getByText('Anteckningen är sparad.').count(), 0, 'the note\'s success is gone');
      await staff.locator('.case-status').getByText('Väntar på komplettering').waitFor();
      await staff.getByText('Väntar på svar.').waitFor();

      // The applicant supplements on Min sida.
      const me = applicant.page;
      await me.goto(url(`/mina-sidor/arenden/${reference}`));
      await me.getByText('Ange närmaste husnummer.').waitFor();
      await assertNoAxeViolations(me, 'the applicant\'s case page with a supplement request');
      await me.getByLabel('Var är felet?').fill('Storgatan 12');
      await me.getByRole('button', { name: /Skicka komplettering/ }).click();
      await me.getByRole('status').getByText(/komplettering/i).first().waitFor();

      // The handler sees what changed, attaches a decision and closes the case.
      await staff.reload();
      await h1(staff, new RegExp(reference)).waitFor();
      const diff = staff.locator('table.diff');
      await diff.waitFor();
      assert.equal(await diff.locator('td.before').first().innerText(), 'Storgatan 1');
      assert.equal(await diff.locator('td.after').first().innerText(), 'Storgatan 12');
      await staff.getByLabel('Typ').selectOption('decision');
      await staff.getByLabel('Fil', { exact: true }).setInputFiles(DECISION);
      await staff.getByRole('button', { name: 'Bifoga', exact: true }).click();
      await staff.getByText('Bifogat: beslut.pdf.').waitFor();
      await staff.getByRole('button', { name: 'Ladda ner beslut.pdf' }).waitFor();
      await staff.getByLabel('Ny status').selectOption({ label: 'Avslutat' });
      await staff.getByLabel('Kommentar (valfri)').fill('Hålet lagas vecka 49.');
      await staff.getByRole('button', { name: 'Ändra status' }).click();
      await staff.locator('.case-status').getByText('Avslutat').waitFor();
      await staff.getByText('Gallras').waitFor();
      await assertNoAxeViolations(staff, 'the closed case');

      // The applicant reads and downloads the decision.
      await me.goto(url(`/mina-sidor/arenden/${reference}`));
      await me.getByText('Avslutat').first().waitFor();
      await assertNoAxeViolations(me, 'the applicant\'s closed case');
      const [download] = await Promise.all([
        me.waitForEvent('download'),
        me.getByRole('button', { name: /beslut\.pdf/ }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'beslut.pdf');
      const saved = await download.path();
      const { readFile } = await import('node:fs/promises');
      assert.equal((await readFile(saved)).toString(), DECISION.buffer.toString());

      assert.deepEqual(applicant.errors, [], 'errors in the applicant\'s page');
      assert.deepEqual(handler.errors, [], 'errors in the handler\'s page');
      assert.deepEqual(refused, [], 'requests the server refused');
    } catch (err) {
      const alerts = await handler.page.locator('[role=alert], [role=status]').allInnerTexts().catch(() => []);
      err.message += `\n--- the handler's page says ---\n${alerts.filter(Boolean).join('\n')}`;
      err.message += `\n--- backend output (last lines) ---\n${backend.output()}`;
      throw err;
    } finally {
      await applicant.context.close();
      await handler.context.close();
    }
  });

  it('the contact centre looks up a case\'s status by its reference and sees no answers', TEST_TIMEOUT, async () => {
    const service = await (await fetch(url(`/api/v1/catalogue/${STREET}`))).json();
    const submitted = await fetch(url(`/api/v1/catalogue/${STREET}/cases`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ form_version: service.form_version, answers: { typ: 'klotter', plats: 'Hamntorget', vill_ha_svar: false } }),
    });
    assert.ok(submitted.ok, `anonymous submission: ${submitted.status}`);
    const { reference } = await submitted.json();
    const { context, page, errors } = await newPage();
    try {
      await page.goto(url('/handlaggning/kundtjanst'));
      await h1(page, 'Logga in som handläggare').waitFor();
      await page.getByLabel('Användarnamn').fill('admin');
      await page.getByLabel('Lösenord').fill(backend.accounts.admin);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await h1(page, 'Slå upp ett ärendes status').waitFor();
      await assertNoAxeViolations(page, 'the contact centre look-up');
      await page.getByLabel('Ärendenummer').fill('HBG-1999-999999');
      await page.getByRole('button', { name: 'Slå upp' }).click();
      await page.getByRole('alert').getByText('Det finns inget ärende med det numret.').waitFor();
      await page.getByLabel('Ärendenummer').fill(reference.toLowerCase());
      await page.getByRole('button', { name: 'Slå upp' }).click();
      await page.getByRole('heading', { level: 2, name: reference }).waitFor();
      await page.getByText('Inskickat').waitFor();
      assert.equal(await page.getByText('Hamntorget').count(), 0, 'no answers are shown');
      await assertNoAxeViolations(page, 'a looked-up status');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('the handlers\' pages send a visitor who is not logged in to the staff login, and never load the applicants\' app', TEST_TIMEOUT, async () => {
    const { context, page, errors } = await newPage();
    try {
      const scripts = [];
      page.on('request', (r) => {
        if (r.url().endsWith('.wasm')) scripts.push(new URL(r.url()).pathname);
      });
      await page.goto(url('/handlaggning/arenden/HBG-2026-000001'));
      await h1(page, 'Logga in som handläggare').waitFor();
      assert.equal(new URL(page.url()).searchParams.get('till'), '/handlaggning/arenden/HBG-2026-000001');
      assert.ok(scripts.length > 0 && scripts.every((s) => s.startsWith('/handlaggning-app/')), scripts.join(', '));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
