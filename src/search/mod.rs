//! The full-text search index of one language's timeline, split into small JSON files
//! that the browser client (`themes/default/static/search.js`) fetches only as a query
//! needs them. `SEARCH-FORMAT.md` at the repository root describes the files.
//!
//! A query word is looked up in two steps, because the browser cannot run the Snowball
//! stemmer: the vocabulary file named by the word's first characters lists the stems
//! that begin that way, the client takes the longest one that begins the word, and the
//! stem's hash names the postings bucket that holds its documents.

mod files;
mod index;
#[cfg(test)]
mod query;
mod stop_words;
mod text;
mod tokenize;

use std::collections::BTreeMap;

use crate::timeline::Timeline;

pub use files::{CHUNK, TOP_DOCS, VERSION, bucket_count};
pub use index::MAX_POSITIONS;
pub use tokenize::{Tokenizer, fnv1a};

/// Every file of the index of `t` (one language), by path below the language's root
/// (`search/meta.json`, ...). The same timeline always gives the same bytes.
pub fn build(t: &Timeline) -> BTreeMap<String, Vec<u8>> {
    let tok = Tokenizer::new(&t.meta.language);
    let analysis = index::Analysis::new(&t.sessions, &tok);
    files::Layout::new(t, &tok, &analysis).write()
}

#[cfg(test)]
mod tests;
