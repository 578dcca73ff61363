//! Sessions whose date is not on record: placed by ordinal without a year of their own,
//! shown as "date not recorded", left out of the date-based feeds; and the one rule for
//! "record pending" (a note that states none of the session's facts).

use serde_json::Value;

use crate::support::{TestSite, attrs, texts};

/// The basic fixture with the 3rd session undated but recorded (a city, a sector, a
/// commitment's review), the 4th held in the same year as the 2nd, and two more notes:
/// the 6th with only a date, the 7th with only a title, a source and a body.
fn site() -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(
        "content/sessions/03/index.md",
        "---\nsession: 3\ncity: Gammaville\nsectors: [steel]\ncommitments:\n  - { id: rail-study, status: agreed }\nsources:\n  - { title: Third report, url: \"https://sources.example.net/r3\" }\n---\nThe group met; the record gives no date.\n",
    );
    let fourth = std::fs::read_to_string(site.path("content/sessions/04.md")).unwrap();
    site.write(
        "content/sessions/04.md",
        &fourth.replace("date: 2021-06-01", "date: 2019-12-01"),
    );
    site.write(
        "content/sessions/06.md",
        "---\nsession: 6\ndate: 2023-05-05\n---\nNothing else is known.\n",
    );
    site.write(
        "content/sessions/07.md",
        "---\nsession: 7\ntitle: A meeting still to be found\nsources:\n  - { title: A mention, url: \"https://sources.example.net/r7\" }\n---\nA later report mentions a 7th meeting.\n",
    );
    site.built();
    site
}

fn json(site: &TestSite) -> Value {
    let text = std::fs::read_to_string(site.out().join("timeline.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn read(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn an_undated_session_opens_no_year_and_sits_under_none() {
    let site = site();
    let home = site.html("index.html");
    // Each entry's marker, in timeline order: the year it opens, "undated", or nothing.
    let markers: Vec<String> = (1..=7)
        .map(|n| {
            let entry = format!("#session-{n} > .year-marker");
            texts(&home, &entry).join("")
        })
        .collect();
    assert_eq!(
        markers,
        [
            "2019",
            "",
            "Date not on record",
            "2019",
            "",
            "2023",
            "Date not on record"
        ]
        .map(String::from)
    );
    assert_eq!(
        attrs(&home, "#session-3 > .year-marker", "class"),
        ["year-marker undated-marker"]
    );
    let meta = texts(&home, "#session-3 .meta").join("");
    assert!(meta.contains("date not recorded"), "{meta}");
    assert!(!meta.contains("2019"), "{meta}");
    let page = site.html("sessions/3/index.html");
    assert!(texts(&page, ".facts dd").contains(&"date not recorded".to_string()));
    assert!(
        page.select(&scraper::Selector::parse("time").unwrap())
            .next()
            .is_none()
    );
    // The year pages: the undated session is on the undated page, not on 2019's.
    let year = texts(&site.html("years/2019/index.html"), ".entry h3").join("|");
    assert!(!year.contains("3rd"), "{year}");
    let undated = attrs(&site.html("years/undated/index.html"), ".entry", "id");
    assert_eq!(undated, ["session-3", "session-7"]);
}

#[test]
fn record_pending_means_the_note_states_no_fact() {
    let site = site();
    let json = json(&site);
    let pending: Vec<(u64, bool)> = (json["sessions"].as_array().unwrap().iter())
        .map(|s| {
            let n = s["session"].as_u64().unwrap();
            (n, s["records_pending"].as_bool().unwrap())
        })
        .collect();
    // Undated with facts: not pending; dated and nothing else: not pending (the date is a
    // fact); a title, a source and a body state no fact: pending.
    assert_eq!(
        pending,
        [
            (1, false),
            (2, false),
            (3, false),
            (4, false),
            (6, false),
            (7, true)
        ]
    );
    let home = site.html("index.html");
    for (n, badge) in [(3, false), (6, false), (7, true)] {
        let shown = texts(&home, &format!("#session-{n} .pending-badge"));
        assert_eq!(shown == ["Record pending"], badge, "session {n}: {shown:?}");
    }
}

#[test]
fn undated_sessions_get_no_invented_date() {
    let site = site();
    let feed = feed_rs::parser::parse(read(&site, "feed.xml").as_bytes()).unwrap();
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "https://example.org/sessions/6/",
            "https://example.org/sessions/4/",
            "https://example.org/sessions/2/",
            "https://example.org/sessions/1/"
        ]
    );
    let commitment = read(&site, "commitments/rail-study/feed.xml");
    let parsed = feed_rs::parser::parse(commitment.as_bytes()).unwrap();
    assert!(!commitment.contains("#session-3"), "{commitment}");
    assert_eq!(parsed.entries.len(), 3);
    let ics = read(&site, "sessions.ics");
    assert!(
        !ics.contains("session-3@") && !ics.contains("session-7@"),
        "{ics}"
    );
    let sitemap = read(&site, "sitemap.xml");
    let at = sitemap.find("https://example.org/sessions/3/").unwrap();
    let entry = &sitemap[at..sitemap[at..].find("</url>").unwrap() + at];
    assert!(!entry.contains("lastmod"), "{entry}");
    // The exports leave the date empty rather than borrow one.
    let json = json(&site);
    assert!(json["sessions"][2]["date"].is_null());
    let mention = (json["commitments"][0]["history"].as_array().unwrap().iter())
        .find(|m| m["session"] == 3)
        .unwrap()
        .clone();
    assert!(mention["date"].is_null(), "{mention}");
    let text = read(&site, "timeline.csv");
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let headers = csv.headers().unwrap().clone();
    let date = headers.iter().position(|h| h == "date").unwrap();
    let third = csv.records().map(Result::unwrap).nth(2).unwrap();
    assert_eq!(&third[0], "3");
    assert_eq!(&third[date], "");
}
