//! The repository's own reference timeline builds cleanly and states only sourced facts.

use crate::support::{TestSite, attrs, texts};

#[test]
fn the_reference_site_builds_without_warnings() {
    let site = TestSite::reference();
    let report = site.built().build().unwrap();
    assert_eq!(report.sessions, 11);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn eleven_sessions_in_order_and_the_11th_in_full() {
    let site = TestSite::reference();
    site.built();
    let doc = site.html("index.html");
    let ordinals = texts(&doc, "ol.timeline > li .ordinal");
    let expected: Vec<String> = [
        "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(ordinals, expected);

    let doc = site.html("sessions/11/index.html");
    assert_eq!(attrs(&doc, ".facts time", "datetime"), ["2025-08-06"]);
    let facts = texts(&doc, ".facts dd").join(" | ");
    assert!(facts.contains("New Delhi"), "{facts}");
    let chairs = texts(&doc, ".co-chair-list li").join(" | ");
    assert!(
        chairs.contains("Amardeep Singh Bhatia") && chairs.contains("Alexey Gruzdev"),
        "{chairs}"
    );
}

#[test]
fn every_note_has_a_source_or_says_its_record_is_pending() {
    let site = TestSite::reference();
    site.built();
    for n in 1..=11 {
        let doc = site.html(&format!("sessions/{n}/index.html"));
        let has_source = !texts(&doc, ".sources li").is_empty();
        let pending = texts(&doc, ".notes")
            .join(" ")
            .contains("has not been found yet");
        assert!(has_source || pending, "session {n}");
        // Only sessions with a sourced date carry one.
        let dated = !attrs(&doc, ".facts time", "datetime").is_empty();
        assert_eq!(dated, [5, 9, 10, 11].contains(&n), "session {n}");
    }
}
