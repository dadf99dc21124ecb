//! `update(&mut State, Msg) -> Vec<Effect>`: every change to the browser's
//! state happens here, with no I/O, so tests call it directly.

use std::time::Duration;

use crate::api::InterviewFilters;
use crate::api::source::MAX_LIMIT;
use crate::api::walk::{CursorWalk, WalkState};

use super::input;
use super::msg::{Effect, Msg};
use super::state::{Level, Notice, Overlay, Pane, Picker, State, StudyInfo};
use super::transcript::{wrap_answers, wrap_transcript};

/// How long the selection must rest before its detail is fetched.
pub const REST: Duration = Duration::from_millis(150);

/// The effects to start with: the first page and the study's detail, or
/// the study picker when no study is given.
pub fn init(state: &mut State, study: Option<String>) -> Vec<Effect> {
    match study {
        Some(id) => open_study(state, id),
        None => {
            state.overlay = Overlay::Picker(Picker::default());
            vec![Effect::LoadStudies]
        }
    }
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut fx = match msg {
        Msg::Key(key) => input::on_key(state, key),
        Msg::Mouse(m) => input::on_mouse(state, m),
        Msg::Resize { width, height } => {
            state.width = width;
            state.height = height;
            Vec::new()
        }
        Msg::StudiesLoaded(result) => {
            if let Overlay::Picker(p) = &mut state.overlay {
                p.studies = Some(result.map_err(|e| e.to_string()));
                p.selected = 0;
            }
            Vec::new()
        }
        Msg::StudyLoaded { id, result } => {
            match (&mut state.study, result) {
                (Some(s), Ok(d)) if s.id == id => {
                    s.name = d.name;
                    s.total = d.interview_count;
                }
                (Some(s), Err(e)) if s.id == id => {
                    notify(state, Level::Warn, format!("study details: {e}"));
                }
                _ => {}
            }
            Vec::new()
        }
        Msg::PageLoaded { generation, result } => {
            if generation != state.list.generation {
                // An answer to a query the user has since replaced.
                return Vec::new();
            }
            state.list.in_flight = false;
            match result {
                Ok(page) => {
                    let before = state.selected().map(|i| i.id.clone());
                    if state.list.replacing {
                        // A reload's first page replaces what was shown.
                        state.list.replacing = false;
                        state.list.rows.clear();
                    }
                    let fresh = state.list.walk.accept(page);
                    state.list.rows.extend(fresh);
                    state.list.error = None;
                    if let Some(id) = before.as_ref() {
                        state.list.selected = state
                            .list
                            .rows
                            .iter()
                            .position(|i| &i.id == id)
                            .unwrap_or(0);
                    }
                    if let WalkState::Stopped(why) = state.list.walk.state() {
                        state.list.warning = Some(why.to_string());
                        state.list.to_end = false;
                        notify(state, Level::Warn, why.to_string());
                    }
                    if state.list.to_end {
                        state.list.selected = state.list.rows.len().saturating_sub(1);
                        if !state.list.walk.has_more() {
                            state.list.to_end = false;
                        }
                    }
                    if state.selected().map(|i| &i.id) != before.as_ref() {
                        selection_changed(state)
                    } else {
                        Vec::new()
                    }
                }
                Err(e) => {
                    state.list.to_end = false;
                    let text = e.to_string();
                    notify(
                        state,
                        Level::Error,
                        format!("interviews (press r to retry): {text}"),
                    );
                    state.list.error = Some(text);
                    Vec::new()
                }
            }
        }
        Msg::DetailLoaded { id, result } => {
            state.detail_in_flight.remove(&id);
            match result {
                Ok(detail) => {
                    state.detail_errors.remove(&id);
                    state.details.insert(detail);
                }
                Err(e) => {
                    state.detail_errors.insert(id, e.to_string());
                }
            }
            Vec::new()
        }
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
            state.quit = true;
            return vec![Effect::Quit];
        }
    };
    fx.extend(prefetch(state));
    refresh_views(state);
    fx
}

pub(super) fn notify(state: &mut State, level: Level, text: String) {
    state.notice = Some(Notice { level, text });
}

/// Starts a study: its first page at once and its detail beside it.
pub(super) fn open_study(state: &mut State, id: String) -> Vec<Effect> {
    state.study = Some(StudyInfo {
        id: id.clone(),
        ..StudyInfo::default()
    });
    state.filters = InterviewFilters::for_study(id.clone());
    let mut fx = new_query(state);
    // After the first page, so the total never delays the rows.
    fx.push(Effect::LoadStudy { id });
    fx
}

/// Starts the current filters from the first page; older answers are
/// dropped by generation.
pub(super) fn new_query(state: &mut State) -> Vec<Effect> {
    state.list.rows.clear();
    restart_query(state)
}

/// Starts the query again from the first page, leaving the rows on screen
/// until the first page replaces them (so a failed reload loses nothing).
pub(super) fn restart_query(state: &mut State) -> Vec<Effect> {
    let list = &mut state.list;
    list.generation += 1;
    list.replacing = !list.rows.is_empty();
    list.walk = CursorWalk::default();
    list.in_flight = false;
    if !list.replacing {
        list.selected = 0;
        list.offset = 0;
    }
    list.error = None;
    list.warning = None;
    list.to_end = false;
    if state.search.as_ref().is_some_and(|s| s.pane == Pane::List) {
        state.search = None;
    }
    if !state.list.replacing {
        reset_detail_view(state);
    }
    prefetch(state)
}

