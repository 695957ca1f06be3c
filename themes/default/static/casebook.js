/* Casebook portal client (ES2020, no dependencies; data format: src/search/FORMAT.md). Parts:
   1. Core: bitsets, facet counts, URL state, words, index, snippets. No DOM; unit-tested.
   2. Browser helpers: DOM, cached fetch, offline.js (file://).
   3. file://: links and forms to a folder get its index.html.
   4. Matrices (home page): a cell opens the search page with both filters.
   5. Search page: its state `pg`; initSearch; commit (state → URL) → update (query, filter,
      counts, chips, sort, status, cards); then the facet panel, full text, results.
   6. Narrow screens: the filter panel folded behind "Filters (n)"; edges of scroll boxes.
   7. Start. */
(() => {
'use strict';

/* ---------- 1. Core ---------- */

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
  return { q: p.get('q') || '', sort: SORTS.includes(sort) ? sort : '', sel, all: p.get('all') === '1' };
}

/** {q, sort, sel} → "?q=…&sort=…&<facet>=<code>…" in facet order ("" when empty). */
function serialiseState(state, facets) {
  const p = new URLSearchParams();
  if (state.q.trim()) p.append('q', state.q.trim());
  if (state.sort) p.append('sort', state.sort);
  if (state.all) p.append('all', '1');
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

/** A postings bucket → Map(term id → {ids: Uint32Array, w: Uint8Array}). A term in more than an
    eighth of the `n` docs has its ids as a bitmap of ceil(n / 8) bytes, not as gaps. */
function parseBucket(bytes, n) {
  const map = new Map();
  let p = 0;
  const vint = () => {
    let v = 0, s = 0, b;
    do { b = bytes[p++]; v += (b & 127) * 2 ** s; s += 7; } while (b & 128 && p < bytes.length);
    return v;
  };
  while (p < bytes.length) {
    const term = vint(), count = vint();
    const ids = new Uint32Array(count);
    if (8 * count > n) {
      for (let d = 0, k = 0; k < count; d++) if ((bytes[p + (d >>> 3)] >>> (d & 7)) & 1) ids[k++] = d;
      p += (n + 7) >>> 3;
    } else for (let k = 0, last = 0; k < count; k++) ids[k] = last += vint();
    map.set(term, { ids, w: bytes.slice(p, p + count) });
    p += count;
  }
  return map;
}

/** BM25 inverse document frequency. */
const idf = (n, df) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/** Sentences of a text as [start, end, ends its block]: cut at line breaks (the excerpt's block
    ends: a heading is never run into the sentence after it) and after ". ", "? ", "; " and the like. */
function sentences(text) {
  const out = [], re = /[.!?;:؟。]+["'”’»)\]]*(?=\s)|\n/g;
  const blockEnd = i => { while (text[i] === ' ') i++; return i >= text.length || text[i] === '\n'; };
  let a = 0;
  for (const m of text.matchAll(re)) {
    const b = m[0] === '\n' ? m.index : m.index + m[0].length;
    if (b > a) out.push([a, b, blockEnd(b)]);
    a = m.index + m[0].length;
    while (a < text.length && text[a] === ' ') a++;
  }
  if (a < text.length) out.push([a, text.length, true]);
  return out;
}

/** Text parts [{t, m}] (m: matched) of the sentence of `text` that best matches: the most query
    words (`groups`: per word, {w: the word typed, forms: the forms it matched}; by default each
    form is a word), then the most matches as typed ("information" before "informal", which
    stems alike), then the most matches. A long sentence is cut to ~width characters around its
    first match; a short one is followed by the next ones of its block while they fit.
    `parts.rank` compares two texts' snippets; null when nothing matches. */
function snippet(text, forms, width = 160, groups = null) {
  const toks = tokenize(text).filter(t => forms.has(t.w));
  if (!toks.length) return null;
  const gs = groups || [...forms].map(f => ({ w: f, forms: new Set([f]) }));
  const literal = t => gs.some(g => t.w.startsWith(g.w));
  let best = null;
  const ss = sentences(text);
  ss.forEach(([a, b], k) => {
    const hits = toks.filter(t => t.i >= a && t.i < b);
    if (!hits.length) return;
    const rank = [gs.filter(g => hits.some(h => g.forms.has(h.w))).length, hits.filter(literal).length, hits.length];
    if (!best || better(rank, best.rank)) best = { k, a, b, hit: hits.find(literal) || hits[0], rank };
  });
  let { k, a, b, hit } = best;
  if (b - a > width) {
    a = Math.max(a, Math.min(hit.i - Math.floor(width / 3), b - width));
    const end = Math.min(b, a + width);
    if (a > best.a) { const sp = text.indexOf(' ', a); a = sp >= 0 && sp < hit.i ? sp + 1 : Math.min(a, hit.i); }
    if (end < b) { const sp = text.lastIndexOf(' ', end); b = sp > hit.i + hit.len ? sp : end; }
  } else {
    while (!ss[k][2] && ss[k + 1] && ss[k + 1][1] - a <= width) b = ss[++k][1];
  }
  const parts = marks(text, toks, forms, a, b);
  parts.rank = best.rank;
  return parts;
}

/** Whether snippet rank `x` beats `y`: compared item by item. */
const better = (x, y) => { const k = x.findIndex((v, i) => v !== y[i]); return k >= 0 && x[k] > y[k]; };

/** The best of several texts' snippets (an excerpt, a summary; the first wins ties), or null. */
const bestSnippet = (texts, forms, groups) => texts.map(t => t && snippet(t, forms, 160, groups)).filter(Boolean)
  .reduce((x, y) => (!x || better(y.rank, x.rank) ? y : x), null);

const MIN_PREFIX = 3, MAX_PREFIX_TERMS = 12;

/** Term ids of a word's form, and of longer forms when a prefix. */
function wordTerms(shard, w, prefix) {
  const forms = Object.keys(shard), terms = new Set();
  // A word the corpus never uses in that form ("register" when it says
  // "registered") matches as a prefix, since the browser cannot stem.
  const exact = forms.includes(w);
  if (exact) for (const id of shard[w]) terms.add(id);
  if (!((prefix || !exact) && [...w].length >= MIN_PREFIX)) return terms;
  // Shortest forms first, capped: a short prefix must not fetch the whole index.
  const longer = forms.filter(f => f !== w && f.startsWith(w)).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  for (const f of longer) {
    if (terms.size >= MAX_PREFIX_TERMS) break;
    for (const id of shard[f]) terms.add(id);
  }
  return terms;
}

/** One query word's docs and scores. One idf per word: its terms (the stems of its form in each
    language, and a prefix's expansions) count as one word, so a doc holding any of them counts
    once in its document frequency and scores by its best weight among them. */
async function scoreTerms(index, terms) {
  const n = index.n, best = new Uint8Array(n), set = new Uint32Array(words(n));
  const lists = await Promise.all([...terms].map(async t => (await index.bucket(t % index.buckets)).get(t)));
  for (const p of lists) {
    if (!p) continue;
    p.ids.forEach((d, k) => {
      if (p.w[k] > best[d]) best[d] = p.w[k];
      set[d >>> 5] |= 1 << (d & 31);
    });
  }
  const f = idf(n, count(set)), score = new Float64Array(n);
  for (let d = 0; d < n; d++) if (best[d]) score[d] = f * best[d];
  return { set, score };
}

async function searchWord(index, { w, prefix }) {
  // The first letters of a word being typed narrow nothing yet: wait for a
  // third rather than report "no case study contains r" (or fetch "a").
  if (prefix && [...w].length < MIN_PREFIX) return { w, pending: true };
  // Only the shards of prefixes the corpus uses exist: any other word (the
  // first letter of a query being typed, often) is a miss without a request.
  const shard = (index.shards.has(shardPrefix(w)) && (await index.shard(shardName(w)))) || {};
  const terms = wordTerms(shard, w, prefix);
  const { set, score } = await scoreTerms(index, terms);
  return { w, set, score, forms: Object.keys(shard).filter(f => shard[f].some(id => terms.has(id))) };
}

/** The docs holding every word of `query`, scored: {set, score, forms (every matched form),
    groups (per word: {w, forms}), missing (words no doc holds)}, or null for no word yet.
    `index`: {n, buckets, shards (a Set of prefixes), shard(file name) → Promise of a dictionary
    shard or null, bucket(number) → Promise of parseBucket's Map}. The search page and the
    relevance tests (tests/relevance/) both rank through here. */
async function rank(index, query) {
  const ws = queryWords(query);
  if (!ws.length) return null;
  const per = (await Promise.all(ws.map(w => searchWord(index, w)))).filter(r => !r.pending);
  if (!per.length) return null;
  const n = index.n, set = full(n), score = new Float64Array(n), forms = new Set();
  for (const r of per) {
    andInto(set, r.set);
    for (let d = 0; d < n; d++) score[d] += r.score[d];
    r.forms.forEach(f => forms.add(f));
  }
  const groups = per.map(r => ({ w: r.w, forms: new Set(r.forms) }));
  return { set, score, forms, groups, missing: per.filter(r => !count(r.set)).map(r => r.w) };
}

/** Doc ids by relevance: score, then newest (the lower id). Sorts `ids` in place. */
const byScore = (ids, score) => ids.sort((a, b) => score[b] - score[a] || a - b);

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
  parseState, serialiseState, fold, tokenize, queryWords, shardPrefix, shardName, parseBucket, idf, sentences, snippet,
  bestSnippet, marks, wordTerms, rank, byScore
};
if (typeof module !== 'undefined' && module.exports) module.exports = core;
if (typeof document === 'undefined') return;

/* ---------- 2. Browser helpers ---------- */

const FILE = location.protocol === 'file:';
const $ = (s, c = document) => c.querySelector(s);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
};
const script = document.currentScript;
// The root of the page's language edition: data-root on the script where the theme's files are
// shared from the site root above it (/fr/ pages load /assets/casebook.js).
// An edition's home page has data-root="" (itself), which must not read as absent.
const siteRoot = script && script.dataset.root != null ? new URL(script.dataset.root, location.href)
  : script ? new URL('../', script.src) : new URL('./', location.href);
/* The page's words: the JSON of #cb-strings (the search page's, from the theme's translation files,
   keys `js.*` without `js.`). say(key, {name: value}, n) takes the plural form of n that
   Intl.PluralRules gives in the page's language (or `other`), and fills {n}, the count written
   the locale's way in Latin digits as the generator writes it, and {name}. */
const pageLang = document.documentElement.lang || 'en';
const STRINGS = (() => {
  const island = document.getElementById('cb-strings');
  try { return island ? JSON.parse(island.textContent) : {}; } catch (e) { return {}; }
})();
const intl = (make, fallback) => { try { return make(pageLang); } catch (e) { return make(fallback); } };
const pluralRules = intl(l => new Intl.PluralRules(l), 'en');
const numbers = intl(l => new Intl.NumberFormat(l.includes('-u-') ? l : `${l}-u-nu-latn`), 'en');
const say = (key, vars = {}, n) => {
  let text = STRINGS[key];
  if (text && typeof text === 'object') text = text[n == null ? 'other' : pluralRules.select(n)] ?? text.other;
  if (text == null) return key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name === 'n' && n != null ? numbers.format(n) : name in vars ? vars[name] : m));
};
const cases = n => say('cases', {}, n);

