/* casebook-charts.js: the search page's map and chart per year (issue 14). casebook.js loads it
   when the reader first opens "Map of the results" or "Results per year", so that nothing of it
   is downloaded before the first results; it calls window.casebookCharts(lib) with the helpers
   the two files share, and from then on `paint` after every update of the results.
   The SVGs come from search/charts.json, drawn by the generator (src/render/charts.rs). */
'use strict';
window.casebookCharts = ({ $, el, cases, say, facetCounts, indexFile, commit }) => {
/** The matrices' and the map's shades (render/matrix.rs HeatScale): steps of a round width, the
    darkest for the largest count; `level(0)` is 0. */
function heatScale(largest) {
  const roundUp = n => { if (n <= 10) return n; const u = 5 * 10 ** (Math.floor(Math.log10(n)) - 1); return Math.ceil(n / u) * u; };
  const width = roundUp(Math.max(1, Math.ceil(largest / 5))), tops = [];
  for (let i = 1; i <= Math.ceil(largest / width); i++) tops.push(Math.min(i * width, largest));
  const shade = i => (tops.length < 2 ? 1 : 1 + Math.floor((i * 4 + (tops.length - 1) / 2) / (tops.length - 1)));
  const level = c => { if (!c) return 0; const i = tops.findIndex(t => c <= t); return shade(i < 0 ? tops.length - 1 : i); };
  return { tops, shade, level };
}

/** Fetches search/charts.json (or runs its twin charts.js on file://) once, then draws this chart
    in the box, with its legend and a note, and paints it. */
async function loadChart(pg, box) {
  if (box.dataset.loaded) return;
  box.dataset.loaded = 'loading';
  box.addEventListener('click', e => chartClick(pg, box, e));
  const data = await indexFile(new URL('search/charts.json', pg.root), 'json');
  const kind = box.dataset.chart, holder = el('div', kind === 'map' ? 'cb-chart' : 'cb-chart table-scroll');
  box.append(holder);
  if (!data || !data[kind]) { holder.textContent = say('chart_unavailable'); return; }
  holder.innerHTML = data[kind];
  if (kind === 'map') box.append(Object.assign(el('div', 'heat-legend cb-legend'), { ariaHidden: 'true' }));
  box.append(el('p', 'cb-chart-note', say(kind === 'map' ? 'select_country' : 'select_year')));
  box.dataset.loaded = 'yes';
  paintCharts(pg);
}

/** A country or a bar adds its term as a filter (its link, ?facet=code, is the no-script fallback). */
function chartClick(pg, box, e) {
  const a = e.target.closest && e.target.closest('a[data-code]');
  const f = a && pg.facets.find(x => x.key === box.dataset.facet);
  if (!f) return;
  e.preventDefault();
  const code = a.dataset.code, cur = pg.state.sel[f.key] || [];
  if (!cur.includes(code)) pg.state.sel[f.key] = [...cur, code];
  commit(pg, true);
}

/** Each open chart, to the counts of the current result set. */
function paintCharts(pg) {
  if (!pg.result) return;
  for (const box of pg.el.form.querySelectorAll('.cb-chart-box[data-loaded="yes"]')) {
    const f = pg.facets.find(x => x.key === box.dataset.facet);
    if (!f) continue;
    // Each link's term, by its code: the catalogue lists only terms some case study carries.
    const counts = facetCounts(f, pg.result), byCode = new Map(f.terms.map(t => [t.code, t]));
    const links = [...box.querySelectorAll('a[data-code]')].map(a => ({ a, t: byCode.get(a.dataset.code) })).filter(l => l.t);
    const largest = Math.max(0, ...links.map(l => counts[l.t.i]));
    (box.dataset.chart === 'map' ? paintMap : paintBars)(box, f, links, counts, largest);
  }
}

function paintMap(box, f, links, counts, largest) {
  const scale = heatScale(largest);
  for (const { a, t } of links) {
    const c = counts[t.i];
    a.querySelector('path').setAttribute('class', `heat-${scale.level(c)}`);
    a.querySelector('title').textContent = say('term_cases', { label: t.label, cases: cases(c) });
  }
  const legend = $('.cb-legend', box), steps = [[0, '0']];
  scale.tops.forEach((top, i) => { const bottom = i ? scale.tops[i - 1] + 1 : 1; steps.push([scale.shade(i), bottom === top ? `${top}` : `${bottom}–${top}`]); });
  legend.textContent = say('map_legend');
  for (const [lv, text] of steps) {
    const s = el('span', 'heat-step');
    s.append(el('span', `swatch heat-${lv}`), text);
    legend.append(s);
  }
}

function paintBars(box, f, links, counts, largest) {
  const svg = $('svg', box), base = +svg.dataset.base, height = +svg.dataset.height;
  for (const { a, t } of links) {
    const c = counts[t.i], h = largest ? Math.ceil((c * height) / largest) : 0;
    const rect = a.querySelector('rect'), n = a.querySelector('.n');
    rect.setAttribute('y', base - h);
    rect.setAttribute('height', h);
    n.setAttribute('y', base - h - 4);
    n.textContent = c;
    a.querySelector('title').textContent = say('term_cases', { label: t.label, cases: cases(c) });
  }
}

return { open: loadChart, paint: paintCharts };
};
