//! The search page's map and timeline: drawn here like the facet pages'
//! ([`super::map`], [`super::timeline`]), but written to
//! `search/charts.json` (and its script twin `charts.js` for `file://`)
//! instead of into the page, because the search page must stay light: the
//! client loads them only when the reader opens "Map" or "Per year", then
//! recolours the countries and rescales the bars to the current results.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::output::Sink;
use crate::search::{script_twin, DATA_DIR};

use super::timeline::{timeline, year_facet, BarLink};
use super::Site;

/// File of the charts, under `search/`.
const CHARTS_FILE: &str = "charts.json";

/// What `search.html` needs to offer the charts: the facet each follows
/// (`None`: that chart is not offered).
#[derive(Debug, Serialize)]
pub(super) struct SearchCharts {
    /// Key of the mapped facet.
    map_facet: Option<String>,
    /// Key of the year facet.
    year_facet: Option<String>,
}

/// `charts.json`: each chart's SVG.
#[derive(Serialize)]
struct ChartsFile {
    map: Option<String>,
    timeline: Option<String>,
}

/// Writes `search/charts.json` and its twin, when there is a chart to
/// draw; says which charts the page offers.
pub(super) fn write_search_charts(site: &Site<'_>, out: &dyn Sink) -> Result<SearchCharts> {
    let facets = &site.portal.taxonomy.facets;
    let map = super::map::map_facet(site)
        .and_then(|(f, facet)| Some((facet.key.clone(), super::map::search_map(site, f)?)));
    let year = year_facet(site).and_then(|f| {
        let chart = timeline(site, f, BarLink::Filter)?;
        Some((facets[f].key.clone(), chart.svg))
    });
    let charts = SearchCharts {
        map_facet: map.as_ref().map(|(k, _)| k.clone()),
        year_facet: year.as_ref().map(|(k, _)| k.clone()),
    };
    if map.is_none() && year.is_none() {
        return Ok(charts);
    }
    let file = ChartsFile {
        map: map.map(|(_, svg)| svg),
        timeline: year.map(|(_, svg)| svg),
    };
    let json =
        serde_json::to_vec(&file).map_err(|e| Error::Internal(format!("{CHARTS_FILE}: {e}")))?;
    let (twin, script) = script_twin(CHARTS_FILE, &json);
    out.write(&format!("{DATA_DIR}/{CHARTS_FILE}"), &json)?;
    out.write(&format!("{DATA_DIR}/{twin}"), &script)
        .map(|()| charts)
}
