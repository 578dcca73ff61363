//! Commitments: actions introduced at one session and reviewed at later ones. Builds each
//! commitment's history in session order and checks the rules of DESIGN.md: known ids,
//! one introduction, no mention before it, a stable title, valid `superseded_by`, and a
//! warning for open commitments no session has reviewed lately.

use std::sync::Arc;

use ahash::AHashMap;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use super::{SectorRef, Session, validate};
use crate::content::SessionNote;
use crate::content::schema::{RawMention, Status};
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};

/// Sessions without a mention after which an open commitment is reported as stale.
pub const STALE_AFTER: u32 = 3;

/// One step of a commitment's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    pub session: u32,
    pub session_path: Arc<str>,
    /// The session's title and its language, for the history list.
    pub session_title: Arc<str>,
    pub session_lang: Arc<str>,
    pub date: Option<NaiveDate>,
    pub status: Status,
    pub previous: Option<Status>,
    pub note: Option<Arc<str>>,
    /// The language of `note`: a translated timeline keeps the original's note where the
    /// session's translation gives none.
    pub note_lang: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub id: Arc<str>,
    pub title: Arc<str>,
    /// The language of `title`, which comes from the session that introduced the commitment
    /// (the original's language where that session is not translated).
    pub lang: Arc<str>,
    pub sectors: Vec<SectorRef>,
    /// The last mention's status.
    pub status: Status,
    pub introduced: u32,
    pub last_reviewed: u32,
    pub superseded_by: Option<String>,
    /// Ids of the commitments this one replaced.
    pub supersedes: Vec<String>,
    pub history: Vec<Mention>,
    pub path: Arc<str>,
}

/// A commitment as it appears on one session's page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionMention {
    pub id: Arc<str>,
    pub title: Arc<str>,
    /// The language of `title` (see [`Commitment::lang`]).
    pub lang: Arc<str>,
    pub status: Status,
    pub previous: Option<Status>,
    pub note: Option<Arc<str>>,
    /// The language of `note` (see [`Mention::note_lang`]).
    pub note_lang: Arc<str>,
    /// Introduced at this session (otherwise reviewed).
    pub introduced: bool,
    pub path: Arc<str>,
}

/// What each mention of a session shows of it, shared by its mentions: a large site has
/// tens of thousands of them.
struct Shown {
    ordinal: u32,
    date: Option<NaiveDate>,
    path: Arc<str>,
    title: Arc<str>,
    lang: Arc<str>,
}

impl Shown {
    /// `langs` holds the languages seen so far, so that sessions share them too.
    fn of(session: &Session, langs: &mut Vec<Arc<str>>) -> Shown {
        let lang = match langs.iter().find(|l| ***l == *session.lang) {
            Some(l) => Arc::clone(l),
            None => {
                langs.push(session.lang.as_str().into());
                Arc::clone(&langs[langs.len() - 1])
            }
        };
        Shown {
            ordinal: session.ordinal,
            date: session.date,
            path: session.path.as_str().into(),
            title: session.title.as_str().into(),
            lang,
        }
    }

    fn mention(&self, m: &RawMention, previous: Option<Status>) -> Mention {
        Mention {
            session: self.ordinal,
            session_path: Arc::clone(&self.path),
            session_title: Arc::clone(&self.title),
            session_lang: Arc::clone(&self.lang),
            date: self.date,
            status: m.status,
            previous,
            note: m.note.as_deref().map(Arc::from),
            note_lang: Arc::clone(&self.lang),
        }
    }
}

/// The commitments while they are built: each id's place in `list`.
struct Book<'n> {
    index: AHashMap<&'n str, usize>,
    list: Vec<Commitment>,
}

pub(super) fn build(
    notes: &[&SessionNote],
    sessions: &[Arc<Session>],
    diags: &mut Diagnostics,
) -> Vec<Commitment> {
    // Each commitment reads only the mentions of its id: the ids are shared out among the
    // cores, each of which goes through every note for its own.
    let shares = rayon::current_num_threads().clamp(1, 16);
    let built: Vec<(Vec<Commitment>, Diagnostics)> = (0..shares)
        .into_par_iter()
        .map(|share| build_share(notes, sessions, (share, shares)))
        .collect();
    let mut list = Vec::with_capacity(built.iter().map(|(l, _)| l.len()).sum());
    for (part, found) in built {
        list.extend(part);
        diags.extend(found);
    }
    list.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    link_supersessions(&mut list, notes, diags);
    stale(&list, notes, sessions, diags);
    list
}

