// Unit tests of the pure core of casebook.js (bitsets, disjunctive counts, URL state, tokens, snippets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { REPO, facetsBin } from './helpers.mjs';

const require = createRequire(import.meta.url);
const core = require(`${REPO}/themes/default/static/casebook.js`);

/** meta.json + facets.bin for `n` docs from {facet: [{c, p (parent code), ids}]}, as the generator writes them. */
function fixture(n, spec) {
  const bin = facetsBin(n);
  const facets = Object.entries(spec).map(([key, terms]) => ({
    key, label: key, levels: [],
    terms: terms.map(t => ({ c: t.c, l: t.l || t.c, d: '', p: t.p == null ? -1 : terms.findIndex(x => x.c === t.p), s: t.c, ...bin.add(t.ids) })),
  }));
  const buf = bin.bytes();
  return { meta: { version: 1, n, buckets: 1, facets }, buf: buf.buffer };
}

test('bitset operations', () => {
  for (const n of [0, 1, 31, 32, 33, 64, 100]) {
    const all = core.full(n);
    assert.equal(all.length, Math.ceil(n / 32));
    assert.equal(core.count(all), n, `full(${n})`);
    assert.deepEqual(core.toIds(all), [...Array(n).keys()]);
  }
  const a = core.fromIds([0, 5, 31, 32, 63, 64, 99], 100);
  const b = core.fromIds([5, 32, 50, 99], 100);
  assert.deepEqual(core.toIds(a), [0, 5, 31, 32, 63, 64, 99]);
  assert.equal(core.countAnd(a, b), 3);
  assert.deepEqual(core.toIds(core.andInto(a.slice(), b)), [5, 32, 99]);
  assert.deepEqual(core.toIds(core.orInto(a.slice(), b)), [0, 5, 31, 32, 50, 63, 64, 99]);
  assert.equal(core.has(a, 31), 1);
  assert.equal(core.has(a, 30), 0);
  for (const x of [0, 1, 0xffffffff, 0x80000000, 0x12345678, 0xf0f0f0f0]) {
    assert.equal(core.popcnt(x), x.toString(2).split('1').length - 1, `popcnt(${x})`);
  }
});

test('facets: parents include their descendants; list and bitmap sets read alike', () => {
  const { meta, buf } = fixture(70, {
    sdg: [
      { c: '10', ids: [1] },
      { c: '10.7', p: '10', ids: [2, 3, 40] },
      { c: '10.c', p: '10', ids: [...Array(30).keys()].map(i => i * 2) }, // a bitmap (30 > 3 words)
      { c: '8', ids: [] },
      { c: '8.8', p: '8', ids: [] },
    ],
    geo: [
      { c: 'africa', ids: [] },
      { c: 'eastern-africa', p: 'africa', ids: [] },
      { c: 'KE', p: 'eastern-africa', ids: [7, 69] },
    ],
  });
  const facets = core.loadFacets(meta, buf);
  const sdg = facets[0], geo = facets[1];
  assert.equal(sdg.byCode.get('10.c').total, 30);
  assert.deepEqual(core.toIds(sdg.byCode.get('10.7').set), [2, 3, 40]);
  assert.equal(sdg.byCode.get('10').total, 31 + 1); // 1 + 10.7 (2, 40 new; 3 new) + 10.c (30 even ids incl. 2, 40)
  assert.deepEqual(core.toIds(geo.byCode.get('africa').set), [7, 69], 'grandchildren reach the root');
  assert.equal(sdg.byCode.get('8').total, 0);
  assert.deepEqual(sdg.byCode.get('10').kids.map(t => t.code), ['10.7', '10.c']);
  assert.equal(geo.byCode.get('KE').depth, 2);
});

