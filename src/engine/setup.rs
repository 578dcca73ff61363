//! What a build starts from besides the notes: the theme, the history of the records and
//! the options the model is built with.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use super::LoadOptions;
use super::inputs::{Inputs, Notes};
use crate::content::IndexNote;
use crate::diagnostics::Diagnostics;
use crate::history;
use crate::output;
use crate::theme::Theme;
use crate::timeline::{self, ModelOptions, SessionCache, Timeline};

/// A theme, shared by the engine and the model its pages render from.
pub(super) fn load_theme(root: &Path, name: &str) -> Result<Arc<Theme>, Diagnostics> {
    Theme::load(root, name).map(Arc::new)
}

/// The history of the site at `root`, read as of its HEAD.
pub(super) fn read_history(root: &Path) -> history::Cache {
    let mut cache = history::Cache::new(root);
    // Kept in the cache; why there is none is asked for when it matters.
    let _ = cache.current();
    cache
}

/// What the model is built with: the options, where `@/` links point and the history.
pub(super) fn model_options(
    load: &LoadOptions,
    index: &IndexNote,
    history: Option<Arc<history::SiteHistory>>,
) -> ModelOptions {
    let base = (load.base_url.clone())
        .or_else(|| index.front.base_url.clone())
        .unwrap_or_else(|| "/".to_string());
    ModelOptions {
        drafts: load.drafts,
        base_url: load.base_url.clone(),
        link_prefix: output::html::base_path(&base),
        history,
    }
}

/// The model of `inputs`, built as every front end builds it, with every diagnostic found;
/// `None` without `_index.md` or when the notes cannot make a timeline. Also gives the
/// options it was built with.
pub(super) fn model_of(
    load: &LoadOptions,
    history: Option<Arc<history::SiteHistory>>,
    inputs: &Inputs,
    cache: &mut SessionCache,
) -> (Option<Timeline>, Diagnostics, Option<ModelOptions>) {
    let Notes {
        index,
        sessions: notes,
        lost,
        mut diags,
    } = inputs.notes();
    let translations = inputs.translations(&mut diags);
    let Some(index) = index else {
        return (None, diags, None);
    };
    let opts = model_options(load, index, history);
    let asset_paths: Vec<String> = (inputs.assets().into_iter()).map(|a| a.rel).collect();
    let notes = notes.into_iter().map(Cow::Borrowed).collect();
    let (model, model_diags) = timeline::build_cached(
        index,
        (notes, &translations, &lost),
        &asset_paths,
        &opts,
        cache,
    );
    diags.extend(model_diags);
    (model, diags, Some(opts))
}
