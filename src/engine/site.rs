//! What the engine gives a one-off command: a loaded, validated [`Site`], ready to render.

use std::path::{Path, PathBuf};

use super::Engine;
use crate::content::{self, Asset};
use crate::diagnostics::Diagnostics;
use crate::output::checksums::{Known, Recorder};
use crate::output::{self, RenderOptions, Sink};
use crate::theme::Theme;
use crate::timeline::Timeline;

/// What to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    /// Overrides `base_url` from `_index.md`.
    pub base_url: Option<String>,
}

/// A loaded, validated site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub timeline: Timeline,
    pub theme: std::sync::Arc<Theme>,
    pub assets: Vec<Asset>,
    /// Warnings found while loading (errors make `load` fail).
    pub warnings: Diagnostics,
}

impl Site {
    /// Loads and validates the site at `root` through the engine the dev server keeps
    /// warm, run once. On failure every diagnostic found is returned, warnings included.
    pub fn load(root: &Path, opts: &LoadOptions) -> Result<Site, Diagnostics> {
        Engine::new(root, opts.clone(), RenderOptions::default()).into_site()
    }

    /// Renders every page into `sink`.
    pub fn render(&self, opts: &RenderOptions, sink: &dyn Sink) -> Result<(), Diagnostics> {
        self.render_knowing(opts, sink, &Known::default()).map(drop)
    }

    /// Renders every page into `sink`, taking the digests of files that did not change
    /// from `known`. Returns the digests of this build's files, for the next one.
    pub fn render_knowing(
        &self,
        opts: &RenderOptions,
        sink: &dyn Sink,
        known: &Known,
    ) -> Result<Known, Diagnostics> {
        let recorder = Recorder::new(sink).knowing(known);
        let (t, theme) = (&self.timeline, &self.theme);
        output::render(t, theme, &self.assets, opts, recorder)
    }
}

/// Files beside a note kept as `sessions/<folder>/index.md` are published next to that
/// session's page, so the note can link them by their bare name.
pub fn place_assets(assets: &mut [Asset], timeline: &Timeline) {
    let folders: std::collections::HashMap<String, &str> = timeline
        .sessions
        .iter()
        // A folder note: `rel` is the path below content/ (asked of every session).
        .filter(|s| s.rel == "index.md" || s.rel.ends_with("/index.md"))
        .map(|s| {
            (
                content::content_rel(s.file.parent().unwrap_or(&s.file)) + "/",
                s.path.as_str(),
            )
        })
        .collect();
    for asset in assets {
        let Some((dir, name)) = asset.rel.rsplit_once('/') else {
            continue;
        };
        if let Some(page) = folders.get(&format!("{dir}/")) {
            asset.rel = format!("{page}{name}");
        }
    }
}
