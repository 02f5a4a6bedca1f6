// The applicant's login in a real browser against the real backend and its simulators: Mobilt
// BankID (the animated QR code, played through the backend's /dev/bankid page), another e-ID
// through the OIDC provider simulator, the prefilled personal data from the Navet simulator on
// /mina-uppgifter, protected personal data, the session (renewal, 401, logout).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { axeViolations } from './lib/a11y.js';
import { startBackend } from './lib/backend.js';
import { launchBrowser, watchForErrors } from './lib/browser.js';
import { SCREENSHOT_DIR } from './lib/paths.js';

const TEST_TIMEOUT = { timeout: 90_000 };
const SESSION_KEY = 'etjanster.session';

// The Navet simulator's demo applicant (backend/src/navet/simulator.rs, fixtures::DEMO_APPLICANT):
// given names "Demo Tolva" with tilltalsnamn Tolva, surname Testperson, c/o and two address lines.
const DEMO = {
  personnummer: '189001019802',
  shown: '18900101-9802',
  name: 'Tolva Testperson',
  address: ['c/o FAMILJEN EXEMPEL', 'LGH 1001, SIMULATORVÄGEN 3', '999 92 PROVBY'],
  // How the BankID dev page and the OIDC provider name the test person.
  bankIdButton: 'Skanna som Tolva Testperson (18900101-9802)',
  oidcButton: 'Logga in som Tolva Testperson (189001019802)',
};
// fixtures::SEKRETESSMARKERING: the register holds a name and an address the app must never show.
const PROTECTED = {
  personnummer: '198203162394',
  shown: '19820316-2394',
  secrets: ['Sekretus', 'Hemlig', 'Skyddsson', 'DOLDA GRÄND', '99993', '999 93', '19820316-2394', '198203162394'],
};

