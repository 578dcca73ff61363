//! The model: a timeline of sessions in ordinal order, their sectors and commitments,
//! resolved from the raw front matter and checked as a whole. Pure and I/O-free: it takes
//! loaded content and returns values plus diagnostics. A one-off build owns the notes and
//! lets each raw body go as soon as it is rendered; the dev server lends its notes, which
//! stay as they are.

pub mod addresses;
mod cache;
mod cascade;
mod changes;
mod commitments;
mod derive;
pub mod i18n;
mod names;
mod pending;
mod resolve;
mod validate;
mod years;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::content::count::Count;
use crate::content::markdown::{self, BodyPosition, Heading, InternalLink};
use crate::content::schema::{
    Agreement, CoChair, Disagreement, MarkdownConfig, Paging, RawPartner, Source, Status,
};
use crate::content::{Content, IndexNote, Lost, SessionNote};
use crate::diagnostics::{Diagnostics, Span};

use cache::address_of;
pub use cache::{Digests, SessionCache, patch_body};
pub use changes::{Changes, SiteChange};
pub use commitments::{Commitment, Mention, SessionMention};
pub use i18n::{Language, Translations};
pub use names::{default_title, ordinal_suffix, ordinal_text, sector_name};
use resolve::{resolve_meta, resolve_session};
pub use years::Year;
use years::collect_years;

/// The timeline's own metadata, from `content/_index.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub title: String,
    pub description: Option<String>,
    pub partners: Vec<RawPartner>,
    pub parent: Option<String>,
    pub base_url: String,
    pub language: String,
    /// Every language the site is published in, the default first.
    pub languages: Vec<Language>,
    pub theme: String,
    pub license: Option<String>,
    /// Where the site's repository is browsed (`https://github.com/org/site`): each change
    /// links its commit there.
    pub repository: Option<String>,
    #[serde(skip)]
    pub markdown: MarkdownConfig,
    /// How long lists are split into pages.
    pub paging: Paging,
    /// The introduction, rendered.
    pub intro_html: String,
}

/// A sector as a session or commitment names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SectorRef {
    pub slug: String,
    pub name: String,
    /// Output path of the sector's page, e.g. `sectors/aluminium/`.
    pub path: String,
    /// The language of `name`: the default language unless `content/sectors.yaml` names
    /// the sector in the page's language.
    pub lang: String,
}

/// A session, resolved and ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub ordinal: u32,
    /// "11th".
    pub ordinal_text: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub year: Option<i32>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub co_chairs: Vec<CoChair>,
    pub delegates: Option<Count>,
    pub sectors: Vec<SectorRef>,
    /// `None`: not recorded, which is not the same as none.
    pub agreements: Option<Vec<Agreement>>,
    pub commitments: Vec<SessionMention>,
    pub sources: Vec<Source>,
    /// Points on which the sources differ (see [`Disagreement`]).
    pub disagreements: Vec<Disagreement>,
    pub summary: Option<String>,
    pub draft: bool,
    pub aliases: Vec<String>,
    /// The language of the session's text (the default language when not translated).
    pub lang: String,
    /// Shown in another language's timeline in the original language.
    pub untranslated: bool,
    /// On a translated session: the language of its place (venue, city, country) when the
    /// translation leaves it as in the original.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_lang: Option<String>,
    /// Where each alias is written in the note, for diagnostics.
    #[serde(skip)]
    pub alias_spans: Vec<Option<Span>>,
    /// The note states none of the session's facts (see `pending::records_pending`).
    pub records_pending: bool,
    /// Output path of the page below the site root, e.g. `sessions/11/`.
    pub path: String,
    /// Source file, relative to the site root.
    pub file: PathBuf,
    /// The source file as `@/` links name it (see [`crate::content::Parsed::rel`]).
    #[serde(skip)]
    pub rel: String,
    /// Shared, so that the dev server keeps the last good model whole while it builds the
    /// next from copies of it.
    #[serde(skip)]
    pub body_html: std::sync::Arc<str>,
    /// The body holds some text, not only markup.
    #[serde(skip)]
    pub has_text: bool,
    #[serde(skip)]
    pub headings: Vec<Heading>,
    #[serde(skip)]
    pub links: Vec<InternalLink>,
    /// A translation's links left out because they could run code (see
    /// [`markdown::UnsafeLink`]); an original's are reported when it is resolved.
    #[serde(skip)]
    pub unsafe_links: Vec<markdown::UnsafeLink>,
    /// Worked out by the dev server's cache, which tells changed sessions by them.
    #[serde(skip)]
    pub digests: Digests,
    /// The commits that changed the record, newest first (see [`Changes`]); `None`
    /// without a history or before the note is committed.
    #[serde(skip)]
    pub history: Option<Arc<crate::history::History>>,
    /// On a translated session: its translation's path below content/ (as `rel`).
    #[serde(skip)]
    pub translation: Option<String>,
}

impl Session {
    /// The agreements recorded, none when they are not.
    pub fn agreements(&self) -> &[Agreement] {
        self.agreements.as_deref().unwrap_or_default()
    }
}

