#!/usr/bin/env node
// Casebook's search page vs Pagefind's own UIs, in headless Chromium, on the same 10,000 case pages.
// Run through ./run.sh (it builds the site and the Pagefind index first); by hand:
//
//   SITE=/dev/shm/c10k-site PF_DIR=/dev/shm/c10k-pfui/pagefind node bench.mjs
//
// Measures, per UI:
//   - bytes before first results: a fresh browser context (empty cache, CDP Network.setCacheDisabled),
//     navigation to the page; every response body the server sends (the server's own log, so requests
//     made by Pagefind's Web Worker count too) whose send finished before the results were rendered;
//   - keystroke → results: words typed one character at a time; each keystroke waits until the
//     results reflect the input before the next. Measured in the page from the keydown event to the
//     DOM mutation that completes the results ("incl. debounce"), and from the moment the UI's
//     debounce timer fired (a setTimeout wrapper records it) to the same mutation ("after debounce");
//     also to the next frame after it (requestAnimationFrame + a message: the results are painted);
//   - whole words typed at PACE_MS (120) per key, so that debounces coalesce keystrokes: last keystroke →
//     results, and the bytes and requests each word costs;
//   - facet click → counts and results (Casebook; Pagefind's UIs show filters only for an index
//     with data-pagefind-filter attributes, which these pages do not have).
// "Rendered" means: Casebook — the form's data-cb-done counter moved on (it is set after the status,
// counts and the first 20 cards are in the DOM) with the box holding the typed text; Pagefind —
// the summary line names the typed text and the first 5 results (PagefindUI's page size) have
// replaced their loading placeholders.
//
// Environment: SITE, PF_DIR (Pagefind bundle served at /pagefind/), OUT (Markdown, default
// ./RESULTS.md), JSON_OUT (raw samples), CHROMIUM, QUICK=1 (3 words, 1 load run: a smoke test),
// LOAD_RUNS (3), COMPONENT_BUDGET_S (60: the component UI's typing pass stops after this long),
// SKIP_COMPONENT=1, CASEBOOK_JS (see below), REPORT_FROM=results.json (only rewrite the Markdown from a previous run's samples).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const env = process.env;
const SITE = path.resolve(env.SITE || '/dev/shm/c10k-site');
const PF = path.resolve(env.PF_DIR || '/dev/shm/c10k-pfui/pagefind');
const OUT = env.OUT || path.join(HERE, 'RESULTS.md');
const JSON_OUT = env.JSON_OUT || '/dev/shm/search-ui-bench/results.json';
const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
// Serve this file as the site's assets/casebook.js (the built one is embedded in the binary): measures
// a client change without rebuilding, e.g. CASEBOOK_JS=../../themes/default/static/casebook.js.
const CASEBOOK_JS = env.CASEBOOK_JS ? path.resolve(env.CASEBOOK_JS) : null;
const QUICK = env.QUICK === '1';
const LOAD_RUNS = +(env.LOAD_RUNS || (QUICK ? 1 : 3));
const COMPONENT_BUDGET = +(env.COMPONENT_BUDGET_S || (QUICK ? 30 : 60)) * 1000;
const KEY_TIMEOUT = 20000, LOAD_TIMEOUT = 60000, IDLE_AFTER = 1500, PAUSE = 50;
const QUERY = 'remittances';
const TARGETS = { bytes: 300 * 1024, key: 100, click: 50 };

// 20 words of the corpus vocabulary (gen_corpus.py: nouns, themes, countries), typed a character at a time.
let WORDS = ['remittances', 'diaspora', 'trafficking', 'recruitment', 'reintegration', 'municipality', 'passport',
  'coordination', 'housing', 'interpreter', 'cooperative', 'xenophobia', 'hotline', 'senegal', 'climate', 'employer',
  'curriculum', 'smuggling', 'certificate', 'awareness'];
if (QUICK) WORDS = WORDS.slice(0, 3);
// Typed whole at PACE ms per key (a fast typist; ~100 words a minute): every other word of WORDS.
const PACE = +(env.PACE_MS || 120);
const PACED_WORDS = WORDS.filter((w, i) => i % 2 === 0);
// Facet terms clicked: 15 terms, at most two selected at a time (on t1, on t2, off t1, on t3, off t2, …):
// 30 clicks. Parents (an SDG goal, a GCM round table, regions) and leaves, over every kind of facet.
const TERMS = [['sdg', '10'], ['geography', 'africa'], ['levels', 'national'], ['gcm', 'rt1'], ['sdg', '8.8'],
  ['geography', 'MA'], ['themes', 'Remittances'], ['year', '2023'], ['source', 'Regional review'], ['geography', 'europe'],
  ['sdg', '16'], ['levels', 'local'], ['gcm', '5'], ['themes', 'Labour migration'], ['sdg', '17.16']];

const log = (...a) => console.error('[bench]', ...a);
const nowEpoch = () => performance.timeOrigin + performance.now();

/* ---------------------------------------------------------------- pages for Pagefind's UIs */

// PagefindUI does not read the address: a query in the URL is passed with triggerSearch(), as its docs suggest.
const PAGEFIND_UI_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Search · Pagefind UI</title>
<link href="/pagefind/pagefind-ui.css" rel="stylesheet">
<script src="/pagefind/pagefind-ui.js"></script>
</head><body><main><h1>Search</h1><div id="search"></div></main>
<script>
window.addEventListener('DOMContentLoaded', () => {
  const ui = new PagefindUI({ element: '#search' });
  const q = new URLSearchParams(location.search).get('q');
  if (q) ui.triggerSearch(q);
});
</script>
</body></html>`;
// The component UI (Pagefind ≥ 1.5) as a search page: input, summary and results, all defaults.
const PAGEFIND_COMPONENT_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Search · Pagefind component UI</title>
<link href="/pagefind/pagefind-component-ui.css" rel="stylesheet">
<script src="/pagefind/pagefind-component-ui.js"></script>
</head><body><main><h1>Search</h1>
<pagefind-input></pagefind-input>
<pagefind-summary></pagefind-summary>
<pagefind-results></pagefind-results>
</main>
<script>
window.addEventListener('DOMContentLoaded', () => {
  const q = new URLSearchParams(location.search).get('q');
  const input = document.querySelector('pagefind-input input');
  if (q && input) { input.value = q; input.dispatchEvent(new Event('input', { bubbles: true })); }
});
</script>
</body></html>`;
const PAGES = { '/__bench/pagefind-ui/': PAGEFIND_UI_PAGE, '/__bench/pagefind-component/': PAGEFIND_COMPONENT_PAGE };

