// What the search tests share: a static server for a built site under a
// subpath (as a public body's site usually is), and the search page's
// results for a query.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml',
};

// Serves the folder `out` under `base` ("/nhrc/") only, on a free loopback
// port; nothing outside the folder. Resolves to { server, origin }.
export async function serveSite(out, base) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(base)) {
      res.writeHead(404).end();
      return;
    }
    let rel = path.slice(base.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = resolve(out, rel);
    if (!file.startsWith(out + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

// Opens the search page (of the language under `lang`, "" or "en/") with a
// query and waits for its answer: the status line and each shown result's
// address, relative to `base`.
export async function searchPage(page, origin, base, query, lang = '', patience = 30_000) {
  await page.goto(`${origin}${base}${lang}search/index.html?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(
    () => {
      const s = document.getElementById('search-status')?.textContent || '';
      const loading = document.getElementById('search-form')?.dataset.loading;
      return s !== '' && s !== loading;
    },
    null,
    { timeout: patience },
  );
  return page.evaluate((base) => {
    const status = document.getElementById('search-status').textContent;
    const hrefs = [...document.querySelectorAll('#search-results a')].map((a) => {
      const p = new URL(a.href).pathname;
      return (p.startsWith(base) ? p.slice(base.length) : p).replace(/index\.html$/, '');
    });
    return { status, hrefs };
  }, base);
}
