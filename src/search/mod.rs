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
pub(crate) mod text;
mod tokenize;

use std::collections::BTreeMap;

use crate::timeline::Timeline;

pub use files::{CHUNK, TOP_DOCS, VERSION, bucket_count};
pub use index::MAX_POSITIONS;
pub use tokenize::{Tokenizer, fnv1a};

/// Makes every file of the index of `t` (one language) and passes each to `emit` with its
/// path below the language's root (`search/meta.json`, ...), on every core, as soon as it
/// is made. The same timeline always gives the same bytes.
pub fn write<E: Send>(
    t: &Timeline,
    emit: &(dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let tok = Tokenizer::new(&t.meta.language);
    let analysis = index::Analysis::new(&t.sessions, &tok);
    files::Layout::new(t, &tok, &analysis).emit(emit)
}

/// Every file of the index of `t`, by path (see [`write()`]).
pub fn build(t: &Timeline) -> BTreeMap<String, Vec<u8>> {
    let files = std::sync::Mutex::new(BTreeMap::new());
    let collect = |path, bytes| {
        files
            .lock()
            .map(|mut f| f.insert(path, bytes))
            .map(drop)
            .map_err(drop)
    };
    // Nothing can poison the lock: no code runs while it is held.
    let _ = write(t, &collect);
    files.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests;
