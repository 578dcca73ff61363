//! What git says about each note: the commits that changed it, newest first, read with
//! `gix` from the repository whose work tree holds the site. Only the first-parent history
//! of HEAD is read, once per HEAD: the dev server keeps it ([`Cache`]) and reads it again
//! only when HEAD has moved. Dates come from the commits (the committer's time and offset),
//! never from the clock, so the same repository state gives the same pages.
//!
//! A site outside any repository, in a bare or shallow one, or whose notes are not
//! committed yet has no history: pages leave the section out and `check` says why
//! ([`Absent::note`]). The work tree's uncommitted edits are not history: a page shows the
//! changes up to HEAD. A renamed note is a deletion and an addition, so its history starts
//! again under its new name.

mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::diagnostics::{self as d, Diagnostic};

/// One commit that changed a note under content/.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Its place in the first-parent history of HEAD: 0 for HEAD, 1 for its parent, ...
    pub seq: usize,
    /// The full hexadecimal id.
    pub id: String,
    /// The first seven hexadecimal digits, as `git log --oneline` shows them.
    pub short: String,
    /// When it was committed, in the committer's own offset.
    pub time: DateTime<FixedOffset>,
    /// `time` in RFC 3339 (`2025-08-06T10:00:00+05:30`), for `<time datetime>`.
    pub timestamp: String,
    /// The day it was committed, in the committer's offset.
    pub date: NaiveDate,
    /// The subject of its message (its first paragraph on one line, as `git log
    /// --format=%s` shows it), with control characters taken out.
    pub summary: String,
}

/// What one commit did to one note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub commit: Arc<Commit>,
    /// The commit added the note (its first commit, or the one that brought it back or
    /// moved it to this name).
    pub added: bool,
}

/// The commits that changed one record, newest first; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub changes: Vec<Change>,
}

impl History {
    /// The newest change.
    pub fn last(&self) -> &Change {
        // A history is made only from at least one change (see `walk`).
        &self.changes[0]
    }

    /// The changes of a note and of its translation together, newest first, each commit
    /// once. Only the note's own addition counts as the record's creation.
    pub fn with_translation(
        note: Option<&History>,
        translation: Option<&History>,
    ) -> Option<History> {
        let own = note.map_or(&[][..], |h| &h.changes[..]);
        let translated = (translation.map_or(&[][..], |h| &h.changes[..]).iter())
            .filter(|c| !own.iter().any(|o| o.commit.seq == c.commit.seq))
            .map(|c| Change {
                commit: Arc::clone(&c.commit),
                added: false,
            });
        let mut changes: Vec<Change> = own.iter().cloned().chain(translated).collect();
        changes.sort_by_key(|c| c.commit.seq);
        (!changes.is_empty()).then_some(History { changes })
    }
}

/// The history of every note of a site, as of one HEAD.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SiteHistory {
    /// The full id of the HEAD it was read at.
    pub head: String,
    /// Each note's history, by its path below content/ (`sessions/11.md`, `_index.md`).
    files: HashMap<String, Arc<History>>,
}

impl SiteHistory {
    /// The history read at `head`: each note's, by its path below content/.
    pub fn new(head: String, files: HashMap<String, Arc<History>>) -> SiteHistory {
        SiteHistory { head, files }
    }

    /// The history of the note at `rel`, a path below content/ with `/` separators.
    pub fn of(&self, rel: &str) -> Option<&Arc<History>> {
        self.files.get(rel)
    }

    /// How many notes have a history.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Why a site has no history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Absent {
    /// No git repository's work tree holds the site root (or only a bare repository).
    NoRepository,
    /// A shallow clone: the history is cut short, and what is there would be wrong.
    Shallow { repository: PathBuf },
    /// The repository has no commit yet.
    NoCommits { repository: PathBuf },
    /// No note under content/ is in any commit of HEAD's history.
    NotCommitted { repository: PathBuf },
    /// The repository could not be read.
    Unreadable { repository: PathBuf, reason: String },
}

impl Absent {
    /// The note `check` prints: the history section is left out, and why.
    pub fn note(&self) -> Diagnostic {
        let (why, help) = match self {
            Absent::NoRepository => (
                "the site is not in a git repository".to_string(),
                "commit the site to git to show when each record changed".to_string(),
            ),
            Absent::Shallow { repository } => (
                format!("{} is a shallow clone", repository.display()),
                "fetch the whole history (`git fetch --unshallow`) to show it".to_string(),
            ),
            Absent::NoCommits { repository } => (
                format!("{} has no commit yet", repository.display()),
                "commit the notes to show when each record changed".to_string(),
            ),
            Absent::NotCommitted { repository } => (
                format!(
                    "no note under content/ is committed in {}",
                    repository.display()
                ),
                "commit the notes to show when each record changed".to_string(),
            ),
            Absent::Unreadable { repository, reason } => (
                format!(
                    "the history of {} cannot be read: {reason}",
                    repository.display()
                ),
                "check the repository with `git fsck`".to_string(),
            ),
        };
        Diagnostic::note(
            d::NO_HISTORY,
            format!("the pages leave out the history of the records: {why}"),
        )
        .help(help)
    }
}