/// Asks for the next page when the selection comes within one screen of
/// the last loaded row (or `G` is walking), one request at a time.
fn prefetch(state: &mut State) -> Vec<Effect> {
    let list = &state.list;
    if state.study.is_none() || list.in_flight || !list.walk.has_more() || list.error.is_some() {
        return Vec::new();
    }
    let near_end = list.selected + state.list_viewport() >= list.rows.len();
    if !(list.rows.is_empty() || list.replacing || near_end || list.to_end) {
        return Vec::new();
    }
    state.list.in_flight = true;
    vec![Effect::LoadPage {
        generation: state.list.generation,
        filters: state.filters.clone(),
        cursor: state.list.walk.cursor().map(str::to_string),
        limit: if state.list.to_end {
            MAX_LIMIT
        } else {
            state.page_size
        },
    }]
}

fn reset_detail_view(state: &mut State) {
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
fn selection_changed(state: &mut State) -> Vec<Effect> {
    reset_detail_view(state);
    state.debounce += 1;
    match state.selected() {
        Some(i)
            if state.details.get(&i.id).is_none() && !state.detail_in_flight.contains(&i.id) =>
        {
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
    let Some(id) = state.selected().map(|i| i.id.clone()) else {
        return Vec::new();
    };
    if state.details.get(&id).is_some() || state.detail_in_flight.contains(&id) {
        return Vec::new();
    }
    state.detail_errors.remove(&id);
    state.detail_in_flight.insert(id.clone());
    vec![Effect::LoadDetail { id }]
}

pub(super) fn select_row(state: &mut State, row: usize) -> Vec<Effect> {
    let last = state.list.rows.len().saturating_sub(1);
    let row = row.min(last);
    if row == state.list.selected || state.list.rows.is_empty() {
        return Vec::new();
    }
    state.list.selected = row;
    selection_changed(state)
}

pub(super) fn move_list(state: &mut State, delta: isize) -> Vec<Effect> {
    let target = state.list.selected.saturating_add_signed(delta);
    select_row(state, target)
}

pub(super) fn scroll_transcript(state: &mut State, delta: isize) {
    let lines = state
        .transcript
        .wrapped
        .as_ref()
        .map_or(0, |w| w.lines.len());
    let max = lines.saturating_sub(state.transcript_viewport());
    state.transcript.scroll = state
        .transcript
        .scroll
        .saturating_add_signed(delta)
        .min(max);
}

pub(super) fn move_answer(state: &mut State, delta: isize) {
    let count = state.shown_detail().map_or(0, |d| d.question_answers.len());
    if count == 0 {
        return;
    }
    state.answers.selected = state
        .answers
        .selected
        .saturating_add_signed(delta)
        .min(count - 1);
}

/// Keeps derived view data in step with the state: wrapped lines for the
/// shown interview at the current width and mode, and scroll offsets that
/// keep the selection visible. Wrapping reruns only when its inputs change.
pub fn refresh_views(state: &mut State) {
    let viewport = state.list_viewport();
    let list = &mut state.list;
    if list.selected >= list.rows.len() {
        list.selected = list.rows.len().saturating_sub(1);
    }
    if list.selected < list.offset {
        list.offset = list.selected;
    } else if list.selected >= list.offset + viewport {
        list.offset = list.selected + 1 - viewport;
    }
    // On the last row, keep the line below it in view: it says whether
    // more is loading, the list ended, or why it stopped.
    if viewport >= 2
        && list.selected + 1 == list.rows.len()
        && list.selected + 2 > list.offset + viewport
    {
        list.offset = list.selected + 2 - viewport;
    }

    let mode = state.transcript.mode;
    let widths = state
        .text_width(Pane::Transcript)
        .zip(state.text_width(Pane::Answers));
    match (state.shown_detail().cloned(), widths) {
        (Some(detail), Some((width, a_width))) => {
            let stale =
                state.transcript.wrapped.as_ref().is_none_or(|w| {
                    w.id != detail.interview.id || w.width != width || w.mode != mode
                });
            if stale {
                state.transcript.wrapped = Some(wrap_transcript(&detail, width, mode));
            }
            // One column is the selection marker.
            let a_width = a_width.saturating_sub(1).max(1);
            let key = (detail.interview.id.clone(), a_width, mode);
            if state.answers.wrapped_for.as_ref() != Some(&key) {
                state.answers.wrapped = wrap_answers(&detail, a_width, mode);
                state.answers.wrapped_for = Some(key);
            }
        }
        // Too small to show, or nothing to show: nothing to wrap.
        (Some(_), None) => {}
        (None, _) => {
            state.transcript.wrapped = None;
            state.answers.wrapped_for = None;
            state.answers.wrapped = Default::default();
        }
    }
    // Clamp the transcript scroll to its content.
    scroll_transcript(state, 0);
    // Keep the selected answer's first line in view.
    let a_view = state.viewport(Pane::Answers);
    let answers = &mut state.answers;
    if let Some(&start) = answers.wrapped.starts.get(answers.selected) {
        let end = answers
            .wrapped
            .starts
            .get(answers.selected + 1)
            .copied()
            .unwrap_or(answers.wrapped.lines.len());
        if start < answers.scroll {
            answers.scroll = start;
        } else if end > answers.scroll + a_view {
            answers.scroll = end.saturating_sub(a_view).min(start);
        }
    } else {
        answers.scroll = 0;
    }
}
