//! The index's files: which there are ([`Layout::paths`]) and their bytes
//! ([`Layout::write`]), both from one [`Layout`] so the two always agree. JSON is written
//! by hand: the postings are most of the output and plain loops over integers are several
//! times faster than going through a serializer.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::index::{Analysis, Posting, Term};
use super::text::session_excerpt;
use super::tokenize::{Tokenizer, fnv1a, key_file_name, vocab_key};
use crate::content::schema::Status;
use crate::timeline::{SectorRef, Timeline};

/// Format version in `meta.json`; bumped on any change a client must know about.
pub const VERSION: u32 = 1;
/// Result entries per `docs/<k>.json`. Small: the twenty results a query shows are
/// usually in twenty different files, and each file is fetched whole.
pub const CHUNK: usize = 8;
/// A stem keeps its postings in at most this many documents, those where it is most
/// frequent: beyond that a word says little about which page to show.
pub const TOP_DOCS: usize = 2000;
/// The fewest postings buckets, however small the site.
pub const MIN_BUCKETS: usize = 16;
/// Documents per bucket the bucket count aims at.
pub const DOCS_PER_BUCKET: usize = 16;

/// Postings buckets for `docs` documents: a power of two, so that the client can take the
/// hash modulo without surprises, growing with the site so a bucket stays small.
pub fn bucket_count(docs: usize) -> usize {
    docs.div_ceil(DOCS_PER_BUCKET)
        .next_power_of_two()
        .max(MIN_BUCKETS)
}

/// What goes into one vocabulary file.
#[derive(Default)]
struct Vocab {
    /// Term indices, in stem order.
    stems: Vec<u32>,
    /// Indices into `Analysis::forms`, in word order.
    forms: Vec<usize>,
}

/// Sorted document ids of each filter value.
#[derive(Default)]
struct Filters<'a> {
    /// Slug -> (name, docs).
    sector: BTreeMap<&'a str, (&'a str, Vec<u32>)>,
    /// Year (`None`: undated) -> docs.
    year: BTreeMap<Option<i32>, Vec<u32>>,
    status: BTreeMap<Status, Vec<u32>>,
}

/// Every file of the index, worked out but not yet written.
pub struct Layout<'a> {
    t: &'a Timeline,
    tok: &'a Tokenizer,
    a: &'a Analysis,
    /// Term indices of each postings bucket, in stem order.
    buckets: Vec<Vec<u32>>,
    /// Vocabulary key -> its file's contents.
    vocab: BTreeMap<&'a str, Vocab>,
    filters: Filters<'a>,
}

impl<'a> Layout<'a> {
    pub fn new(t: &'a Timeline, tok: &'a Tokenizer, a: &'a Analysis) -> Layout<'a> {
        let k = bucket_count(t.sessions.len());
        let mut buckets = vec![Vec::new(); k];
        let mut vocab: BTreeMap<&str, Vocab> = BTreeMap::new();
        for (i, term) in a.terms.iter().enumerate() {
            let name = a.name(term);
            // `k` is a power of two: the mask is the modulo.
            buckets[fnv1a(name.as_bytes()) as usize & (k - 1)].push(i as u32);
            vocab
                .entry(vocab_key(name))
                .or_default()
                .stems
                .push(i as u32);
        }
        for (i, (word, _)) in a.forms.iter().enumerate() {
            vocab.entry(vocab_key(word)).or_default().forms.push(i);
        }
        Layout {
            t,
            tok,
            a,
            buckets,
            vocab,
            filters: filters(t),
        }
    }

    /// Passes every file, by name, to `emit` as soon as it is made, on every core; stops
    /// at the first error.
    pub fn emit<E: Send>(
        &self,
        emit: &(dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync),
    ) -> Result<(), E> {
        (self.buckets.par_iter().enumerate()).try_for_each(|(n, terms)| {
            emit(format!("search/postings/{n}.json"), self.bucket(terms))
        })?;
        self.vocab.par_iter().try_for_each(|(key, v)| {
            emit(
                format!("search/vocab/{}.json", key_file_name(key)),
                self.vocab_file(v),
            )
        })?;
        (self.t.sessions.par_chunks(CHUNK).enumerate())
            .try_for_each(|(k, chunk)| emit(format!("search/docs/{k}.json"), docs_file(chunk)))?;
        let f = &self.filters;
        for (slug, (_, docs)) in &f.sector {
            emit(format!("search/filter/sector/{slug}.json"), doc_list(docs))?;
        }
        for (year, docs) in &f.year {
            emit(
                format!("search/filter/year/{}.json", year_name(*year)),
                doc_list(docs),
            )?;
        }
        for (status, docs) in &f.status {
            emit(
                format!("search/filter/status/{}.json", status.as_str()),
                doc_list(docs),
            )?;
        }
        emit("search/meta.json".to_string(), self.meta())
    }

    /// `{"stem":[df,[doc,tf,[pos...]],...],...}`, doc ids and positions delta-encoded.
    fn bucket(&self, terms: &[u32]) -> Vec<u8> {
        let mut out = Vec::new();
        out.push(b'{');
        for (i, &t) in terms.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let term = &self.a.terms[t as usize];
            json_str(&mut out, self.a.name(term));
            out.extend_from_slice(b":[");
            let df = self.a.doc_count(term);
            json_u32(&mut out, df as u32);
            postings(&mut out, &self.top(term, df));
            out.push(b']');
        }
        out.push(b'}');
        out
    }

