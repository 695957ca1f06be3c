// The search page over HTTP: full-text search, facets with disjunctive counts, both combined,
// URL state (reload, back/forward).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  newPage, remove, act, settled, snapshot, reveal, loadAll, expectedResults, checkCounts, problems, withSampleSite,
} from './helpers.mjs';

let out, server, browser, cat;
withSampleSite(s => ({ out, server, browser, cat } = s), { catalogue: true });

const fold = s => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
/** The folded body text of a case study page (its prose), read from the built site. */
const body = slug => {
  const html = readFileSync(join(out, 'case-studies', slug, 'index.html'), 'utf8');
  const prose = html.slice(html.indexOf('<div class="prose">'), html.indexOf('<section class="case-meta"'));
  return fold(prose.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&'));
};
const hasWord = (text, re) => re.test(text);

async function open(path = 'search/') {
  const page = await newPage(browser);
  await page.goto(server.url + path);
  await settled(page);
  return page;
}
const noErrors = page => assert.deepEqual(problems(page, server), []);

test('typing a query gives ranked results with highlighted words', async () => {
  const page = await open();
  let s = await snapshot(page);
  assert.equal(s.status, `${cat.cases.length} case studies`);
  assert.equal(s.sort, 'newest');
  const historyLength = await page.evaluate(() => history.length);

  await act(page, () => page.locator('#cb-q').pressSequentially('diaspora', { delay: 15 }));
  s = await snapshot(page);
  assert.equal(s.url, '?q=diaspora');
  assert.equal(await page.evaluate(() => history.length), historyLength, 'typing replaces the history entry');
  assert.equal(s.sort, 'relevance');
  assert.ok(s.results.length >= 2, s.status);
  assert.equal(s.status, `${s.results.length} case studies`);
  // Every result contains the word; every case whose text has the exact word is found.
  for (const r of s.results) assert.ok(hasWord(body(r.slug) + ' ' + fold(r.title), /\bdiaspor/), `${r.slug} does not mention diaspora`);
  for (const c of cat.cases) {
    if (/\bdiaspora\b/.test(body(c.slug))) assert.ok(s.results.some(r => r.slug === c.slug), `${c.slug} is missing`);
  }
  // Ranked: the cases with the word in their title (weighted 5×) come first, highlighted.
  const inTitle = s.results.map(r => /diaspora/i.test(r.title));
  assert.ok(inTitle[0], 'a title match ranks first');
  assert.deepEqual(inTitle, [...inTitle].sort((a, b) => b - a), `title matches first: ${s.results.map(r => r.title)}`);
  const titleMarks = await page.$$eval('#cb-results .card-title mark', ms => ms.map(m => m.textContent.toLowerCase()));
  assert.ok(titleMarks.includes('diaspora'));
  const snippets = s.results.filter(r => r.snippet);
  assert.ok(snippets.length >= 2, 'snippets from the excerpts');
  for (const r of snippets) {
    assert.ok(r.marks.some(m => fold(m).startsWith('diaspor')), `${r.slug}: ${r.marks}`);
    assert.ok(r.snippet.length <= 175, `snippet of ~160 characters: ${r.snippet.length}`);
  }
  // One link per result card, its title, leading to a page of the site; the tags are labels.
  const hrefs = await page.$$eval('#cb-results a', as => as.map(a => a.href));
  assert.equal(hrefs.length, s.results.length, 'one link per card');
  assert.ok(await page.$$eval('#cb-results .card-tags li.chip', cs => cs.length > 0 && cs.every(c => c.textContent && !c.querySelector('a'))));
  for (const h of hrefs) {
    assert.ok(h.startsWith(server.url) && h.endsWith('/'), h);
    assert.ok(existsSync(join(out, decodeURIComponent(h.slice(server.url.length)), 'index.html')), `${h} exists`);
  }
  // Highlights are real <mark> elements with text, not injected HTML.
  assert.equal(await page.$$eval('#cb-results mark', ms => ms.every(m => m.children.length === 0)), true);

  // The last word is a prefix while it is being typed.
  await act(page, () => page.fill('#cb-q', 'remitt'));
  s = await snapshot(page);
  assert.ok(s.results.length > 0, s.status);
  assert.ok(s.results.every(r => r.marks.length === 0 || r.marks.some(m => fold(m).startsWith('remitt'))));
  assert.ok(s.results.some(r => r.marks.some(m => /^remittances?$/i.test(m))), 'prefix expansions are highlighted');

  // All words are required.
  await act(page, () => page.fill('#cb-q', 'diaspora'));
  const diaspora = (await snapshot(page)).results.map(r => r.slug);
  await act(page, () => page.fill('#cb-q', 'remittances'));
  const remittances = (await snapshot(page)).results.map(r => r.slug);
  await act(page, () => page.fill('#cb-q', 'diaspora remittances'));
  const both = (await snapshot(page)).results.map(r => r.slug);
  assert.deepEqual(new Set(both), new Set(diaspora.filter(x => remittances.includes(x))));
  await act(page, () => page.fill('#cb-q', 'diaspora qwxzy'));
  s = await snapshot(page);
  assert.equal(s.results.length, 0);
  assert.match(s.status, /No case study contains “qwxzy”/);

  // Sorting: by title (A–Z), pushed to the history.
  await act(page, () => page.fill('#cb-q', 'migrants'));
  await act(page, () => page.selectOption('#cb-sort', 'title'));
  s = await snapshot(page);
  assert.equal(s.url, '?q=migrants&sort=title');
  const titles = s.results.map(r => r.title);
  const coll = new Intl.Collator('en', { sensitivity: 'base' });
  assert.deepEqual(titles, [...titles].sort(coll.compare));
  await act(page, () => page.selectOption('#cb-sort', 'newest'));
  s = await snapshot(page);
  const order = cat.cases.map(c => c.slug); // the edition's order: its own language's newest first, then the untranslated ones
  assert.deepEqual(s.results.map(r => r.slug), order.filter(x => s.results.some(r => r.slug === x)));
  noErrors(page);
  await page.context().close();
});

test('Arabic words are found however they are written, and a miss costs no failed request', async () => {
  const page = await open();
  const failed = [];
  page.on('response', r => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) failed.push(`${r.status()} ${decodeURIComponent(r.url())}`); });
  page.on('requestfailed', r => failed.push(`failed ${decodeURIComponent(r.url())}`));
  const jordan = 'municipal-community-centres-jordan';
  const search = async q => {
    if (await page.inputValue('#cb-q')) await act(page, () => page.fill('#cb-q', ''));
    await act(page, () => page.locator('#cb-q').pressSequentially(q, { delay: 80 }));
    return snapshot(page);
  };
  // Words of the Arabic case study: as written there (a title word; hamza on yeh and on alef,
  // which fold to the bare letter), with vowel marks, and stretched by tatweels. Typed as a person
  // types, slower than the debounce, so every keystroke searches: first a single letter, which is
  // no form of the corpus.
  for (const q of ['مجتمعية', 'اللاجئين', 'الأردن', 'مُجْتَمَعِيَّة', 'مـجتمعـية']) {
    const s = await search(q);
    assert.ok(s.results.some(r => r.slug === jordan), `“${q}” finds the Arabic case study: ${s.status}`);
    assert.deepEqual(failed, [], `no request failed while searching “${q}”`);
  }
  // No word of the corpus starts with these two letters (an Arabic word, a Latin one).
  for (const q of ['ثلوج', 'qwxzy']) {
    const shard = `d-${Buffer.from([...q].slice(0, 2).join('')).toString('hex')}.json`;
    assert.ok(!existsSync(join(out, 'search/index', shard)), `${shard} does not exist`);
    const s = await search(q);
    assert.equal(s.results.length, 0);
    assert.match(s.status, new RegExp(`No case study contains “${q}”`));
    assert.deepEqual(failed, [], `no request failed while searching “${q}”`);
  }
  noErrors(page);
  await page.context().close();
});

