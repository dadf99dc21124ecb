//! `update(&mut State, Msg) -> Vec<Effect>`: every change to the browser's
//! state happens here, with no I/O, so tests call it directly.

use crate::app::state::Network;
use crate::sync::Progress;

use super::input;
use super::line_edit::LineEdit;
use super::list::{
    ensure_window, fetch_selected, open_study, refresh_overview, selection_changed, store_changed,
};
use super::msg::{Effect, Msg, SyncEnd, Window};
use super::state::{Level, Overlay, Pane, Search, State, StudyPicker, notify};
use super::viewport::refresh_views;

pub use super::list::REST;

/// The effects to start with: the first page and the study's detail, or
/// the study picker when no study is given.
pub fn init(state: &mut State, study: Option<String>) -> Vec<Effect> {
    match study {
        Some(id) => open_study(state, id),
        None => {
            state.overlay = Overlay::Picker(StudyPicker::default());
            vec![Effect::LoadStudies]
        }
    }
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut fx = match msg {
        Msg::Key(key) => input::on_key(state, key),
        Msg::Mouse(m) => input::on_mouse(state, m),
        Msg::Paste(text) => input::on_paste(state, &text),
        Msg::Resize { width, height } => {
            state.width = width;
            state.height = height;
            Vec::new()
        }
        Msg::StudiesLoaded {
            result,
            counts,
            offline,
        } => studies_loaded(state, result, counts, offline),
        Msg::StudyLoaded { id, result } => study_loaded(state, id, result),
        Msg::WindowLoaded { generation, result } => window_answer(state, generation, result),
        Msg::LanguagesLoaded { study_id, result } => languages_loaded(state, study_id, result),
        Msg::RefreshDue => {
            state.sync.refresh_pending = false;
            store_changed(state)
        }
        Msg::StoreChangedElsewhere => changed_elsewhere(state),
        msg @ (Msg::CodingLoaded { .. }
        | Msg::Coded(_)
        | Msg::Restored { .. }
        | Msg::BoardLoaded { .. }
        | Msg::BoardEnglish { .. }
        | Msg::MatrixLoaded { .. }) => super::coding::on_message(state, msg),
        Msg::BulkMarked(result) => super::bulk::on_marked(state, result),
        msg @ (Msg::ViewsCounted(_) | Msg::ViewSaved { .. }) => {
            super::views::on_message(state, msg)
        }
        Msg::TagsLoaded(result) => {
            if let Some(p) = &mut state.prompt {
                // Completion is a help: without it the prompt still works.
                p.choices = result.unwrap_or_default();
            }
            Vec::new()
        }
        Msg::QuestionsLoaded(result) => {
            if let Overlay::Questions(p) = &mut state.overlay {
                p.list.items = result.into();
            }
            Vec::new()
        }
        Msg::OverviewLoaded { read, result } => {
            state.overview.answered(read, result);
            Vec::new()
        }
        Msg::HitsLoaded { id, query, result } => hits_loaded(state, id, query, result),
        Msg::Marked { id, result } => marked(state, id, result),
        Msg::DetailLoaded { id, result } => detail_loaded(state, id, result),
        Msg::SyncProgress(progress) => sync_progress(state, progress),
        Msg::SyncEnded { study_id, end } => sync_ended(state, study_id, end),
        Msg::SelectionRested { token } => {
            if token == state.debounce {
                fetch_selected(state)
            } else {
                Vec::new()
            }
        }
        Msg::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::Resumed => Vec::new(),
        Msg::Terminate => {
            return vec![Effect::Quit];
        }
    };
    fx.extend(super::coding::follow_shown(state));
    refresh_views(state);
    input::jump_if_pending(state);
    super::coding::jump_if_pending(state);
    fx.extend(ensure_window(state));
    fx
}

/// The study's languages, asked for by `L` the first time.
fn languages_loaded(
    state: &mut State,
    study_id: String,
    result: Result<Vec<String>, crate::mirror::MirrorError>,
) -> Vec<Effect> {
    if !is_open(state, &study_id) {
        return Vec::new();
    }
    match result {
        Ok(languages) => super::list::next_language(state, &languages),
        Err(e) => {
            notify(state, Level::Warn, format!("languages: {e}"));
            Vec::new()
        }
    }
}

/// Another process (or our own sync) wrote the store.
fn changed_elsewhere(state: &mut State) -> Vec<Effect> {
    let mut fx = super::list::store_changed(state);
    // While our own sync writes, the watch hears it every 2 s: the
    // overview (a pass over the study) is counted again when the sync
    // ends, not on each.
    if !state.sync.running {
        fx.extend(super::list::refresh_overview(state));
    }
    fx
}

