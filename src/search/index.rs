//! Sessions to postings. Runs of sessions are tokenized side by side, each with its own
//! word-to-stem cache (stemming is the dear part, and a run meets each word form once);
//! the runs are then merged into one sorted list of stems. Also works out the word forms
//! the browser cannot map to their stem by itself (see [`Analysis::forms`]).

use std::sync::Arc;

use ahash::AHashMap;
use rayon::prelude::*;

use super::text::{fields, strip_html};
use super::tokenize::{KEY_CHARS, Tokenizer, for_each_word, normalize};
use crate::timeline::Session;

/// Positions kept per stem and document: enough to find phrases near the top of a page,
/// few enough that a common word does not bloat its bucket.
pub const MAX_POSITIONS: usize = 8;

/// One document's use of a stem.
#[derive(Debug, Clone, Copy)]
pub struct Posting {
    pub doc: u32,
    /// Occurrences in the document (all of them, not only the positions kept).
    pub tf: u32,
    start: u32,
    len: u32,
}

/// What one worker found in a run of consecutive documents.
#[derive(Default)]
struct Run {
    /// Word as written -> local stem id; `None` for a stop word. Words of up to 16 bytes
    /// (nearly all) are keyed by their bytes as one integer: hashing and comparing that
    /// costs much less than a string.
    short_words: WordMap<Option<u32>>,
    long_words: AHashMap<Box<str>, Option<u32>>,
    stem_ids: AHashMap<Box<str>, u32>,
    stems: Vec<Box<str>>,
    postings: Vec<Vec<Posting>>,
    positions: Vec<u32>,
}

/// A stem of the whole index: where its postings are, as (run, local id) in run order,
/// which is also document order.
pub struct Term {
    parts: Vec<(u32, u32)>,
}

/// The merged index: stems sorted by their UTF-8 bytes.
pub struct Analysis {
    runs: Vec<Run>,
    pub terms: Vec<Term>,
    /// Indexed word forms whose stem the client's longest-prefix rule would miss, with
    /// their term index, sorted by word.
    pub forms: Vec<(Box<str>, u32)>,
}

impl Analysis {
    pub fn new(sessions: &[Arc<Session>], tok: &Tokenizer) -> Analysis {
        // A few runs per thread even out sessions of uneven length.
        let per_run = sessions
            .len()
            .div_ceil(rayon::current_num_threads() * 3)
            .max(1);
        let runs: Vec<Run> = sessions
            .par_chunks(per_run)
            .enumerate()
            .map(|(i, chunk)| {
                let mut run = Run::default();
                let mut scratch = Scratch::default();
                for (j, s) in chunk.iter().enumerate() {
                    run.add(to_u32(i * per_run + j), s, tok, &mut scratch);
                }
                run
            })
            .collect();
        let terms = merge(&runs);
        let forms = forms(&runs, &terms);
        Analysis { runs, terms, forms }
    }

    pub fn name(&self, term: &Term) -> &str {
        let (run, id) = term.parts[0];
        &self.runs[run as usize].stems[id as usize]
    }

    /// Every posting of `term` in document order, with its kept positions.
    pub fn postings<'a>(&'a self, term: &'a Term) -> impl Iterator<Item = (Posting, &'a [u32])> {
        term.parts.iter().flat_map(move |&(run, id)| {
            let run = &self.runs[run as usize];
            run.postings[id as usize].iter().map(move |p| {
                let at = p.start as usize;
                (*p, &run.positions[at..at + p.len as usize])
            })
        })
    }

    /// How many documents use `term`.
    pub fn doc_count(&self, term: &Term) -> usize {
        (term.parts.iter())
            .map(|&(run, id)| self.runs[run as usize].postings[id as usize].len())
            .sum()
    }
}

/// Buffers reused from one document to the next.
#[derive(Default)]
struct Scratch {
    word: String,
    /// The document's stems in order of first occurrence, with what was found of each.
    terms: Vec<DocTerm>,
    /// Local stem id -> 1 + its index in `terms`; zero outside [`Run::add`].
    slot: Vec<u32>,
    /// The next word's position in the document: words kept, plus a gap after each field.
    position: u32,
}

