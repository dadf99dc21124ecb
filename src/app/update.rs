//! `update(&mut State, Msg) -> Vec<Effect>`: every change to the browser's
//! state happens here, with no I/O, so tests call it directly.

use std::time::Duration;

use crate::api::InterviewFilters;
use crate::sync::Progress;

use super::input;
use super::line_edit::LineEdit;
use super::msg::{Effect, Msg, SyncEnd, Window};
use super::state::{
    Level, ListState, Notice, Overlay, Pane, Picker, Search, State, StudyInfo, SyncView,
};
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
        Msg::Paste(text) => input::on_paste(state, &text),
        Msg::Resize { width, height } => {
            state.width = width;
            state.height = height;
            Vec::new()
        }
        Msg::StudiesLoaded { result, counts } => {
            if let Overlay::Picker(p) = &mut state.overlay {
                p.counts = counts;
                // Open on the study in use, so Enter at once changes nothing.
                let current = state.study.as_ref().map(|s| s.id.as_str());
                p.selected = match &result {
                    Ok(studies) => studies
                        .iter()
                        .position(|s| Some(s.id.as_str()) == current)
                        .unwrap_or(0),
                    Err(_) => 0,
                };
                p.studies = Some(result);
            }
            Vec::new()
        }
        Msg::StudyLoaded { id, result } => {
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
        Msg::WindowLoaded { generation, result } => {
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
                        format!("interviews (press r to retry): {e}"),
                    );
                    state.list.error = Some(e);
                    Vec::new()
                }
            }
        }
        Msg::QuestionsLoaded(result) => {
            if let Overlay::Questions(p) = &mut state.overlay {
                p.questions = Some(result);
            }
            Vec::new()
        }
        Msg::OverviewLoaded(result) => {
            if state.overview.is_some() {
                state.overview = Some(Some(result));
            }
            Vec::new()
        }
        Msg::HitsLoaded { id, query, result } => {
            let current = state.selected().is_some_and(|i| i.id == id)
                && state.list_search.as_deref() == Some(query.as_str());
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
        Msg::Marked { id, result } => {
            match result {
                // Shown only now that it is committed.
                Ok(marks) => {
                    state.list.marks.insert(id, marks);
                }
                Err(e) => notify(state, Level::Error, format!("marks not saved: {e}")),
            }
            // Counts, and filters by marks, come from the store.
            store_changed(state)
        }
        Msg::DetailLoaded { id, result } => {
            state.detail_in_flight.remove(&id);
            match result {
                Ok(detail) => {
                    state.detail_errors.remove(&id);
                    state.details.insert(detail);
                }
                Err(e) => {
                    state.detail_errors.insert(id, e);
                }
            }
            Vec::new()
        }
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
            state.quit = true;
            return vec![Effect::Quit];
        }
    };
    refresh_views(state);
    input::jump_if_pending(state);
    fx.extend(ensure_window(state));
    fx
}

