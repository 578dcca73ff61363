//! HTML pages: each page's view (see `crate::views`) rendered through the theme's Tera
//! templates, with the site-wide values of its language in Tera's global context. A
//! [`Renderer`] serves the pages of one language.

mod print;

use serde::Serialize;
use tera::{Context, Tera};

use super::{Page, RenderOptions, jsonld};
use crate::diagnostics::{self as d, Diagnostic};
use crate::theme::Theme;
use crate::timeline::Timeline;
use crate::views::{self, Alternate, Globals, Head, PageRef, paging};
pub use views::base_path;

/// Renders the pages of one language of the site.
pub struct Renderer<'a> {
    pub timeline: &'a Timeline,
    pub theme: &'a Theme,
    /// The theme's templates with this language's globals.
    tera: Tera,
    /// Root-relative prefix of this language's links: `/`, `/wg/` or `/ru/`.
    root: String,
    /// The root of the whole site, where shared files live.
    site_root: String,
    /// Where this language's pages sit below the site root: `` or `ru/`.
    prefix: String,
    /// The site's languages: code, name, prefix and base URL.
    languages: Vec<(String, String, String, String)>,
    /// The print pages, worked out when a page first needs them (most renderers of the
    /// dev server never do).
    print: std::sync::OnceLock<PrintPages>,
    opts: &'a RenderOptions,
}

/// The print pages of a language and the sessions each holds, with, per session, the index
/// of the page that holds it.
pub(super) struct PrintPages {
    pub(super) parts: Vec<(paging::PrintPart, Vec<usize>)>,
    of: Vec<usize>,
}

impl PrintPages {
    fn new(t: &Timeline) -> PrintPages {
        let parts = paging::print_parts(t);
        let mut of = vec![0; t.sessions.len()];
        for (p, (_, sessions)) in parts.iter().enumerate() {
            for &i in sessions {
                of[i] = p;
            }
        }
        PrintPages { parts, of }
    }
}

