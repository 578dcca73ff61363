//! `print.html`: the whole timeline with every session's notes.

use super::{Shared, Title, W, agreement, some, source_tail, status};
use crate::output::html::for_print;
use crate::timeline::Session;

impl Shared<'_> {
    /// `print.html`.
    pub(super) fn print_page(&self, w: &mut W<'_>, articles: bool) -> Option<usize> {
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
            ("print/", &meta.title, &crate::output::Page::Print),
            Title::Key("print_heading"),
            "",
            content,
            |_| Some(()),
        )?;
        Some(at)
    }

    /// The print page without its sessions' articles: the text before them and after.
    /// `None` unless the print page is compiled for this theme.
    pub(in crate::output::html) fn print_frame(&self) -> Option<(String, String)> {
        if !self.compiled.print {
            return None;
        }
        let mut w = self.writer();
        let at = self.print_page(&mut w, false)?;
        let tail = w.out.split_off(at);
        Some((w.out, tail))
    }

    /// The print page's articles of `sessions`, in order.
    pub(in crate::output::html) fn print_articles(&self, sessions: &[Session]) -> Option<String> {
        let mut w = self.writer();
        let bytes: usize = sessions.iter().map(|s| s.body_html.len() + 2048).sum();
        w.out.reserve(bytes);
        for s in sessions {
            self.print_entry(&mut w, s)?;
        }
        Some(w.out)
    }

    /// One session's article on the print page.
    pub(super) fn print_entry(&self, w: &mut W<'_>, s: &Session) -> Option<()> {
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
        self.facts(w, s, xl)?;
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
        self.print_sections(w, s, xl)?;
        w.raw("\n</article>\n");
        Some(())
    }

    /// The end of an article's facts, its notes, commitments and sources.
    fn print_sections(&self, w: &mut W<'_>, s: &Session, xl: &str) -> Option<()> {
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
        Some(())
    }
}
