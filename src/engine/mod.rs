//! The engine: the one pipeline both commands run. It reads every file below content/
//! (`inputs`), builds and checks the model, loads the theme and renders. `pactline build`
//! runs it once ([`Engine::into_site`]); `pactline serve` keeps it warm: a change set
//! re-reads only the files it names (a changed note is re-parsed alone; a template change
//! reloads the theme and parses nothing), and the model is rebuilt over the cached,
//! shared sessions ([`SessionCache`]), whose passes across sessions (commitments, sectors,
//! links) and whose page addresses are reused while the digests of their inputs stay the
//! same. A rebuild renders no page: every page renders when
//! first asked for, from the last good model (`served`), and a rendered page is kept only
//! while its fingerprint stays the same (`fingerprint`). Callers learn which rendered files
//! changed and whether the model did; a failed build leaves the last good output, and the
//! model its pending pages render from, in place.
//!
//! An edit of a note's body alone (its front matter unchanged, byte for byte) takes a
//! shorter way: that body is rendered again, its page re-rendered, and the rendered pages
//! that read every session dropped; nothing else in the model can have changed.

use std::collections::BTreeMap;
use std::sync::Arc;

use ahash::AHashMap;
use std::path::{Path, PathBuf};

use crate::content::schema::RawIndex;
use crate::content::{self, Asset, Content, NoteKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::history;
use crate::output::checksums;
use crate::output::html::Renderer;
use crate::output::{self, MemorySink, Page, RenderOptions};
use crate::theme::Theme;
use crate::timeline::{self, SessionCache, Timeline};

mod fingerprint;
mod inputs;
mod preview;
mod served;
mod setup;
mod site;

pub use inputs::Changes;
pub use inputs::hidden;
use inputs::{Entry, Inputs};
pub use preview::Preview;
pub use served::{Addresses, Delta, Files, Unavailable};
use served::{Built, Next};
use setup::{load_theme, model_options, read_history};
pub use site::{LoadOptions, Site, place_assets};

/// The server's build state.
pub struct Engine {
    root: PathBuf,
    load: LoadOptions,
    render: RenderOptions,
    /// Every file below content/, by path relative to the root.
    inputs: Inputs,
    /// The loaded theme and its name (`theme:` in _index.md may change).
    theme: Option<(String, Result<Arc<Theme>, Diagnostics>)>,
    /// Resolved sessions of unchanged notes, reused by the next build.
    sessions: SessionCache,
    /// The same for the editor's checks of unsaved text, made at the first check.
    previews: Option<preview::Previews>,
    /// What git says about each note, read again only when HEAD moves.
    history: history::Cache,
    /// Counts changes to translations, which the session cache does not fingerprint.
    translations_generation: u64,
    /// Notes whose body alone changed since the last good build, with the diagnostics
    /// they had before.
    body_edits: Vec<(PathBuf, Diagnostics)>,
    /// Something besides note bodies changed since the last good build.
    structural: bool,
    /// The model, assets and plan of the last good build, from which pending pages render.
    last: Option<Built>,
    output: Files,
    /// Per rendered output path, the fingerprint of the inputs it was rendered from.
    fingerprints: AHashMap<String, u64>,
    /// SHA-256 of every published file, so `SHA256SUMS` costs only the changed files.
    checksums: BTreeMap<String, String>,
    warnings: Diagnostics,
}

impl Engine {
    /// Forgets everything, as after a rebuild that did not finish, and reads the whole site
    /// again; the next [`Engine::build`] starts from scratch.
    pub fn reset(&mut self) {
        *self = Engine::new(&self.root, self.load.clone(), self.render.clone());
    }

    /// Reads the whole site once, and loads the theme `_index.md` names meanwhile (compiling
    /// the templates takes as long as reading a small site). Nothing is rendered until
    /// [`Engine::build`] or [`Engine::into_site`].
    pub fn new(root: &Path, load: LoadOptions, render: RenderOptions) -> Engine {
        let named = content::parse_file::<RawIndex>(root, Path::new("content/_index.md"))
            .ok()
            .and_then(|index| index.front.theme)
            .unwrap_or_else(|| "default".to_string());
        // The history is read meanwhile too: a long one takes as long as a small site.
        let (inputs, (theme, history)) = rayon::join(
            || Inputs::read(root),
            || rayon::join(|| load_theme(root, &named), || read_history(root)),
        );
        Engine {
            root: root.to_path_buf(),
            load,
            render,
            inputs,
            theme: Some((named, theme)),
            history,
            sessions: SessionCache::persistent(),
            previews: None,
            translations_generation: 0,
            body_edits: Vec::new(),
            structural: true,
            last: None,
            output: Files::new(),
            fingerprints: AHashMap::new(),
            checksums: BTreeMap::new(),
            warnings: Diagnostics::default(),
        }
    }

    /// Every note read, handed over, with the problems found reading them.
    pub fn into_content(self) -> (Content, Diagnostics) {
        self.inputs.into_content()
    }

    /// The model of the whole site, checked, for a one-off build: every note is handed over
    /// to the model, which lets each raw body go once it is rendered.
    pub fn into_site(mut self) -> Result<Site, Diagnostics> {
        let inputs = std::mem::take(&mut self.inputs);
        let (content, mut diags) = inputs.into_content();
        let Some(index) = &content.index else {
            diags.sort();
            return Err(diags);
        };
        let model_opts = model_options(&self.load, index, self.history.current().ok());
        let assets = content.assets.clone();
        let (timeline, model_diags) = timeline::build(content, &model_opts);
        diags.extend(model_diags);
        let Some(timeline) = timeline else {
            diags.sort();
            return Err(diags);
        };
        let Completed { theme, assets, .. } = self.complete(&timeline, assets, &mut diags)?;
        Ok(Site {
            root: self.root,
            timeline,
            theme,
            assets,
            warnings: diags,
        })
    }

    /// The theme called `name`, loaded once and kept until `_index.md` names another.
    fn theme_named(&mut self, name: &str) -> Result<Arc<Theme>, Diagnostics> {
        if (self.theme.as_ref()).is_some_and(|(loaded, _)| loaded != name) {
            self.theme = None;
        }
        let (_, theme) =
            (self.theme).get_or_insert_with(|| (name.to_string(), load_theme(&self.root, name)));
        theme.clone()
    }

    /// What every model needs before it renders: its theme, its files placed, its plan, and
    /// the checks that need them. Fails with every diagnostic when anything is an error.
    fn complete(
        &mut self,
        timeline: &Timeline,
        mut assets: Vec<Asset>,
        diags: &mut Diagnostics,
    ) -> Result<Completed, Diagnostics> {
        place_assets(&mut assets, timeline);
        let name = &timeline.meta.theme;
        let theme = self.theme_named(name);
        let mut plan = Vec::new();
        match &theme {
            Ok(theme) => {
                diags.extend(timeline::addresses::static_collisions(
                    &timeline.sessions,
                    theme.static_files.keys(),
                ));
                plan = output::plan(timeline, theme, &assets);
                diags.extend(theme.missing_strings(&timeline.meta.languages));
                let files = (&**theme, assets.as_slice());
                diags.extend(output::collisions::check(
                    timeline, &plan, files, &self.root,
                ));
            }
            Err(e) => diags.extend(e.clone()),
        }
        diags.sort();
        match theme {
            // Kept with the build's model for its pending pages (see `Built`).
            Ok(theme) if !diags.has_errors() => Ok(Completed {
                theme,
                assets,
                plan,
            }),
            _ => Err(std::mem::take(diags)),
        }
    }

    /// Why the pages leave out the history of the records, when they do: a note for
    /// `check`.
    pub fn history_note(&mut self) -> Option<Diagnostic> {
        self.history.current().err().map(|absent| absent.note())
    }

    /// Warnings of the last good build.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// Applies a change set to the cached inputs, re-reading only what it names.
    pub fn apply(&mut self, changes: &Changes) {
        if changes.rescan {
            self.inputs = Inputs::read(&self.root);
            self.sessions = SessionCache::persistent();
            self.previews = None;
            self.theme = None;
            self.translations_generation += 1;
            self.structural = true;
            return;
        }
        for path in &changes.content {
            let rel = path.strip_prefix(&self.root).unwrap_or(path).to_path_buf();
            let before = self.front_matter(&rel);
            let diags = self.sessions.diagnostics(&rel).cloned();
            self.inputs.refresh(path, &mut self.sessions);
            if let Some(previews) = &mut self.previews {
                previews.forget_below(&rel);
            }
            match (before, diags) {
                (Some(before), Some(diags))
                    if self.front_matter(&rel).as_ref() == Some(&before) =>
                {
                    self.body_edits.push((rel, diags));
                }
                _ if hidden(&rel) => {}
                _ => self.structural = true,
            }
        }
        // Translations are not in the session cache's digests: a change that may have
        // touched one makes the deferred pages stale.
        if changes.content.iter().any(|p| !self.is_original_note(p)) {
            self.translations_generation += 1;
        }
        if changes.theme {
            self.theme = None;
            self.structural = true;
        }
    }

    /// The front matter of the session note at `rel`, as written, if it parsed.
    fn front_matter(&self, rel: &Path) -> Option<(String, usize)> {
        match self.inputs.get(rel) {
            Some(Entry::Session(Ok(note))) => {
                Some((note.front_matter.clone(), note.front_matter_line))
            }
            _ => None,
        }
    }

    /// Whether `path` is a default-language note (or an editor's file, which is never read).
    fn is_original_note(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return true;
        };
        hidden(rel)
            || (rel.extension().is_some_and(|e| e == "md")
                && matches!(
                    content::note_kind(&content::content_rel(rel)),
                    NoteKind::Session | NoteKind::Index
                ))
    }

    /// Builds from the cached inputs. On success the output is replaced and the delta
    /// returned; on failure the last good output stays and the diagnostics are returned.
    pub fn build(&mut self) -> Result<Delta, Diagnostics> {
        if !self.structural
            && !self.body_edits.is_empty()
            && let Some(delta) = self.patch_bodies()
        {
            self.body_edits.clear();
            return Ok(delta);
        }
        let result = self.build_all();
        if result.is_ok() {
            self.body_edits.clear();
            self.structural = false;
        }
        result
    }

    /// Takes in edits of note bodies alone without building the model again; `None` when
    /// one of them reaches further (see [`timeline::patch_body`]) and a full build must run.
    fn patch_bodies(&mut self) -> Option<Delta> {
        let built = self.last.as_mut()?;
        let mut warnings = self.warnings.clone();
        let mut pages = Vec::new();
        for (file, before) in &self.body_edits {
            let Some(Entry::Session(Ok(note))) = self.inputs.get(file) else {
                return None;
            };
            let (i, diags) = timeline::patch_body(
                &mut built.timeline,
                note,
                &mut self.sessions,
                &built.link_prefix,
            )?;
            for d in &before.0 {
                if let Some(at) = warnings.0.iter().position(|w| w == d) {
                    warnings.0.remove(at);
                }
            }
            warnings.extend(diags);
            pages.push(Page::Session(i));
        }
        pages.dedup();
        let files = built.render(&self.render, &pages).ok()?;
        warnings.sort();
        self.warnings = warnings;
        let mut delta = Delta {
            rendered: pages.len(),
            model: true,
            ..Delta::default()
        };
        for (path, bytes) in files {
            // The next full build works its fingerprint out again.
            self.fingerprints.remove(&path);
            if self.output.get(&path).is_some_and(|old| **old == *bytes) {
                continue;
            }
            self.checksums
                .insert(path.clone(), checksums::sha256_hex(&bytes));
            self.output.insert(path.clone(), bytes.into());
            delta.changed.push(path);
        }
        // Pages that read every session read this body too: rendered ones go, and render
        // again when asked for. The whole model's fingerprint is unknown until the next
        // full build, which renders them again.
        built.whole = None;
        let whole: Vec<String> = (self.output.keys())
            .filter(|path| (built.addresses.page(path)).is_some_and(fingerprint::reads_whole_model))
            .cloned()
            .collect();
        for path in whole {
            self.output.remove(&path);
            self.checksums.remove(&path);
            self.fingerprints.remove(&path);
            delta.changed.push(path);
        }
        if self.output.remove(checksums::FILE).is_some() {
            delta.changed.push(checksums::FILE.to_string());
        }
        delta.total = built.addresses.pages.len() + 1;
        Some(delta)
    }

    /// Builds the model from every cached note and renders what changed.
    fn build_all(&mut self) -> Result<Delta, Diagnostics> {
        let history = self.history.current().ok();
        let (timeline, mut diags, opts) =
            setup::model_of(&self.load, history, &self.inputs, &mut self.sessions);
        match (timeline, opts) {
            (Some(timeline), Some(opts)) => self.render(timeline, diags, opts.link_prefix),
            _ => {
                diags.sort();
                Err(diags)
            }
        }
    }

    /// Renders the pages whose inputs changed and swaps in the new output.
    fn render(
        &mut self,
        timeline: Timeline,
        mut diags: Diagnostics,
        link_prefix: String,
    ) -> Result<Delta, Diagnostics> {
        let Completed {
            theme,
            assets,
            plan,
        } = self.complete(&timeline, self.inputs.assets(), &mut diags)?;
        let site =
            fingerprint::site_fingerprint(&timeline, theme.digest(), &self.render.inject_script);
        let last = (self.last.as_ref()).map(|l| &l.addresses);
        let addresses = fingerprint::addresses(&timeline, &assets, &plan, last);
        let whole = Some(fingerprint::whole(
            &timeline,
            &fingerprint::Whole {
                site,
                translations: self.translations_generation,
                paths: addresses.digest,
            },
        ));
        let next = self.sort_rendered(&timeline, &theme, (&addresses, site, whole));
        let now: Vec<Page> = (plan.iter())
            .filter(|p| !fingerprint::is_deferred(p))
            .cloned()
            .collect();
        let sink = MemorySink::default();
        let failed = output::render_pages(
            &timeline,
            &theme,
            &assets,
            &self.render,
            (&plan, &now),
            &sink,
        );
        if failed.has_errors() {
            return Err(failed);
        }
        self.warnings = diags;
        let mut delta = self.replace_output(sink, next, &addresses);
        // Pages nobody asked for yet are not compared, only the model: it covers every
        // note and every address (someone may be looking at the "not found" page of an
        // address that exists now).
        delta.model = self
            .last
            .as_ref()
            .is_none_or(|l| l.whole.is_none() || l.whole != whole);
        delta.rendered = now.len();
        delta.total = addresses.pages.len() + 1;
        let previous = self.last.replace(Built {
            site,
            whole,
            theme,
            timeline,
            assets,
            plan,
            addresses,
            link_prefix,
        });
        // The last good model is large on a large site: let it go off the rebuild's path
        // (where no thread can be had, it goes here, with the closure).
        let _ = std::thread::Builder::new().spawn(move || drop(previous));
        Ok(delta)
    }
}

