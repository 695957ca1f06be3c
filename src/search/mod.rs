//! Search data: what the search page loads to filter and search in the
//! browser, with no server. Format documented in `FORMAT.md` beside this file.
//!
//! - `meta.json` + `facets.bin`: every facet's terms and, per term, the set of
//!   case studies tagged with it (bitmap or id list, whichever is smaller), so
//!   the browser computes live, disjunctive counts with a few word operations;
//! - `docs/<id>.json`: what a result shows, fetched only for results shown;
//! - `index/`: the full-text index ([`index`]), sharded so a query downloads
//!   only the dictionary shard and postings buckets of its words, each file
//!   with a script twin that pages opened from `file://` load instead;
//! - `offline.js`: the same catalogue as a script, for `file://` browsing.

pub mod index;
pub mod tokenize;
mod wire;

use base64::Engine;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::output::Sink;
use crate::portal::Portal;
use crate::taxonomy::Facet;
use crate::text::normalise;
use wire::{DocFragment, FacetMeta, Meta, TermMeta};

pub use index::{Analyzer, DocTerms, DocText, Index};

/// Characters of body text kept per document for snippets. The first
/// results fetch 20 result fragments, and at 10,000 case studies the search
/// page's first results must stay under 300 KB, of which the facet catalogue
/// takes two thirds: 640 characters (four or five sentences) is what fits.
pub const EXCERPT_CHARS: usize = 640;

/// The output folder of the search data (and of the search page): the build
/// owns all of it, so no asset may be copied there.
pub const DATA_DIR: &str = "search";

/// The start of `text`, at most `EXCERPT_CHARS` characters, on a char
/// boundary, each run of whitespace made one space, or one line break when
/// it holds one (the plain text ends each block with one, and the browser
/// cuts snippets at them), none at the ends.
pub fn excerpt(text: &str) -> String {
    let end = if text.is_ascii() {
        text.len().min(EXCERPT_CHARS)
    } else {
        text.char_indices()
            .nth(EXCERPT_CHARS)
            .map_or(text.len(), |(i, _)| i)
    };
    let mut out = String::with_capacity(end);
    let mut gap = None;
    for c in text[..end].chars() {
        if c.is_whitespace() {
            gap = if c == '\n' || gap == Some('\n') {
                Some('\n')
            } else {
                Some(' ')
            };
            continue;
        }
        if let Some(g) = gap.take().filter(|_| !out.is_empty()) {
            out.push(g);
        }
        out.push(c);
    }
    out
}

/// What the search stage gets of one case study from the render, which
/// parses its Markdown: the analysed text for the index, and the start of
/// the body for the result's snippet.
#[derive(Debug, Default)]
pub struct SearchDoc {
    /// Stems and weights, for the full-text index.
    pub terms: DocTerms,
    /// The start of the body text ([`EXCERPT_CHARS`]).
    pub excerpt: String,
}

/// Writes the search data under `search/`: one result fragment per case
/// study, the index of the analysed documents (in case-study order) and
/// the facet catalogue.
pub fn write(
    portal: &Portal,
    strings: &crate::i18n::Strings,
    analyzer: &Analyzer,
    docs: &[SearchDoc],
    out: &dyn Sink,
) -> Result<()> {
    use rayon::prelude::*;
    // Each fragment is made once, for its file (with the excerpt) and for
    // offline.js (without).
    let mut fragments: Vec<DocFragment<'_>> = (0..docs.len() as u32)
        .into_par_iter()
        .map(|id| fragment(portal, strings, id, ""))
        .collect();
    let families = family_languages(&portal.config);
    // The index is built on one thread: beside the fragments' files, not
    // after them, so that the other core is not idle while it runs.
    let (index, docs_written) = rayon::join(
        || Index::build(analyzer, docs.iter().map(|d| &d.terms), &families),
        || {
            (fragments.par_iter_mut().zip(docs).enumerate()).try_for_each(
                |(id, (fragment, doc))| {
                    fragment.excerpt = &doc.excerpt;
                    let written = write_doc(id as u32, fragment, out);
                    fragment.excerpt = "";
                    written
                },
            )
        },
    );
    docs_written?;
    // The full-text index and the catalogue for filtering share nothing but
    // the number of postings buckets: build them side by side.
    let (index_written, catalogue_written) = rayon::join(
        || write_index(&index, out),
        || write_catalogue(portal, &index, &fragments, out),
    );
    index_written.and(catalogue_written)
}

