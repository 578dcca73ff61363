//! The default theme's busiest pages written out in Rust: the pages of sessions and
//! commitments, sector pages, the home page and the print page. Each of them exists once
//! per session or commitment or lists many, and evaluating their Tera templates costs far
//! more than the bytes they produce. The output is byte for byte what the templates give
//! (tests/it/compiled.rs renders every fixture both ways), so these functions must change
//! whenever `base.html`, `macros.html`, `session.html`, `commitment.html`, `sector.html`,
//! `index.html` or `print.html` change. A site that overrides any of the
//! templates a page uses gets that page from Tera; so does a page whose interface string is
//! missing, so that Tera reports the error.

use std::fmt::Write as _;

use super::{Entry, Shared, for_print};
use crate::content::schema::{Agreement, CoChair, Source, Status};
use crate::theme::{self, Strings, Theme};
use crate::timeline::{SectorRef, Session, SessionMention};

/// Which pages the compiled renderers may produce for a theme.
#[derive(Debug, Clone, Copy, Default)]
pub struct Compiled {
    session: bool,
    commitment: bool,
    sector: bool,
    home: bool,
    print: bool,
}

impl Compiled {
    pub fn for_theme(theme: &Theme) -> Compiled {
        let with = |page: &str| theme.uses_default_templates(&["base.html", "macros.html", page]);
        Compiled {
            session: with("session.html"),
            commitment: with("commitment.html"),
            sector: with("sector.html"),
            home: with("index.html"),
            print: with("print.html"),
        }
    }
}

impl Compiled {
    /// Whether the print page is compiled.
    pub fn print(&self) -> bool {
        self.print
    }
}

/// A page being written: the text so far and the interface strings it draws on.
struct W<'a> {
    out: String,
    tr: Strings<'a>,
}

impl W<'_> {
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Text from the model, escaped as the templates' autoescape does.
    fn text(&mut self, s: &str) {
        theme::escape_into(&mut self.out, s);
    }

    fn num(&mut self, n: impl std::fmt::Display) {
        let _ = write!(self.out, "{n}");
    }

    /// `{{ t(key=…) }}`; `None` when the theme has no such string.
    fn t(&mut self, key: &str) -> Option<()> {
        let s = self.tr.get(key)?;
        theme::escape_into(&mut self.out, s);
        Some(())
    }

    /// ` lang="…"` when `lang` is not empty.
    fn lang_attr(&mut self, lang: &str) {
        if !lang.is_empty() {
            self.raw(" lang=\"");
            self.text(lang);
            self.raw("\"");
        }
    }
}

/// A template's truthiness of an optional text: absent and empty are both false.
fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// What `base.html` prints in `<title>`.
enum Title<'p> {
    /// `{{ page.title }} — {{ site.title }}`.
    Page,
    /// `{{ site.title }}`.
    Site,
    /// `{{ t(key=…) }} — {{ site.title }}`.
    Key(&'p str),
}

impl<'a> Shared<'a> {
    /// The page from its compiled renderer, when there is one for this theme and page.
    pub(super) fn render_compiled(&self, page: &super::Page) -> Option<(String, String)> {
        use super::Page;
        let c = self.compiled;
        let mut w = self.writer();
        let path = match page {
            Page::Session(i) if c.session => {
                self.session_page(&mut w, *i)?;
                &self.timeline.sessions[*i].path
            }
            Page::Commitment(i) if c.commitment => {
                self.commitment_page(&mut w, *i)?;
                &self.timeline.commitments[*i].path
            }
            Page::Sector(i) if c.sector => {
                self.sector_page(&mut w, *i)?;
                &self.timeline.sectors[*i].path
            }
            Page::Home if c.home => {
                self.home_page(&mut w)?;
                ""
            }
            Page::Print if c.print => {
                self.print_page(&mut w, true)?;
                "print/"
            }
            _ => return None,
        };
        Some((path.to_string(), w.out))
    }

