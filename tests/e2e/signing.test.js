// Signing and multiple signing (issue #8) in a real browser against the real backend (`serve --demo`,
// with APP_RETENTION__ALLOW_AS_OF=true so that a retention run can expire a request "as of" a later
// instant) and its BankID and Navet simulators. The test sets up two services through the admin API:
// one whose co-signers are the child's other guardians in the population register (a `child` field),
// and one whose co-signer the applicant enters. Journeys: guardian A applies for the shared child and
// signs; the case waits, out of the handler's reach; guardian B finds the request on Mina sidor,
// reads the same text and digest, a third person scanning B's order is refused, B signs; only then
// does the case reach the handler, who sees both signatures, downloads the evidence and verifies
// it — valid, and invalid once a stored answer is tampered with. Then the decline and expiry paths,
// self co-signing refused, and a protected applicant shown the contact route. axe-core checks every
// new screen.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { startBackend } from './lib/backend.js';
import { shownPersonnummer } from './lib/bankid.js';
import { launchBrowser } from './lib/browser.js';
import { journeySteps } from './lib/staff-journey.js';

const TEST_TIMEOUT = { timeout: 240_000 };

// The Navet simulator's family and others (backend/src/navet/simulator.rs, fixtures).
const GUARDIAN_A = '198504182380';
const GUARDIAN_B = '198206012398';
const CHILD = '201505012391';
const THIRD_PERSON = '197803012389'; // ORDINARY_ADULT: no part in the family.
const PROTECTED = '198203162394'; // SEKRETESSMARKERING

const CONTACT_ROUTE = 'Ring kontaktcenter på 042-10 50 00 så hjälper vi dig att ansöka om skolbyte.';

// A co-signed school change: the co-signers are the chosen child's other guardians.
const GUARDIANS = {
  slug: 'skolbyte-e2e',
  name: 'Byte av skola (test)',
  signing: {
    requirement: 'applicant_and_co_signers',
    co_signers: { source: 'register_guardians', child_field: 'barn' },
    deadline_days: 1,
    contact_route: CONTACT_ROUTE,
  },
  form: {
    pages: [
      {
        key: 'barnet',
        title: 'Barnet',
        fields: [
          { key: 'barn', label: 'Vilket barn gäller ansökan?', required: true, kind: { type: 'child' } },
          { key: 'nuvarande_skola', label: 'Nuvarande skola', required: true, kind: { type: 'short_text', max_length: 200 } },
        ],
      },
    ],
  },
};

// A certificate signed by the applicant and a person they name.
const ENTERED = {
  slug: 'intyg-medsokande-e2e',
  name: 'Gemensamt intyg (test)',
  signing: {
    requirement: 'applicant_and_co_signers',
    co_signers: { source: 'entered', personnummer_field: 'medsokande' },
  },
  form: {
    pages: [
      {
        key: 'uppgifter',
        title: 'Uppgifter',
        fields: [
          { key: 'medsokande', label: 'Medsökandes personnummer', required: true, kind: { type: 'personnummer' } },
          { key: 'intyget', label: 'Vad gäller intyget?', required: true, kind: { type: 'short_text', max_length: 200 } },
        ],
      },
    ],
  },
};

