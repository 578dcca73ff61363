//! `pactline serve` end to end: the binary on port 0 against a copy of the `basic` fixture,
//! fetched over plain HTTP, with the live-reload event stream read as a browser would.
//! Also the incremental rebuild compared byte for byte with a full build.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pactline::engine::{Changes, Engine};
use pactline::output::{MemorySink, RenderOptions};
use pactline::site::{LoadOptions, Site};

use crate::support::TestSite;

/// Generous: CI machines are slow, and nothing here measures speed.
pub const WAIT: Duration = Duration::from_secs(30);

/// A running `pactline serve`, killed on drop.
pub struct Server {
    child: Child,
    pub url: String,
    pub stderr: Arc<Mutex<String>>,
    /// With `--edit`: the editor's address and token, as printed.
    pub editor: Option<String>,
}

impl Server {
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pactline"))
            .args(["serve", "--root"])
            .arg(root)
            .args(extra)
            .args(if extra.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pactline serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}: {}", stderr.lock().unwrap()))
            .to_string();
        let mut editor = None;
        if extra.contains(&"--edit") {
            let mut line = String::new();
            out.read_line(&mut line).unwrap();
            editor = line
                .strip_prefix("editor at ")
                .map(|a| a.trim().to_string());
            assert!(editor.is_some(), "no editor address in {line:?}");
        }
        Server {
            child,
            url,
            stderr,
            editor,
        }
    }

    /// Waits until the server has printed `text` on stderr.
    pub fn wait_stderr(&self, text: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.stderr.lock().unwrap().contains(text) {
            assert!(
                Instant::now() < deadline,
                "the server never said {text:?}:\n{}",
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn get(&self, path: &str) -> Response {
        get(&self.url, path)
    }

    /// Opens the event stream; events arrive on the receiver as (name, data).
    pub fn events(&self) -> Events {
        let (tx, rx) = channel();
        let mut stream = connect(&self.url);
        write!(
            stream,
            "GET /__pactline/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            host(&self.url)
        )
        .unwrap();
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.trim().to_string();
                } else if let Some(d) = line.strip_prefix("data: ")
                    && tx.send((name.clone(), d.to_string())).is_err()
                {
                    return;
                }
            }
        });
        let events = Events(rx, self.stderr.clone());
        // The subscription is live once the server has answered; give it a moment.
        std::thread::sleep(Duration::from_millis(200));
        events
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Events(Receiver<(String, String)>, Arc<Mutex<String>>);

