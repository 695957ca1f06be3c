//! Markdown → safe HTML, with heading anchors and a table of contents.
//!
//! Pure: text in, [`Rendered`] out. pulldown-cmark's own output is safe except
//! for raw HTML and dangerous link schemes, so a document containing neither
//! skips the sanitiser entirely (the common case, and most of the build's
//! time otherwise); one containing either goes through ammonia unless the site
//! allows raw HTML. Relative links are rewritten by the caller's resolver so
//! that they keep working from a case study's pretty URL.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::vocabulary::slugify;

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// Heading level, 2 to 4.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Heading text.
    pub title: String,
}

/// A rendered document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Safe HTML.
    pub html: String,
    /// Headings of level 2 to 4.
    pub toc: Vec<TocEntry>,
    /// Plain text, for search.
    pub text: String,
    /// Link and image targets as written (for link checking).
    pub links: Vec<String>,
}

/// Rewrites a relative link target; `None` leaves it as written.
pub type Resolver<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Renders Markdown. `raw_html` passes raw HTML through unsanitised.
pub fn render(markdown: &str, raw_html: bool, resolve: Resolver<'_>) -> Rendered {
    let mut out = Rendered::default();
    let mut needs_sanitising = false;
    let mut events = Vec::new();
    // Ids the page layout itself uses; headings must not take them.
    let mut ids: HashSet<String> = ["main", "content", "top"].map(String::from).into();
    let mut heading: Option<(HeadingLevel, Option<CowStr<'_>>, Vec<Event<'_>>)> = None;
    for mut event in Parser::new_ext(markdown, options()) {
        match &mut event {
            Event::Html(_) | Event::InlineHtml(_) => needs_sanitising = true,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                needs_sanitising |= is_unsafe_url(dest_url);
                out.links.push(dest_url.to_string());
                if let Some(resolved) = resolve(dest_url) {
                    *dest_url = resolved.into();
                }
            }
            Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => {
                *label = footnote_id(label).into();
            }
            _ => {}
        }
        if let Event::Text(t) | Event::Code(t) = &event {
            out.text.push_str(t);
        } else if matches!(event, Event::End(_) | Event::SoftBreak | Event::HardBreak) {
            out.text.push(' ');
        }
        match (&mut heading, event) {
            (None, Event::Start(Tag::Heading { level, id, .. })) => {
                heading = Some((level, id, Vec::new()))
            }
            (Some(_), Event::End(TagEnd::Heading(_))) => {
                let (level, id, inner) = heading.take().expect("inside a heading");
                emit_heading(level, id, inner, &mut ids, &mut out.toc, &mut events);
            }
            (Some((_, _, inner)), e) => inner.push(e),
            (None, Event::Start(Tag::Table(align))) => {
                events.push(Event::Html(TABLE_OPEN.into()));
                events.push(Event::Start(Tag::Table(align)));
            }
            (None, Event::End(TagEnd::Table)) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
            }
            (None, e) => events.push(e),
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    if needs_sanitising && !raw_html {
        out.html = SANITISER.clean(&out.html).to_string();
    }
    out
}

/// The id of a footnote. pulldown-cmark uses the label as written, on the
/// reference and the definition alike: `[^My note]` and `[^my note]:` match
/// in Markdown but gave `href="#My note"` and `id="my note"` (broken, with
/// a space no id may have), and a label like `note` took a heading's id.
/// Labels match ignoring case and runs of spaces, so the id is the slug of
/// the lower-cased label, under a prefix headings do not use.
fn footnote_id(label: &str) -> String {
    let slug = slugify(&label.to_lowercase());
    if slug.is_empty() {
        let hex: String = label.bytes().map(|b| format!("{b:02x}")).collect();
        format!("fn-x{hex}")
    } else {
        format!("fn-{slug}")
    }
}

/// Wide tables scroll inside a focusable region instead of widening the page.
const TABLE_OPEN: &str =
    r#"<div class="table-scroll" tabindex="0" role="region" aria-label="Table">"#;