/// A sector and the sessions (indices into `Timeline::sessions`) that name it.
#[derive(Debug, Clone, Serialize)]
pub struct Sector {
    pub slug: String,
    pub name: String,
    /// The language of `name` (see [`SectorRef::lang`]).
    pub lang: String,
    pub path: String,
    #[serde(skip)]
    pub sessions: Vec<usize>,
    /// Ids of the commitments in this sector.
    pub commitments: Vec<Arc<str>>,
}

/// The whole model.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub meta: Meta,
    pub sessions: Vec<Arc<Session>>,
    /// Shared with the dev server's memo of them (see `derive::Memo`).
    pub sectors: Arc<Vec<Sector>>,
    pub commitments: Arc<Vec<Commitment>>,
    /// The sessions by the year they were held, oldest first; sessions without a date
    /// last, under [`Year::UNDATED`].
    pub years: Vec<Year>,
    /// The same timeline in each language after the default (`meta.languages[1..]`), with
    /// `meta.base_url` ending in the language's prefix (`…/ru/`).
    pub translations: Vec<Timeline>,
    /// The changes to the records from the repository's history, newest first; `None`
    /// when the site has no history (then `/changes/` is not published).
    pub changes: Option<Arc<Changes>>,
}

/// Choices that change what the model holds.
#[derive(Debug, Clone, Default)]
pub struct ModelOptions {
    pub drafts: bool,
    pub base_url: Option<String>,
    /// Where `@/` links point: the URL prefix of the site's pages (`/` or `/wg/`).
    pub link_prefix: String,
    /// What git says about each note, when the site has a history.
    pub history: Option<Arc<crate::history::SiteHistory>>,
}

impl Timeline {
    /// Index of the session with `ordinal`.
    pub fn session_index(&self, ordinal: u32) -> Option<usize> {
        self.sessions
            .binary_search_by_key(&ordinal, |s| s.ordinal)
            .ok()
    }

    pub fn commitment(&self, id: &str) -> Option<&Commitment> {
        // Commitments are kept sorted by id.
        self.commitments
            .binary_search_by(|c| (*c.id).cmp(id))
            .ok()
            .map(|i| &self.commitments[i])
    }
}

/// Builds the model from loaded content, checking everything that needs the whole set.
/// The notes are consumed: each raw body is let go as soon as it has been rendered.
pub fn build(content: Content, opts: &ModelOptions) -> (Option<Timeline>, Diagnostics) {
    let Content {
        index,
        sessions,
        translations,
        index_translations,
        sector_names,
        assets,
        lost,
    } = content;
    let Some(index) = &index else {
        return (None, Diagnostics::default());
    };
    let notes = sessions.into_iter().map(Cow::Owned).collect();
    let assets: Vec<String> = assets.into_iter().map(|a| a.rel).collect();
    let translations = Translations {
        index: index_translations.iter().collect(),
        sessions: translations.iter().collect(),
        sector_names: Some(&sector_names),
    };
    build_cached(
        index,
        (notes, &translations, &lost),
        &assets,
        opts,
        &mut SessionCache::default(),
    )
}

