//! Coverage gaps: what no case study covers yet.
//!
//! Pure. Input: the [`Portal`]'s taxonomy and matrices. Output: [`Gaps`],
//! per facet with a vocabulary (free tags have no list of what could be
//! there) the terms without case studies, grouped under their parents with
//! counts ("Goal 14: 0 of 10 targets covered"), and the empty cells of each
//! configured matrix. The render stage shows it as the gaps page; the
//! catalogue stage writes it as `gaps.json`, for those who plan what to
//! collect next.

use serde::Serialize;

use crate::i18n::Strings;
use crate::portal::Portal;
use crate::taxonomy::{intersect, Facet};

/// URL of the gaps page.
pub const GAPS_URL: &str = "gaps/";

/// File of the same data, beside `catalogue.json`.
pub const GAPS_FILE: &str = "gaps.json";

/// Every gap of a portal.
#[derive(Debug, Clone, Serialize)]
pub struct Gaps {
    /// Facets with a vocabulary, in config order.
    pub facets: Vec<FacetGaps>,
    /// The configured matrices, in config order.
    pub matrices: Vec<MatrixGaps>,
}

/// The gaps of one facet.
#[derive(Debug, Clone, Serialize)]
pub struct FacetGaps {
    /// Facet key.
    pub key: String,
    /// Facet label.
    pub label: String,
    /// URL of the facet's page.
    pub url: String,
    /// Terms in the vocabulary.
    pub terms: usize,
    /// Of those, terms with at least one case study.
    pub covered: usize,
    /// One group per level of children: the top level, then each term
    /// that has children, in vocabulary order.
    pub groups: Vec<GroupGaps>,
}

/// The children of one parent (or the top-level terms) and which of them
/// no case study covers.
#[derive(Debug, Clone, Serialize)]
pub struct GroupGaps {
    /// The parent's code; None for the top level.
    pub parent: Option<String>,
    /// "Goal 14: 0 of 10 targets covered", or "Goals: 12 of 17 covered".
    pub summary: String,
    /// The parent's page, if it has case studies.
    pub url: Option<String>,
    /// Children (or top-level terms).
    pub total: usize,
    /// Of those, with case studies.
    pub covered: usize,
    /// Those without.
    pub empty: Vec<TermGap>,
}

/// A term no case study covers.
#[derive(Debug, Clone, Serialize)]
pub struct TermGap {
    /// Its code ("14.1").
    pub code: String,
    /// Its name ("Target 14.1: Reduce marine pollution").
    pub label: String,
}

/// The empty cells of a matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixGaps {
    /// Matrix title.
    pub title: String,
    /// Cells in all.
    pub cells: usize,
    /// The cells no case study is in, row by row.
    pub empty: Vec<CellGap>,
}

/// One empty cell.
#[derive(Debug, Clone, Serialize)]
pub struct CellGap {
    /// Row term's code.
    pub row: String,
    /// Row term's label.
    pub row_label: String,
    /// Column term's code.
    pub column: String,
    /// Column term's label.
    pub column_label: String,
}

impl Gaps {
    /// The gaps of `portal`, the summaries in the words of `strings`.
    pub fn new(portal: &Portal, strings: &Strings) -> Gaps {
        let facets = &portal.taxonomy.facets;
        Gaps {
            facets: (facets.iter())
                .filter(|f| !f.levels.is_empty())
                .map(|f| facet_gaps(strings, f))
                .collect(),
            matrices: (portal.config.matrices.iter())
                .filter_map(|m| {
                    let find = |key: &str| facets.iter().find(|f| f.key == key);
                    Some(matrix_gaps(&m.title, find(&m.rows)?, find(&m.columns)?))
                })
                .collect(),
        }
    }
}

fn facet_gaps(strings: &Strings, facet: &Facet) -> FacetGaps {
    let used = |t: usize| !facet.cases[t].is_empty();
    let roots: Vec<usize> = facet.roots().collect();
    let top = group(strings, facet, None, &roots);
    let parents = (0..facet.terms.len()).filter(|&t| !facet.terms[t].children.is_empty());
    let groups = std::iter::once(top)
        .chain(parents.map(|p| group(strings, facet, Some(p), &facet.terms[p].children)))
        .collect();
    FacetGaps {
        key: facet.key.clone(),
        label: facet.label.clone(),
        url: facet.url(),
        terms: facet.terms.len(),
        covered: (0..facet.terms.len()).filter(|&t| used(t)).count(),
        groups,
    }
}

/// The group of `children` under `parent` (None: the top level).
fn group(strings: &Strings, facet: &Facet, parent: Option<usize>, children: &[usize]) -> GroupGaps {
    let covered = children
        .iter()
        .filter(|&&c| !facet.cases[c].is_empty())
        .count();
    let depth = parent.map_or(0, |p| facet.terms[p].depth);
    let level = facet.levels.get(depth).map_or("term", String::as_str);
    let (covered_text, total) = (covered.to_string(), children.len());
    let summary = match parent {
        None => strings.format(
            "gaps.top_covered",
            &[
                (
                    "levels",
                    &crate::i18n::capitalised(&strings.level_plural(level)),
                ),
                ("covered", &covered_text),
                ("total", &total.to_string()),
            ],
        ),
        Some(p) => strings.format(
            "gaps.group_covered",
            &[
                ("parent", &facet.terms[p].label),
                ("covered", &covered_text),
                ("count", &strings.level(level, total)),
            ],
        ),
    };
    GroupGaps {
        parent: parent.map(|p| facet.terms[p].code.clone()),
        summary,
        url: parent
            .filter(|&p| !facet.cases[p].is_empty())
            .map(|p| facet.term_url(p)),
        total: children.len(),
        covered,
        empty: (children.iter())
            .filter(|&&c| facet.cases[c].is_empty())
            .map(|&c| TermGap {
                code: facet.terms[c].code.clone(),
                label: facet.terms[c].name(),
            })
            .collect(),
    }
}

fn matrix_gaps(title: &str, rows: &Facet, cols: &Facet) -> MatrixGaps {
    let mut empty = Vec::new();
    let mut cells = 0;
    for r in rows.roots() {
        for c in cols.roots() {
            cells += 1;
            if intersect(&rows.cases[r], &cols.cases[c]).is_empty() {
                empty.push(CellGap {
                    row: rows.terms[r].code.clone(),
                    row_label: rows.terms[r].label.clone(),
                    column: cols.terms[c].code.clone(),
                    column_label: cols.terms[c].label.clone(),
                });
            }
        }
    }
    MatrixGaps {
        title: title.to_string(),
        cells,
        empty,
    }
}
