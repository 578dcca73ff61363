//! What the engine last built for the dev server: every file of the last good build in
//! memory, which of them are pending (rendered when first asked for), and how a new build
//! replaces them. A failed build leaves all of it in place, pending files included: they
//! render from the last good model and theme, which are kept until the next success.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use ahash::AHashMap;

use super::{Engine, fingerprint};
use crate::content::Asset;
use crate::diagnostics::Diagnostics;
use crate::output::html::Renderer;
use crate::output::{self, MemorySink, Page, RenderOptions, checksums};
use crate::theme::Theme;
use crate::timeline::Timeline;

/// Rendered files by output path (`sessions/11/index.html`).
pub type Files = BTreeMap<String, Arc<[u8]>>;

/// What a successful build changed in the output.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Delta {
    /// Files that are new or whose bytes differ.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// How many files were rendered (or, for static files, read) this time.
    pub rendered: usize,
    /// How many files the site has.
    pub total: usize,
    /// The model changed: pages not rendered yet would render differently than before.
    pub model: bool,
}

impl Delta {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty() && !self.model
    }

    /// Only stylesheets changed (and the checksums of them, which no page shows): the
    /// browser can swap them without reloading.
    pub fn css_only(&self) -> bool {
        let pages = || self.changed.iter().filter(|p| *p != checksums::FILE);
        !self.model
            && pages().next().is_some()
            && self.removed.is_empty()
            && pages().all(|p| p.ends_with(".css"))
    }
}

/// Every output path of a build, with the page it renders. A search index is one page
/// that writes a folder of files: each file of the folder belongs to it.
#[derive(Debug, Default)]
pub struct Addresses {
    pub(super) pages: AHashMap<String, Page>,
    /// Each search index's folder, with the path that stands for it in the plan.
    folders: Vec<(String, String)>,
    /// The digest of what the paths were worked out from (see `fingerprint::addresses`).
    pub(super) digest: u64,
}

impl Addresses {
    pub(super) fn new(pages: AHashMap<String, Page>, digest: u64) -> Addresses {
        let mut folders: Vec<(String, String)> = (pages.keys())
            .filter_map(|path| {
                let folder = path.strip_suffix(output::SEARCH_META)?;
                Some((format!("{folder}{}", output::SEARCH_FOLDER), path.clone()))
            })
            .collect();
        folders.sort_by(|a, b| a.0.cmp(&b.0));
        Addresses {
            pages,
            folders,
            digest,
        }
    }

    /// The page that writes the file at `path`, with the path that stands for it.
    pub(super) fn owner<'p>(&'p self, path: &'p str) -> Option<(&'p str, &'p Page)> {
        if let Some(page) = self.pages.get(path) {
            return Some((path, page));
        }
        let (_, own) =
            (self.folders.iter()).find(|(folder, _)| path.starts_with(folder.as_str()))?;
        self.pages.get(own).map(|page| (own.as_str(), page))
    }

    /// The page that writes the file at `path`.
    pub(super) fn page<'p>(&'p self, path: &'p str) -> Option<&'p Page> {
        self.owner(path).map(|(_, page)| page)
    }

    /// Whether the build publishes a file at `path` (a file of a search index may turn out
    /// not to exist once the index is written).
    pub fn contains(&self, path: &str) -> bool {
        path == checksums::FILE || self.page(path).is_some()
    }
}

/// What becomes of the rendered files of the last build, by output path.
#[derive(Default)]
pub(super) struct Next {
    /// Unchanged: the old bytes stay.
    pub(super) kept: Vec<String>,
    /// Their inputs changed: the old bytes are dropped, and the page renders again when
    /// asked for.
    pub(super) stale: Vec<String>,
    pub(super) fingerprints: Vec<(String, u64)>,
}

