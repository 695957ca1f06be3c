#!/usr/bin/env node
// Turns compare.mjs's results into RESULTS.md (Markdown on standard output).
//
//   node report.mjs RESULTS.json "pagefind 1.6.0" [BYTES.json OFFLINE.json]
import fs from 'node:fs';
import { execSync } from 'node:child_process';

const [file, pagefind = 'pagefind', bytesFile, offlineFile] = process.argv.slice(2);
const readIf = f => (f && fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null);
const R = JSON.parse(fs.readFileSync(file, 'utf8'));
const rev = (() => { try { return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim(); } catch { return '?'; } })();
const NAMES = {
  casebook: 'Casebook (its search page\'s ranking)',
  'pagefind-built-default': 'Pagefind, pages as built',
  'pagefind-built-en': 'Pagefind, pages as built, `--force-language en`',
  'pagefind-body-default': 'Pagefind, Casebook\'s text marked',
  'pagefind-body-en': 'Pagefind, Casebook\'s text marked, `--force-language en`',
};
const engines = Object.keys(R.engines);
const perfect = r => r.queries.filter(q => q.p3 === 1).length;
const none = r => r.queries.filter(q => q.found === 0).length;
const wrong = r => r.queries.reduce((n, q) => n + q.never.length, 0);

const L = [];
L.push('# Relevance: Casebook vs Pagefind on the sample portal', '');
L.push(`Written by \`benches/relevance/compare.sh\` (Casebook \`${rev}\`, ${pagefind}, ${new Date().toISOString().slice(0, 10)}). ` +
  `${R.queries} queries of \`tests/relevance/queries.yaml\`, each with the case studies a reader wants first, judged by hand ` +
  'from the texts. Precision at 3 (P@3) of a query is |first 3 ∩ wanted| / min(3, |wanted|); the table gives the mean.', '');
L.push('| Engine | P@3 | Queries with P@3 = 1 | Queries finding nothing | Case studies found that never say the words |');
L.push('|---|---:|---:|---:|---:|');
for (const e of engines) {
  const r = R.engines[e];
  L.push(`| ${NAMES[e] || e} | **${r.p3.toFixed(3)}** | ${perfect(r)} / ${R.queries} | ${none(r)} | ${wrong(r)} |`);
}
L.push('', '**Reading it.** Pagefind was given the same built pages (`--glob "case-studies/*/index.html"`): as built, ' +
  'its default reads the whole `<body>` (header, metadata panel with every term\'s description, related case ' +
  'studies\' titles and summaries); "Casebook\'s text marked" is a copy where `data-pagefind-body` marks the case ' +
  'study\'s article and `data-pagefind-ignore` its related cards (`../search/pagefind_body.py`). By default Pagefind ' +
  'builds one index per page language and searches the one of the page it runs on, here English: the French, ' +
  'Spanish and Arabic case studies are then found by no query in their own language (P@3 0 on those five queries) ' +
  'and by English queries only through the English words on their pages. `--force-language en` puts every page in ' +
  'one English index, which finds them again but stems French and Spanish words with English rules. Casebook stems ' +
  'each case study in its own language within one index, so no setting is needed. Most queries are easy for both ' +
  'engines; the differences are the multilingual queries, queries whose words are in a case study\'s labels ' +
  '(places, partners, countries) rather than its text, and, for Pagefind as built, words from other case studies\' ' +
  'cards on the page.');
L.push('', '## Per query', '', 'P@3, then the first three results (slugs cut to their first three words).', '');
L.push(`| Query | ${engines.map(e => (e === 'casebook' ? 'Casebook' : e.replace('pagefind-', 'Pagefind '))).join(' | ')} |`);
L.push(`|---|${engines.map(() => '---').join('|')}|`);
R.engines.casebook.queries.forEach((q, i) => {
  const cells = engines.map(e => {
    const r = R.engines[e].queries[i];
    const top = r.top.slice(0, 3).map(s => s.split('-').slice(0, 3).join('-')).join(', ');
    return `${r.p3.toFixed(2)}${r.found ? '' : ' (none)'}${top ? ': ' + top : ''}`;
  });
  L.push(`| ${q.q} | ${cells.join(' | ')} |`);
});
const bytes = readIf(bytesFile), offline = readIf(offlineFile);
if (bytes) {
  const KB = b => `${(b / 1024).toFixed(0)} KB`;
  const empty = bytes.rows.find(r => !r.q), rows = bytes.rows.filter(r => r.q);
  L.push('', '## Bytes before the first results, 10,000 case studies', '');
  L.push('`gen_corpus.py 10000 … 42` built with the repository\'s `casebook.yaml` less its `languages:` block; `first_results_bytes.mjs` opens ' +
    '`search/?q=…` in a fresh browser context with the cache disabled and counts every response body sent until the ' +
    'page has rendered its results (served without compression; "gzip" is what a host compressing with gzip -6 sends). ' +
    `Budget: 300 KB. No query: ${KB(empty.bytes)} (${KB(empty.gzip)} gzip). ${rows.length} queries: median ` +
    `**${KB(bytes.median)}**, largest **${KB(bytes.max)}**.`, '');
  L.push('| Query | Bytes | gzip | Requests | Largest parts |', '|---|---:|---:|---:|---|');
  for (const r of bytes.rows) L.push(`| ${r.q ? '`' + r.q + '`' : '(none)'} | ${KB(r.bytes)} | ${KB(r.gzip)} | ${r.requests} | ${r.big} |`);
}
if (offline) {
  const MB = b => `${(b / 1048576).toFixed(1)} MB`;
  L.push('', '## What offline search adds, 10,000 case studies', '');
  L.push(`From \`file://\` the page loads each index file's script twin (\`index/*.js\`) instead of fetching it. The index ` +
    `files take ${MB(offline.index[0])} (${MB(offline.index[1])} gzip); their twins add ${MB(offline.twins[0])} ` +
    `(${MB(offline.twins[1])} gzip) to the output folder: the postings as base64 are a third larger. A reader downloads ` +
    'nothing more: the twins are only read from disk.');
}
process.stdout.write(L.join('\n') + '\n');
