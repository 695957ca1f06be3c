//! The home page's cross-level matrices: counts of case studies at each
//! pair of top-level terms of two facets, shaded in a few steps with a
//! legend that says which counts each shade stands for.

use crate::taxonomy::{intersect, intersection_url, Facet};
use crate::views::{lower_initial, HeatStep, MatrixCell, MatrixHeader, MatrixRow, MatrixView};

use super::Site;

/// The most shades a matrix uses (the theme's `heat-1` to `heat-5`).
const SHADES: usize = 5;

/// The cross-level matrices: counts at each pair of top-level terms.
pub(super) fn matrices(site: &Site<'_>) -> Vec<MatrixView> {
    site.matrix_facets()
        .into_iter()
        .enumerate()
        .map(|(i, (spec, rows, cols))| {
            let strings = site.theme.strings();
            let counts = counts(rows, cols);
            let scale = HeatScale::new(counts.iter().flatten().map(|&(_, n)| n).max());
            MatrixView {
                id: format!("matrix-{}", i + 1),
                title: spec.title.clone(),
                caption: strings.format(
                    "matrix.caption",
                    &[
                        ("rows", &lower_initial(&rows.label)),
                        ("columns", &lower_initial(&cols.label)),
                    ],
                ),
                row_label: rows.label.clone(),
                col_label: cols.label.clone(),
                row_facet: rows.key.clone(),
                col_facet: cols.key.clone(),
                columns: cols.roots().map(|c| header(cols, c)).collect(),
                rows: matrix_rows(strings, (rows, cols), counts, &scale),
                legend: scale.legend(),
            }
        })
        .collect()
}

/// Per top-level row term, per top-level column term: (column, count).
fn counts(rows: &Facet, cols: &Facet) -> Vec<Vec<(usize, usize)>> {
    rows.roots()
        .map(|r| {
            cols.roots()
                .map(|c| (c, intersect(&rows.cases[r], &cols.cases[c]).len()))
                .collect()
        })
        .collect()
}

fn header(facet: &Facet, term: usize) -> MatrixHeader {
    let t = &facet.terms[term];
    MatrixHeader {
        label: t.label.clone(),
        short: t.short.clone(),
        description: t.description.clone(),
        url: (!facet.cases[term].is_empty()).then(|| facet.term_url(term)),
        code: t.code.clone(),
    }
}

fn matrix_rows(
    strings: &crate::i18n::Strings,
    (rows, cols): (&Facet, &Facet),
    counts: Vec<Vec<(usize, usize)>>,
    scale: &HeatScale,
) -> Vec<MatrixRow> {
    rows.roots()
        .zip(counts)
        .map(|(r, row_counts)| MatrixRow {
            label: rows.terms[r].name(),
            url: (!rows.cases[r].is_empty()).then(|| rows.term_url(r)),
            code: rows.terms[r].code.clone(),
            cells: row_counts
                .into_iter()
                .map(|(c, count)| MatrixCell {
                    count,
                    url: (count > 0).then(|| intersection_url(rows, r, cols, c)),
                    level: scale.level(count),
                    label: strings.plural_format(
                        "matrix.cell",
                        count,
                        &[
                            ("row", &rows.terms[r].label),
                            ("column", &cols.terms[c].label),
                        ],
                    ),
                })
                .collect(),
        })
        .collect()
}

/// Shades for counts from 1 to the largest: up to [`SHADES`] steps of
/// equal width, each a range of counts the legend names ("1–2", "3–4");
/// a width over 10 is rounded up to a round number ("1–500", "501–1000",
/// not "1–477", "478–954").
///
/// Steps start at 1, not 0, so the lightest shade always holds the
/// smallest counts: with sparse data (the largest count 2) a cell of one
/// case is the lightest shade and a cell of two the darkest, where shading
/// by fifths of the largest count made a single case as dark as the
/// fullest cell. With fewer counts than shades, each count is a step of its
/// own, and the shades used are spread from the lightest to the darkest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HeatScale {
    /// The largest count of each step, ascending; the last is the largest.
    tops: Vec<usize>,
}

impl HeatScale {
    pub(super) fn new(largest: Option<usize>) -> Self {
        let largest = largest.unwrap_or(0);
        let width = round_up(largest.div_ceil(SHADES).max(1));
        let steps = largest.div_ceil(width);
        HeatScale {
            tops: (1..=steps).map(|i| (i * width).min(largest)).collect(),
        }
    }