test('facets: parents include children, counts are disjunctive, chips remove filters', async () => {
  const page = await open();
  const sel = {};
  const check = async () => {
    const s = await snapshot(page);
    assert.deepEqual(checkCounts(cat, s, sel), []);
    const want = expectedResults(cat, sel);
    assert.deepEqual(s.results.map(r => r.slug).sort(), [...want].sort());
    assert.equal(s.status, want.length === 1 ? '1 case study' : want.length ? `${want.length} case studies` : 'No case studies match these filters.');
    return s;
  };
  await check();

  // A parent: Goal 10 includes its targets' cases.
  const goal10 = await reveal(page, 'sdg', '10');
  await act(page, () => goal10.check());
  sel.sdg = ['10'];
  let s = await check();
  assert.equal(s.url, '?sdg=10');
  const withTarget = cat.cases.filter(c => [...c.tags.sdg].some(x => x.startsWith('10.'))).length;
  assert.equal(s.results.length, withTarget, 'Goal 10 = cases tagged with any 10.x target (or the goal)');

  // Keyboard: Space on a focused checkbox.
  await page.focus('#cb-facets input[name="levels"][value="local"]');
  await act(page, () => page.keyboard.press('Space'));
  sel.levels = ['local'];
  s = await check();
  assert.equal(s.url, '?levels=local&sdg=10');

  // A child inside a collapsed level, and a second option of the same facet (OR).
  const target = await reveal(page, 'sdg', '10.7');
  assert.equal(await target.isVisible(), true);
  await act(page, () => target.check());
  sel.sdg.push('10.7');
  await check();
  await act(page, async () => (await reveal(page, 'levels', 'national')).check());
  sel.levels.push('national');
  await check();
  // A round table (GCM) and a region (three levels deep).
  await act(page, async () => (await reveal(page, 'gcm', 'rt3')).check());
  sel.gcm = ['rt3'];
  await check();
  await act(page, async () => (await reveal(page, 'geography', 'americas')).check());
  sel.geography = ['americas'];
  s = await check();
  assert.ok(s.options.some(o => o.empty), 'some options give nothing and are dimmed');
  assert.ok(s.options.filter(o => o.empty).every(o => o.count === 0));

  // Chips: one per filter, named "Remove filter: <term>".
  // Chips name what a code means (issue 17), as the options do.
  assert.deepEqual(s.chips, [
    'Remove filter: Local', 'Remove filter: National', 'Remove filter: Goal 10: Reduced inequalities',
    'Remove filter: Target 10.7: Facilitate orderly, safe, regular and responsible migration',
    'Remove filter: Round table 3: Inclusion, services, social protection and development contributions', 'Remove filter: Americas',
  ]);
  await act(page, () => page.getByRole('button', { name: 'Remove filter: Americas' }).click());
  delete sel.geography;
  await check();
  await act(page, () => page.getByRole('button', { name: 'Remove filter: Goal 10: Reduced inequalities' }).click());
  sel.sdg = ['10.7'];
  s = await check();
  assert.equal(s.url, '?levels=local&levels=national&sdg=10.7&gcm=rt3');
  assert.equal(await page.evaluate(() => document.activeElement.closest('#cb-chips') !== null), true, 'focus stays among the chips');
  await act(page, () => page.getByRole('button', { name: 'Clear all' }).click());
  for (const k of Object.keys(sel)) delete sel[k];
  s = await check();
  assert.equal(s.url, '');
  assert.deepEqual(s.chips, []);
  noErrors(page);
  await page.context().close();
});

