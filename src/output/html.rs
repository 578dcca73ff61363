//! HTML pages: builds each page's Tera context from the model and renders its template,
//! unless the page has a compiled version for the theme in use (`compiled`). Data shared
//! by all pages is serialized once; a page adds only what is its own.

use std::fmt::Write as _;

use serde_json::{Value, json};
use tera::{Context, Tera};

mod compiled;

use super::{Page, RenderOptions, jsonld};
use crate::diagnostics::Diagnostic;
use crate::theme::Theme;
use crate::timeline::{Session, Timeline, status_counts};

/// Where the search index is published, below the root.
pub const SEARCH_INDEX: &str = "search-index.json";

/// How many characters of a session's text the search index keeps.
const EXCERPT_CHARS: usize = 600;

/// What every page's context starts from, computed once per build.
pub struct Shared<'a> {
    pub timeline: &'a Timeline,
    pub theme: &'a Theme,
    tera: Tera,
    site: Value,
    /// Root-relative prefix of every internal link: `/` or `/wg/timeline/`, and `/ru/`
    /// (`/wg/timeline/ru/`) for another language's pages.
    root: String,
    /// The root of the whole site, where shared files (style, data exports) live.
    site_root: String,
    /// Where this language's pages sit below the site root: `` or `ru/`.
    prefix: String,
    /// The site's languages: code, name, prefix and base URL.
    languages: Vec<(String, String, String, String)>,
    opts: &'a RenderOptions,
    partners: Vec<Partner>,
    compiled: compiled::Compiled,
}

/// A partner as the templates see it: numbered from 1 for `partner-N` classes.
#[derive(serde::Serialize)]
struct Partner {
    n: usize,
    name: String,
    code: Option<String>,
    /// Only a valid hex colour reaches the `style` attribute.
    color: Option<String>,
}

/// The same page in one of the site's languages.
#[derive(serde::Serialize)]
struct Alternate {
    code: String,
    name: String,
    /// Absolute, for `hreflang` links.
    url: String,
    /// Root-relative, for the switcher.
    href: String,
    current: bool,
}

/// The path part of a base URL: `https://example.org/wg/` -> `/wg/`.
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

/// A session on the timeline and the print page: the session's fields, serialized once
/// straight into the template context, plus where it sits on the timeline.
#[derive(serde::Serialize)]
struct Entry<'s> {
    #[serde(flatten)]
    session: &'s Session,
    /// The year this entry opens, if it opens one.
    year_marker: Option<i32>,
    introduced_count: usize,
    reviewed_count: usize,
    /// On the print page: the marker its notes replace (see `splice_print_notes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    body_html: Option<String>,
}

/// A session in a list of titles (sector pages): what the list shows of it.
#[derive(serde::Serialize)]
struct Listed<'s> {
    ordinal: u32,
    ordinal_text: &'s str,
    title: &'s str,
    path: &'s str,
    date: Option<chrono::NaiveDate>,
    year: Option<i32>,
    city: Option<&'s str>,
    place_lang: Option<&'s str>,
    lang: &'s str,
    untranslated: bool,
    records_pending: bool,
}