    /// `base.html` around `content`.
    fn base(
        &self,
        w: &mut W<'_>,
        page: (&str, &str, &super::Page),
        title: Title<'_>,
        head: &str,
        content: impl FnOnce(&mut W<'_>) -> Option<()>,
        scripts: impl FnOnce(&mut W<'_>) -> Option<()>,
    ) -> Option<()> {
        let (path, page_title, kind) = page;
        let meta = &self.timeline.meta;
        let (description, og_type, jsonld) = self.metadata(kind);
        let url = format!("{}{path}", meta.base_url);
        let alternates = self.alternates(path);
        w.raw("<!DOCTYPE html>\n<html lang=\"");
        w.text(&meta.language);
        w.raw("\"");
        if self.partners.iter().any(|p| p.color.is_some()) {
            w.raw(" style=\"");
            for p in self.partners.iter().filter(|p| p.color.is_some()) {
                w.raw("--partner-");
                w.num(p.n);
                w.raw(": ");
                w.text(p.color.as_deref().unwrap_or_default());
                w.raw(";");
            }
            w.raw("\"");
        }
        w.raw(">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
        match title {
            Title::Page => {
                w.text(page_title);
                w.raw(" — ");
                w.text(&meta.title);
            }
            Title::Site => w.text(&meta.title),
            Title::Key(key) => {
                w.t(key)?;
                w.raw(" — ");
                w.text(&meta.title);
            }
        }
        w.raw("</title>\n<meta name=\"description\" content=\"");
        w.text(description);
        w.raw("\">\n<link rel=\"canonical\" href=\"");
        w.text(&url);
        w.raw("\">\n<meta property=\"og:title\" content=\"");
        w.text(page_title);
        w.raw("\">\n<meta property=\"og:description\" content=\"");
        w.text(description);
        w.raw("\">\n<meta property=\"og:url\" content=\"");
        w.text(&url);
        w.raw("\">\n<meta property=\"og:type\" content=\"");
        w.text(og_type);
        w.raw("\">\n<meta property=\"og:site_name\" content=\"");
        w.text(&meta.title);
        w.raw("\">\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
        w.text(&meta.title);
        w.raw("\" href=\"");
        w.text(&self.root);
        w.raw("feed.xml\">\n<link rel=\"alternate\" type=\"text/calendar\" title=\"");
        w.text(&meta.title);
        w.raw("\" href=\"");
        w.text(&self.root);
        w.raw("sessions.ics\">\n<link rel=\"alternate\" type=\"application/json\" title=\"");
        w.text(&meta.title);
        w.raw("\" href=\"");
        w.text(&self.site_root);
        w.raw("timeline.json\">\n");
        for l in &alternates {
            w.raw("<link rel=\"alternate\" hreflang=\"");
            w.text(&l.code);
            w.raw("\" href=\"");
            w.text(&l.url);
            w.raw("\">\n");
        }
        w.raw("\n");
        if let Some(j) = jsonld.filter(|j| !j.is_empty()) {
            w.raw("<script type=\"application/ld+json\">");
            w.raw(&j);
            w.raw("</script>\n");
        }
        w.raw("<link rel=\"stylesheet\" href=\"");
        w.text(&self.site_root);
        w.raw("style.css\">\n");
        w.raw(head);
        w.raw("\n</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">");
        w.t("skip_to_content")?;
        w.raw("</a>\n<header class=\"site-header\">\n  <p class=\"site-title\"><a href=\"");
        w.text(&self.root);
        w.raw("\">");
        w.text(&meta.title);
        w.raw("</a></p>\n  <nav aria-label=\"");
        w.t("nav_label")?;
        w.raw("\">\n    <ul>\n      <li><a href=\"");
        w.text(&self.root);
        w.raw("\"");
        if path.is_empty() {
            w.raw(" aria-current=\"page\"");
        }
        w.raw(">");
        w.t("nav_timeline")?;
        w.raw("</a></li>\n      <li><a href=\"");
        w.text(&self.root);
        w.raw("sectors/\"");
        if path.starts_with("sectors/") {
            w.raw(" aria-current=\"page\"");
        }
        w.raw(">");
        w.t("nav_sectors")?;
        w.raw("</a></li>\n      <li><a href=\"");
        w.text(&self.root);
        w.raw("commitments/\"");
        if path.starts_with("commitments/") {
            w.raw(" aria-current=\"page\"");
        }
        w.raw(">");
        w.t("nav_commitments")?;
        w.raw("</a></li>\n    </ul>\n  </nav>\n  ");
        if !alternates.is_empty() {
            w.raw("<nav class=\"languages\" aria-label=\"");
            w.t("language_switcher")?;
            w.raw("\">\n    <ul>");
            for l in &alternates {
                w.raw("<li><a href=\"");
                w.text(&l.href);
                w.raw("\" hreflang=\"");
                w.text(&l.code);
                w.raw("\" lang=\"");
                w.text(&l.code);
                w.raw("\"");
                if l.current {
                    w.raw(" aria-current=\"true\"");
                }
                w.raw(">");
                w.text(&l.name);
                w.raw("</a></li>");
            }
            w.raw("</ul>\n  </nav>");
        }
        w.raw("\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
        content(w)?;
        w.raw("\n</main>\n<footer class=\"site-footer\">\n  ");
        if let Some(parent) = some(&meta.parent) {
            w.raw("<p>");
            w.t("part_of")?;
            w.raw(": ");
            w.text(parent);
            w.raw("</p>");
        }
        w.raw("\n  <p><a href=\"");
        w.text(&self.root);
        w.raw("print/\">");
        w.t("print_link")?;
        w.raw("</a></p>\n  <p>");
        w.t("footer_generated")?;
        w.raw("</p>\n</footer>\n");
        scripts(w)?;
        w.raw("\n</body>\n</html>\n");
        Some(())
    }

    /// `session.html`.
    fn session_page(&self, w: &mut W<'_>, i: usize) -> Option<()> {
        let t = self.timeline;
        let s = &t.sessions[i];
        let lang = t.meta.language.as_str();
        let page = super::Page::Session(i);
        w.out.reserve(s.body_html.len() + 8192);
        let content = |w: &mut W<'_>| {
            let xl = if s.lang != lang { s.lang.as_str() } else { "" };
            w.raw("\n\n\n<article class=\"session");
            if s.records_pending {
                w.raw(" pending");
            }
            w.raw("\" aria-labelledby=\"session-title\">\n");
            if s.untranslated {
                self.untranslated_badge(w)?;
            }
            w.raw("\n<p class=\"kicker\"><a href=\"");
            w.text(&self.root);
            w.raw("#session-");
            w.num(s.ordinal);
            w.raw("\">");
            w.t("nav_timeline")?;
            w.raw("</a> › <span class=\"ordinal\">");
            w.text(&s.ordinal_text);
            w.raw("</span></p>\n<h1 id=\"session-title\"");
            w.lang_attr(xl);
            w.raw(">");
            w.text(&s.title);
            w.raw("</h1>\n");
            if s.records_pending {
                w.raw("<p class=\"badge pending-badge\">");
                w.t("records_pending")?;
                w.raw("</p>");
            }
            w.raw("\n<dl class=\"facts\">\n");
            self.facts(w, s, xl)?;
            w.raw("  ");
            if !s.sectors.is_empty() {
                w.raw("<dt>");
                w.t("sectors")?;
                w.raw("</dt><dd>");
                self.sector_chips(w, &s.sectors);
                w.raw("</dd>");
            }
            w.raw("\n</dl>\n");
            if !s.agreements.is_empty() {
                w.raw("\n<h2 id=\"agreements\">");
                w.t("agreements")?;
                w.raw("</h2>\n<ul");
                w.lang_attr(xl);
                w.raw(">");
                for a in &s.agreements {
                    agreement(w, a, true);
                }
                w.raw("</ul>\n");
            }
            w.raw("\n");
            if !s.body_html.is_empty() {
                w.raw("\n<h2 id=\"notes\">");
                w.t("notes")?;
                w.raw("</h2>\n<div class=\"notes\"");
                w.lang_attr(xl);
                w.raw(">");
                w.raw(&s.body_html);
                w.raw("</div>\n");
            }
            w.raw("\n\n\n");
            let introduced = || s.commitments.iter().filter(|c| c.introduced);
            let reviewed = || s.commitments.iter().filter(|c| !c.introduced);
            if introduced().next().is_some() {
                w.raw("\n<h2 id=\"introduced\">");
                w.t("introduced_here")?;
                w.raw("</h2>\n<ul class=\"commitment-list\">");
                for c in introduced() {
                    self.mention(w, c, false)?;
                }
                w.raw("</ul>\n");
            }
            w.raw("\n");
            if reviewed().next().is_some() {
                w.raw("\n<h2 id=\"reviewed\">");
                w.t("reviewed_here")?;
                w.raw("</h2>\n<ul class=\"commitment-list\">");
                for c in reviewed() {
                    self.mention(w, c, true)?;
                }
                w.raw("</ul>\n");
            }
            w.raw("\n");
            if !s.sources.is_empty() {
                w.raw("\n<h2 id=\"sources\">");
                w.t("sources")?;
                w.raw("</h2>\n<ul class=\"sources\"");
                w.lang_attr(xl);
                w.raw(">");
                for src in &s.sources {
                    w.raw("<li><a href=\"");
                    w.text(&src.url);
                    w.raw("\"");
                    w.lang_attr(src.lang.as_deref().unwrap_or_default());
                    w.raw(">");
                    w.text(&src.title);
                    w.raw("</a>");
                    source_tail(w, src);
                    w.raw("</li>");
                }
                w.raw("</ul>\n");
            }
            w.raw("\n</article>\n<nav class=\"prev-next\" aria-label=\"");
            w.t("session_navigation")?;
            w.raw("\">\n  ");
            if let Some(p) = i.checked_sub(1).map(|p| &t.sessions[p]) {
                w.raw("<a rel=\"prev\" href=\"");
                w.text(&self.root);
                w.text(&p.path);
                w.raw("\"><span class=\"dir\" aria-hidden=\"true\">←</span> ");
                w.t("previous_session")?;
                w.raw(": <span");
                self.other_lang(w, &p.lang);
                w.raw(">");
                w.text(&p.title);
                w.raw("</span></a>");
            }
            w.raw("\n  ");
            if let Some(n) = t.sessions.get(i + 1) {
                w.raw("<a rel=\"next\" href=\"");
                w.text(&self.root);
                w.text(&n.path);
                w.raw("\">");
                w.t("next_session")?;
                w.raw(": <span");
                self.other_lang(w, &n.lang);
                w.raw(">");
                w.text(&n.title);
                w.raw("</span> <span class=\"dir\" aria-hidden=\"true\">→</span></a>");
            }
            w.raw("\n</nav>\n");
            Some(())
        };
        self.base(
            w,
            (&s.path, &s.title, &page),
            Title::Page,
            "",
            content,
            |_| Some(()),
        )
    }

    /// `index.html`.
    fn home_page(&self, w: &mut W<'_>) -> Option<()> {
        let t = self.timeline;
        let meta = &t.meta;
        let entries = self.timeline_entries();
        w.out.reserve(2048 * entries.len() + 16384);
        let content = |w: &mut W<'_>| {
            w.raw("\n<h1>");
            w.text(&meta.title);
            w.raw("</h1>\n");
            if let Some(parent) = some(&meta.parent) {
                w.raw("<p class=\"parent\">");
                w.t("part_of")?;
                w.raw(": ");
                w.text(parent);
                w.raw("</p>");
            }
            w.raw("\n");
            if !self.partners.is_empty() {
                w.raw("<ul class=\"plain partners\" aria-label=\"");
                w.t("partners")?;
                w.raw("\">");
                for p in &self.partners {
                    w.raw("<li class=\"partner partner-");
                    w.num(p.n);
                    w.raw("\">");
                    w.text(&p.name);
                    w.raw("</li>");
                }
                w.raw("</ul>");
            }
            w.raw("\n<div class=\"intro\">");
            w.raw(&meta.intro_html);
            w.raw("</div>\n");
            if !t.commitments.is_empty() {
                w.raw("\n<p class=\"progress\"><a href=\"");
                w.text(&self.root);
                w.raw("commitments/\">");
                w.num(t.commitments.len());
                w.raw(" ");
                w.t("commitments_summary")?;
                w.raw("</a>: ");
                let counts = crate::timeline::status_counts(&t.commitments);
                for (k, (status, n)) in counts.iter().enumerate() {
                    w.num(n);
                    w.raw(" ");
                    w.t(&status_key(*status))?;
                    if k + 1 < counts.len() {
                        w.raw(", ");
                    }
                }
                w.raw("</p>\n");
            }
            w.raw("\n<h2 id=\"sessions\">");
            w.t("timeline_heading")?;
            w.raw("</h2>\n");
            if entries.is_empty() {
                w.raw("\n<p>");
                w.t("no_sessions")?;
                w.raw("</p>\n");
            } else {
                self.finder(w)?;
                w.raw("<ol class=\"timeline\">\n");
                for e in &entries {
                    self.home_entry(w, e)?;
                }
                w.raw("\n</ol>\n");
            }
            w.raw("\n<section class=\"open-data\" aria-labelledby=\"data\">\n<h2 id=\"data\">");
            w.t("data_heading")?;
            w.raw("</h2>\n<p>");
            w.t("data_intro")?;
            w.raw("</p>\n<ul>\n  <li><a href=\"");
            w.text(&self.root);
            w.raw("print/\">");
            w.t("print_link")?;
            w.raw("</a></li>\n  <li><a href=\"");
            w.text(&self.site_root);
            w.raw("timeline.json\" type=\"application/json\">");
            w.t("data_json")?;
            w.raw("</a> (<a href=\"");
            w.text(&self.site_root);
            w.raw("timeline.schema.json\" type=\"application/schema+json\">");
            w.t("data_schema")?;
            w.raw("</a>)</li>\n  <li><a href=\"");
            w.text(&self.site_root);
            w.raw("timeline.csv\" type=\"text/csv\">");
            w.t("data_csv_sessions")?;
            w.raw("</a>, <a href=\"");
            w.text(&self.site_root);
            w.raw("commitments.csv\" type=\"text/csv\">");
            w.t("data_csv_commitments")?;
            w.raw("</a></li>\n  <li><a href=\"");
            w.text(&self.root);
            w.raw("sessions.ics\" type=\"text/calendar\">");
            w.t("data_calendar")?;
            w.raw("</a></li>\n  <li><a href=\"");
            w.text(&self.root);
            w.raw("feed.xml\" type=\"application/atom+xml\">");
            w.t("data_feed")?;
            w.raw("</a></li>\n  <li><a href=\"");
            w.text(&self.site_root);
            w.raw("SHA256SUMS\" type=\"text/plain\">");
            w.t("data_checksums")?;
            w.raw("</a></li>\n</ul>\n");
            if let Some(license) = some(&meta.license) {
                w.raw("<p class=\"license\">");
                w.t("data_license")?;
                w.raw(": ");
                w.text(license);
                w.raw("</p>");
            }
            w.raw("\n</section>\n");
            Some(())
        };
        let scripts = |w: &mut W<'_>| {
            if !entries.is_empty() {
                w.raw("<script src=\"");
                w.text(&self.site_root);
                w.raw("timeline.js\" defer></script>");
            }
            Some(())
        };
        self.base(
            w,
            ("", &meta.title, &super::Page::Home),
            Title::Site,
            "",
            content,
            scripts,
        )
    }

    /// The home page's search form.
    fn finder(&self, w: &mut W<'_>) -> Option<()> {
        let lang = self.timeline.meta.language.as_str();
        w.raw("\n<form class=\"finder\" id=\"finder\" role=\"search\" aria-label=\"");
        w.t("filter_heading")?;
        w.raw("\" hidden data-index=\"");
        w.text(&self.site_root);
        w.raw("search-index.json\" data-shown=\"");
        w.t("filter_shown")?;
        w.raw("\">\n  <div class=\"field\"><label for=\"finder-sector\">");
        w.t("filter_sector")?;
        w.raw("</label>\n  <select id=\"finder-sector\" name=\"sector\"><option value=\"\">");
        w.t("filter_all_sectors")?;
        w.raw("</option>");
        for x in &self.timeline.sectors {
            w.raw("<option value=\"");
            w.text(&x.slug);
            w.raw("\"");
            if x.lang != lang {
                w.lang_attr_always(&x.lang);
            }
            w.raw(">");
            w.text(&x.name);
            w.raw("</option>");
        }
        w.raw("</select></div>\n  <div class=\"field grow\"><label for=\"finder-q\">");
        w.t("filter_search")?;
        w.raw("</label>\n  <input id=\"finder-q\" name=\"q\" type=\"search\" autocomplete=\"off\"></div>\n  <button type=\"reset\">");
        w.t("filter_reset")?;
        w.raw("</button>\n  <p class=\"finder-status\" role=\"status\" aria-live=\"polite\"></p>\n</form>\n");
        Some(())
    }

    /// One session on the home page: its list item around the `entry` macro.
    fn home_entry(&self, w: &mut W<'_>, e: &Entry<'_>) -> Option<()> {
        let s = e.session;
        let lang = self.timeline.meta.language.as_str();
        w.raw("\n  <li class=\"entry");
        if s.records_pending {
            w.raw(" pending");
        }
        w.raw("\" id=\"session-");
        w.num(s.ordinal);
        w.raw("\" data-ordinal=\"");
        w.num(s.ordinal);
        w.raw("\" data-year=\"");
        if let Some(y) = s.year {
            w.num(y);
        }
        w.raw("\" data-sectors=\"");
        for x in &s.sectors {
            w.text(&x.slug);
            w.raw(" ");
        }
        w.raw("\">\n\n    ");
        if let Some(y) = e.year_marker.filter(|y| *y != 0) {
            w.raw("<p class=\"year-marker\" aria-hidden=\"true\">");
            w.num(y);
            w.raw("</p>");
        }
        let xl = if !s.lang.is_empty() && s.lang != lang {
            s.lang.as_str()
        } else {
            ""
        };
        w.raw("\n    \n    <article class=\"card\" aria-labelledby=\"title-");
        w.num(s.ordinal);
        w.raw("\">\n      ");
        if s.untranslated {
            self.untranslated_badge(w)?;
        }
        w.raw("\n      <h3 id=\"title-");
        w.num(s.ordinal);
        w.raw("\"");
        w.lang_attr(xl);
        w.raw("><a href=\"");
        w.text(&self.root);
        w.text(&s.path);
        w.raw("\">");
        w.text(&s.title);
        w.raw("</a></h3>\n      <p class=\"meta\"><span class=\"ordinal\">");
        w.text(&s.ordinal_text);
        w.raw("</span> · ");
        date(w, s.date)?;
        if let Some(city) = some(&s.city) {
            w.raw(" · <span");
            if !xl.is_empty() {
                w.lang_attr(xl);
            } else if let Some(pl) = some(&s.place_lang) {
                w.lang_attr(pl);
            }
            w.raw(">");
            w.text(city);
            w.raw("</span>");
        }
        w.raw("</p>\n      ");
        if s.records_pending {
            w.raw("<p class=\"badge pending-badge\">");
            w.t("records_pending")?;
            w.raw("</p>");
        }
        w.raw("\n      ");
        if !s.co_chairs.is_empty() {
            w.raw("<div class=\"co-chairs\"><span class=\"label\">");
            w.t("co_chairs")?;
            w.raw(":</span> ");
            self.co_chairs(w, &s.co_chairs, false, xl);
            w.raw("</div>");
        }
        w.raw("\n      ");
        self.sector_chips(w, &s.sectors);
        w.raw("\n      <p class=\"tallies\"><span class=\"agreement-count\"><strong>");
        w.num(s.agreements.len());
        w.raw("</strong> ");
        w.t("agreements_count")?;
        w.raw("</span>");
        if e.introduced_count > 0 || e.reviewed_count > 0 {
            w.raw(" <span class=\"sep\" aria-hidden=\"true\">·</span> <span class=\"counts\"><strong>");
            w.num(e.introduced_count);
            w.raw("</strong> ");
            w.t("introduced_count")?;
            w.raw(" · <strong>");
            w.num(e.reviewed_count);
            w.raw("</strong> ");
            w.t("reviewed_count")?;
            w.raw("</span>");
        }
        w.raw("</p>\n    </article>\n\n  </li>\n");
        Some(())
    }

    /// `print.html`.
    fn print_page(&self, w: &mut W<'_>, articles: bool) -> Option<usize> {
        let t = self.timeline;
        let meta = &t.meta;
        if articles {
            let body_bytes: usize = t.sessions.iter().map(|s| s.body_html.len()).sum();
            w.out.reserve(body_bytes + 2048 * t.sessions.len() + 16384);
        }
        let mut at = 0;
        let content = |w: &mut W<'_>| {
            w.raw("\n<div class=\"print-page\">\n<h1>");
            w.text(&meta.title);
            w.raw("</h1>\n");
            if let Some(parent) = some(&meta.parent) {
                w.raw("<p class=\"parent\">");
                w.t("part_of")?;
                w.raw(": ");
                w.text(parent);
                w.raw("</p>");
            }
            w.raw("\n<p class=\"print-intro\">");
            w.t("print_intro")?;
            w.raw("</p>\n<div class=\"intro\">");
            w.raw(&meta.intro_html);
            w.raw("</div>\n");
            if !t.sessions.is_empty() {
                w.raw("\n<nav class=\"print-contents\" aria-labelledby=\"contents\">\n<h2 id=\"contents\">");
                w.t("print_contents")?;
                w.raw("</h2>\n<ol>");
                for s in &t.sessions {
                    w.raw("<li><a href=\"#print-");
                    w.num(s.ordinal);
                    w.raw("\"");
                    self.session_line(w, s)?;
                }
                w.raw("</ol>\n</nav>\n");
            }
            w.raw("\n");
            at = w.out.len();
            if articles {
                for s in &t.sessions {
                    self.print_entry(w, s)?;
                }
            }
            w.raw("\n</div>\n");
            Some(())
        };
        self.base(
            w,
            ("print/", &meta.title, &super::Page::Print),
            Title::Key("print_heading"),
            "",
            content,
            |_| Some(()),
        )?;
        Some(at)
    }

    /// The print page without its sessions' articles: the text before them and after.
    /// `None` unless the print page is compiled for this theme.
    pub(super) fn print_frame(&self) -> Option<(String, String)> {
        if !self.compiled.print {
            return None;
        }
        let mut w = self.writer();
        let at = self.print_page(&mut w, false)?;
        let tail = w.out.split_off(at);
        Some((w.out, tail))
    }

    /// The print page's articles of `sessions`, in order.
    pub(super) fn print_articles(&self, sessions: &[Session]) -> Option<String> {
        let mut w = self.writer();
        let bytes: usize = sessions.iter().map(|s| s.body_html.len() + 2048).sum();
        w.out.reserve(bytes);
        for s in sessions {
            self.print_entry(&mut w, s)?;
        }
        Some(w.out)
    }

    fn writer(&self) -> W<'_> {
        W {
            out: String::new(),
            tr: self.theme.strings_for(&self.timeline.meta.language),
        }
    }

    /// A session in a list of titles, after its link's `href`: title, date and city.
    fn session_line(&self, w: &mut W<'_>, s: &Session) -> Option<()> {
        let lang = self.timeline.meta.language.as_str();
        self.other_lang(w, &s.lang);
        w.raw(">");
        w.text(&s.title);
        w.raw("</a> — ");
        date(w, s.date)?;
        if let Some(city) = some(&s.city) {
            w.raw(", <span");
            if s.lang != lang {
                w.lang_attr_always(&s.lang);
            } else if let Some(pl) = some(&s.place_lang) {
                w.lang_attr(pl);
            }
            w.raw(">");
            w.text(city);
            w.raw("</span>");
        }
        w.raw("</li>");
        Some(())
    }

    /// `sector.html`.
    fn sector_page(&self, w: &mut W<'_>, i: usize) -> Option<()> {
        let t = self.timeline;
        let sector = &t.sectors[i];
        w.out.reserve(256 * sector.sessions.len() + 8192);
        let content = |w: &mut W<'_>| {
            w.raw("\n<h1");
            self.other_lang(w, &sector.lang);
            w.raw(">");
            w.text(&sector.name);
            w.raw("</h1>\n<h2 id=\"sessions\">");
            w.t("sessions_in_sector")?;
            w.raw("</h2>\n");
            if sector.sessions.is_empty() {
                w.raw("<p>");
                w.t("no_sessions")?;
                w.raw("</p>");
            } else {
                w.raw("\n<ol class=\"sector-sessions\">\n");
                for s in sector.sessions.iter().map(|&j| &t.sessions[j]) {
                    w.raw("<li><a href=\"");
                    w.text(&self.root);
                    w.text(&s.path);
                    w.raw("\"");
                    self.session_line(w, s)?;
                    w.raw("\n");
                }
                w.raw("\n</ol>\n");
            }
            w.raw("\n");
            let mut commitments = (sector.commitments.iter())
                .filter_map(|id| t.commitment(id))
                .peekable();
            if commitments.peek().is_some() {
                w.raw("\n<h2 id=\"commitments\">");
                w.t("commitments_in_sector")?;
                w.raw("</h2>\n<ul class=\"commitment-list\">");
                for c in commitments {
                    w.raw("<li><a href=\"");
                    w.text(&self.root);
                    w.text(&c.path);
                    w.raw("\"");
                    self.other_lang(w, &c.lang);
                    w.raw(">");
                    w.text(&c.title);
                    w.raw("</a> ");
                    status(w, c.status)?;
                    w.raw("</li>");
                }
                w.raw("</ul>\n");
            }
            w.raw("\n");
            Some(())
        };
        self.base(
            w,
            (&sector.path, &sector.name, &super::Page::Sector(i)),
            Title::Page,
            "",
            content,
            |_| Some(()),
        )
    }

