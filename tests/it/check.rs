//! `pactline check`: every diagnostic the README lists is found, with its code, file,
//! line and column, through the JSON format; exit statuses; the human format.

use serde_json::Value;

use crate::support::{TestSite, stderr};

/// Runs `pactline check --format json` (plus `extra`) and parses one object per line.
fn check_json(site: &TestSite, extra: &[&str]) -> (Vec<Value>, i32) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let out = site.run(&args);
    let text = String::from_utf8(out.stdout).unwrap();
    let diags = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (diags, out.status.code().unwrap())
}

/// The basic fixture with `files` written over it.
fn site_with(files: &[(&str, &str)]) -> TestSite {
    let site = TestSite::fixture("basic");
    for (rel, text) in files {
        site.write(rel, text);
    }
    site
}

/// The one diagnostic with `code`, asserting its file and position (`None`: no position).
fn expect(diags: &[Value], code: &str, file: &str, pos: Option<(u64, u64)>) -> Value {
    let found: Vec<&Value> = diags.iter().filter(|d| d["code"] == code).collect();
    assert_eq!(found.len(), 1, "expected one {code}, got {diags:#?}");
    let d = found[0].clone();
    assert_eq!(d["file"], file, "{d:#}");
    match pos {
        Some((line, column)) => {
            assert_eq!(
                (d["line"].as_u64(), d["column"].as_u64()),
                (Some(line), Some(column)),
                "{d:#}"
            );
            assert!(d["end"]["line"].as_u64().unwrap() >= line, "{d:#}");
        }
        None => assert!(d["line"].is_null(), "{d:#}"),
    }
    assert!(d["help"].as_str().is_some_and(|h| !h.is_empty()), "{d:#}");
    assert!(!d["message"].as_str().unwrap().is_empty());
    d
}

/// Checks a site made of the basic fixture plus one note at `content/sessions/06.md`,
/// and returns the one diagnostic with `code` found in that note at `pos`.
fn one(note: &str, code: &str, pos: (u64, u64)) -> Value {
    let site = site_with(&[("content/sessions/06.md", note)]);
    let (diags, status) = check_json(&site, &[]);
    let d = expect(&diags, code, "content/sessions/06.md", Some(pos));
    let want = if code.starts_with("PL1") { 0 } else { 1 };
    assert_eq!(status, want, "{diags:#?}");
    d
}

const N6: &str = "---\nsession: 6\nsources:\n  - { title: R, url: \"https://example.org/6\" }\n";

#[test]
fn clean_site_exits_zero_with_only_the_history_note() {
    // The fixture is copied outside any git repository: the note says the pages leave the
    // history out, and fails nothing.
    let (diags, status) = check_json(&TestSite::fixture("basic"), &["--strict"]);
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!((codes, status), (vec!["PL1012"], 0), "{diags:#?}");
}

#[test]
fn yaml_syntax_is_reported_at_the_file_line() {
    // On the value to quote.
    let d = one("---\nsession: 6\ntitle: a: b\n---\n", "PL0002", (3, 8));
    assert_eq!(d["severity"], "error");
    assert_eq!(d["name"], "yaml-syntax");
    assert!(!d["message"].as_str().unwrap().contains("at line"), "{d}");
    // Further down, after a blank line and a comment: still the file's line.
    one(
        "---\n# c\n\nsession: 6\nvenue: x\ntitle: a: b\n---\n",
        "PL0002",
        (6, 8),
    );
}

#[test]
fn wrong_type_is_reported_on_the_value() {
    let d = one("---\ncity: x\nsession: eleven\n---\n", "PL0006", (3, 10));
    assert!(d["message"].as_str().unwrap().contains("session"), "{d}");
    assert_eq!(d["end"]["column"], 16);
}

#[test]
fn missing_session_is_reported() {
    let d = one("---\ncity: x\n---\nText.\n", "PL0007", (2, 1));
    assert!(d["message"].as_str().unwrap().contains("`session`"), "{d}");
}

