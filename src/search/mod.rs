//! Search data: the facet catalogue and the full-text index the search page
//! loads. Written by [`write`] after the pages.

use crate::error::Result;
use crate::output::Staging;
use crate::render::Site;

/// Writes the search data under `search/`.
pub fn write(_site: &Site<'_>, _texts: &[String], _staging: &Staging) -> Result<()> {
    Ok(())
}
