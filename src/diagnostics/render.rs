//! How diagnostics are shown: like rustc for a person (the source line, a caret under the
//! span, the help), or as one JSON object per line for editors and CI.

use std::io::{self, Write};
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};

use serde::Serialize;

use super::{Diagnostics, Severity, Span};

/// Byte offset of a 1-based line and character column in `text`, clamped to the text.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    start + within
}

fn byte_range(text: &str, span: &Span) -> std::ops::Range<usize> {
    let start = offset_of(text, span.line, span.column);
    let end = offset_of(text, span.end_line, span.end_column).max(start);
    start..end
}

/// Renders diagnostics like rustc: the location, the source line with a caret under the
/// span, the message and the help line. `root` is where relative file paths are read from.
pub fn render_human(
    diags: &Diagnostics,
    root: &Path,
    out: &mut dyn termcolor::WriteColor,
) -> io::Result<()> {
    let config = term::Config::default();
    for d in &diags.0 {
        let mut cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
            Severity::Note => CsDiagnostic::note(),
        }
        .with_code(format!("{} {}", d.code.id, d.code.name))
        .with_message(printable(&d.message));
        if let Some(help) = &d.help {
            cs = cs.with_notes(vec![format!("help: {}", printable(help))]);
        }
        let file_text = d
            .file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(root.join(f)).ok());
        match (&d.file, &d.span, file_text) {
            (Some(f), Some(span), Some(text)) => {
                let text = pictured(
                    &(text.strip_prefix('\u{feff}').unwrap_or(&text)).replace("\r\n", "\n"),
                );
                let name = printable(&f.display().to_string()).into_owned();
                let file = SimpleFile::new(name, text.as_str());
                cs = cs.with_labels(vec![Label::primary((), byte_range(&text, span))]);
                emit(out, &config, &file, &cs)?;
            }
            _ => {
                let loc = d.location();
                if !loc.is_empty() {
                    cs.notes.insert(0, format!("in {}", printable(&loc)));
                }
                emit(out, &config, &SimpleFile::new(String::new(), ""), &cs)?;
            }
        }
        for (file, span, label) in &d.related {
            let loc = match span {
                Some(s) => format!("{}:{}:{}", file.display(), s.line, s.column),
                None => file.display().to_string(),
            };
            writeln!(out, "  = note: {}: {}", printable(label), printable(&loc))?;
        }
    }
    Ok(())
}

/// `text` with its control characters written out (`\u{1b}`): a message or a file name
/// from a note must not move a terminal's cursor or rewrite what it shows.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A file's text for showing its lines: each control character but line breaks and tabs
/// becomes one visible character (its Unicode control picture, or U+FFFD), so that columns
/// stay where they were.
fn pictured(text: &str) -> String {
    (text.chars())
        .map(|c| match c {
            '\n' | '\t' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Prints diagnostics to standard error, in colour only when it is a terminal.
pub fn print_to_stderr(diags: &Diagnostics, root: &Path) {
    use std::io::IsTerminal;
    if diags.is_empty() {
        return;
    }
    let choice = if io::stderr().is_terminal() {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let mut stderr = termcolor::StandardStream::stderr(choice);
    let _ = render_human(diags, root, &mut stderr);
}

fn emit(
    out: &mut dyn termcolor::WriteColor,
    config: &term::Config,
    file: &SimpleFile<String, &str>,
    d: &CsDiagnostic<()>,
) -> io::Result<()> {
    term::emit_to_write_style(out, config, file, d).map_err(io::Error::other)
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'static str,
    name: &'static str,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end: Option<JsonPos>,
    help: Option<&'a str>,
    /// Other places that take part (the other note of a duplicate, say).
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    label: &'a str,
}

#[derive(Serialize)]
struct JsonPos {
    line: usize,
    column: usize,
}

/// One JSON object per line for each diagnostic, for editors and CI.
pub fn render_json(diags: &Diagnostics, out: &mut dyn Write) -> io::Result<()> {
    for d in &diags.0 {
        let j = JsonDiagnostic {
            severity: d.severity,
            code: d.code.id,
            name: d.code.name,
            message: &d.message,
            file: d.file.as_ref().map(|f| f.display().to_string()),
            line: d.span.map(|s| s.line),
            column: d.span.map(|s| s.column),
            end: d.span.map(|s| JsonPos {
                line: s.end_line,
                column: s.end_column,
            }),
            help: d.help.as_deref(),
            related: d
                .related
                .iter()
                .map(|(file, span, label)| JsonRelated {
                    file: file.display().to_string(),
                    line: span.map(|s| s.line),
                    column: span.map(|s| s.column),
                    label,
                })
                .collect(),
        };
        serde_json::to_writer(&mut *out, &j)?;
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, INVALID_TYPE, TEMPLATE};

    #[test]
    fn offsets_count_characters() {
        let text = "a: 1\nтитул: x\n";
        assert_eq!(offset_of(text, 2, 1), 5);
        assert_eq!(&text[offset_of(text, 2, 8)..offset_of(text, 2, 9)], "x");
        assert_eq!(offset_of(text, 9, 1), text.len());
    }

    #[test]
    fn control_characters_are_written_out_for_a_human() {
        let d = Diagnostic::error(TEMPLATE, "bad \u{1b}[2J sector")
            .help("see \u{9b}31m")
            .in_file(Path::new("a\u{7}b.md"));
        let shown = d.to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.contains("\\u{1b}[2J"), "{shown}");
        let mut out = termcolor::NoColor::new(Vec::new());
        render_human(&Diagnostics(vec![d]), Path::new("/nonexistent"), &mut out).unwrap();
        let text = String::from_utf8(out.into_inner()).unwrap();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert_eq!(pictured("a\u{1b}b\tc\n"), "a\u{241b}b\tc\n");
    }

    #[test]
    fn human_rendering_shows_caret_and_help() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\nsession: eleven\n---\n").unwrap();
        let d = Diagnostic::error(INVALID_TYPE, "session must be a whole number")
            .in_file("a.md")
            .at(Some(Span::at(2, 10, 6)))
            .help("write `session: 11`");
        let mut buf = termcolor::NoColor::new(Vec::new());
        render_human(&d.into(), dir.path(), &mut buf).unwrap();
        let text = String::from_utf8(buf.into_inner()).unwrap();
        assert!(text.contains("a.md:2:10"), "{text}");
        assert!(text.contains("^^^^^^"), "{text}");
        assert!(text.contains("help: write"), "{text}");
    }
}
