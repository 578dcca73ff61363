//! `session.html`: a session's page.

use super::{Shared, Title, W, agreement, date, place, some, source_tail, status};
use crate::timeline::{Session, SessionMention};

impl Shared<'_> {
    /// `session.html`.
    pub(super) fn session_page(&self, w: &mut W<'_>, i: usize) -> Option<()> {
        let t = self.timeline;
        let s = &t.sessions[i];
        let lang = t.meta.language.as_str();
        let page = crate::output::Page::Session(i);
        w.out.reserve(s.body_html.len() + 8192);
        let content = |w: &mut W<'_>| {
            let xl = if s.lang != lang { s.lang.as_str() } else { "" };
            self.session_top(w, s, xl)?;
            self.session_sections(w, s, xl)?;
            self.prev_next(w, i)
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

    /// The article's opening: badges, kicker, title and facts.
    fn session_top(&self, w: &mut W<'_>, s: &Session, xl: &str) -> Option<()> {
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
        self.facts(w, s, xl)?;
        if !s.sectors.is_empty() {
            w.raw("<dt>");
            w.t("sectors")?;
            w.raw("</dt><dd>");
            self.sector_chips(w, &s.sectors);
            w.raw("</dd>");
        }
        w.raw("\n</dl>\n");
        Some(())
    }

    /// Agreements, notes, the commitments introduced and reviewed, and sources.
    fn session_sections(&self, w: &mut W<'_>, s: &Session, xl: &str) -> Option<()> {
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
        Some(())
    }

    /// The end of the article and the links to the sessions before and after.
    fn prev_next(&self, w: &mut W<'_>, i: usize) -> Option<()> {
        let t = self.timeline;
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
    }

    /// The "record pending" badge and the start of a session's facts: the date, place,
    /// co-chairs and delegates rows (the session page's and the print page's are the same).
    pub(super) fn facts(&self, w: &mut W<'_>, s: &Session, xl: &str) -> Option<()> {
        if s.records_pending {
            w.raw("<p class=\"badge pending-badge\">");
            w.t("records_pending")?;
            w.raw("</p>");
        }
        w.raw("\n<dl class=\"facts\">\n  <dt>");
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
        w.raw("\n  ");
        Some(())
    }

    /// A commitment in a session page's "introduced" or "reviewed" list.
    pub(super) fn mention(&self, w: &mut W<'_>, c: &SessionMention, reviewed: bool) -> Option<()> {
        w.raw("<li>");
        self.link(w, &c.path, &c.lang, &c.title);
        w.raw(" ");
        if reviewed && let Some(prev) = c.previous.filter(|p| *p != c.status) {
            status(w, prev)?;
            w.raw(" → ");
        }
        status(w, c.status)?;
        self.mention_note(w, c);
        w.raw("</li>");
        Some(())
    }

    pub(super) fn mention_note(&self, w: &mut W<'_>, c: &SessionMention) {
        if let Some(note) = some(&c.note) {
            w.raw(" — <span");
            self.other_lang(w, &c.note_lang);
            w.raw(">");
            w.text(note);
            w.raw("</span>");
        }
    }
}
