//! Confinement: nothing outside the site root is read into the output.
//!
//! Symbolic links under `content/` and `themes/` are followed (a folder of
//! case studies shared by two portals of one repository, a theme file kept
//! once), but only while they stay inside the site. Without this, `ln -s
//! /etc/passwd content/case-studies/notes.txt` published the password file.
//!
//! A path is resolved the way the operating system resolves it
//! (`canonicalize`: links to links and `..` chains included) and compared
//! with the resolved site root, so a site whose own folder is reached through
//! a link (`~/site` → `/data/site`) works as before.

use std::path::{Path, PathBuf};

use crate::diagnostics::{display_path, Diagnostic};
use crate::error::{Error, Result};

/// The site root, as given and as resolved.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    given: PathBuf,
    real: PathBuf,
}

impl SiteRoot {
    /// Resolves the site root.
    pub fn new(root: &Path) -> Result<SiteRoot> {
        let real = root
            .canonicalize()
            .map_err(|e| Error::io("resolving", root, e))?;
        Ok(SiteRoot {
            given: root.to_path_buf(),
            real,
        })
    }

    /// The problem with `path` (a path under the site root as given) if it
    /// resolves to somewhere outside the site; `None` if it stays inside.
    ///
    /// The diagnostic names the link to blame (the first component of `path`
    /// that leads out, often `path` itself) and where it leads.
    pub fn outside(&self, path: &Path) -> Result<Option<Diagnostic>> {
        let real = resolve(path)?;
        if real.starts_with(&self.real) {
            return Ok(None);
        }
        let link = self.first_exit(path)?;
        let target = resolve(&link)?;
        let written = std::fs::read_link(&link).ok();
        Ok(Some(outside_link(
            &display_path(&self.given, &link),
            &target,
            written.as_deref(),
        )))
    }

    /// The shortest prefix of `path`, below the site root, that resolves
    /// outside the site. Each shorter prefix resolves inside, so this one is
    /// a symbolic link whose target is outside.
    fn first_exit(&self, path: &Path) -> Result<PathBuf> {
        let under = path.strip_prefix(&self.given).unwrap_or(path);
        let mut prefix = self.given.clone();
        for part in under.components() {
            prefix.push(part);
            if !resolve(&prefix)?.starts_with(&self.real) {
                return Ok(prefix);
            }
        }
        Ok(path.to_path_buf())
    }
}

fn resolve(path: &Path) -> Result<PathBuf> {
    path.canonicalize()
        .map_err(|e| Error::io("resolving", path, e))
}

/// The error for a link under the site that leads outside it.
fn outside_link(link: &Path, target: &Path, written: Option<&Path>) -> Diagnostic {
    let mut message = format!(
        "symbolic link to {}, which is outside the site",
        target.display()
    );
    if let Some(written) = written.filter(|w| *w != target) {
        message.push_str(&format!(" (the link says {})", written.display()));
    }
    Diagnostic::error(link, message)
        .help("copy the file into the site, or link to something inside it")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_pass_and_links_outside_name_link_and_target() {
        let site = tempfile::tempdir().unwrap();
        let away = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content/shared")).unwrap();
        std::fs::write(root.join("content/shared/a.md"), "x").unwrap();
        std::fs::write(away.path().join("secret.txt"), "x").unwrap();
        symlink(root.join("content/shared"), root.join("content/in")).unwrap();
        symlink(away.path(), root.join("content/out")).unwrap();
        // A link to a link, written with a `..` chain, that ends outside.
        symlink("../content/out/secret.txt", root.join("content/hop")).unwrap();
        let site_root = SiteRoot::new(root).unwrap();
        assert!(site_root
            .outside(&root.join("content/in/a.md"))
            .unwrap()
            .is_none());
        let real_away = away.path().canonicalize().unwrap();
        let d = site_root
            .outside(&root.join("content/out/secret.txt"))
            .unwrap()
            .expect("outside");
        assert_eq!(d.path, Path::new("content/out"), "the link is blamed");
        assert!(d.message.contains(&real_away.display().to_string()));
        let d = site_root
            .outside(&root.join("content/hop"))
            .unwrap()
            .expect("outside");
        assert_eq!(d.path, Path::new("content/hop"));
        assert!(d.message.contains("secret.txt"), "{}", d.message);
        assert!(d
            .message
            .contains("the link says ../content/out/secret.txt"));
    }

    #[test]
    fn a_site_reached_through_a_link_is_inside_itself() {
        let real = tempfile::tempdir().unwrap();
        let links = tempfile::tempdir().unwrap();
        std::fs::create_dir(real.path().join("content")).unwrap();
        std::fs::write(real.path().join("content/a.md"), "x").unwrap();
        let root = links.path().join("site");
        symlink(real.path(), &root).unwrap();
        let site_root = SiteRoot::new(&root).unwrap();
        assert!(site_root
            .outside(&root.join("content/a.md"))
            .unwrap()
            .is_none());
    }
}