describe('Logging in with e-ID and seeing one\'s own data', () => {
  /** @type {Awaited<ReturnType<typeof startBackend>>} */
  let backend;
  /** @type {import('playwright-core').Browser} */
  let browser;

  before(async () => {
    backend = await startBackend();
    // The OIDC provider simulator serves https with a certificate from a test CA made at start-up.
    browser = await launchBrowser({ ignoreCertificateErrors: true });
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await backend?.stop();
  });

  const url = (urlPath) => new URL(urlPath, backend.url).href;
  const pathIs = (pathname) => (u) => u.pathname === pathname;

  /**
   * Runs `body` with a fresh browser context and page (a computer's screen unless `viewport` or
   * `hasTouch` says otherwise), and fails if the page threw or logged an error. The context is
   * closed in any case.
   * @param {(page: import('playwright-core').Page, context: import('playwright-core').BrowserContext) => Promise<void>} body
   */
  async function withPage(body, { viewport = { width: 1280, height: 900 }, hasTouch = false } = {}) {
    const context = await browser.newContext({ locale: 'sv-SE', viewport, hasTouch });
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

  async function screenshot(page, name) {
    if (process.env.SCREENSHOTS === '1') {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
    }
  }

  async function assertNoAxeViolations(page, where) {
    const violations = await axeViolations(page);
    assert.equal(violations, '', `axe found violations on ${where}:\n${violations}`);
  }

  /** The element whose text screen readers hear as BankID's message. */
  const bankIdMessage = (page) => page.locator('.bankid [aria-live="polite"]');
  const qrCode = (page) => page.getByRole('img', { name: 'QR-kod för BankID' });

  /** Opens /logga-in (or `from`), chooses Mobilt BankID and waits for the first QR code. */
  async function startBankId(page, from = '/logga-in') {
    await page.goto(url(from));
    await page.getByRole('button', { name: 'Mobilt BankID', exact: true }).click();
    await qrCode(page).waitFor();
  }

  /** "Avbryt": the login is cancelled at BankID too, so that no order stays pending for the tests after. */
  async function cancelBankId(page) {
    const cancelled = page.waitForResponse((r) => r.request().method() === 'DELETE' && /\/auth\/bankid\//.test(r.url()));
    await page.getByRole('button', { name: 'Avbryt', exact: true }).click();
    assert.equal((await cancelled).ok(), true, 'the order is cancelled at BankID');
  }

  /**
   * Opens the backend's BankID simulator page in a second tab, as the person with the phone.
   * Orders are listed newest first, pending before finished: the first section is the order
   * the test just started.
   */
  async function openBankIdApp(context) {
    const app = await context.newPage();
    await app.goto(url('/dev/bankid'));
    const order = app.locator('section').first();
    await order.getByRole('heading', { name: /^Inloggning/ }).waitFor();
    return { app, order };
  }

  /** Clicks a button of the dev page's form and waits for its answer. */
  async function devAction(app, button) {
    const posted = app.waitForResponse((r) => r.url().endsWith('/dev/bankid') && r.request().method() === 'POST');
    await button.click();
    const response = await posted;
    assert.equal(response.status(), 303, 'the dev page answers its forms with 303');
    await app.waitForLoadState();
    const outcome = await app.getByRole('status').innerText();
    assert.equal(outcome, 'Klart.', `the dev page's result`);
  }

  /** Scans the newest order as `person` and confirms with the security code. */
  async function scanAndConfirm(page, context, scanButtonName) {
    const { app, order } = await openBankIdApp(context);
    await devAction(app, order.getByRole('button', { name: scanButtonName }));
    await confirmInApp(page, app);
  }

  async function confirmInApp(page, app) {
    // Scanned: the QR code goes away and BankID's message says so (RFA15A while it is started).
    await bankIdMessage(page).getByText(/^Söker efter BankID/).waitFor();
    assert.equal(await qrCode(page).count(), 0, 'no QR code once it is scanned');
    await devAction(app, app.locator('section').first().getByRole('button', { name: 'Bekräfta med säkerhetskoden' }));
    await app.close();
  }

  /** Logs in through the OIDC provider simulator as the demo applicant, starting at /logga-in. */
  async function logInWithOidc(page, from = '/logga-in') {
    await page.goto(url(from));
    await page.getByRole('link', { name: 'Annan e-legitimation (Freja eID+ m.fl.)' }).click();
    await page.waitForURL((u) => u.protocol === 'https:' && u.pathname === '/authorize');
    await page.getByRole('button', { name: DEMO.oidcButton }).click();
  }

  /** The data list on /mina-uppgifter as {term: description lines}. */
  async function details(page) {
    await page.locator('.details').waitFor();
    return page.locator('.details').evaluate((dl) => {
      const out = {};
      for (const dt of dl.querySelectorAll('dt')) {
        const dd = dt.nextElementSibling;
        const lines = [...dd.querySelectorAll('.line')].map((l) => l.textContent.trim());
        out[dt.textContent.trim()] = lines.length ? lines : dd.textContent.trim();
      }
      return out;
    });
  }

  async function assertDemoApplicantShown(page) {
    await page.waitForURL(pathIs('/mina-uppgifter'));
    await page.getByRole('heading', { level: 1, name: 'Mina uppgifter' }).waitFor();
    assert.deepEqual(await details(page), {
      Namn: DEMO.name,
      Personnummer: DEMO.shown,
      Adress: DEMO.address,
    });
    assert.equal(await page.title(), 'Mina uppgifter – E-tjänster');
  }

  const banner = (page) => page.getByRole('banner');

  async function assertLoggedInHeader(page) {
    await banner(page).getByRole('button', { name: 'Logga ut' }).waitFor();
    assert.equal(await banner(page).getByRole('link', { name: 'Logga in' }).count(), 0);
  }

  const storedSession = (page) => page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY);

  it('logs in with Mobilt BankID by QR code and shows the prefilled name and address', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startBankId(page);
      // The step change moves keyboard focus to the BankID step's heading.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'bankid-rubrik');
      await page.getByRole('heading', { level: 2, name: 'Logga in med Mobilt BankID' }).waitFor();
      await bankIdMessage(page).getByText('Starta BankID-appen.', { exact: true }).waitFor();

      // The QR code is animated: a new one within about two seconds.
      const firstQr = await page.locator('.bankid-qr-code').innerHTML();
      assert.match(firstQr, /^<svg[^>]*role="img"/);
      await page.waitForFunction(
        (before) => {
          const el = document.querySelector('.bankid-qr-code');
          return el?.querySelector('svg') && el.innerHTML !== before;
        },
        firstQr,
        { timeout: 2_500 },
      );

      const sameDevice = page.getByRole('link', { name: 'Öppna BankID på den här enheten' });
      assert.match(
        await sameDevice.getAttribute('href'),
        /^bankid:\/\/\/\?autostarttoken=[0-9a-f-]{36}&redirect=null$/,
      );
      await page.getByRole('button', { name: 'Avbryt', exact: true }).waitFor();
      await assertNoAxeViolations(page, '/logga-in with the QR code');
      await screenshot(page, 'login-bankid.png');

      await scanAndConfirm(page, context, DEMO.bankIdButton);
      await assertDemoApplicantShown(page);
      await assertLoggedInHeader(page);

      // The token lives in this tab's sessionStorage, never in localStorage.
      const stored = JSON.parse(await storedSession(page));
      assert.match(stored.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.ok(stored.expires_at > Date.now() + 10 * 60_000, 'the token lives about 15 minutes');
      assert.equal(await page.evaluate(() => localStorage.length), 0);

      await assertNoAxeViolations(page, '/mina-uppgifter');
      await screenshot(page, 'mina-uppgifter.png');
    });
  });

  it('offers "Öppna BankID på den här enheten" before the QR code on a phone (a narrow or touch screen), in the order it is read and tabbed, and after it on a computer', TEST_TIMEOUT, async () => {
    /** Where the same-device link is: before the QR code in the document (the reading and tab order) and above it on the screen. */
    const sameDeviceFirst = async (page) => {
      await page.getByRole('link', { name: 'Öppna BankID på den här enheten' }).waitFor();
      return page.evaluate(() => {
        const link = [...document.querySelectorAll('.bankid a')].find((a) => a.textContent.includes('Öppna BankID'));
        const qr = document.querySelector('.bankid-qr');
        return {
          inDocument: Boolean(link.compareDocumentPosition(qr) & Node.DOCUMENT_POSITION_FOLLOWING),
          onScreen: link.getBoundingClientRect().bottom <= qr.getBoundingClientRect().top,
        };
      });
    };
    const phone = { viewport: { width: 375, height: 812 } };
    // A phone on its side: a wide screen, used with a finger (a coarse pointer).
    const phoneOnItsSide = { viewport: { width: 812, height: 375 }, hasTouch: true };
    for (const [what, options] of [['a phone', phone], ['a phone on its side', phoneOnItsSide]]) {
      await withPage(async (page) => {
        await startBankId(page);
        assert.deepEqual(await sameDeviceFirst(page), { inDocument: true, onScreen: true }, what);
        // From the panel's heading (focused when the login starts), Tab reaches it first.
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'bankid-rubrik');
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement?.textContent.trim()), 'Öppna BankID på den här enheten');
        await assertNoAxeViolations(page, `/logga-in with BankID on ${what}`);
        await cancelBankId(page);
      }, options);
    }
    await withPage(async (page) => {
      await startBankId(page);
      assert.deepEqual(await sameDeviceFirst(page), { inDocument: false, onScreen: false }, 'a computer');
      await cancelBankId(page);
    });
  });

  it('shows BankID\'s message and "Försök igen" when the login is cancelled in the app, and cancels with "Avbryt"', TEST_TIMEOUT, async () => {
    await withPage(async (page, context) => {
      await startBankId(page);
      const { app, order } = await openBankIdApp(context);
      await devAction(app, order.getByRole('button', { name: 'Avbryt i appen' }));

      const failedHeading = page.getByRole('heading', { level: 2, name: 'Det gick inte att logga in' });
      await failedHeading.waitFor();
      // RFA6, BankID's text for userCancel.
      assert.equal((await bankIdMessage(page).innerText()).trim(), 'Åtgärden avbruten.');
      assert.equal(await qrCode(page).count(), 0);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'bankid-rubrik');
      await assertNoAxeViolations(page, '/logga-in after a failed BankID login');

      // "Försök igen" starts a new login with a new QR code …
      await page.getByRole('button', { name: 'Försök igen' }).click();
      await qrCode(page).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Logga in med Mobilt BankID' }).waitFor();
      await bankIdMessage(page).getByText('Starta BankID-appen.', { exact: true }).waitFor();

      // … and "Avbryt" goes back to the choice and cancels it at BankID.
      await page.getByRole('button', { name: 'Avbryt', exact: true }).click();
      await page.getByRole('heading', { level: 2, name: 'Välj e-legitimation' }).waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'valj-legitimation');
      for (let i = 0; ; i++) {
        await app.goto(url('/dev/bankid'));
        if (await app.getByText('Inga pågående ordrar.').count()) break;
        assert.ok(i < 20, 'the cancelled order is no longer pending at BankID');
        await app.waitForTimeout(250);
      }
    });
  });

  it('logs in with another e-ID through the OIDC provider and shows the prefilled data', TEST_TIMEOUT, async () => {
    await withPage(async (page) => {
      // A return path that leaves the app is ignored: the login ends on /mina-uppgifter here.
      await logInWithOidc(page, '/logga-in?till=//evil.example/mina-uppgifter');
      await assertDemoApplicantShown(page);
      assert.equal(new URL(page.url()).origin, new URL(backend.url).origin);
      await assertLoggedInHeader(page);
      // The one-time ticket does not stay in the address bar or the history.
      assert.doesNotMatch(page.url(), /biljett/);
      await page.goBack();
      await page.waitForLoadState();
      assert.doesNotMatch(page.url(), /inloggad/);
    });
  });

  it('comes back to the page the login started from', TEST_TIMEOUT, async () => {
    const catalogue = await (await fetch(url('/api/v1/catalogue'))).json();
    const servicePath = `/tjanster/${catalogue[0].slug}`;
    await withPage(async (page) => {
      await page.goto(url(servicePath));
      await banner(page).getByRole('link', { name: 'Logga in' }).click();
      await page.waitForURL(pathIs('/logga-in'));
      assert.equal(new URL(page.url()).searchParams.get('till'), servicePath);
      // Through the OIDC provider, which knows nothing of the return path.
      await page.getByRole('link', { name: 'Annan e-legitimation (Freja eID+ m.fl.)' }).click();
      await page.getByRole('button', { name: DEMO.oidcButton }).click();
      await page.waitForURL(pathIs(servicePath));
      await assertLoggedInHeader(page);
    });
  });

  it('shows a person with protected personal data only a message with a contact route', TEST_TIMEOUT, async (t) => {
    await withPage(async (page, context) => {
      // Prefer a way to log in that offers the person; failing that, the BankID dev page's
      // own scan form with the person's number (its endpoint takes any of Skatteverket's test numbers).
      await page.goto(url('/logga-in'));
      await page.getByRole('link', { name: 'Annan e-legitimation (Freja eID+ m.fl.)' }).click();
      await page.waitForURL((u) => u.protocol === 'https:' && u.pathname === '/authorize');
      const oidcButton = page.getByRole('button', { name: new RegExp(`\\(${PROTECTED.personnummer}\\)$`) });
      if (await oidcButton.count()) {
        await oidcButton.click();
      } else {
        await startBankId(page);
        const { app, order } = await openBankIdApp(context);
        const offered = order.getByRole('button', { name: new RegExp(`\\(${PROTECTED.shown}\\)$`) });
        if (await offered.count()) {
          await devAction(app, offered);
        } else {
          t.diagnostic(
            `neither the OIDC provider nor /dev/bankid offers ${PROTECTED.personnummer}: ` +
              'scanning with the dev page\'s form and that number in its hidden person field',
          );
          const form = order.locator('form').filter({ has: app.locator('input[name="action"][value="scan"]') }).first();
          await form.locator('input[name="person"]').evaluate((input, pnr) => { input.value = pnr; }, PROTECTED.personnummer);
          await devAction(app, form.getByRole('button'));
        }
        await confirmInApp(page, app);
      }

      await page.waitForURL(pathIs('/mina-uppgifter'));
      const notice = page.getByRole('region', { name: 'Dina uppgifter är skyddade' });
      await notice.waitFor();
      await notice.getByText('Kontakta oss på telefon').waitFor();
      assert.equal(await notice.getByRole('link', { name: '042-10 50 00' }).getAttribute('href'), 'tel:+4642105000');
      assert.equal(await page.locator('.details').count(), 0, 'no data list');
      const text = await page.locator('body').innerText();
      for (const secret of PROTECTED.secrets) {
        assert.ok(!text.includes(secret), `the page shows nothing from the register (found ${secret})`);
      }
      await assertLoggedInHeader(page);
      await assertNoAxeViolations(page, '/mina-uppgifter for protected personal data');
    });
  });

  it('logs out from the header, after which /mina-uppgifter asks to log in again', TEST_TIMEOUT, async () => {
    await withPage(async (page) => {
      await logInWithOidc(page);
      await assertDemoApplicantShown(page);
      const { token } = JSON.parse(await storedSession(page));

      await banner(page).getByRole('button', { name: 'Logga ut' }).click();
      await page.waitForURL(pathIs('/utloggad'));
      await page.getByRole('heading', { level: 1, name: 'Du är utloggad' }).waitFor();
      await banner(page).getByRole('link', { name: 'Logga in' }).waitFor();
      assert.equal(await banner(page).getByRole('button', { name: 'Logga ut' }).count(), 0);
      assert.equal(await storedSession(page), null, 'the token is gone from sessionStorage');
      // The session is over at the server too.
      const me = await fetch(url('/api/v1/me/person'), { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(me.status, 401);

      await page.goto(url('/mina-uppgifter'));
      await page.waitForURL(pathIs('/logga-in'));
      assert.equal(new URL(page.url()).searchParams.get('till'), '/mina-uppgifter');
      await page.getByRole('heading', { level: 1, name: 'Logga in' }).waitFor();
      assert.equal(await page.locator('.details').count(), 0);
    });
  });

  it('renews the token on a timer before it runs out', TEST_TIMEOUT, async () => {
    await withPage(async (page) => {
      await logInWithOidc(page);
      await assertDemoApplicantShown(page);
      const before = JSON.parse(await storedSession(page));
      // Pretend the token has 8 seconds left: the app renews it halfway, after about 4.
      await page.evaluate(
        ([key, s]) => sessionStorage.setItem(key, JSON.stringify({ ...s, expires_at: Date.now() + 8_000 })),
        [SESSION_KEY, before],
      );
      const renewed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/session/renew'), { timeout: 15_000 });
      await page.reload();
      const response = await renewed;
      assert.equal(response.status(), 200);
      assert.equal(response.request().headers().authorization, `Bearer ${before.token}`);
      await page.waitForFunction(
        ([key, old]) => JSON.parse(sessionStorage.getItem(key) ?? 'null')?.token !== old,
        [SESSION_KEY, before.token],
      );
      const after = JSON.parse(await storedSession(page));
      assert.ok(after.expires_at > Date.now() + 10 * 60_000, 'the new token lives about 15 minutes');
      await assertLoggedInHeader(page);
    });
  });

  it('forgets a token the server refuses (401) and asks to log in again', TEST_TIMEOUT, async () => {
    await withPage(async (page) => {
      await page.goto(url('/'));
      await page.evaluate(
        (key) => sessionStorage.setItem(key, JSON.stringify({ token: 'a.b.c', expires_at: Date.now() + 600_000 })),
        SESSION_KEY,
      );
      await page.goto(url('/mina-uppgifter'));
      await page.waitForURL(pathIs('/logga-in'));
      const params = new URL(page.url()).searchParams;
      assert.equal(params.get('till'), '/mina-uppgifter');
      assert.equal(params.get('fel'), 'utloggad');
      await page.getByRole('status').getByText('Du har loggats ut').waitFor();
      assert.equal(await storedSession(page), null);
      await banner(page).getByRole('link', { name: 'Logga in' }).waitFor();
    });
  });

  it('explains in Swedish why an e-ID login came back without logging in', TEST_TIMEOUT, async () => {
    const expected = {
      avbruten: 'Inloggningen avbröts.',
      utgangen: 'Inloggningen tog för lång tid',
      'otillracklig-niva': 'för låg säkerhetsnivå',
      'ej-tillganglig': 'Vi får ingen kontakt med tjänsten för e-legitimation',
      misslyckad: 'Det gick inte att logga in.',
    };
    await withPage(async (page) => {
      for (const [code, words] of Object.entries(expected)) {
        await page.goto(url(`/logga-in?fel=${code}`));
        await page.getByRole('alert').getByText(words).waitFor();
        await page.getByRole('button', { name: 'Mobilt BankID', exact: true }).waitFor();
      }
      await assertNoAxeViolations(page, '/logga-in with an error message');

      // A ticket that is unknown, used or too old.
      await page.goto(url('/inloggad?biljett=finns-inte'));
      await page.getByRole('heading', { level: 1, name: 'Det gick inte att logga in' }).waitFor();
      await page.getByRole('alert').getByText('Inloggningen har gått ut eller har redan använts.').waitFor();
      await page.getByRole('link', { name: 'Logga in igen' }).click();
      await page.waitForURL(pathIs('/logga-in'));
      assert.equal(await storedSession(page), null);
    });
  });
});
