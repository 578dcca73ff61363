//! Tests of the whole index: its files, and what queries against them find.

use std::path::Path;

use super::query::{Filter, run};
use super::*;
use crate::site::{LoadOptions, Site};

fn load(root: &Path) -> Timeline {
    match Site::load(root, &LoadOptions::default()) {
        Ok(site) => site.timeline,
        Err(diags) => panic!("{:?}", diags.0),
    }
}

fn reference() -> Timeline {
    load(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// A site of the given session notes (front matter lines, body) in a temporary folder.
fn site(sessions: &[(&str, &str)]) -> (tempfile::TempDir, Timeline) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("sessions")).expect("content folder");
    let index = "---\ntitle: WG\npartners:\n  - { name: Alpha }\n  - { name: Beta }\n---\n";
    std::fs::write(content.join("_index.md"), index).expect("index note");
    for (i, (front, body)) in sessions.iter().enumerate() {
        let n = i + 1;
        let note = format!("---\nsession: {n}\n{front}\n---\n{body}\n");
        std::fs::write(content.join(format!("sessions/{n:02}.md")), note).expect("note");
    }
    let t = load(dir.path());
    (dir, t)
}

fn small() -> (tempfile::TempDir, Timeline) {
    site(&[
        (
            "date: 2019-05-01\nsectors: [steel]",
            "The wind blew hard through the old tunnel.",
        ),
        (
            "date: 2020-06-02\nsectors: [aerospace]\ncommitments:\n  - { id: wt, title: Facility, \
             sectors: [aerospace], status: agreed }",
            "A new wind tunnel was opened. Policy on aircraft.",
        ),
        (
            "date: 2020-09-03\nsectors: [steel, aerospace]",
            "Tunnel, tunnel and more tunnels; then wind, wind.",
        ),
        ("sectors: [coal]", "Nothing about air. Policies on coal."),
    ])
}

fn ordinals(files: &BTreeMap<String, Vec<u8>>, q: &str, f: &Filter<'_>) -> Vec<u32> {
    run(files, q, f).docs.iter().map(|d| d + 1).collect()
}

#[test]
fn every_file_is_json() {
    let t = reference();
    for t in std::iter::once(&t).chain(&t.translations) {
        let files = build(t);
        assert!(
            files.contains_key("search/meta.json"),
            "{}",
            t.meta.language
        );
        for (path, bytes) in &files {
            let parsed: Result<serde_json::Value, _> = serde_json::from_slice(bytes);
            assert!(parsed.is_ok(), "{path} is not JSON");
        }
    }
}

#[test]
fn the_same_timeline_gives_the_same_bytes() {
    let t = reference();
    assert_eq!(build(&t), build(&t));
    let (_dir, small) = small();
    assert_eq!(build(&small), build(&small));
}

#[test]
fn meta_describes_the_index() {
    let (_dir, t) = small();
    let files = build(&t);
    let meta: serde_json::Value = serde_json::from_slice(&files["search/meta.json"]).unwrap();
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["lang"], "en");
    assert_eq!(meta["stemmer"], "english");
    assert_eq!(meta["docs"], 4);
    assert_eq!(meta["buckets"], 16);
    let f = &meta["filters"];
    assert_eq!(
        f["sector"][0],
        serde_json::json!(["aerospace", "Aerospace"])
    );
    assert_eq!(f["year"], serde_json::json!(["2019", "2020", "undated"]));
    assert_eq!(f["status"], serde_json::json!(["agreed"]));
    let docs: serde_json::Value = serde_json::from_slice(&files["search/docs/0.json"]).unwrap();
    assert_eq!(docs[0]["d"], "2019-05-01");
    assert_eq!(docs[3]["d"], serde_json::Value::Null);
    assert_eq!(docs[1]["u"], "sessions/2/");
    assert_eq!(docs[1]["o"], 2);
    assert!(files.contains_key("search/filter/year/undated.json"));
    assert!(!files.contains_key("search/filter/status/dropped.json"));
}

#[test]
fn a_phrase_ranks_first() {
    let (_dir, t) = small();
    let files = build(&t);
    let none = Filter::default();
    // 3 has both words more often, but only 2 has them side by side.
    assert_eq!(ordinals(&files, "wind tunnel", &none), [2, 3, 1]);
    assert_eq!(ordinals(&files, "Wind tunnels", &none), [2, 3, 1]);
    // Without a phrase the busier document leads; equal ones go newest first.
    assert_eq!(ordinals(&files, "tunnel wind", &none)[0], 3);
    assert_eq!(ordinals(&files, "blew", &none), [1]);
    assert_eq!(ordinals(&files, "air", &none), [4]);
}

#[test]
fn word_forms_the_prefix_rule_misses_still_resolve() {
    let (_dir, t) = small();
    let files = build(&t);
    // "policy" stems to "polici", which does not begin it.
    assert_eq!(ordinals(&files, "policy", &Filter::default()), [4, 2]);
    assert_eq!(ordinals(&files, "POLICIES", &Filter::default()), [4, 2]);
}

#[test]
fn filters_narrow_the_hits() {
    let (_dir, t) = small();
    let files = build(&t);
    let by = |sector, year, status| Filter {
        sector,
        year,
        status,
    };
    let q = "wind tunnel";
    assert_eq!(ordinals(&files, q, &by(Some("steel"), None, None)), [3, 1]);
    assert_eq!(ordinals(&files, q, &by(None, Some("2020"), None)), [2, 3]);
    assert_eq!(ordinals(&files, q, &by(None, None, Some("agreed"))), [2]);
    assert_eq!(
        ordinals(&files, q, &by(Some("coal"), None, None)),
        [0u32; 0]
    );
    assert_eq!(
        ordinals(&files, "coal", &by(None, Some("undated"), None)),
        [4]
    );
    assert!(ordinals(&files, q, &by(Some("no-such"), None, None)).is_empty());
}

#[test]
fn hostile_queries_find_nothing_harmlessly() {
    let (_dir, t) = small();
    let files = build(&t);
    let none = Filter::default();
    for q in [
        String::new(),
        "the and of".to_string(),
        ".*+?[](){}|^$\\".to_string(),
        "x".repeat(10_000),
        "wind ".repeat(2_000),
        "\u{0}\u{202e}\u{fffd}".to_string(),
    ] {
        let found = run(&files, &q, &none);
        assert!(found.docs.len() <= 4);
    }
    assert!(run(&files, "the and of", &none).docs.is_empty());
    assert_eq!(ordinals(&files, &"wind ".repeat(2_000), &none), [3, 2, 1]);
}

#[test]
fn the_reference_site_finds_its_wind_tunnel_in_every_language() {
    let t = reference();
    let eleventh = |t: &Timeline, q: &str| {
        let found = run(&build(t), q, &Filter::default());
        found.entries.first().map(|e| (e.0, e.2.clone()))
    };
    let want = Some((11, "sessions/11/".to_string()));
    assert_eq!(eleventh(&t, "wind tunnel"), want);
    let lang = |code: &str| {
        (t.translations.iter())
            .find(|x| x.meta.language == code)
            .expect("translation")
    };
    assert_eq!(eleventh(lang("ru"), "аэродинамической трубы"), want);
    assert_eq!(eleventh(lang("hi"), "पवन सुरंग"), want);
}
