//! Addresses: every author-given path (alias, sector, id) must stay inside the site, and
//! every output file must be written by exactly one page, alias, asset or static file —
//! otherwise one would silently overwrite another.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Commitment, Sector, Session};
use crate::content::SessionNote;
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};

/// Files every site writes besides its pages, now or in the exports the design lists, so
/// that no alias may take their place.
const RESERVED_FILES: &[&str] = &[
    "404.html",
    "feed.xml",
    "sessions.ics",
    "timeline.json",
    "timeline.schema.json",
    "timeline.csv",
    "sitemap.xml",
    "robots.txt",
    "SHA256SUMS",
    ".pactline-output",
    ".pactline-digests",
    // Published with a history; reserved on every site, so that a site does not break
    // when it is committed.
    "changes/feed.xml",
];

/// Page paths of the fixed pages.
const FIXED_PAGES: &[&str] = &[
    "",
    "sessions/",
    "sectors/",
    "commitments/",
    "print/",
    "changes/",
];

/// `/old/path` -> `old/path/`: aliases are stored as output paths below the root.
pub fn normalize_alias(alias: &str) -> String {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') || trimmed.ends_with(".html") {
        trimmed.to_string()
    } else {
        format!("{trimmed}/")
    }
}

/// The file a page path is written to: `sessions/11/` -> `sessions/11/index.html`.
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Whether an author-given path stays inside the output folder.
/// Why `url` cannot be the site's `base_url`, if it cannot. Every address on every page
/// starts with it, so it must be an `http` or `https` address with a host, and hold neither
/// an empty path segment (`//`, which would make the addresses below it point at another
/// host), a query, a fragment, a space nor a control character.
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = (lower.strip_prefix("https://")).or_else(|| lower.strip_prefix("http://"))
    else {
        return Some("it must start with https:// or http://");
    };
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Some("it must not hold spaces, backslashes or control characters");
    }
    if url.contains(['?', '#']) {
        return Some("it must not have a query (`?`) or a fragment (`#`)");
    }
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.contains('@') {
        return Some("it must name a host, as in https://example.org/");
    }
    let path = path.strip_suffix('/').unwrap_or(path);
    if !path.is_empty() && path.split('/').any(|seg| matches!(seg, "" | "." | "..")) {
        return Some("its path must not have empty segments (`//`), `.` or `..`");
    }
    None
}

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
            || alias.contains("//")
        {
            diags.push(
                Diagnostic::error(d::UNSAFE_PATH, format!("alias `{alias}` does not stay inside the site"))
                    .in_file(&note.file)
                    .at(note.locate("aliases", alias))
                    .help("write aliases as site paths starting with `/`, without `..`, `\\`, `//` or a scheme, e.g. `/old/session-11/`"),
            );
        }
    }
}

/// Every output file must be written by exactly one page or alias. `assets` are the files
/// copied from content/ (paths below the output root).
pub(super) fn url_collisions(
    (sessions, sectors, commitments): (&[Arc<Session>], &[Sector], &[Commitment]),
    assets: &[String],
    languages: &[super::i18n::Language],
    diags: &mut Diagnostics,
) {
    // Pages' own addresses cannot collide (each kind has its own folder and unique keys):
    // only aliases can, and most sites have none.
    if sessions.iter().all(|s| s.aliases.is_empty()) {
        return;
    }
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    // Each further language publishes its pages (and the aliases) below its own folder.
    for l in languages.iter().filter(|l| !l.prefix.is_empty()) {
        let folder = l.prefix.trim_end_matches('/').to_string();
        owners.insert(
            folder,
            format!("the pages in `{}` (language {})", l.prefix, l.code),
        );
    }
    for fixed in FIXED_PAGES {
        owners.insert(file_of(fixed), "a page of the site".to_string());
    }
    for file in RESERVED_FILES {
        owners.insert(file.to_string(), format!("the site's `{file}`"));
    }
    for a in assets {
        owners.insert(a.clone(), format!("the file content/{a}"));
    }
    for s in sessions {
        owners.insert(file_of(&s.path), format!("session {}", s.ordinal));
    }
    for s in sectors {
        owners.insert(file_of(&s.path), format!("sector {}", s.slug));
    }
    for c in commitments {
        owners.insert(file_of(&c.path), format!("commitment {}", c.id));
    }
    alias_collisions(sessions, &mut owners, true, diags);
}

