//! Markdown to HTML with pulldown-cmark: CommonMark plus tables, footnotes, strikethrough
//! and task lists; stable heading ids; `@/path.md` links resolved to permalinks and
//! recorded so the model can check them; raw HTML passed through or escaped. Also the web
//! links of a body, located, for `check --links` ([`web_links`]).

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::schema::RawHtml;

/// A link written `@/sessions/05.md#anchor` in a note.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InternalLink {
    /// The target's path below content/, e.g. `sessions/05.md`.
    pub target: String,
    pub fragment: Option<String>,
    /// 1-based line and column of the link in the note's file.
    pub line: usize,
    pub column: usize,
    /// Length of the link's source text in characters, for the caret.
    pub len: usize,
}

/// A link or image of a note's body: its target as written, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinkAt {
    pub url: String,
    /// 1-based line and column of the link in the note's file.
    pub line: usize,
    pub column: usize,
    /// Length of the link's source text in characters, for the caret.
    pub len: usize,
}

/// A link or image in a note whose target could run code in a reader's browser (any scheme
/// but `http`, `https` and `mailto`). It is left out of the HTML: its text stays, unlinked.
pub type UnsafeLink = LinkAt;

/// A heading of the body, with the id it was given.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<InternalLink>,
    /// Links and images left out because their target could run code.
    pub unsafe_links: Vec<UnsafeLink>,
    /// Plain text of the first paragraph, for summaries and feeds.
    pub first_paragraph: Option<String>,
    /// The body holds some text, not only markup (an image, a rule, raw HTML).
    pub has_text: bool,
}

/// Where a note's body sits in its file, so that positions can be reported as file lines.
#[derive(Debug, Clone, Copy)]
pub struct BodyPosition {
    pub first_line: usize,
}

/// Renders `body`. `resolve` maps a content path (`sessions/05.md`) to the URL of its page.
pub fn render(
    body: &str,
    pos: BodyPosition,
    raw_html: RawHtml,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Rendered {
    let lines = Lines::new(body, pos);
    let mut out = Rendered::default();
    // About one event per 16 bytes of Markdown: sized once rather than grown a dozen times.
    let mut events: Vec<Event<'_>> = Vec::with_capacity(body.len() / 16 + 16);
    // Inside a link or image that is left out (neither nests in another of its kind).
    let mut dropping = false;
    for (event, range) in Parser::new_ext(body, OPTIONS).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !dest_url.starts_with("@/") && !is_safe_target(&dest_url) =>
            {
                out.unsafe_links.push(lines.link(&dest_url, range));
                dropping = true;
                continue;
            }
            Event::End(TagEnd::Link | TagEnd::Image) if dropping => {
                dropping = false;
                continue;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                let (path, fragment) = match dest_url[2..].split_once('#') {
                    Some((p, f)) => (p.to_string(), Some(f.to_string())),
                    None => (dest_url[2..].to_string(), None),
                };
                let (line, column, len) = lines.at(range);
                out.links.push(InternalLink {
                    target: path.clone(),
                    fragment: fragment.clone(),
                    line,
                    column,
                    len,
                });
                let mut url = resolve(&path).unwrap_or_else(|| "#".to_string());
                if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                    url.push('#');
                    url.push_str(&f);
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(url),
                    title,
                    id,
                })
            }
            Event::Html(h) | Event::InlineHtml(h) if raw_html == RawHtml::Escape => Event::Text(h),
            other => other,
        };
        events.push(event);
    }
    out.headings = assign_heading_ids(&mut events);
    out.first_paragraph = first_paragraph(&events);
    out.has_text = (events.iter())
        .any(|e| matches!(e, Event::Text(t) | Event::Code(t) if !t.trim().is_empty()));
    out.html.reserve(body.len() * 3 / 2);
    html::push_html(&mut out.html, events.into_iter());
    // The HTML lives as long as the model, so it keeps no more room than it fills. Copied,
    // not shrunk: an allocator may keep a block in place when it shrinks by less than half.
    if out.html.capacity() - out.html.len() > out.html.len() / 8 {
        out.html = out.html.as_str().to_owned();
    }
    out
}

