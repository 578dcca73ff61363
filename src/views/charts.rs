//! The numbers behind the theme's pictures: the sector × session grid of `/sectors/`, the
//! chart of commitment statuses after each session, and a commitment's status path. Views
//! work out counts and geometry; the markup (table, SVG) is the theme's.
//!
//! A long timeline is drawn by year instead of by session, so that a picture's size does
//! not grow with the number of sessions.

use serde::Serialize;

use super::mark;
use crate::content::schema::Status;
use crate::timeline::{self, Session, Timeline};

/// Above this many sessions, the grid and the status chart have one column per year.
pub const MAX_SESSION_COLUMNS: usize = 40;
/// The status chart's plot height, in SVG user units.
const PLOT_HEIGHT: usize = 100;
/// A bar's width and the space after it, in SVG user units.
const BAR_WIDTH: usize = 16;
const BAR_GAP: usize = 6;

/// A column of the grid or the chart: a session, or a year of sessions.
#[derive(Serialize)]
pub struct Column<'a> {
    /// The session's ordinal (`11th`) or the year (`None` in `year` for undated sessions).
    pub ordinal_text: Option<&'a str>,
    pub year: Option<i32>,
    /// The page the column's marks link to: the session's, or the year's.
    pub path: &'a str,
    /// The session's title (empty for a year).
    pub title: &'a str,
    pub title_lang: Option<&'a str>,
    /// No record of the column's session (or of any session of the year) has been found:
    /// its agenda is not known, which is not the same as empty.
    pub pending: bool,
}

/// What the grid and the chart have one column for: each session, or each year.
struct Columns<'a> {
    by_year: bool,
    /// Sessions (indices into `t.sessions`) of each column.
    members: Vec<Vec<usize>>,
    views: Vec<Column<'a>>,
}

impl<'a> Columns<'a> {
    fn of(t: &'a Timeline) -> Columns<'a> {
        let lang = t.meta.language.as_str();
        if t.sessions.len() <= MAX_SESSION_COLUMNS {
            let views = (t.sessions.iter())
                .map(|s| Column {
                    ordinal_text: Some(&s.ordinal_text),
                    year: s.year,
                    path: &s.path,
                    title: &s.title,
                    title_lang: mark(&s.lang, lang),
                    pending: s.records_pending,
                })
                .collect();
            let members = (0..t.sessions.len()).map(|i| vec![i]).collect();
            return Columns {
                by_year: false,
                members,
                views,
            };
        }
        let views = (t.years.iter())
            .map(|y| Column {
                ordinal_text: None,
                year: y.year,
                path: &y.path,
                title: "",
                title_lang: None,
                pending: y.sessions.iter().all(|&i| t.sessions[i].records_pending),
            })
            .collect();
        let members = t.years.iter().map(|y| y.sessions.clone()).collect();
        Columns {
            by_year: true,
            members,
            views,
        }
    }
}

/// Which sectors were on the agenda of which sessions.
#[derive(Serialize)]
pub struct Grid<'a> {
    /// Columns are years (the timeline is longer than `MAX_SESSION_COLUMNS`).
    pub by_year: bool,
    pub columns: Vec<Column<'a>>,
    pub rows: Vec<GridRow<'a>>,
}

#[derive(Serialize)]
pub struct GridRow<'a> {
    pub name: &'a str,
    pub path: &'a str,
    pub lang_mark: Option<&'a str>,
    /// Sessions with the sector on their agenda.
    pub count: usize,
    /// One per column: how many of its sessions had the sector on their agenda.
    pub cells: Vec<Cell<'a>>,
}

#[derive(Serialize, Clone, Copy)]
pub struct Cell<'a> {
    pub count: usize,
    /// The column's agenda is not known (see [`Column::pending`]).
    pub pending: bool,
    /// The column's page.
    pub path: &'a str,
    /// 0 (none) to 4, for the heat map's shades: the count against the row's busiest
    /// column.
    pub level: usize,
}

impl<'a> Grid<'a> {
    pub fn new(t: &'a Timeline) -> Grid<'a> {
        let columns = Columns::of(t);
        let lang = t.meta.language.as_str();
        let mut column_of = vec![usize::MAX; t.sessions.len()];
        for (c, members) in columns.members.iter().enumerate() {
            for &i in members {
                column_of[i] = c;
            }
        }
        let rows = (t.sectors.iter())
            .map(|s| {
                let mut counts = vec![0; columns.views.len()];
                for &i in &s.sessions {
                    if let Some(n) = counts.get_mut(column_of[i]) {
                        *n += 1;
                    }
                }
                let busiest = counts.iter().copied().max().unwrap_or(0);
                GridRow {
                    name: &s.name,
                    path: &s.path,
                    lang_mark: mark(&s.lang, lang),
                    count: s.sessions.len(),
                    cells: (counts.into_iter().zip(&columns.views))
                        .map(|(count, column)| Cell {
                            count,
                            pending: column.pending,
                            path: column.path,
                            level: (count * 4).div_ceil(busiest.max(1)),
                        })
                        .collect(),
                }
            })
            .collect();
        Grid {
            by_year: columns.by_year,
            columns: columns.views,
            rows,
        }
    }
}

/// Commitment statuses after each session (or year), from the first session that
/// mentions a commitment: stacked bars, and the same numbers for a table.
#[derive(Serialize)]
pub struct StatusChart<'a> {
    pub by_year: bool,
    /// The statuses that appear, in their order: the stacking order and the table's
    /// columns.
    pub statuses: Vec<&'static str>,
    pub bars: Vec<Bar<'a>>,
    /// The most commitments after any session: the top of the scale.
    pub max: usize,
    pub width: usize,
    pub height: usize,
}

