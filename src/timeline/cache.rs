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
    /// Kept between builds (the dev server's); a one-off build's keeps nothing.
    persistent: bool,
    key: u64,
    // Keyed by the file's bytes: hashing a `Path` walks its components, which a large site
    // pays on every rebuild.
    /// Per note: its session and the diagnostics of the note alone.
    entries: AHashMap<OsString, (Arc<Session>, Diagnostics)>,
    /// Where each note's page is (its ordinal), by the note's path below content/: what
    /// `@/` links are resolved against; with a digest of them, to tell quickly when nothing
    /// moved.
    addresses: (u64, Arc<AHashMap<String, u32>>),
    /// The addresses the cached sessions were resolved against, when they have changed
    /// since.
    moved_from: Option<Arc<AHashMap<String, u32>>>,
    /// What the last model worked out across sessions.
    memo: super::derive::Memo,
}

/// A session as [`SessionCache::resolve`] gives it.
pub(super) struct Resolved {
    pub(super) session: Arc<Session>,
    pub(super) diags: Diagnostics,
    /// Resolved from its note now, rather than taken from the cache.
    pub(super) fresh: bool,
}

/// Digests of a resolved session, so that callers can tell which sessions changed: `value`
/// covers every serialized field except `commitments` (attached later), `body` the body's
/// HTML, `front` the note's front matter as written. The others cover what the model's
/// passes across sessions read of it (see `derive`): `commitments` its note's commitments
/// and the fields their history shows, `sectors` its sectors, `links` its `@/` links and
/// what links to it can point at. Worked out only by a persistent [`SessionCache`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digests {
    pub value: u64,
    pub body: u64,
    pub front: u64,
    pub commitments: u64,
    pub sectors: u64,
    pub links: u64,
}

impl SessionCache {
    /// A cache that keeps resolved sessions between builds.
    pub fn persistent() -> SessionCache {
        SessionCache {
            persistent: true,
            ..SessionCache::default()
        }
    }

    /// What the last model worked out across sessions, when kept between builds: the
    /// digests that tell whether it still holds are worked out only then.
    pub(super) fn memo(&mut self) -> Option<&mut super::derive::Memo> {
        self.persistent.then_some(&mut self.memo)
    }

    /// The note at `file` changed or went away.
    pub fn forget(&mut self, file: &std::path::Path) {
        self.entries.remove(file.as_os_str());
    }

    /// Every note at or below `path` (a file or a folder) changed or went away.
    pub fn forget_below(&mut self, path: &std::path::Path) {
        (self.entries).retain(|file, _| !std::path::Path::new(file).starts_with(path));
    }

    /// Takes in sessions that `commitments::attach` gave new mentions, so that the next
    /// build starts from them.
    pub(super) fn refresh(&mut self, sessions: &[Arc<Session>], changed: &[usize]) {
        for s in changed.iter().filter_map(|&i| sessions.get(i)) {
            if let Some((cached, _)) = self.entries.get_mut(s.file.as_os_str()) {
                *cached = Arc::clone(s);
            }
        }
    }

    /// Records a session resolved outside [`build_cached`] (see [`patch_body`]).
    fn record(&mut self, session: &Arc<Session>, diags: Diagnostics) {
        let key = session.file.as_os_str();
        (self.entries).insert(key.to_owned(), (Arc::clone(session), diags));
    }

    /// The diagnostics of the note at `file` alone, as last resolved.
    pub fn diagnostics(&self, file: &std::path::Path) -> Option<&Diagnostics> {
        self.entries.get(file.as_os_str()).map(|(_, d)| d)
    }

    /// Where each note's page is, by the path `@/` links name it by: the last build's map
    /// while no note moved, came or went.
    pub(super) fn addresses(
        &mut self,
        notes: &[Cow<'_, SessionNote>],
    ) -> Arc<AHashMap<String, u32>> {
        let now = addresses_digest(notes);
        if now != self.addresses.0 || !self.persistent {
            let map: AHashMap<String, u32> = (notes.iter())
                .map(|n| (n.rel.clone(), n.front.session))
                .collect();
            let before = std::mem::replace(&mut self.addresses, (now, Arc::new(map))).1;
            // Kept until a build resolves the cached sessions against the new map.
            self.moved_from.get_or_insert(before);
        }
        Arc::clone(&self.addresses.1)
    }

    /// Resolves `notes`, reusing cached sessions; returns them with their diagnostics. The
    /// raw body of an owned note is let go once it has been rendered, unless `keep_body`.
    pub(super) fn resolve(
        &mut self,
        notes: &mut [Cow<'_, SessionNote>],
        (meta, by_path, link_prefix): (&Meta, &AHashMap<String, u32>, &str),
        keep_body: &(dyn Fn(&SessionNote) -> bool + Sync),
    ) -> Vec<Resolved> {
        let key = context_key(meta, link_prefix);
        if key != self.key {
            self.entries.clear();
            self.key = key;
        }
        let resolve = address_of(by_path, link_prefix);
        // A session whose links now lead elsewhere (or nowhere, or somewhere at last) is
        // resolved again. Most edits move no page: then no link needs looking at.
        let before = self.moved_from.take();
        let moved = |s: &Session| {
            before.as_ref().is_some_and(|before| {
                (s.links.iter()).any(|l| before.get(&l.target) != by_path.get(&l.target))
            })
        };
        let persistent = self.persistent;
        let entries = &self.entries;
        // Looked up on every core: ten thousand lookups miss the processor's caches.
        let out: Vec<Resolved> = notes
            .par_iter_mut()
            .map(|n| {
                let cached = (entries.get(n.file.as_os_str())).filter(|(s, _)| !moved(s));
                let out = match cached {
                    // Its commitments stay as attached last time: `commitments::attach`
                    // copies the session only when they change.
                    Some((s, d)) => Resolved {
                        session: Arc::clone(s),
                        diags: d.clone(),
                        fresh: false,
                    },
                    None => {
                        let (mut s, diags) = resolve_session(n, meta, &resolve);
                        if persistent {
                            s.digests = digest(&s, n);
                        }
                        Resolved {
                            session: Arc::new(s),
                            diags,
                            fresh: true,
                        }
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
        if persistent {
            for r in out.iter().filter(|r| r.fresh) {
                self.record(&r.session, r.diags.clone());
            }
        }
        out
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
    s.digests = digest(&s, note);
    s.commitments = t.sessions[i].commitments.clone();
    s.history = t.sessions[i].history.clone();
    // Whatever the front matter gives must have come out the same.
    if serde_json::to_vec(&s).ok()? != serde_json::to_vec(&t.sessions[i]).ok()? {
        return None;
    }
    let s = Arc::new(s);
    cache.record(&s, diags.clone());
    t.sessions[i] = s;
    Some((i, diags))
}

fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

fn digest(s: &Session, note: &SessionNote) -> Digests {
    let headings: Vec<&str> = s.headings.iter().map(|h| h.id.as_str()).collect();
    Digests {
        value: hash_of(&serde_json::to_vec(s).unwrap_or_default()),
        body: hash_of(&s.body_html),
        front: hash_of(&note.front_matter),
        commitments: hash_of(&(
            (&note.file, &note.front.commitments),
            (s.ordinal, &s.path, &s.title, &s.lang, s.date),
        )),
        sectors: hash_of(&s.sectors),
        links: hash_of(&(&s.file, &s.rel, &s.links, headings)),
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
