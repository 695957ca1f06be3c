// The multilingual portal (issue 13): the sample published in English (root), French (/fr/), Spanish
// (/es/) and Arabic (/ar/). The language switcher's round trip on a case page, a term page and the search
// page (query and filters kept), a French query finding another form of its word, Arabic laid out right to
// left, hreflang alternates and canonicals that lead to real pages, and the search widened to the
// untranslated case studies. The Nu HTML Checker and axe over every edition are in html.test.mjs and
// a11y.test.mjs. No assertion reads the interface's own words (they are being translated): only
// structure, URLs, lang/dir, titles and counts.
// SCREENSHOTS=dir saves the Arabic pages at 1280×900 and 390×844 into dir (docs/screenshots/ holds them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { build, serve, launch, newPage, remove, act, settled, snapshot, loadAll, problems, PHONE, REPO } from './helpers.mjs';

let out, server, browser;
// Built for the test server's own address, so the absolute URLs (alternates, canonicals) can be fetched.
before(async () => {
  server = await serve(null);
  out = build({ baseUrl: server.url });
  server.root = out;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
  remove(out);
});

/* ---------- What the sources say (content/case-studies/*.md, read here, not from the build) ---------- */

const CONFIG = parse(readFileSync(join(REPO, 'casebook.yaml'), 'utf8'));
const CODES = CONFIG.languages.map(l => (typeof l === 'string' ? l : l.code));
const DEFAULT = CODES[0];
const DIR = join(REPO, 'content/case-studies');
/** Every version of every case study: {file, lang, slug, original (bool), title, summary, text}. */
const VERSIONS = (() => {
  const read = f => {
    const m = readFileSync(join(DIR, f), 'utf8').match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/);
    return { fm: parse(m[1]), text: m[0] };
  };
  const files = readdirSync(DIR).filter(f => f.endsWith('.md'));
  return files.map(file => {
    const m = file.match(/^(.*?)(?:\.([a-z]{2,3}))?\.md$/);
    const own = read(file);
    const original = m[2] ? read(m[1] + '.md').fm : own.fm;
    return {
      file, original: !m[2], lang: m[2] || own.fm.language || CONFIG.language, slug: original.slug || m[1],
      title: own.fm.title, summary: own.fm.summary, text: own.text,
    };
  });
})();
const version = (slug, lang) => VERSIONS.find(v => v.slug === slug && v.lang === lang);
const originals = VERSIONS.filter(v => v.original);
const inLanguage = lang => VERSIONS.filter(v => v.lang === lang);

/* ---------- Page helpers ---------- */

const htmlAttrs = page => page.evaluate(() => ({
  lang: document.documentElement.getAttribute('lang'),
  dir: document.documentElement.getAttribute('dir'),
  direction: getComputedStyle(document.body).direction,
}));
/** The language switcher: its links by language, and which one is current. */
const switcher = page => page.$$eval('nav.language-switch a', as => as.map(a => ({
  lang: a.getAttribute('hreflang'), href: a.href, current: a.getAttribute('aria-current') === 'true',
})));
/** Clicks the switcher's link to `lang` and waits for the page it leads to. */
async function switchTo(page, lang, url) {
  await Promise.all([page.waitForURL(url), page.click(`nav.language-switch a[hreflang="${lang}"]`)]);
}
const h1 = page => page.evaluate(() => document.querySelector('main h1').textContent.trim());
const box = (page, sel) => page.evaluate(s => {
  const r = document.querySelector(s).getBoundingClientRect();
  return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
}, sel);

test('the sample is what these tests assume: four editions and translations in French, Spanish and Arabic', () => {
  assert.deepEqual(CODES, ['en', 'fr', 'es', 'ar']);
  assert.ok(version('city-welcome-centre-saxony', 'fr') && version('city-welcome-centre-saxony', 'en'));
  assert.ok(version('national-diaspora-engagement-policy-ghana', 'ar'));
  assert.equal(version('municipal-community-centres-jordan', 'ar')?.original, true);
  assert.ok(inLanguage('fr').length >= 2 && inLanguage('fr').length < originals.length);
});

