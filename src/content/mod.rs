//! Reading a site's content/: walking the folder and classifying what is found
//! ([`scan()`]), splitting and parsing front matter ([`load_note`]). Nothing here renders or
//! knows about other notes; problems are returned as diagnostics beside whatever could be
//! loaded. The engine (`crate::engine`) keeps what is read.

pub mod count;
pub mod frontmatter;
pub mod glimpse;
mod hints;
pub mod markdown;
pub mod recover;
mod scan;
pub mod schema;

use std::path::{Path, PathBuf};

use crate::diagnostics::{self as d, Diagnostic, Span};
pub use scan::{
    Found, is_ignored_name, is_publishable_name, missing_index, scan, unpublishable_name,
};
use schema::{RawIndex, RawIndexTranslation, RawSession, RawTranslation};

/// Notes larger than this are refused rather than risk exhausting memory.
pub const MAX_NOTE_BYTES: u64 = 64 * 1024 * 1024;

/// A parsed Markdown file with its front matter kept for locating values in diagnostics.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    /// Path relative to the site root, e.g. `content/sessions/11.md`.
    pub file: PathBuf,
    /// Path below content/ with `/` separators, as `@/` links name it: `sessions/11.md`.
    pub rel: String,
    pub front: T,
    pub front_matter: String,
    pub front_matter_line: usize,
    pub body: String,
    pub body_line: usize,
}

impl<T> Parsed<T> {
    /// The file span of the first occurrence of `needle` in the front matter, searching from
    /// the first line that mentions `after` (a key), so values are found under their key.
    pub fn locate(&self, after: &str, needle: &str) -> Option<Span> {
        let lines: Vec<&str> = self.front_matter.lines().collect();
        let start = lines.iter().position(|l| l.contains(after)).unwrap_or(0);
        for (i, line) in lines.iter().enumerate().skip(start) {
            if let Some(byte) = line.find(needle) {
                let column = line[..byte].chars().count() + 1;
                return Some(Span::at(
                    self.front_matter_line + i,
                    column,
                    needle.chars().count(),
                ));
            }
        }
        None
    }
}

pub type SessionNote = Parsed<RawSession>;
pub type IndexNote = Parsed<RawIndex>;
pub type TranslationNote = Parsed<RawTranslation>;
pub type IndexTranslationNote = Parsed<RawIndexTranslation>;

/// The language of a translation's file name: `sessions/11.ru.md` -> `ru`,
/// `_index.hi.md` -> `hi`. A language code is two or three lowercase ASCII letters.
pub fn translation_language(file: &Path) -> Option<String> {
    let name = file.file_name()?.to_str()?;
    let stem = name.strip_suffix(".md")?;
    let (_, code) = stem.rsplit_once('.')?;
    let ok = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
    ok.then(|| code.to_string())
}

/// What a Markdown file below content/ is, by its path below content/.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Index,
    IndexTranslation,
    Session,
    Translation,
    /// Markdown outside sessions/: reported, not published.
    Other,
}

/// Classifies a Markdown file by its path below content/ (`sessions/11.ru.md`).
pub fn note_kind(below: &str) -> NoteKind {
    let translated = translation_language(Path::new(below)).is_some();
    match below {
        "_index.md" => NoteKind::Index,
        p if translated && p.starts_with("_index.") && !p.contains('/') => {
            NoteKind::IndexTranslation
        }
        p if p.starts_with("sessions/") && translated => NoteKind::Translation,
        p if p.starts_with("sessions/") => NoteKind::Session,
        _ => NoteKind::Other,
    }
}

/// A non-Markdown file in content/ that is published beside the pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub source: PathBuf,
    /// Path below content/ with `/` separators, which is also its path in the output.
    pub rel: String,
}

/// Everything read from content/.
#[derive(Debug, Default)]
pub struct Content {
    pub index: Option<IndexNote>,
    pub sessions: Vec<SessionNote>,
    /// `sessions/*.<lang>.md`.
    pub translations: Vec<TranslationNote>,
    /// `_index.<lang>.md`.
    pub index_translations: Vec<IndexTranslationNote>,
    /// `sectors.yaml`: sector names by slug, then language.
    pub sector_names: SectorNames,
    pub assets: Vec<Asset>,
    /// Session notes with errors; the readable part of each is in `sessions`.
    pub lost: Vec<Lost>,
}