/// One stem's use in the document being read.
#[derive(Clone, Copy)]
struct DocTerm {
    id: u32,
    tf: u32,
    positions: [u32; MAX_POSITIONS],
}

impl Scratch {
    /// Notes local stem `id` at the next position.
    fn hit(&mut self, id: u32) {
        let position = self.position;
        self.position += 1;
        let i = id as usize;
        if i >= self.slot.len() {
            self.slot.resize(i + 1, 0);
        }
        if self.slot[i] == 0 {
            self.terms.push(DocTerm {
                id,
                tf: 0,
                positions: [0; MAX_POSITIONS],
            });
            self.slot[i] = to_u32(self.terms.len());
        }
        let t = &mut self.terms[self.slot[i] as usize - 1];
        if let Some(p) = t.positions.get_mut(t.tf as usize) {
            *p = position;
        }
        t.tf += 1;
    }

    /// Leaves a position free, so that no phrase runs from one field into the next.
    fn end_field(&mut self) {
        self.position += 1;
    }
}

impl Run {
    fn add(&mut self, doc: u32, s: &Session, tok: &Tokenizer, scratch: &mut Scratch) {
        let body = strip_html(&s.body_html);
        let mut texts = fields(s);
        texts.push(&body);
        scratch.position = 0;
        let mut word = std::mem::take(&mut scratch.word);
        for text in texts {
            for_each_word(text, |w| {
                if let Some(id) = self.stem_id(w, tok, &mut word) {
                    scratch.hit(id);
                }
            });
            scratch.end_field();
        }
        scratch.word = word;
        for t in scratch.terms.drain(..) {
            scratch.slot[t.id as usize] = 0;
            let kept = &t.positions[..(t.tf as usize).min(MAX_POSITIONS)];
            self.postings[t.id as usize].push(Posting {
                doc,
                tf: t.tf,
                start: to_u32(self.positions.len()),
                len: to_u32(kept.len()),
            });
            self.positions.extend_from_slice(kept);
        }
    }

    /// The local stem id of a word as it appears in the text (`None`: a stop word). The
    /// caches are keyed by the raw word, so a word met before costs one lookup.
    fn stem_id(&mut self, raw: &str, tok: &Tokenizer, buf: &mut String) -> Option<u32> {
        let Some(key) = pack(raw) else {
            if let Some(id) = self.long_words.get(raw) {
                return *id;
            }
            let id = self.new_word(raw, tok, buf);
            self.long_words.insert(raw.into(), id);
            return id;
        };
        if let Some(id) = self.short_words.get(&key) {
            return *id;
        }
        let id = self.new_word(raw, tok, buf);
        self.short_words.insert(key, id);
        id
    }

    /// Stems a word not met before and files its stem.
    fn new_word(&mut self, raw: &str, tok: &Tokenizer, buf: &mut String) -> Option<u32> {
        normalize(raw, buf);
        if tok.is_stop_word(buf) {
            return None;
        }
        let stem = tok.stem(buf);
        if let Some(&id) = self.stem_ids.get(stem.as_ref()) {
            return Some(id);
        }
        let id = to_u32(self.stems.len());
        self.stem_ids.insert(stem.as_ref().into(), id);
        self.stems.push(stem.as_ref().into());
        self.postings.push(Vec::new());
        Some(id)
    }

    /// Every word met, as written, with its local stem id (`None`: a stop word).
    fn words(&self) -> impl Iterator<Item = (String, Option<u32>)> + '_ {
        let short = (self.short_words.iter()).map(|(&key, &id)| (unpack(key), id));
        short.chain(self.long_words.iter().map(|(w, &id)| (w.to_string(), id)))
    }
}

/// The bytes of a word of up to 16 bytes as an integer, zero-padded. No word contains a
/// NUL (it is not a letter or digit), so no two words share a key.
fn pack(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    let n = b.len();
    // Two overlapping loads cover every length of a class; the bytes where they overlap
    // are the same, so or-ing them is exact. No loop and no copy of variable length.
    let key = match n {
        0 => 0,
        1..=3 => {
            u128::from(b[0])
                | u128::from(b[n / 2]) << (8 * (n / 2))
                | u128::from(b[n - 1]) << (8 * (n - 1))
        }
        4..=7 => u128::from(le_u32(&b[..4])) | u128::from(le_u32(&b[n - 4..])) << (8 * (n - 4)),
        8..=16 => u128::from(le_u64(&b[..8])) | u128::from(le_u64(&b[n - 8..])) << (8 * (n - 8)),
        _ => return None,
    };
    Some(key)
}

