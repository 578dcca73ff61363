//! Honest records: what the notes do not record is shown as not recorded, never as zero,
//! on the pages of every language and in the exports.

use serde_json::Value;

use crate::support::{TestSite, texts};

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
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(site.out().join("timeline.json")).unwrap())
            .unwrap();
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
    let note = std::fs::read_to_string(site.path("content/sessions/02.md")).unwrap();
    site.write(
        "content/sessions/02.md",
        &note.replacen(
            "sectors: [steel]\n",
            "sectors: [steel]\nagreements: []\n",
            1,
        ),
    );
    site.built();
    let home = texts(&site.html("index.html"), "#session-2 .agreement-count");
    assert_eq!(home, ["0 agreements"]);
    let untouched = texts(&site.html("index.html"), "#session-4 .agreement-count");
    assert_eq!(untouched, ["agreements not recorded"]);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(site.out().join("timeline.json")).unwrap())
            .unwrap();
    let by_ordinal = |n: u32| {
        json["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["session"] == n)
            .unwrap()["agreements"]
            .clone()
    };
    assert_eq!(by_ordinal(2), Value::Array(vec![]));
    assert!(by_ordinal(1).as_array().is_some_and(|a| !a.is_empty()));
    assert!(by_ordinal(4).is_null());
}
