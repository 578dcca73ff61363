//! Translations: one timeline published in several languages. A translation
//! (`sessions/11.ru.md`, `_index.ru.md`) carries text only; its facts come from the original
//! and, where it repeats them, must agree (PL0024). From the default-language timeline and
//! the translations this builds one localized [`Timeline`] per extra language, in which an
//! untranslated session keeps its original text and says so (`untranslated`, `lang`).
//! Completeness is reported as warnings (PL1008, PL1009), but only for sessions that have at
//! least one translation, so a site translating a few sessions does not drown in warnings.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Session, Timeline, ordinal_text, validate};
use crate::content::markdown::{self, BodyPosition, InternalLink};
use crate::content::schema::RawSession;
use crate::content::{
    IndexNote, IndexTranslationNote, SectorNames, SessionNote, TranslationNote, content_rel,
    translation_language,
};
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};

/// The translation notes of a site, borrowed for one build.
#[derive(Debug, Default, Clone)]
pub struct Translations<'a> {
    pub index: Vec<&'a IndexTranslationNote>,
    pub sessions: Vec<&'a TranslationNote>,
    /// `content/sectors.yaml`, naming sectors in the further languages.
    pub sector_names: Option<&'a SectorNames>,
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
    let originals: HashMap<u32, &SessionNote> =
        notes.iter().map(|n| (n.front.session, *n)).collect();
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
    let by_path: HashMap<String, u32> = notes
        .iter()
        .map(|n| (content_rel(&n.file), n.front.session))
        .collect();
    let _ = index;
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
            let (mut t, intro_links) = localized(base, lang, sessions, index, &resolve);
            check_links(&t, sessions, index.map(|i| (i, &intro_links[..])), diags);
            if let Some(names) = tr.sector_names {
                name_sectors(&mut t, names, &lang.code);
            }
            t
        })
        .collect()
}

fn known_language(
    langs: &[Language],
    lang: &str,
    file: &std::path::Path,
    diags: &mut Diagnostics,
) -> bool {
    if langs.iter().skip(1).any(|l| l.code == lang) {
        return true;
    }
    let declared: Vec<&str> = langs.iter().skip(1).map(|l| l.code.as_str()).collect();
    diags.push(
        Diagnostic::error(
            d::UNKNOWN_TRANSLATION,
            format!("a translation into `{lang}`, which `languages` does not list"),
        )
        .in_file(file)
        .help(format!(
            "add `{lang}` to `languages:` in content/_index.md (now: [{}]), or rename the file",
            declared.join(", ")
        )),
    );
    false
}

/// Reports a fact the translation states differently from the original.
fn mismatch(t: &TranslationNote, key: &str, given: &str, original: &str) -> Diagnostic {
    Diagnostic::error(
        d::TRANSLATION_MISMATCH,
        format!("`{key}` is `{given}` here but `{original}` in the original"),
    )
    .in_file(&t.file)
    .at(t.locate(key, given).or_else(|| t.locate(key, key)))
    .help("facts come from the original note: remove the value from the translation, or make it agree")
}