test('search and filters combine; counts follow the query', async () => {
  const page = await open('search/?q=migrants');
  await loadAll(page);
  let s = await snapshot(page);
  assert.ok(s.results.length > 3, s.status);
  const base = new Set(s.results.map(r => r.slug));
  assert.deepEqual(checkCounts(cat, s, {}, base), []);
  const sel = { levels: ['national'] };
  await act(page, async () => (await reveal(page, 'levels', 'national')).check());
  s = await snapshot(page);
  assert.deepEqual(checkCounts(cat, s, sel, base), []);
  assert.deepEqual(new Set(s.results.map(r => r.slug)), new Set(expectedResults(cat, sel, base)));
  sel.sdg = ['10', '8'];
  await act(page, async () => (await reveal(page, 'sdg', '10')).check());
  await act(page, async () => (await reveal(page, 'sdg', '8')).check());
  s = await snapshot(page);
  assert.deepEqual(checkCounts(cat, s, sel, base), []);
  assert.deepEqual(new Set(s.results.map(r => r.slug)), new Set(expectedResults(cat, sel, base)));
  assert.equal(s.sort, 'relevance');
  assert.ok(s.results.every(r => r.marks.length > 0 || r.snippet === null));
  // Changing the query keeps the filters.
  await act(page, () => page.fill('#cb-q', 'migrants local'));
  s = await snapshot(page);
  assert.equal(s.url, '?q=migrants+local&levels=national&sdg=10&sdg=8');
  assert.ok(s.results.every(r => base.has(r.slug)));
  noErrors(page);
  await page.context().close();
});

test('the URL holds the state: reload, direct links, back and forward', async () => {
  const page = await open();
  await act(page, () => page.check('#cb-facets input[name="levels"][value="local"]'));
  await act(page, async () => (await reveal(page, 'sdg', '10')).check());
  await act(page, () => page.fill('#cb-q', 'migration'));
  const a = await snapshot(page);
  assert.equal(a.url, '?q=migration&levels=local&sdg=10');

  await page.reload();
  await settled(page);
  const b = await snapshot(page);
  assert.deepEqual(b, a, 'a reload reproduces the view');

  await act(page, () => page.goBack()); // typing replaced the entry of the last click (Goal 10)
  let s = await snapshot(page);
  assert.equal(s.url, '?levels=local');
  assert.equal(s.q, '');
  assert.deepEqual(s.options.filter(o => o.checked).map(o => o.code), ['local']);
  assert.deepEqual(checkCounts(cat, s, { levels: ['local'] }), []);
  await act(page, () => page.goBack());
  s = await snapshot(page);
  assert.equal(s.url, '');
  assert.equal(s.status, `${cat.cases.length} case studies`);
  await act(page, () => page.goForward());
  await act(page, () => page.goForward());
  s = await snapshot(page);
  assert.deepEqual(s, a, 'forward restores query and filters');

  // A hand-written link opens in that state.
  const page2 = await open('search/?q=diaspora&sort=title&geography=africa&sdg=17');
  s = await snapshot(page2);
  assert.equal(s.q, 'diaspora');
  assert.equal(s.sort, 'title');
  assert.deepEqual(s.options.filter(o => o.checked).map(o => `${o.facet}=${o.code}`), ['sdg=17', 'geography=africa']);
  assert.deepEqual(s.chips, ['Remove filter: Goal 17: Partnerships for the goals', 'Remove filter: Africa']);
  noErrors(page);
  noErrors(page2);
  await page.context().close();
  await page2.context().close();
});
