//! Taxonomy: case studies × facets → terms, the case studies under each term,
//! and the relations between case studies (related, series neighbours).
//!
//! Pure. A term's case list includes the case studies tagged with any of its
//! descendants, so Goal 10 lists every 10.x case. Case indices refer to
//! `Content::cases`, which is sorted newest first, so every list of indices is
//! already in display order.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::Config;
use crate::content::case_study::FacetValues;
use crate::content::CaseStudy;
use crate::text::{normalise, slugify};
use crate::vocabulary::{Term, Vocabulary};

/// Index of a case study in `Content::cases`.
pub type CaseId = u32;

/// A facet with its terms and the case studies under each.
#[derive(Debug, Clone)]
pub struct Facet {
    /// URL-safe key.
    pub key: String,
    /// Display name.
    pub label: String,
    /// One sentence.
    pub description: String,
    /// Names of the hierarchy levels (empty for free tags).
    pub levels: Vec<String>,
    /// Terms, parents before children.
    pub terms: Vec<Term>,
    /// Per term: case studies tagged with it or a descendant, newest first.
    pub cases: Vec<Vec<CaseId>>,
    /// Per case study: the terms it was tagged with (no ancestors).
    pub tagged: Vec<Vec<usize>>,
    /// Show these terms on cards.
    pub on_cards: bool,
}

impl Facet {
    /// Top-level terms.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.terms.len()).filter(|&t| self.terms[t].parent.is_none())
    }

    /// The term and its ancestors, nearest first.
    pub fn ancestors(&self, term: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(term), |&t| self.terms[t].parent)
    }

    /// Site-relative URL of a term page.
    pub fn term_url(&self, term: usize) -> String {
        crate::links::term_url(&self.key, &self.terms[term].slug)
    }

    /// Site-relative URL of the facet page.
    pub fn url(&self) -> String {
        crate::links::facet_url(&self.key)
    }
}

/// Site-relative URL of the listing at the intersection of two terms.
pub fn intersection_url(rows: &Facet, row: usize, cols: &Facet, col: usize) -> String {
    let (r, c) = (&rows.terms[row].slug, &cols.terms[col].slug);
    crate::links::intersection_url((&rows.key, r), (&cols.key, c))
}

/// All facets of a site.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Facets in config order.
    pub facets: Vec<Facet>,
}

/// Builds the facets from the config, the vocabularies and the case studies.
pub fn build(
    config: &Config,
    vocabularies: &crate::vocabulary::Vocabularies,
    cases: &[CaseStudy],
) -> Taxonomy {
    use rayon::prelude::*;
    // Facets are independent; each walks every case study.
    let facets = config
        .facets
        .par_iter()
        .enumerate()
        .map(|(i, spec)| {
            let (terms, tagged) = match spec.vocabulary.as_ref().and_then(|v| vocabularies.get(v)) {
                Some(v) => vocabulary_terms(v, cases, i),
                None => free_terms(cases, i, config.words()),
            };
            let levels = spec
                .vocabulary
                .as_ref()
                .and_then(|v| vocabularies.get(v))
                .map(|v| v.levels.clone())
                .unwrap_or_default();
            let mut terms = terms;
            let language_facet =
                spec.vocabulary.is_none() && spec.fields.keys().all(|f| f == "language");
            if language_facet && config.is_multilingual() {
                // Language codes read as the languages' own names ("Français")
                // in a portal of several languages; a portal in one language
                // shows them as it did before it could have several.
                for term in &mut terms {
                    term.label = crate::text::autonym(&term.code);
                }
            }
            let mut facet = Facet {
                key: spec.key.clone(),
                label: spec.label.clone(),
                description: spec.description.clone(),
                levels,
                cases: vec![Vec::new(); terms.len()],
                terms,
                tagged,
                on_cards: spec.on_cards,
            };
            fill_postings(&mut facet);
            facet
        })
        .collect();
    Taxonomy { facets }
}

fn vocabulary_terms(
    v: &Vocabulary,
    cases: &[CaseStudy],
    facet: usize,
) -> (Vec<Term>, Vec<Vec<usize>>) {
    let tagged = cases
        .iter()
        .map(|c| match &c.facets[facet] {
            FacetValues::Terms(t) => in_reading_order(t.clone(), &v.terms),
            FacetValues::Free(_) => Vec::new(),
        })
        .collect();
    (v.terms.clone(), tagged)
}