/// The Markdown extensions Casebook enables (also used by `check`).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Gives a heading a unique id and records it in the table of contents.
fn emit_heading<'a>(
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    inner: Vec<Event<'a>>,
    ids: &mut HashSet<String>,
    toc: &mut Vec<TocEntry>,
    events: &mut Vec<Event<'a>>,
) {
    let title: String = inner
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let base = id.map(|i| i.to_string()).unwrap_or_else(|| slugify(&title));
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    let unique = (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|candidate| !ids.contains(candidate))
        .expect("an unused id exists");
    ids.insert(unique.clone());
    let depth = level as u8;
    if (2..=4).contains(&depth) {
        toc.push(TocEntry {
            level: depth,
            id: unique.clone(),
            title: title.trim().to_string(),
        });
    }
    events.push(Event::Start(Tag::Heading {
        level,
        id: Some(unique.into()),
        classes: vec![],
        attrs: vec![],
    }));
    events.extend(inner);
    events.push(Event::End(TagEnd::Heading(level)));
}

/// Schemes other than these can run code (`javascript:`) or leak data.
fn is_unsafe_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    match lower.find(':') {
        Some(colon) if !lower[..colon].contains(['/', '?', '#']) => {
            !matches!(&lower[..colon], "http" | "https" | "mailto" | "tel")
        }
        _ => false,
    }
}

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tags(["input"])
        .add_tag_attributes("div", ["tabindex", "role", "aria-label"])
        .add_tag_attributes("input", ["type", "checked", "disabled"]);
    b
});

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> Rendered {
        render(s, false, &|_| None)
    }

    #[test]
    fn headings_get_unique_anchors_and_a_toc() {
        let r = md("## Results\n\ntext\n\n## Results\n\n### Lessons *learned*\n");
        assert!(r.html.contains(r#"<h2 id="results">"#));
        assert!(r.html.contains(r#"<h2 id="results-2">"#));
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["results", "results-2", "lessons-learned"]);
    }

    #[test]
    fn footnotes_link_to_their_definitions_whatever_the_case_of_the_label() {
        let r = md("a[^My note] b[^UPPER] c[^note]\n\n## Note\n\n[^my note]: one\n[^upper]: two\n[^note]: three\n");
        for id in ["fn-my-note", "fn-upper", "fn-note"] {
            assert!(
                r.html.contains(&format!("href=\"#{id}\"")),
                "{id}: {}",
                r.html
            );
            assert!(r.html.contains(&format!("id=\"{id}\"")), "{id}: {}", r.html);
        }
        assert!(r.html.contains(r#"<h2 id="note">"#));
        assert!(!r.html.contains(">4<"), "three footnotes: {}", r.html);
    }

    #[test]
    fn raw_html_is_sanitised_by_default() {
        let r = md(
            "Hi <script>alert(1)</script><b onclick=\"x()\">bold</b>\n\n[x](javascript:alert(1))",
        );
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.contains("javascript:"));
        assert!(r.html.contains("<b>bold</b>"));
    }

    #[test]
    fn raw_html_passes_when_allowed() {
        let r = render("<div class=\"x\" onclick=\"y\">a</div>\n", true, &|_| None);
        assert!(r.html.contains("onclick"));
    }

    #[test]
    fn tables_footnotes_tasks_and_strikethrough() {
        let r =
            md("| a | b |\n|---|---|\n| 1 | 2 |\n\nx[^1]\n\n[^1]: note\n\n- [x] done\n\n~~old~~\n");
        for needle in ["<table>", "footnote", "checkbox", "<del>old</del>"] {
            assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
        }
    }

    #[test]
    fn links_go_through_the_resolver() {
        let r = render("[map](map.svg) [web](https://x.org)", false, &|d| {
            (d == "map.svg").then(|| "../map.svg".into())
        });
        assert!(r.html.contains(r#"href="../map.svg""#));
        assert!(r.html.contains(r#"href="https://x.org""#));
        assert_eq!(r.links, ["map.svg", "https://x.org"]);
    }

    #[test]
    fn template_syntax_is_plain_text() {
        assert!(md("{{ site.title }} {% raw %}")
            .html
            .contains("{{ site.title }} {% raw %}"));
    }
}