impl<'s> Listed<'s> {
    fn of(s: &'s Session) -> Listed<'s> {
        Listed {
            ordinal: s.ordinal,
            ordinal_text: &s.ordinal_text,
            title: &s.title,
            path: &s.path,
            date: s.date,
            year: s.year,
            city: s.city.as_deref(),
            place_lang: s.place_lang.as_deref(),
            lang: &s.lang,
            untranslated: s.untranslated,
            records_pending: s.records_pending,
        }
    }
}

fn brief(s: &Session) -> Value {
    json!({ "ordinal": s.ordinal, "ordinal_text": s.ordinal_text, "title": s.title, "path": s.path, "date": s.date, "lang": s.lang })
}

impl<'a> Shared<'a> {
    pub fn new(timeline: &'a Timeline, theme: &'a Theme, opts: &'a RenderOptions) -> Shared<'a> {
        Shared::localized(timeline, timeline, theme, opts)
    }

    /// The context of the pages of `timeline`, one of the languages of `site` (or `site`
    /// itself).
    pub fn localized(
        timeline: &'a Timeline,
        site_timeline: &Timeline,
        theme: &'a Theme,
        opts: &'a RenderOptions,
    ) -> Shared<'a> {
        let meta = &timeline.meta;
        let site_base = &site_timeline.meta.base_url;
        let languages: Vec<(String, String, String, String)> = site_timeline
            .meta
            .languages
            .iter()
            .map(|l| {
                let name = l
                    .name
                    .clone()
                    .or_else(|| theme.string(&l.code, "language_name"))
                    .unwrap_or_else(|| l.code.clone());
                (
                    l.code.clone(),
                    name,
                    l.prefix.clone(),
                    format!("{site_base}{}", l.prefix),
                )
            })
            .collect();
        let prefix = languages
            .iter()
            .find(|l| l.0 == meta.language)
            .map(|l| l.2.clone())
            .unwrap_or_default();
        let site = json!({
            "title": meta.title,
            "description": meta.description,
            "partners": meta.partners,
            "parent": meta.parent,
            "base_url": meta.base_url,
            "language": meta.language,
            "license": meta.license,
            "session_count": timeline.sessions.len(),
        });
        let partners = meta
            .partners
            .iter()
            .enumerate()
            .map(|(i, p)| Partner {
                n: i + 1,
                name: p.name.clone(),
                code: p.code.clone(),
                color: p.color.clone().filter(|c| is_hex_colour(c)),
            })
            .collect();
        let compiled = if opts.templates_only {
            compiled::Compiled::default()
        } else {
            compiled::Compiled::for_theme(theme)
        };
        Shared {
            timeline,
            partners,
            theme,
            tera: theme.for_language(&meta.language),
            site,
            root: base_path(&meta.base_url),
            site_root: base_path(site_base),
            prefix,
            languages,
            opts,
            compiled,
        }
    }

    fn base_context(&self, path: &str, title: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("root", &self.root);
        ctx.insert("site_root", &self.site_root);
        ctx.insert("lang", &self.timeline.meta.language);
        ctx.insert("partners", &self.partners);
        ctx.insert("translations", &self.alternates(path));
        ctx.insert(
            "page",
            &json!({
                "path": path,
                "title": title,
                "url": format!("{}{}", self.timeline.meta.base_url, path),
            }),
        );
        ctx
    }

    /// The page at `path` in every language of the site, for `hreflang` alternates and the
    /// language switcher; empty when the site has one language.
    fn alternates(&self, path: &str) -> Vec<Alternate> {
        if self.languages.len() < 2 {
            return Vec::new();
        }
        self.languages
            .iter()
            .map(|(code, name, prefix, base)| Alternate {
                code: code.clone(),
                name: name.clone(),
                url: format!("{base}{path}"),
                href: format!("{}{prefix}{path}", self.site_root),
                current: *code == self.timeline.meta.language,
            })
            .collect()
    }

    /// Renders an HTML page; returns its path below the site root and its text.
    pub fn render(&self, page: &Page) -> Result<(String, String), Diagnostic> {
        let (path, html) = match self.render_compiled(page) {
            Some(done) => done,
            None => self.render_template(page)?,
        };
        self.finish(page, path, html)
    }

