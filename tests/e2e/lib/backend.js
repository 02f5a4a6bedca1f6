// Starts the real backend binary on a free port with a fresh SQLite database and the demo
// data seeded, and stops it again.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { BACKEND_BIN, FRONTEND_DIST, REPO_ROOT } from './paths.js';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;
const LISTENING = /^Listening on (http:\/\/[^\s/]+:(\d+)\/)\s*$/;

/**
 * Runs `backend serve --demo` and resolves once it prints `Listening on http://HOST:PORT/`.
 * `env` adds configuration for this server, e.g. `{ APP_PORTAL__ALLOWED_ORIGINS: '…' }`.
 * `databasePath` is the server's SQLite file (for tests that change stored data behind its back).
 * @returns {Promise<{url: string, port: number, output: () => string, stop: () => Promise<void>, accounts: Record<string, string>, databasePath: string}>}
 */
export async function startBackend({ env: extraEnv = {} } = {}) {
  if (!fs.existsSync(BACKEND_BIN)) {
    throw new Error(
      `No backend binary at ${BACKEND_BIN}. Build it with \`cargo build -p backend\`, or set BACKEND_BIN.`,
    );
  }
  if (!fs.existsSync(path.join(FRONTEND_DIST, 'index.html'))) {
    throw new Error(
      `No built SPA at ${FRONTEND_DIST}. Build it with scripts/build-frontend.sh, or set FRONTEND_DIST.`,
    );
  }

  // Everything the server writes (database, local files) goes to a fresh directory. It gets a
  // copy of the repository's config/ so that it runs with the same settings as `cargo run`.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-backend-'));
  const configDir = path.join(REPO_ROOT, 'config');
  if (fs.existsSync(configDir)) {
    fs.cpSync(configDir, path.join(workDir, 'config'), { recursive: true });
  }

  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('APP_') && key !== 'DATABASE_URL'),
  );
  const databasePath = path.join(workDir, 'app.db');
  Object.assign(env, {
    APP_ENVIRONMENT: 'e2e',
    DATABASE_URL: `sqlite://${databasePath}?mode=rwc`,
    APP_SERVER__HOST: '127.0.0.1',
    APP_SERVER__PORT: '0',
    APP_FRONTEND__DIST_DIR: FRONTEND_DIST,
    APP_AUTH__JWT_SECRET: randomBytes(32).toString('hex'),
    RUST_LOG: process.env.RUST_LOG || 'warn',
  }, extraEnv);

  const child = spawn(BACKEND_BIN, ['serve', '--demo'], {
    cwd: workDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never leave a server (or its files) behind, even if the test process dies on an exception.
  const killOnExit = () => {
    child.kill('SIGKILL');
    if (!process.env.E2E_KEEP_TMP) fs.rmSync(workDir, { recursive: true, force: true });
  };
  process.on('exit', killOnExit);

  // The last lines of output, for error messages. Lines with a password are not kept.
  const log = [];
  const remember = (stream) => (line) => {
    if (/password/i.test(line)) return;
    log.push(`[${stream}] ${line}`);
    if (log.length > 200) log.shift();
  };
  const output = () => log.join('\n');
  readline.createInterface({ input: child.stderr }).on('line', remember('stderr'));
  const stdout = readline.createInterface({ input: child.stdout });
  stdout.on('line', remember('stdout'));
  // The demo staff accounts' generated passwords, printed once at start (user name -> password).
  const accounts = {};
  stdout.on('line', (line) => {
    const m = /^Demo account created: user name '([^']+)', password '([^']+)'/.exec(line);
    if (m) accounts[m[1]] = m[2];
  });

  let exited = false;
  const exitedPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      process.off('exit', killOnExit);
      resolve({ code, signal });
    });
  });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exitedPromise;
      clearTimeout(timer);
    }
    if (!process.env.E2E_KEEP_TMP) {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  };

  try {
    const { url, port } = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The backend did not print "Listening on …" within ${READY_TIMEOUT_MS / 1000} s.`)),
        READY_TIMEOUT_MS,
      );
      stdout.on('line', (line) => {
        const m = LISTENING.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({ url: m[1], port: Number(m[2]) });
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      exitedPromise.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`The backend exited before it was ready (code ${code}, signal ${signal}).`));
      });
    });
    return { url, port, output, stop, accounts, databasePath };
  } catch (err) {
    await stop();
    err.message += `\n--- backend output ---\n${output()}`;
    throw err;
  }
}