/// Sector names by slug, then language code (`content/sectors.yaml`).
pub type SectorNames =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

/// The file of sector names, below content/.
pub const SECTOR_NAMES_FILE: &str = "sectors.yaml";

/// Reads `content/sectors.yaml`: `slug: { ru: name, hi: name }` per line.
pub fn read_sector_names(root: &Path, rel: &Path) -> Result<SectorNames, Diagnostic> {
    let text = std::fs::read_to_string(root.join(rel)).map_err(|e| {
        Diagnostic::error(d::IO, format!("cannot read the sector names: {e}")).in_file(rel)
    })?;
    if let Some(d) = control_character(rel, &text) {
        return Err(d);
    }
    serde_yaml::from_str(&text).map_err(|e| {
        Diagnostic::error(d::YAML_SYNTAX, format!("invalid sector names: {e}"))
            .in_file(rel)
            .at(e.location().map(|l| Span::at(l.line(), l.column(), 1)))
            .help("write one `slug: { ru: name, hi: name }` per sector")
    })
}

/// Path of a file below content/ with `/` separators (`sessions/05.md`).
pub fn content_rel(file: &Path) -> String {
    // Paths the loader made are already clean: skip splitting them into components.
    if let Some(s) = file.to_str().filter(|s| is_clean(s)) {
        return s.strip_prefix("content/").unwrap_or(s).to_string();
    }
    let rel = file.strip_prefix("content").unwrap_or(file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A relative path with `/` separators and nothing `Path::components` would normalize.
fn is_clean(s: &str) -> bool {
    std::path::MAIN_SEPARATOR == '/'
        && !s.starts_with('/')
        && !s.ends_with('/')
        && !s.contains("//")
        && !s.split('/').any(|c| c == ".")
}

/// A note that could not be loaded whole: every error found in it, and what could still
/// be read of it.
#[derive(Debug, Clone)]
pub struct Unread<T> {
    pub file: PathBuf,
    /// As [`Parsed::rel`].
    pub rel: String,
    pub errors: Vec<Diagnostic>,
    /// The note with the parts in error left out, when the rest could be read. It never
    /// reaches a published page: its errors fail the build.
    pub partial: Option<Box<Parsed<T>>>,
    pub glimpse: glimpse::Glimpse,
}

impl<T> Unread<T> {
    /// The note as the checks across notes see it.
    pub fn lost(&self) -> Lost {
        Lost {
            file: self.file.clone(),
            rel: self.rel.clone(),
            glimpse: self.glimpse.clone(),
            partial: self.partial.is_some(),
        }
    }

    /// Every error of the note; when nothing of it could be read, the first says that the
    /// note is left out.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut errors = self.errors.clone();
        if self.partial.is_none()
            && let Some(first) = errors.first_mut()
        {
            first.related.push((
                self.file.clone(),
                None,
                "this note is not loaded because of this error; the checks that depend on it are skipped until it is fixed".to_string(),
            ));
        }
        errors
    }
}

/// A session note that could not be read whole, as the checks across notes see it: they
/// leave alone what depends on it rather than report what its errors caused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost {
    pub file: PathBuf,
    pub rel: String,
    pub glimpse: glimpse::Glimpse,
    /// Its readable part is in the model (see [`Unread::partial`]).
    pub partial: bool,
}

/// A note as read: parsed, or every error in it.
pub type Read<T> = Result<Box<Parsed<T>>, Box<Unread<T>>>;

/// A note read by [`load_note`].
pub enum Loaded {
    Index(Read<RawIndex>),
    Session(Read<RawSession>),
    Translation(Read<RawTranslation>),
    IndexTranslation(Read<RawIndexTranslation>),
}

/// Reads and parses a note found by [`scan`]; `None` for what is not a note.
pub fn load_note(root: &Path, found: &Found) -> Option<Loaded> {
    Some(match found {
        Found::Index(rel) => Loaded::Index(read_file(root, rel)),
        Found::Session(rel) => Loaded::Session(read_file(root, rel)),
        Found::Translation(rel) => Loaded::Translation(read_file(root, rel)),
        Found::IndexTranslation(rel) => Loaded::IndexTranslation(read_file(root, rel)),
        _ => return None,
    })
}

