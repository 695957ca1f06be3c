//! The served site against a fresh build, byte for byte.
//!
//! The one difference serve makes on purpose is the live-reload script,
//! which `base.html` adds right after the site's own script in serve mode
//! only. [`strip_live_reload`] removes exactly that line, and only where
//! the template puts it: a page without it, or with it anywhere else, is a
//! mismatch like any other.

use std::collections::BTreeMap;
use std::path::Path;

pub(crate) type Tree = BTreeMap<String, Vec<u8>>;

/// Every file under `dir`, or `None` if the folder changed under the walk
/// (a rebuild swapping it) or is not there.
pub(crate) fn snapshot(dir: &Path) -> Option<Tree> {
    let mut tree = Tree::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.ok()?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            tree.insert(rel, std::fs::read(entry.path()).ok()?);
        }
    }
    Some(tree)
}

/// A served file without the live-reload line serve adds to HTML pages.
pub(crate) fn strip_live_reload(path: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    if !path.ends_with(".html") {
        return Ok(bytes.to_vec());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    const END: &str = "__casebook/live.js\" defer></script>\n";
    let mut found = text.match_indices(END);
    let (Some((end, _)), None) = (found.next(), found.next()) else {
        return Err("not exactly one live-reload script".to_string());
    };
    let start = text[..end]
        .rfind("<script src=\"")
        .ok_or("no <script> around the live-reload script")?;
    let root = &text[start + "<script src=\"".len()..end];
    let own = format!("<script src=\"{root}assets/casebook.js\" defer></script>\n");
    let is_root = root == "/" || root.split("../").all(str::is_empty);
    if !is_root || !text[..start].ends_with(&own) {
        return Err(format!(
            "the live-reload script is not where base.html puts it (root {root:?})"
        ));
    }
    Ok([&text[..start], &text[end + END.len()..]]
        .concat()
        .into_bytes())
}

/// What differs between the served folder and the fresh build.
pub(crate) fn compare(served: &Tree, fresh: &Tree) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in served {
        match (fresh.get(path), strip_live_reload(path, bytes)) {
            (None, _) => problems.push(format!("{path}: served, not in a fresh build")),
            (Some(_), Err(why)) => problems.push(format!("{path}: {why}")),
            (Some(want), Ok(got)) if got != *want => {
                problems.push(format!("{path}: differs {}", first_difference(&got, want)))
            }
            _ => {}
        }
    }
    for path in fresh.keys().filter(|p| !served.contains_key(*p)) {
        problems.push(format!("{path}: in a fresh build, not served"));
    }
    problems
}

/// Fetches every file of the fresh build from the server.
pub(crate) fn compare_http(port: u16, fresh: &Tree) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, want) in fresh {
        let url = format!("/{}", encode(path));
        let (status, body) = crate::common::server::get_bytes(port, &url);
        match strip_live_reload(path, &body) {
            _ if status != 200 => problems.push(format!("GET {url}: status {status}")),
            Err(why) => problems.push(format!("GET {url}: {why}")),
            Ok(got) if got != *want => problems.push(format!(
                "GET {url}: differs {}",
                first_difference(&got, want)
            )),
            Ok(_) => {}
        }
    }
    problems
}

/// Where two versions first differ, with a little context.
fn first_difference(got: &[u8], want: &[u8]) -> String {
    let at = got
        .iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    let around = |b: &[u8]| {
        let from = at.saturating_sub(40);
        String::from_utf8_lossy(&b[from..(at + 60).min(b.len())]).replace('\n', "⏎")
    };
    format!(
        "at byte {at} (served {} bytes, fresh {}): served {:?}, fresh {:?}",
        got.len(),
        want.len(),
        around(got),
        around(want)
    )
}

/// Percent-encodes a path for a request line, keeping `/`.
fn encode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