test('disjunctive counts: OR within a facet, AND across, own facet left out', () => {
  // 8 docs. level: local {0,1,2,3}, national {3,4,5}; sdg: 10 {} > 10.7 {0,4}, 10.c {1,6}; 8 {} > 8.8 {2,3,5,7}
  const { meta, buf } = fixture(8, {
    level: [{ c: 'local', ids: [0, 1, 2, 3] }, { c: 'national', ids: [3, 4, 5] }],
    sdg: [
      { c: '10', ids: [] }, { c: '10.7', p: '10', ids: [0, 4] }, { c: '10.c', p: '10', ids: [1, 6] },
      { c: '8', ids: [] }, { c: '8.8', p: '8', ids: [2, 3, 5, 7] },
    ],
  });
  const facets = core.loadFacets(meta, buf);
  const counts = (sel, base = null) => {
    const { result, masks } = core.filter(facets, sel, base, 8);
    return {
      result: core.toIds(result),
      counts: Object.fromEntries(facets.map((f, i) => [f.key, Object.fromEntries(f.terms.map((t, k) => [t.code, core.facetCounts(f, masks[i])[k]]))])),
    };
  };
  let r = counts({});
  assert.deepEqual(r.result, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(r.counts.level, { local: 4, national: 3 });
  assert.deepEqual(r.counts.sdg, { 10: 4, '10.7': 2, '10.c': 2, 8: 4, '8.8': 4 });

  r = counts({ level: ['local'] });
  assert.deepEqual(r.result, [0, 1, 2, 3]);
  assert.deepEqual(r.counts.level, { local: 4, national: 3 }, 'own facet ignores its own filter');
  assert.deepEqual(r.counts.sdg, { 10: 2, '10.7': 1, '10.c': 1, 8: 2, '8.8': 2 });

  r = counts({ level: ['local', 'national'], sdg: ['10'] });
  assert.deepEqual(r.result, [0, 1, 4], 'a goal selects its targets\' cases');
  assert.deepEqual(r.counts.level, { local: 2, national: 1 });
  assert.deepEqual(r.counts.sdg, { 10: 3, '10.7': 2, '10.c': 1, 8: 3, '8.8': 3 });

  r = counts({ sdg: ['10.c', '8.8'] }, core.fromIds([1, 2, 3, 6], 8));
  assert.deepEqual(r.result, [1, 2, 3, 6], 'filters combine with the query\'s docs');
  assert.deepEqual(r.counts.level, { local: 3, national: 1 });
  assert.deepEqual(r.counts.sdg, { 10: 2, '10.7': 0, '10.c': 2, 8: 2, '8.8': 2 });
});

test('URL state round-trips and drops what it does not know', () => {
  const { meta, buf } = fixture(4, {
    levels: [{ c: 'local', ids: [0] }, { c: 'national', ids: [1] }],
    sdg: [{ c: '10', ids: [] }, { c: '10.7', p: '10', ids: [2] }],
    themes: [{ c: 'Access to services', ids: [3] }],
  });
  const facets = core.loadFacets(meta, buf);
  const s = core.parseState('?q=safe+migration&sort=title&sdg=10.7&levels=local&levels=national&levels=local&sdg=99&bogus=1&themes=Access+to+services', facets);
  assert.deepEqual(s, { q: 'safe migration', sort: 'title', sel: { levels: ['local', 'national'], sdg: ['10.7'], themes: ['Access to services'] }, all: false });
  assert.equal(core.serialiseState(s, facets), '?q=safe+migration&sort=title&levels=local&levels=national&sdg=10.7&themes=Access+to+services');
  assert.deepEqual(core.parseState(core.serialiseState(s, facets), facets), s);
  assert.deepEqual(core.parseState('?sort=random', facets), { q: '', sort: '', sel: {}, all: false });
  // ?all=1 (another language's search widened to the case studies not translated into it) round-trips; other values do not widen.
  const wide = core.parseState('?q=migrants&all=1&levels=local', facets);
  assert.deepEqual(wide, { q: 'migrants', sort: '', sel: { levels: ['local'] }, all: true });
  assert.equal(core.serialiseState(wide, facets), '?q=migrants&all=1&levels=local');
  assert.equal(core.parseState('?all=yes', facets).all, false);
  assert.equal(core.serialiseState({ q: '  ', sort: '', sel: {} }, facets), '');
  assert.equal(core.serialiseState({ q: 'é & ü', sort: '', sel: { sdg: ['10'] } }, facets), '?q=%C3%A9+%26+%C3%BC&sdg=10');
});

test('tokens are folded like the indexer; the last word is a prefix while being typed', () => {
  assert.equal(core.fold('Développement'), 'developpement');
  assert.equal(core.fold('MIGRATION'), 'migration');
  // As src/search/tokenize.rs folds them: vowel marks, hamza seats and tatweel go.
  assert.equal(core.fold('مُجْتَمَعِيَّة'), 'مجتمعية');
  assert.equal(core.fold('مـجتمعـية'), 'مجتمعية');
  assert.equal(core.fold('الأردن'), 'الاردن');
  assert.equal(core.fold('اللاجئين'), 'اللاجيين');
  assert.equal(core.fold('ﻻجئين'), 'لاجيين');
  assert.deepEqual(core.tokenize('Safe, orderly—and regular migration (10.7).').map(t => t.w), ['safe', 'orderly', 'and', 'regular', 'migration', '10.7']);
  assert.deepEqual(core.queryWords('Réintégration des migr'), [{ w: 'reintegration', prefix: false }, { w: 'des', prefix: false }, { w: 'migr', prefix: true }]);
  assert.deepEqual(core.queryWords('migration '), [{ w: 'migration', prefix: false }]);
  assert.deepEqual(core.queryWords('migration a'), [{ w: 'migration', prefix: false }, { w: 'a', prefix: false }], 'one letter is not a prefix');
  assert.deepEqual(core.queryWords('data DATA da'), [{ w: 'data', prefix: false }, { w: 'da', prefix: true }]);
  assert.deepEqual(core.queryWords(' ,; '), []);
  assert.equal(core.shardName('migration'), 'd-6d69.json');
  assert.equal(core.shardName('a'), 'd-61.json');
  assert.equal(core.shardName('élan'), 'd-' + Buffer.from('él').toString('hex') + '.json');
  assert.equal(core.shardPrefix('مراكز'), 'مر');
  assert.equal(core.shardName('مراكز'), 'd-d985d8b1.json');
  assert.equal(core.shardPrefix('a'), 'a');
});

test('postings buckets decode (varints, gaps, weights) and idf matches the spec', () => {
  // term 5: docs 3, 130, 131 weights 10, 200, 1; term 300: doc 0 weight 255
  const bytes = Uint8Array.from([5, 3, 3, 0x7f, 1, 10, 200, 1, 0xac, 0x02, 1, 0, 255]);
  const m = core.parseBucket(bytes, 1000);
  assert.deepEqual([...m.keys()], [5, 300]);
  assert.deepEqual([...m.get(5).ids], [3, 130, 131]);
  assert.deepEqual([...m.get(5).w], [10, 200, 1]);
  assert.deepEqual([...m.get(300).ids], [0]);
  assert.deepEqual([...m.get(300).w], [255]);
  // A term in more than an eighth of the docs: its ids as a bitmap of ceil(n / 8) bytes.
  // term 7 in 3 of 20 docs (0, 9, 19); term 8 in 2 of 20 (gaps 4, 1).
  const dense = core.parseBucket(Uint8Array.from([7, 3, 0b1, 0b10, 0b1000, 9, 8, 7, 8, 2, 4, 1, 5, 6]), 20);
  assert.deepEqual([...dense.get(7).ids], [0, 9, 19]);
  assert.deepEqual([...dense.get(7).w], [9, 8, 7]);
  assert.deepEqual([...dense.get(8).ids], [4, 5]);
  assert.deepEqual([...dense.get(8).w], [5, 6]);
  assert.ok(Math.abs(core.idf(100, 10) - Math.log(1 + 90.5 / 10.5)) < 1e-12);
});

test('snippets: the best matching sentence, words marked, cut ends shown', () => {
  const text = 'Lorem ipsum dolor sit amet. '.repeat(10) + 'The Migrants arrived; migration grew. ' + 'Consectetur adipiscing elit. '.repeat(10);
  const parts = core.snippet(text, new Set(['migrants', 'migration']));
  const joined = parts.map(p => p.t).join('');
  assert.ok(joined.startsWith('…The Migrants arrived;') && joined.endsWith('…'), joined);
  assert.ok(joined.length <= 170, `window of ~160 chars, got ${joined.length}`);
  assert.deepEqual(parts.filter(p => p.m).map(p => p.t), ['Migrants', 'migration']);
  assert.equal(core.snippet(text, new Set(['absent'])), null);
  const short = core.snippet('Short text on migration.', new Set(['migration']));
  assert.deepEqual([...short], [{ t: 'Short text on ', m: false }, { t: 'migration', m: true }, { t: '.', m: false }]);
  assert.deepEqual(core.marks('Mobiliser la diaspora', null, new Set(['diaspora'])), [{ t: 'Mobiliser la ', m: false }, { t: 'diaspora', m: true }]);
});

test('snippets: most query words first, then words as typed; a heading is its own line', () => {
  const groups = [{ w: 'information', forms: new Set(['information', 'informal']) }, { w: 'border', forms: new Set(['border']) }];
  const forms = new Set(['information', 'informal', 'border']);
  const text = 'Context\nTraders pay informal charges. Officials give information. Information points stand at the border, staffed jointly.\nResults\nMore information.';
  const pick = (t, g = groups) => core.snippet(t, forms, 160, g).map(p => p.t).join('');
  assert.equal(pick(text), '…Information points stand at the border, staffed jointly.…', 'the sentence with both words');
  const one = [groups[0]];
  assert.equal(pick('Context\nTraders pay informal charges. Officials give information.', one), '…Officials give information.', 'the word as typed beats another form of its stem');
  const ghana = core.snippet('Context\nGhana’s diaspora is large.', new Set(['diaspora'])).map(p => p.t).join('');
  assert.equal(ghana, '…Ghana’s diaspora is large.', 'never a heading run into its paragraph');
  assert.deepEqual(core.sentences('A b. C d?\nE f'), [[0, 4, false], [5, 9, true], [10, 13, true]]);
  // The best of several texts: the summary when the excerpt holds fewer of the words.
  const best = core.bestSnippet(['The border is open.', 'Information at the border.'], forms, groups);
  assert.deepEqual(best.filter(p => p.m).map(p => p.t), ['Information', 'border']);
  assert.equal(core.bestSnippet(['nothing here', undefined], forms, groups), null);
});

test('10,000 docs: a facet change recomputes every count well under 50 ms', () => {
  const n = 10000;
  let seed = 7;
  const rnd = k => ((seed = (seed * 1103515245 + 12345) >>> 0) % k);
  const spec = { levels: [], sdg: [], gcm: [], geography: [], themes: [], year: [] };
  const add = (f, c, p, k) => spec[f].push({ c, p, ids: Array.from({ length: k }, () => rnd(n)) });
  for (const l of ['local', 'subnational', 'national', 'regional', 'global']) add('levels', l, null, 3000);
  for (let g = 1; g <= 17; g++) { add('sdg', `${g}`, null, 50); for (let t = 1; t <= 10; t++) add('sdg', `${g}.${t}`, `${g}`, 150); }
  for (let r = 1; r <= 4; r++) { add('gcm', `rt${r}`, null, 0); for (let o = 1; o <= 6; o++) add('gcm', `${r * 10 + o}`, `rt${r}`, 400); }
  for (let r = 0; r < 5; r++) {
    add('geography', `r${r}`, null, 0);
    for (let s = 0; s < 4; s++) { add('geography', `r${r}s${s}`, `r${r}`, 20); for (let c = 0; c < 12; c++) add('geography', `r${r}s${s}c${c}`, `r${r}s${s}`, 60); }
  }
  for (let t = 0; t < 40; t++) add('themes', `t${t}`, null, 500);
  for (let y = 2000; y < 2025; y++) add('year', `${y}`, null, 400);
  const { meta, buf } = fixture(n, spec);
  const facets = core.loadFacets(meta, buf);
  const terms = facets.reduce((a, f) => a + f.terms.length, 0);
  const base = core.full(n);
  for (let i = 0; i < n; i += 3) base[i >>> 5] &= ~(1 << (i & 31)); // a query matching 2/3 of the docs
  const sel = { levels: ['local', 'national'], sdg: ['10'], geography: ['r1', 'r2s3c4'], themes: ['t3'] };
  const times = [];
  for (let k = 0; k < 21; k++) {
    const t0 = performance.now();
    const { result, masks } = core.filter(facets, sel, base, n);
    facets.forEach((f, i) => core.facetCounts(f, masks[i]));
    core.toIds(result);
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${n} docs, ${terms} terms, 4 facets filtered: counts + results in ${times[0].toFixed(1)} ms cold, median ${sorted[10].toFixed(2)} ms, max ${sorted[20].toFixed(1)} ms`);
  assert.ok(sorted[10] < 10, `median ${sorted[10]} ms`);
});