#[test]
fn unknown_key_suggests_the_close_one() {
    let d = one(&format!("{N6}cty: Delhi\n---\n"), "PL0005", (5, 1));
    assert!(d["message"].as_str().unwrap().contains("`cty`"), "{d}");
    assert!(
        d["help"].as_str().unwrap().contains("did you mean `city`"),
        "{d}"
    );
}

#[test]
fn duplicate_ordinals_name_both_files() {
    let site = site_with(&[("content/sessions/zz.md", "---\nsession: 2\n---\nAgain.\n")]);
    let (diags, status) = check_json(&site, &[]);
    let d = expect(&diags, "PL0003", "content/sessions/zz.md", Some((2, 10)));
    assert_eq!(status, 1);
    let related = d["related"].as_array().expect("related places");
    assert_eq!(related[0]["file"], "content/sessions/02.md", "{d:#}");
    assert_eq!(related[0]["line"], 2);
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("content/sessions/02.md"),
        "{d}"
    );
}

#[test]
fn co_chair_partner_must_be_a_partner() {
    let note = format!("{N6}co_chairs:\n  - {{ name: Ann, partner: Alfa }}\n---\n");
    let d = one(&note, "PL0008", (6, 27));
    assert!(
        d["help"].as_str().unwrap().contains("did you mean `Alpha`"),
        "{d}"
    );
}

#[test]
fn commitment_problems() {
    let unknown = format!("{N6}commitments:\n  - {{ id: nowhere, status: agreed }}\n---\n");
    one(&unknown, "PL0014", (6, 11));
    let twice = format!(
        "{N6}commitments:\n  - {{ id: rail-study, title: Joint railway study, status: agreed }}\n---\n"
    );
    let d = one(&twice, "PL0015", (6, 11));
    assert!(d["message"].as_str().unwrap().contains("rail-study"), "{d}");
    let status = format!("{N6}commitments:\n  - {{ id: rail-study, status: finished }}\n---\n");
    let d = one(&status, "PL0016", (6, 31));
    assert_eq!(d["end"]["column"], 39, "{d}");
    assert!(d["help"].as_str().unwrap().contains("in-progress"), "{d}");
}

#[test]
fn broken_links_to_notes_and_headings() {
    let note =
        format!("{N6}---\nSee [x](@/sessions/99.md).\n\nAnd [y](@/sessions/01.md#outcom).\n");
    let site = site_with(&[("content/sessions/06.md", &note)]);
    let (diags, status) = check_json(&site, &[]);
    assert_eq!(status, 1);
    let links: Vec<_> = diags.iter().filter(|d| d["code"] == "PL0010").collect();
    assert_eq!(links.len(), 2, "{diags:#?}");
    assert_eq!(
        (links[0]["line"].as_u64(), links[0]["column"].as_u64()),
        (Some(6), Some(5))
    );
    assert_eq!(
        (links[1]["line"].as_u64(), links[1]["column"].as_u64()),
        (Some(8), Some(5))
    );
    assert!(
        links[1]["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `#outcome`")
    );
}

#[test]
fn url_collisions_between_pages_and_aliases() {
    for (alias, pos) in [
        ("/sessions/2/", (5, 11)),
        ("/sessions/2/index.html", (5, 11)),
        ("/old/first", (5, 11)),
        ("/style.css", (5, 11)),
        ("/sectors/steel/", (5, 11)),
        ("/sessions/03/photo.txt/", (5, 11)),
        ("/feed.xml", (5, 11)),
    ] {
        let d = one(&format!("{N6}aliases: [{alias}]\n---\n"), "PL0011", pos);
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .contains(alias.trim_end_matches('/')),
            "{d}"
        );
    }
}

#[test]
fn paths_that_leave_the_site() {
    for alias in [
        "../../etc/x/",
        "/a/../../x/",
        "//evil.example/",
        "https://evil.example/",
        "/a\\..\\..\\x",
        "C:/x/",
        "/a//b/",
    ] {
        one(
            &format!("{N6}aliases: ['{alias}']\n---\n"),
            "PL0012",
            (5, 12),
        );
    }
    for sector in ["../../etc", "..", "a\\b"] {
        let d = one(
            &format!("{N6}sectors: ['{sector}']\n---\n"),
            "PL0012",
            (5, 12),
        );
        assert!(d["message"].as_str().unwrap().contains(sector), "{d}");
    }
}