    /// `commitment.html`.
    fn commitment_page(&self, w: &mut W<'_>, i: usize) -> Option<()> {
        let c = &self.timeline.commitments[i];
        let mut head =
            String::from("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
        theme::escape_into(&mut head, &c.title);
        head.push_str("\" href=\"");
        theme::escape_into(&mut head, &self.root);
        theme::escape_into(&mut head, &c.path);
        head.push_str("feed.xml\">");
        let content = |w: &mut W<'_>| {
            w.raw("\n<h1");
            self.other_lang(w, &c.lang);
            w.raw(">");
            w.text(&c.title);
            w.raw("</h1>\n<p>");
            w.t("current_status")?;
            w.raw(": ");
            status(w, c.status)?;
            w.raw("</p>\n");
            if !c.sectors.is_empty() {
                w.raw("<p>");
                w.t("sectors")?;
                w.raw(":</p>");
                self.sector_chips(w, &c.sectors);
            }
            w.raw("\n");
            if let Some(by) = some(&c.superseded_by) {
                w.raw("<p>");
                w.t("superseded_by")?;
                w.raw(": <a href=\"");
                w.text(&self.root);
                w.raw("commitments/");
                w.text(by);
                w.raw("/\">");
                w.text(by);
                w.raw("</a></p>");
            }
            w.raw("\n");
            if !c.supersedes.is_empty() {
                w.raw("<p>");
                w.t("supersedes")?;
                w.raw(": ");
                for (k, id) in c.supersedes.iter().enumerate() {
                    w.raw("<a href=\"");
                    w.text(&self.root);
                    w.raw("commitments/");
                    w.text(id);
                    w.raw("/\">");
                    w.text(id);
                    w.raw("</a>");
                    if k + 1 < c.supersedes.len() {
                        w.raw(", ");
                    }
                }
                w.raw("</p>");
            }
            w.raw("\n<h2 id=\"history\">");
            w.t("commitment_history")?;
            w.raw("</h2>\n<ol class=\"history\">\n");
            for h in &c.history {
                w.raw("\n<li><a href=\"");
                w.text(&self.root);
                w.text(&h.session_path);
                w.raw("\">");
                w.t("session")?;
                w.raw(" ");
                w.num(h.session);
                w.raw("</a>: <cite class=\"session-title\"");
                self.other_lang(w, &h.session_lang);
                w.raw(">");
                w.text(&h.session_title);
                w.raw("</cite> — ");
                date(w, h.date)?;
                w.raw(" — ");
                if let Some(prev) = h.previous.filter(|p| *p != h.status) {
                    status(w, prev)?;
                    w.raw(" → ");
                }
                status(w, h.status)?;
                if let Some(note) = some(&h.note) {
                    w.raw("<p");
                    self.other_lang(w, &h.note_lang);
                    w.raw(">");
                    w.text(note);
                    w.raw("</p>");
                }
                w.raw("</li>\n");
            }
            w.raw("\n</ol>\n<p class=\"feed-link\"><a href=\"");
            w.text(&self.root);
            w.text(&c.path);
            w.raw("feed.xml\" type=\"application/atom+xml\">");
            w.t("commitment_feed")?;
            w.raw("</a></p>\n");
            Some(())
        };
        self.base(
            w,
            (&c.path, &c.title, &super::Page::Commitment(i)),
            Title::Page,
            &head,
            content,
            |_| Some(()),
        )
    }