/* ---------------------------------------------------------------- static server */

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
};

/** A plain static host: no compression, directory → index.html. Logs every response with the time its send finished. */
function startServer() {
  const reqLog = [];
  const server = http.createServer(async (req, res) => {
    const t0 = nowEpoch();
    const url = new URL(req.url, 'http://x');
    let p;
    try { p = decodeURIComponent(url.pathname); } catch { p = '/'; }
    let status = 200, body = null, type = TYPES['.html'], file = null;
    if (p === '/__bench/mark') { // the page's "results rendered" signal: the cut-off for "bytes before first results"
      server.marks.push(t0);
      res.writeHead(204, { 'cache-control': 'no-store' });
      return res.end();
    }
    if (PAGES[p]) body = Buffer.from(PAGES[p]);
    else {
      const [base, rel] = p.startsWith('/pagefind/') ? [PF, p.slice('/pagefind/'.length)] : [SITE, p.slice(1)];
      file = p === '/assets/casebook.js' && CASEBOOK_JS ? CASEBOOK_JS : path.resolve(base, rel);
      if (file !== CASEBOOK_JS && file !== base && !file.startsWith(base + path.sep)) status = 403;
      else {
        try {
          if ((await fs.promises.stat(file)).isDirectory()) {
            if (!p.endsWith('/')) {
              res.writeHead(301, { location: p + '/' + url.search });
              res.on('finish', () => reqLog.push({ path: p, status: 301, bytes: 0, t0, t1: nowEpoch() }));
              return res.end();
            }
            file = path.join(file, 'index.html');
          }
          body = await fs.promises.readFile(file);
          type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
        } catch { status = 404; }
      }
    }
    if (status !== 200) { body = Buffer.from('not found'); type = 'text/plain; charset=utf-8'; file = null; }
    res.writeHead(status, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store' });
    const entry = { path: p, status, bytes: body.length, file, page: file ? null : PAGES[p] || null, t0, t1: 0 };
    res.on('finish', () => { entry.t1 = nowEpoch(); reqLog.push(entry); });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.reqLog = reqLog;
  server.marks = [];
  return new Promise(ok => server.listen(0, '127.0.0.1', () => { server.origin = `http://127.0.0.1:${server.address().port}`; ok(server); }));
}

const gzCache = new Map();
/** What a host compressing on the fly would send: gzip -6 of the body, or the body when that is smaller. */
function gzSize(e) {
  const key = e.file || e.path;
  if (!gzCache.has(key)) {
    const body = e.file ? fs.readFileSync(e.file) : Buffer.from(e.page || 'not found');
    gzCache.set(key, Math.min(body.length, zlib.gzipSync(body, { level: 6 }).length));
  }
  return gzCache.get(key);
}

function category(p) {
  if (p.startsWith('/__bench/') || p.endsWith('/') || p.endsWith('.html')) return 'HTML page';
  if (p.endsWith('.css')) return 'CSS';
  if (p === '/assets/casebook.js') return 'casebook.js';
  if (p === '/search/meta.json') return 'meta.json';
  if (p === '/search/facets.bin') return 'facets.bin';
  if (p === '/search/order.bin') return 'order.bin';
  if (p.startsWith('/search/index/d-')) return 'dictionary shards';
  if (p.startsWith('/search/index/p-')) return 'postings buckets';
  if (p.startsWith('/search/docs/')) return 'result docs';
  if (/\/pagefind-(component-)?ui\.js$/.test(p)) return 'UI script';
  if (p.endsWith('/pagefind.js')) return 'pagefind.js';
  if (p.endsWith('/pagefind-worker.js')) return 'pagefind-worker.js';
  if (p.endsWith('/pagefind-entry.json')) return 'pagefind-entry.json';
  if (p.endsWith('.pagefind')) return 'wasm';
  if (p.endsWith('.pf_meta')) return 'pf_meta';
  if (p.endsWith('.pf_index')) return 'index chunks';
  if (p.endsWith('.pf_fragment')) return 'fragments';
  return 'other';
}

function summarise(reqs) {
  const out = { n: reqs.length, bytes: 0, gz: 0, cats: {}, notFound: reqs.filter(r => r.status === 404).map(r => r.path) };
  for (const r of reqs) {
    const g = r.status === 200 ? gzSize(r) : r.bytes;
    out.bytes += r.bytes; out.gz += g;
    const c = (out.cats[category(r.path)] ||= { n: 0, bytes: 0, gz: 0 });
    c.n++; c.bytes += r.bytes; c.gz += g;
  }
  return out;
}

/* ---------------------------------------------------------------- in-page instrumentation */

// Runs before any page script (addInitScript). `kind`: casebook | pfui | pfcomp.
function instrument(cfg) {
  if (window.__bench) return;
  const now = () => performance.now();
  const B = (window.__bench = { kind: cfg.kind, timers: [], lastInput: -1e9, armed: null });
  // Debounce timers: setTimeout calls of ≥ 10 ms made within 25 ms of an input event; records when they
  // fire. A keystroke's debounce is the longest such timer that fired before its results were complete.
  const st = window.setTimeout;
  window.setTimeout = function (fn, ms, ...rest) {
    if (typeof fn !== 'function') return st.call(window, fn, ms, ...rest);
    const rec = { ms: +ms || 0, set: now(), fired: null };
    if (rec.set - B.lastInput < 25 && rec.ms >= 10) B.timers.push(rec);
    return st.call(window, function (...a) { rec.fired = now(); return fn.apply(this, a); }, ms, ...rest);
  };
  addEventListener('input', () => { B.lastInput = now(); }, true);
  addEventListener('keydown', () => { const a = B.armed; if (a && (a.key == null || a.last)) a.key = now(); }, true);
  addEventListener('click', e => {
    const a = B.armed;
    if (a && a.key == null && e.target && e.target.type === 'checkbox') a.key = now();
  }, true);

  /** Pagefind's summary line → {n, term} (n = -1: "showing results for another term instead"). */
  const parseMsg = t => {
    t = (t || '').trim();
    let m = /^([\d.,\u00a0\u202f ]+) results? for (.*)$/s.exec(t);
    if (m) return { n: +m[1].replace(/\D/g, ''), term: m[2] };
    m = /^No results for (.*?)\. (?:Showing results for .* instead|Try one of the following searches:.*)$/s.exec(t);
    if (m) return { n: -1, term: m[1] };
    m = /^No results for (.*)$/s.exec(t);
    if (m) return { n: 0, term: m[1] };
    return null;
  };
  const pfDone = (a, msgSel, inputSel, listSel, loadingSel) => {
    const m = document.querySelector(msgSel);
    const r = m && parseMsg(m.textContent);
    if (!r) return false;
    const input = document.querySelector(inputSel);
    if (r.term !== (a.value != null ? a.value : input && input.value)) return false;
    if (r.n === 0) return true;
    const list = document.querySelector(listSel);
    if (!list || !list.children.length) return false;
    for (let i = 0; i < Math.min(5, list.children.length); i++) if (list.children[i].querySelector(loadingSel)) return false;
    return true;
  };
  const checks = {
    casebook: a => {
      const f = document.getElementById('cb-search');
      if (!f || +(f.dataset.cbDone || 0) <= a.doneBefore || f.dataset.cbState !== 'idle') return false;
      if (a.value == null) return true;
      // The box, and the query of the last update started (commit() puts it in the address first):
      // an update that started before the last keystroke may finish, and set "idle", after it.
      return document.getElementById('cb-q').value === a.value && (new URLSearchParams(location.search).get('q') || '') === a.value.trim();
    },
    pfui: a => pfDone(a, '.pagefind-ui__message', '.pagefind-ui__search-input', '.pagefind-ui__results', '.pagefind-ui__loading'),
    pfcomp: a => pfDone(a, '.pf-summary', 'pagefind-input input', '.pf-results', '.pf-skeleton'),
  };
  const onMutations = recs => {
    const a = B.armed;
    if (!a || a.key == null || a.dom != null) return;
    if (a.counts == null) for (const r of recs) if (r.attributeName === 'data-cb-ms') { a.counts = now(); break; }
    if (!checks[B.kind](a)) return;
    a.dom = now();
    if (cfg.load && !B.marked) { B.marked = true; fetch('/__bench/mark', { method: 'POST', cache: 'no-store' }).catch(() => {}); }
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { a.paint = now(); };
      ch.port2.postMessage(null);
    });
  };
  new MutationObserver(onMutations).observe(document, cfg.kind === 'casebook'
    ? { subtree: true, attributes: true, attributeFilter: ['data-cb-done', 'data-cb-ms'] }
    : { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class'] });

  /** Starts a measurement: `value` is the text the results must reflect (null: any); `key` the start time if no event gives it. */
  /** `last`: measure from the last keydown (typing a whole word) rather than the first. */
  B.arm = (value, key = null, last = false) => {
    const f = document.getElementById('cb-search');
    B.timers = [];
    B.armed = { value, key, last, dom: null, paint: null, counts: null, doneBefore: f ? +(f.dataset.cbDone || 0) : 0 };
  };
  B.sample = () => {
    const a = B.armed;
    const deb = B.timers.filter(t => t.set >= a.key - 1 && t.fired != null && t.fired <= a.dom).sort((x, y) => y.ms - x.ms)[0] || null;
    const f = document.getElementById('cb-search');
    const msg = document.querySelector('#cb-status, .pagefind-ui__message, .pf-summary');
    return {
      key: a.key, dom: a.dom, paint: a.paint, counts: a.counts, deb, origin: performance.timeOrigin,
      cbMs: f ? +f.dataset.cbMs : null, cbRenderMs: f ? +f.dataset.cbRenderMs : null,
      status: msg ? msg.textContent.trim() : null,
      filters: !!document.querySelector('.pagefind-ui__filter-panel, pagefind-filter-pane .pf-filter-group'),
    };
  };
  if (cfg.load) B.arm(cfg.value, 0); // from navigation start
}

/* ---------------------------------------------------------------- helpers */

async function session(browser, kind, load = null) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const cfg = { kind, load: !!load, value: load ? load.value : null };
  await ctx.addInitScript({ content: `(${instrument})(${JSON.stringify(cfg)});` });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  // Cross-check of the server's log: body bytes Chromium reports for the page's own requests
  // (CDP Network.dataReceived; requests made by a Web Worker are not reported to the page's session).
  page.cdpBytes = 0;
  cdp.on('Network.dataReceived', e => { page.cdpBytes += e.dataLength; });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  page.errors = [];
  page.on('pageerror', e => page.errors.push(String(e)));
  return { ctx, page };
}

const waitDone = (page, timeout) =>
  page.waitForFunction(() => window.__bench && __bench.armed && __bench.armed.paint != null, null, { timeout, polling: 10 });

const casebookReady = page => page.waitForFunction(() => {
  const f = document.getElementById('cb-search');
  return f && +(f.dataset.cbDone || 0) >= 1 && f.dataset.cbState === 'idle';
}, null, { timeout: LOAD_TIMEOUT });

/** Makes a facet checkbox visible: "Show all", then the ancestors' disclosures (as tests/browser/helpers.mjs). */
async function reveal(page, facet, code) {
  const box = page.locator(`#cb-facets input[name="${facet}"][value="${code}"]`);
  for (let i = 0; i < 6 && !(await box.isVisible()); i++) {
    await page.evaluate(({ facet, code }) => {
      const input = document.querySelector(`#cb-facets input[name="${CSS.escape(facet)}"][value="${CSS.escape(code)}"]`);
      const fs = input.closest('fieldset');
      const all = fs.querySelector(':scope > .cb-all[aria-expanded="false"]');
      if (all && input.closest('li').closest('ul').parentElement === fs && input.closest('li').hidden) return all.click();
      for (let d = input.closest('details'); d; d = d.parentElement.closest('details')) {
        if (!d.open) return d.querySelector(':scope > summary').click();
      }
    }, { facet, code });
  }
  return box;
}

function stats(xs) {
  const v = xs.filter(x => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const q = p => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))];
  const med = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return { n: v.length, median: med, p90: q(0.9), min: v[0], max: v[v.length - 1] };
}

