//! What the model works out across sessions: each commitment's history, the commitments
//! each session lists, the sectors, and the checks that span sessions. On a large site
//! each is a pass over thousands of sessions, and the dev server rebuilds the model after
//! every save; most saves change none of their inputs (a place, the count of delegates, a
//! body). So the last results are kept ([`Memo`]) with a digest of what they were worked
//! out from, and reused while it stays the same.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use ahash::{AHashMap, AHashSet};

use super::{Commitment, Language, Sector, SectorRef, Session, addresses, commitments, validate};
use crate::content::markdown::InternalLink;
use crate::content::{IndexNote, SessionNote};
use crate::diagnostics::Diagnostics;

/// The results of the last derivation, each with the digest of its inputs.
#[derive(Debug, Default)]
pub struct Memo {
    commitments: Option<Kept>,
    sectors: Option<(u64, Arc<Vec<Sector>>)>,
    /// The diagnostics of the `@/` links of every note and of the introduction.
    links: Option<(u64, Diagnostics)>,
}

/// The commitments as last worked out.
#[derive(Debug)]
struct Kept {
    key: u64,
    commitments: Arc<Vec<Commitment>>,
    diags: Diagnostics,
    /// The sessions whose notes the diagnostics point into. Their whole front matter is
    /// part of the key: a line added above a commitment moves what a diagnostic points at.
    located: AHashSet<u32>,
}

/// What [`derive`] works out.
pub(super) struct Derived {
    pub(super) sessions: Vec<Arc<Session>>,
    pub(super) sectors: Arc<Vec<Sector>>,
    pub(super) commitments: Arc<Vec<Commitment>>,
    /// Indices of the sessions whose list of commitments changed.
    pub(super) changed: Vec<usize>,
    pub(super) diags: Diagnostics,
}

/// The inputs of [`derive`] besides the sessions.
pub(super) struct Inputs<'a> {
    pub(super) index: &'a IndexNote,
    pub(super) intro_links: &'a [InternalLink],
    /// The sessions' notes, in the sessions' order.
    pub(super) notes: &'a [&'a SessionNote],
    /// Which sessions were resolved afresh (the others come from the dev server's cache
    /// with the list of commitments the last derivation gave them).
    pub(super) fresh: &'a [bool],
    /// Output paths of the files copied from content/.
    pub(super) assets: &'a [String],
    pub(super) languages: &'a [Language],
    /// The ordinals of the notes with errors left out of the model (see `cascade`).
    pub(super) unloaded: &'a [Option<u32>],
}

/// Works out commitments and sectors and checks links and addresses across sessions. The
/// steps that do not need each other run side by side.
pub(super) fn derive(mut sessions: Vec<Arc<Session>>, i: &Inputs<'_>, memo: &mut Memo) -> Derived {
    let (mut diags, (kept, moved)) = rayon::join(
        || {
            let mut diags = links_of(&sessions, i, &mut memo.links);
            validate::sequence(&sessions, (i.notes, i.unloaded), &mut diags);
            diags
        },
        || commitments_of(i.notes, &sessions, memo.commitments.take()),
    );
    let (lists, (sectors, found)) = rayon::join(
        || {
            // The sessions from the cache have the lists the last commitments gave them:
            // only those that a changed commitment names need theirs again.
            let only: Option<Vec<bool>> = moved.map(|moved| {
                (sessions.iter().zip(i.fresh))
                    .map(|(s, fresh)| *fresh || moved.contains(&s.ordinal))
                    .collect()
            });
            commitments::mentions(&sessions, &kept.commitments, only.as_deref())
        },
        || {
            let sectors = sectors_of(&sessions, &kept.commitments, &mut memo.sectors);
            let mut found = Diagnostics::default();
            addresses::url_collisions(
                (&sessions, &sectors, &kept.commitments),
                i.assets,
                i.languages,
                &mut found,
            );
            (sectors, found)
        },
    );
    let changed = commitments::attach(&mut sessions, lists);
    diags.extend(kept.diags.clone());
    diags.extend(found);
    let commitments = Arc::clone(&kept.commitments);
    memo.commitments = Some(kept);
    Derived {
        sessions,
        sectors,
        commitments,
        changed,
        diags,
    }
}

