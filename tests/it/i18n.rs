//! One timeline in several languages: the i18n fixture (English, Russian, Hindi; session 1
//! translated into Russian only, session 2 not at all; the sector `mining` has no
//! translated name) built and read back as parsed HTML.

use scraper::{Html, Selector};
use serde_json::Value;

use crate::support::{TestSite, attrs, texts};

fn site() -> TestSite {
    let site = TestSite::fixture("i18n");
    site.built();
    site
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// Each matching element's text with its own `lang`, if it has one.
fn texts_and_langs(doc: &Html, css: &str) -> Vec<(String, Option<String>)> {
    select(doc, css)
        .iter()
        .map(|e| {
            (
                e.text().collect(),
                e.value().attr("lang").map(str::to_string),
            )
        })
        .collect()
}

fn html_lang(doc: &Html) -> String {
    attrs(doc, "html", "lang").concat()
}

fn check_json(site: &TestSite) -> Vec<Value> {
    let out = site.run(&["check", "--format", "json"]);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn with_code<'a>(diags: &'a [Value], code: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["code"] == code).collect()
}

#[test]
fn every_page_kind_is_published_in_every_language_with_its_html_lang() {
    let site = site();
    for (prefix, lang) in [("", "en"), ("ru/", "ru"), ("hi/", "hi")] {
        for page in [
            "index.html",
            "sessions/1/index.html",
            "sessions/2/index.html",
            "sectors/index.html",
            "sectors/steel/index.html",
            "commitments/index.html",
            "commitments/rail-study/index.html",
            "404.html",
        ] {
            let doc = site.html(&format!("{prefix}{page}"));
            assert_eq!(html_lang(&doc), lang, "{prefix}{page}");
        }
        for file in ["feed.xml", "sessions.ics"] {
            assert!(
                site.out().join(prefix).join(file).is_file(),
                "{prefix}{file}"
            );
        }
    }
    // Shared files stay at the root and every language links them there.
    let doc = site.html("ru/index.html");
    assert_eq!(attrs(&doc, "link[rel=stylesheet]", "href"), ["/style.css"]);
    assert!(!site.out().join("ru/style.css").exists());
}

