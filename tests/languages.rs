//! A portal in several languages (issue 13): editions under `/<code>/`,
//! translations linked by file name, alternates between them, and the
//! mistakes in linking them reported; a portal of one language unchanged.

mod common;

use std::collections::BTreeMap;

use common::{fnv1a, SiteTest};

/// The base fixture's title line, after which the tests declare languages.
const TITLE: &str = "title: \"Fixture Portal\"";

/// English and French, with the French title and one facet label.
const EN_FR: &str = "title: \"Fixture Portal\"
languages:
  - en
  - code: fr
    title: \"Portail d'essai\"
    labels: { \"Governance level\": \"Niveau de gouvernance\" }";

fn bilingual() -> SiteTest {
    let mut site = SiteTest::with("multilingual");
    site.edit("casebook.yaml", TITLE, EN_FR);
    site.build(&[]).assert_code(0);
    site
}

#[test]
fn one_declared_language_builds_byte_for_byte_what_no_declaration_builds() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let before = site.tree("public");
    site.edit(
        "casebook.yaml",
        TITLE,
        "title: \"Fixture Portal\"\nlanguages: [en]",
    );
    site.build(&[]).assert_code(0);
    let after = site.tree("public");
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let differing: Vec<&String> = before
        .iter()
        .filter(|(name, bytes)| after[*name] != **bytes)
        .map(|(name, _)| name)
        .collect();
    assert!(differing.is_empty(), "{differing:?}");
    assert!(!site.path("public/en").exists());
}

/// The theme's own files, which gained the language switcher and the
/// search page's words read from the translation files: changed for every
/// portal, like any change to the theme.
const THEME_FILES: &[&str] = &[
    "assets/casebook.js",
    "assets/casebook-charts.js",
    "assets/casebook.css",
];

/// The base fixture with a facet of the case studies' languages (English and
/// Arabic), whose terms a portal of several languages names in their own
/// words.
const LANGUAGE_FACET: &str = "facets:
  - key: language
    label: Language
    fields: { language: any }
";

/// The output of the base fixture with [`LANGUAGE_FACET`] and the overlay
/// `spanish_case` (a case study in Spanish in a portal of one language) as
/// written by the Casebook of before languages existed: path, size and
/// FNV-1a 64 of every file.
const BEFORE_LANGUAGES: &str = include_str!("snapshots/before_languages.txt");

/// The site of [`BEFORE_LANGUAGES`] with the fixtures `overlays`, declaring
/// its one language as a site of today would, built.
fn one_language_portal(overlays: &[&str]) -> SiteTest {
    let mut site = SiteTest::with("spanish_case");
    for name in overlays {
        site.overlay(name);
    }
    site.edit("casebook.yaml", "facets:\n", LANGUAGE_FACET);
    site.edit(
        "casebook.yaml",
        TITLE,
        "title: \"Fixture Portal\"\nlanguages: [en]",
    );
    site.build(&[]).assert_code(0);
    site
}

/// The files of `now` whose size or hash differ from [`BEFORE_LANGUAGES`],
/// leaving out `skipped`, once the two list the same paths.
fn changed_since_before_languages(
    now: &BTreeMap<String, Vec<u8>>,
    skipped: &[&str],
) -> Vec<String> {
    let before: BTreeMap<&str, &str> = (BEFORE_LANGUAGES.lines())
        .filter(|line| !line.starts_with('#'))
        .map(|line| (line.split(' ').next().unwrap(), line))
        .collect();
    assert_eq!(
        before.keys().copied().collect::<Vec<_>>(),
        now.keys().map(String::as_str).collect::<Vec<_>>()
    );
    (now.iter())
        .filter(|(path, _)| !skipped.contains(&path.as_str()))
        .map(|(path, bytes)| format!("{path} {} {:016x}", bytes.len(), fnv1a(bytes)))
        .filter(|line| before[line.split(' ').next().unwrap()] != line)
        .collect()
}

/// The generator adds nothing and changes nothing in a portal of one
/// language: with the theme as it was before languages (its templates and
/// files frozen in `tests/fixtures/theme_before_languages`, overriding the
/// embedded theme's), every one of the files is what that Casebook wrote.
#[test]
fn a_one_language_portal_with_the_theme_of_before_languages_is_byte_identical() {
    let site = one_language_portal(&["theme_before_languages"]);
    let changed = changed_since_before_languages(&site.tree("public"), &[]);
    assert!(
        changed.is_empty(),
        "changed since before languages: {changed:#?}"
    );
}

/// With today's theme, the only changes are the theme's own: its three
/// files and the search page's words for the script.
#[test]
fn a_one_language_portal_writes_what_it_wrote_before_languages() {
    let site = one_language_portal(&[]);
    let mut now = site.tree("public");
    // The search page now carries the script's words in a JSON block (the
    // theme's translation files); the rest of it must not have moved.
    let search = String::from_utf8(now["search/index.html"].clone()).unwrap();
    let (head, rest) = search
        .split_once("<script type=\"application/json\" id=\"cb-strings\">")
        .unwrap();
    let (_, tail) = rest.split_once("</script>\n").unwrap();
    now.insert(
        "search/index.html".into(),
        format!("{head}{tail}").into_bytes(),
    );
    let changed = changed_since_before_languages(&now, THEME_FILES);
    assert!(
        changed.is_empty(),
        "changed since before languages: {changed:#?}"
    );
}

