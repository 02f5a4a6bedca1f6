// The service builder (/bygga, issue #18) in a real browser against the real backend
// (`serve --demo`): a platform admin logs in through the staff login and lands back in the
// builder; creates a service by keyboard only, taking the name guidance's suggestion for a name
// that starts with "Ansökan"; publishes a version with a note and restores it as a new draft; the
// log tells the story. Two editors of the same settings: the later save is refused, says who saved
// and when, and loading theirs shows their change. axe-core checks every builder screen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startBackend } from './lib/backend.js';
import { launchBrowser } from './lib/browser.js';
import { journeySteps } from './lib/staff-journey.js';

const TEST_TIMEOUT = { timeout: 240_000 };

/** A two-page form, for the version the builder publishes (the form editor comes later). */
const FORM = {
  pages: [
    { key: 'altan', title: 'Altanen', fields: [{ key: 'yta', label: 'Hur stor blir altanen (m²)?', required: true, kind: { type: 'number', min: 1, max: 500 } }] },
    { key: 'kontakt', title: 'Kontakt', fields: [{ key: 'epost', label: 'E-post', required: true, kind: { type: 'email' } }] },
  ],
};

describe('The service builder: services, settings with name guidance, versions, and two editors', () => {
  /** @type {Awaited<ReturnType<typeof startBackend>>} */
  let backend;
  /** @type {import('playwright-core').Browser} */
  let browser;

  before(async () => {
    backend = await startBackend();
    browser = await launchBrowser();
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await backend?.stop();
  });

  const { url, h1, assertNoAxeViolations, newPage, staffLogsIn, applicantLogsIn, submitCase } = journeySteps(() => ({ backend, browser }));

  /** Whether a mail the file transport wrote holds `phrase` (quoted-printable or base64 bodies). */
  async function mailHolding(phrase) {
    const dir = path.join(path.dirname(backend.databasePath), 'data', 'mail');
    for (let i = 0; i < 200; i += 1) {
      const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
      for (const f of files) {
        const raw = fs.readFileSync(path.join(dir, f), 'utf8');
        const text = raw.replace(/=\r?\n/g, '');
        const decoded = [...raw.matchAll(/Content-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g)]
          .map((m) => Buffer.from(m[1].replace(/\s/g, ''), 'base64').toString('utf8'))
          .join('\n');
        if (text.includes(phrase) || decoded.includes(phrase)) return true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  async function api(method, path, token, body) {
    const headers = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(url(`/api/v1${path}`), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }

  async function adminToken() {
    const r = await fetch(url('/api/v1/auth/staff/token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: backend.accounts.admin }),
    });
    assert.equal(r.status, 200);
    return (await r.json()).access_token;
  }

  it('an admin creates a service by keyboard with the name guidance, publishes a version with a note and restores it', TEST_TIMEOUT, async () => {
    const { context, page, errors } = await newPage();
    try {
      await staffLogsIn(page, '/bygga', 'admin');
      await h1(page, 'Tjänster').waitFor();
      assert.equal(new URL(page.url()).pathname, '/bygga', 'the login brings the admin back to the builder');
      await page.getByRole('link', { name: 'Plats i förskola' }).waitFor();
      await assertNoAxeViolations(page, 'the builder\'s services');

      await page.getByRole('link', { name: 'Ny tjänst' }).click();
      await h1(page, 'Ny tjänst').waitFor();
      await assertNoAxeViolations(page, 'a new service');

      // By keyboard only: type the name, Tab to the suggestion, take it with Enter.
      await page.getByLabel('Tjänstens namn').focus();
      await page.keyboard.type('Ansökan om bygglov för altan');
      const advice = page.locator('#s-name-advice');
      await advice.getByText('Börja inte namnet med ”Ansökan”').waitFor();
      await assertNoAxeViolations(page, 'the name guidance');
      await page.keyboard.press('Tab');
      const suggestion = page.getByRole('button', { name: 'Använd ”Bygglov för altan”' });
      assert.ok(await suggestion.evaluate((b) => b === document.activeElement), 'Tab goes to the suggestion');
      await page.keyboard.press('Enter');
      assert.equal(await page.getByLabel('Tjänstens namn').inputValue(), 'Bygglov för altan');
      assert.equal(await advice.innerText(), '', 'a good name gets no advice');

      const typeInto = async (label, text) => {
        await page.getByLabel(label, { exact: true }).focus();
        await page.keyboard.type(text);
      };
      await typeInto('Vem är tjänsten till för?', 'Fastighetsägare som vill bygga en altan');
      await typeInto('Adress (URL-namn)', 'altan');
      await typeInto('Första sidan', 'Här söker du bygglov för en altan.');
      await typeInto('Sista sidan', 'Tack! Vi hör av oss inom två veckor.');
      await typeInto('Behandling av personuppgifter', 'Vi behandlar dina uppgifter enligt GDPR.');
      await typeInto('Handläggarnas funktionsbrevlåda', 'bygglov@example.org');
      // Enter in a text input sends the form.
      await page.keyboard.press('Enter');
      await h1(page, 'Bygglov för altan').waitFor();
      assert.equal(new URL(page.url()).pathname, '/bygga/altan');
      await page.getByText('Läge: Utkast').waitFor();
      await assertNoAxeViolations(page, 'a service in the builder');

      const token = await adminToken();
      const created = await api('POST', '/services/altan/forms', token, { definition: FORM });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await page.reload();
      // The checklist blocks: no handler yet.
      await page.getByRole('listitem').filter({ hasText: 'Krävs: Ingen handläggare har behörighet till tjänsten.' }).waitFor();
      await assertNoAxeViolations(page, 'the publishing checklist');
      const staff = await api('GET', '/staff', token);
      const handler = staff.body.find((s) => s.username === 'handlaggare');
      assert.equal((await api('PUT', `/services/altan/permissions/${handler.id}`, token, {})).status, 200);
      await page.reload();
      await page.getByText('Allt som krävs är klart.').waitFor();
      await page.getByLabel('Vad har ändrats?').fill('Första versionen');
      await page.getByRole('button', { name: 'Publicera version 1' }).click();
      await page.getByText('Publicerade version 1.').waitFor();
      await page.getByRole('cell', { name: 'Första versionen' }).waitFor();

      await page.getByRole('button', { name: 'Återställ version 1' }).click();
      await page.getByText('Version 1 är nu utkastet version 2.').waitFor();
      const v2 = await api('GET', '/services/altan/forms/2', token);
      const v1 = await api('GET', '/services/altan/forms/1', token);
      assert.deepEqual(v2.body.definition, v1.body.definition, 'the restored draft equals version 1');

      await page.reload();
      await page.getByRole('cell', { name: 'Publicerade version 1: Första versionen' }).waitFor();
      await page.getByRole('cell', { name: 'Återställde som version 2: 1' }).waitFor();
      await assertNoAxeViolations(page, 'versions and the log');
      const catalogue = await (await fetch(url('/api/v1/catalogue/altan'))).json();
      assert.equal(catalogue.name, 'Bygglov för altan', 'published');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('an admin edits the draft form: a label, a new page with a yes-or-no question moved by keyboard, a bad key named; the preview follows and the draft saves itself', TEST_TIMEOUT, async () => {
    const { context, page, errors } = await newPage();
    try {
      await staffLogsIn(page, '/bygga/altan', 'admin');
      await h1(page, 'Bygglov för altan').waitFor();
      await page.getByRole('link', { name: 'Ändra formuläret' }).click();
      await h1(page, 'Formulär').waitFor();
      await page.getByText('Utkast, version 2').waitFor();
      await page.getByRole('status').filter({ hasText: 'Formuläret är giltigt.' }).waitFor();
      // The flow: a diagram with a name, and the same as text.
      await page.getByRole('img', { name: 'Tjänstens flöde' }).waitFor();
      await page.getByText('Flödet i text').click();
      const flowText = page.locator('.flow-text');
      await flowText.getByText('Logga in med e-legitimation').waitFor();
      await assertNoAxeViolations(page, 'the form editor');

      const preview = page.locator('.preview-frame');
      await page.locator('#p0-f0-label').fill('Hur många kvadratmeter blir altanen?');
      await preview.getByText('Hur många kvadratmeter blir altanen?').waitFor();
      await page.getByRole('status').filter({ hasText: /^Sparat/ }).waitFor();

      await page.getByRole('button', { name: 'Lägg till en sida' }).click();
      await page.getByRole('group', { name: 'Sida 3: Sida 3' }).waitFor();
      await page.getByLabel('Sort av ny fråga på sida 3').selectOption('yes_no');
      await page.getByRole('button', { name: 'Lägg till en fråga på sida 3' }).click();
      await page.locator('#p2-f1-label').fill('Ligger altanen närmare tomtgränsen än 4,5 meter?');
      // By keyboard: the page moves up with Enter on its button.
      await page.getByRole('button', { name: 'Flytta sida 3 uppåt' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('group', { name: 'Sida 2: Sida 3' }).waitFor();
      const steps = await flowText.locator(':scope > li > span').allInnerTexts();
      assert.deepEqual(steps.slice(2, 5), ['Altanen', 'Sida 3', 'Kontakt'], 'the flow follows the new order');
      await page.getByLabel('Sida', { exact: true }).selectOption('1');
      await preview.getByText('Ligger altanen närmare tomtgränsen än 4,5 meter?').waitFor();
      await preview.getByRole('radio', { name: 'Ja' }).waitFor();

      // A key the form cannot have: the check names it, and nothing is saved until it is right.
      await page.locator('#p1-f1-key').fill('Ogiltig nyckel!');
      await page.locator('#p1-f1-key').press('Tab');
      await page.getByRole('status').filter({ hasText: 'Ogiltig nyckel!' }).waitFor();
      assert.ok(await page.getByRole('button', { name: 'Spara nu' }).isDisabled());
      await assertNoAxeViolations(page, 'the form editor with a problem');
      await page.locator('#p1-f1-key').fill('narmare_tomtgrans');
      await page.locator('#p1-f1-key').press('Tab');
      await page.getByRole('status').filter({ hasText: 'Formuläret är giltigt.' }).waitFor();
      await page.getByRole('status').filter({ hasText: /^Sparat/ }).waitFor();

      const token = await adminToken();
      const draft = await api('GET', '/services/altan/forms/2', token);
      const pages = draft.body.definition.pages;
      assert.deepEqual(pages.map((p) => p.title), ['Altanen', 'Sida 3', 'Kontakt']);
      assert.equal(pages[0].fields[0].label, 'Hur många kvadratmeter blir altanen?');
      assert.deepEqual(pages[1].fields.map((f) => [f.key, f.kind.type]), [['fraga_1', 'short_text'], ['narmare_tomtgrans', 'yes_no']]);

      // The history: version 1 against the draft, in words, naming the changed question.
      await page.getByRole('link', { name: 'Tillbaka till tjänsten' }).click();
      await h1(page, 'Bygglov för altan').waitFor();
      await page.getByLabel('Från version').selectOption('1');
      await page.getByLabel('till version').selectOption('2');
      await page.getByRole('button', { name: 'Jämför', exact: true }).click();
      await page.getByRole('listitem').filter({ hasText: 'Frågan ”Hur stor blir altanen (m²)?” lyder nu ”Hur många kvadratmeter blir altanen?”' }).waitFor();
      await page.getByRole('listitem').filter({ hasText: 'Sidan ”Sida 3” (sida_1) är ny.' }).waitFor();
      await assertNoAxeViolations(page, 'the comparison of two versions');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("a service owner changes the confirmation text, and the next submission's mail uses it; the form's texts only in the editor", TEST_TIMEOUT, async () => {
    const owner = await newPage();
    const applicant = await newPage();
    try {
      const { page } = owner;
      await staffLogsIn(page, '/bygga', 'handlaggare');
      await h1(page, 'Tjänster').waitFor();
      assert.equal(await page.getByRole('link', { name: 'Ny tjänst' }).count(), 0, 'only platform admins create services');
      await page.getByRole('link', { name: 'Felanmälan gata och park' }).click();
      await h1(page, 'Felanmälan gata och park').waitFor();
      const body = page.getByLabel('Bekräftelsemejlets text', { exact: true });
      await body.fill('Hej {{first_name}}\n\nTack för din felanmälan {{case_reference}}. Gatuenheten svarar inom fem arbetsdagar.');
      await page.getByRole('button', { name: 'Spara inställningarna' }).click();
      await page.getByRole('status').filter({ hasText: 'Sparat' }).waitFor();
      await assertNoAxeViolations(page, "a service owner's service");

      await applicantLogsIn(applicant.page, applicant.context);
      await submitCase(applicant.page);
      assert.ok(await mailHolding('Gatuenheten svarar inom fem arbetsdagar.'), 'the confirmation mail has the new text');

      // The form: texts only.
      await page.getByRole('link', { name: 'Ändra formulärets texter' }).click();
      await h1(page, 'Formulär').waitFor();
      await page.getByRole('button', { name: 'Skapa ett utkast från den senaste versionen' }).click();
      await page.locator('#p0-f0-label').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Lägg till en sida' }).count(), 0);
      assert.equal(await page.locator('#p0-f0-key').count(), 0, 'no keys for a service owner');
      await page.locator('#p0-f0-label').fill('Vad vill du anmäla?');
      await page.getByRole('status').filter({ hasText: /^Sparat/ }).waitFor();
      await assertNoAxeViolations(page, 'the texts-only editor');
      assert.deepEqual(owner.errors, []);
    } finally {
      await owner.context.close();
      await applicant.context.close();
    }
  });

  it('of two editors of the same settings the later save is refused, says who saved, and loads theirs', TEST_TIMEOUT, async () => {
    const first = await newPage();
    const second = await newPage();
    try {
      for (const { page } of [first, second]) {
        await staffLogsIn(page, '/bygga/plats-i-forskola', 'admin');
        await h1(page, 'Plats i förskola').waitFor();
      }
      const audience = (page) => page.getByLabel('Vem är tjänsten till för?', { exact: true });
      await audience(second.page).fill('Vårdnadshavare i kommunen');
      await second.page.getByRole('button', { name: 'Spara inställningarna' }).click();
      await second.page.getByRole('status').filter({ hasText: 'Sparat' }).waitFor();

      await audience(first.page).fill('Alla föräldrar');
      await first.page.getByRole('button', { name: 'Spara inställningarna' }).click();
      const alert = first.page.getByRole('alert').filter({ hasText: 'efter att du öppnade dem' });
      await alert.waitFor();
      assert.match(await alert.innerText(), /admin sparade inställningarna .*Dina ändringar är inte sparade\./s);
      await assertNoAxeViolations(first.page, 'an edit conflict');
      await first.page.getByRole('button', { name: 'Hämta deras version' }).click();
      await h1(first.page, 'Plats i förskola').waitFor();
      await first.page.waitForFunction(
        () => document.querySelector('#s-audience')?.value === 'Vårdnadshavare i kommunen',
      );
      const token = await adminToken();
      const service = await api('GET', '/services/plats-i-forskola', token);
      assert.equal(service.body.audience, 'Vårdnadshavare i kommunen', 'the refused save changed nothing');
      assert.deepEqual(first.errors, []);
      assert.deepEqual(second.errors, []);
    } finally {
      await first.context.close();
      await second.context.close();
    }
  });
});
