//! `/sitemap.xml` (sitemaps.org protocol) listing every HTML page of the plan except
//! redirects and the 404 page, with `lastmod` taken from session dates (omitted when no date
//! is known; the changes pages take their newest commit's), and `/robots.txt` pointing to
//! it by absolute URL.

use std::fmt::Write;
use std::io;

use chrono::NaiveDate;

use super::Page;
use super::feeds::escape;
use crate::timeline::Timeline;
use crate::views::CHANGES;
use crate::views::paging::{numbered, page_of};

/// The path and content date of a page the sitemap lists, or `None` for pages it skips.
fn entry(t: &Timeline, page: &Page) -> Option<(String, Option<NaiveDate>)> {
    let latest = |ordinals: &mut dyn Iterator<Item = Option<NaiveDate>>| ordinals.flatten().max();
    let all = || latest(&mut t.sessions.iter().map(|s| s.date));
    Some(match page {
        Page::Home => (String::new(), all()),
        Page::Session(i) => {
            let s = &t.sessions[*i];
            (s.path.clone(), s.date)
        }
        Page::Year(i, n) => {
            let year = &t.years[*i];
            let dates = &mut year.sessions.iter().map(|&j| t.sessions[j].date);
            (numbered(&year.path, *n), latest(dates))
        }
        Page::Sectors => ("sectors/".into(), all()),
        Page::Dictionary => (super::dictionary::PATH.into(), all()),
        Page::Sector(i, n) => {
            let sector = &t.sectors[*i];
            let dates = &mut sector.sessions.iter().map(|&j| t.sessions[j].date);
            (numbered(&sector.path, *n), latest(dates))
        }
        Page::Commitments(n) => (numbered("commitments/", *n), all()),
        Page::Changes(n) => {
            let list = t.changes.as_ref().map_or(&[][..], |c| &c.list[..]);
            let shown = page_of(list, t.meta.paging.per_page, *n);
            let dates = &mut shown.iter().map(|c| Some(c.commit.date));
            (numbered(CHANGES, *n), latest(dates))
        }
        Page::Commitment(i) => {
            let c = &t.commitments[*i];
            (
                c.path.to_string(),
                latest(&mut c.history.iter().map(|m| m.date)),
            )
        }
        Page::Localized { lang, page } => {
            let (path, date) = entry(t.translations.get(*lang)?, page)?;
            let prefix = t.meta.languages.get(lang + 1)?.prefix.as_str();
            (format!("{prefix}{path}"), date)
        }
        _ => return None,
    })
}

/// The page's path in the default language: `ru/sessions/11/` -> `sessions/11/`.
fn unprefixed<'p>(t: &Timeline, page: &Page, path: &'p str) -> &'p str {
    match page {
        Page::Localized { lang, .. } => t
            .meta
            .languages
            .get(lang + 1)
            .and_then(|l| path.strip_prefix(l.prefix.as_str()))
            .unwrap_or(path),
        _ => path,
    }
}

/// The sitemap of the pages in `plan`, in plan order, written page by page.
pub fn sitemap(t: &Timeline, plan: &[Page], x: &mut dyn io::Write) -> io::Result<()> {
    x.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    let multilingual = t.meta.languages.len() > 1;
    if multilingual {
        x.write_all(b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n")?;
    } else {
        x.write_all(b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")?;
    }
    for (page, (path, date)) in plan.iter().filter_map(|p| Some((p, entry(t, p)?))) {
        let loc = escape(&format!("{}{path}", t.meta.base_url));
        let lastmod = date
            .map(|d| format!("<lastmod>{}</lastmod>", d.format("%Y-%m-%d")))
            .unwrap_or_default();
        let mut alternates = String::new();
        if multilingual {
            let inner = unprefixed(t, page, &path);
            for l in &t.meta.languages {
                let href = escape(&format!("{}{}{inner}", t.meta.base_url, l.prefix));
                let _ = write!(
                    alternates,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{href}\"/>",
                    escape(&l.code)
                );
            }
        }
        writeln!(x, "  <url><loc>{loc}</loc>{lastmod}{alternates}</url>")?;
    }
    x.write_all(b"</urlset>\n")
}

/// `/robots.txt`: everything may be crawled; the sitemap is named by absolute URL.
pub fn robots(t: &Timeline) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        t.meta.base_url
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_with_content_dates() {
        let t = crate::output::opendata::sample();
        let plan = [
            Page::Home,
            Page::Session(0),
            Page::Session(1),
            Page::NotFound,
            Page::Alias {
                from: "old/".into(),
                to: "sessions/1/".into(),
            },
        ];
        let mut xml = Vec::new();
        sitemap(&t, &plan, &mut xml).unwrap();
        let xml = String::from_utf8(xml).unwrap();
        assert_eq!(xml.matches("<url>").count(), 3);
        assert!(xml.contains("<loc>https://example.org/wg/</loc><lastmod>2024-02-29</lastmod>"));
        assert!(xml.contains("<url><loc>https://example.org/wg/sessions/2/</loc></url>"));
        assert!(robots(&t).ends_with("Sitemap: https://example.org/wg/sitemap.xml\n"));
    }
}
