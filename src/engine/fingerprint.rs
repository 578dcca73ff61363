//! Which rendered pages a rebuild keeps. Every page is *deferred*: a rebuild renders none
//! of them; each is rendered when first requested, from the newest model, so that an edit
//! costs the pages someone looks at, not the whole site, and the server holds only those.
//! A page rendered earlier is kept when its fingerprint is the same as when it was
//! rendered: it would render the same bytes.
//!
//! The default language's HTML pages are fingerprinted by their view (see `crate::views`),
//! the very value their template renders. Pages that read every session (the print page,
//! the search index, the feeds and data exports) and other languages' pages get a
//! fingerprint of the whole model: the site, every note's digests and the list of
//! published files. Static files and assets get none and are read with every rebuild,
//! which is never wrong.

use std::hash::{BuildHasher, Hash, Hasher};

use ahash::AHashMap;
use rayon::prelude::*;

use std::sync::Arc;

use super::served::Addresses;
use crate::content::Asset;
use crate::output::html::Renderer;
use crate::output::{Page, page_path};
use crate::timeline::Timeline;

/// Fingerprints live as long as the process: a fast hasher with fixed keys will do.
fn hasher() -> ahash::AHasher {
    ahash::RandomState::with_seeds(1, 2, 3, 4).build_hasher()
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = hasher();
    value.hash(&mut h);
    h.finish()
}

/// The hash of a value's JSON form. Serialized into a buffer and hashed once: hashing
/// serde's many small writes one by one is several times slower.
fn json_hash(value: &impl serde::Serialize) -> u64 {
    // Serializing plain model values cannot fail; if it did, the hash would still differ.
    hash_of(&serde_json::to_vec(value).unwrap_or_default())
}

/// Fingerprints of everything all pages share: the site's metadata, the theme, and
/// whether the site has a history (the footer links `/changes/` then).
pub fn site_fingerprint(t: &Timeline, theme_digest: u64, script: &Option<String>) -> u64 {
    let history = t.changes.is_some();
    hash_of(&(json_hash(&t.meta), theme_digest, script, history))
}

/// Every page of a plan by its output path, with a digest of what the paths are worked out
/// from. The `last` build's are shared when that is the same: most edits move no page,
/// and a large site has tens of thousands of them.
pub fn addresses(
    t: &Timeline,
    assets: &[Asset],
    plan: &[Page],
    last: Option<&Arc<Addresses>>,
) -> Arc<Addresses> {
    let digest = paths_digest(t, assets, plan);
    if let Some(last) = last.filter(|last| last.digest == digest) {
        return Arc::clone(last);
    }
    // Worked out on every core.
    let paths: Vec<String> = plan.par_iter().map(|p| page_path(t, assets, p)).collect();
    let index: AHashMap<String, Page> = paths.into_iter().zip(plan.iter().cloned()).collect();
    Arc::new(Addresses::new(index, digest))
}

/// Everything `page_path` reads: the plan, the assets' names, and the addresses of the
/// model's sessions, years, sectors and commitments in every language.
fn paths_digest(t: &Timeline, assets: &[Asset], plan: &[Page]) -> u64 {
    fn model(t: &Timeline, h: &mut ahash::AHasher) {
        t.meta.language.hash(h);
        t.sessions.iter().for_each(|s| s.path.hash(h));
        t.years.iter().for_each(|y| y.path.hash(h));
        t.sectors.iter().for_each(|s| s.path.hash(h));
        t.commitments.iter().for_each(|c| c.path.hash(h));
        t.translations.iter().for_each(|t| model(t, h));
    }
    let mut h = hasher();
    plan.hash(&mut h);
    assets.iter().for_each(|a| a.rel.hash(&mut h));
    model(t, &mut h);
    h.finish()
}

/// What the model as a whole is fingerprinted with, besides its sessions' digests.
pub struct Whole {
    /// See [`site_fingerprint`].
    pub site: u64,
    /// Changes whenever a translation (which `cache` does not cover) may have.
    pub translations: u64,
    /// The digest of every published path (see [`Addresses`]): the sitemap lists them.
    pub paths: u64,
}

/// The fingerprint of everything a page that reads every session may read.
pub fn whole(t: &Timeline, w: &Whole) -> u64 {
    let mut h = hasher();
    (w.site, w.paths, w.translations).hash(&mut h);
    t.sessions.iter().for_each(|s| s.digests.hash(&mut h));
    // The history is not in the sessions' digests: it moves with HEAD.
    t.changes.as_ref().map(|c| &c.head).hash(&mut h);
    h.finish()
}

/// What a page's fingerprint is computed from.
pub struct Context<'a> {
    /// Renders the default language's pages.
    pub renderer: &'a Renderer<'a>,
    /// See [`site_fingerprint`].
    pub site: u64,
    /// See [`whole`].
    pub whole: Option<u64>,
}

/// The fingerprint of the page at `path`; `None` for a page that must always be read
/// again.
pub fn of_page(cx: &Context<'_>, page: &Page, path: &str) -> Option<u64> {
    match page {
        Page::Static(_) | Page::Asset(_) => None,
        p if is_rendered_from_view(p) => Some(hash_of(&(cx.site, cx.renderer.fingerprint(p)))),
        _ => cx.whole.map(|w| hash_of(&(w, path))),
    }
}

/// Pages rendered on request rather than with the rebuild: every page. A browser asks
/// for a few of them after a save; rendering the rest ahead of time would cost every edit
/// the whole site, and hold it in memory. Static files and assets are read at once.
pub fn is_deferred(page: &Page) -> bool {
    !matches!(page, Page::Static(_) | Page::Asset(_))
}

/// Pages fingerprinted by the whole model: any edit of a note may change them.
pub fn reads_whole_model(page: &Page) -> bool {
    is_deferred(page) && !is_rendered_from_view(page)
}

/// The default language's HTML pages, whose view is all they render from.
pub fn is_rendered_from_view(page: &Page) -> bool {
    matches!(
        page,
        Page::Home
            | Page::Session(_)
            | Page::Year(..)
            | Page::Sectors
            | Page::Dictionary
            | Page::Sector(..)
            | Page::Commitments(_)
            | Page::Commitment(_)
            | Page::Changes(_)
            | Page::NotFound
            | Page::Embed(_)
            | Page::Alias { .. }
    )
}
