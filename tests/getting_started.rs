//! A newcomer's first steps: the "Next steps" `casebook init` prints are
//! shell lines that run as written, in order, from the folder `init` ran
//! in, whether `casebook` is on the `PATH` or not: a case study is written,
//! the check passes, the portal is built and then served.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use common::server::get;
use common::SiteTest;

/// A shell running a script in a process group of its own, stopped as
/// Ctrl-C stops it (every process of the group) when dropped.
struct Shell(Child);

impl Drop for Shell {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-INT", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// Runs `casebook init <dir>` in `site` with `PATH` set to `path`; returns
/// its standard output.
fn init(site: &SiteTest, dir: &str, path: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["init", dir])
        .env("PATH", path)
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The lines under "Next steps", as printed (comments included).
fn next_steps(stdout: &str) -> Vec<String> {
    let steps: Vec<String> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("Next steps"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect();
    assert!(!steps.is_empty(), "no next steps in:\n{stdout}");
    steps
}

/// Runs the steps as one `sh -e` script from the site's root; the last one
/// (`serve`) keeps running: returns the shell and the port it serves on.
fn run_steps(site: &SiteTest, steps: &[String], path: &Path) -> (Shell, u16, Vec<String>) {
    let script = format!("set -e\n{}\n", steps.join("\n"));
    let mut child = Command::new("/bin/sh")
        .args(["-c", &script])
        .env("PATH", path)
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut shell = Shell(child);
    let (tx, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut said = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = shell.0.try_wait() {
            panic!("the steps stopped ({status}) before serving:\n{script}\n{said:#?}");
        }
        let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        said.push(line.clone());
        if let Some(rest) = line.split("Serving at http://127.0.0.1:").nth(1) {
            let port = rest.split('/').next().unwrap().parse().unwrap();
            return (shell, port, said);
        }
    }
    panic!("serve did not start:\n{script}\n{said:#?}");
}

#[test]
fn init_next_steps_run_as_written() {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_casebook"));
    for on_path in [true, false] {
        let site = SiteTest::empty();
        // Without Casebook on it, the PATH is an empty folder: the steps
        // must name the binary itself.
        let path = if on_path {
            binary.parent().unwrap().to_path_buf()
        } else {
            let empty = site.path("no-programs");
            std::fs::create_dir(&empty).unwrap();
            empty
        };
        let stdout = init(&site, "my portal", &path);
        let steps = next_steps(&stdout);
        let program = if on_path {
            "casebook".to_string()
        } else {
            binary.display().to_string()
        };
        assert!(steps[0].starts_with("cd 'my portal' "), "{steps:#?}");
        assert!(steps
            .last()
            .unwrap()
            .starts_with(&format!("{program} serve ")));
        assert_eq!(stdout.contains("is not on your PATH"), !on_path, "{stdout}");

        let (shell, port, said) = run_steps(&site, &steps, &path);
        let (status, home) = get(port, "/");
        assert_eq!(status, 200, "{said:#?}");
        assert!(home.contains("Migration &amp; Development Good Practices"));
        let (status, _) = get(port, "/case-studies/title/");
        assert_eq!(status, 200, "the new case study is served");
        drop(shell);
        for written in [
            "my portal/content/case-studies/title.md",
            "my portal/public/case-studies/title/index.html",
        ] {
            assert!(site.path(written).is_file(), "{written}: {said:#?}");
        }
        assert!(
            said.iter()
                .any(|l| l == "checked 2 case studies, 1 page: 0 errors, 1 warning"),
            "{said:#?}"
        );
    }
}
