//! Markdown → safe HTML, with heading anchors and a table of contents.
//!
//! Pure: text in, [`Rendered`] out. pulldown-cmark's own output is safe except
//! for raw HTML and dangerous link schemes, so a document containing neither
//! skips the sanitiser entirely (the common case, and most of the build's
//! time otherwise); one containing either goes through ammonia unless the site
//! allows raw HTML. Relative links are rewritten by the caller's resolver so
//! that they keep working from a case study's pretty URL.
//!
//! Characters that no valid HTML page or XML feed may hold (controls other
//! than tab and line breaks, noncharacters) are taken out of the Markdown
//! before it is parsed, so the page, its table of contents and its search
//! text are all free of them (see [`clean`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::text::slugify;

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
    /// Plain text, for search: one line per block (heading, paragraph,
    /// list item, table row), words within a block apart by spaces.
    pub text: String,
    /// Link and image targets as written (for link checking).
    pub links: Vec<String>,
}

/// Rewrites a relative link target; `None` leaves it as written.
pub type Resolver<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Renders Markdown. `raw_html` passes raw HTML through unsanitised.
pub fn render(markdown: &str, raw_html: bool, resolve: Resolver<'_>) -> Rendered {
    let markdown = clean(markdown);
    let markdown = markdown.as_ref();
    let mut out = Rendered::default();
    let mut needs_sanitising = false;
    let mut events = Vec::new();
    // Ids the page layout itself uses; headings must not take them.
    let mut ids = Ids::reserving(&["main", "content", "top"]);
    let mut definitions = footnote_definition_ids(markdown, &mut ids).into_iter();
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
            Event::FootnoteReference(label) => *label = footnote_id(label).into(),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                *label = definitions
                    .next()
                    .unwrap_or_else(|| footnote_id(label))
                    .into();
            }
            _ => {}
        }
        push_text(&mut out.text, &event);
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
            (None, Event::TaskListMarker(done)) => events.push(Event::InlineHtml(task_mark(done))),
            (None, e) => events.push(e),
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    if needs_sanitising && !raw_html {
        out.html = SANITISER.clean(&out.html).to_string();
    }
    out
}

/// A task list's box as a character, not the disabled checkbox Markdown
/// renders by default: a form control without a label, which screen readers
/// announce as an unnamed field (axe: "Form elements must have labels").
/// Screen readers read "☑" and "☐" in the reader's own language.
fn task_mark(done: bool) -> CowStr<'static> {
    if done {
        r#"<span class="task-mark">☑</span> "#.into()
    } else {
        r#"<span class="task-mark">☐</span> "#.into()
    }
}

/// Adds what `event` holds of the plain text (for search) to `text`.
fn push_text(text: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        Event::End(end) => text.push(if ends_block(end) { '\n' } else { ' ' }),
        Event::SoftBreak | Event::HardBreak => text.push(' '),
        _ => {}
    }
}

/// Whether the end of `tag` ends a block of text (a heading, paragraph, list
/// item, table row…): the plain text marks it with a line break, so that a
/// search result's snippet never runs a heading into the sentence after it
/// ("Context Ghana's diaspora…").
fn ends_block(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
    )
}

/// Whether a character may not appear in an HTML page (the Nu HTML Checker
/// rejects it) or an XML document: C0 controls other than tab, line feed
/// and carriage return, DEL, C1 controls, and the noncharacters U+FDD0 to
/// U+FDEF and U+xFFFE, U+xFFFF of every plane. Authors never mean them:
/// they come with text pasted from PDFs, word processors and terminals.
pub fn is_invisible(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{FDD0}'..='\u{FDEF}')
        || (c as u32 & 0xFFFE) == 0xFFFE
}

