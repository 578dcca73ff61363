//! The pages plan and the writers. `plan` lists every file the site publishes; `render`
//! turns each into bytes, in parallel, and hands them to a [`Sink`] (the data files are
//! written into it piece by piece as they are produced). Rendering never reads content from
//! disk: it works on the model and the loaded theme.

pub mod checksums;
pub mod collisions;
pub mod data;
pub mod dictionary;
pub mod feeds;
pub mod html;
pub mod ics;
pub mod jsonld;
pub mod opendata;
pub mod publish;
pub mod relative;
pub mod reuse;
pub mod sink;
pub mod sitemap;
pub mod tables;

use rayon::prelude::*;

use crate::content::Asset;
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};
use crate::theme::{Origin, Theme};
use crate::timeline::Timeline;
pub use crate::views::CHANGES;
use crate::views::paging::{self, PrintPart, numbered, page_count};
pub use opendata::DataFile;
pub use sink::{DirSink, MemorySink, Sink};

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Page {
    Home,
    Session(usize),
    /// Page `n` (from 1) of the sessions of year `i` (an index into `Timeline::years`).
    Year(usize, usize),
    Sectors,
    /// The data dictionary: every open-data file and column (see [`dictionary`]).
    Dictionary,
    /// Page `n` (from 1) of sector `i`.
    Sector(usize, usize),
    /// Page `n` (from 1) of the list of commitments.
    Commitments(usize),
    Commitment(usize),
    /// Page `n` (from 1) of the changes to the records, from the repository's history.
    Changes(usize),
    NotFound,
    /// A print page: the whole timeline with every session's notes while it is short,
    /// otherwise a part of a year (see [`crate::views::paging::print_parts`]).
    Print(PrintPart),
    /// The timeline for other sites to frame: whole, or sector `i`'s.
    Embed(Option<usize>),
    /// The full-text search index of a language (see [`crate::search`]): many small
    /// files below `search/`, written together; its path is that of `search/meta.json`.
    Search,
    /// An old address that redirects to `to` (a path below the root).
    Alias {
        from: String,
        to: String,
    },
    Static(String),
    Asset(usize),
    /// A feed, the calendar, a data export, the sitemap or robots.txt.
    Data(DataFile),
    /// `page` in the language `Timeline::translations[lang]`, below its prefix (`ru/…`).
    Localized {
        lang: usize,
        page: Box<Page>,
    },
}

/// Choices about how pages are rendered.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// A script injected before `</body>` in every HTML page (the dev server's live reload).
    pub inject_script: Option<String>,
    /// Rewrite internal links relative to each page, for browsing from disk.
    pub relative_urls: bool,
}

/// Every file of the site, in a fixed order.
pub fn plan(timeline: &Timeline, theme: &Theme, assets: &[Asset]) -> Vec<Page> {
    let mut pages = html_pages(timeline);
    pages.extend(opendata::files(timeline).into_iter().map(Page::Data));
    pages.extend(theme.static_files.keys().cloned().map(Page::Static));
    pages.extend((0..assets.len()).map(Page::Asset));
    for (lang, t) in timeline.translations.iter().enumerate() {
        pages.extend(localized_pages(t).into_iter().map(|page| Page::Localized {
            lang,
            page: Box::new(page),
        }));
    }
    pages
}

/// The HTML pages of one language: the fixed pages, one per session, sector and
/// commitment, and the redirects (`/sessions/` and each session's aliases).
fn html_pages(t: &Timeline) -> Vec<Page> {
    let per_page = t.meta.paging.per_page;
    let mut pages = vec![
        Page::Home,
        Page::Sectors,
        Page::Dictionary,
        Page::NotFound,
        Page::Search,
        Page::Embed(None),
    ];
    pages.extend((0..t.sectors.len()).map(|i| Page::Embed(Some(i))));
    pages.extend((1..=page_count(t.commitments.len(), per_page)).map(Page::Commitments));
    pages.extend((paging::print_parts(t).into_iter()).map(|(part, _)| Page::Print(part)));
    pages.extend((0..t.sessions.len()).map(Page::Session));
    for (i, y) in t.years.iter().enumerate() {
        pages.extend((1..=page_count(y.sessions.len(), per_page)).map(|n| Page::Year(i, n)));
    }
    for (i, s) in t.sectors.iter().enumerate() {
        let longest = s.sessions.len().max(s.commitments.len());
        pages.extend((1..=page_count(longest, per_page)).map(|n| Page::Sector(i, n)));
    }
    pages.extend((0..t.commitments.len()).map(Page::Commitment));
    if let Some(changes) = &t.changes {
        pages.extend((1..=page_count(changes.list.len(), per_page)).map(Page::Changes));
    }
    pages.push(Page::Alias {
        from: "sessions/".into(),
        to: String::new(),
    });
    for s in &t.sessions {
        pages.extend(s.aliases.iter().map(|a| Page::Alias {
            from: a.clone(),
            to: s.path.clone(),
        }));
    }
    pages
}