/* ---------- 1. The switcher's round trip ---------- */

test('case page: English → Français → English through the switcher, lang and title following', async () => {
  const page = await newPage(browser);
  const slug = 'city-welcome-centre-saxony';
  const en = server.url + `case-studies/${slug}/`, fr = server.url + `fr/case-studies/${slug}/`;
  await page.goto(en);
  assert.deepEqual(await htmlAttrs(page), { lang: 'en', dir: 'ltr', direction: 'ltr' });
  assert.equal(await h1(page), version(slug, 'en').title);
  const links = await switcher(page);
  assert.deepEqual(links.map(l => l.lang), CODES, 'one link per language, in the configured order');
  assert.deepEqual(links.filter(l => l.current).map(l => l.lang), ['en']);
  // Every language's link leads to the same case study's page in that edition (a copy where untranslated).
  assert.deepEqual(links.map(l => l.href), CODES.map(c => server.url + (c === DEFAULT ? '' : c + '/') + `case-studies/${slug}/`));

  await switchTo(page, 'fr', fr);
  assert.deepEqual(await htmlAttrs(page), { lang: 'fr', dir: 'ltr', direction: 'ltr' });
  assert.equal(await h1(page), version(slug, 'fr').title);
  assert.notEqual(version(slug, 'fr').title, version(slug, 'en').title);
  assert.ok((await page.title()).includes(version(slug, 'fr').title), await page.title());
  assert.deepEqual((await switcher(page)).filter(l => l.current).map(l => l.lang), ['fr']);

  await switchTo(page, 'en', en);
  assert.deepEqual(await htmlAttrs(page), { lang: 'en', dir: 'ltr', direction: 'ltr' });
  assert.equal(await h1(page), version(slug, 'en').title);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

test('term page: /levels/local/ → /es/levels/local/ → back, the Spanish edition listing its Spanish versions', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'levels/local/');
  assert.equal((await htmlAttrs(page)).lang, 'en');
  const enCards = await page.$$eval('main .card-title a', as => as.map(a => a.href));
  await switchTo(page, 'es', server.url + 'es/levels/local/');
  assert.deepEqual(await htmlAttrs(page), { lang: 'es', dir: 'ltr', direction: 'ltr' });
  const cards = await page.$$eval('main article.card', as => as.map(a => ({
    lang: a.getAttribute('lang'), title: a.querySelector('.card-title').textContent.trim(), href: a.querySelector('.card-title a').href,
  })));
  // The same case studies as the English page, each linked inside /es/, in Spanish where translated.
  assert.equal(cards.length, enCards.length);
  assert.ok(cards.every(c => c.href.startsWith(server.url + 'es/case-studies/')), JSON.stringify(cards));
  const spanish = cards.filter(c => c.lang === 'es');
  assert.ok(spanish.length >= 1, JSON.stringify(cards));
  for (const c of spanish) {
    const slug = c.href.match(/case-studies\/([^/]+)\//)[1];
    assert.equal(c.title, version(slug, 'es')?.title, slug);
  }
  await switchTo(page, 'en', server.url + 'levels/local/');
  assert.equal((await htmlAttrs(page)).lang, 'en');
  assert.deepEqual(await page.$$eval('main .card-title a', as => as.map(a => a.href)), enCards);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

test('search page: the switcher keeps the query and the filters, both ways, including those set after loading', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'search/?q=migration&levels=global&themes=Migration+data');
  await settled(page);
  let s = await snapshot(page);
  assert.equal(s.q, 'migration');
  const checked = ['levels=global', 'themes=Migration data'];
  assert.deepEqual(s.options.filter(o => o.checked).map(o => `${o.facet}=${o.code}`), checked);
  assert.ok(s.chips.some(c => c.includes('Migration data')), JSON.stringify(s.chips));
  const enResults = s.results.map(r => r.slug);
  assert.ok(enResults.length >= 1);

  await switchTo(page, 'fr', server.url + 'fr/search/?q=migration&levels=global&themes=Migration+data');
  await settled(page);
  assert.deepEqual(await htmlAttrs(page), { lang: 'fr', dir: 'ltr', direction: 'ltr' });
  s = await snapshot(page);
  assert.equal(s.q, 'migration');
  assert.equal(await page.inputValue('#cb-q'), 'migration');
  // A theme keeps its code in every language and shows its French name.
  assert.deepEqual(s.options.filter(o => o.checked).map(o => `${o.facet}=${o.code}`), checked);
  assert.equal(s.chips.length, 2);
  assert.ok(s.chips.some(c => c.includes('Données migratoires')), JSON.stringify(s.chips));
  assert.equal(s.url, '?q=migration&levels=global&themes=Migration+data');
  // The French edition finds the French version of the global data partnership
  // ("migrations" in its title): its own words, not the English original's.
  assert.ok(s.results.some(r => r.slug === 'global-partnership-migration-data' && r.title === version(r.slug, 'fr').title), JSON.stringify(s.results));

  // A filter added on the French page goes back to English with the rest.
  await act(page, () => page.check('#cb-facets input[name="levels"][value="local"]'));
  s = await snapshot(page);
  const search = s.url;
  assert.match(search, /levels=local/);
  await switchTo(page, 'en', server.url + 'search/' + search);
  await settled(page);
  assert.equal((await htmlAttrs(page)).lang, 'en');
  s = await snapshot(page);
  assert.equal(s.q, 'migration');
  assert.deepEqual(s.options.filter(o => o.checked).map(o => `${o.facet}=${o.code}`).sort(), ['levels=global', 'levels=local', 'themes=Migration data']);
  assert.equal(s.chips.length, 3);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

/* ---------- 2. French words found by another of their forms ---------- */

/** Whether a text holds a word in exactly this form. */
const says = (text, form) => new RegExp(`(^|[^\\p{L}\\p{N}])${form}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
/** What an edition's search data holds of a case study (its fragment: title, summary, labels, excerpt). */
const fragment = (lang, slug) => {
  const dir = join(out, lang, 'search/docs');
  return readdirSync(dir).map(f => readFileSync(join(dir, f), 'utf8')).find(t => JSON.parse(t).u === `case-studies/${slug}/`);
};
/** A case study's source (front matter and body) and its search fragment: what its index entry reads. */
const indexedText = (lang, slug) => version(slug, lang).text + '\n' + fragment(lang, slug);

/** The search page loaded from its URL, every result shown. */
async function search(page, path) {
  await page.goto(server.url + path);
  await settled(page);
  await loadAll(page);
  return snapshot(page);
}

test('a French query finds French case studies that use another form of its word (stemming)', async () => {
  const page = await newPage(browser);
  // "migrantes", "migrants" and "migrant" share the French stem: a case study that never writes
  // "migrantes" is found by it, and the form it does write is marked.
  const s = await search(page, 'fr/search/?q=migrantes');
  const found = new Map(s.results.map(r => [r.slug, r]));
  const fr = inLanguage('fr');
  const others = fr.filter(v => !says(indexedText('fr', v.slug), 'migrantes') && says(v.text, 'migrants'));
  assert.ok(others.length >= 2, 'the sample has French case studies saying "migrants" but never "migrantes"');
  for (const v of others) {
    assert.ok(found.has(v.slug), `${v.slug} (says "migrants", not "migrantes") is found: ${[...found.keys()]}`);
    assert.ok(found.get(v.slug).marks.some(m => /^migrants$/i.test(m)), `${v.slug}: ${found.get(v.slug).marks}`);
  }
  // The French edition's search covers its French case studies only.
  assert.ok(s.results.every(r => version(r.slug, 'fr')), JSON.stringify(s.results.map(r => r.slug)));
  // The same in Spanish: "migrante" finds the case studies that say "migrantes".
  const es = await search(page, 'es/search/?q=migrante');
  const esOthers = inLanguage('es').filter(v => !says(indexedText('es', v.slug), 'migrante') && says(v.text, 'migrantes'));
  assert.ok(esOthers.length >= 1);
  for (const v of esOthers) assert.ok(es.results.some(r => r.slug === v.slug), `${v.slug}: ${es.results.map(r => r.slug)}`);
  // On /fr/search/?q=migrants, French case studies that say "migration" are among the results.
  const m = await search(page, 'fr/search/?q=migrants');
  assert.ok(m.results.some(r => says(version(r.slug, 'fr').text, 'migration')), JSON.stringify(m.results.map(r => r.slug)));
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

// French Snowball stems "migrants" to "migr" and "migration" to "migrat"; the index expands a word to
// its stem's family (stems beginning with it, at most 3 letters longer), so the French case study that
// says "migration" but never "migrant(s)" (the Kenya–Germany health worker partnership) is found.
test('"migrants" finds a French case study that says only "migration"', async () => {
  const page = await newPage(browser);
  const s = await search(page, 'fr/search/?q=migrants');
  const only = inLanguage('fr').filter(v => says(v.text, 'migration') && !/migrant/i.test(v.text));
  // (Its card's tags show a target's description that says "migrants", which the index does not read.)
  assert.ok(only.some(v => v.slug === 'health-worker-skills-partnership-kenya-germany'), only.map(v => v.slug).join());
  for (const v of only) {
    const r = s.results.find(r => r.slug === v.slug);
    assert.ok(r, `${v.slug} is not among ${s.results.map(r => r.slug)}`);
    assert.equal(r.title, v.title, 'shown in French');
  }
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

/* ---------- 3. Arabic right to left ---------- */

test('Arabic: lang="ar" dir="rtl" and a mirrored layout, on a phone and a laptop', async () => {
  const shots = process.env.SCREENSHOTS;
  const pages = [['ar/', 'ar-home'], ['ar/case-studies/national-diaspora-engagement-policy-ghana/', 'ar-case'], ['ar/case-studies/municipal-community-centres-jordan/', null]];
  for (const [viewport, name] of [[{ width: 1280, height: 900 }, 'desktop'], [PHONE, 'phone']]) {
    const page = await newPage(browser, { viewport });
    for (const [path, shot] of pages) {
      await page.goto(server.url + path);
      assert.deepEqual(await htmlAttrs(page), { lang: 'ar', dir: 'rtl', direction: 'rtl' }, path);
      const brand = await box(page, '.site-header .brand'), form = await box(page, '.site-header .site-search');
      if (viewport.width >= 1000) {
        // Side by side: the site's name on the right, the search form on its left.
        assert.ok(brand.left >= form.right, `${path}: brand ${JSON.stringify(brand)}, form ${JSON.stringify(form)}`);
      } else {
        // Stacked, the name first; both right-aligned within the same column.
        assert.ok(brand.bottom <= form.top, `${path}: brand ${JSON.stringify(brand)}, form ${JSON.stringify(form)}`);
      }
      // The main menu runs from right to left: its first item is the rightmost of its row.
      const items = await page.$$eval('.site-nav li', lis => lis.map(li => { const r = li.getBoundingClientRect(); return { top: Math.round(r.top), right: r.right, left: r.left }; }));
      const firstRow = items.filter(i => i.top === items[0].top);
      assert.ok(firstRow.length >= 2, JSON.stringify(items));
      for (let i = 1; i < firstRow.length; i++) assert.ok(firstRow[i].right <= firstRow[i - 1].left + 1, `${path}: ${JSON.stringify(firstRow)}`);
      // The case study's title sits against the right edge of the text column, and nothing scrolls sideways.
      if (path.includes('case-studies')) {
        const t = await page.evaluate(() => {
          const h = document.querySelector('main h1'), r = document.createRange();
          r.selectNodeContents(h);
          const rects = [...r.getClientRects()], hb = h.getBoundingClientRect();
          return { right: Math.max(...rects.map(x => x.right)), boxRight: hb.right, dir: getComputedStyle(h).direction, align: getComputedStyle(h).textAlign };
        });
        assert.equal(t.dir, 'rtl', path);
        assert.ok(t.boxRight - t.right < 2, `${path}: title text ends ${t.boxRight - t.right}px short of the right edge`);
      }
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${path}: no sideways scroll`);
      if (shots && shot) await page.screenshot({ path: join(shots, `${shot}-${name}.png`) });
    }
    assert.deepEqual(problems(page, server), []);
    await page.context().close();
  }
});

