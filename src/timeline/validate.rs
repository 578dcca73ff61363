//! Checks on single notes and on the whole timeline that are not commitments: dates,
//! partners, sources, sectors, links and the sequence of ordinals and dates. Addresses
//! (aliases, collisions) are checked in `addresses`.

use std::borrow::Cow;
use std::sync::Arc;

use ahash::AHashMap;

use chrono::NaiveDate;

use super::addresses::is_safe_path;
use super::{SectorRef, Session, sector_name};
use crate::content::markdown::InternalLink;
use crate::content::schema::{RawPartner, RawSession};
use crate::content::{IndexNote, SessionNote};
use crate::diagnostics::{self as d, Diagnostic, Diagnostics, Span};

mod sources;
pub(super) use sources::{disagreements, facts_have_sources, sources};

/// Most entries one list in a note may hold. Real sessions have a handful; the limit keeps
/// every later check (some compare each entry with the others, or search the note's text
/// for it) fast on hostile input.
pub const MAX_LIST_LEN: usize = 1000;

/// The length of every list of a note that [`MAX_LIST_LEN`] limits, by key.
fn list_sizes(f: &RawSession) -> Vec<(&'static str, usize)> {
    let mut sizes = vec![
        ("co_chairs", f.co_chairs.len()),
        ("agreements", f.agreements().len()),
        ("commitments", f.commitments.len()),
        ("sources", f.sources.len()),
        ("aliases", f.aliases.len()),
        ("sectors", f.sectors.as_ref().map_or(0, Vec::len)),
    ];
    sizes.extend(
        f.commitments
            .iter()
            .map(|m| ("commitments[].sectors", m.sectors.len())),
    );
    sizes
}

/// Whether any list of the note is longer than [`MAX_LIST_LEN`].
pub(super) fn has_long_lists(note: &SessionNote) -> bool {
    // Asked of every note on every rebuild: most have a handful of entries in each list.
    let f = &note.front;
    let longest = [
        f.co_chairs.len(),
        f.agreements().len(),
        f.commitments.len(),
        f.sources.len(),
        f.aliases.len(),
        f.sectors.as_ref().map_or(0, Vec::len),
    ];
    longest.iter().any(|len| *len > MAX_LIST_LEN)
        || f.commitments.iter().any(|m| m.sectors.len() > MAX_LIST_LEN)
}

/// `base_url` in `_index.md` (see [`super::addresses::base_url_problem`]).
pub(super) fn base_url(index: &IndexNote, diags: &mut Diagnostics) {
    let Some(url) = &index.front.base_url else {
        return;
    };
    if let Some(problem) = super::addresses::base_url_problem(url) {
        diags.push(
            Diagnostic::error(
                d::INVALID_URL,
                format!("`base_url` `{}` cannot be used: {problem}", url.escape_debug()),
            )
            .in_file(&index.file)
            // Written with escapes, the value is not found as it reads: then the key is.
            .at(index.locate("base_url", url).or_else(|| index.locate("base_url", "base_url")))
            .help("give the address the site will be published at, e.g. `https://example.org/timeline/`"),
        );
    }
}

/// `repository`, when given, is an http(s) address that a commit's path can follow.
pub(super) fn repository(index: &IndexNote, diags: &mut Diagnostics) {
    let Some(url) = &index.front.repository else {
        return;
    };
    if let Some(problem) = super::addresses::base_url_problem(url) {
        diags.push(
            Diagnostic::error(
                d::INVALID_URL,
                format!(
                    "`repository` `{}` cannot be used: {problem}",
                    url.escape_debug()
                ),
            )
            .in_file(&index.file)
            .at(index
                .locate("repository", url)
                .or_else(|| index.locate("repository", "repository")))
            .help(
                "give the address the repository is browsed at, e.g. `https://github.com/org/site`",
            ),
        );
    }
}

pub(super) fn too_many_partners(index: &IndexNote) -> bool {
    index.front.partners.len() > MAX_LIST_LEN
}

