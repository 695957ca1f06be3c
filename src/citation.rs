//! Citations: how to cite a case study, as a sentence on its page and as
//! downloads for reference managers (BibTeX, RIS, CSL-JSON), inlined in the
//! page's links as `data:` URLs.
//!
//! Input: the [`Portal`] and a case study. Output: a [`Citation`], whose
//! formats are plain functions of it, so the sentence and the three
//! downloads can never disagree. The author is the case study's `source` (the
//! organisation or publication it comes from) unless it is a web address,
//! else the portal; no access
//! date is given, so the same input gives the same page.
//!
//! Why inline: three files beside each of 10,000 case pages were half the
//! files a build writes and a tenth of its time (issue 16); a `data:` link
//! downloads the same text with no file, also without JavaScript and from
//! disk, for about a kilobyte per format in the page.

use serde::Serialize;

use crate::portal::Portal;
use crate::taxonomy::CaseId;

/// The formats a case page offers for download, in the order it lists them.
pub const FORMATS: [CitationFormat; 3] = [
    CitationFormat {
        extension: "bib",
        label: "BibTeX",
        media_type: "application/x-bibtex",
    },
    CitationFormat {
        extension: "ris",
        label: "RIS",
        media_type: "application/x-research-info-systems",
    },
    CitationFormat {
        extension: "json",
        label: "CSL-JSON",
        media_type: "application/vnd.citationstyles.csl+json",
    },
];

/// One format of citation a page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CitationFormat {
    /// Extension of the file saved (`bib`): the download is `<slug>.bib`.
    pub extension: &'static str,
    /// Name of the format, the link's text.
    pub label: &'static str,
    /// Its media type (the link's `type`, and the `data:` URL's).
    pub media_type: &'static str,
}

/// One download link of "Cite this case study", as the template shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CitationDownload {
    /// Name of the format, the link's text.
    pub label: &'static str,
    /// Its media type (the link's `type`).
    pub media_type: &'static str,
    /// Name the browser saves it under (the link's `download`): `<slug>.bib`.
    pub file_name: String,
    /// The file as a `data:` URL, percent-encoded so that it holds no
    /// character HTML would read (see [`data_url`]): safe in an attribute
    /// as it is.
    pub href: String,
}

/// What a citation of one case study says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Key in BibTeX and id in CSL-JSON: the slug.
    pub key: String,
    /// Who is cited as author: the source, else the portal.
    pub author: String,
    /// Title of the case study.
    pub title: String,
    /// Date shared.
    pub date: Option<jiff::civil::Date>,
    /// The portal's title, the publisher.
    pub portal: String,
    /// Absolute URL of the page.
    pub url: String,
    /// Series and number in it, if any.
    pub series: String,
    /// Number in the series.
    pub number: Option<u32>,
    /// Summary.
    pub summary: String,
    /// BCP 47 tag.
    pub language: String,
}

impl Citation {
    /// The citation of case study `id`.
    pub fn of(portal: &Portal, id: CaseId) -> Citation {
        let case = &portal.content.cases[id as usize];
        let m = &case.meta;
        // An address is where the case study comes from, not who wrote it.
        let author = if m.source.is_empty() || crate::links::is_web_address(&m.source) {
            portal.config.title.clone()
        } else {
            m.source.clone()
        };
        Citation {
            key: case.slug.clone(),
            author,
            title: m.title.clone(),
            date: m.date,
            portal: portal.config.title.clone(),
            url: format!("{}{}", portal.config.base_url(), case.url),
            series: m.series.clone(),
            number: m.number,
            summary: m.summary.clone(),
            language: m.language.clone(),
        }
    }

    /// The year, or "n.d." (no date), as citation styles write it.
    fn year(&self) -> String {
        self.date.map_or("n.d.".into(), |d| d.year().to_string())
    }

    /// The short citation shown on the page, as text (the template escapes
    /// it): "Source (2017). Title. Portal. URL".
    pub fn sentence(&self) -> CitationSentence {
        CitationSentence {
            author_is_portal: self.author == self.portal,
            author: self.author.clone(),
            year: self.year(),
            title: self.title.clone(),
            portal: self.portal.clone(),
            url: self.url.clone(),
        }
    }

    /// The citation as one BibTeX `@misc` entry (BibTeX and biblatex both
    /// read it). The author is braced as a whole, so that an organisation
    /// is not split into first and last names.
    pub fn bibtex(&self) -> String {
        let mut fields = vec![
            ("title", bib_text(&self.title)),
            ("author", format!("{{{}}}", bib_text(&self.author))),
            ("year", self.year()),
        ];
        if let Some(d) = self.date {
            fields.push(("date", d.to_string()));
        }
        fields.push(("howpublished", bib_text(&self.portal)));
        fields.push(("publisher", bib_text(&self.portal)));
        if !self.series.is_empty() {
            fields.push(("series", bib_text(&self.series)));
        }
        if let Some(n) = self.number {
            fields.push(("number", n.to_string()));
        }
        fields.push(("url", bib_url(&self.url)));
        fields.push(("language", bib_text(&self.language)));
        if !self.summary.is_empty() {
            fields.push(("abstract", bib_text(&self.summary)));
        }
        let body: Vec<String> = (fields.iter())
            .map(|(name, value)| format!("  {name} = {{{value}}}"))
            .collect();
        format!("@misc{{{},\n{}\n}}\n", self.key, body.join(",\n"))
    }

