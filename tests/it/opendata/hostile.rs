//! Hostile text (quotes, commas, semicolons, backslashes, newlines, `<`, `&`, `</script>`,
//! Cyrillic, Devanagari and CJK) in every field of the `hostile` fixture must come back
//! unchanged from every format, read with the same parsers as the other open-data tests.

use super::{attrs, csv_rows, events, feed, json, jsonld, read, verify};
use crate::support::TestSite;

const TITLE: &str =
    "Talks \"on\" steel, <b>bold</b> & </script><script>alert(1)</script>\nsecond line — 北京";
const VENUE: &str = "Hall \"A\", <wing> & annex; back\\slash";
const CITY: &str = "Москва, центр";
const COUNTRY: &str = "Россия; \"RU\"";
const SUMMARY: &str = "Summary with \"quotes\", commas, <tags> & </script>\nand a newline; नमस्ते";
const SITE: &str = "Group \"A\" & <B>, Москва–北京";
const CHAIR: &str = "Анна \"A\" <Alpha>, Jr.";
const COMMITMENT: &str = "Build a \"bridge\", <span> & </script>; 橋";
const NOTE: &str = "First note:\ncommas, \"quotes\" & <tags>";

#[test]
fn hostile_text_round_trips_through_every_format() {
    let site = TestSite::fixture("hostile");
    site.built();
    let base = "https://example.org/wg/";

    let f = feed(&site, "feed.xml");
    assert_eq!(f.title.unwrap().content, SITE);
    let e = f.entries.iter().find(|e| e.id.ends_with("/1/")).unwrap();
    assert_eq!(e.title.as_ref().unwrap().content, TITLE);
    assert_eq!(e.summary.as_ref().unwrap().content, SUMMARY);
    let cf = feed(&site, "commitments/hostile-one/feed.xml");
    assert_eq!(cf.title.unwrap().content, COMMITMENT);
    // The second mention is at an undated session, which the feed leaves out.
    assert_eq!(cf.entries.len(), 1);
    assert!(
        cf.entries[0]
            .summary
            .as_ref()
            .unwrap()
            .content
            .contains(NOTE)
    );

    let evs = events(&read(&site, "sessions.ics"));
    assert_eq!(evs.len(), 1, "the undated session has no event");
    assert_eq!(evs[0]["SUMMARY"], format!("{TITLE} — {SITE}"));
    assert_eq!(evs[0]["LOCATION"], format!("{VENUE}, {CITY}, {COUNTRY}"));
    assert_eq!(
        evs[0]["DESCRIPTION"],
        format!("{SUMMARY}\n\n{base}sessions/1/")
    );
    assert_eq!(evs[0]["UID"], "session-1@wg.example.org");

    let data = json(&site, "timeline.json");
    let s = &data["sessions"][0];
    for (key, want) in [
        ("title", TITLE),
        ("venue", VENUE),
        ("city", CITY),
        ("country", COUNTRY),
        ("summary", SUMMARY),
    ] {
        assert_eq!(s[key], want, "{key}");
    }
    assert_eq!(s["co_chairs"][0]["name"], CHAIR);
    assert_eq!(s["co_chairs"][1]["role"], "Deputy Minister\nof Trade");
    assert_eq!(data["commitments"][0]["title"], COMMITMENT);
    assert_eq!(data["commitments"][0]["history"][0]["note"], NOTE);
    assert_eq!(data["timeline"]["title"], SITE);
    assert_eq!(data["partners"][0]["name"], "Alpha & <Co>");
    assert_eq!(data["sources"][0]["publisher"], "Gazette, \"Daily\" <x>");
    assert_eq!(
        data["agreements"][0]["title"],
        "Protocol, \"final\" & <signed>"
    );

    let rows = csv_rows(&site, "timeline.csv");
    assert_eq!(
        (&rows[0][1], &rows[0][3], &rows[0][4], &rows[0][5]),
        (TITLE, VENUE, CITY, COUNTRY)
    );
    assert_eq!(&rows[0][13], SUMMARY);
    assert!(rows[0][6].starts_with(CHAIR));
    assert_eq!(&rows[1][2], "", "undated");
    assert_eq!(&csv_rows(&site, "co_chairs.csv")[0][3], CHAIR);
    let mentions = csv_rows(&site, "commitments.csv");
    assert_eq!((&mentions[0][1], &mentions[0][8]), (COMMITMENT, NOTE));
    assert_eq!(&mentions[1][8], "Review: \\ backslash, ; semicolon");

    let ev = jsonld(&site, "sessions/1/index.html");
    assert_eq!(ev["name"], TITLE);
    assert_eq!(ev["description"], SUMMARY);
    assert_eq!(ev["location"]["name"], VENUE);
    assert_eq!(ev["location"]["address"]["addressLocality"], CITY);
    assert_eq!(ev["location"]["address"]["addressCountry"], COUNTRY);
    assert_eq!(ev["organizer"][0]["name"], "Alpha & <Co>");
    assert_eq!(ev["superEvent"]["name"], SITE);
    let raw = read(&site, "sessions/1/index.html");
    let script = raw
        .split(r#"<script type="application/ld+json">"#)
        .nth(1)
        .unwrap();
    let body = script.split("</script>").next().unwrap();
    assert!(!body.contains('<'), "nothing can close the script early");

    let doc = site.html("sessions/1/index.html");
    assert_eq!(
        attrs(&doc, r#"meta[property="og:title"]"#, "content"),
        [TITLE]
    );
    assert_eq!(
        attrs(&doc, r#"meta[property="og:description"]"#, "content"),
        [SUMMARY]
    );
    assert_eq!(
        attrs(&doc, r#"meta[property="og:site_name"]"#, "content"),
        [SITE]
    );

    let sitemap = read(&site, "sitemap.xml");
    roxmltree::Document::parse(&sitemap).unwrap();
    assert_eq!(verify(&site.out()).status.code(), Some(0));
}