/* ---------------------------------------------------------------- measurements */

/** Fresh context, cache off: bytes and time until the first results are rendered. */
async function measureLoad(browser, server, kind, pagePath, value) {
  const { ctx, page } = await session(browser, kind, { value });
  const mark = server.reqLog.length, marks = server.marks.length;
  let s = null, error = null;
  try {
    await page.goto(server.origin + pagePath, { waitUntil: 'commit', timeout: LOAD_TIMEOUT });
    await waitDone(page, LOAD_TIMEOUT);
    s = await page.evaluate(() => __bench.sample());
  } catch (e) { error = String(e).split('\n')[0]; }
  await page.waitForTimeout(IDLE_AFTER);
  const reqs = server.reqLog.slice(mark);
  // Responses whose sending had finished when the page's "rendered" beacon arrived (no clock comparison
  // between Node and Chromium needed); at worst this adds a response finishing in the beacon's ~1 ms flight.
  const cutoff = s && server.marks.length > marks ? server.marks[marks] : Infinity;
  if (s && cutoff === Infinity) error = 'the page\'s beacon did not arrive';
  const errors = page.errors, cdpBytes = page.cdpBytes;
  await ctx.close();
  return {
    path: pagePath, cdpBytes, firstResults: s && s.dom, painted: s && s.paint, status: s && s.status, error, errors,
    before: summarise(reqs.filter(r => r.t1 && r.t1 <= cutoff)), idle: summarise(reqs),
  };
}

