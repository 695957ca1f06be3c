#!/usr/bin/env node
// Bytes the search page downloads before its first results, on a built site (10,000 case studies:
// gen_corpus.py 10000 OUT 42, built with the repository's casebook.yaml less its languages: block): for each query, a fresh
// browser context with the cache disabled opens search/?q=QUERY and the bytes are every response
// body the server sent until the page says it rendered the results (the form's data-cb-done).
// Served from 127.0.0.1 without compression; "gzip" is what a host compressing with gzip -6 sends.
//
//   node first_results_bytes.mjs SITE_DIR [QUERY…]      # default: "" and 20 corpus words
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const [site, ...given] = process.argv.slice(2);
if (!site) {
  console.error('usage: node first_results_bytes.mjs SITE_DIR [QUERY…]');
  process.exit(2);
}
const QUERIES = given.length ? given : ['', 'remittances', 'diaspora', 'trafficking', 'recruitment', 'reintegration',
  'municipality', 'passport', 'coordination', 'housing', 'interpreter', 'cooperative', 'xenophobia', 'hotline',
  'senegal', 'climate', 'employer', 'curriculum', 'smuggling', 'certificate', 'awareness'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
const root = path.resolve(site);
let log = [];
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (p.endsWith('/')) p += 'index.html';
  const file = path.join(root, path.normalize(p));
  fs.readFile(file.startsWith(root) ? file : '/nonexistent', (err, data) => {
    if (err) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(data, () => log.push({ p, bytes: data.length, gzip: Math.min(data.length, zlib.gzipSync(data, { level: 6 }).length) }));
  });
});
await new Promise(ok => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const KB = b => `${(b / 1024).toFixed(0)} KB`;
const rows = [];
try {
  for (const q of QUERIES) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    log = [];
    await page.goto(`${origin}/search/${q ? '?q=' + encodeURIComponent(q) : ''}`);
    await page.waitForSelector('#cb-search[data-cb-done]', { timeout: 60000 });
    const sent = log.slice();
    const status = await page.textContent('#cb-status');
    await context.close();
    const sum = k => sent.reduce((a, r) => a + r[k], 0);
    const big = Object.entries(sent.reduce((m, r) => {
      const kind = /\/docs\//.test(r.p) ? 'docs' : /\/index\/d-/.test(r.p) ? 'dictionary' : /\/index\/p-/.test(r.p) ? 'postings' : path.basename(r.p);
      m[kind] = (m[kind] || 0) + r.bytes;
      return m;
    }, {})).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${KB(v)}`).join(', ');
    rows.push({ q, bytes: sum('bytes'), gzip: sum('gzip'), requests: sent.length, status, big });
    console.error(`${JSON.stringify(q)}: ${KB(sum('bytes'))} (${KB(sum('gzip'))} gzip), ${sent.length} requests: ${big}`);
  }
} finally {
  await browser.close();
  server.close();
}
const sorted = rows.filter(r => r.q).map(r => r.bytes).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(JSON.stringify({ rows, median, max: sorted[sorted.length - 1] }, null, 1));
