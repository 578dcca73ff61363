//! The front matter exactly as authors write it: raw serde structs that reject unknown
//! keys. The model (`timeline`) resolves and validates them into typed values.

use serde::{Deserialize, Serialize};

/// `content/_index.md`: the timeline itself.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndex {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub partners: Vec<RawPartner>,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
    /// A licence line for the open data, shown in the "Data" block.
    #[serde(default)]
    pub license: Option<String>,
    #[serde(default)]
    pub markdown: MarkdownConfig,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawPartner {
    pub name: String,
    #[serde(default)]
    pub code: Option<String>,
    /// Accent colour in the theme, as a CSS hex colour.
    #[serde(default)]
    pub color: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    #[serde(default)]
    pub raw_html: RawHtml,
}

/// What to do with raw HTML inside Markdown bodies.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Pass it through: the author is trusted.
    #[default]
    Passthrough,
    /// Show it as text.
    Escape,
}

/// `content/sessions/*.md`: one session of the body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSession {
    pub session: u32,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub co_chairs: Vec<CoChair>,
    #[serde(default)]
    pub delegates: Option<u32>,
    /// `None` when the key is absent; `Some(vec![])` when written empty (a warning).
    #[serde(default)]
    pub sectors: Option<Vec<String>>,
    #[serde(default)]
    pub agreements: Vec<Agreement>,
    #[serde(default)]
    pub commitments: Vec<RawMention>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CoChair {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub partner: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    pub title: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
}

/// A commitment as one session mentions it: introduced (with a title) or reviewed.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawMention {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    pub status: Status,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub superseded_by: Option<String>,
}

/// Where a commitment stands.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Proposed,
    Agreed,
    InProgress,
    Completed,
    Dropped,
    Superseded,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Proposed,
        Status::Agreed,
        Status::InProgress,
        Status::Completed,
        Status::Dropped,
        Status::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Agreed => "agreed",
            Status::InProgress => "in-progress",
            Status::Completed => "completed",
            Status::Dropped => "dropped",
            Status::Superseded => "superseded",
        }
    }

    /// Still waiting for an outcome.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Proposed | Status::Agreed | Status::InProgress)
    }
}
