//! schema.org JSON-LD for the HTML pages: the body as an `EventSeries` (home page) and each
//! session as an `Event` within it (session pages). Serialized with serde_json from typed
//! structs (fields in alphabetical order, as a JSON object's keys were before) and handed to
//! the templates escaped so that no field can close the surrounding
//! `<script type="application/ld+json">` element.

use std::borrow::Cow;

use serde::Serialize;

use crate::timeline::{Session, Timeline};

/// Serializes `value` for inclusion inside a `<script>` element: `<`, `>` and `&` (and the
/// JavaScript line terminators U+2028/U+2029) become `\uXXXX` escapes. These characters can
/// only occur inside JSON strings, where the escapes mean the same text.
pub fn script_safe(value: &impl Serialize) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    // U+2028 and U+2029 are the only characters here whose UTF-8 starts with 0xE2 and
    // matter; a byte scan finds out whether anything needs escaping at all.
    if !(text.bytes()).any(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2)) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut done = 0;
    for (i, c) in text.char_indices() {
        let escaped = match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            '\u{2029}' => "\\u2029",
            _ => continue,
        };
        out.push_str(&text[done..i]);
        out.push_str(escaped);
        done = i + c.len_utf8();
    }
    out.push_str(&text[done..]);
    out
}

const CONTEXT: &str = "https://schema.org";

#[derive(Serialize)]
struct Organizer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// The series a body's sessions belong to.
#[derive(Serialize)]
struct Series<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "inLanguage", skip_serializing_if = "Option::is_none")]
    in_language: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    organizer: Vec<Organizer<'a>>,
    #[serde(rename = "subEvent", skip_serializing_if = "Option::is_none")]
    sub_event: Option<Vec<Event<'a>>>,
    #[serde(rename = "superEvent", skip_serializing_if = "Option::is_none")]
    super_event: Option<Organizer<'a>>,
    url: &'a str,
}

/// A session: in brief in the series' list, in full on its own page.
#[derive(Serialize)]
struct Event<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Cow<'a, str>>,
    #[serde(rename = "endDate", skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(
        rename = "eventAttendanceMode",
        skip_serializing_if = "Option::is_none"
    )]
    attendance: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Place<'a>>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    organizer: Option<Vec<Organizer<'a>>>,
    #[serde(rename = "startDate", skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(rename = "superEvent", skip_serializing_if = "Option::is_none")]
    super_event: Option<Box<Series<'a>>>,
    url: String,
}

#[derive(Serialize)]
struct Place<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    address: Address<'a>,
    name: &'a str,
}

#[derive(Serialize)]
struct Address<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "addressCountry", skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(rename = "addressLocality", skip_serializing_if = "Option::is_none")]
    locality: Option<&'a str>,
}

fn organizers(t: &Timeline) -> Vec<Organizer<'_>> {
    (t.meta.partners.iter())
        .map(|p| Organizer {
            kind: "GovernmentOrganization",
            name: &p.name,
        })
        .collect()
}

/// The body as an `EventSeries` (without `@context`).
fn series(t: &Timeline) -> Series<'_> {
    let m = &t.meta;
    Series {
        description: m.description.as_deref(),
        in_language: Some(m.language.as_str()).filter(|l| !l.is_empty()),
        organizer: organizers(t),
        super_event: m.parent.as_deref().map(|name| Organizer {
            kind: "EventSeries",
            name,
        }),
        ..series_in_brief(t)
    }
}

/// The series as a session page names it: the home page describes it in full under the
/// same `@id`.
fn series_in_brief(t: &Timeline) -> Series<'_> {
    let m = &t.meta;
    Series {
        context: None,
        id: format!("{}#series", m.base_url),
        kind: "EventSeries",
        description: None,
        in_language: None,
        name: &m.title,
        organizer: Vec::new(),
        sub_event: None,
        super_event: None,
        url: &m.base_url,
    }
}

/// A session in brief, as the series lists it; its own page adds the rest.
fn sub_event<'a>(t: &Timeline, s: &'a Session) -> Event<'a> {
    let url = format!("{}{}", t.meta.base_url, s.path);
    Event {
        context: None,
        id: format!("{url}#event"),
        kind: "Event",
        description: None,
        end_date: None,
        attendance: None,
        location: None,
        name: &s.title,
        organizer: None,
        start_date: s.date.map(|d| d.to_string()),
        super_event: None,
        url,
    }
}

/// The home page's JSON-LD: the `EventSeries`, with the sessions the home page lists (the
/// latest, on a long timeline) as `subEvent`s.
pub fn home(t: &Timeline) -> String {
    let mut v = series(t);
    v.context = Some(CONTEXT);
    let listed = t.sessions.len().saturating_sub(t.meta.paging.home);
    v.sub_event = Some(
        t.sessions[listed..]
            .iter()
            .map(|s| sub_event(t, s))
            .collect(),
    );
    script_safe(&v)
}

fn place(s: &Session) -> Option<Place<'_>> {
    let name = (s.venue.as_deref())
        .or(s.city.as_deref())
        .or(s.country.as_deref())?;
    Some(Place {
        kind: "Place",
        address: Address {
            kind: "PostalAddress",
            country: s.country.as_deref(),
            locality: s.city.as_deref(),
        },
        name,
    })
}

/// A session page's JSON-LD: the session as an `Event` whose `superEvent` is the series.
pub fn session(t: &Timeline, s: &Session) -> String {
    let mut v = sub_event(t, s);
    v.context = Some(CONTEXT);
    v.end_date = s.date.map(|d| d.to_string());
    v.location = place(s);
    v.description = s.summary.as_deref().map(crate::search::text::brief);
    v.organizer = Some(organizers(t));
    v.super_event = Some(Box::new(series_in_brief(t)));
    v.attendance = Some("https://schema.org/OfflineEventAttendanceMode");
    script_safe(&v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn script_cannot_be_closed_from_a_field() {
        let v = json!({ "name": "</script><script>alert(1)</script> & \u{2028}" });
        let s = script_safe(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn sessions_are_events_of_the_series() {
        let t = crate::output::opendata::sample();
        let v: Value = serde_json::from_str(&session(&t, &t.sessions[0])).unwrap();
        assert_eq!(v["@type"], "Event");
        assert_eq!(v["startDate"], "2024-02-29");
        assert_eq!(v["location"]["address"]["addressLocality"], "New Delhi");
        assert_eq!(v["organizer"][1]["name"], "Russia");
        assert_eq!(v["superEvent"]["@type"], "EventSeries");
        let undated: Value = serde_json::from_str(&session(&t, &t.sessions[1])).unwrap();
        assert!(undated.get("startDate").is_none() && undated.get("location").is_none());
        let home: Value = serde_json::from_str(&home(&t)).unwrap();
        assert_eq!(home["@type"], "EventSeries");
        assert_eq!(home["@context"], "https://schema.org");
        assert_eq!(home["subEvent"][0]["@id"], v["@id"]);
        assert_eq!(home["subEvent"][1]["name"], "2nd session");
        assert_eq!(v["superEvent"]["@id"], home["@id"]);
        assert!(
            v["superEvent"].get("organizer").is_none(),
            "described on the home page"
        );
    }
}