impl Events {
    /// Waits for the next event named `name`, skipping others; returns its data.
    pub fn wait_for(&self, name: &str) -> String {
        let deadline = Instant::now() + WAIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.0.recv_timeout(left) {
                Ok((n, data)) if n == name => return data,
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        panic!(
            "no `{name}` event within {WAIT:?}; the server said:\n{}",
            self.1.lock().unwrap()
        );
    }
}

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// `127.0.0.1:PORT` of `http://127.0.0.1:PORT/`.
pub fn host(url: &str) -> &str {
    url.trim_start_matches("http://").trim_end_matches('/')
}

pub fn connect(url: &str) -> TcpStream {
    let stream = TcpStream::connect(host(url)).unwrap();
    stream.set_read_timeout(Some(WAIT * 2)).unwrap();
    stream
}

/// A raw GET: `path` is sent exactly as given, so traversal attempts reach the server.
pub fn get(url: &str, path: &str) -> Response {
    request(
        url,
        &format!("GET {path} HTTP/1.1\r\nHost: {}\r\n", host(url)),
    )
}

/// Sends `head` (a request line and headers, each ending in CRLF) and reads the answer.
pub fn request(url: &str, head: &str) -> Response {
    send(url, head, "")
}

/// Sends `head` and then `body`, and reads the answer.
pub fn send(url: &str, head: &str, body: &str) -> Response {
    let mut stream = connect(url);
    write!(stream, "{head}Connection: close\r\n\r\n{body}").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        head: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

/// Polls `path` until its body satisfies `ok`.
pub fn eventually(server: &Server, path: &str, ok: impl Fn(&Response) -> bool) -> Response {
    let deadline = Instant::now() + WAIT;
    loop {
        let r = server.get(path);
        if ok(&r) {
            return r;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never changed: {}",
            r.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_pages_with_types_index_and_404() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.head.contains("content-type: text/html; charset=utf-8"));
    assert!(
        home.body.contains("/__pactline/reload.js"),
        "script injected"
    );
    assert!(
        server
            .get("/__pactline/reload.js")
            .body
            .contains("/__pactline/events")
    );
    assert!(
        home.body.contains(&format!("href=\"{}sessions/1/\"", "/"))
            || home.body.contains("sessions/1/")
    );
    assert_eq!(server.get("/sessions/1/").status, 200);
    // Files rendered on first request: the print page (also without its slash), the
    // exports, and the checksums of everything.
    let print = server.get("/print/");
    assert_eq!(print.status, 200);
    assert!(print.body.contains("1st session"));
    assert_eq!(server.get("/print").status, 308);
    let json = server.get("/timeline.json");
    assert!(json.head.contains("content-type: application/json"));
    let parsed: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert!(parsed["sessions"].is_array());
    // The search index as build writes it: any of its files renders the whole index.
    let bucket = server.get("/search/postings/0.json");
    assert_eq!(bucket.status, 200);
    let meta = server.get("/search/meta.json");
    let meta: serde_json::Value = serde_json::from_str(&meta.body).unwrap();
    assert!(meta["docs"].as_u64().unwrap() > 0);
    assert_eq!(server.get("/search/postings/99999.json").status, 404);
    let sums = server.get("/SHA256SUMS");
    assert_eq!(sums.status, 200);
    assert!(sums.body.contains("  timeline.json\n") && sums.body.contains("  print/index.html\n"));
    assert!(sums.body.contains("  search/meta.json\n"));
    let redirect = server.get("/sessions/1");
    assert_eq!(redirect.status, 308);
    assert!(redirect.head.contains("location: /sessions/1/"));
    let css = server.get("/style.css");
    assert!(css.head.contains("content-type: text/css"));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "the site's 404 page");
    assert!(
        !site.path("public").exists(),
        "serve writes nothing to disk"
    );
}

#[test]
fn path_traversal_is_refused() {
    let site = TestSite::fixture("basic");
    site.write("secret.txt", "top secret");
    let server = Server::start(&site.root, &[]);
    for path in [
        "/../secret.txt",
        "/sessions/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/content/_index.md",
        "/etc/passwd",
    ] {
        let r = server.get(path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        assert!(
            !r.body.contains("top secret") && !r.body.contains("root:"),
            "{path}"
        );
    }
}

#[test]
fn edits_deletions_and_errors_reach_the_browser() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &[]);
    let events = server.events();

    let note = site.path("content/sessions/02.md");
    let text = std::fs::read_to_string(&note).unwrap();
    let edited = text.replacen(
        "session: 2\n",
        "session: 2\ntitle: Renamed second meeting\n",
        1,
    );
    assert_ne!(text, edited, "fixture note 02.md starts with `session: 2`");
    // An editor's atomic save: write a temporary file, then rename it over the note.
    site.write("content/sessions/.02.md.swp", "swap");
    site.write("content/sessions/02.md.tmp", &edited);
    std::fs::rename(site.path("content/sessions/02.md.tmp"), &note).unwrap();
    events.wait_for("reload");
    let page = eventually(&server, "/sessions/2/", |r| {
        r.body.contains("Renamed second meeting")
    });
    assert_eq!(page.status, 200);
    assert!(server.get("/").body.contains("Renamed second meeting"));

    site.remove("content/sessions/04.md");
    events.wait_for("reload");
    eventually(&server, "/sessions/4/", |r| r.status == 404);
    assert!(!server.get("/").body.contains("Fourth session: rails"));

    std::fs::write(&note, "---\nsession: [\n---\n").unwrap();
    let error = events.wait_for("error");
    assert!(error.contains("content/sessions/02.md:2:"), "{error}");
    assert_eq!(
        server.get("/sessions/2/").status,
        200,
        "last good build kept"
    );
    // The terminal is read on another thread: it may lag the event a little.
    server.wait_stderr("content/sessions/02.md:2:");

    // Back to the last good text: nothing to reload, but the overlay must go.
    std::fs::write(&note, &edited).unwrap();
    events.wait_for("ok");
    assert_eq!(server.get("/sessions/2/").status, 200);
}

#[test]
fn a_new_note_appears_and_css_changes_swap_stylesheets() {
    let site = TestSite::fixture("basic");
    site.write("static/extra.css", "body { color: black }\n");
    let server = Server::start(&site.root, &[]);
    let events = server.events();
    site.write(
        "content/sessions/06.md",
        "---\nsession: 6\ntitle: A brand new session\n---\nNotes.\n",
    );
    events.wait_for("reload");
    eventually(&server, "/", |r| r.body.contains("A brand new session"));

    site.write("static/extra.css", "body { color: navy }\n");
    events.wait_for("css");
    assert!(server.get("/extra.css").body.contains("navy"));
}

#[test]
fn folders_created_after_the_start_are_watched() {
    let site = TestSite::fixture("basic");
    assert!(!site.path("static").exists() && !site.path("themes").exists());
    let server = Server::start(&site.root, &[]);
    let events = server.events();
    site.write("static/late.css", "body { color: teal }\n");
    eventually(&server, "/late.css", |r| {
        r.status == 200 && r.body.contains("teal")
    });
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}Gone for now.{% endblock content %}",
    );
    events.wait_for("reload");
    eventually(&server, "/no/such/page/", |r| {
        r.body.contains("Gone for now.")
    });
    // Files changed inside the new folders are picked up too.
    site.write("static/late.css", "body { color: maroon }\n");
    eventually(&server, "/late.css", |r| r.body.contains("maroon"));
}

