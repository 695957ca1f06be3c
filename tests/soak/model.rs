//! The soak's picture of the site: every Markdown file as its front-matter
//! blocks and body (so an edit changes one field and the valid text can
//! always be written again), the bytes last written to disk, the assets,
//! folders and symbolic links. Whether the site is valid is decided here,
//! from the model, so that the end of a soak can repair every file without
//! asking Casebook; `casebook check` then confirms it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same edits.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(crate) fn millis(&mut self, from: u64, to: u64) -> Duration {
        Duration::from_millis(from + self.next_u64() % (to - from + 1))
    }
}

/// One Markdown file: its front matter as top-level blocks (`key`, the
/// block's lines), its body, and what the soak added.
#[derive(Clone)]
pub(crate) struct Doc {
    pub(crate) front: Vec<(String, String)>,
    pub(crate) body: String,
    /// A paragraph the text edits replace.
    pub(crate) note: Option<String>,
    /// Ends with a relative link to `content/case-studies/nepal-desks.md`.
    pub(crate) links_nepal: bool,
    /// Its links are relative to where it is (the fixture's own links, or
    /// `links_nepal`): a symbolic link to it elsewhere has broken links.
    pub(crate) has_relative_links: bool,
    /// A file of the fixture others link to: never renamed, deleted, given
    /// a slug or new terms.
    pub(crate) protected: bool,
    /// Under `content/pages/`.
    pub(crate) page: bool,
    /// The bytes last written to disk.
    pub(crate) written: Vec<u8>,
}

pub(crate) const NEPAL: &str = "content/case-studies/nepal-desks.md";

impl Doc {
    /// Splits a fixture file into blocks; panics unless it renders back
    /// byte for byte.
    pub(crate) fn parse(text: &str) -> Doc {
        let rest = text.strip_prefix("---\n").expect("front matter");
        let end = rest.find("\n---\n").expect("closing ---");
        let mut front: Vec<(String, String)> = Vec::new();
        for line in rest[..end].lines() {
            match front.last_mut() {
                Some((_, block)) if line.starts_with([' ', '-']) => {
                    block.push('\n');
                    block.push_str(line);
                }
                _ => {
                    let key = line.split(':').next().unwrap().to_string();
                    front.push((key, line.to_string()));
                }
            }
        }
        let doc = Doc {
            front,
            body: rest[end + 5..].to_string(),
            note: None,
            links_nepal: false,
            has_relative_links: text.contains(".md") || text.contains(".svg"),
            protected: false,
            page: false,
            written: text.as_bytes().to_vec(),
        };
        assert_eq!(doc.render(NEPAL), text, "the fixture renders back");
        doc
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.front
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, b)| b.as_str())
    }

    /// Sets `key: value`, or removes the field when `value` is `None`.
    pub(crate) fn set(&mut self, key: &str, value: Option<&str>) {
        let block = value.map(|v| format!("{key}: {v}"));
        match (self.front.iter().position(|(k, _)| k == key), block) {
            (Some(i), Some(b)) => self.front[i].1 = b,
            (Some(i), None) => {
                self.front.remove(i);
            }
            (None, Some(b)) => self.front.push((key.to_string(), b)),
            (None, None) => {}
        }
    }

    /// The valid text of this document at `path`.
    pub(crate) fn render(&self, path: &str) -> String {
        let mut text = String::from("---\n");
        for (_, block) in &self.front {
            text.push_str(block);
            text.push('\n');
        }
        text.push_str("---\n");
        text.push_str(&self.body);
        if self.links_nepal {
            let to = relative(parent(path), NEPAL);
            text.push_str(&format!("\nSee the [Nepal desks]({to}#results).\n"));
        }
        if let Some(note) = &self.note {
            text.push_str(&format!("\n{note}\n"));
        }
        text
    }

    /// The page's slug: its `slug:` field or its file name.
    pub(crate) fn slug(&self, path: &str) -> String {
        match self.get("slug") {
            Some(block) => block["slug:".len()..].trim().to_string(),
            None => stem(path).to_string(),
        }
    }
}

/// A symbolic link: the target as written (relative to the link's folder).
#[derive(Clone)]
pub(crate) struct Link {
    pub(crate) written: String,
}

/// `casebook.yaml`: the fixture's text with some keys replaced or added.
pub(crate) struct ConfigFile {
    pub(crate) original: String,
    pub(crate) keys: BTreeMap<String, String>,
    pub(crate) written: Vec<u8>,
}