fn check_facts(t: &TranslationNote, o: &RawSession, diags: &mut Diagnostics) {
    let f = &t.front;
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "nothing".into());
    if f.date.is_some() && f.date != o.date {
        diags.push(mismatch(t, "date", &show(&f.date), &show(&o.date)));
    }
    if let Some(n) = f.delegates
        && Some(n) != o.delegates
    {
        let orig = o.delegates.map_or("nothing".into(), |n| n.to_string());
        diags.push(mismatch(t, "delegates", &n.to_string(), &orig));
    }
    if let Some(s) = &f.sectors
        && Some(s) != o.sectors.as_ref()
    {
        let orig = o.sectors.clone().unwrap_or_default().join(", ");
        diags.push(mismatch(t, "sectors", &s.join(", "), &orig));
    }
    let extra = |key: &str, n: usize, m: usize| {
        Diagnostic::error(
            d::TRANSLATION_MISMATCH,
            format!("{n} `{key}` here but {m} in the original"),
        )
        .in_file(&t.file)
        .at(t.locate(key, key))
        .help("list the original's entries in the same order, translating their text")
    };
    if f.co_chairs.len() > o.co_chairs.len() {
        diags.push(extra("co_chairs", f.co_chairs.len(), o.co_chairs.len()));
    }
    for (c, oc) in f.co_chairs.iter().zip(&o.co_chairs) {
        if c.partner.is_some() && c.partner != oc.partner {
            diags.push(mismatch(
                t,
                "partner",
                &show(&c.partner),
                &show(&oc.partner),
            ));
        }
    }
    if f.agreements.len() > o.agreements.len() {
        diags.push(extra("agreements", f.agreements.len(), o.agreements.len()));
    }
    for (a, oa) in f.agreements.iter().zip(&o.agreements) {
        for (key, v, ov) in [
            ("kind", &a.kind, &oa.kind),
            ("status", &a.status, &oa.status),
            ("url", &a.url, &oa.url),
        ] {
            if v.is_some() && v != ov {
                diags.push(mismatch(t, key, &show(v), &show(ov)));
            }
        }
    }
    if f.sources.len() > o.sources.len() {
        diags.push(extra("sources", f.sources.len(), o.sources.len()));
    }
    for (s, os) in f.sources.iter().zip(&o.sources) {
        if s.url.is_some() && s.url.as_ref() != Some(&os.url) {
            diags.push(mismatch(t, "url", &show(&s.url), &os.url));
        }
    }
    for m in &f.commitments {
        let Some(om) = o.commitments.iter().find(|om| om.id == m.id) else {
            diags.push(
                Diagnostic::error(
                    d::TRANSLATION_MISMATCH,
                    format!("the original does not mention commitment `{}`", m.id),
                )
                .in_file(&t.file)
                .at(t.locate("commitments", &m.id))
                .help("translate only the commitments the original mentions, by their `id`"),
            );
            continue;
        };
        if let Some(s) = m.status
            && s != om.status
        {
            diags.push(mismatch(t, "status", s.as_str(), om.status.as_str()));
        }
        if m.superseded_by.is_some() && m.superseded_by != om.superseded_by {
            diags.push(mismatch(
                t,
                "superseded_by",
                &show(&m.superseded_by),
                &show(&om.superseded_by),
            ));
        }
        if let Some(s) = &m.sectors
            && s != &om.sectors
        {
            diags.push(mismatch(
                t,
                "sectors",
                &s.join(", "),
                &om.sectors.join(", "),
            ));
        }
    }
}

fn check_revision(t: &TranslationNote, original: &SessionNote, diags: &mut Diagnostics) {
    let Some(from) = &t.front.translated_from else {
        return;
    };
    let now = revision(&original.front_matter, &original.body);
    if from.trim() != now {
        diags.push(
            Diagnostic::warning(
                d::STALE_TRANSLATION,
                format!(
                    "translated from revision {from}; {} is now at revision {now}",
                    original.file.display()
                ),
            )
            .in_file(&t.file)
            .at(t.locate("translated_from", from))
            .help(format!(
                "bring the translation up to date, then set `translated_from: {now}`"
            )),
        );
    }
}

