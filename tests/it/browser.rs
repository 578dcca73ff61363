//! A real browser against `pactline serve`: headless Chromium driven through WebDriver
//! (chromedriver, started here on a free port; the few WebDriver calls are plain HTTP).
//! The test only watches the page: the reload and the overlay must happen by themselves.
//! It needs Chromium and chromedriver, so it is `#[ignore]`d: `cargo test` lists it as not
//! run, and `cargo test -- --include-ignored` (as `.ci/run` does) runs it, failing without them.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::serve::{Server, WAIT};
use crate::support::TestSite;

fn find(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// The browser and its driver; a test that asked for them fails without them.
pub fn browser() -> (PathBuf, PathBuf) {
    let chromium = find("chromium").or_else(|| find("chromium-browser"));
    match (chromium, find("chromedriver")) {
        (Some(c), Some(d)) => (c, d),
        _ => panic!(
            "this test needs chromium and chromedriver (apt-get install chromium chromium-driver)"
        ),
    }
}

pub struct Driver {
    child: Child,
    base: String,
    session: String,
}

impl Driver {
    pub fn start(chromium: &PathBuf, chromedriver: &PathBuf, profile: &std::path::Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("127.0.0.1:{port}");
        let mut driver = Driver {
            child,
            base,
            session: String::new(),
        };
        let deadline = Instant::now() + WAIT;
        while driver.call("GET", "/status", None).is_none() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--user-data-dir={}", profile.display())],
            }
        }}});
        let created = driver
            .call("POST", "/session", Some(caps))
            .expect("new WebDriver session");
        driver.session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        driver
    }

    /// One WebDriver command; `None` if the driver cannot be reached.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
        let mut stream = TcpStream::connect(&self.base).ok()?;
        stream.set_read_timeout(Some(WAIT * 2)).ok()?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.base,
            body.len()
        )
        .ok()?;
        serde_json::from_slice(&read_body(&mut stream)?).ok()
    }

    pub fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, body)
            .unwrap_or_else(|| panic!("WebDriver {method} {path} failed"))
    }

    pub fn goto(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs `script` in the page and returns its value.
    pub fn eval(&self, script: &str) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )["value"]
            .clone()
    }

    /// Waits until `script` returns a string containing `want`.
    pub fn wait_for_text(&self, script: &str, want: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let got = self.eval(script).as_str().unwrap_or_default().to_string();
            if got.contains(want) {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed {want:?}; last: {got:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Reads one HTTP response's body by its Content-Length (chromedriver keeps connections
/// open, so reading to the end would wait for its timeout).
fn read_body(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        raw.extend_from_slice(&buf[..n]);
        let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())?;
        while raw.len() < end + 4 + len {
            let n = stream.read(&mut buf).ok()?;
            if n == 0 {
                return None;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        return Some(raw[end + 4..end + 4 + len].to_vec());
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const HEADING: &str = "return (document.querySelector('h1') || {}).textContent || ''";
const OVERLAY: &str =
    "return (document.getElementById('pactline-error-overlay') || {}).textContent || ''";

#[test]
#[ignore = "needs chromium and chromedriver; .ci/run runs it (cargo test -- --include-ignored)"]
fn the_browser_reloads_on_save_and_shows_errors() {
    let (chromium, chromedriver) = browser();
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &[]);
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver::start(&chromium, &chromedriver, profile.path());
    driver.goto(&format!("{}sessions/2/", server.url));
    driver.wait_for_text(HEADING, "2nd session");
    // Mark the page: a reload replaces the window's state, proving the browser reloaded.
    driver.eval("window.pactlineMarker = 1; return ''");

    let note = site.path("content/sessions/02.md");
    let text = std::fs::read_to_string(&note).unwrap();
    let edited = text.replacen(
        "session: 2\n",
        "session: 2\ntitle: Edited in the editor\n",
        1,
    );
    std::fs::write(&note, &edited).unwrap();
    driver.wait_for_text(HEADING, "Edited in the editor");
    assert_eq!(
        driver.eval("return String(window.pactlineMarker)"),
        "undefined"
    );

    std::fs::write(&note, "---\nsession: [\n---\n").unwrap();
    let overlay = driver.wait_for_text(OVERLAY, "content/sessions/02.md:2:");
    assert!(overlay.contains("PL0006"), "{overlay}");

    std::fs::write(&note, edited.replace("Edited in the editor", "Fixed again")).unwrap();
    driver.wait_for_text(HEADING, "Fixed again");
    assert_eq!(driver.eval(OVERLAY), "");
}