fn le_u32(b: &[u8]) -> u32 {
    let mut x = [0; 4];
    x.copy_from_slice(&b[..4]);
    u32::from_le_bytes(x)
}

fn le_u64(b: &[u8]) -> u64 {
    let mut x = [0; 8];
    x.copy_from_slice(&b[..8]);
    u64::from_le_bytes(x)
}

/// Hashes a packed word with one wide multiply: the keys are short and this runs once
/// per word of every note, where a general-purpose hash costs several times more.
#[derive(Default, Clone, Copy)]
struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u128(&mut self, key: u128) {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let (lo, hi) = (key as u64, (key >> 64) as u64);
        let m = u128::from(lo ^ K) * u128::from(hi ^ K.rotate_left(32));
        self.0 = (m as u64) ^ ((m >> 64) as u64);
    }
}

type WordMap<V> = std::collections::HashMap<u128, V, std::hash::BuildHasherDefault<WordHasher>>;

fn unpack(key: u128) -> String {
    let bytes = key.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// One sorted list of the stems of all runs.
fn merge(runs: &[Run]) -> Vec<Term> {
    let mut all: Vec<(&str, u32, u32)> = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        let ids = 0..to_u32(run.stems.len());
        all.extend(
            run.stems
                .iter()
                .zip(ids)
                .map(|(s, id)| (&**s, to_u32(r), id)),
        );
    }
    all.par_sort_unstable();
    all.chunk_by(|a, b| a.0 == b.0)
        .map(|group| Term {
            parts: group.iter().map(|&(_, r, id)| (r, id)).collect(),
        })
        .collect()
}

/// The word forms for which the client's rule (the longest stem of the word's vocabulary
/// file that begins the word) does not give their stem. A word equal to its stem always
/// resolves; the others are checked against the whole vocabulary.
fn forms(runs: &[Run], terms: &[Term]) -> Vec<(Box<str>, u32)> {
    let names: AHashMap<&str, u32> = (terms.iter().enumerate())
        .map(|(i, t)| {
            let (r, id) = t.parts[0];
            (&*runs[r as usize].stems[id as usize], to_u32(i))
        })
        .collect();
    let mut found: Vec<(Box<str>, u32)> = runs
        .par_iter()
        .flat_map_iter(|run| {
            let names = &names;
            let mut word = String::new();
            run.words().filter_map(move |(raw, id)| {
                let stem = &*run.stems[id? as usize];
                normalize(&raw, &mut word);
                if word == stem || client_stem(&word, names) == Some(stem) {
                    return None;
                }
                Some((word.as_str().into(), names[stem]))
            })
        })
        .collect();
    found.par_sort_unstable();
    found.dedup();
    found
}

/// The stem the client picks for `word` among `stems`: the longest one that is a prefix
/// of the word and shares its vocabulary key.
pub fn client_stem<'a, V>(word: &str, stems: &AHashMap<&'a str, V>) -> Option<&'a str> {
    let ends: Vec<usize> = (word.char_indices().map(|(i, _)| i).skip(1))
        .chain([word.len()])
        .collect();
    let shortest = KEY_CHARS.min(ends.len()) - 1;
    ends.get(shortest..)?
        .iter()
        .rev()
        .find_map(|&end| stems.get_key_value(&word[..end]).map(|(k, _)| *k))
}

/// Counts here are of documents and words on one site; they fit in 32 bits by far.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_pack_to_their_bytes() {
        let word = "abcdefghijklmnopq";
        for n in 1..=16 {
            let mut bytes = [0u8; 16];
            bytes[..n].copy_from_slice(&word.as_bytes()[..n]);
            assert_eq!(pack(&word[..n]), Some(u128::from_le_bytes(bytes)), "{n}");
            assert_eq!(unpack(u128::from_le_bytes(bytes)), &word[..n]);
        }
        assert_eq!(pack(word), None);
    }
}
