//! The commands' pipeline: load -> model -> theme -> render -> write. `Site::load` runs
//! the engine (`crate::engine`) once and gathers all problems before anything is written;
//! `build` publishes the output atomically; `check` stops after validation.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::output::checksums::{KNOWN, Known};
use crate::output::publish::{PublishError, Staging};
use crate::output::{self, DirSink, RenderOptions};

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
            // A file that cannot be read or written (a full disk, say) is not the content's
            // fault, whichever step met it.
            Error::Content(diags) if diags.errors().any(|d| d.code == crate::diagnostics::IO) => 2,
            Error::Content(_) => 1,
            _ => 2,
        }
    }
}

pub use crate::engine::{LoadOptions, Site, place_assets};

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
    refuse_output_inside_sources(&opts.root, &opts.output)?;
    output::publish::check_replaceable(&opts.output)?;
    let started = std::time::Instant::now();
    // The digests kept by the build before are read while the notes load (the list checks
    // itself, so that it can be read before the folder it is in is known to be ours).
    let (site, known) = rayon::join(
        || Site::load(&opts.root, &opts.load),
        || Known::load(&opts.output.join(KNOWN)),
    );
    let site = site.map_err(Error::Content)?;
    let load_time = started.elapsed();
    let staging = Staging::begin(&opts.output)?;
    let sink = DirSink::new(staging.dir()).reusing(staging.previous());
    let made = match site.render_knowing(&opts.render, &sink, &known) {
        Ok(made) => made,
        Err(diags) => {
            staging.abort();
            return Err(Error::Content(diags));
        }
    };
    // The list only saves the next build time: one that cannot be written costs that.
    let _ = made.save(&staging.dir().join(KNOWN));
    staging.commit()?;
    let render_time = started.elapsed() - load_time;
    Ok(BuildReport {
        sessions: site.timeline.sessions.len(),
        warnings: site.warnings,
        load_time,
        render_time,
    })
}

/// An output folder inside a folder the site is read from would be published into itself
/// by the next build.
fn refuse_output_inside_sources(root: &Path, output: &Path) -> Result<(), Error> {
    let absolute = |p: &Path| {
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        // Resolved where it exists, so that `a/../content/x` and links are seen through.
        match p.canonicalize() {
            Ok(c) => c,
            Err(_) => (p.parent().and_then(|d| d.canonicalize().ok()))
                .map(|d| d.join(p.file_name().unwrap_or_default()))
                .unwrap_or(p),
        }
    };
    let output = absolute(output);
    for source in ["content", "themes", "static"] {
        let folder = absolute(&root.join(source));
        if output.starts_with(&folder) {
            return Err(Error::Usage(format!(
                "the output folder {} is inside {source}/, which the site is read from: each build would publish the last one again; choose a folder outside it",
                output.display()
            )));
        }
    }
    Ok(())
}

/// Loads and validates without writing; returns every diagnostic, and a note when the
/// pages leave out the history of the records.
pub fn check(root: &Path, opts: &LoadOptions) -> Diagnostics {
    let mut engine = crate::engine::Engine::new(root, opts.clone(), RenderOptions::default());
    let note = engine.history_note();
    let mut diags = match engine.into_site() {
        Ok(site) => site.warnings,
        Err(diags) => diags,
    };
    diags.extend(note);
    diags.sort();
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{self as d, Diagnostic, Diagnostics};

    #[test]
    fn a_file_that_cannot_be_written_exits_2_and_content_errors_1() {
        let io = Diagnostic::error(d::IO, "cannot write index.html: No space left on device");
        let content = Diagnostic::error(d::BROKEN_LINK, "link to `@/x.md`");
        assert_eq!(Error::Content(Diagnostics(vec![io.clone()])).exit_code(), 2);
        assert_eq!(
            Error::Content(Diagnostics(vec![content.clone()])).exit_code(),
            1
        );
        assert_eq!(
            Error::Content(Diagnostics(vec![content, io])).exit_code(),
            2
        );
        assert_eq!(Error::Usage("x".into()).exit_code(), 2);
    }
}