describe('Signing: the applicant and the co-signers sign with BankID before the case reaches the handler', () => {
  /** @type {Awaited<ReturnType<typeof startBackend>>} */
  let backend;
  /** @type {import('playwright-core').Browser} */
  let browser;

  const { url, h1, assertNoAxeViolations, newPage, staffLogsIn, bankId } = journeySteps(() => ({ backend, browser }));

  /** A JSON call to the API outside the browser. */
  async function api(method, path, { token, body } = {}) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    const r = await fetch(url(`/api/v1${path}`), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: r.status, body: json };
  }

  async function staffToken(username) {
    const r = await api('POST', '/auth/staff/token', { body: { username, password: backend.accounts[username] } });
    assert.equal(r.status, 200, `staff login of ${username}`);
    return r.body.access_token;
  }

  /** Creates, publishes and permits the demo handler on a service with signing. */
  async function createService({ slug, name, signing, form }) {
    const admin = await staffToken('admin');
    const created = await api('POST', '/services', {
      token: admin,
      body: {
        slug,
        name,
        audience: 'Vårdnadshavare och andra som ansöker tillsammans.',
        first_page_text: 'Här ansöker ni tillsammans. Båda skriver under med BankID.',
        last_page_text: 'Tack! Vi hör av oss när vi har behandlat ansökan.',
        privacy_text: 'Vi behandlar uppgifterna för att handlägga ansökan.',
        confirmation_email_subject: 'Vi har tagit emot din ansökan',
        confirmation_email_body: 'Hej! Vi har tagit emot {{service_name}} med ärendenummer {{case_reference}}.',
        handler_mailbox: 'skola@example.org',
        identity: 'e_id',
        retention_days_after_closing: 30,
        signing,
      },
    });
    assert.equal(created.status, 201, `create ${slug}: ${JSON.stringify(created.body)}`);
    const version = await api('POST', `/services/${slug}/forms`, { token: admin, body: { definition: form } });
    assert.equal(version.status, 201, `form of ${slug}: ${JSON.stringify(version.body)}`);
    // A handler first: publishing requires one.
    const staff = await api('GET', '/staff', { token: admin });
    const handler = staff.body.find((s) => s.username === 'handlaggare');
    const permitted = await api('PUT', `/services/${slug}/permissions/${handler.id}`, { token: admin });
    assert.equal(permitted.status, 200, `permission on ${slug}`);
    const published = await api('POST', `/services/${slug}/forms/${version.body.version}/publish`, { token: admin });
    assert.equal(published.status, 200, `publish ${slug}: ${JSON.stringify(published.body)}`);
  }

  before(async () => {
    backend = await startBackend({ env: { APP_RETENTION__ALLOW_AS_OF: 'true' } });
    browser = await launchBrowser();
    assert.ok(backend.accounts.handlaggare && backend.accounts.admin, 'the demo prints its staff accounts');
    await createService(GUARDIANS);
    await createService(ENTERED);
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await backend?.stop();
  });

  /** Runs `sql` against the server's SQLite database (the sqlite3 command line tool, else Python's sqlite3). */
  function sqlite(sql) {
    try {
      return execFileSync('sqlite3', ['-cmd', '.timeout 10000', backend.databasePath, sql], { encoding: 'utf8' });
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
      const script = 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],timeout=10)\nc.execute(sys.argv[2])\nc.commit()';
      return execFileSync('python3', ['-c', script, backend.databasePath, sql], { encoding: 'utf8' });
    }
  }

  /** `fetch` in the page with the logged-in applicant's token; resolves to {status, body}. */
  function asApplicant(page, method, path, body) {
    return page.evaluate(async ({ method, path, body }) => {
      const { token } = JSON.parse(sessionStorage.getItem('etjanster.session'));
      const headers = { Authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const r = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    }, { method, path, body });
  }

  /** `person` logs in with BankID and lands on Mina sidor. */
  async function logsInToMinaSidor(page, context, person) {
    await page.goto(url('/logga-in?till=%2Fmina-sidor'));
    await bankId.logsInWithBankId(page, context, person);
    await h1(page, 'Mina sidor').waitFor();
  }

  /** A numbered step's h1 ends with its title ("Steg 2 av 4 Barnet"); focus moves to it. */
  async function waitForStep(page, title) {
    await h1(page, new RegExp(`${title}$`)).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'steg-rubrik');
  }

  /**
   * Guardian A (logged in on `page`) applies for the child through the API and signs on /dev/bankid;
   * returns the case reference once the signature is complete.
   */
  async function guardianAppliesAndSigns(page, context, school) {
    const service = (await api('GET', `/catalogue/${GUARDIANS.slug}`)).body;
    const started = await asApplicant(page, 'POST', `/catalogue/${GUARDIANS.slug}/signings`, {
      form_version: service.form_version,
      answers: { barn: CHILD, nuvarande_skola: school },
    });
    assert.equal(started.status, 201, `the signature starts: ${JSON.stringify(started.body)}`);
    assert.equal(await bankId.scansSigningOrder(context, { orderFor: GUARDIAN_A }), 'Klart.');
    for (let i = 0; i < 30; i += 1) {
      const progress = await asApplicant(page, 'GET', `/signings/${started.body.signing_id}`);
      assert.equal(progress.status, 200, JSON.stringify(progress.body));
      if (progress.body.status === 'complete') return progress.body.case.reference;
      assert.equal(progress.body.status, 'pending', JSON.stringify(progress.body));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error('the applicant\'s signature did not complete');
  }

  /** The error text of a page and the backend's last lines, added to a failure. */
  async function explain(err, pages) {
    for (const [who, p] of Object.entries(pages)) {
      const said = await p.page.locator('[role=alert], [role=status], [aria-live]').allInnerTexts().catch(() => []);
      err.message += `\n--- ${who}'s page (${p.page.url()}) says ---\n${said.filter(Boolean).join('\n')}`;
      if (p.errors.length) err.message += `\n--- ${who}'s page errors ---\n${p.errors.join('\n')}`;
    }
    err.message += `\n--- backend output (last lines) ---\n${backend.output()}`;
    return err;
  }

  it('guardian A applies for the shared child and signs; the case reaches the handler only after guardian B has signed (a third person cannot sign for B); the handler sees both signatures, downloads the evidence and verifies it, and verification fails once a stored answer is tampered with', TEST_TIMEOUT, async () => {
    const a = await newPage();
    const b = await newPage();
    const handler = await newPage();
    try {
      // Guardian A: the service, login, the personal data step, the child from the register.
      const page = a.page;
      await page.goto(url(`/tjanster/${GUARDIANS.slug}`));
      await page.getByRole('link', { name: 'Starta' }).click();
      await h1(page, 'Logga in').waitFor();
      await bankId.logsInWithBankId(page, a.context, GUARDIAN_A);
      await waitForStep(page, 'Dina uppgifter');
      await page.getByRole('button', { name: 'Nästa', exact: true }).click();
      await waitForStep(page, 'Barnet');
      const child = page.getByRole('radio', { name: new RegExp(shownPersonnummer(CHILD)) });
      await child.waitFor();
      const childLabel = await page.locator(`label[for="${await child.getAttribute('id')}"]`).innerText();
      const childName = childLabel.replace(/\s*\(.*\)\s*$/, '');
      assert.ok(childName.length > 1, `the child has a name: ${childLabel}`);
      await assertNoAxeViolations(page, 'the "Välj barn" field');
      await child.check();
      await page.getByLabel('Nuvarande skola').fill('Lärkanskolan');
      await page.getByRole('button', { name: 'Nästa', exact: true }).click();

      // The summary names the child; the send button signs.
      await waitForStep(page, 'Granska och skicka');
      const childRow = page.locator('.summary-row', { hasText: 'Vilket barn gäller ansökan?' }).locator('dd');
      assert.equal((await childRow.innerText()).trim(), childName, 'the summary shows the child by name');
      await assertNoAxeViolations(page, 'the summary of a service that requires signing');
      await page.getByRole('button', { name: 'Signera och skicka' }).click();

      // Signing: what is signed (the text and the digest) and the BankID panel.
      await waitForStep(page, 'Skriv under');
      const signed = page.getByRole('region', { name: 'Det här skriver du under' });
      const summaryText = (await signed.locator('.signed-text').innerText()).trim();
      const digest = (await signed.locator('.digest code').innerText()).trim();
      assert.match(digest, /^[0-9a-f]{64}$/, 'the digest is a SHA-256 in hex');
      assert.ok(summaryText.includes('Lärkanskolan'), `the signed text shows the answers:\n${summaryText}`);
      // Readable: no Markdown marks, no "?:", and the checksum once (below the text, explained).
      assert.ok(!summaryText.includes('# ') && !summaryText.includes('?:'), `formatted text:\n${summaryText}`);
      assert.ok(!summaryText.includes(digest), 'the digest is not repeated inside the text');
      assert.equal(await page.locator('code', { hasText: digest }).count(), 1, 'the digest is shown once');
      await page.getByRole('img', { name: 'QR-kod för BankID' }).waitFor();
      const coSigners = (await page.locator('.notice strong').innerText()).trim();
      assert.ok(coSigners.length > 1, 'the other guardian is named before signing');
      await assertNoAxeViolations(page, 'the signing step with the QR code');

      // A signs on the phone: the case waits for B.
      assert.equal(await bankId.scansSigningOrder(a.context, { orderFor: GUARDIAN_A }), 'Klart.');
      await h1(page, 'Du har skrivit under – ansökan väntar på fler underskrifter').waitFor();
      const reference = (await page.locator('.reference').innerText()).trim();
      assert.match(reference, /^[A-Z]+-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      await page.getByText(coSigners, { exact: true }).waitFor();
      await page.getByText('Ansökan skickas till handläggaren först när alla har skrivit under.').waitFor();
      await assertNoAxeViolations(page, 'the receipt of a case awaiting a co-signer');

      // A's Min sida: waiting for B.
      await page.goto(url(`/mina-sidor/arenden/${reference}`));
      await page.locator('.case-status-now .status-name').getByText('Väntar på underskrift').waitFor();
      // Not "Skickad": it is not sent until B has signed.
      await page.locator('.case-status-now dt', { hasText: 'Du skrev under' }).waitFor();
      assert.equal(await page.locator('.case-status-now dt', { hasText: 'Skickad' }).count(), 0, 'no "Skickad" while awaiting signatures');
      const aSigning = page.getByRole('region', { name: 'Underskrifter' });
      await aSigning.getByText('Har inte skrivit under än').waitFor();
      await aSigning.getByText('Har skrivit under', { exact: false }).first().waitFor();
      await assertNoAxeViolations(page, 'the applicant\'s case awaiting a co-signer');

      // Not in the handler's inbox, and not to be opened.
      const staff = handler.page;
      await staffLogsIn(staff, `/handlaggning?sok=${reference}`, 'handlaggare');
      await staff.getByText('Inga ärenden matchar filtret.').waitFor();
      await staff.goto(url(`/handlaggning/arenden/${reference}`));
      await h1(staff, 'Ärendet finns inte').waitFor();

      // Guardian B finds the request on Mina sidor.
      const pageB = b.page;
      await logsInToMinaSidor(pageB, b.context, GUARDIAN_B);
      const requests = pageB.getByRole('region', { name: 'Underskrifter som väntar på mig' });
      await requests.getByRole('heading', { name: GUARDIANS.name }).waitFor();
      await assertNoAxeViolations(pageB, 'Mina sidor with a signature waiting');
      await requests.getByRole('link', { name: `Läs och skriv under ${GUARDIANS.name}` }).click();
      await h1(pageB, GUARDIANS.name).waitFor();
      const requestId = new URL(pageB.url()).pathname.split('/').pop();
      // Exactly what A signed.
      const shown = pageB.getByRole('region', { name: 'Det här skriver du under' });
      // What A signed, except that B is not listed among those still to sign.
      const bText = (await shown.locator('.signed-text').innerText()).trim();
      assert.equal(bText, summaryText.replace(/\n*Ska också skriva under: [^\n]*/, ''), 'B sees the text A signed, without B\'s own name');
      assert.ok(!bText.includes('Ska också skriva under'), `B is not told to co-sign with themselves:\n${bText}`);
      assert.equal((await shown.locator('.digest code').innerText()).trim(), digest, 'B sees the digest A signed');
      await pageB.getByText('Väntar på din underskrift').waitFor();
      await assertNoAxeViolations(pageB, 'the request to co-sign');

      // A third person scans B's order: BankID refuses (the order is bound to B), the request stays.
      await pageB.getByRole('button', { name: 'Skriv under med BankID' }).click();
      await pageB.getByRole('img', { name: 'QR-kod för BankID' }).waitFor();
      const refused = await bankId.scansSigningOrder(b.context, { orderFor: GUARDIAN_B, scanAs: THIRD_PERSON });
      assert.match(refused, /får bara slutföras av en annan person/, 'the simulator refuses the third person');
      const failedHeading = pageB.getByRole('heading', { level: 2, name: 'Det gick inte att skriva under' });
      await failedHeading.waitFor();
      await pageB.waitForFunction(() => document.activeElement?.id === 'bankid-underskrift');
      const failure = (await pageB.locator('.bankid [aria-live="polite"]').innerText()).trim();
      assert.ok(failure.length > 0, 'the panel says why');
      const still = await asApplicant(pageB, 'GET', `/me/signature-requests/${requestId}`);
      assert.equal(still.body.state, 'pending', 'the request is still pending');
      await pageB.getByText('Väntar på din underskrift').waitFor();
      await assertNoAxeViolations(pageB, 'the failed co-signature');

      // B signs.
      await pageB.getByRole('button', { name: 'Försök igen' }).click();
      await pageB.getByRole('img', { name: 'QR-kod för BankID' }).waitFor();
      assert.equal(await bankId.scansSigningOrder(b.context, { orderFor: GUARDIAN_B }), 'Klart.');
      await pageB.getByRole('status').getByText('Du har skrivit under.', { exact: false }).waitFor();
      await pageB.locator('.facts').getByText('Du har skrivit under').waitFor();
      // B follows the application's status now (and nothing else of it).
      await pageB.locator('.facts').getByText('Ansökans status').waitFor();
      await pageB.locator('.facts dd', { hasText: 'Inskickat' }).waitFor();
      assert.equal(await pageB.getByRole('button', { name: 'Skriv under med BankID' }).count(), 0);
      await assertNoAxeViolations(pageB, 'the signed request');

      // Now the case is in the inbox.
      await staff.goto(url(`/handlaggning?sok=${reference}`));
      await staff.getByRole('link', { name: reference }).click();
      await h1(staff, new RegExp(reference)).waitFor();
      // The child's answer, by personnummer.
      await staff.getByRole('region', { name: 'Svar' }).getByText(shownPersonnummer(CHILD)).waitFor();

      // Both signatures, with the evidence to download.
      const signatures = staff.getByRole('region', { name: 'Underskrifter' });
      const rows = signatures.locator('tbody tr');
      await rows.nth(1).waitFor();
      assert.equal(await rows.count(), 2, 'two signatures');
      const first = await rows.nth(0).innerText();
      const second = await rows.nth(1).innerText();
      assert.match(first, /Sökande/);
      assert.ok(first.includes(shownPersonnummer(GUARDIAN_A)) && first.includes('BankID'), first);
      assert.match(second, /Medundertecknare/);
      assert.ok(second.includes(shownPersonnummer(GUARDIAN_B)) && second.includes('BankID'), second);
      await assertNoAxeViolations(staff, 'the case with its signatures');
      const [download] = await Promise.all([
        staff.waitForEvent('download'),
        rows.nth(0).getByRole('button', { name: /^Ladda ner/ }).click(),
      ]);
      assert.equal(download.suggestedFilename(), `underskrift-${reference}-0.json`);
      const evidence = (await readFile(await download.path())).toString();
      assert.ok(JSON.parse(evidence), 'the evidence is JSON');
      assert.ok(evidence.includes(digest), 'the evidence carries the digest');

      // Verification: valid.
      const verdict = signatures.getByRole('status');
      await signatures.getByRole('button', { name: 'Kontrollera underskrifterna' }).click();
      await verdict.getByText('Underskrifterna är giltiga', { exact: false }).waitFor();
      assert.equal(await verdict.getByText('giltig', { exact: true }).count(), 2, 'each signature is valid');
      await assertNoAxeViolations(staff, 'the verified signatures');

      // A stored answer is changed behind the platform's back: the signatures no longer hold.
      sqlite(`UPDATE cases SET answers = json_set(answers, '$.nuvarande_skola', 'Manipulerad skola') WHERE reference = '${reference}'`);
      await signatures.getByRole('button', { name: 'Kontrollera underskrifterna' }).click();
      await verdict.getByText('Underskrifterna är inte giltiga', { exact: false }).waitFor();
      assert.equal(await verdict.getByText('ogiltig', { exact: true }).count(), 2, 'each signature is invalid');
      await verdict.getByText('kontrollsumman stämmer inte med svaren', { exact: false }).first().waitFor();
      await assertNoAxeViolations(staff, 'the signatures after tampering');

      for (const [who, p] of Object.entries({ 'guardian A': a, 'guardian B': b, handler })) {
        assert.deepEqual(p.errors, [], `errors in ${who}'s page`);
      }
    } catch (err) {
      throw await explain(err, { 'guardian A': a, 'guardian B': b, handler });
    } finally {
      await a.context.close();
      await b.context.close();
      await handler.context.close();
    }
  });

  it('guardian B declines with a message: the case is not submitted, and guardian A sees "Ej inskickat" and the message', TEST_TIMEOUT, async () => {
    const a = await newPage();
    const b = await newPage();
    const message = 'Jag vill att vi pratar om skolbytet först.';
    try {
      await logsInToMinaSidor(a.page, a.context, GUARDIAN_A);
      const reference = await guardianAppliesAndSigns(a.page, a.context, 'Tågaborgsskolan');

      await logsInToMinaSidor(b.page, b.context, GUARDIAN_B);
      const requests = b.page.getByRole('region', { name: 'Underskrifter som väntar på mig' });
      await requests.getByRole('link', { name: `Läs och skriv under ${GUARDIANS.name}` }).click();
      await h1(b.page, GUARDIANS.name).waitFor();
      await b.page.getByRole('button', { name: 'Avböj', exact: true }).click();
      const field = b.page.getByLabel('Meddelande till den som ansökte');
      await field.waitFor();
      await b.page.waitForFunction(() => document.activeElement?.id === 'avboj-meddelande');
      await field.fill(message);
      await assertNoAxeViolations(b.page, 'the decline form');
      b.page.once('dialog', (d) => d.accept());
      await b.page.getByRole('button', { name: 'Avböj underskriften' }).click();
      await b.page.getByRole('status').getByText('Du har avböjt att skriva under.', { exact: false }).waitFor();
      await b.page.locator('.facts').getByText('Du har avböjt').waitFor();
      await assertNoAxeViolations(b.page, 'the declined request');

      await a.page.goto(url(`/mina-sidor/arenden/${reference}`));
      await a.page.locator('.case-status-now .status-name').getByText('Ej inskickat – underskrift saknas').waitFor();
      const signing = a.page.getByRole('region', { name: 'Underskrifter' });
      await signing.getByText('Har avböjt att skriva under').waitFor();
      await signing.getByText(message).waitFor();
      await assertNoAxeViolations(a.page, 'the applicant\'s declined case');

      const staff = await api('GET', `/cases/${reference}`, { token: await staffToken('handlaggare') });
      assert.equal(staff.status, 404, 'the handler never sees the declined case');
      assert.deepEqual(a.errors, [], 'errors in guardian A\'s page');
      assert.deepEqual(b.errors, [], 'errors in guardian B\'s page');
    } catch (err) {
      throw await explain(err, { 'guardian A': a, 'guardian B': b });
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  it('a request not signed by its deadline expires when the retention job runs: A sees "Ej inskickat", B can no longer sign', TEST_TIMEOUT, async () => {
    const a = await newPage();
    const b = await newPage();
    try {
      await logsInToMinaSidor(a.page, a.context, GUARDIAN_A);
      const reference = await guardianAppliesAndSigns(a.page, a.context, 'Rå skola');
      const before = await asApplicant(a.page, 'GET', `/me/cases/${reference}/signing`);
      assert.equal(before.status, 200, JSON.stringify(before.body));
      assert.equal(before.body.outcome, 'awaiting');
      const asOf = new Date(Date.parse(before.body.deadline) + 3_600_000).toISOString();
      const run = await api('POST', '/retention/runs', { token: await staffToken('admin'), body: { as_of: asOf } });
      assert.equal(run.status, 200, `the run: ${JSON.stringify(run.body)}`);

      await a.page.goto(url(`/mina-sidor/arenden/${reference}`));
      await a.page.locator('.case-status-now .status-name').getByText('Ej inskickat – underskrift saknas').waitFor();
      const signing = a.page.getByRole('region', { name: 'Underskrifter' });
      await signing.getByText('alla skrev inte under i tid', { exact: false }).waitFor();
      await signing.getByText(/: Skrev inte under/).waitFor();
      await assertNoAxeViolations(a.page, 'the applicant\'s expired case');

      await logsInToMinaSidor(b.page, b.context, GUARDIAN_B);
      const requests = b.page.getByRole('region', { name: 'Underskrifter som väntar på mig' });
      await requests.getByText('Inga underskrifter väntar på dig.').waitFor();
      await requests.getByText('Tiden för att skriva under har gått ut').first().waitFor();
      await assertNoAxeViolations(b.page, 'Mina sidor with an expired request');
      const mine = await asApplicant(b.page, 'GET', '/me/signature-requests');
      const expired = mine.body.find((r) => r.state === 'expired');
      assert.ok(expired, `B's request expired: ${JSON.stringify(mine.body)}`);
      await requests.locator(`a[href="/mina-sidor/underskrifter/${expired.id}"]`).click();
      await h1(b.page, GUARDIANS.name).waitFor();
      await b.page.locator('.facts').getByText('Tiden för att skriva under har gått ut').waitFor();
      await assertNoAxeViolations(b.page, 'the expired request');
      assert.equal(await b.page.getByRole('button', { name: 'Skriv under med BankID' }).count(), 0, 'nothing to sign');
      assert.equal(await b.page.getByRole('button', { name: 'Avböj', exact: true }).count(), 0, 'nothing to decline');
      assert.deepEqual(a.errors, [], 'errors in guardian A\'s page');
      assert.deepEqual(b.errors, [], 'errors in guardian B\'s page');
    } catch (err) {
      throw await explain(err, { 'guardian A': a, 'guardian B': b });
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  it('an applicant who enters their own personnummer as the co-signer is refused before BankID starts', TEST_TIMEOUT, async () => {
    const a = await newPage();
    try {
      const page = a.page;
      await page.goto(url(`/tjanster/${ENTERED.slug}/ansokan`));
      await h1(page, 'Logga in').waitFor();
      await bankId.logsInWithBankId(page, a.context, GUARDIAN_A);
      await waitForStep(page, 'Dina uppgifter');
      await page.getByRole('button', { name: 'Nästa', exact: true }).click();
      await waitForStep(page, 'Uppgifter');
      await page.getByLabel('Medsökandes personnummer').fill(shownPersonnummer(GUARDIAN_A));
      await page.getByLabel('Vad gäller intyget?').fill('Gemensam vårdnad');
      await page.getByRole('button', { name: 'Nästa', exact: true }).click();
      await waitForStep(page, 'Granska och skicka');
      await page.getByRole('button', { name: 'Signera och skicka' }).click();
      await page.getByRole('alert').getByText('Du kan inte skriva under din egen ansökan', { exact: false }).first().waitFor();
      assert.equal(await page.getByRole('img', { name: 'QR-kod för BankID' }).count(), 0, 'no BankID order');
      await assertNoAxeViolations(page, 'the refused self co-signing');
      assert.deepEqual(a.errors, [], 'errors in the applicant\'s page');
    } catch (err) {
      throw await explain(err, { applicant: a });
    } finally {
      await a.context.close();
    }
  });

  it('an applicant with protected personal data is shown the contact route instead of the children', TEST_TIMEOUT, async () => {
    const p = await newPage();
    try {
      const page = p.page;
      await page.goto(url(`/tjanster/${GUARDIANS.slug}/ansokan`));
      await h1(page, 'Logga in').waitFor();
      await bankId.logsInWithBankId(page, p.context, PROTECTED);
      await waitForStep(page, 'Dina uppgifter');
      await page.getByRole('button', { name: 'Nästa', exact: true }).click();
      await waitForStep(page, 'Barnet');
      await page.getByText('Du har skyddade personuppgifter. Därför kan vi inte visa dina barn här.').waitFor();
      await page.getByText(CONTACT_ROUTE).waitFor();
      assert.equal(await page.getByRole('radio').count(), 0, 'no children to choose');
      await assertNoAxeViolations(page, 'the child field of a protected applicant');
      // The register-based flow does not run for them.
      const service = (await api('GET', `/catalogue/${GUARDIANS.slug}`)).body;
      const refused = await asApplicant(page, 'POST', `/catalogue/${GUARDIANS.slug}/signings`, {
        form_version: service.form_version,
        answers: { barn: CHILD, nuvarande_skola: 'Lärkanskolan' },
      });
      assert.ok([409, 422].includes(refused.status), `no signature starts: ${JSON.stringify(refused.body)}`);
      assert.deepEqual(p.errors, [], 'errors in the applicant\'s page');
    } catch (err) {
      throw await explain(err, { applicant: p });
    } finally {
      await p.context.close();
    }
  });
});
