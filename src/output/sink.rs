//! Where rendered bytes go: a folder on disk for `build`, memory for `serve`. Pages are
//! rendered in parallel, so a sink takes writes from several threads.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Receives output files by their path below the site root (`sessions/11/index.html`).
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
}

/// Writes into a folder. Paths are checked to stay inside it.
pub struct DirSink {
    dir: PathBuf,
}

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> DirSink {
        DirSink { dir: dir.into() }
    }
}

/// `path` joined below `dir`, or an error if it would leave it.
pub fn contained(dir: &Path, path: &str) -> io::Result<PathBuf> {
    let safe = !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..");
    if !safe {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output: {path}"),
        ));
    }
    Ok(dir.join(path))
}

impl Sink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let full = contained(&self.dir, path)?;
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // The page is whole in memory already: one write, no buffer to allocate.
        std::fs::write(&full, bytes)
    }
}

/// Keeps every file in memory, for the dev server and tests.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        contained(Path::new(""), path)?;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        for bad in ["../x", "/etc/passwd", "a/../../b", "a\\b", "", "a//b"] {
            assert!(contained(Path::new("/out"), bad).is_err(), "{bad}");
        }
        assert_eq!(
            contained(Path::new("/out"), "a/b.html").unwrap(),
            PathBuf::from("/out/a/b.html")
        );
    }
}