    /// The page from the theme's Tera template; returns its path below this language's
    /// root.
    fn render_template(&self, page: &Page) -> Result<(String, String), Diagnostic> {
        let t = self.timeline;
        let (template, path, mut ctx) = match page {
            Page::Home => {
                let mut ctx = self.base_context("", &t.meta.title);
                ctx.insert("intro_html", &t.meta.intro_html);
                ctx.insert("sessions", &self.timeline_entries());
                ctx.insert("sectors", &t.sectors);
                ctx.insert("commitments", &t.commitments);
                ctx.insert("status_counts", &counts(t));
                ("index.html", String::new(), ctx)
            }
            Page::Session(i) => {
                let s = &t.sessions[*i];
                let mut ctx = self.base_context(&s.path, &s.title);
                ctx.insert("session", s);
                ctx.insert("body_html", &s.body_html);
                ctx.insert("prev", &i.checked_sub(1).map(|p| brief(&t.sessions[p])));
                ctx.insert("next", &t.sessions.get(i + 1).map(brief));
                ("session.html", s.path.clone(), ctx)
            }
            Page::Sectors => {
                let mut ctx = self.base_context("sectors/", "Sectors");
                let sectors: Vec<Value> = t
                    .sectors
                    .iter()
                    .map(|s| json!({ "slug": s.slug, "name": s.name, "lang": s.lang, "path": s.path, "session_count": s.sessions.len(), "commitment_count": s.commitments.len() }))
                    .collect();
                ctx.insert("sectors", &sectors);
                ("sectors.html", "sectors/".to_string(), ctx)
            }
            Page::Sector(i) => {
                let sector = &t.sectors[*i];
                let mut ctx = self.base_context(&sector.path, &sector.name);
                ctx.insert("sector", sector);
                let sessions: Vec<Listed> = (sector.sessions.iter())
                    .map(|&j| Listed::of(&t.sessions[j]))
                    .collect();
                ctx.insert("sessions", &sessions);
                let commitments: Vec<_> = sector
                    .commitments
                    .iter()
                    .filter_map(|id| t.commitment(id))
                    .collect();
                ctx.insert("commitments", &commitments);
                ("sector.html", sector.path.clone(), ctx)
            }
            Page::Commitments => {
                let mut ctx = self.base_context("commitments/", "Commitments");
                ctx.insert("commitments", &t.commitments);
                ctx.insert("status_counts", &counts(t));
                ("commitments.html", "commitments/".to_string(), ctx)
            }
            Page::Commitment(i) => {
                let c = &t.commitments[*i];
                let mut ctx = self.base_context(&c.path, &c.title);
                ctx.insert("commitment", c);
                ("commitment.html", c.path.clone(), ctx)
            }
            Page::Print => {
                let mut ctx = self.base_context("print/", &t.meta.title);
                ctx.insert("intro_html", &t.meta.intro_html);
                // The notes go in after rendering (see `splice_print_notes`): copying every
                // body into the template context would hold them all twice more.
                let mut sessions = self.timeline_entries();
                for (i, e) in sessions.iter_mut().enumerate() {
                    let has_notes = !e.session.body_html.is_empty();
                    e.body_html = Some(if has_notes {
                        print_marker(i)
                    } else {
                        String::new()
                    });
                }
                ctx.insert("sessions", &sessions);
                ctx.insert("commitments", &t.commitments);
                ctx.insert("status_counts", &counts(t));
                ("print.html", "print/".to_string(), ctx)
            }
            Page::NotFound => (
                "404.html",
                "404.html".to_string(),
                self.base_context("404.html", "Page not found"),
            ),
            Page::Alias { from, to } => {
                let mut ctx = self.base_context(from, "Redirect");
                ctx.insert("translations", &Vec::<Value>::new());
                ctx.insert("target", &format!("{}{}", self.root, to));
                ctx.insert("target_url", &format!("{}{}", t.meta.base_url, to));
                ("alias.html", from.clone(), ctx)
            }
            Page::Localized { page, .. } => return self.render_template(page),
            Page::Static(_) | Page::Asset(_) | Page::Data(_) | Page::SearchIndex => {
                unreachable!("not an HTML page")
            }
        };
        self.insert_metadata(page, &mut ctx);
        let mut html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| self.theme.render_error(&e))?;
        if *page == Page::Print {
            html = self.splice_print_notes(&html);
        }
        Ok((path, html))
    }

    /// Whether [`Shared::write_print`] can write this language's print page.
    pub fn writes_print_in_pieces(&self) -> bool {
        self.compiled.print() && !self.opts.relative_urls && self.opts.inject_script.is_none()
    }

    /// Where this language's pages sit below the site root: `` or `ru/`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Writes the print page (the largest file of a big site) into `out` a batch of sessions
    /// at a time, each batch's articles rendered in parallel, so that it is never whole in
    /// memory. Gives the bytes [`Shared::render`] gives. `None` when it cannot be written in
    /// pieces (the theme has its own print template, or the render options rewrite whole
    /// pages) and `Some(Err)` when writing fails or a piece does not render: then render it
    /// whole.
    pub fn write_print(&self, out: &mut dyn std::io::Write) -> Option<std::io::Result<()>> {
        use rayon::prelude::*;
        const BATCH: usize = 1024;
        const PIECE: usize = 32;
        if !self.writes_print_in_pieces() {
            return None;
        }
        let (head, tail) = self.print_frame()?;
        let write = |out: &mut dyn std::io::Write| -> std::io::Result<()> {
            out.write_all(head.as_bytes())?;
            for batch in self.timeline.sessions.chunks(BATCH) {
                let pieces: Option<Vec<String>> = batch
                    .par_chunks(PIECE)
                    .map(|sessions| self.print_articles(sessions))
                    .collect();
                let pieces = pieces
                    .ok_or_else(|| std::io::Error::other("a print article did not render"))?;
                for p in pieces {
                    out.write_all(p.as_bytes())?;
                }
            }
            out.write_all(tail.as_bytes())
        };
        Some(write(out))
    }

