//! What the exports give a reader with a spreadsheet: commitments by title and status and
//! sources by title in `timeline.csv`, one row per co-chair in `co_chairs.csv`,
//! `superseded_by` in `commitments.csv`, and the notes in full in `timeline.json`.

use std::collections::BTreeMap;

use super::{json, read};
use crate::support::TestSite;

/// Each row of a CSV file as column name -> cell, with the header row.
fn table(site: &TestSite, rel: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let text = read(site, rel);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = (r.records().map(Result::unwrap))
        .map(|row| {
            header
                .iter()
                .cloned()
                .zip(row.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

#[test]
fn timeline_csv_names_commitments_and_sources_and_co_chairs_split() {
    let site = TestSite::fixture("basic");
    site.built();
    let (_, sessions) = table(&site, "timeline.csv");
    let first = &sessions[0];
    assert_eq!(first["commitments"], "Joint railway study (proposed)");
    assert_eq!(first["commitments_introduced"], "rail-study");
    assert_eq!(first["source_titles"], "First report");
    assert_eq!(first["sources"], "https://sources.example.net/r1");
    assert_eq!(first["co_chair_count"], "2");
    assert_eq!(first["agreements_recorded"], "true");
    assert_eq!(
        sessions[1]["commitments"],
        "Joint railway study (in-progress)"
    );
    assert_eq!(sessions[1]["agreements_recorded"], "false");

    let (header, chairs) = table(&site, "co_chairs.csv");
    assert_eq!(
        header,
        [
            "session",
            "date",
            "position",
            "name",
            "role",
            "partner",
            "session_url"
        ]
    );
    let rows: Vec<[&str; 5]> = chairs
        .iter()
        .map(|r| {
            let f = |k: &str| r[k].as_str();
            [
                f("session"),
                f("position"),
                f("name"),
                f("role"),
                f("partner"),
            ]
        })
        .collect();
    assert_eq!(
        rows,
        [
            ["1", "1", "Ann Alpha", "Secretary", "Alpha"],
            ["1", "2", "Bob Beta", "Deputy Minister", "Beta"],
            ["2", "1", "Ann Alpha", "Secretary", "Alpha"],
        ]
    );
    assert_eq!(chairs[0]["date"], "2019-03-04");
    assert_eq!(chairs[0]["session_url"], "https://example.org/sessions/1/");
}

#[test]
fn commitments_csv_says_what_superseded_a_commitment() {
    let site = TestSite::fixture("commitments");
    site.built();
    let (header, mentions) = table(&site, "commitments.csv");
    assert_eq!(header.last().map(String::as_str), Some("superseded_by"));
    for m in &mentions {
        let want = if m["commitment"] == "old-plan" {
            "new-plan"
        } else {
            ""
        };
        assert_eq!(m["superseded_by"], want, "{m:?}");
    }
    assert!(mentions.iter().any(|m| m["commitment"] == "old-plan"));
}

#[test]
fn timeline_json_carries_the_notes_in_full() {
    let site = TestSite::fixture("basic");
    let long = "A sentence of the notes, said once more. ".repeat(100);
    let first = std::fs::read_to_string(site.path("content/sessions/01.md")).unwrap();
    site.write(
        "content/sessions/01.md",
        &format!("{first}\nThe *long* part:\n\n{long}\n"),
    );
    site.built();
    let data = json(&site, "timeline.json");
    let s = &data["sessions"][0];
    let text = s["body_text"].as_str().unwrap();
    let html = s["body_html"].as_str().unwrap();
    assert!(text.len() > 4000, "{}", text.len());
    assert!(
        text.starts_with("The first session opened the group."),
        "{text}"
    );
    assert!(text.ends_with("said once more."), "{text}");
    assert!(text.contains("The long part:"), "{text}");
    assert!(html.contains("<em>long</em>"), "{html}");
    // The text is there once: no excerpt repeats its beginning.
    assert!(s.get("excerpt").is_none());
}

#[test]
fn the_data_dictionary_lists_every_column_of_every_csv_in_every_language() {
    let site = TestSite::reference();
    site.built();
    for root in ["", "ru/", "hi/"] {
        let home = site.html(&format!("{root}index.html"));
        let links = crate::support::attrs(&home, ".open-data a", "href");
        let page = format!("/{root}data/");
        assert!(links.contains(&page), "{root}: {links:?}");
        let doc = site.html(&format!("{root}data/index.html"));
        let files = crate::support::texts(&doc, "h2 code");
        for csv in ["timeline.csv", "commitments.csv", "co_chairs.csv"] {
            let (header, _) = table(&site, csv);
            let at = files.iter().position(|f| f == csv).unwrap();
            let sel = format!("section:nth-of-type({}) tbody th", at + 1);
            let listed = crate::support::texts(&doc, &sel);
            assert_eq!(listed, header, "{root}{csv}");
            let about =
                crate::support::texts(&doc, &format!("section:nth-of-type({}) tbody td", at + 1));
            assert!(about.iter().all(|a| !a.is_empty()), "{root}{csv}");
        }
        for other in ["timeline.json", "feed.xml", "sessions.ics", "SHA256SUMS"] {
            assert!(files.iter().any(|f| f == other), "{root}: {other}");
        }
    }
    let sitemap = read(&site, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/ru/data/</loc>")
            || sitemap.contains("/ru/data/</loc>")
    );
}