/** Loads offline.js once: resolves with window.casebookOffline. */
let offline;
const loadOffline = root => (offline = offline || new Promise((ok, ko) => {
  if (window.casebookOffline) return ok(window.casebookOffline);
  const s = el('script');
  s.src = new URL('search/offline.js', root).href;
  s.onload = () => (window.casebookOffline ? ok(window.casebookOffline) : ko(new Error('offline.js')));
  s.onerror = ko;
  document.head.append(s);
}));

const memo = (m, k, make) => { if (!m.has(k)) m.set(k, make(k)); return m.get(k); };

/** Cached fetch: url → Promise of the body (json | arrayBuffer) or null. */
const fetched = new Map();
const get = (url, type) => memo(fetched, url, () => fetch(url).then(r => (r.ok ? r[type]() : null)).catch(() => { fetched.delete(url); return null; }));

/* ---------- 3. file:// ---------- */

/** No folder indexes on file://: a folder's URL → its index.html. */
function indexHref(u) {
  if (u.protocol !== 'file:' || !u.pathname.endsWith('/')) return null;
  u.pathname += 'index.html';
  return u.href;
}

/** By attribute: an SVG link's (a map's country) `href` is no string. */
function fixLink(e) {
  const a = e.target.closest && e.target.closest('a[href]');
  const h = a && indexHref(new URL(a.getAttribute('href'), location.href));
  if (h) a.setAttribute('href', h);
}

