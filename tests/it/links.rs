//! `pactline check --links` against a server on 127.0.0.1 that answers 200, 301, 302, 404
//! and 500, answers HEAD with 405 on one route, and never answers on another: which
//! warnings come out and where, the exit statuses, the cache, and that nothing but
//! `check --links` makes a request.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{TestSite, stderr};

/// The requests the server has seen: method and path, in order.
type Log = Arc<Mutex<Vec<(String, String)>>>;

/// A tiny HTTP/1.1 server on 127.0.0.1 with the routes the link check is tried on. Each
/// connection gets a thread; each answer closes its connection.
struct Server {
    port: u16,
    log: Log,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log: Log = Arc::default();
        let seen = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || answer(stream, port, &seen));
            }
        });
        Server { port, log }
    }

    fn requests(&self) -> Vec<(String, String)> {
        self.log.lock().unwrap().clone()
    }

    /// How many requests for `path` the server has seen.
    fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|(_, p)| p == path).count()
    }
}

fn answer(mut stream: TcpStream, port: u16, log: &Log) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    log.lock()
        .unwrap()
        .push((method.to_string(), path.to_string()));
    let (status, extra) = match (method, path) {
        (_, "/ok") => ("200 OK", String::new()),
        (_, "/moved") => ("301 Moved Permanently", "Location: /ok\r\n".to_string()),
        (_, "/temp") => (
            "302 Found",
            format!("Location: http://127.0.0.1:{port}/ok\r\n"),
        ),
        (_, "/gone") => ("404 Not Found", String::new()),
        (_, "/broken") => ("500 Internal Server Error", String::new()),
        ("HEAD", "/get-only") => ("405 Method Not Allowed", "Allow: GET\r\n".to_string()),
        ("GET", "/get-only") => ("200 OK", String::new()),
        (_, "/hang") => {
            // Holds the connection open without a word, longer than any test waits.
            std::thread::sleep(Duration::from_secs(30));
            return;
        }
        _ => ("404 Not Found", String::new()),
    };
    let body = "a page\n";
    let response = format!(
        "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
    if method == "GET" {
        let _ = stream.write_all(body.as_bytes());
    }
}

/// A port nothing listens on: bound, then let go.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The links fixture, its addresses pointed at `port` (and `closed` for a dead host).
fn site(port: u16, closed: u16) -> TestSite {
    let site = TestSite::fixture("links");
    for rel in ["content/_index.md", "content/sessions/01.md"] {
        let text = std::fs::read_to_string(site.path(rel)).unwrap();
        let text = (text.replace("PORT", &port.to_string())).replace("CLOSED", &closed.to_string());
        site.write(rel, &text);
    }
    site
}

/// Runs pactline in the site with `env` set and no proxy from the environment, so that
/// requests go straight to 127.0.0.1.
fn run(site: &TestSite, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pactline"));
    cmd.args(args).current_dir(&site.root);
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        cmd.env_remove(var).env_remove(var.to_lowercase());
    }
    cmd.env_remove("PACTLINE_LINK_CACHE");
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

/// `check --links --format json` (plus `extra`) with a one-second budget per address: the
/// diagnostics, the exit status and how long it took.
fn check_links(
    site: &TestSite,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Vec<Value>, i32, Duration) {
    let mut args = vec!["check", "--links", "--format", "json"];
    args.extend_from_slice(extra);
    let mut env = env.to_vec();
    env.push(("PACTLINE_LINK_TIMEOUT", "1"));
    let started = Instant::now();
    let out = run(site, &args, &env);
    let took = started.elapsed();
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let diags = (text.lines())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let status = out.status.code().unwrap();
    assert!(status == 0 || status == 1, "{}", stderr(&out));
    (diags, status, took)
}

/// Line and column (1-based, in characters) of the first `needle` in the site's `rel`.
fn position(site: &TestSite, rel: &str, needle: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {rel}"));
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() + 1;
    (line as u64, column as u64)
}

/// Each diagnostic as (code, line, column), sorted.
fn located(diags: &[Value]) -> Vec<(String, u64, u64)> {
    // The temporary site is not in a git repository: `check` notes so, and only that.
    let mut out: Vec<_> = (diags.iter())
        .filter(|d| d["severity"] != "note")
        .map(|d| {
            assert_eq!(d["severity"], "warning", "{d:#}");
            assert_eq!(d["file"], "content/sessions/01.md", "{d:#}");
            assert!(d["help"].as_str().is_some_and(|h| !h.is_empty()), "{d:#}");
            let n = |k: &str| d[k].as_u64().unwrap();
            (
                d["code"].as_str().unwrap().to_string(),
                n("line"),
                n("column"),
            )
        })
        .collect();
    out.sort();
    out
}

/// The diagnostics whose message mentions `needle`, `n` of them.
fn about<'a>(diags: &'a [Value], needle: &str, n: usize) -> Vec<&'a Value> {
    let found: Vec<&Value> = (diags.iter())
        .filter(|d| d["message"].as_str().unwrap().contains(needle))
        .collect();
    assert_eq!(found.len(), n, "{needle}: {diags:#?}");
    found
}

