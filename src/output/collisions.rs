//! Files the author publishes as they are (the site's static files, files beside the
//! notes) that would stand where the build writes a file of its own: each is an error
//! naming both. The one precedence rule is between static files: a site's own (in
//! `static/` or its theme's folder) replaces the built-in theme's file of the same name,
//! which is how a stylesheet is overridden. Nothing replaces what the build generates.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::{DataFile, Page, page_path};
use crate::content::Asset;
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};
use crate::output::{SEARCH_FOLDER, SEARCH_META, checksums, publish};
use crate::theme::{Origin, Theme};
use crate::timeline::Timeline;
use crate::views::paging::PrintPart;

/// One file the author publishes: its path in the output and where it comes from.
struct Authored {
    output: String,
    source: PathBuf,
}

/// Every authored file that stands where a generated one goes (or in its way: a file where
/// the build needs a folder, or inside a generated file's path).
pub fn check(
    t: &Timeline,
    plan: &[Page],
    (theme, assets): (&Theme, &[Asset]),
    root: &Path,
) -> Diagnostics {
    let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let mut authored: Vec<Authored> = (theme.static_files.iter())
        .filter_map(|(out, origin)| match origin {
            Origin::Disk(p) => Some(Authored {
                output: out.clone(),
                source: relative(p),
            }),
            Origin::Embedded(_) => None,
        })
        .collect();
    authored.extend(assets.iter().map(|a| Authored {
        output: a.rel.clone(),
        source: relative(&a.source),
    }));
    let mut diags = Diagnostics::default();
    if authored.is_empty() {
        return diags;
    }
    // Only the pages in a top folder (or top file) that an authored file is in are worked
    // out: a large site has tens of thousands.
    let tops: HashSet<&str> = authored.iter().map(|a| top(&a.output)).collect();
    let mut generated: BTreeSet<String> = [checksums::FILE, checksums::KNOWN, publish::MARKER]
        .into_iter()
        .map(str::to_string)
        .collect();
    for page in plan
        .iter()
        .filter(|p| !matches!(p, Page::Static(_) | Page::Asset(_)))
    {
        if section(t, page).is_none_or(|s| tops.contains(s)) {
            let path = page_path(t, &[], page);
            // A search index is a folder of files, all of them the build's.
            match path.strip_suffix(SEARCH_META) {
                Some(folder) if matches!(page_kind(page), Page::Search) => {
                    generated.insert(format!("{folder}{SEARCH_FOLDER}"));
                }
                _ => {
                    generated.insert(path);
                }
            }
        }
    }
    for a in &authored {
        if let Some(theirs) = clash(&generated, &a.output) {
            diags.push(
                Diagnostic::error(
                    d::URL_COLLISION,
                    format!(
                        "`{}` would be published as `{}`, where the build writes `{theirs}`",
                        a.source.display(),
                        a.output
                    ),
                )
                .in_file(&a.source)
                .help(
                    "rename or move the file: the build's own pages and files cannot be replaced",
                ),
            );
        }
    }
    diags
}

/// The generated path that `file` would replace or stand in the way of.
fn clash<'g>(generated: &'g BTreeSet<String>, file: &str) -> Option<&'g String> {
    if let Some(g) = generated.get(file) {
        return Some(g);
    }
    // A generated folder (`search/`) holding the file, or a generated file where the file
    // needs a folder.
    let mut ancestors = file.match_indices('/').map(|(i, _)| &file[..=i]);
    if let Some(g) = ancestors
        .find_map(|dir| (generated.get(dir)).or_else(|| generated.get(dir.trim_end_matches('/'))))
    {
        return Some(g);
    }
    // A generated file inside the folder the file would have to be.
    let inside = format!("{file}/");
    (generated.range(inside.clone()..))
        .next()
        .filter(|g| g.starts_with(&inside))
}

/// The first part of an output path: its top folder, or the file itself.
fn top(path: &str) -> &str {
    path.split('/').next().unwrap_or(path)
}

/// A page in another language is the page it translates.
fn page_kind(page: &Page) -> &Page {
    match page {
        Page::Localized { page, .. } => page_kind(page),
        p => p,
    }
}

/// The top folder (or file) of a page's path, when it can be told without working the
/// path out; `None` when it cannot.
fn section<'a>(t: &'a Timeline, page: &'a Page) -> Option<&'a str> {
    Some(match page {
        Page::Localized { lang, .. } => t.translations.get(*lang)?.meta.language.as_str(),
        Page::Home => "index.html",
        Page::NotFound => "404.html",
        Page::Session(_) => "sessions",
        Page::Year(..) => "years",
        Page::Sectors | Page::Sector(..) => "sectors",
        Page::Dictionary => top(super::dictionary::PATH),
        Page::Commitments(_) | Page::Commitment(_) => "commitments",
        Page::Data(DataFile::CommitmentFeed(_)) => "commitments",
        Page::Changes(_) | Page::Data(DataFile::ChangesFeed) => top(super::CHANGES),
        Page::Print(PrintPart::All) => "print",
        Page::Print(PrintPart::Year { .. }) => "years",
        Page::Search => top(SEARCH_META),
        Page::Embed(_) => top(super::EMBED_FOLDER),
        Page::Alias { from, .. } => top(from),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_clashes_with_a_page_a_folder_or_a_file_inside() {
        let generated: BTreeSet<String> =
            ["index.html", "search/", "feed.xml", "sessions/1/index.html"]
                .into_iter()
                .map(str::to_string)
                .collect();
        assert_eq!(
            clash(&generated, "index.html").map(String::as_str),
            Some("index.html")
        );
        assert_eq!(
            clash(&generated, "search/x.json").map(String::as_str),
            Some("search/")
        );
        assert_eq!(
            clash(&generated, "feed.xml/a").map(String::as_str),
            Some("feed.xml")
        );
        assert_eq!(
            clash(&generated, "sessions/1").map(String::as_str),
            Some("sessions/1/index.html")
        );
        assert_eq!(clash(&generated, "img/logo.png"), None);
        assert_eq!(clash(&generated, "sessions/1/photo.jpg"), None);
    }
}