    /// The citation as one RIS record (a report), lines ending in CR LF as
    /// the format asks.
    pub fn ris(&self) -> String {
        let mut lines = vec![
            ("TY", "RPRT".to_string()),
            ("TI", self.title.clone()),
            ("AU", self.author.clone()),
            ("PY", self.year()),
        ];
        if let Some(d) = self.date {
            lines.push(("DA", d.strftime("%Y/%m/%d/").to_string()));
        }
        if !self.series.is_empty() {
            lines.push(("T3", self.series.clone()));
        }
        if let Some(n) = self.number {
            lines.push(("VL", n.to_string()));
        }
        lines.push(("PB", self.portal.clone()));
        lines.push(("UR", self.url.clone()));
        lines.push(("LA", self.language.clone()));
        if !self.summary.is_empty() {
            lines.push(("AB", self.summary.clone()));
        }
        lines.push(("ER", String::new()));
        lines
            .iter()
            .map(|(tag, value)| format!("{tag}  - {value}\r\n"))
            .collect()
    }

    /// The citation as CSL-JSON: an array of one item, what citation
    /// processors (citeproc, Zotero) read; compact, as indents would be
    /// percent-encoded spaces in the page.
    pub fn csl_json(&self) -> String {
        let item = CslItem {
            id: &self.key,
            kind: "report",
            title: &self.title,
            author: [CslName {
                literal: &self.author,
            }],
            issued: self.date.map(|d| CslDate {
                date_parts: [[d.year(), d.month().into(), d.day().into()]],
            }),
            publisher: &self.portal,
            collection_title: (!self.series.is_empty()).then_some(self.series.as_str()),
            number: self.number.map(|n| n.to_string()),
            url: &self.url,
            language: &self.language,
            abstract_: (!self.summary.is_empty()).then_some(self.summary.as_str()),
        };
        serde_json::to_string(&[item]).unwrap_or_default() + "\n"
    }

    /// The citation in `format`.
    pub fn text(&self, format: &CitationFormat) -> String {
        match format.extension {
            "bib" => self.bibtex(),
            "ris" => self.ris(),
            _ => self.csl_json(),
        }
    }

    /// The page's download links, one per format of [`FORMATS`].
    pub fn downloads(&self) -> Vec<CitationDownload> {
        (FORMATS.iter())
            .map(|format| CitationDownload {
                label: format.label,
                media_type: format.media_type,
                file_name: format!("{}.{}", self.key, format.extension),
                href: data_url(format.media_type, &self.text(format)),
            })
            .collect()
    }
}

/// The short citation in parts, for the template to mark up.
#[derive(Debug, Clone, Serialize)]
pub struct CitationSentence {
    /// Source or portal.
    pub author: String,
    /// Whether the author is the portal (no source given): then it is in
    /// the portal's language, not the case study's.
    pub author_is_portal: bool,
    /// Year, or "n.d.".
    pub year: String,
    /// Title.
    pub title: String,
    /// The portal's title.
    pub portal: String,
    /// Absolute URL.
    pub url: String,
}

/// One CSL-JSON item (the fields of the CSL 1.0.2 schema it needs).
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct CslItem<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    author: [CslName<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    publisher: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    collection_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(rename = "URL")]
    url: &'a str,
    language: &'a str,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    abstract_: Option<&'a str>,
}

/// An organisation's name, kept whole.
#[derive(Serialize)]
struct CslName<'a> {
    literal: &'a str,
}

#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [[i16; 3]; 1],
}

/// The bytes a `data:` URL keeps as they are: printable ASCII but what is
/// not a URL code point (`"`, `#`, `%`, `<`, `>`, `[`, `\`, `]`, `^`,
/// `` ` ``, `{`, `|`, `}`), so the Nu checker takes it as a valid URL; `&`,
/// which HTML would read in an attribute; and `?`, which would start a
/// query, whose encoding a URL parser takes from the page. Controls, space
/// and non-ASCII (as UTF-8 bytes, what a URL parser would do to it anyway)
/// are percent-encoded. A table, not `percent_encoding`'s iterator: that
/// writes through `fmt` a piece at a time, 2% of a build's instructions.
const DATA_URL_KEPT: [bool; 256] = {
    let mut kept = [false; 256];
    let mut b = b'!';
    while b < 0x7f {
        kept[b as usize] = !matches!(
            b,
            b'"' | b'#'
                | b'%'
                | b'&'
                | b'<'
                | b'>'
                | b'?'
                | b'['
                | b'\\'
                | b']'
                | b'^'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
        );
        b += 1;
    }
    kept
};

