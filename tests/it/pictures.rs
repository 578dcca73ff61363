//! The pictures and the embed: the sector grid of `/sectors/`, the status chart of the home
//! page and `/commitments/` checked against the commitments of `timeline.json`, a
//! commitment's status path, and `/embed/` in every language.

use scraper::{Html, Selector};
use serde_json::Value;

use crate::support::{TestSite, attrs, texts};

/// The commitments fixture with its 6th session's record pending.
fn with_a_pending_session() -> TestSite {
    let site = TestSite::fixture("commitments");
    site.write(
        "content/sessions/6.md",
        "---\nsession: 6\n---\nThe record of this session has not been found yet.\n",
    );
    site.built();
    site
}

/// The cells of each body row of `table`: its header cell's text, then each cell's.
fn rows(doc: &Html, table: &str) -> Vec<Vec<String>> {
    let row = Selector::parse(&format!("{table} tbody tr")).unwrap();
    let cell = Selector::parse("th, td").unwrap();
    (doc.select(&row))
        .map(|r| {
            (r.select(&cell))
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn the_sector_grid_marks_each_session_with_the_sector_on_its_agenda() {
    let site = with_a_pending_session();
    let doc = site.html("sectors/index.html");
    assert_eq!(
        texts(&doc, ".sector-grid thead th"),
        [
            "Sector", "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "Sessions"
        ]
    );
    assert_eq!(
        attrs(&doc, ".sector-grid thead th a", "href")[0],
        "/sessions/1/"
    );
    let grid = rows(&doc, ".sector-grid");
    let names: Vec<&str> = grid.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["Energy", "Ports"]);
    // Energy: on the 1st session's agenda only; the 6th is not known either way.
    let energy: Vec<&str> = grid[0][1..8].iter().map(String::as_str).collect();
    assert_eq!(
        energy,
        ["●on the agenda", "", "", "", "", "?agenda not recorded", ""]
    );
    assert_eq!(grid[0][8], "1");
    assert_eq!(
        attrs(&doc, ".sector-grid tbody tr:first-child td a", "href"),
        ["/sessions/1/"]
    );
    assert_eq!(grid[1][8], "0");
}

#[test]
fn a_long_timeline_has_one_grid_column_per_year() {
    let site = TestSite::fixture("basic");
    std::fs::remove_dir_all(site.path("content/sessions/03")).unwrap();
    for n in 1..=45u32 {
        let year = 1990 + n / 4;
        let sectors = if n % 3 == 0 { "[ports]" } else { "[energy]" };
        site.write(
            &format!("content/sessions/{n:02}.md"),
            &format!(
                "---\nsession: {n}\ndate: {year}-0{}-10\nsectors: {sectors}\nsources:\n  - {{ title: R, url: \"https://r.example.net/{n}\" }}\n---\nNotes.\n",
                1 + n % 4
            ),
        );
    }
    site.built();
    let doc = site.html("sectors/index.html");
    let heads = texts(&doc, ".sector-grid thead th");
    let years: Vec<String> = (1990..=2001).map(|y| y.to_string()).collect();
    assert_eq!(heads[1..heads.len() - 1], years[..]);
    assert_eq!(
        attrs(&doc, ".sector-grid thead th a", "href")[0],
        "/years/1990/"
    );
    let grid = rows(&doc, ".sector-grid");
    for row in &grid {
        let total: usize = row[1..row.len() - 1]
            .iter()
            .map(|c| c.parse::<usize>().unwrap_or(0))
            .sum();
        assert_eq!(total.to_string(), row[row.len() - 1], "{row:?}");
    }
    let ports = grid.iter().find(|r| r[0] == "Ports").unwrap();
    assert_eq!(ports[ports.len() - 1], "15");
}

/// How many commitments stood at each status after session `after`, from the histories
/// in `timeline.json`.
fn standing(json: &Value, after: u64, statuses: &[String]) -> Vec<usize> {
    let mut counts = vec![0; statuses.len()];
    for c in json["commitments"].as_array().unwrap() {
        let history = c["history"].as_array().unwrap();
        let latest = (history.iter()).rfind(|h| h["session"].as_u64().unwrap() <= after);
        if let Some(h) = latest {
            let at = statuses.iter().position(|s| *s == h["status"]).unwrap();
            counts[at] += 1;
        }
    }
    counts
}

#[test]
fn the_status_chart_gives_the_model_s_numbers_with_gaps_for_pending_records() {
    let site = with_a_pending_session();
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(site.out().join("timeline.json")).unwrap())
            .unwrap();
    let labels = [
        "proposed",
        "agreed",
        "in progress",
        "completed",
        "dropped",
        "superseded",
    ];
    let slugs: Vec<String> = [
        "proposed",
        "agreed",
        "in-progress",
        "completed",
        "dropped",
        "superseded",
    ]
    .map(String::from)
    .to_vec();
    for page in ["index.html", "commitments/index.html"] {
        let doc = site.html(page);
        let head = texts(&doc, ".chart-numbers thead th");
        assert_eq!(head[1..7], labels, "{page}");
        let table = rows(&doc, ".chart-numbers");
        // From the 2nd session, the first to mention a commitment.
        let ordinals: Vec<&str> = table.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            ordinals,
            ["2nd", "3rd", "4th", "5th", "6th", "7th"],
            "{page}"
        );
        for (row, session) in table.iter().zip(2u64..) {
            if session == 6 {
                assert_eq!(row[1..], ["Record pending"], "{page}");
                continue;
            }
            let expected = standing(&json, session, &slugs);
            let shown: Vec<usize> = row[1..7].iter().map(|c| c.parse().unwrap()).collect();
            assert_eq!(shown, expected, "{page} session {session}");
            assert_eq!(row[7], expected.iter().sum::<usize>().to_string());
        }
        // The picture: one bar per row, the pending one a gap; a segment per status held.
        let bars = Selector::parse("svg.chart > g").unwrap();
        let segment = Selector::parse("rect.segment").unwrap();
        let gap = Selector::parse("rect.gap").unwrap();
        let drawn: Vec<(usize, usize)> = (doc.select(&bars))
            .map(|g| (g.select(&segment).count(), g.select(&gap).count()))
            .collect();
        assert_eq!(
            drawn,
            [(2, 0), (4, 0), (5, 0), (4, 0), (0, 1), (5, 0)],
            "{page}"
        );
        assert!(!texts(&doc, "svg.chart desc")[0].is_empty());
    }
}

