//! A session as templates see it: in full on its own page and the print page, as a card on
//! the timeline, and in brief in lists and the previous/next links.

use chrono::NaiveDate;
use serde::Serialize;

use super::{changed_from, mark};
use crate::timeline::{SectorRef, Session, SessionMention, Timeline};

/// Everything a page shows of a session. `lang_mark` is the session's language when the
/// page shows it untranslated: its own text (title, place, co-chairs, agreements, notes,
/// sources) is marked with it, the theme's labels around it are not.
#[derive(Serialize)]
pub struct SessionView<'a> {
    pub ordinal: u32,
    pub ordinal_text: &'a str,
    pub title: &'a str,
    /// The note gives a title of its own, not the default ("11th session"), which already
    /// says the ordinal.
    pub titled: bool,
    /// `lang_mark` for the title: none for a default title, which is in the page's language.
    pub title_lang_mark: Option<&'a str>,
    /// Untranslated, and the timeline's card shows some of the original's text (its title,
    /// city or co-chairs): what the card's "not yet translated" badge is for.
    pub card_untranslated: bool,
    pub path: &'a str,
    pub date: Option<NaiveDate>,
    pub year: Option<i32>,
    pub lang_mark: Option<&'a str>,
    pub untranslated: bool,
    pub records_pending: bool,
    pub venue: Option<&'a str>,
    pub city: Option<&'a str>,
    /// The city's language where it differs from the page's.
    pub city_lang: Option<&'a str>,
    pub country: Option<&'a str>,
    /// Venue, city and country as one line; `None` when none is recorded.
    pub place: Option<String>,
    pub place_lang: Option<&'a str>,
    pub co_chairs: Vec<CoChair<'a>>,
    pub delegates: Option<u32>,
    /// The sources give `delegates` as approximate: shown as "about 80".
    pub delegates_approximate: bool,
    pub sectors: Vec<Chip<'a>>,
    pub agreements: Vec<Agreement<'a>>,
    /// False when the note does not record the session's agreements (not the same as none).
    pub agreements_recorded: bool,
    /// Every commitment the session mentions; `introduced_count` of them are introduced
    /// here, `reviewed_count` reviewed.
    pub commitments: Vec<Mention<'a>>,
    pub introduced_count: usize,
    pub reviewed_count: usize,
    pub sources: Vec<Source<'a>>,
    /// Points on which the sources differ, each reading with the source that gives it.
    pub disagreements: Vec<Disagreement<'a>>,
    /// The note's `summary`, if it gives one.
    pub summary: Option<&'a str>,
}

#[derive(Serialize)]
pub struct CoChair<'a> {
    pub name: &'a str,
    pub name_lang: Option<&'a str>,
    pub role: Option<&'a str>,
    pub role_lang: Option<&'a str>,
    pub partner: Option<&'a str>,
    /// The numbers (`partner-N`) of the partners of that name.
    pub partner_n: Vec<usize>,
}

/// A sector a session or commitment names, linking to its page.
#[derive(Serialize)]
pub struct Chip<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub path: &'a str,
    pub lang_mark: Option<&'a str>,
}

impl<'a> Chip<'a> {
    pub fn of(s: &'a SectorRef, lang: &str) -> Chip<'a> {
        Chip {
            slug: &s.slug,
            name: &s.name,
            path: &s.path,
            lang_mark: mark(&s.lang, lang),
        }
    }
}

#[derive(Serialize)]
pub struct Agreement<'a> {
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub status: Option<&'a str>,
    /// Set when the title is the original's, untranslated.
    pub lang: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Source<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub lang: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub publisher_lang: Option<&'a str>,
    pub date: Option<&'a str>,
    pub archived: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Disagreement<'a> {
    pub point: &'a str,
    pub readings: Vec<Reading<'a>>,
}

#[derive(Serialize)]
pub struct Reading<'a> {
    pub text: &'a str,
    /// The source's publisher, or its title when the note names no publisher: short
    /// enough to follow each reading.
    pub source: &'a str,
    pub url: &'a str,
}

