//! Each record's history, read from git: temporary repositories made with the `git`
//! command at fixed dates, names and addresses (so every id is the same on every run),
//! built and read back through the parsed pages, the feed and `check`.

use std::path::{Path, PathBuf};

use pactline::engine::{Changes, Engine};
use pactline::output::{MemorySink, RenderOptions};
use pactline::site::{LoadOptions, Site};
use serde_json::Value;

use crate::support::{TestSite, attrs, commit, git, stderr, texts, tree};

const INDEX: &str = "---\ntitle: History WG\npartners:\n  - { name: India }\n  - { name: Russia }\nbase_url: https://example.org/wg/\nrepository: https://git.example.org/wg/site/\n---\nThe working group's timeline.\n";

fn note(n: u32, venue: &str) -> String {
    format!(
        "---\nsession: {n}\ndate: 2023-0{n}-10\nvenue: {venue}\nsources:\n  - {{ title: Report, url: \"https://example.org/r{n}\" }}\n---\nNotes of session {n}.\n"
    )
}

/// The three commits of the history test, newest last: (summary, date, full id).
struct Repo {
    site: TestSite,
    /// The repository's work tree: the site root's parent, so the site sits in `site/`.
    top: PathBuf,
    commits: Vec<(&'static str, &'static str, String)>,
}

/// A repository holding the site in `site/`: commit 1 adds notes A (session 1) and B
/// (session 2), commit 2 corrects A, a commit outside content/ follows, and commit 3
/// corrects B and A. Commit 3 is made at -04:00 late in the evening, after midnight UTC.
fn repository() -> Repo {
    let site = TestSite::fixture("basic");
    std::fs::remove_dir_all(site.path("content")).unwrap();
    let top = site.root.parent().unwrap().to_path_buf();
    site.write("content/_index.md", INDEX)
        .write("content/sessions/1.md", &note(1, "Hall A"))
        .write("content/sessions/2.md", &note(2, "Hall B"));
    git(&top, &["init", "--quiet"], "2024-03-01T10:00:00+05:30");
    std::fs::write(top.join("README.md"), "The site.\n").unwrap();
    let mut commits = Vec::new();
    let mut step = |message: &'static str, date: &'static str| {
        let id = commit(&top, message, date);
        commits.push((message, date, id));
    };
    step("Add the first two sessions", "2024-03-01T10:00:00+05:30");
    site.write("content/sessions/1.md", &note(1, "Hall C"));
    step(
        "Correct the venue of the 1st session <script>alert(1)</script>",
        "2024-04-02T09:30:00+03:00",
    );
    std::fs::write(top.join("README.md"), "The site, tidied.\n").unwrap();
    commit(&top, "Tidy the README", "2024-04-20T12:00:00+00:00");
    site.write("content/sessions/1.md", &note(1, "Hall D"))
        .write("content/sessions/2.md", &note(2, "Hall E"));
    step("Correct both venues", "2024-05-03T23:30:00-04:00");
    Repo { site, top, commits }
}

fn commit_url(id: &str) -> String {
    format!("https://git.example.org/wg/site/commit/{id}")
}

#[test]
fn each_session_page_lists_exactly_its_changes_newest_first() {
    let repo = repository();
    let site = &repo.site;
    site.built();
    let [first, second, third] = [0, 1, 2].map(|i| repo.commits[i].clone());

    let a = site.html("sessions/1/index.html");
    assert_eq!(
        attrs(&a, ".record-history li time", "datetime"),
        [third.1, second.1, first.1]
    );
    assert_eq!(
        texts(&a, ".record-history li .summary"),
        [third.0, second.0, first.0]
    );
    assert_eq!(
        texts(&a, ".record-history li"),
        [
            format!("3 May 2024 — {} commit {}", third.0, &third.2[..7]),
            format!("2 April 2024 — {} commit {}", second.0, &second.2[..7]),
            format!(
                "1 March 2024 — Record created: {} commit {}",
                first.0,
                &first.2[..7]
            ),
        ]
    );
    // A commit's summary is text: the script in one is shown, never run.
    assert!(texts(&a, ".record-history script").is_empty());
    assert_eq!(
        attrs(&a, ".record-history a.commit", "href"),
        [&third.2, &second.2, &first.2].map(|id| commit_url(id))
    );
    assert_eq!(texts(&a, ".last-changed"), ["Last changed: 3 May 2024"]);
    assert_eq!(attrs(&a, ".last-changed time", "datetime"), [third.1]);

    let b = site.html("sessions/2/index.html");
    assert_eq!(texts(&b, ".record-history li .summary"), [third.0, first.0]);
    assert_eq!(texts(&b, ".record-history strong"), ["Record created:"]);
    // The footer links the list of changes from every page.
    assert_eq!(
        attrs(
            &site.html("index.html"),
            ".site-footer a[href='/wg/changes/']",
            "href"
        )
        .len(),
        1
    );
}

