//! Splitting a note into its YAML front matter and Markdown body, and turning serde_yaml
//! errors into diagnostics that point at the line of the file (not of the YAML block).

use std::path::Path;

use crate::diagnostics::{self as d, Diagnostic, Span};

/// A note split in two. Line numbers are 1-based lines of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// The file line on which the first line of the front matter stands.
    pub front_matter_line: usize,
    pub body: &'a str,
    /// The file line on which the first line of the body stands.
    pub body_line: usize,
}

/// Removes a byte-order mark and turns CRLF into LF so that every later stage sees one
/// form; line numbers stay those of the file.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Splits `---\n<yaml>\n---\n<body>`. `text` must already be normalized.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() == "+++" {
        return Err(Diagnostic::error(d::TOML_FRONT_MATTER, "TOML front matter (`+++`) is not supported")
            .in_file(file)
            .at(Some(Span::at(1, 1, 3)))
            .help("pactline reads YAML front matter: open and close the block with `---` and write `key: value` lines"));
    }
    if first_line.trim_end() != "---" {
        let what = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "the file does not start with `---`"
        };
        return Err(Diagnostic::error(d::NO_FRONT_MATTER, format!("no front matter: {what}"))
            .in_file(file)
            .at(Some(Span::at(1, 1, first_line.chars().count())))
            .help("start the note with a YAML block between two `---` lines, e.g. `---\\nsession: 1\\n---`"));
    }
    let fm_start = first_line.len() + 1;
    let mut offset = fm_start.min(text.len());
    for (line_no, line) in (2..).zip(text[offset..].split_inclusive('\n')) {
        if line.trim_end() == "---" {
            let body_start = offset + line.len();
            return Ok(Split {
                front_matter: &text[fm_start..offset],
                front_matter_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        d::UNTERMINATED_FRONT_MATTER,
        "the front matter block is never closed",
    )
    .in_file(file)
    .at(Some(Span::at(1, 1, 3)))
    .help("end the front matter with a line holding only `---`"))
}

/// Deserializes front matter into `T`, mapping serde_yaml's first error to a diagnostic
/// with the right code, file position and help (see `recover` for every error).
pub fn parse<T: serde::de::DeserializeOwned>(
    file: &Path,
    split: &Split<'_>,
) -> Result<T, Diagnostic> {
    if let Some(e) = refuse(file, split) {
        return Err(e);
    }
    serde_yaml::from_str(split.front_matter)
        .map_err(|e| yaml_error(file, split, split.front_matter, &e))
}

/// The error of a front matter too large or too deeply nested to be parsed at all.
pub fn refuse(file: &Path, split: &Split<'_>) -> Option<Diagnostic> {
    if split.front_matter.len() > MAX_FRONT_MATTER_BYTES {
        return Some(
            Diagnostic::error(
                d::TOO_LARGE,
                format!(
                    "the front matter is {} bytes; the limit is {MAX_FRONT_MATTER_BYTES}",
                    split.front_matter.len()
                ),
            )
            .in_file(file)
            .at(Some(Span::at(1, 1, 3)))
            .help("keep long text in the Markdown body, below the closing `---`"),
        );
    }
    let (line, column) = too_deep(split.front_matter)?;
    Some(
        Diagnostic::error(
            d::YAML_SYNTAX,
            format!("the front matter is nested more than {MAX_FLOW_DEPTH} levels deep"),
        )
        .in_file(file)
        .at(Some(Span::at(
            line + split.front_matter_line - 1,
            column,
            1,
        )))
        .help("pactline's front matter needs only a few levels of `[...]` and `{...}`; flatten it"),
    )
}

/// What kind of problem a serde_yaml error is, for reading past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    UnknownKey,
    /// A value of the wrong type or outside the allowed set.
    Value,
    Missing,
    Syntax,
}

/// A serde_yaml error, classified: its kind and the path of what it is about
/// (`co_chairs[0].role`; for a missing key, the key's path).
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub kind: ErrorKind,
    pub path: String,
    /// The mapping a missing key is missing from (`co_chairs[0]`), empty at the top.
    pub parent: String,
    /// An empty value (`key:` with nothing, or `~`).
    pub empty: bool,
}

