//! Walking content/: every file below it (or below a folder or file in it, for the dev
//! server's changes) classified as a note, a translation, the sector names, an asset to copy,
//! or a problem to report. Symbolic links are reported, never followed.

use std::path::{Path, PathBuf};

use super::{Asset, NoteKind, SECTOR_NAMES_FILE, content_rel, note_kind, relative};
use crate::diagnostics::{self as d, Diagnostic};

/// Editor droppings that must never be read as content: swap, backup and probe files.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with('#')
}

/// A file found below content/, classified as `load` and the dev server both read it.
#[derive(Debug, Clone)]
pub enum Found {
    Index(PathBuf),
    Session(PathBuf),
    Translation(PathBuf),
    IndexTranslation(PathBuf),
    SectorNames(PathBuf),
    Asset(Asset),
    /// Reported, not published: a symbolic link, Markdown outside sessions/, a name that
    /// cannot be published, a folder that cannot be read.
    Problem(Diagnostic),
}

impl Found {
    /// The note's file, relative to the root.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Found::Index(p)
            | Found::Session(p)
            | Found::Translation(p)
            | Found::IndexTranslation(p)
            | Found::SectorNames(p) => Some(p),
            Found::Asset(_) | Found::Problem(_) => None,
        }
    }
}

/// Every file below `dir` (content/ or a folder or file in it), classified. Symbolic links
/// are reported and never followed, not even when `dir` is one.
pub fn scan(root: &Path, dir: &Path) -> Vec<Found> {
    let rel = relative(root, dir);
    if let Some(link) = first_link(root, &rel) {
        return vec![Found::Problem(symlink_skipped(link))];
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let mut out = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) => out.extend(classify(root, &e)),
            // A path that went away while the watcher reported it is not a problem.
            Err(e)
                if e.io_error()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) => {}
            Err(e) => {
                let file = e.path().map(|p| relative(root, p)).unwrap_or_default();
                out.push(Found::Problem(
                    Diagnostic::error(d::IO, format!("cannot read: {e}")).in_file(file),
                ));
            }
        }
    }
    out
}

/// The first of `rel` and the folders above it (below `root`) that is a symbolic link.
fn first_link(root: &Path, rel: &Path) -> Option<PathBuf> {
    let mut at = PathBuf::new();
    for part in rel.components() {
        at.push(part);
        let meta = std::fs::symlink_metadata(root.join(&at)).ok()?;
        if meta.file_type().is_symlink() {
            return Some(at);
        }
    }
    None
}

fn symlink_skipped(rel: PathBuf) -> Diagnostic {
    Diagnostic::warning(d::SYMLINK, "symbolic link skipped")
        .in_file(rel)
        .help("pactline does not follow links in content/, so nothing outside it is published; copy the file in instead")
}

/// What one walked entry is; `None` for folders.
fn classify(root: &Path, entry: &walkdir::DirEntry) -> Option<Found> {
    let rel = relative(root, entry.path());
    if entry.path_is_symlink() {
        return Some(Found::Problem(symlink_skipped(rel)));
    }
    if !entry.file_type().is_file() {
        return None;
    }
    let is_md = entry.path().extension().is_some_and(|e| e == "md");
    let below = content_rel(&rel);
    Some(match (is_md, note_kind(&below), below.as_str()) {
        (true, NoteKind::Index, _) => Found::Index(rel),
        (true, NoteKind::Session, _) => Found::Session(rel),
        (true, NoteKind::Translation, _) => Found::Translation(rel),
        (true, NoteKind::IndexTranslation, _) => Found::IndexTranslation(rel),
        (true, NoteKind::Other, _) => Found::Problem(
            Diagnostic::warning(d::IGNORED_FILE, "Markdown file outside content/sessions/ is not published")
                .in_file(rel)
                .help("session notes go in content/sessions/; the home page text goes in content/_index.md"),
        ),
        (false, _, p) if !is_publishable_name(p) => Found::Problem(unpublishable_name(&rel)),
        (false, _, SECTOR_NAMES_FILE) => Found::SectorNames(rel),
        (false, _, p) => Found::Asset(Asset { source: entry.path().to_path_buf(), rel: p.to_string() }),
    })
}

/// Whether a file may be published under `name` (its path, made from its file name, lossy
/// where that was not UTF-8): a lossy name would publish it under another name, perhaps one
/// that another file has, and a backslash or a control character has no place in an address.
pub fn is_publishable_name(name: &str) -> bool {
    !name.contains(['\\', '\u{fffd}']) && !name.chars().any(char::is_control)
}

/// The error of a file whose name fails [`is_publishable_name`].
pub fn unpublishable_name(file: &Path) -> Diagnostic {
    Diagnostic::error(d::UNSAFE_PATH, "this file's name cannot be published: it holds a backslash, a control character or bytes that are not UTF-8")
        .in_file(file)
        .help("rename the file with letters, digits, `-`, `_` and `.`")
}

/// The error of a site without content/ or without `content/_index.md`; `index_found` when
/// `_index.md` was found (whether or not it parsed).
pub fn missing_index(root: &Path, index_found: bool) -> Option<Diagnostic> {
    if !root.join("content").is_dir() {
        return Some(
            Diagnostic::error(d::MISSING_INDEX, format!("no content/ folder in {}", root.display()))
                .help("run pactline in a site's root (the folder holding content/), or pass --root DIR; `pactline init DIR` makes a new site"),
        );
    }
    (!index_found).then(|| {
        Diagnostic::error(d::MISSING_INDEX, "content/_index.md is missing")
            .in_file("content")
            .help("create content/_index.md with at least `title:` and `partners:` in its front matter")
    })
}