/// The pages each further language publishes: its HTML pages (a session's alias
/// `/ru/<alias>` redirects to `/ru/sessions/N/`), and the feeds and calendar. Data
/// exports, static files and assets are shared.
fn localized_pages(t: &Timeline) -> Vec<Page> {
    let mut pages = html_pages(t);
    pages.push(Page::Data(DataFile::Feed));
    if feeds::has_archive(t) {
        pages.push(Page::Data(DataFile::FeedArchive));
    }
    pages.push(Page::Data(DataFile::Calendar));
    pages.extend((0..t.commitments.len()).map(|i| Page::Data(DataFile::CommitmentFeed(i))));
    if t.changes.is_some() {
        pages.push(Page::Data(DataFile::ChangesFeed));
    }
    pages
}

/// Where `page` is written below the site root, known without rendering it.
pub fn page_path(timeline: &Timeline, assets: &[Asset], page: &Page) -> String {
    match page {
        Page::Home => "index.html".into(),
        Page::Session(i) => file_for(&timeline.sessions[*i].path),
        Page::Year(i, n) => file_for(&numbered(&timeline.years[*i].path, *n)),
        Page::Sectors => "sectors/index.html".into(),
        Page::Dictionary => file_for(dictionary::PATH),
        Page::Sector(i, n) => file_for(&numbered(&timeline.sectors[*i].path, *n)),
        Page::Commitments(n) => file_for(&numbered("commitments/", *n)),
        Page::Commitment(i) => file_for(&timeline.commitments[*i].path),
        Page::Changes(n) => file_for(&numbered(CHANGES, *n)),
        Page::NotFound => "404.html".into(),
        Page::Print(part) => file_for(&paging::print_path(timeline, part)),
        Page::Embed(sector) => file_for(&embed_path(timeline, *sector)),
        Page::Search => SEARCH_META.into(),
        Page::Alias { from, .. } => file_for(from),
        Page::Static(rel) => rel.clone(),
        Page::Asset(i) => assets[*i].rel.clone(),
        Page::Data(f) => f.path(timeline),
        Page::Localized { lang, page } => {
            let local = &timeline.translations[*lang];
            format!("{}/{}", local.meta.language, page_path(local, assets, page))
        }
    }
}

/// Output path of a page path: `sessions/11/` -> `sessions/11/index.html`.
/// `embed/`, or `embed/sectors/<slug>/` for one sector's.
pub fn embed_path(t: &Timeline, sector: Option<usize>) -> String {
    match sector.and_then(|i| t.sectors.get(i)) {
        Some(s) => format!("{EMBED_FOLDER}{}", s.path),
        None => EMBED_FOLDER.to_string(),
    }
}

/// Where the embeddable timeline is, below a language's root.
pub const EMBED_FOLDER: &str = "embed/";