/* ---------- 4. hreflang alternates and canonicals ---------- */

const heads = page => page.evaluate(() => ({
  canonical: document.querySelector('link[rel="canonical"]')?.getAttribute('href'),
  alternates: [...document.querySelectorAll('link[rel="alternate"][hreflang]')].map(l => [l.getAttribute('hreflang'), l.getAttribute('href')]),
}));
const status = async url => (await fetch(url)).status;

test('hreflang: a translated case page names each real translation and x-default by absolute URLs that exist', async () => {
  const page = await newPage(browser);
  const slug = 'city-welcome-centre-saxony';
  const want = [['en', server.url + `case-studies/${slug}/`], ['fr', server.url + `fr/case-studies/${slug}/`], ['x-default', server.url + `case-studies/${slug}/`]];
  for (const path of [`case-studies/${slug}/`, `fr/case-studies/${slug}/`]) {
    await page.goto(server.url + path);
    const h = await heads(page);
    assert.deepEqual(h.alternates, want, path);
    assert.equal(h.canonical, server.url + path);
    for (const [, url] of h.alternates) assert.equal(await status(url), 200, url);
  }
  // Not translated into Spanish or Arabic: no alternates for them, even on their editions' copies.
  await page.goto(server.url + `es/case-studies/${slug}/`);
  assert.deepEqual((await heads(page)).alternates, want);
  // An Arabic translation of an English original.
  await page.goto(server.url + 'ar/case-studies/national-diaspora-engagement-policy-ghana/');
  const g = await heads(page);
  assert.deepEqual(g.alternates.map(a => a[0]).sort(), ['ar', 'en', 'x-default']);
  for (const [, url] of g.alternates) assert.equal(await status(url), 200, url);
  await page.context().close();
});

