//! What the editor of `serve --edit` asks of the engine: one note's diagnostics and its
//! session page as they would be with unsaved text. The cached inputs are copied with that
//! one note read from the text instead of its file, and the model is built from the copy
//! with the same rules as a build, so the editor shows what `check` would say and what
//! `build` would publish. Nothing is written, and the engine's build state is left as it was.

use std::path::{Path, PathBuf};

use super::Engine;
use super::setup::model_of;
use crate::diagnostics::Diagnostics;
use crate::output::{self, MemorySink, Page, RenderOptions};
use crate::timeline::{SessionCache, Timeline};

/// A note checked and rendered from unsaved text.
#[derive(Debug, Default)]
pub struct Preview {
    /// The problems `check` would report in this note.
    pub diagnostics: Diagnostics,
    /// How many errors `check` would report in other files with this text saved.
    pub errors_elsewhere: usize,
    /// The note's page as `build` would publish it; `None` when the model cannot be built
    /// or the note has no page (a draft, say).
    pub page: Option<Vec<u8>>,
}

/// One note as the editor's list shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NoteSummary {
    /// Relative to the root: `content/sessions/01.md`.
    pub file: String,
    pub ordinal: Option<u32>,
    pub date: Option<String>,
    pub title: Option<String>,
    /// The language of a translation; `None` for an original.
    pub lang: Option<String>,
    pub errors: usize,
    pub warnings: usize,
}

/// The editor's own session cache, kept from one check to the next so that a check renders
/// again only the note being edited. Its entry for that note describes unsaved text, so it
/// never mixes with the engine's cache, which describes the files on disk.
pub(super) struct Previews {
    sessions: SessionCache,
    /// The note last checked from unsaved text.
    edited: Option<PathBuf>,
}

impl Previews {
    pub(super) fn new() -> Previews {
        Previews {
            sessions: SessionCache::persistent(),
            edited: None,
        }
    }

    /// The cache for a check of `edited` from unsaved text (`None`: of the files as they
    /// are): the unsaved text checked before is forgotten, and so is the note's own entry.
    fn for_check(&mut self, edited: Option<&Path>) -> &mut SessionCache {
        if let Some(last) = self.edited.take() {
            self.sessions.forget(&last);
        }
        if let Some(rel) = edited {
            self.sessions.forget(rel);
            self.edited = Some(rel.to_path_buf());
        }
        &mut self.sessions
    }

    /// The notes at or below `path` changed on disk.
    pub(super) fn forget_below(&mut self, path: &Path) {
        self.sessions.forget_below(path);
    }
}

/// The model built from a copy of the inputs, with every diagnostic found.
struct Checked {
    model: Option<Timeline>,
    assets: Vec<crate::content::Asset>,
    diags: Diagnostics,
}

impl Engine {
    /// Checks and renders the note at `rel` (relative to the root) as if it held `text`.
    pub fn preview(&mut self, rel: &Path, text: &str) -> Preview {
        let mut inputs = self.inputs.clone();
        if !inputs.replace(rel, text.as_bytes()) {
            return Preview::default();
        }
        let Checked {
            model,
            assets,
            mut diags,
        } = self.check_inputs(&inputs, Some(rel));
        let mut preview = Preview::default();
        if let Some(model) = model {
            preview.page = self.render_note(&model, &assets, rel, &mut diags);
        }
        preview.split(diags, rel);
        preview
    }

