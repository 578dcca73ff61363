//! `/sessions.ics`: an iCalendar (RFC 5545) file with one all-day VEVENT per dated session.
//! A small hand-written writer, event by event into the output: TEXT escaping (§3.3.11),
//! 75-octet line folding at UTF-8 character boundaries (§3.1) and CRLF line endings. UIDs are stable (`session-11@host`) and
//! DTSTAMP is deterministic (see [`Dates::stamp`]).

use std::io::{self, Write};

use chrono::{Duration, NaiveDate};

use super::opendata::Dates;
use crate::timeline::{Session, Timeline};

/// The longest line, in octets, before folding (CRLF not counted).
const MAX_LINE: usize = 75;

/// Escapes a TEXT value: backslash, semicolon, comma and newlines. Other control
/// characters, which TEXT may not hold, are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line into lines of at most 75 octets, never splitting a UTF-8
/// character; each continuation starts with a space. Ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > MAX_LINE {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

/// The host of a base URL, with its path folded in so two timelines on one host keep
/// distinct UIDs: `https://example.org/wg/` -> `wg.example.org`.
fn uid_domain(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.rsplit('@').next().unwrap_or(host);
    let mut labels: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    labels.reverse();
    labels.push(host);
    labels.join(".")
}

fn date_value(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn location(s: &Session) -> Option<String> {
    let parts: Vec<&str> = [&s.venue, &s.city, &s.country]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .filter(|p| !p.trim().is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn event(timeline: &Timeline, s: &Session, date: NaiveDate, stamp: &str) -> String {
    let base = &timeline.meta.base_url;
    let url = format!("{base}{}", s.path);
    let mut ev = String::new();
    let mut line = |l: String| ev.push_str(&fold(&l));
    line("BEGIN:VEVENT".into());
    line(format!(
        "UID:session-{}@{}",
        s.ordinal,
        escape_text(&uid_domain(base))
    ));
    line(format!("DTSTAMP:{stamp}"));
    line(format!("DTSTART;VALUE=DATE:{}", date_value(date)));
    let end = date.checked_add_signed(Duration::days(1)).unwrap_or(date);
    line(format!("DTEND;VALUE=DATE:{}", date_value(end)));
    line(format!(
        "SUMMARY:{}",
        escape_text(&format!("{} — {}", s.title, timeline.meta.title))
    ));
    if let Some(loc) = location(s) {
        line(format!("LOCATION:{}", escape_text(&loc)));
    }
    let description = match &s.summary {
        Some(summary) => format!("{summary}\n\n{url}"),
        None => url.clone(),
    };
    line(format!("DESCRIPTION:{}", escape_text(&description)));
    line(format!("URL;VALUE=URI:{url}"));
    line("TRANSP:TRANSPARENT".into());
    line("END:VEVENT".into());
    ev
}

/// The whole calendar, written event by event.
pub fn calendar(timeline: &Timeline, dates: &Dates, out: &mut dyn Write) -> io::Result<()> {
    let stamp = dates.stamp().format("%Y%m%dT%H%M%SZ").to_string();
    for l in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//pactline//pactline//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape_text(&timeline.meta.title)),
    ] {
        out.write_all(fold(&l).as_bytes())?;
    }
    for s in &timeline.sessions {
        if let Some(date) = s.date {
            out.write_all(event(timeline, s, date, &stamp).as_bytes())?;
        }
    }
    out.write_all(fold("END:VCALENDAR").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\u{7}"),
            "a\\\\b\\;c\\,d\\ne\\nf"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_char_boundaries() {
        let line = format!("SUMMARY:{}", "Ж".repeat(100));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        let parts: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(parts.len() > 1);
        for (i, p) in parts.iter().enumerate() {
            assert!(p.len() <= MAX_LINE, "{i}: {} octets", p.len());
            if i > 0 {
                assert!(p.starts_with(' '));
            }
        }
        let unfolded: String = parts
            .iter()
            .enumerate()
            .map(|(i, p)| if i == 0 { *p } else { &p[1..] })
            .collect();
        assert_eq!(unfolded, line);
        assert_eq!(fold("SHORT"), "SHORT\r\n");
        assert_eq!(fold(&"x".repeat(75)).len(), 77);
    }

    #[test]
    fn uid_domains() {
        assert_eq!(uid_domain("https://example.org/"), "example.org");
        assert_eq!(uid_domain("https://example.org/wg/t/"), "t.wg.example.org");
        assert_eq!(uid_domain("http://127.0.0.1:1111/"), "127.0.0.1:1111");
    }

    fn text(dates: &Dates) -> String {
        let t = crate::output::opendata::sample();
        let mut out = Vec::new();
        calendar(&t, dates, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn calendar_of_the_dated_sessions() {
        let t = crate::output::opendata::sample();
        let cal = text(&Dates::new(&t, None));
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(cal.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert_eq!(cal.matches("BEGIN:VEVENT").count(), 1);
        for want in [
            "UID:session-1@wg.example.org\r\n",
            "DTSTAMP:20240229T000000Z\r\n",
            "DTSTART;VALUE=DATE:20240229\r\n",
            "DTEND;VALUE=DATE:20240301\r\n",
            "LOCATION:Hall\\, New Delhi\\, India\r\n",
            "DESCRIPTION:First\\, <b>\\; \\\\ done\\n\\nhttps://example.org/wg/sessions/1/\r\n",
            "URL;VALUE=URI:https://example.org/wg/sessions/1/\r\n",
        ] {
            assert!(cal.contains(want), "{want}");
        }
        let epoch = text(&Dates::new(&t, Some(1_700_000_000)));
        assert!(epoch.contains("DTSTAMP:20231114T221320Z\r\n"));
    }
}
