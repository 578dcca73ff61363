//! The engine's inputs: every file below content/, by path, read with the rules of
//! [`content::scan`] and kept until the watcher says it changed. A one-off build reads them
//! once and hands the notes over to the model ([`Inputs::into_content`]); the dev server
//! keeps them and lends them to each rebuild, and learns from the watcher what changed
//! ([`Changes`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::schema::{RawIndex, RawIndexTranslation, RawSession, RawTranslation};
use crate::content::{
    self, Asset, Content, Found, IndexNote, Loaded, Lost, Read, SessionNote, is_ignored_name,
};
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};
use crate::timeline::{SessionCache, Translations};

/// What changed on disk since the last build, from the watcher.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Files or folders below content/ that were created, changed, renamed or removed.
    pub content: BTreeSet<PathBuf>,
    /// Something below themes/ or static/ changed: reload the theme.
    pub theme: bool,
    /// The watcher lost events: read everything again.
    pub rescan: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.theme && !self.rescan
    }

    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.theme |= other.theme;
        self.rescan |= other.rescan;
    }
}

/// A file found below content/.
#[derive(Debug, Clone)]
pub(super) enum Entry {
    Index(Read<RawIndex>),
    Session(Read<RawSession>),
    Translation(Read<RawTranslation>),
    IndexTranslation(Read<RawIndexTranslation>),
    SectorNames(Result<content::SectorNames, Diagnostic>),
    Asset(Asset),
    /// A file that is reported but not published (a symlink, Markdown outside sessions/).
    Skipped(Diagnostic),
}

/// The notes as the model wants them (see [`Inputs::notes`]).
#[derive(Default)]
pub(super) struct Notes<'a> {
    pub index: Option<&'a IndexNote>,
    pub sessions: Vec<&'a SessionNote>,
    pub lost: Vec<Lost>,
    pub diags: Diagnostics,
}

/// Every file below content/, by path relative to the root.
#[derive(Debug, Default, Clone)]
pub(super) struct Inputs {
    root: PathBuf,
    entries: BTreeMap<PathBuf, Entry>,
}

impl Inputs {
    /// Reads everything below `root/content/`.
    pub fn read(root: &Path) -> Inputs {
        let mut inputs = Inputs {
            root: root.to_path_buf(),
            entries: BTreeMap::new(),
        };
        inputs.refresh(&root.join("content"), &mut SessionCache::default());
        inputs
    }

    pub fn get(&self, rel: &Path) -> Option<&Entry> {
        self.entries.get(rel)
    }

    /// Re-reads one changed path (a file or a whole folder) below content/; `sessions`
    /// forgets what it resolved from the files read again.
    pub fn refresh(&mut self, path: &Path, sessions: &mut SessionCache) {
        let Ok(rel) = path.strip_prefix(&self.root).map(Path::to_path_buf) else {
            return;
        };
        if hidden(&rel) {
            return;
        }
        let stale: Vec<PathBuf> = (self.entries.range(rel.clone()..))
            .map(|(k, _)| k)
            .take_while(|k| k.starts_with(&rel))
            .cloned()
            .collect();
        for k in stale {
            self.entries.remove(&k);
            sessions.forget(&k);
        }
        // Notes are parsed in parallel: the first read of a large site reads them all.
        let read: Vec<(PathBuf, Entry)> = content::scan(&self.root, path)
            .into_par_iter()
            .map(|found| read(&self.root, found, &rel))
            .collect();
        for (rel, entry) in read {
            sessions.forget(&rel);
            self.entries.insert(rel, entry);
        }
    }

    /// Reads the note at `rel` from `bytes` instead of its file (the editor's unsaved text);
    /// false when `rel` is not a note's place.
    pub fn replace(&mut self, rel: &Path, bytes: &[u8]) -> bool {
        let entry = match content::note_kind(&content::content_rel(rel)) {
            content::NoteKind::Session => Entry::Session(content::read_bytes(rel, bytes)),
            content::NoteKind::Translation => Entry::Translation(content::read_bytes(rel, bytes)),
            content::NoteKind::Index => Entry::Index(content::read_bytes(rel, bytes)),
            content::NoteKind::IndexTranslation => {
                Entry::IndexTranslation(content::read_bytes(rel, bytes))
            }
            content::NoteKind::Other => return false,
        };
        self.entries.insert(rel.to_path_buf(), entry);
        true
    }

