//! A running `casebook serve` for tests: started on a site, its terminal
//! output read line by line, and raw HTTP requests to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use super::SiteTest;

/// A running `casebook serve`, killed on drop.
pub struct Server {
    pub child: Child,
    pub port: u16,
    /// What it printed up to "Serving at".
    pub said: Vec<String>,
    /// What it prints after that.
    pub log: Receiver<String>,
}

impl Drop for Server {
    /// Stops the server as Ctrl-C does, so that it removes its preview
    /// folder (a killed server leaves `casebook-serve-<pid>` in /tmp);
    /// kills it if it has not gone after a few seconds.
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let interrupted = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + Duration::from_secs(5);
        while interrupted && Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `casebook serve --port <port>` in the site and waits until it
/// listens.
pub fn start(site: &SiteTest, port: u16) -> Server {
    start_with(site, port, None)
}

/// Like [`start`], with the server's temporary folder (where it builds the
/// preview, `casebook-serve-<pid>`) set to `tmp`.
pub fn start_with(site: &SiteTest, port: u16, tmp: Option<&Path>) -> Server {
    launch(site, &["--port", &port.to_string()], tmp)
}

/// `casebook serve` on a free port with `options` (`--published-only`).
pub fn start_with_options(site: &SiteTest, options: &[&str]) -> Server {
    let args: Vec<&str> = ["--port", "0"].iter().chain(options).copied().collect();
    launch(site, &args, None)
}

fn launch(site: &SiteTest, args: &[&str], tmp: Option<&Path>) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_casebook"));
    command
        .arg("serve")
        .args(args)
        .current_dir(site.root())
        .stderr(Stdio::piped())
        .stdout(Stdio::null());
    if let Some(tmp) = tmp {
        command.env("TMPDIR", tmp);
    }
    let mut child = command.spawn().expect("serve starts");
    let (tx, log) = channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut said = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = log.recv_timeout(Duration::from_millis(200)) {
            said.push(line.clone());
            if let Some(rest) = line.split("Serving at http://127.0.0.1:").nth(1) {
                let port = rest.split('/').next().unwrap().parse().unwrap();
                return Server {
                    child,
                    port,
                    said,
                    log,
                };
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve did not start: {said:?}");
}

/// GET a path; returns (status, body). Raw HTTP so `..` is sent as written.
pub fn get(port: u16, path: &str) -> (u16, String) {
    let (status, body) = get_bytes(port, path);
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// GET a path; returns (status, body bytes). HTTP/1.0, so that the body is
/// never chunked and arrives exactly as the file holds it.
pub fn get_bytes(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response.get(split + 4..).unwrap_or_default().to_vec();
    (status, body)
}
