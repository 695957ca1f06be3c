//! Full-text index: documents → weighted stems → sharded postings and a
//! dictionary of word forms (format in FORMAT.md).
//!
//! Analysis runs inside the parallel page render (the text is at hand there),
//! each worker with its own [`LocalAnalyzer`] caching form → stem id; only
//! forms a worker has not seen yet touch the shared, locked [`Analyzer`].
//! Documents come out as short sorted lists of (stem id, weighted frequency),
//! so the corpus text is never held in memory twice.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use crate::i18n::primary;

use super::tokenize::{each_word, fold_in, CachedStemmer, MAX_WORD_BYTES};

/// How much a word counts in each field.
const TITLE_WEIGHT: u32 = 5;
const SUMMARY_WEIGHT: u32 = 2;
const TAG_WEIGHT: u32 = 2;
const BODY_WEIGHT: u32 = 1;
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Aim for postings buckets of about this many bytes.
const BUCKET_BYTES: usize = 8 * 1024;

/// The text of one case study, by field.
#[derive(Debug, Clone, Copy)]
pub struct DocText<'a> {
    /// BCP 47 language (selects the stemmer).
    pub lang: &'a str,
    /// Title.
    pub title: &'a str,
    /// Summary.
    pub summary: &'a str,
    /// Labels of its own facet terms, its places and partners
    /// ([`labels`](super::labels)).
    pub tags: &'a [String],
    /// Plain body text.
    pub body: &'a str,
}

/// One analysed document: (stem id, weighted frequency), in the order the
/// words first occur (postings are assembled per stem, so no order is needed).
#[derive(Debug, Clone, Default)]
pub struct DocTerms {
    terms: Vec<(u32, u32)>,
    length: u32,
}

#[derive(Debug, Default)]
struct Interner {
    /// (language slot, stem) → stem id.
    stems: HashMap<(usize, String), u32>,
    /// folded form → stem ids.
    forms: BTreeMap<String, Vec<u32>>,
    /// language tag → slot.
    languages: HashMap<String, usize>,
}

/// Shared state of an index being built.
#[derive(Debug, Default)]
pub struct Analyzer {
    interner: Mutex<Interner>,
}

/// A worker's cache in front of the shared [`Analyzer`].
///
/// Hot path of the whole build (every word of the corpus passes here), so a
/// short ASCII word is looked up as one integer ([`PackedIds`]), other words
/// borrow the folded word instead of allocating a key and use a fast
/// non-cryptographic hash, and counts go into a dense reusable array.
#[derive(Debug)]
pub struct LocalAnalyzer<'a> {
    shared: &'a Analyzer,
    /// Per language slot: folded form → stem id.
    ids: Vec<FxHashMap<String, u32>>,
    /// Per language slot: packed folded form → stem id, in front of `ids`
    /// for the short ASCII words that make most of a text.
    packed: Vec<PackedIds>,
    stemmers: HashMap<usize, CachedStemmer>,
    slots: HashMap<String, usize>,
    /// Weighted frequency per stem id for the document being analysed.
    counts: Vec<u32>,
    /// Stem ids with a non-zero count.
    touched: Vec<u32>,
    /// Reused buffer for folding a word.
    word: String,
}

impl Analyzer {
    /// A worker-local analyzer.
    pub fn local(&self) -> LocalAnalyzer<'_> {
        LocalAnalyzer {
            shared: self,
            ids: Vec::new(),
            packed: Vec::new(),
            stemmers: HashMap::new(),
            slots: HashMap::new(),
            counts: Vec::new(),
            touched: Vec::new(),
            word: String::new(),
        }
    }

    fn slot(&self, lang: &str) -> usize {
        let mut interner = self.interner.lock().expect("index lock");
        let next = interner.languages.len();
        *interner.languages.entry(lang.to_string()).or_insert(next)
    }

    fn intern(&self, slot: usize, form: &str, stem: &str) -> u32 {
        let mut interner = self.interner.lock().expect("index lock");
        let next = interner.stems.len() as u32;
        let id = *interner
            .stems
            .entry((slot, stem.to_string()))
            .or_insert(next);
        let ids = interner.forms.entry(form.to_string()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
        id
    }
}