impl Engine {
    /// Which files of the last output the new build keeps (their fingerprint is the same)
    /// and which are stale. Only rendered files are looked at: a pending page renders
    /// from the newest model when asked for.
    fn sort_rendered(
        &self,
        timeline: &Timeline,
        theme: &Theme,
        (addresses, site, whole): (&served::Addresses, u64, Option<u64>),
    ) -> Next {
        let renderer = Renderer::new(timeline, theme, &self.render);
        let cx = fingerprint::Context {
            renderer: &renderer,
            site,
            whole,
        };
        let mut next = Next::default();
        for path in self.output.keys() {
            let Some((own, page)) = addresses.owner(path) else {
                continue;
            };
            if !fingerprint::is_deferred(page) {
                continue;
            }
            match fingerprint::of_page(&cx, page, own) {
                Some(fp) if self.fingerprints.get(path) == Some(&fp) => {
                    next.kept.push(path.clone());
                    next.fingerprints.push((path.clone(), fp));
                }
                _ => next.stale.push(path.clone()),
            }
        }
        next
    }
}

/// A model's theme, its files placed, and its plan (see [`Engine::complete`]).
struct Completed {
    theme: Arc<Theme>,
    assets: Vec<Asset>,
    plan: Vec<Page>,
}

/// Every note below `root/content/` as written, with the problems found reading them, by
/// the walk and rules every command reads with; no theme is loaded and no model built. For
/// commands that look at the notes themselves (`check --links`).
pub fn read_content(root: &Path) -> (Content, Diagnostics) {
    Inputs::read(root).into_content()
}