    /// One session's article on the print page.
    fn print_entry(&self, w: &mut W<'_>, s: &Session) -> Option<()> {
        let lang = self.timeline.meta.language.as_str();
        let xl = if s.lang != lang { s.lang.as_str() } else { "" };
        w.raw("\n\n<article class=\"print-session");
        if s.records_pending {
            w.raw(" pending");
        }
        w.raw("\" id=\"print-");
        w.num(s.ordinal);
        w.raw("\" aria-labelledby=\"print-");
        w.num(s.ordinal);
        w.raw("-title\">\n");
        if s.untranslated {
            self.untranslated_badge(w)?;
        }
        w.raw("\n<h2 id=\"print-");
        w.num(s.ordinal);
        w.raw("-title\"");
        w.lang_attr(xl);
        w.raw(">");
        w.text(&s.title);
        w.raw("</h2>\n");
        if s.records_pending {
            w.raw("<p class=\"badge pending-badge\">");
            w.t("records_pending")?;
            w.raw("</p>");
        }
        w.raw("\n<dl class=\"facts\">\n");
        self.facts(w, s, xl)?;
        w.raw("  ");
        if !s.sectors.is_empty() {
            w.raw("<dt>");
            w.t("sectors")?;
            w.raw("</dt><dd>");
            for (k, x) in s.sectors.iter().enumerate() {
                w.raw("<span");
                self.other_lang(w, &x.lang);
                w.raw(">");
                w.text(&x.name);
                w.raw("</span>");
                if k + 1 < s.sectors.len() {
                    w.raw(", ");
                }
            }
            w.raw("</dd>");
        }
        w.raw("\n  ");
        if !s.agreements.is_empty() {
            w.raw("<dt>");
            w.t("agreements")?;
            w.raw("</dt><dd><ul class=\"plain\"");
            w.lang_attr(xl);
            w.raw(">");
            for a in &s.agreements {
                agreement(w, a, false);
            }
            w.raw("</ul></dd>");
        }
        w.raw("\n</dl>\n");
        if !s.body_html.is_empty() {
            w.raw("<section class=\"notes\" aria-label=\"");
            w.t("notes")?;
            w.raw(": ");
            w.text(&s.title);
            w.raw("\"");
            w.lang_attr(xl);
            w.raw(">");
            let base = format!("{}{}", self.root, s.path);
            for_print(&mut w.out, &s.body_html, s.ordinal, &base);
            w.raw("</section>");
        }
        w.raw("\n");
        if !s.commitments.is_empty() {
            w.raw("<h3>");
            w.t("commitments")?;
            w.raw("</h3>\n<ul class=\"commitment-list\">");
            for c in &s.commitments {
                w.raw("<li><span");
                self.other_lang(w, &c.lang);
                w.raw(">");
                w.text(&c.title);
                w.raw("</span> — ");
                status(w, c.status)?;
                self.mention_note(w, c);
                w.raw("</li>");
            }
            w.raw("</ul>");
        }
        w.raw("\n");
        if !s.sources.is_empty() {
            w.raw("<h3>");
            w.t("sources")?;
            w.raw("</h3>\n<ul class=\"sources\"");
            w.lang_attr(xl);
            w.raw(">");
            for x in &s.sources {
                w.raw("<li><span");
                w.lang_attr(x.lang.as_deref().unwrap_or_default());
                w.raw(">");
                w.text(&x.title);
                w.raw("</span>");
                source_tail(w, x);
                w.raw(": <a href=\"");
                w.text(&x.url);
                w.raw("\">");
                w.text(&x.url);
                w.raw("</a></li>");
            }
            w.raw("</ul>");
        }
        w.raw("\n</article>\n");
        Some(())
    }