function fixForm(e) {
  const f = e.target;
  const h = f.method !== 'post' && indexHref(new URL(f.getAttribute('action') || '', location.href));
  if (h) f.action = h;
}

function fixFileLinks() {
  document.addEventListener('click', fixLink, true);
  document.addEventListener('auxclick', fixLink, true);
  document.addEventListener('submit', fixForm, true);
}

/* ---------- 4. Matrices (home page) ---------- */

const searchURL = (root, pairs) => new URL((FILE ? 'search/index.html?' : 'search/?') + new URLSearchParams(pairs), root).href;

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

/** Cells without data attributes: read the intersection page's address. */
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

/* ---------- 5. Search page ---------- */

const BATCH = 20; // cards per "Load more"
/** data-cb-*: for tests and benches. */
const setBusy = (form, b) => { form.dataset.cbState = b ? 'busy' : 'idle'; };

/* --- Controller --- */

async function initSearch(form) {
  const root = new URL(form.dataset.root || '../', location.href);
  setBusy(form, true);
  let data;
  try {
    data = await loadCatalogue(root);
  } catch (e) {
    $('#cb-status', form).textContent = say('unavailable');
    return setBusy(form, false);
  }
  const pg = newSearchPage(form, root, data);
  pg.index = pageIndex(pg);
  pg.state = parseState(location.search, pg.facets);
  buildPanel(pg);
  listen(pg);
  initCharts(pg);
  pg.el.q.value = pg.state.q;
  await update(pg);
}

