//! Command-line definitions (clap). Parsing only: each command maps to a library call.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "pactline",
    version,
    about = "Static-site generator for partnership timelines"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Validate the content without writing anything.
    Check(CheckArgs),
    /// Build in memory and serve the site locally, rebuilding and reloading on save.
    Serve(ServeArgs),
    /// Check a published folder against its SHA256SUMS.
    Verify(VerifyArgs),
    /// Make a new timeline site in DIR.
    Init(InitArgs),
    /// Write the next session's note, with open commitments listed for review.
    New(NewArgs),
    /// Write the interface strings to translate for a new language, starting from English.
    Strings(StringsArgs),
    /// Print the revision of an original note, for `translated_from:` in its translations.
    Revision(RevisionArgs),
}

#[derive(Debug, Args)]
pub struct StringsArgs {
    /// The language's code, e.g. `nb`.
    pub lang: String,
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// The original note, e.g. content/sessions/11.md.
    pub note: PathBuf,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (must be absent or empty).
    pub dir: PathBuf,
    /// The timeline's title.
    #[arg(long, default_value = "Working group timeline")]
    pub title: String,
    /// The partners, comma-separated, e.g. "India,Russia".
    #[arg(long, value_delimiter = ',')]
    pub partners: Vec<String>,
    /// Also copy the default theme into themes/default/ for customising.
    #[arg(long)]
    pub theme: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The session's date, YYYY-MM-DD.
    #[arg(long)]
    pub date: Option<String>,
    /// The city where it met.
    #[arg(long)]
    pub city: Option<String>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's root: the folder holding content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (relative to the current folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from content/_index.md.
    #[arg(long, value_parser = base_url)]
    pub base_url: Option<String>,
    /// Include notes marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Make internal links relative to each page, so the output can be opened from disk.
    #[arg(long)]
    pub relative_urls: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Include notes marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Also ask every web address the notes link to whether it still answers (over the
    /// network; answers are kept for a day in .pactline-cache/).
    #[arg(long)]
    pub links: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The published folder (holding SHA256SUMS).
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The address to listen on; anything but 127.0.0.1 makes the preview visible on the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port; if taken, the next ones are tried. 0 picks any free port.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include notes marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Also serve an editor for the notes under /_edit/; its address, with a secret token,
    /// is printed when the server starts.
    #[arg(long)]
    pub edit: bool,
}

/// `--base-url`, checked as `base_url` in `_index.md` is.
fn base_url(url: &str) -> Result<String, String> {
    match crate::timeline::addresses::base_url_problem(url) {
        Some(problem) => Err(problem.to_string()),
        None => Ok(url.to_string()),
    }
}
