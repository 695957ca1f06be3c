// Ranks queries over a built site's search index with the search page's own code: casebook.js's
// `rank` and `byScore` (its pure core, loaded as a CommonJS module), reading the index files
// from disk instead of fetching them. So the relevance test measures exactly what the page
// shows, without a browser. Used by tests/relevance.rs (as a command), by
// tests/browser/relevance.test.mjs and by benches/relevance/ (as a module).
//
//   node tests/relevance/rank.mjs SITE_DIR [THEME_JS] < queries.json
//
// reads [{q, expect, never}] as JSON on standard input and prints
// {"p3": mean, "queries": [{q, top: [up to 10 slugs], found: N, p3, never: [those found]}]}.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** casebook.js's pure core (the theme's copy unless another is given). */
export const loadCore = (js = join(REPO, 'themes/default/static/casebook.js')) => require(resolve(js));

/** A site's slug of a result URL ("case-studies/x/" → "x"). */
export const slugOf = url => url.split('/').filter(Boolean).pop();

/** A ranker over the site built in `site`: query → {top: the first 10 slugs, all: every slug found}. */
export function ranker(site, core = loadCore()) {
  const dir = join(site, 'search');
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const slugs = Array.from({ length: meta.n }, (_, id) => slugOf(JSON.parse(readFileSync(join(dir, `docs/${id}.json`), 'utf8')).u));
  const buckets = new Map();
  const index = {
    n: meta.n, buckets: meta.buckets, shards: new Set(meta.shards),
    shard: async name => {
      const file = join(dir, 'index', name);
      return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
    },
    bucket: async b => {
      if (!buckets.has(b)) buckets.set(b, core.parseBucket(new Uint8Array(readFileSync(join(dir, 'index', `p-${b}.bin`))), meta.n));
      return buckets.get(b);
    },
  };
  return async q => {
    // The search page ranks the trimmed query, so its last word is a prefix.
    const res = await core.rank(index, q.trim());
    const ids = res ? core.byScore(core.toIds(res.set), res.score) : [];
    return { top: ids.slice(0, 10).map(id => slugs[id]), all: ids.map(id => slugs[id]) };
  };
}

/** Precision at 3: the share of the first three that the reader wanted, out of at most 3. */
export function precisionAt3(top, expect) {
  const want = new Set(expect);
  return top.slice(0, 3).filter(s => want.has(s)).length / Math.min(3, want.size);
}

/** Every query's top results and P@3, and their mean. `rankQuery`: q → {top, all}. */
export async function evaluate(queries, rankQuery) {
  const out = [];
  for (const { q, expect, never = [] } of queries) {
    const { top, all } = await rankQuery(q);
    out.push({ q, top, found: all.length, p3: precisionAt3(top, expect), never: never.filter(s => all.includes(s)) });
  }
  return { p3: out.reduce((s, r) => s + r.p3, 0) / out.length, queries: out };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [site, js] = process.argv.slice(2);
  if (!site) {
    console.error('usage: node rank.mjs SITE_DIR [CASEBOOK_JS] < queries.json');
    process.exit(2);
  }
  const queries = JSON.parse(readFileSync(0, 'utf8'));
  const result = await evaluate(queries, ranker(site, loadCore(js)));
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
}