/// The Markdown extensions pactline reads notes with.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Where the lines of a body begin, to tell a byte offset in it as a line and column of its
/// file.
struct Lines<'a> {
    body: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> Lines<'a> {
    fn new(body: &'a str, pos: BodyPosition) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(body.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            body,
            starts,
            first_line: pos.first_line,
        }
    }

    /// The file's line and column where `range` of the body starts, and the length of its
    /// first line, for the caret.
    fn at(&self, range: std::ops::Range<usize>) -> (usize, usize, usize) {
        let line = self.starts.partition_point(|&s| s <= range.start) - 1;
        let column = self.body[self.starts[line]..range.start].chars().count() + 1;
        let len = (self.body[range].lines().next().unwrap_or("").chars()).count();
        (line + self.first_line, column, len)
    }

    /// A link to `url` whose source text spans `range` of the body.
    fn link(&self, url: &str, range: std::ops::Range<usize>) -> LinkAt {
        let (line, column, len) = self.at(range);
        let url = url.to_string();
        LinkAt {
            url,
            line,
            column,
            len,
        }
    }
}

/// Every link and image of `body` to an `http` or `https` address (inline, reference-style
/// or autolink), located as [`render`] locates links: what a reader of the page can follow
/// off the site. Raw HTML is not looked into.
pub fn web_links(body: &str, pos: BodyPosition) -> Vec<LinkAt> {
    let lines = Lines::new(body, pos);
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, OPTIONS).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event
            && matches!(scheme(&dest_url).as_deref(), Some("http" | "https"))
        {
            out.push(lines.link(&dest_url, range));
        }
    }
    out
}

/// Whether a link target cannot run code: a relative address, a fragment, or an `http`,
/// `https` or `mailto` one.
pub fn is_safe_target(url: &str) -> bool {
    match scheme(url) {
        None => true,
        Some(scheme) => matches!(scheme.as_str(), "http" | "https" | "mailto"),
    }
}

/// The scheme of a link target, lowercase; `None` for a relative address. Read as a browser
/// reads it: tabs and line breaks inside are dropped, leading spaces and control characters
/// ignored, and the scheme's case does not count (entities were decoded by the parser).
fn scheme(url: &str) -> Option<String> {
    let url: String = (url.chars())
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .skip_while(|c| *c <= ' ')
        .collect();
    let colon = url.find(':')?;
    // A colon after a path, query or fragment begins is not a scheme's.
    if url[..colon].contains(['/', '?', '#']) {
        return None;
    }
    Some(url[..colon].to_ascii_lowercase())
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Gives every heading an id: the one written (`{#id}`) or a slug of its text, made unique
/// within the note by a numeric suffix.
fn assign_heading_ids(events: &mut [Event<'_>]) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut taken = std::collections::HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level;
            let written = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = written.unwrap_or_else(|| {
                let s = slug::slugify(&text);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            });
            let mut unique = base.clone();
            let mut n = 1;
            while !taken.insert(unique.clone()) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(unique.clone()));
            }
            headings.push(Heading {
                level: level_number(level),
                id: unique,
                text,
            });
            i = j;
        }
        i += 1;
    }
    headings
}

