//! Map: the case studies of the configured country facet drawn as a
//! choropleth, inline SVG written at build time.
//!
//! Input: the facet named by `map.facet` in `casebook.yaml` and the country
//! shapes of `map/countries-110m.tsv` (Natural Earth, precomputed by
//! `scripts/world-geometry/`; see `map/SOURCE.md`). Output: a [`MapView`]
//! (the SVG, its legend and the same numbers as a table) for the facet's
//! page and for each of its region terms, zoomed to the region's countries;
//! and the search page's map, whose countries the client recolours.
//!
//! A term is placed on the map when its code is an ISO 3166-1 alpha-2 code
//! of a shape, so nothing here knows about migration: any portal whose
//! facet codes countries gets the map. No tiles, no script: it works
//! offline and from `file://`, and every country with case studies is a
//! link a keyboard reaches.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Serialize;

use crate::taxonomy::Facet;
use crate::templates::{escape_html, Converted};
use crate::views::HeatStep;

use super::matrix::HeatScale;
use super::Site;

/// The shapes, embedded: a site needs no geometry of its own.
const WORLD: &str = include_str!("map/countries-110m.tsv");

/// Room around a zoomed region, as a share of its extent.
const MARGIN: f64 = 0.06;

/// The smallest extent a zoomed map shows (map units: 2,000 span the
/// world), so that a small island state is not drawn screen-wide.
const MIN_EXTENT: i32 = 120;

/// A box on the projected plane: min x, min y, max x, max y.
type Bounds = [i32; 4];

/// One country shape (or, with code `-`, land without an ISO code).
#[derive(Debug)]
struct Shape {
    code: &'static str,
    /// The whole shape's extent: is it in a zoomed map's view?
    bounds: Bounds,
    /// Its main parts' extent (without French Guiana for France, Hawaii
    /// for the United States): what a region's map zooms to.
    main: Bounds,
    d: &'static str,
}

/// The world's shapes and the extent of the whole map.
#[derive(Debug)]
struct World {
    view: Bounds,
    shapes: Vec<Shape>,
}

/// The embedded shapes, parsed once per process.
fn world() -> &'static World {
    static PARSED: OnceLock<World> = OnceLock::new();
    PARSED.get_or_init(|| parse(WORLD))
}

/// Parses the geometry file (format: see `scripts/world-geometry/`). The
/// file is part of the binary and checked by a unit test, so a malformed
/// line is a bug of ours and is skipped rather than reported to a user.
fn parse(text: &'static str) -> World {
    let mut view = [0, 0, 2000, 1000];
    let mut shapes = Vec::new();
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("# viewBox ") {
            if let Some(b) = numbers(v) {
                view = b;
            }
            continue;
        }
        let mut parts = line.splitn(4, '\t');
        let (Some(code), Some(bounds), Some(main), Some(d)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if let (Some(bounds), Some(main)) = (numbers(bounds), numbers(main)) {
            shapes.push(Shape {
                code,
                bounds,
                main,
                d,
            });
        }
    }
    World { view, shapes }
}

/// Four whole numbers separated by spaces.
fn numbers(text: &str) -> Option<Bounds> {
    let mut n = text.split(' ').map(|s| s.parse::<i32>().ok());
    Some([n.next()??, n.next()??, n.next()??, n.next()??])
}

/// A map on a page: the SVG, its legend, and the table of its numbers.
#[derive(Debug, Clone, Serialize)]
pub struct MapView {
    /// What the map shows ("Case studies by country").
    pub title: String,
    /// The `<svg>`, marked safe.
    pub svg: Converted,
    /// The shades and the counts each stands for.
    pub legend: Vec<HeatStep>,
    /// The countries with case studies, most first: the map's numbers for
    /// screen readers, print, and the countries too small to click.
    pub rows: Vec<MapRow>,
}

/// A country in a map's table.
#[derive(Debug, Clone, Serialize)]
pub struct MapRow {
    /// Country name.
    pub label: String,
    /// Its term page.
    pub url: String,
    /// Its case studies.
    pub count: usize,
}

/// The facet holding countries, if the config names one.
pub(super) fn map_facet<'s>(site: &Site<'s>) -> Option<(usize, &'s Facet)> {
    let key = &site.portal.config.map.as_ref()?.facet;
    let facets = &site.portal.taxonomy.facets;
    facets.iter().enumerate().find(|(_, f)| &f.key == key)
}

