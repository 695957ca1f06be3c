// The home page's matrices: a cell opens the search page with its row and column filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, BIN, build, serve, launch, newPage, remove, settled, snapshot, loadCatalogue, expectedResults, checkCounts, problems } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Clicks matrix cells on the home page and checks the search page they open. */
async function clickCells(server, cat) {
  const page = await newPage(browser);
  await page.goto(server.url);
  const tables = await page.locator('table.heatmap').count();
  assert.ok(tables >= 2, 'the sample site has two matrices');
  for (let t = 0; t < tables; t++) {
    const cell = page.locator('table.heatmap').nth(t).locator('td a').first();
    const number = Number(await cell.textContent());
    const label = await cell.getAttribute('aria-label');
    await Promise.all([page.waitForURL(/\/search\/\?/), cell.click()]);
    await settled(page);
    const s = await snapshot(page);
    const params = [...new URLSearchParams(s.url)];
    assert.equal(params.length, 2, `${label}: ${s.url}`);
    const sel = Object.fromEntries(params.map(([k, v]) => [k, [v]]));
    assert.equal(params[0][0], 'levels', 'rows are governance levels');
    assert.deepEqual(s.options.filter(o => o.checked).map(o => [o.facet, o.code]), params, 'both filters applied');
    assert.equal(s.results.length, number, `${label}: the cell's count`);
    assert.deepEqual(s.results.map(r => r.slug).sort(), expectedResults(cat, sel).sort());
    assert.deepEqual(checkCounts(cat, s, sel), []);
    await page.goBack();
  }
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
}

test('a matrix cell opens the search page with both filters (links to explore/… pages)', async () => {
  const out = build();
  const server = await serve(out);
  try {
    await clickCells(server, loadCatalogue(out));
    // Without JavaScript, cells still link to the intersection pages.
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(html, /<td class="heat-\d"><a href="explore\/levels-[a-z]+\/gcm-rt\d\/"/);
  } finally {
    server.close();
    remove(out);
  }
});

test('a matrix cell opens the search page (with the data-* attributes asked of the template)', async t => {
  // The theme with the attributes this script reads; a no-op once components.html has them.
  const root = mkdtempSync(join(tmpdir(), 'casebook-root-'));
  const out = mkdtempSync(join(tmpdir(), 'casebook-site-'));
  let server;
  try {
    for (const p of ['casebook.yaml', 'content', 'themes']) cpSync(join(REPO, p), join(root, p), { recursive: true });
    const components = join(root, 'themes/default/templates/components.html');
    let src = readFileSync(components, 'utf8');
    if (!src.includes('data-row-facet')) {
      const edits = [
        ['<table class="heatmap">', '<table class="heatmap" data-row-facet="{{ mx.row_facet }}" data-col-facet="{{ mx.col_facet }}">'],
        ['<th scope="col">{% if col.url %}', '<th scope="col" data-col="{{ col.code }}">{% if col.url %}'],
        ['<th scope="row">{% if row.url %}', '<th scope="row" data-row="{{ row.code }}">{% if row.url %}'],
      ];
      const missing = edits.filter(([a]) => !src.includes(a));
      if (missing.length) return t.skip(`components.html has changed; cannot add the attributes at ${missing[0][0]}`);
      for (const [a, b] of edits) src = src.replace(a, b);
      writeFileSync(components, src);
    }
    const r = spawnSync(BIN, ['build', '--quiet', '--root', root, '--output', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    server = await serve(out);
    const page = await newPage(browser);
    await page.goto(server.url);
    const hrefs = await page.$$eval('table.heatmap td a', as => as.map(a => a.getAttribute('href')));
    assert.ok(hrefs.length > 0 && hrefs.every(h => /\/search\/\?levels=[a-z]+&(gcm|sdg)=/.test(h)), `cells link to the search page: ${hrefs[0]}`);
    await page.context().close();
    await clickCells(server, loadCatalogue(out));
  } finally {
    server?.close();
    remove(out);
    remove(root);
  }
});