/// The languages whose words also find their stem families: those of a
/// portal's editions when it has several, where a reader types in the
/// edition's language on its search page. A portal of one language keeps
/// the index it had before languages existed, as issue 13 asks of its
/// whole output (byte for byte).
fn family_languages(config: &crate::config::Config) -> Vec<&str> {
    if config.is_multilingual() {
        config.language_codes().collect()
    } else {
        Vec::new()
    }
}

/// Writes the result fragment of case study `id` (`docs/<id>.json`), with
/// `excerpt`, the start of its body.
pub fn write_fragment(
    portal: &Portal,
    strings: &crate::i18n::Strings,
    id: u32,
    excerpt: &str,
    out: &dyn Sink,
) -> Result<()> {
    write_doc(id, &fragment(portal, strings, id, excerpt), out)
}

fn write_doc(id: u32, fragment: &DocFragment<'_>, out: &dyn Sink) -> Result<()> {
    out.write(&format!("{DATA_DIR}/docs/{id}.json"), &to_json(fragment)?)
}

/// Every index file, and beside each its script twin for `file://`.
fn write_index(index: &Index, out: &dyn Sink) -> Result<()> {
    use rayon::prelude::*;
    index.files().par_iter().try_for_each(|(name, bytes)| {
        out.write(&format!("{DATA_DIR}/index/{name}"), bytes)?;
        let (twin, script) = script_twin(name, bytes);
        out.write(&format!("{DATA_DIR}/index/{twin}"), &script)
    })
}

/// The script twin of index file `name`: `d-6d69.json` → `d-6d69.js`, which
/// calls `casebookData("d-6d69.json", <the JSON>)`, and `p-3.bin` → `p-3.js`,
/// which calls `casebookData("p-3.bin", "<base64>")`. Browsers refuse
/// `fetch` on `file://` but run scripts, so the page opened from disk
/// searches the same index with the same stems as online.
pub(crate) fn script_twin(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut js = format!("casebookData(\"{name}\",").into_bytes();
    if ext == "json" {
        js.extend_from_slice(bytes);
    } else {
        js.push(b'"');
        js.extend(
            base64::engine::general_purpose::STANDARD
                .encode(bytes)
                .bytes(),
        );
        js.push(b'"');
    }
    js.extend_from_slice(b");\n");
    (format!("{stem}.js"), js)
}

/// meta.json, facets.bin, order.bin and offline.js (with `fragments`).
fn write_catalogue(
    portal: &Portal,
    index: &Index,
    fragments: &[DocFragment<'_>],
    out: &dyn Sink,
) -> Result<()> {
    let (meta, facets_bin) = catalogue(portal, index);
    let meta_json = to_json(&meta)?;
    out.write(&format!("{DATA_DIR}/meta.json"), &meta_json)?;
    out.write(&format!("{DATA_DIR}/facets.bin"), &facets_bin)?;
    out.write(&format!("{DATA_DIR}/order.bin"), &title_order(portal))?;
    write_offline(&meta_json, &facets_bin, fragments, out)
}

fn to_json(value: &impl Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Internal(format!("search data: {e}")))
}

