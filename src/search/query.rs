//! A query run against the index files as the browser client runs it (same steps, same
//! ranking), so that tests can check what a reader would find. Used by tests only.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::tokenize::{KEY_CHARS, fnv1a, for_each_word, key_file_name, normalize, vocab_key};

/// The longest query the client reads, in characters, and the most words it looks up.
pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_QUERY_WORDS: usize = 10;

/// Filter values as the form's selects give them (`None`: any).
#[derive(Default)]
pub struct Filter<'a> {
    pub sector: Option<&'a str>,
    pub year: Option<&'a str>,
    pub status: Option<&'a str>,
}

/// Matching documents, best first, and how many there are.
#[derive(Debug, Default)]
pub struct Found {
    pub docs: Vec<u32>,
    /// The ordinal, title and path of each of `docs`, from the result files.
    pub entries: Vec<(u64, String, String)>,
}

type Files = BTreeMap<String, Vec<u8>>;

fn json(files: &Files, path: &str) -> Option<Value> {
    serde_json::from_slice(files.get(path)?).ok()
}

/// Runs `q` with `filter`; the client shows the first 20 of `docs`.
pub fn run(files: &Files, q: &str, filter: &Filter<'_>) -> Found {
    let Some(meta) = json(files, "search/meta.json") else {
        return Found::default();
    };
    let stop: BTreeSet<&str> = (meta["stop"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    let words = words(q, &stop);
    if words.is_empty() {
        return Found::default();
    }
    let mut stems = Vec::new();
    for w in &words {
        match resolve(files, w) {
            Some(stem) => stems.push(stem),
            None => return Found::default(),
        }
    }
    let buckets = meta["buckets"].as_u64().unwrap_or(1) as u32;
    let lists: Vec<(f64, Postings)> = stems.iter().map(|s| postings(files, s, buckets)).collect();
    let n = meta["docs"].as_f64().unwrap_or(0.0);
    let mut hits: Vec<(bool, f64, u32)> = Vec::new();
    'docs: for &doc in lists[0].1.keys() {
        let mut score = 0.0;
        for (df, list) in &lists {
            let Some((tf, _)) = list.get(&doc) else {
                continue 'docs;
            };
            score += (1.0 + f64::from(*tf).ln()) * (1.0 + n / df).ln();
        }
        hits.push((is_phrase(&lists, doc), score, doc));
    }
    hits.retain(|h| passes(files, filter, h.2));
    hits.sort_by(|a, b| {
        (b.0, b.1, b.2)
            .partial_cmp(&(a.0, a.1, a.2))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let docs: Vec<u32> = hits.iter().map(|h| h.2).collect();
    let entries = docs
        .iter()
        .take(20)
        .filter_map(|&d| entry(files, &meta, d))
        .collect();
    Found { docs, entries }
}

/// The query's words: cut to length, normalized, stop words left out.
fn words(q: &str, stop: &BTreeSet<&str>) -> Vec<String> {
    let q: String = q.chars().take(MAX_QUERY_CHARS).collect();
    let mut buf = String::new();
    let mut out = Vec::new();
    for_each_word(&q, |w| {
        normalize(w, &mut buf);
        if !stop.contains(buf.as_str()) {
            out.push(buf.clone());
        }
    });
    out.truncate(MAX_QUERY_WORDS);
    out
}

/// A query word's stem: listed as a form, or the longest stem that begins the word.
fn resolve(files: &Files, word: &str) -> Option<String> {
    let key = vocab_key(word);
    let vocab = json(files, &format!("search/vocab/{}.json", key_file_name(key)))?;
    if let Some(stem) = vocab["x"][word].as_str() {
        return Some(stem.to_string());
    }
    let min = KEY_CHARS.min(word.chars().count());
    (vocab["s"].as_array()?.iter())
        .filter_map(Value::as_str)
        .filter(|s| word.starts_with(s) && s.chars().count() >= min)
        .max_by_key(|s| s.len())
        .map(str::to_string)
}

/// Document -> (tf, absolute positions).
type Postings = BTreeMap<u32, (u32, Vec<u32>)>;

/// The documents with `stem`, and how many there are (more than listed for a stem in more
/// than `TOP_DOCS` documents).
fn postings(files: &Files, stem: &str, buckets: u32) -> (f64, Postings) {
    let path = format!("search/postings/{}.json", fnv1a(stem.as_bytes()) % buckets);
    let mut out = BTreeMap::new();
    let Some(list) = json(files, &path).and_then(|b| b[stem].as_array().cloned()) else {
        return (1.0, out);
    };
    let mut doc = 0;
    for p in list.iter().skip(1) {
        doc += p[0].as_u64().unwrap_or(0) as u32;
        let mut pos = 0;
        let positions = (p[2].as_array().into_iter().flatten())
            .map(|d| {
                pos += d.as_u64().unwrap_or(0) as u32;
                pos
            })
            .collect();
        out.insert(doc, (p[1].as_u64().unwrap_or(0) as u32, positions));
    }
    (list[0].as_f64().unwrap_or(1.0), out)
}

/// Whether the stems occur one after another, in order, somewhere in `doc`.
fn is_phrase(lists: &[(f64, Postings)], doc: u32) -> bool {
    lists.len() > 1
        && lists[0].1[&doc].1.iter().any(|&start| {
            (lists.iter().enumerate().skip(1))
                .all(|(i, l)| l.1[&doc].1.contains(&(start + i as u32)))
        })
}

fn passes(files: &Files, filter: &Filter<'_>, doc: u32) -> bool {
    [
        ("sector", filter.sector),
        ("year", filter.year),
        ("status", filter.status),
    ]
    .iter()
    .all(|(kind, value)| match value {
        None => true,
        Some(v) => json(files, &format!("search/filter/{kind}/{v}.json"))
            .and_then(|list| Some(undelta(list.as_array()?).contains(&doc)))
            .unwrap_or(false),
    })
}

fn undelta(list: &[Value]) -> Vec<u32> {
    let mut at = 0;
    list.iter()
        .map(|d| {
            at += d.as_u64().unwrap_or(0) as u32;
            at
        })
        .collect()
}

fn entry(files: &Files, meta: &Value, doc: u32) -> Option<(u64, String, String)> {
    let chunk = meta["chunk"].as_u64()? as u32;
    let docs = json(files, &format!("search/docs/{}.json", doc / chunk))?;
    let e = &docs[(doc % chunk) as usize];
    Some((
        e["o"].as_u64()?,
        e["t"].as_str()?.into(),
        e["u"].as_str()?.into(),
    ))
}
