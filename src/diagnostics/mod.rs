//! Diagnostics: the one error type of pactline. Every problem found in a site is a
//! [`Diagnostic`] with a stable code, the file and span it points at, a message and a
//! help line. They are collected, never fail-fast, and rendered like rustc (human) or as
//! one JSON object each (for editors and CI).

use std::path::PathBuf;

use serde::Serialize;

mod render;

pub use render::{print_to_stderr, printable, render_human, render_json};

/// How serious a diagnostic is. Errors fail the build; warnings fail only `check --strict`;
/// notes say what a build left out and why, and never fail anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// A stable diagnostic code: `id` never changes meaning once released.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Code {
    pub id: &'static str,
    pub name: &'static str,
}

macro_rules! codes {
    ($($konst:ident = $id:literal $name:literal;)*) => {
        $(pub const $konst: Code = Code { id: $id, name: $name };)*
        /// Every code pactline can emit, in order, for documentation and tests.
        pub const ALL_CODES: &[Code] = &[$($konst),*];
    };
}

codes! {
    IO = "PL0001" "io";
    YAML_SYNTAX = "PL0002" "yaml-syntax";
    DUPLICATE_SESSION = "PL0003" "duplicate-session";
    NO_FRONT_MATTER = "PL0004" "no-front-matter";
    UNKNOWN_KEY = "PL0005" "unknown-key";
    INVALID_TYPE = "PL0006" "invalid-type";
    MISSING_FIELD = "PL0007" "missing-field";
    UNKNOWN_PARTNER = "PL0008" "unknown-partner";
    INVALID_DATE = "PL0009" "invalid-date";
    BROKEN_LINK = "PL0010" "broken-link";
    URL_COLLISION = "PL0011" "url-collision";
    UNSAFE_PATH = "PL0012" "unsafe-path";
    INVALID_URL = "PL0013" "invalid-url";
    UNKNOWN_COMMITMENT = "PL0014" "unknown-commitment";
    DUPLICATE_COMMITMENT = "PL0015" "duplicate-commitment";
    INVALID_VALUE = "PL0016" "invalid-value";
    COMMITMENT_TITLE_CHANGED = "PL0017" "commitment-title-changed";
    TEMPLATE = "PL0018" "template";
    INVALID_UTF8 = "PL0019" "invalid-utf8";
    TOML_FRONT_MATTER = "PL0020" "toml-front-matter";
    UNTERMINATED_FRONT_MATTER = "PL0021" "unterminated-front-matter";
    MISSING_INDEX = "PL0022" "missing-index";
    TOO_LARGE = "PL0023" "too-large";
    TRANSLATION_MISMATCH = "PL0024" "translation-mismatch";
    UNKNOWN_TRANSLATION = "PL0025" "unknown-translation";
    UNSAFE_LINK = "PL0026" "unsafe-link";
    CONTROL_CHARACTER = "PL0027" "control-character";
    DISAGREEMENT = "PL0028" "disagreement";
    ORDINAL_GAP = "PL1001" "ordinal-gap";
    DATES_BACKWARDS = "PL1002" "dates-backwards";
    NO_SOURCES = "PL1003" "no-sources";
    EMPTY_SECTORS = "PL1004" "empty-sectors";
    STALE_COMMITMENT = "PL1005" "stale-commitment";
    IGNORED_FILE = "PL1006" "ignored-file";
    SYMLINK = "PL1007" "symlink-skipped";
    MISSING_TRANSLATION = "PL1008" "missing-translation";
    STALE_TRANSLATION = "PL1009" "stale-translation";
    MISSING_STRINGS = "PL1020" "missing-interface-strings";
    DEAD_LINK = "PL1010" "dead-link";
    MOVED_LINK = "PL1011" "moved-link";
    NO_HISTORY = "PL1012" "no-history";
}