/// A page's view, ready for its template; serialized the same way to render it and to
/// fingerprint it.
#[derive(Serialize)]
#[serde(untagged)]
// One lives for one page's rendering; boxing the larger views would only add allocations.
#[allow(clippy::large_enum_variant)]
enum View<'a> {
    Home(views::Home<'a>),
    Session(views::SessionPage<'a>),
    Year(views::YearPage<'a>),
    Sectors(views::Sectors<'a>),
    Dictionary(views::Dictionary<'a>),
    Sector(views::Sector<'a>),
    Commitments(views::Commitments<'a>),
    Commitment(views::Commitment<'a>),
    Changes(views::Changes<'a>),
    Print(views::Print<'a>),
    Embed(views::Embed<'a>),
    Head(Head<'a>),
    Alias(views::Alias<'a>),
}

/// What renders a page: its template, its path below the language's root and its view.
struct Prepared<'a> {
    template: &'static str,
    path: String,
    view: View<'a>,
}

impl<'a> Renderer<'a> {
    pub fn new(timeline: &'a Timeline, theme: &'a Theme, opts: &'a RenderOptions) -> Renderer<'a> {
        Renderer::localized(timeline, timeline, theme, opts)
    }

    /// The renderer of `timeline`, one of the languages of `site` (or `site` itself).
    pub fn localized(
        timeline: &'a Timeline,
        site: &Timeline,
        theme: &'a Theme,
        opts: &'a RenderOptions,
    ) -> Renderer<'a> {
        let meta = &timeline.meta;
        let site_base = &site.meta.base_url;
        let languages: Vec<(String, String, String, String)> = (site.meta.languages.iter())
            .map(|l| {
                let name = theme.language_name(l);
                let base = format!("{site_base}{}", l.prefix);
                (l.code.clone(), name, l.prefix.clone(), base)
            })
            .collect();
        let prefix = (languages.iter())
            .find(|l| l.0 == meta.language)
            .map(|l| l.2.clone())
            .unwrap_or_default();
        let globals = Globals::new(timeline, site);
        let mut tera = theme.for_language(&meta.language);
        // Globals are plain data: serializing them cannot fail.
        if let Ok(ctx) = Context::from_serialize(&globals) {
            tera.global_context().extend(ctx);
        }
        Renderer {
            timeline,
            theme,
            tera,
            root: globals.root,
            site_root: globals.site_root,
            prefix,
            languages,
            print: std::sync::OnceLock::new(),
            opts,
        }
    }

    pub(super) fn print_pages(&self) -> &PrintPages {
        self.print.get_or_init(|| PrintPages::new(self.timeline))
    }

    /// Where this language's pages sit below the site root: `` or `ru/`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Renders an HTML page; returns its path below the site root and its text.
    pub fn render(&self, page: &Page) -> Result<(String, String), Diagnostic> {
        let prepared = self.prepare(page, true);
        let mut html = self.render_view(&prepared)?;
        if matches!(prepared.view, View::Print(_)) {
            html = self.splice_print_notes(&html);
        }
        self.finish(prepared.path, html)
    }

    /// A fingerprint of what `page` renders from: pages with the same fingerprint, in the
    /// same theme and site metadata, render the same bytes. The JSON-LD is left out: it is
    /// made of the view's own fields and the site's metadata.
    pub fn fingerprint(&self, page: &Page) -> u64 {
        let prepared = self.prepare(page, false);
        views::digest(&(prepared.template, &prepared.path, &prepared.view))
    }

    fn render_view(&self, prepared: &Prepared<'_>) -> Result<String, Diagnostic> {
        let ctx =
            Context::from_serialize(&prepared.view).map_err(|e| self.theme.render_error(&e))?;
        (self.tera.render(prepared.template, &ctx)).map_err(|e| self.theme.render_error(&e))
    }

    /// The template, path and view of `page`; its JSON-LD only `with_jsonld`.
    fn prepare(&self, page: &Page, with_jsonld: bool) -> Prepared<'a> {
        if let Page::Localized { page, .. } = page {
            return self.prepare(page, with_jsonld);
        }
        let t = self.timeline;
        let (template, path, title) = self.place(page);
        let mut head = self.head(page, &path, title, with_jsonld);
        head.pager = self.pager(page);
        head.print = self.print_link(page);
        let view = match page {
            Page::Home => View::Home(views::Home::new(head, t)),
            Page::Session(i) => View::Session(views::SessionPage::new(head, t, *i)),
            Page::Year(i, n) => View::Year(views::YearPage::new(head, t, (*i, *n))),
            Page::Sectors => View::Sectors(views::Sectors::new(head, t)),
            Page::Dictionary => View::Dictionary(views::Dictionary::new(head)),
            Page::Sector(i, n) => View::Sector(views::Sector::new(head, t, (*i, *n))),
            Page::Commitments(n) => View::Commitments(views::Commitments::new(head, t, *n)),
            Page::Commitment(i) => View::Commitment(views::Commitment::new(head, t, *i)),
            Page::Changes(n) => View::Changes(views::Changes::new(head, t, *n)),
            Page::Print(part) => View::Print(self.print_view(head, part)),
            Page::Embed(sector) => View::Embed(views::Embed::new(head, t, *sector)),
            Page::Alias { to, .. } => View::Alias(views::Alias {
                head,
                target: format!("{}{to}", self.root),
                target_url: format!("{}{to}", t.meta.base_url),
            }),
            _ => View::Head(head),
        };
        Prepared {
            template,
            path,
            view,
        }
    }

    /// The template of `page`, its path below the language's root and its title.
    fn place(&self, page: &Page) -> (&'static str, String, &'a str) {
        let t = self.timeline;
        match page {
            Page::Home => ("index.html", String::new(), &t.meta.title),
            Page::Session(i) => {
                let s = &t.sessions[*i];
                ("session.html", s.path.clone(), &s.title)
            }
            Page::Year(i, n) => {
                let y = &t.years[*i];
                ("year.html", paging::numbered(&y.path, *n), &y.slug)
            }
            Page::Sectors => ("sectors.html", "sectors/".into(), "Sectors"),
            Page::Dictionary => ("data.html", super::dictionary::PATH.into(), "Data"),
            Page::Sector(i, n) => {
                let s = &t.sectors[*i];
                ("sector.html", paging::numbered(&s.path, *n), &s.name)
            }
            Page::Commitments(n) => (
                "commitments.html",
                paging::numbered("commitments/", *n),
                "Commitments",
            ),
            Page::Commitment(i) => {
                let c = &t.commitments[*i];
                ("commitment.html", c.path.to_string(), &c.title)
            }
            Page::Changes(n) => (
                "changes.html",
                paging::numbered(views::CHANGES, *n),
                "Changes",
            ),
            Page::Print(part) => ("print.html", paging::print_path(t, part), &t.meta.title),
            Page::Embed(sector) => {
                let name = sector.and_then(|i| t.sectors.get(i));
                let title = name.map_or(t.meta.title.as_str(), |s| s.name.as_str());
                ("embed.html", super::embed_path(t, *sector), title)
            }
            Page::Alias { from, .. } => ("alias.html", from.clone(), "Redirect"),
            // Everything else is a 404 page or not HTML; the plan never asks for the latter.
            _ => ("404.html", "404.html".into(), "Page not found"),
        }
    }

    /// The pager of a numbered page.
    fn pager(&self, page: &Page) -> Option<paging::Pager> {
        let t = self.timeline;
        let per_page = t.meta.paging.per_page;
        let (base, number, len) = match page {
            Page::Year(i, n) => (t.years[*i].path.as_str(), *n, t.years[*i].sessions.len()),
            Page::Sector(i, n) => {
                let s = &t.sectors[*i];
                (
                    s.path.as_str(),
                    *n,
                    s.sessions.len().max(s.commitments.len()),
                )
            }
            Page::Commitments(n) => ("commitments/", *n, t.commitments.len()),
            Page::Changes(n) => {
                let len = t.changes.as_ref().map_or(0, |c| c.list.len());
                (views::CHANGES, *n, len)
            }
            Page::Print(paging::PrintPart::Year { year, part }) => {
                let parts = (self.print_pages().parts.iter())
                    .filter(
                        |(p, _)| matches!(p, paging::PrintPart::Year { year: y, .. } if y == year),
                    )
                    .count();
                let base = paging::print_path(
                    t,
                    &paging::PrintPart::Year {
                        year: *year,
                        part: 1,
                    },
                );
                return paging::Pager::new(&base, *part, parts);
            }
            _ => return None,
        };
        paging::Pager::new(base, number, paging::page_count(len, per_page))
    }

    /// The print page holding what `page` shows: the whole timeline's while there is one,
    /// otherwise the part of the year a session or a year page is in.
    fn print_link(&self, page: &Page) -> Option<String> {
        let t = self.timeline;
        let print = self.print_pages();
        if let [(whole @ paging::PrintPart::All, _)] = print.parts.as_slice() {
            return (!matches!(page, Page::Print(_))).then(|| paging::print_path(t, whole));
        }
        let part = match page {
            Page::Session(i) => print.of.get(*i).and_then(|p| print.parts.get(*p)),
            Page::Year(i, _) => (print.parts.iter())
                .find(|(p, _)| matches!(p, paging::PrintPart::Year { year, part: 1 } if year == i)),
            _ => None,
        };
        part.map(|(p, _)| paging::print_path(t, p))
    }

    /// The head of `page` at `path`: its place, versions, description and JSON-LD.
    fn head(&self, page: &Page, path: &str, title: &'a str, with_jsonld: bool) -> Head<'a> {
        let t = self.timeline;
        let site_description = t.meta.description.as_deref().unwrap_or(&t.meta.title);
        let jsonld = |make: &dyn Fn() -> String| with_jsonld.then(make);
        let (description, og_type, jsonld) = match page {
            Page::Home => (site_description, "website", jsonld(&|| jsonld::home(t))),
            Page::Session(i) => {
                let s = &t.sessions[*i];
                let d = s.summary.as_deref().unwrap_or(site_description);
                (d, "article", jsonld(&|| jsonld::session(t, s)))
            }
            _ => (site_description, "website", None),
        };
        let translations = match page {
            Page::Alias { .. } => Vec::new(),
            _ => self.alternates(path),
        };
        Head {
            page: PageRef::new(&t.meta.base_url, path.to_string(), title),
            translations,
            description: crate::search::text::brief(description),
            og_type,
            jsonld,
            pager: None,
            print: None,
        }
    }

    /// The page at `path` in every language of the site; empty when it has one language.
    fn alternates(&self, path: &str) -> Vec<Alternate> {
        if self.languages.len() < 2 {
            return Vec::new();
        }
        (self.languages.iter())
            .map(|(code, name, prefix, base)| Alternate {
                code: code.clone(),
                name: name.clone(),
                url: format!("{base}{path}"),
                href: format!("{}{prefix}{path}", self.site_root),
                current: *code == self.timeline.meta.language,
            })
            .collect()
    }

    /// Places a rendered page below this language's prefix and applies the render options.
    fn finish(&self, path: String, mut html: String) -> Result<(String, String), Diagnostic> {
        let path = format!("{}{path}", self.prefix);
        if self.opts.relative_urls {
            html = super::relative::relativize(&html, &path, &self.site_root).map_err(|e| {
                Diagnostic::error(d::TEMPLATE, format!("cannot rewrite links of {path}: {e}"))
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
}