/// The study picker's list, opened on the study in use.
fn studies_loaded(
    state: &mut State,
    result: Result<Vec<crate::api::model::Study>, crate::mirror::MirrorError>,
    counts: std::collections::HashMap<String, super::msg::StudyCount>,
    offline: bool,
) -> Vec<Effect> {
    if let Overlay::Picker(p) = &mut state.overlay {
        p.counts = counts;
        p.offline = offline;
        // Open on the study in use, so Enter at once changes nothing.
        let current = state.study.as_ref().map(|s| s.id.as_str());
        p.list.selected = match &result {
            Ok(studies) => studies
                .iter()
                .position(|s| Some(s.id.as_str()) == current)
                .unwrap_or(0),
            Err(_) => 0,
        };
        p.list.items = result.into();
    }
    Vec::new()
}

/// A mark's change, shown only now that it is committed.
fn marked(
    state: &mut State,
    id: String,
    result: Result<(crate::store::Marks, crate::store::Step), crate::mirror::MirrorError>,
) -> Vec<Effect> {
    match result {
        Ok((marks, step)) => {
            state.list.window.marks.insert(id, marks);
            state.coding.did(step);
        }
        Err(e) => notify(state, Level::Error, format!("marks not saved: {e}")),
    }
    // Counts, and filters by marks, come from the store.
    store_changed(state)
}

/// What `LoadStudy` answers: the study's stored detail and sync state.
type StudyAnswer = Result<
    (
        Option<crate::api::model::StudyDetail>,
        Option<crate::store::SyncState>,
    ),
    crate::mirror::MirrorError,
>;

/// The open study's detail and sync state, for the top bar.
fn study_loaded(state: &mut State, id: String, result: StudyAnswer) -> Vec<Effect> {
    match (&mut state.study, result) {
        (Some(s), Ok((detail, sync))) if s.id == id => {
            if let Some(d) = detail {
                s.name = d.name;
                s.total = d.interview_count;
                state.sync.expected = state.sync.expected.or(d.interview_count);
            }
            if let Some(y) = sync {
                // A walk reached the end once: the whole list is here.
                state.sync.complete |= y.walk_done || y.last_synced.is_some();
                state.sync.transcripts = Some((y.transcripts, y.interviews));
                state.sync.last_synced = y.last_synced;
            }
        }
        (Some(s), Err(e)) if s.id == id => {
            notify(state, Level::Warn, format!("study details: {e}"));
        }
        _ => {}
    }
    Vec::new()
}

/// A window of the list, or why it could not be read.
fn window_answer(
    state: &mut State,
    generation: u64,
    result: Result<super::msg::Window, crate::mirror::MirrorError>,
) -> Vec<Effect> {
    if generation != state.list.generation {
        // An answer to a query the user has since replaced.
        return Vec::new();
    }
    state.list.in_flight = None;
    match result {
        Ok(window) => window_loaded(state, window),
        Err(e) => {
            notify(
                state,
                Level::Error,
                format!(
                    "interviews (press {} to retry): {e}",
                    state.keys.pane_key(&super::keymap::Action::SyncAgain)
                ),
            );
            state.list.error = Some(e.to_string());
            Vec::new()
        }
    }
}

/// The matches of the list's search in the interview shown, if it still is.
fn hits_loaded(
    state: &mut State,
    id: String,
    query: String,
    result: Result<Vec<usize>, crate::mirror::MirrorError>,
) -> Vec<Effect> {
    let current = state.selected().is_some_and(|i| i.id == id)
        && state.list.query.search_words().as_deref() == Some(query.as_str());
    match result {
        Ok(matches) if current => {
            state.search = Some(Search {
                pane: Pane::Transcript,
                query: LineEdit::new(query),
                editing: false,
                matches,
                current: 0,
                jump_pending: true,
            });
        }
        Err(e) if current => notify(state, Level::Error, format!("search: {e}")),
        _ => {}
    }
    Vec::new()
}

/// An interview's transcript and answers, or why they are not here.
fn detail_loaded(
    state: &mut State,
    id: String,
    result: Result<crate::api::model::InterviewDetail, crate::mirror::MirrorError>,
) -> Vec<Effect> {
    state.details.arrived(id, result);
    Vec::new()
}

/// How often a search in force is read again while a sync stores
/// transcripts.
pub const SEARCH_REFRESH: std::time::Duration = std::time::Duration::from_millis(500);

fn is_open(state: &State, study_id: &str) -> bool {
    state.study.as_ref().is_some_and(|s| s.id == study_id)
}

