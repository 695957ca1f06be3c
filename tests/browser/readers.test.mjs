// Readers first (issue 17): codes carry their names, browse pages lead with what holds case studies.
// Cards and matrix headers say what "Target 3.c" or "Round table 1" mean and name their countries;
// the matrix legend gives the counts of each shade; facet pages fold the terms with no case study;
// an intersection's "Narrow down" chips lead to exactly as many case studies as they say; the home
// page shows no tile counting 0; the favicon is served wherever the site lives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, BIN, build, serve, newPage, remove, settled, loadAll, expectedResults, problems, withSampleSite } from './helpers.mjs';

let out, server, browser, cat;
withSampleSite(s => ({ out, server, browser, cat } = s), { catalogue: true });

/** A code label ("Target 3.c", "Objective 5", "Goal 10", "Round table 1") not followed by its name. */
const bareCode = text => /^(Target|Goal|Objective|Round table) [0-9]+(\.[0-9a-z]+)?$/.test(text.trim());

test('cards give every code its name and name their countries, on listings and in search results', async () => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 900 } });
  await page.goto(server.url + 'case-studies/');
  const chips = await page.$$eval('.card-tags .chip', cs => cs.map(c => c.textContent));
  assert.ok(chips.some(c => /^Target 3\.c: Health financing/.test(c)), chips.join(' | '));
  assert.ok(chips.some(c => c === 'Objective 5: Regular pathways'), chips.join(' | '));
  assert.deepEqual(chips.filter(bareCode), [], 'no code without its name');
  const kenya = page.locator('.card', { hasText: 'nurses between Kenya and Germany' });
  const tags = await kenya.locator('.card-tags .chip').allTextContents();
  assert.ok(tags.includes('Kenya') && tags.includes('Germany'), tags.join(' | '));
  // Search results are drawn by the script from the same card data.
  await page.goto(server.url + 'search/?sdg=3');
  await settled(page);
  const found = await page.$$eval('#cb-results .card-tags .chip, #cb-results .chip', cs => cs.map(c => c.textContent));
  assert.ok(found.some(c => /^Target 3\.c: /.test(c)) && found.includes('Kenya'), found.join(' | '));
  assert.deepEqual(found.filter(bareCode), []);
  // The filter options and the chip of an active filter carry the name too.
  const options = await page.$$eval('#cb-facets input[name="gcm"]', bs => bs.map(b => b.closest('label').textContent));
  assert.deepEqual(options.filter(o => bareCode(o.replace(/\s*\d+\s*case stud(y|ies)\s*$/, ''))), []);
  const active = await page.$$eval('#cb-chips .chip', cs => cs.map(c => c.textContent));
  assert.match(active.join(), /Goal 3: Good health and well-being/);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

/** Relative luminance of a CSS rgb() colour. */
const luminance = rgb => {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
    .map(v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

test('matrix headers show each column\'s name, captions keep their acronyms, the legend its counts', async () => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 900 } });
  await page.goto(server.url);
  const tables = page.locator('section.matrix');
  assert.equal(await tables.count(), 2);
  for (let i = 0; i < 2; i++) {
    const section = tables.nth(i);
    const heads = section.locator('thead th[data-col]');
    for (let c = 0; c < await heads.count(); c++) {
      const name = heads.nth(c).locator('.col-short');
      assert.ok(await name.isVisible(), `column ${c} shows its name`);
      assert.ok((await name.textContent()).trim().length > 3);
    }
    const caption = await section.locator('.matrix-caption').textContent();
    assert.match(caption, /\b(GCM objective|SDG target)\b/, caption);
    assert.doesNotMatch(caption, /\b(gcm|sdg)\b/, caption);
    // The legend is on screen and names the counts of each shade it uses.
    const legend = section.locator('.heat-legend');
    assert.ok(await legend.isVisible());
    const steps = await legend.locator('.heat-step').allTextContents();
    assert.ok(steps.length >= 2 && steps.every(s => /^\d+(–\d+)?$/.test(s.trim())), steps.join(' | '));
    // Shades follow the counts: more is never lighter, and one case is lighter than the fullest cell.
    const cells = await section.locator('td a').evaluateAll(as => as.map(a => [Number(a.textContent), getComputedStyle(a.closest('td')).backgroundColor]));
    const shade = cells.map(([n, bg]) => [n, luminance(bg)]).sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < shade.length; k++) assert.ok(shade[k][1] <= shade[k - 1][1] + 1e-9, `${shade[k][0]} cases lighter than ${shade[k - 1][0]}`);
    const [least, most] = [shade[0], shade[shade.length - 1]];
    if (least[0] === 1 && most[0] > 1) assert.ok(least[1] > most[1] + 0.2, `1 case (${least[1]}) clearly lighter than ${most[0]} (${most[1]})`);
  }
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

