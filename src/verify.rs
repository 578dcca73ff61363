//! `pactline verify DIR`: checks a published folder against its `SHA256SUMS` and reports
//! every file that is missing, changed or not listed. The list itself, the
//! `.pactline-output` marker and the `.pactline-digests` a build keeps for the next are not
//! expected to be listed (see `output::checksums`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::output::checksums::{self, FILE};

/// Why a folder could not be checked at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        source: checksums::ParseError,
    },
    #[error("{0}: a file name is not valid UTF-8")]
    NotUtf8(PathBuf),
}

/// What differs between the folder and its list. Empty when the folder is intact.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Listed but absent.
    pub missing: Vec<String>,
    /// Present, with a different digest.
    pub changed: Vec<String>,
    /// Present but not listed.
    pub unexpected: Vec<String>,
    /// Symbolic links, which a published folder never holds: one may stand for a listed
    /// file with the right content and still lead anywhere.
    pub links: Vec<String>,
    /// Files checked and found intact.
    pub ok: usize,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty()
            && self.changed.is_empty()
            && self.unexpected.is_empty()
            && self.links.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (label, paths) in [
            ("missing", &self.missing),
            ("changed", &self.changed),
            ("unexpected", &self.unexpected),
            ("symbolic link", &self.links),
        ] {
            for p in paths {
                writeln!(f, "{label}: {p}")?;
            }
        }
        Ok(())
    }
}

/// Every file below `dir` (not following links), by path with `/` separators, and which of
/// them are symbolic links.
fn files_in(dir: &Path) -> Result<(BTreeSet<String>, Vec<String>), VerifyError> {
    let mut out = BTreeSet::new();
    let mut links = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.map_err(|e| VerifyError::Io {
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| io::Error::other("walk failed")),
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let mut parts = Vec::new();
        for c in rel.components() {
            let s = c.as_os_str().to_str();
            parts.push(s.ok_or_else(|| VerifyError::NotUtf8(entry.path().to_path_buf()))?);
        }
        let path = parts.join("/");
        if entry.path_is_symlink() {
            links.push(path.clone());
        }
        out.insert(path);
    }
    Ok((out, links))
}

fn read(path: &Path) -> Result<Vec<u8>, VerifyError> {
    std::fs::read(path).map_err(|source| VerifyError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Checks `dir` against `dir/SHA256SUMS`.
pub fn verify(dir: &Path) -> Result<Report, VerifyError> {
    let list_path = dir.join(FILE);
    let text = String::from_utf8_lossy(&read(&list_path)?).into_owned();
    let listed: BTreeMap<String, String> =
        checksums::parse(&text).map_err(|source| VerifyError::Parse {
            path: list_path.clone(),
            source,
        })?;
    let (present, links) = files_in(dir)?;
    let mut report = Report {
        links,
        ..Report::default()
    };
    for (path, hex) in &listed {
        if report.links.contains(path) {
            // Reported as a link, and never followed.
            continue;
        }
        if !present.contains(path) {
            report.missing.push(path.clone());
            continue;
        }
        let bytes = read(&dir.join(path))?;
        if checksums::sha256_hex(&bytes) == *hex {
            report.ok += 1;
        } else {
            report.changed.push(path.clone());
        }
    }
    report.unexpected = present
        .into_iter()
        .filter(|p| !checksums::is_excluded(p) && !listed.contains_key(p))
        .filter(|p| !report.links.contains(p))
        .collect();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_kind_of_difference() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        std::fs::create_dir(dir.join("sub")).unwrap();
        std::fs::write(dir.join("a"), "a").unwrap();
        std::fs::write(dir.join("sub/b"), "b").unwrap();
        let list: String = [("a", "a"), ("sub/b", "b"), ("gone", "g")]
            .iter()
            .map(|(p, c)| checksums::line(&checksums::sha256_hex(c.as_bytes()), p))
            .collect();
        std::fs::write(dir.join(FILE), list).unwrap();
        std::fs::write(dir.join(".pactline-output"), "marker").unwrap();
        let r = verify(dir).unwrap();
        assert_eq!(r.missing, ["gone"]);
        assert!(r.changed.is_empty() && r.unexpected.is_empty());
        std::fs::write(dir.join("sub/b"), "B").unwrap();
        std::fs::write(dir.join("extra"), "x").unwrap();
        let r = verify(dir).unwrap();
        assert_eq!(r.changed, ["sub/b"]);
        assert_eq!(r.unexpected, ["extra"]);
        assert_eq!(r.ok, 1);
        assert!(!r.is_clean());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_a_file_is_reported_and_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("a.html"), "A").unwrap();
        std::os::unix::fs::symlink(outside.path().join("a.html"), dir.path().join("a.html"))
            .unwrap();
        let list = format!("{}  a.html\n", checksums::sha256_hex(b"A"));
        std::fs::write(dir.path().join(FILE), list).unwrap();
        let report = verify(dir.path()).unwrap();
        assert_eq!(report.links, ["a.html"]);
        assert!(!report.is_clean());
        assert_eq!(report.ok, 0);
        assert!(report.to_string().contains("symbolic link: a.html"));
    }

    #[test]
    fn duplicated_or_escaping_entries_are_refused() {
        let hex = checksums::sha256_hex(b"A");
        for (list, what) in [
            (format!("{hex}  a.html\n{hex}  a.html\n"), "listed twice"),
            (format!("{hex}  a.html\n{hex}  ./a.html\n"), "listed twice"),
            (format!("{hex}  ../etc/passwd\n"), "inside the folder"),
            (format!("{hex}  /etc/passwd\n"), "inside the folder"),
            (format!("{hex}  a//b\n"), "inside the folder"),
        ] {
            let e = checksums::parse(&list).unwrap_err();
            assert!(e.to_string().contains(what), "{list}: {e}");
        }
    }

    #[test]
    fn a_folder_without_a_list_is_an_error() {
        let t = tempfile::tempdir().unwrap();
        assert!(matches!(verify(t.path()), Err(VerifyError::Io { .. })));
    }
}
