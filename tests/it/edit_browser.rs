//! The editor of `pactline serve --edit` in headless Chromium, as an author uses it: open
//! the printed address, record the 12th session of the reference site through the form,
//! review one commitment, type a wrong partner and see its diagnostic appear, fix it, save,
//! and find the new page on the served site. Each editor page is checked with axe-core
//! (WCAG 2.2 AA). Like the other browser tests it is `#[ignore]`d, and fails without
//! Chromium, chromedriver or axe-core (`npm ci` in tests/browser/).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::browser::{Driver, browser};
use crate::serve::{Server, WAIT};
use crate::support::TestSite;

const HEADING: &str = "return (document.querySelector('h1') || {}).textContent || ''";
const PROBLEMS: &str = "var p = document.getElementById('problems'); \
    return p && p.getAttribute('data-checked') ? p.textContent : ''";
const TEXT: &str = "return document.getElementById('text').value";

/// The WebDriver id of the element `css` selects.
fn element(driver: &Driver, css: &str) -> String {
    let found = driver.session_call(
        "POST",
        "/element",
        Some(json!({ "using": "css selector", "value": css })),
    );
    (found["value"].as_object())
        .and_then(|o| o.values().next())
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no element {css}: {found}"))
        .to_string()
}

/// Types `text` into the element `css`, as a keyboard would.
fn type_into(driver: &Driver, css: &str, text: &str) {
    let id = element(driver, css);
    driver.session_call(
        "POST",
        &format!("/element/{id}/value"),
        Some(json!({ "text": text })),
    );
}

fn click(driver: &Driver, css: &str) {
    let id = element(driver, css);
    driver.session_call("POST", &format!("/element/{id}/click"), Some(json!({})));
}

/// Presses `key` where the caret is (WebDriver actions: no element is focused anew).
fn press(driver: &Driver, key: &str) {
    let actions = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": [
        { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }
    ]}]});
    driver.session_call("POST", "/actions", Some(actions));
}

