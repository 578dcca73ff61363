//! The timeline by year: which sessions each year's page lists, the undated last.

use std::sync::Arc;

use serde::Serialize;

use super::Session;

/// The sessions of one year (indices into `Timeline::sessions`, in timeline order).
#[derive(Debug, Clone, Serialize)]
pub struct Year {
    /// `None` for the sessions whose date is not on record.
    pub year: Option<i32>,
    /// `2025`, or [`Year::UNDATED`]: the last part of the year page's address.
    pub slug: String,
    /// Output path of the year's page, e.g. `years/2025/`.
    pub path: String,
    #[serde(skip)]
    pub sessions: Vec<usize>,
}

impl Year {
    /// The slug of the sessions without a date.
    pub const UNDATED: &'static str = "undated";
}

/// Groups sessions by the year they were held.
pub(super) fn collect_years(sessions: &[Arc<Session>]) -> Vec<Year> {
    let mut by_year: std::collections::BTreeMap<Option<i32>, Vec<usize>> = Default::default();
    for (i, s) in sessions.iter().enumerate() {
        by_year.entry(s.year).or_default().push(i);
    }
    // `None` sorts first; the undated go last, after the years on record.
    let mut years: Vec<Year> = (by_year.into_iter())
        .map(|(year, sessions)| {
            let slug = year.map_or_else(|| Year::UNDATED.to_string(), |y| y.to_string());
            Year {
                year,
                path: format!("years/{slug}/"),
                slug,
                sessions,
            }
        })
        .collect();
    let undated = usize::from(years.first().is_some_and(|y| y.year.is_none()));
    years.rotate_left(undated);
    years
}