/** The search page's state, passed to each step as `pg`. state: the URL's {q, sort, sel}; text: the
    last query and its result; order: result ids, `shown` of them shown; gen, done: updates begun,
    finished; nodes: per facet, the options; offline: offline.js's docs (file://). */
function newSearchPage(form, root, { meta, buf, docs }) {
  const $f = s => $(s, form);
  return {
    el: { form, q: $f('#cb-q'), sort: $f('#cb-sort'), panel: $f('#cb-facets'), chips: $f('#cb-chips'), status: $f('#cb-status'), list: $f('#cb-results'), more: $f('#cb-more') },
    root, indexURL: form.dataset.index ? new URL(form.dataset.index, location.href) : new URL('search/index/', root),
    meta, n: meta.n, facets: loadFacets(meta, buf), shards: new Set(meta.shards), offline: docs, index: null,
    state: null, result: null, charts: null, text: { key: '', res: null }, order: [], shown: 0, gen: 0, done: 0, timer: 0, nodes: new Map(),
  };
}

/** State → screen; after each wait, it stops if a newer update began. */
async function update(pg) {
  const g = ++pg.gen, form = pg.el.form, started = performance.now();
  setBusy(form, true);
  const query = pg.state.q.trim();
  if (query !== pg.text.key) {
    const res = await runText(pg, query);
    if (g !== pg.gen) return;
    pg.text = { key: query, res };
  }
  const res = pg.text.res, sort = sortFor(pg.state.sort, res);
  showControls(pg, query, sort, res);
  syncPanel(pg);
  const { result, masks } = filter(pg.facets, pg.state.sel, ownLanguage(pg, res && res.set), pg.n);
  pg.result = result;
  showCounts(pg, masks);
  if (pg.charts) pg.charts.paint(pg);
  showChips(pg);
  const ids = await sortedIds(pg, result, sort, res);
  if (g !== pg.gen) return;
  pg.order = ids;
  showStatus(pg, query, res);
  showFilterCount(pg);
  form.dataset.cbMs = (performance.now() - started).toFixed(1);
  pg.shown = 0;
  pg.el.more.hidden = true;
  await showMore(pg, g, res, false, true);
  if (g !== pg.gen) return;
  form.dataset.cbRenderMs = (performance.now() - started).toFixed(1);
  form.dataset.cbDone = String(++pg.done);
  setBusy(form, pg.timer !== 0);
}

/** In the edition of a language other than the portal's default, its own case studies come first
    (doc ids 0..meta.own-1) and the untranslated ones after: a query searches its own unless widened
    to all languages (the "all" box, ?all=1). Filters alone list all of them, as its pages do.
    `base` (the query's docs, null without a query) is narrowed. */
function ownLanguage(pg, base) {
  if (pg.meta.own == null || pg.state.all || !base) return base;
  const m = new Uint32Array(words(pg.n));
  for (let i = 0; i < pg.meta.own; i++) m[i >>> 5] |= 1 << (i & 31);
  andInto(m, base);
  return m;
}

/** Records the state in the URL (push for discrete actions, replace while typing) and updates. */
function commit(pg, push) {
  const url = location.pathname + serialiseState(pg.state, pg.facets) + location.hash;
  try {
    if (url !== location.pathname + location.search + location.hash) history[push ? 'pushState' : 'replaceState'](null, '', url);
  } catch (e) { /* file:// may refuse */ }
  return update(pg);
}

