//! The checks on translations: a declared language, facts that agree with the original
//! (PL0024), `translated_from` revisions (PL1009), completeness (PL1008), and `@/` links
//! checked against the pages of the translation's language (PL0010).

use std::collections::BTreeMap;

use super::{Language, revision};
use crate::content::markdown::{InternalLink, UnsafeLink};
use crate::content::schema::RawSession;
use crate::content::{IndexTranslationNote, SessionNote, TranslationNote};
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};
use crate::timeline::{Timeline, validate};

/// Whether `lang` is one of the further languages; reports the translation in `file` if not.
pub(super) fn known_language(
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

pub(super) fn check_facts(t: &TranslationNote, o: &RawSession, diags: &mut Diagnostics) {
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
    if f.agreements.len() > o.agreements().len() {
        diags.push(extra(
            "agreements",
            f.agreements.len(),
            o.agreements().len(),
        ));
    }
    for (a, oa) in f.agreements.iter().zip(o.agreements()) {
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

pub(super) fn check_revision(t: &TranslationNote, original: &SessionNote, diags: &mut Diagnostics) {
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

pub(super) fn completeness(
    langs: &[Language],
    by_lang: &BTreeMap<String, BTreeMap<u32, &TranslationNote>>,
    notes: &[&SessionNote],
    diags: &mut Diagnostics,
) {
    if langs.len() < 2 {
        return;
    }
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
pub(super) fn check_links(
    t: &Timeline,
    translations: &BTreeMap<u32, &TranslationNote>,
    index: Option<(&IndexTranslationNote, &[InternalLink], &[UnsafeLink])>,
    diags: &mut Diagnostics,
) {
    for s in t.sessions.iter().filter(|s| !s.untranslated) {
        if let Some(tr) = translations.get(&s.ordinal) {
            validate::links_in(&tr.file, &s.links, &t.sessions, diags);
            validate::unsafe_links(&tr.file, &s.unsafe_links, diags);
        }
    }
    if let Some((i, links, unsafe_links)) = index {
        validate::links_in(&i.file, links, &t.sessions, diags);
        validate::unsafe_links(&i.file, unsafe_links, diags);
    }
}
