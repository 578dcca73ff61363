//! `sector.html` and `commitment.html`.

use super::{Shared, Title, W, date, some, status};
use crate::theme;
use crate::timeline::Mention;

impl Shared<'_> {
    /// `sector.html`.
    pub(super) fn sector_page(&self, w: &mut W<'_>, i: usize) -> Option<()> {
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
                    w.raw("<li>");
                    self.link(w, &c.path, &c.lang, &c.title);
                    w.raw(" ");
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
            (&sector.path, &sector.name, &crate::output::Page::Sector(i)),
            Title::Page,
            "",
            content,
            |_| Some(()),
        )
    }

    /// `commitment.html`.
    pub(super) fn commitment_page(&self, w: &mut W<'_>, i: usize) -> Option<()> {
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
                self.history_step(w, h)?;
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
            (&c.path, &c.title, &crate::output::Page::Commitment(i)),
            Title::Page,
            &head,
            content,
            |_| Some(()),
        )
    }

    /// One step of a commitment's history.
    fn history_step(&self, w: &mut W<'_>, h: &Mention) -> Option<()> {
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
        Some(())
    }
}
