//! The one walk over a repository's history: HEAD and its first parents, newest first. For
//! each commit, the site's `content/` tree is compared with its first parent's; only when
//! they differ are the two trees diffed, and only below `content/`, so a long history of
//! commits that touch other files costs one tree lookup each.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use gix::bstr::ByteSlice;
use gix::diff::tree::recorder::Change as Recorded;
use gix::objs::TreeRefIter;

use super::{Change, Commit, History};

/// Every note (a `.md` file below content/) that a commit of HEAD's first-parent history
/// changed, with those changes newest first; keyed by its path below content/. `prefix` is
/// where the site root is in the work tree (`` or `site/`).
pub(super) fn notes(
    repo: &gix::Repository,
    head: gix::ObjectId,
    prefix: &str,
) -> Result<HashMap<String, Arc<History>>, gix::Error> {
    let content = format!("{prefix}content");
    let mut files: HashMap<String, Vec<Change>> = HashMap::new();
    let mut state = gix::diff::tree::State::default();
    let mut commit = repo.find_commit(head)?;
    let mut tree = content_tree(&commit, &content)?;
    let mut seq = 0;
    loop {
        let parent = match commit.parent_ids().next() {
            Some(id) => Some(repo.find_commit(id.detach())?),
            None => None,
        };
        let parent_tree = match &parent {
            Some(p) => content_tree(p, &content)?,
            None => None,
        };
        if tree != parent_tree {
            let changed = diff(repo, (parent_tree, tree), &mut state)?;
            if !changed.is_empty() {
                let summary = Arc::new(describe(&commit, seq)?);
                for (path, added) in changed {
                    files.entry(path).or_default().push(Change {
                        commit: Arc::clone(&summary),
                        added,
                    });
                }
            }
        }
        let Some(parent) = parent else { break };
        (commit, tree, seq) = (parent, parent_tree, seq + 1);
    }
    Ok((files.into_iter())
        .map(|(path, changes)| (path, Arc::new(History { changes })))
        .collect())
}

/// The id of the tree at `content` (the site's content/ folder) in `commit`, if it has one.
fn content_tree(
    commit: &gix::Commit<'_>,
    content: &str,
) -> Result<Option<gix::ObjectId>, gix::Error> {
    let mut root = commit.tree()?;
    let entry = root.peel_to_entry_by_path(content)?;
    Ok(entry.filter(|e| e.mode().is_tree()).map(|e| e.object_id()))
}

/// The notes that differ between two content/ trees (`None`: there was none), by path
/// below content/, each with whether it was added.
fn diff(
    repo: &gix::Repository,
    (old, new): (Option<gix::ObjectId>, Option<gix::ObjectId>),
    state: &mut gix::diff::tree::State,
) -> Result<Vec<(String, bool)>, gix::Error> {
    let kind = repo.object_hash();
    let data = |id: Option<gix::ObjectId>| -> Result<Vec<u8>, gix::Error> {
        match id {
            Some(id) => Ok(repo.find_tree(id)?.detach().data),
            None => Ok(Vec::new()),
        }
    };
    let (old, new) = (data(old)?, data(new)?);
    let mut recorder = gix::diff::tree::Recorder::default();
    gix::diff::tree(
        TreeRefIter::from_bytes(&old, kind),
        TreeRefIter::from_bytes(&new, kind),
        state,
        &repo.objects,
        &mut recorder,
    )
    .map_err(gix::Error::from_error)?;
    let mut out = Vec::new();
    for change in recorder.records {
        // A deleted note has no page left to show its history on.
        let (path, mode, added) = match change {
            Recorded::Addition {
                path, entry_mode, ..
            } => (path, entry_mode, true),
            Recorded::Modification {
                path, entry_mode, ..
            } => (path, entry_mode, false),
            Recorded::Deletion { .. } => continue,
        };
        // Names that are not UTF-8 are never published (see `content::scan`).
        if let Ok(path) = path.to_str()
            && mode.is_blob()
            && path.ends_with(".md")
        {
            out.push((path.to_string(), added));
        }
    }
    Ok(out)
}

/// What the pages say about a commit: its id, time and summary.
fn describe(commit: &gix::Commit<'_>, seq: usize) -> Result<Commit, gix::Error> {
    let when = commit.time()?;
    let time = FixedOffset::east_opt(when.offset)
        .zip(DateTime::from_timestamp(when.seconds, 0))
        .map(|(offset, utc)| utc.with_timezone(&offset))
        .unwrap_or_default();
    let id = commit.id().detach().to_string();
    let summary = commit.message()?.summary();
    Ok(Commit {
        seq,
        short: id.chars().take(7).collect(),
        id,
        timestamp: time.to_rfc3339_opts(SecondsFormat::Secs, true),
        date: time.date_naive(),
        time,
        summary: printable(&String::from_utf8_lossy(&summary)),
    })
}

/// A commit's summary as a page may show it: no control characters (an escape sequence,
/// a NUL), which HTML cannot carry and no reader needs; runs of white space as one space.
fn printable(text: &str) -> String {
    let spaced: String = (text.chars())
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_lose_control_characters() {
        assert_eq!(
            printable("Fix \u{1b}[2J the\tdate\u{0} "),
            "Fix [2J the date"
        );
        assert_eq!(printable("Исправлена дата"), "Исправлена дата");
    }
}