impl ErrorInfo {
    /// Whether this error only follows from leaving out what an earlier one (at one of
    /// `reported`) was about: the empty value left in its place, or a key gone with it.
    pub fn follows_from(&self, reported: &[String]) -> bool {
        let near = |r: &String| related(&self.path, r);
        match self.kind {
            ErrorKind::Missing => (reported.iter())
                .any(|r| near(r) || (!self.parent.is_empty() && related(&self.parent, r))),
            ErrorKind::Value => self.empty && reported.iter().any(near),
            _ => false,
        }
    }
}

/// Whether one path is the other or holds it (`a[0]` holds `a[0].b`).
fn related(a: &str, b: &str) -> bool {
    let within = |inner: &str, outer: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    within(a, b) || within(b, a)
}

/// Classifies a serde_yaml error by its message.
pub fn classify(e: &serde_yaml::Error) -> ErrorInfo {
    let message = strip_positions(&e.to_string());
    let (path, detail) = split_path(&message);
    let path = path.unwrap_or_default();
    let join = |key: &str| match path.as_str() {
        "" => key.to_string(),
        p => format!("{p}.{key}"),
    };
    let (kind, full) = if let Some(rest) = detail.strip_prefix("unknown field ") {
        (ErrorKind::UnknownKey, join(&parse_unknown(rest).0))
    } else if let Some(rest) = detail.strip_prefix("missing field ") {
        (ErrorKind::Missing, join(rest.trim_matches('`')))
    } else if [
        "invalid type",
        "invalid value",
        "unknown variant",
        "invalid length",
    ]
    .iter()
    .any(|p| detail.starts_with(p))
    {
        (ErrorKind::Value, path.clone())
    } else {
        (ErrorKind::Syntax, path.clone())
    };
    ErrorInfo {
        kind,
        path: full,
        parent: path,
        empty: detail.starts_with("invalid type: unit value"),
    }
}

/// Splits serde_yaml's "path: detail" (the path is absent at the top).
fn split_path(message: &str) -> (Option<String>, String) {
    match message.split_once(": ") {
        Some((p, rest)) if !p.contains(' ') => (Some(p.to_string()), rest.to_string()),
        _ => (None, message.to_string()),
    }
}

/// Largest front matter accepted. Real notes have a few kilobytes; the limit bounds the
/// cost of parsing and of locating values for diagnostics on hostile input.
pub const MAX_FRONT_MATTER_BYTES: usize = 256 * 1024;

/// Deepest nesting of flow collections accepted. serde_yaml refuses more than 128 levels
/// anyway, but only after libyaml's scanner has spent time quadratic in the depth (a
/// 100 kB line of `[` takes minutes), so deeper input is refused before it is parsed.
pub const MAX_FLOW_DEPTH: usize = 64;

/// The 1-based line and column of the first `[` or `{` that opens a level deeper than
/// [`MAX_FLOW_DEPTH`], skipping quoted strings and comments. It over-counts brackets in
/// plain text, which only matters for text holding dozens of unclosed brackets.
pub fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (line_no, line) in (1..).zip(yaml.lines()) {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        let mut escaped = false;
        for (column, c) in (1..).zip(line.chars()) {
            match quote {
                Some('"') if escaped => escaped = false,
                Some('"') if c == '\\' => escaped = true,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' => quote = Some(c),
                    '#' if prev.is_whitespace() => break,
                    '[' | '{' => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Some((line_no, column));
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            prev = c;
        }
    }
    None
}

