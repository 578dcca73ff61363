//! One note's front matter resolved into the model's [`Meta`] and [`Session`]: defaults
//! filled in, names trimmed, the body rendered and the checks that need only that note run.

use super::{
    Digests, Meta, Session, addresses, default_title, i18n, ordinal_text, pending, validate,
};
use crate::content::markdown::{self, BodyPosition};
use crate::content::schema::{CoChair, RawPartner};
use crate::content::{IndexNote, SessionNote};
use crate::diagnostics::Diagnostics;
use crate::timeline::ModelOptions;

pub(super) fn resolve_meta(index: &IndexNote, opts: &ModelOptions) -> Meta {
    let f = &index.front;
    let mut base_url = opts
        .base_url
        .clone()
        .or_else(|| f.base_url.clone())
        .unwrap_or_else(|| "http://127.0.0.1:1111/".to_string());
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    Meta {
        title: f.title.clone(),
        description: f.description.clone(),
        partners: (f.partners.iter())
            .map(|p| RawPartner {
                name: p.name.trim().to_string(),
                ..p.clone()
            })
            .collect(),
        parent: f.parent.clone(),
        base_url,
        language: f.language.clone().unwrap_or_else(|| "en".to_string()),
        languages: i18n::languages(index),
        theme: f.theme.clone().unwrap_or_else(|| "default".to_string()),
        license: f.license.clone(),
        repository: f.repository.clone(),
        markdown: f.markdown,
        paging: f.paging.at_least_one(),
        intro_html: String::new(),
    }
}

pub(super) fn resolve_session(
    note: &SessionNote,
    meta: &Meta,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> (Session, Diagnostics) {
    let mut diags = Diagnostics::default();
    let f = &note.front;
    validate::ordinal(note, &mut diags);
    let date = validate::date(note, &mut diags);
    validate::partners(note, &meta.partners, &mut diags);
    validate::sources(note, &mut diags);
    validate::disagreements(note, &mut diags);
    addresses::aliases(note, &mut diags);
    let sectors = validate::sectors(
        note,
        (f.sectors.as_deref().unwrap_or(&[]), "sectors"),
        &meta.language,
        &mut diags,
    );
    validate::facts_have_sources(note, &mut diags);
    let body = markdown::render(
        &note.body,
        BodyPosition {
            first_line: note.body_line,
        },
        meta.markdown.raw_html,
        resolve,
    );
    validate::unsafe_links(&note.file, &body.unsafe_links, &mut diags);
    let ordinal_text = ordinal_text(f.session, &meta.language);
    let records_pending = pending::records_pending(f, date);
    let session = Session {
        ordinal: f.session,
        title: f
            .title
            .clone()
            .unwrap_or_else(|| default_title(f.session, &meta.language)),
        ordinal_text,
        date,
        year: date.map(|d| chrono::Datelike::year(&d)),
        venue: f.venue.clone(),
        city: f.city.clone(),
        country: f.country.clone(),
        co_chairs: (f.co_chairs.iter())
            .map(|c| CoChair {
                partner: c.partner.as_ref().map(|p| p.trim().to_string()),
                ..c.clone()
            })
            .collect(),
        delegates: f.delegates,
        sectors,
        agreements: f.agreements.clone(),
        commitments: Vec::new(),
        sources: f.sources.clone(),
        disagreements: f.disagreements.clone(),
        summary: f.summary.clone().or(body.first_paragraph),
        draft: f.draft,
        lang: meta.language.clone(),
        untranslated: false,
        place_lang: None,
        aliases: f
            .aliases
            .iter()
            .map(|a| addresses::normalize_alias(a))
            .collect(),
        alias_spans: f
            .aliases
            .iter()
            .map(|a| note.locate("aliases", a))
            .collect(),
        records_pending,
        path: format!("sessions/{}/", f.session),
        file: note.file.clone(),
        rel: note.rel.clone(),
        body_html: body.html.into(),
        has_text: body.has_text,
        headings: body.headings,
        links: body.links,
        unsafe_links: Vec::new(),
        digests: Digests::default(),
        history: None,
        translation: None,
    };
    (session, diags)
}