/// A case study's terms in reading order, each once, whatever order the
/// editor wrote them in, so that cards and metadata panels read the same
/// way on every page: numbered codes in number order (SDG targets 8.10
/// before 10.c, GCM objectives 3 before 19, though the vocabulary groups
/// objectives by round table), other terms in the vocabulary's order
/// (local before global).
fn in_reading_order(ids: Vec<usize>, terms: &[Term]) -> Vec<usize> {
    let mut ids = once_each(ids);
    let numbered = |&t: &usize| terms[t].code.starts_with(|c: char| c.is_ascii_digit());
    if ids.iter().all(numbered) {
        ids.sort_by(|&a, &b| natural_cmp(&terms[a].code, &terms[b].code));
    }
    ids
}

/// Term ids in the facet's order, each once (free tags are numbered in
/// their display order: alphabetical, years newest first).
fn once_each(mut ids: Vec<usize>) -> Vec<usize> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Compares codes with their digit runs as numbers: "3" < "19", "8.10" <
/// "10.c", "10.2" < "10.c".
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (runs(a), runs(b));
    for (x, y) in a.iter().zip(&b) {
        let numbers = x.starts_with(|c: char| c.is_ascii_digit())
            && y.starts_with(|c: char| c.is_ascii_digit());
        let order = if numbers {
            let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
            x.len().cmp(&y.len()).then_with(|| x.cmp(y))
        } else {
            x.cmp(y)
        };
        if order.is_ne() {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// "10.c" → ["10", ".c"]: alternating runs of digits and of other characters.
fn runs(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    for i in 1..=bytes.len() {
        if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[i - 1].is_ascii_digit() {
            out.push(&s[start..i]);
            start = i;
        }
    }
    out
}

/// A free tag: its identity (the normalised value), the value as first
/// written, its URL segment and its label in the portal's language.
struct FreeTag {
    key: String,
    written: String,
    slug: String,
    label: String,
}

/// Orders free tags alphabetically by `text`, except that numbers (years)
/// come newest first, by value: "999" after "2024".
fn sort_free_terms(tags: &mut [FreeTag], text: impl Fn(&FreeTag) -> &str) {
    let numeric = tags.iter().all(|t| t.key.parse::<i64>().is_ok());
    if numeric {
        tags.sort_by_cached_key(|t| (Reverse(t.key.parse::<i64>().unwrap_or(0)), t.key.clone()));
    } else {
        tags.sort_by_cached_key(|t| (normalise(text(t)), text(t).to_string()));
    }
}

/// Free tags: identity is the normalised value, the display form the first
/// seen, in the portal's language where the site's `labels` give it. The
/// code and the URL segment come from the value as written, numbered in its
/// order (case studies in every language tag with the default language's
/// words), so a theme's page and its search filter are at the same address
/// in every language; the terms are listed in the order of their labels.
fn free_terms(
    cases: &[CaseStudy],
    facet: usize,
    words: &BTreeMap<String, String>,
) -> (Vec<Term>, Vec<Vec<usize>>) {
    let values = cases.iter().flat_map(|c| match &c.facets[facet] {
        FacetValues::Free(values) => values.as_slice(),
        FacetValues::Terms(_) => &[],
    });
    let tags = free_tags(values, words);
    let terms: Vec<Term> = tags
        .iter()
        .map(|tag| Term {
            code: tag.written.clone(),
            slug: tag.slug.clone(),
            label: tag.label.clone(),
            short: String::new(),
            description: String::new(),
            parent: None,
            children: Vec::new(),
            depth: 1,
        })
        .collect();
    let index: HashMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, tag)| (tag.key.as_str(), i))
        .collect();
    let tagged = cases
        .iter()
        .map(|c| match &c.facets[facet] {
            FacetValues::Free(values) => once_each(
                values
                    .iter()
                    .map(|v| index[normalise(v).as_str()])
                    .collect(),
            ),
            FacetValues::Terms(_) => Vec::new(),
        })
        .collect();
    (terms, tagged)
}

