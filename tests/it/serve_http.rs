//! The dev server as a network service: which hosts it answers, the headers of every
//! answer, connections that never finish their headers, a closed terminal, watched folders
//! that go away and come back, and the last good build served while the site is broken.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::serve::{Server, WAIT, connect, eventually, host, request};
use crate::support::TestSite;

#[test]
fn only_the_preview_s_own_host_names_are_answered() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &[]);
    let port = host(&server.url).rsplit(':').next().unwrap().to_string();
    for ok in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let r = request(&server.url, &format!("GET / HTTP/1.1\r\nHost: {ok}\r\n"));
        assert_eq!(r.status, 200, "{ok}");
    }
    for path in ["/", "/__pactline/events", "/feed.xml"] {
        let r = request(
            &server.url,
            &format!("GET {path} HTTP/1.1\r\nHost: rebind.example:{port}\r\n"),
        );
        assert_eq!(r.status, 421, "{path}: {}", r.head);
    }
}

#[test]
fn answers_carry_security_headers_and_405_names_the_allowed_methods() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &[]);
    let page = server.get("/sessions/1/");
    assert_eq!(page.status, 200);
    assert!(
        page.head.contains("x-content-type-options: nosniff"),
        "{}",
        page.head
    );
    assert!(
        page.head.contains("referrer-policy: no-referrer"),
        "{}",
        page.head
    );
    let csp = (page.head.lines())
        .find_map(|l| l.strip_prefix("content-security-policy: "))
        .unwrap_or_else(|| panic!("no CSP: {}", page.head));
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    // The live-reload script is the server's own file, which that policy allows.
    assert!(
        page.body
            .contains("<script src=\"/__pactline/reload.js\"></script>")
    );
    assert!(
        server
            .get("/__pactline/reload.js")
            .body
            .contains("EventSource")
    );
    let post = request(
        &server.url,
        &format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\n",
            host(&server.url)
        ),
    );
    assert_eq!(post.status, 405);
    assert!(post.head.contains("allow: get, head"), "{}", post.head);
}

#[test]
fn a_connection_that_never_finishes_its_headers_is_closed() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &[]);
    let mut stream = connect(&server.url);
    write!(stream, "GET / HTTP/1.1\r\nHost: {}\r\n", host(&server.url)).unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    // Ends when the server closes the connection; a server that waits forever fails here
    // when the read times out.
    let _ = stream.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(waited < WAIT, "the connection was held {waited:?}");
    let answer = String::from_utf8_lossy(&answer);
    assert!(!answer.contains("200 OK"), "{answer}");
}

#[test]
fn a_closed_terminal_does_not_stop_rebuilding() {
    let site = TestSite::fixture("basic");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = Command::new(env!("CARGO_BIN_EXE_pactline"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&site.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::from(writer))
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_string();
    for n in 0..3 {
        let note = site.path("content/sessions/02.md");
        let text = std::fs::read_to_string(&note).unwrap();
        std::fs::write(&note, format!("{text}\nEdit number {n}.\n")).unwrap();
        let deadline = Instant::now() + WAIT;
        while !crate::serve::get(&url, "/sessions/2/")
            .body
            .contains(&format!("Edit number {n}."))
        {
            assert!(Instant::now() < deadline, "edit {n} never served");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn watching_survives_content_going_away_and_coming_back() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &[]);
    let events = server.events();
    std::fs::rename(site.path("content"), site.path("content-away")).unwrap();
    events.wait_for("error");
    std::fs::rename(site.path("content-away"), site.path("content")).unwrap();
    events.wait_for("reload");
    site.write(
        "content/sessions/02.md",
        "---\nsession: 2\ntitle: Back again\n---\nBack.\n",
    );
    eventually(&server, "/sessions/2/", |r| r.body.contains("Back again"));
}

#[test]
fn the_whole_last_good_build_is_served_while_the_site_is_broken() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &[]);
    let events = server.events();
    // A body edit leaves the print page and the exports to render on request.
    let note = site.path("content/sessions/02.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, format!("{text}\nA closing line.\n")).unwrap();
    events.wait_for("reload");
    std::fs::write(&note, "---\nsession: [\n---\n").unwrap();
    events.wait_for("error");
    for path in [
        "/print/",
        "/feed.xml",
        "/timeline.json",
        "/sessions.ics",
        "/SHA256SUMS",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
    }
    assert!(server.get("/print/").body.contains("A closing line."));
}

/// `build` whose terminal is gone exits 2, with no panic.
#[test]
fn build_to_a_closed_terminal_exits_2_without_a_panic() {
    let site = TestSite::fixture("basic");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_pactline"))
        .args(["build", "--root"])
        .arg(&site.root)
        .stderr(Stdio::from(writer))
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    site.write(
        "content/sessions/09.md",
        "---\nsession: 9\nsectr: [x]\n---\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_pactline"))
        .args(["check", "--format", "json", "--root"])
        .arg(&site.root)
        .stdout(Stdio::from(writer))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