/// What a pending page renders from: the last good build's model and theme, kept whole
/// until the next build succeeds, so that its pending pages render even while the site is
/// broken.
pub(super) struct Built {
    pub(super) timeline: Timeline,
    pub(super) theme: Arc<Theme>,
    /// The fingerprint of the site and theme (see `fingerprint::site_fingerprint`).
    pub(super) site: u64,
    /// The fingerprint of the whole model (see `fingerprint::whole`); `None` once a note's
    /// body was patched in (see `Engine::patch_bodies`).
    pub(super) whole: Option<u64>,
    pub(super) assets: Vec<Asset>,
    pub(super) plan: Vec<Page>,
    pub(super) addresses: Arc<Addresses>,
    /// Where `@/` links point (see `ModelOptions::link_prefix`).
    pub(super) link_prefix: String,
}

impl Built {
    /// Renders `pages` of this build.
    pub(super) fn render(
        &self,
        opts: &RenderOptions,
        pages: &[Page],
    ) -> Result<BTreeMap<String, Vec<u8>>, Diagnostics> {
        let sink = MemorySink::default();
        let failed = output::render_pages(
            &self.timeline,
            &self.theme,
            &self.assets,
            opts,
            (&self.plan, pages),
            &sink,
        );
        if failed.has_errors() {
            return Err(failed);
        }
        Ok(sink.into_files())
    }

    /// The fingerprint of each of `pages` as this build renders it (see
    /// `fingerprint::of_page`).
    fn fingerprints(&self, opts: &RenderOptions, pages: &[Page]) -> Vec<(String, u64)> {
        let renderer = Renderer::new(&self.timeline, &self.theme, opts);
        let cx = fingerprint::Context {
            renderer: &renderer,
            site: self.site,
            whole: self.whole,
        };
        (pages.iter())
            .filter_map(|page| {
                let path = output::page_path(&self.timeline, &self.assets, page);
                fingerprint::of_page(&cx, page, &path).map(|fp| (path, fp))
            })
            .collect()
    }
}

/// Why a pending file cannot be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// No such file in the last good build.
    Missing,
    /// Rendering it failed.
    Failed(Diagnostics),
}

impl Engine {
    /// The rendered files of the last good build; the others render on request.
    pub fn output(&self) -> &Files {
        &self.output
    }

    /// Every path the last good build publishes, rendered or not.
    pub fn addresses(&self) -> Arc<Addresses> {
        (self.last.as_ref()).map_or_else(Arc::default, |b| Arc::clone(&b.addresses))
    }

    /// Output paths of the last good build that render on request.
    pub fn pending(&self) -> BTreeSet<String> {
        let Some(built) = &self.last else {
            return BTreeSet::new();
        };
        let mut out: BTreeSet<String> = (built.addresses.pages.keys())
            .filter(|p| !self.output.contains_key(*p))
            .cloned()
            .collect();
        if self.sums_pending() {
            out.insert(checksums::FILE.to_string());
        }
        out
    }

    /// The file at `path` of the last good build, rendering it now if it is pending.
    pub fn materialize(&mut self, path: &str) -> Result<Arc<[u8]>, Unavailable> {
        if let Some(bytes) = self.output.get(path) {
            return Ok(bytes.clone());
        }
        if path == checksums::FILE {
            self.materialize_all()?;
        } else {
            let built = self.last.as_ref().ok_or(Unavailable::Missing)?;
            let page = (built.addresses.page(path).cloned()).ok_or(Unavailable::Missing)?;
            self.render_pending(std::slice::from_ref(&page))?;
        }
        self.output.get(path).cloned().ok_or(Unavailable::Missing)
    }

    /// Renders every pending file: afterwards [`Engine::output`] is the whole site.
    pub fn materialize_all(&mut self) -> Result<(), Unavailable> {
        let built = self.last.as_ref().ok_or(Unavailable::Missing)?;
        let pages: Vec<Page> = (built.addresses.pages.iter())
            .filter(|(path, _)| !self.output.contains_key(*path))
            .map(|(_, page)| page.clone())
            .collect();
        if !pages.is_empty() {
            self.render_pending(&pages)?;
        }
        if self.sums_pending() {
            let sums = self.sums();
            self.output.insert(checksums::FILE.to_string(), sums);
        }
        Ok(())
    }

