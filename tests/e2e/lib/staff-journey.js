// The steps the handling, retention and signing browser tests share: fresh pages whose errors fail
// the test, an applicant's BankID login through the /dev/bankid simulator (lib/bankid.js), a street fault report
// submitted with the page's token, and the staff login page.
import assert from 'node:assert/strict';

import { axeViolations } from './a11y.js';
import { bankIdSteps } from './bankid.js';
import { watchForErrors } from './browser.js';

export const STREET = 'felanmalan-gata-och-park';
export const DEMO = { bankIdButton: 'Skanna som Tolva Testperson (18900101-9802)', name: 'Tolva Testperson', personnummer: '189001019802' };

/**
 * The shared steps, bound to a started backend and browser (read lazily: `before` sets them).
 * @param {() => {backend: Awaited<ReturnType<typeof import('./backend.js').startBackend>>, browser: import('playwright-core').Browser}} get
 */
export function journeySteps(get) {
  const url = (urlPath) => new URL(urlPath, get().backend.url).href;
  const h1 = (page, name) => page.getByRole('heading', { level: 1, name });
  const bankId = bankIdSteps(url);

  async function assertNoAxeViolations(page, where) {
    const violations = await axeViolations(page);
    assert.equal(violations, '', `axe found violations on ${where}:\n${violations}`);
  }

  /** A fresh browser context with a page whose errors fail the test. */
  async function newPage() {
    const context = await get().browser.newContext({ locale: 'sv-SE', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    return { context, page, errors: watchForErrors(page) };
  }

  /** The applicant logs in with BankID (the /dev/bankid simulator) and lands on Mina sidor. */
  async function applicantLogsIn(page, context, personnummer = DEMO.personnummer) {
    await page.goto(url('/logga-in?till=%2Fmina-sidor'));
    await bankId.logsInWithBankId(page, context, personnummer);
    await h1(page, 'Mina sidor').waitFor();
  }

  /** Submits a street fault report as the logged-in applicant (through the API, with the page's token). */
  async function submitCase(page) {
    const service = await (await fetch(url(`/api/v1/catalogue/${STREET}`))).json();
    return page.evaluate(async ({ slug, version }) => {
      const { token } = JSON.parse(sessionStorage.getItem('etjanster.session'));
      const r = await fetch(`/api/v1/catalogue/${slug}/cases`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({
          form_version: version,
          answers: { typ: 'hal_i_gatan', plats: 'Storgatan 1', vill_ha_svar: true, epost: 'tolva@example.org' },
        }),
      });
      if (r.status !== 201 && r.status !== 200) throw new Error(`submit: ${r.status} ${await r.text()}`);
      return (await r.json()).reference;
    }, { slug: STREET, version: service.form_version });
  }

  /** Opens `path` and logs a demo staff member in on the staff login page it leads to. */
  async function staffLogsIn(page, path, username) {
    await page.goto(url(path));
    await h1(page, 'Logga in som handläggare').waitFor();
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill(get().backend.accounts[username]);
    await page.getByRole('button', { name: 'Logga in' }).click();
  }

  return { url, h1, assertNoAxeViolations, newPage, applicantLogsIn, submitCase, staffLogsIn, bankId };
}
