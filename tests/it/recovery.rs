//! Diagnostics that do not cascade: a note with errors reports every one of them in one
//! run, and the checks across notes do not add errors that only follow from it (a gap
//! where it stands, the commitments it introduces, links to it). Also the help for common
//! YAML mistakes, and names that differ only in spaces.

use serde_json::Value;

use crate::support::{TestSite, stderr, tree};

/// `pactline check --format json` on `site`: the diagnostics and the exit status.
fn check(site: &TestSite) -> (Vec<Value>, i32) {
    let out = site.run(&["check", "--format", "json"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let diags = (text.lines())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (diags, out.status.code().unwrap())
}

fn errors(diags: &[Value]) -> Vec<(String, String, u64)> {
    (diags.iter())
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            let code = d["code"].as_str().unwrap().to_string();
            let file = d["file"].as_str().unwrap_or("").to_string();
            (code, file, d["line"].as_u64().unwrap_or(0))
        })
        .collect()
}

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

/// No diagnostic that only follows from a note with errors.
fn no_knock_on(diags: &[Value]) {
    for code in ["PL1001", "PL0014", "PL0010", "PL1005"] {
        assert!(!codes(diags).contains(&code), "{code} in {diags:#?}");
    }
}

const THIRD: &str = "---\nsession: 3\ncommitments:\n  - { id: fisheries-pact, status: agreed }\n  - { id: port-study, title: Port study, status: proposed }\n";

#[test]
fn a_typo_in_a_note_gives_one_error_and_no_knock_on_diagnostics() {
    let site = TestSite::fixture("recovery");
    let (diags, status) = check(&site);
    assert_eq!((errors(&diags).len(), status), (0, 0), "{diags:#?}");
    site.write(
        "content/sessions/03.md",
        &format!("{THIRD}titel: Third session\n---\nText.\n"),
    );
    let (diags, status) = check(&site);
    assert_eq!(status, 1);
    assert_eq!(
        errors(&diags),
        [("PL0005".into(), "content/sessions/03.md".into(), 6)],
        "{diags:#?}"
    );
    no_knock_on(&diags);
}

#[test]
fn a_note_that_cannot_be_read_at_all_says_so_once() {
    let site = TestSite::fixture("recovery");
    site.write(
        "content/sessions/03.md",
        &format!("{THIRD}city: \"Mombasa\n---\nText.\n"),
    );
    let (diags, status) = check(&site);
    assert_eq!(status, 1);
    let found = errors(&diags);
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert_eq!(found[0].0, "PL0002");
    no_knock_on(&diags);
    let d = diags.iter().find(|d| d["code"] == "PL0002").unwrap();
    let related = d["related"].to_string();
    assert!(
        related.contains("not loaded because of this error"),
        "{related}"
    );
    let human = stderr(&site.run(&["check"]));
    assert!(
        human.contains("not loaded because of this error"),
        "{human}"
    );
}

#[test]
fn three_independent_mistakes_give_exactly_three_errors() {
    let site = TestSite::fixture("recovery");
    site.write(
        "content/sessions/03.md",
        &format!("{THIRD}titel: Third session\ndate: 2024-02-30\n---\nText.\n"),
    );
    site.write(
        "content/sessions/02.md",
        "---\nsession: 2\nvenu: Gigiri\n---\nText.\n",
    );
    let (diags, status) = check(&site);
    assert_eq!(status, 1);
    assert_eq!(
        errors(&diags),
        [
            ("PL0005".into(), "content/sessions/02.md".into(), 3),
            ("PL0005".into(), "content/sessions/03.md".into(), 6),
            ("PL0009".into(), "content/sessions/03.md".into(), 7),
        ],
        "{diags:#?}"
    );
    no_knock_on(&diags);
}

#[test]
fn a_build_with_a_partly_read_note_fails_and_leaves_the_output() {
    let site = TestSite::fixture("recovery");
    site.build().unwrap();
    let before = tree(&site.out());
    site.write(
        "content/sessions/03.md",
        &format!("{THIRD}titel: Third session\n---\nText.\n"),
    );
    assert!(site.build().is_err());
    assert_eq!(tree(&site.out()), before);
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_comma_in_a_flow_mapping_asks_for_quotes() {
    let site = TestSite::fixture("recovery");
    site.write(
        "content/sessions/02.md",
        "---\nsession: 2\nco_chairs:\n  - { name: A. Mwangi, role: Principal Secretary, State Department for Blue Economy, partner: Kenya }\n---\nText.\n",
    );
    let (diags, _) = check(&site);
    assert_eq!(errors(&diags).len(), 1, "{diags:#?}");
    let d = &diags.iter().find(|d| d["code"] == "PL0005").unwrap();
    let want = "`role: \"Principal Secretary, State Department for Blue Economy\"`";
    assert!(d["help"].as_str().unwrap().contains(want), "{d:#}");
    // On the value: from `Principal` to the end of what was read as a key.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(30))
    );
    assert_eq!(d["end"]["column"].as_u64(), Some(30 + 54));
    let human = stderr(&site.run(&["check"]));
    assert!(human.contains(want), "{human}");
}

#[test]
fn tabs_and_colons_in_values_are_named() {
    let site = TestSite::fixture("recovery");
    site.write(
        "content/sessions/02.md",
        "---\nsession: 2\ncity: Nairobi\n\tvenue: Gigiri\n---\nText.\n",
    );
    let (diags, _) = check(&site);
    let d = diags.iter().find(|d| d["code"] == "PL0002").unwrap();
    assert!(d["help"].as_str().unwrap().contains("spaces only"), "{d:#}");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(1))
    );
    site.write(
        "content/sessions/02.md",
        "---\nsession: 2\nvenue: UN Office: Gigiri\n---\nText.\n",
    );
    let (diags, _) = check(&site);
    let d = diags.iter().find(|d| d["code"] == "PL0002").unwrap();
    let help = d["help"].as_str().unwrap();
    assert!(help.contains("`venue: \"UN Office: Gigiri\"`"), "{d:#}");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(8))
    );
}

#[test]
fn init_trims_the_partners_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pactline"))
        .args([
            "init",
            site.to_str().unwrap(),
            "--partners",
            "Norway, Kenya",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let index = std::fs::read_to_string(site.join("content/_index.md")).unwrap();
    assert!(index.contains("name: \"Kenya\""), "{index}");
    assert!(!index.contains("\" Kenya\""), "{index}");
}

#[test]
fn names_are_trimmed_and_a_difference_in_spaces_is_said() {
    let site = TestSite::fixture("recovery");
    site.write(
        "content/_index.md",
        "---\ntitle: T\npartners:\n  - { name: \"Norway \" }\n  - { name: New Zealand }\nbase_url: https://example.org/\n---\n",
    );
    site.write(
        "content/sessions/02.md",
        "---\nsession: 2\nco_chairs:\n  - { name: A, partner: \" Norway\" }\n  - { name: B, partner: New  Zealand }\n---\nText.\n",
    );
    let (diags, _) = check(&site);
    let found = errors(&diags);
    assert_eq!(found.len(), 1, "{diags:#?}");
    let d = diags.iter().find(|d| d["code"] == "PL0008").unwrap();
    let help = d["help"].as_str().unwrap();
    assert!(help.contains("did you mean `New Zealand`?"), "{help}");
    assert!(help.contains("differ only in spaces"), "{help}");
}
