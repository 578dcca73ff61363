//! The default theme's compiled pages (session, home, print) against its Tera templates:
//! every fixture is rendered both ways and every file must be the same, byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

use pactline::output::{MemorySink, RenderOptions};
use pactline::site::{LoadOptions, Site};

use crate::support::TestSite;

fn render(site: &Site, opts: &RenderOptions) -> BTreeMap<String, Vec<u8>> {
    let sink = MemorySink::default();
    site.render(opts, &sink)
        .unwrap_or_else(|d| panic!("render failed: {d:?}"));
    sink.into_files()
}

/// Renders the site at `root` with and without the compiled pages; panics at the first
/// file that differs, showing where.
fn assert_same_both_ways(root: &Path, opts: RenderOptions) {
    let site = Site::load(root, &LoadOptions::default())
        .unwrap_or_else(|d| panic!("{} does not load: {d:?}", root.display()));
    let compiled = render(&site, &opts);
    let templates = render(
        &site,
        &RenderOptions {
            templates_only: true,
            ..opts
        },
    );
    assert_eq!(
        compiled.keys().collect::<Vec<_>>(),
        templates.keys().collect::<Vec<_>>()
    );
    let mut compared = 0;
    // The checksum list differs whenever a page does: compare it last.
    let (sums, pages): (Vec<_>, Vec<_>) = compiled.iter().partition(|(p, _)| *p == "SHA256SUMS");
    for (path, bytes) in pages.into_iter().chain(sums) {
        let want = &templates[path];
        if bytes != want {
            let at = bytes
                .iter()
                .zip(want.iter())
                .position(|(a, b)| a != b)
                .unwrap_or(bytes.len().min(want.len()));
            let around = |b: &[u8]| {
                String::from_utf8_lossy(&b[at.saturating_sub(120)..(at + 120).min(b.len())])
                    .into_owned()
            };
            panic!(
                "{} {path} differs at byte {at}:\ncompiled: …{}…\ntemplate: …{}…",
                root.display(),
                around(bytes),
                around(want)
            );
        }
        compared += usize::from(path.ends_with(".html"));
    }
    assert!(compared > 3, "no pages compared");
}

#[test]
fn compiled_pages_match_the_templates_on_every_fixture() {
    for name in ["basic", "commitments", "i18n", "override", "hostile/xss"] {
        let site = TestSite::fixture(name);
        assert_same_both_ways(&site.root, RenderOptions::default());
    }
}

#[test]
fn compiled_pages_match_the_templates_on_the_reference_site() {
    let site = TestSite::reference();
    assert_same_both_ways(&site.root, RenderOptions::default());
    assert_same_both_ways(
        &site.root,
        RenderOptions {
            relative_urls: true,
            inject_script: Some("<script>reload()</script>".into()),
            ..Default::default()
        },
    );
}

#[test]
fn compiled_pages_match_the_templates_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    crate::theme::write_corpus(&root, 60);
    assert_same_both_ways(&root, RenderOptions::default());
}

#[test]
fn a_site_that_overrides_a_template_gets_its_own_pages() {
    let site = TestSite::fixture("basic");
    site.write(
        "themes/default/templates/session.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"mine\">{{ session.title }}</p>{% endblock content %}",
    );
    site.built();
    let doc = site.html("sessions/1/index.html");
    assert_eq!(crate::support::texts(&doc, "p.mine").len(), 1);
    assert_same_both_ways(&site.root, RenderOptions::default());
}