impl LocalAnalyzer<'_> {
    /// Analyses one document.
    pub fn analyse(&mut self, doc: DocText<'_>) -> DocTerms {
        let slot = self.slot(doc.lang);
        let mut length = 0;
        let fields = [(doc.title, TITLE_WEIGHT), (doc.summary, SUMMARY_WEIGHT)]
            .into_iter()
            .chain(doc.tags.iter().map(|t| (t.as_str(), TAG_WEIGHT)))
            .chain([(doc.body, BODY_WEIGHT)]);
        for (text, weight) in fields {
            each_word(text, |word, packed| {
                if word.len() <= MAX_WORD_BYTES {
                    let id = self.word_id(slot, doc.lang, word, packed);
                    self.count(id, weight);
                    length += weight;
                }
            });
        }
        let terms = self
            .touched
            .drain(..)
            .map(|t| (t, std::mem::take(&mut self.counts[t as usize])))
            .collect();
        DocTerms { terms, length }
    }

    #[inline]
    fn count(&mut self, id: u32, weight: u32) {
        let i = id as usize;
        if i >= self.counts.len() {
            self.counts.resize(i + 1024, 0);
        }
        if self.counts[i] == 0 {
            self.touched.push(id);
        }
        self.counts[i] += weight;
    }

    fn slot(&mut self, lang: &str) -> usize {
        if let Some(&s) = self.slots.get(lang) {
            return s;
        }
        let s = self.shared.slot(lang);
        self.slots.insert(lang.to_string(), s);
        if self.ids.len() <= s {
            self.ids.resize_with(s + 1, FxHashMap::default);
            self.packed.resize_with(s + 1, PackedIds::default);
        }
        s
    }

    /// The stem id of a word as written (not yet folded), given its
    /// [`packed_form`](super::tokenize::packed_form) if it has one.
    #[inline]
    fn word_id(&mut self, slot: usize, lang: &str, word: &str, packed: Option<u128>) -> u32 {
        let Some(key) = packed else {
            return self.folded_id(slot, lang, word);
        };
        if let Some(id) = self.packed[slot].get(key) {
            return id;
        }
        let id = self.folded_id(slot, lang, word);
        self.packed[slot].insert(key, id);
        id
    }

    fn folded_id(&mut self, slot: usize, lang: &str, word: &str) -> u32 {
        let mut buf = std::mem::take(&mut self.word);
        let id = self.stem_id(slot, lang, fold_in(word, &mut buf));
        self.word = buf;
        id
    }

    fn stem_id(&mut self, slot: usize, lang: &str, form: &str) -> u32 {
        let slot_ids = &mut self.ids[slot];
        if let Some(&id) = slot_ids.get(form) {
            return id;
        }
        let stemmer = self
            .stemmers
            .entry(slot)
            .or_insert_with(|| CachedStemmer::new(lang));
        let stem = stemmer.stem(form).to_string();
        let id = self.shared.intern(slot, form, &stem);
        slot_ids.insert(form.to_string(), id);
        id
    }
}

/// Packed folded form ([`packed_form`](super::tokenize::packed_form)) →
/// stem id: a table with open addressing, probed linearly from a
/// multiplicative hash, at most half full. An empty slot holds 0, which no
/// packed form is. Every short word of the corpus is looked up here, and a
/// general hash map (hashing, then matching control bytes) cost several
/// times as much per word.
#[derive(Debug, Default)]
struct PackedIds {
    slots: Vec<(u128, u32)>,
    len: usize,
}

