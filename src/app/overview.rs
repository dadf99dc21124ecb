//! The overview (`o`): counts over the listed interviews in place of the
//! transcript and answers, read again when the filters or the store
//! change, and scrolled when taller than its place.

use super::layout::Mode;
use super::overlays::Loadable;
use super::reads::Reads;
use super::state::State;
use crate::mirror::MirrorError;
use crate::store::Overview;

/// The overview while it is open, and its reads.
#[derive(Debug, Clone, Default)]
pub struct OverviewPane {
    /// The counts (`None`: the overview is closed).
    pub counts: Option<Loadable<Overview>>,
    /// How far it is scrolled when taller than its place.
    pub scroll: usize,
    /// Counted again after each filter and each store change: an older
    /// answer is dropped.
    reads: Reads,
}

impl OverviewPane {
    pub fn is_open(&self) -> bool {
        self.counts.is_some()
    }

    /// Opens it, loading, at the top.
    pub fn open(&mut self) {
        self.counts = Some(Loadable::Loading);
        self.scroll = 0;
    }

    /// Closes it; says whether it was open.
    pub fn close(&mut self) -> bool {
        self.counts.take().is_some()
    }

    /// The counts, once read.
    pub fn ready(&self) -> Option<&Overview> {
        self.counts.as_ref().and_then(Loadable::ready)
    }

    /// Numbers a new count.
    pub fn ask(&mut self) -> u64 {
        self.reads.ask()
    }

    /// A count answered: shown while open, unless a newer one was.
    pub fn answered(&mut self, read: u64, result: Result<Overview, MirrorError>) {
        if self.is_open() && self.reads.take(read) {
            self.counts = Some(result.into());
        }
    }
}

/// The overview's rows when it has room: the totals line, each section
/// (title, one row per value, a blank row), and interviews per day (a
/// title and three rows).
pub fn overview_rows(o: &Overview, gap: usize) -> usize {
    let per_day = if o.per_day.is_empty() { 0 } else { 1 + 2 + gap };
    overview_text_rows(o, gap) + per_day
}

/// The overview's rows above the day chart: the totals line and the four
/// sections, each with `gap` blank rows after it.
pub fn overview_text_rows(o: &Overview, gap: usize) -> usize {
    let sections = [&o.quality, &o.status, &o.language, &o.answered];
    1 + gap + sections.iter().map(|s| s.len() + 1 + gap).sum::<usize>()
}

/// Lines inside the overview's box: it takes the transcript and answers'
/// place, or the one pane when narrow.
pub fn overview_viewport(state: &State) -> usize {
    let areas = state.areas();
    let rect = match areas.mode {
        Mode::Narrow => areas.list.or(areas.transcript).or(areas.answers),
        _ => match (areas.transcript, areas.answers) {
            (Some(t), Some(a)) => Some(t.union(a)),
            (t, a) => t.or(a),
        },
    };
    rect.map_or(0, super::layout::inner_height)
}

/// How far the overview can scroll: nothing while it fits, tightened
/// (no blank rows, a shorter day chart) or not.
pub fn overview_scroll_max(state: &State) -> usize {
    let Some(o) = state.overview.ready() else {
        return 0;
    };
    let view = overview_viewport(state);
    if overview_rows(o, 0) <= view {
        0
    } else {
        overview_rows(o, 1).saturating_sub(view)
    }
}

/// Scrolls the overview by `lines` (clamped).
pub fn scroll_overview(state: &mut State, lines: isize) {
    let most = overview_scroll_max(state);
    let pane = &mut state.overview;
    pane.scroll = pane.scroll.saturating_add_signed(lines).min(most);
}
