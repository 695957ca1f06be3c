// 10,000 synthetic case studies served in place of the sample's search data: facet clicks update
// counts and results well under 50 ms; results load 20 at a time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { facetsBin, build, serve, launch, newPage, remove, act, settled, snapshot, reveal, problems } from './helpers.mjs';

const N = 10000;

/** meta.json, facets.bin, order.bin, a one-word index and doc fragments for N docs, in the FORMAT.md layout. */
function synthetic() {
  let seed = 42;
  const rnd = k => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % k);
  const bin = facetsBin(N);
  const facet = (key, label, levels, terms) => ({
    key, label, levels,
    terms: terms.map(t => ({
      c: t.c, l: t.l, d: '', p: t.p ?? -1, s: t.c.toLowerCase().replace(/\./g, '-'),
      ...bin.add(Array.from({ length: t.size }, () => rnd(N))),
    })),
  });
  const tree = (parents, kids) => {
    const out = [];
    for (const p of parents) {
      const at = out.length;
      out.push(p);
      for (const k of kids(p)) out.push({ ...k, p: at });
    }
    return out;
  };
  const facets = [
    facet('levels', 'Governance level', ['Level'], ['Local', 'Sub-national', 'National', 'Regional', 'Global'].map(l => ({ c: l.toLowerCase(), l, size: 2500 }))),
    facet('sdg', 'SDG target', ['Goal', 'Target'], tree(Array.from({ length: 17 }, (_, g) => ({ c: `${g + 1}`, l: `Goal ${g + 1}`, size: 30 })),
      g => Array.from({ length: 10 }, (_, t) => ({ c: `${g.c}.${t + 1}`, l: `Target ${g.c}.${t + 1}`, size: 120 })))),
    facet('gcm', 'GCM objective', ['Round table', 'Objective'], tree(Array.from({ length: 4 }, (_, r) => ({ c: `rt${r + 1}`, l: `Round table ${r + 1}`, size: 0 })),
      r => Array.from({ length: 6 }, (_, o) => ({ c: `${r.c}o${o}`, l: `Objective ${r.c}-${o}`, size: 350 })))),
    facet('geography', 'Region and country', ['Region', 'Sub-region', 'Country'], (() => {
      const out = [];
      for (let r = 0; r < 5; r++) {
        const ri = out.push({ c: `r${r}`, l: `Region ${r}`, size: 0 }) - 1;
        for (let s = 0; s < 4; s++) {
          const si = out.push({ c: `r${r}s${s}`, l: `Sub-region ${r}.${s}`, size: 10, p: ri }) - 1;
          for (let c = 0; c < 12; c++) out.push({ c: `C${r}${s}${c}`, l: `Country ${r}.${s}.${c}`, size: 40, p: si });
        }
      }
      return out;
    })()),
    facet('themes', 'Theme', [], Array.from({ length: 40 }, (_, t) => ({ c: `Theme ${t}`, l: `Theme ${t}`, size: 400 }))),
    facet('year', 'Year shared', [], Array.from({ length: 25 }, (_, y) => ({ c: `${2024 - y}`, l: `${2024 - y}`, size: 400 }))),
  ];
  const facetsBytes = bin.bytes();
  // Title order: reverse ids. Index: the word "alpha" (term 0) in every 7th doc.
  const order = new Uint32Array(N).map((_, i) => N - 1 - i);
  const ids = [];
  for (let d = 0; d < N; d += 7) ids.push(d);
  const bucket = [0];
  const varint = v => { while (v > 127) { bucket.push((v & 127) | 128); v >>>= 7; } bucket.push(v); };
  varint(ids.length);
  // In more than an eighth of the docs: the ids as a bitmap (FORMAT.md).
  const bits = new Uint8Array(Math.ceil(N / 8));
  for (const d of ids) bits[d >>> 3] |= 1 << (d & 7);
  bucket.push(...bits);
  ids.forEach(d => bucket.push(1 + (d % 255)));
  return {
    'search/meta.json': JSON.stringify({ version: 1, n: N, buckets: 1, shards: ['al'], facets }),
    'search/facets.bin': Buffer.from(facetsBytes.buffer),
    'search/order.bin': Buffer.from(order.buffer),
    'search/index/d-616c.json': JSON.stringify({ alpha: [0], alphabet: [1] }),
    'search/index/p-0.bin': Buffer.from(Uint8Array.from(bucket)),
  };
}