fn first_paragraph(events: &[Event<'_>]) -> Option<String> {
    let start = events
        .iter()
        .position(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
    let mut text = String::new();
    for e in &events[start + 1..] {
        match e {
            Event::End(TagEnd::Paragraph) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {

    #[test]
    fn links_that_could_run_code_keep_their_text_and_lose_their_target() {
        let none = |_: &str| None;
        let body = "[a](javascript:alert(1)) and ![b](vbscript:x) and [c](https://example.org)";
        let r = render(
            body,
            BodyPosition { first_line: 5 },
            RawHtml::Passthrough,
            &none,
        );
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("vbscript"), "{}", r.html);
        assert!(
            r.html.contains(">a</a>") || r.html.contains("a and"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<a href=\"https://example.org\">c</a>"),
            "{}",
            r.html
        );
        let at: Vec<(usize, usize)> = r.unsafe_links.iter().map(|l| (l.line, l.column)).collect();
        assert_eq!(at, [(5, 1), (5, 30)]);
    }

    #[test]
    fn web_links_are_every_http_link_and_image_located() {
        let body = "A [ref][r], <https://b.example/> and ![i](HTTP://c.example/i.png).\n\n[x](@/sessions/1.md) [y](/y) [z](mailto:z@z) [j](javascript:x)\n\n[r]: https://a.example/\n";
        let found: Vec<(String, usize, usize)> = web_links(body, BodyPosition { first_line: 7 })
            .into_iter()
            .map(|l| (l.url, l.line, l.column))
            .collect();
        let want = [
            ("https://a.example/", 7, 3),
            ("https://b.example/", 7, 13),
            ("HTTP://c.example/i.png", 7, 38),
        ];
        assert_eq!(found, want.map(|(u, l, c)| (u.to_string(), l, c)));
    }

    #[test]
    fn safe_targets_are_read_as_a_browser_reads_them() {
        for ok in [
            "https://a.example",
            "HTTP://a",
            "mailto:x@y",
            "/a:b",
            "a/b:c",
            "#x",
            "?q=a:b",
            "",
        ] {
            assert!(is_safe_target(ok), "{ok}");
        }
        for bad in [
            "javascript:x",
            " JavaScript:x",
            "java\tscript:x",
            "\u{1}javascript:x",
            "data:x",
            "vbscript:x",
            "file:///etc",
        ] {
            assert!(!is_safe_target(bad), "{bad:?}");
        }
    }

    use super::*;

    fn r(body: &str) -> Rendered {
        let resolve = |p: &str| (p == "sessions/05.md").then(|| "/sessions/5/".to_string());
        render(
            body,
            BodyPosition { first_line: 10 },
            RawHtml::Passthrough,
            &resolve,
        )
    }

    #[test]
    fn extensions_are_on() {
        let out = r("| a |\n|---|\n| b |\n\n~~x~~ [^1]\n\n[^1]: note\n\n- [x] done\n");
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>x</del>"));
        assert!(out.html.contains("footnote"));
        assert!(out.html.contains("checkbox"));
    }

    #[test]
    fn headings_get_unique_ids() {
        let out = r("## Outcome\n\n## Outcome\n\n## Given {#mine}\n");
        let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["outcome", "outcome-1", "mine"]);
        assert!(out.html.contains(r#"<h2 id="outcome-1">"#));
    }

    #[test]
    fn internal_links_resolve_and_are_located() {
        let out =
            r("Intro.\n\nSee [the 5th](@/sessions/05.md#outcome) and [x](@/sessions/99.md).\n");
        assert!(out.html.contains(r#"href="/sessions/5/#outcome""#));
        assert_eq!(out.links.len(), 2);
        assert_eq!(
            (out.links[1].line, out.links[1].target.as_str()),
            (12, "sessions/99.md")
        );
        assert_eq!(out.links[0].column, 5);
    }

    #[test]
    fn raw_html_can_be_escaped() {
        let body = "<script>alert(1)</script>\n\nText <b>bold</b>\n";
        let none = |_: &str| None;
        let out = render(body, BodyPosition { first_line: 1 }, RawHtml::Escape, &none);
        assert!(!out.html.contains("<script>"));
        assert!(out.html.contains("&lt;script&gt;"));
        let out = render(
            body,
            BodyPosition { first_line: 1 },
            RawHtml::Passthrough,
            &none,
        );
        assert!(out.html.contains("<script>"));
    }

    #[test]
    fn a_body_of_markup_alone_has_no_text() {
        assert!(r("Слово и `дело`.").has_text);
        assert!(r("`code`").has_text);
        assert!(!r("![](a.png)\n\n---\n").has_text);
        assert!(!r("").has_text);
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let out = r("## Head\n\nThe *first* `para`\ncontinues.\n\nSecond.\n");
        assert_eq!(
            out.first_paragraph.as_deref(),
            Some("The first para continues.")
        );
    }
}
