//! Help for the YAML mistakes authors actually make, which serde_yaml reports in its own
//! terms: a comma inside `{ … }` read as the start of a new key, a tab in the indentation,
//! a `: ` inside an unquoted value, and `yes`/`no` where `true`/`false` is meant. Each help
//! points at the value to change and shows it fixed.

use crate::diagnostics::{self as d, Diagnostic, Span};

/// `diag` (made from `e`) with a help and a span that name the likely mistake, when one
/// is recognised. `front_matter` is the text parsed, whose first line is file line
/// `first_line`.
pub fn improve(
    diag: Diagnostic,
    (front_matter, first_line): (&str, usize),
    e: &serde_yaml::Error,
) -> Diagnostic {
    let Some(location) = e.location() else {
        return diag;
    };
    let Some(line) = front_matter.lines().nth(location.line().saturating_sub(1)) else {
        return diag;
    };
    let chars: Vec<char> = line.chars().collect();
    let column = location.column().saturating_sub(1).min(chars.len());
    let at = Place {
        chars: &chars,
        column,
        file_line: location.line() + first_line - 1,
    };
    let found = if diag.code == d::UNKNOWN_KEY {
        comma_in_flow(&at)
    } else if diag.code == d::YAML_SYNTAX {
        tab(&at, &e.to_string()).or_else(|| colon_in_value(&at))
    } else if diag.code == d::INVALID_TYPE {
        yes_no(&at, &e.to_string())
    } else {
        None
    };
    match found {
        Some((help, span)) => diag.help(help).at(Some(span)),
        None => diag,
    }
}

/// The line an error points into, and where.
struct Place<'a> {
    chars: &'a [char],
    /// 0-based character index of the error in the line.
    column: usize,
    file_line: usize,
}

impl Place<'_> {
    fn span(&self, from: usize, to: usize) -> Span {
        Span::at(self.file_line, from + 1, to.saturating_sub(from))
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.chars[from..to.min(self.chars.len())].iter().collect()
    }

    /// Whether an unclosed `{` stands before the error on its line.
    fn in_flow_mapping(&self) -> bool {
        let before = &self.chars[..self.column];
        let open = before.iter().filter(|c| **c == '{').count();
        open > before.iter().filter(|c| **c == '}').count()
    }

    /// Where the flow entry holding the error starts (after `{` or `,`) and ends (at `,`
    /// or `}`), quotes aside.
    fn flow_entry(&self) -> (usize, usize) {
        let start = (self.chars[..self.column].iter())
            .rposition(|c| matches!(c, '{' | ','))
            .map_or(0, |i| i + 1);
        let end = (self.chars[self.column..].iter())
            .position(|c| matches!(c, ',' | '}'))
            .map_or(self.chars.len(), |i| self.column + i);
        (start, end)
    }
}

/// Leading and trailing spaces of `chars[from..to]` skipped.
fn trimmed(chars: &[char], from: usize, to: usize) -> (usize, usize) {
    let mut from = from;
    let mut to = to.min(chars.len());
    while from < to && chars[from].is_whitespace() {
        from += 1;
    }
    while to > from && chars[to - 1].is_whitespace() {
        to -= 1;
    }
    (from, to)
}

/// `role: Principal Secretary, State Department` in `{ … }`: the text after the comma is
/// read as a key without a value.
fn comma_in_flow(at: &Place<'_>) -> Option<(String, Span)> {
    if !at.in_flow_mapping() {
        return None;
    }
    let (start, end) = at.flow_entry();
    let (key_from, key_to) = trimmed(at.chars, start, end);
    // A real key has a `:` after it; the rest of a value has none.
    if at.chars[key_from..key_to].contains(&':') || start == 0 || at.chars[start - 1] != ',' {
        return None;
    }
    let before = Place {
        column: start - 1,
        ..*at
    };
    let (prev_start, _) = before.flow_entry();
    let previous = at.text(prev_start, start - 1);
    let (key, value) = previous.split_once(':')?;
    let (key, value) = (key.trim(), value.trim());
    let value_from = prev_start + previous[..previous.find(value)?].chars().count();
    let whole = format!("{value}, {}", at.text(key_from, key_to));
    let help = format!(
        "a comma inside `{{ … }}` separates keys, so `{}` was read as a key: quote the value, `{key}: {}`",
        at.text(key_from, key_to),
        quoted(&whole)
    );
    Some((help, at.span(value_from, key_to)))
}