    /// The shade of a count: 0 for none, else 1 (lightest) to [`SHADES`].
    pub(super) fn level(&self, count: usize) -> usize {
        if count == 0 {
            return 0;
        }
        let step = self.tops.iter().position(|&top| count <= top);
        self.shade(step.unwrap_or(self.tops.len().saturating_sub(1)))
    }

    /// The shade of step `i`, the steps spread over the shades.
    fn shade(&self, i: usize) -> usize {
        match self.tops.len() {
            0 | 1 => 1,
            n => 1 + (i * (SHADES - 1) + (n - 1) / 2) / (n - 1),
        }
    }

    pub(super) fn legend(&self) -> Vec<HeatStep> {
        let bottoms = std::iter::once(1).chain(self.tops.iter().map(|t| t + 1));
        (self.tops.iter().zip(bottoms).enumerate())
            .map(|(i, (&top, bottom))| HeatStep {
                level: self.shade(i),
                counts: if bottom == top {
                    top.to_string()
                } else {
                    format!("{bottom}–{top}")
                },
            })
            .collect()
    }
}

/// `n` rounded up to two significant digits, the second 0 or 5 (477 → 500,
/// 431 → 450, 23 → 25); up to 10, `n` itself.
fn round_up(n: usize) -> usize {
    if n <= 10 {
        return n;
    }
    let unit = 5 * 10usize.pow(n.ilog10() - 1);
    n.div_ceil(unit) * unit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legend(largest: usize) -> Vec<(usize, String)> {
        let scale = HeatScale::new(Some(largest));
        scale
            .legend()
            .into_iter()
            .map(|s| (s.level, s.counts))
            .collect()
    }

    #[test]
    fn one_case_is_lighter_than_the_fullest_cell_however_sparse() {
        for largest in (2..=100).chain([477, 2385, 10_000]) {
            let scale = HeatScale::new(Some(largest));
            assert_eq!(scale.level(1), 1, "largest {largest}");
            assert_eq!(scale.level(largest), SHADES, "largest {largest}");
        }
        let single = HeatScale::new(Some(1));
        assert_eq!(single.level(1), 1);
        assert_eq!(single.level(0), 0);
    }

    #[test]
    fn the_legend_names_the_counts_of_each_shade() {
        assert_eq!(legend(1), [(1, "1".to_string())]);
        assert_eq!(legend(2), [(1, "1".into()), (5, "2".into())]);
        assert_eq!(
            legend(3),
            [(1, "1".into()), (3, "2".into()), (5, "3".into())]
        );
        assert_eq!(
            legend(9),
            [
                (1, "1–2".to_string()),
                (2, "3–4".into()),
                (3, "5–6".into()),
                (4, "7–8".into()),
                (5, "9".into())
            ]
        );
        assert!(HeatScale::new(None).legend().is_empty());
        let counts = |largest| {
            legend(largest)
                .into_iter()
                .map(|(_, c)| c)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            counts(2385),
            ["1–500", "501–1000", "1001–1500", "1501–2000", "2001–2385"]
        );
        assert_eq!(counts(11), ["1–3", "4–6", "7–9", "10–11"]);
        assert_eq!(counts(60), ["1–15", "16–30", "31–45", "46–60"]);
    }

    #[test]
    fn step_widths_round_up_to_round_numbers() {
        let rounded: Vec<usize> = [1, 7, 10, 11, 23, 50, 99, 431, 477, 1234, 20_001]
            .map(round_up)
            .into();
        assert_eq!(rounded, [1, 7, 10, 15, 25, 50, 100, 450, 500, 1500, 25_000]);
    }

    #[test]
    fn every_count_falls_in_the_step_the_legend_gives_it() {
        for largest in (1..=120).chain([2385]) {
            let scale = HeatScale::new(Some(largest));
            let legend = scale.legend();
            for count in 1..=largest {
                let step = legend
                    .iter()
                    .find(|s| {
                        let (lo, hi) = s.counts.split_once('–').unwrap_or((&s.counts, &s.counts));
                        (lo.parse().unwrap()..=hi.parse().unwrap()).contains(&count)
                    })
                    .unwrap_or_else(|| panic!("{count} of {largest} in no step"));
                assert_eq!(step.level, scale.level(count), "{count} of {largest}");
            }
        }
    }
}
