// Shared test helpers: build the sample site, serve it, drive Chromium, compute expected facet counts.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '../..');
export const BIN = process.env.CASEBOOK_BIN || join(REPO, 'target/release/casebook');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const require = createRequire(import.meta.url);
export const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The sample site built into a temporary folder, served, and a browser launched, for the tests of
 * one file: registers their before() and after() hooks and hands `use` the site once ready
 * ({ out, server, browser, cat }; `cat` is the catalogue when `catalogue` is asked for).
 *   let out, server, browser; withSampleSite(s => ({ out, server, browser } = s));
 */
export function withSampleSite(use, { catalogue = false } = {}) {
  const site = {};
  before(async () => {
    site.out = build();
    site.server = await serve(site.out);
    site.browser = await launch();
    if (catalogue) site.cat = loadCatalogue(site.out);
    use(site);
  });
  after(async () => {
    await site.browser?.close();
    site.server?.close();
    if (site.out) remove(site.out);
  });
}

/** Builds the sample site (the repository's content) into a fresh temporary folder. */
export function build({ baseUrl } = {}) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`cargo build --release\` first`);
  const out = mkdtempSync(join(tmpdir(), 'casebook-site-'));
  const args = ['build', '--quiet', '--root', REPO, '--output', out];
  if (baseUrl) args.push('--base-url', baseUrl);
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`casebook build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return out;
}

export const remove = dir => dir && rmSync(dir, { recursive: true, force: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.webp': 'image/webp', '.gif': 'image/gif', '.ico': 'image/x-icon', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8', '.woff2': 'font/woff2',
};

/**
 * A tiny static server: `root` served under `prefix` ("/" or "/practices/"), directory → index.html,
 * 404 elsewhere. `override(path)` may return {body, type} for a site path (e.g. "search/meta.json").
 * Records every request as [status, url] in `log`.
 */
export function serve(root, { prefix = '/', override } = {}) {
  const log = [];
  const server = createServer((req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8', headers = {}) => {
      log.push([status, req.url]);
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const url = new URL(req.url, 'http://x');
    let path;
    try { path = decodeURIComponent(url.pathname); } catch { return send(400, 'bad request'); }
    if (!path.startsWith(prefix)) return send(404, 'not found');
    const rel = path.slice(prefix.length);
    const o = override && override(rel);
    if (o) return send(200, o.body, o.type || TYPES[extname(rel)] || 'application/octet-stream');
    const file = resolve(server.root, '.' + sep + rel);
    if (file !== server.root && !file.startsWith(server.root + sep)) return send(403, 'forbidden');
    let st;
    try { st = statSync(file); } catch { return send(404, 'not found'); }
    if (st.isDirectory()) {
      if (!path.endsWith('/')) return send(301, '', undefined, { location: path + '/' + url.search });
      try { return send(200, readFileSync(join(file, 'index.html')), TYPES['.html']); } catch { return send(404, 'not found'); }
    }
    send(200, readFileSync(file), TYPES[extname(file).toLowerCase()] || 'application/octet-stream');
  });
  server.root = resolve(root || '.');
  server.log = log;
  return new Promise(ok => server.listen(0, '127.0.0.1', () => {
    server.origin = `http://127.0.0.1:${server.address().port}`;
    server.url = server.origin + prefix;
    ok(server);
  }));
}

export const launch = () => chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});

/** Viewports: a phone (390×844 CSS px, as the readers' reports give it) and a common laptop. */
export const PHONE = { width: 390, height: 844 };
export const LAPTOP = { width: 1366, height: 900 };

/** A page that records uncaught errors and console errors in `page.errors`
    (1280×900 unless `opts.viewport` says otherwise, e.g. PHONE). */
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', e => page.errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') page.errors.push(m.text()); });
  return page;
}

/* ---------- The search page ---------- */

