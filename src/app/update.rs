//! `update(&mut State, Msg) -> Vec<Effect>`: every change to the browser's
//! state happens here, with no I/O, so tests call it directly.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use crate::api::InterviewFilters;
use crate::api::source::MAX_LIMIT;
use crate::api::walk::{CursorWalk, WalkState};
use crate::present::TextMode;

use super::keymap::{Action, action};
use super::layout::{self, Mode};
use super::msg::{Effect, Msg};
use super::state::{FilterForm, Level, Notice, Overlay, Pane, Picker, Search, State, StudyInfo};
use super::transcript::{wrap_answers, wrap_transcript};

/// How long the selection must rest before its detail is fetched.
pub const REST: Duration = Duration::from_millis(150);
const RELOADING: &str = "reloading…";
/// Rows or lines the mouse wheel moves.
const WHEEL_STEP: usize = 3;

const STATUSES: [Option<&str>; 4] = [None, Some("completed"), Some("started"), Some("processing")];
const QUALITIES: [Option<&str>; 4] = [
    None,
    Some("insightful"),
    Some("successful"),
    Some("unsuccessful"),
];

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
        Msg::Key(key) => on_key(state, key),
        Msg::Mouse(m) => on_mouse(state, m),
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
                    if state.notice.as_ref().is_some_and(|n| n.text == RELOADING) {
                        state.notice = None;
                    }
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

fn notify(state: &mut State, level: Level, text: String) {
    state.notice = Some(Notice { level, text });
}

