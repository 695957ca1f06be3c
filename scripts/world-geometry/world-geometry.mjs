#!/usr/bin/env node
// Precomputes the world map's geometry once, so that Casebook itself needs no GIS code: it only
// reads the file this writes (src/render/map/countries-110m.tsv, embedded in the binary) and writes SVG.
//
// Source: Natural Earth 1:110m Admin 0 countries (public domain), as TopoJSON in the npm package
// world-atlas (ISC), whose feature ids are ISO 3166-1 numeric (= UN M49) codes. Countries too small
// for 1:110m (Malta, Singapore, most island states) are taken from the 1:50m file as a dot at their
// centroid, so that every country of the geography vocabulary can be shown and linked.
// Numeric codes become the vocabulary's alpha-2 codes through Debian's iso-codes table.
//
// Projection: Equal Earth (equal-area, so a large country's colour does not outweigh its area),
// scaled to a 2,000-unit-wide plane and rounded to whole units (~20 km at the equator, below the
// 1:110m line's own precision), each path in relative moves so that it is short.
//
// Output, one line per country (lines starting with # are comments):
//   CODE <tab> minX minY maxX maxY <tab> main minX minY maxX maxY <tab> SVG path d
// The first box holds the whole shape (to know whether it is in a zoomed map's view); the second
// only its main parts, the polygons of at least a fifth of the largest one's area (to zoom a region
// to its countries: France's French Guiana, Russia's land east of 180°, Norway's Svalbard or the
// United States' Hawaii would otherwise stretch Western Europe or Eastern Europe over the world).
// A country too small for 1:110m has "@X Y" for its path: its centroid, which Casebook draws as a
// dot sized for the map's zoom.
// CODE is the ISO alpha-2 code, or "-" for land that has no ISO code (Northern Cyprus, Somaliland,
// Kosovo): drawn, never linked.
//
//   cd scripts/world-geometry && npm ci && node world-geometry.mjs [ISO_3166-1.json] > ../../src/render/map/countries-110m.tsv
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { geoEqualEarth, geoPath, geoCentroid } from 'd3-geo';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const WIDTH = 2000;
const DOT_RADIUS = 4;
const isoFile = process.argv[2] || '/usr/share/iso-codes/json/iso_3166-1.json';
const alpha2 = new Map(JSON.parse(fs.readFileSync(isoFile, 'utf8'))['3166-1'].map(c => [c.numeric, c.alpha_2]));
const vocabulary = fs.readFileSync(new URL('../../src/vocabularies/geography.yaml', import.meta.url), 'utf8');
const wanted = new Set([...vocabulary.matchAll(/code: "([A-Z]{2})"/g)].map(m => m[1]));

const countries = (file) => {
  const topo = require(`world-atlas/${file}`);
  return feature(topo, topo.objects.countries).features;
};
const coarse = countries('countries-110m.json');
const projection = geoEqualEarth().fitWidth(WIDTH, { type: 'Sphere' });

/** A d3-geo path context that writes whole units, relative after the first point, with SVG's
    shortest separators ("l3-2 4 1": a repeated command letter and a space before "-" are left out). */
function compactPath() {
  let d = '', x0 = 0, y0 = 0, px = 0, py = 0, started = false, drawing = false;
  const rings = [];
  const pair = (x, y) => `${x}${y < 0 ? '' : ' '}${y}`;
  const sep = x => (x < 0 ? '' : ' ');
  return {
    moveTo(x, y) {
      [x, y] = [Math.round(x), Math.round(y)];
      d += started ? `m${pair(x - px, y - py)}` : `M${pair(x, y)}`;
      started = true;
      drawing = false;
      [x0, y0, px, py] = [x, y, x, y];
      rings.push([[x, y]]);
    },
    lineTo(x, y) {
      [x, y] = [Math.round(x), Math.round(y)];
      if (x === px && y === py) return;
      d += (drawing ? sep(x - px) : 'l') + pair(x - px, y - py);
      drawing = true;
      rings[rings.length - 1].push([x, y]);
      [px, py] = [x, y];
    },
    closePath() { d += 'z'; drawing = false; [px, py] = [x0, y0]; },
    arc() {},
    result() { return d; },
    rings,
  };
}

const MAIN_SHARE = 0.2;

/** Bounds of projected rings, as "minX minY maxX maxY". */
function box(rings) {
  const xs = rings.flat().map(p => p[0]), ys = rings.flat().map(p => p[1]);
  return `${Math.min(...xs)} ${Math.min(...ys)} ${Math.max(...xs)} ${Math.max(...ys)}`;
}

/** Area of a projected ring (shoelace), unsigned. */
const area = ring => Math.abs(ring.reduce((a, [x, y], i) => { const [u, v] = ring[(i + 1) % ring.length]; return a + x * v - u * y; }, 0)) / 2;

/** The rings of at least MAIN_SHARE of the largest one's area. Measured after projection and
    clipping at the antimeridian, so Russia's and Fiji's land east of 180° are rings of their own. */
function mainRings(rings) {
  const areas = rings.map(area), largest = Math.max(...areas);
  return rings.filter((r, i) => areas[i] >= MAIN_SHARE * largest);
}

function line(code, f) {
  const ctx = compactPath();
  geoPath(projection, ctx)(f);
  return `${code}\t${box(ctx.rings)}\t${box(mainRings(ctx.rings))}\t${ctx.result()}`;
}

function dot(code, f) {
  const [x, y] = projection(geoCentroid(f)).map(Math.round), r = DOT_RADIUS;
  const b = `${x - r} ${y - r} ${x + r} ${y + r}`;
  return `${code}\t${b}\t${b}\t@${x} ${y}`;
}

const out = [];
const seen = new Set();
for (const f of coarse) {
  const code = (f.id && alpha2.get(f.id)) || '-';
  if (code !== '-') seen.add(code);
  out.push(line(code, f));
}
for (const f of countries('countries-50m.json')) {
  const code = f.id && alpha2.get(f.id);
  if (code && wanted.has(code) && !seen.has(code)) {
    seen.add(code);
    out.push(dot(code, f));
  }
}
out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const missing = [...wanted].filter(c => !seen.has(c));
const viewBox = `0 0 ${WIDTH} ${Math.ceil(geoPath(projection).bounds({ type: 'Sphere' })[1][1])}`;
process.stdout.write([
  '# Natural Earth 1:110m countries (public domain) via world-atlas 2 (ISC); 1:50m centroid dots for small countries.',
  '# Equal Earth projection; generated by scripts/world-geometry/world-geometry.mjs; see SOURCE.md beside this file.',
  `# viewBox ${viewBox}`,
  ...(missing.length ? [`# not in Natural Earth: ${missing.join(' ')}`] : []),
  ...out,
].join('\n') + '\n');
