//! Fuzz target: a Markdown body through the renderer (safe HTML, heading
//! anchors, table of contents, link rewriting). See `casebook_fuzz::markdown`
//! for what is checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        casebook_fuzz::markdown(text);
    }
});
