// The map, the chart per year and the coverage gaps (issue 14): the geography page's map without
// JavaScript (every country of the sample a link named with its count, the same numbers in its
// table, reachable with Tab), a region's zoomed map, the year page's bars, the search page's map
// and chart following the filters (a country adds its filter), online and from file://, and axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newPage, act, settled, snapshot, axe, problems, expectedResults, withSampleSite } from './helpers.mjs';

let out, server, browser, cat;
withSampleSite(s => ({ out, server, browser, cat } = s), { catalogue: true });

const facet = key => cat.facets.find(f => f.key === key);
const named = (label, n) => `${label}: ${n} ${n === 1 ? 'case study' : 'case studies'}`;

/** Per code of a facet's terms at `depth` (1 = top), how many of `slugs` it holds. */
function countsOf(key, slugs, leafOnly) {
  const f = facet(key), parents = new Set(f.terms.map(t => t.parent).filter(p => p != null).map(String));
  const want = new Map();
  for (const c of cat.cases.filter(c => slugs.includes(c.slug))) {
    for (const code of c.tags[key]) if (!leafOnly || !parents.has(code)) want.set(code, (want.get(code) || 0) + 1);
  }
  return want;
}
const label = (key, code) => facet(key).terms.find(t => String(t.code) === code).label;
const all = () => cat.cases.map(c => c.slug);

test('geography page, without JavaScript: every country with case studies is a named link, in the table too, and Tab reaches each', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(server.url + 'geography/');
  const want = countsOf('geography', all(), true);
  assert.ok(want.size >= 15, `the sample names ${want.size} countries`);
  const links = await page.$$eval('svg.map a', as => as.map(a => ({ href: a.getAttribute('href'), name: a.querySelector('title').textContent, cls: a.querySelector('path').getAttribute('class') })));
  const expected = [...want].map(([code, n]) => named(label('geography', code), n)).sort();
  assert.deepEqual(links.map(l => l.name).sort(), expected, 'one link per country of the sample, named with its count');
  assert.ok(links.every(l => /^heat-[1-5]$/.test(l.cls) && /^\.\.\/geography\/[a-z-]+\/$/.test(l.href)), JSON.stringify(links));
  assert.equal(links.find(l => l.name.startsWith('Kenya')).href, '../geography/ke/');
  // The accessible name is the title.
  assert.equal(await page.getByRole('link', { name: named('Kenya', want.get('KE')) }).count(), 1);
  // The table: the same numbers.
  const rows = await page.$$eval('.map-table tbody tr', trs => trs.map(tr => `${tr.querySelector('th').textContent}: ${tr.querySelector('td').textContent}`));
  assert.deepEqual(rows.sort(), [...want].map(([code, n]) => `${label('geography', code)}: ${n}`).sort());
  // The largest count has the darkest shade; the legend lists the shades.
  assert.ok((await page.locator('.map-box .heat-legend .heat-step').count()) >= 2);
  // Keyboard: Tab from the heading goes through the countries in turn.
  await page.evaluate(() => document.getElementById('cb-map-title').setAttribute('tabindex', '-1'));
  await page.focus('#cb-map-title');
  const seen = [];
  for (let i = 0; i < links.length; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => document.activeElement.closest('svg.map') && document.activeElement.querySelector('title').textContent));
  }
  assert.deepEqual(seen, links.map(l => l.name), 'Tab visits every country link of the map in order');
  await page.context().close();
});

test('a region page has its own map, zoomed to its countries', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(server.url + 'geography/africa/');
  const view = (await page.getAttribute('svg.map', 'viewBox')).split(' ').map(Number);
  assert.ok(view[2] < 1000 && view[3] < 974, `zoomed: ${view}`);
  // Only the region's countries with case studies are links (the neighbours are drawn for context).
  const want = [...countsOf('geography', all(), true)].filter(([code]) => isAfrican(code));
  assert.ok(want.length >= 5, `the sample has ${want.length} African countries`);
  const names = await page.$$eval('svg.map a title', ts => ts.map(t => t.textContent));
  assert.deepEqual(names.sort(), want.map(([code, n]) => named(label('geography', code), n)).sort());
  assert.match(await page.textContent('#cb-map-title'), /Case studies in Africa, by country/);
  await page.context().close();
});

/** Whether a country code is under Africa in the vocabulary (from the catalogue's parents). */
function isAfrican(code) {
  const terms = facet('geography').terms, byCode = new Map(terms.map(t => [String(t.code), t]));
  for (let t = byCode.get(code); t; t = t.parent == null ? null : byCode.get(String(t.parent))) if (String(t.code) === 'africa') return true;
  return false;
}

test('year page: one bar per year, each a link to its year, with its count', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(server.url + 'year/');
  const bars = await page.$$eval('svg.timeline a', as => as.map(a => ({ href: a.getAttribute('href'), n: a.querySelector('.n').textContent, name: a.querySelector('title').textContent })));
  const want = countsOf('year', all(), false);
  assert.deepEqual(bars.map(b => b.name).sort(), [...want].map(([y, n]) => named(y, n)).sort());
  for (const b of bars) assert.equal(b.href, `../year/${b.name.slice(0, 4)}/`, b.name);
  await Promise.all([page.waitForURL(/year\/\d{4}\/$/), page.click('svg.timeline a >> nth=0')]);
  assert.match(await page.textContent('h1'), /^\d{4}$/);
  await page.context().close();
});

/** The search page's charts as shown: per country link its name and shade; per bar its count. */
const charts = page => page.evaluate(() => ({
  map: [...document.querySelectorAll('.cb-chart-box[data-chart="map"] a[data-code]')].map(a => [a.querySelector('title').textContent, a.querySelector('path').getAttribute('class')]),
  bars: [...document.querySelectorAll('.cb-chart-box[data-chart="timeline"] a[data-code]')].map(a => [a.querySelector('title').textContent, +a.querySelector('.n').textContent, +a.querySelector('rect').getAttribute('height')]),
}));

