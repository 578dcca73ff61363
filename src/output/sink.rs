//! Where rendered bytes go: a folder on disk for `build`, memory for `serve`. Pages are
//! rendered in parallel, so a sink takes writes from several threads. A file may be handed
//! over whole ([`Sink::write`]) or produced in pieces ([`Sink::write_with`]): the large data
//! exports take the second way, so that a build to disk never holds them whole.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Produces a file's bytes into the writer it is given.
pub type Fill<'a> = dyn FnMut(&mut dyn Write) -> io::Result<()> + 'a;

/// Receives output files by their path below the site root (`sessions/11/index.html`).
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Writes the file at `path` with the bytes `fill` produces; `fill` is called once. A
    /// sink that can take the bytes as they come should override this: the default holds
    /// the whole file in memory and passes it to [`Sink::write`].
    fn write_with(&self, path: &str, fill: &mut Fill<'_>) -> io::Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes)?;
        self.write(path, &bytes)
    }

    /// Reads back the file this sink stored at `path`.
    fn read_back(&self, path: &str) -> io::Result<Box<dyn Read + '_>>;
}

/// Writes into a folder. Paths are checked to stay inside it.
pub struct DirSink {
    dir: PathBuf,
    /// The previous output, whose files are linked rather than written again when a file
    /// would have the same bytes (see [`super::reuse`]).
    previous: Option<PathBuf>,
}

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> DirSink {
        DirSink {
            dir: dir.into(),
            previous: None,
        }
    }

    /// Links unchanged files from `previous` (a finished output) instead of writing them.
    pub fn reusing(mut self, previous: Option<PathBuf>) -> DirSink {
        self.previous = previous;
        self
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

impl DirSink {
    /// The file's place on disk, its folder created.
    fn prepare(&self, path: &str) -> io::Result<PathBuf> {
        let full = contained(&self.dir, path)?;
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(full)
    }
}

/// Large enough that the many small writes of a serializer reach the disk in few calls.
const WRITE_BUFFER: usize = 64 * 1024;

impl Sink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let full = self.prepare(path)?;
        // The page is whole in memory already: one write, no buffer to allocate.
        super::reuse::write(self.previous.as_deref(), Path::new(path), &full, bytes)
    }

    fn write_with(&self, path: &str, fill: &mut Fill<'_>) -> io::Result<()> {
        let full = self.prepare(path)?;
        let file = super::reuse::Reusing::new(self.previous.as_deref(), Path::new(path), &full)?;
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
        fill(&mut out)?;
        // Flushed here rather than on drop, which would swallow the error.
        out.flush()?;
        out.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .finish()
    }

    fn read_back(&self, path: &str) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(std::fs::File::open(contained(&self.dir, path)?)?))
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

impl MemorySink {
    fn insert(&self, path: &str, bytes: Vec<u8>) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_string(), bytes);
    }
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        contained(Path::new(""), path)?;
        self.insert(path, bytes.to_vec());
        Ok(())
    }

    /// Keeps the bytes `fill` produced as they are, without the copy `write` makes.
    fn write_with(&self, path: &str, fill: &mut Fill<'_>) -> io::Result<()> {
        contained(Path::new(""), path)?;
        let mut bytes = Vec::new();
        fill(&mut bytes)?;
        self.insert(path, bytes);
        Ok(())
    }

    fn read_back(&self, path: &str) -> io::Result<Box<dyn Read + '_>> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let bytes = files.get(path).cloned();
        let bytes = bytes.ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        Ok(Box::new(io::Cursor::new(bytes)))
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

    fn in_pieces(out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"one ")?;
        write!(out, "{} ", 2)?;
        out.write_all(&[b'3'; 100_000])
    }

    #[test]
    fn pieces_land_on_disk_as_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let sink = DirSink::new(dir.path());
        sink.write_with("a/b/c.txt", &mut in_pieces).unwrap();
        let mut whole = Vec::new();
        in_pieces(&mut whole).unwrap();
        assert_eq!(std::fs::read(dir.path().join("a/b/c.txt")).unwrap(), whole);
        assert!(sink.write_with("../x", &mut in_pieces).is_err());
    }

    #[test]
    fn a_failing_fill_is_reported_and_not_kept() {
        let mem = MemorySink::default();
        let mut failing = |out: &mut dyn Write| -> io::Result<()> {
            out.write_all(b"half")?;
            Err(io::Error::other("stopped"))
        };
        let e = mem.write_with("a.txt", &mut failing).unwrap_err();
        assert_eq!(e.to_string(), "stopped");
        mem.write_with("b.txt", &mut in_pieces).unwrap();
        let files = mem.into_files();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["b.txt"]);
    }
}
