//! The data dictionary (`/data/`, in every language): each open-data file, what it is, and
//! for the CSV files every column with its meaning. The columns are the very constants the
//! CSV writers take their header row from ([`super::tables`]), so the page and the files
//! cannot disagree. Column descriptions are in English; the page's own text is in the
//! interface strings.

use serde::Serialize;

use super::tables::{CO_CHAIR_COLUMNS, Column, MENTION_COLUMNS, SESSION_COLUMNS};

/// Where the dictionary page is, below a language's root.
pub const PATH: &str = "data/";

/// One file the dictionary describes.
#[derive(Debug, Clone, Serialize)]
pub struct FileEntry {
    /// Its path: below the site root when `shared`, otherwise below the language's root.
    pub file: &'static str,
    pub shared: bool,
    /// The interface string that names it (the home page's "Open data" block uses it too).
    pub label: &'static str,
    /// The columns of a CSV file; empty for the others.
    pub columns: &'static [Column],
}

const fn entry(
    file: &'static str,
    shared: bool,
    label: &'static str,
    columns: &'static [Column],
) -> FileEntry {
    FileEntry {
        file,
        shared,
        label,
        columns,
    }
}

/// Every open-data file, in the order the page lists them.
pub const FILES: [FileEntry; 8] = [
    entry("timeline.csv", true, "data_csv_sessions", &SESSION_COLUMNS),
    entry(
        "commitments.csv",
        true,
        "data_csv_commitments",
        &MENTION_COLUMNS,
    ),
    entry(
        "co_chairs.csv",
        true,
        "data_csv_co_chairs",
        &CO_CHAIR_COLUMNS,
    ),
    entry("timeline.json", true, "data_json", &[]),
    entry("timeline.schema.json", true, "data_schema", &[]),
    entry("feed.xml", false, "data_feed", &[]),
    entry("sessions.ics", false, "data_calendar", &[]),
    entry("SHA256SUMS", true, "data_checksums", &[]),
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_column_is_described_once() {
        for f in super::FILES {
            let mut names: Vec<&str> = f.columns.iter().map(|c| c.name).collect();
            assert!(
                f.columns.iter().all(|c| c.about.ends_with('.')),
                "{}",
                f.file
            );
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), f.columns.len(), "{}", f.file);
        }
    }
}
