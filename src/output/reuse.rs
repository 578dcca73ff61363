//! Keeping what did not change: a file that a build would write byte for byte as the
//! previous output holds it is hard-linked from there into the staging folder instead of
//! written again. A rebuild after a small edit then writes only what the edit changed, the
//! previous output's removal frees little, and unchanged files keep their modification time
//! (so that `rsync` and HTTP caches see them unchanged). The bytes are always compared, never
//! assumed from a name or a size: a file edited by hand in the output is written afresh.
//! Where a link cannot be made (another file system, one without hard links), the file is
//! written as usual.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// The previous output's file at `rel`, opened, and its length, when it is a regular file.
/// A symbolic link is never followed to one, and nothing else is read (a FIFO would block).
fn open_previous(previous: &Path, rel: &Path) -> Option<(File, PathBuf, u64)> {
    let old = previous.join(rel);
    let file = open_no_follow(&old).ok()?;
    let meta = file.metadata().ok()?;
    meta.is_file().then_some((file, old, meta.len()))
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<File> {
    let meta = std::fs::symlink_metadata(path)?;
    if !meta.is_file() {
        return Err(io::ErrorKind::InvalidInput.into());
    }
    File::open(path)
}

/// Whether `file`, of `len` bytes, holds exactly `bytes`.
fn holds(mut file: File, len: u64, bytes: &[u8]) -> bool {
    if len != bytes.len() as u64 {
        return false;
    }
    let mut held = vec![0; bytes.len()];
    file.read_exact(&mut held).is_ok() && held == bytes
}

/// Puts `bytes` at `full` (the same file as `rel` below the staging folder): linked from
/// `previous` when the file there holds exactly these bytes, written otherwise.
pub fn write(previous: Option<&Path>, rel: &Path, full: &Path, bytes: &[u8]) -> io::Result<()> {
    let old = previous.and_then(|p| open_previous(p, rel));
    if let Some((file, old, len)) = old
        && holds(file, len, bytes)
        && std::fs::hard_link(&old, full).is_ok()
    {
        return Ok(());
    }
    std::fs::write(full, bytes)
}

/// A writer for a file produced in pieces. While the pieces match the previous output's
/// file it writes nothing; at the first difference it creates the file, copies the part
/// that matched from the previous one and goes on writing. [`Reusing::finish`] links the
/// previous file when everything matched.
pub struct Reusing {
    full: PathBuf,
    /// The previous file and the reader comparing against it, while all has matched.
    old: Option<(PathBuf, BufReader<File>)>,
    /// How many bytes matched so far.
    matched: u64,
    /// The new file, once it differs (or when there is nothing to compare with).
    out: Option<File>,
    /// Scratch for reading the previous file.
    held: Vec<u8>,
}

impl Reusing {
    pub fn new(previous: Option<&Path>, rel: &Path, full: &Path) -> io::Result<Reusing> {
        let old = previous
            .and_then(|p| open_previous(p, rel))
            .map(|(file, path, _)| (path, BufReader::with_capacity(64 * 1024, file)));
        let out = match old {
            Some(_) => None,
            None => Some(File::create(full)?),
        };
        Ok(Reusing {
            full: full.to_path_buf(),
            old,
            matched: 0,
            out,
            held: Vec::new(),
        })
    }

    /// Creates the new file with the bytes that matched so far; the pieces then go there.
    fn diverge(&mut self) -> io::Result<&mut File> {
        let out = match self.out.take() {
            Some(out) => out,
            None => {
                let mut out = File::create(&self.full)?;
                if let Some((path, _)) = self.old.take() {
                    io::copy(&mut File::open(path)?.take(self.matched), &mut out)?;
                }
                out
            }
        };
        Ok(self.out.insert(out))
    }

    /// Ends the file: links the previous one when every byte matched and it has no more.
    pub fn finish(mut self) -> io::Result<()> {
        if let Some((path, reader)) = &mut self.old {
            let at_end = io::BufRead::fill_buf(reader)?.is_empty();
            if at_end && std::fs::hard_link(path.as_path(), &self.full).is_ok() {
                return Ok(());
            }
        }
        self.diverge()?.flush()
    }
}

impl Write for Reusing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some((_, reader)) = &mut self.old {
            self.held.resize(buf.len(), 0);
            if read_full(reader, &mut self.held)? == buf.len() && self.held == buf {
                self.matched += buf.len() as u64;
                return Ok(buf.len());
            }
        }
        self.diverge()?.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.out {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }
}