/// [`build`] reusing the sessions `cache` holds for unchanged notes. Borrowed notes (the
/// dev server's) are left as they are; owned ones lose their raw body once it is rendered.
/// `assets` are the output paths of the files copied from content/. Translations are
/// localized afresh on every build (they are not cached). `lost` are the session notes with
/// errors, whose readable part is among `notes` (see `cascade`).
pub fn build_cached(
    index: &IndexNote,
    (mut notes, translations, lost): (Vec<Cow<'_, SessionNote>>, &Translations<'_>, &[Lost]),
    assets: &[String],
    opts: &ModelOptions,
    cache: &mut SessionCache,
) -> (Option<Timeline>, Diagnostics) {
    let mut diags = Diagnostics::default();
    // Over-long lists are reported and cut, on copies, so later checks stay cheap.
    let mut capped_index = None;
    if validate::too_many_partners(index) {
        let mut copy = index.clone();
        validate::partner_count(&mut copy, &mut diags);
        capped_index = Some(copy);
    }
    let index = capped_index.as_ref().unwrap_or(index);
    if opts.base_url.is_none() {
        validate::base_url(index, &mut diags);
    }
    validate::repository(index, &mut diags);
    for note in notes.iter_mut().filter(|n| validate::has_long_lists(n)) {
        validate::list_lengths(note.to_mut(), &mut diags);
    }
    let meta = resolve_meta(index, opts);
    notes.retain(|n| opts.drafts || !n.front.draft);
    notes.sort_by(|a, b| (a.front.session, &a.file).cmp(&(b.front.session, &b.file)));
    validate::duplicate_ordinals(&mut notes, &mut diags);

    // Where each note's page is, by the path `@/` links name it by.
    let by_path = cache.addresses(&notes);
    let resolve = address_of(&by_path, &opts.link_prefix);
    let intro = markdown::render(
        &index.body,
        BodyPosition {
            first_line: index.body_line,
        },
        meta.markdown.raw_html,
        &resolve,
    );
    validate::unsafe_links(&index.file, &intro.unsafe_links, &mut diags);
    let mut meta = meta;
    meta.intro_html = intro.html;

    let revised = translations.revised_originals();
    let keep_body = |n: &SessionNote| revised.contains(&n.front.session);
    let resolved = cache.resolve(&mut notes, (&meta, &by_path, &opts.link_prefix), &keep_body);
    let notes: Vec<&SessionNote> = notes.iter().map(|n| &**n).collect();
    let mut sessions = Vec::with_capacity(resolved.len());
    let mut fresh = Vec::with_capacity(resolved.len());
    for r in resolved {
        diags.extend(r.diags);
        sessions.push(r.session);
        fresh.push(r.fresh);
    }
    let inputs = derive::Inputs {
        index,
        intro_links: &intro.links,
        notes: &notes,
        fresh: &fresh,
        assets,
        languages: &meta.languages,
        unloaded: &cascade::unloaded_ordinals(lost),
    };
    let derived = match cache.memo() {
        Some(memo) => derive::derive(sessions, &inputs, memo),
        None => derive::derive(sessions, &inputs, &mut derive::Memo::default()),
    };
    diags.extend(derived.diags);
    cache.refresh(&derived.sessions, &derived.changed);
    let derive::Derived {
        mut sessions,
        sectors,
        commitments,
        ..
    } = derived;
    let history = opts.history.as_deref();
    let moved = changes::attach(&mut sessions, history);
    cache.refresh(&sessions, &moved);
    let years = collect_years(&sessions);
    let mut timeline = Timeline {
        meta,
        sessions,
        sectors,
        commitments,
        years,
        translations: Vec::new(),
        changes: None,
    };
    timeline.changes = changes::of_site(&timeline, history);
    timeline.translations = i18n::localize(
        &timeline,
        index,
        &notes,
        translations,
        &opts.link_prefix,
        &mut diags,
    );
    for t in &mut timeline.translations {
        changes::attach_translations(t, history);
        t.changes = changes::of_site(t, history);
    }
    cascade::settle(&mut diags, lost, translations);
    diags.sort();
    (Some(timeline), diags)
}

/// Statuses in a fixed order for counts and filters.
pub fn status_counts(commitments: &[Commitment]) -> Vec<(Status, usize)> {
    Status::ALL
        .iter()
        .map(|s| (*s, commitments.iter().filter(|c| c.status == *s).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> crate::content::Parsed<T> {
        crate::content::parse_bytes(std::path::Path::new(name), text.as_bytes()).unwrap()
    }

    const INDEX: &str =
        "---\ntitle: WG\npartners:\n  - { name: India }\nlanguages:\n  - { code: ru }\n---\n";

    #[test]
    fn owned_notes_lose_their_body_once_rendered_unless_a_translation_reads_it() {
        let index: IndexNote = note("content/_index.md", INDEX);
        let meta = resolve_meta(&index, &ModelOptions::default());
        let notes: Vec<SessionNote> = (1..=3)
            .map(|n| {
                note(
                    &format!("content/sessions/{n}.md"),
                    &format!("---\nsession: {n}\n---\nBody {n}.\n"),
                )
            })
            .collect();
        let (owned, borrowed) = notes.split_at(2);
        let mut notes: Vec<Cow<'_, SessionNote>> = (owned.iter().cloned().map(Cow::Owned))
            .chain(borrowed.iter().map(Cow::Borrowed))
            .collect();
        let keep = |n: &SessionNote| n.front.session == 2;
        let sessions = SessionCache::default().resolve(
            &mut notes,
            (&meta, &ahash::AHashMap::new(), "/"),
            &keep,
        );
        let bodies: Vec<&str> = notes.iter().map(|n| n.body.as_str()).collect();
        assert_eq!(bodies, ["", "Body 2.\n", "Body 3.\n"]);
        assert!(
            sessions
                .iter()
                .all(|r| r.session.body_html.starts_with("<p>Body"))
        );
    }

    #[test]
    fn a_translation_still_checks_the_revision_of_its_original() {
        let original = "---\nsession: 1\n---\nBody.\n";
        let parsed: SessionNote = note("content/sessions/1.md", original);
        let revision = i18n::revision(&parsed.front_matter, &parsed.body);
        let translation = format!("---\nsession: 1\ntranslated_from: {revision}\n---\nТекст.\n");
        let content = Content {
            index: Some(note("content/_index.md", INDEX)),
            sessions: vec![parsed],
            translations: vec![note("content/sessions/1.ru.md", &translation)],
            ..Default::default()
        };
        let (timeline, diags) = build(content, &ModelOptions::default());
        assert!(timeline.is_some());
        let stale = crate::diagnostics::STALE_TRANSLATION;
        assert!(!diags.0.iter().any(|d| d.code == stale), "{diags:?}");
    }
}
