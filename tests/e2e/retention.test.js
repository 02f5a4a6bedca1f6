// Retention ("gallring", issue #7) in a real browser against the real backend (`serve --demo`,
// started with APP_RETENTION__ALLOW_AS_OF=true so that a run can purge "as of" a later day): the
// handler (who is also the service's owner) closes an applicant's case and sees its purge day,
// sets a legal hold and lifts it; opens /handlaggning/gallring, picks the service and sees the
// dry run; a platform admin runs the purge as of the purge day; the purge log then lists the
// case and its CSV export holds it; the platform admin sees the purge job and its run. axe-core
// checks every new screen.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { startBackend } from './lib/backend.js';
import { launchBrowser } from './lib/browser.js';
import { STREET, journeySteps } from './lib/staff-journey.js';

const TEST_TIMEOUT = { timeout: 240_000 };
const HOLD_REASON = 'Beslutet är överklagat till förvaltningsrätten.';

describe('Retention: purge day, legal hold, dry run, purge log and its CSV export, and the purge job', () => {
  /** @type {Awaited<ReturnType<typeof startBackend>>} */
  let backend;
  /** @type {import('playwright-core').Browser} */
  let browser;

  before(async () => {
    backend = await startBackend({ env: { APP_RETENTION__ALLOW_AS_OF: 'true' } });
    browser = await launchBrowser();
    assert.ok(backend.accounts.handlaggare, 'the demo prints the handler account');
    assert.ok(backend.accounts.admin, 'the demo prints the admin account');
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await backend?.stop();
  });

  const { url, h1, assertNoAxeViolations, newPage, applicantLogsIn, submitCase, staffLogsIn } = journeySteps(() => ({ backend, browser }));

  /** A staff token straight from the API, for what the test does outside the browser. */
  async function staffToken(username) {
    const r = await fetch(url('/api/v1/auth/staff/token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: backend.accounts[username] }),
    });
    assert.equal(r.status, 200, `staff login of ${username}`);
    return (await r.json()).access_token;
  }

  it('a service owner holds a closed case from purging and lifts the hold, the purge run then deletes it, and the purge log and its CSV export list it', TEST_TIMEOUT, async () => {
    const applicant = await newPage();
    const handler = await newPage();
    const admin = await newPage();
    try {
      await applicantLogsIn(applicant.page, applicant.context);
      const reference = await submitCase(applicant.page);
      assert.match(reference, /^[A-Z]+-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

      // The open case: no purge day yet.
      const staff = handler.page;
      await staffLogsIn(staff, `/handlaggning/arenden/${reference}`, 'handlaggare');
      await h1(staff, new RegExp(reference)).waitFor();
      const retention = staff.getByRole('region', { name: 'Gallring', exact: true });
      await retention.getByText('Ärendet är inte avslutat.', { exact: false }).waitFor();

      // The handler closes it: the purge day is shown.
      await staff.getByLabel('Ny status').selectOption({ label: 'Avslutat' });
      await staff.getByRole('button', { name: 'Ändra status' }).click();
      await staff.locator('.case-status').getByText('Avslutat').waitFor();
      await retention.getByText('Gallringsdag:').waitFor();
      await staff.getByText('Gallras').waitFor();
      const purgeOn = await staff.evaluate(async (ref) => {
        const { token } = JSON.parse(sessionStorage.getItem('etjanster.personal'));
        const r = await fetch(`/api/v1/cases/${ref}`, { headers: { Authorization: `Bearer ${token}` } });
        return (await r.json()).purge_on;
      }, reference);
      assert.match(purgeOn, /^\d{4}-\d{2}-\d{2}$/, 'a closed case has a purge day');
      await assertNoAxeViolations(staff, 'the closed case with its purge day');

      // A legal hold needs a reason; with one, the case is held.
      await retention.getByRole('button', { name: 'Spärra mot gallring' }).click();
      await retention.getByRole('alert').getByText('Skriv skälet till spärren.').waitFor();
      await retention.getByLabel('Skäl').fill(HOLD_REASON);
      await retention.getByRole('button', { name: 'Spärra mot gallring' }).click();
      await retention.getByRole('status').getByText('Ärendet är spärrat mot gallring.').waitFor();
      await retention.getByRole('heading', { name: 'Gallringsspärr' }).waitFor();
      await retention.getByText(HOLD_REASON).waitFor();
      await retention.getByText('handlaggare', { exact: true }).waitFor();
      assert.equal(await retention.getByText('Gallringsdag:').count(), 0, 'a held case has no purge day');
      await assertNoAxeViolations(staff, 'the case under a legal hold');

      // The hold is lifted: the purge day is back.
      await retention.getByRole('button', { name: 'Häv spärren' }).click();
      await retention.getByRole('status').getByText('Spärren är hävd.').waitFor();
      await retention.getByText('Gallringsdag:').waitFor();
      assert.equal(await retention.getByRole('heading', { name: 'Gallringsspärr' }).count(), 0);

      // Retention of the service: its periods and the dry run; nothing purged yet.
      await staff.getByRole('navigation', { name: 'Handläggning' }).getByRole('link', { name: 'Gallring' }).click();
      await h1(staff, 'Gallring').waitFor();
      const { name: serviceName } = await (await fetch(url(`/api/v1/catalogue/${STREET}`))).json();
      await staff.getByLabel('Tjänst').selectOption({ label: serviceName });
      await staff.getByRole('button', { name: 'Visa', exact: true }).click();
      await staff.waitForURL((u) => u.searchParams.get('tjanst') === STREET);
      await staff.getByRole('region', { name: 'Gallringsregler' }).getByText('30 dagar efter avslut').waitFor();
      const dryRun = staff.getByRole('region', { name: 'Provgallring' });
      await dryRun.getByText('Nästa körning', { exact: true }).waitFor();
      await dryRun.getByText('Ärenden med gallringsspärr').waitFor();
      const purgeLog = staff.getByRole('region', { name: 'Gallringslogg' });
      await purgeLog.getByText('Inga ärenden har gallrats.').waitFor();
      assert.equal(await staff.getByRole('heading', { name: 'Gallringsjobbet' }).count(), 0, 'the job is for platform admins');
      await assertNoAxeViolations(staff, 'the retention page of a service');

      // The platform admin runs the purge as of an hour into the purge day.
      const asOf = new Date(`${purgeOn}T01:00:00Z`).toISOString();
      const run = await fetch(url('/api/v1/retention/runs'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await staffToken('admin')}` },
        body: JSON.stringify({ as_of: asOf }),
      });
      assert.equal(run.status, 200, `the run: ${await run.clone().text()}`);
      assert.ok((await run.json()).cases_purged >= 1, 'the run purged the case');

      // The purge log lists the case; the CSV export holds it.
      await staff.reload();
      await h1(staff, 'Gallring').waitFor();
      const logTable = purgeLog.getByRole('table', { name: /Gallrade ärenden/ });
      await logTable.getByRole('rowheader', { name: reference }).waitFor();
      await assertNoAxeViolations(staff, 'the retention page with a purged case');
      const [download] = await Promise.all([
        staff.waitForEvent('download'),
        purgeLog.getByRole('button', { name: 'Exportera CSV' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), `gallringslogg-${STREET}.csv`);
      const csv = (await readFile(await download.path())).toString();
      assert.match(csv, /^id,reference,service,rule,days,/);
      assert.ok(csv.includes(reference), `the CSV lists ${reference}:\n${csv}`);

      // The case is gone.
      await staff.goto(url(`/handlaggning/arenden/${reference}`));
      await h1(staff, 'Ärendet finns inte').waitFor();

      // The platform admin sees the purge job with the run.
      await staffLogsIn(admin.page, '/handlaggning/gallring', 'admin');
      await h1(admin.page, 'Gallring').waitFor();
      const job = admin.page.getByRole('region', { name: 'Gallringsjobbet' });
      await job.getByRole('table', { name: 'Senaste körningarna' }).getByRole('cell', { name: 'Manuell' }).first().waitFor();
      await assertNoAxeViolations(admin.page, 'the retention page of a platform admin');

      assert.deepEqual(applicant.errors, [], 'errors in the applicant\'s page');
      assert.deepEqual(handler.errors, [], 'errors in the handler\'s page');
      assert.deepEqual(admin.errors, [], 'errors in the admin\'s page');
    } catch (err) {
      const alerts = await handler.page.locator('[role=alert], [role=status]').allInnerTexts().catch(() => []);
      err.message += `\n--- the handler's page says ---\n${alerts.filter(Boolean).join('\n')}`;
      err.message += `\n--- backend output (last lines) ---\n${backend.output()}`;
      throw err;
    } finally {
      await applicant.context.close();
      await handler.context.close();
      await admin.context.close();
    }
  });
  it('a platform admin who handles no cases lands on the admin start page, finds a case by its reference with its access log, holds it and lifts the hold, and no request of theirs is refused', TEST_TIMEOUT, async () => {
    const applicant = await newPage();
    const admin = await newPage();
    const refused = [];
    admin.page.on('response', (r) => {
      if (r.url().includes('/api/') && [401, 403, 404].includes(r.status())) refused.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    try {
      await applicantLogsIn(applicant.page, applicant.context);
      const reference = await submitCase(applicant.page);

      await staffLogsIn(admin.page, '/handlaggning', 'admin');
      await h1(admin.page, 'Administration').waitFor();
      const header = admin.page.getByRole('navigation', { name: 'Handläggning' });
      await header.getByRole('link', { name: 'Administration' }).waitFor();
      assert.equal(await header.getByRole('link', { name: 'Inkorg' }).count(), 0, 'no inbox for an admin who handles no cases');
      await admin.page.getByRole('region', { name: 'Tjänster' }).getByRole('cell', { name: 'Felanmälan gata och park' }).waitFor();
      await admin.page.getByRole('region', { name: 'Personal' }).getByRole('cell', { name: 'handlaggare', exact: true }).waitFor();
      await admin.page.getByRole('region', { name: 'E-post som skickas' }).getByText('Väntar').waitFor();
      await assertNoAxeViolations(admin.page, 'the admin start page');

      // One case by its reference, with the keyboard: its status, purge day, hold and access log.
      const lookup = admin.page.getByRole('region', { name: 'Ett ärende' });
      await lookup.getByLabel('Ärendenummer').focus();
      await admin.page.keyboard.type(reference.toLowerCase());
      await admin.page.keyboard.press('Enter');
      await lookup.getByRole('heading', { level: 3, name: reference }).waitFor();
      assert.equal(await admin.page.evaluate(() => document.activeElement?.textContent), reference, 'focus on the result');
      await lookup.getByText('När ärendet har avslutats').waitFor();
      await lookup.getByRole('cell', { name: 'read_legal_hold' }).first().waitFor();
      await lookup.getByLabel('Skäl till gallringsspärr').fill(HOLD_REASON);
      await lookup.getByRole('button', { name: 'Spärra mot gallring' }).click();
      await lookup.getByText(HOLD_REASON, { exact: false }).waitFor();
      await lookup.getByRole('cell', { name: 'set_legal_hold' }).waitFor();
      await assertNoAxeViolations(admin.page, 'the admin start page with a held case');
      await lookup.getByRole('button', { name: 'Häv gallringsspärren' }).click();
      await lookup.getByRole('cell', { name: 'lift_legal_hold' }).waitFor();
      await lookup.getByRole('button', { name: 'Spärra mot gallring' }).waitFor();

      assert.deepEqual(refused, [], 'no request the admin may not make');
      assert.deepEqual(admin.errors, [], 'errors in the admin\'s page');
    } catch (err) {
      const alerts = await admin.page.locator('[role=alert], [role=status]').allInnerTexts().catch(() => []);
      err.message += `\n--- the admin's page says ---\n${alerts.filter(Boolean).join('\n')}`;
      err.message += `\n--- backend output (last lines) ---\n${backend.output()}`;
      throw err;
    } finally {
      await applicant.context.close();
      await admin.context.close();
    }
  });
});
