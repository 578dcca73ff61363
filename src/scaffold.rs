//! Writing new files for authors: `pactline init` (a new site) and `pactline new` (the
//! next session's note, with the open commitments listed for review). Never overwrites.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::engine::{Engine, LoadOptions};
use crate::output::RenderOptions;
use crate::site::Error;
use crate::theme;
use crate::timeline::{self, ModelOptions, ordinal_suffix};

/// Options of `pactline init`.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    pub title: String,
    pub partners: Vec<String>,
    /// Also copy the default theme into `themes/default/` for customising.
    pub copy_theme: bool,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `text` to a new file; fails if the file exists.
fn create_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io(path))?;
    f.write_all(bytes).map_err(io(path))
}

/// YAML double-quoted scalar, safe for any text.
fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// Creates a new site in `opts.dir`, which must be absent or empty.
pub fn init(opts: &InitOptions) -> Result<Vec<PathBuf>, Error> {
    let dir = &opts.dir;
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty; pactline init makes a site in a new or empty folder",
                dir.display()
            )));
        }
    }
    // "Norway, Kenya" names `Kenya`, not ` Kenya`: a space typed after a comma is not
    // part of a name.
    let given: Vec<String> = (opts.partners.iter())
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let partners = if given.is_empty() {
        vec!["Partner A".to_string(), "Partner B".to_string()]
    } else {
        given
    };
    let mut index = format!(
        "---\ntitle: {}\ndescription: {}\npartners:\n",
        yaml_str(&opts.title),
        yaml_str(&format!("Sessions of the {}.", opts.title))
    );
    for p in &partners {
        index.push_str(&format!("  - {{ name: {} }}\n", yaml_str(p)));
    }
    index.push_str("base_url: https://example.org/\nlanguage: en\n---\nIntroduce the body here: who meets, under which agreement, and since when.\n");
    let first = partners[0].clone();
    let second = partners.get(1).cloned().unwrap_or_else(|| first.clone());
    let example = EXAMPLE_NOTE
        .replace("{first}", &yaml_str(&first))
        .replace("{second}", &yaml_str(&second));
    let files: Vec<(PathBuf, Vec<u8>)> = vec![
        (dir.join("content/_index.md"), index.into_bytes()),
        (dir.join("content/sessions/01.md"), example.into_bytes()),
        // The output, and the link checker's answers, which are this machine's and a day's.
        (
            dir.join(".gitignore"),
            format!("/public\n/{}\n", crate::linkcheck::CACHE_FOLDER).into_bytes(),
        ),
    ];
    let mut written = Vec::new();
    for (path, bytes) in files {
        create_new(&path, &bytes)?;
        written.push(path);
    }
    if opts.copy_theme {
        for (rel, bytes) in theme::embedded_files() {
            let path = dir.join("themes/default").join(rel);
            create_new(&path, bytes)?;
            written.push(path);
        }
    }
    Ok(written)
}

const EXAMPLE_NOTE: &str = r#"---
# The session's ordinal: required, unique; its page is /sessions/1/.
session: 1
# Optional; the default is "1st session".
title: 1st session
# ISO date; leave it out if it is not known, and the page says "date not recorded".
date: 2024-01-15
venue: Conference hall
city: Capital City
country: Country
# Each co-chair's partner is one of the partners named in content/_index.md.
co_chairs:
  - { name: First Co-chair, role: Secretary, partner: {first} }
  - { name: Second Co-chair, role: Deputy Minister, partner: {second} }
delegates: 40                  # ~40 when the sources say "about 40"
# Sector slugs: one vocabulary across all notes; each sector gets a page.
sectors: [energy, transport]
# Documents signed or agreed at the session: leave the key out when they are not known,
# write `agreements: []` when there were none.
agreements:
  - { title: Protocol of the 1st session, kind: protocol, status: signed }
# Introduce a commitment with an id and a title; later sessions mention the id with a new
# status (proposed, agreed, in-progress, completed, dropped, superseded) and a note.
commitments:
  - { id: joint-study, title: Commission a joint study, sectors: [energy], status: proposed }
# Where each fact comes from: shown on the page.
sources:
  - { title: Press release on the 1st session, url: "https://example.org/press/1", publisher: Ministry }
# Optional; otherwise the first paragraph of the notes.
summary: The first session set up the working group.
# Drafts are built only with --drafts.
draft: false
# Old addresses that redirect here.
aliases: []
---
The notes of the session, in Markdown. Link other notes by path, e.g. `[the next
session](@/sessions/02.md)` once it exists.

## Outcome

What was decided.
"#;

