//! The history of the records as the pages show it, from what git says about each note
//! (`crate::history`): each session's changes, and the site's changes newest first. A
//! session shows its note's history; in another language, a translated session shows its
//! translation's changes too, since its page shows the original's facts (date, figures,
//! sources) beside the translated text. The home page's record is `_index.md` (and the
//! language's `_index.<lang>.md`).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Session, Timeline};
use crate::history::{Commit, History, SiteHistory};

/// The site's changes in one language, newest first, as of one HEAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    /// The full id of the HEAD the history was read at.
    pub head: String,
    pub list: Vec<SiteChange>,
}

/// One commit and the records it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteChange {
    pub commit: Arc<Commit>,
    /// The sessions it changed (indices into `Timeline::sessions`), in order, each with
    /// whether the commit created its record.
    pub sessions: Vec<(usize, bool)>,
    /// It changed the timeline's own note (`_index.md` or its translation).
    pub home: bool,
}

/// The site's change for `commit`, made when first needed.
fn entry<'m>(
    by_commit: &'m mut BTreeMap<usize, SiteChange>,
    commit: &Arc<Commit>,
) -> &'m mut SiteChange {
    by_commit.entry(commit.seq).or_insert_with(|| SiteChange {
        commit: Arc::clone(commit),
        sessions: Vec::new(),
        home: false,
    })
}

/// Gives each session its note's history; returns the indices of the sessions whose
/// history changed (only those are copied).
pub(super) fn attach(sessions: &mut [Arc<Session>], history: Option<&SiteHistory>) -> Vec<usize> {
    let mut changed = Vec::new();
    for (i, s) in sessions.iter_mut().enumerate() {
        let wanted = history.and_then(|h| h.of(&s.rel));
        let same = match (&s.history, wanted) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            Arc::make_mut(s).history = wanted.cloned();
            changed.push(i);
        }
    }
    changed
}

/// In another language: each translated session's history with its translation's.
pub(super) fn attach_translations(t: &mut Timeline, history: Option<&SiteHistory>) {
    let Some(history) = history else {
        return;
    };
    for s in t.sessions.iter_mut() {
        let Some(translation) = &s.translation else {
            continue;
        };
        let merged = History::with_translation(
            history.of(&s.rel).map(|h| &**h),
            history.of(translation).map(|h| &**h),
        );
        Arc::make_mut(s).history = merged.map(Arc::new);
    }
}

/// The changes of every record `t` publishes, newest first; `None` without a history.
pub(super) fn of_site(t: &Timeline, history: Option<&SiteHistory>) -> Option<Arc<Changes>> {
    let history = history?;
    // By the commit's place in the history: 0 is HEAD.
    let mut by_commit: BTreeMap<usize, SiteChange> = BTreeMap::new();
    for (i, s) in t.sessions.iter().enumerate() {
        for c in s.history.iter().flat_map(|h| &h.changes) {
            entry(&mut by_commit, &c.commit).sessions.push((i, c.added));
        }
    }
    let own = format!("_index.{}.md", t.meta.language);
    for index in ["_index.md", own.as_str()] {
        for c in history.of(index).iter().flat_map(|h| &h.changes) {
            entry(&mut by_commit, &c.commit).home = true;
        }
    }
    Some(Arc::new(Changes {
        head: history.head.clone(),
        list: by_commit.into_values().collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::tests::history;

    #[test]
    fn sessions_get_their_history_once_and_the_site_lists_every_change() {
        let mut t = crate::output::opendata::sample();
        let files = [
            ("sessions/1.md", history(&[(0, false), (2, true)])),
            ("sessions/2.md", history(&[(2, true)])),
            ("_index.md", history(&[(1, false), (2, true)])),
            ("sessions/gone.md", history(&[(3, true)])),
        ];
        let files = (files.into_iter())
            .map(|(path, h)| (path.to_string(), Arc::new(h)))
            .collect();
        let site = SiteHistory::new("head".into(), files);
        assert_eq!(attach(&mut t.sessions, Some(&site)), [0, 1]);
        // The same history again: nothing is copied.
        assert!(attach(&mut t.sessions, Some(&site)).is_empty());
        let changes = of_site(&t, Some(&site)).unwrap();
        let listed: Vec<_> = (changes.list.iter())
            .map(|c| (c.commit.seq, c.sessions.clone(), c.home))
            .collect();
        assert_eq!(
            listed,
            [
                (0, vec![(0, false)], false),
                (1, vec![], true),
                (2, vec![(0, true), (1, true)], true),
            ]
        );
        assert_eq!(attach(&mut t.sessions, None), [0, 1]);
        assert!(t.sessions.iter().all(|s| s.history.is_none()));
        assert!(of_site(&t, None).is_none());
    }
}
