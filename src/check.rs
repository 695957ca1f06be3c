//! Check: everything `build` validates, plus links, without writing.
