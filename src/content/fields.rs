//! The core front-matter fields: what every case study may have, whatever
//! the site's facets, in one table, [`CORE`].
//!
//! Everything that needs to know them reads it: the schema (the fields a
//! file may use, and which of them a facet may read), `casebook new` (their
//! order and comments), the open-data catalogue (its columns). The reader of
//! a case study dispatches on the name to fill the typed [`Meta`], and the
//! tests below hold it to this table: every field is read, `Meta` holds
//! nothing else, and facets read exactly the fields marked facetable. The
//! README's field table is written by hand, for its examples; a test holds
//! its field names to this table too.
//!
//! [`Meta`]: super::Meta

/// What a core field holds, as the reader checks it; `casebook new` starts
/// each kind with its own empty value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text (runs of white space collapsed).
    Text,
    /// A URL segment: lower-case letters, digits and `-`.
    Slug,
    /// A real date, `YYYY-MM-DD`.
    Date,
    /// A whole number.
    Number,
    /// A BCP 47 language tag; the site's language when absent.
    Language,
    /// A name, or an address (held to the allowed URL schemes when it has no
    /// space).
    NameOrAddress,
    /// A file beside the Markdown file, or a URL.
    FileOrUrl,
    /// A list of text values.
    TextList,
    /// A list of links, each a `title` and a `url`.
    Links,
    /// Where the case study stands in the review workflow: `draft`,
    /// `review` or `published` (see [`super::review::Status`]).
    Status,
}

/// One core field.
#[derive(Debug)]
pub struct CoreField {
    /// Name in the front matter.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether a facet may classify case studies by it (`fields: {source:
    /// any}` in casebook.yaml): text and lists of text that name something
    /// shared, and the date (read as its year).
    pub facetable: bool,
    /// The comment `casebook new` writes above it, one `#` line per line
    /// (followed by "Feeds the facet X." when a facet reads the field).
    pub comment: &'static str,
    /// Its column among the catalogue's core columns (catalogue.csv's first
    /// columns, in this order), counted from 0; `None` when the catalogue
    /// leaves it out. The page's `url`, which no author writes, takes the
    /// column `catalogue::URL_COLUMN`.
    pub column: Option<usize>,
}

/// The core fields, in the order `casebook new` writes them and the README
/// lists them.
pub const CORE: &[CoreField] = &[
    CoreField {
        name: "title",
        kind: Kind::Text,
        facetable: false,
        comment: "Name of the practice: the page heading and the listings' link text.",
        column: Some(2),
    },
    CoreField {
        name: "slug",
        kind: Kind::Slug,
        facetable: false,
        comment: "URL segment of the page; leave empty to use the file name.",
        column: Some(0),
    },
    CoreField {
        name: "date",
        kind: Kind::Date,
        facetable: true,
        comment: "Date the case study was shared, as YYYY-MM-DD.",
        column: Some(3),
    },
    CoreField {
        name: "summary",
        kind: Kind::Text,
        facetable: false,
        comment: "One or two sentences for listings, search results and link previews\n(`casebook check` warns at this line while it is empty).",
        column: Some(4),
    },
    CoreField {
        name: "series",
        kind: Kind::Text,
        facetable: true,
        comment: "Series the case study belongs to, if any.",
        column: Some(5),
    },
    CoreField {
        name: "number",
        kind: Kind::Number,
        facetable: false,
        comment: "Its number within the series: a whole number, or leave empty.",
        column: Some(6),
    },
    CoreField {
        name: "language",
        kind: Kind::Language,
        facetable: true,
        comment: "Language of the text: a BCP 47 tag such as en, fr, es, ar, pt-BR.",
        column: Some(7),
    },
    CoreField {
        name: "translation_key",
        kind: Kind::Slug,
        facetable: false,
        comment: "In a portal of several languages: the same key on every language version of\n\
                  this case study, when their file names (name.md, name.fr.md) do not say it.",
        column: None,
    },
    CoreField {
        name: "source",
        kind: Kind::NameOrAddress,
        facetable: true,
        comment: "Where the case study comes from: an organisation, programme or publication.",
        column: Some(8),
    },
    CoreField {
        name: "partners",
        kind: Kind::TextList,
        facetable: true,
        comment: "Organisations involved, as a list: [\"First\", \"Second\"].",
        column: Some(9),
    },
    CoreField {
        name: "links",
        kind: Kind::Links,
        facetable: false,
        comment: "Related links, each written as two indented lines:\n  \
                  - title: \"Original publication\"\n    \
                  url: \"https://example.org/report\"",
        column: Some(11),
    },
    CoreField {
        name: "image",
        kind: Kind::FileOrUrl,
        facetable: false,
        comment:
            "A picture or diagram: a file next to this one (diagram.svg) or a full https:// URL.",
        column: None,
    },
    CoreField {
        name: "image_alt",
        kind: Kind::Text,
        facetable: false,
        comment: "What the image shows, for readers who cannot see it (needed with an image).",
        column: None,
    },
    CoreField {
        name: "places",
        kind: Kind::TextList,
        facetable: true,
        comment: "Towns, provinces or other places, as free text: [\"First\", \"Second\"].",
        column: Some(10),
    },
    CoreField {
        name: "status",
        kind: Kind::Status,
        facetable: false,
        comment: "published, or draft / review: `casebook build` leaves drafts and case studies\n\
                  under review out (`--drafts` shows them); `casebook serve` shows them with a banner.",
        column: None,
    },
    CoreField {
        name: "reviewed_by",
        kind: Kind::Text,
        facetable: false,
        comment: "Who reviewed the case study, if anyone (shown on its page).",
        column: None,
    },
    CoreField {
        name: "reviewed_on",
        kind: Kind::Date,
        facetable: false,
        comment: "When it was reviewed, as YYYY-MM-DD (shown on its page).",
        column: None,
    },
];

