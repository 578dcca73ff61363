//! `pactline serve --edit` over HTTP: the token, Host and Origin checks and the refusal of
//! every write outside content/ here; saves, checks and forms in [`forms`].

use crate::serve::{Response, Server, host, request, send};
use crate::support::TestSite;

/// A running editor, with its cookie once the token has been traded for it.
struct Editor {
    server: Server,
    host: String,
    cookie: String,
}

impl Editor {
    fn start(site: &TestSite) -> Editor {
        Editor::start_with(site, &[])
    }

    fn start_with(site: &TestSite, extra: &[&str]) -> Editor {
        let mut args = vec!["--edit"];
        args.extend_from_slice(extra);
        let server = Server::start(&site.root, &args);
        let address = server.editor.clone().expect("the editor's address");
        let host = host(&server.url).to_string();
        let path = address.split_once(&host).unwrap().1.to_string();
        let first = raw_get(&server, &host, &path, "");
        assert_eq!(first.status, 303, "{}", first.body);
        let cookie = (first.head.lines())
            .find_map(|l| l.strip_prefix("set-cookie: "))
            .expect("a cookie")
            .to_string();
        let cookie = cookie.split(';').next().unwrap().to_string();
        Editor {
            server,
            host,
            cookie,
        }
    }

    fn get(&self, path: &str) -> Response {
        raw_get(
            &self.server,
            &self.host,
            path,
            &format!("Cookie: {}\r\n", self.cookie),
        )
    }

    /// A POST from the editor's own page.
    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let origin = format!("Origin: http://{}\r\n", self.host);
        self.post_with(
            path,
            fields,
            &format!("{origin}Cookie: {}\r\n", self.cookie),
        )
    }

    /// Sends `text` for the note at `rel` to `/_edit/note/<action>` (`check`, `live` or
    /// `save`) as the note's form does, with the version `base` it was opened at.
    fn note(&self, action: &str, rel: &str, base: &str, text: &str) -> Response {
        let fields = [("file", rel), ("base", base), ("text", text)];
        self.post(&format!("/_edit/note/{action}"), &fields)
    }

    fn post_with(&self, path: &str, fields: &[(&str, &str)], headers: &str) -> Response {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        send(
            &self.server.url,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: {}\r\n{headers}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                self.host,
                body.len()
            ),
            &body,
        )
    }
}

fn raw_get(server: &Server, host: &str, path: &str, headers: &str) -> Response {
    request(
        &server.url,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}"),
    )
}

/// The hidden `base` of a note page.
fn base_of(page: &str) -> String {
    let at = page.find("name=\"base\" value=\"").expect("a base field") + 19;
    page[at..at + 64].to_string()
}

fn read(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.path(rel)).unwrap()
}

#[test]
fn the_editor_is_off_unless_asked_for() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &[]);
    assert!(server.editor.is_none());
    let r = server.get("/_edit/");
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(!r.body.contains("note-form"));
}

#[test]
fn the_editor_asks_for_its_token() {
    let site = TestSite::fixture("basic");
    let e = Editor::start(&site);
    let address = e.server.editor.clone().unwrap();
    let token = address.rsplit_once("token=").unwrap().1.to_string();
    assert_eq!(token.len(), 32, "{address}");
    assert!(address.starts_with(&format!("http://{}/_edit/", e.host)));
    for path in [
        "/_edit/",
        "/_edit/note?file=content%2Fsessions%2F01.md",
        "/_edit/new",
    ] {
        let r = raw_get(&e.server, &e.host, path, "");
        assert_eq!(r.status, 403, "{path} without the token");
        assert!(!r.body.contains("01.md"), "{path}: {}", r.body);
    }
    let wrong = format!("/_edit/?token={}", "0".repeat(32));
    assert_eq!(raw_get(&e.server, &e.host, &wrong, "").status, 403);
    let port = e.host.rsplit_once(':').unwrap().1;
    let forged = format!("Cookie: pactline_edit_{port}={}\r\n", "0".repeat(32));
    assert_eq!(raw_get(&e.server, &e.host, "/_edit/", &forged).status, 403);
    // The token becomes a cookie the page's scripts cannot read, sent to this site only.
    let first = raw_get(&e.server, &e.host, &format!("/_edit/?token={token}"), "");
    assert_eq!(first.status, 303);
    assert!(
        first.head.contains("location: /_edit/\r\n"),
        "{}",
        first.head
    );
    assert!(first.head.contains("httponly") && first.head.contains("samesite=strict"));
    let list = e.get("/_edit/");
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("content/sessions/01.md"),
        "{}",
        list.body
    );
    assert!(
        list.head.contains("frame-ancestors 'self'"),
        "{}",
        list.head
    );
    assert!(list.head.contains("x-frame-options: sameorigin"));
    assert!(list.head.contains("referrer-policy: same-origin"));
    assert!(
        list.body
            .contains("/_edit/note?file=content%2Fsessions%2F03%2Findex.md")
    );
    // The site itself needs no token.
    assert_eq!(e.server.get("/").status, 200);
}

