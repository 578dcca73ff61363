//! [`Recorder`]: a [`Sink`] wrapper that works out each file's SHA-256 as it is written
//! (pages render in parallel; a file written in pieces is digested piece by piece as it
//! passes, never held whole), and writes `SHA256SUMS` last. Given the digests of the build
//! before ([`Known`]), it takes the SHA-256 of a file whose bytes did not change from there.

use std::io::{self, Read};
use std::sync::{LazyLock, Mutex};

use sha2::{Digest, Sha256};
use twox_hash::XxHash3_128;

use super::known::{Made, fingerprint};
use super::{FILE, Known, hex, render, sha256_hex};
use crate::output::sink::{Fill, Sink};

/// Knows no digests: every file is digested.
static NOTHING: LazyLock<Known> = LazyLock::new(Known::default);

/// A sink that passes writes through and remembers each file's digest.
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    known: &'a Known,
    made: Mutex<Known>,
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a dyn Sink) -> Recorder<'a> {
        Recorder {
            inner,
            known: &NOTHING,
            made: Mutex::new(Known::default()),
        }
    }

    /// Takes digests from `known` for files whose bytes have the fingerprint kept there.
    pub fn knowing(mut self, known: &'a Known) -> Recorder<'a> {
        self.known = known;
        self
    }

    /// Writes `SHA256SUMS` of everything written so far into the inner sink; returns the
    /// digests, for the next build.
    pub fn finish(self) -> io::Result<Known> {
        let made = self.made.into_inner().unwrap_or_else(|e| e.into_inner());
        let list = render(made.iter().map(|(p, m)| (p, m.sha256.as_str())));
        self.inner.write(FILE, list.as_bytes())?;
        Ok(made)
    }

    fn record(&self, path: &str, fingerprint: u128, sha256: String) {
        let mut all = self.made.lock().unwrap_or_else(|e| e.into_inner());
        all.insert(
            path,
            Made {
                fingerprint,
                sha256,
            },
        );
    }

    /// The SHA-256 of the file the inner sink holds at `path`, read back.
    fn digest_stored(&self, path: &str) -> io::Result<String> {
        let mut file = self.inner.read_back(path)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0; PIECE];
        loop {
            match file.read(&mut buf) {
                Ok(0) => return Ok(hex(hasher.finalize().as_slice())),
                Ok(n) => hasher.update(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl Sink for Recorder<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.inner.write(path, bytes)?;
        let fingerprint = fingerprint(bytes);
        let sha256 = match self.known.sha256(path, fingerprint) {
            Some(kept) => kept.to_string(),
            None => sha256_hex(bytes),
        };
        self.record(path, fingerprint, sha256);
        Ok(())
    }

    fn write_with(&self, path: &str, fill: &mut Fill<'_>) -> io::Result<()> {
        // A file the build before made is most likely unchanged: its pieces are only
        // fingerprinted as they pass, and digested from the sink when the bytes changed.
        let mut hashers = Hashers {
            fingerprint: XxHash3_128::new(),
            sha256: (!self.known.has(path)).then(Sha256::new),
        };
        self.inner.write_with(path, &mut |out| {
            // Serializers write a few bytes at a time: gathered first, they are digested
            // and passed on in large pieces.
            let digesting = Digesting {
                out,
                hashers: &mut hashers,
            };
            let mut buffered = io::BufWriter::with_capacity(PIECE, digesting);
            fill(&mut buffered)?;
            io::Write::flush(&mut buffered)
        })?;
        let fingerprint = hashers.fingerprint.finish_128();
        let sha256 = match (hashers.sha256, self.known.sha256(path, fingerprint)) {
            (Some(hasher), _) => hex(hasher.finalize().as_slice()),
            (None, Some(kept)) => kept.to_string(),
            (None, None) => self.digest_stored(path)?,
        };
        self.record(path, fingerprint, sha256);
        Ok(())
    }

    fn read_back(&self, path: &str) -> io::Result<Box<dyn Read + '_>> {
        self.inner.read_back(path)
    }
}

/// How many bytes [`Recorder::write_with`] gathers before digesting them.
const PIECE: usize = 64 * 1024;

/// The fingerprint, and the SHA-256 unless a kept one is expected.
struct Hashers {
    fingerprint: XxHash3_128,
    sha256: Option<Sha256>,
}

impl Hashers {
    fn update(&mut self, bytes: &[u8]) {
        self.fingerprint.write(bytes);
        if let Some(h) = &mut self.sha256 {
            h.update(bytes);
        }
    }
}

/// Passes bytes on to `out`, digesting those that `out` took.
struct Digesting<'a> {
    out: &'a mut dyn io::Write,
    hashers: &'a mut Hashers,
}