/// Starts a study: its first page at once and its detail beside it.
fn open_study(state: &mut State, id: String) -> Vec<Effect> {
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
fn new_query(state: &mut State) -> Vec<Effect> {
    state.list.rows.clear();
    restart_query(state)
}

/// Starts the query again from the first page, leaving the rows on screen
/// until the first page replaces them (so a failed reload loses nothing).
fn restart_query(state: &mut State) -> Vec<Effect> {
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
fn fetch_selected(state: &mut State) -> Vec<Effect> {
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

fn select_row(state: &mut State, row: usize) -> Vec<Effect> {
    let last = state.list.rows.len().saturating_sub(1);
    let row = row.min(last);
    if row == state.list.selected || state.list.rows.is_empty() {
        return Vec::new();
    }
    state.list.selected = row;
    selection_changed(state)
}

fn move_list(state: &mut State, delta: isize) -> Vec<Effect> {
    let target = state.list.selected.saturating_add_signed(delta);
    select_row(state, target)
}

fn scroll_transcript(state: &mut State, delta: isize) {
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

fn move_answer(state: &mut State, delta: isize) {
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

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    state.notice = None;
    match &state.overlay {
        Overlay::Help => {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter
            ) {
                state.overlay = Overlay::None;
            }
            return Vec::new();
        }
        Overlay::Filter(_) => return filter_key(state, key),
        Overlay::Picker(_) => return picker_key(state, key),
        Overlay::None => {}
    }
    if state.search.as_ref().is_some_and(|s| s.editing) {
        return search_key(state, key);
    }
    let Some(act) = action(key) else {
        return Vec::new();
    };
    let half = |n: usize| (n / 2).max(1) as isize;
    match act {
        Action::Quit => {
            state.quit = true;
            vec![Effect::Quit]
        }
        Action::Suspend => vec![Effect::Suspend],
        Action::Help => {
            state.overlay = Overlay::Help;
            Vec::new()
        }
        Action::FocusNext => {
            state.focus = state.focus.next();
            Vec::new()
        }
        Action::FocusPrev => {
            state.focus = state.focus.prev();
            Vec::new()
        }
        Action::Down
        | Action::Up
        | Action::HalfPageDown
        | Action::HalfPageUp
        | Action::PageDown
        | Action::PageUp => {
            let sign = if matches!(act, Action::Down | Action::HalfPageDown | Action::PageDown) {
                1
            } else {
                -1
            };
            let step = |viewport: usize| match act {
                Action::Down | Action::Up => 1,
                Action::HalfPageDown | Action::HalfPageUp => half(viewport),
                _ => viewport.max(1) as isize,
            };
            match state.focus {
                Pane::List => {
                    let n = step(state.list_viewport());
                    move_list(state, sign * n)
                }
                Pane::Transcript => {
                    let n = step(state.transcript_viewport());
                    scroll_transcript(state, sign * n);
                    Vec::new()
                }
                Pane::Answers => {
                    let n = if matches!(act, Action::Down | Action::Up) {
                        1
                    } else {
                        3
                    };
                    move_answer(state, sign * n);
                    Vec::new()
                }
            }
        }
        Action::Top => match state.focus {
            Pane::List => {
                state.list.to_end = false;
                select_row(state, 0)
            }
            Pane::Transcript => {
                state.transcript.scroll = 0;
                Vec::new()
            }
            Pane::Answers => {
                state.answers.selected = 0;
                Vec::new()
            }
        },
        Action::Bottom => match state.focus {
            Pane::List => {
                if state.list.walk.has_more() {
                    state.list.to_end = true;
                }
                let last = state.list.rows.len().saturating_sub(1);
                select_row(state, last)
            }
            Pane::Transcript => {
                scroll_transcript(state, isize::MAX);
                Vec::new()
            }
            Pane::Answers => {
                move_answer(state, isize::MAX);
                Vec::new()
            }
        },
        Action::Enter => match state.focus {
            Pane::List => {
                if state.selected().is_none() {
                    return Vec::new();
                }
                state.focus = Pane::Transcript;
                fetch_selected(state)
            }
            Pane::Answers => {
                jump_to_excerpt(state);
                Vec::new()
            }
            Pane::Transcript => Vec::new(),
        },
        Action::ToggleTranslation => {
            state.transcript.mode = match state.transcript.mode {
                TextMode::Original => TextMode::English,
                _ => TextMode::Original,
            };
            say_mode(state);
            Vec::new()
        }
        Action::ToggleBoth => {
            state.transcript.mode = match state.transcript.mode {
                TextMode::Both => TextMode::Original,
                _ => TextMode::Both,
            };
            say_mode(state);
            Vec::new()
        }
        Action::CycleStatus => {
            let now = STATUSES
                .iter()
                .position(|s| *s == state.filters.status.as_deref())
                .unwrap_or(0);
            state.filters.status = STATUSES[(now + 1) % STATUSES.len()].map(str::to_string);
            new_query(state)
        }
        Action::Quality(q) => {
            if state.filters.quality.as_deref() == q {
                return Vec::new();
            }
            state.filters.quality = q.map(str::to_string);
            new_query(state)
        }
        Action::FilterForm => {
            state.overlay = Overlay::Filter(FilterForm {
                field: 0,
                status: state.filters.status.clone(),
                quality: state.filters.quality.clone(),
                reference: state.filters.reference_id.clone().unwrap_or_default(),
            });
            Vec::new()
        }
        Action::Search => {
            if matches!(state.focus, Pane::List | Pane::Transcript) {
                state.search = Some(Search {
                    pane: state.focus,
                    editing: true,
                    ..Search::default()
                });
            } else {
                notify(
                    state,
                    Level::Info,
                    "search works in the list and the transcript".into(),
                );
            }
            Vec::new()
        }
        Action::NextMatch => {
            step_match(state, 1);
            Vec::new()
        }
        Action::PrevMatch => {
            step_match(state, -1);
            Vec::new()
        }
        Action::Escape => {
            state.search = None;
            state.transcript.highlight = None;
            Vec::new()
        }
        Action::Reload => {
            let mut fx = restart_query(state);
            if let Some(id) = state.selected().map(|i| i.id.clone()) {
                state.details.remove(&id);
                state.detail_errors.remove(&id);
                fx.extend(fetch_selected(state));
            }
            if let Some(s) = &state.study {
                fx.push(Effect::LoadStudy { id: s.id.clone() });
            }
            notify(state, Level::Info, RELOADING.into());
            fx
        }
        Action::SwitchStudy => {
            state.overlay = Overlay::Picker(Picker::default());
            vec![Effect::LoadStudies]
        }
    }
}

fn say_mode(state: &mut State) {
    let english = state.selected().is_some_and(crate::present::is_english);
    if english && state.transcript.mode != TextMode::Original {
        notify(
            state,
            Level::Info,
            "this interview is in English: there is no translation to show".into(),
        );
    }
}

/// Enter on an answer: show the transcript message its excerpt quotes.
fn jump_to_excerpt(state: &mut State) {
    let Some(detail) = state.shown_detail().cloned() else {
        return;
    };
    let Some(qa) = detail.question_answers.get(state.answers.selected) else {
        notify(state, Level::Info, "no answer selected".into());
        return;
    };
    let found = qa
        .answer_excerpt
        .iter()
        .filter_map(|e| e.message.as_deref())
        .find_map(|quote| detail.quoted_message(quote));
    match found {
        Some(n) => {
            state.transcript.highlight = Some(n);
            state.focus = Pane::Transcript;
            refresh_views(state);
            let start = state
                .transcript
                .wrapped
                .as_ref()
                .and_then(|w| w.message_starts.get(n).copied())
                .unwrap_or(0);
            state.transcript.scroll = 0;
            scroll_transcript(state, start.saturating_sub(1) as isize);
        }
        None if qa.answer_excerpt.is_empty() => {
            notify(
                state,
                Level::Warn,
                "this answer quotes no excerpt to jump to".into(),
            );
        }
        None => notify(
            state,
            Level::Warn,
            "no transcript message matches this answer's excerpt".into(),
        ),
    }
}

fn filter_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Overlay::Filter(form) = &mut state.overlay else {
        return Vec::new();
    };
    let cycle = |options: &[Option<&str>; 4], now: &Option<String>, delta: isize| {
        let i = options
            .iter()
            .position(|o| *o == now.as_deref())
            .unwrap_or(0) as isize;
        options[(i + delta).rem_euclid(4) as usize].map(str::to_string)
    };
    match key.code {
        KeyCode::Esc => state.overlay = Overlay::None,
        KeyCode::Tab | KeyCode::Down => form.field = (form.field + 1) % 3,
        KeyCode::BackTab | KeyCode::Up => form.field = (form.field + 2) % 3,
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if form.field < 2 => {
            let d = if key.code == KeyCode::Left { -1 } else { 1 };
            if form.field == 0 {
                form.status = cycle(&STATUSES, &form.status, d);
            } else {
                form.quality = cycle(&QUALITIES, &form.quality, d);
            }
        }
        KeyCode::Backspace if form.field == 2 => {
            form.reference.pop();
        }
        KeyCode::Char(c) if form.field == 2 && !key.modifiers.contains(KeyModifiers::CONTROL) => {
            form.reference.push(c);
        }
        KeyCode::Enter => {
            let form = form.clone();
            state.overlay = Overlay::None;
            let reference = form.reference.trim();
            state.filters.status = form.status;
            state.filters.quality = form.quality;
            state.filters.reference_id = (!reference.is_empty()).then(|| reference.to_string());
            return new_query(state);
        }
        _ => {}
    }
    Vec::new()
}

fn picker_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Overlay::Picker(picker) = &mut state.overlay else {
        return Vec::new();
    };
    let count = match &picker.studies {
        Some(Ok(s)) => s.len(),
        _ => 0,
    };
    match key.code {
        KeyCode::Char('q') => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Esc if state.study.is_some() => state.overlay = Overlay::None,
        KeyCode::Char('j') | KeyCode::Down if count > 0 => {
            picker.selected = (picker.selected + 1).min(count - 1)
        }
        KeyCode::Char('k') | KeyCode::Up => picker.selected = picker.selected.saturating_sub(1),
        KeyCode::Char('r') => {
            picker.studies = None;
            return vec![Effect::LoadStudies];
        }
        KeyCode::Enter => {
            if let Some(Ok(studies)) = &picker.studies
                && let Some(s) = studies.get(picker.selected)
            {
                let id = s.id.clone();
                let name = s.name.clone();
                state.overlay = Overlay::None;
                state.focus = Pane::List;
                let fx = open_study(state, id);
                if let Some(study) = &mut state.study {
                    study.name = name;
                }
                return fx;
            }
        }
        _ => {}
    }
    Vec::new()
}

fn search_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(search) = &mut state.search else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            state.search = None;
            return Vec::new();
        }
        KeyCode::Enter => {
            search.editing = false;
            if search.matches.is_empty() && !search.query.is_empty() {
                let q = search.query.clone();
                notify(
                    state,
                    Level::Warn,
                    format!("no match for “{}”", crate::text::sanitize_line(&q)),
                );
            }
            return Vec::new();
        }
        KeyCode::Backspace => {
            search.query.pop();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => search.query.push(c),
        _ => return Vec::new(),
    }
    find_matches(state);
    jump_to_match(state)
}