/// Per shape of the world, the facet's term drawn by it, if any.
fn placed(facet: &Facet) -> Vec<Option<usize>> {
    let by_code: HashMap<&str, usize> = (facet.terms.iter().enumerate())
        .map(|(t, term)| (term.code.as_str(), t))
        .collect();
    (world().shapes.iter())
        .map(|s| by_code.get(s.code).copied())
        .collect()
}

/// The map of facet `f` on the page at `url`: the whole world, or, for
/// `region`, the world zoomed to the extent of the region's countries.
/// None when none of its terms (or of the region's) is a country with a
/// shape: a facet whose codes are not ISO codes has no map.
pub(super) fn map_view(
    site: &Site<'_>,
    f: usize,
    region: Option<usize>,
    url: &str,
) -> Option<MapView> {
    let facet = &site.portal.taxonomy.facets[f];
    let terms = placed(facet);
    let inside = |t: usize| region.is_none_or(|r| facet.ancestors(t).any(|a| a == r));
    let members: Vec<usize> = (0..terms.len())
        .filter(|&s| terms[s].is_some_and(inside))
        .collect();
    if members.is_empty() {
        return None;
    }
    let view = match region {
        None => world().view,
        Some(_) => zoom(members.iter().map(|&s| world().shapes[s].main))?,
    };
    let count = |t: usize| facet.cases[t].len();
    let scale = HeatScale::new(members.iter().filter_map(|&s| terms[s]).map(count).max());
    let root = crate::links::root_prefix(url);
    let strings = site.theme.strings();
    let noun = facet_noun(site, facet);
    let title = match region {
        None => strings.format("map.title", &[("noun", &noun)]),
        Some(r) => strings.format(
            "map.region_title",
            &[("region", &facet.terms[r].label), ("noun", &noun)],
        ),
    };
    let svg = Svg {
        strings,
        facet,
        terms: &terms,
        scale: &scale,
        root: &root,
        view,
        region,
    };
    Some(MapView {
        svg: Converted::safe_html(&svg.draw(&title, &|t| svg.term_link(t, &inside))),
        legend: scale.legend(),
        // Every country, placed on the map or too small for it (Réunion).
        rows: table(
            facet,
            (0..facet.terms.len()).filter(|&t| facet.terms[t].children.is_empty() && inside(t)),
        ),
        title,
    })
}

/// The search page's map of facet `f`: every country with case studies a
/// link that adds it as a filter, unshaded until the client counts the
/// results (it is loaded when the reader opens it: see `casebook.js`);
/// None, as [`map_view`], when no term is a country with a shape.
pub(super) fn search_map(site: &Site<'_>, f: usize) -> Option<String> {
    let facet = &site.portal.taxonomy.facets[f];
    let terms = placed(facet);
    terms.iter().any(Option::is_some).then_some(())?;
    let scale = HeatScale::new(None);
    let svg = Svg {
        strings: site.theme.strings(),
        facet,
        terms: &terms,
        scale: &scale,
        root: "",
        view: world().view,
        region: None,
    };
    let noun = facet_noun(site, facet);
    let title = (site.theme.strings()).format("map.search_title", &[("noun", &noun)]);
    Some(svg.draw(&title, &|t| svg.filter_link(t)))
}

/// "country": the name of the facet's deepest level as it reads in a
/// sentence, in the theme's language.
fn facet_noun(site: &Site<'_>, facet: &Facet) -> String {
    let strings = site.theme.strings();
    facet
        .levels
        .last()
        .map_or_else(|| strings.get("map.place"), |l| strings.level_noun(l, 1))
}

/// The table rows of the terms `terms` that have case studies.
fn table(facet: &Facet, terms: impl Iterator<Item = usize>) -> Vec<MapRow> {
    let mut rows: Vec<MapRow> = terms
        .filter(|&t| !facet.cases[t].is_empty())
        .map(|t| MapRow {
            label: facet.terms[t].label.clone(),
            url: facet.term_url(t),
            count: facet.cases[t].len(),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| crate::text::compare_names(&a.label, &b.label))
    });
    rows
}

/// The extent of `bounds` with a margin, at least [`MIN_EXTENT`] wide and
/// high; None for no bounds.
fn zoom(bounds: impl Iterator<Item = Bounds>) -> Option<Bounds> {
    let [x0, y0, x1, y1] = bounds.reduce(|a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    })?;
    let grow = |lo: i32, hi: i32| {
        let extent = (hi - lo).max(1);
        let margin = (f64::from(extent) * MARGIN).ceil() as i32;
        let extra = (MIN_EXTENT - extent - 2 * margin).max(0) / 2;
        (lo - margin - extra, hi + margin + extra)
    };
    let ((x0, x1), (y0, y1)) = (grow(x0, x1), grow(y0, y1));
    Some([x0, y0, x1, y1])
}