async function openCharts(page) {
  for (const chart of ['map', 'timeline']) {
    await page.click(`.cb-chart-box[data-chart="${chart}"] summary`);
    await page.waitForSelector(`.cb-chart-box[data-chart="${chart}"][data-loaded="yes"]`);
  }
}

/** What the charts should say for the cases `slugs`. */
function expectedCharts(slugs) {
  const countries = countsOf('geography', slugs, true), years = countsOf('year', slugs, false);
  return { countries, years };
}

function checkCharts(shown, slugs) {
  const { countries, years } = expectedCharts(slugs);
  for (const [name, cls] of shown.map) {
    const [country, n] = name.split(': ');
    const code = facet('geography').terms.find(t => t.label === country).code;
    const want = countries.get(String(code)) || 0;
    assert.equal(name, named(country, want));
    assert.equal(cls === 'heat-0', want === 0, `${name}: ${cls}`);
  }
  for (const [name, n, h] of shown.bars) {
    assert.equal(n, years.get(name.slice(0, 4)) || 0, name);
    assert.equal(h > 0, n > 0, `${name}: height ${h}`);
  }
}

test('search page: the map and the chart load only when opened, follow the filters, and a country adds its filter', async () => {
  const page = await newPage(browser);
  const mark = server.log.length;
  await page.goto(server.url + 'search/');
  await settled(page);
  const early = server.log.slice(mark).filter(([, u]) => /charts\./.test(u));
  assert.deepEqual(early, [], 'nothing of the charts loads before the reader opens one');
  await openCharts(page);
  const whole = await charts(page);
  checkCharts(whole, all());
  // Filter: local level.
  await act(page, () => page.check('#cb-facets input[name="levels"][value="local"]'));
  const local = expectedResults(cat, { levels: ['local'] });
  const filtered = await charts(page);
  checkCharts(filtered, local);
  assert.notDeepEqual(filtered.map, whole.map, 'the map recoloured');
  assert.notDeepEqual(filtered.bars, whole.bars, 'the bars changed');
  // Click a country with results: it becomes a filter.
  const country = filtered.map.find(([, cls]) => cls !== 'heat-0')[0].split(': ')[0];
  const code = String(facet('geography').terms.find(t => t.label === country).code);
  await act(page, () => page.click(`.cb-chart-box[data-chart="map"] a[data-code]:has(title:text-is("${named(country, countsOf('geography', local, true).get(code))}"))`));
  const s = await snapshot(page);
  assert.equal(new URLSearchParams(s.url).getAll('geography').join(), code);
  assert.ok(s.chips.includes(`Remove filter: ${country}`), s.chips.join());
  const both = expectedResults(cat, { levels: ['local'], geography: [code] });
  assert.equal(s.results.length, both.length);
  checkCharts(await charts(page), both);
  // A bar adds its year.
  const year = (await charts(page)).bars.find(([, n]) => n > 0)[0].slice(0, 4);
  await act(page, () => page.click(`.cb-chart-box[data-chart="timeline"] a[data-code]:has(title:text-matches("^${year}:"))`));
  assert.equal(new URLSearchParams((await snapshot(page)).url).get('year'), year);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

test('search page from file://: the charts load through their script twin and follow the filters', async () => {
  const page = await newPage(browser);
  await page.goto(pathToFileURL(join(out, 'search/index.html')).href + '?levels=national');
  await settled(page);
  await openCharts(page);
  checkCharts(await charts(page), expectedResults(cat, { levels: ['national'] }));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('from file://, a country of the map and a bar of the chart open their page (…/index.html)', async () => {
  const page = await newPage(browser);
  await page.goto(pathToFileURL(join(out, 'geography/index.html')).href);
  await Promise.all([page.waitForURL(/\/geography\/ke\/index\.html$/), page.click('svg.map a[href$="geography/ke/"]')]);
  assert.equal(await page.textContent('h1'), 'Kenya');
  await page.goto(pathToFileURL(join(out, 'year/index.html')).href);
  await Promise.all([page.waitForURL(/\/year\/\d{4}\/index\.html$/), page.click('svg.timeline a >> nth=0')]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('geography, region, year and gaps pages: no WCAG 2.1 AA violations; the gaps page names what is missing', async () => {
  const page = await newPage(browser);
  for (const p of ['geography/', 'geography/africa/', 'geography/western-africa/', 'year/', 'gaps/']) {
    await page.goto(server.url + p);
    assert.deepEqual(await axe(page), [], `/${p}`);
  }
  const text = await page.textContent('main');
  assert.match(text, /Goal 14: 0 of 10 targets covered/);
  assert.match(text, /Target 14\.1: /);
  const gaps = JSON.parse(readFileSync(join(out, 'gaps.json'), 'utf8'));
  const gcm = gaps.facets.find(f => f.key === 'gcm');
  const empty = gcm.groups.flatMap(g => g.empty.map(t => t.code));
  const used = new Set(cat.cases.flatMap(c => [...c.tags.gcm]));
  const objectives = facet('gcm').terms.filter(t => t.parent != null).map(t => String(t.code));
  assert.deepEqual(empty.filter(c => objectives.includes(String(c))).sort(), objectives.filter(c => !used.has(c)).sort(), 'every GCM objective with no practice, and only those');
  for (const c of objectives.filter(c => !used.has(c))) assert.ok(text.includes(facet('gcm').terms.find(t => String(t.code) === c).label), c);
  await page.goto(server.url);
  await Promise.all([page.waitForURL(/gaps\/$/), page.click('a[href="gaps/"]')]);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});