/// Options of `pactline new`.
#[derive(Debug, Clone, Default)]
pub struct NewOptions {
    pub root: PathBuf,
    pub date: Option<String>,
    pub city: Option<String>,
}

/// Writes the next session's note and returns its path.
pub fn new_session(opts: &NewOptions) -> Result<PathBuf, Error> {
    let next = next_session(&opts.root)?;
    let fields = SessionFields {
        date: opts.date.clone(),
        city: opts.city.clone(),
        ..SessionFields::default()
    };
    let note = session_note(&next, &fields)?;
    let path = opts.root.join(&next.file);
    create_new(&path, note.as_bytes())?;
    Ok(path)
}

/// What the next session's note starts from: read from the site as it is on disk.
#[derive(Debug, Clone)]
pub struct NextSession {
    pub ordinal: u32,
    /// Where its note goes, relative to the root (`content/sessions/12.md`).
    pub file: PathBuf,
    /// The partners' names, as `co_chairs` name them.
    pub partners: Vec<String>,
    /// The site's sector vocabulary: slug and name.
    pub sectors: Vec<(String, String)>,
    /// The commitments still open, for review.
    pub open: Vec<OpenCommitment>,
    /// Every commitment's id and title, open or not.
    pub titles: Vec<(String, String)>,
}

/// A commitment that is neither completed, dropped nor superseded.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenCommitment {
    pub id: String,
    pub title: String,
    pub status: String,
    pub introduced: u32,
    pub last_reviewed: u32,
}

/// What a new note says besides its ordinal; left out, a field is written as a commented
/// placeholder to fill in.
#[derive(Debug, Clone, Default)]
pub struct SessionFields {
    /// YYYY-MM-DD.
    pub date: Option<String>,
    pub city: Option<String>,
    pub venue: Option<String>,
    pub co_chairs: Vec<CoChairField>,
    /// Sector slugs.
    pub sectors: Vec<String>,
    pub sources: Vec<SourceField>,
}

#[derive(Debug, Clone, Default)]
pub struct CoChairField {
    pub name: String,
    pub role: String,
    pub partner: String,
}

#[derive(Debug, Clone, Default)]
pub struct SourceField {
    pub title: String,
    pub url: String,
    pub publisher: String,
}

/// Reads the site at `root` (drafts included) for what its next session's note needs.
pub fn next_session(root: &Path) -> Result<NextSession, Error> {
    let (content, diags) =
        Engine::new(root, LoadOptions::default(), RenderOptions::default()).into_content();
    if content.index.is_none() {
        return Err(Error::Content(diags));
    }
    // Name the file like the latest note when that one is numbered (`0011.md`, `11.md`).
    let width = content
        .sessions
        .iter()
        .max_by_key(|n| n.front.session)
        .and_then(|n| n.file.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|stem| !stem.is_empty() && stem.chars().all(|c| c.is_ascii_digit()))
        .map_or(2, |stem| stem.len());
    let (timeline, _) = timeline::build(
        content,
        &ModelOptions {
            drafts: true,
            ..ModelOptions::default()
        },
    );
    let timeline =
        timeline.ok_or_else(|| Error::Usage("content/_index.md could not be read".to_string()))?;
    let ordinal = timeline.sessions.last().map_or(1, |s| s.ordinal + 1);
    let open = (timeline.commitments.iter())
        .filter(|c| c.status.is_open())
        .map(|c| OpenCommitment {
            id: c.id.to_string(),
            title: c.title.replace('\n', " "),
            status: c.status.as_str().to_string(),
            introduced: c.introduced,
            last_reviewed: c.last_reviewed,
        })
        .collect();
    let titles = (timeline.commitments.iter())
        .map(|c| (c.id.to_string(), c.title.replace('\n', " ")))
        .collect();
    Ok(NextSession {
        ordinal,
        titles,
        file: PathBuf::from("content/sessions").join(format!("{ordinal:0width$}.md")),
        partners: (timeline.meta.partners.iter())
            .map(|p| p.name.clone())
            .collect(),
        sectors: (timeline.sectors.iter())
            .map(|s| (s.slug.clone(), s.name.clone()))
            .collect(),
        open,
    })
}