fn completeness(
    langs: &[Language],
    by_lang: &BTreeMap<String, BTreeMap<u32, &TranslationNote>>,
    notes: &[&SessionNote],
    diags: &mut Diagnostics,
) {
    for n in notes {
        let have = |l: &Language| {
            by_lang
                .get(&l.code)
                .is_some_and(|m| m.contains_key(&n.front.session))
        };
        let missing: Vec<&str> = langs
            .iter()
            .skip(1)
            .filter(|l| !have(l))
            .map(|l| l.code.as_str())
            .collect();
        if missing.is_empty() || missing.len() == langs.len() - 1 {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                d::MISSING_TRANSLATION,
                format!(
                    "session {} is translated, but not into {}",
                    n.front.session,
                    missing.join(", ")
                ),
            )
            .in_file(&n.file)
            .help(format!(
                "add {} beside this note; until then those pages show the original with a \"not yet translated\" badge",
                missing
                    .iter()
                    .map(|l| translated_name(&n.file, l))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
}

fn translated_name(file: &std::path::Path, lang: &str) -> String {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("note");
    format!("{stem}.{lang}.md")
}

/// Checks the `@/` links of the translations in `t` as those of the originals are checked,
/// against the pages of this language (a heading anchor must exist in the target as it
/// reads in `t`: translated, or the original where it is not), reported in the
/// translation's file. Untranslated sessions keep the original's links, checked already.
fn check_links(
    t: &Timeline,
    translations: &BTreeMap<u32, &TranslationNote>,
    index: Option<(&IndexTranslationNote, &[InternalLink])>,
    diags: &mut Diagnostics,
) {
    for s in t.sessions.iter().filter(|s| !s.untranslated) {
        if let Some(tr) = translations.get(&s.ordinal) {
            validate::links_in(&tr.file, &s.links, &t.sessions, diags);
        }
    }
    if let Some((i, links)) = index {
        validate::links_in(&i.file, links, &t.sessions, diags);
    }
}

/// The timeline of `base` in `lang`, and the `@/` links of its translated introduction.
fn localized(
    base: &Timeline,
    lang: &Language,
    translations: &BTreeMap<u32, &TranslationNote>,
    index: Option<&IndexTranslationNote>,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> (Timeline, Vec<InternalLink>) {
    let mut intro_links = Vec::new();
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
        for c in t.sessions.iter_mut().flat_map(|s| &mut s.co_chairs) {
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
            intro_links = intro.links;
        }
    }
    for s in &mut t.sessions {
        s.lang = base.meta.language.clone();
        match translations.get(&s.ordinal) {
            Some(tr) => translate_session(s, tr, &lang.code, t.meta.markdown.raw_html, resolve),
            None => s.untranslated = true,
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
    let sessions: HashMap<u32, (&String, &String)> = (t.sessions.iter())
        .map(|s| (s.ordinal, (&s.title, &s.lang)))
        .collect();
    for c in &mut t.commitments {
        if let Some(title) = mention(c.introduced, &c.id).and_then(|m| m.title.clone()) {
            c.title = title;
            c.lang = lang.to_string();
        }
        for h in &mut c.history {
            if let Some(note) = mention(h.session, &c.id).and_then(|m| m.note.clone()) {
                h.note = Some(note);
                h.note_lang = lang.to_string();
            }
            if let Some((title, session_lang)) = sessions.get(&h.session) {
                h.session_title = (*title).clone();
                h.session_lang = (*session_lang).clone();
            }
        }
    }
    let titles: HashMap<&str, (&String, &String)> = (t.commitments.iter())
        .map(|c| (c.id.as_str(), (&c.title, &c.lang)))
        .collect();
    // An untranslated session keeps its mentions as they are: all in the original.
    for s in t.sessions.iter_mut().filter(|s| !s.untranslated) {
        for m in &mut s.commitments {
            if let Some((title, title_lang)) = titles.get(m.id.as_str()) {
                m.title = (*title).clone();
                m.lang = (*title_lang).clone();
            }
        }
    }
}

/// Sector names in `lang` from the vocabulary; slugs (and so URLs) stay as they are.
fn name_sectors(t: &mut Timeline, names: &SectorNames, lang: &str) {
    let name = |slug: &str| names.get(slug).and_then(|m| m.get(lang)).cloned();
    let refs = (t.sessions.iter_mut().flat_map(|s| &mut s.sectors))
        .chain(t.commitments.iter_mut().flat_map(|c| &mut c.sectors));
    for r in refs {
        if let Some(n) = name(&r.slug) {
            r.name = n;
            r.lang = lang.to_string();
        }
    }
    for s in &mut t.sectors {
        if let Some(n) = name(&s.slug) {
            s.name = n;
            s.lang = lang.to_string();
        }
    }
}

fn translate_session(
    s: &mut Session,
    tr: &TranslationNote,
    lang: &str,
    raw_html: crate::content::schema::RawHtml,
    resolve: &dyn Fn(&str) -> Option<String>,
) {
    let f = &tr.front;
    s.lang = lang.to_string();
    s.ordinal_text = ordinal_text(s.ordinal, lang);
    s.title = f
        .title
        .clone()
        .unwrap_or_else(|| super::default_title(s.ordinal, lang));
    let text = |v: &Option<String>, orig: &mut Option<String>| {
        if v.is_some() {
            *orig = v.clone();
        }
    };
    text(&f.venue, &mut s.venue);
    text(&f.city, &mut s.city);
    text(&f.country, &mut s.country);
    for (c, sc) in f.co_chairs.iter().zip(&mut s.co_chairs) {
        if let Some(n) = &c.name {
            sc.name = n.clone();
        }
        if c.role.is_some() {
            sc.role = c.role.clone();
        }
    }
    for (a, sa) in f.agreements.iter().zip(&mut s.agreements) {
        if let Some(title) = &a.title {
            sa.title = title.clone();
        }
    }
    for (src, ss) in f.sources.iter().zip(&mut s.sources) {
        if let Some(title) = &src.title {
            ss.title = title.clone();
        }
        if src.publisher.is_some() {
            ss.publisher = src.publisher.clone();
        }
    }
    for m in &mut s.commitments {
        if let Some(tm) = f.commitments.iter().find(|x| x.id == m.id)
            && tm.note.is_some()
        {
            m.note = tm.note.clone();
            m.note_lang = lang.to_string();
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
    s.body_html = body.html;
    s.plain_text = body.plain_text;
    s.headings = body.headings;
    s.links = body.links;
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