/// Reads until `buf` is full or the file ends; how many bytes were read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn in_pieces(text: &[u8], pieces: usize) -> Vec<&[u8]> {
        text.chunks(text.len().div_ceil(pieces).max(1)).collect()
    }

    /// Writes `new` in pieces over a previous file holding `old`; whether it was linked.
    fn streamed(old: Option<&[u8]>, new: &[u8]) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let (prev, staging) = (dir.path().join("prev"), dir.path().join("staging"));
        std::fs::create_dir_all(&prev).unwrap();
        std::fs::create_dir_all(&staging).unwrap();
        if let Some(old) = old {
            std::fs::write(prev.join("f"), old).unwrap();
        }
        let full = staging.join("f");
        let mut w = Reusing::new(Some(&prev), Path::new("f"), &full).unwrap();
        for piece in in_pieces(new, 7) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap();
        assert_eq!(std::fs::read(&full).unwrap(), new);
        if let Some(old) = old {
            assert_eq!(
                std::fs::read(prev.join("f")).unwrap(),
                old,
                "the previous is kept"
            );
        }
        std::fs::metadata(&full).unwrap().nlink() == 2
    }

    #[test]
    fn the_same_bytes_are_linked_and_any_difference_is_written() {
        let text = b"0123456789abcdefghijklmnopqrstuvwxyz".repeat(1000);
        assert!(streamed(Some(&text), &text));
        let mut changed = text.clone();
        changed[20_000] = b'!';
        assert!(!streamed(Some(&text), &changed), "a byte in the middle");
        assert!(!streamed(Some(&text), &text[..text.len() - 1]), "shorter");
        assert!(!streamed(Some(&text[..text.len() - 1]), &text), "longer");
        assert!(!streamed(Some(b""), &text));
        assert!(streamed(Some(b""), b""));
        assert!(!streamed(None, &text), "nothing to compare with");
    }

    #[test]
    fn whole_files_are_linked_only_when_equal() {
        let dir = tempfile::tempdir().unwrap();
        let (prev, staging) = (dir.path().join("prev"), dir.path().join("staging"));
        std::fs::create_dir_all(prev.join("a")).unwrap();
        std::fs::create_dir_all(staging.join("a")).unwrap();
        std::fs::write(prev.join("a/same"), b"same").unwrap();
        std::fs::write(prev.join("a/edited"), b"edited by hand").unwrap();
        for (name, bytes, linked) in [
            ("a/same", &b"same"[..], true),
            ("a/edited", b"as built here", false),
            ("a/new", b"new", false),
        ] {
            let full = staging.join(name);
            write(Some(&prev), Path::new(name), &full, bytes).unwrap();
            assert_eq!(std::fs::read(&full).unwrap(), bytes, "{name}");
            assert_eq!(
                std::fs::metadata(&full).unwrap().nlink() == 2,
                linked,
                "{name}"
            );
        }
        assert_eq!(
            std::fs::read(prev.join("a/edited")).unwrap(),
            b"edited by hand"
        );
    }

    #[test]
    fn a_symbolic_link_in_the_previous_output_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let (prev, staging) = (dir.path().join("prev"), dir.path().join("staging"));
        std::fs::create_dir_all(&prev).unwrap();
        std::fs::create_dir_all(&staging).unwrap();
        std::fs::write(dir.path().join("outside"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), prev.join("f")).unwrap();
        let full = staging.join("f");
        write(Some(&prev), Path::new("f"), &full, b"x").unwrap();
        assert_eq!(
            std::fs::metadata(dir.path().join("outside"))
                .unwrap()
                .nlink(),
            1
        );
    }
}