/// A position in a source file: 1-based line and column (in characters), inclusive start,
/// exclusive end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Span {
    /// A span of `len` characters starting at `line:column`.
    pub fn at(line: usize, column: usize, len: usize) -> Span {
        Span {
            line,
            column,
            end_line: line,
            end_column: column + len.max(1),
        }
    }
}

/// One problem, with everything needed to show it: where, what, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// The file the problem is in, relative to the site root where possible.
    pub file: Option<PathBuf>,
    pub span: Option<Span>,
    pub help: Option<String>,
    /// Other places that take part in the problem (the first of two duplicates, say).
    pub related: Vec<(PathBuf, Option<Span>, String)>,
    /// What the problem is about, where other checks need to know it without reading the
    /// message: a commitment's id, or the note a link names (its path below content/).
    pub about: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            span: None,
            help: None,
            related: Vec::new(),
            about: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Something left out, and why: shown by `check`, never a failure, even with
    /// `--strict`.
    pub fn note(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, span: Option<Span>) -> Diagnostic {
        self.span = span;
        self
    }

    pub fn about(mut self, subject: impl Into<String>) -> Diagnostic {
        self.about = Some(subject.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn related(
        mut self,
        file: impl Into<PathBuf>,
        span: Option<Span>,
        label: impl Into<String>,
    ) -> Self {
        self.related.push((file.into(), span, label.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` (or as much of it as is known), for one-line reports.
    pub fn location(&self) -> String {
        match (&self.file, &self.span) {
            (Some(f), Some(s)) => format!("{}:{}:{}", f.display(), s.line, s.column),
            (Some(f), None) => f.display().to_string(),
            _ => String::new(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let loc = self.location();
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let (loc, message) = (printable(&loc), printable(&self.message));
        if loc.is_empty() {
            write!(f, "{sev}[{}]: {message}", self.code.id)?;
        } else {
            write!(f, "{loc}: {sev}[{}]: {message}", self.code.id)?;
        }
        if let Some(help) = &self.help {
            write!(f, " (help: {})", printable(help))?;
        }
        Ok(())
    }
}

/// A collection of diagnostics, kept in a stable order (file, position, code).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Warning)
    }

    pub fn notes(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Note)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorts by file, then position, then code, so output does not depend on thread timing.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, &a.span, a.code, &a.message).cmp(&(&b.file, &b.span, b.code, &b.message))
        });
        self.0.dedup();
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// "did you mean `s`?", saying so when `word` differs from `s` only in spaces, which the
/// backticks alone would not show.
pub fn suggest(word: &str, s: &str) -> String {
    let bare = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    if word == s || bare(word) != bare(s) {
        return format!("did you mean `{s}`?");
    }
    let what = if word.trim() == s {
        match (
            word.starts_with(char::is_whitespace),
            word.ends_with(char::is_whitespace),
        ) {
            (true, true) => "a space before and after it",
            (true, false) => "a leading space",
            _ => "a trailing space",
        }
    } else {
        "spaces in other places"
    };
    format!("did you mean `{s}`? They differ only in spaces: `{word}` has {what}")
}

/// The closest candidate to `word`, if any is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut ids: Vec<_> = ALL_CODES.iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ALL_CODES.len());
    }

    #[test]
    fn a_difference_in_spaces_is_said() {
        assert_eq!(suggest("Kenia", "Kenya"), "did you mean `Kenya`?");
        assert!(suggest("Kenya ", "Kenya").ends_with("`Kenya ` has a trailing space"));
        assert!(suggest(" Kenya", "Kenya").ends_with("has a leading space"));
        assert!(suggest("New  Zealand", "New Zealand").contains("differ only in spaces"));
    }

    #[test]
    fn suggests_close_keys() {
        assert_eq!(
            did_you_mean("co_chair", ["co_chairs", "city"]),
            Some("co_chairs")
        );
        assert_eq!(did_you_mean("zzz", ["co_chairs", "city"]), None);
    }
}