function listen(pg) {
  const { form, q, sort, panel, more } = pg.el;
  panel.addEventListener('change', e => {
    const box = e.target, sel = pg.state.sel;
    if (box.type !== 'checkbox') return;
    const cur = sel[box.name] || [];
    sel[box.name] = box.checked ? [...cur, box.value] : cur.filter(c => c !== box.value);
    if (!sel[box.name].length) delete sel[box.name];
    commit(pg, true);
  });
  q.addEventListener('input', () => {
    setBusy(form, true);
    clearTimeout(pg.timer);
    pg.timer = setTimeout(() => searchTyped(pg), DEBOUNCE_MS);
  });
  form.addEventListener('submit', e => { e.preventDefault(); searchTyped(pg); });
  sort.addEventListener('change', () => { pg.state.sort = sort.value; commit(pg, true); });
  const all = $('#cb-all', form);
  if (all) all.addEventListener('change', () => { pg.state.all = all.checked; commit(pg, true); });
  more.addEventListener('click', () => showMore(pg, pg.gen, pg.text.res, true));
  addEventListener('popstate', () => {
    pg.state = parseState(location.search, pg.facets);
    q.value = pg.state.q;
    update(pg);
  });
}

// Short debounce: the work after it takes ~20 ms at 10,000 case studies,
// so results follow typing within the 100 ms budget; words already fetched
// are cached, so fast typing costs few extra downloads.
const DEBOUNCE_MS = 50;
function searchTyped(pg) {
  clearTimeout(pg.timer);
  pg.timer = 0;
  pg.state.q = pg.el.q.value;
  commit(pg, false);
}

/** Relevance needs a query; the default is relevance, else newest. */
const sortFor = (sort, res) => (sort && (sort !== 'relevance' || res) ? sort : res ? 'relevance' : 'newest');

function showControls(pg, query, sort, res) {
  const { q, sort: menu } = pg.el;
  menu.value = sort;
  const all = $('#cb-all', pg.el.form);
  if (all) all.checked = pg.state.all;
  menu.querySelector('option[value="relevance"]').disabled = !res;
  if (document.activeElement !== q && q.value.trim() !== query) q.value = pg.state.q;
}

function showStatus(pg, query, res) {
  const n = pg.order.length, status = pg.el.status;
  let msg;
  if (res && res.missing.length) {
    msg = say('missing_words', { words: res.missing.map(word => say('word', { word })).join(say('word_separator')) });
  } else if (res && !count(res.set)) msg = say('no_all_words', { query });
  else msg = n ? cases(n) : say('no_match');
  if (status.textContent !== msg) status.textContent = msg;
}

async function loadCatalogue(root) {
  if (FILE) {
    const o = await loadOffline(root);
    return { meta: o.meta, buf: Uint8Array.from(atob(o.facets), c => c.charCodeAt(0)).buffer, docs: o.docs };
  }
  const [meta, buf] = await Promise.all([metaFor(root), get(new URL('search/facets.bin', root).href, 'arrayBuffer')]);
  if (!meta || !buf) throw new Error('search data');
  return { meta, buf, docs: null };
}

/* --- Facet panel --- */

const isSel = (sel, f, code) => (sel[f.key] || []).includes(code);
// Terms without any case are left out, unless the URL selects them (or one of their descendants).
const visible = (sel, f, t) => t.total || isSel(sel, f, t.code) || t.kids.some(k => visible(sel, f, k));
/** A level's name in the plural: the theme's (`level.*` keys), else English's rule. */
const plurals = s => (STRINGS.levels && STRINGS.levels[s]) || (/[^aeiou]y$/.test(s) ? s.slice(0, -1) + 'ies' : s + 's');
let uid = 0;

