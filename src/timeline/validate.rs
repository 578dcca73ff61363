//! Checks on single notes and on the whole timeline that are not commitments: dates,
//! partners, sources, aliases, sectors, links, ordinals and URL collisions.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::{Commitment, Sector, SectorRef, Session, sector_name};
use crate::content::markdown::InternalLink;
use crate::content::schema::RawPartner;
use crate::content::{IndexNote, SessionNote, content_rel};
use crate::diagnostics::{self as d, Diagnostic, Diagnostics, Span};

pub(super) fn date(note: &SessionNote, diags: &mut Diagnostics) -> Option<NaiveDate> {
    let raw = note.front.date.as_deref()?;
    match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(e) => {
            diags.push(
                Diagnostic::error(d::INVALID_DATE, format!("`{raw}` is not a real date ({e})"))
                    .in_file(&note.file)
                    .at(note.locate("date:", raw))
                    .help("write the date as YYYY-MM-DD, e.g. `date: 2025-08-06`, or leave `date` out if it is not known"),
            );
            None
        }
    }
}

pub(super) fn partners(note: &SessionNote, partners: &[RawPartner], diags: &mut Diagnostics) {
    for chair in &note.front.co_chairs {
        let Some(partner) = &chair.partner else {
            continue;
        };
        if partners.iter().any(|p| &p.name == partner) {
            continue;
        }
        let names: Vec<&str> = partners.iter().map(|p| p.name.as_str()).collect();
        let help = match d::did_you_mean(partner, names.iter().copied()) {
            Some(s) => format!(
                "did you mean `{s}`? Partners are declared in content/_index.md: {}",
                names.join(", ")
            ),
            None => format!(
                "partners are declared in content/_index.md: {}",
                names.join(", ")
            ),
        };
        diags.push(
            Diagnostic::error(d::UNKNOWN_PARTNER, format!("co-chair {} names partner `{partner}`, which is not a partner of this timeline", chair.name))
                .in_file(&note.file)
                .at(note.locate("co_chairs", partner))
                .help(help),
        );
    }
}