/// What one SVG drawing needs.
struct Svg<'a> {
    /// The words of its titles.
    strings: &'a crate::i18n::Strings,
    facet: &'a Facet,
    /// Per shape, its term.
    terms: &'a [Option<usize>],
    scale: &'a HeatScale,
    root: &'a str,
    view: Bounds,
    /// The region a zoomed map shows: the land around it is greyed.
    region: Option<usize>,
}

/// How a country with a term is drawn: the opening of its link (with its
/// `<title>`) and its shade; None draws it as a shape without a link.
type Country<'a> = &'a dyn Fn(usize) -> Option<(String, usize)>;

impl Svg<'_> {
    /// The `<svg>`: the shapes in view, each with a term drawn by `country`.
    fn draw(&self, title: &str, country: Country<'_>) -> String {
        let [x0, y0, x1, y1] = self.view;
        let mut svg = String::with_capacity(64 * 1024);
        let _ = write!(
            svg,
            "<svg class=\"map\" viewBox=\"{x0} {y0} {} {}\" role=\"group\" aria-label=\"{}\">",
            x1 - x0,
            y1 - y0,
            escape_html(title)
        );
        for (s, shape) in world().shapes.iter().enumerate() {
            if !overlaps(shape.bounds, self.view) {
                continue;
            }
            let d = self.outline(shape.d);
            match self.terms[s].and_then(country) {
                Some((link, level)) => {
                    let _ = write!(svg, "{link}<path class=\"heat-{level}\" d=\"{d}\"/></a>");
                }
                None => {
                    let class = self.plain_class(self.terms[s]);
                    let _ = write!(svg, "<path class=\"{class}\" d=\"{d}\"/>");
                }
            }
        }
        svg.push_str("</svg>");
        svg
    }

    /// A shape's path; a small country's centroid ("@x y") as a dot whose
    /// radius follows the zoom: 4 units on the world map (2,000 wide), a
    /// hundredth of a zoomed map's width down to 1.2 units, so that Malta
    /// does not cover Sicily on a map of Southern Europe.
    fn outline<'d>(&self, d: &'d str) -> std::borrow::Cow<'d, str> {
        let Some((x, y)) = d.strip_prefix('@').and_then(|c| c.split_once(' ')) else {
            return d.into();
        };
        let width = f64::from(self.view[2] - self.view[0]);
        let r = (width / 100.0).clamp(1.2, 4.0);
        let x = x.parse::<f64>().unwrap_or(0.0);
        let (left, r, dia) = (short(x - r), short(r), short(2.0 * r));
        format!("M{left} {y}a{r} {r} 0 1 0 {dia} 0a{r} {r} 0 1 0-{dia} 0z").into()
    }

    /// The class of a shape drawn without a link: none of the region's
    /// case studies (`heat-0`), or outside the region (`out`).
    fn plain_class(&self, term: Option<usize>) -> &'static str {
        let inside = |r| term.is_some_and(|t| self.facet.ancestors(t).any(|a| a == r));
        match self.region {
            Some(r) if !inside(r) => "out",
            _ => "heat-0",
        }
    }

    /// A term with case studies (among `linked` ones) as a link to its
    /// page named "Kenya: 3 case studies".
    fn term_link(&self, t: usize, linked: &dyn Fn(usize) -> bool) -> Option<(String, usize)> {
        let cases = self.facet.cases[t].len();
        if cases == 0 || !linked(t) {
            return None;
        }
        let name = escape_html(&crate::views::counted(
            self.strings,
            &self.facet.terms[t].label,
            cases,
        ));
        let url = self.facet.term_url(t);
        let link = format!("<a href=\"{}{url}\"><title>{name}</title>", self.root);
        Some((link, self.scale.level(cases)))
    }

    /// A term with case studies as a link adding it as a filter, for the
    /// search page's client to recolour and rename (`data-code`: the term's
    /// code, which the client looks up in the search catalogue; not an index,
    /// since the catalogue leaves out terms no case study carries).
    fn filter_link(&self, t: usize) -> Option<(String, usize)> {
        if self.facet.cases[t].is_empty() {
            return None;
        }
        let term = &self.facet.terms[t];
        // The search page's own URL with this filter: "?geography=KE".
        let url = crate::links::search_url(&[(&self.facet.key, &term.code)]);
        let query = &url[crate::links::SEARCH_URL.len()..];
        let link = format!(
            "<a href=\"{}\" data-code=\"{}\"><title>{}</title>",
            escape_html(query),
            escape_html(&term.code),
            escape_html(&term.label)
        );
        Some((link, 0))
    }
}

