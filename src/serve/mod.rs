//! Serve: preview server with rebuild on change and live reload.
