#!/usr/bin/env node
// Runs the benchmark queries in real headless Chromium and records the top 10 URLs and
// every byte the page downloads, one fresh browser context (empty cache) per query.
//
//   node pagefind_query.mjs pagefind SITE_DIR PAGEFIND_DIR QUERIES.json OUT.json
//       Pagefind's own JS API: import('/pagefind/pagefind.js'), search(q), data() of the top 10.
//   node pagefind_query.mjs casebook SITE_DIR - QUERIES.json OUT.json
//       Casebook's real search page (search/?q=…, its casebook.js), to check casebook_rank.py
//       against the shipped client. Each query runs twice: with a "." appended (every word a
//       whole word, like casebook_rank.py) and as typed (the client prefix-matches the last word).
//
// A small static server on 127.0.0.1 serves SITE_DIR at / and PAGEFIND_DIR at /pagefind/,
// without HTTP compression; "gzip" sizes are computed here as min(raw, gzip -6 of the body),
// what a server compressing on the fly would send (Pagefind's index files are gzip already).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const [engine, siteDir, pfDir, queriesFile, outFile] = process.argv.slice(2);
if (!['pagefind', 'casebook'].includes(engine) || !outFile) {
  console.error('usage: pagefind_query.mjs pagefind|casebook SITE_DIR PAGEFIND_DIR|- QUERIES.json OUT.json');
  process.exit(2);
}
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.wasm': 'application/wasm' };
const BENCH_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body></body></html>';

function resolve(urlPath) {
  const p = decodeURIComponent(urlPath);
  let base = siteDir, rel = p;
  if (p.startsWith('/pagefind/') && pfDir !== '-') { base = pfDir; rel = p.slice('/pagefind'.length); }
  let file = path.join(base, path.normalize(rel));
  if (!file.startsWith(path.resolve(base))) return null;
  try { if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html'); } catch { return null; }
  return file;
}

const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  if (u.pathname === '/__bench.html') { res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' }); return res.end(BENCH_PAGE); }
  const file = resolve(u.pathname);
  fs.readFile(file || '/nonexistent', (err, data) => {
    if (err) { res.writeHead(404, { 'content-type': 'text/plain' }); return res.end('not found'); }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-length': data.length });
    res.end(data);
  });
});
await new Promise(ok => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});

const gz = b => Math.min(b.length, zlib.gzipSync(b, { level: 6 }).length);

function kindOf(engine, p) {
  if (engine === 'pagefind') {
    if (p.endsWith('.pf_index')) return 'index';
    if (p.endsWith('.pf_fragment')) return 'fragments';
    if (/\/pagefind\/(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|wasm\.[^/]+\.pagefind|[^/]+\.pf_meta)$/.test(p)) return 'startup';
    return 'other';
  }
  if (/\/search\/index\/d-[^/]+\.json$/.test(p)) return 'dictionary';
  if (/\/search\/index\/p-\d+\.bin$/.test(p)) return 'postings';
  if (/\/search\/docs\/\d+\.json$/.test(p)) return 'docs';
  if (/\/search\/(meta\.json|facets\.bin)$/.test(p) || p.endsWith('/casebook.js')) return 'startup';
  return 'page'; // the search page's HTML, CSS, …
}

/** Runs fn(page) in a fresh context; returns its value and the responses, by kind. */
async function fresh(fn) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pending = [], files = [];
  page.on('response', r => pending.push((async () => {
    const u = new URL(r.url());
    if (!u.origin.startsWith(origin) || u.pathname === '/__bench.html') return;
    let body = Buffer.alloc(0);
    if (r.status() === 200) { try { body = await r.body(); } catch { /* aborted */ } }
    files.push({ path: u.pathname, status: r.status(), bytes: body.length, gzip: r.status() === 200 ? gz(body) : 0 });
  })()));
  const value = await fn(page);
  await page.waitForLoadState('networkidle').catch(() => {});
  await Promise.all(pending);
  await context.close();
  const byKind = {};
  for (const f of files) {
    const k = (byKind[kindOf(engine, f.path)] ||= { files: 0, bytes: 0, gzip: 0 });
    k.files += 1; k.bytes += f.bytes; k.gzip += f.gzip;
  }
  return { value, files, byKind };
}

const norm = u => new URL(u, origin + '/').pathname.replace(/^\//, '').replace(/index\.html$/, '');

async function pagefindQuery(q) {
  const t0 = Date.now();
  const run = await fresh(async page => {
    await page.goto(origin + '/__bench.html');
    return page.evaluate(async q => {
      const pf = await import('/pagefind/pagefind.js');
      await pf.init();
      const t = performance.now();
      const r = await pf.search(q);
      const top = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
      return { hits: r.results.length, ms: performance.now() - t, top: top.map((d, i) => ({ url: d.url, score: r.results[i].score, title: d.meta && d.meta.title })) };
    }, q);
  });
  const v = run.value;
  const sum = ks => ks.reduce((a, k) => a + ((run.byKind[k] || {}).bytes || 0), 0);
  const sumGz = ks => ks.reduce((a, k) => a + ((run.byKind[k] || {}).gzip || 0), 0);
  return {
    q, hits: v.hits, search_ms: +v.ms.toFixed(1), wall_ms: Date.now() - t0,
    top: v.top.map(t => ({ ...t, url: norm(t.url) })),
    bytes: run.byKind,
    startup_bytes: sum(['startup']), startup_gzip: sumGz(['startup']),
    query_bytes: sum(['index', 'fragments']), query_gzip: sumGz(['index', 'fragments']),
    files: run.files,
  };
}

async function casebookQuery(q, suffix) {
  const run = await fresh(async page => {
    await page.goto(origin + '/search/?q=' + encodeURIComponent(q + suffix));
    await page.waitForSelector('#cb-search[data-cb-done]', { timeout: 30000 });
    return page.evaluate(() => ({
      status: document.getElementById('cb-status').textContent,
      ms: +document.getElementById('cb-search').dataset.cbMs,
      top: [...document.querySelectorAll('#cb-results .card-title a')].slice(0, 10).map(a => a.getAttribute('href')),
    }));
  });
  const v = run.value;
  const sum = ks => ks.reduce((a, k) => a + ((run.byKind[k] || {}).bytes || 0), 0);
  const sumGz = ks => ks.reduce((a, k) => a + ((run.byKind[k] || {}).gzip || 0), 0);
  return {
    q: q + suffix, status: v.status, search_ms: v.ms,
    top: v.top.map(u => ({ url: norm(u) })),
    bytes: run.byKind,
    startup_bytes: sum(['startup']), startup_gzip: sumGz(['startup']),
    query_bytes: sum(['dictionary', 'postings', 'docs']), query_gzip: sumGz(['dictionary', 'postings', 'docs']),
  };
}

const out = { engine, chromium: browser.version(), queries: [] };
try {
  for (const { q, kind } of queries) {
    if (engine === 'pagefind') out.queries.push({ kind, ...(await pagefindQuery(q)) });
    else out.queries.push({ kind, whole: await casebookQuery(q, '.'), typed: await casebookQuery(q, '') });
  }
} finally {
  await browser.close();
  server.close();
}
fs.writeFileSync(outFile, JSON.stringify(out, null, 1));
console.log(`${engine}: ${out.queries.length} queries in Chromium ${out.chromium} -> ${outFile}`);