#[test]
fn sources_need_web_urls() {
    for url in [
        "javascript:alert(1)",
        "example.org/report",
        "ftp://example.org/x",
    ] {
        let note = format!("---\nsession: 6\nsources:\n  - {{ title: R, url: '{url}' }}\n---\n");
        one(&note, "PL0013", (4, 23));
    }
}

#[test]
fn session_numbers_start_at_one() {
    let d = one("---\nsession: 0\n---\nZero.\n", "PL0016", (2, 10));
    assert!(d["message"].as_str().unwrap().contains("session: 0"), "{d}");
}

#[test]
fn dates_must_be_real() {
    let d = one(&format!("{N6}date: 2023-02-30\n---\n"), "PL0009", (5, 7));
    assert_eq!(d["end"]["column"], 17);
}

#[test]
fn warnings_ordinal_gap_dates_sources_sectors() {
    let note = "---\nsession: 8\ndate: 2020-01-01\nsources:\n  - { title: R, url: \"https://example.org/8\" }\n---\n";
    let (diags, status) = check_json(&site_with(&[("content/sessions/08.md", note)]), &[]);
    assert_eq!(status, 0, "{diags:#?}");
    let d = expect(&diags, "PL1001", "content/sessions/08.md", Some((2, 10)));
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"].as_str().unwrap().contains("sessions 5 to 7"),
        "{d}"
    );
    let d = expect(&diags, "PL1002", "content/sessions/08.md", Some((3, 7)));
    assert_eq!(d["related"][0]["file"], "content/sessions/04.md", "{d:#}");
    one("---\nsession: 6\ncity: Delhi\n---\n", "PL1003", (2, 1));
    one(&format!("{N6}sectors: []\n---\n"), "PL1004", (5, 1));
}

#[test]
fn warnings_fail_only_when_strict() {
    let site = site_with(&[(
        "content/sessions/05.md",
        "---\nsession: 5\ncity: Delhi\n---\n",
    )]);
    let (diags, status) = check_json(&site, &[]);
    let warnings = diags.iter().filter(|d| d["severity"] == "warning").count();
    assert_eq!((warnings, status), (1, 0), "{diags:#?}");
    let (_, status) = check_json(&site, &["--strict"]);
    assert_eq!(status, 1);
    // `build` does not fail on warnings, and reports them.
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("PL1003"), "{}", stderr(&out));
}

#[test]
fn build_reports_the_same_errors_and_fails() {
    let site = site_with(&[("content/sessions/06.md", "---\nsession: eleven\n---\n")]);
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("PL0006"), "{err}");
    assert!(err.contains("content/sessions/06.md:2:10"), "{err}");
    assert!(!site.out().exists());
}

#[test]
fn human_format_is_rustc_like_without_colour_when_piped() {
    let site = site_with(&[(
        "content/sessions/06.md",
        "---\ncity: x\nsession: eleven\n---\n",
    )]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        !err.contains('\u{1b}'),
        "colour codes in piped output: {err:?}"
    );
    assert!(err.contains("error[PL0006 invalid-type]"), "{err}");
    assert!(err.contains("content/sessions/06.md:3:10"), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    let src = lines
        .iter()
        .position(|l| l.ends_with("session: eleven"))
        .unwrap_or_else(|| panic!("no source line: {err}"));
    let caret = lines[src + 1];
    let col = caret.find('^').expect("caret under the source line");
    assert_eq!(&lines[src][col..col + 6], "eleven", "{err}");
    assert_eq!(caret.matches('^').count(), 6, "{err}");
    assert!(lines.iter().any(|l| l.contains("help: ")), "{err}");
    assert!(err.contains("1 error(s), 0 warning(s)"), "{err}");
}

#[test]
fn readme_lists_every_code() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for code in pactline::diagnostics::ALL_CODES {
        let row = format!("| {} | {} |", code.id, code.name);
        assert!(readme.contains(&row), "README.md does not list {row}");
    }
}