pub fn file_for(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Renders every page of the plan through `recorder`, then `SHA256SUMS` of them all.
/// Returns the files' digests, for the next build, or every diagnostic when a page failed.
pub fn render(
    timeline: &Timeline,
    theme: &Theme,
    assets: &[Asset],
    opts: &RenderOptions,
    recorder: checksums::Recorder<'_>,
) -> Result<checksums::Known, Diagnostics> {
    let pages = plan(timeline, theme, assets);
    let mut diags = render_pages(timeline, theme, assets, opts, (&pages, &pages), &recorder);
    if diags.has_errors() {
        return Err(diags);
    }
    match recorder.finish() {
        Ok(known) => Ok(known),
        Err(e) => {
            diags.push(Diagnostic::error(
                d::IO,
                format!("cannot write {}: {e}", checksums::FILE),
            ));
            Err(diags)
        }
    }
}

/// Renders the pages of `only` into `sink`; `plan` is the whole site, which the sitemap
/// lists (the dev server re-renders only the pages a change touched). Writes no
/// `SHA256SUMS`. Returns the diagnostics of pages that failed.
pub fn render_pages(
    timeline: &Timeline,
    theme: &Theme,
    assets: &[Asset],
    opts: &RenderOptions,
    (plan, only): (&[Page], &[Page]),
    sink: &dyn Sink,
) -> Diagnostics {
    let ctx: Vec<html::Renderer<'_>> = std::iter::once(timeline)
        .chain(&timeline.translations)
        .map(|t| html::Renderer::localized(t, timeline, theme, opts))
        .collect();
    // Read once per build: the one place the environment may shape the output.
    let dates = opendata::Dates::new(timeline, opendata::source_date_epoch_from_env());
    let mut diags: Vec<Diagnostic> = only
        .par_iter()
        .filter_map(|page| {
            let (path, bytes) = match render_one(&ctx, assets, (plan, &dates), page, sink) {
                Ok(Some(out)) => out,
                Ok(None) => return None,
                Err(d) => return Some(d),
            };
            sink.write(&path, &bytes)
                .err()
                .map(|e| Diagnostic::error(d::IO, format!("cannot write {path}: {e}")))
        })
        .collect();
    diags.sort_by_key(|d| d.to_string());
    diags.dedup();
    Diagnostics(diags)
}

/// Renders `page` into its path and bytes; a data file is written into `sink` as it is
/// produced instead (`None`), so that the large exports are never held whole.
fn render_one(
    ctx: &[html::Renderer<'_>],
    assets: &[Asset],
    (plan, dates): (&[Page], &opendata::Dates),
    page: &Page,
    sink: &dyn Sink,
) -> Result<Option<(String, Vec<u8>)>, Diagnostic> {
    let Some(ctx_default) = ctx.first() else {
        return Err(Diagnostic::error(d::IO, "no timeline to render"));
    };
    let rendered = match page {
        Page::Localized { lang, page } => {
            let Some(local) = ctx.get(lang + 1) else {
                return Err(Diagnostic::error(d::IO, "a page of an unknown language"));
            };
            match &**page {
                Page::Data(file) => {
                    let prefix = format!("{}/", local.timeline.meta.language);
                    opendata::render(local.timeline, (plan, dates), *file, &prefix, sink)?;
                    return Ok(None);
                }
                Page::Print(part) if write_print(local, part, sink) => return Ok(None),
                Page::Search => {
                    write_search(local, sink)?;
                    return Ok(None);
                }
                inner => {
                    let (path, html) = local.render(inner)?;
                    Ok((file_for(&path), html.into_bytes()))
                }
            }
        }
        Page::Data(file) => {
            opendata::render(ctx_default.timeline, (plan, dates), *file, "", sink)?;
            return Ok(None);
        }
        Page::Static(rel) => {
            let bytes = match &ctx_default.theme.static_files[rel] {
                Origin::Embedded(b) => b.to_vec(),
                Origin::Disk(p) => std::fs::read(p).map_err(|e| {
                    Diagnostic::error(d::IO, format!("cannot read static file: {e}")).in_file(p)
                })?,
            };
            Ok((rel.clone(), bytes))
        }
        Page::Search => {
            write_search(ctx_default, sink)?;
            return Ok(None);
        }
        Page::Asset(i) => {
            let a = &assets[*i];
            let bytes = std::fs::read(&a.source).map_err(|e| {
                Diagnostic::error(d::IO, format!("cannot read: {e}")).in_file(&a.source)
            })?;
            Ok((a.rel.clone(), bytes))
        }
        Page::Print(part) if write_print(ctx_default, part, sink) => return Ok(None),
        _ => {
            let (path, html) = ctx_default.render(page)?;
            Ok((file_for(&path), html.into_bytes()))
        }
    };
    rendered.map(Some)
}

/// Where the search index of a language is, below the language's root.
pub const SEARCH_FOLDER: &str = "search/";

/// The file that stands for a language's whole search index in the plan.
pub const SEARCH_META: &str = "search/meta.json";

/// Writes every file of a language's search index into `sink`.
fn write_search(ctx: &html::Renderer<'_>, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let write = |rel: String, bytes: Vec<u8>| {
        let path = format!("{}{rel}", ctx.prefix());
        sink.write(&path, &bytes)
            .map_err(|e| Diagnostic::error(d::IO, format!("cannot write {path}: {e}")))
    };
    crate::search::write(ctx.timeline, &write)
}

/// Writes a language's print page into `sink` in pieces when the options allow (see
/// [`html::Renderer::write_print`]); `false` when it is to be rendered whole, which then
/// also reports what went wrong.
fn write_print(ctx: &html::Renderer<'_>, part: &PrintPart, sink: &dyn Sink) -> bool {
    if !ctx.writes_print_in_pieces() {
        return false;
    }
    let page = Page::Print(part.clone());
    let path = format!("{}{}", ctx.prefix(), page_path(ctx.timeline, &[], &page));
    sink.write_with(&path, &mut |out| ctx.write_print(&page, out))
        .is_ok()
}