    /// Places a rendered page below this language's prefix and applies the render options.
    fn finish(
        &self,
        page: &Page,
        path: String,
        mut html: String,
    ) -> Result<(String, String), Diagnostic> {
        if let Page::Localized { page, .. } = page {
            return self.finish(page, path, html);
        }
        let path = format!("{}{path}", self.prefix);
        if self.opts.relative_urls {
            html = super::relative::relativize(&html, &path, &self.site_root).map_err(|e| {
                Diagnostic::error(
                    crate::diagnostics::TEMPLATE,
                    format!("cannot rewrite links of {path}: {e}"),
                )
            })?;
        }
        if let Some(script) = &self.opts.inject_script {
            match html.rfind("</body>") {
                Some(i) => html.insert_str(i, script),
                None => html.push_str(script),
            }
        }
        Ok((path, html))
    }

    /// What the head of every page describes itself with: `description` (meta and Open
    /// Graph), `og_type`, and `jsonld` (schema.org, pre-serialized) on the home and session
    /// pages.
    fn insert_metadata(&self, page: &Page, ctx: &mut Context) {
        let (description, og_type, jsonld) = self.metadata(page);
        ctx.insert("description", description);
        ctx.insert("og_type", og_type);
        if let Some(j) = jsonld {
            ctx.insert("jsonld", &j);
        }
    }

    /// A page's description, Open Graph type and schema.org JSON-LD (see `insert_metadata`).
    fn metadata(&self, page: &Page) -> (&'a str, &'static str, Option<String>) {
        let t = self.timeline;
        let site_description = t.meta.description.as_deref().unwrap_or(&t.meta.title);
        match page {
            Page::Home => (site_description, "website", Some(jsonld::home(t))),
            Page::Session(i) => {
                let s = &t.sessions[*i];
                let d = s.summary.as_deref().unwrap_or(site_description);
                (d, "article", Some(jsonld::session(t, s)))
            }
            Page::Localized { page, .. } => self.metadata(page),
            _ => (site_description, "website", None),
        }
    }