#[test]
fn each_language_has_its_edition_with_its_own_words() {
    let site = bilingual();
    let fr_case = site.read("public/fr/case-studies/global-data/index.html");
    assert!(
        fr_case.contains(r#"<html lang="fr" dir="ltr">"#),
        "{fr_case}"
    );
    assert!(fr_case.contains("Un partenariat mondial pour les données"));
    // The vocabulary's official French label, the site's own French words.
    assert!(fr_case.contains("Cible 17.18"), "{fr_case}");
    let fr_home = site.read("public/fr/index.html");
    assert!(fr_home.contains("Portail d&#x27;essai") || fr_home.contains("Portail d'essai"));
    assert!(site
        .read("public/fr/levels/index.html")
        .contains("Niveau de gouvernance"));
    // The theme's files and the open data are shared, at the root.
    assert!(
        fr_case.contains(r#"href="../../../assets/casebook.css""#),
        "{fr_case}"
    );
    assert!(!site.path("public/fr/assets").exists());
    assert!(!site.path("public/fr/catalogue.json").exists());
    // The About page in French; the English one stays English.
    assert!(site.read("public/fr/about/index.html").contains("À propos"));
    assert!(site
        .read("public/about/index.html")
        .contains("About the fixture"));
}

#[test]
fn pages_link_their_translations_with_hreflang_and_the_switcher() {
    let site = bilingual();
    let en_case = site.read("public/case-studies/global-data/index.html");
    for alternate in [
        r#"<link rel="alternate" hreflang="en" href="https://example.org/case-studies/global-data/">"#,
        r#"<link rel="alternate" hreflang="fr" href="https://example.org/fr/case-studies/global-data/">"#,
        r#"<link rel="alternate" hreflang="x-default" href="https://example.org/case-studies/global-data/">"#,
    ] {
        assert!(en_case.contains(alternate), "{alternate} in {en_case}");
    }
    // The switcher leads to the same page in French, relative to this one.
    assert!(
        en_case.contains(r#"<a href="../../fr/case-studies/global-data/" lang="fr""#),
        "{en_case}"
    );
    let fr_case = site.read("public/fr/case-studies/global-data/index.html");
    assert!(fr_case.contains(r#"<a href="../../../case-studies/global-data/" lang="en""#));
    // A case study with no French version: the French edition shows its
    // original, marked, and sends search engines to the original.
    let copy = site.read("public/fr/case-studies/bicol-committee/index.html");
    assert!(
        copy.contains(
            r#"<link rel="canonical" href="https://example.org/case-studies/bicol-committee/">"#
        ),
        "{copy}"
    );
    assert!(copy.contains(r#"class="language-note""#));
    assert!(
        !copy.contains(r#"<link rel="alternate" hreflang="fr""#),
        "a copy is not a French alternate"
    );
}

#[test]
fn a_language_lists_its_own_case_studies_first_then_the_untranslated_marked() {
    let site = bilingual();
    let listing = site.read("public/fr/case-studies/index.html");
    let french = listing
        .find("Un partenariat mondial")
        .expect("the French case study");
    let english = listing
        .find("card-language")
        .expect("an untranslated one, marked");
    assert!(french < english, "own language first");
    // Its search covers its own language unless widened.
    let meta = site.json_file("public/fr/search/meta.json");
    assert_eq!(meta["own"], 1, "{meta}");
    assert!(site
        .json_file("public/search/meta.json")
        .get("own")
        .is_none());
}

#[test]
fn sitemaps_feeds_and_open_data_know_the_languages() {
    let site = bilingual();
    let robots = site.read("public/robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/sitemap.xml\n"));
    assert!(robots.contains("Sitemap: https://example.org/fr/sitemap.xml\n"));
    assert!(!site.path("public/fr/robots.txt").exists());
    let sitemap = site.read("public/fr/sitemap.xml");
    assert!(sitemap.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://example.org/case-studies/global-data/"/>"#), "{sitemap}");
    assert!(
        !sitemap.contains("fr/case-studies/bicol-committee/"),
        "copies are not listed"
    );
    let feed = site.read("public/fr/atom.xml");
    assert!(feed.contains(r#"xml:lang="fr""#));
    assert_eq!(feed.matches("<entry>").count(), 1, "{feed}");
    let catalogue = site.json_file("public/catalogue.json");
    let cases = catalogue["case_studies"].as_array().unwrap();
    let fr = cases.iter().find(|c| c["language"] == "fr").unwrap();
    assert_eq!(
        fr["url"],
        "https://example.org/fr/case-studies/global-data/"
    );
    assert_eq!(fr["translations"][0]["language"], "en");
    assert!(site
        .read("public/catalogue.csv")
        .lines()
        .next()
        .unwrap()
        .contains("translations"));
}

#[test]
fn mistakes_in_linking_translations_are_errors_with_their_file() {
    let mut site = SiteTest::with("multilingual");
    site.edit("casebook.yaml", TITLE, EN_FR);
    let case = "---\ntitle: \"Orpheline\"\n---\nTexte.\n";
    site.write("content/case-studies/orphan.fr.md", case);
    site.write("content/case-studies/nepal-desks.de.md", case);
    site.write(
        "content/case-studies/second-french.md",
        "---\ntitle: \"Encore\"\nlanguage: fr\ntranslation_key: case-studies/global-data\n---\nTexte.\n",
    );
    site.edit(
        "content/case-studies/global-data.fr.md",
        "levels:",
        "language: es\nlevels:",
    );
    site.build(&[]).assert_code(1);
    let err = site.stderr();
    assert!(
        err.contains(
            "orphan.fr.md: error: a translation without its original: no orphan.md beside it"
        ),
        "{err}"
    );
    assert!(err.contains("nepal-desks.de.md: error: the file name ends in `.de`, a language this portal does not publish"), "{err}");
    assert!(err.contains("global-data.fr.md:5:11: error: `language: es` disagrees with the file name, which says `fr`"), "{err}");
    assert!(!site.path("public").exists(), "nothing published");
}

#[test]
fn two_files_claiming_one_language_of_a_case_study_is_an_error() {
    let mut site = SiteTest::with("multilingual");
    site.edit("casebook.yaml", TITLE, EN_FR);
    site.write(
        "content/case-studies/second-french.md",
        "---\ntitle: \"Encore\"\nlanguage: fr\ntranslation_key: case-studies/global-data\n---\nTexte.\n",
    );
    site.build(&[]).assert_code(1);
    let err = site.stderr();
    assert!(
        err.contains("error: this file and content/case-studies/global-data.fr.md are both the `fr` version of `case-studies/global-data`"),
        "{err}"
    );
}

/// English and French, the French naming two of the case studies' themes
/// (one written "Capacity  building" in the fixture).
const EN_FR_THEMES: &str = "title: \"Fixture Portal\"
languages:
  - en
  - code: fr
    labels:
      \"Capacity building\": \"Renforcement des capacités\"
      \"Social cohesion\": \"Cohésion sociale\"";

#[test]
fn a_theme_is_named_in_each_language_at_one_address() {
    let mut site = SiteTest::with("multilingual");
    site.edit("casebook.yaml", TITLE, EN_FR_THEMES);
    site.build(&[]).assert_code(0);
    let fr = site.read("public/fr/themes/capacity-building/index.html");
    assert!(fr.contains("<h1>Renforcement des capacités</h1>"), "{fr}");
    assert!(
        fr.contains(r#"<a href="../../../themes/capacity-building/" lang="en""#),
        "the switcher leads to the same theme: {fr}"
    );
    let en = site.read("public/themes/capacity-building/index.html");
    assert!(!en.contains("Renforcement"), "{en}");
    // Each language lists the themes in the order of its own names.
    let order = |page: &str, names: &[&str]| {
        let at: Vec<usize> = (names.iter())
            .map(|n| page.find(n).unwrap_or_else(|| panic!("{n} in {page}")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{names:?} in order");
    };
    let names = [
        "Cohésion sociale",
        "Labour migration",
        "Policy coherence",
        "Renforcement",
    ];
    order(&site.read("public/fr/themes/index.html"), &names);
    let names = [
        "Capacity",
        "Labour migration",
        "Policy coherence",
        "Social cohesion",
    ];
    order(&site.read("public/themes/index.html"), &names);
    // A French case study's card and page name its themes in French.
    let case = site.read("public/fr/case-studies/bicol-committee/index.html");
    assert!(case.contains("Renforcement des capacités"), "{case}");
}

#[test]
fn a_misspelt_label_is_a_warning_at_its_line() {
    let mut site = SiteTest::with("multilingual");
    let misspelt = EN_FR_THEMES.replace("Social cohesion", "Social cohesoin");
    site.edit("casebook.yaml", TITLE, &misspelt);
    site.check(&[]).assert_code(0);
    let err = site.stderr();
    assert!(
        err.contains("casebook.yaml:9:8: warning: `labels` of `fr`: \"Social cohesoin\" translates nothing: no label, description or tag of the portal reads so"),
        "{err}"
    );
    assert!(err.contains("did you mean \"Social cohesion\"?"), "{err}");
    site.check(&["--strict"]).assert_code(1);
    // Spelt right, as tags are matched (case and spaces aside), no
    // warning; nor for a key like nothing of the portal (a glossary's).
    let mut site = SiteTest::with("multilingual");
    let loose = EN_FR_THEMES.replace("\"Capacity building\"", "\"capacity building\"")
        + "\n      \"Remittances\": \"Envois de fonds\"";
    site.edit("casebook.yaml", TITLE, &loose);
    site.check(&["--strict"]).assert_code(0);
}
