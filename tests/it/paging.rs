//! Long timelines split into pages: the home page lists the latest sessions and links to
//! a page per year; years, sectors, the commitments and the print pages are numbered pages
//! with plain `rel="prev"`/`rel="next"` links, in every language. Checked on parsed HTML.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use scraper::{Html, Selector};

use crate::support::{TestSite, attrs, texts};

/// A site of 23 dated sessions over three years and two undated ones, in English and
/// Russian, with small limits so that every kind of list runs over several pages.
fn long_site() -> TestSite {
    let site = TestSite::fixture("basic");
    std::fs::remove_dir_all(site.path("content/sessions")).unwrap();
    site.write(
        "content/_index.md",
        "---\ntitle: Long Group\nbase_url: https://example.org/\nlanguage: en\nlanguages: [ru]\n\
         paging: { home: 5, per_page: 4, print_kb: 5 }\n---\nA long timeline.\n",
    );
    for n in 1..=25u32 {
        let date = match n {
            1..=8 => format!("date: 2021-{:02}-10\n", n),
            9..=17 => format!("date: 2022-{:02}-10\n", n - 8),
            18..=23 => format!("date: 2023-{:02}-10\n", n - 17),
            _ => String::new(),
        };
        let sector = if n % 2 == 0 { "steel" } else { "rail" };
        let commitment = format!(
            "commitments:\n  - {{ id: c{n}, title: Commitment {n}, sectors: [{sector}], status: agreed }}\n"
        );
        let body = "Notes of the session. ".repeat(60);
        site.write(
            &format!("content/sessions/{n:02}.md"),
            &format!(
                "---\nsession: {n}\ntitle: Session {n}\n{date}sectors: [{sector}]\n{commitment}---\n{body}\n"
            ),
        );
    }
    site.built();
    site
}

fn select(doc: &Html, css: &str) -> usize {
    doc.select(&Selector::parse(css).unwrap()).count()
}