/// A tab where YAML wants spaces.
fn tab(at: &Place<'_>, message: &str) -> Option<(String, Span)> {
    let tab = at.chars.iter().position(|c| *c == '\t')?;
    let indent_tab = at.chars[..tab].iter().all(|c| c.is_whitespace());
    if !(message.contains("tab") || indent_tab) {
        return None;
    }
    Some((
        "YAML indents with spaces only: replace the tab on this line with spaces".to_string(),
        at.span(tab, tab + 1),
    ))
}

/// `city: Addis Ababa: Bole` — a second `: ` in an unquoted value.
fn colon_in_value(at: &Place<'_>) -> Option<(String, Span)> {
    if at.chars.get(at.column) != Some(&':') {
        return None;
    }
    let (start, end) = if at.in_flow_mapping() {
        at.flow_entry()
    } else {
        let lead = at
            .chars
            .iter()
            .take_while(|c| matches!(c, ' ' | '-'))
            .count();
        let comment = (at.chars.windows(2))
            .position(|w| w[0] == ' ' && w[1] == '#')
            .unwrap_or(at.chars.len());
        (lead, comment)
    };
    let entry = at.text(start, end);
    let (key, value) = entry.split_once(": ")?;
    let (key, value) = (key.trim(), value.trim());
    if key.is_empty() || value.is_empty() {
        return None;
    }
    let value_from = start + entry[..entry.find(value)?].chars().count();
    let help = format!(
        "a `: ` inside a value starts a new key: quote the value, `{key}: {}`",
        quoted(value)
    );
    Some((
        help,
        at.span(value_from, value_from + value.chars().count()),
    ))
}

/// `draft: yes`: YAML 1.2 reads `yes`, `no`, `on` and `off` as text, not as true and false.
fn yes_no(at: &Place<'_>, message: &str) -> Option<(String, Span)> {
    if !message.contains("expected a boolean") {
        return None;
    }
    let word: String = (at.chars[at.column..].iter())
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let meant = match word.to_lowercase().as_str() {
        "yes" | "y" | "on" => "true",
        "no" | "n" | "off" => "false",
        _ => return None,
    };
    let help = format!(
        "write `true` or `false`: YAML reads `{word}` as text, so write `{meant}` for `{word}`"
    );
    Some((help, at.span(at.column, at.column + word.chars().count())))
}

/// `text` as a YAML double-quoted string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::content::frontmatter;
    use crate::diagnostics::Diagnostic;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Chair {
        name: String,
        #[serde(default)]
        role: Option<String>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        #[serde(default)]
        city: Option<String>,
        #[serde(default)]
        draft: bool,
        #[serde(default)]
        chairs: Vec<Chair>,
    }

    fn error(yaml: &str) -> Diagnostic {
        let text = format!("---\n{yaml}---\n");
        let split = frontmatter::split(Path::new("n.md"), &text).unwrap();
        frontmatter::parse::<T>(Path::new("n.md"), &split).unwrap_err()
    }

    fn at(d: &Diagnostic) -> (usize, usize, usize) {
        let s = d.span.unwrap();
        (s.line, s.column, s.end_column)
    }

    #[test]
    fn a_comma_in_a_flow_mapping_asks_for_quotes_on_the_value() {
        let e = error("chairs:\n  - { name: A, role: Principal Secretary, State Department }\n");
        let help = e.help.clone().unwrap();
        assert!(
            help.contains("`role: \"Principal Secretary, State Department\"`"),
            "{help}"
        );
        assert_eq!(at(&e), (3, 22, 59));
        // A misspelt key keeps its "did you mean".
        let e = error("chairs:\n  - { name: A, rol: B }\n");
        assert!(e.help.unwrap().contains("did you mean `role`"));
    }

    #[test]
    fn a_tab_and_a_colon_in_a_value_are_named() {
        let e = error("city: x\n\tdraft: true\n");
        assert!(e.help.clone().unwrap().contains("spaces only"), "{e:?}");
        assert_eq!(at(&e), (3, 1, 2));
        let e = error("city: Addis Ababa: Bole\n");
        assert!(
            e.help
                .clone()
                .unwrap()
                .contains("`city: \"Addis Ababa: Bole\"`"),
            "{e:?}"
        );
        assert_eq!(at(&e), (2, 7, 24));
        let e = error("chairs:\n  - { name: A, role: Minister: Trade }\n");
        assert!(
            e.help
                .clone()
                .unwrap()
                .contains("`role: \"Minister: Trade\"`"),
            "{e:?}"
        );
    }

    #[test]
    fn yes_and_no_are_not_booleans() {
        let e = error("draft: yes\n");
        assert!(
            e.help.clone().unwrap().contains("write `true` for `yes`"),
            "{e:?}"
        );
        assert_eq!(at(&e), (2, 8, 11));
    }
}
