//! Timeline: case studies per year as an SVG bar chart, written at build
//! time.
//!
//! Input: the facet that reads `date` as `year` (whatever its key) and its
//! terms' case studies. Output: the chart on that facet's page, each bar a
//! link to its year's page, and the search page's copy, whose bars link to
//! the year as a filter and which the client rescales to the results
//! (`data-code` names each bar's term, `data-base`/`data-height` the scale).
//! Years with no case study between the first and the last are drawn as
//! empty slots, so the horizontal axis is time, not a list.

use std::fmt::Write as _;

use serde::Serialize;

use crate::taxonomy::Facet;
use crate::templates::escape_html;

use super::Site;

/// Width of a year's slot, height of the tallest bar, and the baseline
/// (bars stand on it, years are written under it), in SVG units.
const SLOT: u32 = 36;
const HEIGHT: u32 = 120;
const BASE: u32 = 146;

/// The chart on a page.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineView {
    /// The `<svg>` (a few hundred bytes a year: written with `safe`).
    pub svg: String,
    /// First and last year shown.
    pub from: i32,
    /// Last year shown.
    pub to: i32,
}

/// The facet that reads `date` as `year`, if there is one.
pub(super) fn year_facet(site: &Site<'_>) -> Option<usize> {
    let config = &site.portal.config;
    let spec = config
        .facets
        .iter()
        .position(|f| f.fields.values().any(|v| v == "year"))?;
    let key = &config.facets[spec].key;
    site.portal
        .taxonomy
        .facets
        .iter()
        .position(|f| &f.key == key)
}

/// The years of facet `facet`, in order: (year, its term) for every year
/// from the first to the last, the term None where no case study is.
fn years(facet: &Facet) -> Vec<(i32, Option<usize>)> {
    let mut dated: Vec<(i32, usize)> = (0..facet.terms.len())
        .filter_map(|t| Some((facet.terms[t].code.parse().ok()?, t)))
        .filter(|&(_, t)| !facet.cases[t].is_empty())
        .collect();
    dated.sort_unstable();
    let (Some(&(first, _)), Some(&(last, _))) = (dated.first(), dated.last()) else {
        return Vec::new();
    };
    (first..=last)
        .map(|y| (y, dated.iter().find(|d| d.0 == y).map(|d| d.1)))
        .collect()
}

/// How a bar links: to the year's page (`root` + its URL) or, on the
/// search page, to the year as a filter.
pub(super) enum BarLink<'a> {
    /// The year's page, from a page whose root prefix is this.
    Page(&'a str),
    /// `?year=2021`, for the search page.
    Filter,
}

/// The chart of the year facet `f`; None when no case study has a date.
pub(super) fn timeline(site: &Site<'_>, f: usize, link: BarLink<'_>) -> Option<TimelineView> {
    let facet = &site.portal.taxonomy.facets[f];
    let strings = site.theme.strings();
    let years = years(facet);
    let (&(from, _), &(to, _)) = (years.first()?, years.last()?);
    let largest = years
        .iter()
        .filter_map(|&(_, t)| t.map(|t| facet.cases[t].len()))
        .max()
        .unwrap_or(1);
    let width = SLOT * years.len() as u32;
    let mut svg = format!(
        "<svg class=\"timeline\" viewBox=\"0 0 {width} {}\" role=\"group\" aria-label=\"{}\" data-base=\"{BASE}\" data-height=\"{HEIGHT}\">",
        BASE + 22,
        escape_html(&strings.format(
            "timeline.label",
            &[("from", &from.to_string()), ("to", &to.to_string())]
        )),
    );
    let _ = write!(svg, "<path class=\"axis\" d=\"M0 {BASE}h{width}\"/>");
    for (i, &(year, term)) in years.iter().enumerate() {
        let x = SLOT * i as u32;
        match term {
            Some(t) => bar(&mut svg, strings, facet, t, (x, year), largest, &link),
            None => {
                let _ = write!(
                    svg,
                    "<text x=\"{}\" y=\"{}\">{year}</text>",
                    x + SLOT / 2,
                    BASE + 16
                );
            }
        }
    }
    svg.push_str("</svg>");
    Some(TimelineView { svg, from, to })
}

/// One year's bar, its count above it and its year below, as one link
/// named "2021: 4 case studies".
fn bar(
    svg: &mut String,
    strings: &crate::i18n::Strings,
    facet: &Facet,
    t: usize,
    (x, year): (u32, i32),
    largest: usize,
    link: &BarLink<'_>,
) {
    let cases = facet.cases[t].len();
    let h = ((cases * HEIGHT as usize).div_ceil(largest.max(1))) as u32;
    let href = match link {
        BarLink::Page(root) => format!("{root}{}", facet.term_url(t)),
        BarLink::Filter => {
            let url = crate::links::search_url(&[(&facet.key, &facet.terms[t].code)]);
            url[crate::links::SEARCH_URL.len()..].to_string()
        }
    };
    let name = crate::views::counted(strings, &year.to_string(), cases);
    let mid = x + SLOT / 2;
    let _ = write!(
        svg,
        "<a href=\"{}\" data-code=\"{}\"><title>{name}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{h}\"/><text class=\"n\" x=\"{mid}\" y=\"{}\">{cases}</text><text x=\"{mid}\" y=\"{}\">{year}</text></a>",
        escape_html(&href),
        escape_html(&facet.terms[t].code),
        x + 4,
        BASE - h,
        SLOT - 8,
        BASE - h - 4,
        BASE + 16,
    );
}
