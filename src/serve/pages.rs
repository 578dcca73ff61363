//! Which pages a rebuild must render. Each page of the plan gets a fingerprint of exactly
//! what its template context reads (see `output::html`): a page whose fingerprint is the
//! same as in the last good build would render the same bytes and is not rendered again.
//! Pages this module does not know (new page kinds, static files, assets) get no
//! fingerprint and are always rendered, which is never wrong, only slower.
//!
//! Keep this in step with the contexts built in `output/html.rs`; the byte-for-byte test
//! of incremental builds (tests/it/serve.rs) compares against a full build.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher, Hash};

use crate::output::{Page, file_for};
use crate::timeline::{Digests, SessionCache, Timeline};

/// A page with its output path and fingerprint, or `None` when it must always render.
pub type Fingerprinted = (Page, Option<(String, u64)>);

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
pub fn site_fingerprint(t: &Timeline, theme_generation: u64, script: &Option<String>) -> u64 {
    hash_of(&(
        json_hash(&t.meta),
        t.sessions.len(),
        theme_generation,
        script,
    ))
}

/// Each page of `pages` with its output path and fingerprint where known.
pub fn fingerprint(
    t: &Timeline,
    cache: &SessionCache,
    site: u64,
    pages: Vec<Page>,
) -> Vec<Fingerprinted> {
    let parts = Parts::new(t, cache, site);
    pages
        .into_iter()
        .map(|page| {
            let fp = parts.as_ref().and_then(|p| page_fingerprint(t, p, &page));
            (page, fp)
        })
        .collect()
}

fn page_fingerprint(t: &Timeline, p: &Parts, page: &Page) -> Option<(String, u64)> {
    let neighbour = |i: Option<usize>| i.and_then(|i| p.brief.get(i).copied());
    let (path, inputs) = match page {
        Page::Home => (
            String::new(),
            hash_of(&(&p.session, &p.sector, &p.commitment)),
        ),
        Page::Session(i) => (
            t.sessions[*i].path.clone(),
            hash_of(&(
                p.session[*i],
                p.body[*i],
                neighbour(i.checked_sub(1)),
                neighbour(Some(i + 1)),
            )),
        ),
        Page::Sectors => ("sectors/".to_string(), hash_of(&p.sector)),
        Page::Sector(j) => {
            let s = &t.sectors[*j];
            let sessions: Vec<u64> = s.sessions.iter().map(|&i| p.session[i]).collect();
            let commitments: Vec<Option<u64>> = s
                .commitments
                .iter()
                .map(|id| p.commitment_by_id.get(id).copied())
                .collect();
            (
                s.path.clone(),
                hash_of(&(p.sector[*j], sessions, commitments)),
            )
        }
        Page::Commitments => ("commitments/".to_string(), hash_of(&p.commitment)),
        Page::Commitment(k) => (t.commitments[*k].path.clone(), p.commitment[*k]),
        Page::NotFound => ("404.html".to_string(), 0),
        Page::Alias { from, to } => (from.clone(), hash_of(&(from, to))),
        _ => return None,
    };
    Some((file_for(&path), hash_of(&(p.site, inputs, page_kind(page)))))
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