const doneCount = page => page.evaluate(() => +(document.getElementById('cb-search').dataset.cbDone || 0));
/** Runs `action` and waits until the search page has finished the update it causes. */
export async function act(page, action) {
  const before = await doneCount(page).catch(() => 0);
  await action();
  await settled(page, before);
}
/** Waits until the search page has completed more than `after` updates and is idle. */
export function settled(page, after = 0) {
  return page.waitForFunction(b => {
    const f = document.getElementById('cb-search');
    return f && f.dataset.cbState === 'idle' && +(f.dataset.cbDone || 0) > b;
  }, after, { timeout: 10000 });
}

/** What the page shows: status, results, facet options and chips. */
export function snapshot(page) {
  return page.evaluate(() => ({
    url: location.search,
    status: document.getElementById('cb-status').textContent,
    q: document.getElementById('cb-q').value,
    sort: document.getElementById('cb-sort').value,
    results: [...document.querySelectorAll('#cb-results > li')].map(li => ({
      title: li.querySelector('.card-title').textContent,
      href: li.querySelector('.card-title a').getAttribute('href'),
      slug: (li.querySelector('.card-title a').href.match(/case-studies\/([^/]+)\//) || [])[1],
      marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
      snippet: (li.querySelector('.card-snippet') || {}).textContent || null,
    })),
    options: [...document.querySelectorAll('#cb-facets input[type=checkbox]')].map(i => {
      const li = i.closest('li');
      return {
        facet: i.name, code: i.value, checked: i.checked, count: parseInt(li.querySelector('.count').textContent, 10),
        empty: li.classList.contains('is-empty'), visible: i.checkVisibility(),
      };
    }),
    chips: [...document.querySelectorAll('#cb-chips .chip-remove')].map(b => b.getAttribute('aria-label')),
    more: !document.getElementById('cb-more').hidden,
  }));
}

/** Clicks "Load more" until every result is shown. */
export async function loadAll(page) {
  while (await page.locator('#cb-more').isVisible()) {
    const before = await page.locator('#cb-results > li').count();
    await page.click('#cb-more');
    await page.waitForFunction(b => document.querySelectorAll('#cb-results > li').length > b, before);
  }
}

/** Makes the checkbox of a facet term visible (opens "Show all" and the ancestors' toggles). */
export async function reveal(page, facet, code) {
  const box = page.locator(`#cb-facets input[name="${facet}"][value="${code}"]`);
  for (let i = 0; i < 5 && !(await box.isVisible()); i++) {
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

/* ---------- Expected counts, from the open-data catalogue ---------- */

/**
 * The records of catalogue.json that the default language's edition (the site root) shows, in the
 * order it lists them. The catalogue lists each case study once per language it exists in, newest
 * first; the default edition shows its default-language version (URL not under a language folder
 * such as <base>fr/), or, for a case study with no such version (an untranslated original, e.g.
 * Senegal in French), the original, whose record's URL is under its own language's folder. As every
 * edition, it lists its own language's case studies first, then the untranslated ones (README,
 * "Languages"), each group newest first. In a portal of one language: every record, in order.
 */
export function defaultEdition(cat) {
  const base = cat.base_url;
  const folders = new Set(cat.case_studies.filter(c => c.language).map(c => c.language));
  const inDefault = url => {
    if (!url.startsWith(base)) throw new Error(`catalogue URL ${url} is not under ${base}`);
    const first = url.slice(base.length).split('/')[0];
    return !(folders.has(first) && url.slice(base.length).startsWith(first + '/'));
  };
  const own = cat.case_studies.filter(c => inDefault(c.url));
  const untranslated = cat.case_studies.filter(c => !inDefault(c.url) && !(c.translations || []).some(t => inDefault(t.url)));
  return [...own, ...untranslated];
}

/** The catalogue (public/catalogue.json) prepared for counting: per facet, each case's codes with
    ancestors; only the records of the default language's edition, in its order (see defaultEdition). */
export function loadCatalogue(dir) {
  const cat = JSON.parse(readFileSync(join(dir, 'catalogue.json'), 'utf8'));
  const facets = cat.facets.map(f => {
    const parent = new Map(f.terms.map(t => [String(t.code), t.parent == null ? null : String(t.parent)]));
    const closure = codes => {
      const out = new Set();
      for (let c of codes) for (c = String(c); c != null && !out.has(c); c = parent.get(c)) out.add(c);
      return out;
    };
    return { key: f.key, terms: f.terms, closure };
  });
  const cases = defaultEdition(cat).map(c => ({
    slug: c.slug,
    title: c.title,
    summary: c.summary || '',
    tags: Object.fromEntries(facets.map(f => [f.key, f.closure(c.terms[f.key] || [])])),
  }));
  return { facets, cases };
}

const matches = (c, sel, except) => Object.entries(sel).every(([k, codes]) => k === except || !codes.length || codes.some(x => c.tags[k].has(x)));

/** Slugs of the cases matching `sel` ({facet: [codes]}) within `base` (a Set of slugs or null). */
export function expectedResults(cat, sel, base = null) {
  return cat.cases.filter(c => (!base || base.has(c.slug)) && matches(c, sel)).map(c => c.slug);
}

/** Disjunctive count of one option: cases with the term (or a descendant) passing every other facet's filter. */
export function expectedCount(cat, sel, facet, code, base = null) {
  return cat.cases.filter(c => (!base || base.has(c.slug)) && matches(c, sel, facet) && c.tags[facet].has(code)).length;
}

/** Checks every option shown on the page against the catalogue; returns a list of mismatches. */
export function checkCounts(cat, snap, sel, base = null) {
  const bad = [];
  for (const o of snap.options) {
    const want = expectedCount(cat, sel, o.facet, o.code, base);
    if (o.count !== want) bad.push(`${o.facet}=${o.code}: shows ${o.count}, expected ${want}`);
    if (o.empty !== (want === 0 && !o.checked)) bad.push(`${o.facet}=${o.code}: is-empty is ${o.empty} with count ${want}`);
    const checked = (sel[o.facet] || []).includes(o.code);
    if (o.checked !== checked) bad.push(`${o.facet}=${o.code}: checked is ${o.checked}`);
  }
  return bad;
}

/** Runs axe-core (WCAG 2.1 A/AA) on the page; returns its violations, summarised. */
export async function axe(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: AXE });
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return r.violations.map(v => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\n/g, ' ')).join('\n  ')}`);
}

/**
 * Script errors, and failed requests other than the favicon: the search data lists the files it has,
 * so no other request may fail. (Console 404 messages do not name the URL: the server log does.)
 */
export function problems(page, server) {
  const errors = page.errors.filter(e => !/Failed to load resource: .* 404/.test(e));
  const failed = server ? server.log.filter(([st, u]) => st >= 400 && !/\/favicon\.ico$/.test(u)) : [];
  return [...errors, ...failed.map(x => x.join(' '))];
}

/**
 * facets.bin as the generator writes it (src/search/FORMAT.md): each set a bitmap or an id
 * list, whichever is smaller. `add(ids)` appends one set and returns its meta fields
 * {o, k, n}; `bytes()` gives the file. Shared by the unit and performance tests.
 */
export function facetsBin(n) {
  const W = Math.ceil(n / 32);
  const chunks = [];
  let offset = 0;
  return {
    add(list) {
      const ids = [...new Set(list)].sort((a, b) => a - b);
      const o = offset;
      let k = '';
      if (ids.length > W) {
        const b = new Uint32Array(W);
        for (const i of ids) b[i >>> 5] |= 1 << (i & 31);
        chunks.push(b); offset += 4 * W; k = 'b';
      } else if (ids.length) {
        chunks.push(Uint32Array.from(ids)); offset += 4 * ids.length; k = 'l';
      }
      return { o, k, n: ids.length };
    },
    bytes() {
      const out = new Uint8Array(offset);
      let at = 0;
      for (const c of chunks) { out.set(new Uint8Array(c.buffer), at); at += c.byteLength; }
      return out;
    },
  };
}