#[test]
fn a_taken_port_moves_to_the_next_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &["--port", &port.to_string()]);
    assert!(
        !server.url.ends_with(&format!(":{port}/")),
        "{}",
        server.url
    );
    assert!(
        server
            .stderr
            .lock()
            .unwrap()
            .contains(&format!("port {port} is taken"))
    );
    assert_eq!(server.get("/").status, 200);
}

/// Full render of the site as it is on disk now, with the serve script.
fn full_build(root: &Path, load: &LoadOptions, render: &RenderOptions) -> Vec<(String, Vec<u8>)> {
    let site = Site::load(root, load).unwrap_or_else(|d| panic!("{:?}", d.0));
    let sink = MemorySink::default();
    site.render(render, &sink).unwrap();
    sink.into_files().into_iter().collect()
}

#[test]
fn incremental_rebuilds_equal_a_full_build_byte_for_byte() {
    let site = TestSite::fixture("basic");
    let load = LoadOptions {
        drafts: false,
        base_url: Some("http://127.0.0.1:1111/".into()),
    };
    let render = RenderOptions {
        inject_script: Some(pactline::serve::reload::script()),
        ..RenderOptions::default()
    };
    let mut builder = Engine::new(&site.root, load.clone(), render.clone());
    builder.build().unwrap();
    let p = |rel: &str| site.path(rel);
    let steps: Vec<Step> = vec![
        (
            "title",
            Box::new(|| {
                edit(
                    &p("content/sessions/01.md"),
                    "session: 1\n",
                    "session: 1\ntitle: First, renamed\n",
                )
            }),
            content(&[&p("content/sessions/01.md")]),
        ),
        (
            "body",
            Box::new(|| append(&p("content/sessions/02.md"), "\nA new closing paragraph.\n")),
            content(&[&p("content/sessions/02.md")]),
        ),
        (
            "body link",
            Box::new(|| {
                append(
                    &p("content/sessions/02.md"),
                    "\nSee [the first](@/sessions/01.md).\n",
                )
            }),
            content(&[&p("content/sessions/02.md")]),
        ),
        (
            "delete draft",
            Box::new(|| std::fs::remove_file(p("content/sessions/05.md")).unwrap()),
            content(&[&p("content/sessions/05.md")]),
        ),
        (
            "delete",
            Box::new(|| std::fs::remove_file(p("content/sessions/04.md")).unwrap()),
            content(&[&p("content/sessions/04.md")]),
        ),
        (
            "add",
            Box::new(|| {
                std::fs::write(
                    p("content/sessions/07.md"),
                    "---\nsession: 7\nsectors: [rail]\n---\nSeventh.\n",
                )
                .unwrap()
            }),
            content(&[&p("content/sessions/07.md")]),
        ),
        (
            "rename",
            Box::new(|| {
                std::fs::rename(p("content/sessions/07.md"), p("content/sessions/seven.md"))
                    .unwrap()
            }),
            content(&[
                &p("content/sessions/07.md"),
                &p("content/sessions/seven.md"),
            ]),
        ),
        (
            "folder",
            Box::new(|| {
                std::fs::rename(p("content/sessions/03"), p("content/sessions/third")).unwrap()
            }),
            content(&[&p("content/sessions/03"), &p("content/sessions/third")]),
        ),
        (
            "index",
            Box::new(|| append(&p("content/_index.md"), "\nMore introduction.\n")),
            content(&[&p("content/_index.md")]),
        ),
        (
            "template",
            Box::new(|| {
                std::fs::create_dir_all(p("themes/default/templates")).unwrap();
                std::fs::write(
                    p("themes/default/templates/404.html"),
                    "{% extends \"base.html\" %}{% block content %}Gone.{% endblock content %}",
                )
                .unwrap()
            }),
            Changes {
                theme: true,
                ..Changes::default()
            },
        ),
        (
            "static",
            Box::new(|| {
                std::fs::create_dir_all(p("static")).unwrap();
                std::fs::write(p("static/x.css"), "a{}").unwrap()
            }),
            Changes {
                theme: true,
                ..Changes::default()
            },
        ),
    ];
    for (i, (name, change, changes)) in steps.into_iter().enumerate() {
        change();
        builder.apply(&changes);
        builder
            .build()
            .unwrap_or_else(|d| panic!("{name}: {:?}", d.0));
        // Pending files render one by one as a browser asks for them, or all at once.
        if i % 2 == 0 {
            builder.materialize_all().unwrap();
        } else {
            for path in builder.pending() {
                builder
                    .materialize(&path)
                    .unwrap_or_else(|e| panic!("{name}: {path}: {e:?}"));
            }
        }
        assert!(builder.pending().is_empty(), "{name}");
        let served: Vec<(String, Vec<u8>)> = builder
            .output()
            .iter()
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect();
        let full = full_build(&site.root, &load, &render);
        let differing: Vec<&String> = served
            .iter()
            .zip(&full)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| &a.0)
            .collect();
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&served),
            names(&full),
            "step `{name}`: different files"
        );
        assert!(
            differing.is_empty(),
            "step `{name}` differs from a full build in {differing:?}"
        );
    }
    // A body edit renders that session's page only; the print page and the exports, which
    // carry every body, wait until asked for.
    append(&p("content/sessions/02.md"), "\nOne more closing line.\n");
    builder.apply(&content(&[&p("content/sessions/02.md")]));
    let delta = builder.build().unwrap();
    let rendered_html: Vec<&String> = delta
        .changed
        .iter()
        .filter(|p| p.ends_with(".html") && !builder.pending().contains(*p))
        .collect();
    assert_eq!(rendered_html, ["sessions/2/index.html"]);
    assert_eq!(delta.rendered, 1, "{delta:?}");
    let pending = builder.pending();
    for deferred in [
        "print/index.html",
        "search/meta.json",
        "timeline.json",
        "SHA256SUMS",
    ] {
        assert!(pending.contains(deferred), "{deferred} in {pending:?}");
        assert!(delta.changed.iter().any(|c| c == deferred), "{deferred}");
    }
    // Two edits in a row before anyone asks: the pending files render from the newest model.
    append(&p("content/sessions/01.md"), "\nAnother line.\n");
    builder.apply(&content(&[&p("content/sessions/01.md")]));
    builder.build().unwrap();
    let print = builder.materialize("print/index.html").unwrap();
    let full = full_build(&site.root, &load, &render);
    let expected = &full.iter().find(|f| f.0 == "print/index.html").unwrap().1;
    assert!(*print == **expected);
    builder.materialize_all().unwrap();
    let served: Vec<(String, Vec<u8>)> = (builder.output().iter())
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect();
    assert!(served == full, "after two pending edits");
    // A broken note keeps the last good output; fixing it rebuilds.
    let before = builder.output().clone();
    std::fs::write(p("content/sessions/01.md"), "---\nsession: [\n---\n").unwrap();
    builder.apply(&content(&[&p("content/sessions/01.md")]));
    assert!(builder.build().is_err());
    assert!(*builder.output() == before);
}

