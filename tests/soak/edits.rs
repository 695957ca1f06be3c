//! The soak's random edits: each changes the files on disk and the model
//! together, and says what it did in one line (for the log a failing soak
//! prints). Valid values come from the fixture's vocabularies; breaks are
//! the classes of bad input `build` reports (broken YAML, an unknown code or
//! field, a half-written file, a broken link, a slug collision, not UTF-8).

use super::model::{parent, relative, svg, Doc, Link, Model, MEDIA};

const LEVELS: &[&str] = &[
    "local",
    "subnational",
    "national",
    "regional",
    "global",
    "Local",
];
const TARGETS: &[&str] = &[
    "\"10.7\"",
    "\"17.18\"",
    "\"8.8\"",
    "\"10.c\"",
    "\"1.1\"",
    "\"16.9\"",
    "\"10.C \"",
];
const COUNTRIES: &[&str] = &[
    "PH",
    "NP",
    "JO",
    "Nepal",
    "FR",
    "BR",
    "KE",
    "Vietnam",
    "\"Ivory Coast\"",
    "DEU",
];
const REGIONS: &[&str] = &[
    "\"Western Africa\"",
    "\"South America\"",
    "\"Northern Europe\"",
    "\"Eastern Africa\"",
];
const THEMES: &[&str] = &[
    "\"Policy coherence\"",
    "\"policy coherence\"",
    "\"Labour migration\"",
    "\"Social cohesion\"",
    "\"Capacity  building\"",
    "\"Remittances\"",
    "\"Diaspora engagement\"",
];
const SOURCES: &[&str] = &[
    "\"Direct contribution\"",
    "\"Desk review\"",
    "\"Field visit\"",
];
const WORDS: &[&str] = &[
    "migrants",
    "desk",
    "committee",
    "coordination",
    "remittance",
    "cohesion",
    "données",
    "خدمات",
    "training",
    "returnees",
];

impl Model {
    /// Applies one random edit; returns what it did.
    pub(crate) fn random_edit(&mut self) -> String {
        let roll = self.rng.below(100);
        // Broken things pile up otherwise, and a site with a problem is
        // rebuilt in full on every change: keep it valid often enough for
        // the incremental updates to be soaked too.
        if ((50..=59).contains(&roll) || self.rng.chance(20)) && !self.is_valid() {
            return self.fix_one();
        }
        match roll {
            0..=12 => self.edit_text(),
            13..=17 => self.edit_field("status"),
            18..=25 => self.edit_field("title"),
            26..=30 => self.edit_field("summary"),
            31..=35 => self.edit_field("date"),
            36..=39 => self.edit_field("slug"),
            40..=49 => self.edit_terms(),
            50..=59 => self.break_file(),
            60..=67 => self.fix_one(),
            68..=72 => self.rename(),
            73..=77 => self.delete(),
            78..=85 => self.new_case(),
            86 => self.new_asset(),
            87 => self.edit_asset(),
            88..=93 => self.new_link(),
            94..=96 => self.edit_config(),
            97..=98 => self.rename_folder(),
            _ => self.edit_page(),
        }
    }

