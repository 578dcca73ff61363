//! Micro-benchmarks of the pipeline's hot stages: front matter parsing, Markdown
//! rendering, one session page through its template (view, JSON-LD and Tera), and rendering a
//! whole small site into memory, the search index of a site, and the editor's check of
//! unsaved text.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use pactline::content::markdown::{self, BodyPosition};
use pactline::content::parse_bytes;
use pactline::content::schema::{RawHtml, RawSession};
use pactline::output::html::Renderer;
use pactline::output::{MemorySink, Page, RenderOptions};
use pactline::site::{LoadOptions, Site};

fn reference_note() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/sessions/11.md")).unwrap()
}

fn front_matter(c: &mut Criterion) {
    let bytes = reference_note();
    c.bench_function("parse note (front matter + split)", |b| {
        b.iter(|| parse_bytes::<RawSession>(Path::new("11.md"), &bytes).unwrap())
    });
}

fn markdown_render(c: &mut Criterion) {
    let note = parse_bytes::<RawSession>(Path::new("11.md"), &reference_note()).unwrap();
    let body = note.body.repeat(20);
    let none = |_: &str| None;
    c.bench_function("render Markdown (20x the 11th session's notes)", |b| {
        b.iter(|| {
            markdown::render(
                &body,
                BodyPosition { first_line: 1 },
                RawHtml::Passthrough,
                &none,
            )
        })
    });
}

fn page_render(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::load(root, &LoadOptions::default()).unwrap();
    let last = Page::Session(site.timeline.sessions.len() - 1);
    let opts = RenderOptions::default();
    let renderer = Renderer::new(&site.timeline, &site.theme, &opts);
    c.bench_function("render the 11th session's page", |b| {
        b.iter(|| renderer.render(&last).unwrap().1.len())
    });
}

fn site_render(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::load(root, &LoadOptions::default()).unwrap();
    c.bench_function("render the reference site into memory", |b| {
        b.iter(|| {
            let sink = MemorySink::default();
            site.render(&RenderOptions::default(), &sink).unwrap();
            sink.into_files().len()
        })
    });
    c.bench_function("load and check the reference site", |b| {
        b.iter(|| {
            Site::load(root, &LoadOptions::default())
                .unwrap()
                .timeline
                .sessions
                .len()
        })
    });
}

/// The search index of the site at `PACTLINE_BENCH_SITE` (the reference site when unset),
/// e.g. a 10,000-session corpus from `gen_corpus.py`: what the index adds to a build.
fn search_index(c: &mut Criterion) {
    let root = std::env::var_os("PACTLINE_BENCH_SITE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf());
    let site = Site::load(&root, &LoadOptions::default()).unwrap();
    let mut group = c.benchmark_group("search");
    group.sample_size(10);
    group.bench_function("build the search index", |b| {
        b.iter(|| pactline::search::build(&site.timeline).len())
    });
    group.finish();
}

/// What the editor of `serve --edit` waits for while someone types: the note's problems
/// and its page from unsaved text, on the site at `PACTLINE_BENCH_SITE` (the reference site
/// when unset), whose last session's note gets a sentence more.
fn editor_check(c: &mut Criterion) {
    let root = std::env::var_os("PACTLINE_BENCH_SITE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf());
    let mut engine =
        pactline::engine::Engine::new(&root, LoadOptions::default(), RenderOptions::default());
    let _ = engine.build();
    let mut notes: Vec<_> = std::fs::read_dir(root.join("content/sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    notes.sort();
    let last = notes.pop().unwrap();
    let rel = last.strip_prefix(&root).unwrap().to_path_buf();
    let text = std::fs::read_to_string(&last).unwrap() + "\nOne more sentence.\n";
    let mut group = c.benchmark_group("editor");
    group.sample_size(10);
    group.bench_function("check and preview unsaved text", |b| {
        b.iter(|| engine.preview(&rel, &text).diagnostics.0.len())
    });
    group.finish();
}

criterion_group!(
    benches,
    front_matter,
    markdown_render,
    page_render,
    site_render,
    search_index,
    editor_check
);
criterion_main!(benches);