/// The distinct tags among `values`, each with its URL segment, in the order
/// of their labels.
fn free_tags<'a>(
    values: impl Iterator<Item = &'a String>,
    words: &BTreeMap<String, String>,
) -> Vec<FreeTag> {
    let mut by_key: HashMap<String, &String> = HashMap::new();
    for v in values {
        by_key.entry(normalise(v)).or_insert(v);
    }
    // Matched as tags are: "Capacity  building" is "capacity building".
    let named: HashMap<String, &String> = (words.iter())
        .map(|(text, word)| (normalise(text), word))
        .collect();
    let mut tags: Vec<FreeTag> = (by_key.into_iter())
        .map(|(key, written)| FreeTag {
            label: named.get(&key).copied().unwrap_or(written).clone(),
            slug: String::new(),
            written: written.clone(),
            key,
        })
        .collect();
    sort_free_terms(&mut tags, |t| &t.written);
    let mut slugs = HashSet::new();
    for tag in &mut tags {
        tag.slug = unique_slug(&mut slugs, &tag.written);
    }
    if tags.iter().any(|t| t.label != t.written) {
        sort_free_terms(&mut tags, |t| &t.label);
    }
    tags
}

/// A free tag's URL segment: its slug, or the slug with the first free
/// number (`c-2`), checked against every segment taken so far, numbered or
/// not: "C 2" and the second "C…" tag must not share `c-2`.
fn unique_slug(taken: &mut HashSet<String>, label: &str) -> String {
    let base = match slugify(label) {
        s if s.is_empty() => "term".to_string(),
        s => s,
    };
    let slug = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|s| !taken.contains(s))
        .expect("an unbounded range has a free number");
    taken.insert(slug.clone());
    slug
}

/// Puts each case study under its terms and their ancestors.
fn fill_postings(facet: &mut Facet) {
    for (case, terms) in facet.tagged.iter().enumerate() {
        let mut seen: Vec<usize> = terms
            .iter()
            .flat_map(|&t| std::iter::successors(Some(t), |&t| facet.terms[t].parent))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            facet.cases[t].push(case as CaseId);
        }
    }
}

/// Case studies in both sorted lists.
pub fn intersect(a: &[CaseId], b: &[CaseId]) -> Vec<CaseId> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// For every case study, up to `limit` others sharing the most terms.
///
/// Scoring every pair is quadratic (10,000 case studies: 50 million pairs), so
/// candidates come from the case's rarest terms first: their postings are
/// walked until a budget of postings is spent, counting shared terms in a
/// reusable dense array. The best candidates are then ranked by the exact
/// number of terms they share.
pub fn related_all(taxonomy: &Taxonomy, cases: usize, limit: usize) -> Vec<Vec<CaseId>> {
    use rayon::prelude::*;
    let own = own_terms(taxonomy, cases);
    let postings: Vec<&[CaseId]> = taxonomy
        .facets
        .iter()
        .flat_map(|f| f.cases.iter().map(Vec::as_slice))
        .collect();
    (0..cases)
        .into_par_iter()
        .map_init(
            || vec![0u16; cases],
            |counts, case| related_one(case, &own, &postings, counts, limit),
        )
        .collect()
}

/// What an edit moved, as the related case studies see it (see
/// [`related_some`]). Terms are numbered across facets (see [`term_offsets`]).
#[derive(Debug, Clone, Default)]
pub struct Moved {
    /// By case id: new, or its date or terms changed.
    pub cases: Vec<bool>,
    /// By term: its postings gained or lost a case study.
    pub changed: Vec<bool>,
    /// By term: its postings hold a case study that changed places (new,
    /// gone, or renumbered by a new date).
    pub holding: Vec<bool>,
}