/// Reports and truncates lists longer than [`MAX_LIST_LEN`].
pub(super) fn list_lengths(note: &mut SessionNote, diags: &mut Diagnostics) {
    let lengths = list_sizes(&note.front);
    let f = &mut note.front;
    f.co_chairs.truncate(MAX_LIST_LEN);
    if let Some(a) = f.agreements.as_mut() {
        a.truncate(MAX_LIST_LEN);
    }
    f.commitments.truncate(MAX_LIST_LEN);
    f.sources.truncate(MAX_LIST_LEN);
    f.aliases.truncate(MAX_LIST_LEN);
    if let Some(s) = f.sectors.as_mut() {
        s.truncate(MAX_LIST_LEN);
    }
    for m in &mut f.commitments {
        m.sectors.truncate(MAX_LIST_LEN);
    }
    for (key, len) in lengths.into_iter().filter(|(_, len)| *len > MAX_LIST_LEN) {
        let bare = key.split('[').next().unwrap_or(key);
        diags.push(
            Diagnostic::error(
                d::INVALID_VALUE,
                format!("`{key}` has {len} entries; a note may list at most {MAX_LIST_LEN}"),
            )
            .in_file(&note.file)
            .at(note.locate(&format!("{bare}:"), bare))
            .help("split the material over several notes, or keep the long list in a linked file"),
        );
    }
}

/// Reports and truncates a partner list longer than [`MAX_LIST_LEN`].
pub(super) fn partner_count(index: &mut IndexNote, diags: &mut Diagnostics) {
    let len = index.front.partners.len();
    if len > MAX_LIST_LEN {
        index.front.partners.truncate(MAX_LIST_LEN);
        diags.push(
            Diagnostic::error(
                d::INVALID_VALUE,
                format!("`partners` has {len} entries; at most {MAX_LIST_LEN} are accepted"),
            )
            .in_file(&index.file)
            .at(index.locate("partners:", "partners"))
            .help("list the parties of the timeline, usually two"),
        );
    }
}