    /// The date, place, co-chairs and delegates rows of a session's facts (the session
    /// page's and the print page's are the same).
    fn facts(&self, w: &mut W<'_>, s: &Session, xl: &str) -> Option<()> {
        w.raw("  <dt>");
        w.t("date")?;
        w.raw("</dt><dd>");
        date(w, s.date)?;
        w.raw("</dd>\n  <dt>");
        w.t("place")?;
        w.raw("</dt>");
        let pl = some(&s.place_lang).unwrap_or(xl);
        w.raw("<dd>");
        let has_place = some(&s.venue)
            .or(some(&s.city))
            .or(some(&s.country))
            .is_some();
        if !pl.is_empty() && has_place {
            w.raw("<span lang=\"");
            w.text(pl);
            w.raw("\">");
            place(w, s)?;
            w.raw("</span>");
        } else {
            place(w, s)?;
        }
        w.raw("</dd>\n  ");
        if !s.co_chairs.is_empty() {
            w.raw("<dt>");
            w.t("co_chairs")?;
            w.raw("</dt><dd>");
            self.co_chairs(w, &s.co_chairs, true, xl);
            w.raw("</dd>");
        }
        w.raw("\n  ");
        if let Some(d) = s.delegates.filter(|d| *d != 0) {
            w.raw("<dt>");
            w.t("delegates")?;
            w.raw("</dt><dd>");
            w.num(d);
            w.raw("</dd>");
        }
        w.raw("\n");
        Some(())
    }

