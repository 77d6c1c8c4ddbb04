// The share images (Open Graph) of built pages, for a person to look at:
// copies each page's og:image beside its page's og:title into out-dir, and
// a contact sheet of them all rendered by Chromium (cards.png). Fails if a
// page has no og:image, or its image is not a 1200×630 PNG.
//
//   node share_cards.mjs [public-dir] [out-dir]
import { launch } from './chromium.mjs';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const publicDir = resolve(process.argv[2] || '../../public');
const outDir = resolve(process.argv[3] || 'screenshots');
mkdirSync(outDir, { recursive: true });

const pages = [
  ['overview', 'index.html'],
  ['strategy-3', 'strategies/3/index.html'],
  ['indicator-3-1.1', 'indicators/3-1.1/index.html'],
  ['indicator-1-4.1', 'indicators/1-4.1/index.html'],
  ['year-2566', 'years/2566/index.html'],
  ['page-problems', 'years/2566/problems/index.html'],
];

const attr = (html, property) => {
  const m = html.match(new RegExp(`<meta property="${property}" content="([^"]*)">`));
  return m && m[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
};

let failures = 0;
const cards = [];
for (const [name, path] of pages) {
  const file = resolve(publicDir, path);
  const html = readFileSync(file, 'utf8');
  const image = attr(html, 'og:image');
  const title = attr(html, 'og:title');
  if (!image) {
    console.error(`${name}: no og:image`);
    failures++;
    continue;
  }
  // Absolute when the site has a base_url: take the part after the site's address.
  const rel = /^https?:/.test(image) ? new URL(image).pathname.split('/share/')[1] && 'share/' + new URL(image).pathname.split('/share/')[1] : null;
  const png = rel ? resolve(publicDir, rel) : resolve(dirname(file), image);
  const bytes = readFileSync(png);
  const ok = bytes.subarray(1, 4).toString() === 'PNG' && bytes.readUInt32BE(16) === 1200 && bytes.readUInt32BE(20) === 630;
  if (!ok) {
    console.error(`${name}: ${png} is not a 1200×630 PNG`);
    failures++;
  }
  const copy = resolve(outDir, `card-${name}.png`);
  copyFileSync(png, copy);
  cards.push({ name, title, copy });
  console.log(`${copy}  ${title}`);
}

const sheet = resolve(outDir, 'cards.html');
writeFileSync(
  sheet,
  `<!doctype html><meta charset="utf-8"><body style="margin:0;padding:16px;background:#ddd;font:16px sans-serif">` +
    cards
      .map((c) => `<figure style="margin:0 0 16px"><img src="${pathToFileURL(c.copy).href}" width="600" height="315" style="display:block;background:#fff"><figcaption>${c.name}: ${c.title.replace(/</g, '&lt;')}</figcaption></figure>`)
      .join('') +
    `</body>`,
);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 632, height: 800 } });
await page.goto(pathToFileURL(sheet).href);
await page.screenshot({ path: resolve(outDir, 'cards.png'), fullPage: true });
await browser.close();
console.log(resolve(outDir, 'cards.png'));
if (failures) {
  console.error(`${failures} problems`);
  process.exit(1);
}
