//! Atom feeds (RFC 4287): `/feed.xml` with one entry per session, newest first,
//! `/commitments/<id>/feed.xml` with one entry per mention of a commitment, and
//! `/changes/feed.xml` with one entry per change to the records. Written by hand with
//! strict escaping, entry by entry into the output: the format is small, and a
//! hand-written writer keeps the output byte-stable. Ids are the entries' absolute URLs;
//! `updated` comes from session dates, and for a change from its commit. Atom requires
//! every entry to have one, so a session whose date is not on record (and a mention at such
//! a session) is left out of the feeds rather than given another session's date; its page
//! and `timeline.json` still carry it.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};

use super::opendata::Dates;
use crate::timeline::{Commitment, Meta, Session, SiteChange, Timeline};

/// Escapes text for XML content and attribute values, dropping the characters XML 1.0
/// cannot carry at all (C0 controls other than tab, newline and carriage return).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An RFC 3339 timestamp, `Z` for UTC.
fn timestamp(time: DateTime<FixedOffset>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Midnight UTC of a date, the time of an entry dated by a session.
fn midnight(date: NaiveDate) -> DateTime<FixedOffset> {
    date.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .fixed_offset()
}

/// One `<entry>`.
struct Entry {
    id: String,
    title: String,
    updated: DateTime<FixedOffset>,
    link: String,
    summary: Option<String>,
    /// The entry's language where it differs from the feed's (an untranslated session in a
    /// translated feed).
    lang: Option<String>,
}

/// The feed's own head.
struct Head<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    id: String,
    self_url: String,
    alternate: String,
    author: &'a str,
    /// The feed's language, `xml:lang` of `<feed>`.
    lang: &'a str,
    /// The newest entry's time (see [`newest`]).
    updated: DateTime<FixedOffset>,
    /// RFC 5005 links to the other documents of an archived feed (`prev-archive`,
    /// `current`), and whether this one is an archive document.
    history: History,
}

#[derive(Default)]
struct History {
    links: Vec<(&'static str, String)>,
    archive: bool,
}

/// How many sessions `/feed.xml` carries; older ones are in [`ARCHIVE`].
pub const LATEST: usize = 50;

/// Where the sessions older than the feed's are, below the language's root.
pub const ARCHIVE: &str = "feed-archive.xml";

/// Whether the timeline has dated sessions beyond the feed's, for [`ARCHIVE`].
pub fn has_archive(t: &Timeline) -> bool {
    dated(t).len() > LATEST
}

/// The sessions a feed may carry: those whose date is on record, in timeline order.
fn dated(t: &Timeline) -> Vec<&Session> {
    t.sessions
        .iter()
        .filter(|s| s.date.is_some())
        .map(|s| &**s)
        .collect()
}

/// The time of a feed: its newest entry's, or `fallback` when it has none.
fn newest(
    times: impl Iterator<Item = DateTime<FixedOffset>>,
    fallback: DateTime<FixedOffset>,
) -> DateTime<FixedOffset> {
    times.max().unwrap_or(fallback)
}

fn write_feed(
    head: &Head<'_>,
    entries: impl Iterator<Item = Entry>,
    x: &mut dyn Write,
) -> io::Result<()> {
    x.write_all(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")?;
    let history = if head.history.links.is_empty() && !head.history.archive {
        ""
    } else {
        " xmlns:fh=\"http://purl.org/syndication/history/1.0\""
    };
    writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"{history} xml:lang=\"{}\">",
        escape(head.lang)
    )?;
    writeln!(x, "  <title type=\"text\">{}</title>", escape(head.title))?;
    if let Some(s) = head.subtitle {
        writeln!(x, "  <subtitle type=\"text\">{}</subtitle>", escape(s))?;
    }
    writeln!(x, "  <id>{}</id>", escape(&head.id))?;
    writeln!(x, "  <updated>{}</updated>", timestamp(head.updated))?;
    writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&head.self_url)
    )?;
    writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&head.alternate)
    )?;
    for (rel, href) in &head.history.links {
        writeln!(
            x,
            "  <link rel=\"{rel}\" type=\"application/atom+xml\" href=\"{}\"/>",
            escape(href)
        )?;
    }
    if head.history.archive {
        x.write_all(b"  <fh:archive/>\n")?;
    }
    writeln!(x, "  <author><name>{}</name></author>", escape(head.author))?;
    x.write_all(b"  <generator>pactline</generator>\n")?;
    for e in entries {
        match &e.lang {
            Some(l) => writeln!(x, "  <entry xml:lang=\"{}\">", escape(l))?,
            None => x.write_all(b"  <entry>\n")?,
        }
        writeln!(x, "    <title type=\"text\">{}</title>", escape(&e.title))?;
        writeln!(x, "    <id>{}</id>", escape(&e.id))?;
        writeln!(x, "    <updated>{}</updated>", timestamp(e.updated))?;
        writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&e.link)
        )?;
        if let Some(s) = &e.summary {
            writeln!(x, "    <summary type=\"text\">{}</summary>", escape(s))?;
        }
        x.write_all(b"  </entry>\n")?;
    }
    x.write_all(b"</feed>\n")
}