fn sync_progress(state: &mut State, progress: Progress) -> Vec<Effect> {
    match progress {
        Progress::Started {
            study_id,
            name,
            total,
        } if is_open(state, &study_id) => {
            if let Some(s) = &mut state.study {
                s.name = name.or(s.name.take());
                s.total = total.or(s.total);
            }
            state.sync.expected = total;
            Vec::new()
        }
        Progress::Listed { study_id, listed } if is_open(state, &study_id) => {
            state.sync.listed = listed;
            store_changed(state)
        }
        Progress::Transcripts {
            study_id,
            stored,
            listed,
            ..
        } if is_open(state, &study_id) => {
            state.sync.fetching = Some((stored, listed));
            // A search finds what the new transcripts say: read it again,
            // at most twice a second.
            if state.list.query.search.is_some() && !state.sync.refresh_pending {
                state.sync.refresh_pending = true;
                return vec![Effect::RefreshSoon {
                    delay: SEARCH_REFRESH,
                }];
            }
            Vec::new()
        }
        Progress::Walked { study_id } if is_open(state, &study_id) => {
            state.sync.walked = true;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn sync_ended(state: &mut State, study_id: String, end: SyncEnd) -> Vec<Effect> {
    if !is_open(state, &study_id) {
        return Vec::new();
    }
    // `G` keeps following the end until the reads the sync's end asks
    // for are in (see window_loaded).
    state.sync.running = false;
    match end {
        SyncEnd::Done(summary) => {
            if state.sync.network == Network::Unreachable {
                state.sync.network = Network::Online;
            }
            state.sync.complete |= summary.complete;
            if let Some(w) = summary.warning {
                notify(state, Level::Warn, w);
            }
        }
        SyncEnd::Unreachable(e) => {
            if state.sync.network == Network::Online {
                state.sync.network = Network::Unreachable;
            }
            notify(
                state,
                Level::Warn,
                format!(
                    "offline, showing what is stored (press {} to retry): {e}",
                    state.keys.pane_key(&super::keymap::Action::SyncAgain)
                ),
            );
            state.sync.error = Some(e);
        }
        SyncEnd::Unknown(e) => {
            notify(
                state,
                Level::Error,
                format!(
                    "{e}: press {} to choose another study",
                    state.keys.pane_key(&super::keymap::Action::SwitchStudy)
                ),
            );
            state.sync.error = Some(e);
        }
        SyncEnd::Failed(e) => {
            let retry = state.keys.pane_key(&super::keymap::Action::SyncAgain);
            notify(
                state,
                Level::Error,
                format!("sync (press {retry} to retry): {e}"),
            );
            state.sync.error = Some(e);
        }
    }
    let mut fx = store_changed(state);
    fx.extend(refresh_overview(state));
    // The store now says when the study was last synced.
    fx.push(Effect::LoadStudy { id: study_id });
    fx
}

fn window_loaded(state: &mut State, window: Window) -> Vec<Effect> {
    let list = &mut state.list;
    let first = !list.loaded;
    list.loaded = true;
    list.error = None;
    let followed = window.followed;
    list.window = window;
    // Follow only if the cursor is still where the read was asked from.
    let followed = followed.filter(|_| {
        list.following
            .take()
            .is_some_and(|f| list.selected_id.as_ref() == Some(&f))
    });
    if let Some(at) = followed {
        // Rows came or went above the selection: the cursor stays on its
        // interview, and so do the rows on screen, unless the list was
        // scrolled to the top: new interviews then show up there.
        let delta = at as isize - list.selected as isize;
        list.selected = at;
        if list.offset > 0 {
            list.offset = list.offset.saturating_add_signed(delta);
        }
    } else if first {
        list.selected = 0;
        list.offset = 0;
    }
    if list.to_end {
        list.selected = list.window.total.saturating_sub(1);
    }
    list.selected = list.selected.min(list.window.total.saturating_sub(1));
    let mut fx = Vec::new();
    if first && let Some(study) = &state.study {
        fx.push(Effect::LoadStudy {
            id: study.id.clone(),
        });
    }
    let stale = std::mem::take(&mut state.list.stale);
    if stale {
        fx.extend(store_changed(state));
    } else if !state.sync.running {
        // The sync is over and this read saw its last page: the end no
        // longer moves.
        state.list.to_end = false;
    }
    let now = state.selected().map(|i| i.id.clone());
    if now.is_some() && now != state.list.selected_id {
        state.list.selected_id = now;
        fx.extend(selection_changed(state));
    } else if let Some(row) = state.selected()
        && state
            .details
            .get(&row.id)
            .is_some_and(|d| d.interview != *row)
    {
        // The sync updated this interview: its detail follows.
        let id = row.id.clone();
        state.details.forget(&id);
        fx.extend(fetch_selected(state));
    }
    fx
}
