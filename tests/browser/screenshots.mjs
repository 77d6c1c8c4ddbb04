// Takes full-page screenshots of built pages at 1280 px and 360 px, opened
// from disk (file://, which also proves relative links work), and fails if a
// page overflows the screen or a chart label is cut off.
//
//   node screenshots.mjs [public-dir] [out-dir]
import { launch } from './chromium.mjs';
import { layoutProblems } from './layout.mjs';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const publicDir = resolve(process.argv[2] || '../../public');
const outDir = resolve(process.argv[3] || 'screenshots');
mkdirSync(outDir, { recursive: true });

const pages = [
  ['overview', 'index.html'],
  ['strategy-3', 'strategies/3/index.html'],
  ['indicator-3-1.1', 'indicators/3-1.1/index.html'],
  ['year-2566', 'years/2566/index.html'],
  // The English mirror (issue 12).
  ['en-overview', 'en/index.html'],
  ['en-indicator-3-1.1', 'en/indicators/3-1.1/index.html'],
];
const widths = [1280, 360];

const browser = await launch();
let failures = 0;
for (const width of widths) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  for (const [name, path] of pages) {
    const url = pathToFileURL(resolve(publicDir, path)).href;
    await page.goto(url);
    await page.evaluate(() => document.fonts.ready);
    const file = resolve(outDir, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const problems = await layoutProblems(page);
    for (const p of problems) console.error(`${name} @${width}px: ${p}`);
    failures += problems.length;
    console.log(`${file}${problems.length ? ` (${problems.length} problems)` : ''}`);
  }
  await context.close();
}
await browser.close();
process.exit(failures ? 1 : 0);
