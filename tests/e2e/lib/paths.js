// Where things are, relative to this folder (tests/e2e) unless overridden by the environment.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');

/** The backend binary: $BACKEND_BIN, or target/debug/backend. */
export const BACKEND_BIN = process.env.BACKEND_BIN
  ? path.resolve(process.env.BACKEND_BIN)
  : path.resolve(E2E_DIR, '../../target/debug/backend');

/** The built SPA: $FRONTEND_DIST, or frontend/dist. */
export const FRONTEND_DIST = process.env.FRONTEND_DIST
  ? path.resolve(process.env.FRONTEND_DIST)
  : path.join(REPO_ROOT, 'frontend', 'dist');

/** Chromium from apt: $CHROMIUM_PATH, or /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');