/// The diagnostic of a serde_yaml error in `split`'s front matter; `text` is the front
/// matter as it was parsed (with parts left out, see `recover`), for the length of the
/// token the error points at.
pub fn yaml_error(file: &Path, split: &Split<'_>, text: &str, e: &serde_yaml::Error) -> Diagnostic {
    let full = e.to_string();
    let message = strip_positions(&full);
    let (path, detail) = split_path(&message);
    let span = e.location().map(|l| {
        Span::at(
            l.line() + split.front_matter_line - 1,
            l.column(),
            token_len(text, l.index()),
        )
    });
    let field = |p: &Option<String>| p.as_ref().map(|p| format!("`{p}`: ")).unwrap_or_default();
    let diag = if let Some(rest) = detail.strip_prefix("unknown field ") {
        let (key, expected) = parse_unknown(rest);
        let mut diag = Diagnostic::error(
            d::UNKNOWN_KEY,
            format!("{}unknown key `{key}`", field(&path)),
        );
        diag.help = Some(
            match d::did_you_mean(&key, expected.iter().map(String::as_str)) {
                Some(s) => format!(
                    "did you mean `{s}`? Known keys here: {}",
                    expected.join(", ")
                ),
                None => format!("known keys here: {}", expected.join(", ")),
            },
        );
        diag
    } else if let Some(rest) = detail.strip_prefix("missing field ") {
        let key = rest.trim_matches('`');
        Diagnostic::error(
            d::MISSING_FIELD,
            format!("{}missing required key `{key}`", field(&path)),
        )
        .help(missing_help(key))
    } else if let Some(rest) = detail.strip_prefix("unknown variant ") {
        let (value, expected) = parse_unknown(rest);
        let mut diag = Diagnostic::error(
            d::INVALID_VALUE,
            format!("{}`{value}` is not an allowed value", field(&path)),
        );
        diag.help = Some(
            match d::did_you_mean(&value, expected.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`? Allowed: {}", expected.join(", ")),
                None => format!("allowed values: {}", expected.join(", ")),
            },
        );
        diag
    } else if detail.starts_with("invalid type") || detail.starts_with("invalid value") {
        Diagnostic::error(d::INVALID_TYPE, format!("{}{detail}", field(&path)))
            .help("check the value's type: numbers unquoted, lists in `[...]` or `- ` lines, text as plain or quoted text")
    } else {
        Diagnostic::error(d::YAML_SYNTAX, format!("invalid YAML: {message}"))
            .help("check indentation, and quote values that contain `: ` or start with a special character")
    };
    let span = span.or(Some(Span::at(split.front_matter_line, 1, 1)));
    let diag = diag.in_file(file).at(span);
    super::hints::improve(diag, (split.front_matter, split.front_matter_line), e)
}

/// Removes serde_yaml's " at line L column C" phrases: positions are reported separately,
/// as file lines rather than lines of the YAML block.
fn strip_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let skip = after.find(" column ").map_or(0, |c| {
            let digits = after[c + 8..]
                .chars()
                .take_while(char::is_ascii_digit)
                .count();
            c + 8 + digits
        });
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

/// Parses "`key`, expected one of `a`, `b`" into ("key", ["a", "b"]).
fn parse_unknown(rest: &str) -> (String, Vec<String>) {
    let mut ticks = rest.split('`').skip(1).step_by(2).map(str::to_string);
    let key = ticks.next().unwrap_or_default();
    (key, ticks.collect())
}

fn missing_help(key: &str) -> String {
    match key {
        "session" => "every note needs its ordinal, e.g. `session: 11`".into(),
        _ => format!("add `{key}: …` to this entry"),
    }
}

/// Length in characters of the YAML token starting at byte `index`, for the caret: a
/// quoted string up to its closing quote; in a flow collection (`{ … }`, `[ … ]`) up to the
/// next `,`, `}` or `]`; otherwise up to a `:` or the end of the line.
fn token_len(yaml: &str, index: usize) -> usize {
    let rest = yaml.get(index..).unwrap_or("");
    let line = rest.lines().next().unwrap_or("");
    let line_start = yaml
        .get(..index)
        .map_or(0, |b| b.rfind('\n').map_or(0, |i| i + 1));
    let before = yaml.get(line_start..index).unwrap_or("");
    let token = match line.chars().next() {
        Some(q @ ('"' | '\'')) => line[1..].find(q).map_or(line, |end| &line[..end + 2]),
        _ if before.contains(['{', '[']) => line.split([',', '}', ']']).next().unwrap_or(line),
        _ => line.split(':').next().unwrap_or(line),
    };
    token.trim_end().chars().count().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        session: u32,
        city: Option<String>,
    }

    fn p(text: &str) -> Result<T, Diagnostic> {
        let s = split(Path::new("n.md"), text)?;
        parse(Path::new("n.md"), &s)
    }

    #[test]
    fn splits_and_numbers_lines() {
        let s = split(Path::new("n.md"), "---\na: 1\n---\nbody\n").unwrap();
        assert_eq!(s.front_matter, "a: 1\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split(Path::new("n.md"), "---\n---").unwrap();
        assert_eq!(s.front_matter, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn toml_and_missing_blocks_are_explained() {
        assert_eq!(
            p("+++\nx = 1\n+++\n").unwrap_err().code,
            d::TOML_FRONT_MATTER
        );
        assert_eq!(p("hello").unwrap_err().code, d::NO_FRONT_MATTER);
        assert_eq!(p("").unwrap_err().code, d::NO_FRONT_MATTER);
        assert_eq!(
            p("---\nsession: 1\n").unwrap_err().code,
            d::UNTERMINATED_FRONT_MATTER
        );
    }

    #[test]
    fn errors_point_at_file_lines() {
        let e = p("---\ncity: x\nsession: eleven\n---\n").unwrap_err();
        assert_eq!(e.code, d::INVALID_TYPE);
        assert_eq!(e.span.unwrap().line, 3);
        assert_eq!(e.span.unwrap().column, 10);
        let e = p("---\nsession: 1\ncty: x\n---\n").unwrap_err();
        assert_eq!(e.code, d::UNKNOWN_KEY);
        assert_eq!(e.span.unwrap().line, 3);
        assert!(e.help.unwrap().contains("did you mean `city`"));
        let e = p("---\nsession: 1\ncity: \"abc\n---\n").unwrap_err();
        assert_eq!(e.code, d::YAML_SYNTAX);
        assert_eq!(e.span.unwrap().line, 4);
        assert!(!e.message.contains("at line"), "{}", e.message);
        let e = p("---\nsession: 1\n\tcity: x\n---\n").unwrap_err();
        assert_eq!((e.code, e.span.unwrap().line), (d::YAML_SYNTAX, 3));
        let e = p("---\ncity: x\n---\n").unwrap_err();
        assert_eq!(e.code, d::MISSING_FIELD);
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let deep = format!("---\nsession: 1\ncity: {}\n---\n", "[".repeat(100_000));
        let start = std::time::Instant::now();
        let e = p(&deep).unwrap_err();
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(e.code, d::YAML_SYNTAX);
        assert_eq!(e.span.unwrap().line, 3);
        assert_eq!(e.span.unwrap().column, 7 + MAX_FLOW_DEPTH);
        // Brackets in quotes and comments do not count; closed ones do not add up.
        let many = "[a], ".repeat(200);
        let ok = format!(
            "a: \"{}\" # {}\nb: [{many}]\n",
            "[".repeat(99),
            "{".repeat(99)
        );
        assert_eq!(too_deep(&ok), None);
    }

    #[test]
    fn huge_front_matter_is_refused() {
        let big = format!(
            "---\nsession: 1\nsummary: {}\n---\n",
            "x".repeat(300 * 1024)
        );
        assert_eq!(p(&big).unwrap_err().code, d::TOO_LARGE);
    }

    #[test]
    fn carets_cover_one_token() {
        let y = "a: { b: finished }\nc: [x, \"y, z\"]\nd: plain text\n";
        assert_eq!(token_len(y, y.find("finished").unwrap()), 8);
        assert_eq!(token_len(y, y.find("\"y").unwrap()), 6);
        assert_eq!(token_len(y, y.find("plain").unwrap()), 10);
        assert_eq!(token_len(y, y.len()), 1);
        assert_eq!(token_len("\"", 0), 1);
    }

    #[test]
    fn bom_and_crlf_are_normalized() {
        let t = normalize("\u{feff}---\r\nsession: 1\r\n---\r\nbody\r\n");
        assert_eq!(p(&t).unwrap().session, 1);
    }
}
