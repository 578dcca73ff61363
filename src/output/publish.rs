//! Atomic publishing of the output folder: everything is written into a staging folder
//! beside the output and swapped in only when the whole build succeeded, so a failed build
//! leaves the previous output as it was. A folder pactline did not make is never replaced.

use std::io;
use std::path::{Path, PathBuf};

/// Marks a folder as pactline's output, which a later build may replace.
pub const MARKER: &str = ".pactline-output";

/// Marks a staging folder while a build writes into it (the output marker replaces it when
/// the build is swapped in), so that a later build knows a staging folder left by a build
/// that was killed for its own.
const STAGING_MARKER: &str = ".pactline-staging";

/// Why the output folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(
        "refusing to replace {0}: it is not empty and was not made by pactline (no {MARKER} file in it)"
    )]
    Foreign(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> PublishError + '_ {
    move |source| PublishError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A staging folder for one build of `output`.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
}

impl Staging {
    /// Checks that `output` may be replaced, and makes a fresh staging folder beside it.
    pub fn begin(output: &Path) -> Result<Staging, PublishError> {
        check_replaceable(output)?;
        let parent = parent_of(output);
        std::fs::create_dir_all(&parent).map_err(io_at(&parent))?;
        remove_leftovers(output);
        let dir = sibling(output, "staging");
        if dir.exists() {
            remove_tree(&dir).map_err(io_at(&dir))?;
        }
        std::fs::create_dir(&dir).map_err(io_at(&dir))?;
        std::fs::write(dir.join(STAGING_MARKER), b"pactline build writes here.\n")
            .map_err(io_at(&dir))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The output this build replaces, when it is a finished one: its unchanged files can
    /// be linked into the staging folder (see [`super::reuse`]).
    pub fn previous(&self) -> Option<PathBuf> {
        let marked = self.output.join(MARKER);
        std::fs::symlink_metadata(&marked)
            .is_ok_and(|m| m.is_file())
            .then(|| self.output.clone())
    }

    /// Swaps the staging folder in place of the output.
    pub fn commit(self) -> Result<(), PublishError> {
        std::fs::remove_file(self.dir.join(STAGING_MARKER)).map_err(io_at(&self.dir))?;
        std::fs::write(
            self.dir.join(MARKER),
            b"This folder is written by pactline build; it may be replaced.\n",
        )
        .map_err(io_at(&self.dir))?;
        check_replaceable(&self.output)?;
        let old = sibling(&self.output, "old");
        if self.output.exists() {
            if old.exists() {
                remove_tree(&old).map_err(io_at(&old))?;
            }
            std::fs::rename(&self.output, &old).map_err(io_at(&self.output))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            // Put the previous output back so nothing is lost.
            let _ = std::fs::rename(&old, &self.output);
            return Err(PublishError::Io {
                path: self.output.clone(),
                source: e,
            });
        }
        if old.exists() {
            remove_tree(&old).map_err(io_at(&old))?;
        }
        Ok(())
    }

    /// Drops the staging folder, leaving the output untouched.
    pub fn abort(self) {
        let _ = remove_tree(&self.dir);
    }
}

/// Removes a folder and everything below it, like `remove_dir_all` (symbolic links are
/// removed, not followed), but the entries of a folder on every core: taking away the
/// previous output is a good part of a build that writes to disk.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries = std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

/// Removes the staging and old-output folders of `output` that builds killed before they
/// finished left beside it: only those that carry their marker, of a process that is gone.
fn remove_leftovers(output: &Path) {
    let name = folder_name(output);
    let Ok(entries) = std::fs::read_dir(parent_of(output)) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&format!(".{name}.pactline-")) else {
            continue;
        };
        let Some((marker, pid)) = (match rest.split_once('-') {
            Some(("staging", pid)) => Some((STAGING_MARKER, pid)),
            Some(("old", pid)) => Some((MARKER, pid)),
            _ => None,
        }) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let dir = entry.path();
        let is_dir = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir());
        if is_dir && dir.join(marker).is_file() && !is_running(pid) {
            let _ = remove_tree(&dir);
        }
    }
}

