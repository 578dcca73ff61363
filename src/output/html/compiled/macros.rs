//! `macros.html`: the pieces several pages share.

use super::{Shared, W, some};
use crate::content::schema::{Agreement, CoChair, Source, Status};
use crate::theme;
use crate::timeline::{SectorRef, Session};

impl Shared<'_> {
    pub(super) fn untranslated_badge(&self, w: &mut W<'_>) -> Option<()> {
        w.raw("<p class=\"badge untranslated-badge\" lang=\"");
        w.text(&self.timeline.meta.language);
        w.raw("\">");
        w.t("not_yet_translated")?;
        w.raw("</p>");
        Some(())
    }

    /// ` lang="…"` when `lang` is not the page's.
    pub(super) fn other_lang(&self, w: &mut W<'_>, lang: &str) {
        if lang != self.timeline.meta.language {
            w.lang_attr_always(lang);
        }
    }

    /// `<a href="{root}{path}">title</a>`, the title marked with its language when that is
    /// not the page's.
    pub(super) fn link(&self, w: &mut W<'_>, path: &str, lang: &str, title: &str) {
        w.raw("<a href=\"");
        w.text(&self.root);
        w.text(path);
        w.raw("\"");
        self.other_lang(w, lang);
        w.raw(">");
        w.text(title);
        w.raw("</a>");
    }

    /// The `sector_chips` macro.
    pub(super) fn sector_chips(&self, w: &mut W<'_>, sectors: &[SectorRef]) {
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
    pub(super) fn co_chairs(&self, w: &mut W<'_>, list: &[CoChair], long: bool, lang: &str) {
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
}

/// The `date` macro.
pub(super) fn date(w: &mut W<'_>, d: Option<chrono::NaiveDate>) -> Option<()> {
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
pub(super) fn place(w: &mut W<'_>, s: &Session) -> Option<()> {
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
pub(super) fn status(w: &mut W<'_>, s: Status) -> Option<()> {
    w.raw("<span class=\"status status-");
    w.text(s.as_str());
    w.raw("\">");
    w.t(&status_key(s))?;
    w.raw("</span>");
    Some(())
}

pub(super) fn status_key(s: Status) -> String {
    format!("status_{}", s.as_str())
}

/// An agreement's list item; on the session page its title links to its text.
pub(super) fn agreement(w: &mut W<'_>, a: &Agreement, linked: bool) {
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
pub(super) fn source_tail(w: &mut W<'_>, x: &Source) {
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
