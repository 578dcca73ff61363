//! Honest records: what the notes do not record is shown as not recorded, never as zero,
//! on the pages of every language and in the exports.

use serde_json::Value;

use crate::support::{TestSite, texts};

/// The basic fixture's 2nd note, with `line` added to its front matter.
fn add_to_second_note(site: &TestSite, line: &str) {
    let rel = "content/sessions/02.md";
    let note = std::fs::read_to_string(site.path(rel)).unwrap();
    let sectors = "sectors: [steel]\n";
    site.write(
        rel,
        &note.replacen(sectors, &format!("{line}\n{sectors}"), 1),
    );
}

/// The diagnostics of `pactline check`, which must fail on a content error.
fn failed_check(site: &TestSite) -> Vec<Value> {
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    (String::from_utf8_lossy(&out.stdout).lines())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Session `n` of `timeline.json`.
fn json_session(site: &TestSite, n: u32) -> Value {
    let json = timeline_json(site);
    let sessions = json["sessions"].as_array().unwrap();
    let found = sessions.iter().find(|s| s["session"] == n);
    found.unwrap_or_else(|| panic!("no session {n}")).clone()
}

fn timeline_json(site: &TestSite) -> Value {
    serde_json::from_str(&std::fs::read_to_string(site.out().join("timeline.json")).unwrap())
        .unwrap()
}

/// The agreement tallies of the home page of `lang_root` ("" or "ru/").
fn tallies(site: &TestSite, lang_root: &str) -> Vec<String> {
    texts(
        &site.html(&format!("{lang_root}index.html")),
        ".entry .agreement-count",
    )
}

#[test]
fn agreements_not_recorded_are_never_counted_as_zero() {
    let site = TestSite::reference();
    site.built();
    for (root, not_recorded) in [
        ("", "agreements not recorded"),
        ("ru/", "сведений о договорённостях нет"),
        ("hi/", "समझौतों का विवरण दर्ज नहीं"),
    ] {
        let shown = tallies(&site, root);
        assert_eq!(shown.len(), 11, "{root}");
        // Only the 11th session's note lists agreements; the others do not record any.
        assert_eq!(
            shown.iter().filter(|t| *t == not_recorded).count(),
            10,
            "{root}: {shown:?}"
        );
        assert!(
            shown.iter().all(|t| !t.starts_with('0')),
            "{root}: {shown:?}"
        );
    }
    let json = timeline_json(&site);
    for s in json["sessions"].as_array().unwrap() {
        let agreements = &s["agreements"];
        if s["session"] == 11 {
            assert!(agreements.as_array().is_some_and(|a| !a.is_empty()));
        } else {
            assert!(
                agreements.is_null(),
                "session {}: {agreements}",
                s["session"]
            );
        }
    }
}

#[test]
fn agreements_recorded_as_none_are_zero() {
    let site = TestSite::fixture("basic");
    add_to_second_note(&site, "agreements: []");
    site.built();
    let home = texts(&site.html("index.html"), "#session-2 .agreement-count");
    assert_eq!(home, ["0 agreements"]);
    let untouched = texts(&site.html("index.html"), "#session-4 .agreement-count");
    assert_eq!(untouched, ["agreements not recorded"]);
    let by_ordinal = |n: u32| json_session(&site, n)["agreements"].clone();
    assert_eq!(by_ordinal(2), Value::Array(vec![]));
    assert!(by_ordinal(1).as_array().is_some_and(|a| !a.is_empty()));
    assert!(by_ordinal(4).is_null());
}

/// The value shown beside `label` in the facts list of a session page.
fn fact(site: &TestSite, page: &str, label: &str) -> String {
    let doc = site.html(page);
    let dt = scraper::Selector::parse("dl.facts > dt").unwrap();
    let found = doc
        .select(&dt)
        .find(|e| e.text().collect::<String>() == label);
    let dd = found.and_then(|e| e.next_siblings().find_map(scraper::ElementRef::wrap));
    dd.map(|e| e.text().collect::<String>())
        .unwrap_or_else(|| panic!("{page}: no {label}"))
}

#[test]
fn approximate_figures_read_as_approximate_everywhere() {
    let site = TestSite::reference();
    site.built();
    for (root, label, shown) in [
        ("", "Delegates", "about 80"),
        ("ru/", "Делегаты", "около 80"),
        ("hi/", "प्रतिनिधि", "लगभग 80"),
    ] {
        let page = format!("{root}sessions/11/index.html");
        assert_eq!(fact(&site, &page, label), shown, "{page}");
    }
    let json = timeline_json(&site);
    let eleventh = &json["sessions"].as_array().unwrap()[10];
    assert_eq!(eleventh["session"], 11);
    assert_eq!(eleventh["delegates"], 80);
    assert_eq!(eleventh["delegates_approximate"], true);
    let mut csv = csv::Reader::from_path(site.out().join("timeline.csv")).unwrap();
    let column = csv
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "delegates")
        .unwrap();
    let row = csv.records().nth(10).unwrap().unwrap();
    assert_eq!(&row[column], "~80");
}

