//! Authoring and publishing: `init`, `new`, sub-path hosting and `--relative-urls`.

use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::support::{TestSite, stderr, tree};

fn pactline(args: &[&str], cwd: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_pactline"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

#[test]
fn init_then_build_then_check() {
    let dir = tempfile::tempdir().unwrap();
    let out = pactline(
        &[
            "init",
            "site",
            "--title",
            "India–Russia WG",
            "--partners",
            "India,Russia",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dir.path().join("site");
    for f in ["content/_index.md", "content/sessions/01.md", ".gitignore"] {
        assert!(site.join(f).is_file(), "{f}");
    }
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert_eq!(
        ignored.lines().collect::<Vec<_>>(),
        ["/public", "/.pactline-cache"]
    );
    assert!(
        !site.join("themes").exists(),
        "the embedded theme is enough"
    );
    let out = pactline(&["build"], &site);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join("public/sessions/1/index.html").is_file());
    let out = pactline(&["check", "--strict"], &site);
    assert!(
        out.status.success(),
        "the example note is clean: {}",
        stderr(&out)
    );
    let index = std::fs::read_to_string(site.join("content/_index.md")).unwrap();
    assert!(
        index.contains("\"India–Russia WG\"") && index.contains("\"Russia\""),
        "{index}"
    );
}

#[test]
fn init_refuses_a_non_empty_folder_and_can_copy_the_theme() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("full")).unwrap();
    std::fs::write(dir.path().join("full/keep.txt"), "x").unwrap();
    let out = pactline(&["init", "full"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(tree(&dir.path().join("full")).len(), 1);

    let out = pactline(&["init", "themed", "--theme"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dir.path().join("themed");
    assert!(site.join("themes/default/templates/session.html").is_file());
    assert!(site.join("themes/default/static/style.css").is_file());
    assert!(pactline(&["build"], &site).status.success());
}

#[test]
fn new_writes_the_next_note_with_open_commitments() {
    let site = TestSite::fixture("commitments");
    let out = site.run(&["new", "--date", "2024-02-02", "--city", "Pune"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = String::from_utf8(out.stdout).unwrap();
    assert!(path.trim().ends_with("content/sessions/8.md"), "{path}");
    let note = std::fs::read_to_string(site.path("content/sessions/8.md")).unwrap();
    assert!(note.starts_with("---\nsession: 8\n"), "{note}");
    assert!(
        note.contains("date: 2024-02-02") && note.contains("city: \"Pune\""),
        "{note}"
    );
    assert!(note.contains("id: quiet-one, status: agreed"), "{note}");
    assert!(note.contains("id: new-plan, status: in-progress"), "{note}");
    assert!(
        !note.contains("grid-link"),
        "completed commitments are not listed: {note}"
    );
    let out = site.run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the new note loads: {}",
        stderr(&out)
    );
    assert!(
        site.built()
            .html("sessions/8/index.html")
            .root_element()
            .html()
            .contains("8th session")
    );
}

#[test]
fn new_never_overwrites() {
    let site = TestSite::fixture("commitments");
    site.write(
        "content/sessions/8.md",
        "---\nsession: 7\ndraft: true\n---\nA stray copy.\n",
    );
    let out = site.run(&["new"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(site.path("content/sessions/8.md"))
            .unwrap()
            .contains("A stray copy.")
    );
    let out = site.run(&["new", "--date", "2024-13-01"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Serves `dir` under `prefix` on a free loopback port; returns the port.
fn serve_under_prefix(dir: PathBuf, prefix: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = answer(stream, &dir, prefix);
        }
    });
    port
}

fn answer(mut stream: TcpStream, dir: &Path, prefix: &str) -> std::io::Result<()> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let request = String::from_utf8_lossy(&raw);
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let file = path
        .strip_prefix(prefix)
        .filter(|p| !p.contains(".."))
        .map(|p| {
            let p = dir.join(p);
            if p.is_dir() { p.join("index.html") } else { p }
        });
    match file.and_then(|f| std::fs::read(f).ok()) {
        Some(body) => {
            write!(
                stream,
                "HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )?;
            stream.write_all(&body)
        }
        None => stream.write_all(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
    }
}

fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").as_bytes())
        .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, raw[split + 4..].to_vec())
}

/// Every URL a page links to (links, assets, feeds, redirects), resolved to a path.
fn links_of(page_path: &str, html: &str, base_url: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut urls = Vec::new();
    for (css, attr) in [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("img[src]", "src"),
        ("script[src]", "src"),
    ] {
        let sel = Selector::parse(css).unwrap();
        urls.extend(
            doc.select(&sel)
                .filter_map(|e| e.value().attr(attr).map(str::to_string)),
        );
    }
    let refresh = Selector::parse("meta[http-equiv=refresh]").unwrap();
    urls.extend(doc.select(&refresh).filter_map(|e| {
        e.value()
            .attr("content")?
            .split_once("url=")
            .map(|(_, u)| u.to_string())
    }));
    let origin = &base_url[..base_url[8..].find('/').map_or(base_url.len(), |i| i + 8)];
    urls.into_iter()
        .filter_map(|u| {
            let u = u.split('#').next().unwrap_or("").to_string();
            if u.is_empty() {
                None
            } else if let Some(rest) = u.strip_prefix(origin) {
                Some(rest.to_string())
            } else if u.starts_with("http") || u.starts_with("mailto:") {
                None
            } else if u.starts_with('/') {
                Some(u)
            } else {
                let dir = &page_path[..page_path.rfind('/').map_or(0, |i| i + 1)];
                Some(normalize(&format!("{dir}{u}")))
            }
        })
        .collect()
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn a_sub_path_site_has_no_broken_links_under_its_prefix() {
    let site = TestSite::fixture("basic");
    let base = "https://example.org/wg/timeline/";
    let out = site.run(&["build", "--base-url", base]);
    assert!(out.status.success(), "{}", stderr(&out));
    let port = serve_under_prefix(site.out(), "/wg/timeline/");
    // Start from the home page, plus the pages nothing links to: the 404 page and an alias.
    let mut queue: VecDeque<String> = ["", "404.html", "old/first/"]
        .iter()
        .map(|p| format!("/wg/timeline/{p}"))
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let (status, body) = get(port, &path);
        assert_eq!(status, 200, "{path} is broken");
        let is_html = path.ends_with('/') || path.ends_with(".html");
        if is_html {
            for link in links_of(&path, &String::from_utf8_lossy(&body), base) {
                assert!(
                    link.starts_with("/wg/timeline/"),
                    "{link} on {path} leaves the prefix"
                );
                queue.push_back(link);
            }
        }
    }
    assert!(seen.len() > 12, "crawled {seen:?}");
    assert!(seen.contains("/wg/timeline/old/first/"));
}

#[test]
fn relative_urls_work_from_disk() {
    let site = TestSite::fixture("basic");
    let out = site.run(&["build", "--relative-urls"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = tree(&site.out());
    let mut checked = 0;
    for (rel, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        // Canonical and feed URLs stay absolute by design; only the site's own links count.
        for link in links_of(rel, &html, "https://unrelated.invalid/") {
            assert!(
                !link.starts_with('/'),
                "{rel} has a root-relative link {link}"
            );
            assert!(
                files.contains_key(&link),
                "{rel} links to {link}, which is not a file"
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
}