/// Recomputes the matches of the search query in its pane.
fn find_matches(state: &mut State) {
    let Some(search) = &state.search else {
        return;
    };
    let needle = search.query.to_lowercase();
    let matches: Vec<usize> = if needle.is_empty() {
        Vec::new()
    } else {
        let hit = |s: Option<&str>| s.is_some_and(|s| s.to_lowercase().contains(&needle));
        match search.pane {
            Pane::List => state
                .list
                .rows
                .iter()
                .enumerate()
                .filter(|(_, i)| {
                    hit(i.headline.as_deref())
                        || hit(i.summary.as_deref())
                        || hit(i.reference_id.as_deref())
                        || hit(i.language.as_deref())
                        || hit(Some(&i.id))
                })
                .map(|(n, _)| n)
                .collect(),
            _ => state
                .shown_detail()
                .map(|d| {
                    d.transcript
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| hit(m.message.as_deref()) || hit(m.translated.as_deref()))
                        .map(|(n, _)| n)
                        .collect()
                })
                .unwrap_or_default(),
        }
    };
    // Start from the first match at or after where the user is.
    let here = match search.pane {
        Pane::List => state.list.selected,
        _ => state
            .transcript
            .wrapped
            .as_ref()
            .and_then(|w| w.lines.get(state.transcript.scroll))
            .and_then(|l| l.message)
            .unwrap_or(0),
    };
    let current = matches.iter().position(|&m| m >= here).unwrap_or(0);
    if let Some(s) = &mut state.search {
        s.matches = matches;
        s.current = current;
    }
}