#[test]
fn the_changes_page_and_feed_list_every_change_in_order() {
    let repo = repository();
    let site = &repo.site;
    site.built();
    let [first, second, third] = [0, 1, 2].map(|i| repo.commits[i].clone());

    let changes = site.html("changes/index.html");
    assert_eq!(
        attrs(&changes, ".site-changes > li > time", "datetime"),
        [third.1, second.1, first.1]
    );
    assert_eq!(
        texts(&changes, ".site-changes > li > .summary"),
        [third.0, second.0, first.0]
    );
    let records = |i: usize| {
        let css = format!(".site-changes > li:nth-child({i}) .records a");
        attrs(&changes, &css, "href")
    };
    assert_eq!(records(1), ["/wg/sessions/1/", "/wg/sessions/2/"]);
    assert_eq!(records(2), ["/wg/sessions/1/"]);
    assert_eq!(records(3), ["/wg/sessions/1/", "/wg/sessions/2/", "/wg/"]);
    assert_eq!(
        texts(&changes, ".site-changes > li:nth-child(3) .records li"),
        [
            "1st session — Record created",
            "2nd session — Record created",
            "Home page"
        ]
    );
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/wg/changes/</loc><lastmod>2024-05-03</lastmod>"),
        "{sitemap}"
    );
    let sums = std::fs::read_to_string(site.out().join("SHA256SUMS")).unwrap();
    assert!(sums.contains(" changes/feed.xml\n"), "{sums}");

    let xml = std::fs::read(site.out().join("changes/feed.xml")).unwrap();
    let feed = feed_rs::parser::parse(xml.as_slice()).unwrap();
    let entries: Vec<(String, String)> = (feed.entries.iter())
        .map(|e| {
            let title = e.title.as_ref().unwrap().content.clone();
            (title, e.updated.unwrap().to_rfc3339())
        })
        .collect();
    let utc = |date: &str| {
        (chrono::DateTime::parse_from_rfc3339(date).unwrap())
            .with_timezone(&chrono::Utc)
            .to_rfc3339()
    };
    assert_eq!(
        entries,
        [&third, &second, &first].map(|c| (c.0.to_string(), utc(c.1)))
    );
    let text = String::from_utf8(xml).unwrap();
    assert!(
        text.contains("<updated>2024-05-03T23:30:00-04:00</updated>"),
        "{text}"
    );
    assert!(text.contains(&format!(
        "<id>https://example.org/wg/changes/#{}</id>",
        first.2
    )));
}

#[test]
fn building_the_same_repository_twice_gives_the_same_bytes() {
    let repo = repository();
    repo.site.built();
    let once = tree(&repo.site.out());
    std::fs::remove_dir_all(repo.site.out()).unwrap();
    repo.site.built();
    assert_eq!(
        once.keys().collect::<Vec<_>>(),
        tree(&repo.site.out()).keys().collect::<Vec<_>>()
    );
    assert!(once == tree(&repo.site.out()), "the second build differs");
    // The history sits in a repository whose work tree is the site's parent.
    assert!(repo.top.join(".git").is_dir());
}

/// `pactline check --format json`, parsed.
fn check_json(site: &TestSite, extra: &[&str]) -> (Vec<Value>, i32) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let out = site.run(&args);
    let diags = (String::from_utf8(out.stdout).unwrap().lines())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (diags, out.status.code().unwrap())
}

#[test]
fn check_says_nothing_of_history_when_there_is_one() {
    let repo = repository();
    let (diags, status) = check_json(&repo.site, &["--strict"]);
    assert!(!diags.iter().any(|d| d["code"] == "PL1012"), "{diags:#?}");
    assert_eq!(status, 0, "{diags:#?}");
}

