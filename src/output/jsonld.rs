//! schema.org JSON-LD for the HTML pages: the body as an `EventSeries` (home page) and each
//! session as an `Event` within it (session pages). Built with serde_json and handed to the
//! templates pre-serialized, escaped so that no field can close the surrounding
//! `<script type="application/ld+json">` element.

use serde_json::{Map, Value, json};

use crate::timeline::{Session, Timeline};

/// Serializes `value` for inclusion inside a `<script>` element: `<`, `>` and `&` (and the
/// JavaScript line terminators U+2028/U+2029) become `\uXXXX` escapes. These characters can
/// only occur inside JSON strings, where the escapes mean the same text.
pub fn script_safe(value: &Value) -> String {
    let text = value.to_string();
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

fn organizers(t: &Timeline) -> Vec<Value> {
    t.meta
        .partners
        .iter()
        .map(|p| json!({ "@type": "GovernmentOrganization", "name": p.name }))
        .collect()
}

/// The body as an `EventSeries` (without `@context`).
fn series(t: &Timeline) -> Value {
    let m = &t.meta;
    let mut v = Map::new();
    v.insert("@type".into(), json!("EventSeries"));
    v.insert("@id".into(), json!(format!("{}#series", m.base_url)));
    v.insert("name".into(), json!(m.title));
    v.insert("url".into(), json!(m.base_url));
    if let Some(d) = &m.description {
        v.insert("description".into(), json!(d));
    }
    if let Some(lang) = Some(&m.language).filter(|l| !l.is_empty()) {
        v.insert("inLanguage".into(), json!(lang));
    }
    v.insert("organizer".into(), Value::Array(organizers(t)));
    if let Some(parent) = &m.parent {
        v.insert(
            "superEvent".into(),
            json!({ "@type": "EventSeries", "name": parent }),
        );
    }
    Value::Object(v)
}

/// A session in brief, as the series lists it; its own page adds the rest.
fn sub_event(t: &Timeline, s: &Session) -> Map<String, Value> {
    let url = format!("{}{}", t.meta.base_url, s.path);
    let mut v = Map::new();
    v.insert("@type".into(), json!("Event"));
    v.insert("@id".into(), json!(format!("{url}#event")));
    v.insert("name".into(), json!(s.title));
    v.insert("url".into(), json!(url));
    if let Some(d) = s.date {
        v.insert("startDate".into(), json!(d.to_string()));
    }
    v
}

/// The home page's JSON-LD: the `EventSeries`, with its sessions as `subEvent`s.
pub fn home(t: &Timeline) -> String {
    let mut v = series(t);
    if let Value::Object(m) = &mut v {
        m.insert("@context".into(), json!("https://schema.org"));
        let subs = t
            .sessions
            .iter()
            .map(|s| Value::Object(sub_event(t, s)))
            .collect();
        m.insert("subEvent".into(), Value::Array(subs));
    }
    script_safe(&v)
}

fn place(s: &Session) -> Option<Value> {
    if s.venue.is_none() && s.city.is_none() && s.country.is_none() {
        return None;
    }
    let mut address = Map::new();
    address.insert("@type".into(), json!("PostalAddress"));
    if let Some(city) = &s.city {
        address.insert("addressLocality".into(), json!(city));
    }
    if let Some(country) = &s.country {
        address.insert("addressCountry".into(), json!(country));
    }
    let name = s.venue.as_ref().or(s.city.as_ref()).or(s.country.as_ref());
    Some(json!({ "@type": "Place", "name": name, "address": address }))
}

/// A session page's JSON-LD: the session as an `Event` whose `superEvent` is the series.
pub fn session(t: &Timeline, s: &Session) -> String {
    let mut v = sub_event(t, s);
    v.insert("@context".into(), json!("https://schema.org"));
    if let Some(d) = s.date {
        v.insert("endDate".into(), json!(d.to_string()));
    }
    if let Some(p) = place(s) {
        v.insert("location".into(), p);
    }
    if let Some(summary) = &s.summary {
        v.insert("description".into(), json!(summary));
    }
    v.insert("organizer".into(), Value::Array(organizers(t)));
    v.insert("superEvent".into(), series(t));
    v.insert(
        "eventAttendanceMode".into(),
        json!("https://schema.org/OfflineEventAttendanceMode"),
    );
    script_safe(&Value::Object(v))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
