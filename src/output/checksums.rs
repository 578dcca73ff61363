//! `/SHA256SUMS`: the SHA-256 of every published file in the format of GNU `sha256sum`
//! (`<hex>  <path>`, sorted by path), so `sha256sum -c SHA256SUMS` passes inside the output.
//! [`Recorder`] is a [`Sink`] wrapper that digests files as they are written (pages render in
//! parallel; a file written in pieces is digested piece by piece as it passes, never held
//! whole); [`Recorder::finish`] writes the list last. The list leaves out itself and the
//! `.pactline-output` marker that publishing adds afterwards.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::io;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::Sink;
use super::publish::MARKER;
use super::sink::Fill;

/// The name of the list, at the root of the output.
pub const FILE: &str = "SHA256SUMS";

/// Whether `path` is left out of the list: the list itself and the publish marker.
pub fn is_excluded(path: &str) -> bool {
    path == FILE || path == MARKER
}

/// The SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(Sha256::digest(bytes).as_slice())
}

fn hex(digest: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// One line of the list. As GNU coreutils does, a path with a backslash or a newline is
/// escaped and the line starts with a backslash.
pub fn line(hex: &str, path: &str) -> String {
    if path.contains(['\\', '\n', '\r']) {
        let escaped = path
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        format!("\\{hex}  {escaped}\n")
    } else {
        format!("{hex}  {path}\n")
    }
}

/// The whole list, from digests by path (a `BTreeMap`, so sorted by path bytes).
pub fn render(digests: &BTreeMap<String, String>) -> String {
    digests
        .iter()
        .filter(|(p, _)| !is_excluded(p))
        .map(|(p, h)| line(h, p))
        .collect()
}

/// A line that cannot be read.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {what}")]
pub struct ParseError {
    pub line: usize,
    pub what: &'static str,
}

/// Reads a list back into digests by path.
pub fn parse(text: &str) -> Result<BTreeMap<String, String>, ParseError> {
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.is_empty() {
            continue;
        }
        let err = ParseError {
            line: i + 1,
            what: "not in `sha256sum` format",
        };
        let (escaped, l) = match raw.strip_prefix('\\') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let (hex, rest) = l.split_at_checked(64).ok_or(err.clone())?;
        let valid_hex = hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let path = rest
            .strip_prefix("  ")
            .or_else(|| rest.strip_prefix(" *"))
            .filter(|p| valid_hex && !p.is_empty())
            .ok_or(err.clone())?;
        let path = if escaped {
            unescape(path)
        } else {
            path.to_string()
        };
        // `find . -type f | xargs sha256sum` writes `./a`: the same file as `a`.
        let path = path.strip_prefix("./").map(str::to_string).unwrap_or(path);
        // A listed path names a file inside the folder, once.
        let inside = !path.starts_with('/')
            && (path.split('/')).all(|part| !matches!(part, "" | "." | ".."));
        if !inside {
            return Err(ParseError {
                what: "the path is not a file inside the folder",
                ..err
            });
        }
        if out.insert(path, hex.to_string()).is_some() {
            return Err(ParseError {
                what: "the file is listed twice",
                ..err
            });
        }
    }
    Ok(out)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// A sink that passes writes through and remembers each file's digest.
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    digests: Mutex<BTreeMap<String, String>>,
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a dyn Sink) -> Recorder<'a> {
        Recorder {
            inner,
            digests: Mutex::new(BTreeMap::new()),
        }
    }

    /// Writes `SHA256SUMS` of everything written so far into the inner sink.
    pub fn finish(self) -> io::Result<()> {
        let digests = self.digests.into_inner().unwrap_or_else(|e| e.into_inner());
        self.inner.write(FILE, render(&digests).as_bytes())
    }

    fn record(&self, path: &str, hex: String) {
        let mut digests = self.digests.lock().unwrap_or_else(|e| e.into_inner());
        digests.insert(path.to_string(), hex);
    }
}

impl Sink for Recorder<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.inner.write(path, bytes)?;
        self.record(path, sha256_hex(bytes));
        Ok(())
    }

    fn write_with(&self, path: &str, fill: &mut Fill<'_>) -> io::Result<()> {
        let mut hasher = Sha256::new();
        self.inner.write_with(path, &mut |out| {
            // Serializers write a few bytes at a time: gathered first, they are digested
            // and passed on in large pieces.
            let digesting = Digesting {
                out,
                hasher: &mut hasher,
            };
            let mut buffered = io::BufWriter::with_capacity(PIECE, digesting);
            fill(&mut buffered)?;
            io::Write::flush(&mut buffered)
        })?;
        self.record(path, hex(hasher.finalize().as_slice()));
        Ok(())
    }
}

/// How many bytes [`Recorder::write_with`] gathers before digesting them.
const PIECE: usize = 64 * 1024;

/// Passes bytes on to `out`, digesting those that `out` took.
struct Digesting<'a> {
    out: &'a mut dyn io::Write,
    hasher: &'a mut Sha256,
}

impl io::Write for Digesting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)?;
        self.hasher.update(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::MemorySink;

    #[test]
    fn known_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

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

    #[test]
    fn bad_lines_are_reported() {
        assert_eq!(
            parse("nothex  a\n"),
            Err(ParseError {
                line: 1,
                what: "not in `sha256sum` format"
            })
        );
        let ok = format!("{}  a\n{}", "0".repeat(64), "z".repeat(64));
        assert_eq!(
            parse(&ok),
            Err(ParseError {
                line: 2,
                what: "not in `sha256sum` format"
            })
        );
        let dotted = format!("{}  ./a/b\n{} *c\n", "0".repeat(64), "1".repeat(64));
        let back = parse(&dotted).unwrap();
        assert_eq!(back.keys().collect::<Vec<_>>(), ["a/b", "c"]);
    }
}