/// The message of the one diagnostic that mentions `needle`.
fn message<'a>(diags: &'a [Value], needle: &str) -> &'a str {
    about(diags, needle, 1)[0]["message"].as_str().unwrap()
}

#[test]
fn dead_and_moved_links_are_warned_of_where_they_are_written_and_answers_are_kept_a_day() {
    let server = Server::start();
    let closed = closed_port();
    let site = site(server.port, closed);
    let note = "content/sessions/01.md";
    let url = |path: &str| format!("http://127.0.0.1:{}{path}", server.port);

    // Neither plain `check` nor `build` asks anything of the network.
    let out = run(&site, &["check", "--strict", "--format", "json"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Only the note that the temporary site has no git history.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.lines().all(|l| l.contains("\"severity\":\"note\"")),
        "{stdout}"
    );
    let out = run(&site, &["build"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(server.requests(), [], "check and build made requests");

    let (diags, status, took) = check_links(&site, &[], &[]);
    assert_eq!(status, 0, "warnings only: {diags:#?}");
    // The route that never answers is given up on after the one second allowed.
    assert!(took < Duration::from_secs(6), "took {took:?}");
    let at = |needle: &str| position(&site, note, needle);
    let w = |code: &str, (line, column): (u64, u64)| (code.to_string(), line, column);
    let mut want = vec![
        w("PL1010", at(&url("/gone"))),
        w("PL1011", at(&url("/moved"))),
        w("PL1010", at("[the report]")),
        w("PL1010", at("[the stream]")),
        w("PL1011", at("![Photo]")),
        w("PL1010", at("[an old host]")),
    ];
    want.sort();
    // Exactly these: the introduction's 200, the 302 and the route that takes GET only give
    // no warning.
    assert_eq!(located(&diags), want, "{diags:#?}");

    // The source and the image that link the moved address both say where it went.
    let ok = url("/ok");
    for moved in about(&diags, &format!("`{}` moved permanently", url("/moved")), 2) {
        let text = moved["message"].as_str().unwrap();
        assert!(
            text.ends_with(&format!("moved permanently to `{ok}`")),
            "{moved:#}"
        );
        assert!(moved["help"].as_str().unwrap().contains(&ok), "{moved:#}");
        assert_eq!(moved["name"], "moved-link");
    }
    let gone = about(&diags, &url("/gone"), 1)[0];
    assert_eq!(gone["name"], "dead-link");
    let gone = gone["message"].as_str().unwrap();
    assert!(gone.starts_with("dead link: HTTP 404"), "{gone}");
    assert!(message(&diags, &url("/broken")).contains("HTTP 500"));
    assert!(message(&diags, &url("/hang")).contains("no answer within 1 s"));
    let refused = format!("http://127.0.0.1:{closed}/x");
    assert!(message(&diags, &refused).contains("connection refused"));

    // Each address was asked once, however often it is written; HEAD first, GET where HEAD
    // is refused, redirects followed.
    let requests = server.requests();
    let asked = |method: &str, path: &str| {
        requests
            .iter()
            .filter(|(m, p)| m == method && p == path)
            .count()
    };
    assert_eq!(asked("HEAD", "/moved"), 1, "{requests:?}");
    assert_eq!(
        (asked("HEAD", "/get-only"), asked("GET", "/get-only")),
        (1, 1),
        "{requests:?}"
    );
    assert_eq!(asked("HEAD", "/temp"), 1, "{requests:?}");
    // `/ok` is linked from the introduction, and reached by the two redirects.
    assert_eq!(asked("HEAD", "/ok"), 3, "{requests:?}");
    assert!(
        requests.iter().all(|(m, _)| m == "HEAD" || m == "GET"),
        "{requests:?}"
    );
    assert!(site.path(".pactline-cache/links.json").is_file());
    assert!(!site.out().join(".pactline-cache").exists());

    // Within the day, lasting answers come from the cache: only the failures are asked again.
    let before = server.requests().len();
    let (again, status, _) = check_links(&site, &["--strict"], &[]);
    assert_eq!(status, 1, "--strict fails on the warnings");
    assert_eq!(located(&again), located(&diags));
    let new: Vec<String> = server.requests()[before..]
        .iter()
        .map(|(_, p)| p.clone())
        .collect();
    let mut new_paths = new.clone();
    new_paths.sort();
    new_paths.dedup();
    assert_eq!(new_paths, ["/broken", "/hang"], "{new:?}");

    // The cache can be turned off for a run.
    let ok_before = server.count("/ok");
    let (_, status, _) = check_links(&site, &[], &[("PACTLINE_LINK_CACHE", "off")]);
    assert_eq!(status, 0);
    assert!(server.count("/ok") > ok_before);
}

#[test]
fn a_timeout_that_means_nothing_is_a_usage_error() {
    let site = TestSite::fixture("basic");
    let out = run(
        &site,
        &["check", "--links"],
        &[("PACTLINE_LINK_TIMEOUT", "soon")],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("PACTLINE_LINK_TIMEOUT"),
        "{}",
        stderr(&out)
    );
}
