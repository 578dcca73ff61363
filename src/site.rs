//! The one pipeline every command uses: load -> model -> theme -> render -> write.
//! `Site::load` gathers all problems before anything is written; `build` publishes the
//! output atomically; `check` stops after validation.

use std::path::{Path, PathBuf};

use crate::content::{self, Asset};
use crate::diagnostics::Diagnostics;
use crate::output::publish::{PublishError, Staging};
use crate::output::{self, DirSink, RenderOptions, Sink};
use crate::theme::Theme;
use crate::timeline::{self, ModelOptions, Timeline};

/// Why a command failed. Content errors exit 1; everything else exits 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} error(s) in the content", .0.errors().count())]
    Content(Diagnostics),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) => 1,
            _ => 2,
        }
    }
}

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
    pub theme: Theme,
    pub assets: Vec<Asset>,
    /// Warnings found while loading (errors make `load` fail).
    pub warnings: Diagnostics,
}

impl Site {
    /// Loads and validates the site at `root`. On failure every diagnostic found is
    /// returned, warnings included.
    pub fn load(root: &Path, opts: &LoadOptions) -> Result<Site, Diagnostics> {
        // Compiling the templates takes as long as reading a small site: do both at once,
        // with the theme `_index.md` names (read twice; it is one small file).
        let named =
            content::parse_file::<content::schema::RawIndex>(root, Path::new("content/_index.md"))
                .ok()
                .and_then(|index| index.front.theme)
                .unwrap_or_else(|| "default".to_string());
        let ((content, mut diags), early_theme) =
            rayon::join(|| content::load(root), || Theme::load(root, &named));
        let mut early_theme = Some(early_theme);
        let mut assets = content.assets.clone();
        let link_prefix = {
            let base = opts
                .base_url
                .clone()
                .or_else(|| {
                    content
                        .index
                        .as_ref()
                        .and_then(|i| i.front.base_url.clone())
                })
                .unwrap_or_else(|| "/".to_string());
            output::html::base_path(&base)
        };
        let model_opts = ModelOptions {
            drafts: opts.drafts,
            base_url: opts.base_url.clone(),
            link_prefix,
        };
        let (timeline, model_diags) = timeline::build(content, &model_opts);
        diags.extend(model_diags);
        if let Some(t) = &timeline {
            place_assets(&mut assets, t);
        }
        let theme = match &timeline {
            Some(t) => match early_theme
                .take()
                .filter(|_| t.meta.theme == named)
                .unwrap_or_else(|| Theme::load(root, &t.meta.theme))
            {
                Ok(theme) => {
                    diags.extend(timeline::addresses::static_collisions(
                        &t.sessions,
                        theme.static_files.keys(),
                    ));
                    Some(theme)
                }
                Err(e) => {
                    diags.extend(e);
                    None
                }
            },
            None => None,
        };
        diags.sort();
        match (timeline, theme) {
            (Some(timeline), Some(theme)) if !diags.has_errors() => Ok(Site {
                root: root.to_path_buf(),
                timeline,
                theme,
                assets,
                warnings: diags,
            }),
            _ => Err(diags),
        }
    }

    /// Renders every page into `sink`.
    pub fn render(&self, opts: &RenderOptions, sink: &dyn Sink) -> Result<(), Diagnostics> {
        let diags = output::render(&self.timeline, &self.theme, &self.assets, opts, sink);
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(())
        }
    }
}

/// Files beside a note kept as `sessions/<folder>/index.md` are published next to that
/// session's page, so the note can link them by their bare name.
pub fn place_assets(assets: &mut [Asset], timeline: &Timeline) {
    let folders: std::collections::HashMap<String, &str> = timeline
        .sessions
        .iter()
        .filter(|s| s.file.file_name().is_some_and(|n| n == "index.md"))
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

/// Options of `pactline build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub load: LoadOptions,
    pub render: RenderOptions,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub sessions: usize,
    pub warnings: Diagnostics,
    /// Time spent loading and checking, and rendering and writing.
    pub load_time: std::time::Duration,
    pub render_time: std::time::Duration,
}

/// Builds the site into `opts.output`, replacing it only when everything succeeded.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    output::publish::check_replaceable(&opts.output)?;
    let started = std::time::Instant::now();
    let site = Site::load(&opts.root, &opts.load).map_err(Error::Content)?;
    let load_time = started.elapsed();
    let staging = Staging::begin(&opts.output)?;
    let sink = DirSink::new(staging.dir());
    if let Err(diags) = site.render(&opts.render, &sink) {
        staging.abort();
        return Err(Error::Content(diags));
    }
    staging.commit()?;
    let render_time = started.elapsed() - load_time;
    Ok(BuildReport {
        sessions: site.timeline.sessions.len(),
        warnings: site.warnings,
        load_time,
        render_time,
    })
}

/// Loads and validates without writing; returns every diagnostic.
pub fn check(root: &Path, opts: &LoadOptions) -> Diagnostics {
    match Site::load(root, opts) {
        Ok(site) => site.warnings,
        Err(diags) => diags,
    }
}
