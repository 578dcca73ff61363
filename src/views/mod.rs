//! What templates see: for each kind of page, a small `Serialize` struct that borrows from
//! the model and carries what Rust has already worked out (the place line, which texts are
//! in another language than the page, the commitments introduced and reviewed, counts).
//! These views are the theme's API: the model's own types can change without breaking a
//! theme, and templates stay markup with plain conditionals. The same views also tell the
//! dev server whether a page needs rendering again: equal views give equal pages.
//!
//! Values every page of a language shares (`site`, `partners`, `root`, `site_root`,
//! `lang`) are in [`Globals`], handed to Tera's global context once per language.

mod changes;
mod charts;
mod digest;
mod pages;
pub mod paging;
mod session;
mod site;

pub use changes::{
    CHANGES, ChangeView, Changes, CommitView, HistoryView, RecordRef, SiteChangeView,
};
pub use charts::{Grid, StatusChart, StatusPath};
pub use digest::digest;
pub use pages::{
    Alias, Commitment, Commitments, Dictionary, Embed, Head, Home, Print, PrintEntry, Sector,
    Sectors, SessionPage, YearItem, YearPage,
};
pub use session::{Brief, Entry, Listed, SessionView};
pub use site::{Alternate, Globals, PageRef, base_path};

/// The language to mark a text with: its own when that is not the page's, otherwise none
/// (the page's `lang` already covers it).
fn mark<'a>(text_lang: &'a str, page_lang: &str) -> Option<&'a str> {
    (text_lang != page_lang).then_some(text_lang)
}

/// The status before a session, where that session changed it.
fn changed_from(
    previous: Option<crate::content::schema::Status>,
    now: crate::content::schema::Status,
) -> Option<&'static str> {
    previous.filter(|p| *p != now).map(|p| p.as_str())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_foreign_text_is_marked() {
        assert_eq!(super::mark("en", "ru"), Some("en"));
        assert_eq!(super::mark("ru", "ru"), None);
    }
}
