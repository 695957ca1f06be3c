//! The preview's HTTP side: static files of the built site only, plus the
//! live-reload script and its event stream (server-sent events).
//!
//! Requests are decoded before they are checked, so `..` hidden as `%2e%2e`
//! or `%2f` cannot climb out of the site; every file served is resolved and
//! must lie inside the site folder (no symlink escapes either).

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server};

use crate::error::{Error, Result};

/// Worker threads answering requests (event streams get their own thread).
const WORKERS: usize = 4;
/// Ports tried after the asked one is found taken.
const PORT_ATTEMPTS: u16 = 10;

const LIVE_JS: &str = include_str!("live.js");

/// Binds `interface:port`, trying the next ports if it is taken.
/// Returns the server, its address and the asked port if another was used.
pub(super) fn bind(interface: &str, port: u16) -> Result<(Arc<Server>, SocketAddr, Option<u16>)> {
    let attempts = if port == 0 { 1 } else { PORT_ATTEMPTS };
    let mut last_error = String::new();
    for offset in 0..attempts {
        let candidate = port.saturating_add(offset);
        match Server::http((interface, candidate)) {
            Ok(server) => {
                let addr = server
                    .server_addr()
                    .to_ip()
                    .ok_or_else(|| Error::Usage("the server has no IP address".into()))?;
                let instead = (offset > 0).then_some(port);
                return Ok((Arc::new(server), addr, instead));
            }
            Err(e) => last_error = e.to_string(),
        }
    }
    Err(Error::Usage(format!(
        "cannot listen on {interface}:{port} (nor the {} ports after it): {last_error}; pass another --port",
        attempts - 1
    )))
}

/// Starts the worker threads.
pub(super) fn spawn(server: Arc<Server>, dir: PathBuf, broadcast: Arc<Broadcast>) {
    for _ in 0..WORKERS {
        let (server, dir, broadcast) = (Arc::clone(&server), dir.clone(), Arc::clone(&broadcast));
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                handle(request, &dir, &broadcast);
            }
        });
    }
}

fn handle(request: Request, dir: &Path, broadcast: &Arc<Broadcast>) {
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let response = match path.as_str() {
        "/__casebook/live.js" => Some(text(200, LIVE_JS, "text/javascript; charset=utf-8")),
        "/__casebook/events" => {
            stream_events(request, broadcast);
            return;
        }
        "/__casebook/status" => Some(text(200, &broadcast.status_json(), "application/json")),
        _ => None,
    };
    let response = response.unwrap_or_else(|| match resolve(dir, &path) {
        Resolved::File(file) => file_response(&file, 200),
        Resolved::Forbidden => text(
            403,
            "403 Forbidden: outside the site\n",
            "text/plain; charset=utf-8",
        ),
        Resolved::Missing => match dir.join("404.html") {
            p if p.is_file() => file_response(&p, 404),
            _ => text(
                404,
                "404 Not Found (the site has not been built: see the terminal)\n",
                "text/plain; charset=utf-8",
            ),
        },
    });
    let _ = request.respond(response);
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Resolved {
    /// A file of the site.
    File(PathBuf),
    /// A path trying to leave the site.
    Forbidden,
    /// Nothing there.
    Missing,
}

/// Maps a URL path to a file inside `dir`, refusing any escape.
pub(super) fn resolve(dir: &Path, url_path: &str) -> Resolved {
    let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8_lossy();
    let mut path = dir.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Resolved::Forbidden,
            s if s.contains(['\\', '\0', ':']) => return Resolved::Forbidden,
            s => path.push(s),
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    if !path.is_file() {
        return Resolved::Missing;
    }
    if super::is_inside(dir, &path) {
        Resolved::File(path)
    } else {
        Resolved::Forbidden
    }
}

fn text(status: u16, body: &str, content_type: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

fn file_response(path: &Path, status: u16) -> Response<std::io::Cursor<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Response::from_data(bytes)
            .with_status_code(status)
            .with_header(header("Content-Type", content_type(path)))
            .with_header(header("Cache-Control", "no-store")),
        Err(_) => text(404, "404 Not Found\n", "text/plain; charset=utf-8"),
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Fans out reload and problem events to every open page.
#[derive(Debug, Default)]
pub struct Broadcast {
    clients: Mutex<Vec<Sender<(String, String)>>>,
    problems: Mutex<Option<String>>,
}

impl Broadcast {
    /// Sends an event to every connected page (dropping closed ones).
    pub fn send(&self, event: &str, data: &str) {
        let mut clients = self.clients.lock().expect("clients lock");
        clients.retain(|c| c.send((event.to_string(), data.to_string())).is_ok());
    }

    /// Records current problems and shows them on every page.
    pub fn set_problems(&self, text: &str) {
        *self.problems.lock().expect("problems lock") = Some(text.to_string());
        self.send("problems", text);
    }

    /// The problems are fixed.
    pub fn clear_problems(&self) {
        *self.problems.lock().expect("problems lock") = None;
    }

    fn subscribe(&self) -> Receiver<(String, String)> {
        let (tx, rx) = channel();
        if let Some(p) = self.problems.lock().expect("problems lock").as_ref() {
            let _ = tx.send(("problems".into(), p.clone()));
        }
        self.clients.lock().expect("clients lock").push(tx);
        rx
    }

    fn status_json(&self) -> String {
        let problems = self.problems.lock().expect("problems lock").clone();
        serde_json::json!({ "problems": problems }).to_string()
    }
}

/// Holds the connection open and writes server-sent events as they come.
fn stream_events(request: Request, broadcast: &Arc<Broadcast>) {
    let events = broadcast.subscribe();
    let mut writer = request.into_writer();
    std::thread::spawn(move || {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n";
        if writer
            .write_all(head.as_bytes())
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
        loop {
            let chunk = match events.recv_timeout(Duration::from_secs(15)) {
                Ok((event, data)) => sse(&event, &data),
                Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if writer
                .write_all(chunk.as_bytes())
                .and_then(|_| writer.flush())
                .is_err()
            {
                return;
            }
        }
    });
}

/// One server-sent event; multi-line data becomes several `data:` lines.
fn sse(event: &str, data: &str) -> String {
    let mut out = format!("event: {event}\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes_in_any_encoding() {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("index.html"), "home").unwrap();
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/%2E%2E/%2e%2e/x",
            "/..%2fx",
            "/%5c..%5cx",
            "/a/../../x",
        ] {
            assert_eq!(resolve(site.path(), bad), Resolved::Forbidden, "{bad}");
        }
        assert_eq!(
            resolve(site.path(), "/"),
            Resolved::File(site.path().join("index.html"))
        );
        assert_eq!(resolve(site.path(), "/nope/"), Resolved::Missing);
    }

    #[test]
    fn events_split_lines() {
        assert_eq!(
            sse("problems", "a\nb"),
            "event: problems\ndata: a\ndata: b\n\n"
        );
    }
}
