// Runs axe-core (WCAG 2.1 A and AA rules) on built pages in both languages,
// opened from disk, and fails on any violation.
//
//   node accessibility.mjs [public-dir]
import { launch } from './chromium.mjs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const publicDir = resolve(process.argv[2] || '../../public');

// One page of each kind, in Thai and in the English mirror.
const kinds = [
  'index.html',
  'strategies/index.html',
  'strategies/3/index.html',
  'indicators/index.html',
  'indicators/3-1.1/index.html',
  'years/2566/index.html',
  'years/2566/analysis/index.html',
  'plan/index.html',
];
const pages = [...kinds, ...kinds.map((p) => `en/${p}`)];

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
let violations = 0;
for (const path of pages) {
  await page.goto(pathToFileURL(resolve(publicDir, path)).href);
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  for (const v of result.violations) {
    violations += 1;
    console.error(`${path}: ${v.id} (${v.impact}): ${v.help}`);
    for (const n of v.nodes.slice(0, 3)) console.error(`    ${n.target.join(' ')}: ${n.failureSummary.split('\n').join(' ')}`);
  }
  console.log(`${path}: ${result.violations.length} violations, ${result.passes.length} rules passed`);
}
await browser.close();
process.exit(violations ? 1 : 0);