/// `text` as a `data:` URL of type `media_type` in UTF-8, percent-encoded
/// (not base64, so it reads as text and most of it stays one byte a byte).
/// Runs of kept bytes are copied whole: a run is ASCII, and the byte after
/// it is ASCII or starts a character, so each run is a `str` slice.
pub fn data_url(media_type: &str, text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut url = String::with_capacity(text.len() + text.len() / 2 + 64);
    url.push_str("data:");
    url.push_str(media_type);
    url.push_str(";charset=utf-8,");
    let mut kept_from = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if DATA_URL_KEPT[b as usize] {
            continue;
        }
        if kept_from < i {
            url.push_str(&text[kept_from..i]);
        }
        url.push('%');
        url.push(HEX[(b >> 4) as usize] as char);
        url.push(HEX[(b & 15) as usize] as char);
        kept_from = i + 1;
    }
    if kept_from < text.len() {
        url.push_str(&text[kept_from..]);
    }
    url
}

/// Text for a braced BibTeX field: the characters TeX reads as commands
/// written as commands that print them, so "Health & Co 100% #1" stays
/// itself and no brace of the author's can end the field early.
pub fn bib_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // TeX joins `--` into a dash, ``` `` ``` and `''` into quotes, `<<`
        // into a guillemet and `!``, `?`` into inverted marks: an empty
        // group between them keeps the characters as written.
        let next = chars.peek().copied();
        let ligature = matches!(
            (c, next),
            ('-', Some('-'))
                | ('`', Some('`'))
                | ('\'', Some('\''))
                | ('<', Some('<'))
                | ('>', Some('>'))
                | ('!' | '?', Some('`'))
        );
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(c),
        }
        if ligature {
            out.push_str("{}");
        }
    }
    out
}

/// A URL for BibTeX's `url` field, which biblatex reads verbatim: only the
/// characters that would unbalance the field or end it are percent-encoded.
fn bib_url(url: &str) -> String {
    url.replace('%', "%25")
        .replace('{', "%7B")
        .replace('}', "%7D")
        .replace('\\', "%5C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Citation {
        Citation {
            key: "a-practice".into(),
            author: "Health & Co {100%} #1 a_b ~x^ \\".into(),
            title: "Welcome desks".into(),
            date: Some(jiff::civil::date(2017, 4, 13)),
            portal: "Good Practices".into(),
            url: "https://example.org/p/case-studies/a-practice/".into(),
            series: "JMDI case studies".into(),
            number: Some(18),
            summary: String::new(),
            language: "en".into(),
        }
    }

    #[test]
    fn bibtex_special_characters_are_escaped() {
        assert_eq!(
            bib_text("Health & Co {100%} #1 a_b ~x^ \\ $"),
            "Health \\& Co \\{100\\%\\} \\#1 a\\_b \\textasciitilde{}x\\textasciicircum{} \\textbackslash{} \\$"
        );
        let bib = sample().bibtex();
        assert!(bib.starts_with("@misc{a-practice,\n"), "{bib}");
        assert!(bib.contains("  author = {{Health \\& Co"), "{bib}");
        assert!(bib.contains("  number = {18}"), "{bib}");
    }

    #[test]
    fn tex_ligatures_are_broken_up() {
        assert_eq!(
            bib_text("a--b <<c>> ``d'' ?`"),
            "a-{}-b <{}<c>{}> `{}`d'{}' ?{}`"
        );
    }

    #[test]
    fn ris_has_one_tag_a_line_and_ends_the_record() {
        let ris = sample().ris();
        assert!(ris.starts_with("TY  - RPRT\r\n"));
        assert!(ris.contains("DA  - 2017/04/13/\r\n"));
        assert!(ris.ends_with("ER  - \r\n"));
        assert!(ris.lines().all(|l| l.len() >= 6 && &l[2..6] == "  - "));
    }

    #[test]
    fn a_data_url_encodes_what_html_or_a_url_parser_would_read() {
        assert_eq!(
            data_url("text/plain", "a b&\"Ç%\r\n?#{x}-_.~:/=@"),
            "data:text/plain;charset=utf-8,a%20b%26%22%C3%87%25%0D%0A%3F%23%7Bx%7D-_.~:/=@"
        );
        let text = sample().bibtex() + &sample().ris() + &sample().csl_json() + "<>[\\]^`|'";
        let url = data_url("application/x-bibtex", &text);
        let data = url.strip_prefix("data:application/x-bibtex;charset=utf-8,");
        let data = data.unwrap();
        let unsafe_char = |c: char| !c.is_ascii_graphic() || "\"#&<>?[\\]^`{|}".contains(c);
        assert!(!data.contains(unsafe_char), "{data}");
        let decoded = percent_encoding::percent_decode_str(data).decode_utf8();
        assert_eq!(decoded.unwrap(), text);
    }

    #[test]
    fn an_undated_case_study_is_cited_without_a_year() {
        let undated = Citation {
            date: None,
            ..sample()
        };
        assert_eq!(undated.sentence().year, "n.d.");
        assert!(!undated.csl_json().contains("issued"));
    }
}
