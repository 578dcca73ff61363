//! One view per kind of page: what its template receives besides the globals. Each
//! flattens a [`Head`], what every page's `<head>` describes itself with.

use serde::Serialize;

use super::changes::HistoryView;
use super::charts::{Grid, StatusChart, StatusPath};
use super::paging::{Pager, page_of};
use super::session::{Brief, Chip, Entry, Listed, SessionView};
use super::site::{Alternate, PageRef};
use super::{changed_from, mark};
use crate::timeline::{self, Timeline};

/// What every page says about itself: where it is, its versions in other languages, its
/// description (meta and Open Graph), Open Graph type and schema.org JSON-LD.
#[derive(Serialize)]
pub struct Head<'a> {
    pub page: PageRef<'a>,
    pub translations: Vec<Alternate>,
    /// Short enough for a search result or a link preview: the summary cut at about 160
    /// characters.
    pub description: std::borrow::Cow<'a, str>,
    pub og_type: &'static str,
    /// Pre-serialized and safe inside `<script type="application/ld+json">`.
    pub jsonld: Option<String>,
    /// Where the page stands among the numbered pages of its list, if it is one of them.
    pub pager: Option<Pager>,
    /// The print page holding what this page shows, below the language's root.
    pub print: Option<String>,
}

/// The home page: the timeline, or its latest sessions and the year pages when it is
/// longer than `paging.home`.
#[derive(Serialize)]
pub struct Home<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    pub intro_html: &'a str,
    pub sessions: Vec<Entry<'a>>,
    /// Every year page (the home page links them when it lists only the latest sessions).
    pub years: Vec<YearItem<'a>>,
    pub session_count: usize,
    pub sectors: Vec<SectorItem<'a>>,
    pub commitment_count: usize,
    pub status_counts: Vec<StatusCount>,
    pub status_chart: Option<StatusChart<'a>>,
}

impl<'a> Home<'a> {
    pub fn new(head: Head<'a>, t: &'a Timeline) -> Home<'a> {
        let n = t.sessions.len();
        let shown = n.min(t.meta.paging.home);
        let latest: Vec<usize> = (n - shown..n).collect();
        Home {
            head,
            intro_html: &t.meta.intro_html,
            sessions: Entry::list(t, &latest),
            years: YearItem::all(t),
            session_count: n,
            sectors: SectorItem::all(t),
            commitment_count: t.commitments.len(),
            status_counts: StatusCount::all(t),
            status_chart: StatusChart::new(t),
        }
    }
}

/// A year in the index of years.
#[derive(Serialize)]
pub struct YearItem<'a> {
    /// `None` for the sessions without a date.
    pub year: Option<i32>,
    pub slug: &'a str,
    pub path: &'a str,
    pub session_count: usize,
}

impl<'a> YearItem<'a> {
    pub fn of(y: &'a timeline::Year) -> YearItem<'a> {
        YearItem {
            year: y.year,
            slug: &y.slug,
            path: &y.path,
            session_count: y.sessions.len(),
        }
    }

    fn all(t: &'a Timeline) -> Vec<YearItem<'a>> {
        t.years.iter().map(YearItem::of).collect()
    }
}

/// One page of a year's sessions.
#[derive(Serialize)]
pub struct YearPage<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    pub year: YearItem<'a>,
    pub sessions: Vec<Entry<'a>>,
}

impl<'a> YearPage<'a> {
    pub fn new(head: Head<'a>, t: &'a Timeline, (i, number): (usize, usize)) -> YearPage<'a> {
        let y = &t.years[i];
        let page = page_of(&y.sessions, t.meta.paging.per_page, number);
        YearPage {
            head,
            year: YearItem::of(y),
            sessions: Entry::list(t, page),
        }
    }
}

/// One session's page.
#[derive(Serialize)]
pub struct SessionPage<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    pub session: SessionView<'a>,
    pub body_html: &'a str,
    pub prev: Option<Brief<'a>>,
    pub next: Option<Brief<'a>>,
    /// The changes to the record, from the repository's history; `None` without one.
    pub history: Option<HistoryView<'a>>,
}

impl<'a> SessionPage<'a> {
    pub fn new(head: Head<'a>, t: &'a Timeline, i: usize) -> SessionPage<'a> {
        let s = &t.sessions[i];
        let lang = t.meta.language.as_str();
        let brief = |j: usize| t.sessions.get(j).map(|s| Brief::of(s, lang));
        SessionPage {
            head,
            session: SessionView::new(s, t),
            body_html: &s.body_html,
            prev: i.checked_sub(1).and_then(brief),
            next: brief(i + 1),
            history: s.history.as_deref().map(|h| HistoryView::of(h, &t.meta)),
        }
    }
}

/// A print page: every session with its notes, or a part of a year's.
#[derive(Serialize)]
pub struct Print<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    pub intro_html: &'a str,
    /// The year this page prints a part of; `None` when it prints the whole timeline.
    pub year: Option<YearItem<'a>>,
    pub sessions: Vec<PrintEntry<'a>>,
}

