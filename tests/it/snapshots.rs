//! Golden snapshots of every HTML page of the fixture sites, reviewed with `cargo insta
//! review` (or by reading `tests/it/snapshots/`). A change to a template or a view shows
//! here as a diff of the pages it changes; a page that changes without anyone meaning it
//! to fails the test.

use pactline::output::{MemorySink, RenderOptions};
use pactline::site::{LoadOptions, Site};

use crate::support::TestSite;

/// Renders the fixture `name` in memory and checks each HTML page against its snapshot.
fn assert_pages_match(name: &str) {
    let fixture = TestSite::fixture(name);
    let site = Site::load(&fixture.root, &LoadOptions::default())
        .unwrap_or_else(|d| panic!("{name} does not load: {d:?}"));
    let sink = MemorySink::default();
    site.render(&RenderOptions::default(), &sink)
        .unwrap_or_else(|d| panic!("{name} does not render: {d:?}"));
    let mut pages = 0;
    for (path, bytes) in sink.into_files() {
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8(bytes).expect("pages are UTF-8");
        let snapshot = format!("{}__{}", name.replace('/', "_"), path.replace('/', "_"));
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true, description => path.as_str() }, {
            insta::assert_snapshot!(snapshot, text);
        });
        pages += 1;
    }
    assert!(pages > 3, "{name}: no pages checked");
}

#[test]
fn basic_pages() {
    assert_pages_match("basic");
}

#[test]
fn commitments_pages() {
    assert_pages_match("commitments");
}

#[test]
fn translated_pages() {
    assert_pages_match("i18n");
}

#[test]
fn pages_of_a_site_that_overrides_a_template() {
    assert_pages_match("override");
}

#[test]
fn pages_with_script_in_every_field() {
    assert_pages_match("hostile/xss");
}
