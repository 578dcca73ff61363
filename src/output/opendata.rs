//! The machine-readable files of the site (feeds, calendar, data exports, sitemap): which
//! ones a timeline publishes, where each goes, and the dates they may show. Dates come from
//! the content, never the clock; `SOURCE_DATE_EPOCH` is honoured where a build date is
//! unavoidable (the calendar's DTSTAMP) and as a fallback when no session is dated.
//!
//! Each file is written into its sink as it is produced ([`Sink::write_with`]): on a large
//! timeline the exports run to tens of megabytes, which a build to disk need never hold.

use std::io::{self, Write};

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::{Page, Sink, data, feeds, ics, sitemap, tables};
use crate::diagnostics::{self as d, Diagnostic};
use crate::timeline::Timeline;

/// One open-data file of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataFile {
    /// `/feed.xml`: Atom feed of the latest sessions.
    Feed,
    /// `/feed-archive.xml`: the sessions older than `/feed.xml`'s (RFC 5005 archive), on a
    /// timeline longer than one feed.
    FeedArchive,
    /// `/commitments/<id>/feed.xml`: Atom feed of one commitment's history.
    CommitmentFeed(usize),
    /// `/changes/feed.xml`: Atom feed of the latest changes to the records, on a site with
    /// a history.
    ChangesFeed,
    /// `/sessions.ics`.
    Calendar,
    /// `/timeline.json`.
    Json,
    /// `/timeline.schema.json`.
    JsonSchema,
    /// `/timeline.csv`: one row per session.
    SessionsCsv,
    /// `/commitments.csv`: one row per commitment mention.
    CommitmentsCsv,
    /// `/co_chairs.csv`: one row per co-chair of a session.
    CoChairsCsv,
    /// `/sitemap.xml`.
    Sitemap,
    /// `/robots.txt`.
    Robots,
}

/// Every open-data file of `timeline`, in a fixed order.
pub fn files(timeline: &Timeline) -> Vec<DataFile> {
    let mut out = vec![
        DataFile::Feed,
        DataFile::Calendar,
        DataFile::Json,
        DataFile::JsonSchema,
        DataFile::SessionsCsv,
        DataFile::CommitmentsCsv,
        DataFile::CoChairsCsv,
        DataFile::Sitemap,
        DataFile::Robots,
    ];
    if feeds::has_archive(timeline) {
        out.insert(1, DataFile::FeedArchive);
    }
    out.extend((0..timeline.commitments.len()).map(DataFile::CommitmentFeed));
    if timeline.changes.is_some() {
        out.push(DataFile::ChangesFeed);
    }
    out
}

impl DataFile {
    /// Output path below the site root.
    pub fn path(self, timeline: &Timeline) -> String {
        match self {
            DataFile::Feed => "feed.xml".into(),
            DataFile::FeedArchive => feeds::ARCHIVE.into(),
            DataFile::CommitmentFeed(i) => format!("{}feed.xml", timeline.commitments[i].path),
            DataFile::ChangesFeed => feeds::CHANGES.into(),
            DataFile::Calendar => "sessions.ics".into(),
            DataFile::Json => "timeline.json".into(),
            DataFile::JsonSchema => "timeline.schema.json".into(),
            DataFile::SessionsCsv => "timeline.csv".into(),
            DataFile::CommitmentsCsv => "commitments.csv".into(),
            DataFile::CoChairsCsv => "co_chairs.csv".into(),
            DataFile::Sitemap => "sitemap.xml".into(),
            DataFile::Robots => "robots.txt".into(),
        }
    }
}

/// Writes one open-data file into `sink`, below `prefix` (a language's folder, `ru/`, or
/// nothing). `plan` is the site's full plan (the sitemap lists its pages); `dates` holds
/// `SOURCE_DATE_EPOCH`, read once by the caller.
pub fn render(
    timeline: &Timeline,
    (plan, dates): (&[Page], &Dates),
    file: DataFile,
    prefix: &str,
    sink: &dyn Sink,
) -> Result<(), Diagnostic> {
    let path = format!("{prefix}{}", file.path(timeline));
    sink.write_with(&path, &mut |out| write(timeline, (plan, dates), file, out))
        .map_err(|e| Diagnostic::error(d::IO, format!("cannot write {path}: {e}")))
}

/// Produces one open-data file into `out`, piece by piece.
pub fn write(
    timeline: &Timeline,
    (plan, dates): (&[Page], &Dates),
    file: DataFile,
    out: &mut dyn Write,
) -> io::Result<()> {
    match file {
        DataFile::Feed => feeds::sessions(timeline, dates, out),
        DataFile::FeedArchive => feeds::archive(timeline, dates, out),
        DataFile::CommitmentFeed(i) => feeds::commitment(timeline, i, dates, out),
        DataFile::ChangesFeed => feeds::changes(timeline, dates, out),
        DataFile::Calendar => ics::calendar(timeline, dates, out),
        DataFile::Json => data::json(timeline, out).map_err(io::Error::other),
        DataFile::JsonSchema => out.write_all(data::SCHEMA.as_bytes()),
        DataFile::SessionsCsv => tables::sessions_csv(timeline, out).map_err(io::Error::other),
        DataFile::CommitmentsCsv => {
            tables::commitments_csv(timeline, out).map_err(io::Error::other)
        }
        DataFile::CoChairsCsv => tables::co_chairs_csv(timeline, out).map_err(io::Error::other),
        DataFile::Sitemap => sitemap::sitemap(timeline, plan, out),
        DataFile::Robots => out.write_all(sitemap::robots(timeline).as_bytes()),
    }
}

