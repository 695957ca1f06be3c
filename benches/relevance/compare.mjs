#!/usr/bin/env node
// Precision at 3 of Casebook and of Pagefind over the relevance test set (tests/relevance/
// queries.yaml) on the same built sample portal. Run by compare.sh, which builds the site and
// the Pagefind indexes.
//
//   node compare.mjs SITE_DIR OUT.json NAME=PAGEFIND_BUNDLE_DIR…
//
// Casebook: the search page's own ranking (casebook.js `rank`, through tests/relevance/rank.mjs,
// as `cargo test --test relevance` runs it). Pagefind: its JS API (pagefind.js: init, search,
// data() of the first results) in headless Chromium, the bundle served at /pagefind/ beside the
// site on 127.0.0.1, from a page in the site's language (lang="en"), as a reader's page would be.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { parse } from 'yaml';
import { ranker, evaluate, slugOf } from '../../tests/relevance/rank.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const [site, outFile, ...bundles] = process.argv.slice(2);
if (!site || !outFile) {
  console.error('usage: node compare.mjs SITE_DIR OUT.json NAME=PAGEFIND_DIR…');
  process.exit(2);
}
const queries = parse(fs.readFileSync(path.join(REPO, 'tests/relevance/queries.yaml'), 'utf8'));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body></body></html>';

/** Serves `root` on 127.0.0.1, with the bench page at /__bench.html. */
async function serve(root) {
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p === '/__bench.html') { res.writeHead(200, { 'content-type': TYPES['.html'] }); return res.end(PAGE); }
    const file = path.join(root, path.normalize(p));
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); return res.end(); }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  await new Promise(ok => server.listen(0, '127.0.0.1', ok));
  return server;
}

/** A ranker over a Pagefind bundle: query → {top: first 10 slugs, all: every slug found}. */
async function pagefindRanker(browser, bundle) {
  const server = await serve(path.resolve(path.dirname(bundle)));
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/__bench.html`);
  const dir = '/' + path.basename(bundle) + '/pagefind.js';
  const rankQuery = async q => {
    const urls = await page.evaluate(async ({ dir, q }) => {
      window.pf = window.pf || (await import(dir));
      await window.pf.init();
      const r = await window.pf.search(q);
      return Promise.all(r.results.map(x => x.data().then(d => d.url)));
    }, { dir, q });
    const slugs = urls.map(u => slugOf(u.replace(/index\.html$/, '')));
    return { top: slugs.slice(0, 10), all: slugs };
  };
  return { rankQuery, close: () => server.close() };
}

const result = { queries: queries.length, engines: {} };
result.engines.casebook = await evaluate(queries, ranker(site));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  for (const spec of bundles) {
    const [name, dir] = spec.split('=');
    const pf = await pagefindRanker(browser, dir);
    result.engines[name] = await evaluate(queries, pf.rankQuery);
    pf.close();
  }
} finally {
  await browser.close();
}
fs.writeFileSync(outFile, JSON.stringify(result, null, 1) + '\n');
for (const [name, r] of Object.entries(result.engines)) console.log(`${name}: P@3 ${r.p3.toFixed(3)}`);