    /// The postings a term keeps, in document order (see [`TOP_DOCS`]).
    fn top(&self, term: &'a Term, df: usize) -> Vec<(Posting, &'a [u32])> {
        let mut all: Vec<_> = self.a.postings(term).collect();
        if df > TOP_DOCS {
            // Most frequent first; among equals the earlier document, for stable output.
            all.select_nth_unstable_by_key(TOP_DOCS - 1, |(p, _)| (u32::MAX - p.tf, p.doc));
            all.truncate(TOP_DOCS);
            all.sort_unstable_by_key(|(p, _)| p.doc);
        }
        all
    }

    /// `{"s":[stems...],"x":{"word":"stem",...}}`; `x` only when some form needs it.
    fn vocab_file(&self, v: &Vocab) -> Vec<u8> {
        let mut out = b"{\"s\":[".to_vec();
        for (i, &t) in v.stems.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json_str(&mut out, self.a.name(&self.a.terms[t as usize]));
        }
        out.push(b']');
        if !v.forms.is_empty() {
            out.extend_from_slice(b",\"x\":{");
            for (i, &f) in v.forms.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let (word, term) = &self.a.forms[f];
                json_str(&mut out, word);
                out.push(b':');
                json_str(&mut out, self.a.name(&self.a.terms[*term as usize]));
            }
            out.push(b'}');
        }
        out.push(b'}');
        out
    }

    fn meta(&self) -> Vec<u8> {
        let t = self.t;
        let mut out = Vec::new();
        out.extend_from_slice(format!("{{\"version\":{VERSION},\"lang\":").as_bytes());
        json_str(&mut out, &t.meta.language);
        out.extend_from_slice(b",\"stemmer\":");
        match self.tok.stemmer_name() {
            Some(name) => json_str(&mut out, name),
            None => out.extend_from_slice(b"null"),
        }
        let counts = format!(
            ",\"docs\":{},\"buckets\":{},\"chunk\":{CHUNK},\"top\":{TOP_DOCS},\"positions\":{},\"stop\":",
            t.sessions.len(),
            self.buckets.len(),
            super::index::MAX_POSITIONS,
        );
        out.extend_from_slice(counts.as_bytes());
        json_strs(&mut out, self.tok.stop_words().iter().copied());
        out.extend_from_slice(b",\"filters\":{\"sector\":[");
        for (i, (slug, (name, _))) in self.filters.sector.iter().enumerate() {
            out.extend_from_slice(if i > 0 { b",[" } else { b"[" });
            json_str(&mut out, slug);
            out.push(b',');
            json_str(&mut out, name);
            out.push(b']');
        }
        out.extend_from_slice(b"],\"year\":");
        // Undated last, after the years in order.
        let mut years: Vec<_> = self.filters.year.keys().filter(|y| y.is_some()).collect();
        years.extend(self.filters.year.keys().filter(|y| y.is_none()));
        json_strs(&mut out, years.iter().map(|y| year_name(**y)));
        out.extend_from_slice(b",\"status\":");
        json_strs(&mut out, self.filters.status.keys().map(|s| s.as_str()));
        out.extend_from_slice(b"}}");
        out
    }
}