#[derive(Serialize)]
pub struct Bar<'a> {
    #[serde(flatten)]
    /// Its `pending` leaves a gap: what stood after a session whose record is still to be
    /// found is not known.
    pub column: Column<'a>,
    pub total: usize,
    pub x: usize,
    /// Whether the axis labels this bar: every session, or the first, last and every
    /// tenth year.
    pub tick: bool,
    /// One per entry of [`StatusChart::statuses`], bottom up.
    pub segments: Vec<Segment>,
}

#[derive(Serialize)]
pub struct Segment {
    pub status: &'static str,
    pub count: usize,
    pub y: usize,
    pub height: usize,
}

impl<'a> StatusChart<'a> {
    /// `None` when no session mentions a commitment.
    pub fn new(t: &'a Timeline) -> Option<StatusChart<'a>> {
        let first = t.sessions.iter().position(|s| !s.commitments.is_empty())?;
        let columns = Columns::of(t);
        let statuses: Vec<Status> = (Status::ALL.into_iter())
            .filter(|s| {
                t.commitments
                    .iter()
                    .any(|c| c.history.iter().any(|h| h.status == *s))
            })
            .collect();
        let mut bars = Vec::new();
        for (members, column) in columns.members.iter().zip(columns.views) {
            // The column's state is the one after its last session on record.
            let last = members
                .iter()
                .rev()
                .find(|&&i| !t.sessions[i].records_pending);
            if members.last().is_none_or(|&i| i < first) {
                continue;
            }
            let counts = match last {
                Some(&i) => standing_after(t, &t.sessions[i], &statuses),
                None => vec![0; statuses.len()],
            };
            bars.push((column, counts));
        }
        let max = (bars.iter())
            .map(|(_, c)| c.iter().sum::<usize>())
            .max()
            .unwrap_or(0);
        let mut bars = (bars.into_iter().enumerate())
            .map(|(i, (column, counts))| Bar::new(column, (i, &counts), (&statuses, max)))
            .collect::<Vec<_>>();
        let last = bars.len().saturating_sub(1);
        for (i, bar) in bars.iter_mut().enumerate() {
            let round = bar.column.year.is_some_and(|y| y % 10 == 0);
            bar.tick = !columns.by_year || i == 0 || i == last || round;
        }
        Some(StatusChart {
            by_year: columns.by_year,
            statuses: statuses.iter().map(|s| s.as_str()).collect(),
            width: bars.len() * (BAR_WIDTH + BAR_GAP),
            height: PLOT_HEIGHT,
            bars,
            max,
        })
    }
}

impl<'a> Bar<'a> {
    fn new(
        column: Column<'a>,
        (i, counts): (usize, &[usize]),
        (statuses, max): (&[Status], usize),
    ) -> Bar<'a> {
        let top = |n: usize| PLOT_HEIGHT - n * PLOT_HEIGHT / max.max(1);
        let mut below = 0;
        let segments = (statuses.iter().zip(counts))
            .map(|(s, &count)| {
                let (bottom, y) = (top(below), top(below + count));
                below += count;
                Segment {
                    status: s.as_str(),
                    count,
                    y,
                    height: bottom - y,
                }
            })
            .collect();
        Bar {
            total: if column.pending { 0 } else { below },
            column,
            x: i * (BAR_WIDTH + BAR_GAP),
            tick: true,
            segments,
        }
    }
}

/// How many commitments stood at each of `statuses` once session `s` was over: those
/// mentioned by then, each at its latest status.
fn standing_after(t: &Timeline, s: &Session, statuses: &[Status]) -> Vec<usize> {
    let mut counts = vec![0; statuses.len()];
    for c in t.commitments.iter() {
        let latest = (c.history.iter())
            .take_while(|h| h.session <= s.ordinal)
            .last();
        if let Some(at) = latest.and_then(|h| statuses.iter().position(|x| *x == h.status)) {
            counts[at] += 1;
        }
    }
    counts
}

/// A commitment's statuses as a step line: one point per mention, at its status's row.
#[derive(Serialize)]
pub struct StatusPath {
    pub points: Vec<PathPoint>,
    /// Every status, top to bottom: the rows of the picture.
    pub rows: Vec<&'static str>,
    pub width: usize,
    pub height: usize,
}

#[derive(Serialize)]
pub struct PathPoint {
    pub session: u32,
    pub status: &'static str,
    pub x: usize,
    pub y: usize,
}

/// Horizontal space per mention and vertical per status row, in SVG user units.
const STEP_WIDTH: usize = 48;
const ROW_HEIGHT: usize = 14;

impl StatusPath {
    pub fn new(c: &timeline::Commitment) -> StatusPath {
        let row = |s: Status| Status::ALL.iter().position(|x| *x == s).unwrap_or(0);
        StatusPath {
            points: (c.history.iter().enumerate())
                .map(|(i, h)| PathPoint {
                    session: h.session,
                    status: h.status.as_str(),
                    x: i * STEP_WIDTH + STEP_WIDTH / 2,
                    y: row(h.status) * ROW_HEIGHT + ROW_HEIGHT / 2,
                })
                .collect(),
            rows: Status::ALL.iter().map(|s| s.as_str()).collect(),
            width: c.history.len().max(1) * STEP_WIDTH,
            height: Status::ALL.len() * ROW_HEIGHT,
        }
    }
}
