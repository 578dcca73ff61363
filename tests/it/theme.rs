//! The default theme: its weight, the print page and the search index, and the checks in a
//! real browser (tests/browser/run.mjs: axe-core in headless Chromium in light and dark
//! colour schemes, keyboard use of the filter and search, the timeline without JavaScript,
//! screenshots, and the Nu HTML Checker), over the reference site and a 300-session corpus.
//!
//! The browser checks need chromium, node with `npm ci` run in tests/browser/, and java, so
//! they are `#[ignore]`d: `cargo test -- --include-ignored` (as `.ci/run` does) runs them,
//! failing when a tool is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use pactline::site::{self, BuildOptions};

use crate::support::{TestSite, attrs, commit, git, texts};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn theme_css_and_js_weigh_under_30_kb() {
    let dir = repo().join("themes/default/static");
    let mut total = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if matches!(p.extension().and_then(|e| e.to_str()), Some("css" | "js")) {
            total += std::fs::metadata(&p).unwrap().len();
        }
    }
    assert!(total > 0);
    assert!(total < 30 * 1024, "theme CSS + JS weigh {total} bytes");
}

#[test]
fn the_print_page_has_every_session_and_all_notes() {
    let site = TestSite::reference();
    site.built();
    let doc = site.html("print/index.html");
    assert_eq!(texts(&doc, "h1").len(), 1);
    let titles = texts(&doc, ".print-session > h2");
    assert_eq!(titles.len(), 11, "{titles:?}");
    assert_eq!(titles[10], "11th session");
    let notes = texts(&doc, ".print-session .notes").join(" ");
    assert!(notes.contains("Vanijya Bhawan"), "{notes}");
    // Heading ids of the notes are unique once every session shares one page.
    let ids = attrs(&doc, "[id]", "id");
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len());
    assert_eq!(attrs(&doc, "link[rel=stylesheet]", "href"), ["/style.css"]);
}

#[test]
fn the_search_index_is_split_into_small_files_per_language() {
    let site = TestSite::reference();
    site.built();
    for prefix in ["", "ru/", "hi/"] {
        let dir = site.out().join(format!("{prefix}search"));
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("meta.json")).unwrap()).unwrap();
        assert_eq!(meta["docs"], 11, "{prefix}");
        let mut files = 0;
        for entry in walkdir::WalkDir::new(&dir) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                files += 1;
                let size = entry.metadata().unwrap().len();
                assert!(size < 16 * 1024, "{}: {size} bytes", entry.path().display());
            }
        }
        assert!(files > 10, "{prefix}: {files} files");
    }
    // Every file of the index is in SHA256SUMS.
    let sums = std::fs::read_to_string(site.out().join("SHA256SUMS")).unwrap();
    assert!(sums.contains("search/meta.json") && sums.contains("ru/search/meta.json"));
    // The timeline works without the script: the finder is hidden until it runs.
    let doc = site.html("index.html");
    assert_eq!(
        attrs(&doc, "form#finder[hidden]", "data-search"),
        ["/search/"]
    );
    assert_eq!(attrs(&doc, "script[src]", "src"), ["/search.js"]);
    assert_eq!(texts(&doc, "ol.timeline > li").len(), 11);
    let ru = site.html("ru/index.html");
    assert_eq!(
        attrs(&ru, "form#finder[hidden]", "data-search"),
        ["/ru/search/"]
    );
}

/// Fails, naming what is missing, when the browser checks cannot run here.
fn require_browser_tools() {
    let node_modules = repo().join("tests/browser/node_modules");
    let mut missing = Vec::new();
    if !Path::new(&std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into())).exists() {
        missing.push("chromium (apt-get install chromium)");
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node");
    }
    if Command::new("java").arg("-version").output().is_err() {
        missing.push("java");
    }
    if !node_modules.join("puppeteer-core").exists() || !node_modules.join("vnu-jar").exists() {
        missing.push("tests/browser/node_modules (npm ci in tests/browser)");
    }
    assert!(
        missing.is_empty(),
        "browser checks need: {}",
        missing.join(", ")
    );
}

