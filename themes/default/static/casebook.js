/* Casebook portal client: search & facets (search page), interactive matrices (home page),
   file:// helpers (every page). Plain ES2020, no dependencies. Data format: src/search/FORMAT.md.
   The pure parts (bitsets, facet counts, URL state, tokenising, snippets) are in `core`,
   exported for the unit tests in tests/browser/facets.test.mjs. */
(() => {
'use strict';

/* ---------- Pure core ---------- */

const words = n => (n + 31) >>> 5;
const popcnt = x => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
};
/** Bitmap with docs 0..n-1 set. */
const full = n => {
  const b = new Uint32Array(words(n)).fill(0xffffffff);
  if (n & 31) b[b.length - 1] = (2 ** (n & 31)) - 1;
  return b;
};
const fromIds = (ids, n) => {
  const b = new Uint32Array(words(n));
  for (const i of ids) b[i >>> 5] |= 1 << (i & 31);
  return b;
};
const count = b => { let c = 0; for (let i = 0; i < b.length; i++) c += popcnt(b[i]); return c; };
const countAnd = (a, b) => { let c = 0; for (let i = 0; i < a.length; i++) c += popcnt(a[i] & b[i]); return c; };
const andInto = (a, b) => { for (let i = 0; i < a.length; i++) a[i] &= b[i]; return a; };
const orInto = (a, b) => { for (let i = 0; i < a.length; i++) a[i] |= b[i]; return a; };
const has = (b, i) => (b[i >>> 5] >>> (i & 31)) & 1;
/** Set doc ids, ascending. */
const toIds = b => {
  const out = [];
  for (let w = 0; w < b.length; w++) {
    let x = b[w];
    while (x) {
      const low = x & -x;
      out.push(w * 32 + 31 - Math.clz32(low));
      x ^= low;
    }
  }
  return out;
};

/** Facets from meta.json + facets.bin: each term gets `set`, its own set united with its descendants'. */
function loadFacets(meta, buf) {
  const n = meta.n, W = words(n);
  return meta.facets.map(f => {
    const terms = f.terms.map((t, i) => {
      const set = new Uint32Array(W);
      if (t.k === 'b') set.set(new Uint32Array(buf, t.o, W));
      else if (t.k === 'l') for (const id of new Uint32Array(buf, t.o, t.n)) set[id >>> 5] |= 1 << (id & 31);
      return { i, code: String(t.c), label: t.l, desc: t.d || '', parent: t.p, slug: t.s, set, kids: [], depth: 0 };
    });
    for (const t of terms) if (t.parent >= 0) { terms[t.parent].kids.push(t); t.depth = terms[t.parent].depth + 1; }
    // Parents come before children, so going backwards every child is complete before it joins its parent.
    for (let i = terms.length - 1; i >= 0; i--) if (terms[i].parent >= 0) orInto(terms[terms[i].parent].set, terms[i].set);
    for (const t of terms) {
      t.total = count(t.set);
      // Small sets are also kept as id lists: counting them is then cheaper than a pass over the words.
      if (t.total * 2 < W) t.ids = Uint32Array.from(toIds(t.set));
    }
    return { key: f.key, label: f.label, levels: f.levels || [], terms, byCode: new Map(terms.map(t => [t.code, t])) };
  });
}

/** Result set and, per facet, the mask its disjunctive counts use (every filter but its own).
    sel: {facetKey: [codes]} (OR within a facet, AND across); base: bitmap of the query's docs or null. */
function filter(facets, sel, base, n) {
  const start = () => (base ? base.slice() : full(n));
  const unions = facets.map(f => {
    const codes = sel[f.key];
    if (!codes || !codes.length) return null;
    const u = new Uint32Array(words(n));
    for (const c of codes) { const t = f.byCode.get(c); if (t) orInto(u, t.set); }
    return u;
  });
  const result = start();
  for (const u of unions) if (u) andInto(result, u);
  const masks = unions.map((own, i) => {
    if (!own) return result;
    const m = start();
    unions.forEach((u, j) => { if (u && j !== i) andInto(m, u); });
    return m;
  });
  return { result, masks };
}

/** Per term of a facet, how many docs of `mask` it would give. */
function facetCounts(facet, mask) {
  const out = new Uint32Array(facet.terms.length);
  for (const t of facet.terms) {
    if (!t.total || (t.parent >= 0 && !out[t.parent])) continue; // an empty parent has empty children
    if (t.ids) {
      let c = 0;
      for (const i of t.ids) c += (mask[i >>> 5] >>> (i & 31)) & 1;
      out[t.i] = c;
    } else out[t.i] = countAnd(t.set, mask);
  }
  return out;
}

const SORTS = ['relevance', 'newest', 'title'];

/** URL query string → {q, sort, sel}; unknown facets, codes and sorts are dropped. */
function parseState(search, facets) {
  const p = new URLSearchParams(search);
  const sort = p.get('sort') || '';
  const sel = {};
  for (const f of facets) {
    const codes = [...new Set(p.getAll(f.key))].filter(c => f.byCode.has(c));
    if (codes.length) sel[f.key] = codes;
  }
  return { q: p.get('q') || '', sort: SORTS.includes(sort) ? sort : '', sel };
}

/** {q, sort, sel} → "?q=…&sort=…&<facet>=<code>…" in facet order ("" when empty). */
function serialiseState(state, facets) {
  const p = new URLSearchParams();
  if (state.q.trim()) p.append('q', state.q.trim());
  if (state.sort) p.append('sort', state.sort);
  for (const f of facets) for (const c of state.sel[f.key] || []) p.append(f.key, c);
  const s = p.toString();
  return s ? '?' + s : '';
}

/** Lower-case and strip accents (and the Arabic tatweel, which only stretches a word), as the indexer does. */
const fold = s => (/^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : s.normalize('NFKD').replace(/[\p{M}\u0640]/gu, '').toLowerCase());

const segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'word' }) : null;
/** Words of a text (Unicode word boundaries): [{w: folded form, i: index, len}]. */
function tokenize(text) {
  const out = [];
  if (segmenter) {
    for (const s of segmenter.segment(text)) if (s.isWordLike) out.push({ w: fold(s.segment), i: s.index, len: s.segment.length });
  } else {
    for (const m of text.matchAll(/[\p{L}\p{N}\p{M}_]+(?:['’.:][\p{L}\p{N}\p{M}_]+)*/gu)) out.push({ w: fold(m[0]), i: m.index, len: m[0].length });
  }
  return out.filter(t => [...t.w].length <= 40);
}

/** The query's distinct words; the last is prefix-matched when the text ends inside it. */
function queryWords(q) {
  const toks = tokenize(q);
  const out = [];
  toks.forEach((t, k) => {
    const prefix = k === toks.length - 1 && t.i + t.len === q.length && [...t.w].length > 1;
    const dup = out.find(o => o.w === t.w);
    if (dup) dup.prefix = dup.prefix || prefix;
    else out.push({ w: t.w, prefix });
  });
  return out;
}

/** Dictionary shard of a folded form: its first two characters (meta.json lists those that exist). */
const shardPrefix = w => [...w].slice(0, 2).join('');
/** Dictionary shard file name of a folded form. */
const shardName = w => 'd-' + [...new TextEncoder().encode(shardPrefix(w))].map(b => b.toString(16).padStart(2, '0')).join('') + '.json';

/** A postings bucket → Map(term id → {ids: Uint32Array, w: Uint8Array}). */
function parseBucket(bytes) {
  const map = new Map();
  let p = 0;
  const vint = () => {
    let v = 0, s = 0, b;
    do { b = bytes[p++]; v += (b & 127) * 2 ** s; s += 7; } while (b & 128 && p < bytes.length);
    return v;
  };
  while (p < bytes.length) {
    const term = vint(), n = vint();
    const ids = new Uint32Array(n);
    for (let k = 0, last = 0; k < n; k++) ids[k] = last += vint();
    map.set(term, { ids, w: bytes.slice(p, p + n) });
    p += n;
  }
  return map;
}

/** BM25 inverse document frequency. */
const idf = (n, df) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/** Text parts [{t, m}] of a ~width-char window around the first word of `text` in `forms` (m: matched). */
function snippet(text, forms, width = 160) {
  const toks = tokenize(text);
  const hit = toks.find(t => forms.has(t.w));
  if (!hit) return null;
  let a = 0, b = text.length;
  if (b > width) {
    a = Math.max(0, Math.min(hit.i - Math.floor(width / 3), b - width));
    b = Math.min(text.length, a + width);
    if (a > 0) { const sp = text.indexOf(' ', a); a = sp >= 0 && sp < hit.i ? sp + 1 : Math.min(a, hit.i); }
    if (b < text.length) { const sp = text.lastIndexOf(' ', b); if (sp > hit.i + hit.len) b = sp; }
  }
  return marks(text, toks, forms, a, b);
}

/** Text parts [{t, m}] of text[a..b) with the words in `forms` marked, "…" at cut ends. */
function marks(text, toks, forms, a = 0, b = text.length) {
  const parts = [];
  let p = a;
  const push = (t, m) => t && parts.push({ t, m });
  if (a > 0) push('…', false);
  for (const t of toks || tokenize(text)) {
    if (t.i < a || t.i + t.len > b || !forms.has(t.w)) continue;
    push(text.slice(p, t.i), false);
    push(text.slice(t.i, t.i + t.len), true);
    p = t.i + t.len;
  }
  push(text.slice(p, b), false);
  if (b < text.length) push('…', false);
  return parts;
}

const core = {
  words, popcnt, full, fromIds, count, countAnd, andInto, orInto, has, toIds, loadFacets, filter, facetCounts,
  parseState, serialiseState, fold, tokenize, queryWords, shardPrefix, shardName, parseBucket, idf, snippet, marks
};
if (typeof module !== 'undefined' && module.exports) module.exports = core;
if (typeof document === 'undefined') return;

/* ---------- Browser ---------- */

const FILE = location.protocol === 'file:';
const $ = (s, c = document) => c.querySelector(s);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
};
const script = document.currentScript;
const siteRoot = script ? new URL('../', script.src) : new URL('./', location.href);
const plural = (n, one, many) => `${n.toLocaleString(document.documentElement.lang || undefined)} ${n === 1 ? one : many}`;
const cases = n => plural(n, 'case study', 'case studies');
const searchPath = FILE ? 'search/index.html' : 'search/';

/** Script loading (file://, where fetch is blocked): resolves with window.casebookOffline. */
let offline;
const loadOffline = root => (offline = offline || new Promise((ok, ko) => {
  if (window.casebookOffline) return ok(window.casebookOffline);
  const s = document.createElement('script');
  s.src = new URL('search/offline.js', root).href;
  s.onload = () => (window.casebookOffline ? ok(window.casebookOffline) : ko(new Error('offline.js')));
  s.onerror = ko;
  document.head.append(s);
}));

/** m.get(k), made with make(k) the first time. */
const memo = (m, k, make) => { if (!m.has(k)) m.set(k, make(k)); return m.get(k); };

/** Cached fetch: url → Promise of the body (json | arrayBuffer) or null; a failed request is tried again next time. */
const fetched = new Map();
const get = (url, type) => memo(fetched, url, () => fetch(url).then(r => (r.ok ? r[type]() : null)).catch(() => { fetched.delete(url); return null; }));

/* ---------- file:// (every page): no folder indexes, so links and forms ending in "/" get "index.html". ---------- */

/** The index.html address of a file:// folder URL; null for any other URL. */
function indexHref(u) {
  if (u.protocol !== 'file:' || !u.pathname.endsWith('/')) return null;
  u.pathname += 'index.html';
  return u.href;
}

function fixLink(e) {
  const a = e.target.closest && e.target.closest('a[href]');
  const h = a && indexHref(new URL(a.href, location.href));
  if (h) a.href = h;
}

function fixForm(e) {
  const f = e.target;
  const h = f.method !== 'post' && indexHref(new URL(f.getAttribute('action') || '', location.href));
  if (h) f.action = h;
}

/** Rewrites links and GET forms as they are used (capture phase: before anything else sees them). */
function fixFileLinks() {
  document.addEventListener('click', fixLink, true);
  document.addEventListener('auxclick', fixLink, true);
  document.addEventListener('submit', fixForm, true);
}

/* ---------- Matrices (home page): a cell opens the search page with both filters. ---------- */

const searchURL = (root, pairs) => new URL(searchPath + '?' + new URLSearchParams(pairs), root).href;

async function metaFor(root) {
  return FILE ? (await loadOffline(root)).meta : get(new URL('search/meta.json', root).href, 'json');
}

/** explore/<facet>-<slug>/<facet>-<slug>/ → [[facet, code], …] using meta.json. */
async function exploreFilters(href, root) {
  const m = /explore\/([^/]+)\/([^/]+)\/(?:index\.html)?$/.exec(new URL(href).pathname);
  const meta = m && (await metaFor(root));
  if (!meta) return null;
  const pairs = [];
  for (const seg of m.slice(1).map(decodeURIComponent)) {
    let best = null;
    for (const f of meta.facets) {
      if (!seg.startsWith(f.key + '-') || (best && best.key.length > f.key.length)) continue;
      const t = f.terms.find(t => t.s === seg.slice(f.key.length + 1));
      if (t) best = { key: f.key, code: t.c };
    }
    if (!best) return null;
    pairs.push([best.key, best.code]);
  }
  return pairs;
}

/** With the data-* attributes of the template, a cell links straight to the search page. */
function linkCells(table) {
  const rf = table.dataset.rowFacet, cf = table.dataset.colFacet;
  const head = table.tHead && table.tHead.rows[0];
  for (const a of table.querySelectorAll('td a[href]')) {
    const td = a.closest('td'), th = td.parentElement.querySelector('th[data-row]');
    const row = a.dataset.row ?? td.dataset.row ?? (th && th.dataset.row);
    const col = a.dataset.col ?? td.dataset.col ?? (head && head.cells[td.cellIndex] && head.cells[td.cellIndex].dataset.col);
    if (rf && cf && row != null && col != null) {
      a.href = searchURL(siteRoot, [[rf, row], [cf, col]]);
      a.dataset.cbSearch = '';
    }
  }
}

/** Without them, a click reads the intersection page's address (its own link is the fallback). */
function openCell(e) {
  const a = e.target.closest && e.target.closest('table.heatmap td a[href]');
  if (!a || 'cbSearch' in a.dataset || e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  const fallback = a.href;
  exploreFilters(fallback, siteRoot).catch(() => null).then(p => {
    location.href = p ? searchURL(siteRoot, p) : fallback;
  });
}

function initMatrices() {
  const tables = document.querySelectorAll('table.heatmap');
  if (!tables.length) return;
  for (const table of tables) linkCells(table);
  document.addEventListener('click', openCell);
}

/* ---------- Search page ---------- */

/** Results shown at first, and added by each "Load more". */
const BATCH = 20;

/* The search page's state, in one object passed to each step as `page`:
   el       its elements: form, q (query box), sort, panel (facets), chips, status, list (results), more;
   root, indexURL   the site root and the full-text index folder (from the form's data-root, data-index);
   meta, n, facets, shards   the catalogue: meta.json, the number of case studies, loadFacets(),
            the dictionary shards that exist; offline: the docs of offline.js on file://, else null;
   state    what the URL holds, {q, sort, sel};  text: the last full-text query and its result, {key, res};
   order, shown   the result ids in display order, and how many are on screen;
   gen      number of the latest update: an older one stops at its next step;  done: updates finished;
   timer    the pending typing debounce (0 when none);  started: when the latest update began;
   nodes    facet key → the option nodes of its terms, by term index: {li, box, num, hidden, c, empty}. */
function newSearchPage(form) {
  const root = new URL(form.dataset.root || '../', location.href);
  return {
    el: {
      form, q: $('#cb-q', form), sort: $('#cb-sort', form), panel: $('#cb-facets', form), chips: $('#cb-chips', form),
      status: $('#cb-status', form), list: $('#cb-results', form), more: $('#cb-more', form),
    },
    root,
    indexURL: form.dataset.index ? new URL(form.dataset.index, location.href) : new URL('search/index/', root),
    meta: null, n: 0, facets: [], shards: null, offline: null,
    state: null, text: { key: '', res: null }, order: [], shown: 0, gen: 0, done: 0, timer: 0, started: 0, nodes: new Map(),
  };
}

/** Tells the tests (and anyone watching data-cb-state) whether an update is under way. */
const setBusy = (page, b) => { page.el.form.dataset.cbState = b ? 'busy' : 'idle'; };

/* --- The controller: every change of state goes commit → update --- */

/** Load the catalogue, read the state from the URL, build the facet panel, listen to the controls, show. */
async function initSearch(form) {
  const page = newSearchPage(form);
  setBusy(page, true);
  let data;
  try {
    data = await loadCatalogue(page.root);
  } catch (e) {
    page.el.status.textContent = 'Search is not available: the search data could not be loaded.';
    return setBusy(page, false);
  }
  const meta = data.meta;
  Object.assign(page, { meta, n: meta.n, facets: loadFacets(meta, data.buf), shards: new Set(meta.shards), offline: data.docs });
  page.state = parseState(location.search, page.facets);
  buildPanel(page);
  listen(page);
  page.el.q.value = page.state.q;
  await update(page);
}

/** State → screen: run the query, filter, show counts and chips, sort, say how many, show the first cards.
    Each update has a number (gen); after each wait, an update that a newer one has overtaken stops. */
async function update(page) {
  const g = ++page.gen;
  page.started = performance.now();
  setBusy(page, true);
  const query = page.state.q.trim();
  if (query !== page.text.key) {
    const res = await runText(page, query);
    if (g !== page.gen) return;
    page.text = { key: query, res };
  }
  const res = page.text.res;
  const sort = sortFor(page.state.sort, res);
  showControls(page, query, sort, res);
  syncPanel(page);
  const { result, masks } = filter(page.facets, page.state.sel, res && res.set, page.n);
  showCounts(page, masks);
  showChips(page);
  const ids = await sortedIds(page, result, sort, res);
  if (g !== page.gen) return;
  page.order = ids;
  showStatus(page, query, res);
  const form = page.el.form;
  form.dataset.cbMs = (performance.now() - page.started).toFixed(1);
  page.shown = 0;
  page.el.more.hidden = true;
  await showMore(page, g, res, false, true);
  if (g !== page.gen) return;
  form.dataset.cbRenderMs = (performance.now() - page.started).toFixed(1);
  form.dataset.cbDone = String(++page.done);
  setBusy(page, page.timer !== 0);
}

/** Records the state in the URL (push for discrete actions, replace while typing) and updates. */
function commit(page, push) {
  const url = location.pathname + serialiseState(page.state, page.facets) + location.hash;
  try {
    if (url !== location.pathname + location.search + location.hash) history[push ? 'pushState' : 'replaceState'](null, '', url);
  } catch (e) { /* file:// may refuse */ }
  return update(page);
}

/** Each control changes the state, then commits it; back and forward restore it from the URL. */
function listen(page) {
  const { form, q, sort, panel, more } = page.el;
  panel.addEventListener('change', e => toggleTerm(page, e.target));
  q.addEventListener('input', () => typed(page));
  form.addEventListener('submit', e => { e.preventDefault(); searchTyped(page); });
  sort.addEventListener('change', () => { page.state.sort = sort.value; commit(page, true); });
  more.addEventListener('click', () => showMore(page, page.gen, page.text.res, true));
  addEventListener('popstate', () => {
    page.state = parseState(location.search, page.facets);
    q.value = page.state.q;
    update(page);
  });
}

function toggleTerm(page, box) {
  if (box.type !== 'checkbox') return;
  const sel = page.state.sel, cur = sel[box.name] || [];
  sel[box.name] = box.checked ? [...cur, box.value] : cur.filter(c => c !== box.value);
  if (!sel[box.name].length) delete sel[box.name];
  commit(page, true);
}

// Short debounce: the work after it takes ~20 ms at 10,000 case studies,
// so results follow typing within the 100 ms budget; words already fetched
// are cached, so fast typing costs few extra downloads.
const DEBOUNCE_MS = 50;
function typed(page) {
  setBusy(page, true);
  clearTimeout(page.timer);
  page.timer = setTimeout(() => searchTyped(page), DEBOUNCE_MS);
}

/** Searches what the box holds: after the debounce, or at once on Enter. */
function searchTyped(page) {
  clearTimeout(page.timer);
  page.timer = 0;
  page.state.q = page.el.q.value;
  commit(page, false);
}

/** The sort in force: the one chosen, but relevance only with a query; by default relevance, else newest. */
const sortFor = (sort, res) => (sort && (sort !== 'relevance' || res) ? sort : res ? 'relevance' : 'newest');

/** The sort menu shows the sort in force; the box shows the state's query unless it is being typed in. */
function showControls(page, query, sort, res) {
  const { q, sort: menu } = page.el;
  menu.value = sort;
  menu.querySelector('option[value="relevance"]').disabled = !res;
  if (document.activeElement !== q && q.value.trim() !== query) q.value = page.state.q;
}

/** The status line (a live region): how many results, or why there are none. */
function showStatus(page, query, res) {
  const msg = statusText(page.order.length, query, res, page.offline);
  if (page.el.status.textContent !== msg) page.el.status.textContent = msg;
}

function statusText(n, query, res, offline) {
  if (offline && res) return (n ? cases(n) + '. ' : 'No case studies match. ') + 'Full-text search is not available when the site is opened from a file; matching titles, summaries and tags.';
  if (res && res.missing.length) return `No case study contains ${res.missing.map(w => `“${w}”`).join(', ')}.`;
  if (res && !count(res.set)) return `No case study contains all of these words: ${query}.`;
  return n ? cases(n) : 'No case studies match these filters.';
}

/* --- Loading --- */

/** meta.json and facets.bin, or offline.js on file://: {meta, buf, docs}. Throws when they cannot be had. */
async function loadCatalogue(root) {
  if (FILE) {
    const o = await loadOffline(root);
    return { meta: o.meta, buf: Uint8Array.from(atob(o.facets), c => c.charCodeAt(0)).buffer, docs: o.docs };
  }
  const [meta, buf] = await Promise.all([get(new URL('search/meta.json', root).href, 'json'), get(new URL('search/facets.bin', root).href, 'arrayBuffer')]);
  if (!meta || !buf) throw new Error('search data');
  return { meta, buf, docs: null };
}

/* --- Facet panel --- */

const isSel = (sel, f, code) => (sel[f.key] || []).includes(code);
/** Terms without any case are left out, unless the URL selects them (or one of their descendants). */
const visible = (sel, f, t) => t.total || isSel(sel, f, t.code) || t.kids.some(k => visible(sel, f, k));
const plurals = s => (/[^aeiou]y$/.test(s) ? s.slice(0, -1) + 'ies' : s + 's');
let uid = 0;

/** A type="button" button. */
function button(cls, text, onClick) {
  const b = el('button', cls, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/** One option: a labelled checkbox and its count; its nodes go to fnodes[t.i] for the updates. */
function termOption(f, t, fnodes) {
  const li = el('li'), label = el('label'), box = el('input');
  const id = `cb-t${++uid}`;
  box.type = 'checkbox'; box.id = id; box.name = f.key; box.value = t.code;
  label.htmlFor = id;
  const name = el('span', null, t.label);
  if (t.desc) name.append(el('span', 'cb-desc', ` — ${t.desc}`));
  const c = el('span', 'count', '0');
  const hidden = el('span', 'visually-hidden', ' case studies');
  c.append(hidden);
  label.append(box, ' ', name, ' ', c);
  li.append(label);
  fnodes[t.i] = { li, box, num: c.firstChild, hidden };
  return li;
}

/** The options of `terms`, each with its visible children in a disclosure below it. */
function termList(f, terms, sel, fnodes) {
  const ul = el('ul');
  for (const t of terms) {
    const li = termOption(f, t, fnodes);
    const kids = t.kids.filter(k => visible(sel, f, k));
    if (kids.length) li.append(subList(f, t, kids, sel, fnodes));
    ul.append(li);
  }
  return ul;
}

/** Deeper levels start collapsed: a native disclosure, keyboard operable, state announced. */
function subList(f, t, kids, sel, fnodes) {
  const more = el('details', 'cb-sub'), sum = el('summary', null, plurals(f.levels[t.depth + 1] || 'Option'));
  sum.append(el('span', 'visually-hidden', ` of ${t.label}`));
  more.append(sum, termList(f, kids, sel, fnodes));
  return more;
}

/** Long lists show 8 options and "Show all N"; fs.cbSet(open) re-applies it after each update. */
function addShowAll(fs, extra, total) {
  const btn = button('cb-all', null, () => set(btn.getAttribute('aria-expanded') !== 'true'));
  btn.setAttribute('aria-expanded', 'false');
  const set = open => {
    btn.setAttribute('aria-expanded', String(open));
    btn.textContent = open ? 'Show fewer' : `Show all ${total}`;
    for (const li of extra) li.hidden = !open && !li.querySelector('input:checked') && !li.contains(document.activeElement);
  };
  fs.append(btn);
  fs.cbSet = set;
  set(false);
}

/** A fieldset per facet (with any term to show), built once; updates then change counts and boxes. */
function buildPanel(page) {
  page.el.panel.textContent = '';
  for (const f of page.facets) {
    const fnodes = [];
    const tops = f.terms.filter(t => t.parent < 0 && visible(page.state.sel, f, t));
    if (!tops.length) continue;
    const fs = el('fieldset');
    fs.append(el('legend', null, f.label));
    const ul = termList(f, tops, page.state.sel, fnodes);
    fs.append(ul);
    if (tops.length > 10) addShowAll(fs, [...ul.children].slice(8), tops.length);
    page.nodes.set(f.key, fnodes);
    page.el.panel.append(fs);
  }
}

/** Boxes checked as the state says, and every checked option in view. */
function syncPanel(page) {
  for (const f of page.facets) {
    const fnodes = page.nodes.get(f.key);
    if (!fnodes) continue;
    for (const nd of fnodes) if (nd) nd.box.checked = isSel(page.state.sel, f, nd.box.value);
    openAncestors(f, fnodes, page.state.sel[f.key] || []);
    const first = fnodes.find(Boolean), fs = first && first.li.closest('fieldset');
    if (fs && fs.cbSet) fs.cbSet(fs.querySelector('.cb-all').getAttribute('aria-expanded') === 'true');
  }
}

function openAncestors(f, fnodes, codes) {
  for (const code of codes) {
    for (let t = f.byCode.get(code); t && t.parent >= 0; ) {
      t = f.terms[t.parent];
      const d = fnodes[t.i] && fnodes[t.i].li.querySelector(':scope > details');
      if (d) d.open = true;
    }
  }
}

/** Each option's disjunctive count; the DOM is touched only where it changed. */
function showCounts(page, masks) {
  page.facets.forEach((f, i) => {
    const fnodes = page.nodes.get(f.key);
    if (!fnodes) return;
    const counts = facetCounts(f, masks[i]);
    fnodes.forEach((nd, k) => showCount(nd, counts[k]));
  });
}

function showCount(nd, c) {
  const empty = c === 0 && !nd.box.checked;
  if (nd.c !== c) {
    if ((nd.c === 1) !== (c === 1)) nd.hidden.textContent = c === 1 ? ' case study' : ' case studies';
    nd.num.nodeValue = nd.c = c;
  }
  if (nd.empty !== empty) nd.li.classList.toggle('is-empty', (nd.empty = empty));
}

/** A removable chip per active filter, then "Clear all"; removing one keeps the focus among them. */
function showChips(page) {
  const chips = page.el.chips;
  const focused = chips.contains(document.activeElement) ? [...chips.querySelectorAll('button')].indexOf(document.activeElement) : -1;
  chips.textContent = '';
  for (const f of page.facets) for (const code of page.state.sel[f.key] || []) chips.append(filterChip(page, f, code));
  if (chips.firstChild) chips.append(button('cb-clear', 'Clear all', () => { page.state.sel = {}; commit(page, true); }));
  if (focused >= 0) {
    const bs = chips.querySelectorAll('button');
    (bs.length > 1 ? bs[Math.min(focused, bs.length - 2)] : page.el.q).focus();
  }
}

function filterChip(page, f, code) {
  const t = f.byCode.get(code);
  const chip = el('span', 'chip', t.label + ' ');
  const x = button('chip-remove', '×', () => {
    page.state.sel[f.key] = page.state.sel[f.key].filter(c => c !== code);
    commit(page, true);
  });
  x.setAttribute('aria-label', `Remove filter: ${t.label}`);
  chip.append(x);
  return chip;
}

/* --- Full text --- */

const MIN_PREFIX = 3, MAX_PREFIX_TERMS = 12;

/** Parsed postings buckets by URL: each is fetched and decoded once. */
const buckets = new Map();
const getBucket = (page, b) => memo(buckets, new URL(`p-${b}.bin`, page.indexURL).href,
  url => get(url, 'arrayBuffer').then(x => (x ? parseBucket(new Uint8Array(x)) : new Map())));

/** A query word → {w, set, score, forms}: the docs having it, their scores, the forms of the corpus it matched. */
async function searchWord(page, { w, prefix }) {
  // The first letters of a word being typed narrow nothing yet: wait for a
  // third rather than report "no case study contains r" (or fetch "a").
  if (prefix && [...w].length < MIN_PREFIX) return { w, pending: true };
  // Only the shards of prefixes the corpus uses exist: any other word (the
  // first letter of a query being typed, often) is a miss without a request.
  const listed = page.shards.has(shardPrefix(w));
  const shard = (listed && (await get(new URL(shardName(w), page.indexURL).href, 'json'))) || {};
  const terms = wordTerms(shard, w, prefix);
  const { set, score } = await scoreTerms(page, terms);
  return { w, set, score, forms: Object.keys(shard).filter(f => shard[f].some(id => terms.has(id))) };
}

/** Term ids of a word in its dictionary shard: its own form's, and those of longer forms when it is a prefix. */
function wordTerms(shard, w, prefix) {
  const forms = Object.keys(shard);
  const terms = new Set();
  // A word the corpus never uses in that form ("register" when it says
  // "registered") matches as a prefix, since the browser cannot stem.
  const exact = forms.includes(w);
  if (exact) for (const id of shard[w]) terms.add(id);
  const asPrefix = (prefix || !exact) && [...w].length >= MIN_PREFIX;
  if (!asPrefix) return terms;
  // Shortest forms first, capped: a short prefix must not fetch the whole index.
  const longer = forms.filter(f => f !== w && f.startsWith(w)).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  for (const f of longer) {
    if (terms.size >= MAX_PREFIX_TERMS) break;
    for (const id of shard[f]) terms.add(id);
  }
  return terms;
}

/** Docs having any of `terms`, each scored by its best term (a prefix's expansions do not add up). */
async function scoreTerms(page, terms) {
  const n = page.n, score = new Float64Array(n), set = new Uint32Array(words(n));
  await Promise.all([...terms].map(async t => {
    const p = (await getBucket(page, t % page.meta.buckets)).get(t);
    if (!p) return;
    const f = idf(n, p.ids.length);
    p.ids.forEach((d, k) => {
      const s = f * p.w[k];
      if (s > score[d]) score[d] = s;
      set[d >>> 5] |= 1 << (d & 31);
    });
  }));
  return { set, score };
}

/** The offline docs' folded words: [title words, summary and tag words], made on the first search. */
let haystacks;
/** Offline fallback: words (prefix-matched) in titles, summaries and tags. */
function searchOffline(page, ws) {
  const n = page.n;
  haystacks = haystacks || page.offline.map(d => [tokenize(d.t).map(t => t.w), tokenize([d.s, ...(d.v || []), ...(d.g || [])].join(' \n ')).map(t => t.w)]);
  return ws.map(({ w }) => {
    const score = new Float64Array(n), set = new Uint32Array(words(n)), forms = new Set();
    haystacks.forEach(([title, rest], d) => {
      let s = 0;
      for (const x of title) if (x.startsWith(w)) { s = 5; forms.add(x); }
      for (const x of rest) if (x.startsWith(w)) { s = s || 2; forms.add(x); }
      if (s) { score[d] = s; set[d >>> 5] |= 1 << (d & 31); }
    });
    return { w, set, score, forms: [...forms] };
  });
}

/** A query → {set, score, forms, missing}: docs with every word, summed scores, the forms to mark, words
    found nowhere; null when there is nothing to search yet. */
async function runText(page, query) {
  const ws = queryWords(query);
  if (!ws.length) return null;
  const per = (page.offline ? searchOffline(page, ws) : await Promise.all(ws.map(w => searchWord(page, w)))).filter(r => !r.pending);
  if (!per.length) return null;
  const n = page.n, set = full(n), score = new Float64Array(n), forms = new Set();
  for (const r of per) {
    andInto(set, r.set);
    for (let d = 0; d < n; d++) score[d] += r.score[d];
    r.forms.forEach(f => forms.add(f));
  }
  return { set, score, forms, missing: per.filter(r => !count(r.set)).map(r => r.w) };
}

/* --- Results --- */

/** Doc fragments by id, each fetched once (from offline.js on file://). */
const docCache = new Map();
const getDoc = (page, id) => (page.offline ? Promise.resolve(page.offline[id])
  : memo(docCache, id, () => get(new URL(`search/docs/${id}.json`, page.root).href, 'json')));

/** Doc ids by title, loaded on the first sort by title: order.bin, or collated from offline.js. */
let titleOrder = null;
async function loadTitleOrder(page) {
  const docs = page.offline;
  if (docs) {
    const coll = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    return (titleOrder = docs.map((d, i) => i).sort((a, b) => coll.compare(docs[a].t, docs[b].t) || a - b));
  }
  const b = await get(new URL('search/order.bin', page.root).href, 'arrayBuffer');
  return (titleOrder = b && new Uint32Array(b));
}

/** The ids of a result bitmap in the order of `sort` (newest is id order). */
async function sortedIds(page, result, sort, res) {
  const ids = toIds(result);
  if (sort === 'relevance' && res) return ids.sort((a, b) => res.score[b] - res.score[a] || a - b);
  if (sort !== 'title') return ids;
  const order = titleOrder || (await loadTitleOrder(page));
  return order ? Array.from(order).filter(i => has(result, i)) : ids;
}

/** Text parts into a node as text, the matched ones in <mark>: never as HTML. */
const fill = (node, parts) => {
  for (const p of parts) node.append(p.m ? el('mark', null, p.t) : document.createTextNode(p.t));
  return node;
};

const dateFmt = new Map();
/** A YYYY-MM-DD date as the theme's pages show it ("13 April 2017"), in the case study's language. */
function showDate(d, lang) {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(d);
  if (!m) return d;
  try {
    const fmt = memo(dateFmt, lang, () => new Intl.DateTimeFormat(/^en\b/.test(lang || 'en') ? 'en-GB' : lang, { numberingSystem: 'latn', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }));
    return fmt.format(new Date(Date.UTC(+m[1], m[2] - 1, +m[3])));
  } catch (e) { return d; }
}

/** A result card, as the theme's card.html writes one; with a query, the matched words are marked. */
function card(root, d, res) {
  const li = el('li'), art = el('article', 'card'), h = el('h2', 'card-title'), a = el('a');
  if (d.l) art.lang = d.l;
  if (d.r) art.dir = d.r;
  a.href = new URL(d.u, root).href;
  if (res) fill(a, marks(d.t, null, res.forms)); else a.textContent = d.t;
  h.append(a);
  art.append(h);
  if (d.d) art.append(cardDate(d));
  const snip = res && ((d.x && snippet(d.x, res.forms)) || (d.s && snippet(d.s, res.forms)));
  if (snip) art.append(fill(el('p', 'card-snippet'), snip));
  else if (d.s) art.append(el('p', 'card-summary', d.s));
  const tags = cardTags(d, res);
  if (tags) art.append(tags);
  li.append(art);
  return li;
}

function cardDate(d) {
  const p = el('p', 'card-date'), t = el('time', null, showDate(d.d, d.l));
  t.dateTime = d.d;
  t.dir = 'auto';
  p.append(t);
  return p;
}

/** Tags are labels, not links: one link per card, as in card.html. Matched words are marked in them
    too: a case may match by a tag alone. */
function cardTags(d, res) {
  const tag = cls => l => (res ? fill(el('li', cls), marks(l, null, res.forms)) : el('li', cls, l));
  const tags = [...(d.v || []).map(tag('chip chip-level')), ...(d.g || []).map(tag('chip'))];
  if (!tags.length) return null;
  const ul = el('ul', 'chips card-tags');
  ul.append(...tags);
  return ul;
}

/** Appends the next batch of results, or replaces the list once the new
 *  cards are fetched (so it never goes blank while they load). */
async function showMore(page, g, res, focus, replace = false) {
  const { list, more } = page.el;
  const ids = page.order.slice(page.shown, page.shown + BATCH);
  const docs = await Promise.all(ids.map(id => getDoc(page, id)));
  if (g !== page.gen) return;
  const first = replace ? 0 : list.children.length;
  const cards = docs.filter(Boolean).map(d => card(page.root, d, res));
  if (replace) list.replaceChildren(...cards); else list.append(...cards);
  page.shown += ids.length;
  more.hidden = page.shown >= page.order.length;
  if (focus && list.children[first]) $('a', list.children[first]).focus();
}

/* ---------- Start ---------- */

if (FILE) fixFileLinks();
initMatrices();
const form = document.getElementById('cb-search');
if (form) initSearch(form);
})();
