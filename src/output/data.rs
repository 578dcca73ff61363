//! `/timeline.json` (everything the site knows, with permalinks) and its JSON Schema
//! (`/timeline.schema.json`, hand-written beside this file and tested against the output);
//! the CSV exports are in [`super::tables`]. The JSON is serialized straight into the
//! writer it is given, never built whole. Field order is fixed by the structs below, so
//! the bytes are stable. The schema forbids unknown properties: a field
//! added to the model's serialized types must be added to the schema too, and the
//! integration tests (which validate real output against it) say so when it is not.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::content::schema::{Agreement, CoChair, Disagreement, RawPartner, Source};
use crate::timeline::{Commitment, SectorRef, Session, SessionMention, Timeline};

/// The JSON Schema (draft 2020-12) of `timeline.json`.
pub const SCHEMA: &str = include_str!("timeline.schema.json");

/// What can go wrong while writing an export: in practice only the writer's own failure
/// (a full disk, say); the values themselves always serialize.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("CSV: {0}")]
    CsvFlush(std::io::Error),
}

#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    timeline: TimelineMeta<'a>,
    partners: &'a [RawPartner],
    sessions: Vec<JsonSession<'a>>,
    sectors: Vec<JsonSector<'a>>,
    agreements: Vec<Located<'a, Agreement>>,
    commitments: Vec<JsonCommitment<'a>>,
    sources: Vec<Located<'a, Source>>,
}

#[derive(Serialize)]
struct TimelineMeta<'a> {
    title: &'a str,
    description: Option<&'a str>,
    parent: Option<&'a str>,
    base_url: &'a str,
    language: &'a str,
    license: Option<&'a str>,
    intro_html: &'a str,
    session_count: usize,
}

#[derive(Serialize)]
struct JsonSession<'a> {
    session: u32,
    ordinal_text: &'a str,
    title: &'a str,
    date: Option<NaiveDate>,
    venue: Option<&'a str>,
    city: Option<&'a str>,
    country: Option<&'a str>,
    co_chairs: &'a [CoChair],
    delegates: Option<u32>,
    /// Present, and true, only when `delegates` is approximate ("about 80").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    delegates_approximate: bool,
    sectors: &'a [SectorRef],
    /// `null`: not recorded.
    agreements: Option<&'a [Agreement]>,
    commitments: &'a [SessionMention],
    sources: &'a [Source],
    disagreements: &'a [Disagreement],
    summary: Option<&'a str>,
    draft: bool,
    aliases: &'a [String],
    records_pending: bool,
    path: &'a str,
    url: String,
    file: String,
    /// The notes in full, as on the session's page.
    body_html: &'a str,
    body_text: BodyText<'a>,
    /// The session's text in each further language it is translated into.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    translations: std::collections::BTreeMap<&'a str, JsonTranslation<'a>>,
}

/// A session's translated text; its facts are those of the original.
#[derive(Serialize)]
struct JsonTranslation<'a> {
    ordinal_text: &'a str,
    title: &'a str,
    venue: Option<&'a str>,
    city: Option<&'a str>,
    country: Option<&'a str>,
    co_chairs: &'a [CoChair],
    /// `null`: not recorded.
    agreements: Option<&'a [Agreement]>,
    commitments: &'a [SessionMention],
    sources: &'a [Source],
    summary: Option<&'a str>,
    url: String,
    body_html: &'a str,
    body_text: BodyText<'a>,
}

/// The plain text of a rendered body, worked out as it is written: the document never
/// holds every session's text at once, only their HTML, which the model keeps anyway.
struct BodyText<'a>(&'a str);

impl Serialize for BodyText<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(crate::search::text::strip_html(self.0).trim())
    }
}

/// Session `i` in each language it is translated into.
fn translations(t: &Timeline, i: usize) -> std::collections::BTreeMap<&str, JsonTranslation<'_>> {
    t.translations
        .iter()
        .filter_map(|lt| {
            let s = lt.sessions.get(i).filter(|s| !s.untranslated)?;
            Some((
                lt.meta.language.as_str(),
                JsonTranslation {
                    ordinal_text: &s.ordinal_text,
                    title: &s.title,
                    venue: s.venue.as_deref(),
                    city: s.city.as_deref(),
                    country: s.country.as_deref(),
                    co_chairs: &s.co_chairs,
                    agreements: s.agreements.as_deref(),
                    commitments: &s.commitments,
                    sources: &s.sources,
                    summary: s.summary.as_deref(),
                    url: format!("{}{}", lt.meta.base_url, s.path),
                    body_html: &s.body_html,
                    body_text: BodyText(&s.body_html),
                },
            ))
        })
        .collect()
}