/** Fresh context, cache off, no query: what the page downloads before the reader types (1.5 s after load). */
async function measureIdle(browser, server, kind, pagePath) {
  const { ctx, page } = await session(browser, kind);
  const mark = server.reqLog.length;
  await page.goto(server.origin + pagePath, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
  await page.waitForTimeout(IDLE_AFTER);
  const reqs = server.reqLog.slice(mark);
  await ctx.close();
  return summarise(reqs);
}

const INPUTS = { casebook: '#cb-q', pfui: '.pagefind-ui__search-input', pfcomp: 'pagefind-input input' };
const PAGE_OF = { casebook: '/search/', pfui: '/__bench/pagefind-ui/', pfcomp: '/__bench/pagefind-component/' };

async function clearInput(page, kind) {
  const sel = INPUTS[kind];
  if (!(await page.inputValue(sel))) return;
  if (kind === 'casebook') {
    await page.evaluate(() => __bench.arm('', performance.now()));
    await page.fill(sel, '');
    await waitDone(page, KEY_TIMEOUT);
  } else {
    await page.fill(sel, '');
    await page.waitForTimeout(400);
  }
  // Let the page finish whatever the clearing started (two frames).
  await page.evaluate(() => new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

/** Types every word a character at a time; one sample per keystroke. */
async function measureTyping(browser, server, kind, budget = Infinity) {
  const { ctx, page } = await session(browser, kind);
  await page.goto(server.origin + PAGE_OF[kind], { waitUntil: 'load' });
  if (kind === 'casebook') await casebookReady(page);
  else await page.waitForSelector(INPUTS[kind]);
  const samples = [];
  const t0 = Date.now();
  let stopped = false, filters = false;
  outer: for (const word of WORDS) {
    try { await clearInput(page, kind); } catch (e) { log(kind, 'clearing the input timed out'); }
    await page.focus(INPUTS[kind]);
    for (let i = 1; i <= word.length; i++) {
      if (Date.now() - t0 > budget) { stopped = true; break outer; }
      const value = word.slice(0, i);
      const m0 = server.reqLog.length;
      await page.evaluate(v => __bench.arm(v), value);
      await page.keyboard.type(word[i - 1]);
      try {
        await waitDone(page, KEY_TIMEOUT);
      } catch {
        samples.push({ word, value, timeout: true });
        log(kind, `"${value}": no results rendered within ${KEY_TIMEOUT / 1000} s`);
        continue;
      }
      const s = await page.evaluate(() => __bench.sample());
      filters = filters || s.filters;
      samples.push({
        word, value, status: s.status,
        incl: s.dom - s.key, paint: s.paint - s.key,
        after: s.deb ? s.dom - s.deb.fired : null, afterPaint: s.deb ? s.paint - s.deb.fired : null,
        debounce: s.deb ? s.deb.ms : null, debounceWait: s.deb ? s.deb.fired - s.key : null,
        cbRenderMs: s.cbRenderMs,
      });
      await page.waitForTimeout(PAUSE);
      // Bytes this keystroke caused (responses sent until its results were in, plus the pause).
      samples[samples.length - 1].bytes = server.reqLog.slice(m0).reduce((a, r) => a + r.bytes, 0);
    }
  }
  const errors = page.errors;
  await ctx.close();
  return { samples, stopped, seconds: (Date.now() - t0) / 1000, filters, errors };
}

/** Whole words typed at PACE ms per key (debounces coalesce keystrokes): last keystroke → results, bytes per word. */
async function measurePaced(browser, server, kind) {
  const { ctx, page } = await session(browser, kind);
  await page.goto(server.origin + PAGE_OF[kind], { waitUntil: 'load' });
  if (kind === 'casebook') await casebookReady(page);
  else await page.waitForSelector(INPUTS[kind]);
  const samples = [];
  for (const word of PACED_WORDS) {
    try { await clearInput(page, kind); } catch (e) { log(kind, 'clearing the input timed out'); }
    await page.focus(INPUTS[kind]);
    const m0 = server.reqLog.length;
    await page.evaluate(v => __bench.arm(v, null, true), word);
    await page.keyboard.type(word, { delay: PACE });
    try { await waitDone(page, KEY_TIMEOUT); } catch { samples.push({ word, timeout: true }); continue; }
    const s = await page.evaluate(() => __bench.sample());
    await page.waitForTimeout(PAUSE);
    samples.push({
      word, status: s.status, fromLast: s.dom - s.key, after: s.deb ? s.dom - s.deb.fired : null,
      bytes: server.reqLog.slice(m0).reduce((a, r) => a + r.bytes, 0),
      requests: server.reqLog.length - m0,
    });
  }
  await ctx.close();
  return { samples };
}

/** 30 facet clicks on Casebook's search page (see TERMS). */
async function measureClicks(browser, server, plan) {
  const { ctx, page } = await session(browser, 'casebook');
  await page.goto(server.origin + PAGE_OF.casebook, { waitUntil: 'load' });
  await casebookReady(page);
  const samples = [];
  for (const step of plan) {
    const box = await reveal(page, step.facet, step.code);
    if ((await box.isChecked()) === step.on) { log('click plan out of step at', step); continue; }
    const m0 = server.reqLog.length;
    await page.evaluate(() => __bench.arm(null));
    await box.click();
    try { await waitDone(page, KEY_TIMEOUT); } catch { samples.push({ ...step, timeout: true }); continue; }
    const s = await page.evaluate(() => __bench.sample());
    const shown = await page.locator('#cb-results > li').count();
    samples.push({
      ...step, status: s.status, shown,
      counts: s.counts != null ? s.counts - s.key : null, results: s.dom - s.key, paint: s.paint - s.key,
      cbMs: s.cbMs, cbRenderMs: s.cbRenderMs,
    });
    await page.waitForTimeout(PAUSE);
    samples[samples.length - 1].bytes = server.reqLog.slice(m0).reduce((a, r) => a + r.bytes, 0);
  }
  const errors = page.errors;
  await ctx.close();
  return { samples, errors };
}

function clickPlan() {
  const meta = JSON.parse(fs.readFileSync(path.join(SITE, 'search/meta.json'), 'utf8'));
  const has = ([key, code]) => {
    const f = meta.facets.find(f => f.key === key);
    if (!f) return false;
    const i = f.terms.findIndex(t => String(t.c) === code);
    if (i < 0) return false;
    const sub = j => f.terms[j].n > 0 || f.terms.some((t, k) => t.p === j && sub(k));
    return sub(i);
  };
  let terms = TERMS.filter(has);
  // Replace missing terms by other populated top-level terms.
  for (const f of meta.facets) for (const t of f.terms) {
    if (terms.length >= TERMS.length) break;
    const cand = [f.key, String(t.c)];
    if (t.p < 0 && has(cand) && !terms.some(x => x[0] === cand[0] && x[1] === cand[1])) terms.push(cand);
  }
  const plan = [];
  const step = (t, on) => plan.push({ facet: t[0], code: t[1], on, label: meta.facets.find(f => f.key === t[0]).terms.find(x => String(x.c) === t[1]).l });
  step(terms[0], true);
  for (let i = 1; i < terms.length; i++) { step(terms[i], true); step(terms[i - 1], false); }
  step(terms[terms.length - 1], false);
  return plan;
}

/* ---------------------------------------------------------------- report */

const KB = b => `${(b / 1024).toFixed(1)} KB`;
const ms = x => (x == null ? '–' : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`);
const st = (s, bold = true) => (s ? `${bold ? '**' : ''}${ms(s.median)}${bold ? '**' : ''} (p90 ${ms(s.p90)}, max ${ms(s.max)}; n=${s.n})` : '–');
const pass = (ok) => (ok ? '✅' : '❌');
const bytesCell = b => (b ? `**${KB(b.bytes)}** / ${KB(b.gz)} gzip (${b.n} requests)` : '–');
const breakdown = b => Object.entries(b.cats).sort((x, y) => y[1].bytes - x[1].bytes)
  .map(([c, v]) => `${c} ${KB(v.bytes)}${v.n > 1 ? ` (${v.n})` : ''}`).join(', ');

function sh(cmd) { try { return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return '?'; } }

function report(R) {
  const cb = R.casebook, ui = R.pfui, comp = R.pfcomp;
  const L = [];
  const keyStats = (t, f) => stats(t.samples.filter(s => !s.timeout).map(f));
  const timeouts = t => t.samples.filter(s => s.timeout).length;
  const cbKeyIncl = keyStats(cb.typing, s => s.incl), cbKeyAfter = keyStats(cb.typing, s => s.after);
  const cbClickCounts = stats(cb.clicks.samples.map(s => s.counts)), cbClickRes = stats(cb.clicks.samples.map(s => s.results));
  const deb = t => { const d = stats(t.samples.map(s => s.debounce)); return d ? `${d.median} ms` : '?'; };
  const debWait = t => stats(t.samples.map(s => s.debounceWait));
  const med = (runs, f) => stats(runs.map(f).filter(x => x != null));

  L.push('# Search UI in the browser: Casebook vs Pagefind', '');
  L.push(`Generated by \`benches/search-ui/run.sh\` on ${R.env.date}. Machine: ${R.env.cpu}, **${R.env.cores} cores**, ${R.env.mem} RAM, files on /dev/shm (tmpfs); load average ${R.env.loadStart} at start, ${R.env.loadEnd} at the end (other work shares the machine, so times are medians and vary between runs).`, '');
  const js = R.env.casebookJs || {};
  L.push(`Versions: Casebook \`${R.env.casebook}\` (${js.override ? `\`casebook.js\` served from \`${js.override}\` instead of the built one, ${js.bytes} bytes` : `the site's \`casebook.js\`, ${js.bytes} bytes, is the one embedded in \`target/release/casebook\``}${js.sameAsTree === false ? '; **it differs from the working tree\'s `themes/default/static/casebook.js`**: run with REBUILD=1 to measure that one' : js.sameAsTree ? ', identical to the working tree\'s' : ''}); Chromium ${R.env.chromium} (headless, \`${CHROMIUM}\`) driven by playwright-core ${R.env.playwright}; Pagefind ${R.env.pagefind}; Node ${R.env.node}. Corpus: \`gen_corpus.py 10000 … 42\`, ${R.env.n.toLocaleString('en')} case studies built with the repository's \`casebook.yaml\` less its \`languages:\` block; Pagefind indexed the same built case pages (\`--glob "case-studies/*/index.html"\`, no Pagefind markup). Served from 127.0.0.1 by a Node static server without compression (sizes are bodies as sent; "gzip" is what a host compressing every response with gzip -6 would send, or the raw size when smaller: Pagefind's index files are gzip already). One headless Chromium with a fresh temporary profile; every page load in a fresh browser context with the cache disabled (CDP \`Network.setCacheDisabled\`, responses \`no-store\`); KB = 1024 bytes.`, '');
  L.push('| | Casebook search page (`search/`) | Pagefind default UI (`PagefindUI`) | Pagefind component UI | Target |');
  L.push('|---|---|---|---|---|');
  const cbEmpty = cb.loadEmpty[0], cbQ = cb.loadQuery[0], uiQ = ui.loadQuery[0], compQ = comp && comp.loadQuery[0];
  L.push(`| **Bytes before first results**, empty query | ${bytesCell(cbEmpty.before)} ${pass(cbEmpty.before.bytes < TARGETS.bytes)} | no results until the reader types; on load: ${KB(ui.idle.bytes)} / ${KB(ui.idle.gz)} gzip | no results until the reader types; on load: ${comp ? `${KB(comp.idle.bytes)} / ${KB(comp.idle.gz)} gzip` : '–'} | < 300 KB |`);
  L.push(`| **Bytes before first results**, \`?q=${QUERY}\` | ${bytesCell(cbQ.before)} ${pass(cbQ.before.bytes < TARGETS.bytes)} | ${bytesCell(uiQ.before)} ${pass(uiQ.before.bytes < TARGETS.bytes)} | ${compQ ? `${bytesCell(compQ.before)} ${pass(compQ.before.bytes < TARGETS.bytes)}` : '–'} | < 300 KB |`);
  L.push(`| Time from navigation to first results, empty query (median of ${cb.loadEmpty.length}) | ${ms(med(cb.loadEmpty, r => r.firstResults)?.median)} | – | – | |`);
  L.push(`| Time from navigation to first results, \`?q=${QUERY}\` (median of ${cb.loadQuery.length}) | ${ms(med(cb.loadQuery, r => r.firstResults)?.median)} | ${ms(med(ui.loadQuery, r => r.firstResults)?.median)} (includes its ${deb(ui.typing)} debounce) | ${comp ? `${ms(med(comp.loadQuery, r => r.firstResults)?.median)} (includes its ${deb(comp.typing)} debounce)` : '–'} | |`);
  L.push(`| Debounce (setTimeout armed by the input event) | ${deb(cb.typing)} (fires ${ms(debWait(cb.typing)?.median)} after the key) | ${deb(ui.typing)} (fires ${ms(debWait(ui.typing)?.median)} after the key) | ${comp ? `${deb(comp.typing)} (fires ${ms(debWait(comp.typing)?.median)} after the key)` : '–'} | |`);
  const keyRow = (t, f) => `${st(keyStats(t, f))}${timeouts(t) ? `, ${timeouts(t)} keystrokes without results in 20 s` : ''}`;
  L.push(`| **Keystroke → results, including debounce** (median, p90, max; ${WORDS.length} words typed) | ${keyRow(cb.typing, s => s.incl)} ${pass(cbKeyIncl && cbKeyIncl.median < TARGETS.key)} | ${keyRow(ui.typing, s => s.incl)} | ${comp ? keyRow(comp.typing, s => s.incl) + (comp.typing.stopped ? ` (stopped after ${Math.round(comp.typing.seconds)} s)` : '') : '–'} | < 100 ms |`);
  L.push(`| **Keystroke → results, after debounce** (from the debounce timer firing) | ${keyRow(cb.typing, s => s.after)} ${pass(cbKeyAfter && cbKeyAfter.median < TARGETS.key)} | ${keyRow(ui.typing, s => s.after)} | ${comp ? keyRow(comp.typing, s => s.after) : '–'} | < 100 ms |`);
  const long = f => s => (s.value.length >= 3 ? f(s) : null);
  L.push(`| … keystrokes leaving ≥ 3 characters in the box (incl. / after debounce) | ${st(keyStats(cb.typing, long(s => s.incl)), false)} / ${st(keyStats(cb.typing, long(s => s.after)), false)} | ${st(keyStats(ui.typing, long(s => s.incl)), false)} / ${st(keyStats(ui.typing, long(s => s.after)), false)} | ${comp ? `${st(keyStats(comp.typing, long(s => s.incl)), false)} / ${st(keyStats(comp.typing, long(s => s.after)), false)}` : '–'} | |`);
  L.push(`| Keystroke → next frame after the results (incl. / after debounce) | ${ms(keyStats(cb.typing, s => s.paint)?.median)} / ${ms(keyStats(cb.typing, s => s.afterPaint)?.median)} | ${ms(keyStats(ui.typing, s => s.paint)?.median)} / ${ms(keyStats(ui.typing, s => s.afterPaint)?.median)} | ${comp ? `${ms(keyStats(comp.typing, s => s.paint)?.median)} / ${ms(keyStats(comp.typing, s => s.afterPaint)?.median)}` : '–'} | |`);
  const kb = t => { const b = stats(t.samples.filter(s => s.bytes != null).map(s => s.bytes)); const tot = t.samples.reduce((a, s) => a + (s.bytes || 0), 0); return b ? `${KB(b.median)} (p90 ${KB(b.p90)}, max ${KB(b.max)}); ${KB(tot)} for ${b.n} keystrokes` : '–'; };
  L.push(`| Bytes downloaded per keystroke (median, p90, max; total) | ${kb(cb.typing)} | ${kb(ui.typing)} | ${comp ? kb(comp.typing) : '–'} | |`);
  const paced = t => {
    if (!t || !t.paced) return '–';
    const ok = t.paced.samples.filter(s => !s.timeout);
    const l = stats(ok.map(s => s.fromLast)), b = stats(ok.map(s => s.bytes)), r = stats(ok.map(s => s.requests));
    const tot = ok.reduce((a, s) => a + s.bytes, 0);
    return l ? `${st(l)}; ${KB(b.median)} and ${r.median} requests per word (median), ${KB(tot)} for ${ok.length} words` : '–';
  };
  L.push(`| Typing whole words at ${PACE} ms per key: last keystroke → results; downloads per word | ${paced(cb)} ${(x => pass(x && x.median < TARGETS.key))(stats((cb.paced ? cb.paced.samples : []).map(s => s.fromLast)))} | ${paced(ui)} | not measured | < 100 ms |`);
  L.push(`| Casebook's own clock (\`data-cb-render-ms\`: update start → 20 cards in the DOM), per keystroke | ${st(keyStats(cb.typing, s => s.cbRenderMs), false)} | | | |`);
  L.push(`| **Facet click → counts** (30 clicks; \`data-cb-ms\` set: counts, status) | ${st(cbClickCounts)} ${pass(cbClickCounts && cbClickCounts.median < TARGETS.click)} | no filters: ${ui.typing.filters ? 'shown?!' : 'the index has none (pages carry no `data-pagefind-filter`)'} | no filters (same) | < 50 ms |`);
  L.push(`| **Facet click → results** (counts and the first 20 cards in the DOM) | ${st(cbClickRes)} ${pass(cbClickRes && cbClickRes.median < TARGETS.click)} | – | – | < 50 ms |`);
  L.push(`| Bytes downloaded per facet click (result docs; median, max) | ${(b => (b ? `${KB(b.median)}, max ${KB(b.max)}` : '–'))(stats(cb.clicks.samples.map(s => s.bytes)))} | – | – | |`);
  L.push(`| Facet click → next frame | ${st(stats(cb.clicks.samples.map(s => s.paint)), false)} | – | – | |`);
  L.push('');
  L.push(`✅/❌: Casebook against the target (median; bytes raw, as a host without compression sends them). "Rendered": Casebook — the form's \`data-cb-done\` counter moved on with the box holding the typed text (status, facet counts and the first 20 cards are in the DOM); Pagefind — the summary line names the typed text and the first 5 results (PagefindUI's page size) have replaced their loading placeholders. Times are taken in the page (\`performance.now()\`): from the \`keydown\`/\`click\` event to the MutationObserver callback that sees the results complete; "next frame" adds a \`requestAnimationFrame\` and a message, i.e. until the frame with the results has been produced. Each keystroke waits for its results before the next one (then ${PAUSE} ms), so every keystroke is measured alone.`, '');

  {
    const d = stats(cb.typing.samples.map(s => s.debounce));
    if (d && d.median >= TARGETS.key) L.push(`Casebook's debounce (${d.median} ms, \`casebook.js\`'s input handler) is by itself longer than the ${TARGETS.key} ms keystroke target; the work after it takes ${ms(cbKeyAfter?.median)} (median).`, '');
  }
  L.push('### What is downloaded before the first results', '');
  L.push('| Page | Total (raw / gzip) | By kind (raw) |', '|---|---|---|');
  const row = (name, b) => L.push(`| ${name} | ${KB(b.bytes)} / ${KB(b.gz)} (${b.n} requests) | ${breakdown(b)} |`);
  row('Casebook `search/` (empty query)', cbEmpty.before);
  row(`Casebook \`search/?q=${QUERY}\``, cbQ.before);
  row(`PagefindUI, \`?q=${QUERY}\``, uiQ.before);
  if (compQ) row(`Pagefind component UI, \`?q=${QUERY}\``, compQ.before);
  row('PagefindUI on load, before typing', ui.idle);
  if (comp) row('Pagefind component UI on load, before typing', comp.idle);
  row(`Casebook \`search/?q=${QUERY}\`, everything until 1.5 s after the results`, cbQ.idle);
  L.push('');
  const cdpNote = (name, r) => `${name} ${KB(r.cdpBytes)} of ${KB(r.idle.bytes)}`;
  L.push(`Bytes are counted by the server (every response body, with the time its sending finished; the page signals "results rendered" with a beacon, and responses finished before the beacon arrived count). Cross-check, whole load: body bytes Chromium's DevTools protocol reports to the page (\`Network.dataReceived\`) vs the server's count: ${[cdpNote('Casebook empty query', cbEmpty), cdpNote(`Casebook \`?q=${QUERY}\``, cbQ), cdpNote('PagefindUI', uiQ)].concat(compQ ? [cdpNote('component UI', compQ)] : []).join('; ')} (Pagefind's Web Worker fetches its index and fragments outside the page's session).`, '');
  L.push(`First results: Casebook empty query “${cbEmpty.status}”; \`?q=${QUERY}\` “${cbQ.status}”; PagefindUI “${uiQ.status}”${compQ ? `; component UI “${compQ.status}”` : ''}.`, '');

  L.push('### Keystrokes', '');
  L.push(`Words (typed into an empty box, one character at a time): ${WORDS.map(w => `\`${w}\``).join(', ')}.`, '');
  L.push('| Word | Casebook: incl. / after debounce (median over its prefixes); bytes for the word | PagefindUI: same | Component UI: same |', '|---|---|---|---|');
  for (const w of WORDS) {
    const cell = t => {
      if (!t) return '–';
      const ss = t.samples.filter(s => s.word === w);
      if (!ss.length) return 'not reached';
      const ok = ss.filter(s => !s.timeout);
      const to = ss.length - ok.length;
      const bytes = ss.reduce((a, s) => a + (s.bytes || 0), 0);
      return `${ms(stats(ok.map(s => s.incl))?.median)} / ${ms(stats(ok.map(s => s.after))?.median)}; ${KB(bytes)}${to ? ` (${to} timed out)` : ''}`;
    };
    L.push(`| \`${w}\` | ${cell(cb.typing)} | ${cell(ui.typing)} | ${cell(comp && comp.typing)} |`);
  }
  L.push('');
  const slow = cb.typing.samples.filter(s => !s.timeout).sort((a, b) => b.after - a.after).slice(0, 5);
  const short = cb.typing.samples.filter(s => !s.timeout && s.value.length < 3);
  const empty = short.filter(s => /^No case stud/.test(s.status || ''));
  if (empty.length) L.push(`Casebook empties the list (“${empty[0].status}”) for ${empty.length} of the ${short.length} keystrokes that leave one or two letters in the box (a word shorter than 3 letters is only looked up whole); PagefindUI shows prefix matches from the first letter.`, '');
  L.push(`Casebook's slowest keystrokes after debounce: ${slow.map(s => `\`${s.value}\` ${ms(s.after)}, ${KB(s.bytes || 0)} (“${s.status}”)`).join('; ')}.`, '');
  const heavy = cb.typing.samples.filter(s => !s.timeout).sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  L.push(`Casebook's heaviest keystrokes: ${heavy.map(s => `\`${s.value}\` ${KB(s.bytes || 0)}`).join('; ')}.`, '');

  L.push('### Facet clicks (Casebook)', '');
  {
    const cached = cb.clicks.samples.filter(s => !s.timeout && s.bytes === 0), fetched = cb.clicks.samples.filter(s => !s.timeout && s.bytes > 0);
    const m = xs => ms(stats(xs.map(s => s.results))?.median);
    L.push(`${fetched.length} of the ${cb.clicks.samples.length} clicks had to fetch result docs (one request per card, up to 20): click → results median ${m(fetched)}; the ${cached.length} clicks whose first 20 cards were already fetched: median ${m(cached)}. Counts do not wait for the network.`, '');
  }
  L.push('| # | Click | Counts | Results | Next frame | Status after |', '|---|---|---|---|---|---|');
  cb.clicks.samples.forEach((s, i) => L.push(`| ${i + 1} | ${s.on ? 'check' : 'uncheck'} ${s.facet} “${s.label}” | ${s.timeout ? 'timeout' : ms(s.counts)} | ${ms(s.results)} | ${ms(s.paint)} | ${s.status || ''} |`));
  L.push('');
  const errs = [...cb.typing.errors, ...cb.clicks.errors, ...ui.typing.errors, ...(comp ? comp.typing.errors : [])];
  if (errs.length) L.push(`Page errors: ${[...new Set(errs)].slice(0, 5).join('; ')}`, '');
  if (comp && comp.typing.stopped) L.push(`The component UI's typing pass was cut off after ${Math.round(comp.typing.seconds)} s (COMPONENT_BUDGET_S). With its defaults it renders a placeholder \`<li>\` for every result (“${compQ ? compQ.status : ''}”: that many) and gives each its own IntersectionObserver, filling results as they scroll into view; at 10,000 pages the main thread is then busy for seconds (its 300 ms debounce timer itself fires seconds late), so the numbers above are a handful of keystrokes.`, '');
  return L.join('\n') + '\n';
}

