//! The only place the editor touches the disk. A note is named by its path below the root
//! (`content/sessions/12.md`), which must be a Markdown file inside `content/` after every
//! symbolic link is resolved; anything else is refused before a byte is read or written.
//! A save is atomic (a temporary file beside the note, then a rename) and names the version
//! it was based on: if the file changed on disk meanwhile, nothing is written.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Why a path or a save was refused.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("`{0}` is not a note below content/: the editor writes nothing else")]
    Outside(String),
    #[error(
        "{0} is not UTF-8 text: the editor would change its other bytes, so it does not open it (save it as UTF-8 in a text editor)"
    )]
    NotUtf8(PathBuf),
    #[error("the note changed on disk since it was opened")]
    Conflict { on_disk: Option<String> },
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FileError + '_ {
    move |source| FileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A note the editor may read and write: its path relative to the root, and on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotePath {
    /// `content/sessions/12.md`, with `/` separators.
    pub rel: PathBuf,
    pub abs: PathBuf,
}

/// Checks `rel` (as a form or an address gives it) against `root`: a relative path of
/// plain names, below `content/`, ending in `.md`, whose folder resolves inside
/// `root/content/` and which is not itself a symbolic link.
pub fn note_path(root: &Path, rel: &str) -> Result<NotePath, FileError> {
    let outside = || FileError::Outside(rel.to_string());
    let path = Path::new(rel);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    let named = rel.ends_with(".md")
        && !rel.contains('\\')
        && !rel.contains('\0')
        && rel.starts_with("content/")
        // Nothing the loader skips (a hidden folder, a backup name): it would never be read.
        && !path
            .components()
            .any(|c| crate::content::is_ignored_name(&c.as_os_str().to_string_lossy()));
    if !plain || !named {
        return Err(outside());
    }
    let content = root.join("content").canonicalize().map_err(|_| outside())?;
    let abs = root.join(path);
    let parent = abs.parent().ok_or_else(outside)?;
    // The folder must exist already (the editor makes no folders) and resolve inside.
    let real_parent = parent.canonicalize().map_err(|_| outside())?;
    if !real_parent.starts_with(&content) {
        return Err(outside());
    }
    if let Ok(meta) = std::fs::symlink_metadata(&abs)
        && !meta.file_type().is_file()
    {
        return Err(outside());
    }
    let name = abs.file_name().ok_or_else(outside)?;
    Ok(NotePath {
        rel: path.to_path_buf(),
        abs: real_parent.join(name),
    })
}

/// SHA-256 of `bytes`, hex: the version a save names.
pub fn version(bytes: &[u8]) -> String {
    crate::output::checksums::sha256_hex(bytes)
}