/// The commitments, worked out again only when their inputs changed; with the ordinals of
/// the sessions that the commitments which changed since `last` name (`None` when there
/// were none before).
fn commitments_of(
    notes: &[&SessionNote],
    sessions: &[Arc<Session>],
    last: Option<Kept>,
) -> (Kept, Option<AHashSet<u32>>) {
    let unchanged = (last.as_ref()).is_some_and(|l| commitments_key(sessions, &l.located) == l.key);
    if unchanged && let Some(last) = last {
        return (last, Some(AHashSet::new()));
    }
    let mut diags = Diagnostics::default();
    let commitments = Arc::new(commitments::build(notes, sessions, &mut diags));
    // By the files' bytes: hashing a `Path` walks its components.
    let files: AHashSet<&std::ffi::OsStr> = (diags.0.iter())
        .flat_map(|d| d.file.iter().chain(d.related.iter().map(|r| &r.0)))
        .map(|file| file.as_os_str())
        .collect();
    let located: AHashSet<u32> = (notes.iter())
        .filter(|n| !files.is_empty() && files.contains(n.file.as_os_str()))
        .map(|n| n.front.session)
        .collect();
    let key = commitments_key(sessions, &located);
    let moved = last.map(|last| changed_sessions(&last.commitments, &commitments));
    let kept = Kept {
        key,
        commitments,
        diags,
        located,
    };
    (kept, moved)
}

/// The ordinals of the sessions in the histories of the commitments that differ between
/// `old` and `new` (both sorted by id).
fn changed_sessions(old: &[Commitment], new: &[Commitment]) -> AHashSet<u32> {
    let mut out = AHashSet::new();
    let mut name = |c: &Commitment| out.extend(c.history.iter().map(|m| m.session));
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.id == y.id => {
                if x != y {
                    name(x);
                    name(y);
                }
                a.next();
                b.next();
            }
            (Some(x), Some(y)) if x.id < y.id => {
                name(x);
                a.next();
            }
            (_, Some(y)) => {
                name(y);
                b.next();
            }
            (Some(x), None) => {
                name(x);
                a.next();
            }
            (None, None) => break,
        }
    }
    out
}

/// Everything [`commitments::build`] reads (see [`super::Digests::commitments`]).
fn commitments_key(sessions: &[Arc<Session>], located: &AHashSet<u32>) -> u64 {
    let mut h = hasher();
    for s in sessions {
        s.digests.commitments.hash(&mut h);
        if located.contains(&s.ordinal) {
            s.digests.front.hash(&mut h);
        }
    }
    h.finish()
}

/// The diagnostics of every `@/` link, checked again only when a link or what links can
/// point at changed.
fn links_of(
    sessions: &[Arc<Session>],
    i: &Inputs<'_>,
    memo: &mut Option<(u64, Diagnostics)>,
) -> Diagnostics {
    let mut h = hasher();
    (&i.index.file, i.intro_links).hash(&mut h);
    sessions.iter().for_each(|s| s.digests.links.hash(&mut h));
    let key = h.finish();
    if let Some((last, diags)) = memo
        && *last == key
    {
        return diags.clone();
    }
    let mut diags = Diagnostics::default();
    validate::intro_links(i.index, i.intro_links, sessions, &mut diags);
    validate::links(sessions, &mut diags);
    *memo = Some((key, diags.clone()));
    diags
}

/// The sectors, collected again only when a session's sectors or a commitment's changed.
fn sectors_of(
    sessions: &[Arc<Session>],
    commitments: &[Commitment],
    memo: &mut Option<(u64, Arc<Vec<Sector>>)>,
) -> Arc<Vec<Sector>> {
    let mut h = hasher();
    (commitments.iter()).for_each(|c| (&c.id, &c.sectors).hash(&mut h));
    sessions.iter().for_each(|s| s.digests.sectors.hash(&mut h));
    let key = h.finish();
    if let Some((last, sectors)) = memo
        && *last == key
    {
        return Arc::clone(sectors);
    }
    let sectors = Arc::new(collect_sectors(sessions, commitments));
    *memo = Some((key, Arc::clone(&sectors)));
    sectors
}

/// The digests of a memo live as long as the process: a fast hasher with fixed keys will do.
fn hasher() -> ahash::AHasher {
    ahash::RandomState::with_seeds(5, 6, 7, 8).build_hasher()
}

fn collect_sectors(sessions: &[Arc<Session>], commitments: &[Commitment]) -> Vec<Sector> {
    // Hashed, then sorted once: a large site has tens of thousands of session-sector pairs.
    let mut map: AHashMap<&str, Sector> = AHashMap::new();
    for (i, session) in sessions.iter().enumerate() {
        for s in &session.sectors {
            let sector = map.entry(&s.slug).or_insert_with(|| new_sector(s));
            if sector.sessions.last() != Some(&i) {
                sector.sessions.push(i);
            }
        }
    }
    for c in commitments {
        for s in &c.sectors {
            (map.entry(&s.slug)
                .or_insert_with(|| new_sector(s))
                .commitments)
                .push(Arc::clone(&c.id));
        }
    }
    let mut sectors: Vec<Sector> = map.into_values().collect();
    sectors.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    sectors
}

fn new_sector(s: &SectorRef) -> Sector {
    Sector {
        slug: s.slug.clone(),
        name: s.name.clone(),
        lang: s.lang.clone(),
        path: format!("sectors/{}/", s.slug),
        sessions: Vec::new(),
        commitments: Vec::new(),
    }
}