/// [`related_all`] computed again only for the case studies an edit may
/// have changed the list of; every other one's list is `kept(id)`.
///
/// A case study's list is found from the postings of the terms it walks
/// (its rarest, within a budget; see [`walked`]). When none of its own
/// terms gained or lost a case study, it walks the same terms, whose
/// postings hold the same case studies in the same order (ids shift
/// together when a date moves one), each sharing as many of its terms as
/// before; unless one of those postings holds a case study that changed
/// places, it finds the same list, renumbered: `serve` passes it. Found
/// again: the moved case studies, those tagged with a term that gained or
/// lost one, and those walking a term that holds one that changed places.
/// For a new SDG target that is the few dozen tagged with it; for a new
/// date, the ~2,000 walking its themes and objectives. Before, every case
/// study sharing any term with the edited one was (most of them: levels
/// and regions are broad), 300 ms at 10,000 case studies.
pub fn related_some(
    taxonomy: &Taxonomy,
    cases: usize,
    limit: usize,
    moved: &Moved,
    kept: &(dyn Fn(CaseId) -> Vec<CaseId> + Sync),
) -> Vec<Vec<CaseId>> {
    use rayon::prelude::*;
    let own = own_terms(taxonomy, cases);
    let postings: Vec<&[CaseId]> = (taxonomy.facets.iter())
        .flat_map(|f| f.cases.iter().map(Vec::as_slice))
        .collect();
    let again = |case: usize| {
        moved.cases[case]
            || own[case].iter().any(|&t| moved.changed[t as usize])
            || (walked(&own[case], &postings).iter()).any(|&t| moved.holding[t as usize])
    };
    (0..cases)
        .into_par_iter()
        .map_init(Vec::new, |counts: &mut Vec<u16>, case| {
            if !again(case) {
                return kept(case as CaseId);
            }
            counts.resize(cases, 0);
            related_one(case, &own, &postings, counts, limit)
        })
        .collect()
}

/// Where each facet's terms start when terms are numbered across facets
/// (the facets' terms one after the other), as [`Moved`] and
/// [`related_some`] number them.
pub fn term_offsets(taxonomy: &Taxonomy) -> Vec<u32> {
    let sizes = taxonomy.facets.iter().map(|f| f.terms.len() as u32);
    sizes
        .scan(0, |offset, len| {
            let start = *offset;
            *offset += len;
            Some(start)
        })
        .collect()
}

/// Each term of `facets` holding case study `case` in its postings (the
/// terms it is tagged with and the ancestors of those), as (facet key,
/// term code): what identifies a term from one taxonomy to the next.
pub fn terms_holding(taxonomy: &Taxonomy, case: CaseId) -> HashSet<(&str, &str)> {
    let mut terms = HashSet::new();
    for facet in &taxonomy.facets {
        for &t in &facet.tagged[case as usize] {
            let codes = facet.ancestors(t).map(|a| facet.terms[a].code.as_str());
            terms.extend(codes.map(|code| (facet.key.as_str(), code)));
        }
    }
    terms
}

/// By term of `taxonomy` (see [`term_offsets`]), whether it is one of `terms`
/// (see [`terms_holding`]).
pub fn term_mask(taxonomy: &Taxonomy, terms: &HashSet<(&str, &str)>) -> Vec<bool> {
    (taxonomy.facets.iter())
        .flat_map(|facet| {
            (facet.terms.iter()).map(|t| terms.contains(&(facet.key.as_str(), t.code.as_str())))
        })
        .collect()
}

/// Postings walked per case study when collecting candidates.
const CANDIDATE_BUDGET: usize = 4000;

/// The terms whose postings [`related_one`] walks for a case study tagged
/// with `own`: the rarest first, while the budget lasts (the first always).
fn walked(own: &[u32], postings: &[&[CaseId]]) -> Vec<u32> {
    let mut terms = own.to_vec();
    terms.sort_by_key(|&t| postings[t as usize].len());
    let mut spent = 0;
    let within = terms.iter().take_while(|&&t| {
        let first = spent == 0;
        spent += postings[t as usize].len();
        first || spent <= CANDIDATE_BUDGET
    });
    let n = within.count();
    terms.truncate(n);
    terms
}