/// Waits until `script` returns a string for which `ok` holds.
fn wait_until(driver: &Driver, script: &str, ok: impl Fn(&str) -> bool, what: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let got = driver.eval(script).as_str().unwrap_or_default().to_string();
        if ok(&got) {
            return got;
        }
        assert!(Instant::now() < deadline, "{what}; last: {got:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs axe-core on the page (without its frames: the preview is the theme's own page,
/// which the theme's checks cover) and fails on any WCAG 2.2 AA violation.
fn axe_clean(driver: &Driver, axe: &str, page: &str) {
    driver.eval(&format!("{axe}\n;return ''"));
    let found = driver.session_call(
        "POST",
        "/execute/async",
        Some(
            json!({ "args": [], "script": "var done = arguments[arguments.length - 1];
            axe.run(document, { iframes: false, runOnly: { type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
              .then(function (r) { done(r.violations.map(function (v) {
                  return v.id + ': ' + v.nodes.map(function (n) { return n.html; }).join(' | ');
              })); }, function (e) { done(['axe failed: ' + e]); });" }),
        ),
    );
    let violations = found["value"].as_array().cloned().unwrap_or_default();
    assert!(violations.is_empty(), "axe on {page}: {violations:#?}");
}

fn axe_source() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `npm ci` in tests/browser/ first",
            path.display()
        )
    })
}

#[test]
#[ignore = "needs chromium and chromedriver; .ci/run runs it (cargo test -- --include-ignored)"]
fn an_author_records_the_12th_session_in_the_editor() {
    let (chromium, chromedriver) = browser();
    let axe = axe_source();
    let site = TestSite::reference();
    let server = Server::start(&site.root, &["--edit"]);
    let address = server.editor.clone().expect("the editor's address");
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver::start(&chromium, &chromedriver, profile.path());

    driver.goto(&address);
    driver.wait_for_text(HEADING, "Notes");
    let here = driver.eval("return location.href");
    assert!(!here.as_str().unwrap().contains("token"), "{here}");
    axe_clean(&driver, &axe, "the list");

    create_the_12th_session(&driver, &axe, &server.url);
    assert!(site.path("content/sessions/12.md").is_file());
    review_one_commitment(&driver);
    type_a_wrong_partner_and_fix_it(&driver);
    click(&driver, "button[formaction='/_edit/note/save']");
    driver.wait_for_text(
        "return (document.querySelector('.edit-message') || {}).textContent || ''",
        "Saved.",
    );
    assert_eq!(
        driver.eval("return document.querySelectorAll('.edit-wip').length"),
        0
    );
    let note = std::fs::read_to_string(site.path("content/sessions/12.md")).unwrap();
    assert!(
        note.contains("Design work began.") && note.contains("partner: \"India\""),
        "{note}"
    );

    // The served site has the new session's page once the watcher has rebuilt.
    let deadline = Instant::now() + WAIT;
    loop {
        driver.goto(&format!("{}sessions/12/", server.url));
        let heading = driver
            .eval(HEADING)
            .as_str()
            .unwrap_or_default()
            .to_string();
        if heading.contains("12th") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no page for the 12th session: {heading:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let body = driver.eval("return document.body.textContent");
    assert!(body.as_str().unwrap().contains("Moscow"));

    every_language_is_axe_clean(&driver, &axe, &server.url);
}

/// Fills in and sends the new-session form.
fn create_the_12th_session(driver: &Driver, axe: &str, url: &str) {
    driver.goto(&format!("{}_edit/new", url));
    driver.wait_for_text(HEADING, "12");
    axe_clean(driver, axe, "the new-session form");
    driver.eval("document.getElementById('date').value = '2026-03-10'; return ''");
    type_into(driver, "#city", "Moscow");
    type_into(driver, "#venue", "Government House");
    type_into(driver, "#chair_name_0", "First Co-chair");
    type_into(driver, "#chair_role_0", "Secretary");
    type_into(driver, "#chair_name_1", "Second Co-chair");
    type_into(driver, "#chair_role_1", "Deputy Minister");
    click(driver, "input[name=sector][value=aerospace]");
    type_into(driver, "#source_title_0", "Protocol of the 12th session");
    type_into(driver, "#source_url_0", "https://example.org/12");
    click(driver, "form[action='/_edit/new'] button[type=submit]");
    driver.wait_for_text(HEADING, "content/sessions/12.md");
    // The preview is the session page, styled by the site's stylesheet.
    let previewed = "var f = document.querySelector('#preview iframe'); \
        var d = f && f.contentDocument; \
        return d && d.styleSheets.length && d.styleSheets[0].cssRules.length && d.querySelector('h1') ? d.querySelector('h1').textContent : ''";
    driver.wait_for_text(previewed, "12th session");
    axe_clean(driver, axe, "the note page");
}

/// Gives one commitment a new status and a note, written into the text.
fn review_one_commitment(driver: &Driver) {
    // Review one commitment: its row's new status and a note, written into the text.
    let name = driver.eval("return document.querySelector('input[value=\"wind-tunnel\"]').name");
    let row = name
        .as_str()
        .unwrap()
        .trim_start_matches("review_id_")
        .to_string();
    click(
        driver,
        &format!("#review_status_{row} option[value=in-progress]"),
    );
    type_into(driver, &format!("#review_note_{row}"), "Design work began.");
    click(driver, "button[formaction='/_edit/note/review']");
    wait_until(
        driver,
        TEXT,
        |t| t.contains("id: wind-tunnel"),
        "the review never reached the text",
    );
}

/// Types a wrong partner: its diagnostic appears beside its line; removed: it goes.
fn type_a_wrong_partner_and_fix_it(driver: &Driver) {
    // A wrong partner, typed: its diagnostic appears; removed: it goes.
    click(driver, "#text");
    driver.eval(
        "var t = document.getElementById('text'); var at = t.value.indexOf('partner: \"India') + 15; \
         t.focus(); t.setSelectionRange(at, at); return ''",
    );
    press(driver, "x");
    let shown = wait_until(
        driver,
        PROBLEMS,
        |p| p.contains("PL0008"),
        "no diagnostic for the wrong partner",
    );
    assert!(
        shown.contains("Indiax") && shown.contains("line"),
        "{shown}"
    );
    // Beside its line: the gutter marks it, and the problem's place moves the caret there.
    let line = driver.eval(
        "var t = document.getElementById('text').value; \
         return String(t.slice(0, t.indexOf('Indiax')).split('\\n').length)",
    );
    let marked = wait_until(
        driver,
        "return (document.querySelector('.edit-mark-error') || {}).textContent || ''",
        |m| !m.is_empty(),
        "no line marked",
    );
    assert_eq!(Value::from(marked), line);
    click(driver, "#problems button.edit-where");
    let caret = driver.eval(
        "var t = document.getElementById('text'); \
         return String(t.value.slice(0, t.selectionStart).split('\\n').length)",
    );
    assert_eq!(caret, line);
    assert_eq!(driver.eval("return document.activeElement.id"), "text");
    driver.eval(
        "var t = document.getElementById('text'); var at = t.value.indexOf('Indiax') + 6; \
         t.setSelectionRange(at, at); return ''",
    );
    press(driver, "\u{E003}");
    wait_until(
        driver,
        PROBLEMS,
        |p| !p.is_empty() && !p.contains("PL0008"),
        "the diagnostic stayed after the fix",
    );
    assert!(
        driver
            .eval(TEXT)
            .as_str()
            .unwrap()
            .contains("partner: \"India\"")
    );
}

/// The editor in its other languages, with a problem listed, is as accessible.
fn every_language_is_axe_clean(driver: &Driver, axe: &str, url: &str) {
    for (lang, heading) in [("ru", "Записи"), ("hi", "नोट्स")] {
        driver.goto(&format!("{}_edit/lang?to={lang}", url));
        driver.wait_for_text(HEADING, heading);
        axe_clean(driver, axe, &format!("the list in {lang}"));
        driver.goto(&format!(
            "{}_edit/note?file=content%2Fsessions%2F11.md",
            url
        ));
        driver.wait_for_text("return document.documentElement.lang", lang);
        axe_clean(driver, axe, &format!("the note page in {lang}"));
        driver.goto(&format!("{}_edit/new", url));
        driver.wait_for_text("return document.documentElement.lang", lang);
        axe_clean(driver, axe, &format!("the new-session form in {lang}"));
    }
}