/// The entry of a session; `None` for one whose date is not on record.
fn session_entry(meta: &Meta, s: &Session) -> Option<Entry> {
    let url = format!("{}{}", meta.base_url, s.path);
    Some(Entry {
        id: url.clone(),
        title: s.title.clone(),
        updated: midnight(s.date?),
        link: url,
        summary: s.summary.clone(),
        lang: (s.lang != meta.language).then(|| s.lang.clone()),
    })
}

/// `/feed.xml`: the latest [`LATEST`] dated sessions, newest (highest ordinal) first, with
/// a `prev-archive` link to the older ones when there are more. Entries are made one at a
/// time as they are written.
pub fn sessions(timeline: &Timeline, dates: &Dates, out: &mut dyn Write) -> io::Result<()> {
    let base = &timeline.meta.base_url;
    let dated = dated(timeline);
    let latest = &dated[dated.len().saturating_sub(LATEST)..];
    let mut history = History::default();
    if has_archive(timeline) {
        history
            .links
            .push(("prev-archive", format!("{base}{ARCHIVE}")));
    }
    write_sessions(timeline, dates, (latest, "feed.xml", history), out)
}

/// [`ARCHIVE`]: every dated session older than the feed's, newest first (RFC 5005).
pub fn archive(timeline: &Timeline, dates: &Dates, out: &mut dyn Write) -> io::Result<()> {
    let base = &timeline.meta.base_url;
    let dated = dated(timeline);
    let older = &dated[..dated.len().saturating_sub(LATEST)];
    let history = History {
        links: vec![("current", format!("{base}feed.xml"))],
        archive: true,
    };
    write_sessions(timeline, dates, (older, ARCHIVE, history), out)
}

fn write_sessions(
    timeline: &Timeline,
    dates: &Dates,
    (sessions, file, history): (&[&Session], &str, History),
    out: &mut dyn Write,
) -> io::Result<()> {
    let meta = &timeline.meta;
    let base = &meta.base_url;
    // A feed with no dated session still needs an `updated`: the build's date, which
    // comes from the content or `SOURCE_DATE_EPOCH`, never the clock.
    let fallback = dates.fallback();
    let head = Head {
        title: &meta.title,
        subtitle: meta.description.as_deref(),
        id: format!("{base}{}", file.strip_prefix("feed.xml").unwrap_or(file)),
        self_url: format!("{base}{file}"),
        alternate: base.clone(),
        author: &meta.title,
        lang: &meta.language,
        updated: newest(
            sessions.iter().filter_map(|s| s.date).map(midnight),
            midnight(fallback),
        ),
        history,
    };
    let entries = (sessions.iter().rev()).filter_map(|s| session_entry(meta, s));
    write_feed(&head, entries, out)
}

fn mention_entries(timeline: &Timeline, c: &Commitment) -> Vec<Entry> {
    let base = &timeline.meta.base_url;
    c.history
        .iter()
        .rev()
        .filter_map(|m| {
            // A mention at an undated session has no honest date for `updated`.
            let updated = m.date?;
            let session = timeline
                .session_index(m.session)
                .map(|i| &timeline.sessions[i]);
            let session_title = session.map_or_else(|| m.session.to_string(), |s| s.title.clone());
            let summary = match &m.note {
                Some(n) => format!("{}: {n}", m.status.as_str()),
                None => m.status.as_str().to_string(),
            };
            Some(Entry {
                id: format!("{base}{}#session-{}", c.path, m.session),
                title: format!("{} — {} ({session_title})", c.title, m.status.as_str()),
                updated: midnight(updated),
                link: format!("{base}{}", m.session_path),
                summary: Some(summary),
                lang: None,
            })
        })
        .collect()
}

/// `/commitments/<id>/feed.xml`: every mention of commitment `index`, latest first.
pub fn commitment(
    timeline: &Timeline,
    index: usize,
    dates: &Dates,
    out: &mut dyn Write,
) -> io::Result<()> {
    let c = &timeline.commitments[index];
    let base = &timeline.meta.base_url;
    let page = format!("{base}{}", c.path);
    let entries = mention_entries(timeline, c);
    let head = Head {
        title: &c.title,
        subtitle: Some(&timeline.meta.title),
        id: page.clone(),
        self_url: format!("{page}feed.xml"),
        alternate: page,
        author: &timeline.meta.title,
        lang: &timeline.meta.language,
        updated: newest(
            entries.iter().map(|e| e.updated),
            midnight(dates.fallback()),
        ),
        history: History::default(),
    };
    write_feed(&head, entries.into_iter(), out)
}

