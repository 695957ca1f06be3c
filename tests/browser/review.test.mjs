// Issue 15 in the browser: a draft's page (its banner, "Reviewed" line and citation section) and its
// card in the listing are valid HTML and pass axe-core, and the citation downloads of a case page (data: links) save the
// reference, under a sub-path and from disk, without JavaScript. The sample site is copied with one draft case study added, and
// built with `--drafts`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { BIN, REPO, serve, launch, newPage, remove, axe, problems } from './helpers.mjs';

const require = createRequire(import.meta.url);
const DRAFT = 'case-studies/browser-draft/';
const CASE = 'case-studies/health-worker-skills-partnership-kenya-germany/';

let root, out, server, browser;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'casebook-review-'));
  for (const part of ['casebook.yaml', 'content', 'themes']) cpSync(join(REPO, part), join(root, part), { recursive: true });
  writeFileSync(join(root, 'content/case-studies/browser-draft.md'), `---
title: "A draft with a banner"
date: 2025-01-15
summary: "A case study still in review, shown only in previews."
source: "Ministry of Labour & Social Affairs"
levels: [national]
countries: [KE]
status: review
reviewed_by: "Editorial board"
reviewed_on: 2025-01-20
---

## Context

Not published yet.
`);
  out = mkdtempSync(join(tmpdir(), 'casebook-review-out-'));
  const r = spawnSync(BIN, ['build', '--quiet', '--drafts', '--root', root, '--output', out,
    '--base-url', 'http://127.0.0.1/practices/'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`casebook build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  server = await serve(out, { prefix: '/practices/' });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
  remove(out);
  remove(root);
});

test('a draft page and a case page with its citation are valid HTML5 (Nu HTML Checker: 0 errors)', () => {
  const pages = [DRAFT, CASE, 'case-studies/'].map(p => join(out, p, 'index.html'));
  for (const p of pages) assert.ok(existsSync(p), `${p} exists`);
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  const r = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'text', ...pages], { encoding: 'utf8' });
  assert.equal(r.status, 0, `vnu reported errors:\n${r.stdout}\n${r.stderr}`);
});

test('the draft banner, the review line and the citation: no WCAG 2.1 AA violations', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + DRAFT);
  const banner = page.locator('.status-banner');
  assert.match(await banner.innerText(), /^Under review — not published\./);
  assert.ok(await banner.isVisible());
  assert.match(await page.locator('.case-meta').innerText(), /Editorial board, 20 January 2025/);
  assert.match(await page.locator('.citation').innerText(),
    /^Ministry of Labour & Social Affairs \(2025\)\. A draft with a banner\. .+\. http:\/\/127\.0\.0\.1\/practices\/case-studies\/browser-draft\/$/);
  assert.deepEqual(await axe(page), []);
  // Its card says so in the listings.
  await page.goto(server.url + 'case-studies/');
  assert.equal(await page.locator('.card-status').innerText(), 'Under review — not published');
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(problems(page, server), []);
  await page.context().close();
});

test('the citation downloads save the reference, served under a sub-path and from disk, without JavaScript', async () => {
  const slug = CASE.split('/')[1];
  for (const url of [server.url + CASE, pathToFileURL(join(out, CASE, 'index.html')).href]) {
    const page = await newPage(browser, { javaScriptEnabled: false, acceptDownloads: true });
    await page.goto(url);
    const links = page.locator('.cite-downloads a');
    assert.deepEqual(await links.allInnerTexts(), ['BibTeX', 'RIS', 'CSL-JSON']);
    const saved = [];
    for (const link of await links.all()) {
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const body = readFileSync(await download.path(), 'utf8');
      assert.ok(body.includes('A skills partnership for nurses'), `${download.suggestedFilename()} names the case study (${url})`);
      saved.push(download.suggestedFilename());
    }
    assert.deepEqual(saved, ['bib', 'ris', 'json'].map(e => `${slug}.${e}`), url);
    await page.context().close();
  }
});
