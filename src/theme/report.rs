//! Template errors as diagnostics: Tera's report (template, line, column and the chain of
//! components and blocks it was called from) pointed at the file the template came from.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostics::{self as d, Diagnostic, Span};

/// Turns a Tera error into diagnostics, one per error it reports (checking the templates
/// finds every unknown filter at once); `files` maps template names to the file each was
/// read from. Tera's report reads:
///
/// ```text
/// error: Unknown filter `x`
///  --> page.html:2:10
///   |
/// 2 |   {{ a | x }}
///   |          ^
///
/// note: called from base.html:4:1
/// ```
pub(super) fn diagnostics(files: &BTreeMap<String, PathBuf>, e: &tera::Error) -> Vec<Diagnostic> {
    let shown = |name: &str| files.get(name).cloned().unwrap_or_else(|| name.into());
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    let mut out: Vec<Diagnostic> = Vec::new();
    for line in text.lines() {
        if let Some(message) = line.strip_prefix("error: ") {
            out.push(Diagnostic::error(d::TEMPLATE, message).help(HELP));
            continue;
        }
        let Some(diag) = out.last_mut() else { continue };
        if let Some(place) = line.trim_start().strip_prefix("--> ")
            && diag.file.is_none()
            && let Some((name, span)) = place_of(place)
        {
            diag.file = Some(shown(name));
            diag.span = Some(span);
        } else if let Some(carets) = line.split(" | ").nth(1).filter(|c| c.contains('^'))
            && let Some(span) = diag.span.as_mut()
            && span.end_line == span.line
        {
            span.end_column = span.column + carets.trim().chars().filter(|c| *c == '^').count();
        } else if let Some((label, place)) =
            line.strip_prefix("note: ").and_then(|n| n.rsplit_once(' '))
            && let Some((name, span)) = place_of(place)
        {
            let related = (shown(name), Some(span), label.to_string());
            diag.related.push(related);
        }
    }
    if out.is_empty() {
        // Errors without a report (a missing parent, a cycle) name templates in quotes.
        let mut diag = Diagnostic::error(d::TEMPLATE, text.trim()).help(HELP);
        if let Some(name) = files.keys().find(|n| text.contains(&format!("'{n}'"))) {
            diag = diag.in_file(shown(name));
        }
        out.push(diag);
    }
    out
}

/// `page.html:2:10` as the template's name and a span there.
fn place_of(place: &str) -> Option<(&str, Span)> {
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?, Span::at(line, column, 1)))
}

const HELP: &str =
    "fix the template; the variables each template receives are listed in the README";

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> BTreeMap<String, PathBuf> {
        [
            ("page.html", "themes/x/templates/page.html"),
            ("parts.html", "<embedded theme>/templates/parts.html"),
        ]
        .into_iter()
        .map(|(n, f)| (n.to_string(), PathBuf::from(f)))
        .collect()
    }

    #[test]
    fn a_syntax_error_points_at_its_line_and_column() {
        let mut tera = tera::Tera::default();
        let e = tera
            .add_raw_template("page.html", "<p>\n  {{ foo( }}</p>")
            .unwrap_err();
        let diag = diagnostics(&files(), &e).remove(0);
        assert_eq!(diag.code, d::TEMPLATE);
        assert_eq!(diag.location(), "themes/x/templates/page.html:2:11");
        assert_eq!(diag.span.map(|s| s.end_column), Some(13));
    }

    #[test]
    fn every_unknown_filter_is_reported() {
        let mut tera = tera::Tera::default();
        let e = tera
            .add_raw_template("page.html", "{{ a | nope }}\n{{ b | nada }}")
            .unwrap_err();
        let found: Vec<String> = diagnostics(&files(), &e)
            .iter()
            .map(|d| d.location())
            .collect();
        assert_eq!(
            found,
            [
                "themes/x/templates/page.html:1:8",
                "themes/x/templates/page.html:2:8"
            ]
        );
    }

    #[test]
    fn a_render_error_says_where_it_was_called_from() {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(vec![
            (
                "parts.html",
                "{% component shout(word) %}{{ missing.field }}{% endcomponent shout %}",
            ),
            ("page.html", "<p>\n{{ <shout word=\"a\" /> }}</p>"),
        ])
        .unwrap();
        let e = tera.render("page.html", &tera::Context::new()).unwrap_err();
        let diag = diagnostics(&files(), &e).remove(0);
        assert_eq!(
            diag.location(),
            "<embedded theme>/templates/parts.html:1:31"
        );
        assert!(diag.message.contains("`missing`"), "{}", diag.message);
        let (file, span, label) = &diag.related[0];
        assert_eq!(file, &PathBuf::from("themes/x/templates/page.html"));
        assert_eq!(span.map(|s| (s.line, s.column)), Some((2, 4)));
        assert_eq!(label, "called from");
    }
}