/// Reads and parses one note, stopping at its first error.
pub fn parse_file<T: serde::de::DeserializeOwned>(
    root: &Path,
    rel: &Path,
) -> Result<Parsed<T>, Diagnostic> {
    read_file(root, rel)
        .map(|p| *p)
        .map_err(|u| first_error(*u))
}

/// Reads and parses one note, with every error in it.
pub fn read_file<T: serde::de::DeserializeOwned>(root: &Path, rel: &Path) -> Read<T> {
    let path = root.join(rel);
    let unread = |e: Diagnostic| {
        Box::new(Unread {
            file: rel.to_path_buf(),
            rel: content_rel(rel),
            errors: vec![e],
            partial: None,
            glimpse: glimpse::Glimpse::default(),
        })
    };
    let io_err = |e: std::io::Error| {
        unread(
            Diagnostic::error(d::IO, format!("cannot read the file: {e}"))
                .in_file(rel)
                .help("check that the file exists and that you may read it"),
        )
    };
    let len = std::fs::metadata(&path).map_err(io_err)?.len();
    if len > MAX_NOTE_BYTES {
        return Err(unread(
            Diagnostic::error(
                d::TOO_LARGE,
                format!("the note is {len} bytes; the limit is {MAX_NOTE_BYTES}"),
            )
            .in_file(rel)
            .help("split the note, or move large material into a linked file"),
        ));
    }
    let bytes = std::fs::read(&path).map_err(io_err)?;
    read_bytes(rel, &bytes)
}

/// The first error of a note that could not be read, for callers that stop at one.
fn first_error<T>(unread: Unread<T>) -> Diagnostic {
    let file = unread.file.clone();
    (unread.errors.into_iter().next()).unwrap_or_else(|| {
        Diagnostic::error(d::YAML_SYNTAX, "the note cannot be read").in_file(file)
    })
}

/// Parses a note from bytes, stopping at its first error; `rel` is only used to name the
/// file in diagnostics.
pub fn parse_bytes<T: serde::de::DeserializeOwned>(
    rel: &Path,
    bytes: &[u8],
) -> Result<Parsed<T>, Diagnostic> {
    read_bytes(rel, bytes)
        .map(|p| *p)
        .map_err(|u| first_error(*u))
}

/// Parses a note from bytes, with every error in it.
pub fn read_bytes<T: serde::de::DeserializeOwned>(rel: &Path, bytes: &[u8]) -> Read<T> {
    let unread = |errors: Vec<Diagnostic>, partial: Option<Box<Parsed<T>>>| {
        Box::new(Unread {
            file: rel.to_path_buf(),
            rel: content_rel(rel),
            errors,
            partial,
            glimpse: glimpse::glimpse(&String::from_utf8_lossy(bytes)),
        })
    };
    let text =
        std::str::from_utf8(bytes).map_err(|e| unread(vec![utf8_error(rel, bytes, &e)], None))?;
    if let Some(d) = control_character(rel, text) {
        return Err(unread(vec![d], None));
    }
    let text = frontmatter::normalize(text);
    let split = frontmatter::split(rel, &text).map_err(|e| unread(vec![e], None))?;
    let outcome = recover::parse_all(rel, &split);
    let parsed = outcome.value.map(|front| {
        Box::new(Parsed {
            file: rel.to_path_buf(),
            rel: content_rel(rel),
            front,
            front_matter: split.front_matter.to_string(),
            front_matter_line: split.front_matter_line,
            body: split.body.to_string(),
            body_line: split.body_line,
        })
    });
    match parsed {
        Some(parsed) if outcome.errors.is_empty() => Ok(parsed),
        partial => Err(unread(outcome.errors, partial)),
    }
}

fn utf8_error(rel: &Path, bytes: &[u8], e: &std::str::Utf8Error) -> Diagnostic {
    let good = &bytes[..e.valid_up_to()];
    let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
    Diagnostic::error(
        d::INVALID_UTF8,
        format!("the file is not valid UTF-8 (byte {})", e.valid_up_to()),
    )
    .in_file(rel)
    .at(Some(Span::at(line, column, 1)))
    .help("save the file as UTF-8 in your editor")
}

