//! The `pactline` binary: parses the command line, calls the library, prints diagnostics
//! and maps the outcome to an exit status (0 ok, 1 content errors, 2 usage or I/O).

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use pactline::cli::{Cli, Command, Format};
use pactline::diagnostics::{self, Diagnostics};
use pactline::site::{self, BuildOptions, Error, LoadOptions};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match &cli.command {
        Command::Build(a) => a.root.clone(),
        Command::Check(a) => a.root.clone(),
        Command::Serve(a) => a.root.clone(),
    };
    let result = match cli.command {
        Command::Build(a) => {
            let output = a.output.unwrap_or_else(|| a.root.join("public"));
            let opts = BuildOptions {
                root: a.root.clone(),
                output: output.clone(),
                load: LoadOptions {
                    drafts: a.drafts,
                    base_url: a.base_url,
                },
            };
            site::build(&opts).map(|report| {
                print_diagnostics(&report.warnings, &a.root);
                eprintln!(
                    "built {} sessions into {}",
                    report.sessions,
                    output.display()
                );
            })
        }
        Command::Check(a) => {
            let diags = site::check(
                &a.root,
                &LoadOptions {
                    drafts: a.drafts,
                    base_url: None,
                },
            );
            match a.format {
                Format::Human => print_diagnostics(&diags, &a.root),
                Format::Json => {
                    let _ = diagnostics::render_json(&diags, &mut std::io::stdout().lock());
                }
            }
            let failed = diags.has_errors() || (a.strict && !diags.is_empty());
            if failed {
                if let Format::Human = a.format {
                    summary(&diags);
                }
                return ExitCode::from(1);
            }
            if let Format::Human = a.format {
                eprintln!("ok: no errors, {} warning(s)", diags.warnings().count());
            }
            Ok(())
        }
        Command::Serve(a) => return serve(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Error::Content(diags) = &e {
                print_diagnostics(diags, &root);
                summary(diags);
            } else {
                eprintln!("error: {e}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

fn serve(a: pactline::cli::ServeArgs) -> ExitCode {
    let opts = pactline::serve::ServeOptions {
        root: a.root,
        bind: a.bind,
        port: a.port,
        open: a.open,
        drafts: a.drafts,
    };
    match pactline::serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn print_diagnostics(diags: &Diagnostics, root: &Path) {
    if diags.is_empty() {
        return;
    }
    let choice = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut stderr = StandardStream::stderr(choice);
    let _ = diagnostics::render_human(diags, root, &mut stderr);
}

fn summary(diags: &Diagnostics) {
    eprintln!(
        "{} error(s), {} warning(s)",
        diags.errors().count(),
        diags.warnings().count()
    );
}
