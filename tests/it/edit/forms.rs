//! The editor's work over HTTP: saves that detect a file changed on disk meanwhile, the
//! live check, the forms (a new session, a review of commitments), translations beside
//! their original, the interface in every language, and valid HTML.

use super::{Editor, base_of, raw_get, read};
use crate::serve::eventually;
use crate::support::TestSite;

#[test]
fn a_save_over_a_file_changed_on_disk_is_refused_with_both_versions() {
    let site = TestSite::fixture("basic");
    let e = Editor::start(&site);
    let rel = "content/sessions/02.md";
    let page = e.get("/_edit/note?file=content%2Fsessions%2F02.md");
    assert_eq!(page.status, 200);
    let base = base_of(&page.body);
    let theirs =
        read(&site, rel).replace("---\nsession: 2", "---\n# changed elsewhere\nsession: 2");
    std::fs::write(site.path(rel), &theirs).unwrap();
    let mine = "---\nsession: 2\n---\nMy version of the notes.\n";
    let r = e.note("save", rel, &base, mine);
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(read(&site, rel), theirs, "nothing written");
    assert!(r.body.contains("changed on disk"), "{}", r.body);
    assert!(
        r.body.contains("My version of the notes."),
        "mine is kept in the form"
    );
    assert!(r.body.contains("# changed elsewhere"), "theirs is shown");
    // Saving again from the conflict page replaces the file knowingly.
    let newer = base_of(&r.body);
    assert_ne!(newer, base);
    let r = e.note("save", rel, &newer, mine);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(read(&site, rel), mine);
    // A file removed meanwhile is a conflict too, and is not brought back.
    let page = e.get("/_edit/note?file=content%2Fsessions%2F02.md");
    std::fs::remove_file(site.path(rel)).unwrap();
    let r = e.note("save", rel, &base_of(&page.body), mine);
    assert_eq!(r.status, 409);
    assert!(!site.path(rel).exists());
    let left: Vec<String> = std::fs::read_dir(site.path("content/sessions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn check_shows_diagnostics_and_the_page_from_unsaved_text() {
    let site = TestSite::fixture("basic");
    let e = Editor::start(&site);
    let rel = "content/sessions/01.md";
    let before = read(&site, rel);
    let page = e.get("/_edit/note?file=content%2Fsessions%2F01.md");
    assert!(page.body.contains("srcdoc="), "a preview");
    let text = before.replacen(
        "session: 1\n",
        "session: 1\ntitle: Renamed in the editor\n",
        1,
    );
    let text = text.replacen("partner: Beta", "partner: Betta", 1);
    assert_ne!(text, before);
    let r = e.note("check", rel, &base_of(&page.body), &text);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("PL0008 unknown-partner"), "{}", r.body);
    assert!(r.body.contains("Betta"));
    assert!(
        r.body.contains("Renamed in the editor"),
        "the preview uses the unsaved text"
    );
    assert_eq!(read(&site, rel), before, "a check writes nothing");
    // The live check answers the same, as fragments.
    let live = e.note("live", rel, "", &text);
    assert_eq!(live.status, 200);
    let v: serde_json::Value = serde_json::from_str(&live.body).unwrap();
    assert!(v["problems"].as_str().unwrap().contains("PL0008"), "{v}");
    assert!(
        v["preview"]
            .as_str()
            .unwrap()
            .contains("Renamed in the editor")
    );
    assert_eq!(v["wip"], true);
}

#[test]
fn the_index_note_is_checked_too() {
    let site = TestSite::fixture("basic");
    let e = Editor::start(&site);
    let text = read(&site, "content/_index.md").replacen("title:", "titel:", 1);
    let r = e.note("check", "content/_index.md", "", &text);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("PL0005 unknown-key"), "{}", r.body);
}

#[test]
fn a_note_that_fails_check_is_saved_and_marked() {
    let site = TestSite::fixture("basic");
    let e = Editor::start(&site);
    let rel = "content/sessions/01.md";
    let page = e.get("/_edit/note?file=content%2Fsessions%2F01.md");
    assert!(!page.body.contains("work in progress"));
    let text = read(&site, rel).replacen("partner: Beta", "partner: Betta", 1);
    let r = e.note("save", rel, &base_of(&page.body), &text);
    assert_eq!(r.status, 303);
    assert_eq!(read(&site, rel), text);
    let after = e.get("/_edit/note?file=content%2Fsessions%2F01.md&saved=1");
    assert!(after.body.contains("Saved."));
    assert!(after.body.contains("work in progress"), "{}", after.body);
    assert!(after.body.contains("PL0008"));
    e.server.wait_stderr("build failed");
    let list = e.get("/_edit/");
    assert!(list.body.contains("edit-has-errors"), "{}", list.body);
}