    /// A case study (not a page), optionally only among those that may move.
    fn some_case(&mut self, movable: bool) -> Option<String> {
        let cases: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| !(d.page || movable && d.protected))
            .map(|(p, _)| p.clone())
            .collect();
        (!cases.is_empty()).then(|| self.rng.pick(&cases).clone())
    }

    fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| {
                if self.rng.chance(30) {
                    // Made-up words come and go, and with them the search
                    // index's dictionary shards.
                    let len = 3 + self.rng.below(5);
                    (0..len)
                        .map(|_| (b'a' + self.rng.below(26) as u8) as char)
                        .collect()
                } else {
                    self.rng.pick(WORDS).to_string()
                }
            })
            .collect::<Vec<String>>()
            .join(" ")
    }

    fn edit_text(&mut self) -> String {
        let Some(path) = self.some_case(false) else {
            return self.new_case();
        };
        self.text_of(&path)
    }

    fn text_of(&mut self, path: &str) -> String {
        let n = self.fresh();
        let count = 4 + self.rng.below(8);
        let words = self.words(count);
        self.docs.get_mut(path).unwrap().note = Some(format!("Soak note {n}: {words}."));
        self.save(path);
        format!("text {path}")
    }

    /// An edit of a case study's text, title or summary, which the preview
    /// applies without a rebuild; half the time to a case study that a
    /// symbolic link shows a second time, if there is one.
    pub(crate) fn text_edit(&mut self) -> String {
        let linked: Vec<String> = self
            .links
            .keys()
            .filter(|l| self.link_ok(l))
            .filter_map(|l| self.target(l))
            .filter(|t| self.docs.contains_key(t))
            .collect();
        let path = match self.some_case(false) {
            _ if !linked.is_empty() && self.rng.chance(50) => self.rng.pick(&linked).clone(),
            Some(path) => path,
            None => return self.new_case(),
        };
        match self.rng.below(3) {
            0 => self.text_of(&path),
            1 => self.field_of(&path, "title"),
            _ => self.field_of(&path, "summary"),
        }
    }

    fn value(&mut self, key: &str) -> Option<String> {
        let n = self.fresh();
        Some(match key {
            "title" => match self.rng.below(3) {
                0 => format!("\"Soak title {n}\""),
                1 => format!("\"Étude n°{n} : «{}»\"", self.words(2)),
                _ => format!("\"A \\\"quoted\\\" practice {n}\""),
            },
            "summary" if self.rng.chance(15) => return None,
            "summary" => format!("\"Summary {n}: {}.\"", self.words(5)),
            "date" => format!(
                "{}-{:02}-{:02}",
                2000 + self.rng.below(26),
                1 + self.rng.below(12),
                1 + self.rng.below(28)
            ),
            // Serve shows every status (a build with --drafts is its
            // reference), so a status change is an edit like any other.
            "status" if self.rng.chance(25) => return None,
            "status" => self.rng.pick(&["draft", "review", "published"]).to_string(),
            "slug" if self.rng.chance(30) => return None,
            "slug" => format!("soak-slug-{n}"),
            _ => unreachable!("{key}"),
        })
    }

    fn edit_field(&mut self, key: &str) -> String {
        let movable = key == "slug";
        let Some(path) = self.some_case(movable) else {
            return self.new_case();
        };
        self.field_of(&path, key)
    }

    fn field_of(&mut self, path: &str, key: &str) -> String {
        let value = self.value(key);
        self.docs.get_mut(path).unwrap().set(key, value.as_deref());
        self.save(path);
        format!("{key} {path} = {value:?}")
    }

    fn terms(&mut self, key: &str) -> Option<String> {
        if self.rng.chance(20) {
            return None;
        }
        let n = 1 + self.rng.below(3);
        let mut values: Vec<String> = (0..n)
            .map(|_| match key {
                "levels" => self.rng.pick(LEVELS).to_string(),
                "sdg_targets" => self.rng.pick(TARGETS).to_string(),
                "sdg_goals" => (1 + self.rng.below(17)).to_string(),
                "gcm_objectives" => (1 + self.rng.below(23)).to_string(),
                "countries" => self.rng.pick(COUNTRIES).to_string(),
                "regions" => self.rng.pick(REGIONS).to_string(),
                _ => self.rng.pick(THEMES).to_string(),
            })
            .collect();
        if key == "source" {
            return Some(self.rng.pick(SOURCES).to_string());
        }
        values.dedup();
        Some(format!("[{}]", values.join(", ")))
    }

    fn edit_terms(&mut self) -> String {
        let Some(path) = self.some_case(true) else {
            return self.new_case();
        };
        let keys = [
            "levels",
            "sdg_targets",
            "sdg_goals",
            "gcm_objectives",
            "countries",
            "regions",
            "themes",
            "source",
        ];
        let key = *self.rng.pick(&keys);
        let value = self.terms(key);
        self.docs.get_mut(&path).unwrap().set(key, value.as_deref());
        self.save(&path);
        format!("terms {path} {key} = {value:?}")
    }

    /// Writes a bad version of a file (the model keeps its valid text).
    fn break_file(&mut self) -> String {
        if self.rng.chance(8) {
            return self.break_config();
        }
        let paths: Vec<String> = self.docs.keys().cloned().collect();
        let path = self.rng.pick(&paths).clone();
        let doc = self.docs[&path].clone();
        let n = self.fresh();
        let kinds = if doc.page { 4 } else { 11 };
        let (what, bytes) = match self.rng.below(kinds) {
            0 => (
                "bad YAML",
                with(&doc, &path, "title", Some("\"Broken: \"quote\"")),
            ),
            1 => ("half-written", {
                // Cut anywhere, in the middle of a character too.
                let text = doc.render(&path).into_bytes();
                text[..self.rng.below(text.len())].to_vec()
            }),
            2 => ("broken link", {
                let mut text = doc.render(&path);
                text.push_str(&format!("\nSee [a missing case](no-such-case-{n}.md).\n"));
                text.into_bytes()
            }),
            3 => ("not UTF-8", {
                let mut bytes = doc.render(&path).into_bytes();
                bytes.extend_from_slice(b"\nCaf\xe9 au lait.\n");
                bytes
            }),
            4 => (
                "unknown code",
                with(&doc, &path, "sdg_targets", Some("[\"10.99\"]")),
            ),
            5 => (
                "unknown country",
                with(&doc, &path, "countries", Some("[Atlantis]")),
            ),
            6 => (
                "unknown field",
                with(&doc, &path, "sdg_target", Some("[\"10.7\"]")),
            ),
            7 => (
                "unclosed list",
                with(&doc, &path, "levels", Some("[local, national")),
            ),
            8 => ("no title", with(&doc, &path, "title", None)),
            9 => (
                "impossible date",
                with(&doc, &path, "date", Some("2021-02-30")),
            ),
            _ => {
                let others: Vec<String> = self
                    .docs
                    .iter()
                    .filter(|(p, d)| **p != path && !d.page)
                    .map(|(p, d)| d.slug(p))
                    .collect();
                let slug = self.rng.pick(&others).clone();
                ("slug collision", with(&doc, &path, "slug", Some(&slug)))
            }
        };
        self.write(&path, &bytes);
        self.docs.get_mut(&path).unwrap().written = bytes;
        format!("break {path}: {what}")
    }

    fn break_config(&mut self) -> String {
        let mut text = self.config.render();
        let what = match self.rng.below(3) {
            0 => {
                text = text.replacen("title: \"", "title: \"Unclosed\n", 1);
                "bad YAML"
            }
            1 => {
                text.push_str("titel: \"Typo\"\n");
                "unknown key"
            }
            _ => {
                text = text.replacen("per_page: ", "per_page: many # ", 1);
                "per_page not a number"
            }
        };
        self.write("casebook.yaml", text.as_bytes());
        self.config.written = text.into_bytes();
        format!("break casebook.yaml: {what}")
    }

    /// Fixes one broken thing: a file gets its valid text back, a bad link goes.
    fn fix_one(&mut self) -> String {
        let mut broken: Vec<String> = self.broken_docs();
        if self.config_broken() {
            broken.push("casebook.yaml".to_string());
        }
        let links = self.bad_links();
        broken.extend(links.iter().cloned());
        if broken.is_empty() {
            return self.edit_text();
        }
        let path = self.rng.pick(&broken).clone();
        if path == "casebook.yaml" {
            self.save_config();
        } else if self.links.contains_key(&path) {
            std::fs::remove_file(self.abs(&path)).unwrap();
            self.links.remove(&path);
            return format!("fix: remove link {path}");
        } else {
            self.save(&path);
        }
        format!("fix {path}")
    }

    fn rename(&mut self) -> String {
        let links: Vec<String> = self.links.keys().cloned().collect();
        let from = match self.some_case(true) {
            Some(case) if links.is_empty() || self.rng.chance(80) => case,
            _ if !links.is_empty() => self.rng.pick(&links).clone(),
            _ => return self.new_case(),
        };
        let n = self.fresh();
        let dir = self.some_dir(30);
        let name = from.rsplit('/').next().unwrap();
        let name = if self.links.contains_key(&from) {
            renamed(name, n)
        } else {
            format!("soak-case-{n}.md")
        };
        let to = format!("{dir}/{name}");
        std::fs::rename(self.abs(&from), self.abs(&to)).unwrap();
        self.move_paths(&from, &to);
        format!("rename {from} -> {to}")
    }

    fn rename_folder(&mut self) -> String {
        let folders: Vec<String> = self
            .dirs
            .iter()
            .filter(|d| d.contains("soak-dir-"))
            .cloned()
            .collect();
        if folders.is_empty() {
            return self.new_case();
        }
        let from = self.rng.pick(&folders).clone();
        let n = self.fresh();
        let into: Vec<String> = self
            .case_dirs()
            .into_iter()
            .filter(|d| *d != from && !d.starts_with(&format!("{from}/")))
            .collect();
        let to = format!("{}/soak-dir-{n}", self.rng.pick(&into));
        std::fs::rename(self.abs(&from), self.abs(&to)).unwrap();
        self.move_paths(&from, &to);
        format!("rename folder {from} -> {to}")
    }

    /// A case folder; with `new_percent` chance a new one (nested or not).
    fn some_dir(&mut self, new_percent: usize) -> String {
        let dirs = self.case_dirs();
        let dir = self.rng.pick(&dirs).clone();
        // Four levels under content/ at most: deeper adds nothing new.
        if !self.rng.chance(new_percent) || dir.matches('/').count() >= 4 {
            return dir;
        }
        let n = self.fresh();
        let new = format!("{dir}/soak-dir-{n}");
        std::fs::create_dir_all(self.abs(&new)).unwrap();
        self.dirs.insert(new.clone());
        new
    }

    fn delete(&mut self) -> String {
        let mut candidates: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| !d.protected)
            .map(|(p, _)| p.clone())
            .collect();
        candidates.extend(
            self.assets
                .iter()
                .filter(|a| !a.ends_with("diagram.svg"))
                .cloned(),
        );
        candidates.extend(self.links.keys().cloned());
        candidates.extend(
            self.dirs
                .iter()
                .filter(|d| d.contains("soak-dir-"))
                .cloned(),
        );
        if candidates.is_empty() {
            return self.new_case();
        }
        let path = self.rng.pick(&candidates).clone();
        if self.dirs.contains(&path) {
            std::fs::remove_dir_all(self.abs(&path)).unwrap();
        } else {
            std::fs::remove_file(self.abs(&path)).unwrap();
        }
        self.forget(&path);
        format!("delete {path}")
    }

    fn new_case(&mut self) -> String {
        let dir = self.some_dir(30);
        let n = self.fresh();
        let path = format!("{dir}/soak-case-{n}.md");
        let title = format!("\"New practice {n}\"");
        let mut doc = Doc {
            front: vec![("title".to_string(), format!("title: {title}"))],
            body: format!("## Context\n\nNew case {n}: {}.\n", self.words(6)),
            note: None,
            links_nepal: self.rng.chance(30),
            has_relative_links: false,
            protected: false,
            page: false,
            written: Vec::new(),
        };
        doc.has_relative_links = doc.links_nepal;
        for key in ["date", "summary"] {
            if self.rng.chance(80) {
                let value = self.value(key);
                doc.set(key, value.as_deref());
            }
        }
        for key in ["levels", "sdg_targets", "countries", "themes"] {
            if self.rng.chance(50) {
                let value = self.terms(key);
                doc.set(key, value.as_deref());
            }
        }
        self.docs.insert(path.clone(), doc);
        self.save(&path);
        format!("new {path}")
    }

    fn new_asset(&mut self) -> String {
        let dir = if self.rng.chance(40) {
            MEDIA.to_string()
        } else {
            self.some_dir(30)
        };
        let n = self.fresh();
        let path = format!("{dir}/soak-file-{n}.svg");
        self.write(&path, svg(n).as_bytes());
        self.assets.insert(path.clone());
        format!("new {path}")
    }

    /// Replaces an image with another.
    fn edit_asset(&mut self) -> String {
        let assets: Vec<String> = self.assets.iter().cloned().collect();
        let path = self.rng.pick(&assets).clone();
        let n = self.fresh();
        self.write(&path, svg(n).as_bytes());
        format!("edit {path}")
    }

    /// A symbolic link inside the site: to a case study, an image, the media
    /// folder (valid), a folder of case studies or an ancestor (invalid).
    fn new_link(&mut self) -> String {
        let dir = self.some_dir(0);
        let n = self.fresh();
        let roll = self.rng.below(100);
        let (name, target) = match roll {
            0..=44 => match self.some_case(false) {
                Some(case) => (format!("alias-{n}.md"), case),
                None => return self.new_case(),
            },
            45..=59 => {
                let assets: Vec<String> = self.assets.iter().cloned().collect();
                (format!("alias-{n}.svg"), self.rng.pick(&assets).clone())
            }
            60..=84 => (format!("shared-{n}"), MEDIA.to_string()),
            85..=94 => {
                let dirs = self.case_dirs();
                (format!("shared-{n}"), self.rng.pick(&dirs).clone())
            }
            _ => (format!("loop-{n}"), parent(&dir).to_string()),
        };
        let link = format!("{dir}/{name}");
        let written = relative(&dir, &target);
        std::os::unix::fs::symlink(&written, self.abs(&link)).unwrap();
        self.links.insert(
            link.clone(),
            Link {
                written: written.clone(),
            },
        );
        let ok = if self.link_ok(&link) {
            ""
        } else {
            " (invalid)"
        };
        format!("link {link} -> {written}{ok}")
    }

    fn edit_config(&mut self) -> String {
        if self.rng.chance(25) {
            return self.break_config();
        }
        let n = self.fresh();
        let (key, value) = match self.rng.below(4) {
            0 => ("title", format!("\"Fixture Portal {n}\"")),
            1 => ("tagline", format!("\"Tagline {n}\"")),
            2 => ("per_page", (1 + self.rng.below(4)).to_string()),
            _ => ("newest", (1 + self.rng.below(6)).to_string()),
        };
        self.config.keys.insert(key.to_string(), value.clone());
        self.save_config();
        format!("config {key} = {value}")
    }

    fn edit_page(&mut self) -> String {
        let pages: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.page)
            .map(|(p, _)| p.clone())
            .collect();
        let path = self.rng.pick(&pages).clone();
        let n = self.fresh();
        let words = self.words(5);
        self.docs.get_mut(&path).unwrap().note = Some(format!("Page note {n}: {words}."));
        self.save(&path);
        format!("text {path}")
    }
}

/// The text of `doc` at `path` with one field set differently.
fn with(doc: &Doc, path: &str, key: &str, value: Option<&str>) -> Vec<u8> {
    let mut doc = doc.clone();
    doc.set(key, value);
    doc.render(path).into_bytes()
}

/// `alias-3.md` → `alias-<n>.md`: a renamed file keeps its kind of name.
fn renamed(name: &str, n: u32) -> String {
    let (base, ext) = match name.split_once('.') {
        Some((b, e)) => (b, format!(".{e}")),
        None => (name, String::new()),
    };
    let kind = base
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches('-');
    format!("{kind}-{n}{ext}")
}