/// Whether `url` is an absolute http(s) URL with a host.
pub fn is_web_url(url: &str) -> bool {
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

pub(super) fn sources(note: &SessionNote, diags: &mut Diagnostics) {
    for source in &note.front.sources {
        if !is_web_url(&source.url) {
            diags.push(
                Diagnostic::error(
                    d::INVALID_URL,
                    format!(
                        "source `{}` has no valid http(s) URL: `{}`",
                        source.title, source.url
                    ),
                )
                .in_file(&note.file)
                .at(note.locate("sources", &source.url))
                .help("give the full address, starting with https://"),
            );
        }
    }
    for agreement in &note.front.agreements {
        if let Some(url) = agreement.url.as_deref().filter(|u| !is_web_url(u)) {
            diags.push(
                Diagnostic::error(
                    d::INVALID_URL,
                    format!(
                        "agreement `{}` has an invalid URL: `{url}`",
                        agreement.title
                    ),
                )
                .in_file(&note.file)
                .at(note.locate("agreements", url))
                .help("give the full address, starting with https://"),
            );
        }
    }
}

/// A note that states facts must say where they come from; one that states none is a
/// record still pending and needs no source.
pub(super) fn facts_have_sources(note: &SessionNote, diags: &mut Diagnostics) {
    let f = &note.front;
    let states_facts = f.date.is_some()
        || f.venue.is_some()
        || f.city.is_some()
        || !f.co_chairs.is_empty()
        || f.delegates.is_some()
        || !f.agreements.is_empty()
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

/// `/old/path` -> `old/path/`: aliases are stored as output paths below the root.
pub fn normalize_alias(alias: &str) -> String {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') || trimmed.ends_with(".html") {
        trimmed.to_string()
    } else {
        format!("{trimmed}/")
    }
}

/// Whether an author-given path stays inside the output folder.
pub fn is_safe_path(path: &str) -> bool {
    !path.contains('\\')
        && !path.contains(':')
        && !path.chars().any(char::is_control)
        && path.split('/').all(|seg| seg != ".." && seg != ".")
}

pub(super) fn aliases(note: &SessionNote, diags: &mut Diagnostics) {
    for alias in &note.front.aliases {
        let normalized = normalize_alias(alias);
        if !alias.starts_with('/')
            || !is_safe_path(alias)
            || normalized.is_empty()
            || alias.starts_with("//")
        {
            diags.push(
                Diagnostic::error(d::UNSAFE_PATH, format!("alias `{alias}` does not stay inside the site"))
                    .in_file(&note.file)
                    .at(note.locate("aliases", alias))
                    .help("write aliases as site paths starting with `/`, without `..`, `\\` or a scheme, e.g. `/old/session-11/`"),
            );
        }
    }
}

pub(super) fn sectors(
    note: &SessionNote,
    raw: &[String],
    key: &str,
    diags: &mut Diagnostics,
) -> Vec<SectorRef> {
    if note.front.sectors.as_ref().is_some_and(Vec::is_empty) && key == "sectors" {
        diags.push(
            Diagnostic::warning(d::EMPTY_SECTORS, "the sector list is empty")
                .in_file(&note.file)
                .at(note.locate("sectors", "sectors"))
                .help("name the sectors discussed, e.g. `sectors: [aluminium, railway-transport]`, or remove the key"),
        );
    }
    let mut out: Vec<SectorRef> = Vec::new();
    for name in raw {
        let slug = slug::slugify(name);
        if slug.is_empty() || !is_safe_path(name) {
            diags.push(
                Diagnostic::error(
                    d::UNSAFE_PATH,
                    format!("sector `{name}` cannot be made into a page address"),
                )
                .in_file(&note.file)
                .at(note.locate(key, name))
                .help("name sectors with letters, digits and hyphens, e.g. `railway-transport`"),
            );
            continue;
        }
        if !out.iter().any(|s| s.slug == slug) {
            out.push(SectorRef {
                name: sector_name(&slug),
                slug,
            });
        }
    }
    out
}

/// Two notes with one ordinal: both are named; the second is dropped from the model.
pub(super) fn duplicate_ordinals(notes: &mut Vec<&SessionNote>, diags: &mut Diagnostics) {
    let mut keep: Vec<&SessionNote> = Vec::with_capacity(notes.len());
    for note in notes.drain(..) {
        if let Some(first) = keep
            .last()
            .filter(|k| k.front.session == note.front.session)
        {
            diags.push(
                Diagnostic::error(d::DUPLICATE_SESSION, format!("two notes are session {}", note.front.session))
                    .in_file(&note.file)
                    .at(note.locate("session", &note.front.session.to_string()))
                    .related(&first.file, first.locate("session", &first.front.session.to_string()), "also session ".to_string() + &first.front.session.to_string())
                    .help(format!("each session has one note; renumber one of them or delete it (the other is {})", first.file.display())),
            );
            continue;
        }
        keep.push(note);
    }
    *notes = keep;
}

fn check_link(
    from: &std::path::Path,
    link: &InternalLink,
    sessions: &HashMap<String, &Session>,
    diags: &mut Diagnostics,
) {
    let span = Some(Span::at(link.line, link.column, link.len));
    let Some(target) = sessions.get(&link.target) else {
        let known: Vec<&str> = sessions.keys().map(String::as_str).collect();
        let help = match d::did_you_mean(&link.target, known.iter().copied()) {
            Some(s) => format!("did you mean `@/{s}`?"),
            None => {
                "link to a note by its path below content/, e.g. `@/sessions/05.md`".to_string()
            }
        };
        diags.push(
            Diagnostic::error(
                d::BROKEN_LINK,
                format!("link to `@/{}`, but there is no such note", link.target),
            )
            .in_file(from)
            .at(span)
            .help(help),
        );
        return;
    };
    if let Some(fragment) = link.fragment.as_deref().filter(|f| !f.is_empty())
        && !target.headings.iter().any(|h| h.id == fragment)
    {
        {
            let ids: Vec<&str> = target.headings.iter().map(|h| h.id.as_str()).collect();
            let help = match d::did_you_mean(fragment, ids.iter().copied()) {
                Some(s) => format!("did you mean `#{s}`?"),
                None if ids.is_empty() => "that note has no headings".to_string(),
                None => format!("its headings are: {}", ids.join(", ")),
            };
            diags.push(
                Diagnostic::error(
                    d::BROKEN_LINK,
                    format!("`@/{}` has no heading `#{fragment}`", link.target),
                )
                .in_file(from)
                .at(span)
                .help(help),
            );
        }
    }
}

fn by_content_path(sessions: &[Session]) -> HashMap<String, &Session> {
    sessions.iter().map(|s| (content_rel(&s.file), s)).collect()
}

pub(super) fn links(sessions: &[Session], diags: &mut Diagnostics) {
    let map = by_content_path(sessions);
    for s in sessions {
        for link in &s.links {
            check_link(&s.file, link, &map, diags);
        }
    }
}

pub(super) fn intro_links(
    index: &IndexNote,
    links: &[InternalLink],
    sessions: &[Session],
    diags: &mut Diagnostics,
) {
    let map = by_content_path(sessions);
    for link in links {
        check_link(&index.file, link, &map, diags);
    }
}

/// Warnings over the sequence: gaps in ordinals, dates going backwards.
pub(super) fn sequence(sessions: &[Session], diags: &mut Diagnostics) {
    for pair in sessions.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.ordinal > a.ordinal + 1 {
            let missing = if b.ordinal == a.ordinal + 2 {
                format!("session {} is missing", a.ordinal + 1)
            } else {
                format!(
                    "sessions {} to {} are missing",
                    a.ordinal + 1,
                    b.ordinal - 1
                )
            };
            diags.push(
                Diagnostic::warning(d::ORDINAL_GAP, format!("{missing} between {} and {}", a.ordinal, b.ordinal))
                    .in_file(&b.file)
                    .help("add a note for each session, even when its record is pending (only `session:` and a sentence saying so)"),
            );
        }
    }
    let mut last: Option<&Session> = None;
    for s in sessions.iter().filter(|s| s.date.is_some()) {
        if let Some(prev) = last.filter(|p| p.date > s.date) {
            diags.push(
                Diagnostic::warning(
                    d::DATES_BACKWARDS,
                    format!(
                        "session {} is dated before session {} ({:?} < {:?})",
                        s.ordinal,
                        prev.ordinal,
                        s.date.unwrap_or_default().to_string(),
                        prev.date.unwrap_or_default().to_string()
                    ),
                )
                .in_file(&s.file)
                .related(&prev.file, None, "the earlier session")
                .help("check both dates and ordinals"),
            );
        }
        last = Some(s);
    }
}