/// The facet catalogue: meta.json's record and facets.bin.
fn catalogue<'p>(portal: &'p Portal, index: &Index) -> (Meta<'p>, Vec<u8>) {
    let n = portal.content.cases.len();
    let mut bin = Vec::new();
    let facets = portal
        .taxonomy
        .facets
        .iter()
        .map(|f| {
            let own = own_sets(f, n);
            let index = offered(f, &own);
            let terms = f
                .terms
                .iter()
                .zip(&own)
                .zip(&index)
                .filter(|(_, i)| i.is_some())
                .map(|((t, set), _)| {
                    let (offset, kind) = write_set(&mut bin, set, n);
                    TermMeta {
                        code: &t.code,
                        description: t.gloss(),
                        kind,
                        label: t.name(),
                        count: set.len(),
                        offset,
                        parent: t.parent.and_then(|p| index[p]).map_or(-1, |p| p as i64),
                        slug: &t.slug,
                    }
                })
                .collect();
            FacetMeta {
                key: &f.key,
                label: &f.label,
                levels: &f.levels,
                terms,
            }
        })
        .collect();
    let meta = Meta {
        buckets: index.buckets(),
        facets,
        n,
        own: own_language(portal),
        shards: index.shard_prefixes(),
        version: 1,
    };
    (meta, bin)
}

/// In the edition of a language other than the default one that shows
/// untranslated case studies, how many of its case studies (the first ones)
/// are in its language: a query searches those unless widened.
///
/// The default language's edition is the portal of record, holding every
/// case study once (in its language where it has one, else as written, as
/// a portal of one language always did): its search covers all of them.
pub fn own_language(portal: &Portal) -> Option<usize> {
    let config = &portal.config;
    if config.language_codes().next() == Some(config.language.as_str()) {
        return None;
    }
    let cases = &portal.content.cases;
    let own = (cases.iter())
        .take_while(|c| crate::views::other_language(portal, &c.meta.language).is_empty())
        .count();
    (own < cases.len()).then_some(own)
}

/// Per term, its index among the terms meta.json lists, or `None` for a
/// term that no case study carries, itself or through a term under it. The
/// search page never offers such a term (`visible` in casebook.js), so
/// listing it only made the page download more before its first results: at
/// 10,000 case studies those terms (174 SDG targets, 228 countries) were
/// 47 KB of meta.json's 55 KB.
fn offered(facet: &Facet, own: &[Vec<u32>]) -> Vec<Option<usize>> {
    let mut used: Vec<bool> = own.iter().map(|set| !set.is_empty()).collect();
    // Pre-order: children come after their parent, so a reverse sweep carries
    // use up the hierarchy.
    for (t, term) in facet.terms.iter().enumerate().rev() {
        if let (true, Some(p)) = (used[t], term.parent) {
            used[p] = true;
        }
    }
    let mut next = 0;
    used.iter()
        .map(|&u| {
            u.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

/// Per term, the case studies tagged with exactly that term.
fn own_sets(facet: &Facet, n: usize) -> Vec<Vec<u32>> {
    let mut own = vec![Vec::new(); facet.terms.len()];
    for (case, terms) in facet.tagged.iter().enumerate().take(n) {
        for &t in terms {
            own[t].push(case as u32);
        }
    }
    own
}

/// Appends a set as a bitmap or a list, whichever is smaller; 4-byte aligned.
fn write_set(bin: &mut Vec<u8>, set: &[u32], n: usize) -> (usize, &'static str) {
    let offset = bin.len();
    let words = n.div_ceil(32);
    if set.is_empty() {
        (offset, "")
    } else if set.len() > words {
        let mut bitmap = vec![0u32; words];
        for &id in set {
            bitmap[id as usize / 32] |= 1 << (id % 32);
        }
        bin.extend(bitmap.iter().flat_map(|w| w.to_le_bytes()));
        (offset, "b")
    } else {
        bin.extend(set.iter().flat_map(|id| id.to_le_bytes()));
        (offset, "l")
    }
}

fn title_order(portal: &Portal) -> Vec<u8> {
    let cases = &portal.content.cases;
    let keys: Vec<String> = cases.iter().map(|c| normalise(&c.meta.title)).collect();
    let mut ids: Vec<u32> = (0..cases.len() as u32).collect();
    ids.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]).then(a.cmp(&b)));
    ids.iter().flat_map(|id| id.to_le_bytes()).collect()
}

