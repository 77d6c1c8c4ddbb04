// Search in headless Chromium on a large plan, whose index is made in parts
// (src/search.rs, `Parts`): a synthetic plan of 300 indicators with parts of
// 100 pages, served under a subpath. The search page must merge every part:
// a word on every indicator's record finds more pages than one part holds,
// and the last indicator (in the last part) is found by its name.
//
// Needs the debug binary and example (`cargo test` builds both) and Debian's
// chromium:
//   cargo test --no-run          # from the repository root
//   cd tests/browser && npm test # node --test
// CHROMIUM=/path/to/chrome overrides the browser, PRONGSAI_BIN the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './chromium.mjs';
import { searchPage, serveSite } from './site_server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const bin = process.env.PRONGSAI_BIN || join(repo, 'target/debug/prongsai');
const generator = join(dirname(bin), 'examples/synthetic_site');
const BASE = '/plan/';
const PART = 100;
const PATIENCE = 30_000;

let dir;
let site;
let out;
let server;
let origin;
let browser;
let plan;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prongsai-search-parts-'));
  site = join(dir, 'site');
  out = join(dir, 'public');
  execFileSync(generator, [site, '300'], { stdio: 'ignore' });
  // Pages and the index only: no PNGs, downloads or embeds to wait for.
  appendFileSync(
    join(site, 'content/site.toml'),
    `\n[outputs]\npng_max_indicators = 100\nsearch_part_pages = ${PART}\nshare_images = false\nchart_downloads = false\nembeds = false\n`,
  );
  plan = JSON.parse(readFileSync(join(site, 'content/plan.json'), 'utf8'));
  ({ server, origin } = await serveSite(out, BASE));
  execFileSync(bin, ['build', '--root', site, '--out', out, '--base-url', `${origin}${BASE}`], { stdio: 'ignore' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function search(page, query) {
  return searchPage(page, origin, BASE, query, '', PATIENCE);
}

// "พบ ๓๐๐ หน้า" (Thai or Arabic digits) → 300.
function found(status) {
  const digits = status.replace(/[๐-๙]/g, (c) => String('๐๑๒๓๔๕๖๗๘๙'.indexOf(c))).match(/[0-9][0-9,]*/);
  return digits ? Number(digits[0].replace(/,/g, '')) : 0;
}

test('the index is in parts and the search page loads every one', async () => {
  const parts = JSON.parse(readFileSync(join(out, 'pagefind/parts.json'), 'utf8'));
  assert.ok(parts.length >= 3, `parts: ${parts}`);
  const page = await browser.newPage();
  const failed = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(r.url());
  });
  // Every indicator's record carries its unit; the synthetic plan's most
  // common one is on more pages than a part holds.
  const units = new Map();
  for (const i of plan.indicators) units.set(i.unit, (units.get(i.unit) || 0) + 1);
  const [unit, count] = [...units].sort((a, b) => b[1] - a[1])[0];
  assert.ok(count > PART, `${unit}: ${count}`);
  const { status } = await search(page, unit);
  assert.ok(found(status) >= count, `"${unit}" is on ${count} indicators; the page says: ${status}`);
  // The last indicator's record is in the last part; found by its code
  // ("3-2.1": strategy 3, indicator 2.1), as a reader would type it.
  const last = plan.indicators[plan.indicators.length - 1];
  const [strategy, code] = last.id.split('-');
  const query = `ยุทธศาสตร์ที่ ${strategy} ตัวชี้วัดที่ ${code}`;
  const { hrefs } = await search(page, query);
  assert.ok(hrefs.includes(`indicators/${last.id}/`), `${query}: ${hrefs.join(', ')}`);
  await page.close();
  assert.deepEqual(failed, [], 'no request of the search failed');
});
