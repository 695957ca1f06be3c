// The site opened from file:// (no server, fetch blocked): offline.js drives browsing and filtering,
// search falls back to titles, summaries and tags, and links to folders get "index.html".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { build, launch, newPage, remove, act, settled, snapshot, reveal, loadCatalogue, checkCounts, expectedResults } from './helpers.mjs';

let out, site, browser, cat;
before(async () => {
  out = build();
  site = pathToFileURL(out).href + '/';
  cat = loadCatalogue(out);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  remove(out);
});

const FALLBACK = 'Full-text search is not available when the site is opened from a file; matching titles, summaries and tags.';

test('file://: filtering works from offline.js; search falls back and says so', async () => {
  const page = await newPage(browser);
  await page.goto(site + 'search/index.html?levels=local');
  await settled(page);
  let s = await snapshot(page);
  const sel = { levels: ['local'] };
  assert.deepEqual(checkCounts(cat, s, sel), []);
  assert.deepEqual(s.results.map(r => r.slug).sort(), expectedResults(cat, sel).sort());
  assert.doesNotMatch(s.status, /Full-text/);

  await act(page, async () => (await reveal(page, 'sdg', '10')).check());
  sel.sdg = ['10'];
  s = await snapshot(page);
  assert.deepEqual(checkCounts(cat, s, sel), []);
  assert.deepEqual(s.results.map(r => r.slug).sort(), expectedResults(cat, sel).sort());
  assert.equal(s.url, '?levels=local&sdg=10', 'the state is in the URL on file:// too');

  await act(page, () => page.fill('#cb-q', 'diaspora'));
  s = await snapshot(page);
  assert.ok(s.status.endsWith(FALLBACK), s.status);
  // At least every case whose title or summary has the word; each result shows where it matched.
  const want = cat.cases.filter(c => expectedResults(cat, sel).includes(c.slug) && /\bdiaspora/i.test(c.title + ' ' + c.summary));
  assert.ok(want.length > 0);
  for (const c of want) assert.ok(s.results.some(r => r.slug === c.slug), `${c.slug} is found`);
  assert.ok(s.status.startsWith(s.results.length === 1 ? '1 case study. ' : `${s.results.length} case studies. `), s.status);
  for (const r of s.results) assert.ok(r.marks.some(m => /^diaspora/i.test(m)), `${r.slug} is highlighted`);

  // Reload keeps the state.
  await page.reload();
  await settled(page);
  const again = await snapshot(page);
  assert.deepEqual(again, s);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('file://: links to folders open their index.html; matrix cells open the search page', async () => {
  const page = await newPage(browser);
  await page.goto(site + 'index.html');
  // A navigation link ("case-studies/") and the brand link back home ("./").
  await Promise.all([page.waitForURL(/\/case-studies\/index\.html$/), page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Case studies' }).click()]);
  assert.ok((await page.title()).length > 0);
  await Promise.all([page.waitForURL(/\/index\.html$/), page.locator('a.brand').click()]);
  assert.equal(page.url(), site + 'index.html');
  // The header search form.
  await page.fill('#site-q', 'nurses');
  await Promise.all([page.waitForURL(/\/search\/index\.html\?q=nurses$/), page.press('#site-q', 'Enter')]);
  await settled(page);
  assert.ok((await snapshot(page)).status.endsWith(FALLBACK));
  // A matrix cell.
  await page.goto(site + 'index.html');
  const cell = page.locator('table.heatmap td a').first();
  const n = Number(await cell.textContent());
  await Promise.all([page.waitForURL(/\/search\/index\.html\?levels=/), cell.click()]);
  await settled(page);
  const s = await snapshot(page);
  assert.equal(s.results.length, n);
  assert.equal(s.options.filter(o => o.checked).length, 2);
  // A result opens its page.
  await Promise.all([page.waitForURL(/\/case-studies\/[^/]+\/index\.html$/), page.locator('#cb-results .card-title a').first().click()]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