    fn untranslated_badge(&self, w: &mut W<'_>) -> Option<()> {
        w.raw("<p class=\"badge untranslated-badge\" lang=\"");
        w.text(&self.timeline.meta.language);
        w.raw("\">");
        w.t("not_yet_translated")?;
        w.raw("</p>");
        Some(())
    }

    /// ` lang="…"` when `lang` is not the page's.
    fn other_lang(&self, w: &mut W<'_>, lang: &str) {
        if lang != self.timeline.meta.language {
            w.lang_attr_always(lang);
        }
    }

    /// The `sector_chips` macro.
    fn sector_chips(&self, w: &mut W<'_>, sectors: &[SectorRef]) {
        if sectors.is_empty() {
            return;
        }
        let lang = self.timeline.meta.language.as_str();
        w.raw("<ul class=\"chips\">");
        for x in sectors {
            w.raw("<li><a class=\"chip\" href=\"");
            w.text(&self.root);
            w.text(&x.path);
            w.raw("\"");
            if !lang.is_empty() && x.lang != lang {
                w.lang_attr_always(&x.lang);
            }
            w.raw(">");
            w.text(&x.name);
            w.raw("</a></li>");
        }
        w.raw("</ul>");
    }

    /// The `co_chairs` macro.
    fn co_chairs(&self, w: &mut W<'_>, list: &[CoChair], long: bool, lang: &str) {
        w.raw("<ul class=\"plain co-chair-list\">");
        for c in list {
            w.raw("<li class=\"co-chair");
            if let Some(partner) = some(&c.partner) {
                for p in self.partners.iter().filter(|p| p.name == partner) {
                    w.raw(" partner-");
                    w.num(p.n);
                }
            }
            w.raw("\"><span");
            w.lang_attr(some(&c.lang).unwrap_or(lang));
            w.raw(">");
            w.text(&c.name);
            w.raw("</span>");
            if let Some(role) = some(&c.role).filter(|_| long) {
                w.raw(", <span");
                w.lang_attr(some(&c.role_lang).unwrap_or(lang));
                w.raw(">");
                w.text(role);
                w.raw("</span>");
            }
            if let Some(partner) = some(&c.partner) {
                w.raw(" (");
                w.text(partner);
                w.raw(")");
            }
            w.raw("</li>");
        }
        w.raw("</ul>");
    }

