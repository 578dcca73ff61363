//! What the editor's forms send, read from `application/x-www-form-urlencoded` bodies (and
//! query strings) into the values the scaffold and the YAML editor take. Every value is
//! untrusted text: it is only ever written into YAML through a quoting writer.

use crate::scaffold::{CoChairField, SessionFields, SourceField};

use super::yaml::Review;

/// How many source rows the new-session form has.
pub const SOURCE_ROWS: usize = 2;

/// The fields of a form, in order, names repeated as sent.
#[derive(Debug, Default, Clone)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(
            url::form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value named `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        (self.0.iter())
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The value named `name`, trimmed, or `None` when empty.
    pub fn filled(&self, name: &str) -> Option<String> {
        Some(self.get(name).trim().to_string()).filter(|v| !v.is_empty())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        (self.0.iter())
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// The new-session form's fields: co-chairs by partner, in the partners' order, and only
/// those with a name; sectors only from the site's vocabulary; sources with a title or an
/// address.
pub fn session_fields(f: &Fields, partners: &[String], vocabulary: &[String]) -> SessionFields {
    let co_chairs = (0..partners.len())
        .filter_map(|i| {
            let name = f.filled(&format!("chair_name_{i}"))?;
            Some(CoChairField {
                name,
                role: f.filled(&format!("chair_role_{i}")).unwrap_or_default(),
                partner: partners[i].clone(),
            })
        })
        .collect();
    let sectors = (f.all("sector").into_iter())
        .filter(|s| vocabulary.contains(s))
        .collect();
    let sources = (0..SOURCE_ROWS)
        .filter_map(|i| {
            let title = f.filled(&format!("source_title_{i}"));
            let url = f.filled(&format!("source_url_{i}"));
            if title.is_none() && url.is_none() {
                return None;
            }
            Some(SourceField {
                title: title.unwrap_or_default(),
                url: url.unwrap_or_default(),
                publisher: f
                    .filled(&format!("source_publisher_{i}"))
                    .unwrap_or_default(),
            })
        })
        .collect();
    SessionFields {
        date: f.filled("date"),
        city: f.filled("city"),
        venue: f.filled("venue"),
        co_chairs,
        sectors,
        sources,
    }
}

/// The statuses a review may give, as `check` accepts them.
pub const STATUSES: [&str; 6] = [
    "proposed",
    "agreed",
    "in-progress",
    "completed",
    "dropped",
    "superseded",
];

/// The reviews the form asks for: each row with a new status chosen.
pub fn reviews(f: &Fields) -> Vec<Review> {
    (0..)
        .map_while(|i| {
            let id = f.filled(&format!("review_id_{i}"))?;
            Some((i, id))
        })
        .filter_map(|(i, id)| {
            let status = f.filled(&format!("review_status_{i}"))?;
            STATUSES.contains(&status.as_str()).then(|| Review {
                id,
                status,
                note: f.get(&format!("review_note_{i}")).trim().to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_chosen_reviews_with_known_statuses_are_taken() {
        let f = Fields::parse(
            b"review_id_0=a&review_status_0=&review_id_1=b&review_status_1=completed&review_note_1=+done+&review_id_2=c&review_status_2=bogus",
        );
        assert_eq!(
            reviews(&f),
            vec![Review {
                id: "b".into(),
                status: "completed".into(),
                note: "done".into()
            }]
        );
    }

    #[test]
    fn sectors_outside_the_vocabulary_are_dropped() {
        let f = Fields::parse(b"sector=energy&sector=evil%0Akey&chair_name_1=Ana&date=2024-01-02");
        let fields = session_fields(&f, &["A".into(), "B".into()], &["energy".into()]);
        assert_eq!(fields.sectors, vec!["energy".to_string()]);
        assert_eq!(fields.co_chairs.len(), 1);
        assert_eq!(fields.co_chairs[0].partner, "B");
        assert_eq!(fields.date.as_deref(), Some("2024-01-02"));
    }
}