impl ConfigFile {
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        for line in self.original.lines() {
            let key = line.split(':').next().unwrap_or("");
            if let Some(value) = self.keys.get(key) {
                out.push_str(&format!("{key}: {value}\n"));
            } else {
                out.push_str(line);
                out.push('\n');
            }
            if key == "title" {
                for (k, v) in &self.keys {
                    if !self
                        .original
                        .lines()
                        .any(|l| l.starts_with(&format!("{k}:")))
                    {
                        out.push_str(&format!("{k}: {v}\n"));
                    }
                }
            }
        }
        out
    }
}

/// The whole site, as the soak believes it is on disk.
pub(crate) struct Model {
    pub(crate) root: PathBuf,
    pub(crate) docs: BTreeMap<String, Doc>,
    pub(crate) assets: BTreeSet<String>,
    pub(crate) links: BTreeMap<String, Link>,
    /// Real folders under `content/`, `content` included.
    pub(crate) dirs: BTreeSet<String>,
    pub(crate) config: ConfigFile,
    pub(crate) rng: Rng,
    counter: u32,
}

/// The folder of shared images that folder links point at: it never holds
/// Markdown, so a link to it never makes a case study appear twice.
pub(crate) const MEDIA: &str = "content/media";

impl Model {
    /// Reads the fixture site at `root` and adds the media folder.
    pub(crate) fn load(root: &Path, seed: u64) -> Model {
        let mut docs = BTreeMap::new();
        let mut assets = BTreeSet::new();
        let mut dirs = BTreeSet::new();
        for entry in walkdir::WalkDir::new(root.join("content")) {
            let entry = entry.unwrap();
            let rel = rel_of(root, entry.path());
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_dir() {
                dirs.insert(rel);
            } else if name.starts_with('_') {
                // A draft: never published, never edited.
            } else if rel.ends_with(".md") {
                let mut doc = Doc::parse(&std::fs::read_to_string(entry.path()).unwrap());
                doc.page = rel.starts_with("content/pages/");
                doc.protected =
                    doc.page || rel == NEPAL || rel == "content/case-studies/bicol-committee.md";
                docs.insert(rel, doc);
            } else {
                assets.insert(rel);
            }
        }
        let original = std::fs::read_to_string(root.join("casebook.yaml")).unwrap();
        let mut model = Model {
            root: root.to_path_buf(),
            docs,
            assets,
            links: BTreeMap::new(),
            dirs,
            config: ConfigFile {
                written: original.as_bytes().to_vec(),
                original,
                keys: BTreeMap::new(),
            },
            rng: Rng::new(seed),
            counter: 0,
        };
        model.dirs.insert(MEDIA.to_string());
        std::fs::create_dir_all(root.join(MEDIA)).unwrap();
        for i in 0..3 {
            let path = format!("{MEDIA}/shared-{i}.svg");
            std::fs::write(root.join(&path), svg(i)).unwrap();
            model.assets.insert(path);
        }
        model
    }

    /// A number no name used so far has.
    pub(crate) fn fresh(&mut self) -> u32 {
        self.counter += 1;
        self.counter
    }

