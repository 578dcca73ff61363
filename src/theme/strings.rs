//! Interface strings: the theme's `i18n/<lang>.yaml` tables, one per language, each
//! completed from English where it leaves a key out; and the long dates they spell.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostics::{self as d, Diagnostic, Diagnostics, Span};

/// One language's interface strings by key. A string that follows a number has a form per
/// CLDR plural category, kept as `key.one`, `key.few`, … beside `key` itself (its `other`
/// form); see [`super::plural`].
pub type Table = BTreeMap<String, String>;

/// A string as a table file gives it: one text, or one per plural category.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Entry {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// The table of a file's entries, plural forms flattened.
fn flatten(entries: BTreeMap<String, Entry>) -> Table {
    let mut table = Table::new();
    for (key, entry) in entries {
        match entry {
            Entry::Text(text) => {
                table.insert(key, text);
            }
            Entry::Plural(forms) => {
                if let Some(other) = forms.get("other") {
                    table.insert(key.clone(), other.clone());
                }
                for (category, text) in forms {
                    table.insert(format!("{key}.{category}"), text);
                }
            }
        }
    }
    table
}

/// Parses each language's YAML table; a table that does not parse is reported and left out.
pub(super) fn parse(
    files: &BTreeMap<String, (String, PathBuf)>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Table> {
    let mut out = BTreeMap::new();
    for (lang, (text, file)) in files {
        match serde_yaml::from_str::<BTreeMap<String, Entry>>(text) {
            Ok(entries) => {
                out.insert(lang.clone(), flatten(entries));
            }
            Err(e) => diags.push(
                Diagnostic::error(d::YAML_SYNTAX, format!("invalid interface strings: {e}"))
                    .in_file(file)
                    .at(e.location().map(|l| Span::at(l.line(), l.column(), 1)))
                    .help("write one `key: text` per line, or `key:` and one `category: text` per plural form below it"),
            ),
        }
    }
    out
}

/// The table the templates of `lang` see: the language's own (English's when the theme
/// has none), with English filling the keys it leaves out.
pub(super) fn complete(tables: &BTreeMap<String, Table>, lang: &str) -> Table {
    let mut table = tables.get("en").cloned().unwrap_or_default();
    if let Some(own) = tables.get(lang) {
        // A language that gives a string has its own plural forms of it, or none: never
        // English's forms beside its own.
        table.retain(|k, _| {
            k.split_once('.')
                .is_none_or(|(key, _)| !own.contains_key(key))
        });
        table.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    table
}

/// "6 August 2025": month names and the pattern from the interface strings (`month_1` …
/// `month_12`, `date_pattern` with `{day}`, `{month}` and `{year}`).
pub fn long_date(date: chrono::NaiveDate, table: &Table) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "month_1", "month_2", "month_3", "month_4", "month_5", "month_6", "month_7", "month_8",
        "month_9", "month_10", "month_11", "month_12",
    ];
    let named = table.get(MONTHS[date.month0() as usize]);
    let month = named
        .cloned()
        .unwrap_or_else(|| date.format("%B").to_string());
    let mut rest = table
        .get("date_pattern")
        .map_or("{day} {month} {year}", String::as_str);
    // One pass over the pattern: timeline pages print thousands of dates.
    let mut out = String::with_capacity(rest.len() + month.len() + 8);
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        if let Some(after) = tail.strip_prefix("{day}") {
            out.push_str(&date.day().to_string());
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{month}") {
            out.push_str(&month);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{year}") {
            out.push_str(&date.year().to_string());
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML text and attribute values, as templates print every value that is
/// not marked `safe`. Unlike Tera's default it leaves `/` alone, so URLs stay readable.
pub fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut start = 0;
    // Copy runs of plain text whole; only the five special bytes are replaced.
    for (i, b) in input.bytes().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&input.as_bytes()[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&input.as_bytes()[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The interface string tables that ship with the default theme.
    pub(crate) fn shipped_tables() -> BTreeMap<String, Table> {
        let mut files = BTreeMap::new();
        for (path, bytes) in super::super::embedded_files() {
            let rel = path.to_string_lossy().replace('\\', "/");
            if let Some(l) = rel
                .strip_prefix("i18n/")
                .and_then(|l| l.strip_suffix(".yaml"))
            {
                let text = String::from_utf8_lossy(bytes).into_owned();
                files.insert(l.to_string(), (text, path.clone()));
            }
        }
        let mut diags = Diagnostics::default();
        let tables = parse(&files, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        tables
    }

    #[test]
    fn every_language_has_every_interface_string() {
        let tables = shipped_tables();
        // Plural forms differ by language; the strings they belong to do not.
        let keys = |lang: &str| -> Vec<&String> {
            tables[lang].keys().filter(|k| !k.contains('.')).collect()
        };
        for lang in ["ru", "hi"] {
            assert_eq!(
                keys(lang),
                keys("en"),
                "{lang}.yaml must have exactly the keys of en.yaml"
            );
        }
    }

    #[test]
    fn every_plural_string_has_each_form_its_language_uses() {
        let tables = shipped_tables();
        for (lang, table) in &tables {
            let plurals = (table.keys()).filter_map(|k| k.split_once('.').map(|(key, _)| key));
            for key in plurals {
                for n in 0..=200 {
                    let category = super::super::plural::category(lang, n);
                    assert!(
                        table.contains_key(&format!("{key}.{category}")),
                        "{lang}: `{key}` has no `{category}` form (for {n})"
                    );
                }
            }
        }
    }

    #[test]
    fn dates_in_each_shipped_language() {
        let tables = shipped_tables();
        let d = chrono::NaiveDate::from_ymd_opt(2025, 8, 6).unwrap();
        assert_eq!(long_date(d, &tables["en"]), "6 August 2025");
        assert_eq!(long_date(d, &tables["ru"]), "6 августа 2025 г.");
        assert_eq!(long_date(d, &tables["hi"]), "6 अगस्त 2025");
    }

    #[test]
    fn long_dates_follow_the_pattern() {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 8, 6).unwrap();
        assert_eq!(long_date(d, &Table::new()), "6 August 2025");
        let ru: Table = [
            ("month_8", "августа"),
            ("date_pattern", "{day} {month} {year} г."),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(long_date(d, &ru), "6 августа 2025 г.");
    }

    #[test]
    fn a_language_without_a_key_reads_it_in_english() {
        let mut tables = BTreeMap::new();
        let table = |pairs: &[(&str, &str)]| -> Table {
            (pairs.iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        tables.insert("en".to_string(), table(&[("a", "A"), ("b", "B")]));
        tables.insert("ru".to_string(), table(&[("a", "А")]));
        let ru = complete(&tables, "ru");
        assert_eq!((ru["a"].as_str(), ru["b"].as_str()), ("А", "B"));
        assert_eq!(complete(&tables, "xx")["a"], "A");
    }

    #[test]
    fn escapes_the_five_special_characters() {
        let escape = |s: &str| {
            let mut out = Vec::new();
            escape_html(s, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            escape(r#"a<b>&"c"'d'/е"#),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;/е"
        );
        assert_eq!(escape(""), "");
    }
}