    /// Every note below content/ as it is on disk, with the problems `check` finds in it,
    /// sessions in order.
    pub fn notes_overview(&mut self) -> Vec<NoteSummary> {
        let inputs = self.inputs.clone();
        let Checked { model, diags, .. } = self.check_inputs(&inputs, None);
        let mut notes: Vec<NoteSummary> = Vec::new();
        let timelines = model
            .iter()
            .flat_map(|m| std::iter::once(m).chain(&m.translations));
        for (i, t) in timelines.enumerate() {
            for s in &t.sessions {
                // A translated session keeps its original's `file` and names its own note
                // in `translation`; other languages list the untranslated originals too.
                let file = match (i, &s.translation) {
                    (0, _) => s.file.to_string_lossy().replace('\\', "/"),
                    (_, Some(rel)) if !s.untranslated => format!("content/{rel}"),
                    _ => continue,
                };
                notes.push(NoteSummary {
                    file,
                    ordinal: Some(s.ordinal),
                    date: s.date.map(|d| d.to_string()),
                    title: Some(s.title.clone()),
                    lang: (i > 0).then(|| s.lang.clone()),
                    errors: 0,
                    warnings: 0,
                });
            }
        }
        // Notes too broken to be in the model are listed by their problems.
        for d in &diags.0 {
            let Some(file) = d
                .file
                .as_ref()
                .filter(|f| f.extension().is_some_and(|e| e == "md"))
            else {
                continue;
            };
            let file = file.to_string_lossy().replace('\\', "/");
            let at = match notes.iter().position(|n| n.file == file) {
                Some(at) => at,
                None => {
                    notes.push(NoteSummary {
                        file,
                        ordinal: None,
                        date: None,
                        title: None,
                        lang: None,
                        errors: 0,
                        warnings: 0,
                    });
                    notes.len() - 1
                }
            };
            match d.severity {
                crate::diagnostics::Severity::Error => notes[at].errors += 1,
                crate::diagnostics::Severity::Warning => notes[at].warnings += 1,
                crate::diagnostics::Severity::Note => {}
            }
        }
        notes.sort_by(|a, b| (a.ordinal, &a.lang, &a.file).cmp(&(b.ordinal, &b.lang, &b.file)));
        notes
    }

    /// Builds the model from `inputs` as a build would, without rendering.
    fn check_inputs(&mut self, inputs: &super::inputs::Inputs, edited: Option<&Path>) -> Checked {
        let history = self.history.current().ok();
        let cache = (self.previews.get_or_insert_with(Previews::new)).for_check(edited);
        let (model, diags, _) = model_of(&self.load, history, inputs, cache);
        let mut assets = inputs.assets();
        if let Some(model) = &model {
            super::place_assets(&mut assets, model);
        }
        Checked {
            model,
            assets,
            diags,
        }
    }

    /// The page of the note at `rel` in `model`; the theme's problems join `diags`.
    fn render_note(
        &mut self,
        model: &Timeline,
        assets: &[crate::content::Asset],
        rel: &Path,
        diags: &mut Diagnostics,
    ) -> Option<Vec<u8>> {
        let theme = match self.theme_named(&model.meta.theme) {
            Ok(theme) => theme,
            Err(e) => {
                diags.extend(e);
                return None;
            }
        };
        diags.extend(theme.missing_strings(&model.meta.languages));
        let page = note_page(model, rel)?;
        let plan = output::plan(model, &theme, assets);
        let sink = MemorySink::default();
        // Without the live-reload script: the preview is not a page of the served site.
        let opts = RenderOptions::default();
        let failed = output::render_pages(
            model,
            &theme,
            assets,
            &opts,
            (&plan, std::slice::from_ref(&page)),
            &sink,
        );
        diags.extend(failed);
        let path = output::page_path(model, assets, &page);
        sink.into_files().remove(&path)
    }
}

/// The page of the session written in `rel`, in whichever language the note is.
fn note_page(model: &Timeline, rel: &Path) -> Option<Page> {
    if let Some(i) = model.sessions.iter().position(|s| s.file == rel) {
        return Some(Page::Session(i));
    }
    let below = crate::content::content_rel(rel);
    model.translations.iter().enumerate().find_map(|(lang, t)| {
        let i = (t.sessions.iter()).position(|s| s.translation.as_deref() == Some(&*below))?;
        Some(Page::Localized {
            lang,
            page: Box::new(Page::Session(i)),
        })
    })
}

impl Preview {
    /// Keeps the diagnostics about `rel` and counts the errors about other files.
    fn split(&mut self, mut diags: Diagnostics, rel: &Path) {
        diags.sort();
        for d in diags.0 {
            if d.file.as_deref() == Some(rel) {
                self.diagnostics.push(d);
            } else if d.is_error() {
                self.errors_elsewhere += 1;
            }
        }
    }
}