/// The names of the core fields, in [`CORE`]'s order.
pub const CORE_FIELDS: &[&str] = &names();

const fn names() -> [&'static str; CORE.len()] {
    let mut names = [""; CORE.len()];
    let mut i = 0;
    while i < CORE.len() {
        names[i] = CORE[i].name;
        i += 1;
    }
    names
}

/// The core field called `name`, if it is one.
pub fn core(name: &str) -> Option<&'static CoreField> {
    CORE.iter().find(|f| f.name == name)
}

/// The names of the core fields a facet may read, in [`CORE`]'s order.
pub fn facetable() -> impl Iterator<Item = &'static str> {
    CORE.iter().filter(|f| f.facetable).map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    #[test]
    fn names_are_unique_and_every_field_has_a_comment() {
        let unique: BTreeSet<&str> = CORE_FIELDS.iter().copied().collect();
        assert_eq!(unique.len(), CORE.len(), "a name is listed twice");
        for field in CORE {
            assert!(!field.comment.is_empty(), "no comment for `{}`", field.name);
        }
    }

    /// The backticked names in the first cells of the README's field table,
    /// in order (`series`, `number` share a row).
    fn readme_field_names(readme: &str) -> Vec<&str> {
        let mut lines = readme.lines();
        let header = lines.find(|l| l.starts_with("| Field |"));
        assert!(header.is_some(), "README.md has no `| Field |` table");
        lines
            .take_while(|l| l.starts_with('|'))
            .filter(|l| !l.starts_with("|---"))
            .flat_map(|l| {
                let first_cell = l.split('|').nth(1).unwrap_or("");
                first_cell.split('`').skip(1).step_by(2)
            })
            .collect()
    }

    #[test]
    fn readme_lists_the_core_fields_then_the_sample_portals_facet_fields() {
        let names = readme_field_names(include_str!("../../README.md"));
        let (leading, rest) = names.split_at(CORE.len().min(names.len()));
        assert_eq!(
            leading, CORE_FIELDS,
            "the README's field table must start with the core fields, in order"
        );
        // "Every field after `places` exists because the sample casebook.yaml
        // declares a facet reading it."
        let sample = Config::parse(
            include_str!("../../casebook.yaml"),
            Path::new("casebook.yaml"),
        )
        .expect("the sample casebook.yaml is valid");
        let facet_fields: BTreeSet<&str> = sample
            .facets
            .iter()
            .flat_map(|f| f.fields.keys().map(String::as_str))
            .filter(|name| core(name).is_none())
            .collect();
        let rest: BTreeSet<&str> = rest.iter().copied().collect();
        assert_eq!(
            rest, facet_fields,
            "after the core fields, the README lists the sample portal's facet fields"
        );
    }
}

/// The reader of a case study (`case_study::read_core`, which dispatches on
/// the name, and `field_values`, which gives facets the core fields they
/// read) held to the table, through the public `parse_case`.
#[cfg(test)]
mod reader_tests {
    use std::path::Path;

    use super::*;
    use crate::content::case_study::{parse_case, FacetValues, Meta};
    use crate::content::schema::{FacetSchema, FieldKind, Schema};

