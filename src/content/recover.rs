//! Reading past the first error of a front matter. serde stops at the first problem, so a
//! note with two mistakes would show only one per run; here the part in error is blanked
//! out (its characters turned into spaces, so that every later position stays where it
//! was) and the front matter deserialized again, until it reads or nothing more can be
//! left out. What remains is the note without its faulty parts, which the checks across
//! notes may count on (its ordinal, its commitments, its path) while the errors keep the
//! build from publishing it.

use std::path::Path;

use super::frontmatter::{self, ErrorKind, Split};
use crate::diagnostics::Diagnostic;

/// Most errors reported for one front matter; each costs a parse of it.
const MAX_ERRORS: usize = 16;

/// Most parses of one front matter, counting those after a value was left out.
const MAX_ATTEMPTS: usize = 48;

/// Every error of a front matter, and the value read once the faulty parts were left out
/// (`None` when they could not be: a YAML syntax error, a required key missing).
pub struct Outcome<T> {
    pub value: Option<T>,
    pub errors: Vec<Diagnostic>,
}

/// Deserializes `split`'s front matter into `T`, reporting every error it holds.
pub fn parse_all<T: serde::de::DeserializeOwned>(file: &Path, split: &Split<'_>) -> Outcome<T> {
    if let Some(e) = frontmatter::refuse(file, split) {
        return Outcome {
            value: None,
            errors: vec![e],
        };
    }
    // Nearly every note is valid: it is read as it is, and only a faulty one is taken
    // apart character by character.
    if let Ok(value) = serde_yaml::from_str::<T>(split.front_matter) {
        return Outcome {
            value: Some(value),
            errors: Vec::new(),
        };
    }
    let mut text = Blanked::new(split.front_matter);
    let mut errors = Vec::new();
    // The paths of the values reported: an error that only follows from leaving one out
    // (an empty value, a required key gone) is not reported again.
    let mut reported: Vec<String> = Vec::new();
    for _ in 0..MAX_ATTEMPTS {
        let current = text.to_string();
        let e = match serde_yaml::from_str::<T>(&current) {
            Ok(value) => {
                return Outcome {
                    value: Some(value),
                    errors,
                };
            }
            Err(e) => e,
        };
        let info = frontmatter::classify(&e);
        let Some(at) = e.location().map(|l| (l.line(), l.column())) else {
            errors.push(frontmatter::yaml_error(file, split, &current, &e));
            break;
        };
        if info.follows_from(&reported) {
            // A required key left out with a value: leave out the entry that needs it.
            if text.blank_item(at).is_none() {
                break;
            }
            continue;
        }
        errors.push(frontmatter::yaml_error(file, split, &current, &e));
        reported.push(info.path.clone());
        let left_out = match info.kind {
            ErrorKind::UnknownKey => text.blank_entry(at),
            // A value in a list goes with its entry, other values with their key.
            ErrorKind::Value if info.path.ends_with(']') => text.blank_item(at),
            ErrorKind::Value => text.blank_entry(at),
            // An entry of a list without a required key is left out whole.
            ErrorKind::Missing => text.blank_item(at),
            ErrorKind::Syntax => None,
        };
        if left_out.is_none() || errors.len() >= MAX_ERRORS {
            break;
        }
    }
    Outcome {
        value: None,
        errors,
    }
}

/// A front matter as characters, with parts turned into spaces.
struct Blanked {
    chars: Vec<char>,
    /// The index in `chars` of the first character of each line.
    line_starts: Vec<usize>,
}

impl std::fmt::Display for Blanked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.chars
            .iter()
            .try_for_each(|c| std::fmt::Write::write_char(f, *c))
    }
}

impl Blanked {
    fn new(text: &str) -> Blanked {
        let chars: Vec<char> = text.chars().collect();
        let mut line_starts = vec![0];
        line_starts.extend(
            (chars.iter().enumerate())
                .filter(|(_, c)| **c == '\n')
                .map(|(i, _)| i + 1),
        );
        Blanked { chars, line_starts }
    }