/// The note's text and version, or `None` when it does not exist.
pub fn load(note: &NotePath) -> Result<Option<(String, String)>, FileError> {
    match std::fs::read(&note.abs) {
        Ok(bytes) => {
            let v = version(&bytes);
            // Editing a lossy copy would write U+FFFD over the bytes that were not UTF-8.
            let text =
                String::from_utf8(bytes).map_err(|_| FileError::NotUtf8(note.rel.clone()))?;
            Ok(Some((text, v)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(FileError::Io {
            path: note.rel.clone(),
            source,
        }),
    }
}

/// Writes `text` to the note if it is still at version `base` (empty: the note must not
/// exist yet), with the line endings the file had (forms send LF). Returns the new version.
pub fn save(note: &NotePath, base: &str, text: &str) -> Result<String, FileError> {
    let current = load(note)?;
    let crlf = current.as_ref().is_some_and(|(t, _)| t.contains("\r\n"));
    let converted;
    let text = if crlf && !text.contains("\r\n") {
        converted = text.replace('\n', "\r\n");
        converted.as_str()
    } else {
        text
    };
    let unchanged = match &current {
        None => base.is_empty(),
        Some((_, v)) => constant_eq(v, base),
    };
    if !unchanged {
        return Err(FileError::Conflict {
            on_disk: current.map(|(t, _)| t),
        });
    }
    let temp = write_temp(note, text.as_bytes())?;
    let placed = if current.is_none() {
        // A new note: a link fails if someone created the file meanwhile, where a rename
        // would replace it.
        std::fs::hard_link(&temp, &note.abs).and_then(|()| std::fs::remove_file(&temp))
    } else {
        std::fs::rename(&temp, &note.abs)
    };
    if let Err(source) = placed {
        let _ = std::fs::remove_file(&temp);
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            return Err(FileError::Conflict {
                on_disk: load(note)?.map(|(t, _)| t),
            });
        }
        return Err(FileError::Io {
            path: note.rel.clone(),
            source,
        });
    }
    Ok(version(text.as_bytes()))
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// A new hidden temporary file beside the note (the watcher and the loader skip names that
/// start with a dot), holding `bytes`, flushed to disk.
fn write_temp(note: &NotePath, bytes: &[u8]) -> Result<PathBuf, FileError> {
    let dir = note.abs.parent().unwrap_or(Path::new("."));
    let name = note
        .abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let stem = name.unwrap_or_default();
    let mut n = 0u32;
    loop {
        let temp = dir.join(format!(".{stem}.{}.{n}.tmp", std::process::id()));
        let opened = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp);
        match opened {
            Ok(mut f) => {
                let written = f.write_all(bytes).and_then(|()| f.sync_all());
                if let Err(e) = written {
                    let _ = std::fs::remove_file(&temp);
                    return Err(io(&note.rel)(e));
                }
                return Ok(temp);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(io(&note.rel)(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/sessions")).unwrap();
        std::fs::write(dir.path().join("secret.md"), "x").unwrap();
        dir
    }

    #[test]
    fn only_notes_inside_content_are_named() {
        let dir = site();
        let root = dir.path();
        assert!(note_path(root, "content/sessions/01.md").is_ok());
        assert!(note_path(root, "content/_index.md").is_ok());
        for bad in [
            "secret.md",
            "/etc/passwd.md",
            "content/../secret.md",
            "content/sessions/../../secret.md",
            "content/sessions/x.txt",
            "content/sessions/.hidden.md",
            "content/.git/x.md",
            "content/sessions/01.md~",
            "content/nowhere/01.md",
            "content\\sessions\\01.md",
            "./content/sessions/01.md",
        ] {
            assert!(
                matches!(note_path(root, bad), Err(FileError::Outside(_))),
                "{bad}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_content_are_refused() {
        let dir = site();
        let root = dir.path();
        std::os::unix::fs::symlink(root, root.join("content/out")).unwrap();
        std::os::unix::fs::symlink(root.join("secret.md"), root.join("content/sessions/9.md"))
            .unwrap();
        assert!(note_path(root, "content/out/secret.md").is_err());
        assert!(note_path(root, "content/sessions/9.md").is_err());
    }

    #[test]
    fn a_note_that_is_not_utf8_is_neither_opened_nor_overwritten() {
        let dir = site();
        let note = note_path(dir.path(), "content/sessions/01.md").unwrap();
        let bytes = b"---\nsession: 1\ncity: Z\xfcrich\n---\n";
        std::fs::write(&note.abs, bytes).unwrap();
        assert!(matches!(load(&note), Err(FileError::NotUtf8(_))));
        let base = version(bytes);
        assert!(matches!(
            save(&note, &base, "x"),
            Err(FileError::NotUtf8(_))
        ));
        assert_eq!(std::fs::read(&note.abs).unwrap(), bytes);
    }

    #[test]
    fn a_save_based_on_an_old_version_writes_nothing() {
        let dir = site();
        let note = note_path(dir.path(), "content/sessions/01.md").unwrap();
        let v1 = save(&note, "", "one").unwrap();
        assert!(matches!(
            save(&note, "", "again"),
            Err(FileError::Conflict { .. })
        ));
        let v2 = save(&note, &v1, "two").unwrap();
        match save(&note, &v1, "three") {
            Err(FileError::Conflict { on_disk }) => assert_eq!(on_disk.as_deref(), Some("two")),
            other => panic!("{other:?}"),
        }
        assert_eq!(load(&note).unwrap(), Some(("two".to_string(), v2)));
        let left: Vec<_> = std::fs::read_dir(dir.path().join("content/sessions"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from("01.md")],
            "no temporary files left"
        );
    }

    #[test]
    fn a_note_keeps_its_line_endings() {
        let dir = site();
        let note = note_path(dir.path(), "content/sessions/02.md").unwrap();
        let v1 = save(&note, "", "---\r\nsession: 2\r\n---\r\n").unwrap();
        save(&note, &v1, "---\nsession: 2\n---\nMore.\n").unwrap();
        let (text, _) = load(&note).unwrap().unwrap();
        assert_eq!(text, "---\r\nsession: 2\r\n---\r\nMore.\r\n");
    }
}