    /// A value of each kind of core field, as YAML, unlike what an absent
    /// field gives.
    fn sample(kind: Kind) -> &'static str {
        match kind {
            Kind::Text => "\"Sample\"",
            Kind::Slug => "sample-slug",
            Kind::Date => "2020-02-02",
            Kind::Number => "7",
            Kind::Language => "fr",
            Kind::NameOrAddress => "\"Sample source\"",
            Kind::FileOrUrl => "sample.svg",
            Kind::TextList => "[\"Sample\"]",
            Kind::Links => "[{title: \"Sample\", url: \"https://example.org/\"}]",
            Kind::Status => "review",
        }
    }

    /// A schema with no facet but the given ones.
    fn schema(facets: Vec<FacetSchema>) -> Schema {
        Schema {
            facets,
            extra_fields: Vec::new(),
            default_language: "en".into(),
            case_path: "case-studies".into(),
            languages: Vec::new(),
            vocabularies: Vec::new(),
        }
    }

    /// A front matter of `fields` (name, YAML value), read with `schema`;
    /// it must have no error.
    fn read(schema: &Schema, fields: &[(&str, &str)]) -> (String, Meta, Vec<FacetValues>) {
        let front: String = fields.iter().map(|(n, v)| format!("{n}: {v}\n")).collect();
        let text = format!("---\n{front}---\nBody.\n");
        let (case, problems) = parse_case(schema, Path::new("content/x.md"), "", &text);
        let case = case.unwrap_or_else(|| panic!("{front}: {problems:?}"));
        (case.slug, case.meta, case.facets)
    }

    /// Every core field, each with its sample value.
    fn every_core_field() -> Vec<(&'static str, &'static str)> {
        CORE.iter().map(|f| (f.name, sample(f.kind))).collect()
    }

    /// Each field of the table is read: given alone, its value shows in
    /// what is read...
    #[test]
    fn every_core_field_of_the_table_is_read() {
        let schema = schema(Vec::new());
        let base = [("title", "\"Base\""), ("image_alt", "\"Base\"")];
        let baseline = format!("{:?}", read(&schema, &base));
        for field in CORE {
            let mut fields: Vec<(&str, &str)> =
                base.into_iter().filter(|(n, _)| *n != field.name).collect();
            fields.push((field.name, sample(field.kind)));
            let read = format!("{:?}", read(&schema, &fields));
            assert_ne!(read, baseline, "core field `{}` is not read", field.name);
        }
    }

    /// ...and [`Meta`] holds nothing else: given every field of the table,
    /// every field of `Meta` is filled. (A field added to `Meta` fails to
    /// compile here until it is added to the table and read.)
    #[test]
    fn the_table_of_core_fields_fills_all_of_meta() {
        let (_, meta, _) = read(&schema(Vec::new()), &every_core_field());
        let Meta {
            title,
            date,
            summary,
            series,
            number,
            language,
            source,
            partners,
            links,
            image,
            image_alt,
            places,
            status,
            reviewed_by,
            reviewed_on,
            translation_key,
            extra: _, // the site's own fields, not core ones
        } = meta;
        let texts = [title, summary, series, source, image_alt, reviewed_by];
        assert_eq!(translation_key, "sample-slug");
        assert!(texts.iter().all(|t| !t.is_empty()), "{texts:?}");
        assert!(date.is_some() && number.is_some() && image.is_some());
        assert!(reviewed_on.is_some() && status != Default::default());
        assert_ne!(language, "en");
        assert!(!partners.is_empty() && !links.is_empty() && !places.is_empty());
    }

    /// A facet reads exactly the core fields the table marks facetable (the
    /// config refuses the others, so this schema is built by hand).
    #[test]
    fn facets_read_exactly_the_facetable_core_fields() {
        let facets = CORE
            .iter()
            .map(|f| {
                // The only kind the config accepts for `date`.
                let kind = match f.kind {
                    Kind::Date => FieldKind::Year,
                    _ => FieldKind::Any,
                };
                FacetSchema {
                    key: f.name.into(),
                    vocabulary: None,
                    fields: vec![(f.name.into(), kind)],
                }
            })
            .collect();
        let (_, _, values) = read(&schema(facets), &every_core_field());
        for (field, values) in CORE.iter().zip(values) {
            let FacetValues::Free(values) = values else {
                panic!("a facet without vocabulary gives free tags")
            };
            assert_eq!(
                !values.is_empty(),
                field.facetable,
                "a facet reading `{}` gets {values:?}",
                field.name
            );
        }
    }
}
