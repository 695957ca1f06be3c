// axe-core (WCAG 2.1 A and AA) on the search page in use and on the other page types, in every language.
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

test('home, case study, listing, term, facet and matrix intersection pages, and every page type of /fr/, /es/ and /ar/: no WCAG 2.1 AA violations', async () => {
  const pages = ['', 'case-studies/health-worker-skills-partnership-kenya-germany/', 'case-studies/', 'sdg/10/', 'sdg/', 'explore/levels-local/gcm-rt1/',
    // A case study with a Markdown task list (see the test below), in English and French.
    'case-studies/city-welcome-centre-saxony/', 'fr/case-studies/city-welcome-centre-saxony/',
    // Each other edition: home, a case study in its language and an untranslated one, the listing, a term
    // page, a facet page, search (with its results shown), gaps and the about page.
    ...[['fr', 'global-partnership-migration-data', 'municipal-community-centres-jordan'],
      ['es', 'consular-health-windows-mexico-united-states', 'health-worker-skills-partnership-kenya-germany'],
      ['ar', 'national-diaspora-engagement-policy-ghana', 'local-immigration-partnership-council-canada']].flatMap(([l, own, other]) => [
      '', `case-studies/${own}/`, `case-studies/${other}/`, 'case-studies/', 'levels/local/', 'sdg/', 'search/', 'gaps/', 'about/',
    ].map(p => `${l}/${p}`))];
  const page = await newPage(browser);
  for (const p of pages) {
    assert.ok(existsSync(join(out, p, 'index.html')), `${p} exists`);
    await page.goto(server.url + p);
    if (p.endsWith('search/')) await settled(page);
    // The terms folded on a facet page are checked unfolded.
    await page.$$eval('details', ds => ds.forEach(d => { d.open = true; }));
    const v = await axe(page);
    assert.deepEqual(v, [], `/${p}`);
  }
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

// A Markdown task list ("- [x] …") once rendered as pulldown-cmark's <input disabled type="checkbox">
// without an accessible name (axe "label (critical): Form elements must have labels"); its boxes are
// now ☑/☐ characters read with the item's text. The sample's city-welcome-centre-saxony (en, fr; the
// ar edition's copy of the English) has one, with items done and to do.
test('a case study with a Markdown task list, in each edition: ☑/☐ marks, no checkbox, no WCAG 2.1 AA violations', async () => {
  const page = await newPage(browser);
  for (const p of ['case-studies/city-welcome-centre-saxony/', 'fr/case-studies/city-welcome-centre-saxony/', 'ar/case-studies/city-welcome-centre-saxony/']) {
    await page.goto(server.url + p);
    const marks = await page.$$eval('main li > .task-mark', ms => ms.map(m => m.textContent));
    assert.ok(marks.includes('☑') && marks.includes('☐') && marks.every(m => m === '☑' || m === '☐'), `${p} has a task list: ${marks}`);
    assert.equal(await page.locator('main input[type="checkbox"]').count(), 0, `${p}: no unlabelled checkbox`);
    // Each mark is followed by its item's text.
    const items = await page.$$eval('main li:has(> .task-mark)', ls => ls.map(l => l.textContent.replace(/^[☑☐]\s*/, '').trim()));
    assert.ok(items.every(t => t.length > 3), JSON.stringify(items));
    assert.deepEqual(await axe(page), [], `/${p}`);
  }
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});
