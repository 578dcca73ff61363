//! Small things a reader notices: no ordinal badge beside a title that already says it,
//! a replaced commitment named by its title, a footer that fits any body, and lists that
//! do not number sessions with numbers of their own.

use crate::support::{TestSite, attrs, texts};

#[test]
fn the_ordinal_shows_beside_a_title_of_the_note_s_own_only() {
    let site = TestSite::fixture("commitments");
    site.write(
        "content/sessions/1.md",
        &std::fs::read_to_string(site.path("content/sessions/1.md"))
            .unwrap()
            .replacen(
                "session: 1\n",
                "session: 1\ntitle: Opening of the dialogue\n",
                1,
            ),
    );
    site.built();
    let doc = site.html("index.html");
    assert_eq!(texts(&doc, "#session-1 .ordinal"), ["1st"]);
    assert_eq!(texts(&doc, "#session-2 h3"), ["2nd session"]);
    assert!(texts(&doc, "#session-2 .ordinal").is_empty());
}

#[test]
fn a_replaced_commitment_is_named_by_its_title() {
    let site = TestSite::fixture("commitments");
    site.built();
    let old = site.html("commitments/old-plan/index.html");
    let by: Vec<String> = texts(&old, "main p")
        .into_iter()
        .filter(|p| p.starts_with("Superseded by"))
        .collect();
    assert_eq!(by, ["Superseded by: New port plan"]);
    assert!(attrs(&old, "main p a", "href").contains(&"/commitments/new-plan/".to_string()));
    let new = site.html("commitments/new-plan/index.html");
    let replaced: Vec<String> = texts(&new, "main p")
        .into_iter()
        .filter(|p| p.starts_with("Supersedes"))
        .collect();
    assert_eq!(replaced, ["Supersedes: Old port plan"]);
}

#[test]
fn the_footer_fits_any_body_and_sector_lists_are_not_numbered() {
    let site = TestSite::fixture("commitments");
    site.built();
    let doc = site.html("sectors/energy/index.html");
    let footer = texts(&doc, "footer.site-footer p").join(" ");
    assert!(!footer.contains("working group"), "{footer}");
    assert!(texts(&doc, "ol.sector-sessions").is_empty());
    assert_eq!(texts(&doc, "ul.sector-sessions li").len(), 1);
}

#[test]
fn a_card_with_only_what_pactline_writes_is_in_the_page_s_language_without_a_badge() {
    let site = TestSite::fixture("i18n");
    site.write("content/sessions/3.md", "---\nsession: 3\n---\n");
    site.built();
    for (root, title) in [("ru/", "3-я сессия"), ("hi/", "तीसरा सत्र")] {
        let doc = site.html(&format!("{root}index.html"));
        assert_eq!(texts(&doc, "#session-3 h3"), [title], "{root}");
        assert!(attrs(&doc, "#session-3 h3", "lang").is_empty(), "{root}");
        assert!(
            texts(&doc, "#session-3 .untranslated-badge").is_empty(),
            "{root}"
        );
        assert!(texts(&doc, "#session-3 .ordinal").is_empty(), "{root}");
    }
}