#[test]
fn other_hosts_and_origins_are_refused() {
    let site = TestSite::fixture("basic");
    let e = Editor::start(&site);
    let port = e.host.rsplit_once(':').unwrap().1;
    let cookie = format!("Cookie: {}\r\n", e.cookie);
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "127.0.0.1:1".to_string(),
    ] {
        let r = raw_get(&e.server, &host, "/_edit/", &cookie);
        assert_eq!(r.status, 421, "Host: {host}");
    }
    assert_eq!(
        raw_get(&e.server, &format!("localhost:{port}"), "/_edit/", &cookie).status,
        200
    );
    let page = e.get("/_edit/note?file=content%2Fsessions%2F01.md");
    let before = read(&site, "content/sessions/01.md");
    let fields = [
        ("file", "content/sessions/01.md"),
        ("base", &base_of(&page.body)[..]),
        ("text", "---\nsession: 1\n---\nReplaced.\n"),
    ];
    let from = |origin: &str| format!("{origin}{cookie}");
    for (headers, why) in [
        (from("Origin: http://evil.example\r\n"), "another origin"),
        (
            from(&format!("Origin: http://evil.example:{port}\r\n")),
            "another host",
        ),
        (from("Origin: null\r\n"), "an opaque origin"),
        (cookie.clone(), "no Origin, Referer or Sec-Fetch-Site"),
        (from("Sec-Fetch-Site: cross-site\r\n"), "a cross-site fetch"),
        (
            from("Referer: http://evil.example/_edit/\r\n"),
            "a foreign referrer",
        ),
        (format!("Origin: http://{}\r\n", e.host), "no token"),
    ] {
        let r = e.post_with("/_edit/note/save", &fields, &headers);
        assert_eq!(r.status, 403, "{why}: {}", r.body);
        assert_eq!(read(&site, "content/sessions/01.md"), before, "{why}");
    }
    // A browser that sends no Origin on a same-origin POST still says where it came from.
    let same = from("Sec-Fetch-Site: same-origin\r\n");
    let r = e.post_with("/_edit/note/save", &fields, &same);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        read(&site, "content/sessions/01.md"),
        "---\nsession: 1\n---\nReplaced.\n"
    );
}

#[test]
fn nothing_is_written_outside_content() {
    let site = TestSite::fixture("basic");
    site.write("notes.md", "outside\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&site.root, site.path("content/up")).unwrap();
        std::os::unix::fs::symlink(site.path("notes.md"), site.path("content/sessions/09.md"))
            .unwrap();
    }
    let e = Editor::start(&site);
    for file in [
        "notes.md",
        "../notes.md",
        "content/../notes.md",
        "content/sessions/../../notes.md",
        "/etc/passwd.md",
        &format!("{}/notes.md", site.root.display()),
        "themes/default/templates/base.html",
        "content/sessions/01.txt",
        "content/sessions/.01.md",
        "content/up/notes.md",
        "content/sessions/09.md",
        "content/new-folder/01.md",
        "content\\sessions\\01.md",
    ] {
        for action in ["save", "check", "review"] {
            let r = e.post(
                &format!("/_edit/note/{action}"),
                &[
                    ("file", file),
                    ("base", ""),
                    ("text", "---\nsession: 9\n---\nx\n"),
                ],
            );
            assert_eq!(r.status, 403, "{action} {file}: {}", r.body);
        }
        let q: String = url::form_urlencoded::byte_serialize(file.as_bytes()).collect();
        assert_eq!(
            e.get(&format!("/_edit/note?file={q}")).status,
            403,
            "{file}"
        );
    }
    assert_eq!(read(&site, "notes.md"), "outside\n");
    assert!(!site.path("content/new-folder").exists());
    assert!(!site.root.parent().unwrap().join("notes.md").exists());
}

#[test]
fn an_editor_beyond_loopback_warns() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site.root, &["--edit", "--bind", "0.0.0.0"]);
    server.wait_stderr("the editor writes the notes and is reachable from other machines");
    let loopback = Server::start(&site.root, &["--edit"]);
    loopback.wait_stderr("rebuilt in");
    assert!(
        !loopback
            .stderr
            .lock()
            .unwrap()
            .contains("reachable from other machines")
    );
}

mod forms;
