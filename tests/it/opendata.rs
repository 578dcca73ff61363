//! The open-data outputs, read back with real parsers: Atom (feed-rs), iCalendar (ical),
//! JSON against its JSON Schema (jsonschema), CSV (csv), the sitemap (roxmltree), JSON-LD
//! (scraper + serde_json); byte-identical rebuilds; `pactline verify`; and hostile text
//! round-tripping through every format.

use std::io::BufReader;
use std::path::Path;
use std::process::{Command, Output};

use pactline::output::file_for;
use serde_json::Value;

use crate::support::{TestSite, attrs, tree};

mod exports;
mod hostile;

const BASE: &str = "https://example.org/";

fn read(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn feed(site: &TestSite, rel: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(read(site, rel).as_bytes()).unwrap()
}

/// Every VEVENT as (property name -> unescaped TEXT value).
fn events(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = parser.next().expect("one calendar").unwrap();
    assert!(parser.next().is_none());
    cal.events
        .iter()
        .map(|e| {
            e.properties
                .iter()
                .map(|p| {
                    (
                        p.name.clone(),
                        unescape_ics(p.value.as_deref().unwrap_or("")),
                    )
                })
                .collect()
        })
        .collect()
}

fn unescape_ics(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn json(site: &TestSite, rel: &str) -> Value {
    serde_json::from_str(&read(site, rel)).unwrap()
}

fn csv_rows(site: &TestSite, rel: &str) -> Vec<csv::StringRecord> {
    let text = read(site, rel);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records().map(Result::unwrap).collect()
}

fn jsonld(site: &TestSite, rel: &str) -> Value {
    let doc = site.html(rel);
    let sel = scraper::Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let scripts: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert_eq!(scripts.len(), 1, "{rel}: one JSON-LD block");
    serde_json::from_str(&scripts[0]).unwrap()
}

#[test]
fn atom_feed_lists_sessions_newest_first() {
    let site = TestSite::fixture("basic");
    site.built();
    let f = feed(&site, "feed.xml");
    assert_eq!(f.title.unwrap().content, "Test Working Group");
    let ids: Vec<&str> = f.entries.iter().map(|e| e.id.as_str()).collect();
    // The 3rd session has no date: Atom requires one, and none is invented.
    let want: Vec<String> = [4, 2, 1]
        .iter()
        .map(|n| format!("{BASE}sessions/{n}/"))
        .collect();
    assert_eq!(ids, want);
    let first = &f.entries[0];
    assert_eq!(
        first.title.as_ref().unwrap().content,
        "Fourth session: rails"
    );
    assert_eq!(first.links[0].href, format!("{BASE}sessions/4/"));
    assert_eq!(
        first.summary.as_ref().unwrap().content,
        "The study was completed."
    );
    let updated = |i: usize| f.entries[i].updated.unwrap().format("%F").to_string();
    assert_eq!(updated(0), "2021-06-01");
    assert_eq!(updated(1), "2019-11-20");
    assert_eq!(updated(2), "2019-03-04");
    assert_eq!(f.updated.unwrap().format("%F").to_string(), "2021-06-01");
}

#[test]
fn commitment_feed_has_one_entry_per_mention() {
    let site = TestSite::fixture("basic");
    site.built();
    let f = feed(&site, "commitments/rail-study/feed.xml");
    let links: Vec<&str> = f.entries.iter().map(|e| e.links[0].href.as_str()).collect();
    assert_eq!(
        links,
        [4, 2, 1].map(|n| format!("{BASE}sessions/{n}/")).to_vec()
    );
    assert!(
        f.entries[0]
            .summary
            .as_ref()
            .unwrap()
            .content
            .contains("Study published.")
    );
    let doc = site.html("commitments/rail-study/index.html");
    assert_eq!(
        attrs(&doc, r#"link[type="application/atom+xml"]"#, "href"),
        ["/feed.xml", "/commitments/rail-study/feed.xml"]
    );
}

#[test]
fn calendar_has_an_all_day_event_per_dated_session() {
    let site = TestSite::fixture("basic");
    site.built();
    let text = read(&site, "sessions.ics");
    for line in text.split_inclusive('\n') {
        assert!(line.ends_with("\r\n"), "CRLF: {line:?}");
        assert!(line.len() <= 77, "folded: {line:?}");
    }
    let evs = events(&text);
    let uids: Vec<&str> = evs.iter().map(|e| e["UID"].as_str()).collect();
    assert_eq!(
        uids,
        [
            "session-1@example.org",
            "session-2@example.org",
            "session-4@example.org"
        ]
    );
    let first = &evs[0];
    assert_eq!(first["DTSTART"], "20190304");
    assert_eq!(first["DTEND"], "20190305");
    assert_eq!(first["LOCATION"], "Hall A, Alphaville, Alpha");
    assert_eq!(first["URL"], format!("{BASE}sessions/1/"));
    assert!(first["SUMMARY"].starts_with("1st session"));
    assert!(first["DESCRIPTION"].contains("The first session opened the group."));
    assert!(first["DESCRIPTION"].ends_with(&format!("{BASE}sessions/1/")));
    assert_eq!(first["DTSTAMP"], "20210601T000000Z", "from content");
}

#[test]
fn timeline_json_validates_against_its_schema() {
    for fixture in ["basic", "hostile", "reference"] {
        let site = match fixture {
            "reference" => TestSite::reference(),
            name => TestSite::fixture(name),
        };
        site.built();
        let schema = json(&site, "timeline.schema.json");
        let data = json(&site, "timeline.json");
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&data)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{fixture}: {errors:#?}");
    }
    let site = TestSite::fixture("basic");
    site.built();
    let data = json(&site, "timeline.json");
    assert_eq!(data["sessions"].as_array().unwrap().len(), 4);
    assert_eq!(data["sessions"][0]["url"], format!("{BASE}sessions/1/"));
    assert_eq!(data["sessions"][0]["venue"], "Hall A");
    let text = data["sessions"][0]["body_text"].as_str().unwrap();
    assert!(
        text.starts_with("The first session opened the group."),
        "{text}"
    );
    assert!(text.ends_with("A protocol was signed."), "{text}");
    assert_eq!(
        data["commitments"][0]["history"].as_array().unwrap().len(),
        3
    );
    assert_eq!(data["sources"].as_array().unwrap().len(), 3);
    assert_eq!(data["agreements"][0]["session"], 1);
    assert_eq!(data["partners"][1]["name"], "Beta");
}

#[test]
fn csvs_read_back() {
    let site = TestSite::fixture("basic");
    site.built();
    assert!(read(&site, "timeline.csv").contains("\r\n"));
    let rows = csv_rows(&site, "timeline.csv");
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[0][0], "1");
    assert_eq!(&rows[0][2], "2019-03-04");
    assert_eq!(
        &rows[0][6],
        "Ann Alpha, Secretary (Alpha); Bob Beta, Deputy Minister (Beta)"
    );
    assert_eq!(&rows[3][1], "Fourth session: rails");
    let mentions = csv_rows(&site, "commitments.csv");
    let statuses: Vec<&str> = mentions.iter().map(|r| &r[5]).collect();
    assert_eq!(statuses, ["proposed", "in-progress", "completed"]);
    assert_eq!(&mentions[1][8], "Terms of reference drafted.");
}

#[test]
fn sitemap_lists_every_page_and_each_exists() {
    let site = TestSite::fixture("basic");
    site.built();
    let text = read(&site, "sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.len() >= 10);
    for loc in &locs {
        let rel = loc.strip_prefix(BASE).unwrap();
        assert!(site.out().join(file_for(rel)).is_file(), "{loc}");
    }
    assert!(locs.contains(&"https://example.org/sessions/3/"));
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("old/first") || l.contains("404"))
    );
    assert_eq!(
        read(&site, "robots.txt")
            .lines()
            .find(|l| l.starts_with("Sitemap:")),
        Some("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn pages_carry_json_ld_and_open_graph() {
    let site = TestSite::fixture("basic");
    site.built();
    let ev = jsonld(&site, "sessions/1/index.html");
    assert_eq!(ev["@context"], "https://schema.org");
    assert_eq!(ev["@type"], "Event");
    assert_eq!(ev["name"], "1st session");
    assert_eq!(ev["startDate"], "2019-03-04");
    assert_eq!(ev["url"], format!("{BASE}sessions/1/"));
    assert_eq!(ev["location"]["@type"], "Place");
    assert_eq!(ev["location"]["address"]["@type"], "PostalAddress");
    assert_eq!(ev["location"]["address"]["addressLocality"], "Alphaville");
    assert_eq!(ev["organizer"][0]["@type"], "GovernmentOrganization");
    assert_eq!(ev["organizer"][1]["name"], "Beta");
    assert_eq!(ev["superEvent"]["@type"], "EventSeries");
    assert!(
        jsonld(&site, "sessions/3/index.html")
            .get("startDate")
            .is_none()
    );
    let home = jsonld(&site, "index.html");
    assert_eq!(home["@type"], "EventSeries");
    assert_eq!(home["name"], "Test Working Group");

    let doc = site.html("sessions/1/index.html");
    let meta = |p: &str| attrs(&doc, &format!(r#"meta[property="{p}"]"#), "content");
    assert_eq!(meta("og:title"), ["1st session"]);
    assert_eq!(meta("og:url"), [format!("{BASE}sessions/1/")]);
    assert_eq!(meta("og:type"), ["article"]);
    assert_eq!(meta("og:site_name"), ["Test Working Group"]);
    assert_eq!(
        meta("og:description"),
        ["The first session opened the group."]
    );
    assert_eq!(
        attrs(&doc, r#"meta[name="description"]"#, "content"),
        ["The first session opened the group."]
    );
    assert_eq!(
        attrs(
            &doc,
            r#"link[rel="alternate"][type="text/calendar"]"#,
            "href"
        ),
        ["/sessions.ics"]
    );
    let sectors = site.html("sectors/index.html");
    assert_eq!(
        attrs(&sectors, r#"meta[property="og:title"]"#, "content").len(),
        1
    );
}

#[test]
fn home_page_links_the_data_and_its_licence() {
    let site = TestSite::fixture("basic");
    site.built();
    let doc = site.html("index.html");
    let links = attrs(&doc, ".open-data a", "href");
    for want in [
        "/timeline.json",
        "/timeline.schema.json",
        "/timeline.csv",
        "/commitments.csv",
        "/sessions.ics",
        "/feed.xml",
        "/SHA256SUMS",
    ] {
        assert!(links.contains(&want.to_string()), "{want}");
        assert!(site.out().join(&want[1..]).is_file(), "{want}");
    }
    assert!(crate::support::texts(&doc, ".open-data .license").is_empty());
    let hostile = TestSite::fixture("hostile");
    hostile.built();
    let licence = crate::support::texts(&hostile.html("index.html"), ".open-data .license");
    assert_eq!(
        licence,
        ["Licence: CC BY 4.0 <https://creativecommons.org/licenses/by/4.0/> & more"]
    );
}

fn build_cli(site: &TestSite, out: &Path, epoch: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pactline"));
    cmd.args(["build", "--output"])
        .arg(out)
        .current_dir(&site.root);
    match epoch {
        Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
        None => cmd.env_remove("SOURCE_DATE_EPOCH"),
    };
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

#[test]
fn builds_are_byte_identical_and_honour_source_date_epoch() {
    let site = TestSite::fixture("basic");
    let a = site.root.join("out-a");
    let b = site.root.join("nested/out-b");
    build_cli(&site, &a, None);
    build_cli(&site, &b, None);
    assert_eq!(tree(&a), tree(&b));
    let c = site.root.join("out-c");
    build_cli(&site, &c, Some("1700000000"));
    let ics = std::fs::read_to_string(c.join("sessions.ics")).unwrap();
    assert!(ics.contains("DTSTAMP:20231114T221320Z\r\n"));
    let sums = std::fs::read_to_string(a.join("SHA256SUMS")).unwrap();
    assert!(!sums.contains(&*site.root.to_string_lossy()));
}

fn verify(dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pactline"))
        .arg("verify")
        .arg(dir)
        .output()
        .unwrap()
}

#[test]
fn checksums_cover_every_file_and_verify_finds_tampering() {
    let site = TestSite::fixture("basic");
    site.built();
    let out = site.out();
    let sums = read(&site, "SHA256SUMS");
    let listed: Vec<&str> = sums.lines().map(|l| &l[66..]).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
    let files: Vec<String> = tree(&out)
        .into_keys()
        .filter(|p| !["SHA256SUMS", ".pactline-output", ".pactline-digests"].contains(&p.as_str()))
        .collect();
    assert_eq!(listed, files);
    if let Ok(o) = Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&out)
        .output()
    {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    }

    assert_eq!(verify(&out).status.code(), Some(0));
    std::fs::write(out.join("sessions/2/index.html"), "tampered").unwrap();
    std::fs::remove_file(out.join("style.css")).unwrap();
    std::fs::write(out.join("extra.html"), "x").unwrap();
    let o = verify(&out);
    assert_eq!(o.status.code(), Some(1));
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        report.contains("changed: sessions/2/index.html"),
        "{report}"
    );
    assert!(report.contains("missing: style.css"), "{report}");
    assert!(report.contains("unexpected: extra.html"), "{report}");
    std::fs::remove_file(out.join("SHA256SUMS")).unwrap();
    assert_eq!(verify(&out).status.code(), Some(2));
}

#[test]
fn an_authored_file_where_a_generated_one_goes_is_an_error_naming_both() {
    for (file, output) in [
        ("static/robots.txt", "robots.txt"),
        ("static/timeline.json", "timeline.json"),
        ("static/sessions/1/index.html", "sessions/1/index.html"),
        ("static/search/extra.json", "search/"),
        ("content/SHA256SUMS", "SHA256SUMS"),
        ("content/index.html", "index.html"),
        ("content/feed.xml", "feed.xml"),
        ("content/sitemap.xml/a.txt", "sitemap.xml"),
    ] {
        let site = TestSite::fixture("basic");
        site.write(file, "authored\n");
        let Err(pactline::site::Error::Content(diags)) = site.build() else {
            panic!("{file} replaced a generated file");
        };
        let errors: Vec<_> = diags.errors().collect();
        assert_eq!(errors.len(), 1, "{file}: {errors:#?}");
        assert_eq!(errors[0].code.id, "PL0011", "{}", errors[0]);
        assert_eq!(errors[0].file.as_deref(), Some(std::path::Path::new(file)));
        assert!(
            errors[0].message.contains(&format!("`{output}`")),
            "{}",
            errors[0]
        );
        assert!(!site.out().exists(), "{file}: a failed build wrote output");
        assert_eq!(site.run(&["check"]).status.code(), Some(1), "{file}");
    }
    // A site's static file may replace one of the theme's: that is how it is overridden.
    let site = TestSite::fixture("basic");
    site.write("static/style.css", "body { color: black }\n");
    site.built();
    assert_eq!(read(&site, "style.css"), "body { color: black }\n");
    assert_eq!(verify(&site.out()).status.code(), Some(0));
}
