//! `/search-index.json`: what the theme's script searches, built from the model.

use super::Renderer;

/// Where the search index is published, below the root.
pub const SEARCH_INDEX: &str = "search-index.json";

/// How many characters of a session's text the search index keeps.
const EXCERPT_CHARS: usize = 600;

impl Renderer<'_> {
    /// `/search-index.json`: per session its ordinal, title, path (below the root), date,
    /// city, sector slugs, summary and the start of its plain text, for the theme's script.
    pub fn search_index(&self) -> String {
        /// Fields in alphabetical order, the order the index has always had.
        #[derive(serde::Serialize)]
        struct Indexed<'s> {
            city: Option<&'s str>,
            date: Option<chrono::NaiveDate>,
            ordinal: u32,
            path: &'s str,
            sectors: Vec<&'s str>,
            summary: Option<&'s str>,
            text: String,
            title: &'s str,
        }
        let entries: Vec<Indexed> = (self.timeline.sessions.iter())
            .map(|s| {
                // The first characters of the text, with runs of white space made one space.
                let cut = (s.plain_text.char_indices().nth(EXCERPT_CHARS))
                    .map_or(s.plain_text.len(), |(i, _)| i);
                let mut excerpt = String::with_capacity(cut);
                for word in s.plain_text[..cut].split_whitespace() {
                    if !excerpt.is_empty() {
                        excerpt.push(' ');
                    }
                    excerpt.push_str(word);
                }
                Indexed {
                    city: s.city.as_deref(),
                    date: s.date,
                    ordinal: s.ordinal,
                    path: &s.path,
                    sectors: s.sectors.iter().map(|x| x.slug.as_str()).collect(),
                    summary: s.summary.as_deref(),
                    text: excerpt,
                    title: &s.title,
                }
            })
            .collect();
        serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into())
    }
}