/// `SOURCE_DATE_EPOCH` from the environment, when set to a valid number of seconds.
pub fn source_date_epoch_from_env() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

/// The dates an open-data file may show, all derived from content or `SOURCE_DATE_EPOCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    /// The latest session date on record.
    pub latest: Option<NaiveDate>,
    /// `SOURCE_DATE_EPOCH`, as a time.
    pub epoch: Option<NaiveDateTime>,
}

impl Dates {
    pub fn new(timeline: &Timeline, source_date_epoch: Option<i64>) -> Dates {
        Dates {
            latest: timeline.sessions.iter().filter_map(|s| s.date).max(),
            epoch: source_date_epoch
                .and_then(|s| DateTime::from_timestamp(s, 0))
                .map(|t| t.naive_utc()),
        }
    }

    /// The date of the build, for what must have one (a feed's own `updated`, with no dated
    /// entry): the latest session date, else `SOURCE_DATE_EPOCH`'s day, else 1970-01-01.
    /// Never the clock, and never a session's: undated sessions are left out of the feeds.
    pub fn fallback(&self) -> NaiveDate {
        self.latest
            .or(self.epoch.map(|t| t.date()))
            .unwrap_or(DateTime::UNIX_EPOCH.date_naive())
    }

    /// When the build happened, as far as a reproducible build may say: `SOURCE_DATE_EPOCH`,
    /// else midnight of the latest session date, else the Unix epoch.
    pub fn stamp(&self) -> NaiveDateTime {
        self.epoch
            .unwrap_or_else(|| self.fallback().and_time(chrono::NaiveTime::MIN))
    }
}

/// A small in-memory timeline for the output modules' unit tests.
#[cfg(test)]
pub(crate) fn sample() -> Timeline {
    use crate::content::{Content, parse_bytes};
    use std::path::Path;
    let index = "---\ntitle: WG\ndescription: A group.\npartners:\n  - { name: India }\n  - { name: Russia }\nbase_url: https://example.org/wg\n---\nIntro.\n";
    let s1 = "---\nsession: 1\ndate: 2024-02-29\nvenue: Hall\ncity: New Delhi\ncountry: India\nsummary: \"First, <b>; \\\\ done\"\ncommitments:\n  - { id: tunnel, title: Wind tunnel, status: proposed }\nsources:\n  - { title: R, url: \"https://example.org/r\" }\n---\nBody.\n";
    let s2 = "---\nsession: 2\ncommitments:\n  - { id: tunnel, status: agreed, note: Go }\nsources:\n  - { title: R, url: \"https://example.org/r\" }\n---\nLater.\n";
    fn note<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> crate::content::Parsed<T> {
        parse_bytes(Path::new(name), text.as_bytes()).unwrap()
    }
    let content = Content {
        index: Some(note("content/_index.md", index)),
        sessions: vec![
            note("content/sessions/1.md", s1),
            note("content/sessions/2.md", s2),
        ],
        assets: Vec::new(),
        ..Default::default()
    };
    let opts = crate::timeline::ModelOptions {
        link_prefix: "/wg/".into(),
        ..Default::default()
    };
    let (timeline, diags) = crate::timeline::build(content, &opts);
    assert!(!diags.has_errors(), "{diags:?}");
    timeline.unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn fallback_prefers_content_then_epoch_then_1970() {
        let none = Dates {
            latest: None,
            epoch: None,
        };
        assert_eq!(none.fallback(), date("1970-01-01"));
        assert_eq!(none.stamp().to_string(), "1970-01-01 00:00:00");
        let epoch = Dates {
            latest: None,
            epoch: DateTime::from_timestamp(86_400 * 2 + 5, 0).map(|t| t.naive_utc()),
        };
        assert_eq!(epoch.fallback(), date("1970-01-03"));
        assert_eq!(epoch.stamp().to_string(), "1970-01-03 00:00:05");
        let both = Dates {
            latest: Some(date("2024-11-13")),
            ..epoch
        };
        assert_eq!(both.fallback(), date("2024-11-13"));
        assert_eq!(both.stamp().to_string(), "1970-01-03 00:00:05");
    }

    #[test]
    fn every_file_renders_to_its_path() {
        let t = sample();
        let plan = vec![Page::Home, Page::Session(0)];
        let dates = Dates::new(&t, None);
        let paths: Vec<String> = files(&t)
            .into_iter()
            .flat_map(|f| {
                let sink = crate::output::MemorySink::default();
                render(&t, (&plan, &dates), f, "", &sink).unwrap();
                sink.into_files().into_keys()
            })
            .collect();
        assert_eq!(
            paths,
            [
                "feed.xml",
                "sessions.ics",
                "timeline.json",
                "timeline.schema.json",
                "timeline.csv",
                "commitments.csv",
                "co_chairs.csv",
                "sitemap.xml",
                "robots.txt",
                "commitments/tunnel/feed.xml"
            ]
        );
        let sink = crate::output::MemorySink::default();
        render(&t, (&plan, &dates), DataFile::Feed, "ru/", &sink).unwrap();
        assert!(sink.into_files().contains_key("ru/feed.xml"));
    }
}