/// The Markdown without the characters of [`is_invisible`], borrowed when
/// it has none (nearly always). Those that separate words or lines (vertical
/// tab, form feed, next line U+0085) become a space, so the words on either
/// side stay apart; the others are dropped. A carriage return not followed
/// by a line feed (an old Mac line ending) becomes a line feed, which is
/// what CommonMark reads it as.
pub fn clean(markdown: &str) -> Cow<'_, str> {
    let Some(first) = next_unclean(markdown.as_bytes(), 0) else {
        return Cow::Borrowed(markdown);
    };
    let mut out = String::with_capacity(markdown.len());
    out.push_str(&markdown[..first]);
    let mut chars = markdown[first..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() != Some(&'\n') => out.push('\n'),
            '\u{B}' | '\u{C}' | '\u{85}' => out.push(' '),
            c if is_invisible(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The byte offset and character of the first [`is_invisible`] character
/// in `text` (lone carriage returns are line endings, not counted).
pub fn first_invisible(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = next_unclean(bytes, from) {
        let c = text[at..].chars().next().expect("a character starts here");
        if c != '\r' {
            return Some((at, c));
        }
        from = at + 1;
    }
    None
}

/// The offset of the first character at or after `from` that [`clean`]
/// changes. Every body of every build passes here, so it works on bytes,
/// 64 at a time: a block without a byte that may start such a character
/// (a loop the compiler turns into vector compares) is skipped whole, which
/// is nearly every block; in the others each candidate is looked at. Valid
/// UTF-8 is assumed, so a lead byte is never mistaken for a continuation
/// byte. (100 MB of English text: ~10-30 ms; of French, whose `«` shares
/// its lead byte with the C1 controls, ~50 ms.)
fn next_unclean(bytes: &[u8], from: usize) -> Option<usize> {
    let mut start = from;
    while start < bytes.len() {
        let end = (start + 64).min(bytes.len());
        let block = &bytes[start..end];
        if block
            .iter()
            .fold(false, |any, &b| any | may_start_unclean(b))
        {
            let found = (start..end).find(|&i| may_start_unclean(bytes[i]) && unclean_at(bytes, i));
            if found.is_some() {
                return found;
            }
        }
        start = end;
    }
    None
}

/// Whether `b` may be the first byte of a character [`clean`] changes.
/// Written with `&` and `|` rather than `&&` and `||`: no branch, so a
/// block of them is checked with vector instructions.
fn may_start_unclean(b: u8) -> bool {
    ((b < 0x20) & (b != b'\t') & (b != b'\n'))
        | (b == 0x7F)
        | (b == 0xC2)
        | (b == 0xEF)
        | (b >= 0xF0)
}

/// Whether the character starting at byte `i` is one [`clean`] changes.
fn unclean_at(bytes: &[u8], i: usize) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    match bytes[i] {
        b'\t' | b'\n' => false,
        b'\r' => at(i + 1) != b'\n',
        0..=0x1F | 0x7F => true,
        // U+0080 to U+009F.
        0xC2 => (0x80..=0x9F).contains(&at(i + 1)),
        // U+FDD0 to U+FDEF; U+FFFE and U+FFFF.
        0xEF => match at(i + 1) {
            0xB7 => (0x90..=0xAF).contains(&at(i + 2)),
            0xBF => matches!(at(i + 2), 0xBE | 0xBF),
            _ => false,
        },
        // U+1FFFE, U+1FFFF … U+10FFFE, U+10FFFF.
        0xF0..=0xF4 => {
            at(i + 1) & 0x0F == 0x0F && at(i + 2) == 0xBF && matches!(at(i + 3), 0xBE | 0xBF)
        }
        _ => false,
    }
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

/// The ids of the footnote definitions, in document order, each added to
/// `ids` before any heading takes one: a heading "Fn note" (or `{#fn-note}`)
/// would otherwise share the id of the footnote `[^note]`, wherever in the
/// document either is. pulldown-cmark writes every definition of a label
/// defined twice; the second is `fn-note--2` (slugs never hold `--`).
/// Only documents with a footnote pay for this second, cheap parse.
fn footnote_definition_ids(markdown: &str, ids: &mut Ids) -> Vec<String> {
    if !markdown.contains("[^") {
        return Vec::new();
    }
    let labels: Vec<String> = Parser::new_ext(markdown, options())
        .filter_map(|event| match event {
            Event::Start(Tag::FootnoteDefinition(label)) => Some(footnote_id(&label)),
            _ => None,
        })
        .collect();
    labels.into_iter().map(|id| ids.unique(id, "--")).collect()
}

/// The ids taken in one document, and for each base id the next number to
/// try: a hundred headings "Results" cost a hundred look-ups, not the
/// 5,000 that trying `results-2`, `results-3`... from the start each time
/// did (quadratic: a few thousand identical headings took seconds).
#[derive(Debug, Default)]
struct Ids {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Ids {
    fn reserving(ids: &[&str]) -> Self {
        Ids {
            taken: ids.iter().map(|id| id.to_string()).collect(),
            next: HashMap::new(),
        }
    }

    /// `base`, or `base{separator}N` with the first N from 2 that is free.
    fn unique(&mut self, base: String, separator: &str) -> String {
        let unique = if self.taken.contains(&base) {
            let key = format!("{base}{separator}");
            let n = self.next.entry(key.clone()).or_insert(2);
            loop {
                let candidate = format!("{key}{n}");
                *n += 1;
                if !self.taken.contains(&candidate) {
                    break candidate;
                }
            }
        } else {
            base
        };
        self.taken.insert(unique.clone());
        unique
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
    ids: &mut Ids,
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
    let unique = ids.unique(base, "-");
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

    /// Every id in `html`, in order.
    fn ids(html: &str) -> Vec<&str> {
        html.split(" id=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect()
    }

    #[test]
    fn a_heading_never_takes_the_id_of_a_footnote() {
        for heading in ["## Fn note", "## Intro {#fn-note}"] {
            let r = md(&format!("{heading}\n\nx[^note]\n\n[^note]: a\n"));
            assert_eq!(ids(&r.html), ["fn-note-2", "fn-note"], "{}", r.html);
            assert!(r.html.contains(r##"href="#fn-note""##), "{}", r.html);
            assert_eq!(r.toc[0].id, "fn-note-2");
        }
    }

    #[test]
    fn many_identical_headings_take_linear_time() {
        let r = md(&"## Same\n".repeat(20_000));
        assert_eq!(r.toc.len(), 20_000);
        assert_eq!(r.toc[19_999].id, "same-20000");
        let r = md("## A\n## A-2\n## A\n## A\n");
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-2", "a-3", "a-4"]);
    }

    #[test]
    fn a_footnote_defined_twice_gives_two_ids() {
        let r = md("x[^note]\n\n[^note]: a\n[^Note]: b\n");
        assert_eq!(ids(&r.html), ["fn-note", "fn-note--2"], "{}", r.html);
        assert!(r.html.contains(r##"href="#fn-note""##), "{}", r.html);
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
            md("| a | b |\n|---|---|\n| 1 | 2 |\n\nx[^1]\n\n[^1]: note\n\n- [x] done\n- [ ] to do\n\n~~old~~\n");
        for needle in [
            "<table>",
            "footnote",
            "☑</span> done",
            "☐</span> to do",
            "<del>old</del>",
        ] {
            assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
        }
        assert!(
            !r.html.contains("<input"),
            "no unlabelled checkbox: {}",
            r.html
        );
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
    fn the_byte_scanner_finds_exactly_the_invisible_characters() {
        for code in 0..=0x10FFFF_u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let text = format!("a{c}b");
            let found = first_invisible(&text);
            let expected = is_invisible(c).then_some((1, c));
            assert_eq!(found, expected, "U+{code:04X}");
        }
        assert_eq!(first_invisible("a\r\nb\rc"), None, "line endings");
        // Across the 64-byte blocks, and split over two of them.
        for at in [0, 62, 63, 64, 65, 200] {
            let text = format!(
                "{}\u{FFFF}{}",
                "é".repeat(at / 2) + &"x".repeat(at % 2),
                "a".repeat(70)
            );
            assert_eq!(first_invisible(&text), Some((at, '\u{FFFF}')), "at {at}");
        }
        assert_eq!(clean("a\r\nb"), Cow::Borrowed("a\r\nb"));
    }

    #[test]
    fn invisible_characters_leave_page_toc_and_text() {
        let r = md("## Re\u{1}sults\u{FFFE}\n\nA\u{B}b\u{85}c\u{7F}d\u{C}e\u{FDD0}f\u{10FFFF}g\rh\n\n```\nx\u{1}y\n```\n");
        for output in [&r.html, &r.text, &r.toc[0].title] {
            assert!(!output.chars().any(is_invisible), "{output:?}");
        }
        assert!(!r.html.contains('\r'), "{:?}", r.html);
        assert_eq!(r.toc[0].title, "Results");
        assert!(r.html.contains("A b cd efg\nh"), "{}", r.html);
        assert!(r.html.contains("xy"), "{}", r.html);
    }

    #[test]
    fn template_syntax_is_plain_text() {
        assert!(md("{{ site.title }} {% raw %}")
            .html
            .contains("{{ site.title }} {% raw %}"));
    }
}
