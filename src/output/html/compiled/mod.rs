//! The default theme's busiest pages written out in Rust: the pages of sessions and
//! commitments, sector pages, the home page and the print page. Each of them exists once
//! per session or commitment or lists many, and evaluating their Tera templates costs far
//! more than the bytes they produce. The output is byte for byte what the templates give
//! (tests/it/compiled.rs renders every fixture both ways), so these functions must change
//! whenever `base.html`, `macros.html`, `session.html`, `commitment.html`, `sector.html`,
//! `index.html` or `print.html` change. A site that overrides any of the
//! templates a page uses gets that page from Tera; so does a page whose interface string is
//! missing, so that Tera reports the error.

mod base;
mod macros;
mod pages;
mod print;
mod session;
mod timeline;

use std::fmt::Write as _;

use super::Shared;
use crate::theme::{self, Strings, Theme};
use macros::{agreement, date, place, source_tail, status, status_key};

/// Which pages the compiled renderers may produce for a theme.
#[derive(Debug, Clone, Copy, Default)]
pub struct Compiled {
    session: bool,
    commitment: bool,
    sector: bool,
    home: bool,
    print: bool,
}

impl Compiled {
    pub fn for_theme(theme: &Theme) -> Compiled {
        let with = |page: &str| theme.uses_default_templates(&["base.html", "macros.html", page]);
        Compiled {
            session: with("session.html"),
            commitment: with("commitment.html"),
            sector: with("sector.html"),
            home: with("index.html"),
            print: with("print.html"),
        }
    }
}

impl Compiled {
    /// Whether the print page is compiled.
    pub fn print(&self) -> bool {
        self.print
    }
}

/// A page being written: the text so far and the interface strings it draws on.
struct W<'a> {
    out: String,
    tr: Strings<'a>,
}

impl W<'_> {
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Text from the model, escaped as the templates' autoescape does.
    fn text(&mut self, s: &str) {
        theme::escape_into(&mut self.out, s);
    }

    fn num(&mut self, n: impl std::fmt::Display) {
        let _ = write!(self.out, "{n}");
    }

    /// `{{ t(key=…) }}`; `None` when the theme has no such string.
    fn t(&mut self, key: &str) -> Option<()> {
        let s = self.tr.get(key)?;
        theme::escape_into(&mut self.out, s);
        Some(())
    }

    /// ` lang="…"` when `lang` is not empty.
    fn lang_attr(&mut self, lang: &str) {
        if !lang.is_empty() {
            self.raw(" lang=\"");
            self.text(lang);
            self.raw("\"");
        }
    }
}

/// A template's truthiness of an optional text: absent and empty are both false.
fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// What `base.html` prints in `<title>`.
enum Title<'p> {
    /// `{{ page.title }} — {{ site.title }}`.
    Page,
    /// `{{ site.title }}`.
    Site,
    /// `{{ t(key=…) }} — {{ site.title }}`.
    Key(&'p str),
}

impl<'a> Shared<'a> {
    /// The page from its compiled renderer, when there is one for this theme and page.
    pub(super) fn render_compiled(&self, page: &crate::output::Page) -> Option<(String, String)> {
        use crate::output::Page;
        let c = self.compiled;
        let mut w = self.writer();
        let path = match page {
            Page::Session(i) if c.session => {
                self.session_page(&mut w, *i)?;
                &self.timeline.sessions[*i].path
            }
            Page::Commitment(i) if c.commitment => {
                self.commitment_page(&mut w, *i)?;
                &self.timeline.commitments[*i].path
            }
            Page::Sector(i) if c.sector => {
                self.sector_page(&mut w, *i)?;
                &self.timeline.sectors[*i].path
            }
            Page::Home if c.home => {
                self.home_page(&mut w)?;
                ""
            }
            Page::Print if c.print => {
                self.print_page(&mut w, true)?;
                "print/"
            }
            _ => return None,
        };
        Some((path.to_string(), w.out))
    }

    fn writer(&self) -> W<'_> {
        W {
            out: String::new(),
            tr: self.theme.strings_for(&self.timeline.meta.language),
        }
    }
}

impl W<'_> {
    /// ` lang="…"` whatever `lang` is (a comparison already chose to print it).
    fn lang_attr_always(&mut self, lang: &str) {
        self.raw(" lang=\"");
        self.text(lang);
        self.raw("\"");
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Page, RenderOptions, Shared};
    use crate::site::{LoadOptions, Site};

    #[test]
    fn the_default_theme_takes_the_compiled_path_unless_told_not_to() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Site::load(root, &LoadOptions::default()).expect("the reference site loads");
        let pages = [
            Page::Home,
            Page::Print,
            Page::Session(0),
            Page::Sector(0),
            Page::Commitment(0),
        ];
        let opts = RenderOptions::default();
        let shared = Shared::new(&site.timeline, &site.theme, &opts);
        for page in &pages {
            assert!(shared.render_compiled(page).is_some(), "{page:?}");
        }
        let mut streamed = Vec::new();
        assert!(shared.write_print(&mut streamed).is_some_and(|r| r.is_ok()));
        let (_, whole) = shared.render(&Page::Print).unwrap();
        assert_eq!(String::from_utf8(streamed).unwrap(), whole);
        assert!(shared.render_compiled(&Page::Sectors).is_none());
        let opts = RenderOptions {
            templates_only: true,
            ..Default::default()
        };
        let shared = Shared::new(&site.timeline, &site.theme, &opts);
        for page in &pages {
            assert!(shared.render_compiled(page).is_none(), "{page:?}");
        }
        assert!(shared.write_print(&mut Vec::new()).is_none());
    }
}