test('facet pages lead with the terms holding case studies and fold the others (without JavaScript)', async () => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 900 }, javaScriptEnabled: false });
  for (const facet of ['sdg', 'geography', 'gcm']) {
    await page.goto(server.url + facet + '/');
    const shown = await page.$$eval('.facet-tree:not(details .facet-tree) .count', cs => cs.map(c => parseInt(c.textContent.slice(1), 10)));
    assert.ok(shown.length > 0 && shown.every(n => n > 0), `${facet}: only terms in use shown (${shown})`);
    const folded = page.locator('details.empty-terms');
    assert.equal(await folded.count(), 1, facet);
    assert.equal(await folded.getAttribute('open'), null, `${facet}: folded`);
    const summary = (await folded.locator('summary').textContent()).trim();
    const m = /^Show (.+) with no case study yet$/.exec(summary);
    assert.ok(m, summary);
    const said = [...m[1].matchAll(/(\d+) /g)].reduce((a, x) => a + Number(x[1]), 0);
    const empty = await folded.locator('.term-link.empty').count();
    assert.equal(said, empty, `${facet}: "${summary}" counts the folded terms`);
    assert.equal(await folded.locator('.term-link.empty').first().isVisible(), false);
    await folded.locator('summary').click();
    assert.equal(await folded.locator('.term-link.empty').first().isVisible(), true, `${facet}: opens without JavaScript`);
  }
  // Every SDG target is on the page once, in use or folded.
  await page.goto(server.url + 'sdg/');
  const targets = await page.$$eval('.term-link', ls => ls.map(l => l.textContent.trim()).filter(t => /^Target /.test(t)));
  assert.equal(new Set(targets).size, 169);
  assert.equal(targets.length, 169);
  assert.match((await page.locator('details.empty-terms summary').textContent()).trim(), /^Show \d+ goals and \d+ targets with no case study yet$/);
  await page.context().close();
});

test('an intersection\'s "Narrow down" chips lead to exactly as many case studies as they say', async () => {
  const page = await newPage(browser);
  const explore = join(out, 'explore');
  const cells = readdirSync(explore).flatMap(r => readdirSync(join(explore, r)).map(c => `explore/${r}/${c}/`));
  assert.ok(cells.length > 10);
  // The chips of every cell, read from the files (a browser would take 0.2 s a page for the same).
  const offers = [];
  for (const cell of cells) {
    const html = readFileSync(join(out, cell, 'index.html'), 'utf8');
    const total = parseInt(/<p class="result-count">(\d+) /.exec(html)[1], 10);
    const narrow = (/<section class="subterms narrow"[^]*?<\/section>/.exec(html) || [''])[0];
    const chips = [...narrow.matchAll(/<a class="chip" href="([^"]+)"><span class="chip-label">([^<]+)<\/span> <span class="count">(\d+)/g)].map(([, href, name, n]) => ({
      href: new URL(href.replaceAll('&amp;', '&'), server.url + cell).href, name: name.trim(), count: Number(n),
    }));
    assert.ok(chips.length > 0, `${cell} offers ways to narrow down`);
    // The cell's single-facet pages are wider, not narrower: they are not offered as "Narrow down".
    assert.deepEqual(chips.filter(c => c.count > total), [], `${cell}: a chip wider than the page (${total})`);
    offers.push({ cell, total, chips });
  }
  // Every chip's filters select exactly its count (counted from the open data as the search page
  // counts: OR within a facet, AND across, a parent holding its children's case studies) ...
  const filters = href => {
    const sel = {};
    for (const [k, v] of new URL(href).searchParams) (sel[k] ||= []).push(v);
    return sel;
  };
  for (const { cell, chips } of offers) {
    for (const chip of chips) assert.equal(expectedResults(cat, filters(chip.href)).length, chip.count, `${cell} → ${chip.href}`);
  }
  // ... and the search page shows that many: every chip of the busiest cell of each matrix is followed.
  const busiest = ['gcm-', 'sdg-'].map(m => offers.filter(o => o.cell.includes(m)).sort((a, b) => b.total - a.total)[0]);
  for (const { cell, chips } of busiest) {
    assert.ok(chips.length >= 4, `${cell}: ${chips.length} chips`);
    for (const chip of chips) {
      await page.goto(chip.href);
      await settled(page);
      await loadAll(page);
      const shown = await page.locator('#cb-results > li').count();
      const status = await page.locator('#cb-status').textContent();
      assert.equal(shown, chip.count, `${cell} → ${chip.name} (${chip.href}): says ${chip.count}, search shows ${shown}`);
      assert.match(status, new RegExp(`^${chip.count} case stud`), status);
      assert.deepEqual(filters(page.url()), filters(chip.href), 'the search page keeps the filters');
    }
  }
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

