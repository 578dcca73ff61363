//! The commitments tracker: histories across sessions, the tracker pages, and the checks.

use pactline::diagnostics::{self as d, Code};
use pactline::site::{LoadOptions, check};

use crate::support::{TestSite, attrs, texts};

#[test]
fn tracker_page_groups_by_status_with_counts() {
    let site = TestSite::fixture("commitments");
    site.built();
    let doc = site.html("commitments/index.html");
    assert_eq!(
        texts(&doc, "p.progress"),
        [
            "5 projects and commitments tracked: 1 agreed, 1 in progress, 1 completed, 1 dropped, 1 superseded"
        ]
    );
    assert_eq!(
        attrs(&doc, ".status-filter a", "href"),
        [
            "#status-agreed",
            "#status-in-progress",
            "#status-completed",
            "#status-dropped",
            "#status-superseded"
        ]
    );
    assert_eq!(
        texts(&doc, "tbody#status-completed th[scope=row]"),
        ["Build a grid link"]
    );
    assert_eq!(
        texts(&doc, "tbody#status-completed td"),
        ["Session 2", "Session 7", "Energy"]
    );
    assert_eq!(
        texts(&doc, "tbody#status-agreed th[scope=row]"),
        ["A forgotten study"]
    );
    assert_eq!(
        texts(&doc, "tbody#status-in-progress th[scope=row]"),
        ["New port plan"]
    );
    // One table, so that the columns line up from one status to the next.
    assert_eq!(texts(&doc, "table.commitments").len(), 1);
    assert_eq!(
        texts(&doc, "table.commitments tr.group th"),
        [
            "agreed (1)",
            "in progress (1)",
            "completed (1)",
            "dropped (1)",
            "superseded (1)"
        ]
    );
}

#[test]
fn a_commitment_page_shows_its_history() {
    let site = TestSite::fixture("commitments");
    site.built();
    let doc = site.html("commitments/grid-link/index.html");
    assert_eq!(texts(&doc, "h1"), ["Build a grid link"]);
    assert_eq!(
        attrs(&doc, "ol.history > li > a", "href"),
        [
            "/sessions/2/",
            "/sessions/4/",
            "/sessions/5/",
            "/sessions/7/"
        ]
    );
    let steps = texts(&doc, "ol.history > li");
    assert!(
        steps[0].contains("agreed") && steps[0].contains("Agreed in principle."),
        "{steps:?}"
    );
    assert!(steps[1].contains("agreed → in progress"), "{steps:?}");
    assert!(
        !steps[2].contains("→"),
        "no change is shown as no change: {steps:?}"
    );
    assert!(
        steps[3].contains("in progress → completed") && steps[3].contains("Link opened."),
        "{steps:?}"
    );
    assert_eq!(
        attrs(&doc, "time", "datetime"),
        ["2020-06-10", "2021-06-10", "2022-01-10", "2023-01-10"]
    );

    let doc = site.html("commitments/old-plan/index.html");
    assert_eq!(
        attrs(&doc, "a[href='/commitments/new-plan/']", "href").len(),
        1
    );
    let doc = site.html("commitments/new-plan/index.html");
    assert_eq!(
        attrs(&doc, "a[href='/commitments/old-plan/']", "href").len(),
        1
    );
}

#[test]
fn session_pages_show_introduced_and_reviewed() {
    let site = TestSite::fixture("commitments");
    site.built();
    let doc = site.html("sessions/2/index.html");
    assert_eq!(texts(&doc, "#introduced + ul > li > a").len(), 4);
    assert!(texts(&doc, "#reviewed").is_empty());
    let doc = site.html("sessions/3/index.html");
    assert_eq!(texts(&doc, "#introduced + ul > li > a"), ["New port plan"]);
    let reviewed = texts(&doc, "#reviewed + ul > li");
    assert!(
        reviewed
            .iter()
            .any(|r| r.contains("A dropped idea proposed → dropped")),
        "{reviewed:?}"
    );
    assert!(
        reviewed
            .iter()
            .any(|r| r.contains("Old port plan proposed → superseded")),
        "{reviewed:?}"
    );
}