/// A large site, built into `dir/public`: 300 sessions from the shared corpus generator
/// (`../shared/bench/gen_corpus.py`, or `PACTLINE_GEN_CORPUS`), or, where that is not there,
/// from [`write_corpus`].
fn large_site(dir: &Path) -> PathBuf {
    let generator = repo().join(
        std::env::var("PACTLINE_GEN_CORPUS").unwrap_or("../shared/bench/gen_corpus.py".into()),
    );
    let site_root = dir.join("site");
    let generated = generator.exists()
        && Command::new("python3")
            .arg(&generator)
            .arg("300")
            .arg(&site_root)
            .args(["--format", "ours"])
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !generated {
        eprintln!("{} not usable: writing a corpus", generator.display());
        write_corpus(&site_root, 300);
    }
    site::build(&BuildOptions {
        root: site_root,
        output: dir.join("public"),
        load: Default::default(),
        render: Default::default(),
    })
    .unwrap_or_else(|e| panic!("the large fixture does not build: {e}"));
    dir.join("public")
}

/// `n` sessions over many years, every seventh with its record pending.
pub fn write_corpus(root: &Path, n: u32) {
    const SECTORS: [&str; 8] = [
        "mining",
        "steel",
        "aviation",
        "fertilizers",
        "railways",
        "chemicals",
        "coal",
        "textiles",
    ];
    let sessions = root.join("content/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Large test timeline\npartners:\n  - { name: India, color: \"#FF9933\" }\n  - { name: Russia }\nbase_url: https://example.org/\nlanguage: en\n---\nA generated timeline.\n",
    )
    .unwrap();
    for i in 1..=n {
        let front = if i % 7 == 3 {
            String::new()
        } else {
            let (a, b) = (SECTORS[i as usize % 8], SECTORS[(i as usize * 3 + 1) % 8]);
            format!(
                "date: {}-{:02}-{:02}\ncity: City {}\nco_chairs:\n  - {{ name: Chair A{i}, partner: India }}\n  - {{ name: Chair B{i}, partner: Russia }}\nsectors: [{a}, {b}]\nsources:\n  - {{ title: Minutes {i}, url: \"https://example.org/{i}.pdf\" }}\n",
                1950 + i / 4,
                1 + i % 12,
                1 + i % 28,
                i % 40
            )
        };
        let body = format!(
            "The delegations reviewed cooperation in session {i}, marker{i}word.\n\n## Outcome\n\nThey agreed to meet again.\n"
        );
        std::fs::write(
            sessions.join(format!("{i:04}.md")),
            format!("---\nsession: {i}\n{front}---\n{body}"),
        )
        .unwrap();
    }
}

#[test]
#[ignore = "needs chromium, node, java and `npm ci` in tests/browser; .ci/run runs it (cargo test -- --include-ignored)"]
fn the_theme_passes_axe_and_the_html_checker_in_chromium() {
    require_browser_tools();
    let reference = committed_reference();
    reference.built();
    let large = tempfile::tempdir().unwrap();
    let large_out = large_site(large.path());
    let out = repo().join("target/screenshots");
    let status = Command::new("node")
        .current_dir(repo().join("tests/browser"))
        .arg("run.mjs")
        .arg("--screenshots")
        .arg("--out")
        .arg(&out)
        .arg(format!("reference={}", reference.out().display()))
        .arg(format!("large={}", large_out.display()))
        .status()
        .unwrap();
    assert!(status.success(), "browser checks failed (see above)");
}

/// The reference site in a repository of its own, with one correction, so that the browser
/// checks read the history of the records and `/changes/` too.
fn committed_reference() -> TestSite {
    let site = TestSite::reference();
    let index = std::fs::read_to_string(site.path("content/_index.md")).unwrap();
    let linked = index.replacen(
        "---\n",
        "---\nrepository: https://example.org/repository\n",
        1,
    );
    site.write("content/_index.md", &linked);
    git(
        &site.root,
        &["init", "--quiet"],
        "2025-08-01T10:00:00+05:30",
    );
    commit(
        &site.root,
        "Add the reference timeline",
        "2025-08-01T10:00:00+05:30",
    );
    let note = site.path("content/sessions/11.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, format!("{text}\nCorrected after the session.\n")).unwrap();
    commit(
        &site.root,
        "Correct the 11th session's notes",
        "2025-08-20T18:00:00+03:00",
    );
    site
}

#[test]
fn the_committed_reference_site_shows_its_history() {
    let site = committed_reference();
    site.built();
    let doc = site.html("sessions/11/index.html");
    assert_eq!(texts(&doc, ".record-history li").len(), 2);
    assert_eq!(
        texts(&site.html("ru/changes/index.html"), ".site-changes > li").len(),
        2
    );
}

#[test]
fn the_written_corpus_builds() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(&dir.path().join("site"), 30);
    let report = site::build(&BuildOptions {
        root: dir.path().join("site"),
        output: dir.path().join("public"),
        load: Default::default(),
        render: Default::default(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.sessions, 30);
}
