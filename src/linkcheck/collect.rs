//! Finding every web address a reader of the site can follow, and where each is written:
//! a note's `sources` (`url`, `archived`) and `agreements` (`url`), the same in its
//! translations, and the http(s) links and images of every published body (notes,
//! translations, the introduction and its translations).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use url::Url;

use crate::content::markdown::{self, BodyPosition};
use crate::content::{Content, Parsed};
use crate::diagnostics::Span;

/// One place a web address is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Use {
    /// As written.
    pub url: String,
    /// The note, relative to the site root.
    pub file: PathBuf,
    pub span: Option<Span>,
}

/// An address to ask, and every place it is written.
#[derive(Debug)]
pub struct Target {
    /// The address as requested: parsed as a browser would (non-ASCII written in the
    /// escaped form it is sent in), without the fragment, which is never sent. Why it
    /// cannot be parsed, for an address that is not one.
    pub url: Result<Url, String>,
    pub uses: Vec<Use>,
}

/// Every web address written in the published notes of `content` (with `drafts`, in the
/// draft notes too), in the order of the files.
pub fn collect(content: &Content, drafts: bool) -> Vec<Use> {
    let mut out = Vec::new();
    if let Some(index) = &content.index {
        body(index, &mut out);
    }
    for t in &content.index_translations {
        body(t, &mut out);
    }
    let published: BTreeSet<u32> = (content.sessions.iter())
        .filter(|n| drafts || !n.front.draft)
        .map(|n| n.front.session)
        .collect();
    for note in (content.sessions.iter()).filter(|n| drafts || !n.front.draft) {
        for s in &note.front.sources {
            front_matter(note, "sources", Some(&s.url), &mut out);
            front_matter(note, "sources", s.archived.as_deref(), &mut out);
        }
        for a in note.front.agreements() {
            front_matter(note, "agreements", a.url.as_deref(), &mut out);
        }
        body(note, &mut out);
    }
    for t in (content.translations.iter()).filter(|t| published.contains(&t.front.session)) {
        for s in &t.front.sources {
            front_matter(t, "sources", s.url.as_deref(), &mut out);
        }
        for a in &t.front.agreements {
            front_matter(t, "agreements", a.url.as_deref(), &mut out);
        }
        body(t, &mut out);
    }
    out
}

/// The uses by the address they ask, so that each is asked once.
pub fn by_target(uses: Vec<Use>) -> BTreeMap<String, Target> {
    let mut out: BTreeMap<String, Target> = BTreeMap::new();
    for u in uses {
        let url = request_url(&u.url);
        // An address that is not one is keyed as written, to be reported where it is.
        let key = url.as_ref().map_or_else(|_| u.url.clone(), Url::to_string);
        out.entry(key)
            .or_insert_with(|| Target {
                url,
                uses: Vec::new(),
            })
            .uses
            .push(u);
    }
    out
}

/// `written` as it is requested: parsed, without its fragment.
fn request_url(written: &str) -> Result<Url, String> {
    let mut url = Url::parse(written).map_err(|e| format!("not a valid address ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("a `{}:` address is not checked", url.scheme()));
    }
    url.set_fragment(None);
    Ok(url)
}

/// A front matter value under `key`: kept when it is a web address. One that is not is
/// already an error of `check` (PL0013), and is not reported twice.
fn front_matter<T>(note: &Parsed<T>, key: &str, url: Option<&str>, out: &mut Vec<Use>) {
    let Some(url) = url.filter(|u| request_url(u).is_ok()) else {
        return;
    };
    out.push(Use {
        url: url.to_string(),
        file: note.file.clone(),
        span: note.locate(key, url),
    });
}

/// The web links and images of a note's body.
fn body<T>(note: &Parsed<T>, out: &mut Vec<Use>) {
    let pos = BodyPosition {
        first_line: note.body_line,
    };
    for link in markdown::web_links(&note.body, pos) {
        out.push(Use {
            span: Some(Span::at(link.line, link.column, link.len)),
            url: link.url,
            file: note.file.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_bytes;
    use std::path::Path;

    fn parse<T: serde::de::DeserializeOwned>((file, text): &(&str, &str)) -> Parsed<T> {
        parse_bytes(Path::new(file), text.as_bytes()).unwrap()
    }

    fn content(index: &str, notes: &[(&str, &str)], translations: &[(&str, &str)]) -> Content {
        Content {
            index: Some(parse(&("content/_index.md", index))),
            sessions: notes.iter().map(parse).collect(),
            translations: translations.iter().map(parse).collect(),
            ..Content::default()
        }
    }

    const NOTE: &str = "---\nsession: 1\nsources:\n  - { title: R, url: \"https://a.example/r\", archived: \"https://archive.example/r\" }\n  - { title: Bad, url: \"ftp://x\" }\nagreements:\n  - { title: P, url: \"https://a.example/p#page=2\" }\n---\nSee [r](https://a.example/r) and <HTTPS://b.example/>,\n![m](http://a.example/m.png), [n](@/sessions/1.md), [o](/local) [p](mailto:x@y).\n";

    #[test]
    fn addresses_are_found_where_they_are_written() {
        let c = content(
            "---\ntitle: T\n---\nIntro [x](https://i.example/).\n",
            &[("content/sessions/1.md", NOTE)],
            &[(
                "content/sessions/1.ru.md",
                "---\nsession: 1\nsources:\n  - { url: \"https://a.example/r.ru\" }\n---\n[ru](https://ru.example/)\n",
            )],
        );
        let uses = collect(&c, false);
        let at: Vec<(&str, &str, usize, usize)> = (uses.iter())
            .map(|u| {
                let s = u.span.unwrap();
                (u.file.to_str().unwrap(), u.url.as_str(), s.line, s.column)
            })
            .collect();
        let n = "content/sessions/1.md";
        let ru = "content/sessions/1.ru.md";
        assert_eq!(
            at,
            [
                ("content/_index.md", "https://i.example/", 4, 7),
                (n, "https://a.example/r", 4, 23),
                (n, "https://archive.example/r", 4, 56),
                (n, "https://a.example/p#page=2", 7, 23),
                (n, "https://a.example/r", 9, 5),
                (n, "HTTPS://b.example/", 9, 34),
                (n, "http://a.example/m.png", 10, 1),
                (ru, "https://a.example/r.ru", 4, 13),
                (ru, "https://ru.example/", 6, 1),
            ]
        );
        let targets = by_target(uses);
        let keys: Vec<&str> = targets.keys().map(String::as_str).collect();
        assert!(keys.contains(&"https://a.example/p"), "{keys:?}");
        assert!(keys.contains(&"https://b.example/"), "{keys:?}");
        assert_eq!(targets["https://a.example/r"].uses.len(), 2);
    }

    #[test]
    fn drafts_and_their_translations_are_left_out_unless_asked_for() {
        let draft = "---\nsession: 2\ndraft: true\n---\n[d](https://d.example/)\n";
        let tr = "---\nsession: 2\n---\n[t](https://t.example/)\n";
        let c = content(
            "---\ntitle: T\n---\n",
            &[("content/sessions/2.md", draft)],
            &[("content/sessions/2.ru.md", tr)],
        );
        assert!(collect(&c, false).is_empty());
        assert_eq!(collect(&c, true).len(), 2);
    }

    #[test]
    fn a_body_link_that_is_no_address_is_kept_to_be_reported() {
        let targets = by_target(vec![Use {
            url: "https://".to_string(),
            file: PathBuf::from("n.md"),
            span: None,
        }]);
        let t = &targets["https://"];
        assert!(t.url.as_ref().unwrap_err().contains("not a valid address"));
    }
}
