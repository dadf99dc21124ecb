//! The list's model: its query, the window of rows read, the selection,
//! and the reads in flight, changed through its methods.

use crate::api::model::Interview;
use crate::store::Window;

use super::Query;

/// The interview list of the current query: a window of rows read from
/// the store around what is on screen, so memory does not grow with the
/// study.
#[derive(Debug, Clone, Default)]
pub struct ListModel {
    /// What the list shows: filters, search, question, language, order.
    pub query: Query,
    /// The window of the list last read: its rows from `window.start`, the
    /// list's length, and the marks, hits and answers of its rows, as the
    /// store answered (one type from the read to the screen).
    pub window: Window,
    /// A window of this query has arrived (before that: "Loading…").
    pub loaded: bool,
    /// Bumped by every new query; answers tagged otherwise are dropped.
    pub generation: u64,
    /// The window being read (start, len), if any.
    pub in_flight: Option<(usize, usize)>,
    /// The store changed while a read was out: read again when it answers.
    pub stale: bool,
    /// The selected row (an index into the whole list).
    pub selected: usize,
    /// The id of the selected row when it was last seen, so the selection
    /// follows its interview when rows are added above it.
    pub selected_id: Option<String>,
    /// The first visible row.
    pub offset: usize,
    /// The last read failed with this.
    pub error: Option<String>,
    /// `G` while the sync still walks: keep the selection on the last row
    /// as rows arrive.
    pub to_end: bool,
    /// The interview the read in flight follows; cleared when the user
    /// moves meanwhile, so the answer cannot take the cursor back.
    pub following: Option<String>,
}

impl ListModel {
    /// The row at `index` of the list, if it is in the window.
    pub fn row(&self, index: usize) -> Option<&Interview> {
        index
            .checked_sub(self.window.start)
            .and_then(|i| self.window.rows.get(i))
    }

    /// Whether rows `from..to` are all in the window.
    pub fn covers(&self, from: usize, to: usize) -> bool {
        from >= self.window.start && to <= self.window.start + self.window.rows.len()
    }

    /// The selection within the list, and the rows shown around it: on
    /// the last row the line below it stays in view (it says whether more
    /// is loading, the list ended, or why it stopped).
    pub fn keep_selection_in_view(&mut self, viewport: usize) {
        if self.selected >= self.window.total {
            self.selected = self.window.total.saturating_sub(1);
        }
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + viewport {
            self.offset = self.selected + 1 - viewport;
        }
        if viewport >= 2
            && self.selected + 1 == self.window.total
            && self.selected + 2 > self.offset + viewport
        {
            self.offset = self.selected + 2 - viewport;
        }
    }

    /// A new query: answers to the ones before are dropped (by generation)
    /// and the list is loading again.
    pub fn begin_query(&mut self) {
        self.generation += 1;
        self.loaded = false;
        self.in_flight = None;
        self.stale = false;
        self.error = None;
        self.to_end = false;
    }

    /// A read of `len` rows from `start` goes out, following `follow`;
    /// returns the generation its answer must carry.
    pub fn asking(&mut self, start: usize, len: usize, follow: Option<String>) -> u64 {
        self.in_flight = Some((start, len));
        self.following = follow;
        self.generation
    }

    /// Whether rows `from..to` need a read: `false` when the window holds
    /// them, or when a read is out (marked stale if it will not cover
    /// them, so its answer asks again).
    pub fn needs_read(&mut self, from: usize, to: usize) -> bool {
        if self.covers(from, to) {
            return false;
        }
        if let Some((start, len)) = self.in_flight {
            if !(from >= start && to <= start + len) {
                self.stale = true;
            }
            return false;
        }
        true
    }

    /// Puts the cursor on `row` (clamped to the list); says whether it moved.
    /// Moving by hand stops following the end and the read in flight.
    pub fn select(&mut self, row: usize) -> bool {
        self.to_end = false;
        self.following = None;
        let row = row.min(self.window.total.saturating_sub(1));
        if row == self.selected || self.window.total == 0 {
            return false;
        }
        self.selected = row;
        self.selected_id = self.row(row).map(|i| i.id.clone());
        true
    }
}