#[test]
fn exact_figures_stay_exact_and_bad_ones_are_located() {
    let site = TestSite::fixture("basic");
    add_to_second_note(&site, "delegates: 12");
    site.built();
    assert_eq!(fact(&site, "sessions/2/index.html", "Delegates"), "12");
    let second = json_session(&site, 2);
    assert_eq!(second["delegates"], 12);
    assert!(second.get("delegates_approximate").is_none());

    let site = TestSite::fixture("basic");
    add_to_second_note(&site, "delegates: about 12");
    let diags = failed_check(&site);
    let bad = diags
        .iter()
        .find(|d| d["code"] == "PL0006")
        .expect("a type error");
    assert_eq!(bad["file"], "content/sessions/02.md");
    assert!(bad["message"].as_str().unwrap().contains("~80"), "{bad}");
    assert!(bad["line"].as_u64().is_some() && bad["column"].as_u64().is_some());
}

#[test]
fn statuses_are_explained_and_the_summary_does_not_overstate() {
    let site = TestSite::reference();
    site.built();
    for (root, summary) in [
        ("", "7 projects and commitments tracked: 7 proposed"),
        ("ru/", "7 проектов и обязательств в перечне: 7 предложено"),
        ("hi/", "7 परियोजनाएँ और प्रतिबद्धताएँ सूची में: 7 प्रस्तावित"),
    ] {
        for page in ["index.html", "commitments/index.html"] {
            let doc = site.html(&format!("{root}{page}"));
            assert_eq!(texts(&doc, ".progress"), [summary], "{root}{page}");
            let terms = texts(&doc, ".status-legend dt");
            let meanings = texts(&doc, ".status-legend dd");
            assert_eq!(terms.len(), 6, "{root}{page}: {terms:?}");
            assert_eq!(meanings.len(), 6, "{root}{page}");
            // Each meaning is a sentence of the page's language, not the status repeated.
            for (term, meaning) in terms.iter().zip(&meanings) {
                assert!(
                    meaning.len() > term.len() + 10,
                    "{root}{page}: {term}: {meaning}"
                );
            }
        }
    }
    let legend = texts(&site.html("index.html"), ".status-legend dd");
    assert!(legend[0].contains("not yet agreed"), "{legend:?}");
}

#[test]
fn a_source_can_carry_an_archived_copy() {
    let site = TestSite::fixture("basic");
    let rel = "content/sessions/02.md";
    let note = std::fs::read_to_string(site.path(rel)).unwrap();
    let source = "url: \"https://sources.example.net/r2\",";
    let archived = "https://web.archive.org/web/2019/https://sources.example.net/r2";
    let with = |copy: &str| note.replacen(source, &format!("{source} archived: \"{copy}\","), 1);
    site.write(rel, &with(archived));
    site.built();
    let doc = site.html("sessions/2/index.html");
    assert_eq!(
        texts(&doc, ".sources a[href^='https://web.archive.org']"),
        ["archived copy"]
    );
    assert_eq!(json_session(&site, 2)["sources"][0]["archived"], archived);

    site.write(rel, &with("javascript:alert(1)"));
    let bad: Vec<Value> = (failed_check(&site).into_iter())
        .filter(|d| (d["message"].as_str()).is_some_and(|m| m.contains("archived copy")))
        .collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0]["file"], rel);
    assert!(bad[0]["line"].as_u64().is_some());
}

