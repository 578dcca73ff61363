//! Which pages a rebuild must render. Each HTML page of the default language gets the
//! fingerprint of its view (see `crate::views`), the very value its template renders: a
//! page whose fingerprint is the same as in the last good build would render the same
//! bytes and is not rendered again.
//!
//! Every page is *deferred*: a rebuild works out which pages changed and renders none of
//! them; each is rendered when first requested, so that an edit costs the pages someone
//! looks at, not the whole site, and the server holds only those. Only pages rendered now
//! are fingerprinted by their view; one nobody has asked for renders from the newest model
//! when asked. Pages that read every session (the print page, the search index, the feeds
//! and data exports) and other languages' pages get a fingerprint of the whole model: the
//! site, every note's digests and the list of published files. Static files and assets get
//! no fingerprint and are always read, which is never wrong.

use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher, Hash};

use rayon::prelude::*;

use crate::content::Asset;
use crate::output::html::Renderer;
use crate::output::{Page, page_path};
use crate::timeline::{Digests, SessionCache, Timeline};

/// A page of the plan as a rebuild sees it.
#[derive(Debug, Clone)]
pub struct Planned {
    pub page: Page,
    /// Output path below the root.
    pub path: String,
    /// `None` when the page must always be rendered.
    pub fingerprint: Option<u64>,
    /// Rendered on request rather than with the rebuild.
    pub deferred: bool,
    /// Fingerprinted with the whole model: any change to a note may change it.
    pub whole: bool,
}

fn hash_of(value: &impl Hash) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

/// The hash of a value's JSON form. Serialized into a buffer and hashed once: hashing
/// serde's many small writes one by one is several times slower.
fn json_hash(value: &impl serde::Serialize) -> u64 {
    // Serializing plain model values cannot fail; if it did, the hash would still differ.
    hash_of(&serde_json::to_vec(value).unwrap_or_default())
}

/// Fingerprints of everything all pages share: the site's metadata and the theme.
pub fn site_fingerprint(t: &Timeline, theme_digest: u64, script: &Option<String>) -> u64 {
    hash_of(&(json_hash(&t.meta), theme_digest, script))
}

/// What a plan is fingerprinted with.
pub struct Inputs<'a> {
    /// Renders the default language's pages.
    pub renderer: &'a Renderer<'a>,
    /// Digests of the notes the model was built from.
    pub cache: &'a SessionCache,
    /// See [`site_fingerprint`].
    pub site: u64,
    /// Changes whenever a translation (which `cache` does not cover) may have.
    pub translations: u64,
    pub assets: &'a [Asset],
    /// Whether the page at an output path is rendered now. Only those are compared by
    /// their view: a page nobody asked for yet renders from the new model when asked.
    pub rendered: &'a (dyn Fn(&str) -> bool + Sync),
}

/// The fingerprint of a page rendered from its view alone (see [`is_rendered_from_view`]).
pub fn of_view(renderer: &Renderer<'_>, site: u64, page: &Page) -> u64 {
    hash_of(&(site, renderer.fingerprint(page)))
}

/// Each page of `pages` with its output path, fingerprint and whether it is deferred.
pub fn fingerprint(inputs: &Inputs<'_>, pages: Vec<Page>) -> Vec<Planned> {
    let t = inputs.renderer.timeline;
    let paths: Vec<String> = pages
        .iter()
        .map(|p| page_path(t, inputs.assets, p))
        .collect();
    let views: Vec<Option<u64>> = (pages.par_iter().zip(&paths))
        .map(|(page, path)| {
            let view = is_rendered_from_view(page) && (inputs.rendered)(path);
            view.then(|| of_view(inputs.renderer, inputs.site, page))
        })
        .collect();
    // What a page that reads every session may read: the whole model (every note's
    // digests, the site, the translations) and the list of published files (the sitemap
    // lists them).
    let notes: Option<Vec<Digests>> = (t.sessions.iter())
        .map(|s| inputs.cache.digests(&s.file))
        .collect();
    let whole = notes.map(|n| hash_of(&(inputs.site, n, &paths, inputs.translations)));
    pages
        .into_iter()
        .zip(paths)
        .zip(views)
        .map(|((page, path), view)| {
            let deferred = is_deferred(&page);
            let (fingerprint, of_whole) = match (&page, view) {
                (Page::Static(_) | Page::Asset(_), _) => (None, false),
                (_, Some(view)) => (Some(view), false),
                // Not rendered now: nothing to compare.
                (_, None) if is_rendered_from_view(&page) => (None, false),
                (_, None) => (whole.map(|w| hash_of(&(w, &path))), true),
            };
            Planned {
                page,
                path,
                fingerprint,
                deferred,
                whole: of_whole,
            }
        })
        .collect()
}

/// Pages rendered on request rather than with the rebuild: every page. A browser asks
/// for a few of them after a save; rendering the rest ahead of time would cost every edit
/// the whole site, and hold it in memory. Static files and assets are read at once.
fn is_deferred(page: &Page) -> bool {
    !matches!(page, Page::Static(_) | Page::Asset(_))
}

/// The default language's HTML pages, whose view is all they render from.
pub fn is_rendered_from_view(page: &Page) -> bool {
    matches!(
        page,
        Page::Home
            | Page::Session(_)
            | Page::Sectors
            | Page::Sector(_)
            | Page::Commitments
            | Page::Commitment(_)
            | Page::NotFound
            | Page::Alias { .. }
    )
}
