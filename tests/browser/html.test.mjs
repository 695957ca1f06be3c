// The Nu HTML Checker (vnu-jar, run with the installed Java) on every page type of the
// sample site: home, a case study (and the Arabic one), a term page, a parent term page,
// matrix intersections (one with "Narrow down" chips by two facets), facet pages (with terms
// folded; the geography page with its map, a region's map, the year page's chart), the coverage
// gaps page, the search page, a standalone page and the 404; and in each other language's edition
// (/fr/, /es/, /ar/) home, a case study in that language and an untranslated one, the listing, a term
// page, a facet page, search, gaps and the about page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { build, remove } from './helpers.mjs';

const require = createRequire(import.meta.url);

test('every page type is valid HTML5 (Nu HTML Checker: 0 errors)', () => {
  const out = build();
  try {
    const cases = readdirSync(join(out, 'case-studies')).filter(d => existsSync(join(out, 'case-studies', d, 'index.html')));
    const arabic = cases.find(d => d.includes('jordan')) || cases[1];
    const explore = readdirSync(join(out, 'explore'))[0];
    const cell = readdirSync(join(out, 'explore', explore))[0];
    const pages = [
      'index.html', `case-studies/${cases[0]}/index.html`, `case-studies/${arabic}/index.html`,
      'case-studies/index.html', 'sdg/10-7/index.html', 'sdg/10/index.html', `explore/${explore}/${cell}/index.html`,
      'explore/levels-local/gcm-rt3/index.html', 'sdg/index.html', 'geography/index.html', 'geography/africa/index.html', 'year/index.html', 'gaps/index.html', 'browse/index.html', 'search/index.html', 'about/index.html', '404.html',
      // The other editions: a case study translated into the language (or written in it), an untranslated one.
      ...[['fr', 'city-welcome-centre-saxony', 'municipal-community-centres-jordan'],
        ['es', 'consular-health-windows-mexico-united-states', 'health-worker-skills-partnership-kenya-germany'],
        ['ar', 'national-diaspora-engagement-policy-ghana', 'city-welcome-centre-saxony']].flatMap(([l, own, other]) => [
        'index.html', `case-studies/${own}/index.html`, `case-studies/${other}/index.html`, 'case-studies/index.html',
        'levels/local/index.html', 'sdg/index.html', 'search/index.html', 'gaps/index.html', 'about/index.html',
      ].map(p => `${l}/${p}`)),
    ].map(p => join(out, p));
    for (const p of pages) assert.ok(existsSync(p), `${p} exists`);
    const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
    const r = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'text', ...pages], { encoding: 'utf8' });
    assert.equal(r.status, 0, `vnu reported errors:\n${r.stdout}\n${r.stderr}`);
    // vnu also checks the stylesheet.
    const css = spawnSync('java', ['-jar', jar, '--errors-only', '--css', join(out, 'assets/casebook.css')], { encoding: 'utf8' });
    assert.equal(css.status, 0, `CSS errors:\n${css.stdout}\n${css.stderr}`);
  } finally {
    remove(out);
  }
});