#[test]
fn a_source_date_is_spelt_out_in_each_language_and_must_be_real() {
    let site = TestSite::fixture("i18n");
    let rel = "content/sessions/1.md";
    let note = std::fs::read_to_string(site.path(rel)).unwrap();
    let url = "url: \"https://sources.example.net/r1\",";
    let with = |date: &str| note.replacen(url, &format!("{url} date: {date},"), 1);
    site.write(rel, &with("2024-10-17"));
    site.built();
    let dates = |page: &str| texts(&site.html(page), ".sources time");
    assert_eq!(dates("sessions/1/index.html"), ["17 October 2024"]);
    assert_eq!(dates("ru/sessions/1/index.html"), ["17 октября 2024 г."]);

    site.write(rel, &with("2024-02-30"));
    let bad: Vec<Value> = (failed_check(&site).into_iter())
        .filter(|d| d["code"] == "PL0009")
        .collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0]["file"], rel);
    let line = note.lines().position(|l| l.contains(url)).unwrap() + 1;
    assert_eq!(bad[0]["line"].as_u64(), Some(line as u64));
}

/// The basic fixture's 2nd note with two sources that differ, and `extra` front matter.
const DISPUTED: &str = "---
session: 2
date: 2019-11-20
city: Betatown
sources:
  - { title: First report, url: \"https://a.example.net/r\", publisher: Gazette }
  - { title: Second report, url: \"https://b.example.net/r\" }
disagreements:
  - point: The sub-groups formed at the 1st session
    readings:
      - { text: \"Three sub-groups, on steel, rail and ports\", source: \"https://a.example.net/r\" }
      - { text: \"Two sub-groups, on steel and rail\", source: \"https://b.example.net/r\" }
";

#[test]
fn sources_that_disagree_show_both_readings() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/sessions/02.md",
        &format!("{DISPUTED}---\nNotes.\n"),
    );
    site.built();
    let doc = site.html("sessions/2/index.html");
    assert_eq!(
        texts(&doc, "h2#disagreements"),
        ["Where the sources differ"]
    );
    assert_eq!(
        texts(&doc, ".disagreements > li > p"),
        ["The sub-groups formed at the 1st session"]
    );
    assert_eq!(
        texts(&doc, ".disagreements li li"),
        [
            "Three sub-groups, on steel, rail and ports — Gazette",
            "Two sub-groups, on steel and rail — Second report"
        ]
    );
    assert_eq!(
        crate::support::attrs(&doc, ".disagreements li li a", "href"),
        ["https://a.example.net/r", "https://b.example.net/r"]
    );
    let print = texts(&site.html("print/index.html"), ".disagreements li li");
    assert_eq!(print.len(), 2, "{print:?}");
    let readings = &json_session(&site, 2)["disagreements"][0]["readings"];
    assert_eq!(readings[1]["source"], "https://b.example.net/r");

    let one_reading = DISPUTED.replace(
        "      - { text: \"Two sub-groups, on steel and rail\", source: \"https://b.example.net/r\" }\n",
        "",
    );
    let unknown = DISPUTED.replace(
        "source: \"https://b.example.net/r\" }",
        "source: \"https://c.example.net/r\" }",
    );
    for (note, message) in [
        (one_reading, "has one reading"),
        (unknown, "not a source of this note"),
    ] {
        site.write("content/sessions/02.md", &format!("{note}---\nNotes.\n"));
        let diags = failed_check(&site);
        let found: Vec<&Value> = diags.iter().filter(|d| d["code"] == "PL0028").collect();
        assert_eq!(found.len(), 1, "{diags:?}");
        assert!(
            found[0]["message"].as_str().unwrap().contains(message),
            "{diags:?}"
        );
        assert!(
            found[0]["line"].as_u64().is_some_and(|l| l > 8),
            "{diags:?}"
        );
    }
}