#[derive(Serialize)]
pub struct PrintEntry<'a> {
    #[serde(flatten)]
    pub session: SessionView<'a>,
    pub body_html: String,
}

/// The list of sectors.
#[derive(Serialize)]
pub struct Sectors<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    pub sectors: Vec<SectorItem<'a>>,
    pub grid: Grid<'a>,
}

#[derive(Serialize)]
pub struct SectorItem<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub path: &'a str,
    pub lang_mark: Option<&'a str>,
    pub session_count: usize,
    pub commitment_count: usize,
}

impl<'a> SectorItem<'a> {
    fn of(s: &'a timeline::Sector, lang: &str) -> SectorItem<'a> {
        SectorItem {
            slug: &s.slug,
            name: &s.name,
            path: &s.path,
            lang_mark: mark(&s.lang, lang),
            session_count: s.sessions.len(),
            commitment_count: s.commitments.len(),
        }
    }

    fn all(t: &'a Timeline) -> Vec<SectorItem<'a>> {
        (t.sectors.iter())
            .map(|s| SectorItem::of(s, &t.meta.language))
            .collect()
    }
}

impl<'a> Sectors<'a> {
    pub fn new(head: Head<'a>, t: &'a Timeline) -> Sectors<'a> {
        Sectors {
            head,
            sectors: SectorItem::all(t),
            grid: Grid::new(t),
        }
    }
}

/// One sector's page: its sessions in brief and its commitments.
#[derive(Serialize)]
pub struct Sector<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    pub sector: SectorItem<'a>,
    pub sessions: Vec<Listed<'a>>,
    pub commitments: Vec<CommitmentItem<'a>>,
}

impl<'a> Sector<'a> {
    pub fn new(head: Head<'a>, t: &'a Timeline, (i, number): (usize, usize)) -> Sector<'a> {
        let lang = t.meta.language.as_str();
        let per_page = t.meta.paging.per_page;
        let s = &t.sectors[i];
        Sector {
            head,
            sector: SectorItem::of(s, lang),
            sessions: (page_of(&s.sessions, per_page, number).iter())
                .map(|&j| Listed::of(&t.sessions[j], lang))
                .collect(),
            commitments: (page_of(&s.commitments, per_page, number).iter())
                .filter_map(|id| t.commitment(id))
                .map(|c| CommitmentItem::of(c, lang))
                .collect(),
        }
    }
}

/// A commitment in a list.
#[derive(Serialize)]
pub struct CommitmentItem<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub path: &'a str,
    pub lang_mark: Option<&'a str>,
    pub status: &'static str,
    pub introduced: u32,
    pub last_reviewed: u32,
    pub sectors: Vec<Chip<'a>>,
}

impl<'a> CommitmentItem<'a> {
    fn of(c: &'a timeline::Commitment, lang: &str) -> CommitmentItem<'a> {
        CommitmentItem {
            id: &c.id,
            title: &c.title,
            path: &c.path,
            lang_mark: mark(&c.lang, lang),
            status: c.status.as_str(),
            introduced: c.introduced,
            last_reviewed: c.last_reviewed,
            sectors: c.sectors.iter().map(|s| Chip::of(s, lang)).collect(),
        }
    }
}

/// How many commitments stand at a status; only statuses some commitment has.
#[derive(Serialize)]
pub struct StatusCount {
    pub status: &'static str,
    pub count: usize,
}

impl StatusCount {
    fn all(t: &Timeline) -> Vec<StatusCount> {
        (timeline::status_counts(&t.commitments).into_iter())
            .map(|(s, count)| StatusCount {
                status: s.as_str(),
                count,
            })
            .collect()
    }
}

/// The tracker: commitments grouped by where they stand.
#[derive(Serialize)]
pub struct Commitments<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    pub commitment_count: usize,
    pub groups: Vec<StatusGroup<'a>>,
    /// On the first page only.
    pub status_chart: Option<StatusChart<'a>>,
}

#[derive(Serialize)]
pub struct StatusGroup<'a> {
    pub status: &'static str,
    pub count: usize,
    pub commitments: Vec<CommitmentItem<'a>>,
}

impl<'a> Commitments<'a> {
    /// Page `number` of the commitments, in the order of their statuses; each group's
    /// count is of the whole list.
    pub fn new(head: Head<'a>, t: &'a Timeline, number: usize) -> Commitments<'a> {
        let lang = t.meta.language.as_str();
        let counts = StatusCount::all(t);
        let ordered: Vec<&timeline::Commitment> = (counts.iter())
            .flat_map(|c| (t.commitments.iter()).filter(|x| x.status.as_str() == c.status))
            .collect();
        let page = page_of(&ordered, t.meta.paging.per_page, number);
        let groups = (counts.into_iter())
            .map(|c| StatusGroup {
                status: c.status,
                count: c.count,
                commitments: (page.iter())
                    .filter(|x| x.status.as_str() == c.status)
                    .map(|x| CommitmentItem::of(x, lang))
                    .collect(),
            })
            .filter(|g| !g.commitments.is_empty())
            .collect();
        Commitments {
            head,
            commitment_count: t.commitments.len(),
            groups,
            status_chart: (number == 1).then(|| StatusChart::new(t)).flatten(),
        }
    }
}

