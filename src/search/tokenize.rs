//! Tokenising: text → folded word forms → stems, per document language.
//!
//! Words are split on Unicode word boundaries (UAX #29), lower-cased and
//! accent-folded, so "Développement" and "developpement" meet. Stems come from
//! the Snowball stemmer of the document's language; languages without one
//! are indexed unstemmed. The browser never stems: the index ships a
//! dictionary from every folded form to its stems (see FORMAT.md).

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use crate::text::folded_chars;

/// Lower-cases and strips accents from one word.
pub fn fold(word: &str) -> String {
    let mut folded = String::new();
    fold_into(word, &mut folded);
    folded
}

/// Longer "words" (URLs, base64) are not worth indexing.
pub const MAX_WORD_BYTES: usize = 60;

/// `word` folded: `word` itself when it is lower-case ASCII already (most
/// words of a text), else folded into `buf`. Never allocates for ASCII.
pub fn fold_in<'w>(word: &'w str, buf: &'w mut String) -> &'w str {
    if word
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return word;
    }
    fold_into(word, buf);
    buf
}

/// Folds `word` into `out` (cleared first), without allocating for ASCII.
fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        out.extend(folded_chars(word));
    }
}

/// The words of `text`, exactly as [`UnicodeSegmentation::unicode_words`]
/// splits them (UAX #29), but several times faster on ASCII text.
///
/// Every word of the corpus passes here, and full UAX #29 segmentation was a
/// tenth of the build. ASCII text is split by [`AsciiWords`]. Other text is
/// cut at ASCII whitespace first (word boundaries never join across it), so
/// only its non-ASCII chunks take the full algorithm.
pub fn words(text: &str) -> Box<dyn Iterator<Item = &str> + '_> {
    if text.is_ascii() {
        return Box::new(AsciiWords::new(text));
    }
    Box::new(text.split_ascii_whitespace().flat_map(|chunk| {
        let (ascii, unicode) = if chunk.is_ascii() {
            (Some(AsciiWords::new(chunk)), None)
        } else {
            (None, Some(chunk.unicode_words()))
        };
        ascii
            .into_iter()
            .flatten()
            .chain(unicode.into_iter().flatten())
    }))
}

/// Calls `f` with each of [`words`] and its [`packed_form`], if it has one,
/// without boxing an iterator: the analyser's loop over every word of the
/// corpus (a fifth of a build's instructions before this) inlines the
/// splitter, and ASCII words are packed as they are found.
pub fn each_word<'t>(text: &'t str, mut f: impl FnMut(&'t str, Option<u128>)) {
    if text.is_ascii() {
        each_ascii_word(text, &mut f);
        return;
    }
    for chunk in text.split_ascii_whitespace() {
        if chunk.is_ascii() {
            each_ascii_word(chunk, &mut f);
        } else {
            chunk.unicode_words().for_each(|w| f(w, packed_form(w)));
        }
    }
}

/// [`each_word`] of ASCII text: [`AsciiWords`] as one loop.
fn each_ascii_word<'t>(text: &'t str, f: &mut impl FnMut(&'t str, Option<u128>)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if CLASSES[(b & 0x7f) as usize] & WORD == 0 {
            i += 1;
            continue;
        }
        let end = AsciiWords::word_end(bytes, i);
        if AsciiWords::is_word(&bytes[i..end]) {
            f(&text[i..end], packed_at(bytes, i, end));
        }
        i = end;
    }
}

const ONES: u128 = u128::MAX / 0xff;
const HIGH_BITS: u128 = ONES * 0x80;

/// The high bit of each of 16 packed bytes (each below 0x80) that is an
/// ASCII letter: a byte's high bit is set by adding to it when it is at
/// least `a` once lower-cased, and by another addition when it is above `z`
/// (no sum carries into the next byte).
fn letters(x: u128) -> u128 {
    let lower = x | (ONES * 0x20);
    (lower + ONES * (0x80 - b'a') as u128) & !(lower + ONES * (0x7f - b'z') as u128) & HIGH_BITS
}

