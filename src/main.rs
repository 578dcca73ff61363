//! The `pactline` binary: parses the command line, calls the library, prints diagnostics
//! and maps the outcome to an exit status (0 ok, 1 content errors, 2 usage or I/O).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use pactline::cli::{BuildArgs, CheckArgs, Cli, Command, Format, InitArgs, NewArgs};
use pactline::diagnostics::{self, Diagnostics};
use pactline::linkcheck::{self, LinkOptions};
use pactline::output::RenderOptions;
use pactline::scaffold::{self, InitOptions, NewOptions};
use pactline::site::{self, BuildOptions, Error, LoadOptions};

// Rendering allocates many short-lived strings from both threads; mimalloc handles that
// pattern markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Writes to standard error (`err`) or output (`out` with a newline, `out_raw` without).
/// When the stream is closed (`pactline check 2>&1 | head -1`) nobody is left to read a
/// message: exit 2, as for any I/O error, rather than panic.
macro_rules! say {
    (err, $($arg:tt)*) => { write_or_exit(&mut std::io::stderr(), format_args!("{}\n", format_args!($($arg)*))) };
    (out, $($arg:tt)*) => { write_or_exit(&mut std::io::stdout(), format_args!("{}\n", format_args!($($arg)*))) };
    (out_raw, $($arg:tt)*) => { write_or_exit(&mut std::io::stdout(), format_args!($($arg)*)) };
}

fn write_or_exit(stream: &mut dyn Write, text: std::fmt::Arguments) {
    if stream
        .write_fmt(text)
        .and_then(|()| stream.flush())
        .is_err()
    {
        std::process::exit(2);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (root, result) = match cli.command {
        Command::Build(a) => (a.root.clone(), build(a)),
        Command::Check(a) => (a.root.clone(), check(a)),
        Command::Init(a) => (a.dir.clone(), init(a)),
        Command::New(a) => (a.root.clone(), new(a)),
        Command::Strings(a) => (a.root.clone(), strings(&a.root, &a.lang)),
        Command::Revision(a) => (PathBuf::from("."), revision(&a.note)),
        Command::Verify(a) => return verify(&a.dir),
        Command::Serve(a) => return serve(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if let Error::Content(diags) = &e {
                print_diagnostics(diags, &root);
                summary(diags);
            } else {
                say!(err, "error: {e}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

fn build(a: BuildArgs) -> Result<ExitCode, Error> {
    let output = a.output.unwrap_or_else(|| a.root.join("public"));
    let opts = BuildOptions {
        root: a.root.clone(),
        output: output.clone(),
        load: LoadOptions {
            drafts: a.drafts,
            base_url: a.base_url,
        },
        render: RenderOptions {
            relative_urls: a.relative_urls,
            ..RenderOptions::default()
        },
    };
    let report = site::build(&opts)?;
    print_diagnostics(&report.warnings, &a.root);
    say!(
        err,
        "built {} sessions into {} in {} ms (load {} ms, render {} ms)",
        report.sessions,
        output.display(),
        (report.load_time + report.render_time).as_millis(),
        report.load_time.as_millis(),
        report.render_time.as_millis()
    );
    Ok(ExitCode::SUCCESS)
}

fn check(a: CheckArgs) -> Result<ExitCode, Error> {
    let links = (a.links)
        .then(|| LinkOptions::from_env(&a.root, a.drafts))
        .transpose()
        .map_err(Error::Usage)?;
    let mut diags = site::check(
        &a.root,
        &LoadOptions {
            drafts: a.drafts,
            base_url: None,
        },
    );
    if let Some(opts) = links {
        diags.extend(check_links(&opts, a.format));
        diags.sort();
    }
    // Notes say what was left out and why: they fail nothing, not even `--strict`.
    let failed = diags.has_errors() || (a.strict && diags.warnings().next().is_some());
    match a.format {
        Format::Json => {
            let out = &mut std::io::stdout().lock();
            diagnostics::render_json(&diags, out).map_err(|source| Error::Io {
                path: PathBuf::from("<stdout>"),
                source,
            })?;
        }
        Format::Human => {
            print_diagnostics(&diags, &a.root);
            if failed {
                summary(&diags);
            } else {
                say!(
                    err,
                    "ok: no errors, {} warning(s){}",
                    diags.warnings().count(),
                    notes(&diags)
                );
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `check --links`: the warnings of the web addresses, with a line on what was asked for
/// a human.
fn check_links(opts: &LinkOptions, format: Format) -> Diagnostics {
    let report = linkcheck::check(opts);
    if let Some(problem) = &report.cache_error {
        say!(err, "warning: the link cache was not kept: {problem}");
    }
    if matches!(format, Format::Human) {
        say!(
            err,
            "links: {} web address(es), {} answered from the cache",
            report.addresses,
            report.from_cache
        );
    }
    report.diags
}

fn init(a: InitArgs) -> Result<ExitCode, Error> {
    let opts = InitOptions {
        dir: a.dir.clone(),
        title: a.title,
        partners: a.partners,
        copy_theme: a.theme,
    };
    let written = scaffold::init(&opts)?;
    say!(
        err,
        "created a timeline site in {} ({} files)",
        a.dir.display(),
        written.len()
    );
    say!(err, "next: cd {} && pactline build", a.dir.display());
    Ok(ExitCode::SUCCESS)
}

fn new(a: NewArgs) -> Result<ExitCode, Error> {
    let path = scaffold::new_session(&NewOptions {
        root: a.root,
        date: a.date,
        city: a.city,
    })?;
    say!(out, "{}", path.display());
    Ok(ExitCode::SUCCESS)
}

fn serve(a: pactline::cli::ServeArgs) -> ExitCode {
    let opts = pactline::serve::ServeOptions {
        root: a.root,
        bind: a.bind,
        port: a.port,
        open: a.open,
        drafts: a.drafts,
        edit: a.edit,
    };
    match pactline::serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!(err, "error: {e}");
            ExitCode::from(2)
        }
    }
}

fn strings(root: &Path, lang: &str) -> Result<ExitCode, Error> {
    let path = scaffold::strings(root, lang)?;
    say!(
        err,
        "wrote {}: translate its texts, then add `{lang}` to `languages` in content/_index.md",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn revision(note: &Path) -> Result<ExitCode, Error> {
    let revision = scaffold::revision(note)?;
    say!(out_raw, "{revision}\n");
    Ok(ExitCode::SUCCESS)
}

fn verify(dir: &Path) -> ExitCode {
    match pactline::verify::verify(dir) {
        Ok(report) if report.is_clean() => {
            say!(
                err,
                "ok: {} files match {}",
                report.ok,
                dir.join("SHA256SUMS").display()
            );
            ExitCode::SUCCESS
        }
        Ok(report) => {
            say!(out_raw, "{report}");
            say!(
                err,
                "{} missing, {} changed, {} unexpected file(s)",
                report.missing.len(),
                report.changed.len(),
                report.unexpected.len()
            );
            ExitCode::from(1)
        }
        Err(e) => {
            say!(err, "error: {e}");
            ExitCode::from(2)
        }
    }
}

fn print_diagnostics(diags: &Diagnostics, root: &Path) {
    diagnostics::print_to_stderr(diags, root);
}

fn summary(diags: &Diagnostics) {
    say!(
        err,
        "{} error(s), {} warning(s){}",
        diags.errors().count(),
        diags.warnings().count(),
        notes(diags)
    );
}

/// ", 1 note(s)" when there are notes; nothing otherwise.
fn notes(diags: &Diagnostics) -> String {
    match diags.notes().count() {
        0 => String::new(),
        n => format!(", {n} note(s)"),
    }
}