/// One edit of the incremental test: its name, the edit, and what the watcher would report.
type Step<'a> = (&'a str, Box<dyn Fn() + 'a>, Changes);

fn content(paths: &[&Path]) -> Changes {
    Changes {
        content: paths.iter().map(|p| p.to_path_buf()).collect(),
        ..Changes::default()
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn append(path: &Path, more: &str) {
    let mut text = std::fs::read_to_string(path).unwrap();
    text.push_str(more);
    std::fs::write(path, text).unwrap();
}

#[test]
fn binding_beyond_loopback_warns() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &["--bind", "0.0.0.0"]);
    server.wait_stderr("visible to other machines on the network");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_with_pages_open() {
    let site = TestSite::fixture("basic");
    let mut server = Server::start(&site.root, &[]);
    let _events = server.events();
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    server.wait_stderr("stopped");
}

/// Pending files are listed by the path they will render to: the path known before
/// rendering must be the one rendering gives, for every kind of page and language.
#[test]
fn every_page_renders_to_its_planned_path() {
    for fixture in ["basic", "i18n", "commitments"] {
        let site = TestSite::fixture(fixture);
        let loaded = Site::load(&site.root, &LoadOptions::default()).unwrap();
        let plan = pactline::output::plan(&loaded.timeline, &loaded.theme, &loaded.assets);
        for page in &plan {
            let sink = MemorySink::default();
            let failed = pactline::output::render_pages(
                &loaded.timeline,
                &loaded.theme,
                &loaded.assets,
                &RenderOptions::default(),
                (&plan, std::slice::from_ref(page)),
                &sink,
            );
            assert!(!failed.has_errors(), "{fixture}: {page:?}");
            let rendered: Vec<String> = sink.into_files().into_keys().collect();
            let planned = pactline::output::page_path(&loaded.timeline, &loaded.assets, page);
            if planned.ends_with(pactline::output::SEARCH_META) {
                // A search index is one page of many files, all in its folder.
                let folder = planned.trim_end_matches("meta.json");
                assert!(rendered.contains(&planned), "{fixture}: {page:?}");
                assert!(
                    rendered.iter().all(|f| f.starts_with(folder)),
                    "{fixture}: {page:?}"
                );
            } else {
                assert_eq!(rendered, [planned], "{fixture}: {page:?}");
            }
        }
    }
}