    pub(crate) fn abs(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Folders a case study may be written into.
    pub(crate) fn case_dirs(&self) -> Vec<String> {
        self.dirs
            .iter()
            .filter(|d| !d.starts_with("content/pages") && d.as_str() != MEDIA)
            .cloned()
            .collect()
    }

    /// Writes `bytes` to `rel` the way editors do: at once, in two steps
    /// (a save seen half-way), or beside and renamed over (an atomic save).
    pub(crate) fn write(&mut self, rel: &str, bytes: &[u8]) {
        let path = self.abs(rel);
        match self.rng.below(10) {
            0 | 1 => {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let tmp = path.with_file_name(format!(".{name}.soak-tmp"));
                std::fs::write(&tmp, bytes).unwrap();
                std::fs::rename(&tmp, &path).unwrap();
            }
            2 => {
                std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
                std::thread::sleep(self.rng.millis(0, 30));
                std::fs::write(&path, bytes).unwrap();
            }
            _ => std::fs::write(&path, bytes).unwrap(),
        }
    }

    /// Writes a document's valid text.
    pub(crate) fn save(&mut self, rel: &str) {
        let text = self.docs[rel].render(rel);
        self.write(rel, text.as_bytes());
        self.docs.get_mut(rel).unwrap().written = text.into_bytes();
    }

    pub(crate) fn save_config(&mut self) {
        let text = self.config.render();
        self.write("casebook.yaml", text.as_bytes());
        self.config.written = text.into_bytes();
    }

    /// Documents whose file on disk is not their valid text.
    pub(crate) fn broken_docs(&self) -> Vec<String> {
        self.docs
            .iter()
            .filter(|(path, doc)| doc.written != doc.render(path).as_bytes())
            .map(|(path, _)| path.clone())
            .collect()
    }

    pub(crate) fn config_broken(&self) -> bool {
        self.config.written != self.config.render().as_bytes()
    }

    /// Where a link leads, as a site path (`None` if it climbs out).
    pub(crate) fn target(&self, link: &str) -> Option<String> {
        normalise(&format!("{}/{}", parent(link), self.links[link].written))
    }

    /// Whether a link leaves the site valid: it leads to a real file or
    /// folder, and does not make a case study appear twice (a folder with
    /// Markdown, a file with a `slug:`), loop, or break relative links.
    pub(crate) fn link_ok(&self, link: &str) -> bool {
        let Some(target) = self.target(link) else {
            return false;
        };
        if let Some(doc) = self.docs.get(&target) {
            let same_dir = parent(&target) == parent(link);
            return link.ends_with(".md")
                && !doc.page
                && doc.get("slug").is_none()
                && (same_dir || !doc.has_relative_links);
        }
        if self.assets.contains(&target) {
            return true;
        }
        let inside = |p: &String| p.starts_with(&format!("{target}/"));
        self.dirs.contains(&target)
            && !link.starts_with(&format!("{target}/"))
            && !self.docs.keys().any(inside)
            && !self.links.keys().any(inside)
    }

    pub(crate) fn bad_links(&self) -> Vec<String> {
        self.links
            .keys()
            .filter(|l| !self.link_ok(l))
            .cloned()
            .collect()
    }

    /// Whether the site is valid, as far as the model knows.
    pub(crate) fn is_valid(&self) -> bool {
        self.broken_docs().is_empty() && !self.config_broken() && self.bad_links().is_empty()
    }

    /// Moves everything under `from` (a file, link or folder) to `to`.
    pub(crate) fn move_paths(&mut self, from: &str, to: &str) {
        let moved = |p: &str| -> Option<String> {
            if p == from {
                Some(to.to_string())
            } else {
                p.strip_prefix(&format!("{from}/"))
                    .map(|rest| format!("{to}/{rest}"))
            }
        };
        self.docs = std::mem::take(&mut self.docs)
            .into_iter()
            .map(|(p, d)| (moved(&p).unwrap_or(p), d))
            .collect();
        self.links = std::mem::take(&mut self.links)
            .into_iter()
            .map(|(p, l)| (moved(&p).unwrap_or(p), l))
            .collect();
        for set in [&mut self.assets, &mut self.dirs] {
            *set = std::mem::take(set)
                .into_iter()
                .map(|p| moved(&p).unwrap_or(p))
                .collect();
        }
    }

    /// Forgets everything at or under `gone`.
    pub(crate) fn forget(&mut self, gone: &str) {
        let keep = |p: &String| p != gone && !p.starts_with(&format!("{gone}/"));
        self.docs.retain(|p, _| keep(p));
        self.links.retain(|p, _| keep(p));
        self.assets.retain(keep);
        self.dirs.retain(keep);
    }

    /// Makes every file valid: documents and config rewritten, bad links
    /// removed. Returns what it did.
    pub(crate) fn repair(&mut self) -> Vec<String> {
        let mut done = Vec::new();
        for path in self.broken_docs() {
            self.save(&path);
            done.push(format!("rewrite {path}"));
        }
        if self.config_broken() {
            self.save_config();
            done.push("rewrite casebook.yaml".to_string());
        }
        // Removing one link can make another valid again, never invalid.
        for link in self.bad_links() {
            std::fs::remove_file(self.abs(&link)).unwrap();
            self.links.remove(&link);
            done.push(format!("remove link {link}"));
        }
        done
    }
}

pub(crate) fn svg(n: u32) -> String {
    format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{n}\" height=\"1\"/>\n")
}

pub(crate) fn rel_of(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

pub(crate) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

pub(crate) fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap();
    name.strip_suffix(".md").unwrap_or(name)
}

/// `a/./b/../c` → `a/c`; `None` if it climbs above the root.
pub(crate) fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The relative path from folder `from` to `to` (both site paths).
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = to.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to[common..].join("/"));
    if out.is_empty() {
        ".".to_string()
    } else {
        out
    }
}
