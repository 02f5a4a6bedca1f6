// Benchmarks of the applicant's app and the service builder in headless Chromium (run through
// ./run.sh, which builds the wasm first). Not a test: it prints figures and fails only when
// something does not work.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import { startBackend } from '../lib/backend.js';
import { launchBrowser } from '../lib/browser.js';
import { FRONTEND_DIST } from '../lib/paths.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
// The first form page of the anonymous demo service, opened directly (a cold load).
const FIRST_FORM_PAGE = '/tjanster/felanmalan-gata-och-park/ansokan?steg=felet';
const FIRST_FIELD = '#f-typ';
// Lighthouse's mobile profile ("Slow 4G" and a 4x slower CPU).
const SLOW_4G = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const CPU_SLOWDOWN = 4;

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8' };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;

/** Serves `dir` (and a page that runs the benchmark wasm) on a free port. */
function serveStatic(dir) {
  const page = `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>bench</title></head><body>
<script type="module">import init from './bench-conditions.js'; init();</script></body></html>`;
  const server = http.createServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1) || 'index.html';
    if (name === 'index.html') {
      res.writeHead(200, { 'Content-Type': TYPES['.html'] }).end(page);
      return;
    }
    const file = path.join(dir, path.basename(name));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A proxy in front of the backend that gzips what it passes on, as a production front server would. */
function gzipProxy(target) {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, 'accept-encoding': 'identity' } },
      (up) => {
        const chunks = [];
        up.on('data', (c) => chunks.push(c));
        up.on('end', () => {
          let body = Buffer.concat(chunks);
          const headers = { ...up.headers };
          const compressible = /javascript|wasm|css|json|html|svg/.test(headers['content-type'] ?? '');
          if (compressible && /gzip/.test(req.headers['accept-encoding'] ?? '') && body.length > 0) {
            body = zlib.gzipSync(body, { level: 9 });
            headers['content-encoding'] = 'gzip';
            headers['content-length'] = String(body.length);
            delete headers['transfer-encoding'];
          }
          res.writeHead(up.statusCode ?? 502, headers).end(body);
        });
      },
    );
    req.pipe(out);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function conditionsBenchmark(browser) {
  const server = await serveStatic(path.join(HERE, '.out'));
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => document.body.dataset.result, null, { timeout: 120_000 });
    const result = JSON.parse(await page.evaluate(() => document.body.dataset.result));
    await page.close();
    if (result.error) throw new Error(result.error);
    return result;
  } finally {
    server.close();
  }
}

/** One cold load of the first form page: bytes by kind and the time until its first field is there. */
async function loadOnce(browser, origin, throttle) {
  const context = await browser.newContext({ locale: 'sv-SE', viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttle) {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    }
    // The moment the first question is in the page (its input handlers come with it: the app
    // renders on the client, so rendered is interactive).
    await page.addInitScript((selector) => {
      new MutationObserver((_, observer) => {
        if (document.querySelector(selector)) {
          window.__ready = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }, FIRST_FIELD);
    await page.goto(origin + FIRST_FORM_PAGE, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__ready !== undefined, null, { timeout: 120_000 });
    return await page.evaluate(() => {
      const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
      const bytes = { document: 0, wasm: 0, js: 0, css: 0, api: 0, other: 0 };
      let total = 0;
      for (const e of entries) {
        const p = new URL(e.name).pathname;
        const kind = e.entryType === 'navigation' ? 'document'
          : p.endsWith('.wasm') ? 'wasm' : p.endsWith('.js') ? 'js' : p.endsWith('.css') ? 'css'
            : p.startsWith('/api/') ? 'api' : 'other';
        bytes[kind] += e.transferSize;
        total += e.transferSize;
      }
      return { ms: window.__ready, bytes, total };
    });
  } finally {
    await context.close();
  }
}

async function loadBenchmark(browser, origin, throttle) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await loadOnce(browser, origin, throttle));
  return { ms: median(runs.map((r) => r.ms)), bytes: runs[0].bytes, total: runs[0].total };
}

/** A 200-question form: 20 pages of 10, every other page shown on a yes-or-no answer of the first. */
function bigForm() {
  const pages = [];
  for (let p = 0; p < 20; p++) {
    const fields = [];
    for (let f = 0; f < 10; f++) {
      const key = `f${p}_${f}`;
      fields.push(p === 0 && f === 0
        ? { key, label: 'Söker föreningen för första gången?', required: true, kind: { type: 'yes_no' } }
        : { key, label: `Fråga ${f + 1} på sida ${p + 1}`, required: f % 3 === 0, kind: { type: 'short_text', max_length: 200 } });
    }
    const page = { key: `sida_${p}`, title: `Sida ${p + 1}`, fields };
    if (p % 2 === 1) page.condition = { op: 'equals', field: 'f0_0', value: true };
    pages.push(page);
  }
  return { pages };
}

/** With a 200-question form open in the builder's editor: from a keystroke in a question's label
 * until the preview shows it and the editor has run the definition check again (the next task after
 * the DOM changed), median and p95 of many keystrokes. */
async function editorBenchmark(browser, backend) {
  const url = (p) => backend.url.replace(/\/$/, '') + p;
  const post = async (p, token, body, method = 'POST') => {
    const r = await fetch(url(`/api/v1${p}`), {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const token = (await post('/auth/staff/token', null, { username: 'admin', password: backend.accounts.admin })).access_token;
  await post('/services', token, {
    slug: 'bench-bygga', name: 'Bidrag till föreningar', audience: 'Föreningar i kommunen',
    first_page_text: 'Om bidraget.', last_page_text: 'Tack!', privacy_text: 'GDPR.',
    confirmation_email_subject: 'Tack', confirmation_email_body: 'Vi har fått ditt ärende.',
    handler_mailbox: 'bidrag@example.org', identity: 'e_id', retention_days_after_closing: 30,
  });
  await post('/services/bench-bygga/forms', token, { definition: bigForm() });
  const context = await browser.newContext({ locale: 'sv-SE', viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(url('/bygga/bench-bygga/formular'));
    await page.getByLabel('Användarnamn').fill('admin');
    await page.getByLabel('Lösenord').fill(backend.accounts.admin);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.locator('#p0-f1-label').waitFor({ timeout: 60_000 });
    return await page.evaluate(async () => {
      const input = document.querySelector('#p0-f1-label');
      const preview = document.querySelector('.preview-frame');
      const nextTask = () => new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
      });
      const keystroke = async (text) => {
        const start = performance.now();
        const shown = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            if (preview.textContent.includes(text)) {
              observer.disconnect();
              resolve();
            }
          });
          observer.observe(preview, { childList: true, subtree: true, characterData: true });
        });
        input.value = text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await shown;
        await nextTask();
        return performance.now() - start;
      };
      const times = [];
      for (let i = 0; i < 230; i++) {
        const ms = await keystroke(`Föreningens namn ${'x'.repeat(i % 7)}${i}`);
        if (i >= 30) times.push(ms);
      }
      times.sort((a, b) => a - b);
      return { median: times[Math.floor((times.length - 1) / 2)], p95: times[Math.floor(times.length * 0.95)], n: times.length };
    });
  } finally {
    await context.close();
  }
}

