//! The map, the chart per year and the coverage gaps (issue 14) on fixture
//! sites: what the facet, region and year pages show without JavaScript,
//! what the search page is offered, what `map:` refuses, and gaps.json.

mod common;

use common::SiteTest;

/// The base fixture with the map on its geography facet.
fn mapped() -> SiteTest {
    let site = SiteTest::base();
    let config = site.read("casebook.yaml");
    site.write(
        "casebook.yaml",
        &format!("{config}map: {{ facet: geography }}\n"),
    );
    site
}

#[test]
fn the_mapped_facet_page_draws_each_country_as_a_link_named_with_its_count() {
    let mut site = mapped();
    site.build(&[]).assert_code(0);
    let page = site.output("geography/index.html");
    assert!(page.contains("<svg class=\"map\" viewBox=\"0 0 2000 974\""));
    for country in [
        "<a href=\"../geography/ph/\"><title>Philippines: 1 case study</title><path class=\"heat-",
        "<a href=\"../geography/jo/\"><title>Jordan: 1 case study</title>",
        "<a href=\"../geography/np/\"><title>Nepal: 1 case study</title>",
    ] {
        assert!(page.contains(country), "no {country}");
    }
    assert_eq!(
        page.matches("<title>").count(),
        1 + 3,
        "the page title and three countries"
    );
    // The same numbers, as a table.
    assert!(page
        .contains("<th scope=\"row\"><a href=\"../geography/ph/\">Philippines</a></th><td>1</td>"));
    assert!(
        page.contains("href=\"../gaps/\""),
        "facet pages link the gaps page"
    );
}

#[test]
fn a_region_page_has_its_map_zoomed_to_its_countries() {
    let mut site = mapped();
    site.build(&[]).assert_code(0);
    let asia = site.output("geography/asia/index.html");
    let view = asia
        .split("<svg class=\"map\" viewBox=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a map on the region page");
    let [x, y, w, h]: [i32; 4] = view
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    assert!(
        x > 1000 && w < 1000 && y > 0 && h < 974,
        "zoomed to Asia: {view}"
    );
    assert!(asia.contains("Case studies in Asia, by country"));
    assert!(asia.contains("<title>Nepal: 1 case study</title>"));
    // A country has no map of its own; a second page of a region shows none.
    assert!(!site
        .output("geography/np/index.html")
        .contains("class=\"map\""));
}

#[test]
fn the_year_facet_page_charts_each_year_as_a_link_to_it() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let page = site.output("year/index.html");
    assert!(page.contains("<svg class=\"timeline\""));
    assert!(page.contains("<a href=\"../year/2017/\" data-code=\"2017\""));
    assert!(page.contains("<title>2017: 1 case study</title>"));
}

#[test]
fn a_site_without_a_map_setting_has_no_map_anywhere() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    assert!(!site.output("geography/index.html").contains("class=\"map"));
    assert!(!site
        .output("geography/asia/index.html")
        .contains("class=\"map"));
    let search = site.output("search/index.html");
    assert!(!search.contains("data-chart=\"map\""));
    assert!(search.contains("data-chart=\"timeline\" data-facet=\"year\""));
    let charts: serde_json::Value =
        serde_json::from_str(&site.output("search/charts.json")).unwrap();
    assert!(charts["map"].is_null());
    assert!(charts["timeline"]
        .as_str()
        .unwrap()
        .starts_with("<svg class=\"timeline\""));
    let twin = site.output("search/charts.js");
    assert!(twin.starts_with("casebookData(\"charts.json\",{"));
}

#[test]
fn the_search_page_map_links_each_country_to_its_filter() {
    let mut site = mapped();
    site.build(&[]).assert_code(0);
    assert!(site
        .output("search/index.html")
        .contains("data-chart=\"map\" data-facet=\"geography\""));
    let charts: serde_json::Value =
        serde_json::from_str(&site.output("search/charts.json")).unwrap();
    let map = charts["map"].as_str().unwrap();
    assert!(map.contains("<a href=\"?geography=PH\" data-code=\"PH\""));
    assert_eq!(
        map.matches("<a ").count(),
        3,
        "the countries with case studies"
    );
}

#[test]
fn the_map_must_name_a_facet_with_a_vocabulary() {
    for (facet, error) in [
        ("nowhere", "`map` names unknown facet `nowhere`"),
        ("themes", "`map` facet `themes` has no vocabulary"),
    ] {
        let mut site = SiteTest::base();
        let config = site.read("casebook.yaml");
        let line = config.lines().count() + 1;
        site.write(
            "casebook.yaml",
            &format!("{config}map: {{ facet: {facet} }}\n"),
        );
        let at = format!("casebook.yaml:{line}:15: error: {error}");
        site.build(&[]).assert_code(1).assert_stderr(&[&at]);
    }
}

#[test]
fn gaps_list_the_terms_without_case_studies_per_parent_and_the_empty_cells() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let gaps: serde_json::Value = serde_json::from_str(&site.output("gaps.json")).unwrap();
    let facets = gaps["facets"].as_array().unwrap();
    let keys: Vec<&str> = facets.iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        ["levels", "sdg", "gcm", "geography"],
        "facets with a vocabulary only"
    );
    let sdg = &facets[1];
    let goal = |code: &str| {
        sdg["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["parent"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(goal("14")["summary"], "Goal 14: 0 of 10 targets covered");
    assert_eq!(goal("14")["empty"][0]["code"], "14.1");
    let ten = goal("10");
    assert_eq!(
        ten["covered"].as_u64().unwrap() + ten["empty"].as_array().unwrap().len() as u64,
        ten["total"].as_u64().unwrap()
    );
    assert!(
        ten["covered"].as_u64().unwrap() >= 1,
        "the fixture has 10.7"
    );
    let matrix = &gaps["matrices"][0];
    assert_eq!(matrix["title"], "Level × round table");
    let empty = matrix["empty"].as_array().unwrap().len();
    assert!(empty > 0 && empty < matrix["cells"].as_u64().unwrap() as usize);
    let page = site.output("gaps/index.html");
    assert!(page.contains("Goal 14: 0 of 10 targets covered"));
    assert!(page.contains("Target 14.1: "));
    assert!(site.output("index.html").contains("href=\"gaps/\""));
}

#[test]
fn a_country_too_small_for_the_map_is_still_in_its_table() {
    let mut site = mapped();
    site.edit(
        "content/case-studies/jordan-centres.md",
        "countries: [JO]",
        "countries: [JO, RE]",
    );
    site.build(&[]).assert_code(0);
    let page = site.output("geography/index.html");
    assert!(
        !page.contains("<title>Réunion"),
        "Natural Earth has no Réunion"
    );
    assert!(
        page.contains("<th scope=\"row\"><a href=\"../geography/re/\">Réunion</a></th><td>1</td>")
    );
    let africa = site.output("geography/africa/index.html");
    assert!(africa.contains("../geography/re/\">Réunion</a>"));
}

#[test]
fn a_mapped_facet_without_country_codes_has_no_map() {
    let mut site = SiteTest::base();
    let config = site.read("casebook.yaml");
    site.write(
        "casebook.yaml",
        &format!("{config}map: {{ facet: levels }}\n"),
    );
    site.build(&[]).assert_code(0);
    assert!(!site.output("levels/index.html").contains("class=\"map"));
    let charts: serde_json::Value =
        serde_json::from_str(&site.output("search/charts.json")).unwrap();
    assert!(charts["map"].is_null());
    assert!(!site
        .output("search/index.html")
        .contains("data-chart=\"map\""));
}
