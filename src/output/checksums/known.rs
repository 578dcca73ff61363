//! The digests one build made, kept for the next. Working out the SHA-256 of every file is
//! a good part of a build; most files of a rebuild are byte for byte those of the build
//! before. Each file's SHA-256 is therefore kept with a fingerprint of the same bytes (XXH3,
//! 128 bits, about a tenth of the cost), and the next build takes the SHA-256
//! of a file whose new bytes have the same fingerprint. Nothing is taken on trust from a
//! name, a size or a time: only bytes with the same fingerprint get the kept digest, and a
//! list that was cut short or edited is no list at all (it ends with a fingerprint of
//! itself). At worst a lost list costs the next build time.
//!
//! The list is kept in the output as [`FILE`], which `SHA256SUMS` leaves out as it does the
//! publish marker: it says nothing that `SHA256SUMS` does not, and goes with the output it
//! describes (written into the staging folder, swapped in with it, removed with it).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use twox_hash::XxHash3_128;

/// The list's name, at the root of the output.
pub const FILE: &str = ".pactline-digests";

/// The first line of a list, naming its format.
const HEADER: &str = "pactline digests 1";

/// The fingerprint of some bytes (XXH3-128).
pub fn fingerprint(bytes: &[u8]) -> u128 {
    XxHash3_128::oneshot(bytes)
}

/// A file's digest and the fingerprint of the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub fingerprint: u128,
    /// Lower-case hex.
    pub sha256: String,
}

/// Digests by output path.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Known {
    files: BTreeMap<String, Made>,
}

impl Known {
    /// The kept SHA-256 of `path`, when its bytes now have `fingerprint`.
    pub fn sha256(&self, path: &str, fingerprint: u128) -> Option<&str> {
        (self.files.get(path))
            .filter(|m| m.fingerprint == fingerprint)
            .map(|m| m.sha256.as_str())
    }

    /// Whether a digest of `path` is kept at all (its bytes may have changed since).
    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn insert(&mut self, path: &str, made: Made) {
        self.files.insert(path.to_string(), made);
    }

    /// Digests by path, sorted by path bytes.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Made)> {
        self.files.iter().map(|(p, m)| (p.as_str(), m))
    }

    /// Reads a list that [`Known::save`] wrote. A list that is missing, cut short, edited
    /// or of another format gives none.
    pub fn load(file: &Path) -> Known {
        // Only a regular file is read: a FIFO put in its place would block the build.
        let regular = std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file());
        (regular.then(|| std::fs::read(file).ok()).flatten())
            .and_then(|bytes| parse(&bytes))
            .unwrap_or_default()
    }

    /// Writes the list to `file`. A list cut short (a build killed while writing it) fails
    /// its seal, so it needs no temporary file.
    pub fn save(&self, file: &Path) -> io::Result<()> {
        let mut text = Vec::with_capacity(self.files.len() * 140);
        text.extend_from_slice(HEADER.as_bytes());
        text.push(b'\n');
        // A path with a line break would break the format; such a file is digested again.
        let plain = (self.files.iter()).filter(|(p, _)| !p.contains(['\n', '\r']));
        for (path, made) in plain {
            writeln!(text, "{:032x} {} {path}", made.fingerprint, made.sha256)?;
        }
        let seal = fingerprint(&text);
        writeln!(text, "end {seal:032x}")?;
        std::fs::write(file, &text)
    }
}

fn parse(bytes: &[u8]) -> Option<Known> {
    let text = std::str::from_utf8(bytes).ok()?;
    let body = text.strip_suffix('\n')?;
    let (body, end) = body.rsplit_once('\n')?;
    let seal = u128::from_str_radix(end.strip_prefix("end ")?, 16).ok()?;
    let body_with_newline = &text[..body.len() + 1];
    if fingerprint(body_with_newline.as_bytes()) != seal {
        return None;
    }
    let mut lines = body.split('\n');
    if lines.next()? != HEADER {
        return None;
    }
    let mut known = Known::default();
    for line in lines {
        let (fp, rest) = line.split_once(' ')?;
        let (sha256, path) = rest.split_once(' ')?;
        let hex_of = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex_of(fp, 32) || !hex_of(sha256, 64) || path.is_empty() {
            return None;
        }
        let made = Made {
            fingerprint: u128::from_str_radix(fp, 16).ok()?,
            // Sealed, so as `save` wrote it: in lower case.
            sha256: sha256.to_string(),
        };
        known.insert(path, made);
    }
    Some(known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::checksums::sha256_hex;

    fn sample() -> Known {
        let mut known = Known::default();
        for (path, bytes) in [("a.html", &b"A"[..]), ("b c/index.html", b"B")] {
            let made = Made {
                fingerprint: fingerprint(bytes),
                sha256: sha256_hex(bytes),
            };
            known.insert(path, made);
        }
        known
    }

    #[test]
    fn a_saved_list_loads_back_and_answers_only_for_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("known");
        sample().save(&file).unwrap();
        let back = Known::load(&file);
        assert_eq!(back, sample());
        assert_eq!(
            back.sha256("b c/index.html", fingerprint(b"B")),
            Some(sha256_hex(b"B").as_str())
        );
        assert_eq!(back.sha256("b c/index.html", fingerprint(b"C")), None);
        assert_eq!(back.sha256("new.html", fingerprint(b"B")), None);
        assert!(back.has("a.html") && !back.has("new.html"));
        assert_eq!(Known::load(&dir.path().join("missing")), Known::default());
    }

    #[test]
    fn a_list_cut_short_or_edited_gives_none() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("known");
        sample().save(&file).unwrap();
        let whole = std::fs::read_to_string(&file).unwrap();
        let cut = &whole[..whole.len() - 10];
        // One hex digit of a digest changed, the list still well-formed.
        let i = whole.find(&sha256_hex(b"A")).unwrap();
        let flipped = if whole[i..].starts_with('0') {
            '1'
        } else {
            '0'
        };
        let edited = format!("{}{flipped}{}", &whole[..i], &whole[i + 1..]);
        let unsealed = whole
            .lines()
            .filter(|l| !l.starts_with("end "))
            .collect::<Vec<_>>();
        for bad in [
            cut.to_string(),
            edited,
            unsealed.join("\n") + "\n",
            String::new(),
        ] {
            std::fs::write(&file, &bad).unwrap();
            assert_eq!(Known::load(&file), Known::default(), "{bad:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_in_its_place_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("known");
        let made = std::process::Command::new("mkfifo").arg(&file).status();
        assert!(made.unwrap().success());
        assert_eq!(Known::load(&file), Known::default());
    }

    #[test]
    fn paths_with_line_breaks_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("known");
        let mut known = sample();
        let made = Made {
            fingerprint: 1,
            sha256: "0".repeat(64),
        };
        known.insert("odd\nname", made);
        known.save(&file).unwrap();
        assert_eq!(Known::load(&file), sample());
    }
}