/// Whether process `pid` may still be running (and writing its folder). Where processes
/// cannot be looked up, every one may be.
fn is_running(pid: u32) -> bool {
    pid == std::process::id()
        || !Path::new("/proc/self").exists()
        || Path::new("/proc").join(pid.to_string()).exists()
}

fn folder_name(output: &Path) -> String {
    output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into())
}

fn parent_of(output: &Path) -> PathBuf {
    match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = folder_name(output);
    parent_of(output).join(format!(".{name}.pactline-{what}-{}", std::process::id()))
}

/// An output folder may be replaced when it is absent, empty, or carries the marker.
pub fn check_replaceable(output: &Path) -> Result<(), PublishError> {
    let meta = match std::fs::symlink_metadata(output) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(PublishError::Io {
                path: output.to_path_buf(),
                source: e,
            });
        }
    };
    if !meta.is_dir() {
        return Err(PublishError::Foreign(output.to_path_buf()));
    }
    if output.join(MARKER).is_file() {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(output).map_err(io_at(output))?;
    if entries.next().is_none() {
        Ok(())
    } else {
        Err(PublishError::Foreign(output.to_path_buf()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_killed_builds_go_and_nothing_else() {
        let t = tempfile::tempdir().unwrap();
        let output = t.path().join("public");
        // No process has so large a number.
        let dead = u32::MAX - 1;
        let make = |name: String, marker: Option<&str>| {
            let dir = t.path().join(name);
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(dir.join("page.html"), "x").unwrap();
            if let Some(m) = marker {
                std::fs::write(dir.join(m), "").unwrap();
            }
            dir
        };
        let staging = make(
            format!(".public.pactline-staging-{dead}"),
            Some(STAGING_MARKER),
        );
        let old = make(format!(".public.pactline-old-{dead}"), Some(MARKER));
        let foreign = make(format!(".public.pactline-staging-{}", dead - 1), None);
        let other_site = make(format!(".site.pactline-old-{dead}"), Some(MARKER));
        let alive = make(
            format!(".public.pactline-staging-{}", std::process::id()),
            Some(STAGING_MARKER),
        );
        let staging_now = Staging::begin(&output).unwrap();
        assert!(!staging.exists() && !old.exists());
        assert!(foreign.exists() && other_site.exists());
        assert!(staging_now.dir().join(STAGING_MARKER).is_file());
        staging_now.commit().unwrap();
        assert!(
            !alive.exists(),
            "this process's own folder is its staging folder"
        );
        assert!(output.join(MARKER).is_file());
        assert!(!output.join(STAGING_MARKER).exists());
    }

    #[cfg(unix)]
    #[test]
    fn removing_a_tree_takes_links_away_without_following_them() {
        let t = tempfile::tempdir().unwrap();
        let outside = t.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("keep.txt"), "kept").unwrap();
        let tree = t.path().join("tree");
        std::fs::create_dir_all(tree.join("a/b/c")).unwrap();
        std::fs::write(tree.join("a/b/c/page.html"), "x").unwrap();
        std::fs::write(tree.join("a/top.html"), "y").unwrap();
        std::os::unix::fs::symlink(&outside, tree.join("a/b/link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(
            std::fs::read_to_string(outside.join("keep.txt")).unwrap(),
            "kept"
        );
    }

    #[test]
    fn foreign_folders_are_refused() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("precious.txt"), "keep").unwrap();
        assert!(matches!(
            Staging::begin(&out),
            Err(PublishError::Foreign(_))
        ));
        assert_eq!(
            std::fs::read_to_string(out.join("precious.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn commit_swaps_and_abort_keeps() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let s = Staging::begin(&out).unwrap();
        std::fs::write(s.dir().join("a"), "1").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a")).unwrap(), "1");
        let s = Staging::begin(&out).unwrap();
        std::fs::write(s.dir().join("a"), "2").unwrap();
        s.abort();
        assert_eq!(std::fs::read_to_string(out.join("a")).unwrap(), "1");
        let s = Staging::begin(&out).unwrap();
        std::fs::write(s.dir().join("b"), "3").unwrap();
        s.commit().unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(
            std::fs::read_dir(t.path()).unwrap().count(),
            1,
            "no staging or old folders left"
        );
    }
}
