//! Scaffold: `casebook init` and `casebook new`.
