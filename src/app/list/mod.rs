//! The interview list: its query, the windows of rows read from the
//! store around what is on screen, the selection, and the detail the
//! selection asks for.

use crate::app::state::Network;
use std::time::Duration;

use crate::api::InterviewFilters;

use super::msg::Effect;
mod model;
mod query;

pub use model::ListModel;
pub use query::Query;

use super::state::{Level, Pane, State, StudyInfo, SyncView, notify};

/// How long the selection must rest before its detail is fetched.
pub const REST: Duration = Duration::from_millis(150);

/// Starts a study: its stored rows at once, its detail and sync state, and
/// a background sync unless this session has no network.
pub(super) fn open_study(state: &mut State, id: String) -> Vec<Effect> {
    state.study = Some(StudyInfo {
        id: id.clone(),
        ..StudyInfo::default()
    });
    // The marks, search, question, language and order filters stay from
    // the study before; the API's filters are the new study's.
    let query = Query {
        filters: InterviewFilters::for_study(id.clone()),
        ..std::mem::take(&mut state.list.query)
    };
    state.list = ListModel {
        query,
        generation: state.list.generation + 1,
        ..ListModel::default()
    };
    state.sync = SyncView {
        ephemeral: state.sync.ephemeral,
        // A study opened after an unreachable sync tries again.
        network: match state.sync.network {
            Network::Off => Network::Off,
            _ => Network::Online,
        },
        read_only: state.sync.read_only,
        ..SyncView::default()
    };
    reset_detail_view(state);
    state.search = None;
    // The first rows first: the study's detail and counts (a pass over a
    // large study) are asked for once they are on screen (window_loaded).
    let mut fx = vec![read_window(state, 0, None)];
    fx.extend(start_sync(state));
    // `uj` without a study opens this one next time.
    fx.push(Effect::RememberStudy { id });
    fx
}

/// A background sync of the open study, unless there is no network.
pub(super) fn start_sync(state: &mut State) -> Option<Effect> {
    let study = state.study.as_ref()?;
    if state.sync.network == Network::Off || state.sync.read_only {
        return None;
    }
    state.sync.running = true;
    state.sync.error = None;
    state.sync.listed = 0;
    state.sync.fetching = None;
    state.sync.walked = false;
    Some(Effect::Sync {
        study_id: study.id.clone(),
    })
}

/// `L`, once the study's languages (most common first) are read: the next
/// one, or all after the last.
pub(super) fn next_language(state: &mut State, languages: &[String]) -> Vec<Effect> {
    state.list.query.next_language(languages);
    if languages.is_empty() {
        notify(
            state,
            Level::Info,
            "no language to filter by: nothing stored says one".into(),
        );
        return Vec::new();
    }
    new_query(state)
}

/// The filters changed: read the list again from the store, keeping the
/// selected interview when it still matches. The rows shown stay until
/// the new ones arrive.
pub(super) fn new_query(state: &mut State) -> Vec<Effect> {
    let mut fx = refresh_overview(state);
    fx.push(window_for_query(state));
    fx
}

/// Counts the overview again when it is open (filters or the store changed).
pub(super) fn refresh_overview(state: &mut State) -> Vec<Effect> {
    if state.overview.is_open() && state.study.is_some() {
        vec![Effect::LoadOverview {
            read: state.overview.ask(),
            query: state.list.query.to_store(),
        }]
    } else {
        Vec::new()
    }
}

pub(super) fn window_for_query(state: &mut State) -> Effect {
    state.list.begin_query();
    let follow = state.list.selected_id.clone();
    read_window(state, 0, follow)
}

/// How many rows a read takes: a screen above and two below what shows.
pub(super) fn window_len(state: &State) -> usize {
    (state.list_viewport() * 3).max(60)
}

pub(super) fn read_window(state: &mut State, start: usize, follow: Option<String>) -> Effect {
    let len = window_len(state);
    let generation = state.list.asking(start, len, follow.clone());
    Effect::LoadWindow {
        generation,
        query: state.list.query.to_store(),
        start,
        len,
        follow,
    }
}

/// The store changed (a page or a detail was committed): read the window
/// again, following the selected interview wherever it now stands.
pub(super) fn store_changed(state: &mut State) -> Vec<Effect> {
    if state.study.is_none() {
        return Vec::new();
    }
    if state.list.in_flight.is_some() {
        state.list.stale = true;
        return Vec::new();
    }
    if state.list.to_end {
        // Following the end (`G` while the sync walks): read the last
        // rows, not wherever the interview once selected now stands.
        let start = state.list.window.total.saturating_sub(window_len(state));
        return vec![read_window(state, start, None)];
    }
    let start = state.list.offset.saturating_sub(state.list_viewport());
    let follow = state.list.selected_id.clone();
    vec![read_window(state, start, follow)]
}

/// Reads the rows on screen when the window does not hold them (one read
/// at a time; a move during a read asks again when it answers).
pub(super) fn ensure_window(state: &mut State) -> Vec<Effect> {
    let list = &state.list;
    if state.study.is_none() || !list.loaded || list.error.is_some() {
        return Vec::new();
    }
    let from = list.offset;
    let to = (from + state.list_viewport()).min(list.window.total);
    if !state.list.needs_read(from, to) {
        return Vec::new();
    }
    let start = from.saturating_sub(state.list_viewport());
    vec![read_window(state, start, None)]
}

pub(super) fn reset_detail_view(state: &mut State) {
    state.transcript.scroll = 0;
    state.transcript.highlight = None;
    state.answers.selected = 0;
    state.answers.scroll = 0;
    if state
        .search
        .as_ref()
        .is_some_and(|s| s.pane == Pane::Transcript)
    {
        state.search = None;
    }
}

/// The cursor moved to another interview: arm the rest timer unless its
/// detail is at hand.
pub(super) fn selection_changed(state: &mut State) -> Vec<Effect> {
    reset_detail_view(state);
    state.debounce += 1;
    match state.selected() {
        Some(i) if state.details.get(&i.id).is_none() && !state.details.is_asked(&i.id) => {
            vec![Effect::Debounce {
                token: state.debounce,
                delay: REST,
            }]
        }
        _ => Vec::new(),
    }
}

/// Fetches the selected interview's detail unless cached or already asked.
pub(super) fn fetch_selected(state: &mut State) -> Vec<Effect> {
    fetch_detail(state, false)
}

/// Asks for the selected interview's detail (`fresh`: from the API even
/// when stored or cached).
pub(super) fn fetch_detail(state: &mut State, fresh: bool) -> Vec<Effect> {
    let Some(id) = state.selected().map(|i| i.id.clone()) else {
        return Vec::new();
    };
    if !state.details.ask(&id, fresh) {
        return Vec::new();
    }
    vec![Effect::LoadDetail { id, fresh }]
}

/// Moves the cursor to `row` (clamped to the list). A row outside the
/// window is read first; its detail follows once it is here.
pub(super) fn select_row(state: &mut State, row: usize) -> Vec<Effect> {
    if !state.list.select(row) {
        return Vec::new();
    }
    if state.list.selected_id.is_none() {
        // Not read yet: the window's answer calls selection_changed.
        reset_detail_view(state);
        return Vec::new();
    }
    selection_changed(state)
}

pub(super) fn move_list(state: &mut State, delta: isize) -> Vec<Effect> {
    let target = state.list.selected.saturating_add_signed(delta);
    select_row(state, target)
}