    /// A commitment in a session page's "introduced" or "reviewed" list.
    fn mention(&self, w: &mut W<'_>, c: &SessionMention, reviewed: bool) -> Option<()> {
        w.raw("<li><a href=\"");
        w.text(&self.root);
        w.text(&c.path);
        w.raw("\"");
        self.other_lang(w, &c.lang);
        w.raw(">");
        w.text(&c.title);
        w.raw("</a> ");
        if reviewed && let Some(prev) = c.previous.filter(|p| *p != c.status) {
            status(w, prev)?;
            w.raw(" → ");
        }
        status(w, c.status)?;
        self.mention_note(w, c);
        w.raw("</li>");
        Some(())
    }

    fn mention_note(&self, w: &mut W<'_>, c: &SessionMention) {
        if let Some(note) = some(&c.note) {
            w.raw(" — <span");
            self.other_lang(w, &c.note_lang);
            w.raw(">");
            w.text(note);
            w.raw("</span>");
        }
    }
}

impl W<'_> {
    /// ` lang="…"` whatever `lang` is (a comparison already chose to print it).
    fn lang_attr_always(&mut self, lang: &str) {
        self.raw(" lang=\"");
        self.text(lang);
        self.raw("\"");
    }
}

/// The `date` macro.
fn date(w: &mut W<'_>, d: Option<chrono::NaiveDate>) -> Option<()> {
    match d {
        Some(d) => {
            w.raw("<time datetime=\"");
            w.num(d);
            w.raw("\">");
            let tr = w.tr;
            let long = theme::long_date(d, &|k| tr.get(k).map(str::to_string));
            w.text(&long);
            w.raw("</time>");
        }
        None => {
            w.raw("<span class=\"unknown\">");
            w.t("date_not_recorded")?;
            w.raw("</span>");
        }
    }
    Some(())
}

