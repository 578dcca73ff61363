//! The dev server's memory of resolved sessions: each note's session (its Markdown
//! rendered, its links resolved) is kept between builds and reused while the note, the
//! addresses its links point to and the site-wide settings it reads stay the same. A body
//! edit is taken in without building the model again ([`patch_body`]).

use std::borrow::Cow;
use std::ffi::OsString;
use std::sync::Arc;

use ahash::AHashMap;
use rayon::prelude::*;

use super::{Meta, Session, Timeline, resolve_session, validate};
use crate::content::SessionNote;
use crate::diagnostics::Diagnostics;

/// Sessions resolved by earlier builds, kept by the dev server so that a rebuild renders the
/// Markdown of changed notes only. Sessions are shared (`Arc`) with the models built from
/// them, so keeping them costs no copy. An entry is keyed by its note's file; the caller
/// drops it with [`SessionCache::forget`] when the note changes, a session is resolved
/// again when a note it links to moved or came or went, and the whole cache is dropped
/// when anything every session depends on changes (partners, Markdown options, the
/// language, where links point).
#[derive(Debug, Default)]
pub struct SessionCache {
    key: u64,
    // Keyed by the file's bytes: hashing a `Path` walks its components, which a large site
    // pays on every rebuild.
    sessions: AHashMap<OsString, Arc<Session>>,
    /// Per note: its own diagnostics and the digests of [`SessionCache::digests`].
    resolved: AHashMap<OsString, (Diagnostics, Digests)>,
    /// Where each note's page was (its ordinal) when the cached sessions were resolved,
    /// by the note's path below content/: what their `@/` links were resolved against;
    /// with a digest of them, to tell quickly when nothing moved.
    addresses: (u64, AHashMap<String, u32>),
}

/// Digests of a resolved session, so that callers can tell which sessions changed: `value`
/// covers every serialized field except `commitments` (attached later), `body` the body's
/// HTML, `front` the note's front matter as written (which the commitments come from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digests {
    pub value: u64,
    pub body: u64,
    pub front: u64,
}

impl SessionCache {
    /// The note at `file` changed or went away.
    pub fn forget(&mut self, file: &std::path::Path) {
        self.sessions.remove(file.as_os_str());
        self.resolved.remove(file.as_os_str());
    }

    /// Takes in sessions that `commitments::attach` gave new mentions, so that the next
    /// build starts from them.
    pub(super) fn refresh(&mut self, sessions: &[Arc<Session>], changed: &[usize]) {
        for s in changed.iter().filter_map(|&i| sessions.get(i)) {
            if let Some(cached) = self.sessions.get_mut(s.file.as_os_str()) {
                *cached = Arc::clone(s);
            }
        }
    }

    /// Records a session resolved outside [`build_cached`] (see [`patch_body`]).
    fn record(&mut self, session: &Arc<Session>, diags: Diagnostics, digests: Digests) {
        let key = session.file.as_os_str();
        (self.resolved).insert(key.to_owned(), (diags, digests));
        self.sessions.insert(key.to_owned(), Arc::clone(session));
    }

    /// The diagnostics of the note at `file` alone, as last resolved.
    pub fn diagnostics(&self, file: &std::path::Path) -> Option<&Diagnostics> {
        self.resolved.get(file.as_os_str()).map(|(d, _)| d)
    }

    /// The digests of the session built from `file`.
    pub fn digests(&self, file: &std::path::Path) -> Option<Digests> {
        self.resolved.get(file.as_os_str()).map(|(_, d)| *d)
    }

