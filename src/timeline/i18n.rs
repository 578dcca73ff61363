//! Translations: one timeline published in several languages. A translation
//! (`sessions/11.ru.md`, `_index.ru.md`) carries text only; its facts come from the original
//! and, where it repeats them, must agree (PL0024). From the default-language timeline and
//! the translations this builds one localized [`Timeline`] per extra language, in which an
//! untranslated session keeps its original text and says so (`untranslated`, `lang`).
//! Completeness is reported as warnings (PL1008, PL1009), but only for sessions that have at
//! least one translation, so a site translating a few sessions does not drown in warnings.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Session, Timeline, ordinal_text};
use crate::content::markdown::{self, BodyPosition, InternalLink, UnsafeLink};
use crate::content::{
    IndexNote, IndexTranslationNote, SectorNames, SessionNote, TranslationNote,
    translation_language,
};
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};

mod checks;
use checks::{check_facts, check_links, check_revision, completeness, known_language};

/// The translation notes of a site, borrowed for one build.
#[derive(Debug, Default, Clone)]
pub struct Translations<'a> {
    pub index: Vec<&'a IndexTranslationNote>,
    pub sessions: Vec<&'a TranslationNote>,
    /// `content/sectors.yaml`, naming sectors in the further languages.
    pub sector_names: Option<&'a SectorNames>,
}

impl Translations<'_> {
    /// The ordinals of the originals whose raw body is still read after they are rendered:
    /// a translation that names the revision it was made from is checked against its
    /// original's text (see [`revision`]).
    pub(super) fn revised_originals(&self) -> std::collections::HashSet<u32> {
        (self.sessions.iter())
            .filter(|t| t.front.translated_from.is_some())
            .map(|t| t.front.session)
            .collect()
    }
}

/// A language the site is published in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Language {
    pub code: String,
    /// The name the language switcher shows; `None` to take the theme's `language_name`.
    pub name: Option<String>,
    /// Where its pages live below the root: `` for the default language, `ru/` otherwise.
    pub prefix: String,
}

/// The site's languages, the default first.
pub fn languages(index: &IndexNote) -> Vec<Language> {
    let f = &index.front;
    let default = f.language.clone().unwrap_or_else(|| "en".to_string());
    let mut out = vec![Language {
        code: default.clone(),
        name: None,
        prefix: String::new(),
    }];
    for l in &f.languages {
        if l.code() == default || out.iter().any(|o| o.code == l.code()) {
            continue;
        }
        out.push(Language {
            code: l.code().to_string(),
            name: l.name().map(str::to_string),
            prefix: format!("{}/", l.code()),
        });
    }
    out
}