pub(super) fn notify(state: &mut State, level: Level, text: String) {
    state.notice = Some(Notice { level, text });
}

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
        Progress::Details {
            study_id,
            done,
            queued,
        } if is_open(state, &study_id) => {
            state.sync.details = (done, queued);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn sync_ended(state: &mut State, study_id: String, end: SyncEnd) -> Vec<Effect> {
    if !is_open(state, &study_id) {
        return Vec::new();
    }
    state.sync.running = false;
    state.list.to_end = false;
    match end {
        SyncEnd::Done(summary) => {
            state.sync.offline = false;
            state.sync.complete |= summary.complete;
            if let Some(w) = summary.warning {
                notify(state, Level::Warn, w);
            }
        }
        SyncEnd::Unreachable(e) => {
            state.sync.offline = true;
            notify(
                state,
                Level::Warn,
                format!("offline, showing what is stored (press r to retry): {e}"),
            );
            state.sync.error = Some(e);
        }
        SyncEnd::Failed(e) => {
            notify(state, Level::Error, format!("sync (press r to retry): {e}"));
            state.sync.error = Some(e);
        }
    }
    let mut fx = store_changed(state);
    fx.extend(refresh_overview(state));
    // The store now says when the study was last synced.
    fx.push(Effect::LoadStudy { id: study_id });
    fx
}

/// Starts a study: its stored rows at once, its detail and sync state, and
/// a background sync unless this session has no network.
pub(super) fn open_study(state: &mut State, id: String) -> Vec<Effect> {
    state.study = Some(StudyInfo {
        id: id.clone(),
        ..StudyInfo::default()
    });
    state.filters = InterviewFilters::for_study(id.clone());
    state.list = ListState {
        generation: state.list.generation + 1,
        ..ListState::default()
    };
    state.sync = SyncView {
        ephemeral: state.sync.ephemeral,
        no_network: state.sync.no_network,
        offline: state.sync.no_network,
        ..SyncView::default()
    };
    reset_detail_view(state);
    state.search = None;
    let mut fx = vec![read_window(state, 0, None)];
    fx.push(Effect::LoadStudy { id: id.clone() });
    fx.extend(start_sync(state));
    fx
}

/// A background sync of the open study, unless there is no network.
pub(super) fn start_sync(state: &mut State) -> Option<Effect> {
    let study = state.study.as_ref()?;
    if state.sync.no_network {
        return None;
    }
    state.sync.running = true;
    state.sync.error = None;
    state.sync.listed = 0;
    state.sync.details = (0, 0);
    Some(Effect::Sync {
        study_id: study.id.clone(),
    })
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
    if state.overview.is_some() && state.study.is_some() {
        vec![Effect::LoadOverview {
            query: state.query(),
        }]
    } else {
        Vec::new()
    }
}

fn window_for_query(state: &mut State) -> Effect {
    state.list.generation += 1;
    state.list.loaded = false;
    state.list.in_flight = None;
    state.list.stale = false;
    state.list.error = None;
    state.list.to_end = false;
    let follow = state.list.selected_id.clone();
    read_window(state, 0, follow)
}

/// How many rows a read takes: a screen above and two below what shows.
fn window_len(state: &State) -> usize {
    (state.list_viewport() * 3).max(60)
}

fn read_window(state: &mut State, start: usize, follow: Option<String>) -> Effect {
    let len = window_len(state);
    state.list.in_flight = Some((start, len));
    state.list.following = follow.clone();
    Effect::LoadWindow {
        generation: state.list.generation,
        query: state.query(),
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
    let start = state.list.offset.saturating_sub(state.list_viewport());
    let follow = state.list.selected_id.clone();
    vec![read_window(state, start, follow)]
}

/// Reads the rows on screen when the window does not hold them (one read
/// at a time; a move during a read asks again when it answers).
fn ensure_window(state: &mut State) -> Vec<Effect> {
    let list = &state.list;
    if state.study.is_none() || !list.loaded || list.error.is_some() {
        return Vec::new();
    }
    let from = list.offset;
    let to = (from + state.list_viewport()).min(list.total);
    if list.covers(from, to) {
        return Vec::new();
    }
    if let Some((start, len)) = list.in_flight {
        if !(from >= start && to <= start + len) {
            state.list.stale = true;
        }
        return Vec::new();
    }
    let start = from.saturating_sub(state.list_viewport());
    vec![read_window(state, start, None)]
}

fn window_loaded(state: &mut State, window: Window) -> Vec<Effect> {
    let list = &mut state.list;
    let first = !list.loaded;
    list.loaded = true;
    list.error = None;
    list.total = window.total;
    list.window_start = window.start;
    list.rows = window.rows;
    list.marks = window.marks;
    list.hits = window.hits;
    list.stored = window.stored;
    list.answers = window.answers;
    list.answered = window.answered;
    list.reviewed = window.reviewed;
    list.starred = window.starred;
    // Follow only if the cursor is still where the read was asked from.
    let followed = window.followed.filter(|_| {
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
        list.selected = list.total.saturating_sub(1);
    }
    list.selected = list.selected.min(list.total.saturating_sub(1));
    let mut fx = Vec::new();
    if std::mem::take(&mut state.list.stale) {
        fx.extend(store_changed(state));
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
        state.details.remove(&id);
        fx.extend(fetch_selected(state));
    }
    fx
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
    fetch_detail(state, false)
}

/// Asks for the selected interview's detail (`fresh`: from the API even
/// when stored or cached).
pub(super) fn fetch_detail(state: &mut State, fresh: bool) -> Vec<Effect> {
    let Some(id) = state.selected().map(|i| i.id.clone()) else {
        return Vec::new();
    };
    if (!fresh && state.details.get(&id).is_some()) || state.detail_in_flight.contains(&id) {
        return Vec::new();
    }
    state.detail_errors.remove(&id);
    state.detail_in_flight.insert(id.clone());
    vec![Effect::LoadDetail { id, fresh }]
}

/// Moves the cursor to `row` (clamped to the list). A row outside the
/// window is read first; its detail follows once it is here.
pub(super) fn select_row(state: &mut State, row: usize) -> Vec<Effect> {
    state.list.to_end = false;
    state.list.following = None;
    let last = state.list.total.saturating_sub(1);
    let row = row.min(last);
    if row == state.list.selected || state.list.total == 0 {
        return Vec::new();
    }
    state.list.selected = row;
    let now = state.selected().map(|i| i.id.clone());
    state.list.selected_id = now.clone();
    if now.is_none() {
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

/// The lines `start..end` of answer `n` in the answers pane.
fn answer_span(state: &State, n: usize) -> Option<(usize, usize)> {
    let w = &state.answers.wrapped;
    let start = *w.starts.get(n)?;
    let end = w.starts.get(n + 1).copied().unwrap_or(w.lines.len());
    Some((start, end))
}

/// Scrolls the answers pane the least that shows the selected answer:
/// whole when it fits, else from its first line.
pub(super) fn reveal_answer(state: &mut State) {
    let Some((start, end)) = answer_span(state, state.answers.selected) else {
        return;
    };
    let view = state.viewport(Pane::Answers);
    let a = &mut state.answers;
    if end - start <= view {
        if start < a.scroll {
            a.scroll = start;
        } else if end > a.scroll + view {
            a.scroll = end - view;
        }
    } else if end <= a.scroll || start >= a.scroll + view {
        a.scroll = start;
    }
}

/// `j`/`k` in Answers: a line at a time through an answer taller than the
/// pane, else to the next / previous answer, so every line is reachable.
pub(super) fn step_answer(state: &mut State, delta: isize) {
    let count = state.answers.wrapped.starts.len();
    let Some((start, end)) = answer_span(state, state.answers.selected) else {
        return;
    };
    let view = state.viewport(Pane::Answers);
    let a = &mut state.answers;
    if delta > 0 {
        if end > a.scroll + view {
            a.scroll += 1;
            return;
        }
        if a.selected + 1 >= count {
            return;
        }
        a.selected += 1;
    } else {
        if start < a.scroll {
            a.scroll -= 1;
            return;
        }
        if a.selected == 0 {
            return;
        }
        a.selected -= 1;
    }
    let Some((s, e)) = answer_span(state, state.answers.selected) else {
        return;
    };
    if e - s > view {
        // A tall answer is entered at the side the user comes from.
        state.answers.scroll = if delta > 0 { s } else { e - view };
    } else {
        reveal_answer(state);
    }
}

/// Pages the answers pane by `lines`; the selection follows to the answer
/// at the top of what is shown (the last one at the very end).
pub(super) fn page_answers(state: &mut State, lines: isize) {
    let w = &state.answers.wrapped;
    let count = w.starts.len();
    if count == 0 {
        return;
    }
    let view = state.viewport(Pane::Answers);
    let most = w.lines.len().saturating_sub(view);
    let before = state.answers.scroll;
    let scroll = before.saturating_add_signed(lines).min(most);
    let mut pick = w.starts.partition_point(|&s| s <= scroll).saturating_sub(1);
    if scroll == before {
        // Against an end: the selection still moves there.
        pick = if lines > 0 { count - 1 } else { 0 };
    }
    state.answers.selected = pick;
    state.answers.scroll = scroll;
}

/// `g` / `G` in Answers.
pub(super) fn answers_to_end(state: &mut State, last: bool) {
    let count = state.answers.wrapped.starts.len();
    if count == 0 {
        return;
    }
    let view = state.viewport(Pane::Answers);
    if last {
        state.answers.selected = count - 1;
        state.answers.scroll = state.answers.wrapped.lines.len().saturating_sub(view);
    } else {
        state.answers.selected = 0;
        state.answers.scroll = 0;
    }
}

/// Keeps derived view data in step with the state: wrapped lines for the
/// shown interview at the current width and mode, and scroll offsets that
/// keep the selection visible. Wrapping reruns only when its inputs change.
pub fn refresh_views(state: &mut State) {
    let viewport = state.list_viewport();
    let list = &mut state.list;
    if list.selected >= list.total {
        list.selected = list.total.saturating_sub(1);
    }
    if list.selected < list.offset {
        list.offset = list.selected;
    } else if list.selected >= list.offset + viewport {
        list.offset = list.selected + 1 - viewport;
    }
    // On the last row, keep the line below it in view: it says whether
    // more is loading, the list ended, or why it stopped.
    if viewport >= 2
        && list.selected + 1 == list.total
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
    // Within the content, and never scrolled off the selected answer.
    let a_view = state.viewport(Pane::Answers);
    let most = state.answers.wrapped.lines.len().saturating_sub(a_view);
    match answer_span(state, state.answers.selected) {
        Some((start, end)) => {
            if end <= state.answers.scroll || start >= state.answers.scroll + a_view {
                reveal_answer(state);
            }
            state.answers.scroll = state.answers.scroll.min(most);
        }
        None => state.answers.scroll = 0,
    }
}
