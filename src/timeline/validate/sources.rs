//! Checks of what a note says about where its facts come from: source and agreement
//! addresses, archived copies, and the readings of points on which the sources differ.

use crate::content::SessionNote;
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};

/// Whether `url` is an absolute http(s) URL with a host.
fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

pub(in crate::timeline) fn sources(note: &SessionNote, diags: &mut Diagnostics) {
    for source in &note.front.sources {
        if let Some(date) = source.date.as_deref().filter(|d| !is_date(d)) {
            diags.push(
                Diagnostic::error(
                    d::INVALID_DATE,
                    format!("source `{}` has a date that is not YYYY-MM-DD: `{date}`", source.title),
                )
                .in_file(&note.file)
                .at(note.locate("sources", date))
                .help("write the date the source was published as YYYY-MM-DD, e.g. `date: 2025-08-07`, or leave it out if it is not known"),
            );
        }
        if let Some(archived) = source.archived.as_deref().filter(|u| !is_web_url(u)) {
            let what = format!(
                "source `{}` has an archived copy that is not an http(s) URL:",
                source.title
            );
            diags.push(invalid_url(note, "sources", archived, &what));
        }
        if !is_web_url(&source.url) {
            let what = format!("source `{}` has no valid http(s) URL:", source.title);
            diags.push(invalid_url(note, "sources", &source.url, &what));
        }
    }
    for agreement in note.front.agreements() {
        if let Some(url) = agreement.url.as_deref().filter(|u| !is_web_url(u)) {
            let what = format!("agreement `{}` has an invalid URL:", agreement.title);
            diags.push(invalid_url(note, "agreements", url, &what));
        }
    }
}

/// Whether `raw` is a real calendar date written YYYY-MM-DD (pages spell it out in each
/// language, so it must be one).
fn is_date(raw: &str) -> bool {
    raw.len() == 10 && chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").is_ok()
}

/// Each disagreement has two readings or more, each from one of the note's sources.
pub(in crate::timeline) fn disagreements(note: &SessionNote, diags: &mut Diagnostics) {
    let f = &note.front;
    for x in &f.disagreements {
        if x.readings.len() < 2 {
            diags.push(
                Diagnostic::error(d::DISAGREEMENT, format!("`{}` has one reading", x.point))
                    .in_file(&note.file)
                    .at(note.locate("disagreements", &x.point))
                    .help("give each source's reading, two or more; a point the sources agree on needs no entry"),
            );
        }
        for r in x
            .readings
            .iter()
            .filter(|r| !f.sources.iter().any(|s| s.url == r.source))
        {
            diags.push(
                Diagnostic::error(
                    d::DISAGREEMENT,
                    format!(
                        "the reading of `{}` names `{}`, which is not a source of this note",
                        x.point, r.source
                    ),
                )
                .in_file(&note.file)
                .at(note.locate("disagreements", &r.source))
                .help("give the `url` of one of the note's `sources`"),
            );
        }
    }
}

/// `what` (the field, ending where the URL goes) at `url` under `key` of the note.
fn invalid_url(note: &SessionNote, key: &str, url: &str, what: &str) -> Diagnostic {
    Diagnostic::error(d::INVALID_URL, format!("{what} `{url}`"))
        .in_file(&note.file)
        .at(note.locate(key, url))
        .help("give the full address, starting with https://")
}

/// A note that states facts must say where they come from; one that states none is a
/// record still pending and needs no source.
pub(in crate::timeline) fn facts_have_sources(note: &SessionNote, diags: &mut Diagnostics) {
    let f = &note.front;
    let states_facts = f.date.is_some()
        || f.venue.is_some()
        || f.city.is_some()
        || !f.co_chairs.is_empty()
        || f.delegates.is_some()
        || !f.agreements().is_empty()
        || !f.commitments.is_empty();
    if states_facts && f.sources.is_empty() {
        diags.push(
            Diagnostic::warning(
                d::NO_SOURCES,
                format!("session {} states facts but lists no sources", f.session),
            )
            .in_file(&note.file)
            .at(note.locate("session", "session"))
            .help("add `sources:` with the title, publisher and URL each fact comes from"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls() {
        assert!(is_web_url("https://example.org/a"));
        assert!(is_web_url("http://x.y"));
        assert!(!is_web_url("ftp://x.y"));
        assert!(!is_web_url("https://"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("https://a b"));
    }
}
