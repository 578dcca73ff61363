//! The history of the records as templates see it: a session page's "Last changed" and
//! its list of changes, and the pages of `/changes/`. A commit's summary is the
//! committer's text: templates escape it like any other.

use chrono::NaiveDate;
use serde::Serialize;

use super::mark;
use super::pages::Head;
use super::paging::page_of;
use crate::history::{Change, Commit, History};
use crate::timeline::{Meta, SiteChange, Timeline};

/// Where the changes to the records are listed, below the language's root.
pub const CHANGES: &str = "changes/";

/// One commit as a page shows it.
#[derive(Serialize)]
pub struct CommitView<'a> {
    /// The full id.
    pub id: &'a str,
    /// The first seven digits.
    pub short: &'a str,
    /// The day it was committed, in the committer's offset.
    pub date: NaiveDate,
    /// When it was committed, RFC 3339 with the committer's offset, for `<time datetime>`.
    pub time: &'a str,
    pub summary: &'a str,
    /// The commit's page in the repository, when `_index.md` gives `repository`.
    pub url: Option<String>,
}

impl<'a> CommitView<'a> {
    fn of(c: &'a Commit, meta: &Meta) -> CommitView<'a> {
        CommitView {
            id: &c.id,
            short: &c.short,
            date: c.date,
            time: &c.timestamp,
            summary: &c.summary,
            url: (meta.repository.as_deref())
                .map(|r| format!("{}/commit/{}", r.trim_end_matches('/'), c.id)),
        }
    }
}

/// One change in a record's history.
#[derive(Serialize)]
pub struct ChangeView<'a> {
    #[serde(flatten)]
    pub commit: CommitView<'a>,
    /// The commit created the record (added its note).
    pub created: bool,
}

impl<'a> ChangeView<'a> {
    fn of(c: &'a Change, meta: &Meta) -> ChangeView<'a> {
        ChangeView {
            commit: CommitView::of(&c.commit, meta),
            created: c.added,
        }
    }
}

/// A session's history on its page.
#[derive(Serialize)]
pub struct HistoryView<'a> {
    /// The newest change.
    pub last_changed: ChangeView<'a>,
    /// Every change, newest first.
    pub changes: Vec<ChangeView<'a>>,
}

impl<'a> HistoryView<'a> {
    pub fn of(h: &'a History, meta: &Meta) -> HistoryView<'a> {
        HistoryView {
            last_changed: ChangeView::of(h.last(), meta),
            changes: h.changes.iter().map(|c| ChangeView::of(c, meta)).collect(),
        }
    }
}

/// A page of `/changes/`: the changes to the records, newest first.
#[derive(Serialize)]
pub struct Changes<'a> {
    #[serde(flatten)]
    pub head: Head<'a>,
    /// How many changes all the pages list.
    pub change_count: usize,
    pub changes: Vec<SiteChangeView<'a>>,
}

/// One commit and the records it changed.
#[derive(Serialize)]
pub struct SiteChangeView<'a> {
    #[serde(flatten)]
    pub commit: CommitView<'a>,
    /// The sessions it changed, in order.
    pub records: Vec<RecordRef<'a>>,
    /// It changed the timeline's own note, shown on the home page.
    pub home: bool,
}

/// A session a change touched.
#[derive(Serialize)]
pub struct RecordRef<'a> {
    pub ordinal: u32,
    pub title: &'a str,
    pub path: &'a str,
    pub lang_mark: Option<&'a str>,
    /// The change created this record.
    pub created: bool,
}

impl<'a> Changes<'a> {
    /// Page `number` of the changes of `t`.
    pub fn new(head: Head<'a>, t: &'a Timeline, number: usize) -> Changes<'a> {
        let list = t.changes.as_ref().map_or(&[][..], |c| &c.list[..]);
        let changes = (page_of(list, t.meta.paging.per_page, number).iter())
            .map(|c| SiteChangeView::of(c, t))
            .collect();
        Changes {
            head,
            change_count: list.len(),
            changes,
        }
    }
}

impl<'a> SiteChangeView<'a> {
    fn of(c: &'a SiteChange, t: &'a Timeline) -> SiteChangeView<'a> {
        let lang = t.meta.language.as_str();
        SiteChangeView {
            commit: CommitView::of(&c.commit, &t.meta),
            records: (c.sessions.iter())
                .map(|&(i, created)| {
                    let s = &t.sessions[i];
                    RecordRef {
                        ordinal: s.ordinal,
                        title: &s.title,
                        path: &s.path,
                        lang_mark: mark(&s.lang, lang),
                        created,
                    }
                })
                .collect(),
            home: c.home,
        }
    }
}
