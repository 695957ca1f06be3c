//! Control characters and noncharacters pasted into a Markdown body (from a
//! PDF, a word processor, a terminal): no valid HTML page (the Nu HTML
//! Checker rejects them) or XML feed may hold them, so no output does, and
//! the build warns at the first one's line.

mod common;

use common::SiteTest;

/// Every kind: C0 controls, DEL, a C1 control, noncharacters of the BMP, of
/// an astral plane and of the U+FDD0 block, a form feed, a lone carriage
/// return; in a heading (the table of contents), a paragraph and a code block.
const BODY: &str = "## Results\u{1} here\n\nStart\u{1}of\u{B}text\u{7F} and\u{85}more\u{FFFE} end \u{FDD0}x\u{1FFFF}y\u{C}z\rlone CR.\n\n```\ncode\u{1}block\rnext\n```\n";

/// What the Nu HTML Checker and XML 1.0 refuse.
fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{FDD0}'..='\u{FDEF}')
        || (c as u32 & 0xFFFE) == 0xFFFE
}

#[test]
fn control_characters_in_a_body_never_reach_the_output() {
    let mut site = SiteTest::base();
    site.write(
        "content/case-studies/pasted.md",
        &format!(
            "---\ntitle: Pasted text\nsummary: Copied from a PDF.\ndate: 2030-01-01\n---\n{BODY}"
        ),
    );
    site.write(
        "content/pages/pasted.md",
        &format!("---\ntitle: Pasted page\n---\n{BODY}"),
    );
    site.build(&[]).assert_code(0).assert_stderr(&[
        "content/case-studies/pasted.md:6:11: warning: the text contains the invisible character U+0001; the page is built without it",
        "content/pages/pasted.md:4:11: warning:",
        "help: delete it from the file, or retype the text around it",
    ]);
    let files = site.tree("public");
    let mut checked = 0;
    for (path, bytes) in &files {
        let text_file = [".html", ".xml", ".json", ".csv", ".txt", ".js"]
            .iter()
            .any(|ext| path.ends_with(ext));
        if !text_file {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        if let Some(c) = text.chars().find(|&c| forbidden(c)) {
            panic!("{path} holds U+{:04X}", c as u32);
        }
        assert!(!text.contains('\r'), "{path} holds a carriage return");
        // JSON writes C0 controls as escapes: \u0001.
        for escape in ["\\u000", "\\u001", "\\u007f"] {
            assert!(!text.contains(escape), "{path} holds {escape}");
        }
        checked += 1;
    }
    assert!(checked > 100, "only {checked} files checked");
    let page = site.output("case-studies/pasted/index.html");
    for kept in [
        "Results here",
        "Startof text and more end xy z",
        "codeblock\nnext",
    ] {
        assert!(page.contains(kept), "case page lacks {kept:?}");
    }
    assert!(site.output("atom.xml").contains("Pasted text"));
    assert!(site.output("pasted/index.html").contains("Startof text"));
    site.check(&["--strict"])
        .assert_code(1)
        .assert_stderr(&["content/case-studies/pasted.md:6:11: warning:"]);
}
