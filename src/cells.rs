//! Cells: how a list is written in one spreadsheet cell, and read back.
//!
//! catalogue.csv writes each list (partners, places, a facet's codes) in one
//! cell, its items joined with `"; "`, and `casebook import` reads such cells
//! back, from the catalogue or from another database's export (which may
//! join with `,`). Joining alone loses an item that contains the separator
//! ("Ministry of Labour; Employment" would come back as two partners), so an
//! item that contains the separator, or starts with a double quote, is
//! written in double quotes, with each `"` inside doubled: the rule a CSV
//! file applies to its own cells, applied once more inside the cell. Both
//! directions live here so that they cannot drift apart.
//!
//! A link is one item, written `title <url>`.

use crate::content::Link;

/// The separator catalogue.csv joins items with, and the default of import.
pub const SEPARATOR: &str = "; ";

/// `items` as one cell: joined with [`SEPARATOR`], each item that needs it
/// quoted (see the module doc).
pub fn join(items: &[String]) -> String {
    let separator = SEPARATOR.trim();
    let quoted: Vec<String> = items.iter().map(|i| quote(i, separator)).collect();
    quoted.join(SEPARATOR)
}

/// `item` as written in a cell whose items are joined with `separator`.
fn quote(item: &str, separator: &str) -> String {
    if item.contains(separator) || item.starts_with('"') {
        format!("\"{}\"", item.replace('"', "\"\""))
    } else {
        item.to_string()
    }
}

/// The items of a cell joined with `separator` (white space around an item
/// ignored, empty items dropped), an item in double quotes read as one
/// item whatever it contains, `""` inside it as `"`. A quote that is never
/// closed runs to the end of the cell. An empty separator splits nothing.
pub fn split(cell: &str, separator: &str) -> Vec<String> {
    let separator = match separator.trim() {
        "" if separator.is_empty() => return split_whole(cell),
        "" => separator,
        trimmed => trimmed,
    };
    let mut items = Vec::new();
    let mut rest = cell.trim_start();
    while !rest.is_empty() {
        let (item, after) = match rest.strip_prefix('"') {
            Some(quoted) => unquote(quoted, separator),
            None => match rest.find(separator) {
                Some(at) => (rest[..at].to_string(), &rest[at + separator.len()..]),
                None => (rest.to_string(), ""),
            },
        };
        let item = item.trim();
        if !item.is_empty() {
            items.push(item.to_string());
        }
        rest = after.trim_start();
    }
    items
}

/// The cell as one item, if it has any text.
fn split_whole(cell: &str) -> Vec<String> {
    let item = cell.trim();
    (!item.is_empty())
        .then(|| item.to_string())
        .into_iter()
        .collect()
}

/// A quoted item (its opening quote taken off) and what follows its
/// separator.
fn unquote<'a>(text: &'a str, separator: &str) -> (String, &'a str) {
    let mut item = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            item.push(c);
        } else if chars.peek().is_some_and(|&(_, next)| next == '"') {
            item.push('"');
            chars.next();
        } else {
            // Text between the closing quote and the separator is kept.
            let after = &text[i + 1..];
            return match after.find(separator) {
                Some(at) => (item + &after[..at], &after[at + separator.len()..]),
                None => (item + after, ""),
            };
        }
    }
    (item, "")
}

/// A link as one item: `title <url>`.
pub fn link_item(link: &Link) -> String {
    format!("{} <{}>", link.title, link.url)
}

/// A link read from an item: `title <url>`, or a bare URL (its own title).
pub fn parse_link(item: &str) -> Link {
    let item = item.trim();
    let parts = item
        .strip_suffix('>')
        .and_then(|rest| rest.rsplit_once(" <"));
    match parts {
        Some((title, url)) => Link {
            title: title.trim().to_string(),
            url: url.trim().to_string(),
        },
        None => Link {
            title: item.to_string(),
            url: item.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_items_are_joined_as_before() {
        assert_eq!(join(&strings(&["10.7", "17.18"])), "10.7; 17.18");
        assert_eq!(join(&[]), "");
    }

    #[test]
    fn an_item_with_the_separator_or_a_leading_quote_is_quoted() {
        let items = strings(&["Labour; Employment", "\"Quoted\" name", "Say \"hi\""]);
        let cell = join(&items);
        assert_eq!(cell, r#""Labour; Employment"; """Quoted"" name"; Say "hi""#);
        assert_eq!(split(&cell, SEPARATOR), items);
    }

    #[test]
    fn foreign_cells_split_on_their_separator() {
        assert_eq!(split("10.7, 17.18 ,", ","), strings(&["10.7", "17.18"]));
        assert_eq!(split("a;b", "; "), strings(&["a", "b"]));
        assert_eq!(split("\"a, b\", c", ","), strings(&["a, b", "c"]));
        assert_eq!(split("  ", ","), Vec::<String>::new());
        assert_eq!(split("a b", " "), strings(&["a", "b"]));
        assert_eq!(split(" a; b ", ""), strings(&["a; b"]));
        assert_eq!(
            split("\"never closed; x", ";"),
            strings(&["never closed; x"])
        );
    }

    #[test]
    fn links_read_back() {
        let link = Link {
            title: "Report <2017>".into(),
            url: "https://example.org/a?b=c".into(),
        };
        assert_eq!(parse_link(&link_item(&link)), link);
        let bare = parse_link("https://example.org/");
        assert_eq!(bare.title, bare.url);
    }
}