    /// The notes as the model wants them, with the problems found reading them: the
    /// readable part of a note with errors is among the notes, and the note among the lost.
    pub fn notes(&self) -> Notes<'_> {
        let mut out = Notes::default();
        let mut index_error = false;
        for entry in self.entries.values() {
            match entry {
                Entry::Index(Ok(i)) => out.index = Some(&**i),
                Entry::Index(Err(e)) => {
                    index_error = true;
                    out.diags.extend(e.diagnostics());
                }
                Entry::Session(Ok(s)) => out.sessions.push(&**s),
                Entry::Session(Err(e)) => {
                    out.diags.extend(e.diagnostics());
                    out.lost.push(e.lost());
                    out.sessions.extend(e.partial.as_deref());
                }
                Entry::Skipped(e) => out.diags.push(e.clone()),
                _ => {}
            }
        }
        out.diags.extend(content::missing_index(
            &self.root,
            out.index.is_some() || index_error,
        ));
        out
    }

    /// The translations and sector names, with the problems found reading them.
    pub fn translations(&self, diags: &mut Diagnostics) -> Translations<'_> {
        let mut out = Translations::default();
        for entry in self.entries.values() {
            match entry {
                Entry::Translation(Ok(t)) => out.sessions.push(&**t),
                Entry::IndexTranslation(Ok(t)) => out.index.push(&**t),
                Entry::SectorNames(Ok(names)) => out.sector_names = Some(names),
                Entry::Translation(Err(e)) => diags.extend(e.diagnostics()),
                Entry::IndexTranslation(Err(e)) => diags.extend(e.diagnostics()),
                Entry::SectorNames(Err(e)) => diags.push(e.clone()),
                _ => {}
            }
        }
        out
    }

    pub fn assets(&self) -> Vec<Asset> {
        (self.entries.values())
            .filter_map(|e| match e {
                Entry::Asset(a) => Some(a.clone()),
                _ => None,
            })
            .collect()
    }

    /// Hands every note over, for a model that lets each raw body go once it is rendered.
    pub fn into_content(self) -> (Content, Diagnostics) {
        let mut content = Content::default();
        let mut diags = Diagnostics::default();
        let mut index_error = false;
        for entry in self.entries.into_values() {
            match entry {
                Entry::Index(Ok(n)) => content.index = Some(*n),
                Entry::Session(Ok(n)) => content.sessions.push(*n),
                Entry::Translation(Ok(n)) => content.translations.push(*n),
                Entry::IndexTranslation(Ok(n)) => content.index_translations.push(*n),
                Entry::SectorNames(Ok(names)) => content.sector_names = names,
                Entry::Asset(a) => content.assets.push(a),
                Entry::Index(Err(e)) => {
                    index_error = true;
                    diags.extend(e.diagnostics());
                }
                Entry::Session(Err(e)) => {
                    diags.extend(e.diagnostics());
                    content.lost.push(e.lost());
                    content.sessions.extend(e.partial.map(|p| *p));
                }
                Entry::Translation(Err(e)) => diags.extend(e.diagnostics()),
                Entry::IndexTranslation(Err(e)) => diags.extend(e.diagnostics()),
                Entry::SectorNames(Err(e)) | Entry::Skipped(e) => diags.push(e),
            }
        }
        let found = content.index.is_some() || index_error;
        diags.extend(content::missing_index(&self.root, found));
        (content, diags)
    }
}

/// Reads one file [`content::scan`] found; `at` names the place of a problem that names
/// no file.
fn read(root: &Path, found: Found, at: &Path) -> (PathBuf, Entry) {
    let entry = match content::load_note(root, &found) {
        Some(Loaded::Index(n)) => Entry::Index(n),
        Some(Loaded::Session(n)) => Entry::Session(n),
        Some(Loaded::Translation(n)) => Entry::Translation(n),
        Some(Loaded::IndexTranslation(n)) => Entry::IndexTranslation(n),
        None => match found {
            Found::SectorNames(rel) => {
                let names = content::read_sector_names(root, &rel);
                return (rel, Entry::SectorNames(names));
            }
            Found::Asset(a) => return (PathBuf::from("content").join(&a.rel), Entry::Asset(a)),
            Found::Problem(d) => {
                let file = d.file.clone().unwrap_or_else(|| at.to_path_buf());
                return (file, Entry::Skipped(d));
            }
            // `load_note` reads every kind of note.
            _ => {
                return (
                    at.to_path_buf(),
                    Entry::Skipped(Diagnostic::error(d::IO, "unread")),
                );
            }
        },
    };
    (found.path().unwrap_or(at).to_path_buf(), entry)
}

/// Whether any part of `rel` is an editor's swap, backup or hidden file.
pub fn hidden(rel: &Path) -> bool {
    rel.components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_hidden() {
        assert!(hidden(Path::new("content/sessions/.11.md.swp")));
        assert!(hidden(Path::new("content/sessions/11.md~")));
        assert!(!hidden(Path::new("content/sessions/11.md")));
    }
}