/// Where the feed of the changes to the records is, below the language's root.
pub const CHANGES: &str = "changes/feed.xml";

/// `/changes/feed.xml`: the latest [`LATEST`] changes to the records, newest first, each
/// dated by its commit and linked to the first record it changed.
pub fn changes(timeline: &Timeline, dates: &Dates, out: &mut dyn Write) -> io::Result<()> {
    let meta = &timeline.meta;
    let base = &meta.base_url;
    let list = timeline.changes.as_ref().map_or(&[][..], |c| &c.list[..]);
    let entries: Vec<Entry> = (list.iter().take(LATEST))
        .map(|c| change_entry(timeline, c))
        .collect();
    let page = format!("{base}{}", super::CHANGES);
    let head = Head {
        title: &meta.title,
        subtitle: meta.description.as_deref(),
        id: page.clone(),
        self_url: format!("{base}{CHANGES}"),
        alternate: page,
        author: &meta.title,
        lang: &meta.language,
        updated: newest(
            entries.iter().map(|e| e.updated),
            midnight(dates.fallback()),
        ),
        history: History::default(),
    };
    write_feed(&head, entries.into_iter(), out)
}

/// One change: its summary, the records it changed (by title) and its commit's time.
fn change_entry(t: &Timeline, c: &SiteChange) -> Entry {
    let base = &t.meta.base_url;
    let sessions = c.sessions.iter().map(|&(i, _)| &t.sessions[i]);
    let records: Vec<&str> = (sessions.clone().map(|s| s.title.as_str()))
        .chain(c.home.then_some(t.meta.title.as_str()))
        .collect();
    let link = sessions
        .clone()
        .next()
        .map_or_else(|| base.clone(), |s| format!("{base}{}", s.path));
    let title = match c.commit.summary.as_str() {
        "" => c.commit.short.clone(),
        summary => summary.to_string(),
    };
    Entry {
        id: format!("{base}{}#{}", super::CHANGES, c.commit.id),
        title,
        updated: c.commit.time,
        link,
        summary: Some(records.join("; ")),
        lang: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_xml_well_formed() {
        assert_eq!(
            escape("a<b>&\"c'\u{1}\td"),
            "a&lt;b&gt;&amp;&quot;c&apos;\td"
        );
        assert_eq!(escape("Москва"), "Москва");
    }

    fn text(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn feed_updated_is_the_newest_entry() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let head = |updated| Head {
            title: "T",
            subtitle: None,
            id: "https://e.org/".into(),
            self_url: "https://e.org/feed.xml".into(),
            alternate: "https://e.org/".into(),
            author: "A & B",
            lang: "en",
            updated,
            history: History::default(),
        };
        let entry = |id: &str, date| Entry {
            id: id.into(),
            title: "x".into(),
            updated: midnight(d(date)),
            link: id.into(),
            summary: None,
            lang: (id == "b").then(|| "ru".to_string()),
        };
        let entries = [entry("b", "2020-01-02"), entry("a", "2021-05-06")];
        let updated = newest(entries.iter().map(|e| e.updated), midnight(d("1970-01-01")));
        let xml = text(|out| write_feed(&head(updated), entries.into_iter(), out));
        assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n  <title type=\"text\">T</title>\n  <id>https://e.org/</id>\n  <updated>2021-05-06T00:00:00Z</updated>"));
        assert!(xml.contains("<name>A &amp; B</name>"));
        // Only an entry in another language than the feed's says so.
        assert_eq!(xml.matches("<entry xml:lang=\"ru\">").count(), 1);
        assert_eq!(xml.matches("<entry>").count(), 1);
        let none = newest(std::iter::empty(), midnight(d("1970-01-01")));
        let empty = text(|out| write_feed(&head(none), std::iter::empty(), out));
        assert!(empty.contains("<updated>1970-01-01T00:00:00Z"));
    }

    #[test]
    fn feeds_carry_dated_sessions_only() {
        // Session 2 of the sample has no date: it and its mention are left out.
        let t = crate::output::opendata::sample();
        let xml = text(|out| sessions(&t, &Dates::new(&t, None), out));
        assert_eq!(xml.matches("<entry>").count(), 1);
        assert!(!xml.contains("sessions/2/"));
        assert!(xml.contains("<id>https://example.org/wg/sessions/1/</id>"));
        assert_eq!(
            xml.matches("<updated>2024-02-29T00:00:00Z</updated>")
                .count(),
            2
        );
        assert!(xml.contains("<summary type=\"text\">First, &lt;b&gt;; \\ done</summary>"));
        let c = text(|out| commitment(&t, 0, &Dates::new(&t, None), out));
        assert_eq!(c.matches("<entry>").count(), 1);
        assert!(c.contains("<id>https://example.org/wg/commitments/tunnel/#session-1</id>"));
        assert!(!c.contains("#session-2"));
        assert!(c.contains("<summary type=\"text\">proposed</summary>"));
    }
}