    /// The index of a 1-based line and column, if it is in the text.
    fn index(&self, (line, column): (usize, usize)) -> Option<usize> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let i = start + column.checked_sub(1)?;
        (i <= self.chars.len()).then_some(i)
    }

    fn line_of(&self, i: usize) -> usize {
        self.line_starts
            .partition_point(|s| *s <= i)
            .saturating_sub(1)
    }

    fn line_range(&self, line: usize) -> (usize, usize) {
        let start = self.line_starts[line];
        let end = (self.chars[start..].iter().position(|c| *c == '\n'))
            .map_or(self.chars.len(), |n| start + n);
        (start, end)
    }

    /// Indentation of a line, `None` for a blank or comment line.
    fn indent(&self, line: usize) -> Option<usize> {
        let (start, end) = self.line_range(line);
        let n = self.chars[start..end]
            .iter()
            .take_while(|c| **c == ' ')
            .count();
        match self.chars.get(start + n) {
            Some('#') | Some('\n') | None => None,
            _ if start + n >= end => None,
            _ => Some(n),
        }
    }

    fn blank(&mut self, from: usize, to: usize) {
        let to = to.min(self.chars.len());
        for c in &mut self.chars[from.min(to)..to] {
            if *c != '\n' {
                *c = ' ';
            }
        }
    }

    /// Blanks from `from` to the end of its line and the lines after it indented more
    /// than `indent`.
    fn blank_block(&mut self, from: usize, indent: usize) -> Option<()> {
        let line = self.line_of(from);
        let (_, end) = self.line_range(line);
        self.blank(from, end);
        for next in line + 1..self.line_starts.len() {
            match self.indent(next) {
                Some(n) if n <= indent => break,
                _ => {
                    let (s, e) = self.line_range(next);
                    self.blank(s, e);
                }
            }
        }
        Some(())
    }

    /// Leaves out a key and its value (`at` is the key, or its value).
    fn blank_entry(&mut self, at: (usize, usize)) -> Option<()> {
        let i = self.index(at)?;
        if let Some(open) = self.open_flow(i) {
            self.blank_flow_entry(open, i);
            return Some(());
        }
        let line = self.line_of(i);
        let start = self.line_starts[line];
        let lead = self.lead(line);
        if start + lead < i {
            // A value after its key: the key starts the line.
            return self.blank_block(start + lead, lead);
        }
        if self.is_key_at(i) {
            return self.blank_block(i, i - start);
        }
        // A value on lines of its own belongs to the key above it.
        let owner = self.owner(line, i - start)?;
        let lead = self.lead(owner);
        self.blank_block(self.line_starts[owner] + lead, lead)
    }

    /// Leaves out the entry of the flow collection opened at `open` that holds `i`.
    fn blank_flow_entry(&mut self, open: usize, i: usize) {
        let start = self.flow_entry_start(open, i);
        let end = self.flow_end(i);
        // Take one comma with the entry, so that the rest stays a valid collection.
        let before = self.chars[open + 1..start]
            .iter()
            .rposition(|c| !c.is_whitespace());
        match before.map(|b| open + 1 + b) {
            Some(comma) if self.chars[comma] == ',' => self.blank(comma, end),
            _ if self.chars.get(end) == Some(&',') => self.blank(start, end + 1),
            _ => self.blank(start, end),
        }
    }

    /// The nearest line above `line` indented less than `column`: the key of a value there.
    fn owner(&self, line: usize, column: usize) -> Option<usize> {
        (0..line)
            .rev()
            .find(|l| self.indent(*l).is_some_and(|n| n < column))
    }

    /// Whether a key (`key:`) starts at `i`.
    fn is_key_at(&self, i: usize) -> bool {
        let (_, end) = self.line_range(self.line_of(i));
        let rest = &self.chars[i..end];
        (rest.iter().enumerate())
            .any(|(n, c)| *c == ':' && matches!(rest.get(n + 1), None | Some(' ')))
    }

    /// Leaves out the list entry (`- …`, or one of `[…]`) that holds `at`.
    fn blank_item(&mut self, at: (usize, usize)) -> Option<()> {
        let i = self.index(at)?;
        self.blank_item_at(i)
    }

    fn blank_item_at(&mut self, i: usize) -> Option<()> {
        if let Some(open) = self.open_flow(i) {
            if self.chars[open] == '[' {
                self.blank_flow_entry(open, i);
                return Some(());
            }
            // Within `{ … }`: the entry is the mapping, or holds it.
            return self.blank_item_at(open);
        }
        let line = self.line_of(i);
        let column = i - self.line_starts[line];
        for l in (0..=line).rev() {
            let Some(indent) = self.indent(l) else {
                continue;
            };
            let start = self.line_starts[l];
            let inside = if l == line {
                indent <= column
            } else {
                indent < column
            };
            if self.chars[start + indent] == '-' && inside {
                return self.blank_block(start + indent, indent);
            }
            if indent < column {
                return None;
            }
        }
        None
    }

    /// Width of a line's indentation and list dashes: where its first key or value starts.
    fn lead(&self, line: usize) -> usize {
        let (start, end) = self.line_range(line);
        let mut n = 0;
        while start + n < end && matches!(self.chars[start + n], ' ' | '-') {
            if self.chars[start + n] == '-'
                && !matches!(self.chars.get(start + n + 1), Some(' ') | Some('\n') | None)
            {
                break;
            }
            n += 1;
        }
        n
    }

    /// The index of the innermost `{` or `[` still open at `i`, outside quotes and comments.
    fn open_flow(&self, i: usize) -> Option<usize> {
        let mut open: Vec<usize> = Vec::new();
        let mut scan = Scanner::default();
        for (at, c) in self.chars[..i].iter().enumerate() {
            match scan.step(*c) {
                Some('{') | Some('[') => open.push(at),
                Some('}') | Some(']') => {
                    open.pop();
                }
                _ => {}
            }
        }
        open.pop()
    }

    /// Where the flow entry holding `i` starts: after the `,` or bracket before it.
    fn flow_entry_start(&self, open: usize, i: usize) -> usize {
        let mut start = open + 1;
        let mut depth = 0usize;
        let mut scan = Scanner::default();
        for (at, c) in self.chars.iter().enumerate().take(i).skip(open + 1) {
            match scan.step(*c) {
                Some('{') | Some('[') => depth += 1,
                Some('}') | Some(']') => depth = depth.saturating_sub(1),
                Some(',') if depth == 0 => start = at + 1,
                _ => {}
            }
        }
        start
            + self.chars[start..i]
                .iter()
                .take_while(|c| c.is_whitespace())
                .count()
    }

    /// The index of the `,`, `}` or `]` that ends the flow value starting at `i`.
    fn flow_end(&self, i: usize) -> usize {
        let mut depth = 0usize;
        let mut scan = Scanner::default();
        for (at, c) in self.chars.iter().enumerate().skip(i) {
            match scan.step(*c) {
                Some('{') | Some('[') => depth += 1,
                Some('}') | Some(']') if depth == 0 => return at,
                Some('}') | Some(']') => depth -= 1,
                Some(',') if depth == 0 => return at,
                _ => {}
            }
        }
        self.chars.len()
    }
}

