// What a reader sees on a phone (390×844) and a laptop (1366×900): the search page's filters
// folded behind "Filters (n)" on a phone, one search box per page, the site's name once on the
// home page, the first result on the first screen, and matrices that scroll sideways in their
// own box with their row headers kept in view (issue 17, "Readers first").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, serve, newPage, remove, act, settled, snapshot, reveal, axe, problems, PHONE, LAPTOP, withSampleSite } from './helpers.mjs';

let out, server, browser;
withSampleSite(s => ({ out, server, browser } = s));

async function open(path, viewport, opts = {}) {
  const page = await newPage(browser, { viewport, ...opts });
  await page.goto(server.url + path);
  if (path.startsWith('search/') && opts.javaScriptEnabled !== false) await settled(page);
  return page;
}

/** The filter panel as a reader finds it: open or not, the number on its button, the button at its foot. */
const panel = page => page.evaluate(() => {
  const d = document.querySelector('.cb-filters'), done = d.querySelector('.cb-done');
  const count = d.querySelector('summary').textContent.match(/\((\d+)/);
  return {
    open: d.open,
    optionsShown: [...d.querySelectorAll('#cb-facets input')].some(i => i.checkVisibility()),
    summary: d.querySelector('summary').textContent.replace(/\s+/g, ' ').trim(),
    count: count ? Number(count[1]) : 0,
    done: done.checkVisibility() ? done.textContent : null,
  };
});

test('phone: the filters are folded behind "Filters (n)", n the filters in use, kept up to date', async () => {
  const page = await open('search/?levels=local', PHONE);
  let p = await panel(page);
  assert.equal(p.open, false, 'closed on a phone');
  assert.equal(p.optionsShown, false);
  assert.equal(p.summary, 'Filters (1 in use)');
  assert.equal(p.count, (await snapshot(page)).chips.length);

  await page.click('.cb-filters > summary');
  p = await panel(page);
  assert.ok(p.open && p.optionsShown, 'the button opens the panel');
  await act(page, async () => (await reveal(page, 'sdg', '10')).check());
  let s = await snapshot(page);
  p = await panel(page);
  assert.equal(s.chips.length, 2);
  assert.equal(p.count, 2, 'the count follows a checked box');
  assert.equal(p.done, `Show ${s.status}`, 'the foot of the panel says what closing it shows');

  await page.click('.cb-done');
  p = await panel(page);
  assert.equal(p.open, false, '"Show results" closes the panel');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SUMMARY', 'the focus returns to the button');

  await act(page, () => page.click('#cb-chips .chip-remove'));
  assert.equal((await panel(page)).count, 1, 'the count follows a removed chip');
  await act(page, () => page.click('#cb-chips .cb-clear'));
  p = await panel(page);
  assert.equal(p.count, 0);
  assert.equal(p.summary, 'Filters');
  await act(page, () => page.goBack());
  assert.equal((await panel(page)).count, 1, 'the count follows back/forward');

  // Widened to a laptop, the panel opens beside the results, with no "Show results" button.
  await page.setViewportSize(LAPTOP);
  await page.waitForFunction(() => document.querySelector('.cb-filters').open);
  p = await panel(page);
  assert.ok(p.optionsShown);
  assert.equal(p.done, null);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

test('laptop: the filters are open beside the results, as before', async () => {
  const page = await open('search/?levels=local&sdg=10', LAPTOP);
  const p = await panel(page);
  assert.ok(p.open && p.optionsShown);
  assert.equal(p.count, 2);
  const [filters, results] = await Promise.all(['.cb-filters', '#cb-results'].map(s => page.locator(s).boundingBox()));
  assert.ok(filters.x + filters.width <= results.x, 'side by side');
  await page.context().close();
});

test('phone: the first result is on the first screen, with a query and with filters', async () => {
  for (const path of ['search/?q=diaspora', 'search/?levels=local&sdg=10', 'search/']) {
    const page = await open(path, PHONE);
    const first = await page.locator('#cb-results > li').first().boundingBox();
    assert.ok(first, `${path}: a result is shown`);
    assert.ok(first.y < PHONE.height - 100, `${path}: the first result starts at ${first.y}px, below the first screen`);
    await page.context().close();
  }
});

test('phone: the first case study card is on the first screen of listing pages', async () => {
  const page = await newPage(browser, { viewport: PHONE });
  for (const path of ['case-studies/', 'levels/local/', 'sdg/10/', 'explore/levels-local/sdg-10/']) {
    await page.goto(server.url + path);
    // Its title whole on the first screen, under what the page says it lists (on an
    // intersection: the terms crossed, their descriptions and the ways to narrow down).
    const title = await page.locator('.cards > li').first().locator('h2, h3').first().boundingBox();
    assert.ok(title.y + title.height <= PHONE.height, `${path}: the first card's title ends at ${title.y + title.height}px`);
  }
  await page.context().close();
});

test('one search box on every page type: the search page keeps its own, not the header\'s', async () => {
  const cs = readdirSync(join(out, 'case-studies')).find(d => !d.includes('.') && d !== 'page');
  const pages = ['', `case-studies/${cs}/`, 'case-studies/', 'sdg/10/', 'sdg/10-7/', 'explore/levels-local/sdg-10/',
    'sdg/', 'browse/', 'search/', 'about/', '404.html'];
  // The 404 page links to the site from its base URL's path, as a server serving it at any depth must.
  const sub = await serve(out, { prefix: new URL(readFileSync(join(REPO, 'casebook.yaml'), 'utf8').match(/^base_url: "([^"]+)"/m)[1]).pathname });
  const page = await newPage(browser, { viewport: PHONE });
  for (const p of pages) {
    await page.goto((p === '404.html' ? sub : server).url + p);
    const boxes = await page.$$eval('input[type="search"]', els => els.map(e => e.id));
    assert.equal(boxes.length, 1, `/${p}: ${boxes.join(', ')}`);
    assert.equal(boxes[0], p === 'search/' ? 'cb-q' : 'site-q', `/${p}`);
  }
  assert.deepEqual(problems(page, server), []);
  assert.deepEqual(problems(page, sub), []);
  sub.close();
  await page.context().close();
});

test('home: the site\'s name and tagline are shown once, as the page\'s heading', async () => {
  for (const viewport of [PHONE, LAPTOP]) {
    const page = await open('', viewport);
    const r = await page.evaluate(() => {
      const title = document.querySelector('.brand-title').textContent.trim();
      const tagline = document.querySelector('.brand-tagline').textContent.trim();
      const times = s => document.body.innerText.split(s).length - 1;
      return { title, times: times(title), tagline: times(tagline), h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()) };
    });
    assert.ok(r.title.length > 0);
    assert.equal(r.times, 1, `"${r.title}" is shown ${r.times} times`);
    assert.equal(r.tagline, 1, 'the tagline is shown once');
    assert.deepEqual(r.h1, [r.title]);
    await page.context().close();
  }
});

/** The SDG matrix's scroll box after scrolling it to its end: where its row header and Goal 17 are. */
async function scrollMatrix(page) {
  const box = page.locator('.table-scroll:has(table[data-col-facet="sdg"])');
  await box.scrollIntoViewIfNeeded();
  const before = await box.evaluate(b => {
    const box = b.getBoundingClientRect();
    const inView = [...b.querySelectorAll('thead th[data-col]')].filter(th => th.getBoundingClientRect().right <= box.right + 1);
    return {
      scrollable: b.scrollWidth > b.clientWidth, more: b.dataset.more, columnsInView: inView.length,
      row: b.querySelector('th[scope="row"]').getBoundingClientRect().left,
    };
  });
  await box.evaluate(b => { b.scrollLeft = b.scrollWidth; });
  await page.waitForFunction(b => b.dataset.more !== 'end', await box.elementHandle());
  const after = await box.evaluate(b => {
    const seen = el => {
      const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
      return x >= 0 && x < innerWidth && el.contains(document.elementFromPoint(x, y));
    };
    const row = b.querySelector('th[scope="row"]'), goal17 = b.querySelector('thead th[data-col="17"]');
    const box = b.getBoundingClientRect(), g = goal17.getBoundingClientRect();
    return {
      row: row.getBoundingClientRect().left, rowSeen: seen(row), goal17Seen: seen(goal17),
      goal17Inside: g.left >= box.left && g.right <= box.right + 1, more: b.dataset.more,
      pageOverflow: document.documentElement.scrollWidth - innerWidth,
    };
  });
  return { before, after };
}

test('phone: a matrix scrolls sideways in its own box, its row headers kept in view', async () => {
  const page = await open('', PHONE);
  const { before, after } = await scrollMatrix(page);
  assert.ok(before.scrollable, 'the SDG matrix is wider than a phone');
  assert.equal(before.more, 'end', 'its end edge says there is more');
  assert.equal(after.rowSeen, true, 'the row header is still visible after scrolling');
  assert.ok(Math.abs(after.row - before.row) < 1, `the row header stays at the start edge (${before.row} → ${after.row})`);
  assert.equal(after.goal17Seen, true, 'Goal 17 is reachable');
  assert.equal(after.more, 'start');
  assert.equal(after.pageOverflow, 0, 'the page itself does not scroll sideways');
  // The phone shows several columns beside the row headers, each with its name ("Goal 3" /
  // "Good health and well-being") wrapped in a narrow column.
  const cols = await page.locator('table[data-col-facet="sdg"] thead th[data-col]').evaluateAll(ths => {
    const box = ths[0].closest('.table-scroll').getBoundingClientRect();
    return ths.filter(th => { const r = th.getBoundingClientRect(); return r.left >= box.left && r.right <= box.right; }).length;
  });
  assert.ok(cols >= 3, `${cols} goal columns in view at once`);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

test('laptop: all 17 goals of the SDG matrix are reachable at 1366 px', async () => {
  const page = await open('', LAPTOP);
  const { before, after } = await scrollMatrix(page);
  // All in view at once; or, should longer column labels make it wider than the page, its end
  // edge shows that more lies beyond (it used to look cut off at Goal 12).
  assert.ok(before.columnsInView === 17 || before.more === 'end', `${before.columnsInView} goals in view, data-more="${before.more}"`);
  assert.equal(after.goal17Seen, true, 'Goal 17 is visible, not under the row headers');
  assert.equal(after.goal17Inside, true, 'Goal 17 is inside the box');
  assert.equal(after.rowSeen, true);
  assert.equal(after.pageOverflow, 0);
  await page.context().close();
});

test('without JavaScript: the row headers still stay in view (CSS alone), one search box', async () => {
  const page = await open('', PHONE, { javaScriptEnabled: false });
  const r = await page.locator('.table-scroll:has(table[data-col-facet="sdg"])').evaluate(b => {
    const row = b.querySelector('th[scope="row"]'), x0 = row.getBoundingClientRect().left;
    b.scrollLeft = b.scrollWidth;
    return { scrolled: b.scrollLeft > 0, moved: row.getBoundingClientRect().left - x0 };
  });
  assert.ok(r.scrolled);
  assert.ok(Math.abs(r.moved) < 1, `the row header moved by ${r.moved}px`);
  assert.equal(await page.locator('input[type="search"]').count(), 1);
  await page.context().close();
});

test('phone: no WCAG 2.1 AA violations with the panel closed and open, or on a scrolled matrix', async () => {
  const page = await open('search/?q=migrants&levels=local', PHONE);
  assert.deepEqual(await axe(page), [], 'panel closed');
  await page.click('.cb-filters > summary');
  assert.deepEqual(await axe(page), [], 'panel open');
  await page.goto(server.url);
  await scrollMatrix(page);
  assert.deepEqual(await axe(page), [], 'home, matrix scrolled');
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});
