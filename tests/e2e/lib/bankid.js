// The person with the phone: BankID logins and signatures played through the backend's
// /dev/bankid page (the BankID simulator), for any of its test persons.
//
// The page lists pending orders first, newest first; each order is a <section> whose heading says
// "Inloggning, …" or "Underskrift, …", with "Person i appen" once scanned and "Får bara slutföras av"
// for an order bound to one person (every signature). Its forms answer with 303 and a result in
// role="status": "Klart." when the action was taken.
import assert from 'node:assert/strict';

/** `198504182380` → `19850418-2380`, as the dev page (and the app) write a personnummer. */
export const shownPersonnummer = (pnr) => `${pnr.slice(0, 8)}-${pnr.slice(8)}`;

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The BankID steps, bound to the backend's address.
 * @param {(path: string) => string} url the backend's absolute URL of a path
 */
export function bankIdSteps(url) {
  /** Opens /dev/bankid in a new tab of `context` (the phone). */
  async function openApp(context) {
    const app = await context.newPage();
    await app.goto(url('/dev/bankid'));
    return app;
  }

  /**
   * A pending order on the dev page: of `kind` ('Inloggning' | 'Underskrift'), bound to
   * `requiredFor`, or scanned by `scannedBy` (personnummer), the newest first.
   */
  function pendingOrder(app, kind, { requiredFor, scannedBy } = {}) {
    let orders = app
      .locator('section')
      .filter({ has: app.getByRole('heading', { name: new RegExp(`^${kind},`) }) })
      .filter({ has: app.getByRole('button', { name: 'Avbryt i appen' }) });
    if (requiredFor) {
      orders = orders.filter({ hasText: new RegExp(`Får bara slutföras av\\s*[^()]*\\(${escape(shownPersonnummer(requiredFor))}\\)`) });
    }
    if (scannedBy) {
      orders = orders.filter({ hasText: new RegExp(`Person i appen\\s*[^()]*\\(${escape(shownPersonnummer(scannedBy))}\\)`) });
    }
    return orders.first();
  }

  /** Clicks a button of the dev page and returns the page's result line. */
  async function act(app, button) {
    const posted = app.waitForResponse((r) => r.url().endsWith('/dev/bankid') && r.request().method() === 'POST');
    await button.click();
    assert.equal((await posted).status(), 303, 'the dev page answers its forms with 303');
    await app.waitForLoadState();
    return app.getByRole('status').innerText();
  }

  /** Scans `order` as `person` (personnummer) and returns the dev page's result line. */
  async function scan(app, order, person) {
    await order.waitFor();
    const button = order.getByRole('button', { name: new RegExp(`^Skanna som .*\\(${escape(shownPersonnummer(person))}\\)$`) });
    return act(app, button);
  }

  /**
   * Person `personnummer` logs in with BankID: on `page`'s login page (/logga-in, or a page that
   * leads there) chooses Mobilt BankID, then scans the new login order on /dev/bankid and confirms
   * it with the security code. `page` then goes where the login page sends it.
   */
  async function logsInWithBankId(page, context, personnummer) {
    await page.getByRole('button', { name: 'Mobilt BankID', exact: true }).click();
    await page.getByRole('img', { name: 'QR-kod för BankID' }).waitFor();
    const app = await openApp(context);
    try {
      assert.equal(await scan(app, pendingOrder(app, 'Inloggning'), personnummer), 'Klart.', 'the login order is scanned');
      const scanned = pendingOrder(app, 'Inloggning', { scannedBy: personnummer });
      assert.equal(await act(app, scanned.getByRole('button', { name: 'Bekräfta med säkerhetskoden' })), 'Klart.');
    } finally {
      await app.close();
    }
  }

  /**
   * `scanAs` scans the pending signing order bound to `orderFor` (default: the same person) and,
   * when it is theirs and `confirm` is not false, confirms it with the security code. Returns the
   * dev page's result line after the scan (for someone else: the order has failed).
   */
  async function scansSigningOrder(context, { orderFor, scanAs = orderFor, confirm = true }) {
    const app = await openApp(context);
    try {
      const order = pendingOrder(app, 'Underskrift', { requiredFor: orderFor });
      const scanned = await scan(app, order, scanAs);
      if (scanned === 'Klart.' && confirm) {
        const mine = pendingOrder(app, 'Underskrift', { requiredFor: orderFor, scannedBy: scanAs });
        assert.equal(await act(app, mine.getByRole('button', { name: 'Bekräfta med säkerhetskoden' })), 'Klart.', 'the signature is confirmed');
      }
      return scanned;
    } finally {
      await app.close();
    }
  }

  return { openApp, pendingOrder, logsInWithBankId, scansSigningOrder };
}
