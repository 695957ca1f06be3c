// The site built for and served under a sub-path (/practices/): every fetch stays inside it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { build, serve, launch, newPage, remove, act, settled, snapshot, reveal, loadCatalogue, checkCounts, expectedResults, problems } from './helpers.mjs';

let out, server, browser, cat;
before(async () => {
  server = await serve(null, { prefix: '/practices/' });
  out = build({ baseUrl: server.url });
  server.root = out;
  cat = loadCatalogue(out);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
  remove(out);
});

test('search, filters and matrices work under /practices/', async () => {
  const page = await newPage(browser);
  await page.goto(server.url);
  // From the header's search form to the search page.
  await page.fill('#site-q', 'diaspora');
  await Promise.all([page.waitForURL('**/practices/search/?q=diaspora'), page.press('#site-q', 'Enter')]);
  await settled(page);
  let s = await snapshot(page);
  assert.ok(s.results.length >= 2, s.status);
  assert.ok(s.results.some(r => r.marks.length));
  const base = new Set(s.results.map(r => r.slug));
  await act(page, async () => (await reveal(page, 'levels', 'national')).check());
  s = await snapshot(page);
  assert.deepEqual(checkCounts(cat, s, { levels: ['national'] }, base), []);
  assert.deepEqual(new Set(s.results.map(r => r.slug)), new Set(expectedResults(cat, { levels: ['national'] }, base)));
  assert.equal(s.url, '?q=diaspora&levels=national');

  // Result links stay under the sub-path and lead to real pages.
  const links = await page.$$eval('#cb-results a', as => as.map(a => a.href));
  assert.ok(links.every(h => h.startsWith(server.url)), links.find(h => !h.startsWith(server.url)));
  await Promise.all([page.waitForURL('**/practices/case-studies/**'), page.locator('#cb-results .card-title a').first().click()]);
  assert.equal(await page.locator('h1').count(), 1);

  // A matrix cell on the home page.
  await page.goto(server.url);
  const cell = page.locator('table.heatmap td a').first();
  const n = Number(await cell.textContent());
  await Promise.all([page.waitForURL('**/practices/search/?levels=*'), cell.click()]);
  await settled(page);
  s = await snapshot(page);
  assert.equal(s.results.length, n);

  const requests = server.log.map(([, u]) => u);
  assert.ok(requests.some(u => u.startsWith('/practices/search/meta.json')));
  assert.ok(requests.some(u => u.startsWith('/practices/search/index/p-')), 'postings fetched');
  assert.ok(requests.some(u => u.startsWith('/practices/search/docs/')), 'doc fragments fetched');
  assert.deepEqual(requests.filter(u => !u.startsWith('/practices/') && u !== '/favicon.ico'), [], 'nothing outside the sub-path');
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});
