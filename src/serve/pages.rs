//! Which pages a rebuild must render. Each page of the plan gets a fingerprint of exactly
//! what its template context reads (see `output::html`): a page whose fingerprint is the
//! same as in the last good build would render the same bytes and is not rendered again.
//!
//! Pages that read every session (the print page, the search index, the feeds and data
//! exports) and the pages of other languages are *deferred*: when their inputs change they
//! are not rendered with the rebuild but when first requested, so that one edit costs the
//! pages it touches, not the whole site. Their fingerprint covers the whole model.
//! Static files and assets get no fingerprint and are always read, which is never wrong.
//!
//! Keep this in step with the contexts built in `output/html.rs`; the byte-for-byte test
//! of incremental builds (tests/it/serve.rs) compares against a full build.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher, Hash};

use crate::content::Asset;
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
}

fn hash_of(value: &impl Hash) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

/// Fingerprints of the inputs every page shares.
struct Parts {
    site: u64,
    /// Per session: what a template sees of it (`value` and its commitments).
    session: Vec<u64>,
    /// Per session: the body's HTML.
    body: Vec<u64>,
    /// Per session: the prev/next brief (ordinal, title, path, date).
    brief: Vec<u64>,
    sector: Vec<u64>,
    commitment: Vec<u64>,
    commitment_by_id: HashMap<String, u64>,
}

impl Parts {
    /// `None` when a session has no digests (not built through `cache`): then every page
    /// renders.
    fn new(t: &Timeline, cache: &SessionCache, site: u64) -> Option<Parts> {
        let digests: Vec<Digests> = t
            .sessions
            .iter()
            .map(|s| cache.digests(&s.file))
            .collect::<Option<_>>()?;
        let session = t
            .sessions
            .iter()
            .zip(&digests)
            .map(|(s, d)| hash_of(&(d.value, json_hash(&s.commitments))))
            .collect();
        let body = digests.iter().map(|d| d.body).collect();
        let brief = t
            .sessions
            .iter()
            .map(|s| hash_of(&(s.ordinal, &s.ordinal_text, &s.title, &s.path, s.date)))
            .collect();
        let sector = t
            .sectors
            .iter()
            .map(|s| hash_of(&(json_hash(s), &s.sessions)))
            .collect();
        let commitment: Vec<u64> = t.commitments.iter().map(json_hash).collect();
        let commitment_by_id = t
            .commitments
            .iter()
            .zip(&commitment)
            .map(|(c, fp)| (c.id.clone(), *fp))
            .collect();
        Some(Parts {
            site,
            session,
            body,
            brief,
            sector,
            commitment,
            commitment_by_id,
        })
    }
}

/// The hash of a value's JSON form, which is what templates see. Serialized into a buffer
/// and hashed once: hashing serde's many small writes one by one is several times slower.
fn json_hash(value: &impl serde::Serialize) -> u64 {
    // Serializing plain model values cannot fail; if it did, the hash would still differ.
    hash_of(&serde_json::to_vec(value).unwrap_or_default())
}

/// Fingerprints of everything all pages share: the site's metadata and the theme.
pub fn site_fingerprint(t: &Timeline, theme_digest: u64, script: &Option<String>) -> u64 {
    hash_of(&(json_hash(&t.meta), t.sessions.len(), theme_digest, script))
}

/// Each page of `pages` with its output path, fingerprint and whether it is deferred.
/// `translations` changes whenever a translation (which `cache` does not cover) may have.
pub fn fingerprint(
    t: &Timeline,
    cache: &SessionCache,
    (site, translations): (u64, u64),
    assets: &[Asset],
    pages: Vec<Page>,
) -> Vec<Planned> {
    let parts = Parts::new(t, cache, site);
    let paths: Vec<String> = pages.iter().map(|p| page_path(t, assets, p)).collect();
    // What a deferred page may read: the whole model and the list of published files
    // (the sitemap lists them).
    let whole = parts.as_ref().map(|p| {
        hash_of(&(
            p.site,
            &p.session,
            &p.body,
            &p.sector,
            &p.commitment,
            &paths,
            translations,
        ))
    });
    pages
        .into_iter()
        .zip(paths)
        .map(|(page, path)| {
            let deferred = is_deferred(&page);
            let fingerprint = if deferred {
                whole.map(|w| hash_of(&(w, &path)))
            } else {
                parts
                    .as_ref()
                    .and_then(|p| page_fingerprint(t, p, &page, &path))
            };
            Planned {
                page,
                path,
                fingerprint,
                deferred,
            }
        })
        .collect()
}

/// Pages rendered on request: those that read every session, and other languages' pages.
fn is_deferred(page: &Page) -> bool {
    matches!(
        page,
        Page::Print | Page::SearchIndex | Page::Data(_) | Page::Localized { .. }
    )
}

/// The fingerprint of `page`, written at `path`: what its template context reads.
fn page_fingerprint(t: &Timeline, p: &Parts, page: &Page, path: &str) -> Option<u64> {
    let neighbour = |i: Option<usize>| i.and_then(|i| p.brief.get(i).copied());
    let inputs = match page {
        Page::Home => hash_of(&(&p.session, &p.sector, &p.commitment)),
        Page::Session(i) => hash_of(&(
            p.session[*i],
            p.body[*i],
            neighbour(i.checked_sub(1)),
            neighbour(Some(i + 1)),
        )),
        Page::Sectors => hash_of(&p.sector),
        Page::Sector(j) => {
            let s = &t.sectors[*j];
            let sessions: Vec<u64> = s.sessions.iter().map(|&i| p.session[i]).collect();
            let commitments: Vec<Option<u64>> = s
                .commitments
                .iter()
                .map(|id| p.commitment_by_id.get(id).copied())
                .collect();
            hash_of(&(p.sector[*j], sessions, commitments))
        }
        Page::Commitments => hash_of(&p.commitment),
        Page::Commitment(k) => p.commitment[*k],
        Page::NotFound => 0,
        Page::Alias { from, to } => hash_of(&(from, to)),
        _ => return None,
    };
    Some(hash_of(&(p.site, path, inputs, page_kind(page))))
}

/// Distinguishes page kinds that could share an output path between builds.
fn page_kind(page: &Page) -> u8 {
    match page {
        Page::Home => 0,
        Page::Session(_) => 1,
        Page::Sectors => 2,
        Page::Sector(_) => 3,
        Page::Commitments => 4,
        Page::Commitment(_) => 5,
        Page::NotFound => 6,
        Page::Alias { .. } => 7,
        _ => 255,
    }
}
