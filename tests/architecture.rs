//! The shape of the code, checked like behaviour: no two top-level modules
//! import each other (directly or through others), and no function in
//! `src/` is longer than a reader can hold at once.
//!
//! Both read the source text: a module's imports are the `crate::x` paths
//! in its files (outside `#[cfg(test)]` modules), and a function's length
//! runs from its `fn` line to the closing brace at the same indentation.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest function allowed, in lines.
const MAX_FUNCTION_LINES: usize = 60;

fn sources() -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    walkdir::WalkDir::new(&src)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e.path().strip_prefix(&src).unwrap().to_path_buf();
            let text = std::fs::read_to_string(e.path()).unwrap();
            (rel, text)
        })
        .collect()
}

/// The text before the file's `#[cfg(test)]` module, without comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file belongs to (`render/listing.rs` → `render`).
fn module_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Names after `crate::` in `code`, including each of `crate::{a, b::c}`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            names.extend(group.split(',').filter_map(|part| first_name(part.trim())));
        } else {
            names.extend(first_name(rest));
        }
    }
    names
}

fn first_name(path: &str) -> Option<String> {
    let name: String = path
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Top-level module → the top-level modules it imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let modules: BTreeSet<String> = files.iter().map(|(rel, _)| module_of(rel)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in &files {
        let from = module_of(rel);
        if from == "lib" || from == "main" {
            continue;
        }
        let to: Vec<String> = crate_paths(&code(text))
            .into_iter()
            .filter(|m| modules.contains(m) && *m != from)
            .collect();
        graph.entry(from).or_default().extend(to);
    }
    graph
}

/// A path from `from` back to `to`, if there is one.
fn path_back(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    to: &str,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if from == to {
        return Some(vec![to.to_string()]);
    }
    for next in graph.get(from).into_iter().flatten() {
        if seen.insert(next.clone()) {
            if let Some(mut path) = path_back(graph, next, to, seen) {
                path.insert(0, from.to_string());
                return Some(path);
            }
        }
    }
    None
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = imports();
    assert!(graph.len() > 10, "the source was read: {graph:?}");
    let mut circles = Vec::new();
    for (from, targets) in &graph {
        for to in targets {
            if let Some(back) = path_back(&graph, to, from, &mut BTreeSet::new()) {
                circles.push(format!("{from} -> {}", back.join(" -> ")));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_circle_check_finds_a_circle() {
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    let back = path_back(&graph, "b", "a", &mut BTreeSet::new());
    assert_eq!(back.unwrap(), ["b", "c", "a"]);
    let paths = crate_paths("use crate::{a, b::c};\nlet x = crate::d::e();");
    assert_eq!(paths, BTreeSet::from(["a", "b", "d"].map(String::from)));
}

/// (lines, file, name) of every function longer than `limit` lines.
fn long_functions(limit: usize) -> Vec<(usize, String, String)> {
    let mut long = Vec::new();
    for (rel, text) in sources() {
        let lines: Vec<&str> = text.split("#[cfg(test)]").next().unwrap().lines().collect();
        for (start, line) in lines.iter().enumerate() {
            let Some(name) = fn_name(line) else { continue };
            let indent = line.len() - line.trim_start().len();
            let Some(body) = lines[start..]
                .iter()
                .position(|l| l.trim_end().ends_with('{'))
            else {
                continue;
            };
            let closing = lines[start + body + 1..].iter().position(|l| {
                l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('}')
            });
            let length = closing.map_or(0, |c| body + c + 2);
            if length > limit {
                long.push((length, rel.display().to_string(), name));
            }
        }
    }
    long.sort_unstable_by(|a, b| b.cmp(a));
    long
}

/// `pub(crate) fn name(` → `name`; `None` for lines that declare no function.
fn fn_name(line: &str) -> Option<String> {
    let rest = line.trim_start();
    let rest = rest
        .strip_prefix("pub(crate) ")
        .or_else(|| rest.strip_prefix("pub(super) "))
        .or_else(|| rest.strip_prefix("pub "))
        .unwrap_or(rest);
    let rest = rest.strip_prefix("fn ")?;
    if line.trim_end().ends_with(';') {
        return None; // a trait method without a body
    }
    first_name(rest)
}

#[test]
fn no_function_is_longer_than_a_screen() {
    let long = long_functions(MAX_FUNCTION_LINES);
    let listed: Vec<String> = long
        .iter()
        .map(|(n, file, name)| format!("{n:4} lines  src/{file}  {name}"))
        .collect();
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines:\n{}",
        listed.join("\n")
    );
}