/// Every output path must be written by exactly one page or alias.
pub(super) fn url_collisions(
    sessions: &[Session],
    sectors: &[Sector],
    commitments: &[Commitment],
    diags: &mut Diagnostics,
) {
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    for fixed in [
        "",
        "sessions/",
        "sectors/",
        "commitments/",
        "print/",
        "404.html",
    ] {
        owners.insert(fixed.to_string(), "a page of the site".to_string());
    }
    for s in sessions {
        owners.insert(s.path.clone(), format!("session {}", s.ordinal));
    }
    for s in sectors {
        owners.insert(s.path.clone(), format!("sector {}", s.slug));
    }
    for c in commitments {
        owners.insert(
            format!("commitments/{}/", c.id),
            format!("commitment {}", c.id),
        );
    }
    let mut seen_alias: HashSet<String> = HashSet::new();
    for s in sessions {
        for alias in &s.aliases {
            if let Some(owner) = owners.get(alias) {
                diags.push(
                    Diagnostic::error(
                        d::URL_COLLISION,
                        format!("alias `/{alias}` would overwrite {owner}"),
                    )
                    .in_file(&s.file)
                    .help("choose an alias that no page uses"),
                );
            } else if !seen_alias.insert(alias.clone()) {
                diags.push(
                    Diagnostic::error(d::URL_COLLISION, format!("alias `/{alias}` is given twice"))
                        .in_file(&s.file)
                        .help("an old address can redirect to one page only"),
                );
            }
        }
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

    #[test]
    fn alias_paths() {
        assert_eq!(normalize_alias("/old/11"), "old/11/");
        assert_eq!(normalize_alias("/old/11.html"), "old/11.html");
        assert!(!is_safe_path("/a/../../etc"));
        assert!(!is_safe_path("/a\\b"));
        assert!(is_safe_path("/a/b/"));
    }
}