/// The 16 bytes of `bytes` from `start`, as a little-endian integer, zero
/// past the end.
fn load_16(bytes: &[u8], start: usize) -> u128 {
    match bytes.get(start..start + 16) {
        Some(chunk) => u128::from_le_bytes(chunk.try_into().expect("16 bytes")),
        None => {
            let mut buf = [0; 16];
            let rest = &bytes[start..];
            buf[..rest.len()].copy_from_slice(rest);
            u128::from_le_bytes(buf)
        }
    }
}

/// A word's folded form packed into an integer, for words of at most 16
/// bytes of ASCII (nearly every word of a text): its bytes, lower-cased, in
/// little-endian order, zero-padded. Word bytes are never zero, so two forms
/// are equal exactly when their packed integers are; looking an integer up
/// costs a fraction of hashing and comparing a string.
pub fn packed_form(word: &str) -> Option<u128> {
    if !word.is_ascii() {
        return None;
    }
    packed_at(word.as_bytes(), 0, word.len())
}

/// [`packed_form`] of `bytes[start..end]`, ASCII: read as one 16-byte load
/// where the text goes on that far.
fn packed_at(bytes: &[u8], start: usize, end: usize) -> Option<u128> {
    let len = end - start;
    if len > 16 {
        return None;
    }
    let kept = u128::MAX.checked_shr(128 - 8 * len as u32).unwrap_or(0);
    let raw = load_16(bytes, start) & kept;
    // Lower-cased: 0x20 added to each letter.
    Some(raw | (letters(raw) >> 2))
}

/// UAX #29 words of ASCII text: runs of letters, digits and `_`, joined across
/// one `:`, `.` or `'` between two letters (WB6/7: "e.g", "don't") or one `.`,
/// `,`, `;` or `'` between two digits (WB11/12: "10.7", "1,000"); runs with no
/// letter or digit are not words.
struct AsciiWords<'a> {
    text: &'a str,
    /// Where the next word may start.
    at: usize,
}

// What each ASCII byte can be in a word (see [`AsciiWords`]): a table,
// because every byte of the corpus is classified.
const WORD: u8 = 1;
const LETTER: u8 = 2;
const DIGIT: u8 = 4;
const MID_LETTER: u8 = 8;
const MID_NUM: u8 = 16;
static CLASSES: [u8; 128] = classes();

const fn classes() -> [u8; 128] {
    let mut table = [0; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        table[i] = if b.is_ascii_alphabetic() {
            WORD | LETTER
        } else if b.is_ascii_digit() {
            WORD | DIGIT
        } else {
            match b {
                b'_' => WORD,
                b':' => MID_LETTER,
                b'.' | b'\'' => MID_LETTER | MID_NUM,
                b',' | b';' => MID_NUM,
                _ => 0,
            }
        };
        i += 1;
    }
    table
}

impl<'a> AsciiWords<'a> {
    fn new(text: &'a str) -> Self {
        AsciiWords { text, at: 0 }
    }

    /// The end of the word starting at `start` (a word byte).
    #[inline]
    fn word_end(bytes: &[u8], start: usize) -> usize {
        let mut i = start;
        loop {
            let run = bytes[i..]
                .iter()
                .position(|&b| CLASSES[(b & 0x7f) as usize] & WORD == 0);
            let Some(run) = run else {
                return bytes.len();
            };
            i += run;
            // The run before a character that joins is not empty.
            if !Self::joins(bytes, i) {
                return i;
            }
            i += 2;
        }
    }

    /// Whether a word of [`AsciiWords::word_end`] is one: whether it holds
    /// a letter or digit. It is made of word bytes and characters joining
    /// letters or digits, so only a run of `_` holds none.
    fn is_word(word: &[u8]) -> bool {
        word.iter().any(|&b| b != b'_')
    }