/// A number with one decimal at most: "4", "1.2".
fn short(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0")
        .map_or_else(|| s.clone(), str::to_owned)
}

fn overlaps(a: Bounds, b: Bounds) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_geometry_has_every_country_once_and_a_world_extent() {
        let world = world();
        assert_eq!(world.view, [0, 0, 2000, 974]);
        let lines = WORLD.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(world.shapes.len(), lines, "a line did not parse");
        let mut codes: Vec<&str> = (world.shapes.iter().map(|s| s.code))
            .filter(|c| *c != "-")
            .collect();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n, "a country is drawn twice");
        for code in ["KE", "DE", "FJ", "MT", "SG"] {
            assert!(codes.contains(&code), "{code} has no shape");
        }
    }

    #[test]
    fn a_countrys_main_extent_leaves_out_its_far_territories() {
        let shape = |code: &str| world().shapes.iter().find(|s| s.code == code).unwrap();
        let (france, russia) = (shape("FR"), shape("RU"));
        // French Guiana is drawn with France but a map of Western Europe
        // does not zoom out to South America for it.
        assert!(
            france.bounds[0] < 750 && france.main[0] > 950,
            "{:?}",
            france.main
        );
        // Russia's land east of 180° is at the map's western edge.
        assert!(
            russia.bounds[0] < 400 && russia.main[0] > 1000,
            "{:?}",
            russia.main
        );
        let [x0, _, x1, _] = zoom([france.main, shape("DE").main].into_iter()).unwrap();
        assert!(x1 - x0 < 200, "Western Europe stays in Europe");
    }

    #[test]
    fn a_small_countrys_dot_shrinks_as_the_map_zooms_in() {
        let facet = Facet {
            key: "geography".into(),
            label: String::new(),
            description: String::new(),
            levels: Vec::new(),
            terms: Vec::new(),
            cases: Vec::new(),
            tagged: Vec::new(),
            on_cards: false,
        };
        let scale = HeatScale::new(None);
        let strings = crate::templates::builtin_catalog().strings("en", "en");
        let outline = |view, d| {
            let svg = Svg {
                strings: &strings,
                facet: &facet,
                terms: &[],
                scale: &scale,
                root: "",
                view,
                region: None,
            };
            svg.outline(d).into_owned()
        };
        let malta = "@1073 227";
        assert_eq!(
            outline(world().view, malta),
            "M1069 227a4 4 0 1 0 8 0a4 4 0 1 0-8 0z"
        );
        let europe = [1000, 100, 1120, 220];
        assert_eq!(
            outline(europe, malta),
            "M1071.8 227a1.2 1.2 0 1 0 2.4 0a1.2 1.2 0 1 0-2.4 0z"
        );
        assert_eq!(
            outline(europe, "M1 2l3 4z"),
            "M1 2l3 4z",
            "a shape is drawn as it is"
        );
    }

    #[test]
    fn a_zoomed_extent_holds_its_countries_with_a_margin_and_a_minimum_size() {
        let z = zoom([[100, 200, 300, 260], [250, 180, 400, 240]].into_iter()).unwrap();
        assert!(
            z[0] < 100 && z[1] < 180 && z[2] > 400 && z[3] > 260,
            "{z:?}"
        );
        let dot = zoom(std::iter::once([500, 500, 508, 508])).unwrap();
        assert!(
            dot[2] - dot[0] >= MIN_EXTENT && dot[3] - dot[1] >= MIN_EXTENT,
            "{dot:?}"
        );
        assert!(zoom(std::iter::empty()).is_none());
    }

    #[test]
    fn countries_name_themselves_and_their_count() {
        let catalog = crate::templates::builtin_catalog();
        let en = catalog.strings("en", "en");
        assert_eq!(
            crate::views::counted(&en, "Kenya", 3),
            "Kenya: 3 case studies"
        );
        assert_eq!(crate::views::counted(&en, "Fiji", 1), "Fiji: 1 case study");
        let fr = catalog.strings("fr", "en");
        assert_eq!(
            crate::views::counted(&fr, "Kenya", 1),
            "Kenya\u{a0}: 1 étude de cas"
        );
        let ar = catalog.strings("ar", "en");
        assert_eq!(crate::views::counted(&ar, "كينيا", 2), "كينيا: دراستا حالة");
    }
}