/// The commitments whose ids fall in `share` of `shares`, with the diagnostics of their
/// mentions.
fn build_share(
    notes: &[&SessionNote],
    sessions: &[Arc<Session>],
    (share, shares): (usize, usize),
) -> (Vec<Commitment>, Diagnostics) {
    let ours = |id: &str| shares == 1 || hash_of(id) % shares as u64 == share as u64;
    // Where each id is introduced, to tell "mentioned too early" from "unknown".
    let mut intro_at: AHashMap<&str, u32> = AHashMap::new();
    for note in notes {
        for m in (note.front.commitments.iter()).filter(|m| m.title.is_some() && ours(&m.id)) {
            intro_at.entry(m.id.as_str()).or_insert(note.front.session);
        }
    }
    let mut diags = Diagnostics::default();
    // Grown one by one, the list would be copied many times over on a large site.
    let expected = intro_at.len() + 16;
    let mut book = Book {
        index: AHashMap::with_capacity(expected),
        list: Vec::with_capacity(expected),
    };
    let mut langs = Vec::new();
    for (note, session) in notes.iter().zip(sessions) {
        let mut shown = None;
        let mut here: Vec<&str> = Vec::new();
        for m in note.front.commitments.iter().filter(|m| ours(&m.id)) {
            if !is_well_formed(note, m, &mut here, &mut diags) {
                continue;
            }
            let shown = shown.get_or_insert_with(|| Shown::of(session, &mut langs));
            let sectors =
                validate::sectors(note, (&m.sectors, "commitments"), &session.lang, &mut diags);
            match book.index.get(m.id.as_str()) {
                Some(&at) => review(&mut book.list[at], (note, m), (shown, sectors), &mut diags),
                None => match introduce(m, shown, sectors) {
                    Some(c) => {
                        book.index.insert(&m.id, book.list.len());
                        book.list.push(c);
                    }
                    None => diags.push(not_introduced(notes, note, m, &intro_at)),
                },
            }
        }
    }
    (book.list, diags)
}

/// A hash that is the same on every run, to share out ids.
fn hash_of(id: &str) -> u64 {
    ahash::RandomState::with_seeds(9, 10, 11, 12).hash_one(id)
}

/// An error about the mention `m` of `note`. Located only when reporting: finding the line
/// scans the front matter.
fn error_at(
    note: &SessionNote,
    m: &RawMention,
    code: d::Code,
    msg: String,
    help: &str,
) -> Diagnostic {
    Diagnostic::error(code, msg)
        .in_file(&note.file)
        .at(note.locate("commitments", &m.id))
        .help(help)
        .about(&m.id)
}

/// Checks a mention on its own; `false` when it is left out. `here` holds the ids the
/// session mentioned before.
fn is_well_formed<'n>(
    note: &SessionNote,
    m: &'n RawMention,
    here: &mut Vec<&'n str>,
    diags: &mut Diagnostics,
) -> bool {
    if !is_valid_id(&m.id) {
        diags.push(error_at(
            note,
            m,
            d::UNSAFE_PATH,
            format!(
                "commitment id `{}` cannot be made into a page address",
                m.id
            ),
            "use lower-case letters, digits and hyphens, e.g. `wind-tunnel`",
        ));
        return false;
    }
    if here.contains(&m.id.as_str()) {
        diags.push(error_at(
            note,
            m,
            d::DUPLICATE_COMMITMENT,
            format!("commitment `{}` is mentioned twice in this session", m.id),
            "mention each commitment once per session",
        ));
        return false;
    }
    here.push(&m.id);
    if m.status == Status::Superseded && m.superseded_by.is_none() {
        diags.push(error_at(
            note,
            m,
            d::MISSING_FIELD,
            format!(
                "commitment `{}` is superseded but does not say by what",
                m.id
            ),
            "add `superseded_by: <id of the new commitment>`",
        ));
    }
    true
}

/// A new commitment from its first mention, which must give its title.
fn introduce(m: &RawMention, shown: &Shown, sectors: Vec<SectorRef>) -> Option<Commitment> {
    let title = m.title.as_deref()?;
    Some(Commitment {
        id: m.id.as_str().into(),
        title: title.into(),
        lang: Arc::clone(&shown.lang),
        sectors,
        status: m.status,
        introduced: shown.ordinal,
        last_reviewed: shown.ordinal,
        superseded_by: m.superseded_by.clone(),
        supersedes: Vec::new(),
        history: vec![shown.mention(m, None)],
        path: format!("commitments/{}/", m.id).into(),
    })
}