/// What a search result shows of case study `id`.
fn fragment<'e>(
    portal: &Portal,
    strings: &crate::i18n::Strings,
    id: u32,
    excerpt: &'e str,
) -> DocFragment<'e> {
    let card = crate::views::card(portal, strings, id);
    let chips: Vec<&str> = (card.levels.iter().chain(&card.tags))
        .map(|c| c.label.as_str())
        .collect();
    let labels = labels(portal, id)
        .into_iter()
        .filter(|l| !chips.contains(&l.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    DocFragment {
        title: card.title,
        url: card.url,
        date: card.date,
        summary: card.summary,
        lang: card.lang,
        dir: card.dir,
        levels: card.levels.into_iter().map(|c| c.label).collect(),
        tags: card.tags.into_iter().map(|c| c.label).collect(),
        labels,
        excerpt,
    }
}

/// offline.js: the catalogue and every result fragment (`docs`, without
/// excerpts) as one script, for browsing from `file://`, where fetch is not
/// allowed.
fn write_offline(
    meta: &[u8],
    facets_bin: &[u8],
    docs: &[DocFragment<'_>],
    out: &dyn Sink,
) -> Result<()> {
    let mut js = b"window.casebookOffline={meta:".to_vec();
    js.extend_from_slice(meta);
    js.extend_from_slice(b",facets:\"");
    js.extend_from_slice(
        base64::engine::general_purpose::STANDARD
            .encode(facets_bin)
            .as_bytes(),
    );
    js.extend_from_slice(b"\",docs:");
    js.extend_from_slice(&to_json(&docs)?);
    js.extend_from_slice(b"};\n");
    out.write(&format!("{DATA_DIR}/offline.js"), &js)
}

/// What a case study names besides its title, summary and body, for search:
/// the labels of the terms it is tagged with, its places and its partners.
///
/// Only its own terms: a parent's label or description ("Round table 4",
/// whose description says "information") is not something the case study
/// says, and indexing it made most case studies match any word of it. Each
/// text counts once, ignoring case and accents: a facet reading `partners`
/// gives the partners again as its terms' labels.
pub fn labels(portal: &Portal, id: u32) -> Vec<String> {
    let meta = &portal.content.cases[id as usize].meta;
    let mut labels: Vec<(String, &str)> = Vec::new();
    let own = portal.taxonomy.facets.iter().flat_map(|f| {
        f.tagged[id as usize]
            .iter()
            .map(|&t| f.terms[t].label.as_str())
    });
    for text in own
        .chain(meta.places.iter().map(String::as_str))
        .chain(meta.partners.iter().map(String::as_str))
    {
        if !text.is_empty() {
            labels.push((normalise(text), text));
        }
    }
    // Sorting beats `contains` on every push: this runs for every case study.
    labels.sort_unstable();
    labels.dedup_by(|a, b| a.0 == b.0);
    labels
        .into_iter()
        .map(|(_, text)| text.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excerpt by its definition: characters counted, then the words of
    /// each line joined by spaces, and the lines that have words by breaks.
    fn reference(text: &str) -> String {
        let end = text
            .char_indices()
            .nth(EXCERPT_CHARS)
            .map_or(text.len(), |(i, _)| i);
        let lines = text[..end].split('\n');
        let words = lines.map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "));
        words
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn excerpts_collapse_whitespace_keep_block_breaks_and_stop_at_the_limit() {
        let every_ascii: String = (0..128u8).map(char::from).collect();
        let long = "word \t\x0b\x0c\r\n ".repeat(200);
        let samples = [
            "",
            "  a  b\n\nc  ",
            "## Context\nGhana's diaspora \n \n is large.\n",
            every_ascii.as_str(),
            long.as_str(),
            "café  crème\u{a0}brûlée\u{2003}x",
        ];
        for text in samples {
            assert_eq!(excerpt(text), reference(text), "{text:?}");
            let shifted = format!("{}{text}", "x".repeat(995));
            assert_eq!(excerpt(&shifted), reference(&shifted), "{shifted:?}");
        }
    }
}