#[derive(Serialize)]
struct JsonSector<'a> {
    slug: &'a str,
    name: &'a str,
    path: &'a str,
    url: String,
    /// Ordinals of the sessions naming the sector.
    sessions: Vec<u32>,
    commitments: &'a [std::sync::Arc<str>],
}

#[derive(Serialize)]
struct JsonCommitment<'a> {
    #[serde(flatten)]
    commitment: &'a Commitment,
    url: String,
}

/// An agreement or source with the session it belongs to.
#[derive(Serialize)]
struct Located<'a, T> {
    session: u32,
    session_url: String,
    #[serde(flatten)]
    item: &'a T,
}

fn json_session<'a>(base: &str, s: &'a Session) -> JsonSession<'a> {
    JsonSession {
        session: s.ordinal,
        ordinal_text: &s.ordinal_text,
        title: &s.title,
        date: s.date,
        venue: s.venue.as_deref(),
        city: s.city.as_deref(),
        country: s.country.as_deref(),
        co_chairs: &s.co_chairs,
        delegates: s.delegates.map(|d| d.value),
        delegates_approximate: s.delegates.is_some_and(|d| d.approximate),
        sectors: &s.sectors,
        agreements: s.agreements.as_deref(),
        commitments: &s.commitments,
        sources: &s.sources,
        disagreements: &s.disagreements,
        summary: s.summary.as_deref(),
        draft: s.draft,
        aliases: &s.aliases,
        records_pending: s.records_pending,
        path: &s.path,
        url: format!("{base}{}", s.path),
        file: s.rel.clone(),
        body_html: &s.body_html,
        body_text: BodyText(&s.body_html),
        translations: Default::default(),
    }
}

fn located<'a, T>(
    base: &str,
    t: &'a Timeline,
    items: impl Fn(&'a Session) -> &'a [T],
) -> Vec<Located<'a, T>> {
    t.sessions
        .iter()
        .flat_map(|s| {
            items(s).iter().map(move |item| Located {
                session: s.ordinal,
                session_url: format!("{base}{}", s.path),
                item,
            })
        })
        .collect()
}

fn document(t: &Timeline) -> Document<'_> {
    let m = &t.meta;
    let base = m.base_url.as_str();
    Document {
        schema: format!("{base}timeline.schema.json"),
        timeline: TimelineMeta {
            title: &m.title,
            description: m.description.as_deref(),
            parent: m.parent.as_deref(),
            base_url: base,
            language: &m.language,
            license: m.license.as_deref(),
            intro_html: &m.intro_html,
            session_count: t.sessions.len(),
        },
        partners: &m.partners,
        sessions: t
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| JsonSession {
                translations: translations(t, i),
                ..json_session(base, s)
            })
            .collect(),
        sectors: t
            .sectors
            .iter()
            .map(|s| JsonSector {
                slug: &s.slug,
                name: &s.name,
                path: &s.path,
                url: format!("{base}{}", s.path),
                sessions: s.sessions.iter().map(|&i| t.sessions[i].ordinal).collect(),
                commitments: &s.commitments,
            })
            .collect(),
        agreements: located(base, t, Session::agreements),
        commitments: t
            .commitments
            .iter()
            .map(|c| JsonCommitment {
                commitment: c,
                url: format!("{base}{}", c.path),
            })
            .collect(),
        sources: located(base, t, |s| &s.sources),
    }
}

/// `/timeline.json`, pretty-printed with a final newline, serialized straight into `out`.
pub fn json(t: &Timeline, out: &mut dyn Write) -> Result<(), DataError> {
    serde_json::to_writer_pretty(&mut *out, &document(t))?;
    out.write_all(b"\n").map_err(serde_json::Error::io)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_json() {
        let v: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    }

    fn bytes(write: impl FnOnce(&mut dyn Write) -> Result<(), DataError>) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        out
    }

    #[test]
    fn exports_of_a_sample_timeline() {
        let t = crate::output::opendata::sample();
        let v: serde_json::Value = serde_json::from_slice(&bytes(|out| json(&t, out))).unwrap();
        assert_eq!(
            v["sessions"][0]["url"],
            "https://example.org/wg/sessions/1/"
        );
        assert_eq!(v["sessions"][0]["file"], "sessions/1.md");
        assert!(v["sessions"][1]["date"].is_null());
        assert_eq!(v["commitments"][0]["history"][1]["status"], "agreed");
        assert_eq!(v["sessions"][0]["body_html"], "<p>Body.</p>\n");
        assert_eq!(v["sessions"][0]["body_text"], "Body.");
    }
}