test('the home page shows no tile counting 0', async () => {
  // A portal tagged with SDG goals only: "0 SDG targets" would be the tile.
  const root = mkdtempSync(join(tmpdir(), 'casebook-root-'));
  const site = mkdtempSync(join(tmpdir(), 'casebook-site-'));
  let local;
  try {
    for (const p of ['casebook.yaml', 'content', 'themes']) cpSync(join(REPO, p), join(root, p), { recursive: true });
    const cases = join(root, 'content/case-studies');
    for (const f of readdirSync(cases).filter(f => f.endsWith('.md'))) {
      const text = readFileSync(join(cases, f), 'utf8');
      writeFileSync(join(cases, f), text.replace(/^sdg_targets: .*$/m, 'sdg_goals: [10]'));
    }
    const r = spawnSync(BIN, ['build', '--quiet', '--root', root, '--output', site], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    local = await serve(site);
    const page = await newPage(browser);
    for (const [url, zeroLabel] of [[local.url, 'SDG targets'], [server.url, null]]) {
      await page.goto(url);
      const tiles = await page.$$eval('.stats li', ls => ls.map(l => [parseInt(l.querySelector('.stat-number').textContent, 10), l.querySelector('.stat-label').textContent]));
      assert.ok(tiles.length >= 3, JSON.stringify(tiles));
      assert.deepEqual(tiles.filter(([n]) => !(n > 0)), [], `${url}: ${JSON.stringify(tiles)}`);
      if (zeroLabel) assert.ok(!tiles.some(([, l]) => l === zeroLabel), `no "${zeroLabel}" tile`);
    }
    await page.context().close();
  } finally {
    local?.close();
    remove(site);
    remove(root);
  }
});

test('the favicon is linked from every page and served, at the root, under a sub-path and from disk', async () => {
  const pages = ['', 'case-studies/', 'sdg/10-7/', 'explore/levels-local/gcm-rt3/', 'search/'];
  const sub = build({ baseUrl: 'http://127.0.0.1/practices/' });
  const under = await serve(sub, { prefix: '/practices/' });
  try {
    for (const [srv, dir] of [[server, out], [under, sub]]) {
      const page = await newPage(browser);
      // 404.html links from the base path (it is served at any depth): only under its own base URL.
      for (const p of srv === under ? [...pages, '404.html'] : pages) {
        await page.goto(srv.url + p);
        const href = await page.$eval('link[rel="icon"]', l => l.href);
        assert.equal(new URL(href).pathname, new URL(srv.url).pathname + 'assets/favicon.svg', `${srv.url}${p}`);
        const res = await page.request.get(href);
        assert.equal(res.status(), 200, href);
        assert.match(res.headers()['content-type'], /^image\/svg\+xml/);
        assert.match(await res.text(), /^<svg [^>]*viewBox/);
      }
      // No request failed, and none went to /favicon.ico.
      assert.deepEqual(srv.log.filter(([st]) => st >= 400), [], dir);
      assert.ok(!srv.log.some(([, u]) => /favicon\.ico/.test(u)), 'no /favicon.ico request');
      await page.context().close();
    }
    // From disk, the relative link finds the file.
    const page = await newPage(browser);
    await page.goto(pathToFileURL(join(out, 'sdg/10-7/index.html')).href);
    const href = await page.$eval('link[rel="icon"]', l => l.href);
    assert.ok(href.startsWith('file://') && existsSync(new URL(href)), href);
    await page.context().close();
  } finally {
    under.close();
    remove(sub);
  }
});