/// Tells the characters of YAML that structure it from those in quotes and comments.
#[derive(Default)]
struct Scanner {
    quote: Option<char>,
    escaped: bool,
    comment: bool,
    /// The last character outside quotes that was not a space.
    prev: Option<char>,
    space_before: bool,
}

impl Scanner {
    /// The character if it structures the text (a bracket or a comma), else `None`.
    fn step(&mut self, c: char) -> Option<char> {
        if c == '\n' {
            self.comment = false;
            self.space_before = true;
            if self.quote == Some('\'') {
                return None;
            }
        }
        if self.comment {
            return None;
        }
        match self.quote {
            Some('"') if self.escaped => self.escaped = false,
            Some('"') if c == '\\' => self.escaped = true,
            Some(q) if c == q => self.quote = None,
            Some(_) => {}
            None => {
                let starts_token = matches!(self.prev, None | Some('{' | '[' | ',' | ':' | '-'));
                let out = match c {
                    '#' if self.space_before => {
                        self.comment = true;
                        None
                    }
                    '"' | '\'' if starts_token => {
                        self.quote = Some(c);
                        None
                    }
                    '{' | '[' | '}' | ']' | ',' => Some(c),
                    _ => None,
                };
                self.space_before = c.is_whitespace();
                if !c.is_whitespace() {
                    self.prev = Some(c);
                }
                return out;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics as d;

    #[derive(serde::Deserialize, Debug, Default)]
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
        session: u32,
        #[serde(default)]
        city: Option<String>,
        #[serde(default)]
        draft: bool,
        #[serde(default)]
        chairs: Vec<Chair>,
        #[serde(default)]
        sectors: Option<Vec<String>>,
    }

    fn all(yaml: &str) -> Outcome<T> {
        let text = format!("---\n{yaml}---\n");
        let split = frontmatter::split(Path::new("n.md"), &text).unwrap();
        parse_all(Path::new("n.md"), &split)
    }

    fn codes(o: &Outcome<T>) -> Vec<(d::Code, usize)> {
        (o.errors.iter())
            .map(|e| (e.code, e.span.map_or(0, |s| s.line)))
            .collect()
    }

    #[test]
    fn every_error_of_a_note_is_reported_and_the_rest_read() {
        let o = all("session: 3\ncty: Nairobi\ndraft: maybe\nsectors: [a, b]\n");
        assert_eq!(codes(&o), [(d::UNKNOWN_KEY, 3), (d::INVALID_TYPE, 4)]);
        let t = o.value.unwrap();
        assert_eq!((t.session, t.sectors.unwrap().len()), (3, 2));
    }

    #[test]
    fn keys_in_flow_mappings_and_lists_are_left_out_alone() {
        let o = all(
            "session: 1\nchairs:\n  - { name: A, role: B, C D, rol: E }\n  - nam: F\n  - name: G\n    rle: H\n",
        );
        assert_eq!(
            codes(&o),
            [
                (d::UNKNOWN_KEY, 4),
                (d::UNKNOWN_KEY, 4),
                (d::UNKNOWN_KEY, 5),
                (d::UNKNOWN_KEY, 7)
            ]
        );
        let t = o.value.unwrap();
        let names: Vec<&str> = t.chairs.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["A", "G"]);
        assert_eq!(t.chairs[0].role.as_deref(), Some("B"));
    }

    #[test]
    fn what_follows_from_a_value_left_out_is_not_reported() {
        let o = all("session: eleven\ncity: x\n");
        assert_eq!(codes(&o), [(d::INVALID_TYPE, 2)]);
        assert!(o.value.is_none());
        let o = all("session: 1\nsectors:\n  - a\n  - [b]\n  - c\nchairs:\n  - { role: x }\n");
        assert_eq!(codes(&o), [(d::INVALID_TYPE, 5), (d::MISSING_FIELD, 8)]);
        assert_eq!(o.value.unwrap().sectors.unwrap(), ["a", "c"]);
        let o = all("session: 1\nsectors:\n  - a\ncity:\n  - x\n  - y\ndraft: true\n");
        assert_eq!(codes(&o), [(d::INVALID_TYPE, 6)]);
        assert!(o.value.unwrap().draft);
    }

    #[test]
    fn a_syntax_error_stops_the_reading() {
        let o = all("session: 1\ncity: \"x\ncty: y\n");
        assert_eq!(o.errors.len(), 1);
        assert_eq!(o.errors[0].code, d::YAML_SYNTAX);
        assert!(o.value.is_none());
    }
}