/// Ordinals start at 1: `session: 0` has no page a reader could make sense of.
pub(super) fn ordinal(note: &SessionNote, diags: &mut Diagnostics) {
    if note.front.session == 0 {
        diags.push(
            Diagnostic::error(d::INVALID_VALUE, "`session: 0` is not a session number")
                .in_file(&note.file)
                .at(note.locate("session:", "0"))
                .help("sessions are numbered from 1, e.g. `session: 1` for the first"),
        );
    }
}

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
        // Names are declared trimmed (see `resolve_meta`); spaces around a reference are
        // not part of it either.
        if partners.iter().any(|p| p.name == partner.trim()) {
            continue;
        }
        let names: Vec<&str> = partners.iter().map(|p| p.name.as_str()).collect();
        let help = match d::did_you_mean(partner.trim(), names.iter().copied()) {
            Some(s) => format!(
                "{} Partners are declared in content/_index.md: {}",
                d::suggest(partner.trim(), s),
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

/// The sectors `raw` names, checked; their names (from the slugs) are in `lang`, the
/// default language.
pub(super) fn sectors(
    note: &SessionNote,
    (raw, key): (&[String], &str),
    lang: &str,
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
        // Lists are short: a scan beats hashing.
        if !out.iter().any(|r| r.slug == slug) {
            out.push(SectorRef {
                name: sector_name(&slug),
                path: format!("sectors/{slug}/"),
                slug,
                lang: lang.to_string(),
            });
        }
    }
    out
}

/// Two notes with one ordinal: both are named; the second is dropped from the model.
pub(super) fn duplicate_ordinals(notes: &mut Vec<Cow<'_, SessionNote>>, diags: &mut Diagnostics) {
    // Notes are large and there are thousands: moved only when one must go.
    if !notes
        .windows(2)
        .any(|w| w[0].front.session == w[1].front.session)
    {
        return;
    }
    let mut keep: Vec<Cow<'_, SessionNote>> = Vec::with_capacity(notes.len());
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
    sessions: &AHashMap<&str, &Session>,
    diags: &mut Diagnostics,
) {
    let span = Some(Span::at(link.line, link.column, link.len));
    let Some(target) = sessions.get(link.target.as_str()) else {
        let mut known: Vec<&str> = sessions.keys().copied().collect();
        // In a fixed order, so that the suggestion is the same on every build.
        known.sort_unstable();
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
            .help(help)
            .about(&link.target),
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

fn by_content_path(sessions: &[Arc<Session>]) -> AHashMap<&str, &Session> {
    sessions.iter().map(|s| (s.rel.as_str(), &**s)).collect()
}

pub(super) fn links(sessions: &[Arc<Session>], diags: &mut Diagnostics) {
    if sessions.iter().all(|s| s.links.is_empty()) {
        return;
    }
    let map = by_content_path(sessions);
    for s in sessions {
        for link in &s.links {
            check_link(&s.file, link, &map, diags);
        }
    }
}

/// The links and images of a body in `file` that were left out because they could run code.
pub(super) fn unsafe_links(
    file: &std::path::Path,
    links: &[crate::content::markdown::UnsafeLink],
    diags: &mut Diagnostics,
) {
    for l in links {
        diags.push(
            Diagnostic::error(
                d::UNSAFE_LINK,
                format!(
                    "link to `{}` could run code in a reader's browser",
                    l.url.escape_debug()
                ),
            )
            .in_file(file)
            .at(Some(Span::at(l.line, l.column, l.len)))
            .help("link with http://, https:// or mailto:, by a relative address, or to another note with `@/`"),
        );
    }
}

pub(super) fn intro_links(
    index: &IndexNote,
    links: &[InternalLink],
    sessions: &[Arc<Session>],
    diags: &mut Diagnostics,
) {
    links_in(&index.file, links, sessions, diags);
}

/// Checks the `@/` links written in `file` (a note or a translation) against `sessions`.
pub(super) fn links_in(
    file: &std::path::Path,
    links: &[InternalLink],
    sessions: &[Arc<Session>],
    diags: &mut Diagnostics,
) {
    if links.is_empty() {
        return;
    }
    let map = by_content_path(sessions);
    for link in links {
        check_link(file, link, &map, diags);
    }
}

/// Warnings over the sequence: gaps in ordinals, dates going backwards. `notes` are the
/// sessions' notes, in the same order, for positions; `unloaded` the ordinals of notes left
/// out for their errors, which are not gaps.
pub(super) fn sequence(
    sessions: &[Arc<Session>],
    (notes, unloaded): (&[&SessionNote], &[Option<u32>]),
    diags: &mut Diagnostics,
) {
    let ordinal_at = |n: &SessionNote| n.locate("session:", &n.front.session.to_string());
    let date_at = |n: &SessionNote| {
        let raw = n.front.date.as_deref().unwrap_or_default();
        n.locate("date:", raw.trim())
    };
    for (pair, note_pair) in sessions.windows(2).zip(notes.windows(2)) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.ordinal > a.ordinal + 1 && !super::cascade::fills_gap(unloaded, a.ordinal, b.ordinal) {
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
                    .at(ordinal_at(note_pair[1]))
                    .help("add a note for each session, even when its record is pending (only `session:` and a sentence saying so)"),
            );
        }
    }
    let mut last: Option<(&Session, &SessionNote)> = None;
    for (s, note) in sessions
        .iter()
        .zip(notes.iter().copied())
        .filter(|(s, _)| s.date.is_some())
    {
        if let Some((prev, prev_note)) = last.filter(|(p, _)| p.date > s.date) {
            diags.push(
                Diagnostic::warning(
                    d::DATES_BACKWARDS,
                    format!(
                        "session {} is dated before session {} ({} < {})",
                        s.ordinal,
                        prev.ordinal,
                        s.date.unwrap_or_default(),
                        prev.date.unwrap_or_default()
                    ),
                )
                .in_file(&s.file)
                .at(date_at(note))
                .related(&prev.file, date_at(prev_note), "the earlier session's date")
                .help("check both dates and ordinals"),
            );
        }
        last = Some((s, note));
    }
}
