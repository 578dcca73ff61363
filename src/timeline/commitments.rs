//! Commitments: actions introduced at one session and reviewed at later ones. Builds each
//! commitment's history in session order and checks the rules of DESIGN.md: known ids,
//! one introduction, no mention before it, a stable title, valid `superseded_by`, and a
//! warning for open commitments no session has reviewed lately.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::{SectorRef, Session, validate};
use crate::content::SessionNote;
use crate::content::schema::Status;
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};

/// Sessions without a mention after which an open commitment is reported as stale.
pub const STALE_AFTER: u32 = 3;

/// One step of a commitment's history.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    pub session: u32,
    pub session_path: String,
    /// The session's title and its language, for the history list.
    pub session_title: String,
    pub session_lang: String,
    pub date: Option<NaiveDate>,
    pub status: Status,
    pub previous: Option<Status>,
    pub note: Option<String>,
    /// The language of `note`: a translated timeline keeps the original's note where the
    /// session's translation gives none.
    pub note_lang: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Commitment {
    pub id: String,
    pub title: String,
    /// The language of `title`, which comes from the session that introduced the commitment
    /// (the original's language where that session is not translated).
    pub lang: String,
    pub sectors: Vec<SectorRef>,
    /// The last mention's status.
    pub status: Status,
    pub introduced: u32,
    pub last_reviewed: u32,
    pub superseded_by: Option<String>,
    /// Ids of the commitments this one replaced.
    pub supersedes: Vec<String>,
    pub history: Vec<Mention>,
    pub path: String,
}

/// A commitment as it appears on one session's page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionMention {
    pub id: String,
    pub title: String,
    /// The language of `title` (see [`Commitment::lang`]).
    pub lang: String,
    pub status: Status,
    pub previous: Option<Status>,
    pub note: Option<String>,
    /// The language of `note` (see [`Mention::note_lang`]).
    pub note_lang: String,
    /// Introduced at this session (otherwise reviewed).
    pub introduced: bool,
    pub path: String,
}