/// The output file of a root-relative page address.
fn file_of(href: &str) -> String {
    let path = href.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[test]
fn the_home_page_lists_the_latest_sessions_and_links_every_year() {
    let site = long_site();
    let home = site.html("index.html");
    let titles = texts(&home, "ol.timeline li.entry h3");
    assert_eq!(
        titles,
        [
            "Session 21",
            "Session 22",
            "Session 23",
            "Session 24",
            "Session 25"
        ]
    );
    let years = attrs(&home, ".year-index a", "href");
    assert_eq!(
        years,
        [
            "/years/2021/",
            "/years/2022/",
            "/years/2023/",
            "/years/undated/"
        ]
    );
    let ru = site.html("ru/index.html");
    assert_eq!(
        attrs(&ru, ".year-index a", "href"),
        [
            "/ru/years/2021/",
            "/ru/years/2022/",
            "/ru/years/2023/",
            "/ru/years/undated/"
        ]
    );
}

#[test]
fn year_pages_list_exactly_their_sessions_over_numbered_pages() {
    let site = long_site();
    for prefix in ["", "ru/"] {
        let mut seen = Vec::new();
        let mut next = Some(format!("/{prefix}years/2022/"));
        let mut pages = 0;
        while let Some(href) = next {
            let doc = site.html(&file_of(&href));
            let entries = texts(&doc, "ol.timeline li.entry h3");
            assert!(entries.len() <= 4, "{href}: {entries:?}");
            seen.extend(entries);
            let head_next = attrs(&doc, "link[rel=next]", "href");
            let nav_next = attrs(&doc, "nav.pager a[rel=next]", "href");
            assert_eq!(head_next, nav_next, "{href}");
            if pages > 0 {
                assert_eq!(attrs(&doc, "link[rel=prev]", "href").len(), 1, "{href}");
            }
            next = head_next.into_iter().next();
            pages += 1;
        }
        assert_eq!(pages, 3);
        let want: Vec<String> = (9..=17).map(|n| format!("Session {n}")).collect();
        assert_eq!(seen, want, "{prefix}years/2022/");
    }
    let undated = site.html("years/undated/index.html");
    assert_eq!(
        texts(&undated, "ol.timeline li.entry h3"),
        ["Session 24", "Session 25"]
    );
    assert_eq!(select(&undated, "nav.pager"), 0);
}

/// Follows every internal link from the home page without running any script.
fn reachable(site: &TestSite, prefix: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([format!("/{prefix}")]);
    while let Some(href) = queue.pop_front() {
        let href = href.split('#').next().unwrap_or_default().to_string();
        if !href.starts_with(&format!("/{prefix}")) || !seen.insert(href.clone()) {
            continue;
        }
        let file = site.out().join(file_of(&href));
        if file.extension().is_none_or(|e| e != "html") || !file.exists() {
            continue;
        }
        let doc = site.html(&file_of(&href));
        queue.extend(attrs(&doc, "main a[href]", "href"));
    }
    seen
}

#[test]
fn every_session_is_reachable_from_the_home_page_by_plain_links() {
    let site = long_site();
    for prefix in ["", "ru/"] {
        let reached = reachable(&site, prefix);
        for n in 1..=25 {
            let page = format!("/{prefix}sessions/{n}/");
            assert!(reached.contains(&page), "{page} is not reachable");
        }
    }
}

#[test]
fn sectors_and_commitments_are_split_into_pages() {
    let site = long_site();
    // 13 rail sessions and 13 rail commitments, 4 a page.
    let mut sessions = Vec::new();
    for page in [
        "sectors/rail/index.html",
        "sectors/rail/page/2/index.html",
        "sectors/rail/page/3/index.html",
        "sectors/rail/page/4/index.html",
    ] {
        let doc = site.html(page);
        let listed = texts(&doc, "ul.sector-sessions a");
        assert!(listed.len() <= 4, "{page}");
        sessions.extend(listed);
        assert_eq!(select(&doc, "nav.pager a[aria-current=page]"), 1, "{page}");
    }
    assert_eq!(sessions.len(), 13);
    assert!(!site.out().join("sectors/rail/page/5/index.html").exists());
    let mut commitments = BTreeMap::new();
    for n in 1..=7 {
        let page = if n == 1 {
            "commitments/index.html".to_string()
        } else {
            format!("commitments/page/{n}/index.html")
        };
        let doc = site.html(&page);
        for c in texts(&doc, "table.commitments th[scope=row] a") {
            *commitments.entry(c).or_insert(0) += 1;
        }
    }
    assert_eq!(commitments.len(), 25);
    assert!(commitments.values().all(|&n| n == 1));
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://example.org/commitments/page/7/"));
    assert!(sitemap.contains("https://example.org/ru/years/2022/page/3/"));
}

#[test]
fn a_long_timeline_prints_by_year_and_each_page_links_its_print_page() {
    let site = long_site();
    assert!(!site.out().join("print/index.html").exists());
    let session = site.html("sessions/10/index.html");
    let print = attrs(&session, "footer a", "href");
    assert_eq!(print.len(), 1);
    assert!(print[0].starts_with("/years/2022/print/"), "{print:?}");
    let doc = site.html(&file_of(&print[0]));
    assert!(texts(&doc, "article.print-session h2").contains(&"Session 10".to_string()));
    // Every dated session is printed exactly once across the print pages.
    let mut printed = Vec::new();
    for entry in walkdir::WalkDir::new(site.out().join("years")) {
        let entry = entry.unwrap();
        if entry.path().to_string_lossy().contains("/print/") && entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(site.out())
                .unwrap()
                .to_string_lossy()
                .to_string();
            printed.extend(texts(&site.html(&rel), "article.print-session h2"));
        }
    }
    printed.sort();
    printed.dedup();
    assert_eq!(printed.len(), 25, "{printed:?}");
}

#[test]
fn the_feed_carries_the_latest_sessions_and_an_archive_the_rest() {
    let site = TestSite::fixture("basic");
    for n in 10..70u32 {
        site.write(
            &format!("content/sessions/n{n}.md"),
            &format!(
                "---\nsession: {n}\ntitle: Session {n}\ndate: 2020-01-{:02}\n---\nNotes.\n",
                n % 28 + 1
            ),
        );
    }
    site.built();
    let read = |f: &str| {
        let bytes = std::fs::read(site.out().join(f)).unwrap();
        feed_rs::parser::parse(&bytes[..]).unwrap()
    };
    let feed = read("feed.xml");
    assert_eq!(feed.entries.len(), 50);
    assert!(
        feed.entries[0]
            .title
            .as_ref()
            .unwrap()
            .content
            .contains("Session 69")
    );
    let archive = read("feed-archive.xml");
    // The fixture's three dated published sessions (its 3rd has no date, its 5th is a
    // draft) and the sixty added.
    let total = 63;
    assert_eq!(feed.entries.len() + archive.entries.len(), total);
    let xml = std::fs::read_to_string(site.out().join("feed.xml")).unwrap();
    assert!(xml.contains("rel=\"prev-archive\""));
    let xml = std::fs::read_to_string(site.out().join("feed-archive.xml")).unwrap();
    assert!(xml.contains("<fh:archive/>") && xml.contains("rel=\"current\""));
}

#[test]
fn a_short_timeline_looks_as_before() {
    let site = TestSite::reference();
    site.built();
    let home = site.html("index.html");
    assert_eq!(select(&home, "ol.timeline li.entry"), 11);
    assert_eq!(select(&home, ".year-index"), 0);
    assert!(site.out().join("print/index.html").exists());
    assert_eq!(attrs(&home, "footer a", "href"), ["/print/"]);
}
