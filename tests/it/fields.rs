//! The README's "Every field" tables against the front matter pactline reads: every key of
//! `_index.md`, of a session note and of each nested map is described, and the README names
//! no key that pactline would reject. The keys come from the serde structs themselves, so a
//! field added to the schema fails this test until it is documented.

use pactline::content::schema::{
    Agreement, CoChair, Disagreement, MarkdownConfig, Paging, RawIndex, RawMention, RawPartner,
    RawSession, Reading, Source,
};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// Why the capturing deserializer stopped: it carries the struct's field names.
#[derive(Debug)]
struct Fields(Vec<&'static str>);

impl std::fmt::Display for Fields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl std::error::Error for Fields {}

impl de::Error for Fields {
    fn custom<T: std::fmt::Display>(_: T) -> Fields {
        Fields(Vec::new())
    }
}

/// A deserializer that answers only `deserialize_struct`, by giving up with its field list.
struct Capture;

impl<'de> Deserializer<'de> for Capture {
    type Error = Fields;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Fields> {
        Err(Fields(Vec::new()))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Fields> {
        Err(Fields(fields.to_vec()))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

fn keys<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
    match T::deserialize(Capture) {
        Err(Fields(f)) => f,
        Ok(_) => unreachable!("the capturing deserializer never gives a value"),
    }
}

fn readme_section(from: &str, to: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme.find(from).unwrap_or_else(|| panic!("no {from:?}"));
    let end = readme[start..].find(to).map_or(readme.len(), |e| start + e);
    readme[start..end].to_string()
}

#[test]
fn every_key_of_the_front_matter_is_described_in_the_readme() {
    let index = readme_section("`content/_index.md`:\n\n| field", "A session note (");
    let session = readme_section("A session note (`content/sessions/*.md`):", "**Quoting.**");
    let described = |table: &str, key: &str| table.contains(&format!("`{key}`"));
    let groups: [(&str, &str, Vec<&'static str>); 11] = [
        ("_index.md", &index, keys::<RawIndex>()),
        ("partners", &index, keys::<RawPartner>()),
        ("paging", &index, keys::<Paging>()),
        ("markdown", &index, keys::<MarkdownConfig>()),
        ("session", &session, keys::<RawSession>()),
        ("co_chairs", &session, keys::<CoChair>()),
        ("agreements", &session, keys::<Agreement>()),
        ("commitments", &session, keys::<RawMention>()),
        ("sources", &session, keys::<Source>()),
        ("disagreements", &session, keys::<Disagreement>()),
        ("readings", &session, keys::<Reading>()),
    ];
    for (what, table, fields) in &groups {
        assert!(!fields.is_empty(), "{what}: no fields captured");
        for key in fields {
            assert!(
                described(table, key),
                "README.md does not describe `{key}` of {what}"
            );
        }
    }
}

#[test]
fn the_readme_names_no_key_that_pactline_rejects() {
    let session = readme_section("A session note (`content/sessions/*.md`):", "**Quoting.**");
    let known: Vec<&str> = [
        keys::<RawSession>(),
        keys::<CoChair>(),
        keys::<Agreement>(),
        keys::<RawMention>(),
        keys::<Source>(),
        keys::<Disagreement>(),
        keys::<Reading>(),
    ]
    .concat();
    // The first cell of each row names top-level keys.
    for row in session.lines().filter(|l| l.starts_with("| `")) {
        let cell = row.split('|').nth(1).unwrap_or_default();
        for key in cell.split('`').skip(1).step_by(2) {
            assert!(
                known.contains(&key),
                "README.md describes `{key}`, which notes cannot hold"
            );
        }
    }
}