#[test]
fn timeline_and_sectors_show_commitments() {
    let site = TestSite::fixture("commitments");
    site.built();
    let doc = site.html("index.html");
    assert_eq!(texts(&doc, "p.progress").len(), 1);
    let counts = texts(&doc, "#session-2 .counts");
    assert_eq!(
        counts,
        ["4 commitments introduced · 0 commitments reviewed"]
    );
    assert_eq!(
        texts(&doc, "#session-3 .counts"),
        ["1 commitment introduced · 2 commitments reviewed"]
    );
    assert!(texts(&doc, "#session-6 .counts").is_empty());
    let doc = site.html("sectors/energy/index.html");
    assert_eq!(
        texts(&doc, "#commitments + ul a"),
        ["Build a grid link", "A forgotten study"]
    );
}

#[test]
fn a_stale_open_commitment_is_a_warning() {
    let site = TestSite::fixture("commitments");
    let diags = check(&site.root, &LoadOptions::default());
    let warnings: Vec<&pactline::diagnostics::Diagnostic> = diags.warnings().collect();
    let codes: Vec<Code> = warnings.iter().map(|d| d.code).collect();
    assert_eq!(codes, [d::STALE_COMMITMENT]);
    assert!(warnings[0].message.contains("quiet-one"));
}

fn errors_after(edit: &str, file: &str) -> Vec<(Code, String, usize)> {
    let site = TestSite::fixture("commitments");
    site.write(file, edit);
    check(&site.root, &LoadOptions::default())
        .errors()
        .map(|d| {
            (
                d.code,
                d.file.as_ref().unwrap().display().to_string(),
                d.span.map_or(0, |s| s.line),
            )
        })
        .collect()
}

const S6: &str = "content/sessions/6.md";

fn note6(commitments: &str) -> String {
    format!(
        "---\nsession: 6\nsources:\n  - {{ title: R, url: \"https://example.org/6\" }}\ncommitments:\n{commitments}---\n"
    )
}

#[test]
fn commitment_errors_are_located() {
    let got = errors_after(&note6("  - { id: grid-lnk, status: completed }\n"), S6);
    assert_eq!(got, [(d::UNKNOWN_COMMITMENT, S6.to_string(), 6)]);

    let got = errors_after(
        &note6("  - { id: grid-link, title: Build a grid link, status: agreed }\n"),
        S6,
    );
    assert_eq!(got, [(d::DUPLICATE_COMMITMENT, S6.to_string(), 6)]);

    let got = errors_after(
        &note6("  - { id: grid-link, title: Build two grid links, status: agreed }\n"),
        S6,
    );
    assert_eq!(got, [(d::COMMITMENT_TITLE_CHANGED, S6.to_string(), 6)]);

    let got = errors_after(&note6("  - { id: grid-link, status: finished }\n"), S6);
    assert_eq!(got, [(d::INVALID_VALUE, S6.to_string(), 6)]);

    let got = errors_after(
        &note6("  - { id: quiet-one, status: superseded, superseded_by: nowhere }\n"),
        S6,
    );
    assert_eq!(got, [(d::UNKNOWN_COMMITMENT, S6.to_string(), 6)]);

    let got = errors_after(
        &note6("  - { id: grid-link, status: agreed }\n  - { id: grid-link, status: agreed }\n"),
        S6,
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, d::DUPLICATE_COMMITMENT);

    // Session 1 mentions what session 2 introduces.
    let s1 = "---\nsession: 1\ndate: 2020-01-10\nsources:\n  - { title: R, url: \"https://example.org/1\" }\ncommitments:\n  - { id: grid-link, status: agreed }\n---\n";
    let got = errors_after(s1, "content/sessions/1.md");
    assert_eq!(
        got,
        [(
            d::UNKNOWN_COMMITMENT,
            "content/sessions/1.md".to_string(),
            7
        )]
    );
}

#[test]
fn the_reference_projects_are_proposed() {
    let site = TestSite::reference();
    site.built();
    let doc = site.html("commitments/index.html");
    let proposed = texts(&doc, "tbody#status-proposed th[scope=row]");
    assert_eq!(proposed.len(), 7, "{proposed:?}");
    assert!(proposed.contains(&"Modernised wind tunnel facility".to_string()));
    assert_eq!(
        texts(&doc, "tbody.status-group").len(),
        1,
        "all are proposed"
    );
}
