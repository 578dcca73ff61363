//! HTML pages: builds each page's Tera context from the model and renders its template.
//! Data shared by all pages is serialized once; a page adds only what is its own.

use std::sync::OnceLock;

use serde_json::{Value, json};
use tera::{Context, Tera};

use super::{Page, RenderOptions, jsonld};
use crate::diagnostics::Diagnostic;
use crate::theme::Theme;
use crate::timeline::{Session, Timeline, status_counts};

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
    /// Each session serialized on first use: a rebuild that renders a few pages of a large
    /// timeline serializes only the sessions those pages show.
    sessions: Vec<OnceLock<Value>>,
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

fn brief(s: &Session) -> Value {
    json!({ "ordinal": s.ordinal, "ordinal_text": s.ordinal_text, "title": s.title, "path": s.path, "date": s.date })
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
        let sessions = timeline.sessions.iter().map(|_| OnceLock::new()).collect();
        Shared {
            timeline,
            theme,
            tera: theme.for_language(&meta.language),
            site,
            root: base_path(&meta.base_url),
            site_root: base_path(site_base),
            prefix,
            languages,
            opts,
            sessions,
        }
    }

    /// Session `i` as the templates see it.
    fn session(&self, i: usize) -> &Value {
        self.sessions[i]
            .get_or_init(|| serde_json::to_value(&self.timeline.sessions[i]).unwrap_or(Value::Null))
    }

    fn base_context(&self, path: &str, title: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("root", &self.root);
        ctx.insert("site_root", &self.site_root);
        ctx.insert("lang", &self.timeline.meta.language);
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
    fn alternates(&self, path: &str) -> Vec<Value> {
        if self.languages.len() < 2 {
            return Vec::new();
        }
        self.languages
            .iter()
            .map(|(code, name, prefix, base)| {
                json!({
                    "code": code,
                    "name": name,
                    "url": format!("{base}{path}"),
                    "href": format!("{}{prefix}{path}", self.site_root),
                    "current": *code == self.timeline.meta.language,
                })
            })
            .collect()
    }

    /// Renders an HTML page; returns its path below the site root and its text.
    pub fn render(&self, page: &Page) -> Result<(String, String), Diagnostic> {
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
                ctx.insert("session", self.session(*i));
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
                    .map(|s| json!({ "slug": s.slug, "name": s.name, "path": s.path, "session_count": s.sessions.len(), "commitment_count": s.commitments.len() }))
                    .collect();
                ctx.insert("sectors", &sectors);
                ("sectors.html", "sectors/".to_string(), ctx)
            }
            Page::Sector(i) => {
                let sector = &t.sectors[*i];
                let mut ctx = self.base_context(&sector.path, &sector.name);
                ctx.insert("sector", sector);
                let sessions: Vec<&Value> =
                    sector.sessions.iter().map(|&j| self.session(j)).collect();
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
            Page::Localized { page, .. } => return self.render(page),
            Page::Static(_) | Page::Asset(_) | Page::Data(_) => unreachable!("not an HTML page"),
        };
        self.insert_metadata(page, &mut ctx);
        let path = format!("{}{path}", self.prefix);
        let mut html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| self.theme.render_error(&e))?;
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
        let t = self.timeline;
        let site_description = t.meta.description.as_deref().unwrap_or(&t.meta.title);
        let (description, og_type, jsonld) = match page {
            Page::Home => (site_description, "website", Some(jsonld::home(t))),
            Page::Session(i) => {
                let s = &t.sessions[*i];
                let d = s.summary.as_deref().unwrap_or(site_description);
                (d, "article", Some(jsonld::session(t, s)))
            }
            _ => (site_description, "website", None),
        };
        ctx.insert("description", description);
        ctx.insert("og_type", og_type);
        if let Some(j) = jsonld {
            ctx.insert("jsonld", &j);
        }
    }

    /// Sessions for the timeline, each marked with the year it opens, if it opens one.
    fn timeline_entries(&self) -> Vec<Value> {
        let mut last_year = None;
        self.timeline
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut v = self.session(i).clone();
                let marker = s.year.filter(|y| Some(*y) != last_year);
                if s.year.is_some() {
                    last_year = s.year;
                }
                if let Value::Object(m) = &mut v {
                    m.insert("year_marker".into(), json!(marker));
                    m.insert(
                        "introduced_count".into(),
                        json!(s.commitments.iter().filter(|c| c.introduced).count()),
                    );
                    m.insert(
                        "reviewed_count".into(),
                        json!(s.commitments.iter().filter(|c| !c.introduced).count()),
                    );
                }
                v
            })
            .collect()
    }
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
}
