//! Tokenising: text → folded word forms → stems, per document language.
//!
//! Words are split on Unicode word boundaries (UAX #29), lower-cased and
//! accent-folded, so "Développement" and "developpement" meet. Stems come from
//! the Snowball stemmer of the document's language; languages without one
//! are indexed unstemmed. The browser never stems: the index ships a
//! dictionary from every folded form to its stems (see FORMAT.md).

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

/// Lower-cases and strips accents from one word.
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Longer "words" (URLs, base64) are not worth indexing.
pub const MAX_WORD_BYTES: usize = 60;

/// Folds `word` into `out` (cleared first), without allocating for ASCII.
pub fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        out.extend(
            word.nfkd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase),
        );
    }
}

/// Calls `f` with each folded word form of `text`.
pub fn for_each_form(text: &str, mut f: impl FnMut(String)) {
    for word in text.unicode_words() {
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
    fn stems_per_language() {
        assert_eq!(CachedStemmer::new("en").stem("migrants"), "migrant");
        assert_eq!(CachedStemmer::new("fr").stem("migrants"), "migr");
        assert_eq!(CachedStemmer::new("es").stem("migrantes"), "migrant");
        assert_eq!(CachedStemmer::new("xx").stem("migrants"), "migrants");
    }
}
