//! Text folding: how Casebook compares what people write. Matching a
//! vocabulary value, making a URL segment, and indexing a word for search
//! all ignore case and accents the same way, so a value found by one is
//! found by the others (and by the browser's `fold`, which mirrors this).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds a value for matching: trim, collapse spaces, lower-case, strip accents.
pub fn normalise(value: &str) -> String {
    if value.is_ascii() {
        // Every tag, code and title is matched: most are ASCII, one pass.
        return ascii_words(value.as_bytes(), true);
    }
    let folded: String = folded_chars(value).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of ASCII `text`, lower-cased if asked, one space apart: what
/// `split_whitespace` and `join(" ")` give (whitespace being what
/// [`char::is_whitespace`] holds it to be, tab to carriage return and space),
/// copied a word at a time.
pub fn ascii_words(text: &[u8], lowercase: bool) -> String {
    let mut out = Vec::with_capacity(text.len());
    let words = text.split(|b| matches!(b, b'\t'..=b'\r' | b' '));
    for word in words.filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(b' ');
        }
        let start = out.len();
        out.extend_from_slice(word);
        if lowercase {
            out[start..].make_ascii_lowercase();
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// The characters of `value` lower-cased and without accents: what matching
/// (here) and search (`search::tokenize`) compare.
pub fn folded_chars(value: &str) -> impl Iterator<Item = char> + '_ {
    base_chars(value).flat_map(char::to_lowercase)
}

/// The order a reader expects in a list of names: accents and case set
/// aside, so that "États-Unis" comes after "El Salvador" and "Sénégal" before
/// "Sri Lanka" (comparing the bytes put every accented capital after "Z"),
/// then as written, so that the order is total.
pub fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    folded_chars(a).cmp(folded_chars(b)).then_with(|| a.cmp(b))
}

/// The characters of `value` without accents (NFKD, combining marks and
/// tatweel dropped). ASCII text, most values, is its own decomposition:
/// decomposing it anyway cost ~2,000 instructions per call, and this runs for
/// every tag and title.
fn base_chars(value: &str) -> Box<dyn Iterator<Item = char> + '_> {
    if value.is_ascii() {
        Box::new(value.chars())
    } else {
        Box::new(
            value
                .nfkd()
                .filter(|&c| !is_combining_mark(c) && c != TATWEEL),
        )
    }
}

/// The Arabic tatweel (kashida) stretches a word for justification or
/// emphasis ("مـراكز" is "مراكز"): like a vowel mark, it is not part of the
/// spelling, but Unicode makes it a letter, so NFKD and the mark filter keep
/// it. The browser's `fold` drops it too.
const TATWEEL: char = '\u{640}';

/// Makes a URL segment: lower-case letters and digits joined by `-`. Accents
/// are dropped (`é` → `e`); letters of other scripts stay (`日本語`), and
/// are percent-encoded where a URL must be ASCII (the sitemap).
pub fn slugify(value: &str) -> String {
    let mut slug = String::with_capacity(value.len());
    for c in base_chars(value) {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The name of a language in itself ("Français"), for the language
/// switcher; the code for a language not listed.
pub fn autonym(code: &str) -> String {
    let primary = code.split('-').next().unwrap_or(code);
    let name = match primary {
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "ar" => "العربية",
        "pt" => "Português",
        "ru" => "Русский",
        "zh" => "中文",
        "de" => "Deutsch",
        "it" => "Italiano",
        "tr" => "Türkçe",
        "sw" => "Kiswahili",
        "fa" => "فارسی",
        "ur" => "اردو",
        "hi" => "हिन्दी",
        "bn" => "বাংলা",
        "id" => "Bahasa Indonesia",
        "uk" => "Українська",
        "am" => "አማርኛ",
        "ha" => "Hausa",
        "so" => "Soomaali",
        "ne" => "नेपाली",
        "tl" | "fil" => "Filipino",
        _ => return code.to_string(),
    };
    name.to_string()
}

/// Text direction of a BCP 47 language.
pub fn direction(lang: &str) -> &'static str {
    const RTL: &[&str] = &["ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"];
    let primary = lang.split('-').next().unwrap_or("").to_ascii_lowercase();
    if RTL.contains(&primary.as_str()) {
        "rtl"
    } else {
        "ltr"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_as_a_reader_reads_them() {
        let mut names = vec![
            "États-Unis",
            "Sri Lanka",
            "Sénégal",
            "El Salvador",
            "Fidji",
            "Égypte",
        ];
        names.sort_by(|a, b| compare_names(a, b));
        let expected = [
            "Égypte",
            "El Salvador",
            "États-Unis",
            "Fidji",
            "Sénégal",
            "Sri Lanka",
        ];
        assert_eq!(names, expected);
        assert_eq!(compare_names("Côte", "cote"), "Côte".cmp("cote"), "total");
    }

    #[test]
    fn ascii_values_normalise_as_the_general_path_does() {
        let general = |v: &str| {
            let folded: String = folded_chars(v).collect();
            folded.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let every_ascii: String = (0..128u8).map(char::from).collect();
        for value in [
            "",
            "   ",
            " Policy \t Coherence\n",
            "10.C ",
            "\x0bVT\x0cFF\x1cFS",
            &every_ascii,
        ] {
            assert_eq!(normalise(value), general(value), "{value:?}");
        }
        assert_eq!(normalise("  Développement  Local "), "developpement local");
    }
}