impl PackedIds {
    fn start(&self, key: u128) -> usize {
        let (low, high) = (key as u64, (key >> 64) as u64);
        let hash =
            (low ^ high.wrapping_mul(0xff51_afd7_ed55_8ccd)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // The top bits mix every bit of the key; the table's size is a power of two.
        (hash >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    #[inline]
    fn get(&self, key: u128) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.start(key);
        loop {
            let (k, id) = self.slots[i];
            if k == key {
                return Some(id);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds a key that is not in the table.
    fn insert(&mut self, key: u128, id: u32) {
        if 2 * (self.len + 1) > self.slots.len() {
            let size = (2 * self.slots.len()).max(1024);
            let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
            for (k, v) in old.into_iter().filter(|&(k, _)| k != 0) {
                self.place(k, v);
            }
        }
        self.place(key, id);
        self.len += 1;
    }

    fn place(&mut self, key: u128, id: u32) {
        let mask = self.slots.len() - 1;
        let mut i = self.start(key);
        while self.slots[i].0 != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = (key, id);
    }
}

/// The finished index, ready to be written as files.
#[derive(Debug)]
pub struct Index {
    /// Folded form → stem ids.
    pub dictionary: BTreeMap<String, Vec<u32>>,
    /// Per term id: (doc id, quantised BM25 weight), doc ids ascending.
    /// Term `t` is stored in bucket `t % buckets`; ids may have gaps.
    pub postings: Vec<Vec<(u32, u8)>>,
    /// Number of postings buckets.
    pub buckets: usize,
    /// Number of documents: a term in more than an eighth of them has its
    /// doc ids written as a bitmap ([`Index::bucket_files`]).
    pub docs: usize,
}

impl Index {
    /// Turns analysed documents (in doc id order) into postings; the stems
    /// of `family_languages` (language codes) also find their families
    /// ([`stem_families`]).
    pub fn build<'d>(
        analyzer: &Analyzer,
        docs: impl Iterator<Item = &'d DocTerms> + Clone,
        family_languages: &[&str],
    ) -> Index {
        let interner = analyzer.interner.lock().expect("index lock");
        let renumber = stable_ids(&interner);
        let mut postings = vec![Vec::new(); interner.stems.len()];
        let (count, total) = docs
            .clone()
            .fold((0usize, 0u64), |(n, t), d| (n + 1, t + d.length as u64));
        let avg = (total as f64 / count.max(1) as f64).max(1.0);
        for (doc, terms) in docs.enumerate() {
            let norm = K1 * (1.0 - B + B * terms.length as f64 / avg);
            for &(stem, tf) in &terms.terms {
                let w = tf as f64 * (K1 + 1.0) / (tf as f64 + norm);
                let q = round_positive(w / (K1 + 1.0) * 255.0).clamp(1.0, 255.0) as u8;
                postings[renumber[stem as usize] as usize].push((doc as u32, q));
            }
        }
        let families = stem_families(&interner, family_languages);
        let mut dictionary = interner.forms.clone();
        for ids in dictionary.values_mut() {
            let kin = ids
                .iter()
                .flat_map(|id| families.get(id).into_iter().flatten());
            let mut all: Vec<u32> = ids
                .iter()
                .chain(kin)
                .map(|&id| renumber[id as usize])
                .collect();
            all.sort_unstable();
            all.dedup();
            *ids = all;
        }
        let mut index = Index {
            dictionary,
            postings,
            buckets: 1,
            docs: count,
        };
        index.pack_buckets();
        index
    }

    /// Number of postings buckets.
    pub fn buckets(&self) -> usize {
        self.buckets
    }

    /// Spreads terms over buckets of about [`BUCKET_BYTES`] each, largest
    /// terms first into the lightest bucket, then renumbers them so that term
    /// `t` sits in bucket `t % buckets` (the rule the browser applies). A query
    /// then downloads about its own postings, not a fixed number of other
    /// terms' (numbering by count alone wasted ~80% of the bytes at 10k).
    fn pack_buckets(&mut self) {
        let sizes: Vec<usize> = self.postings.iter().map(|p| 6 + p.len() * 2).collect();
        let total: usize = sizes.iter().sum();
        let buckets = total.div_ceil(BUCKET_BYTES).max(1);
        let mut order: Vec<usize> = (0..self.postings.len()).collect();
        order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
        let mut load: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>> =
            (0..buckets).map(|b| std::cmp::Reverse((0, b))).collect();
        let mut slots = vec![0usize; buckets];
        let mut renumber = vec![0u32; self.postings.len()];
        for term in order {
            let std::cmp::Reverse((bytes, b)) = load.pop().expect("at least one bucket");
            renumber[term] = (slots[b] * buckets + b) as u32;
            slots[b] += 1;
            load.push(std::cmp::Reverse((bytes + sizes[term], b)));
        }
        let len = renumber
            .iter()
            .map(|&id| id as usize + 1)
            .max()
            .unwrap_or(0);
        let mut postings = vec![Vec::new(); len];
        for (old, list) in std::mem::take(&mut self.postings).into_iter().enumerate() {
            postings[renumber[old] as usize] = list;
        }
        for ids in self.dictionary.values_mut() {
            for id in ids.iter_mut() {
                *id = renumber[*id as usize];
            }
            ids.sort_unstable();
        }
        self.postings = postings;
        self.buckets = buckets;
    }

    /// Every index file: (path under `search/index/`, bytes).
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = self.dictionary_files();
        files.extend(self.bucket_files());
        files
    }

    /// The prefixes of the dictionary shards, sorted: the only shards that
    /// exist. meta.json lists them so the browser looks a word up only when
    /// some form of the corpus starts like it: any other word, such as the
    /// first letter of most queries being typed, is a miss without a request.
    pub fn shard_prefixes(&self) -> Vec<String> {
        let prefixes: BTreeSet<&str> = self.dictionary.keys().map(|f| shard_prefix(f)).collect();
        prefixes.into_iter().map(str::to_string).collect()
    }

    fn dictionary_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut shards: BTreeMap<&str, serde_json::Map<String, serde_json::Value>> =
            BTreeMap::new();
        for (form, ids) in &self.dictionary {
            shards
                .entry(shard_prefix(form))
                .or_default()
                .insert(form.clone(), ids.clone().into());
        }
        shards
            .into_iter()
            .map(|(prefix, map)| {
                let json = serde_json::to_vec(&map).unwrap_or_default();
                (shard_file(prefix), json)
            })
            .collect()
    }

    fn bucket_files(&self) -> Vec<(String, Vec<u8>)> {
        let buckets = self.buckets();
        let mut bytes = vec![Vec::new(); buckets];
        for (term, list) in self
            .postings
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
        {
            let out = &mut bytes[term % buckets];
            varint(out, term as u64);
            varint(out, list.len() as u64);
            if is_dense(list.len(), self.docs) {
                let start = out.len();
                out.resize(start + self.docs.div_ceil(8), 0);
                for &(doc, _) in list {
                    out[start + doc as usize / 8] |= 1 << (doc % 8);
                }
            } else {
                let mut last = 0;
                for &(doc, _) in list {
                    varint(out, (doc - last) as u64);
                    last = doc;
                }
            }
            out.extend(list.iter().map(|&(_, w)| w));
        }
        bytes
            .into_iter()
            .enumerate()
            .map(|(i, b)| (format!("p-{i}.bin"), b))
            .collect()
    }
}

/// Whether a term in `count` of `docs` documents has its doc ids written as
/// a bitmap of `ceil(docs / 8)` bytes rather than as gaps: when it is in
/// more than an eighth of them, where the bitmap is the smaller (a gap takes
/// at least a byte). The reader decides by the same rule, so no flag is
/// written. Words in most documents ("employer" in 99% of the synthetic
/// corpus) cost half as much to download.
fn is_dense(count: usize, docs: usize) -> bool {
    8 * count > docs
}

/// The shard of a folded form: its first two characters (one if it has one).
fn shard_prefix(form: &str) -> &str {
    let end = form.char_indices().nth(2).map_or(form.len(), |(i, _)| i);
    &form[..end]
}

/// The file of a dictionary shard: the hex of its prefix's UTF-8 bytes keeps
/// file names ASCII whatever the script.
fn shard_file(prefix: &str) -> String {
    let hex: String = prefix.bytes().map(|b| format!("{b:02x}")).collect();
    format!("d-{hex}.json")
}

/// Stem ids are handed out in whatever order the parallel workers meet
/// words; renumber them by (language, stem) so the same input always gives
/// the same files. Returns old id → new id.
/// Shortest stem that finds longer ones ([`stem_families`]), in letters.
const FAMILY_STEM: usize = 4;
/// Most letters a longer stem of a family adds.
const FAMILY_EXTRA: usize = 3;

/// Per stem id, the ids of the stems of its language that begin with it and
/// add at most [`FAMILY_EXTRA`] letters, for the languages of `wanted`.
/// Snowball stems French "migrants" to "migr" but "migration" to "migrat",
/// Spanish "migratoria" to "migratori": forms of one word family that a
/// reader typing one of them means too. In the dictionary a form then stands
/// for its stem and that stem's family, counted as one word (see FORMAT.md);
/// the short stems (under [`FAMILY_STEM`] letters) and long additions that
/// would join unrelated words are left out.
///
/// English has none: its stemmer (Porter 2) already strips the derivational
/// endings that French and Spanish keep, so there families only joined
/// unrelated words ("part" and "partner", "port" and "portal") and changed
/// no judged result.
fn stem_families(interner: &Interner, wanted: &[&str]) -> HashMap<u32, Vec<u32>> {
    let slots: Vec<usize> = (interner.languages.iter())
        .filter(|(tag, _)| {
            let code = primary(tag);
            code != "en" && wanted.iter().any(|&w| primary(w) == code)
        })
        .map(|(_, &slot)| slot)
        .collect();
    let mut by_slot: HashMap<usize, Vec<(&str, u32)>> = HashMap::new();
    for ((slot, stem), &id) in &interner.stems {
        if slots.contains(slot) {
            by_slot.entry(*slot).or_default().push((stem.as_str(), id));
        }
    }
    let mut families: HashMap<u32, Vec<u32>> = HashMap::new();
    for stems in by_slot.values_mut() {
        stems.sort_unstable();
        for (i, &(stem, id)) in stems.iter().enumerate() {
            let letters = stem.chars().count();
            if letters < FAMILY_STEM {
                continue;
            }
            let kin = (stems[i + 1..].iter())
                .take_while(|(longer, _)| longer.starts_with(stem))
                .filter(|(longer, _)| longer.chars().count() - letters <= FAMILY_EXTRA)
                .map(|&(_, kin)| kin);
            let kin: Vec<u32> = kin.collect();
            if !kin.is_empty() {
                families.insert(id, kin);
            }
        }
    }
    families
}

fn stable_ids(interner: &Interner) -> Vec<u32> {
    let language: HashMap<usize, &str> = interner
        .languages
        .iter()
        .map(|(l, &s)| (s, l.as_str()))
        .collect();
    let mut keys: Vec<(&str, &str, u32)> = interner
        .stems
        .iter()
        .map(|((slot, stem), &id)| (language[slot], stem.as_str(), id))
        .collect();
    keys.sort_unstable();
    let mut renumber = vec![0; keys.len()];
    for (new, (_, _, old)) in keys.into_iter().enumerate() {
        renumber[old as usize] = new as u32;
    }
    renumber
}

/// `x.round()` for `0 <= x < 2^52`: its integer part (the conversion
/// truncates), plus one from a fraction of at least a half (the fraction is
/// exact). `f64::round` is a call into libm without SSE4.1, and a build
/// rounds every posting's weight: a third of the index's build.
fn round_positive(x: f64) -> f64 {
    let floor = x as i64 as f64;
    if x - floor >= 0.5 {
        floor + 1.0
    } else {
        floor
    }
}

/// Unsigned LEB128.
fn varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(title: &'a str, body: &'a str) -> DocText<'a> {
        DocText {
            lang: "en",
            title,
            summary: "",
            tags: &[],
            body,
        }
    }

