// axe-core (WCAG 2.1 A and AA) on the search page in use and on the other page types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { newPage, remove, act, settled, reveal, axe, snapshot, problems, withSampleSite } from './helpers.mjs';

let out, server, browser;
withSampleSite(s => ({ out, server, browser } = s));

test('search page with filters open and results shown: no WCAG 2.1 AA violations', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'search/');
  await settled(page);
  await act(page, () => page.fill('#cb-q', 'migrants'));
  await act(page, async () => (await reveal(page, 'sdg', '10.7')).check());
  await act(page, async () => (await reveal(page, 'levels', 'local')).check());
  // Open more of the tree: every "Show all" and the first level of every facet.
  await page.$$eval('#cb-facets .cb-all[aria-expanded="false"]', bs => bs.forEach(b => b.click()));
  await page.$$eval('#cb-facets fieldset > ul > li > details', ds => ds.forEach(d => { d.open = true; }));
  const s = await snapshot(page);
  assert.ok(s.results.length > 0 && s.results.some(r => r.marks.length), JSON.stringify(s.results));
  assert.ok(s.options.some(o => o.empty) && s.chips.length === 2);
  assert.deepEqual(await axe(page), []);
  // Every control has an accessible name.
  const unnamed = await page.$$eval('#cb-search input, #cb-search select, #cb-search button, #cb-search summary', els =>
    els.filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim()).map(e => e.outerHTML));
  assert.deepEqual(unnamed, []);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

test('keyboard only: filter, expand a level, remove a chip', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'search/');
  await settled(page);
  await page.focus('#cb-facets input[name="sdg"][value="10"]');
  await act(page, () => page.keyboard.press('Space'));
  await page.keyboard.press('Tab'); // to the "Targets of Goal 10" disclosure
  assert.match(await page.evaluate(() => document.activeElement.textContent), /^Targets of Goal 10: Reduced inequalities$/);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => [document.activeElement.name, document.activeElement.value]);
  assert.equal(focused[0], 'sdg');
  assert.match(focused[1], /^10\./);
  await act(page, () => page.keyboard.press('Space'));
  assert.equal((await snapshot(page)).chips.length, 2);
  await page.focus('#cb-chips .chip-remove');
  await act(page, () => page.keyboard.press('Enter'));
  assert.equal((await snapshot(page)).chips.length, 1);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'chip-remove');
  await page.context().close();
});

test('home, case study, listing, term, facet and matrix intersection pages: no WCAG 2.1 AA violations', async () => {
  const pages = ['', 'case-studies/health-worker-skills-partnership-kenya-germany/', 'case-studies/', 'sdg/10/', 'sdg/', 'explore/levels-local/gcm-rt1/'];
  const page = await newPage(browser);
  for (const p of pages) {
    assert.ok(existsSync(join(out, p, 'index.html')), `${p} exists`);
    await page.goto(server.url + p);
    // The terms folded on a facet page are checked unfolded.
    await page.$$eval('details', ds => ds.forEach(d => { d.open = true; }));
    const v = await axe(page);
    assert.deepEqual(v, [], `/${p}`);
  }
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});