fn step_match(state: &mut State, delta: isize) -> Vec<Effect> {
    let Some(search) = &mut state.search else {
        notify(state, Level::Info, "no search: press / to search".into());
        return Vec::new();
    };
    if search.matches.is_empty() {
        return Vec::new();
    }
    let n = search.matches.len() as isize;
    search.current = (search.current as isize + delta).rem_euclid(n) as usize;
    jump_to_match(state)
}

fn jump_to_match(state: &mut State) -> Vec<Effect> {
    let Some((pane, target)) = state
        .search
        .as_ref()
        .and_then(|s| s.matches.get(s.current).map(|m| (s.pane, *m)))
    else {
        return Vec::new();
    };
    match pane {
        Pane::List => {
            // Keep the search while the selection moves.
            let search = state.search.take();
            let fx = select_row(state, target);
            state.search = search;
            fx
        }
        _ => {
            let start = state
                .transcript
                .wrapped
                .as_ref()
                .and_then(|w| w.message_starts.get(target).copied())
                .unwrap_or(0);
            state.transcript.scroll = 0;
            scroll_transcript(state, start as isize);
            Vec::new()
        }
    }
}

fn on_mouse(state: &mut State, m: MouseEvent) -> Vec<Effect> {
    let areas = state.areas();
    let pane = areas.pane_at(m.column, m.row);
    match m.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let sign = if m.kind == MouseEventKind::ScrollDown {
                1
            } else {
                -1
            };
            match pane {
                Some(Pane::List) => move_list(state, sign * WHEEL_STEP as isize),
                Some(Pane::Transcript) => {
                    scroll_transcript(state, sign * WHEEL_STEP as isize);
                    Vec::new()
                }
                Some(Pane::Answers) => {
                    move_answer(state, sign);
                    Vec::new()
                }
                None => Vec::new(),
            }
        }
        MouseEventKind::Down(MouseButton::Left) => {
            if let Some(tabs) = areas.tabs
                && m.row == tabs.y
                && areas.mode == Mode::Narrow
            {
                // Three equal tabs.
                let third = (tabs.width / 3).max(1);
                state.focus =
                    Pane::ALL[((m.column.saturating_sub(tabs.x)) / third).min(2) as usize];
                return Vec::new();
            }
            let Some(pane) = pane else {
                return Vec::new();
            };
            state.focus = pane;
            let rect = areas.pane(pane).unwrap_or_default();
            let inner_row = m.row.saturating_sub(rect.y + 1) as usize;
            if m.row <= rect.y || inner_row >= layout::inner_height(rect) {
                return Vec::new();
            }
            match pane {
                Pane::List => {
                    let row = state.list.offset + inner_row;
                    if row < state.list.rows.len() {
                        return select_row(state, row);
                    }
                }
                Pane::Answers => {
                    let line = state.answers.scroll + inner_row;
                    if let Some(l) = state.answers.wrapped.lines.get(line) {
                        state.answers.selected = l.answer;
                    }
                }
                Pane::Transcript => {}
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
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