/// A site's history, or why it has none. Cheap to clone.
pub type Loaded = Result<Arc<SiteHistory>, Absent>;

/// The repository that holds the site at `root`, and where the root is in its work tree.
struct Found {
    /// The work tree. The repository is opened from it for each read: an open repository
    /// stays on its thread (gix shares its caches without locks unless built for threads,
    /// which this one need not be), and opening one reads a few small files.
    workdir: PathBuf,
    /// The site root below the work tree, with `/` separators and a trailing `/`, or empty.
    prefix: String,
}

/// The repository whose work tree holds `root`, if any.
fn discover(root: &Path) -> Result<Found, Absent> {
    let root = root.canonicalize().map_err(|_| Absent::NoRepository)?;
    let repo = gix::discover(&root).map_err(|_| Absent::NoRepository)?;
    let workdir = (repo.workdir())
        .and_then(|w| w.canonicalize().ok())
        .ok_or(Absent::NoRepository)?;
    let below = root
        .strip_prefix(&workdir)
        .map_err(|_| Absent::NoRepository)?;
    let mut prefix = String::new();
    for part in below.components() {
        // A root whose path is not UTF-8 cannot be named in the repository's trees.
        prefix.push_str(part.as_os_str().to_str().ok_or(Absent::NoRepository)?);
        prefix.push('/');
    }
    Ok(Found { workdir, prefix })
}

/// Reads the history of the site at `root` once.
pub fn load(root: &Path) -> Loaded {
    Cache::new(root).current()
}

/// The history the dev server keeps between builds: the repository is found once, and its
/// history is read again only when HEAD has moved (a commit, a checkout, a pull).
pub struct Cache {
    found: Result<Found, Absent>,
    /// HEAD as last read, with what was read there.
    last: Option<(gix::ObjectId, Loaded)>,
}

impl Cache {
    /// Finds the repository that holds `root`; reads nothing of its history yet.
    pub fn new(root: &Path) -> Cache {
        Cache {
            found: discover(root),
            last: None,
        }
    }

    /// The history as of the current HEAD: the one read before while HEAD is the same.
    pub fn current(&mut self) -> Loaded {
        let found = match &self.found {
            Ok(found) => found,
            Err(absent) => return Err(absent.clone()),
        };
        let unreadable = |e: &dyn std::fmt::Display| Absent::Unreadable {
            repository: found.workdir.clone(),
            reason: e.to_string(),
        };
        let repo = gix::open(&found.workdir).map_err(|e| unreadable(&e))?;
        if repo.is_shallow().unwrap_or(false) {
            return Err(Absent::Shallow {
                repository: found.workdir.clone(),
            });
        }
        let head = match repo.head_id() {
            Ok(id) => id.detach(),
            // An unborn HEAD: `git init` and nothing committed.
            Err(_) if repo.head().is_ok_and(|h| h.is_unborn()) => {
                return Err(Absent::NoCommits {
                    repository: found.workdir.clone(),
                });
            }
            Err(e) => return Err(unreadable(&e)),
        };
        if let Some((id, loaded)) = &self.last
            && *id == head
        {
            return loaded.clone();
        }
        let loaded = match walk::notes(&repo, head, &found.prefix) {
            Ok(files) if files.is_empty() => Err(Absent::NotCommitted {
                repository: found.workdir.clone(),
            }),
            Ok(files) => Ok(Arc::new(SiteHistory::new(head.to_string(), files))),
            Err(e) => Err(unreadable(&e)),
        };
        self.last = Some((head, loaded.clone()));
        loaded
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn commit(seq: usize) -> Arc<Commit> {
        let time = DateTime::parse_from_rfc3339("2025-01-02T03:04:05+05:30").unwrap();
        Arc::new(Commit {
            seq,
            id: format!("{seq:040}"),
            short: format!("{seq:07}"),
            time,
            timestamp: time.to_rfc3339(),
            date: time.date_naive(),
            summary: format!("change {seq}"),
        })
    }

    pub(crate) fn history(changes: &[(usize, bool)]) -> History {
        History {
            changes: (changes.iter())
                .map(|&(seq, added)| Change {
                    commit: commit(seq),
                    added,
                })
                .collect(),
        }
    }

    #[test]
    fn a_translation_adds_its_own_changes_but_never_creates_the_record() {
        let note = history(&[(1, false), (4, true)]);
        let translation = history(&[(0, false), (1, false), (2, true)]);
        let merged = History::with_translation(Some(&note), Some(&translation)).unwrap();
        let seqs: Vec<(usize, bool)> = (merged.changes.iter())
            .map(|c| (c.commit.seq, c.added))
            .collect();
        assert_eq!(seqs, [(0, false), (1, false), (2, false), (4, true)]);
        assert_eq!(merged.last().commit.seq, 0);
        assert!(History::with_translation(None, None).is_none());
    }

    #[test]
    fn a_folder_outside_any_repository_has_no_history() {
        let dir = tempfile::tempdir().unwrap();
        // The temporary folder may itself be inside a repository on some machines: only
        // say what is certain.
        if gix::discover(dir.path()).is_err() {
            assert_eq!(load(dir.path()), Err(Absent::NoRepository));
        }
        assert_eq!(load(&dir.path().join("missing")), Err(Absent::NoRepository));
    }
}
