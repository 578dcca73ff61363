//! How long lists are split into numbered pages, and the links between those pages. A
//! list's first page keeps the list's own address (`years/2025/`); page `n` is
//! `years/2025/page/n/`. The limits come from `paging:` in `_index.md`.

use serde::Serialize;

use crate::timeline::{Session, Timeline};

/// How many pages `len` items take at `per_page` a page: at least one.
pub fn page_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page.max(1)).max(1)
}

/// The items of page `number` (from 1) of `items`.
pub fn page_of<T>(items: &[T], per_page: usize, number: usize) -> &[T] {
    let per_page = per_page.max(1);
    let start = (number.saturating_sub(1) * per_page).min(items.len());
    &items[start..(start + per_page).min(items.len())]
}

/// The address of page `number` of the list at `base` (a path below the language's root).
pub fn numbered(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// Where a page stands among the pages of its list, for its navigation and its
/// `rel="prev"`/`rel="next"` links. Paths are below the language's root.
#[derive(Debug, Serialize)]
pub struct Pager {
    pub number: usize,
    pub count: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub path: String,
    pub current: bool,
}

impl Pager {
    /// The pager of page `number` of `count` pages of the list at `base`; `None` when the
    /// list fits on one page.
    pub fn new(base: &str, number: usize, count: usize) -> Option<Pager> {
        (count > 1).then(|| Pager {
            number,
            count,
            prev: (number > 1).then(|| numbered(base, number - 1)),
            next: (number < count).then(|| numbered(base, number + 1)),
            pages: (1..=count)
                .map(|n| PageLink {
                    number: n,
                    path: numbered(base, n),
                    current: n == number,
                })
                .collect(),
        })
    }
}

/// One print page: the whole timeline, or a part of a year's sessions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrintPart {
    All,
    /// Part `part` (from 1) of year `year` (an index into `Timeline::years`).
    Year {
        year: usize,
        part: usize,
    },
}

/// What a session weighs on a print page besides its notes: its facts and headings.
const PRINT_OVERHEAD: usize = 2_000;

/// The print pages of a timeline: one for all of it while its notes fit in
/// `paging.print_kb`, otherwise each year's sessions in as many parts as they need.
pub fn print_parts(t: &Timeline) -> Vec<(PrintPart, Vec<usize>)> {
    let budget = t.meta.paging.print_kb * 1024;
    let weight = |s: &Session| s.body_html.len() + PRINT_OVERHEAD;
    if t.sessions.iter().map(|s| weight(s)).sum::<usize>() <= budget {
        return vec![(PrintPart::All, (0..t.sessions.len()).collect())];
    }
    let mut parts = Vec::new();
    for (y, year) in t.years.iter().enumerate() {
        let mut part: Vec<usize> = Vec::new();
        let (mut size, mut number) = (0, 1);
        for &i in &year.sessions {
            let w = weight(&t.sessions[i]);
            if !part.is_empty() && size + w > budget {
                let full = std::mem::take(&mut part);
                parts.push((
                    PrintPart::Year {
                        year: y,
                        part: number,
                    },
                    full,
                ));
                (size, number) = (0, number + 1);
            }
            part.push(i);
            size += w;
        }
        if !part.is_empty() {
            parts.push((
                PrintPart::Year {
                    year: y,
                    part: number,
                },
                part,
            ));
        }
    }
    parts
}

/// The address of a print page below the language's root.
pub fn print_path(t: &Timeline, part: &PrintPart) -> String {
    match part {
        PrintPart::All => "print/".to_string(),
        PrintPart::Year { year, part } => {
            let base = t.years.get(*year).map_or("years/", |y| y.path.as_str());
            numbered(&format!("{base}print/"), *part)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_their_links() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        let items: Vec<u32> = (1..=25).collect();
        assert_eq!(page_of(&items, 10, 3), &[21, 22, 23, 24, 25]);
        assert!(page_of(&items, 10, 4).is_empty());
        assert!(Pager::new("years/2025/", 1, 1).is_none());
        let p = Pager::new("years/2025/", 2, 3).unwrap();
        assert_eq!(p.prev.as_deref(), Some("years/2025/"));
        assert_eq!(p.next.as_deref(), Some("years/2025/page/3/"));
        assert_eq!(p.pages.iter().filter(|l| l.current).count(), 1);
    }
}