fn related_one(
    case: usize,
    own: &[Vec<u32>],
    postings: &[&[CaseId]],
    counts: &mut [u16],
    limit: usize,
) -> Vec<CaseId> {
    let walked = walked(&own[case], postings);
    let lists = walked.iter().map(|&t| postings[t as usize]);
    // Branch-free: every posting is written at the end of `touched`, which
    // only grows past it when the case was not counted yet (a branch here is
    // unpredictable, and the loop runs ~40 million times at 10,000 cases).
    let mut touched: Vec<CaseId> = vec![0; CANDIDATE_BUDGET + 1];
    let mut len = 0;
    for list in lists {
        for &c in list.iter().take(CANDIDATE_BUDGET) {
            touched[len] = c;
            len += usize::from(counts[c as usize] == 0);
            counts[c as usize] += 1;
        }
    }
    touched.truncate(len);
    // Best first: most postings in common, then lowest id, packed into one
    // integer so that selecting and sorting compare plain numbers instead of
    // calling a comparator that looks both counts up.
    let mut ranked: Vec<u64> = touched
        .iter()
        .filter(|&&c| c as usize != case)
        .map(|&c| u64::from(u16::MAX - counts[c as usize]) << 32 | u64::from(c))
        .collect();
    for &c in &touched {
        counts[c as usize] = 0;
    }
    let keep = (limit * 8).min(ranked.len());
    if keep > 0 && keep < ranked.len() {
        ranked.select_nth_unstable(keep - 1);
    }
    ranked.truncate(keep);
    ranked.sort_unstable();
    let mut scored: Vec<(usize, CaseId)> = ranked
        .into_iter()
        .map(|key| {
            let c = key as CaseId;
            (shared(&own[case], &own[c as usize]), c)
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// Number of common elements of two sorted lists.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Each case study's own terms as sorted ids unique across facets.
fn own_terms(taxonomy: &Taxonomy, cases: usize) -> Vec<Vec<u32>> {
    let mut own = vec![Vec::new(); cases];
    for (facet, offset) in taxonomy.facets.iter().zip(term_offsets(taxonomy)) {
        for (case, terms) in facet.tagged.iter().enumerate() {
            own[case].extend(terms.iter().map(|&t| offset + t as u32));
        }
    }
    for terms in &mut own {
        terms.sort_unstable();
        terms.dedup();
    }
    own
}

/// Previous and next case study in the same series, by number then date.
pub fn series_neighbours(cases: &[CaseStudy]) -> Vec<(Option<CaseId>, Option<CaseId>)> {
    let mut series: HashMap<String, Vec<CaseId>> = HashMap::new();
    for (i, c) in cases.iter().enumerate() {
        if !c.meta.series.is_empty() {
            series
                .entry(normalise(&c.meta.series))
                .or_default()
                .push(i as CaseId);
        }
    }
    let mut out = vec![(None, None); cases.len()];
    for members in series.values_mut() {
        members.sort_by_key(|&i| {
            let m = &cases[i as usize].meta;
            (m.number.unwrap_or(u32::MAX), m.date, i)
        });
        for (k, &id) in members.iter().enumerate() {
            let prev = k.checked_sub(1).map(|p| members[p]);
            out[id as usize] = (prev, members.get(k + 1).copied());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_tag_slugs_never_repeat() {
        let mut taken = HashSet::new();
        let slugs: Vec<String> = ["C 2", "C#", "C++", "c", "!"]
            .iter()
            .map(|l| unique_slug(&mut taken, l))
            .collect();
        assert_eq!(slugs, ["c-2", "c", "c-3", "c-4", "term"]);
    }

    #[test]
    fn free_numbers_sort_newest_first_by_value() {
        let tags = |keys: &[&str]| -> Vec<FreeTag> {
            (keys.iter())
                .map(|k| FreeTag {
                    key: k.to_string(),
                    written: k.to_string(),
                    slug: String::new(),
                    label: k.to_string(),
                })
                .collect()
        };
        let keys =
            |tags: &[FreeTag]| -> Vec<String> { tags.iter().map(|t| t.key.clone()).collect() };
        let mut years = tags(&["999", "2024", "07", "7", "1998"]);
        sort_free_terms(&mut years, |t| &t.label);
        assert_eq!(keys(&years), ["2024", "1998", "999", "07", "7"]);
        let mut words = tags(&["b", "10", "a"]);
        sort_free_terms(&mut words, |t| &t.label);
        assert_eq!(keys(&words), ["10", "a", "b"]);
    }

    #[test]
    fn translated_tags_are_listed_by_label_at_the_addresses_of_the_written_ones() {
        // "C++" named "A" comes first, yet keeps the segment it has
        // untranslated, numbered after "C#": `c-3` in every language.
        let words: BTreeMap<String, String> = [
            ("capacity building", "Renforcement des capacités"),
            ("C++", "A"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .into();
        let values = [
            "Capacity  building",
            "C 2",
            "C++",
            "C#",
            "capacity Building",
            "Policy coherence",
        ]
        .map(String::from);
        let shown = |words: &BTreeMap<String, String>| -> Vec<[String; 3]> {
            (free_tags(values.iter(), words).into_iter())
                .map(|t| [t.label, t.slug, t.written])
                .collect()
        };
        let row = |l: &str, s: &str, w: &str| [l, s, w].map(String::from);
        let (c2, sharp) = (row("C 2", "c-2", "C 2"), row("C#", "c", "C#"));
        let capacity = |label: &str| row(label, "capacity-building", "Capacity  building");
        let policy = row("Policy coherence", "policy-coherence", "Policy coherence");
        assert_eq!(
            shown(&BTreeMap::new()),
            [
                c2.clone(),
                sharp.clone(),
                row("C++", "c-3", "C++"),
                capacity("Capacity  building"),
                policy.clone(),
            ]
        );
        assert_eq!(
            shown(&words),
            [
                row("A", "c-3", "C++"),
                c2,
                sharp,
                policy,
                capacity("Renforcement des capacités"),
            ]
        );
    }

    /// A few pseudo-random numbers, reproducible, without a crate.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        /// `count` distinct terms of `from..to`, sorted.
        fn terms(&mut self, count: usize, from: usize, to: usize) -> Vec<usize> {
            let mut terms: Vec<usize> = (0..count).map(|_| from + self.below(to - from)).collect();
            terms.sort_unstable();
            terms.dedup();
            terms
        }
    }

    /// Terms per facet: two levels, three regions (each case study has
    /// two: broad postings, so that the candidate budget cuts the walk),
    /// ten themes, a hundred countries, and goals 0..5 with targets 5..30.
    const SIZES: [usize; 5] = [2, 3, 10, 100, 30];

    fn random_tags(rng: &mut Rng) -> Vec<Vec<usize>> {
        let counts = [(1, 0), (2, 0), (2, 0), (2, 0), (2, 5)];
        (SIZES.iter().zip(counts))
            .map(|(&size, (count, from))| rng.terms(count, from, size))
            .collect()
    }

    /// The taxonomy of case studies tagged `tags` (by case, by facet).
    fn taxonomy_of(tags: &[Vec<Vec<usize>>]) -> Taxonomy {
        let term = |t: usize, parent: Option<usize>| Term {
            code: t.to_string(),
            slug: t.to_string(),
            label: t.to_string(),
            short: String::new(),
            description: String::new(),
            parent,
            children: Vec::new(),
            depth: 1 + usize::from(parent.is_some()),
        };
        let facets = (SIZES.iter().enumerate()).map(|(f, &size)| {
            let parent = |t: usize| (f == 4 && t >= 5).then_some(t % 5);
            let mut facet = Facet {
                key: f.to_string(),
                label: String::new(),
                description: String::new(),
                levels: Vec::new(),
                terms: (0..size).map(|t| term(t, parent(t))).collect(),
                cases: vec![Vec::new(); size],
                tagged: tags.iter().map(|c| c[f].clone()).collect(),
                on_cards: false,
            };
            fill_postings(&mut facet);
            facet
        });
        Taxonomy {
            facets: facets.collect(),
        }
    }

    /// What `serve` tells [`related_some`] of case study `old` (id before)
    /// becoming `new` (id after), retagged and/or `placed` elsewhere.
    fn moved(before: &Taxonomy, after: &Taxonomy, (old, new): (u32, u32), placed: bool) -> Moved {
        let (was, is) = (terms_holding(before, old), terms_holding(after, new));
        let changed = was.symmetric_difference(&is).copied().collect();
        let holding = if placed { &was | &is } else { HashSet::new() };
        let mut cases = vec![false; after.facets[0].tagged.len()];
        cases[new as usize] = true;
        Moved {
            cases,
            changed: term_mask(after, &changed),
            holding: term_mask(after, &holding),
        }
    }

    #[test]
    fn related_found_again_where_an_edit_can_change_them_equal_all_found_afresh() {
        const N: usize = 2500;
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut tags: Vec<Vec<Vec<usize>>> = (0..N).map(|_| random_tags(&mut rng)).collect();
        for round in 0..12 {
            let before = taxonomy_of(&tags);
            let related = related_all(&before, N, 4);
            let old = rng.below(N);
            let (retag, placed) = [(true, false), (false, true), (true, true)][round % 3];
            let mut case = tags.remove(old);
            if retag {
                case = random_tags(&mut rng);
            }
            let new = if placed { rng.below(N) } else { old };
            tags.insert(new, case);
            // Ids between the two places shift by one; the others stay.
            let renumber = |o: usize| match o {
                o if o == old => new,
                o if o > old && o <= new => o - 1,
                o if o < old && o >= new => o + 1,
                o => o,
            };
            let back: HashMap<usize, usize> = (0..N).map(|o| (renumber(o), o)).collect();
            let kept = |id: CaseId| {
                let list = &related[back[&(id as usize)]];
                list.iter()
                    .map(|&o| renumber(o as usize) as CaseId)
                    .collect()
            };
            let after = taxonomy_of(&tags);
            let m = moved(&before, &after, (old as u32, new as u32), placed);
            let some = related_some(&after, N, 4, &m, &kept);
            assert_eq!(
                some,
                related_all(&after, N, 4),
                "round {round}: {old} -> {new}"
            );
        }
    }

    #[test]
    fn related_rank_by_shared_terms_then_id_and_leave_counts_clean() {
        // Terms 0..4; case 0 has 0, 1, 2.
        let own: Vec<Vec<u32>> = vec![
            vec![0, 1, 2],
            vec![0, 1, 2],
            vec![0, 1],
            vec![2],
            vec![3],
            vec![0, 1],
        ];
        let lists: Vec<Vec<CaseId>> =
            vec![vec![0, 1, 2, 5], vec![0, 1, 2, 5], vec![0, 1, 3], vec![4]];
        let postings: Vec<&[CaseId]> = lists.iter().map(Vec::as_slice).collect();
        let mut counts = vec![0u16; own.len()];
        assert_eq!(related_one(0, &own, &postings, &mut counts, 3), [1, 2, 5]);
        assert_eq!(
            related_one(0, &own, &postings, &mut counts, 9),
            [1, 2, 5, 3]
        );
        assert_eq!(
            related_one(4, &own, &postings, &mut counts, 9),
            [] as [CaseId; 0]
        );
        assert!(counts.iter().all(|&c| c == 0), "{counts:?}");
    }

    #[test]
    fn related_keep_the_best_candidates_when_there_are_many() {
        // Case 0 has terms 0 and 1; twenty cases share term 0, two also term 1.
        let mut own: Vec<Vec<u32>> = (0..=20).map(|_| vec![0]).collect();
        for c in [0, 15, 20] {
            own[c] = vec![0, 1];
        }
        let lists: Vec<Vec<CaseId>> = vec![(0..=20).collect(), vec![0, 15, 20]];
        let postings: Vec<&[CaseId]> = lists.iter().map(Vec::as_slice).collect();
        let mut counts = vec![0u16; own.len()];
        assert_eq!(related_one(0, &own, &postings, &mut counts, 1), [15]);
        assert_eq!(related_one(0, &own, &postings, &mut counts, 2), [15, 20]);
    }

    #[test]
    fn codes_compare_with_their_numbers() {
        let mut codes = vec!["19", "3", "10.c", "8.10", "10.2", "17.18", "10.7"];
        codes.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(codes, ["3", "8.10", "10.2", "10.7", "10.c", "17.18", "19"]);
    }

    #[test]
    fn intersect_keeps_common_sorted_ids() {
        assert_eq!(intersect(&[1, 3, 5, 7], &[2, 3, 7, 9]), vec![3, 7]);
        assert!(intersect(&[], &[1]).is_empty());
    }
}
