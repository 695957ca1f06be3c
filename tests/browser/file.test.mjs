// The site opened from file:// (no server, fetch blocked): offline.js drives browsing and filtering,
// full-text search reads the index's script twins (same stems, same ranking as online), and links
// to folders get "index.html".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { build, launch, newPage, remove, act, settled, snapshot, reveal, loadCatalogue, checkCounts, expectedResults } from './helpers.mjs';
import { ranker } from '../relevance/rank.mjs';

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

test('file://: filtering works from offline.js; full-text search ranks as online', async () => {
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
  // The results are those of the index ranked as online (tests/relevance/rank.mjs), within the filters.
  const rank = ranker(out), within = new Set(expectedResults(cat, sel));
  const want = (await rank('diaspora')).all.filter(slug => within.has(slug));
  assert.ok(want.length > 0);
  assert.deepEqual(s.results.map(r => r.slug), want);
  assert.equal(s.status, want.length === 1 ? '1 case study' : `${want.length} case studies`);
  for (const r of s.results) assert.ok(r.marks.some(m => /^diaspora/i.test(m)), `${r.slug} is highlighted`);

  // Reload keeps the state.
  await page.reload();
  await settled(page);
  const again = await snapshot(page);
  assert.deepEqual(again, s);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('file://: search stems as online: "remittances" finds what "remittance" finds', async () => {
  const page = await newPage(browser);
  const rank = ranker(out);
  const found = {};
  for (const q of ['remittances', 'remittance', 'Réintégration']) {
    await page.goto(site + 'search/index.html?q=' + encodeURIComponent(q));
    await settled(page);
    found[q] = (await snapshot(page)).results.map(r => r.slug);
    assert.deepEqual(found[q], (await rank(q)).all, `${q} from disk and online`);
  }
  assert.ok(found.remittances.length >= 3, found.remittances);
  assert.deepEqual(found.remittances, found.remittance);
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
  assert.deepEqual((await snapshot(page)).results.map(r => r.slug), ['health-worker-skills-partnership-kenya-germany']);
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
