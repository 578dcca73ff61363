//! `pactline build` end to end on the `basic` fixture.

use std::path::Path;

use crate::support::{TestSite, attrs, stderr, texts, tree};

#[test]
fn timeline_lists_sessions_in_order_with_dates() {
    let site = TestSite::fixture("basic");
    site.built();
    let doc = site.html("index.html");
    assert_eq!(
        texts(&doc, "ol.timeline > li h3"),
        [
            "1st session",
            "2nd session",
            "3rd session",
            "Fourth session: rails"
        ]
    );
    assert_eq!(
        attrs(&doc, "ol.timeline > li time", "datetime"),
        ["2019-03-04", "2019-11-20", "2021-06-01"]
    );
    assert_eq!(
        texts(&doc, "ol.timeline > li .year-marker"),
        ["2019", "Date not on record", "2021"]
    );
    let pending = texts(&doc, "ol.timeline > li.pending .meta");
    // Its default title says the ordinal: the meta line does not repeat it.
    assert_eq!(pending, ["date not recorded"]);
    assert_eq!(texts(&doc, "h1"), ["Test Working Group"]);
    assert_eq!(attrs(&doc, ".intro a", "href"), ["/sessions/1/"]);
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let site = TestSite::fixture("basic");
    site.built();
    assert!(!site.out().join("sessions/5").exists());
    site.build_with(pactline::site::LoadOptions {
        drafts: true,
        base_url: None,
    })
    .unwrap();
    assert!(site.out().join("sessions/5/index.html").exists());
}

#[test]
fn session_page_shows_every_field_and_neighbours() {
    let site = TestSite::fixture("basic");
    site.built();
    let doc = site.html("sessions/1/index.html");
    assert_eq!(texts(&doc, "h1"), ["1st session"]);
    let chairs = texts(&doc, ".co-chair-list li");
    assert_eq!(
        chairs,
        [
            "Ann Alpha, Secretary (Alpha)",
            "Bob Beta, Deputy Minister (Beta)"
        ]
    );
    assert!(texts(&doc, ".facts dd").contains(&"Hall A, Alphaville, Alpha".to_string()));
    assert_eq!(texts(&doc, ".sources li"), ["First report, Gazette"]);
    assert_eq!(
        attrs(&doc, ".sources a", "href"),
        ["https://sources.example.net/r1"]
    );
    assert_eq!(attrs(&doc, "a[rel=next]", "href"), ["/sessions/2/"]);
    assert!(attrs(&doc, "a[rel=prev]", "href").is_empty());
    assert_eq!(attrs(&doc, ".notes h2", "id"), ["outcome"]);

    let doc = site.html("sessions/4/index.html");
    assert_eq!(attrs(&doc, "a[rel=prev]", "href"), ["/sessions/3/"]);
    assert!(
        attrs(&doc, "a[rel=next]", "href").is_empty(),
        "the draft 5th session is not a neighbour"
    );
}

#[test]
fn internal_links_resolve_to_permalinks() {
    let site = TestSite::fixture("basic");
    site.built();
    let doc = site.html("sessions/2/index.html");
    assert_eq!(attrs(&doc, ".notes a", "href"), ["/sessions/1/#outcome"]);
}

#[test]
fn sector_pages_list_exactly_their_sessions() {
    let site = TestSite::fixture("basic");
    site.built();
    let doc = site.html("sectors/steel/index.html");
    assert_eq!(
        texts(&doc, ".sector-sessions a"),
        ["1st session", "2nd session"]
    );
    let doc = site.html("sectors/railway-transport/index.html");
    assert_eq!(
        texts(&doc, ".sector-sessions a"),
        ["1st session", "Fourth session: rails"]
    );
    assert_eq!(texts(&doc, "h1"), ["Railway transport"]);
    let doc = site.html("sectors/index.html");
    assert_eq!(
        attrs(&doc, ".sector-list a", "href"),
        ["/sectors/railway-transport/", "/sectors/steel/"]
    );
}

#[test]
fn aliases_redirect_and_assets_are_copied() {
    let site = TestSite::fixture("basic");
    site.built();
    let doc = site.html("old/first/index.html");
    let refresh = attrs(&doc, "meta[http-equiv=refresh]", "content");
    assert_eq!(refresh, ["0; url=/sessions/1/"]);
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://example.org/sessions/1/"]
    );
    assert_eq!(
        std::fs::read_to_string(site.out().join("sessions/3/photo.txt"))
            .unwrap()
            .trim(),
        "not really a photo"
    );
    assert!(site.out().join("404.html").exists());
    assert!(site.out().join("style.css").exists());
}

