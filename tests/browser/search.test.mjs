// Search in headless Chromium, on the default site served under a subpath
// (/nhrc/), as a public body's site usually is: every query of
// search_queries.json finds its page first; the header's box leads to the
// search page; the search page with results passes axe-core; opened from
// file:// (where Pagefind cannot load) the box and the page say so in Thai;
// a chart's downloads and embed page are served and linked.
//
// Needs the debug binary and Debian's chromium:
//   cargo build                  # from the repository root
//   cd tests/browser && npm test # node --test
// CHROMIUM=/path/to/chrome overrides the browser, PRONGSAI_BIN the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from './chromium.mjs';
import { searchPage, serveSite } from './site_server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const bin = process.env.PRONGSAI_BIN || join(repo, 'target/debug/prongsai');
const { queries } = JSON.parse(readFileSync(join(here, 'search_queries.json'), 'utf8'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const BASE = '/nhrc/';
const PATIENCE = 30_000;

let dir;
let out;
let server;
let origin;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prongsai-search-'));
  out = join(dir, 'public');
  // A static server for the built site, under the subpath only.
  ({ server, origin } = await serveSite(out, BASE));
  execFileSync(bin, ['build', '--root', repo, '--out', out, '--base-url', `${origin}${BASE}`], { stdio: 'ignore' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// The search page's results for a query: the status line and each result's
// address, root-relative.
function search(page, query, lang = '') {
  return searchPage(page, origin, BASE, query, lang, PATIENCE);
}

test('every query of the list finds its page first', async () => {
  const page = await browser.newPage();
  const wrong = [];
  for (const q of queries) {
    // A query in English searches the English pages' index, from their search page.
    const { status, hrefs } = await search(page, q.query, q.lang === 'en' ? 'en/' : '');
    if (hrefs[0] !== q.first) wrong.push(`"${q.query}": expected ${q.first} first, got ${hrefs.slice(0, 3).join(', ') || status}`);
  }
  await page.close();
  assert.deepEqual(wrong, [], wrong.join('\n'));
});

test('a query with no match says so in Thai', async () => {
  const page = await browser.newPage();
  const { status, hrefs } = await search(page, 'zzqqxxyyww');
  await page.close();
  assert.deepEqual(hrefs, []);
  assert.match(status, /ไม่พบ/);
});

test("the header's box leads to the search page's results, under the subpath", async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}${BASE}strategies/2/index.html`);
  await page.fill('#site-search-q', 'ดัชนีสิทธิมนุษยชน');
  await Promise.all([page.waitForURL(/\/nhrc\/search\//), page.press('#site-search-q', 'Enter')]);
  await page.waitForSelector('#search-results li a', { timeout: PATIENCE });
  const first = await page.$eval('#search-results li a', (a) => new URL(a.href).pathname);
  await page.close();
  assert.equal(first, `${BASE}indicators/2-1.1/index.html`);
});

test('the search page with results passes axe-core', async () => {
  const page = await browser.newPage();
  await search(page, 'ร้องเรียน');
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document));
  await page.close();
  const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  assert.deepEqual(violations, [], violations.join('\n'));
  assert.ok(result.passes.length > 10, 'axe ran its checks');
});

test('opened from file://, the search page and the box say in Thai that search needs a server', async () => {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(out, 'search/index.html')).href + '?q=x');
  const status = await page.textContent('#search-status');
  assert.match(status, /file:\/\//);
  assert.match(status, /เว็บเซิร์ฟเวอร์/);
  await page.goto(pathToFileURL(join(out, 'index.html')).href);
  await page.focus('#site-search-q');
  const note = page.locator('#site-search-note');
  await note.waitFor({ state: 'visible' });
  assert.match(await note.textContent(), /การค้นหาใช้ไม่ได้/);
  await page.close();
});

test("a chart's downloads and embed page are linked and served", async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}${BASE}indicators/3-1.1/index.html`);
  const links = await page.$$eval('[id="chart-3-1.1"] .chart-tools a', (as) => as.map((a) => a.href));
  assert.equal(links.length, 4, links.join(' '));
  for (const href of links) {
    const res = await page.request.get(href);
    assert.equal(res.status(), 200, href);
  }
  const csv = await (await page.request.get(links.find((l) => l.endsWith('.csv')))).body();
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with a BOM');
  const embed = links.find((l) => l.includes('/embed/'));
  await page.goto(embed);
  assert.equal(await page.locator('svg[role="img"]').count(), 1);
  const back = await page.$eval('a[target="_top"]', (a) => new URL(a.href).pathname);
  assert.equal(back, `${BASE}indicators/3-1.1/index.html`);
  await page.close();
});
