// Chromium from apt, driven by playwright-core (never `npx playwright install`).
import { chromium } from 'playwright-core';

import { CHROMIUM_PATH } from './paths.js';

/**
 * Launches headless Chromium with the flags these machines need (docs: /work/shared/STACK.md).
 * playwright-core gives every launch a fresh, temporary user-data-dir and removes it on close.
 * `ignoreCertificateErrors` lets it open the backend's loopback OIDC provider simulator, whose
 * certificate comes from a test CA made at start-up.
 * @param {{ignoreCertificateErrors?: boolean}} [options]
 */
export function launchBrowser({ ignoreCertificateErrors = false } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      // Without these Chromium floods the closed network with refused connections.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...(ignoreCertificateErrors ? ['--ignore-certificate-errors'] : []),
    ],
  });
}

/**
 * Collects what goes wrong inside a page: uncaught exceptions (a Rust panic in the wasm ends
 * as one) and console errors other than failed resource loads (an expected 404 logs one).
 * @param {import('playwright-core').Page} page
 */
export function watchForErrors(page) {
  const errors = [];
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      errors.push(`console.error: ${msg.text()}`);
    }
  });
  return errors;
}