test('hreflang: an untranslated original shown in another edition is canonical at its own language\'s page', async () => {
  const page = await newPage(browser);
  const slug = 'municipal-community-centres-jordan'; // written in Arabic, not translated
  const original = server.url + `ar/case-studies/${slug}/`;
  for (const path of [`fr/case-studies/${slug}/`, `case-studies/${slug}/`, `es/case-studies/${slug}/`]) {
    await page.goto(server.url + path);
    const h = await heads(page);
    assert.equal(h.canonical, original, path);
    assert.deepEqual(h.alternates, [['ar', original], ['x-default', original]], path);
    // The copy reads as its text's language: the case study itself is in Arabic, right to left.
    assert.equal(await h1(page), version(slug, 'ar').title);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('main h1')).direction), 'rtl', path);
  }
  assert.equal(await status(original), 200);
  await page.goto(original);
  assert.equal((await heads(page)).canonical, original);
  await page.context().close();
});

/* ---------- 5. Widening the search to the untranslated case studies ---------- */

test('/fr/search/: filters alone list all the edition shows; a query searches French, widened by #cb-all', async () => {
  const page = await newPage(browser);
  const fr = new Set(inLanguage('fr').map(v => v.slug));
  const all = new Set(originals.map(v => v.slug));
  assert.ok(fr.size < all.size);
  /** Each result shown in French where translated, otherwise in its original language; all inside /fr/. */
  const inEdition = results => {
    for (const r of results) {
      const v = version(r.slug, 'fr') || originals.find(o => o.slug === r.slug);
      assert.equal(r.title, v.title, r.slug);
      assert.equal(new URL(r.href, page.url()).href, server.url + `fr/case-studies/${r.slug}/`);
    }
  };
  // No query: everything the edition shows, its own case studies and the untranslated ones (so the
  // counts of its pages and matrices are those of its search).
  let s = await search(page, 'fr/search/');
  assert.equal(s.results.length, all.size, `${fr.size} French + ${all.size - fr.size} untranslated`);
  assert.deepEqual(new Set(s.results.map(r => r.slug)), all);
  inEdition(s.results);
  const langs = await page.$$eval('#cb-results article.card', as => as.map(a => a.getAttribute('lang')));
  assert.ok(langs.includes('ar') && langs.includes('en') && langs.includes('fr'), langs.join());

  // A query searches the French case studies only.
  s = await search(page, 'fr/search/?q=migrants');
  assert.equal(await page.isChecked('#cb-all'), false);
  const narrow = s.results.map(r => r.slug);
  assert.ok(narrow.length >= 1 && narrow.every(slug => fr.has(slug)), narrow.join());
  inEdition(s.results);

  // #cb-all widens it to the untranslated case studies that match.
  await act(page, () => page.check('#cb-all'));
  await loadAll(page);
  s = await snapshot(page);
  assert.equal(s.url, '?q=migrants&all=1');
  const wide = s.results.map(r => r.slug);
  const untranslated = originals.filter(v => !fr.has(v.slug) && says(v.text, 'migrants'));
  assert.ok(untranslated.length >= 1, 'the sample has untranslated case studies saying "migrants"');
  for (const v of untranslated) assert.ok(wide.includes(v.slug), `${v.slug} is not among ${wide}`);
  for (const slug of narrow) assert.ok(wide.includes(slug), `${slug} is kept when widened`);
  assert.ok(wide.length > narrow.length && wide.length <= all.size, `${narrow.length} French, ${wide.length} widened`);
  inEdition(s.results);

  // Reloading keeps it; unchecking narrows back to the French results.
  await page.reload();
  await settled(page);
  assert.equal(await page.isChecked('#cb-all'), true);
  await loadAll(page);
  assert.deepEqual((await snapshot(page)).results.map(r => r.slug).sort(), [...wide].sort());
  await act(page, () => page.uncheck('#cb-all'));
  await loadAll(page);
  s = await snapshot(page);
  assert.equal(s.url, '?q=migrants');
  assert.deepEqual(s.results.map(r => r.slug).sort(), [...narrow].sort());
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

/* ---------- Found on the way ---------- */

// Every edition loads the shared /assets/casebook.js; the script reads its edition's root from the
// script tag's data-root (it once took it from its own address, so cells on /fr/ led to /search/).
test('a matrix cell on an edition\'s home page opens that edition\'s search page', async () => {
  const page = await newPage(browser);
  for (const lang of CODES.filter(c => c !== DEFAULT)) {
    await page.goto(server.url + lang + '/');
    const cell = page.locator('table.heatmap td a').first();
    const number = Number(await cell.textContent());
    assert.ok(number > 0, `${lang}: the first cell's count`);
    await Promise.all([page.waitForURL(/\/search\/\?/), cell.click()]);
    assert.equal(new URL(page.url()).pathname, `/${lang}/search/`, page.url());
    assert.equal((await htmlAttrs(page)).lang, lang);
    // Filters alone list everything the edition shows: as many results as the cell says, all in the edition.
    await settled(page);
    await loadAll(page);
    const s = await snapshot(page);
    assert.equal(s.results.length, number, `${lang}: ${page.url()}`);
    for (const r of s.results) assert.ok(new URL(r.href, page.url()).href.startsWith(server.url + lang + '/'), r.href);
  }
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});
