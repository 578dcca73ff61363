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
    // Titles are the default ones, which say the ordinal: no ordinal badge beside them.
    let titles = texts(&doc, "ol.timeline > li h3");
    let expected: Vec<String> = [
        "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th",
    ]
    .map(|o| format!("{o} session"))
    .to_vec();
    assert_eq!(titles, expected);
    assert!(texts(&doc, "ol.timeline > li .ordinal").is_empty());

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

/// Every source of the reference notes, by session: the headline its publisher gave it and
/// the day it was published, as the research file records them (`None`: not recorded).
const SOURCES: &[(u32, &str, Option<&str>)] = &[
    (
        5,
        "5th Meeting of the India Russia Working group on Modernization and Industrial Cooperation",
        Some("2016-08-18"),
    ),
    (
        5,
        "India keen on developing coal fields, ore mines in Russia",
        Some("2016-08-18"),
    ),
    (
        8,
        "India, Russia hold working group meet on modernization, industrial cooperation",
        Some("2022-12-23"),
    ),
    (
        8,
        "9th session of India-Russia Working Group on Modernization, Industrial Cooperation held",
        Some("2022-12-24"),
    ),
    (
        9,
        "India, Russia hold working group meet on modernization, industrial cooperation",
        Some("2022-12-23"),
    ),
    (
        9,
        "9th session of India-Russia Working Group on Modernization, Industrial Cooperation of the India-Russia Intergovernmental Commission on Trade, Economic, Scientific, Technological and Cultural Cooperation",
        Some("2022-12-23"),
    ),
    (
        9,
        "9th session of India-Russia Working Group on Modernization, Industrial Cooperation held",
        Some("2022-12-24"),
    ),
    (
        10,
        "India-Russia co-chair 10th session on Modernisation, Industrial Cooperation",
        Some("2024-10-17"),
    ),
    (
        10,
        "India, Russia co-chair modernisation and industrial cooperation meeting",
        Some("2024-10-18"),
    ),
    (
        11,
        "India, Russia sign protocol to deepen industrial and technological cooperation",
        Some("2025-08-06"),
    ),
    (
        11,
        "India And Russia Hold 11Th Session On Industrial Cooperation In New Delhi",
        Some("2025-08-07"),
    ),
    (
        11,
        "India And Russia Hold 11Th Session On Industrial Cooperation In New Delhi",
        None,
    ),
    (
        11,
        "India-Russia strategic partnership strengthened with key industrial sectors",
        None,
    ),
    (
        11,
        "Russia and India will expand their collaboration in mining, fertilizers, railroads and aluminum",
        Some("2025-08-07"),
    ),
];

#[test]
fn sources_carry_their_published_titles_and_dates() {
    let site = TestSite::reference();
    site.built();
    for n in 1..=11 {
        let doc = site.html(&format!("sessions/{n}/index.html"));
        let expected: Vec<_> = SOURCES.iter().filter(|s| s.0 == n).collect();
        assert_eq!(
            texts(&doc, ".sources li > a:first-child"),
            expected.iter().map(|s| s.1).collect::<Vec<_>>(),
            "session {n}"
        );
        let dates: Vec<_> = expected.iter().filter_map(|s| s.2).collect();
        assert_eq!(
            attrs(&doc, ".sources time", "datetime"),
            dates,
            "session {n}"
        );
    }
    // Headlines are the publishers' own: a translated page shows them as published, marked
    // with their language, and the date in its own.
    let ru = site.html("ru/sessions/11/index.html");
    assert_eq!(attrs(&ru, ".sources li > a:first-child", "lang"), ["en"; 5]);
    assert!(texts(&ru, ".sources time")[0].contains("августа 2025"));
}

#[test]
fn the_9th_session_shows_how_its_reports_differ() {
    let site = TestSite::reference();
    site.built();
    let doc = site.html("sessions/9/index.html");
    assert_eq!(
        texts(&doc, ".disagreements > li > p"),
        ["The focus sub-groups of the 8th session"]
    );
    assert_eq!(
        texts(&doc, ".disagreements li li"),
        [
            "modernization, mining and mineral fertilizers & chemicals — ANI",
            "modernization, mining and mineral fertilizers & chemicals — Orissa Diary",
            "modernisation, mining and minerals, and fertilisers & chemicals — NetIndian",
        ]
    );
}

#[test]
fn wording_follows_the_sources() {
    let site = TestSite::reference();
    site.built();
    let notes = |rel: &str| texts(&site.html(rel), ".notes").join(" ");
    // The 11th: the meeting, not the co-chairs, reviewed and welcomed; projects discussed.
    let eleventh = notes("sessions/11/index.html");
    assert!(
        eleventh.contains("The meeting reviewed the progress"),
        "{eleventh}"
    );
    assert!(!eleventh.contains("The co-chairs took stock"), "{eleventh}");
    let delegates = texts(&site.html("sessions/11/index.html"), ".facts dd").join(" | ");
    assert!(delegates.contains("about 80"), "{delegates}");
    // The 10th: each side "saw representation from" its official.
    assert!(notes("sessions/10/index.html").contains("\"saw representation from\""));
    // The 5th: fertilizers were an interest, not a decision.
    assert!(notes("sessions/5/index.html").contains("an interest, not a decision"));
    // Quotations translated for the Russian and Hindi pages say so.
    assert!(notes("ru/sessions/11/index.html").contains("перевод с английского наш"));
    assert!(notes("hi/sessions/11/index.html").contains("अंग्रेज़ी से हमारा अनुवाद"));
}

#[test]
fn sector_names_are_translated() {
    let site = TestSite::reference();
    site.built();
    let chips = |rel: &str| texts(&site.html(rel), ".chips a.chip").join(" | ");
    let ru = chips("ru/sessions/11/index.html");
    assert!(ru.contains("Железнодорожный транспорт"), "{ru}");
    assert!(!ru.contains("Railway transport"), "{ru}");
    let hi = chips("hi/sessions/11/index.html");
    assert!(hi.contains("रेल परिवहन"), "{hi}");
}
