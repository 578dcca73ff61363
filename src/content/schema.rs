//! The front matter exactly as authors write it: raw serde structs that reject unknown
//! keys. The model (`timeline`) resolves and validates them into typed values.

use serde::{Deserialize, Serialize};

use super::count::Count;

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
    /// The other languages the timeline is published in (`[ru, hi]` or
    /// `[{ code: ru, name: Русский }]`); the default `language` is not repeated here.
    #[serde(default)]
    pub languages: Vec<RawLanguage>,
    #[serde(default)]
    pub theme: Option<String>,
    /// A licence line for the open data, shown in the "Data" block.
    #[serde(default)]
    pub license: Option<String>,
    /// Where the site's repository is browsed; each change in a record's history links
    /// its commit at `<repository>/commit/<id>`.
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// How long lists are split into pages.
    #[serde(default)]
    pub paging: Paging,
}

/// How long lists are split into pages (`paging:` in `_index.md`), so that every page stays
/// light however long the timeline grows.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields, default)]
pub struct Paging {
    /// Sessions the home page lists; a longer timeline lists its latest sessions there and
    /// the rest on the year pages.
    pub home: usize,
    /// Sessions or commitments on one numbered page of a year, a sector or the commitments.
    pub per_page: usize,
    /// The largest print page, in kilobytes of notes: a timeline whose notes fit prints on
    /// one page, a longer one by year, each year in as many parts as it needs.
    pub print_kb: usize,
}

impl Default for Paging {
    fn default() -> Paging {
        Paging {
            home: 30,
            per_page: 100,
            print_kb: 200,
        }
    }
}

impl Paging {
    /// The limits with zeros taken as one, so that a page always holds something.
    pub fn at_least_one(self) -> Paging {
        Paging {
            home: self.home.max(1),
            per_page: self.per_page.max(1),
            print_kb: self.print_kb.max(1),
        }
    }
}

/// A language of the site: a code, with the name its switcher shows (otherwise the
/// `language_name` interface string of that language).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum RawLanguage {
    Code(String),
    Named {
        code: String,
        #[serde(default)]
        name: Option<String>,
    },
}

impl RawLanguage {
    pub fn code(&self) -> &str {
        match self {
            RawLanguage::Code(c) | RawLanguage::Named { code: c, .. } => c,
        }
    }

    pub fn name(&self) -> Option<&str> {
        match self {
            RawLanguage::Code(_) => None,
            RawLanguage::Named { name, .. } => name.as_deref(),
        }
    }
}

/// `content/_index.<lang>.md`: the timeline's text in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndexTranslation {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parent: Option<String>,
    /// The partners' names, in the order of `partners:` in `_index.md`.
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub translated_from: Option<String>,
}

/// `content/sessions/<name>.<lang>.md`: a session's text in another language. Text fields
/// are translated; facts may be omitted and, when given, must match the original.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTranslation {
    pub session: u32,
    /// The revision of the original this translation was made from (see `pactline check`).
    #[serde(default)]
    pub translated_from: Option<String>,
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
    pub co_chairs: Vec<TranslatedCoChair>,
    /// `80`, or `~80` when the sources give it as approximate.
    #[serde(default)]
    pub delegates: Option<Count>,
    #[serde(default)]
    pub sectors: Option<Vec<String>>,
    #[serde(default)]
    pub agreements: Vec<TranslatedAgreement>,
    #[serde(default)]
    pub commitments: Vec<TranslatedMention>,
    #[serde(default)]
    pub sources: Vec<TranslatedSource>,
    #[serde(default)]
    pub summary: Option<String>,
}

/// A co-chair in a translation, in the original's order: `role` is translated.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TranslatedCoChair {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub partner: Option<String>,
}

/// An agreement in a translation, in the original's order: `title` is translated.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TranslatedAgreement {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// A source in a translation, in the original's order: `title` is translated.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TranslatedSource {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
}

/// A commitment mention in a translation, matched by `id`: `title` and `note` are
/// translated.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TranslatedMention {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub sectors: Option<Vec<String>>,
    #[serde(default)]
    pub superseded_by: Option<String>,
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
    /// `80`, or `~80` when the sources give it as approximate.
    #[serde(default)]
    pub delegates: Option<Count>,
    /// `None` when the key is absent; `Some(vec![])` when written empty (a warning).
    #[serde(default)]
    pub sectors: Option<Vec<String>>,
    /// `None` when the key is absent: the agreements are not recorded, which is not the
    /// same as none (`agreements: []`).
    #[serde(default)]
    pub agreements: Option<Vec<Agreement>>,
    #[serde(default)]
    pub commitments: Vec<RawMention>,
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Points on which the sources differ, each with every source's reading.
    #[serde(default)]
    pub disagreements: Vec<Disagreement>,
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
    /// Set on a translated page when this text (the name or title) is still the original's:
    /// its language.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Likewise for its role.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub role_lang: Option<String>,
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
    /// Set on a translated page when this text (the name or title) is still the original's:
    /// its language.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// A point on which the sources of a session differ.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Disagreement {
    /// What they differ on, e.g. "the sub-groups formed at the 8th session".
    pub point: String,
    /// Each source's reading; two or more.
    pub readings: Vec<Reading>,
}

/// What one source says on a disputed point.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub text: String,
    /// The `url` of the note's source that gives this reading.
    pub source: String,
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
    /// An archived copy (a web archive's address), for when the original moves or goes.
    #[serde(default)]
    pub archived: Option<String>,
    /// Set on a translated page when this text (the name or title) is still the original's:
    /// its language.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Likewise for its publisher.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub publisher_lang: Option<String>,
}

/// A commitment as one session mentions it: introduced (with a title) or reviewed.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash)]
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

impl RawSession {
    /// The agreements recorded, none when they are not.
    pub fn agreements(&self) -> &[Agreement] {
        self.agreements.as_deref().unwrap_or_default()
    }
}
