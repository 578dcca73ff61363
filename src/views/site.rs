//! The values every page of one language shares, and what places a page among its
//! versions in the site's languages.

use serde::Serialize;

use crate::content::schema::Status;
use crate::timeline::Timeline;

/// Tera's global context for one language's pages.
#[derive(Serialize)]
pub struct Globals<'a> {
    pub site: SiteView<'a>,
    /// The parties, numbered from 1 for the theme's `partner-N` classes.
    pub partners: Vec<Partner<'a>>,
    /// Root-relative prefix of every internal link of this language: `/` or `/wg/`, and
    /// `/ru/` (`/wg/ru/`) for another language's pages.
    pub root: String,
    /// The root of the whole site, where shared files (style, data exports) live.
    pub site_root: String,
    /// The page's language.
    pub lang: &'a str,
    /// Every commitment status, in the order of its life (`proposed` ... `superseded`):
    /// what the status legend explains.
    pub statuses: Vec<&'static str>,
    /// The site has a history and publishes `/changes/`.
    pub has_changes: bool,
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub parent: Option<&'a str>,
    pub base_url: &'a str,
    /// The scheme, host and port of `base_url`: what a page that frames the site checks
    /// messages from it against.
    pub origin: &'a str,
    pub language: &'a str,
    pub license: Option<&'a str>,
    pub repository: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Partner<'a> {
    pub n: usize,
    pub name: &'a str,
    pub code: Option<&'a str>,
    /// Only a valid hex colour, the one value the theme prints into a `style` attribute.
    pub color: Option<&'a str>,
}

impl<'a> Globals<'a> {
    /// The globals of `timeline`, one of the languages of the site `site`.
    pub fn new(timeline: &'a Timeline, site: &Timeline) -> Globals<'a> {
        let meta = &timeline.meta;
        let partners = (meta.partners.iter().enumerate())
            .map(|(i, p)| Partner {
                n: i + 1,
                name: &p.name,
                code: p.code.as_deref(),
                color: p.color.as_deref().filter(|c| is_hex_colour(c)),
            })
            .collect();
        Globals {
            site: SiteView {
                title: &meta.title,
                description: meta.description.as_deref(),
                parent: meta.parent.as_deref(),
                base_url: &meta.base_url,
                origin: origin(&meta.base_url),
                language: &meta.language,
                license: meta.license.as_deref(),
                repository: meta.repository.as_deref(),
            },
            partners,
            root: base_path(&meta.base_url),
            site_root: base_path(&site.meta.base_url),
            lang: &meta.language,
            statuses: Status::ALL.iter().map(|s| s.as_str()).collect(),
            has_changes: timeline.changes.is_some(),
        }
    }
}

/// Where a page is: its path below the language's root, its title and absolute URL, and
/// the part of the site it belongs to (`timeline`, `sectors`, `commitments`, `changes` or
/// ``), which the navigation marks as current.
#[derive(Serialize)]
pub struct PageRef<'a> {
    pub path: String,
    pub title: &'a str,
    pub url: String,
    pub section: &'static str,
}

impl<'a> PageRef<'a> {
    pub fn new(base_url: &str, path: String, title: &'a str) -> PageRef<'a> {
        let section = if path.is_empty() {
            "timeline"
        } else if path.starts_with("sectors/") {
            "sectors"
        } else if path.starts_with("commitments/") {
            "commitments"
        } else if path.starts_with(super::CHANGES) {
            "changes"
        } else {
            ""
        };
        PageRef {
            url: format!("{base_url}{path}"),
            path,
            title,
            section,
        }
    }
}

/// The same page in one of the site's languages, for `hreflang` links and the switcher.
#[derive(Serialize)]
pub struct Alternate {
    pub code: String,
    pub name: String,
    /// Absolute.
    pub url: String,
    /// Root-relative.
    pub href: String,
    pub current: bool,
}

/// The path part of a base URL: `https://example.org/wg/` -> `/wg/`.
/// `https://example.org:8443/wg/` -> `https://example.org:8443`.
fn origin(base_url: &str) -> &str {
    let host = base_url.find("://").map_or(0, |i| i + 3);
    let end = base_url[host..]
        .find('/')
        .map_or(base_url.len(), |i| host + i);
    &base_url[..end]
}

pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// A CSS hex colour: `#rgb` or `#rrggbb`.
fn is_hex_colour(c: &str) -> bool {
    c.strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.chars().all(|ch| ch.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_is_scheme_host_and_port() {
        assert_eq!(
            origin("https://example.org:8443/wg/"),
            "https://example.org:8443"
        );
        assert_eq!(origin("https://example.org/"), "https://example.org");
        assert_eq!(origin("http://localhost:1111"), "http://localhost:1111");
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(
            base_path("https://example.org/wg/timeline"),
            "/wg/timeline/"
        );
        assert_eq!(base_path("http://127.0.0.1:1111/"), "/");
    }

    #[test]
    fn only_hex_colours_reach_the_style_attribute() {
        assert!(is_hex_colour("#fff"));
        assert!(is_hex_colour("#FF9933"));
        assert!(!is_hex_colour("red"));
        assert!(!is_hex_colour("#12345"));
        assert!(!is_hex_colour("#fff;background:url(x)"));
    }

    #[test]
    fn the_navigation_knows_each_page_section() {
        let section = |p: &str| PageRef::new("https://e.org/", p.to_string(), "").section;
        assert_eq!(section(""), "timeline");
        assert_eq!(section("sectors/steel/"), "sectors");
        assert_eq!(section("commitments/"), "commitments");
        assert_eq!(section("sessions/1/"), "");
    }
}