#[test]
fn a_new_session_and_a_review_through_the_forms() {
    let site = TestSite::fixture("commitments");
    let e = Editor::start(&site);
    let form = e.get("/_edit/new");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("content/sessions/8.md"), "{}", form.body);
    assert!(form.body.contains("chair_name_1") && form.body.contains("value=\"energy\""));
    // A date that is not one: the form again, with what was typed.
    let typed = [
        ("date", "2024-02-30"),
        ("city", "Pune"),
        ("chair_name_1", "A. Chair"),
        ("source_url_0", "https://example.org/r"),
    ];
    let again = e.post("/_edit/new", &typed);
    assert_eq!(again.status, 422, "{}", again.body);
    for (name, value) in &typed[1..] {
        let field = format!("id=\"{name}\" name=\"{name}\"");
        let at = again.body.find(&field).unwrap_or_else(|| panic!("{name}"));
        let tag = &again.body[at..again.body[at..].find('>').unwrap() + at];
        assert!(tag.contains(&format!("value=\"{value}\"")), "{tag}");
    }
    assert!(!site.path("content/sessions/8.md").exists());
    let r = e.post(
        "/_edit/new",
        &[
            ("date", "2024-02-02"),
            ("city", "Pune"),
            ("venue", "Hall \"A\": east wing"),
            ("chair_name_0", "Ana Alpha"),
            ("chair_role_0", "Minister"),
            ("chair_name_1", "Bo Beta"),
            ("chair_role_1", ""),
            ("sector", "energy"),
            ("sector", "not-a-sector"),
            ("source_title_0", "Press release"),
            ("source_url_0", "https://example.org/8"),
            ("source_publisher_0", "Ministry"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        r.head
            .contains("location: /_edit/note?file=content%2fsessions%2f8.md"),
        "{}",
        r.head
    );
    let rel = "content/sessions/8.md";
    let note = read(&site, rel);
    let front: serde_yaml::Value =
        serde_yaml::from_str(note.split("---\n").nth(1).unwrap()).unwrap();
    assert_eq!(front["session"], 8);
    assert_eq!(front["venue"], "Hall \"A\": east wing");
    assert_eq!(front["co_chairs"][1]["partner"], "Beta");
    assert_eq!(
        front["sectors"],
        serde_yaml::from_str::<serde_yaml::Value>("[energy]").unwrap()
    );
    assert_eq!(front["sources"][0]["publisher"], "Ministry");
    assert!(
        note.contains("# commitments:"),
        "the open commitments are listed as `new` does"
    );
    // A second time: the next ordinal is taken, nothing is replaced.
    let again = e.post("/_edit/new", &[("date", "2024-03-03")]);
    assert_eq!(again.status, 303);
    assert!(site.path("content/sessions/9.md").exists());
    assert_eq!(read(&site, rel), note);

    review_and_save(&e, &site, rel, &note);
}

/// Reviews `quiet-one` in note `rel` through the form, saves, and finds the page served.
fn review_and_save(e: &Editor, site: &TestSite, rel: &str, note: &str) {
    let page = e.get("/_edit/note?file=content%2Fsessions%2F8.md");
    assert!(
        page.body.contains("quiet-one") && page.body.contains("review_status_"),
        "{}",
        page.body
    );
    let row = review_row(&page.body, "quiet-one");
    let status = format!("review_status_{row}");
    let note_field = format!("review_note_{row}");
    let r = e.post(
        "/_edit/note/review",
        &[
            ("file", rel),
            ("base", &base_of(&page.body)),
            ("text", note),
            ("review_id_0", "new-plan"),
            ("review_status_0", ""),
            (&format!("review_id_{row}"), "quiet-one"),
            (&status, "dropped"),
            (&note_field, "No longer needed: funds moved."),
        ],
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        read(site, rel),
        note,
        "a review is written into the text, not saved"
    );
    let text = textarea(&r.body);
    let front: serde_yaml::Value =
        serde_yaml::from_str(text.split("---\n").nth(1).unwrap()).unwrap();
    let reviewed = front["commitments"].as_sequence().expect("a list");
    assert_eq!(reviewed.len(), 1, "{text}");
    assert_eq!(reviewed[0]["status"], "dropped");
    assert_eq!(reviewed[0]["note"], "No longer needed: funds moved.");
    assert!(
        text.starts_with(
            &note[..note.find("---\nThe notes").unwrap()]
                .lines()
                .next()
                .unwrap()
                .to_string()
        )
    );
    for line in note.lines().filter(|l| l.starts_with('#')) {
        assert!(text.contains(line), "comment kept: {line}\n{text}");
    }
    let r = e.note("save", rel, &base_of(&page.body), &text);
    assert_eq!(r.status, 303);
    let served = eventually(&e.server, "/sessions/8/", |r| {
        r.status == 200 && r.body.contains("No longer needed")
    });
    assert!(served.body.contains("Pune"));
    let out = site.run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The row index of commitment `id` in a note page's review form.
fn review_row(page: &str, id: &str) -> usize {
    let at = page
        .find(&format!("value=\"{id}\""))
        .expect("the commitment's row");
    let name = page[..at].rfind("name=\"review_id_").unwrap() + 16;
    page[name..].split('"').next().unwrap().parse().unwrap()
}

/// The text of a page's textarea, unescaped.
fn textarea(page: &str) -> String {
    let start = page.find("<textarea").unwrap();
    let open = start + page[start..].find('>').unwrap() + 1;
    let end = page.find("</textarea>").unwrap();
    let raw = page[open..end]
        .strip_prefix('\n')
        .unwrap_or(&page[open..end]);
    raw.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn the_interface_speaks_russian_and_hindi() {
    let site = TestSite::fixture("basic");
    let e = Editor::start(&site);
    for (lang, word) in [("ru", "Записи"), ("hi", "नोट्स"), ("en", "Notes")] {
        let r = e.get(&format!("/_edit/lang?to={lang}"));
        assert_eq!(r.status, 303);
        let cookie = (r.head.lines())
            .find_map(|l| l.strip_prefix("set-cookie: "))
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let page = raw_get(
            &e.server,
            &e.host,
            "/_edit/",
            &format!("Cookie: {}; {cookie}\r\n", e.cookie),
        );
        assert!(
            page.body.contains(&format!("<html lang=\"{lang}\">")),
            "{lang}"
        );
        assert!(page.body.contains(word), "{lang}: {}", page.body);
    }
}

#[test]
fn translations_are_listed_once_and_open_beside_their_original() {
    let site = TestSite::fixture("i18n");
    let e = Editor::start(&site);
    let list = e.get("/_edit/");
    assert_eq!(list.status, 200);
    let doc = scraper::Html::parse_document(&list.body);
    let listed = crate::support::texts(&doc, "code");
    for file in [
        "content/sessions/1.md",
        "content/sessions/1.ru.md",
        "content/sessions/2.md",
    ] {
        let count = listed.iter().filter(|c| c.as_str() == file).count();
        assert_eq!(count, 1, "{file}: {}", list.body);
    }
    let original = e.get("/_edit/note?file=content%2Fsessions%2F1.md");
    let ru = read(&site, "content/sessions/1.ru.md");
    let first_ru_line = ru
        .lines()
        .find(|l| l.contains(|c: char| ('а'..='я').contains(&c)))
        .unwrap();
    assert!(
        original.body.contains("related-heading"),
        "{}",
        original.body
    );
    assert!(original.body.contains(first_ru_line), "{first_ru_line}");
    assert!(
        original
            .body
            .contains("href=\"/_edit/note?file=content%2Fsessions%2F1.ru.md\"")
    );
    let translation = e.get("/_edit/note?file=content%2Fsessions%2F1.ru.md");
    assert!(
        translation
            .body
            .contains("<code>content/sessions/1.md</code>")
    );
    assert!(
        !translation.body.contains("review_status_"),
        "reviews belong to the original"
    );
}

#[test]
fn the_review_form_lists_open_commitments_and_those_the_note_mentions() {
    let site = TestSite::fixture("commitments");
    let e = Editor::start(&site);
    let page = e.get("/_edit/note?file=content%2Fsessions%2F7.md");
    assert_eq!(page.status, 200);
    for (id, title) in [
        ("quiet-one", "A forgotten study"),
        ("grid-link", "Build a grid link"),
    ] {
        assert!(
            page.body.contains(&format!("{title} <code>{id}</code>")),
            "{id}: {}",
            page.body
        );
    }
    let row = review_row(&page.body, "grid-link");
    let selected =
        format!("name=\"review_note_{row}\" id=\"review_note_{row}\" value=\"Link opened.\"");
    assert!(page.body.contains(&selected), "what the note says is shown");
}

#[test]
#[ignore = "needs java and the Nu HTML Checker (npm ci in tests/browser); .ci/run runs it"]
fn the_editor_s_pages_pass_the_html_checker() {
    let vnu = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        vnu.is_file(),
        "{}: run `npm ci` in tests/browser/",
        vnu.display()
    );
    let site = TestSite::fixture("i18n");
    let e = Editor::start(&site);
    let out = tempfile::tempdir().unwrap();
    let rel = "content/sessions/1.md";
    let note = e.get("/_edit/note?file=content%2Fsessions%2F1.md");
    let broken = read(&site, rel).replacen("session: 1\n", "session: 1\ntitel: x\n", 1);
    let checked = e.note("check", rel, &base_of(&note.body), &broken);
    std::fs::write(site.path(rel), "---\nsession: 1\n---\nChanged on disk.\n").unwrap();
    let conflict = e.note("save", rel, &base_of(&note.body), &broken);
    assert_eq!(conflict.status, 409);
    let pages = [
        ("list", e.get("/_edit/")),
        ("new", e.get("/_edit/new")),
        ("note", note),
        (
            "translation",
            e.get("/_edit/note?file=content%2Fsessions%2F1.ru.md"),
        ),
        ("checked", checked),
        ("conflict", conflict),
    ];
    for (name, page) in &pages {
        assert!(
            page.body.starts_with("<!DOCTYPE html>"),
            "{name}: {}",
            page.body
        );
        std::fs::write(out.path().join(format!("{name}.html")), &page.body).unwrap();
    }
    let run = std::process::Command::new("java")
        .arg("-jar")
        .arg(&vnu)
        .args(["--errors-only", "--skip-non-html"])
        .arg(out.path())
        .output()
        .expect("run java");
    assert!(
        run.status.success(),
        "the Nu HTML Checker: {}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}