    /// `SHA256SUMS` of the digests kept so far.
    fn sums(&self) -> Arc<[u8]> {
        let digests = self.checksums.iter().map(|(p, h)| (p.as_str(), h.as_str()));
        checksums::render(digests).into_bytes().into()
    }

    /// `SHA256SUMS` waits until every file it lists exists.
    fn sums_pending(&self) -> bool {
        !self.output.contains_key(checksums::FILE)
    }

    fn render_pending(&mut self, pages: &[Page]) -> Result<(), Unavailable> {
        let built = self.last.as_ref().ok_or(Unavailable::Missing)?;
        let files = (built.render(&self.render, pages)).map_err(Unavailable::Failed)?;
        // Remember what the rendered pages came from, to keep them while that stays; the
        // files of a search index share its fingerprint.
        let fingerprints: AHashMap<String, u64> = built
            .fingerprints(&self.render, pages)
            .into_iter()
            .collect();
        for path in files.keys() {
            let owner = built.addresses.owner(path).map(|(own, _)| own);
            if let Some(fp) = owner.and_then(|own| fingerprints.get(own)) {
                self.fingerprints.insert(path.clone(), *fp);
            }
        }
        for (path, bytes) in files {
            if !checksums::is_excluded(&path) {
                self.checksums
                    .insert(path.clone(), checksums::sha256_hex(&bytes));
            }
            self.output.insert(path, bytes.into());
        }
        Ok(())
    }

    /// Swaps in the new output: the files rendered with the rebuild and the kept ones. A
    /// rendered file the new build does not publish is removed.
    pub(super) fn replace_output(
        &mut self,
        sink: MemorySink,
        next: Next,
        addresses: &Addresses,
    ) -> Delta {
        let mut delta = Delta::default();
        let mut files = Files::new();
        let mut old = std::mem::take(&mut self.output);
        let old_sums = old.remove(checksums::FILE);
        for (path, bytes) in sink.into_files() {
            match old.remove(&path) {
                Some(prev) if *prev == *bytes => {
                    files.insert(path, prev);
                }
                _ => {
                    delta.changed.push(path.clone());
                    files.insert(path, bytes.into());
                }
            }
        }
        for path in next.kept {
            if let Some(prev) = old.remove(&path) {
                files.insert(path, prev);
            }
        }
        for path in &next.stale {
            old.remove(path);
            self.checksums.remove(path);
        }
        delta.changed.extend(next.stale);
        delta.removed = old.into_keys().filter(|p| !addresses.contains(p)).collect();
        for path in &delta.removed {
            self.checksums.remove(path);
        }
        for path in delta.changed.iter().filter(|p| !checksums::is_excluded(p)) {
            if let Some(bytes) = files.get(path) {
                self.checksums
                    .insert(path.clone(), checksums::sha256_hex(bytes));
            }
        }
        self.fingerprints = next.fingerprints.into_iter().collect();
        let complete = files.len() >= addresses.pages.len()
            && (addresses.pages.keys()).all(|path| files.contains_key(path));
        if complete {
            let sums = self.sums();
            if old_sums.as_deref() != Some(&*sums) {
                delta.changed.push(checksums::FILE.to_string());
            }
            files.insert(checksums::FILE.to_string(), sums);
        } else if !delta.is_empty() || old_sums.is_some() {
            // It lists the pending files too, so it waits for them (see `materialize`).
            delta.changed.push(checksums::FILE.to_string());
        }
        self.output = files;
        delta
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_only_deltas() {
        let delta = Delta {
            changed: vec!["style.css".into(), checksums::FILE.into()],
            ..Delta::default()
        };
        assert!(delta.css_only());
        let delta = Delta {
            changed: vec!["style.css".into(), "index.html".into()],
            ..Delta::default()
        };
        assert!(!delta.css_only());
        assert!(!Delta::default().css_only());
    }
}