/** Sizes of the built SPA's files, raw and gzip -9 (what the budget counts). */
function distSizes(dir = FRONTEND_DIST) {
  const out = {};
  for (const f of fs.readdirSync(dir)) {
    const ext = path.extname(f).slice(1);
    if (!['wasm', 'js', 'css'].includes(ext)) continue;
    const raw = fs.readFileSync(path.join(dir, f));
    const gzip = zlib.gzipSync(raw, { level: 9 }).length;
    out[ext] = { raw: (out[ext]?.raw ?? 0) + raw.length, gzip: (out[ext]?.gzip ?? 0) + gzip };
  }
  return out;
}

const browser = await launchBrowser();
const backend = await startBackend();
const proxy = await gzipProxy(backend.url);
try {
  const c = await conditionsBenchmark(browser);
  console.log(`\nConditions and validation after one keystroke, ${c.fields}-field form (${c.pages} pages, ${c.conditions} conditions, all fields shown):`);
  console.log(`  visibility + validate_page: median ${c.keystroke_ms.median.toFixed(3)} ms, p95 ${c.keystroke_ms.p95.toFixed(3)} ms (${c.keystrokes_timed} keystrokes)`);
  console.log(`  full validate (submit):     median ${c.full_validation_ms.median.toFixed(3)} ms, p95 ${c.full_validation_ms.p95.toFixed(3)} ms`);

  const sizes = distSizes();
  const budget = ['wasm', 'js', 'css'].reduce((s, k) => s + (sizes[k]?.gzip ?? 0), 0);
  console.log('\nThe SPA (frontend/dist), gzip -9:');
  for (const k of ['wasm', 'js', 'css']) console.log(`  ${k.padEnd(5)} ${kb(sizes[k].raw).padStart(9)} raw  ${kb(sizes[k].gzip).padStart(9)} gzip`);
  console.log(`  total ${kb(budget)} gzip (budget 250 kB)`);

  for (const [name, dir] of [['Mina sidor', 'mina-sidor-app'], ['the handlers\' app', 'handlaggning-app'], ['the service builder', 'bygga-app']]) {
    const app = distSizes(path.join(FRONTEND_DIST, dir));
    const total = ['wasm', 'js', 'css'].reduce((s, k) => s + (app[k]?.gzip ?? 0), 0);
    console.log(`  ${name}: ${kb(total)} gzip (wasm ${kb(app.wasm.gzip)}, js ${kb(app.js.gzip)}, css ${kb(app.css.gzip)})`);
  }

  const e = await editorBenchmark(browser, backend);
  console.log('\nThe builder\'s editor, a 200-question form open (20 pages, 10 conditional):');
  console.log(`  keystroke in a label -> preview shown, check run: median ${e.median.toFixed(2)} ms, p95 ${e.p95.toFixed(2)} ms (${e.n} keystrokes)`);

  const origin = backend.url.replace(/\/$/, '');
  const gzipOrigin = `http://127.0.0.1:${proxy.address().port}`;
  console.log(`\nFirst form page (${FIRST_FORM_PAGE}), cold cache, median of ${RUNS} loads; bytes as transferred (headers included):`);
  for (const [name, o, throttle] of [
    ['served by the backend, local', origin, false],
    ['served by the backend, Slow 4G + 4x CPU', origin, true],
    ['through a gzip proxy, local', gzipOrigin, false],
    ['through a gzip proxy, Slow 4G + 4x CPU', gzipOrigin, true],
  ]) {
    const r = await loadBenchmark(browser, o, throttle);
    const parts = Object.entries(r.bytes).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${kb(v)}`).join(', ');
    console.log(`  ${name.padEnd(42)} ${kb(r.total).padStart(9)} (${parts}); interactive after ${Math.round(r.ms)} ms`);
  }
} finally {
  proxy.close();
  await browser.close();
  await backend.stop();
}