/// The first control character of a note (but tabs and line breaks), located: invisible,
/// it would reach pages, exports and terminals, where it can change what is displayed.
fn control_character(rel: &Path, text: &str) -> Option<Diagnostic> {
    // Most notes hold none: one pass over the bytes, then the characters only on a hit
    // (0xC2 begins the C1 controls, and also common letters and signs).
    // Branch-free within a block, so that the compiler can test many bytes at once.
    let suspect =
        |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0x7f) | (b == 0xc2);
    let block_suspect = |block: &[u8]| block.iter().fold(false, |any, &b| any | suspect(b));
    if !text.as_bytes().chunks(64).any(block_suspect) {
        return None;
    }
    let (at, c) =
        (text.char_indices()).find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))?;
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() + 1;
    Some(
        Diagnostic::error(
            d::CONTROL_CHARACTER,
            format!("the file holds the control character {}", c.escape_unicode()),
        )
        .in_file(rel)
        .at(Some(Span::at(line, column, 1)))
        .help("remove it: it does not show, and it can change what a terminal or a spreadsheet displays (tabs and line breaks are fine)"),
    )
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_located() {
        for (bytes, at) in [
            (&b"---\nsession: 1\ncity: a\x1b[2Jb\n---\n"[..], (3, 8)),
            (&b"---\nsession: 1\n---\nText \x00 here.\n"[..], (4, 6)),
            ("---\nsession: 1\n---\n\u{9b}31m\n".as_bytes(), (4, 1)),
            (&b"---\nsession: 1\n---\nDel \x7f.\n"[..], (4, 5)),
        ] {
            let e = parse_bytes::<RawSession>(Path::new("n.md"), bytes).unwrap_err();
            assert_eq!(e.code, d::CONTROL_CHARACTER);
            assert_eq!((e.span.unwrap().line, e.span.unwrap().column), at);
        }
        let fine = "---\nsession: 1\ncity: Bras\u{ed}lia \u{a9}\n---\n\tTab\r\nand CRLF.\n";
        assert!(parse_bytes::<RawSession>(Path::new("n.md"), fine.as_bytes()).is_ok());
        let t = tempfile::tempdir().unwrap();
        std::fs::write(
            t.path().join("sectors.yaml"),
            "steel: { ru: \"Ст\u{1b}[2Jаль\" }\n",
        )
        .unwrap();
        let e = read_sector_names(t.path(), Path::new("sectors.yaml")).unwrap_err();
        assert_eq!(e.code, d::CONTROL_CHARACTER);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = parse_bytes::<RawSession>(Path::new("n.md"), b"---\nsession: 1\ncity: \xff\n---\n")
            .unwrap_err();
        assert_eq!(e.code, d::INVALID_UTF8);
        assert_eq!((e.span.unwrap().line, e.span.unwrap().column), (3, 7));
    }

    #[test]
    fn locate_finds_values_under_their_key() {
        let p = parse_bytes::<RawSession>(
            Path::new("n.md"),
            b"---\nsession: 1\ncity: Delhi\nco_chairs:\n  - { name: A, partner: Delhi }\n---\n",
        )
        .unwrap();
        assert_eq!(p.locate("co_chairs", "Delhi").unwrap().line, 5);
        assert_eq!(p.locate("city", "Delhi").unwrap().line, 3);
    }

    #[test]
    fn translations_are_told_by_their_file_name() {
        assert_eq!(note_kind("sessions/11.ru.md"), NoteKind::Translation);
        assert_eq!(note_kind("sessions/11.md"), NoteKind::Session);
        assert_eq!(note_kind("sessions/11/index.hi.md"), NoteKind::Translation);
        assert_eq!(note_kind("sessions/v1.2.md"), NoteKind::Session);
        assert_eq!(note_kind("_index.ru.md"), NoteKind::IndexTranslation);
        assert_eq!(note_kind("_index.md"), NoteKind::Index);
        assert_eq!(note_kind("notes/a.ru.md"), NoteKind::Other);
        assert_eq!(
            translation_language(Path::new("sessions/11.hi.md")).as_deref(),
            Some("hi")
        );
    }

    #[test]
    fn editor_files_are_ignored() {
        for n in [".11.md.swp", "11.md~", "4913", ".#11.md"] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("11.md"));
    }
}