    /// Whether the byte at `i`, after a word byte, joins two letters or two
    /// digits (WB6/7, WB11/12) into one word.
    fn joins(bytes: &[u8], i: usize) -> bool {
        let class = |b: u8| CLASSES[(b & 0x7f) as usize];
        let (Some(&mid), Some(&next)) = (bytes.get(i), bytes.get(i + 1)) else {
            return false;
        };
        let c = class(mid);
        if c & (MID_LETTER | MID_NUM) == 0 {
            return false;
        }
        let both = class(bytes[i - 1]) & class(next);
        both & LETTER != 0 && c & MID_LETTER != 0 || both & DIGIT != 0 && c & MID_NUM != 0
    }
}

impl<'a> Iterator for AsciiWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        loop {
            let skipped = bytes[self.at..]
                .iter()
                .position(|&b| CLASSES[(b & 0x7f) as usize] & WORD != 0);
            let Some(skipped) = skipped else {
                self.at = bytes.len();
                return None;
            };
            let start = self.at + skipped;
            let end = Self::word_end(bytes, start);
            self.at = end;
            if Self::is_word(&bytes[start..end]) {
                return Some(&self.text[start..end]);
            }
        }
    }
}

/// Calls `f` with each folded word form of `text`.
pub fn for_each_form(text: &str, mut f: impl FnMut(String)) {
    for word in words(text) {
        if word.len() <= MAX_WORD_BYTES {
            f(fold(word));
        }
    }
}

/// The Snowball algorithm for a BCP 47 language tag, if there is one.
pub fn algorithm(lang: &str) -> Option<Algorithm> {
    let primary = lang.split('-').next().unwrap_or("").to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// A stemmer with a cache of the forms it has seen (corpora repeat words a lot).
pub struct CachedStemmer {
    stemmer: Option<Stemmer>,
    cache: HashMap<String, String>,
}

impl std::fmt::Debug for CachedStemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedStemmer")
            .field("cached", &self.cache.len())
            .finish()
    }
}

impl CachedStemmer {
    /// A stemmer for `lang` (unstemmed if Snowball has none).
    pub fn new(lang: &str) -> Self {
        CachedStemmer {
            stemmer: algorithm(lang).map(Stemmer::create),
            cache: HashMap::new(),
        }
    }

    /// The stem of a folded form.
    pub fn stem(&mut self, form: &str) -> &str {
        if !self.cache.contains_key(form) {
            let stem = match &self.stemmer {
                Some(s) => s.stem(form).into_owned(),
                None => form.to_string(),
            };
            self.cache.insert(form.to_string(), stem);
        }
        &self.cache[form]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 20,000 pseudo-random strings of `len` characters from `alphabet`
    /// (a fixed linear congruential sequence from `seed`).
    fn random_strings(alphabet: &[char], len: usize, mut seed: u64) -> Vec<String> {
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            alphabet[(seed >> 33) as usize % alphabet.len()]
        };
        (0..20_000)
            .map(|_| (0..len).map(|_| next()).collect())
            .collect()
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Développement"), "developpement");
        assert_eq!(fold("MIGRATION"), "migration");
    }

    #[test]
    fn folds_arabic_marks_hamza_seats_and_tatweel() {
        // As the browser's `fold` does (tests/browser/search.test.mjs types these).
        assert_eq!(fold("مُجْتَمَعِيَّة"), "مجتمعية");
        assert_eq!(fold("مـجتمعـية"), "مجتمعية");
        assert_eq!(fold("الأردن"), "الاردن");
        assert_eq!(fold("اللاجئين"), "اللاجيين");
        assert_eq!(fold("ﻻجئين"), "لاجيين");
    }

    #[test]
    fn splits_on_unicode_word_boundaries() {
        let mut forms = Vec::new();
        for_each_form("Safe, orderly—and regular migration (10.7).", |f| {
            forms.push(f)
        });
        assert_eq!(
            forms,
            ["safe", "orderly", "and", "regular", "migration", "10.7"]
        );
    }

