//! The one rule that marks a session's record as pending: its note states none of the
//! session's facts. A date alone is a fact, and so is a place, a co-chair or a commitment
//! without a date: an undated note that says what was agreed is a record whose date is
//! missing, not a record still to be found.

use chrono::NaiveDate;

use crate::content::schema::RawSession;

/// Whether a note with front matter `f` (and `date`, its date once read) states no fact
/// of the session: no date, venue, city, country, co-chair or count of delegates, no
/// sector, no `agreements` key (an empty list is a fact: there were none) and no
/// commitment. Title, summary, sources, aliases and the body do not count: they describe
/// the search for a record as often as the record.
pub(super) fn records_pending(f: &RawSession, date: Option<NaiveDate>) -> bool {
    date.is_none()
        && f.venue.is_none()
        && f.city.is_none()
        && f.country.is_none()
        && f.co_chairs.is_empty()
        && f.delegates.is_none()
        && f.sectors.as_deref().unwrap_or_default().is_empty()
        && f.agreements.is_none()
        && f.commitments.is_empty()
}