/// The revision of an original note that `translated_from:` names: the first 12 hex digits
/// of the SHA-256 of its front matter and body. Any edit of the original changes it.
pub fn revision(front_matter: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(front_matter.as_bytes());
    h.update(b"\n---\n");
    h.update(body.as_bytes());
    h.finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks the translations against `base` (built from `notes`) and returns one localized
/// timeline per language after the default, in `languages` order.
pub(super) fn localize(
    base: &Timeline,
    index: &IndexNote,
    notes: &[&SessionNote],
    tr: &Translations<'_>,
    link_prefix: &str,
    diags: &mut Diagnostics,
) -> Vec<Timeline> {
    let langs = &base.meta.languages;
    let originals: HashMap<u32, &SessionNote> = if tr.sessions.is_empty() {
        HashMap::new()
    } else {
        notes.iter().map(|n| (n.front.session, *n)).collect()
    };
    // Per language, per ordinal: the translation.
    let mut by_lang: BTreeMap<String, BTreeMap<u32, &TranslationNote>> = BTreeMap::new();
    for t in &tr.sessions {
        let lang = translation_language(&t.file).unwrap_or_default();
        if !known_language(langs, &lang, &t.file, diags) {
            continue;
        }
        let Some(original) = originals.get(&t.front.session) else {
            // A translation of a draft left out of this build is skipped quietly.
            diags.push(
                Diagnostic::error(
                    d::UNKNOWN_TRANSLATION,
                    format!("no original note has `session: {}`", t.front.session),
                )
                .in_file(&t.file)
                .at(t.locate("session", &t.front.session.to_string()))
                .help("a translation carries the same `session` as the note it translates"),
            );
            continue;
        };
        check_facts(t, &original.front, diags);
        check_revision(t, original, diags);
        by_lang.entry(lang).or_default().insert(t.front.session, *t);
    }
    completeness(langs, &by_lang, notes, diags);
    let mut index_by_lang: HashMap<String, &IndexTranslationNote> = HashMap::new();
    for i in &tr.index {
        let lang = translation_language(&i.file).unwrap_or_default();
        if known_language(langs, &lang, &i.file, diags) {
            index_by_lang.insert(lang, *i);
        }
    }
    let _ = index;
    if langs.len() < 2 {
        // One language: nothing to localize (the checks above still report translations
        // in a language the site does not have).
        return Vec::new();
    }
    let by_path: HashMap<String, u32> = notes
        .iter()
        .map(|n| (n.rel.clone(), n.front.session))
        .collect();
    langs
        .iter()
        .skip(1)
        .map(|lang| {
            let empty = BTreeMap::new();
            let sessions = by_lang.get(&lang.code).unwrap_or(&empty);
            let resolve = |p: &str| {
                by_path
                    .get(p)
                    .map(|n| format!("{link_prefix}{}sessions/{n}/", lang.prefix))
            };
            let index = index_by_lang.get(&lang.code).copied();
            let (mut t, intro) = localized(base, lang, sessions, index, &resolve);
            let intro = index.map(|i| (i, &intro.0[..], &intro.1[..]));
            check_links(&t, sessions, intro, diags);
            if let Some(names) = tr.sector_names {
                name_sectors(&mut t, names, &lang.code);
            }
            t
        })
        .collect()
}

/// The timeline of `base` in `lang`, and the `@/` links of its translated introduction.
fn localized(
    base: &Timeline,
    lang: &Language,
    translations: &BTreeMap<u32, &TranslationNote>,
    index: Option<&IndexTranslationNote>,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> (Timeline, (Vec<InternalLink>, Vec<UnsafeLink>)) {
    let mut intro_links = (Vec::new(), Vec::new());
    let mut t = base.clone();
    t.translations = Vec::new();
    t.meta.language = lang.code.clone();
    t.meta.base_url = format!("{}{}", base.meta.base_url, lang.prefix);
    if let Some(i) = index {
        let f = &i.front;
        t.meta.title = f.title.clone().unwrap_or(t.meta.title);
        t.meta.description = f.description.clone().or(t.meta.description);
        t.meta.parent = f.parent.clone().or(t.meta.parent);
        let renamed: HashMap<String, String> = (t.meta.partners.iter_mut())
            .zip(&f.partners)
            .map(|(p, name)| (std::mem::replace(&mut p.name, name.clone()), name.clone()))
            .collect();
        for c in (t.sessions.iter_mut()).flat_map(|s| &mut Arc::make_mut(s).co_chairs) {
            if let Some(name) = c.partner.as_ref().and_then(|p| renamed.get(p)) {
                c.partner = Some(name.clone());
            }
        }
        if !i.body.trim().is_empty() {
            let pos = BodyPosition {
                first_line: i.body_line,
            };
            let intro = markdown::render(&i.body, pos, t.meta.markdown.raw_html, resolve);
            t.meta.intro_html = intro.html;
            intro_links = (intro.links, intro.unsafe_links);
        }
    }
    for s in &mut t.sessions {
        let s = Arc::make_mut(s);
        s.lang = base.meta.language.clone();
        match translations.get(&s.ordinal) {
            Some(tr) => translate_session(s, tr, &lang.code, t.meta.markdown.raw_html, resolve),
            None => keep_original(s, &lang.code),
        }
    }
    translate_commitments(&mut t, translations, &lang.code);
    (t, intro_links)
}

/// Commitment titles and notes in `lang` where the sessions' translations give them; each
/// text says which language it is in, so that the pages can mark what is still in the
/// original.
fn translate_commitments(
    t: &mut Timeline,
    translations: &BTreeMap<u32, &TranslationNote>,
    lang: &str,
) {
    let mention = |session: u32, id: &str| {
        translations
            .get(&session)
            .and_then(|tr| tr.front.commitments.iter().find(|m| m.id == id))
    };
    // A default title is in the page's language, whatever the session's.
    let sessions: HashMap<u32, (&String, &str)> = (t.sessions.iter())
        .map(|s| {
            let default = s.title == super::default_title(s.ordinal, lang);
            (s.ordinal, (&s.title, if default { lang } else { &s.lang }))
        })
        .collect();
    let lang: Arc<str> = lang.into();
    for c in Arc::make_mut(&mut t.commitments) {
        if let Some(title) = mention(c.introduced, &c.id).and_then(|m| m.title.as_deref()) {
            c.title = title.into();
            c.lang = Arc::clone(&lang);
        }
        for h in &mut c.history {
            if let Some(note) = mention(h.session, &c.id).and_then(|m| m.note.as_deref()) {
                h.note = Some(note.into());
                h.note_lang = Arc::clone(&lang);
            }
            if let Some((title, session_lang)) = sessions.get(&h.session) {
                h.session_title = title.as_str().into();
                h.session_lang = (*session_lang).into();
            }
        }
    }
    let titles: HashMap<&str, (&Arc<str>, &Arc<str>)> = (t.commitments.iter())
        .map(|c| (&*c.id, (&c.title, &c.lang)))
        .collect();
    // An untranslated session keeps its mentions as they are: all in the original.
    for s in t.sessions.iter_mut().filter(|s| !s.untranslated) {
        for m in &mut Arc::make_mut(s).commitments {
            if let Some((title, title_lang)) = titles.get(&*m.id) {
                m.title = Arc::clone(title);
                m.lang = Arc::clone(title_lang);
            }
        }
    }
}

/// Sector names in `lang` from the vocabulary; slugs (and so URLs) stay as they are.
fn name_sectors(t: &mut Timeline, names: &SectorNames, lang: &str) {
    let name = |slug: &str| names.get(slug).and_then(|m| m.get(lang)).cloned();
    let refs = (t
        .sessions
        .iter_mut()
        .flat_map(|s| &mut Arc::make_mut(s).sectors))
    .chain(
        Arc::make_mut(&mut t.commitments)
            .iter_mut()
            .flat_map(|c| &mut c.sectors),
    );
    for r in refs {
        if let Some(n) = name(&r.slug) {
            r.name = n;
            r.lang = lang.to_string();
        }
    }
    for s in Arc::make_mut(&mut t.sectors) {
        if let Some(n) = name(&s.slug) {
            s.name = n;
            s.lang = lang.to_string();
        }
    }
}

/// Puts the translation's `given` text in place of `text`; when it gives none, the
/// original's text stays and its language, `original`, is returned.
fn translate(given: Option<&String>, text: &mut String, original: &str) -> Option<String> {
    match given {
        Some(t) => {
            text.clone_from(t);
            None
        }
        None => Some(original.to_string()),
    }
}

/// [`translate`] for text the original may not have: nothing is marked where neither has it.
fn translate_opt(
    given: Option<&String>,
    text: &mut Option<String>,
    original: &str,
) -> Option<String> {
    match (given, text.as_mut()) {
        (Some(t), _) => {
            *text = Some(t.clone());
            None
        }
        (None, Some(_)) => Some(original.to_string()),
        (None, None) => None,
    }
}

/// A session without a translation keeps its own text, marked as the original's; what
/// pactline writes itself (its ordinal, and its title where the note gives none) is in
/// `lang`. A note with no text of its own has nothing to translate.
fn keep_original(s: &mut Session, lang: &str) {
    let default = s.title == super::default_title(s.ordinal, &s.lang);
    s.ordinal_text = ordinal_text(s.ordinal, lang);
    if default {
        s.title = super::default_title(s.ordinal, lang);
    }
    s.untranslated = !default || has_own_text(s);
}

/// Whether a session shows any text of its note besides its title: a place, names,
/// agreements, sources, commitments, a summary or notes.
fn has_own_text(s: &Session) -> bool {
    s.venue.is_some()
        || s.city.is_some()
        || s.country.is_some()
        || !s.co_chairs.is_empty()
        || !s.agreements().is_empty()
        || !s.sources.is_empty()
        || !s.commitments.is_empty()
        || !s.disagreements.is_empty()
        || s.summary.is_some()
        || s.has_text
}

fn translate_session(
    s: &mut Session,
    tr: &TranslationNote,
    lang: &str,
    raw_html: crate::content::schema::RawHtml,
    resolve: &dyn Fn(&str) -> Option<String>,
) {
    let f = &tr.front;
    s.translation = Some(crate::content::content_rel(&tr.file));
    s.ordinal_text = ordinal_text(s.ordinal, lang);
    s.title = f
        .title
        .clone()
        .unwrap_or_else(|| super::default_title(s.ordinal, lang));
    // Text the translation leaves out stays the original's, and says so by its language.
    let original = std::mem::replace(&mut s.lang, lang.to_string());
    let o = original.as_str();
    let place = [
        translate_opt(f.venue.as_ref(), &mut s.venue, o),
        translate_opt(f.city.as_ref(), &mut s.city, o),
        translate_opt(f.country.as_ref(), &mut s.country, o),
    ];
    s.place_lang = place.into_iter().flatten().next();
    for (i, sc) in s.co_chairs.iter_mut().enumerate() {
        let c = f.co_chairs.get(i);
        sc.lang = translate(c.and_then(|c| c.name.as_ref()), &mut sc.name, o);
        sc.role_lang = translate_opt(c.and_then(|c| c.role.as_ref()), &mut sc.role, o);
    }
    for (i, sa) in s.agreements.iter_mut().flatten().enumerate() {
        let title = f.agreements.get(i).and_then(|a| a.title.as_ref());
        sa.lang = translate(title, &mut sa.title, o);
    }
    for (i, ss) in s.sources.iter_mut().enumerate() {
        let src = f.sources.get(i);
        ss.lang = translate(src.and_then(|x| x.title.as_ref()), &mut ss.title, o);
        let publisher = src.and_then(|x| x.publisher.as_ref());
        ss.publisher_lang = translate_opt(publisher, &mut ss.publisher, o);
    }
    for m in &mut s.commitments {
        if let Some(tm) = f.commitments.iter().find(|x| *x.id == *m.id)
            && let Some(note) = &tm.note
        {
            m.note = Some(note.as_str().into());
            m.note_lang = lang.into();
        }
    }
    let body = markdown::render(
        &tr.body,
        BodyPosition {
            first_line: tr.body_line,
        },
        raw_html,
        resolve,
    );
    s.summary = f.summary.clone().or(body.first_paragraph);
    s.body_html = body.html.into();
    s.has_text = body.has_text;
    s.headings = body.headings;
    s.links = body.links;
    s.unsafe_links = body.unsafe_links;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_change_with_the_note() {
        let a = revision("session: 1\n", "Body.\n");
        assert_eq!(a.len(), 12);
        assert_eq!(a, revision("session: 1\n", "Body.\n"));
        assert_ne!(a, revision("session: 1\n", "Body!\n"));
    }
}
