//! Knock-on diagnostics: what the checks across notes would report only because a note
//! with errors could not be read whole. Its readable part is in the model (its ordinal,
//! its commitments, its path) when there is one; what still depends on the rest (an id it
//! names, a link to a note left out, a translation of it) is left unreported until its
//! own errors are fixed, so that one mistake gives one error.

use std::collections::HashMap;
use std::path::Path;

use super::Translations;
use crate::content::Lost;
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};

/// The ordinals of the lost notes left out of the model: `None` for one whose ordinal
/// could not be read, before which any gap may be its place.
pub(super) fn unloaded_ordinals(lost: &[Lost]) -> Vec<Option<u32>> {
    (lost.iter())
        .filter(|l| !l.partial)
        .map(|l| l.glimpse.ordinal)
        .collect()
}

/// Whether the sessions strictly between `a` and `b` may hold a lost note.
pub(super) fn fills_gap(unloaded: &[Option<u32>], a: u32, b: u32) -> bool {
    (unloaded.iter()).any(|o| o.is_none_or(|n| a < n && n < b))
}

/// Removes the diagnostics that follow from the notes in `lost`.
pub(super) fn settle(diags: &mut Diagnostics, lost: &[Lost], translations: &Translations<'_>) {
    if lost.is_empty() {
        return;
    }
    let ids: Vec<&str> = (lost.iter())
        .flat_map(|l| &l.glimpse.ids)
        .map(String::as_str)
        .collect();
    let links: Vec<&str> = (lost.iter())
        .filter(|l| !l.partial)
        .map(|l| l.rel.as_str())
        .collect();
    let unloaded = unloaded_ordinals(lost);
    let partial: Vec<u32> = (lost.iter())
        .filter(|l| l.partial)
        .filter_map(|l| l.glimpse.ordinal)
        .collect();
    let translated: HashMap<&Path, u32> = (translations.sessions.iter())
        .map(|t| (t.file.as_path(), t.front.session))
        .collect();
    let of_translation =
        |diag: &Diagnostic| (diag.file.as_deref()).and_then(|f| translated.get(f).copied());
    diags.0.retain(|diag| {
        let names = |list: &[&str]| (diag.about.as_deref()).is_some_and(|a| list.contains(&a));
        let knock_on = match diag.code {
            d::UNKNOWN_COMMITMENT
            | d::STALE_COMMITMENT
            | d::DUPLICATE_COMMITMENT
            | d::COMMITMENT_TITLE_CHANGED => names(&ids),
            d::BROKEN_LINK => names(&links),
            d::UNKNOWN_TRANSLATION => of_translation(diag)
                .is_some_and(|n| unloaded.iter().any(|o| o.is_none_or(|o| o == n))),
            // The original's facts may be among the parts left out.
            d::TRANSLATION_MISMATCH => of_translation(diag).is_some_and(|n| partial.contains(&n)),
            _ => false,
        };
        !knock_on
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::glimpse::Glimpse;

    #[test]
    fn gaps_are_filled_by_notes_left_out() {
        assert!(fills_gap(&[Some(3)], 2, 4));
        assert!(!fills_gap(&[Some(5)], 2, 4));
        assert!(fills_gap(&[None], 2, 4));
        assert!(!fills_gap(&[], 2, 4));
    }

    #[test]
    fn only_what_depends_on_a_lost_note_is_left_out() {
        let lost = [Lost {
            file: "content/sessions/03.md".into(),
            rel: "sessions/03.md".into(),
            glimpse: Glimpse {
                ordinal: Some(3),
                ids: vec!["port".into()],
            },
            partial: false,
        }];
        let mut diags = Diagnostics(vec![
            Diagnostic::error(d::UNKNOWN_COMMITMENT, "unknown commitment `port`").about("port"),
            Diagnostic::error(d::UNKNOWN_COMMITMENT, "unknown commitment `rail`").about("rail"),
            // What a diagnostic is about decides, not the words of its message.
            Diagnostic::error(d::UNKNOWN_COMMITMENT, "unlike `port`").about("portal"),
            Diagnostic::error(
                d::BROKEN_LINK,
                "link to `@/sessions/03.md`, but there is no such note",
            )
            .about("sessions/03.md"),
            Diagnostic::error(d::INVALID_DATE, "`2025-02-30` is not a real date"),
        ]);
        settle(&mut diags, &lost, &Translations::default());
        let left: Vec<&str> = diags.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            left,
            [
                "unknown commitment `rail`",
                "unlike `port`",
                "`2025-02-30` is not a real date"
            ]
        );
    }
}