impl io::Write for Digesting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hashers.update(&buf[..n]);
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)?;
        self.hashers.update(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use crate::output::MemorySink;
    use std::collections::BTreeMap;

    #[test]
    fn recorder_lists_files_sorted_and_round_trips() {
        let mem = MemorySink::default();
        let rec = Recorder::new(&mem);
        rec.write("b/index.html", b"b").unwrap();
        rec.write("a.css", b"a").unwrap();
        rec.write("odd\nname", b"c").unwrap();
        rec.finish().unwrap();
        let files = mem.into_files();
        let list = String::from_utf8(files[FILE].clone()).unwrap();
        let lines: Vec<&str> = list.lines().collect();
        assert!(lines[0].ends_with("  a.css"));
        assert!(lines[1].ends_with("  b/index.html"));
        assert!(lines[2].starts_with('\\') && lines[2].ends_with("  odd\\nname"));
        let back = parse(&list).unwrap();
        assert_eq!(back["odd\nname"], sha256_hex(b"c"));
        assert_eq!(back.len(), 3);
    }

    #[test]
    fn pieces_are_digested_as_the_whole() {
        let text: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut fill = |out: &mut dyn io::Write| {
            for chunk in text.chunks(7919) {
                out.write_all(chunk)?;
            }
            write!(out, "tail {}", 7)
        };
        let whole = [text.as_slice(), b"tail 7"].concat();
        let dir = tempfile::tempdir().unwrap();
        let disk = crate::output::DirSink::new(dir.path());
        let mem = MemorySink::default();
        for sink in [&disk as &dyn Sink, &mem] {
            let rec = Recorder::new(sink);
            rec.write("whole", &whole).unwrap();
            rec.write_with("pieces", &mut fill).unwrap();
            rec.finish().unwrap();
        }
        let mem = mem.into_files();
        assert_eq!(mem["pieces"], whole);
        assert_eq!(std::fs::read(dir.path().join("pieces")).unwrap(), whole);
        for list in [
            mem[FILE].clone(),
            std::fs::read(dir.path().join(FILE)).unwrap(),
        ] {
            let digests = parse(std::str::from_utf8(&list).unwrap()).unwrap();
            assert_eq!(digests["pieces"], sha256_hex(&whole));
            assert_eq!(digests["pieces"], digests["whole"]);
        }
    }

    #[test]
    fn a_failed_file_is_not_listed() {
        let mem = MemorySink::default();
        let rec = Recorder::new(&mem);
        let mut failing = |_: &mut dyn io::Write| Err(io::Error::other("no"));
        assert!(rec.write_with("a", &mut failing).is_err());
        rec.finish().unwrap();
        assert!(mem.into_files()[FILE].is_empty());
    }

    /// Writes `files` through a recorder knowing `known`, into memory; the list it made
    /// and what it knows afterwards.
    fn recorded(known: &Known, files: &[(&str, &[u8])]) -> (BTreeMap<String, String>, Known) {
        let mem = MemorySink::default();
        let rec = Recorder::new(&mem).knowing(known);
        for (i, (path, bytes)) in files.iter().enumerate() {
            if i % 2 == 0 {
                rec.write(path, bytes).unwrap();
            } else {
                rec.write_with(path, &mut |out| out.write_all(bytes))
                    .unwrap();
            }
        }
        let made = rec.finish().unwrap();
        let list = String::from_utf8(mem.into_files()[FILE].clone()).unwrap();
        (parse(&list).unwrap(), made)
    }

    #[test]
    fn kept_digests_are_taken_only_for_the_same_bytes() {
        let files: [(&str, &[u8]); 4] = [("a", b"A"), ("b", b"B"), ("c", b"C"), ("d", b"D")];
        let (_, mut known) = recorded(&Known::default(), &files);
        // Kept digests that are wrong on purpose show which ones were taken.
        let planted = |bytes: &[u8]| Made {
            fingerprint: fingerprint(bytes),
            sha256: "f".repeat(64),
        };
        known.insert("a", planted(b"A"));
        known.insert("b", planted(b"B"));
        known.insert("c", planted(b"old"));
        known.insert("d", planted(b"old"));
        let (list, made) = recorded(&known, &files);
        assert_eq!(
            list["a"],
            "f".repeat(64),
            "a whole file with the same bytes"
        );
        assert_eq!(
            list["b"],
            "f".repeat(64),
            "a file in pieces with the same bytes"
        );
        assert_eq!(list["c"], sha256_hex(b"C"), "a whole file that changed");
        assert_eq!(list["d"], sha256_hex(b"D"), "a file in pieces that changed");
        assert_eq!(
            made.sha256("d", fingerprint(b"D")),
            Some(list["d"].as_str())
        );
    }
}
