//! Watching the site's sources: content/, themes/ and static/, through notify with a short
//! debounce so an editor's save (temp file, rename, chmod: a burst of events) becomes one
//! change set. Swap, backup and probe files (`.swp`, `~`, `4913`) are dropped here.
//! The root itself is watched (not recursively) so that a folder created after the start,
//! a first theme or static/, is seen and then watched too.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc::UnboundedSender;

use crate::engine::{Changes, hidden};

/// How long the watcher waits for a burst of events to end.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// The running watcher and the folders it watches; dropping it stops watching.
pub struct Watched {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    folders: Vec<&'static str>,
}

/// The folders watched below the root.
pub const WATCHED: [&str; 3] = ["content", "themes", "static"];

/// Starts watching `root`; each debounced batch is classified and sent to `tx`.
pub fn start(root: &Path, tx: UnboundedSender<Changes>) -> notify::Result<Watched> {
    let root_for_events = root.to_path_buf();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |res: DebounceEventResult| {
        let changes = match res {
            Ok(events) => classify(
                &root_for_events,
                events
                    .iter()
                    .filter(|e| !e.event.kind.is_access())
                    .flat_map(|e| e.event.paths.iter()),
                events.iter().any(|e| e.event.need_rescan()),
            ),
            Err(_) => Changes {
                rescan: true,
                ..Changes::default()
            },
        };
        if !changes.is_empty() {
            // The receiver is gone only while the server shuts down.
            let _ = tx.send(changes);
        }
    })?;
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    Ok(Watched {
        debouncer,
        folders: Vec::new(),
    }
    .with_new_folders(root))
}

impl Watched {
    /// Starts watching each of [`WATCHED`] that exists. Files written into a new folder
    /// before a watch starts are read by the next build, which the folder's creation itself
    /// triggers.
    pub fn with_new_folders(mut self, root: &Path) -> Watched {
        self.watch_new_folders(root);
        self
    }

    /// Watches each of [`WATCHED`] that exists now, again even when it was watched before:
    /// a folder deleted and created anew (restored from a backup, say) is another folder
    /// to the system, and the old watch saw only the first one go.
    pub fn watch_new_folders(&mut self, root: &Path) {
        for dir in WATCHED {
            let path = root.join(dir);
            if self.folders.contains(&dir) {
                // Gone with the old folder, or replaced below: either way, start afresh.
                let _ = self.debouncer.unwatch(&path);
                self.folders.retain(|f| *f != dir);
            }
            if !path.is_dir() {
                continue;
            }
            match self.debouncer.watch(&path, RecursiveMode::Recursive) {
                Ok(()) => self.folders.push(dir),
                // A closed stderr must not stop the server.
                Err(e) => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "warning: cannot watch {}: {e}",
                        path.display()
                    );
                }
            }
        }
    }
}

/// Sorts event paths into a change set; editor droppings and unrelated paths are dropped.
/// Reads (access events) are dropped before this: the build itself reads every file.
pub fn classify<'a>(
    root: &Path,
    paths: impl Iterator<Item = &'a PathBuf>,
    rescan: bool,
) -> Changes {
    let mut changes = Changes {
        rescan,
        ..Changes::default()
    };
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        if hidden(rel) {
            continue;
        }
        match rel.components().next().map(|c| c.as_os_str()) {
            Some(top) if top == "content" => {
                changes.content.insert(path.clone());
            }
            Some(top) if top == "themes" || top == "static" => changes.theme = true,
            _ => {}
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_droppings_are_not_changes() {
        let root = Path::new("/site");
        let paths: Vec<PathBuf> = [
            "/site/content/sessions/.11.md.swp",
            "/site/content/sessions/11.md~",
            "/site/content/sessions/4913",
            "/site/public/index.html",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert!(classify(root, paths.iter(), false).is_empty());
    }

    #[test]
    fn notes_and_templates_are_sorted() {
        let root = Path::new("/site");
        let paths: Vec<PathBuf> = [
            "/site/content/sessions/11.md",
            "/site/themes/default/templates/session.html",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let c = classify(root, paths.iter(), false);
        assert_eq!(
            c.content.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("/site/content/sessions/11.md")]
        );
        assert!(c.theme);
    }
}