/* ---------------------------------------------------------------- main */

if (env.REPORT_FROM) {
  const md = report(JSON.parse(fs.readFileSync(env.REPORT_FROM, 'utf8')));
  fs.writeFileSync(OUT, md);
  process.stdout.write(md);
  process.exit(0);
}
const t0 = Date.now();
for (const [what, p] of [['site', path.join(SITE, 'search/index.html')], ['Pagefind bundle', path.join(PF, 'pagefind-ui.js')]]) {
  if (!fs.existsSync(p)) { console.error(`no ${what}: ${p} is missing`); process.exit(2); }
}
const server = await startServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
const require = createRequire(import.meta.url);
const meta = JSON.parse(fs.readFileSync(path.join(SITE, 'search/meta.json'), 'utf8'));
const R = {
  env: {
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    cpu: (os.cpus()[0] || {}).model || '?', cores: os.cpus().length, mem: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    loadStart: os.loadavg().map(x => x.toFixed(2)).join(' '),
    chromium: browser.version(), playwright: require('playwright-core/package.json').version,
    pagefind: JSON.parse(fs.readFileSync(path.join(PF, 'pagefind-entry.json'), 'utf8')).version,
    node: process.version, n: meta.n,
    casebook: (() => {
      const rev = sh(`git -C '${REPO}' rev-parse --short HEAD`);
      const dirty = sh(`git -C '${REPO}' status --porcelain --untracked-files=no -- src themes`);
      return rev + (dirty ? ' + uncommitted changes in src/themes' : '');
    })(),
    // casebook.js is embedded in the binary: say whether the measured one is the working tree's.
    casebookJs: (() => {
      const site = fs.readFileSync(CASEBOOK_JS || path.join(SITE, 'assets/casebook.js'));
      let tree = null;
      try { tree = fs.readFileSync(path.join(REPO, 'themes/default/static/casebook.js')); } catch {}
      return { bytes: site.length, sameAsTree: tree ? site.equals(tree) : null, override: CASEBOOK_JS && (CASEBOOK_JS.startsWith(REPO + path.sep) ? path.relative(REPO, CASEBOOK_JS) : CASEBOOK_JS) };
    })(),
  },
};