function button(cls, text, onClick) {
  const b = el('button', cls, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function buildPanel(pg) {
  const { panel } = pg.el, sel = pg.state.sel;
  panel.textContent = '';
  for (const f of pg.facets) {
    const fnodes = [];
    const tops = f.terms.filter(t => t.parent < 0 && visible(sel, f, t));
    if (!tops.length) continue;
    const fs = el('fieldset');
    fs.append(el('legend', null, f.label));
    const ul = termList(f, tops, sel, fnodes);
    fs.append(ul);
    if (tops.length > 10) addShowAll(fs, [...ul.children].slice(8), tops.length);
    pg.nodes.set(f.key, fnodes);
    panel.append(fs);
  }
}

function termList(f, terms, sel, fnodes) {
  const ul = el('ul');
  for (const t of terms) {
    const li = termOption(f, t, fnodes);
    const kids = t.kids.filter(k => visible(sel, f, k));
    if (kids.length) {
      // Deeper levels start collapsed: a native disclosure, keyboard operable, state announced.
      const more = el('details', 'cb-sub'), sum = el('summary', null, f.levels[t.depth + 1] ? plurals(f.levels[t.depth + 1]) : say('options'));
      sum.append(el('span', 'visually-hidden', say('sub_of', { label: t.label })));
      more.append(sum, termList(f, kids, sel, fnodes));
      li.append(more);
    }
    ul.append(li);
  }
  return ul;
}

function termOption(f, t, fnodes) {
  const li = el('li'), label = el('label'), box = el('input');
  const id = `cb-t${++uid}`;
  Object.assign(box, { type: 'checkbox', id, name: f.key, value: t.code });
  label.htmlFor = id;
  const name = el('span', null, t.label);
  if (t.desc) name.append(el('span', 'cb-desc', ` — ${t.desc}`));
  const c = el('span', 'count', '0');
  const hidden = el('span', 'visually-hidden', say('cases_hidden'));
  c.append(hidden);
  label.append(box, ' ', name, ' ', c);
  li.append(label);
  fnodes[t.i] = { li, box, num: c.firstChild, hidden };
  return li;
}

/** 8 options, then "Show all"; fs.cbSet() reapplies it after updates. */
function addShowAll(fs, extra, total) {
  const btn = button('cb-all', null, () => set(btn.getAttribute('aria-expanded') !== 'true'));
  btn.setAttribute('aria-expanded', 'false');
  const set = (open = btn.getAttribute('aria-expanded') === 'true') => {
    btn.setAttribute('aria-expanded', String(open));
    btn.textContent = open ? say('show_fewer') : say('show_all', {}, total);
    for (const li of extra) li.hidden = !open && !li.querySelector('input:checked') && !li.contains(document.activeElement);
  };
  fs.append(btn);
  fs.cbSet = set;
  set(false);
}

function syncPanel(pg) {
  const sel = pg.state.sel;
  for (const f of pg.facets) {
    const fnodes = pg.nodes.get(f.key);
    if (!fnodes) continue;
    for (const nd of fnodes) if (nd) nd.box.checked = isSel(sel, f, nd.box.value);
    // Show checked options: open their ancestors, and the "Show all" part.
    for (const code of sel[f.key] || []) {
      for (let t = f.byCode.get(code); t && t.parent >= 0; ) {
        t = f.terms[t.parent];
        const d = fnodes[t.i] && fnodes[t.i].li.querySelector(':scope > details');
        if (d) d.open = true;
      }
    }
    const first = fnodes.find(Boolean), fs = first && first.li.closest('fieldset');
    if (fs && fs.cbSet) fs.cbSet();
  }
}

function showCounts(pg, masks) {
  pg.facets.forEach((f, i) => {
    const fnodes = pg.nodes.get(f.key);
    if (!fnodes) return;
    const counts = facetCounts(f, masks[i]);
    fnodes.forEach((nd, k) => {
      const c = counts[k], empty = c === 0 && !nd.box.checked;
      if (nd.c !== c) {
        const noun = say('cases_hidden', {}, c);
        if (nd.hidden.textContent !== noun) nd.hidden.textContent = noun;
        nd.num.nodeValue = nd.c = c;
      }
      if (nd.empty !== empty) nd.li.classList.toggle('is-empty', (nd.empty = empty));
    });
  });
}

/** Removing a chip keeps the focus among them. */
function showChips(pg) {
  const { chips, q } = pg.el;
  const focused = chips.contains(document.activeElement) ? [...chips.querySelectorAll('button')].indexOf(document.activeElement) : -1;
  chips.textContent = '';
  for (const f of pg.facets) for (const code of pg.state.sel[f.key] || []) chips.append(filterChip(pg, f, code));
  if (chips.firstChild) chips.append(button('cb-clear', say('clear_all'), () => { pg.state.sel = {}; commit(pg, true); }));
  if (focused >= 0) {
    const bs = chips.querySelectorAll('button');
    (bs.length > 1 ? bs[Math.min(focused, bs.length - 2)] : q).focus();
  }
}

function filterChip(pg, f, code) {
  const t = f.byCode.get(code);
  const chip = el('span', 'chip', t.label + ' ');
  const x = button('chip-remove', '×', () => {
    pg.state.sel[f.key] = pg.state.sel[f.key].filter(c => c !== code);
    commit(pg, true);
  });
  x.setAttribute('aria-label', say('remove_filter', { label: t.label }));
  chip.append(x);
  return chip;
}

/* --- Map and chart per year: casebook-charts.js/css and the data load when one is first opened --- */

let chartsCode;
function initCharts(pg) {
  for (const box of pg.el.form.querySelectorAll('.cb-chart-box')) box.addEventListener('toggle', async () => {
    if (!box.open) return;
    // The theme's files are at the site root, above a language's folder (data-assets).
    const at = ext => new URL('assets/casebook-charts.' + ext, new URL(pg.el.form.dataset.assets || pg.root, location.href)).href;
    chartsCode = chartsCode || new Promise((ok, ko) => document.head.append(
      Object.assign(el('link'), { rel: 'stylesheet', href: at('css') }),
      Object.assign(el('script'), { src: at('js'), onerror: ko, onload: () => ok(window.casebookCharts({ $, el, cases, say, facetCounts, indexFile, commit })) })));
    (pg.charts = await chartsCode).open(pg, box);
  });
}

/* --- Full text --- */

const buckets = new Map();
/** The index as `rank` reads it, from the page's data (data-index on the form). */
const pageIndex = pg => ({
  n: pg.n, buckets: pg.meta.buckets, shards: pg.shards,
  shard: name => indexFile(new URL(name, pg.indexURL), 'json'),
  bucket: b => memo(buckets, new URL(`p-${b}.bin`, pg.indexURL).href,
    url => indexFile(new URL(url), 'arrayBuffer').then(x => (x ? parseBucket(new Uint8Array(x), pg.n) : new Map()))),
});

/** An index file: fetched, or on file://, where fetch is refused, run as its script twin (x.json →
    x.js, x.bin → x.js calling casebookData(name, JSON | base64)), so that offline search uses the
    same index, the same stems and the same ranking. */
const waiting = new Map();
function indexFile(url, type) {
  if (!FILE) return get(url.href, type);
  const name = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  return memo(fetched, url.href, () => new Promise(ok => {
    window.casebookData = window.casebookData || ((n, data) => { const f = waiting.get(n); waiting.delete(n); if (f) f(data); });
    waiting.set(name, d => ok(type === 'json' ? d : Uint8Array.from(atob(d), c => c.charCodeAt(0)).buffer));
    const s = el('script');
    s.src = url.href.replace(/\.(json|bin)$/, '.js');
    s.onerror = () => { waiting.delete(name); ok(null); };
    document.head.append(s);
  }));
}

/** {set, score, forms, groups, missing} of the docs with every word, or null. */
const runText = (pg, query) => rank(pg.index, query);

/* --- Results --- */

const docCache = new Map();
const getDoc = (pg, id) => (pg.offline ? Promise.resolve(pg.offline[id])
  : memo(docCache, id, () => get(new URL(`search/docs/${id}.json`, pg.root).href, 'json')));

/** Newest first is id order. */
async function sortedIds(pg, result, sort, res) {
  const ids = toIds(result);
  if (sort === 'relevance' && res) return byScore(ids, res.score);
  if (sort !== 'title') return ids;
  const order = titleOrder || (await loadTitleOrder(pg));
  return order ? Array.from(order).filter(i => has(result, i)) : ids;
}

let titleOrder = null;
async function loadTitleOrder(pg) {
  const docs = pg.offline;
  if (docs) {
    const coll = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    return (titleOrder = docs.map((d, i) => i).sort((a, b) => coll.compare(docs[a].t, docs[b].t) || a - b));
  }
  const b = await get(new URL('search/order.bin', pg.root).href, 'arrayBuffer');
  return (titleOrder = b && new Uint32Array(b));
}

/** Appends the next page of results, or replaces the list once the new
 *  cards are fetched (so it never goes blank while they load). */
async function showMore(pg, g, res, focus, replace = false) {
  const { list, more } = pg.el;
  const ids = pg.order.slice(pg.shown, pg.shown + BATCH);
  const docs = await Promise.all(ids.map(id => getDoc(pg, id)));
  if (g !== pg.gen) return;
  const first = replace ? 0 : list.children.length;
  const cards = docs.filter(Boolean).map(d => card(pg.root, d, res));
  if (replace) list.replaceChildren(...cards); else list.append(...cards);
  pg.shown += ids.length;
  more.hidden = pg.shown >= pg.order.length;
  if (focus && list.children[first]) $('a', list.children[first]).focus();
}

function card(root, d, res) {
  const li = el('li'), art = el('article', 'card'), h = el('h2', 'card-title'), a = el('a');
  if (d.l) art.lang = d.l;
  if (d.r) art.dir = d.r;
  a.href = new URL(d.u, root).href;
  if (res) fill(a, marks(d.t, null, res.forms)); else a.textContent = d.t;
  h.append(a);
  art.append(h);
  if (d.d) {
    const p = el('p', 'card-date'), t = el('time', null, showDate(d.d, d.l));
    t.dateTime = d.d;
    t.dir = 'auto';
    p.append(t);
    art.append(p);
  }
  const snip = res && bestSnippet([d.x, d.s, d.k], res.forms, res.groups);
  if (snip) art.append(fill(el('p', 'card-snippet'), snip));
  else if (d.s) art.append(el('p', 'card-summary', d.s));
  const tags = cardTags(d, res);
  if (tags) art.append(tags);
  li.append(art);
  return li;
}

function cardTags(d, res) {
  // Tags are labels, not links: one link per card, as in the theme's card.html.
  // Matched words are marked in them too: a case may match by a tag alone.
  const tag = cls => l => (res ? fill(el('li', cls), marks(l, null, res.forms)) : el('li', cls, l));
  const tags = [...(d.v || []).map(tag('chip chip-level')), ...(d.g || []).map(tag('chip'))];
  if (!tags.length) return null;
  const ul = el('ul', 'chips card-tags');
  ul.append(...tags);
  return ul;
}

const fill = (node, parts) => {
  for (const p of parts) node.append(p.m ? el('mark', null, p.t) : document.createTextNode(p.t));
  return node;
};

const dateFmt = new Map();
function showDate(d, lang) {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(d);
  if (!m) return d;
  try {
    const fmt = memo(dateFmt, lang, () => new Intl.DateTimeFormat(/^en\b/.test(lang || 'en') ? 'en-GB' : lang, { numberingSystem: 'latn', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }));
    return fmt.format(new Date(Date.UTC(+m[1], m[2] - 1, +m[3])));
  } catch (e) { return d; }
}

/* ---------- 6. Narrow screens ---------- */

/** Where casebook.css puts the filters beside the results rather than above them. */
const WIDE = '(min-width: 56em)';

/** The filter panel is a <details>, closed in the HTML: open on a wide screen (and again
    whenever the window widens to one), closed on a phone, where the options would push the
    first result a few screens down. "Show results" at its foot closes it. */
function initFilterPanel(form) {
  const panel = $('.cb-filters', form);
  if (!panel) return;
  const wide = matchMedia(WIDE), fit = () => { panel.open = wide.matches; };
  fit();
  wide.addEventListener('change', fit);
  const done = $('.cb-done', panel);
  if (!done) return;
  done.hidden = false;
  done.addEventListener('click', () => {
    panel.open = false;
    $(':scope > summary', panel).focus();
  });
}

/** "Filters (n)", n the filters in use, and "Show n case studies" at the panel's foot. */
function showFilterCount(pg) {
  const form = pg.el.form, out = $('#cb-filter-count', form), done = $('.cb-done', form);
  const n = Object.values(pg.state.sel).reduce((sum, codes) => sum + codes.length, 0);
  if (out && out.dataset.n !== String(n)) {
    out.dataset.n = n;
    out.textContent = '';
    if (n) out.append(` (${n}`, el('span', 'visually-hidden', say('in_use', {}, n)), ')');
  }
  if (done) done.textContent = say('show_cases', { cases: cases(pg.order.length) });
}

/** Which edges of a scroll box (a matrix, a wide table) hide columns, in data-more ("start",
    "end", both or ""): casebook.css fades an edge that has more beyond it and shades a
    matrix's fixed row headers once columns have slid under them. A phone shows no scroll
    bar until one scrolls, so a table cut at its edge otherwise looks whole. */
function markEdges(box) {
  const max = box.scrollWidth - box.clientWidth, at = Math.abs(box.scrollLeft); // negative when right-to-left
  const more = [at > 1 && 'start', at < max - 1 && 'end'].filter(Boolean).join(' ');
  if (box.dataset.more !== more) box.dataset.more = more;
}

function initScrollBoxes() {
  for (const box of document.querySelectorAll('.table-scroll')) {
    markEdges(box);
    box.addEventListener('scroll', () => markEdges(box), { passive: true });
    if (window.ResizeObserver) new ResizeObserver(() => markEdges(box)).observe(box);
  }
}

/** The language switcher leads to the same page in another language; on the search page the
    query and filters (the address's ?…) come along. */
function initLanguageSwitch() {
  for (const a of document.querySelectorAll('.language-switch a')) a.addEventListener('click', () => {
    if (location.search) a.href = a.href.split(/[?#]/)[0] + location.search;
  });
}

/* ---------- 7. Start ---------- */

if (FILE) fixFileLinks();
initMatrices();
initScrollBoxes();
initLanguageSwitch();
const form = document.getElementById('cb-search');
if (form) {
  initFilterPanel(form);
  initSearch(form);
}
})();