impl<'a> Disagreement<'a> {
    /// The disagreements of `s`, each reading named by its source's publisher or title.
    fn all(s: &'a Session) -> Vec<Disagreement<'a>> {
        let title = |url: &'a str| {
            let source = s.sources.iter().find(|src| src.url == url);
            source.map_or(url, |src| src.publisher.as_deref().unwrap_or(&src.title))
        };
        (s.disagreements.iter())
            .map(|x| Disagreement {
                point: &x.point,
                readings: (x.readings.iter())
                    .map(|r| Reading {
                        text: &r.text,
                        source: title(&r.source),
                        url: &r.source,
                    })
                    .collect(),
            })
            .collect()
    }
}

/// A commitment as one session mentions it.
#[derive(Serialize)]
pub struct Mention<'a> {
    pub title: &'a str,
    pub path: &'a str,
    pub lang_mark: Option<&'a str>,
    pub introduced: bool,
    pub status: &'static str,
    /// The status before this session, when this session changed it.
    pub changed_from: Option<&'static str>,
    pub note: Option<&'a str>,
    pub note_lang_mark: Option<&'a str>,
}

impl<'a> Mention<'a> {
    fn of(m: &'a SessionMention, lang: &str) -> Mention<'a> {
        Mention {
            title: &m.title,
            path: &m.path,
            lang_mark: mark(&m.lang, lang),
            introduced: m.introduced,
            status: m.status.as_str(),
            changed_from: changed_from(m.previous, m.status),
            note: m.note.as_deref(),
            note_lang_mark: mark(&m.note_lang, lang),
        }
    }
}

impl<'a> SessionView<'a> {
    /// Session `s` on a page in `lang` of a site with these `partners`.
    pub fn new(s: &'a Session, t: &'a Timeline) -> SessionView<'a> {
        let lang = t.meta.language.as_str();
        let lang_mark = mark(&s.lang, lang);
        let parts: Vec<&str> = [&s.venue, &s.city, &s.country]
            .into_iter()
            .filter_map(|p| p.as_deref().filter(|p| !p.is_empty()))
            .collect();
        let place = (!parts.is_empty()).then(|| parts.join(", "));
        let introduced_count = s.commitments.iter().filter(|c| c.introduced).count();
        SessionView {
            ordinal: s.ordinal,
            ordinal_text: &s.ordinal_text,
            title: &s.title,
            titled: s.title != crate::timeline::default_title(s.ordinal, lang),
            title_lang_mark: title_mark(s, lang),
            card_untranslated: s.untranslated
                && (title_mark(s, lang).is_some() || s.city.is_some() || !s.co_chairs.is_empty()),
            path: &s.path,
            date: s.date,
            year: s.year,
            lang_mark,
            untranslated: s.untranslated,
            records_pending: s.records_pending,
            venue: s.venue.as_deref(),
            city: s.city.as_deref(),
            city_lang: lang_mark.or(s.place_lang.as_deref()),
            country: s.country.as_deref(),
            place_lang: place.as_ref().and(s.place_lang.as_deref().or(lang_mark)),
            place,
            co_chairs: (s.co_chairs.iter())
                .map(|c| CoChair {
                    name: &c.name,
                    name_lang: c.lang.as_deref().or(lang_mark),
                    role: c.role.as_deref(),
                    role_lang: c.role_lang.as_deref().or(lang_mark),
                    partner: c.partner.as_deref(),
                    partner_n: (t.meta.partners.iter().enumerate())
                        .filter(|(_, p)| Some(&p.name) == c.partner.as_ref())
                        .map(|(i, _)| i + 1)
                        .collect(),
                })
                .collect(),
            delegates: s.delegates.map(|d| d.value),
            delegates_approximate: s.delegates.is_some_and(|d| d.approximate),
            sectors: s.sectors.iter().map(|x| Chip::of(x, lang)).collect(),
            agreements_recorded: s.agreements.is_some(),
            agreements: (s.agreements().iter())
                .map(|a| Agreement {
                    title: &a.title,
                    url: a.url.as_deref(),
                    kind: a.kind.as_deref(),
                    status: a.status.as_deref(),
                    lang: a.lang.as_deref(),
                })
                .collect(),
            commitments: s.commitments.iter().map(|m| Mention::of(m, lang)).collect(),
            introduced_count,
            reviewed_count: s.commitments.len() - introduced_count,
            sources: (s.sources.iter())
                .map(|x| Source {
                    title: &x.title,
                    url: &x.url,
                    lang: x.lang.as_deref(),
                    publisher: x.publisher.as_deref(),
                    publisher_lang: x.publisher_lang.as_deref(),
                    date: x.date.as_deref(),
                    archived: x.archived.as_deref(),
                })
                .collect(),
            disagreements: Disagreement::all(s),
            summary: s.summary.as_deref(),
        }
    }
}