    #[test]
    fn ascii_fast_path_splits_like_uax29() {
        let samples = [
            "Safe, orderly—and regular migration (10.7). e.g. S:t Paul's 1,000.5;2 don't",
            "a.b.c 1.2.3 a..b 1..2 a.1 1.a _a_ __ a_1 x:y: :z 'q' 3'4 a' 'b 1, 2,3 ;4;",
            "café Zürich’s 10.c naïve\u{a0}word\tmore\nlines\r\nCR émigré-e ___ -_- __init__",
        ];
        for text in samples {
            assert_eq!(
                words(text).collect::<Vec<_>>(),
                text.unicode_words().collect::<Vec<_>>(),
                "{text}"
            );
        }
        // The sample portal's text (French, Spanish, Arabic, typographic quotes).
        let content = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
        for entry in walkdir::WalkDir::new(content) {
            let path = entry.expect("sample content").into_path();
            if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).expect("sample file");
                assert!(words(&text).eq(text.unicode_words()), "{}", path.display());
            }
        }
        // Every string over an alphabet of the characters the rules treat specially.
        let alphabet = [
            'a', 'Z', '0', '9', '_', '.', ':', '\'', ',', ';', ' ', '-', 'é',
        ];
        for text in random_strings(&alphabet, 12, 42) {
            assert_eq!(
                words(&text).collect::<Vec<_>>(),
                text.unicode_words().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    /// What [`each_word`] should give: [`words`], each with its folded form
    /// packed byte by byte when the word is ASCII and at most 16 bytes long.
    fn expected_words(text: &str) -> Vec<(&str, Option<u128>)> {
        let pack = |word: &str| {
            let form = fold(word);
            (word.is_ascii() && word.len() <= 16).then(|| {
                let mut bytes = [0; 16];
                bytes[..form.len()].copy_from_slice(form.as_bytes());
                u128::from_le_bytes(bytes)
            })
        };
        words(text).map(|w| (w, pack(w))).collect()
    }

    fn each_words(text: &str) -> Vec<(&str, Option<u128>)> {
        let mut found = Vec::new();
        each_word(text, |w, packed| found.push((w, packed)));
        found
    }

    #[test]
    fn each_word_splits_and_packs_like_words_and_fold() {
        let samples = [
            "Safe, orderly—and regular migration (10.7). e.g. S:t Paul's 1,000.5;2 don't",
            "ABCDEFGHIJKLMNOP abcdefghijklmnopq MiXeD_Case_16Byte Zz@[`{ 0123456789",
            "café Zürich’s 10.c naïve\u{a0}word\tmore\nlines\r\nCR émigré-e ___ -_- __init__",
            "",
            "x",
            "end.",
        ];
        for text in samples {
            assert_eq!(each_words(text), expected_words(text), "{text:?}");
        }
        let content = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
        for entry in walkdir::WalkDir::new(content) {
            let path = entry.expect("sample content").into_path();
            if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).expect("sample file");
                assert!(
                    each_words(&text) == expected_words(&text),
                    "{}",
                    path.display()
                );
            }
        }
        let alphabet = ['a', 'Z', '0', '_', '.', ':', '\'', ',', ' ', '@', '[', 'é'];
        for text in random_strings(&alphabet, 40, 7) {
            assert_eq!(each_words(&text), expected_words(&text), "{text:?}");
        }
    }

    #[test]
    fn stems_per_language() {
        assert_eq!(CachedStemmer::new("en").stem("migrants"), "migrant");
        assert_eq!(CachedStemmer::new("fr").stem("migrants"), "migr");
        assert_eq!(CachedStemmer::new("es").stem("migrantes"), "migrant");
        assert_eq!(CachedStemmer::new("xx").stem("migrants"), "migrants");
    }
}
