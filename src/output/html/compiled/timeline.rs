//! `index.html`: the home page and its timeline of sessions.

use super::{Shared, Title, W, date, some, status_key};
use crate::output::html::Entry;
use crate::timeline::Session;

impl Shared<'_> {
    /// `index.html`.
    pub(super) fn home_page(&self, w: &mut W<'_>) -> Option<()> {
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
            self.open_data(w)
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
            ("", &meta.title, &crate::output::Page::Home),
            Title::Site,
            "",
            content,
            scripts,
        )
    }

    /// The home page's list of the open-data files.
    fn open_data(&self, w: &mut W<'_>) -> Option<()> {
        let meta = &self.timeline.meta;
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
    }

    /// The home page's search form.
    pub(super) fn finder(&self, w: &mut W<'_>) -> Option<()> {
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
    pub(super) fn home_entry(&self, w: &mut W<'_>, e: &Entry<'_>) -> Option<()> {
        let s = e.session;
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
        self.card(w, e)?;
        w.raw("\n\n  </li>\n");
        Some(())
    }

    /// The `entry` macro: one session's card on the timeline.
    fn card(&self, w: &mut W<'_>, e: &Entry<'_>) -> Option<()> {
        let s = e.session;
        let lang = self.timeline.meta.language.as_str();
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
        w.raw("</p>\n    </article>");
        Some(())
    }

    /// A session in a list of titles, after its link's `href`: title, date and city.
    pub(super) fn session_line(&self, w: &mut W<'_>, s: &Session) -> Option<()> {
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
}