/// The text of the next session's note with `fields` filled in, and the open commitments
/// listed, commented out, for review.
pub fn session_note(next: &NextSession, fields: &SessionFields) -> Result<String, Error> {
    if let Some(date) = &fields.date {
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|e| {
            Error::Usage(format!("the date `{date}` is not a YYYY-MM-DD date ({e})"))
        })?;
    }
    let n = next.ordinal;
    let mut note = format!(
        "---\nsession: {n}\n# title: {} session\n",
        ordinal_suffix(n)
    );
    if let Some(date) = &fields.date {
        note.push_str(&format!("date: {date}\n"));
    }
    if let Some(city) = &fields.city {
        note.push_str(&format!("city: {}\n", yaml_str(city)));
    }
    match &fields.venue {
        Some(venue) => note.push_str(&format!("venue: {}\n", yaml_str(venue))),
        None => note.push_str("# venue:\n"),
    }
    push_co_chairs(&mut note, &fields.co_chairs);
    if fields.sectors.is_empty() {
        note.push_str("# sectors: []\n");
    } else {
        let slugs: Vec<String> = fields.sectors.iter().map(|s| yaml_str(s)).collect();
        note.push_str(&format!("sectors: [{}]\n", slugs.join(", ")));
    }
    push_sources(&mut note, &fields.sources);
    if !next.open.is_empty() {
        note.push_str("# Open commitments to review: uncomment each one this session discussed and give its new status and a note.\n# commitments:\n");
        for c in &next.open {
            note.push_str(&format!(
                "#   - {{ id: {}, status: {}, note: \"\" }}   # {} (since session {}; last reviewed at session {})\n",
                c.id, c.status, c.title, c.introduced, c.last_reviewed
            ));
        }
    }
    note.push_str("---\nThe notes of the session.\n");
    Ok(note)
}

/// `co_chairs:`, or a commented placeholder to fill in when none are given.
fn push_co_chairs(note: &mut String, co_chairs: &[CoChairField]) {
    if co_chairs.is_empty() {
        note.push_str("# co_chairs:\n#   - { name: , role: , partner:  }\n");
        return;
    }
    note.push_str("co_chairs:\n");
    for c in co_chairs {
        note.push_str(&format!(
            "  - {{ name: {}, role: {}, partner: {} }}\n",
            yaml_str(&c.name),
            yaml_str(&c.role),
            yaml_str(&c.partner)
        ));
    }
}

/// `sources:`, or a commented placeholder to fill in when none are given.
fn push_sources(note: &mut String, sources: &[SourceField]) {
    if sources.is_empty() {
        note.push_str("# sources:\n#   - { title: , url: , publisher:  }\n");
        return;
    }
    note.push_str("sources:\n");
    for s in sources {
        note.push_str(&format!(
            "  - {{ title: {}, url: {}",
            yaml_str(&s.title),
            yaml_str(&s.url)
        ));
        if !s.publisher.is_empty() {
            note.push_str(&format!(", publisher: {}", yaml_str(&s.publisher)));
        }
        note.push_str(" }\n");
    }
}

/// Writes the default theme's English interface strings to `themes/default/i18n/<lang>.yaml`
/// below `root`, to translate into `lang`; refuses to replace an existing file.
pub fn strings(root: &Path, lang: &str) -> Result<PathBuf, Error> {
    let valid = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
    if !valid {
        return Err(Error::Usage(format!(
            "`{lang}` is not a language code: give two or three lowercase letters, e.g. `nb`"
        )));
    }
    let path = root.join(format!("themes/default/i18n/{lang}.yaml"));
    if path.exists() {
        return Err(Error::Usage(format!(
            "{} exists already; edit it, or remove it to start again from English",
            path.display()
        )));
    }
    let header = format!(
        "# Interface strings in `{lang}`, to translate: replace each English text after the\n\
         # colon, and keep the keys. A string with forms (`one:`, `other:`) follows a number:\n\
         # give the forms of the plural categories of `{lang}` (CLDR: one, two, few, many,\n\
         # other). A key left out shows the English text. `language_name` is what the language\n\
         # switcher shows.\n\n"
    );
    // The switcher names the language in its own words from the start.
    let name = crate::theme::endonym(lang).unwrap_or(lang);
    let table: String = (crate::theme::english_table().lines())
        .map(|line| match line.strip_prefix("language_name:") {
            Some(_) => format!("language_name: {}\n", yaml_str(name)),
            None => format!("{line}\n"),
        })
        .collect();
    let text = header + &table;
    create_new(&path, text.as_bytes())?;
    Ok(path)
}

/// The revision of the original note at `path` that a translation names in
/// `translated_from:` (see [`crate::timeline::i18n::revision`]).
pub fn revision(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    let text = String::from_utf8_lossy(&bytes);
    let text = crate::content::frontmatter::normalize(&text);
    let split = crate::content::frontmatter::split(path, &text)
        .map_err(|d| Error::Content(Diagnostics(vec![d])))?;
    Ok(crate::timeline::i18n::revision(
        split.front_matter,
        split.body,
    ))
}
