//! UI strings (issue 13): a site overrides the theme's words in its own
//! `themes/default/i18n/<lang>.yaml`, `check` warns about the keys a
//! language lacks, and a translation file that cannot be read stops the
//! build with its line.

mod common;

use common::SiteTest;

#[test]
fn a_site_overrides_one_ui_string_and_keeps_the_others() {
    let mut site = SiteTest::with("ui_strings");
    site.build(&[]);
    assert_eq!(site.code(), 0, "{}", site.stderr());
    let home = site.read("public/index.html");
    assert!(
        home.contains(">Find a practice</a>"),
        "the overridden nav label"
    );
    assert!(
        !home.contains(">Search</a></li>"),
        "the theme's own label is gone"
    );
    assert!(
        home.contains(">Explore</a>"),
        "keys not overridden keep the theme's text"
    );
    let listing = site.read("public/case-studies/index.html");
    assert!(
        listing.contains("<p class=\"result-count\">") && listing.contains(" practices</p>"),
        "the plural override counts the listing"
    );
    assert!(!listing.contains(" case studies</p>"));
}

#[test]
fn check_warns_once_per_language_about_missing_strings() {
    let mut site = SiteTest::base();
    site.edit("casebook.yaml", "title:", "language: de\ntitle:");
    site.write("themes/default/i18n/de.yaml", "nav.home: Startseite\n");
    site.check(&["--format", "json"]);
    let report = site.json();
    let warnings: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "themes/default/i18n/de.yaml")
        .collect();
    assert_eq!(warnings.len(), 1, "{report:#}");
    let message = warnings[0]["message"].as_str().unwrap();
    assert_eq!(warnings[0]["severity"], "warning");
    assert!(
        message.contains("missing in `de`") && message.contains("nav.search"),
        "{message}"
    );
    assert!(!message.contains("nav.home,"), "{message}");
    site.build(&[]);
    assert_eq!(site.code(), 0, "{}", site.stderr());
    let home = site.read("public/index.html");
    assert!(home.contains(">Startseite</a>") && home.contains(">Explore</a>"));
}

#[test]
fn an_invalid_translation_file_is_an_error_at_its_line() {
    let mut site = SiteTest::base();
    site.write(
        "themes/default/i18n/en.yaml",
        "nav.home: Start\ncount.cases:\n  one: \"{n} case\"\n  lots: \"{n} cases\"\n  other: \"{n} cases\"\n",
    );
    site.build(&[]);
    assert_eq!(site.code(), 1, "{}", site.stderr());
    let err = site.stderr();
    assert!(err.contains("themes/default/i18n/en.yaml:2"), "{err}");
    assert!(err.contains("unknown plural category `lots`"), "{err}");
    assert!(err.contains("zero, one, two, few, many, other"), "{err}");
}

#[test]
fn a_site_in_french_or_arabic_gets_the_theme_in_its_language() {
    let mut site = SiteTest::base();
    site.edit("casebook.yaml", "title:", "language: fr\ntitle:");
    site.build(&[]);
    assert_eq!(site.code(), 0, "{}", site.stderr());
    assert!(
        !site.stderr().contains("i18n"),
        "fr has every key: {}",
        site.stderr()
    );
    let home = site.read("public/index.html");
    assert!(home.contains(">Accueil</a>") && home.contains(">Études de cas</a>"));
    assert!(home.contains("Aller au contenu principal"));
    let listing = site.read("public/case-studies/index.html");
    assert!(
        listing.contains(" études de cas</p>"),
        "the count in French"
    );
    let search = site.read("public/search/index.html");
    assert!(search.contains(r#""no_match":"Aucune étude de cas ne correspond à ces filtres.""#));

    site.edit("casebook.yaml", "language: fr", "language: ar");
    site.build(&[]);
    assert_eq!(site.code(), 0, "{}", site.stderr());
    let home = site.read("public/index.html");
    assert!(
        home.contains(">الصفحة الرئيسية</a>"),
        "the Arabic navigation"
    );
    assert!(home.contains(r#"<html lang="ar" dir="rtl">"#));
}