#[test]
fn each_page_links_its_translations_with_hreflang_and_a_switcher() {
    let site = site();
    let doc = site.html("ru/sessions/1/index.html");
    let alternates: Vec<(String, String)> = select(&doc, "link[rel=alternate][hreflang]")
        .iter()
        .map(|e| {
            let v = e.value();
            (
                v.attr("hreflang").unwrap().into(),
                v.attr("href").unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        alternates,
        [
            ("en".into(), "https://example.org/sessions/1/".into()),
            ("ru".into(), "https://example.org/ru/sessions/1/".into()),
            ("hi".into(), "https://example.org/hi/sessions/1/".into()),
        ]
    );
    let links = select(&doc, "nav.languages a");
    let got: Vec<(&str, &str, &str, String)> = links
        .iter()
        .map(|a| {
            let v = a.value();
            (
                v.attr("href").unwrap(),
                v.attr("lang").unwrap(),
                v.attr("hreflang").unwrap(),
                a.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("/sessions/1/", "en", "en", "English".to_string()),
            ("/ru/sessions/1/", "ru", "ru", "Русский".to_string()),
            ("/hi/sessions/1/", "hi", "hi", "हिन्दी".to_string()),
        ]
    );
    assert_eq!(attrs(&doc, "nav.languages a[aria-current]", "lang"), ["ru"]);
    // Links inside a translated body stay in its language, heading anchors included.
    assert_eq!(
        attrs(&doc, ".notes a", "href"),
        ["/ru/sessions/2/", "/ru/sessions/2/#outcomes"]
    );
}

#[test]
fn untranslated_sessions_show_the_original_with_a_badge_and_its_language() {
    let site = site();
    let doc = site.html("ru/index.html");
    let entry = |n: u32| format!("#session-{n} article");
    // The session's own text is marked English; the card's labels stay Russian, and so
    // does the default title, which pactline writes.
    assert_eq!(texts(&doc, &format!("{} h3", entry(2))), ["2-я сессия"]);
    assert!(attrs(&doc, &format!("{} h3", entry(2)), "lang").is_empty());
    assert_eq!(
        attrs(&doc, &format!("{} .co-chairs [lang=en]", entry(2)), "lang")[0],
        "en"
    );
    assert!(attrs(&doc, &entry(2), "lang").is_empty());
    assert_eq!(
        texts(&doc, &format!("{} .untranslated-badge", entry(2))),
        ["Ещё не переведено"]
    );
    assert_eq!(
        attrs(&doc, &format!("{} .untranslated-badge", entry(2)), "lang"),
        ["ru"]
    );
    // The translated session reads as Russian, without a badge or a lang of its own.
    assert!(attrs(&doc, &format!("{} h3", entry(1)), "lang").is_empty());
    assert!(select(&doc, &format!("{} .untranslated-badge", entry(1))).is_empty());
    assert_eq!(texts(&doc, &format!("{} h3", entry(1))), ["1-я сессия"]);

    let hi = site.html("hi/sessions/1/index.html");
    assert_eq!(texts(&hi, "h1"), ["पहला सत्र"]);
    assert!(attrs(&hi, "h1", "lang").is_empty());
    assert_eq!(attrs(&hi, "div.notes", "lang"), ["en"]);
    assert_eq!(texts(&hi, ".untranslated-badge"), ["अभी अनुवाद नहीं हुआ"]);
    // A link to an untranslated neighbour with a default title names it in Russian.
    let ru = site.html("ru/sessions/1/index.html");
    assert!(attrs(&ru, "a[rel=next] span[lang]", "lang").is_empty());
    assert_eq!(texts(&ru, "a[rel=next] span")[0], "2-я сессия");
    let ru = site.html("ru/sessions/2/index.html");
    assert!(attrs(&ru, "a[rel=prev] span[lang]", "lang").is_empty());
    assert!(attrs(&ru, "h1", "lang").is_empty());
    assert_eq!(attrs(&ru, "div.notes", "lang"), ["en"]);
    let en = site.html("sessions/2/index.html");
    assert!(select(&en, ".untranslated-badge").is_empty());
    assert!(select(&en, "main [lang]").is_empty());
}

/// The language an element's text is read in: its own or nearest ancestor's `lang`.
fn lang_of(e: scraper::ElementRef<'_>) -> String {
    std::iter::once(*e)
        .chain(e.ancestors())
        .filter_map(|n| n.value().as_element())
        .find_map(|el| el.attr("lang"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn interface_text_around_an_untranslated_session_reads_in_the_page_language() {
    let site = site();
    for (page, lang) in [
        ("ru/sessions/2/index.html", "ru"),
        ("hi/sessions/1/index.html", "hi"),
        ("ru/index.html", "ru"),
        ("ru/print/index.html", "ru"),
    ] {
        let doc = site.html(page);
        // Labels, dates, badges, statuses and section headings are the theme's strings.
        let labels = "dt, time, .badge, .status, .label, .unknown, article.session > h2, \
                      .print-page > h2, .print-session > h3";
        let sel = scraper::Selector::parse(labels).unwrap();
        // Headings inside the notes are the author's.
        let in_notes = |e: &scraper::ElementRef| {
            e.ancestors()
                .filter_map(|n| n.value().as_element())
                .any(|el| el.has_class("notes", scraper::CaseSensitivity::CaseSensitive))
        };
        let found: Vec<_> = doc.select(&sel).filter(|e| !in_notes(e)).collect();
        assert!(!found.is_empty(), "{page}");
        for e in found {
            assert_eq!(lang_of(e), lang, "{page}: {}", e.html());
        }
        // The untranslated text itself is marked English.
        let untranslated = scraper::Selector::parse("[lang=en]").unwrap();
        assert!(doc.select(&untranslated).next().is_some(), "{page}");
    }
}

#[test]
fn the_reference_site_has_its_11th_session_in_russian_and_hindi() {
    let site = TestSite::reference();
    site.built();
    let ru = site.html("ru/sessions/11/index.html");
    assert_eq!(html_lang(&ru), "ru");
    assert_eq!(texts(&ru, "h1"), ["11-я сессия"]);
    assert_eq!(texts(&ru, "dl.facts time"), ["6 августа 2025 г."]);
    assert!(select(&ru, ".untranslated-badge").is_empty());
    let hi = site.html("hi/sessions/11/index.html");
    assert_eq!(texts(&hi, "h1"), ["11वां सत्र"]);
    assert_eq!(texts(&hi, "dl.facts time"), ["6 अगस्त 2025"]);
    let home = site.html("hi/index.html");
    assert_eq!(html_lang(&home), "hi");
    assert_eq!(texts(&home, "#session-5 article h3"), ["5वां सत्र"]);
    assert!(attrs(&home, "#session-5 article h3", "lang").is_empty());
    let json: Value =
        serde_json::from_slice(&std::fs::read(site.out().join("timeline.json")).unwrap()).unwrap();
    let eleventh = &json["sessions"][10];
    assert_eq!(eleventh["session"], 11);
    assert_eq!(eleventh["translations"]["ru"]["title"], "11-я сессия");
    assert_eq!(
        eleventh["translations"]["hi"]["url"],
        "https://example.org/hi/sessions/11/"
    );
    assert!(json["sessions"][4].get("translations").is_none());
}

/// The `(line, column)` of the first occurrence of `needle` in `text`, 1-based.
fn position(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).expect("the needle is in the text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line as u64, column as u64)
}

#[test]
fn untranslated_commitment_text_is_marked_with_its_language() {
    let site = site();
    // `port-plan` comes from session 2, which has no Russian translation; `rail-study` from
    // the translated session 1.
    let tracker = site.html("ru/commitments/index.html");
    let rows = texts_and_langs(&tracker, "table.commitments tbody th a");
    assert_eq!(
        rows,
        [
            (
                "Port modernisation plan".to_string(),
                Some("en".to_string())
            ),
            ("Совместное исследование железных дорог".to_string(), None),
        ]
    );
    let port = site.html("ru/commitments/port-plan/index.html");
    assert_eq!(attrs(&port, "h1", "lang"), ["en"]);
    let rail = site.html("ru/commitments/rail-study/index.html");
    assert!(attrs(&rail, "h1", "lang").is_empty());
    // The history lists each session's title; session 2 and its note are in English.
    assert_eq!(
        texts(&rail, "ol.history cite"),
        ["1-я сессия", "2-я сессия"]
    );
    assert!(attrs(&rail, "ol.history cite", "lang").is_empty());
    assert_eq!(texts(&rail, "ol.history p[lang=en]"), ["Terms agreed."]);
    // Nothing is translated into Hindi: every commitment text there is English.
    let hi = site.html("hi/commitments/rail-study/index.html");
    assert_eq!(attrs(&hi, "h1", "lang"), ["en"]);
    assert_eq!(texts(&hi, "ol.history cite"), ["पहला सत्र", "दूसरा सत्र"]);
    assert!(attrs(&hi, "ol.history cite", "lang").is_empty());
    // The default language marks nothing.
    let en = site.html("commitments/rail-study/index.html");
    assert!(select(&en, "main [lang]").is_empty());
    assert!(select(&site.html("commitments/index.html"), "main [lang]").is_empty());
}

#[test]
fn untranslated_sector_names_and_session_titles_are_marked_with_their_language() {
    let site = site();
    let sectors = site.html("ru/sectors/index.html");
    let names = texts_and_langs(&sectors, ".sector-list a");
    assert_eq!(
        names,
        [
            ("Mining".to_string(), Some("en".to_string())),
            ("Сталь".to_string(), None),
        ]
    );
    assert_eq!(
        attrs(&site.html("ru/sectors/mining/index.html"), "h1", "lang"),
        ["en"]
    );
    let steel = site.html("ru/sectors/steel/index.html");
    assert!(attrs(&steel, "h1", "lang").is_empty());
    assert!(texts(&steel, ".sector-sessions a[lang=en]").is_empty());
    assert!(texts(&steel, ".sector-sessions a").contains(&"2-я сессия".to_string()));
    assert_eq!(
        texts(&steel, ".sector-sessions a:not([lang])"),
        ["1-я сессия", "2-я сессия"]
    );
    assert_eq!(
        texts(&steel, ".commitment-list a[lang=en]"),
        ["Port modernisation plan"]
    );
    // A translated session's chip of an unnamed sector, and the sector filter's option.
    let session = site.html("ru/sessions/1/index.html");
    assert_eq!(texts(&session, "a.chip[lang=en]"), ["Mining"]);
    assert_eq!(texts(&session, "a.chip:not([lang])"), ["Сталь"]);
    let home = site.html("ru/index.html");
    assert_eq!(texts(&home, "#finder-sector option[lang=en]"), ["Mining"]);
    assert_eq!(texts(&home, "#session-1 a.chip[lang=en]"), ["Mining"]);
    // In an untranslated card only the session's own text is English: a Russian sector
    // name there is read as the page's Russian.
    assert_eq!(texts(&home, "#session-2 a.chip:not([lang])"), ["Сталь"]);
    assert!(
        select(&home, "#session-2 [lang=ru]")
            .iter()
            .all(|e| e.value().has_class(
                "untranslated-badge",
                scraper::CaseSensitivity::CaseSensitive
            ))
    );
    // On a translated session's page, a commitment introduced by an untranslated one is
    // English; on the English page nothing is marked.
    let commitments = site.html("ru/commitments/port-plan/index.html");
    assert!(select(&commitments, "a.chip[lang]").is_empty());
    let en = site.html("sessions/1/index.html");
    assert!(select(&en, "main [lang]").is_empty());
}

#[test]
fn the_print_page_is_published_per_language_with_untranslated_notes_marked() {
    let site = site();
    let doc = site.html("ru/print/index.html");
    assert_eq!(html_lang(&doc), "ru");
    assert_eq!(texts(&doc, ".print-page > h1"), ["Тестовая рабочая группа"]);
    assert_eq!(texts(&doc, "#contents"), ["Содержание"]);
    // Session 1 in Russian, session 2 in English with the badge.
    assert!(attrs(&doc, "#print-1", "lang").is_empty());
    assert_eq!(texts(&doc, "#print-1-title"), ["1-я сессия"]);
    assert_eq!(
        texts(&doc, "#print-1 .notes p"),
        ["Первая сессия открыла работу группы. См. вторую и её итоги."]
    );
    assert_eq!(
        attrs(&doc, "#print-1 .notes a", "href"),
        ["/ru/sessions/2/", "/ru/sessions/2/#outcomes"]
    );
    assert_eq!(texts(&doc, "#print-1 .facts span[lang=en]"), ["Mining"]);
    assert!(attrs(&doc, "#print-2-title", "lang").is_empty());
    assert_eq!(attrs(&doc, "#print-2 .notes", "lang"), ["en"]);
    assert!(attrs(&doc, "#print-2", "lang").is_empty());
    assert_eq!(
        texts(&doc, "#print-2 .untranslated-badge"),
        ["Ещё не переведено"]
    );
    assert_eq!(attrs(&doc, "#print-2 .untranslated-badge", "lang"), ["ru"]);
    assert_eq!(texts(&doc, "#print-2 .facts span:not([lang])"), ["Сталь"]);
    assert!(texts(&doc, ".print-contents a[lang=en]").is_empty());
    // It is one of the page's languages, linked from the footer of this language.
    let alternates = attrs(&doc, "link[rel=alternate][hreflang]", "href");
    assert_eq!(
        alternates,
        [
            "https://example.org/print/",
            "https://example.org/ru/print/",
            "https://example.org/hi/print/",
        ]
    );
    assert_eq!(
        attrs(&doc, "nav.languages a", "href"),
        ["/print/", "/ru/print/", "/hi/print/"]
    );
    let home = site.html("ru/index.html");
    assert_eq!(attrs(&home, ".site-footer a", "href"), ["/ru/print/"]);
    let hi = site.html("hi/print/index.html");
    assert_eq!(html_lang(&hi), "hi");
    assert!(attrs(&hi, "article.print-session > h2", "lang").is_empty());
    assert_eq!(
        attrs(&hi, "article.print-session .notes", "lang"),
        ["en", "en"]
    );
    let en = site.html("print/index.html");
    assert!(select(&en, "main [lang]").is_empty());
    assert!(select(&en, ".untranslated-badge").is_empty());
}

#[test]
fn aliases_redirect_within_each_language() {
    let site = site();
    for (prefix, lang, text) in [
        ("", "en", "This page has moved to"),
        ("ru/", "ru", "Страница перемещена по адресу"),
        ("hi/", "hi", "यह पृष्ठ यहाँ स्थानांतरित हो गया है"),
    ] {
        let doc = site.html(&format!("{prefix}old/second/index.html"));
        assert_eq!(html_lang(&doc), lang);
        let target = format!("/{prefix}sessions/2/");
        assert_eq!(
            attrs(&doc, "meta[http-equiv=refresh]", "content"),
            [format!("0; url={target}")]
        );
        assert_eq!(
            attrs(&doc, "link[rel=canonical]", "href"),
            [format!("https://example.org{target}")]
        );
        assert!(texts(&doc, "p")[0].starts_with(text), "{prefix}");
    }
    let doc = site.html("ru/sessions/index.html");
    assert_eq!(
        attrs(&doc, "meta[http-equiv=refresh]", "content"),
        ["0; url=/ru/"]
    );
}

#[test]
fn links_in_translations_are_checked_against_the_pages_of_their_language() {
    let site = TestSite::fixture("i18n");
    let note = std::fs::read_to_string(site.path("content/sessions/1.ru.md")).unwrap();
    let note =
        format!("{note}\nСм. [девятую](@/sessions/9.md) и [раздел](@/sessions/2.md#nope).\n");
    site.write("content/sessions/1.ru.md", &note);
    let index = std::fs::read_to_string(site.path("content/_index.ru.md")).unwrap();
    let index = format!("{index}\n[Седьмая](@/sessions/7.md).\n");
    site.write("content/_index.ru.md", &index);
    let diags = check_json(&site);
    let broken = with_code(&diags, "PL0010");
    let got: Vec<(&str, u64, u64)> = broken
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let at = |text: &str, needle: &str| position(text, needle);
    let (l1, c1) = at(&note, "[девятую]");
    let (l2, c2) = at(&note, "[раздел]");
    let (l3, c3) = at(&index, "[Седьмая]");
    assert_eq!(
        got,
        [
            ("content/_index.ru.md", l3, c3),
            ("content/sessions/1.ru.md", l1, c1),
            ("content/sessions/1.ru.md", l2, c2),
        ],
        "{diags:#?}"
    );
    assert!(
        broken[1]["message"]
            .as_str()
            .unwrap()
            .contains("sessions/9.md")
    );
    assert!(broken[2]["message"].as_str().unwrap().contains("#nope"));
    assert!(broken[2]["help"].as_str().unwrap().contains("outcomes"));
    assert!(site.build().is_err());
}

#[test]
fn a_translated_feed_gives_the_language_of_untranslated_entries() {
    let site = site();
    let xml = std::fs::read_to_string(site.out().join("ru/feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let xml_ns = "http://www.w3.org/XML/1998/namespace";
    assert_eq!(doc.root_element().attribute((xml_ns, "lang")), Some("ru"));
    let entries: Vec<(Option<&str>, &str)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let title = e.children().find(|c| c.has_tag_name("title")).unwrap();
            (e.attribute((xml_ns, "lang")), title.text().unwrap())
        })
        .collect();
    assert_eq!(entries, [(Some("en"), "2-я сессия"), (None, "1-я сессия")]);
    let en = std::fs::read_to_string(site.out().join("feed.xml")).unwrap();
    assert!(en.contains("xml:lang=\"en\">") && !en.contains("<entry xml:lang"));
}

#[test]
fn text_a_translation_leaves_out_keeps_the_original_language() {
    let site = TestSite::fixture("i18n");
    // A Russian translation of session 2 that gives its title and nothing else.
    site.write(
        "content/sessions/2.ru.md",
        "---\nsession: 2\ntitle: Вторая сессия\n---\nВторая сессия согласовала исследование.\n\n## Outcomes\n\nИтоги.\n",
    );
    site.built();
    let ru = site.html("ru/sessions/2/index.html");
    assert!(attrs(&ru, "h1", "lang").is_empty());
    assert!(select(&ru, ".untranslated-badge").is_empty());
    // City, co-chair and source are still English, and say so; the labels are Russian.
    assert_eq!(
        texts(&ru, "dl.facts dd span[lang=en]"),
        ["Betatown", "Ann Alpha", "Secretary"]
    );
    assert_eq!(texts(&ru, "ul.sources [lang=en]"), ["Second report"]);
    assert!(attrs(&ru, "div.notes", "lang").is_empty());
    let card = site.html("ru/index.html");
    assert_eq!(texts(&card, "#session-2 .meta span[lang=en]"), ["Betatown"]);
    assert!(attrs(&card, "#session-2 h3", "lang").is_empty());
    // Of a translated session only what its translation leaves out is marked: here the
    // sector it has no name for and the source's publisher.
    let first = site.html("ru/sessions/1/index.html");
    assert_eq!(
        texts(&first, "dl.facts [lang=en], ul.sources [lang=en]"),
        ["Mining", "Gazette"]
    );
}

#[test]
fn an_alias_may_not_take_a_language_folder() {
    let site = TestSite::fixture("i18n");
    let note = std::fs::read_to_string(site.path("content/sessions/2.md")).unwrap();
    let note = note.replace(
        "aliases: [/old/second/]",
        "aliases: [/old/second/, /ru/sessions/1/]",
    );
    site.write("content/sessions/2.md", &note);
    let diags = check_json(&site);
    let clashes = with_code(&diags, "PL0011");
    assert_eq!(clashes.len(), 1, "{diags:?}");
    assert_eq!(clashes[0]["file"], "content/sessions/2.md");
    let (line, column) = position(&note, "/ru/sessions/1/");
    assert_eq!(clashes[0]["line"].as_u64(), Some(line));
    assert_eq!(clashes[0]["column"].as_u64(), Some(column));
    assert!(clashes[0]["message"].as_str().unwrap().contains("`ru/`"));
}

#[test]
fn counts_take_the_plural_form_of_their_number_in_each_language() {
    let site = crate::support::TestSite::reference();
    site.built();
    let progress = |rel: &str| texts(&site.html(rel), ".progress").join(" ");
    assert!(progress("index.html").starts_with("7 projects and commitments tracked"));
    assert!(progress("ru/index.html").starts_with("7 проектов и обязательств в перечне"));
    let sectors = |rel: &str| texts(&site.html(rel), ".sector-list li").join(" | ");
    // Aerospace: one session, two projects; mining: three sessions (5th, 9th, 11th).
    let en = sectors("sectors/index.html");
    assert!(en.contains("Aerospace — 1 session, 2 commitments"), "{en}");
    assert!(en.contains("Mining — 3 sessions, 1 commitment"), "{en}");
    let ru = sectors("ru/sectors/index.html");
    assert!(
        ru.contains("Авиакосмическая отрасль — 1 сессия, 2 обязательства"),
        "{ru}"
    );
    assert!(
        ru.contains("Горнодобывающая отрасль — 3 сессии, 1 обязательство"),
        "{ru}"
    );
    let hi = sectors("hi/sectors/index.html");
    assert!(hi.contains("एयरोस्पेस — 1 सत्र, 2 प्रतिबद्धताएँ"), "{hi}");
    assert!(hi.contains("खनन — 3 सत्र, 1 प्रतिबद्धता"), "{hi}");
}

/// The diagnostics `check --format json` prints for `site`.
fn checked(site: &TestSite) -> Vec<Value> {
    let out = site.run(&["check", "--format", "json"]);
    (String::from_utf8_lossy(&out.stdout).lines())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn a_new_language_is_named_in_its_own_words_and_its_strings_start_from_english() {
    let site = TestSite::fixture("i18n");
    let index = std::fs::read_to_string(site.path("content/_index.md")).unwrap();
    site.write(
        "content/_index.md",
        &index.replace("  - hi\n", "  - hi\n  - nb\n"),
    );
    // No strings in `nb` yet: a warning that says how to start, and English labels.
    let missing: Vec<Value> = (checked(&site).into_iter())
        .filter(|d| d["code"] == "PL1020")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0]["message"].as_str().unwrap().contains("`nb`"));
    assert!(
        missing[0]["help"]
            .as_str()
            .unwrap()
            .contains("pactline strings nb")
    );
    site.built();
    let switcher = texts(&site.html("index.html"), "nav.languages a");
    assert_eq!(switcher, ["English", "Русский", "हिन्दी", "Norsk bokmål"]);

    let out = site.run(&["strings", "nb"]);
    assert!(out.status.success(), "{}", crate::support::stderr(&out));
    let written = std::fs::read_to_string(site.path("themes/default/i18n/nb.yaml")).unwrap();
    let keys = |yaml: &str| -> Vec<String> {
        let map: serde_yaml::Mapping = serde_yaml::from_str(yaml).unwrap();
        map.keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect()
    };
    let english = include_str!("../../themes/default/i18n/en.yaml");
    assert_eq!(keys(&written), keys(english), "every string, to translate");
    assert!(written.contains("language_name: \"Norsk bokmål\""));
    assert!(checked(&site).iter().all(|d| d["code"] != "PL1020"));
    // A second run never overwrites a translation: a usage error.
    assert_eq!(site.run(&["strings", "nb"]).status.code(), Some(2));
    assert_eq!(site.run(&["strings", "Norsk"]).status.code(), Some(2));
}

#[test]
fn the_revision_command_prints_what_translated_from_wants() {
    let site = TestSite::fixture("i18n");
    let rel = "content/sessions/1.ru.md";
    let note = std::fs::read_to_string(site.path(rel)).unwrap();
    site.write(
        rel,
        &note.replacen(
            "session: 1\n",
            "session: 1\ntranslated_from: 000000000000\n",
            1,
        ),
    );
    let stale: Vec<Value> = (checked(&site).into_iter())
        .filter(|d| d["code"] == "PL1009")
        .collect();
    let out = site.run(&["revision", "content/sessions/1.md"]);
    assert!(out.status.success());
    let revision = String::from_utf8(out.stdout).unwrap();
    let revision = revision.trim_end();
    assert_eq!(revision.len(), 12);
    assert!(
        stale[0]["help"].as_str().unwrap().contains(revision),
        "{stale:?} {revision}"
    );
    site.write(
        rel,
        &note.replacen(
            "session: 1\n",
            &format!("session: 1\ntranslated_from: {revision}\n"),
            1,
        ),
    );
    assert!(checked(&site).iter().all(|d| d["code"] != "PL1009"));
}