    /// Resolves `notes`, reusing cached sessions; returns them with their diagnostics. The
    /// raw body of an owned note is let go once it has been rendered, unless `keep_body`.
    pub(super) fn resolve(
        &mut self,
        notes: &mut [Cow<'_, SessionNote>],
        (meta, by_path, link_prefix): (&Meta, &AHashMap<String, u32>, &str),
        keep_body: &(dyn Fn(&SessionNote) -> bool + Sync),
    ) -> Vec<(Arc<Session>, Diagnostics)> {
        let key = context_key(meta, link_prefix);
        if key != self.key {
            self.sessions.clear();
            self.resolved.clear();
            self.key = key;
        }
        let resolve = address_of(by_path, link_prefix);
        // A session whose links now lead elsewhere (or nowhere, or somewhere at last) is
        // resolved again. Most edits move no page: then no link needs looking at.
        let now = addresses_digest(notes);
        let before = (now != self.addresses.0)
            .then(|| std::mem::replace(&mut self.addresses, (now, by_path.clone())).1);
        let moved = |s: &Session| {
            before.as_ref().is_some_and(|before| {
                (s.links.iter()).any(|l| before.get(&l.target) != by_path.get(&l.target))
            })
        };
        let cached: Vec<Option<Arc<Session>>> = notes
            .iter()
            .map(|n| {
                (self.sessions.get(n.file.as_os_str()))
                    .filter(|s| !moved(s))
                    .cloned()
            })
            .collect();
        let out: Vec<(Arc<Session>, Diagnostics, Option<Digests>)> = notes
            .par_iter_mut()
            .zip(cached)
            .map(|(n, cached)| {
                let out = match cached {
                    // Its commitments stay as attached last time: `commitments::attach`
                    // copies the session only when they change.
                    Some(s) => (s, Diagnostics::default(), None),
                    None => {
                        let (s, d) = resolve_session(n, meta, &resolve);
                        let digests = digest(&s, n);
                        (Arc::new(s), d, Some(digests))
                    }
                };
                // Freed here, while the other notes render, rather than with the notes at
                // the end: on a large site the raw Markdown weighs as much as its HTML.
                if let Cow::Owned(note) = n
                    && !keep_body(note)
                {
                    note.body = String::new();
                }
                out
            })
            .collect();
        out.into_iter()
            .map(|(s, d, fresh)| match fresh {
                Some(digests) => {
                    let key = s.file.as_os_str();
                    (self.resolved).insert(key.to_owned(), (d.clone(), digests));
                    self.sessions.insert(key.to_owned(), Arc::clone(&s));
                    (s, d)
                }
                None => {
                    let d = self.resolved.get(s.file.as_os_str()).map(|r| r.0.clone());
                    (s, d.unwrap_or_default())
                }
            })
            .collect()
    }
}

/// Takes in an edit of one note that left its front matter exactly as it was: only the body
/// is rendered again, since nothing else in the model reads it. Returns the session's index
/// and the note's own diagnostics, or `None` when the model must be built again: another
/// note links into this one (perhaps to a heading that is gone), the note has errors, or
/// the site has translations (which copy the body).
pub fn patch_body(
    t: &mut Timeline,
    note: &SessionNote,
    cache: &mut SessionCache,
    link_prefix: &str,
) -> Option<(usize, Diagnostics)> {
    if !t.translations.is_empty() {
        return None;
    }
    let i = t.sessions.iter().position(|s| s.file == note.file)?;
    let rel = &note.rel;
    // Headings that other notes link to must survive the edit.
    let wanted: Vec<&str> = (t.sessions.iter())
        .flat_map(|s| &s.links)
        .filter(|l| l.target == *rel)
        .filter_map(|l| l.fragment.as_deref().filter(|f| !f.is_empty()))
        .collect();
    let resolve = |p: &str| {
        (t.sessions.iter())
            .find(|s| s.rel == p)
            .map(|s| format!("{link_prefix}{}", s.path))
    };
    let (mut s, mut diags) = resolve_session(note, &t.meta, &resolve);
    validate::links_in(&s.file, &s.links, &t.sessions, &mut diags);
    let kept = |id: &&str| s.headings.iter().any(|h| h.id == *id);
    if diags.has_errors() || !wanted.iter().all(kept) {
        return None;
    }
    let digests = digest(&s, note);
    s.commitments = t.sessions[i].commitments.clone();
    // Whatever the front matter gives must have come out the same.
    if serde_json::to_vec(&s).ok()? != serde_json::to_vec(&t.sessions[i]).ok()? {
        return None;
    }
    let s = Arc::new(s);
    cache.record(&s, diags.clone(), digests);
    t.sessions[i] = s;
    Some((i, diags))
}

fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

fn digest(s: &Session, note: &SessionNote) -> Digests {
    Digests {
        value: hash_of(&serde_json::to_vec(s).unwrap_or_default()),
        body: hash_of(&s.body_html),
        front: hash_of(&note.front_matter),
    }
}

/// Resolves the target of an `@/` link (a path below content/) to its page's address.
pub(super) fn address_of<'a>(
    by_path: &'a AHashMap<String, u32>,
    link_prefix: &'a str,
) -> impl Fn(&str) -> Option<String> + Sync + 'a {
    move |p| (by_path.get(p)).map(|n| format!("{link_prefix}sessions/{n}/"))
}

/// What every session's resolution reads besides its own note.
fn context_key(meta: &Meta, link_prefix: &str) -> u64 {
    let partners = serde_json::to_vec(&meta.partners).unwrap_or_default();
    hash_of(&(
        partners,
        format!("{:?}", meta.markdown),
        &meta.language,
        link_prefix,
    ))
}

/// A digest of where every note's page is (see `SessionCache::addresses`).
fn addresses_digest(notes: &[Cow<'_, SessionNote>]) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut h = ahash::RandomState::with_seeds(1, 2, 3, 4).build_hasher();
    for n in notes {
        (&n.rel, n.front.session).hash(&mut h);
    }
    h.finish()
}
