//! The print page: every session with its notes, the largest file of a big site. Its
//! template renders each session's notes as a marker, and the notes are put in as the page
//! is written, so that the template's context does not hold every body a second time.

use std::fmt::Write as _;

use super::Renderer;
use crate::output::Page;
use crate::views::paging::PrintPart;
use crate::views::{Head, Print, PrintEntry, SessionView};

/// Stands for session `i`'s notes in the print page until they are spliced in; control
/// characters cannot come from a template or from escaped text.
const PRINT_MARKER: &str = "\u{1}pactline-notes-";

impl<'a> Renderer<'a> {
    pub(super) fn print_view(&self, head: Head<'a>, part: &PrintPart) -> Print<'a> {
        let t = self.timeline;
        let held: &[usize] = (self.print_pages().parts.iter())
            .find(|(p, _)| p == part)
            .map_or(&[], |(_, sessions)| sessions);
        let sessions = (held.iter().map(|&i| (i, &t.sessions[i])))
            .map(|(i, s)| PrintEntry {
                session: SessionView::new(s, t),
                body_html: if s.body_html.is_empty() {
                    String::new()
                } else {
                    format!("{PRINT_MARKER}{i}\u{1}")
                },
            })
            .collect();
        let year = match part {
            PrintPart::All => None,
            PrintPart::Year { year, .. } => t.years.get(*year).map(crate::views::YearItem::of),
        };
        Print {
            head,
            intro_html: &t.meta.intro_html,
            year,
            sessions,
        }
    }

    /// Whether [`Renderer::write_print`] can write this language's print page: only when
    /// no render option rewrites whole pages.
    pub fn writes_print_in_pieces(&self) -> bool {
        !self.opts.relative_urls && self.opts.inject_script.is_none()
    }

    /// Writes a print page into `out`, each session's notes as they come, so that the
    /// page is never whole in memory. Gives the bytes [`Renderer::render`] gives.
    pub fn write_print(&self, page: &Page, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let prepared = self.prepare(page, true);
        let html =
            (self.render_view(&prepared)).map_err(|d| std::io::Error::other(d.to_string()))?;
        self.splice(&html, &mut |text| out.write_all(text.as_bytes()))
    }

    /// Replaces each session's marker in the rendered print page with its notes.
    pub(super) fn splice_print_notes(&self, html: &str) -> String {
        let notes: usize = self
            .timeline
            .sessions
            .iter()
            .map(|s| s.body_html.len())
            .sum();
        let mut out = String::with_capacity(html.len() + notes);
        // Writing into a String cannot fail.
        let _ = self.splice(html, &mut |text| {
            out.push_str(text);
            Ok(())
        });
        out
    }

    /// Hands `emit` the rendered print page piece by piece, each marker replaced by that
    /// session's notes.
    fn splice(
        &self,
        html: &str,
        emit: &mut dyn FnMut(&str) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut rest = html;
        let mut notes = String::new();
        // A year's print page runs to megabytes: the markers are found with SIMD.
        let marker = memchr::memmem::Finder::new(PRINT_MARKER);
        while let Some(start) = marker.find(rest.as_bytes()) {
            emit(&rest[..start])?;
            let after = &rest[start + PRINT_MARKER.len()..];
            let end = after.find('\u{1}').unwrap_or(0);
            let session =
                (after[..end].parse::<usize>().ok()).and_then(|i| self.timeline.sessions.get(i));
            if let Some(s) = session {
                notes.clear();
                let base = format!("{}{}", self.root, s.path);
                for_print(&mut notes, &s.body_html, s.ordinal, &base);
                emit(&notes)?;
            }
            rest = &after[end + 1..];
        }
        emit(rest)
    }
}

/// Notes side by side on the print page: each session's heading ids and in-page links get a
/// `print-N-` prefix so they stay unique, and links relative to the session's page (its
/// co-located files) are resolved against that page, `base` (`/sessions/3/`).
fn for_print(out: &mut String, html: &str, ordinal: u32, base: &str) {
    let mut rest = html;
    // Attribute values open with `="`, rare in text: jump from one to the next.
    let value_start = memchr::memmem::Finder::new("=\"");
    while let Some(at) = value_start.find(rest.as_bytes()) {
        let (head, tail) = rest.split_at(at + 2);
        out.push_str(head);
        rest = tail;
        let attr = ["id", "href", "src"].into_iter().find(|a| {
            head.len() > a.len() + 1
                && head[..head.len() - 2].ends_with(a)
                && head[..head.len() - 2 - a.len()].ends_with([' ', '\n', '\t'])
        });
        match attr {
            None => {}
            Some("id") => {
                let _ = write!(out, "print-{ordinal}-");
            }
            Some(_) => {
                if let Some(frag) = rest.strip_prefix('#') {
                    let _ = write!(out, "#print-{ordinal}-");
                    rest = frag;
                } else {
                    let value = &rest[..rest.find('"').unwrap_or(rest.len())];
                    let scheme = value.split_once(':').is_some_and(|(s, _)| !s.contains('/'));
                    if !value.is_empty() && !value.starts_with('/') && !scheme {
                        out.push_str(base);
                    }
                }
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_page_ids_are_prefixed_and_relative_links_resolved() {
        let mut out = String::new();
        for_print(
            &mut out,
            r##"<h2 id="a">A</h2><a href="#a">x</a> <a href="/b/">y</a><img src="p.png" alt=""> <a href="https://e.org/">e</a> <a href="mailto:x@e.org">m</a>"##,
            3,
            "/sessions/3/",
        );
        assert_eq!(
            out,
            r##"<h2 id="print-3-a">A</h2><a href="#print-3-a">x</a> <a href="/b/">y</a><img src="/sessions/3/p.png" alt=""> <a href="https://e.org/">e</a> <a href="mailto:x@e.org">m</a>"##
        );
    }
}