    /// `/search-index.json`: per session its ordinal, title, path (below the root), date,
    /// city, sector slugs, summary and the start of its plain text, for the theme's script.
    pub fn search_index(&self) -> String {
        /// Fields in alphabetical order, the order the index has always had.
        #[derive(serde::Serialize)]
        struct Indexed<'s> {
            city: Option<&'s str>,
            date: Option<chrono::NaiveDate>,
            ordinal: u32,
            path: &'s str,
            sectors: Vec<&'s str>,
            summary: Option<&'s str>,
            text: String,
            title: &'s str,
        }
        let entries: Vec<Indexed> = (self.timeline.sessions.iter())
            .map(|s| {
                // The first characters of the text, with runs of white space made one space.
                let cut = (s.plain_text.char_indices().nth(EXCERPT_CHARS))
                    .map_or(s.plain_text.len(), |(i, _)| i);
                let mut excerpt = String::with_capacity(cut);
                for word in s.plain_text[..cut].split_whitespace() {
                    if !excerpt.is_empty() {
                        excerpt.push(' ');
                    }
                    excerpt.push_str(word);
                }
                Indexed {
                    city: s.city.as_deref(),
                    date: s.date,
                    ordinal: s.ordinal,
                    path: &s.path,
                    sectors: s.sectors.iter().map(|x| x.slug.as_str()).collect(),
                    summary: s.summary.as_deref(),
                    text: excerpt,
                    title: &s.title,
                }
            })
            .collect();
        serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into())
    }

    /// Replaces each session's marker in the rendered print page with its notes.
    fn splice_print_notes(&self, html: &str) -> String {
        let mut out = String::with_capacity(
            html.len()
                + self
                    .timeline
                    .sessions
                    .iter()
                    .map(|s| s.body_html.len())
                    .sum::<usize>(),
        );
        let mut rest = html;
        while let Some(start) = rest.find(PRINT_MARKER) {
            out.push_str(&rest[..start]);
            let after = &rest[start + PRINT_MARKER.len()..];
            let end = after.find('\u{1}').unwrap_or(0);
            if let Some(s) = after[..end]
                .parse::<usize>()
                .ok()
                .and_then(|i| self.timeline.sessions.get(i))
            {
                let base = format!("{}{}", self.root, s.path);
                for_print(&mut out, &s.body_html, s.ordinal, &base);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Sessions for the timeline, each marked with the year it opens, if it opens one.
    fn timeline_entries(&self) -> Vec<Entry<'a>> {
        let mut last_year = None;
        (self.timeline.sessions.iter())
            .map(|s| {
                let year_marker = s.year.filter(|y| Some(*y) != last_year);
                if s.year.is_some() {
                    last_year = s.year;
                }
                let introduced = s.commitments.iter().filter(|c| c.introduced).count();
                Entry {
                    session: s,
                    year_marker,
                    introduced_count: introduced,
                    reviewed_count: s.commitments.len() - introduced,
                    body_html: None,
                }
            })
            .collect()
    }
}

/// Notes side by side on the print page: each session's heading ids and in-page links get a
/// `print-N-` prefix so they stay unique, and links relative to the session's page (its
/// co-located files) are resolved against that page, `base` (`/sessions/3/`).
fn for_print(out: &mut String, html: &str, ordinal: u32, base: &str) {
    let mut rest = html;
    // Attribute values open with `="`, rare in text: jump from one to the next.
    while let Some(at) = rest.find("=\"") {
        let (head, tail) = rest.split_at(at + 2);
        out.push_str(head);
        rest = tail;
        let attr = ["id", "href", "src"].into_iter().find(|a| {
            head.len() > a.len() + 1
                && head[..head.len() - 2].ends_with(a)
                && head[..head.len() - 2 - a.len()].ends_with([' ', '\n', '\t'])
        });
        match attr {
            None => {}
            Some("id") => {
                let _ = write!(out, "print-{ordinal}-");
            }
            Some(_) => {
                if let Some(frag) = rest.strip_prefix('#') {
                    let _ = write!(out, "#print-{ordinal}-");
                    rest = frag;
                } else {
                    let value = &rest[..rest.find('"').unwrap_or(rest.len())];
                    let scheme = value.split_once(':').is_some_and(|(s, _)| !s.contains('/'));
                    if !value.is_empty() && !value.starts_with('/') && !scheme {
                        out.push_str(base);
                    }
                }
            }
        }
    }
    out.push_str(rest);
}

/// A CSS hex colour (`#rgb` or `#rrggbb`), the only partner colours the theme prints into
/// a `style` attribute.
fn is_hex_colour(c: &str) -> bool {
    c.strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.chars().all(|ch| ch.is_ascii_hexdigit()))
}

/// Stands for session `i`'s notes in the print page until they are spliced in; control
/// characters cannot come from a template or from escaped text.
const PRINT_MARKER: &str = "\u{1}pactline-notes-";

fn print_marker(i: usize) -> String {
    format!("{PRINT_MARKER}{i}\u{1}")
}

fn counts(t: &Timeline) -> Vec<Value> {
    status_counts(&t.commitments)
        .into_iter()
        .map(|(s, n)| json!({ "status": s, "count": n }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn print_page_ids_are_prefixed_and_relative_links_resolved() {
        let mut out = String::new();
        for_print(
            &mut out,
            r##"<h2 id="a">A</h2><a href="#a">x</a> <a href="/b/">y</a><img src="p.png" alt=""> <a href="https://e.org/">e</a> <a href="mailto:x@e.org">m</a>"##,
            3,
            "/sessions/3/",
        );
        assert_eq!(
            out,
            r##"<h2 id="print-3-a">A</h2><a href="#print-3-a">x</a> <a href="/b/">y</a><img src="/sessions/3/p.png" alt=""> <a href="https://e.org/">e</a> <a href="mailto:x@e.org">m</a>"##
        );
    }

    #[test]
    fn only_hex_colours_reach_the_style_attribute() {
        assert!(is_hex_colour("#fff"));
        assert!(is_hex_colour("#FF9933"));
        assert!(!is_hex_colour("red"));
        assert!(!is_hex_colour("#12345"));
        assert!(!is_hex_colour("#fff;background:url(x)"));
    }
}