#[test]
fn a_site_template_overrides_only_that_template() {
    let site = TestSite::fixture("override");
    site.built();
    let doc = site.html("sectors/steel/index.html");
    assert_eq!(texts(&doc, "h1.custom-sector"), ["Custom: Steel"]);
    // Other pages still come from the embedded theme, which the override also extends.
    assert_eq!(texts(&doc, ".skip-link"), ["Skip to content"]);
    let doc = site.html("sessions/1/index.html");
    assert_eq!(texts(&doc, "h1"), ["1st session"]);
}

#[test]
fn a_broken_note_fails_with_location_and_keeps_the_old_output() {
    let site = TestSite::fixture("basic");
    site.built();
    let before = tree(&site.out());
    site.write(
        "content/sessions/02.md",
        "---\nsession: 2\ndate: 2019-13-45\nsectr: [x]\n---\n",
    );
    site.write("content/sessions/06.md", "---\nsession: six\n---\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("content/sessions/02.md:4:1"), "{err}");
    assert!(err.contains("did you mean `sectors`"), "{err}");
    assert!(
        err.contains("content/sessions/06.md:2:10"),
        "all errors are reported at once: {err}"
    );
    assert_eq!(
        tree(&site.out()),
        before,
        "the previous output is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().contains("pactline-")),
        "{leftovers:?}"
    );
}

#[test]
fn a_template_error_names_template_line_and_variable() {
    let site = TestSite::fixture("override");
    site.write("themes/default/templates/sector.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ sector.nope }}</h1>\n{% endblock content %}\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("themes/default/templates/sector.html:3:15"),
        "{err}"
    );
    assert!(err.contains("Field `nope` is not defined"), "{err}");
    assert!(
        err.contains("<h1>{{ sector.nope }}</h1>"),
        "the source line: {err}"
    );
}

#[test]
fn a_template_error_in_a_component_says_where_it_was_called_from() {
    let site = TestSite::fixture("basic");
    site.write(
        "themes/default/templates/session.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ <status value=\"lost\" /> }}</p>\n{% endblock content %}\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("components.html:"), "{err}");
    assert!(
        err.contains("called from: themes/default/templates/session.html:3:7"),
        "{err}"
    );
}

/// Copies of the default theme's `base.html` and `session.html`, each with one attribute
/// added, give every page of the default build with that attribute and nothing else changed.
#[test]
fn overriding_base_and_session_templates_changes_exactly_what_they_say() {
    let plain = TestSite::fixture("basic");
    plain.built();
    let site = TestSite::fixture("basic");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let edit = |name: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(theme.join(name)).unwrap();
        assert!(text.contains(from), "{name} has no {from}");
        site.write(
            &format!("themes/default/templates/{name}"),
            &text.replace(from, to),
        );
    };
    edit(
        "base.html",
        "<main id=\"main\"",
        "<main data-edited=\"base\" id=\"main\"",
    );
    edit(
        "session.html",
        "<h1 id=\"session-title\"",
        "<h1 data-edited=\"session\" id=\"session-title\"",
    );
    site.built();
    let (before, after) = (tree(&plain.out()), tree(&site.out()));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let mut sessions = 0;
    for (path, bytes) in &after {
        if !path.ends_with(".html") || path.contains("old/") || path == "sessions/index.html" {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        assert!(
            text.contains("<main data-edited=\"base\" id=\"main\""),
            "{path}"
        );
        let is_session = path.starts_with("sessions/");
        sessions += usize::from(is_session);
        assert_eq!(
            text.contains("data-edited=\"session\""),
            is_session,
            "{path}"
        );
        let restored = text
            .replace(" data-edited=\"base\"", "")
            .replace(" data-edited=\"session\"", "");
        assert_eq!(restored, String::from_utf8_lossy(&before[path]), "{path}");
    }
    assert!(sessions >= 2, "no session page checked");
}

#[test]
fn foreign_output_folders_are_refused() {
    let site = TestSite::fixture("basic");
    site.write("precious/notes.txt", "keep me");
    let before = tree(&site.path("precious"));
    let out = site.run(&["build", "--output", "precious"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("refusing to replace"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&site.path("precious")), before);
    let out = site.run(&["build", "--output", "content"]);
    assert_eq!(out.status.code(), Some(2));
    // A folder made by pactline may be rebuilt.
    assert!(site.run(&["build", "--output", "fresh"]).status.success());
    assert!(site.run(&["build", "--output", "fresh"]).status.success());
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let site = TestSite::fixture("basic");
    let out = site.run(&["build", "--base-url", "https://example.org/wg/timeline/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = site.html("index.html");
    assert_eq!(
        attrs(&doc, "link[rel=stylesheet]", "href"),
        ["/wg/timeline/style.css"]
    );
    assert!(
        attrs(&doc, "ol.timeline h3 a", "href")
            .iter()
            .all(|h| h.starts_with("/wg/timeline/sessions/"))
    );
    assert_eq!(
        attrs(&doc, ".intro a", "href"),
        ["/wg/timeline/sessions/1/"]
    );
}

#[test]
fn a_removed_note_leaves_the_next_build() {
    let site = TestSite::fixture("basic");
    site.built();
    site.remove("content/sessions/04.md").built();
    let doc = site.html("index.html");
    assert_eq!(texts(&doc, "ol.timeline > li h3").len(), 3);
    assert!(!site.out().join("sessions/4").exists());
}

#[test]
fn a_rebuild_keeps_unchanged_files_and_rewrites_changed_and_tampered_ones() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::fixture("basic");
    site.built();
    let inode = |rel: &str| std::fs::metadata(site.out().join(rel)).unwrap().ino();
    let before: Vec<u64> = [
        "sessions/1/index.html",
        "sessions/2/index.html",
        "timeline.json",
    ]
    .map(inode)
    .to_vec();
    std::fs::write(site.out().join("sessions/4/index.html"), "edited by hand").unwrap();
    let note = std::fs::read_to_string(site.path("content/sessions/02.md")).unwrap();
    site.write(
        "content/sessions/02.md",
        &format!("{note}\nA sentence added.\n"),
    )
    .built();
    assert_eq!(inode("sessions/1/index.html"), before[0], "unchanged: kept");
    assert_ne!(
        inode("sessions/2/index.html"),
        before[1],
        "its note changed"
    );
    assert_ne!(inode("timeline.json"), before[2], "holds that note");
    let read = |rel: &str| std::fs::read_to_string(site.out().join(rel)).unwrap();
    assert!(read("sessions/2/index.html").contains("A sentence added."));
    assert!(
        read("sessions/4/index.html").contains("<html"),
        "tampered: rebuilt"
    );
    let verify = site.run(&["verify", "public"]);
    assert!(verify.status.success(), "{verify:?}");
}

/// A rebuild takes the digests that the build before kept in the output only for bytes
/// with the kept fingerprint: with a list that was cut short, or one whose fingerprints are
/// of other bytes, `SHA256SUMS` is still right.
#[test]
fn a_rebuild_takes_kept_digests_only_for_the_same_bytes() {
    use pactline::output::checksums::{self, Known};
    let site = TestSite::fixture("basic");
    site.built();
    let kept = site.out().join(".pactline-digests");
    let known = Known::load(&kept);
    let listed =
        checksums::parse(&std::fs::read_to_string(site.out().join("SHA256SUMS")).unwrap()).unwrap();
    assert_eq!(
        known.iter().count(),
        listed.len(),
        "every listed file is kept"
    );
    let note = std::fs::read_to_string(site.path("content/sessions/02.md")).unwrap();
    // Wrong digests under fingerprints of other bytes: none may be taken.
    let mut other = Known::default();
    for (path, made) in known.iter() {
        let mut made = made.clone();
        made.fingerprint ^= 1;
        made.sha256 = "0".repeat(64);
        other.insert(path, made);
    }
    other.save(&kept).unwrap();
    site.write("content/sessions/02.md", &format!("{note}\nOne more.\n"))
        .built();
    let sums = std::fs::read_to_string(site.out().join("SHA256SUMS")).unwrap();
    assert!(!sums.contains(&"0".repeat(64)));
    let verify = site.run(&["verify", "public"]);
    assert!(verify.status.success(), "{verify:?}");
    // A list cut short is no list.
    let whole = std::fs::read(&kept).unwrap();
    std::fs::write(&kept, &whole[..whole.len() / 2]).unwrap();
    site.write("content/sessions/02.md", &note).built();
    let verify = site.run(&["verify", "public"]);
    assert!(verify.status.success(), "{verify:?}");
    assert_eq!(
        Known::load(&kept).iter().count(),
        listed.len(),
        "written whole again"
    );
}