#[test]
fn a_site_outside_any_repository_builds_without_history_and_check_says_so() {
    let site = TestSite::fixture("basic");
    site.built();
    let doc = site.html("sessions/1/index.html");
    assert!(texts(&doc, ".record-history, .last-changed").is_empty());
    assert!(!site.out().join("changes").exists());
    assert!(texts(&site.html("index.html"), ".site-footer a[href$='changes/']").is_empty());

    let (diags, status) = check_json(&site, &["--strict"]);
    let notes: Vec<&Value> = diags.iter().filter(|d| d["code"] == "PL1012").collect();
    assert_eq!(notes.len(), 1, "{diags:#?}");
    assert_eq!(notes[0]["severity"], "note");
    assert_eq!(notes[0]["name"], "no-history");
    let message = notes[0]["message"].as_str().unwrap();
    assert!(message.contains("not in a git repository"), "{message}");
    // A note fails nothing, not even `--strict`.
    assert_eq!(status, 0, "{diags:#?}");

    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert!(err.contains("note[PL1012 no-history]"), "{err}");
    assert!(err.contains("1 note(s)"), "{err}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_shallow_clone_builds_without_history_and_check_says_so() {
    let repo = repository();
    let clone = repo.top.join("clone");
    let source = format!("file://{}", repo.top.display());
    let date = "2024-06-01T00:00:00+00:00";
    git(
        &repo.top,
        &["clone", "--quiet", "--depth", "1", &source, "clone"],
        date,
    );
    let site = TestSite::at(clone.join("site"));
    site.built();
    let doc = site.html("sessions/1/index.html");
    assert!(texts(&doc, ".record-history, .last-changed").is_empty());
    assert!(!site.out().join("changes").exists());
    let (diags, status) = check_json(&site, &["--strict"]);
    let notes: Vec<&Value> = diags.iter().filter(|d| d["code"] == "PL1012").collect();
    assert_eq!(notes.len(), 1, "{diags:#?}");
    let message = notes[0]["message"].as_str().unwrap();
    assert!(message.contains("shallow clone"), "{message}");
    assert_eq!(status, 0);
}

#[test]
fn a_translated_page_shows_its_translation_s_changes_with_the_original_s() {
    let site = TestSite::fixture("i18n");
    let root = site.root.clone();
    git(&root, &["init", "--quiet"], "2025-01-01T00:00:00+00:00");
    let added = commit(&root, "Add the timeline", "2025-01-01T00:00:00+00:00");
    let ru = site.path("content/sessions/1.ru.md");
    let text = std::fs::read_to_string(&ru).unwrap();
    std::fs::write(&ru, text.replacen("\n---\n", "\n---\nИсправлено.\n\n", 1)).unwrap();
    let fixed = commit(&root, "Fix the Russian notes", "2025-02-01T00:00:00+00:00");
    site.built();
    let summaries = |page: &str| texts(&site.html(page), ".record-history li .summary");
    let both = ["Fix the Russian notes", "Add the timeline"];
    assert_eq!(summaries("ru/sessions/1/index.html"), both);
    assert_eq!(summaries("sessions/1/index.html"), ["Add the timeline"]);
    assert_eq!(summaries("ru/sessions/2/index.html"), ["Add the timeline"]);
    let listed = |page: &str| {
        attrs(
            &site.html(page),
            ".site-changes a.commit, .site-changes code.commit",
            "class",
        )
        .len()
    };
    assert_eq!(listed("ru/changes/index.html"), 2);
    assert_eq!(listed("changes/index.html"), 1);
    let ru_page = site.html("ru/sessions/1/index.html");
    assert_eq!(
        texts(&ru_page, ".last-changed"),
        ["Последнее изменение: 1 февраля 2025 г."]
    );
    assert_eq!(
        texts(&ru_page, ".record-history strong"),
        ["Запись создана:"]
    );
    // Without `repository`, an id is shown but not linked.
    assert_eq!(
        texts(&ru_page, ".record-history code.commit"),
        [
            format!("коммит {}", &fixed[..7]),
            format!("коммит {}", &added[..7])
        ]
    );
    let feed = std::fs::read(site.out().join("ru/changes/feed.xml")).unwrap();
    assert_eq!(
        feed_rs::parser::parse(feed.as_slice())
            .unwrap()
            .entries
            .len(),
        2
    );
}

/// What `build` publishes for the tree at `root`.
fn fresh(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let site = Site::load(root, &LoadOptions::default()).unwrap();
    let sink = MemorySink::default();
    site.render(&RenderOptions::default(), &sink).unwrap();
    sink.into_files()
}

/// Everything the dev server's engine serves, pending files rendered.
fn served(engine: &mut Engine) -> std::collections::BTreeMap<String, Vec<u8>> {
    engine.build().expect("the site builds");
    engine.materialize_all().expect("pending files render");
    (engine.output().iter())
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect()
}

#[test]
fn the_dev_server_reads_the_history_again_when_head_moves() {
    let repo = repository();
    let root = repo.site.root.clone();
    let mut engine = Engine::new(&root, LoadOptions::default(), RenderOptions::default());
    assert!(served(&mut engine) == fresh(&root));
    // An edit not committed yet: the page shows the history up to HEAD.
    let note = repo.site.path("content/sessions/2.md");
    std::fs::write(&note, self::note(2, "Hall F")).unwrap();
    engine.apply(&Changes {
        content: [note.clone()].into(),
        ..Changes::default()
    });
    let edited = served(&mut engine);
    assert!(edited == fresh(&root));
    // Committed: nothing below content/ changes, HEAD does.
    commit(
        &repo.top,
        "Correct the venue again",
        "2024-06-01T08:00:00+00:00",
    );
    let committed = served(&mut engine);
    assert!(committed == fresh(&root));
    assert!(committed["changes/index.html"] != edited["changes/index.html"]);
    let page = String::from_utf8(committed["sessions/2/index.html"].clone()).unwrap();
    assert!(page.contains("Correct the venue again"));
}