/// The `place` macro.
fn place(w: &mut W<'_>, s: &Session) -> Option<()> {
    let (venue, city, country) = (some(&s.venue), some(&s.city), some(&s.country));
    if venue.is_none() && city.is_none() && country.is_none() {
        w.raw("<span class=\"unknown\">");
        w.t("place_not_recorded")?;
        w.raw("</span>");
        return Some(());
    }
    if let Some(v) = venue {
        w.text(v);
        if city.is_some() || country.is_some() {
            w.raw(", ");
        }
    }
    if let Some(c) = city {
        w.text(c);
        if country.is_some() {
            w.raw(", ");
        }
    }
    if let Some(c) = country {
        w.text(c);
    }
    Some(())
}

/// The `status` macro.
fn status(w: &mut W<'_>, s: Status) -> Option<()> {
    w.raw("<span class=\"status status-");
    w.text(s.as_str());
    w.raw("\">");
    w.t(&status_key(s))?;
    w.raw("</span>");
    Some(())
}

fn status_key(s: Status) -> String {
    format!("status_{}", s.as_str())
}

/// An agreement's list item; on the session page its title links to its text.
fn agreement(w: &mut W<'_>, a: &Agreement, linked: bool) {
    w.raw("<li");
    w.lang_attr(a.lang.as_deref().unwrap_or_default());
    w.raw(">");
    match some(&a.url).filter(|_| linked) {
        Some(url) => {
            w.raw("<a href=\"");
            w.text(url);
            w.raw("\">");
            w.text(&a.title);
            w.raw("</a>");
        }
        None => w.text(&a.title),
    }
    if let Some(kind) = some(&a.kind) {
        w.raw(" (");
        w.text(kind);
        if let Some(st) = some(&a.status) {
            w.raw(", ");
            w.text(st);
        }
        w.raw(")");
    }
    w.raw("</li>");
}

/// A source's publisher and date after its title.
fn source_tail(w: &mut W<'_>, x: &Source) {
    if let Some(publisher) = some(&x.publisher) {
        w.raw(", <span");
        w.lang_attr(x.publisher_lang.as_deref().unwrap_or_default());
        w.raw(">");
        w.text(publisher);
        w.raw("</span>");
    }
    if let Some(d) = some(&x.date) {
        w.raw(", ");
        w.text(d);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Page, RenderOptions, Shared};
    use crate::site::{LoadOptions, Site};

    #[test]
    fn the_default_theme_takes_the_compiled_path_unless_told_not_to() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Site::load(root, &LoadOptions::default()).expect("the reference site loads");
        let pages = [
            Page::Home,
            Page::Print,
            Page::Session(0),
            Page::Sector(0),
            Page::Commitment(0),
        ];
        let opts = RenderOptions::default();
        let shared = Shared::new(&site.timeline, &site.theme, &opts);
        for page in &pages {
            assert!(shared.render_compiled(page).is_some(), "{page:?}");
        }
        let mut streamed = Vec::new();
        assert!(shared.write_print(&mut streamed).is_some_and(|r| r.is_ok()));
        let (_, whole) = shared.render(&Page::Print).unwrap();
        assert_eq!(String::from_utf8(streamed).unwrap(), whole);
        assert!(shared.render_compiled(&Page::Sectors).is_none());
        let opts = RenderOptions {
            templates_only: true,
            ..Default::default()
        };
        let shared = Shared::new(&site.timeline, &site.theme, &opts);
        for page in &pages {
            assert!(shared.render_compiled(page).is_none(), "{page:?}");
        }
        assert!(shared.write_print(&mut Vec::new()).is_none());
    }
}
