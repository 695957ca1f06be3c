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
        return Box::new(AsciiWords { rest: text });
    }
    Box::new(text.split_ascii_whitespace().flat_map(|chunk| {
        let (ascii, unicode) = if chunk.is_ascii() {
            (Some(AsciiWords { rest: chunk }), None)
        } else {
            (None, Some(chunk.unicode_words()))
        };
        ascii
            .into_iter()
            .flatten()
            .chain(unicode.into_iter().flatten())
    }))
}

/// UAX #29 words of ASCII text: runs of letters, digits and `_`, joined across
/// one `:`, `.` or `'` between two letters (WB6/7: "e.g", "don't") or one `.`,
/// `,`, `;` or `'` between two digits (WB11/12: "10.7", "1,000"); runs with no
/// letter or digit are not words.
struct AsciiWords<'a> {
    rest: &'a str,
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

impl<'a> Iterator for AsciiWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest;
        let bytes = text.as_bytes();
        let class = |i: usize| CLASSES[(bytes[i] & 0x7f) as usize];
        let mut i = 0;
        loop {
            while i < bytes.len() && class(i) & WORD == 0 {
                i += 1;
            }
            if i == bytes.len() {
                self.rest = "";
                return None;
            }
            let start = i;
            let mut alphanumeric = class(i) & (LETTER | DIGIT) != 0;
            i += 1;
            while i < bytes.len() {
                let c = class(i);
                if c & WORD != 0 {
                    alphanumeric |= c & (LETTER | DIGIT) != 0;
                    i += 1;
                    continue;
                }
                // A mid character joins two letters or two digits (WB6/7, WB11/12).
                if i + 1 == bytes.len() {
                    break;
                }
                let both = class(i - 1) & class(i + 1);
                if !(both & LETTER != 0 && c & MID_LETTER != 0
                    || both & DIGIT != 0 && c & MID_NUM != 0)
                {
                    break;
                }
                alphanumeric = true;
                i += 2;
            }
            if alphanumeric {
                self.rest = &text[i..];
                return Some(&text[start..i]);
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
        let mut seed = 42u64;
        for _ in 0..20_000 {
            let text: String = (0..12)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            assert_eq!(
                words(&text).collect::<Vec<_>>(),
                text.unicode_words().collect::<Vec<_>>(),
                "{text:?}"
            );
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