/// Aliases that would overwrite one of the theme's static files (known only once the theme
/// is loaded).
pub fn static_collisions<'a>(
    sessions: &[Arc<Session>],
    static_files: impl IntoIterator<Item = &'a String>,
) -> Diagnostics {
    let mut owners: BTreeMap<String, String> = static_files
        .into_iter()
        .map(|f| (f.clone(), format!("the theme's static file `{f}`")))
        .collect();
    let mut diags = Diagnostics::default();
    alias_collisions(sessions, &mut owners, false, &mut diags);
    diags
}

/// The owner of `file`, or of a file that stands where `file` needs a folder, or of a file
/// inside the folder `file` would be.
fn conflict<'a>(owners: &'a BTreeMap<String, String>, file: &str) -> Option<&'a String> {
    if let Some(owner) = owners.get(file) {
        return Some(owner);
    }
    let mut ancestors = file.match_indices('/').map(|(i, _)| &file[..i]);
    if let Some(owner) = ancestors.find_map(|dir| owners.get(dir)) {
        return Some(owner);
    }
    let inside = format!("{file}/");
    owners
        .range(inside.clone()..)
        .next()
        .filter(|(k, _)| k.starts_with(&inside))
        .map(|(_, v)| v)
}

/// Reports aliases that collide with an owner; with `track`, each alias becomes an owner
/// too, so that two equal aliases are found.
fn alias_collisions(
    sessions: &[Arc<Session>],
    owners: &mut BTreeMap<String, String>,
    track: bool,
    diags: &mut Diagnostics,
) {
    for s in sessions {
        for (alias, span) in s.aliases.iter().zip(&s.alias_spans) {
            let file = file_of(alias);
            let err = |msg: String, help: &str| {
                Diagnostic::error(d::URL_COLLISION, msg)
                    .in_file(&s.file)
                    .at(*span)
                    .help(help)
            };
            match conflict(owners, &file) {
                Some(owner) if owner.starts_with("alias") => diags.push(err(
                    format!("alias `/{alias}` is given twice"),
                    "an old address can redirect to one page only",
                )),
                Some(owner) => diags.push(err(
                    format!("alias `/{alias}` would overwrite {owner}"),
                    "choose an alias that no page uses",
                )),
                None if track => {
                    owners.insert(file, format!("alias of session {}", s.ordinal));
                }
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn base_urls_that_would_lead_elsewhere_are_refused() {
        for ok in [
            "https://example.org/",
            "http://127.0.0.1:1111/",
            "https://example.org/wg/timeline/",
            "HTTPS://Example.org",
        ] {
            assert_eq!(base_url_problem(ok), None, "{ok}");
        }
        for bad in [
            "https://example.org//timeline/",
            "javascript:alert(1)//",
            "/timeline/",
            "https:///path/",
            "https://example.org/?q=1",
            "https://example.org/#top",
            "https://exa mple.org/",
            "https://example.org/a\u{0}b/",
            "https://user@example.org/",
            "https://example.org/a/../b/",
            "https://example.org/\"><img src=x onerror=alert(7)>/",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad:?}");
        }
    }

    use super::*;

    #[test]
    fn alias_paths() {
        assert_eq!(normalize_alias("/old/11"), "old/11/");
        assert_eq!(normalize_alias("/old/11.html"), "old/11.html");
        assert_eq!(file_of("old/11/"), "old/11/index.html");
        assert_eq!(file_of("old/11.html"), "old/11.html");
        assert!(!is_safe_path("/a/../../etc"));
        assert!(!is_safe_path("/a\\b"));
        assert!(is_safe_path("/a/b/"));
    }

    #[test]
    fn conflicts_include_folders_over_files() {
        let owners: BTreeMap<String, String> = [("style.css", "css"), ("a/b/c.txt", "asset")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(conflict(&owners, "style.css").unwrap(), "css");
        assert_eq!(conflict(&owners, "style.css/index.html").unwrap(), "css");
        assert_eq!(conflict(&owners, "a/b").unwrap(), "asset");
        assert!(conflict(&owners, "a/bc").is_none());
        assert!(conflict(&owners, "style/index.html").is_none());
    }
}