/// Why a first mention without a title is not a commitment. `intro_at` holds where the
/// ids of `m`'s share are introduced.
fn not_introduced(
    notes: &[&SessionNote],
    note: &SessionNote,
    m: &RawMention,
    intro_at: &AHashMap<&str, u32>,
) -> Diagnostic {
    let Some(at) = intro_at.get(m.id.as_str()) else {
        let mut diag = error_at(
            note,
            m,
            d::UNKNOWN_COMMITMENT,
            format!("unknown commitment `{}`", m.id),
            "introduce it with a `title` at the session where it was first made, or check the id for a typo",
        );
        // Every introduced id, in a fixed order, so that the suggestion is the same on
        // every build.
        let mut ids: Vec<&str> = (notes.iter())
            .flat_map(|n| &n.front.commitments)
            .filter(|m| m.title.is_some())
            .map(|m| m.id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if let Some(s) = d::did_you_mean(&m.id, ids) {
            diag.help = Some(format!("did you mean `{s}`?"));
        }
        return diag;
    };
    error_at(
        note,
        m,
        d::UNKNOWN_COMMITMENT,
        format!(
            "commitment `{}` is mentioned before its introduction at session {at}",
            m.id
        ),
        "a commitment is reviewed only at sessions after the one that introduces it",
    )
}

/// A later mention of `c`: a step of its history.
fn review(
    c: &mut Commitment,
    (note, m): (&SessionNote, &RawMention),
    (shown, sectors): (&Shown, Vec<SectorRef>),
    diags: &mut Diagnostics,
) {
    if let Some(title) = &m.title {
        let (code, msg, help) = if **title == *c.title {
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
        diags.push(error_at(note, m, code, msg, help));
    }
    for s in sectors {
        if !c.sectors.contains(&s) {
            c.sectors.push(s);
        }
    }
    c.history.push(shown.mention(m, Some(c.status)));
    c.status = m.status;
    c.last_reviewed = shown.ordinal;
    if m.superseded_by.is_some() {
        c.superseded_by = m.superseded_by.clone();
    }
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Gives each commitment the ids of those it replaced. `list` is sorted by id.
fn link_supersessions(list: &mut [Commitment], notes: &[&SessionNote], diags: &mut Diagnostics) {
    let pairs: Vec<(Arc<str>, String)> = (list.iter())
        .filter_map(|c| c.superseded_by.clone().map(|by| (Arc::clone(&c.id), by)))
        .collect();
    for (old, new) in pairs {
        match list.binary_search_by(|c| (*c.id).cmp(new.as_str())) {
            Ok(at) => list[at].supersedes.push(old.to_string()),
            Err(_) => {
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
                .help("`superseded_by` names the id of a commitment introduced in some session")
                .about(&new);
                if let Some(n) = note {
                    diag = diag.in_file(&n.file).at(n.locate("superseded_by", &new));
                }
                diags.push(diag);
            }
        }
    }
}

fn stale(
    list: &[Commitment],
    notes: &[&SessionNote],
    sessions: &[Arc<Session>],
    diags: &mut Diagnostics,
) {
    let Some(latest) = sessions.last().map(|s| s.ordinal) else {
        return;
    };
    for c in list.iter().filter(|c| c.status.is_open()) {
        let silent = latest - c.last_reviewed;
        if silent >= STALE_AFTER {
            // Notes are in session order with duplicates removed.
            let note = notes
                .binary_search_by_key(&c.last_reviewed, |n| n.front.session)
                .ok()
                .map(|i| notes[i]);
            let mut diag = Diagnostic::warning(d::STALE_COMMITMENT, format!("commitment `{}` is still {} but no session has reviewed it since session {} ({silent} sessions)", c.id, c.status.as_str(), c.last_reviewed))
                .help("record its status at the latest session, even if unchanged")
                .about(&*c.id);
            if let Some(n) = note {
                diag = diag.in_file(&n.file).at(n.locate("commitments", &c.id));
            }
            diags.push(diag);
        }
    }
}

/// What each session's page lists of the commitments, by session index: for every
/// session, or for those `only` marks (the others get `None`).
pub(super) fn mentions(
    sessions: &[Arc<Session>],
    commitments: &[Commitment],
    only: Option<&[bool]>,
) -> Vec<Option<Vec<SessionMention>>> {
    let wanted = |i: usize| only.is_none_or(|only| only.get(i).copied().unwrap_or(false));
    let mut lists: Vec<Option<Vec<SessionMention>>> = (0..sessions.len())
        .map(|i| wanted(i).then(Vec::new))
        .collect();
    for c in commitments {
        for (i, m) in c.history.iter().enumerate() {
            let Ok(idx) = sessions.binary_search_by_key(&m.session, |s| s.ordinal) else {
                continue;
            };
            if let Some(list) = &mut lists[idx] {
                list.push(SessionMention {
                    id: Arc::clone(&c.id),
                    title: Arc::clone(&c.title),
                    lang: Arc::clone(&c.lang),
                    status: m.status,
                    previous: m.previous,
                    note: m.note.clone(),
                    note_lang: Arc::clone(&m.note_lang),
                    introduced: i == 0,
                    path: Arc::clone(&c.path),
                });
            }
        }
    }
    lists
}

/// Gives each session its [`mentions`]; returns the indices of those whose list changed.
/// A session shared with the dev server's cache is copied only when its list changed.
pub(super) fn attach(
    sessions: &mut [Arc<Session>],
    lists: Vec<Option<Vec<SessionMention>>>,
) -> Vec<usize> {
    let mut changed = Vec::new();
    for (i, (s, list)) in sessions.iter_mut().zip(lists).enumerate() {
        if let Some(list) = list
            && s.commitments != list
        {
            Arc::make_mut(s).commitments = list;
            changed.push(i);
        }
    }
    changed
}