pub(super) fn build(
    notes: &[&SessionNote],
    sessions: &[Arc<Session>],
    diags: &mut Diagnostics,
) -> Vec<Commitment> {
    let mut map: BTreeMap<String, Commitment> = BTreeMap::new();
    // Where each id is introduced, to tell "mentioned too early" from "unknown".
    let mut intro_at: BTreeMap<&str, u32> = BTreeMap::new();
    for note in notes {
        for m in note.front.commitments.iter().filter(|m| m.title.is_some()) {
            intro_at.entry(m.id.as_str()).or_insert(note.front.session);
        }
    }
    for (note, session) in notes.iter().zip(sessions) {
        let mut here: Vec<&str> = Vec::new();
        for m in &note.front.commitments {
            // Located only when reporting: finding the line scans the front matter.
            let err = |code, msg: String, help: &str| {
                Diagnostic::error(code, msg)
                    .in_file(&note.file)
                    .at(note.locate("commitments", &m.id))
                    .help(help)
            };
            if !is_valid_id(&m.id) {
                diags.push(err(
                    d::UNSAFE_PATH,
                    format!(
                        "commitment id `{}` cannot be made into a page address",
                        m.id
                    ),
                    "use lower-case letters, digits and hyphens, e.g. `wind-tunnel`",
                ));
                continue;
            }
            if here.contains(&m.id.as_str()) {
                diags.push(err(
                    d::DUPLICATE_COMMITMENT,
                    format!("commitment `{}` is mentioned twice in this session", m.id),
                    "mention each commitment once per session",
                ));
                continue;
            }
            here.push(&m.id);
            if m.status == Status::Superseded && m.superseded_by.is_none() {
                diags.push(err(
                    d::MISSING_FIELD,
                    format!(
                        "commitment `{}` is superseded but does not say by what",
                        m.id
                    ),
                    "add `superseded_by: <id of the new commitment>`",
                ));
            }
            let sectors =
                validate::sectors(note, (&m.sectors, "commitments"), &session.lang, diags);
            match map.get_mut(&m.id) {
                None => {
                    let Some(title) = &m.title else {
                        let (msg, help) = match intro_at.get(m.id.as_str()) {
                            Some(at) => (
                                format!(
                                    "commitment `{}` is mentioned before its introduction at session {at}",
                                    m.id
                                ),
                                "a commitment is reviewed only at sessions after the one that introduces it",
                            ),
                            None => (
                                format!("unknown commitment `{}`", m.id),
                                "introduce it with a `title` at the session where it was first made, or check the id for a typo",
                            ),
                        };
                        let mut diag = err(d::UNKNOWN_COMMITMENT, msg, help);
                        if !intro_at.contains_key(m.id.as_str()) {
                            let ids: Vec<&str> = intro_at.keys().copied().collect();
                            if let Some(s) = d::did_you_mean(&m.id, ids) {
                                diag.help = Some(format!("did you mean `{s}`?"));
                            }
                        }
                        diags.push(diag);
                        continue;
                    };
                    map.insert(
                        m.id.clone(),
                        Commitment {
                            id: m.id.clone(),
                            title: title.clone(),
                            lang: session.lang.clone(),
                            sectors,
                            status: m.status,
                            introduced: session.ordinal,
                            last_reviewed: session.ordinal,
                            superseded_by: m.superseded_by.clone(),
                            supersedes: Vec::new(),
                            history: vec![mention(session, m.status, None, m.note.clone())],
                            path: format!("commitments/{}/", m.id),
                        },
                    );
                }
                Some(c) => {
                    if let Some(title) = &m.title {
                        let (code, msg, help) = if title == &c.title {
                            (
                                d::DUPLICATE_COMMITMENT,
                                format!(
                                    "commitment `{}` is introduced again (first at session {})",
                                    m.id, c.introduced
                                ),
                                "later sessions mention the id with a new `status` and `note`, without `title`",
                            )
                        } else {
                            (
                                d::COMMITMENT_TITLE_CHANGED,
                                format!(
                                    "commitment `{}` was introduced at session {} as “{}”, and is retitled here",
                                    m.id, c.introduced, c.title
                                ),
                                "remove `title` here; if the commitment really changed, introduce a new id and mark this one `status: superseded` with `superseded_by`",
                            )
                        };
                        diags.push(err(code, msg, help));
                    }
                    for s in sectors {
                        if !c.sectors.contains(&s) {
                            c.sectors.push(s);
                        }
                    }
                    let previous = Some(c.status);
                    c.history
                        .push(mention(session, m.status, previous, m.note.clone()));
                    c.status = m.status;
                    c.last_reviewed = session.ordinal;
                    if m.superseded_by.is_some() {
                        c.superseded_by = m.superseded_by.clone();
                    }
                }
            }
        }
    }
    link_supersessions(&mut map, notes, diags);
    stale(&map, notes, sessions, diags);
    map.into_values().collect()
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn mention(
    session: &Session,
    status: Status,
    previous: Option<Status>,
    note: Option<String>,
) -> Mention {
    Mention {
        session: session.ordinal,
        session_path: session.path.clone(),
        session_title: session.title.clone(),
        session_lang: session.lang.clone(),
        date: session.date,
        status,
        previous,
        note,
        note_lang: session.lang.clone(),
    }
}

fn link_supersessions(
    map: &mut BTreeMap<String, Commitment>,
    notes: &[&SessionNote],
    diags: &mut Diagnostics,
) {
    let pairs: Vec<(String, String)> = map
        .values()
        .filter_map(|c| c.superseded_by.clone().map(|by| (c.id.clone(), by)))
        .collect();
    for (old, new) in pairs {
        match map.get_mut(&new) {
            Some(c) => c.supersedes.push(old),
            None => {
                let note = notes.iter().find(|n| {
                    n.front
                        .commitments
                        .iter()
                        .any(|m| m.superseded_by.as_deref() == Some(&new))
                });
                let mut diag = Diagnostic::error(
                    d::UNKNOWN_COMMITMENT,
                    format!("`{old}` is superseded by `{new}`, which is not a commitment"),
                )
                .help("`superseded_by` names the id of a commitment introduced in some session");
                if let Some(n) = note {
                    diag = diag.in_file(&n.file).at(n.locate("superseded_by", &new));
                }
                diags.push(diag);
            }
        }
    }
}

fn stale(
    map: &BTreeMap<String, Commitment>,
    notes: &[&SessionNote],
    sessions: &[Arc<Session>],
    diags: &mut Diagnostics,
) {
    let Some(latest) = sessions.last().map(|s| s.ordinal) else {
        return;
    };
    for c in map.values().filter(|c| c.status.is_open()) {
        let silent = latest - c.last_reviewed;
        if silent >= STALE_AFTER {
            // Notes are in session order with duplicates removed.
            let note = notes
                .binary_search_by_key(&c.last_reviewed, |n| n.front.session)
                .ok()
                .map(|i| notes[i]);
            let mut diag = Diagnostic::warning(d::STALE_COMMITMENT, format!("commitment `{}` is still {} but no session has reviewed it since session {} ({silent} sessions)", c.id, c.status.as_str(), c.last_reviewed))
                .help("record its status at the latest session, even if unchanged");
            if let Some(n) = note {
                diag = diag.in_file(&n.file).at(n.locate("commitments", &c.id));
            }
            diags.push(diag);
        }
    }
}

/// Fills each session's list of the commitments it introduced or reviewed.
/// What each session's page lists of the commitments, by session index.
pub(super) fn mentions(
    sessions: &[Arc<Session>],
    commitments: &[Commitment],
) -> Vec<Vec<SessionMention>> {
    let mut lists: Vec<Vec<SessionMention>> = vec![Vec::new(); sessions.len()];
    for c in commitments {
        for (i, m) in c.history.iter().enumerate() {
            if let Ok(idx) = sessions.binary_search_by_key(&m.session, |s| s.ordinal) {
                lists[idx].push(SessionMention {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    lang: c.lang.clone(),
                    status: m.status,
                    previous: m.previous,
                    note: m.note.clone(),
                    note_lang: m.note_lang.clone(),
                    introduced: i == 0,
                    path: c.path.clone(),
                });
            }
        }
    }
    lists
}

/// Gives each session its [`mentions`]; returns the indices of those whose list changed.
/// A session shared with the dev server's cache is copied only when its list changed.
pub(super) fn attach(sessions: &mut [Arc<Session>], lists: Vec<Vec<SessionMention>>) -> Vec<usize> {
    let mut changed = Vec::new();
    for (i, (s, list)) in sessions.iter_mut().zip(lists).enumerate() {
        if s.commitments != list {
            Arc::make_mut(s).commitments = list;
            changed.push(i);
        }
    }
    changed
}