    #[test]
    fn forms_share_stems_and_titles_weigh_more() {
        let analyzer = Analyzer::default();
        let docs = {
            let mut local = analyzer.local();
            vec![
                local.analyse(doc("Migrants", "other words here")),
                local.analyse(doc("Other", "migrant migration")),
            ]
        };
        let index = Index::build(&analyzer, docs.iter(), &[]);
        let migrant = index.dictionary["migrants"][0];
        assert_eq!(index.dictionary["migrant"], vec![migrant]);
        let list = &index.postings[migrant as usize];
        assert_eq!(list.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert!(
            list[0].1 > list[1].1,
            "a title match outranks a body match: {list:?}"
        );
    }

    /// The index of one document per body, all in `lang`.
    fn index_of(lang: &str, bodies: &[&str]) -> Index {
        let analyzer = Analyzer::default();
        let docs: Vec<DocTerms> = {
            let mut local = analyzer.local();
            (bodies.iter())
                .map(|&body| {
                    local.analyse(DocText {
                        lang,
                        title: "",
                        summary: "",
                        tags: &[],
                        body,
                    })
                })
                .collect()
        };
        Index::build(&analyzer, docs.iter(), &[lang])
    }

    /// The documents a typed word `form` finds in `index`.
    fn docs_of(index: &Index, form: &str) -> Vec<u32> {
        let mut docs: Vec<u32> = (index.dictionary[form].iter())
            .flat_map(|&t| index.postings[t as usize].iter().map(|p| p.0))
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    #[test]
    fn a_french_word_finds_its_stem_family_but_a_short_stem_has_none() {
        // Snowball: migrants → "migr", migration → "migrat"; art → "art".
        let index = index_of(
            "fr",
            &["les migrants", "la migration", "un art et un article"],
        );
        assert_eq!(
            docs_of(&index, "migrants"),
            [0, 1],
            "migrants finds migration"
        );
        assert_eq!(
            docs_of(&index, "migration"),
            [1],
            "not the other way: migrat is longer"
        );
        assert_eq!(
            docs_of(&index, "art"),
            [2],
            "a stem under four letters has no family"
        );
    }

    #[test]
    fn english_words_have_no_stem_family() {
        // Porter 2: part → "part", partner → "partner"; port → "port", portal → "portal".
        let index = index_of("en", &["one part", "a partner", "the port", "a portal"]);
        assert_eq!(docs_of(&index, "part"), [0]);
        assert_eq!(docs_of(&index, "port"), [2]);
    }

    #[test]
    fn a_word_weighs_most_in_the_title_then_summary_and_labels_then_body() {
        let analyzer = Analyzer::default();
        let (labels, none) = (["Remittances".to_string()], []);
        // The word alone in one field: the weights compare the fields.
        let filler = "";
        let text = |title, summary, tags, body| DocText {
            lang: "en",
            title,
            summary,
            tags,
            body,
        };
        let docs = {
            let mut local = analyzer.local();
            [
                text("remittances", filler, &none[..], filler),
                text(filler, "remittances", &none[..], filler),
                text(filler, filler, &labels[..], filler),
                text(filler, filler, &none[..], "remittances"),
            ]
            .map(|d| local.analyse(d))
        };
        let index = Index::build(&analyzer, docs.iter(), &[]);
        let list = &index.postings[index.dictionary["remittances"][0] as usize];
        let weights: Vec<u8> = list.iter().map(|p| p.1).collect();
        assert!(weights[0] > weights[1], "title over summary: {weights:?}");
        assert_eq!(weights[1], weights[2], "summary as labels: {weights:?}");
        assert!(weights[2] > weights[3], "labels over body: {weights:?}");
    }

    #[test]
    fn meta_lists_exactly_the_dictionary_shards() {
        let analyzer = Analyzer::default();
        let docs = {
            let mut local = analyzer.local();
            let tags = [];
            let text = DocText {
                lang: "ar",
                title: "مراكز مجتمعية",
                summary: "",
                tags: &tags,
                body: "a mi migrants",
            };
            vec![local.analyse(text)]
        };
        let index = Index::build(&analyzer, docs.iter(), &[]);
        let prefixes = index.shard_prefixes();
        assert_eq!(prefixes, ["a", "mi", "مج", "مر"]);
        let shards: Vec<String> = index
            .files()
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| name.starts_with("d-"))
            .collect();
        let listed: Vec<String> = prefixes.iter().map(|p| shard_file(p)).collect();
        assert_eq!(shards, listed);
        assert_eq!(shard_file("مر"), "d-d985d8b1.json");
    }

    #[test]
    fn weights_round_as_f64_round_does() {
        let mut x = 0.0f64;
        while x < 300.0 {
            for y in [x, x + 0.5, x + 0.5 - f64::EPSILON * x.max(1.0), x.next_up()] {
                assert_eq!(round_positive(y), y.round(), "{y}");
            }
            x += 0.0625;
        }
        assert_eq!(round_positive(0.49999999999999994), 0.0);
        assert_eq!(round_positive(254.5), 255.0);
    }

    #[test]
    fn postings_of_frequent_terms_are_bitmaps() {
        let analyzer = Analyzer::default();
        let docs = {
            let mut local = analyzer.local();
            (0..20)
                .map(|i| local.analyse(doc(if i % 10 == 3 { "rare" } else { "common" }, "")))
                .collect::<Vec<_>>()
        };
        let index = Index::build(&analyzer, docs.iter(), &[]);
        let bucket = |form: &str| {
            let term = index.dictionary[form][0] as usize;
            let bytes = &index.bucket_files()[term % index.buckets].1;
            (term, bytes.clone())
        };
        // "rare" in 2 of 20 documents: gaps 3 and 10.
        let (rare, bytes) = bucket("rare");
        let at = find_record(&bytes, rare);
        assert_eq!(&bytes[at..at + 3], [2, 3, 10]);
        // "common" in 18 of 20: a bitmap of 3 bytes, all but docs 3 and 13.
        let (common, bytes) = bucket("common");
        let at = find_record(&bytes, common);
        assert_eq!(&bytes[at..at + 4], [18, 0b1111_0111, 0b1101_1111, 0b1111]);
    }

    /// Where the record of `term` goes on after its id, in a bucket whose
    /// ids are below 128 (one byte each).
    fn find_record(bytes: &[u8], term: usize) -> usize {
        let mut p = 0;
        loop {
            let (id, count) = (bytes[p] as usize, bytes[p + 1] as usize);
            if id == term {
                return p + 1;
            }
            let ids = if is_dense(count, 20) { 3 } else { count };
            p += 2 + ids + count;
        }
    }

    #[test]
    fn varints_round_trip_sizes() {
        let mut out = Vec::new();
        varint(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
    }
}