/// A session on the timeline, with the marker it opens, if it opens one: a year, or a run
/// of sessions whose date is not on record. An undated session sits at its place by
/// ordinal and never under the year of the session before it; a dated session after it
/// opens its year again.
#[derive(Serialize)]
pub struct Entry<'a> {
    #[serde(flatten)]
    pub session: SessionView<'a>,
    pub year_marker: Option<i32>,
    /// The session opens a run of sessions without a date.
    pub undated_marker: bool,
}

impl<'a> Entry<'a> {
    /// The sessions at `indices`, each marked with the year (or the run of undated
    /// sessions) it opens in this list.
    pub fn list(t: &'a Timeline, indices: &[usize]) -> Vec<Entry<'a>> {
        // The group of the entry before: `None` before the first, then its year or `None`.
        let mut last: Option<Option<i32>> = None;
        (indices.iter().map(|&i| &t.sessions[i]))
            .map(|s| {
                let opens = last != Some(s.year);
                last = Some(s.year);
                Entry {
                    session: SessionView::new(s, t),
                    year_marker: s.year.filter(|_| opens),
                    undated_marker: opens && s.year.is_none(),
                }
            })
            .collect()
    }
}

/// A session in a list of sessions (a sector's page).
#[derive(Serialize)]
pub struct Listed<'a> {
    pub ordinal: u32,
    pub title: &'a str,
    pub path: &'a str,
    pub lang_mark: Option<&'a str>,
    pub date: Option<NaiveDate>,
    pub city: Option<&'a str>,
    pub city_lang: Option<&'a str>,
}

/// The language mark of `s`'s title on a page in `lang`: none for a default title, which
/// pactline writes in the page's language.
fn title_mark<'a>(s: &'a Session, lang: &str) -> Option<&'a str> {
    mark(&s.lang, lang).filter(|_| s.title != crate::timeline::default_title(s.ordinal, lang))
}

impl<'a> Listed<'a> {
    pub fn of(s: &'a Session, lang: &str) -> Listed<'a> {
        let lang_mark = mark(&s.lang, lang);
        Listed {
            ordinal: s.ordinal,
            title: &s.title,
            path: &s.path,
            lang_mark: title_mark(s, lang),
            date: s.date,
            city: s.city.as_deref(),
            city_lang: lang_mark.or(s.place_lang.as_deref()),
        }
    }
}

/// The previous or next session, for the links between session pages.
#[derive(Serialize)]
pub struct Brief<'a> {
    pub ordinal: u32,
    pub title: &'a str,
    pub path: &'a str,
    pub lang_mark: Option<&'a str>,
}

impl<'a> Brief<'a> {
    pub fn of(s: &'a Session, lang: &str) -> Brief<'a> {
        Brief {
            ordinal: s.ordinal,
            title: &s.title,
            path: &s.path,
            lang_mark: title_mark(s, lang),
        }
    }
}