/// One commitment's page, with its history.
#[derive(Serialize)]
pub struct Commitment<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    pub commitment: CommitmentDetail<'a>,
}

#[derive(Serialize)]
pub struct CommitmentDetail<'a> {
    #[serde(flatten)]
    pub item: CommitmentItem<'a>,
    /// The commitment that replaced this one, by its title.
    pub superseded_by: Option<Related<'a>>,
    /// The commitments this one replaced.
    pub supersedes: Vec<Related<'a>>,
    pub history: Vec<Step<'a>>,
    pub status_path: StatusPath,
}

/// Another commitment a commitment names, shown by its title.
#[derive(Serialize)]
pub struct Related<'a> {
    pub id: &'a str,
    /// The commitment's title; its id when no commitment has that id.
    pub title: &'a str,
    pub path: Option<&'a str>,
    pub lang_mark: Option<&'a str>,
}

impl<'a> Related<'a> {
    fn of(t: &'a Timeline, id: &'a str) -> Related<'a> {
        let c = t.commitment(id);
        Related {
            id,
            title: c.map_or(id, |c| &c.title),
            path: c.map(|c| &*c.path),
            lang_mark: c.and_then(|c| mark(&c.lang, &t.meta.language)),
        }
    }
}

/// One session's mention of a commitment.
#[derive(Serialize)]
pub struct Step<'a> {
    pub session: u32,
    pub session_path: &'a str,
    pub session_title: &'a str,
    pub session_lang_mark: Option<&'a str>,
    pub date: Option<chrono::NaiveDate>,
    pub status: &'static str,
    pub changed_from: Option<&'static str>,
    pub note: Option<&'a str>,
    pub note_lang_mark: Option<&'a str>,
}

impl<'a> Commitment<'a> {
    pub fn new(head: Head<'a>, t: &'a Timeline, i: usize) -> Commitment<'a> {
        let lang = t.meta.language.as_str();
        let c = &t.commitments[i];
        let history = (c.history.iter())
            .map(|h| Step {
                session: h.session,
                session_path: &h.session_path,
                session_title: &h.session_title,
                session_lang_mark: mark(&h.session_lang, lang),
                date: h.date,
                status: h.status.as_str(),
                changed_from: changed_from(h.previous, h.status),
                note: h.note.as_deref(),
                note_lang_mark: mark(&h.note_lang, lang),
            })
            .collect();
        Commitment {
            head,
            commitment: CommitmentDetail {
                item: CommitmentItem::of(c, lang),
                superseded_by: (c.superseded_by.as_deref()).map(|id| Related::of(t, id)),
                supersedes: c.supersedes.iter().map(|id| Related::of(t, id)).collect(),
                history,
                status_path: StatusPath::new(c),
            },
        }
    }
}

/// The timeline alone, for other sites to frame: the latest sessions of the whole
/// timeline or of one sector, and a link to the full site.
#[derive(Serialize)]
pub struct Embed<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    pub sessions: Vec<Entry<'a>>,
    /// Of the whole timeline, or of the sector.
    pub session_count: usize,
    pub sector: Option<SectorItem<'a>>,
    /// Every sector's slug: `?sector=` on the whole timeline's embed picks one.
    pub sector_slugs: Vec<&'a str>,
    /// The full site's page of what the embed shows (below the language's root).
    pub full: &'a str,
}

impl<'a> Embed<'a> {
    pub fn new(head: Head<'a>, t: &'a Timeline, sector: Option<usize>) -> Embed<'a> {
        let lang = t.meta.language.as_str();
        let all: Vec<usize> = (0..t.sessions.len()).collect();
        let (indices, sector) = match sector.and_then(|i| t.sectors.get(i)) {
            Some(s) => (&s.sessions, Some(s)),
            None => (&all, None),
        };
        let shown = &indices[indices.len() - indices.len().min(t.meta.paging.home)..];
        Embed {
            head,
            sessions: Entry::list(t, shown),
            session_count: indices.len(),
            sector: sector.map(|s| SectorItem::of(s, lang)),
            sector_slugs: t.sectors.iter().map(|s| s.slug.as_str()).collect(),
            full: sector.map_or("", |s| s.path.as_str()),
        }
    }
}

/// A redirect from an old address.
#[derive(Serialize)]
pub struct Alias<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    /// Root-relative.
    pub target: String,
    /// Absolute.
    pub target_url: String,
}

/// The data dictionary page: every open-data file and, for the CSV files, every column.
#[derive(Serialize)]
pub struct Dictionary<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    pub files: &'static [crate::output::dictionary::FileEntry],
}

impl<'a> Dictionary<'a> {
    pub fn new(head: Head<'a>) -> Dictionary<'a> {
        Dictionary {
            head,
            files: &crate::output::dictionary::FILES,
        }
    }
}