fn postings(out: &mut Vec<u8>, kept: &[(Posting, &[u32])]) {
    let mut last_doc = 0;
    for (p, positions) in kept {
        out.extend_from_slice(b",[");
        json_u32(out, p.doc - last_doc);
        last_doc = p.doc;
        out.push(b',');
        json_u32(out, p.tf);
        out.extend_from_slice(b",[");
        let mut last = 0;
        for (i, &pos) in positions.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json_u32(out, pos - last);
            last = pos;
        }
        out.extend_from_slice(b"]]");
    }
}

fn filters(t: &Timeline) -> Filters<'_> {
    let mut f = Filters::default();
    for (doc, s) in t.sessions.iter().enumerate() {
        let doc = doc as u32;
        for x in &s.sectors {
            let (_, docs) =
                (f.sector.entry(&x.slug)).or_insert_with(|| (sector_name(t, x), Vec::new()));
            push_once(docs, doc);
        }
        f.year.entry(s.year).or_default().push(doc);
        for m in &s.commitments {
            push_once(f.status.entry(m.status).or_default(), doc);
        }
    }
    f
}

/// The name the timeline's sector list gives (the one the page's select shows).
fn sector_name<'a>(t: &'a Timeline, x: &'a SectorRef) -> &'a str {
    (t.sectors.binary_search_by(|c| c.slug.as_str().cmp(&x.slug)))
        .map_or(&x.name, |i| &t.sectors[i].name)
}

/// Documents come in order, so a repeat can only be the last one.
fn push_once(docs: &mut Vec<u32>, doc: u32) {
    if docs.last() != Some(&doc) {
        docs.push(doc);
    }
}

fn year_name(year: Option<i32>) -> String {
    year.map_or_else(|| "undated".to_string(), |y| y.to_string())
}

/// `[first, gap, gap, ...]`: sorted document ids, delta-encoded.
fn doc_list(docs: &[u32]) -> Vec<u8> {
    let mut out = vec![b'['];
    let mut last = 0;
    for (i, &d) in docs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_u32(&mut out, d - last);
        last = d;
    }
    out.push(b']');
    out
}

/// `[{"t":title,"u":path,"d":date,"o":ordinal,"e":excerpt},...]`.
fn docs_file(chunk: &[std::sync::Arc<crate::timeline::Session>]) -> Vec<u8> {
    let mut out = vec![b'['];
    for (i, s) in chunk.iter().enumerate() {
        out.extend_from_slice(if i > 0 { b",{\"t\":" } else { b"{\"t\":" });
        json_str(&mut out, &s.title);
        out.extend_from_slice(b",\"u\":");
        json_str(&mut out, &s.path);
        out.extend_from_slice(b",\"d\":");
        match s.date {
            Some(d) => json_str(&mut out, &d.format("%Y-%m-%d").to_string()),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"o\":");
        json_u32(&mut out, s.ordinal);
        out.extend_from_slice(b",\"e\":");
        json_str(
            &mut out,
            &session_excerpt(s.summary.as_deref(), &s.body_html),
        );
        out.push(b'}');
    }
    out.push(b']');
    out
}

fn json_strs<'s>(out: &mut Vec<u8>, items: impl Iterator<Item = impl AsRef<str> + 's>) {
    out.push(b'[');
    for (i, s) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_str(out, s.as_ref());
    }
    out.push(b']');
}

/// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
pub fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for &b in s.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0..0x20 => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// Most numbers here are small gaps between positions or documents: one or two digits
/// are written without a loop, the rest by `itoa`.
pub fn json_u32(out: &mut Vec<u8>, n: u32) {
    match n {
        0..10 => out.push(b'0' + n as u8),
        10..100 => out.extend_from_slice(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]),
        _ => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
    }
}