let out, server, browser;
before(async () => {
  out = build();
  const files = synthetic();
  server = await serve(out, {
    override: path => {
      if (files[path]) return { body: files[path] };
      const m = /^search\/docs\/(\d+)\.json$/.exec(path);
      if (m) {
        const id = +m[1];
        return { body: JSON.stringify({ t: `Case study ${id}`, u: `case-studies/synthetic-${id}/`, d: `20${String(24 - (id % 25)).padStart(2, '0')}-01-01`, s: `Synthetic case ${id}, alpha and beta.`, l: 'en', r: 'ltr', v: ['Local'], g: ['Target 10.7'], x: `Body of ${id}: the alpha words.` }) };
      }
      return null;
    },
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
  remove(out);
});

test('10,000 docs: facet clicks update counts and results in well under 50 ms', async () => {
  const page = await newPage(browser);
  const t0 = Date.now();
  await page.goto(server.url + 'search/');
  await settled(page);
  const load = Date.now() - t0;
  let s = await snapshot(page);
  assert.equal(s.status, '10,000 case studies');
  assert.equal(s.results.length, 20);
  assert.ok(s.options.length === 550, `${s.options.length} options`);

  const timings = [];
  const click = async (facet, code) => {
    await act(page, async () => (await reveal(page, facet, code)).click());
    timings.push(await page.evaluate(() => [+document.getElementById('cb-search').dataset.cbMs, +document.getElementById('cb-search').dataset.cbRenderMs]));
  };
  for (const [f, c] of [['levels', 'local'], ['levels', 'national'], ['sdg', '10'], ['sdg', '8.8'], ['geography', 'r1'], ['geography', 'C2310'],
    ['themes', 'Theme 3'], ['gcm', 'rt2'], ['sdg', '10'], ['levels', 'local'], ['year', '2020']]) await click(f, c);
  // With a query too.
  await act(page, () => page.fill('#cb-q', 'alpha'));
  await click('geography', 'r1');
  await click('themes', 'Theme 3');
  const counts = timings.map(t => t[0]).sort((a, b) => a - b), renders = timings.map(t => t[1]);
  const median = counts[counts.length >> 1], max = counts[counts.length - 1];
  console.log(`page load with the 10,000-doc catalogue: ${load} ms; facet click → counts, result order and status: median ${median} ms, max ${max} ms (${counts.length} clicks); including the first 20 cards (docs fetched): max ${Math.max(...renders)} ms`);
  // The median is robust to a busy machine (CI runners, parallel test files); the typical update must be well under 50 ms.
  assert.ok(median < 25, `facet updates took ${counts} ms`);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

test('results load 20 at a time; "Load more" moves focus to the first new result', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'search/?q=alpha&sort=title');
  await settled(page);
  let s = await snapshot(page);
  const total = Math.ceil(N / 7);
  assert.equal(s.status, `${total.toLocaleString('en')} case studies`);
  assert.equal(s.results.length, 20);
  assert.ok(s.more);
  assert.equal(s.results[0].title, 'Case study 9996', 'title order from order.bin');
  await page.click('#cb-more');
  await page.waitForFunction(() => document.querySelectorAll('#cb-results > li').length === 40);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), (await snapshot(page)).results[20].title);
  assert.equal(await page.evaluate(() => document.activeElement.closest('li') === document.querySelectorAll('#cb-results > li')[20]), true);
  // Relevance: weights 1 + id % 255, so the best-weighted docs come first.
  await act(page, () => page.selectOption('#cb-sort', 'relevance'));
  s = await snapshot(page);
  assert.equal(s.results.length, 20, 'a new state starts again at 20');
  const ids = s.results.map(r => +r.title.split(' ').pop());
  assert.ok(ids.every(d => d % 255 === 254 || d % 255 >= 250), `highest weights first: ${ids}`);
  assert.ok(s.results.every(r => r.marks.includes('alpha')));
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});