const loads = async (kind, pagePath, value) => {
  const runs = [];
  for (let i = 0; i < LOAD_RUNS; i++) runs.push(await measureLoad(browser, server, kind, pagePath, value));
  const e = runs.find(r => r.error);
  if (e) log(kind, pagePath, e.error);
  return runs;
};

log('Casebook: page loads');
R.casebook = {
  loadEmpty: await loads('casebook', '/search/', ''),
  loadQuery: await loads('casebook', `/search/?q=${QUERY}`, QUERY),
};
log('Casebook: typing'); R.casebook.typing = await measureTyping(browser, server, 'casebook');
log('Casebook: typing whole words'); R.casebook.paced = await measurePaced(browser, server, 'casebook');
log('Casebook: facet clicks'); R.casebook.clicks = await measureClicks(browser, server, clickPlan());
log('PagefindUI: page loads');
R.pfui = { idle: await measureIdle(browser, server, 'pfui', PAGE_OF.pfui), loadQuery: await loads('pfui', `${PAGE_OF.pfui}?q=${QUERY}`, QUERY) };
log('PagefindUI: typing'); R.pfui.typing = await measureTyping(browser, server, 'pfui');
log('PagefindUI: typing whole words'); R.pfui.paced = await measurePaced(browser, server, 'pfui');
if (env.SKIP_COMPONENT !== '1' && fs.existsSync(path.join(PF, 'pagefind-component-ui.js'))) {
  log('Pagefind component UI: page loads');
  R.pfcomp = { idle: await measureIdle(browser, server, 'pfcomp', PAGE_OF.pfcomp) };
  R.pfcomp.loadQuery = [await measureLoad(browser, server, 'pfcomp', `${PAGE_OF.pfcomp}?q=${QUERY}`, QUERY)];
  log(`Pagefind component UI: typing (at most ${COMPONENT_BUDGET / 1000} s)`);
  R.pfcomp.typing = await measureTyping(browser, server, 'pfcomp', COMPONENT_BUDGET);
}
await browser.close();
server.close();
R.env.loadEnd = os.loadavg().map(x => x.toFixed(2)).join(' ');
R.env.seconds = (Date.now() - t0) / 1000;

fs.mkdirSync(path.dirname(JSON_OUT), { recursive: true });
fs.writeFileSync(JSON_OUT, JSON.stringify(R, (k, v) => (k === 'file' || k === 'page' ? undefined : v), 1));
const md = report(R);
fs.writeFileSync(OUT, md);
process.stdout.write(md);
log(`done in ${Math.round(R.env.seconds)} s; raw samples in ${JSON_OUT}`);