#[test]
fn a_commitment_page_draws_its_status_path() {
    let site = with_a_pending_session();
    let doc = site.html("commitments/grid-link/index.html");
    assert_eq!(
        doc.select(&Selector::parse(".status-path svg > circle").unwrap())
            .count(),
        4
    );
    assert_eq!(
        texts(&doc, ".status-path figcaption"),
        [
            "Status at each session that mentioned it: Session 2 — agreed; Session 4 — in progress; Session 5 — in progress; Session 7 — completed"
        ]
    );
    let line = attrs(&doc, ".status-path .step-line", "d");
    assert_eq!(line[0].matches('H').count(), 3, "{line:?}");
}

#[test]
fn the_embed_is_the_timeline_alone_in_every_language() {
    let site = TestSite::fixture("i18n");
    site.built();
    for root in ["", "ru/"] {
        let doc = site.html(&format!("{root}embed/index.html"));
        assert!(texts(&doc, "header.site-header").is_empty(), "{root}");
        assert!(texts(&doc, "nav").is_empty(), "{root}");
        assert_eq!(attrs(&doc, "base", "target"), ["_top"]);
        assert_eq!(attrs(&doc, "meta[name=robots]", "content"), ["noindex"]);
        assert_eq!(
            texts(&doc, "ol.timeline > li").len(),
            2,
            "{root}: both sessions"
        );
        assert!(attrs(&doc, "script[src$='embed.js']", "data-sectors")[0].contains("steel"));
    }
    let energy = site.html("embed/sectors/steel/index.html");
    let shown = attrs(&energy, "ol.timeline > li", "data-sectors");
    assert!(
        !shown.is_empty() && shown.iter().all(|s| s.contains("steel")),
        "{shown:?}"
    );
    assert_eq!(
        attrs(&energy, ".embed-footer a", "href"),
        ["/sectors/steel/"]
    );
    // The home page offers the code to copy, with the embed's absolute address.
    let code = texts(&site.html("index.html"), "textarea#embed-code").join("");
    assert!(
        code.contains("<iframe src=\"https://example.org/embed/\""),
        "{code}"
    );
    assert!(
        code.contains("data-origin=\"https://example.org\""),
        "{code}"
    );
    let ru = texts(&site.html("ru/index.html"), "textarea#embed-code").join("");
    assert!(ru.contains("src=\"https://example.org/ru/embed/\""), "{ru}");
    // Embeds are for framing, not for search engines.
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/embed/"));
}

#[test]
fn the_embed_code_is_safe_to_paste_whatever_the_title() {
    let site = TestSite::fixture("hostile/xss");
    site.built();
    let code = texts(&site.html("index.html"), "textarea#embed-code").join("");
    // Pasted into another page, the code is one frame and one script, with the title as
    // an attribute's text.
    let pasted = Html::parse_fragment(&code);
    let count = |css: &str| pasted.select(&Selector::parse(css).unwrap()).count();
    assert_eq!(
        (count("iframe"), count("script"), count("img")),
        (1, 1, 0),
        "{code}"
    );
    let title = attrs(&pasted, "iframe", "title");
    assert!(
        title[0].starts_with("T <script>alert('title')</script>"),
        "{title:?}"
    );
}
