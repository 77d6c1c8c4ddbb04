// The live-reload loop of `prongsai serve` in headless Chromium: a served page
// reloads itself after a save, a stylesheet change is swapped in without a
// reload, a page the change does not touch stays put, a broken JSON file
// shows the error overlay (readable on a 360 px phone) and fixing it takes
// the overlay away, and the page reconnects by itself when the server
// restarts.
//
// Needs the debug binary and Debian's chromium:
//   cargo build                  # from the repository root
//   cd tests/browser && npm test # node --test
// CHROMIUM=/path/to/chrome overrides the browser, PRONGSAI_BIN the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const bin = process.env.PRONGSAI_BIN || join(repo, 'target/debug/prongsai');
// Generous: the machine may be busy compiling.
const PATIENCE = 60_000;

let site;
let port;
let server;
let browser;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// Starts `prongsai serve` and resolves once it says where it listens.
function startServer() {
  return new Promise((ok, fail) => {
    const child = spawn(bin, ['serve', '--root', site, '--port', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let said = '';
    const timer = setTimeout(() => fail(new Error(`the server did not start:\n${said}`)), PATIENCE);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      said += chunk;
      if (said.includes(`http://127.0.0.1:${port}/`)) {
        clearTimeout(timer);
        ok(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the server exited (${code}):\n${said}`));
    });
  });
}

function stopServer(child) {
  return new Promise((ok) => {
    if (!child || child.exitCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill('SIGTERM');
  });
}

// Polls `check` (which may throw while the page navigates) until it is truthy.
async function until(what, check, timeout = PATIENCE) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Opens a page and waits until its live-reload stream is connected.
async function open(context, path) {
  const page = await context.newPage();
  const stream = page.waitForResponse((r) => r.url().endsWith('/__prongsai/events'), { timeout: PATIENCE });
  await page.goto(`http://127.0.0.1:${port}${path}`);
  assert.equal((await stream).status(), 200);
  return page;
}

const mark = (page, value) => page.evaluate((v) => { window.__prongsaiTest = v; }, value);
const marked = (page) => page.evaluate(() => window.__prongsaiTest);
const bodyHas = (page, text) => page.evaluate((t) => document.body.innerText.includes(t), text);

before(async () => {
  assert.ok(existsSync(bin), `${bin} is missing: run \`cargo build\` in ${repo} first`);
  site = mkdtempSync(join(tmpdir(), 'prongsai-live-'));
  for (const sub of ['content', 'themes', 'seeds']) cpSync(join(repo, sub), join(site, sub), { recursive: true });
  port = await freePort();
  server = await startServer();
  // Start from a built site: until the first build is done every page is the
  // "building" page, which reloads itself when the site is ready (the first
  // build draws the share images and the search index, seconds in a debug build).
  await until('the first build', async () => (await fetch(`http://127.0.0.1:${port}/`)).status === 200);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stopServer(server);
  if (site) rmSync(site, { recursive: true, force: true });
});

test('a saved change reloads the page that shows it, and only that page', { timeout: 4 * PATIENCE }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const plan = await open(context, '/plan/');
  const other = await open(context, '/strategies/1/');
  await mark(plan, 'before');
  await mark(other, 'untouched');

  appendFileSync(join(site, 'content/pages/plan.md'), '\nข้อความที่เพิ่งบันทึก ๘๘๑\n');
  await until('the plan page to reload with the new text', async () => (await bodyHas(plan, 'ข้อความที่เพิ่งบันทึก ๘๘๑')));
  assert.equal(await marked(plan), undefined, 'the page reloaded (its JavaScript state is gone)');
  // The same event reached the other page, which shows nothing that changed.
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await marked(other), 'untouched', 'a page the change does not touch did not reload');

  // A stylesheet change is swapped in place: no reload.
  await mark(plan, 'css');
  appendFileSync(join(site, 'themes/default/static/style.css'), '\n.site-title { color: rgb(1, 2, 3) !important; }\n');
  await until('the new stylesheet to apply', () =>
    plan.evaluate(() => getComputedStyle(document.querySelector('.site-title')).color === 'rgb(1, 2, 3)'));
  assert.equal(await marked(plan), 'css', 'the stylesheet was swapped without a reload');
  await context.close();
});

test('a broken JSON file shows the overlay; fixing it takes it away', { timeout: 4 * PATIENCE }, async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await open(context, '/plan/');
  await mark(page, 'before-break');
  const results = join(site, 'content/results/2566.json');
  const good = readFileSync(results, 'utf8');
  assert.ok(good.includes('"year": 2566,\n'));
  writeFileSync(results, good.replace('"year": 2566,\n', '"year": 2566\n'));

  const overlay = await page.waitForSelector('#prongsai-overlay', { timeout: PATIENCE });
  const text = await overlay.innerText();
  assert.match(text, /content\/results\/2566\.json/);
  assert.match(text, /บรรทัด [34]/);
  assert.ok(await page.$('#prongsai-overlay mark'), 'the offending spot is marked');
  assert.equal(await marked(page), 'before-break', 'a broken build does not reload the page');
  assert.ok(await bodyHas(page, 'แนวทางการขับเคลื่อน'), 'the last good page is still there behind it');

  // Readable on a 360 px phone: nothing wider than the screen, Thai type.
  const look = await page.evaluate(() => {
    const o = document.getElementById('prongsai-overlay');
    const box = o.querySelector('.po-box').getBoundingClientRect();
    const style = getComputedStyle(o);
    const msg = getComputedStyle(o.querySelector('.po-msg'));
    return {
      overflow: o.scrollWidth - o.clientWidth,
      boxRight: box.right,
      width: window.innerWidth,
      font: style.fontFamily,
      lineHeight: parseFloat(msg.lineHeight) / parseFloat(msg.fontSize),
    };
  });
  assert.ok(look.overflow <= 0, `the overlay scrolls sideways by ${look.overflow}px`);
  assert.ok(look.boxRight <= look.width, `the overlay is wider than the screen: ${look.boxRight} > ${look.width}`);
  assert.match(look.font, /Sarabun/);
  assert.ok(look.lineHeight >= 1.6, `line-height ${look.lineHeight}`);

  // A page loaded while the build is broken shows the overlay at once.
  await page.reload({ waitUntil: 'domcontentloaded' });
  assert.ok(await page.$('#prongsai-overlay'), 'overlay present on load');

  // The fix takes it away by itself.
  writeFileSync(results, good);
  await page.waitForSelector('#prongsai-overlay', { state: 'detached', timeout: PATIENCE });
  assert.ok(await bodyHas(page, 'แนวทางการขับเคลื่อน'));
  await context.close();
});

test('the page reconnects and reloads when the server restarts', { timeout: 4 * PATIENCE }, async () => {
  const context = await browser.newContext();
  const page = await open(context, '/');
  await mark(page, 'before-restart');
  await stopServer(server);
  server = await startServer();
  await until('the page to reload from the new server', async () => (await marked(page)) === undefined);
  assert.ok(await page.$('script[src="/__prongsai/live.js"]'));
  await context.close();
});
