//! `/SHA256SUMS`: the SHA-256 of every published file in the format of GNU `sha256sum`
//! (`<hex>  <path>`, sorted by path), so `sha256sum -c SHA256SUMS` passes inside the output.
//! [`Recorder`] is a [`super::Sink`] wrapper that digests files as they are written and
//! writes the list last; [`Known`] keeps the digests of one build for the next, which takes
//! those of unchanged files instead of working them out again. The list leaves out itself,
//! the `.pactline-output` marker that publishing adds afterwards, and [`Known`]'s own list.

use std::collections::BTreeMap;
use std::fmt::Write;

use sha2::{Digest, Sha256};

use super::publish::MARKER;

mod known;
mod recorder;

pub use known::{FILE as KNOWN, Known};
pub use recorder::Recorder;

/// The name of the list, at the root of the output.
pub const FILE: &str = "SHA256SUMS";

/// Whether `path` is left out of the list: the list itself, the publish marker and the
/// digests kept for the next build.
pub fn is_excluded(path: &str) -> bool {
    path == FILE || path == MARKER || path == known::FILE
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

/// The whole list, from `(path, hex digest)` pairs sorted by path bytes (as a `BTreeMap`
/// gives them).
pub fn render<'a>(digests: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    (digests.into_iter())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
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
