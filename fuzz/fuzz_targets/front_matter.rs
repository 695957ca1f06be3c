//! Fuzz target: a case-study file through the front-matter reader (split,
//! YAML parse, validation against the sample portal's schema). See
//! `casebook_fuzz::front_matter` for what is checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A file that is not UTF-8 is refused before it reaches the reader.
    if let Ok(text) = std::str::from_utf8(data) {
        casebook_fuzz::front_matter(text);
    }
});
