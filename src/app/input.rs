//! Keys, forms, search and the mouse: the `Msg::Key` and `Msg::Mouse` half
//! of [`super::update::update`]. Plain functions on the state, no I/O.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use crate::present::TextMode;

use super::keymap::{Action, action};
use super::layout::{self, Mode};
use super::line_edit::LineEdit;
use super::msg::Effect;
use super::state::{
    FilterForm, Level, Overlay, Pane, Picker, Prompt, PromptKind, QuestionPicker, Search, State,
};
use super::update::{
    answers_to_end, fetch_detail, fetch_selected, move_list, new_query, notify, open_study,
    page_answers, refresh_overview, refresh_views, reveal_answer, scroll_transcript, select_row,
    start_sync, step_answer, store_changed,
};
use crate::store::{MarkChange, MarkFilters};

/// Rows or lines the mouse wheel moves.
const WHEEL_STEP: usize = 3;

const STATUSES: [Option<&str>; 4] = [None, Some("completed"), Some("started"), Some("processing")];
const QUALITIES: [Option<&str>; 4] = [
    None,
    Some("insightful"),
    Some("successful"),
    Some("unsuccessful"),
];

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    state.notice = None;
    match &state.overlay {
        Overlay::Help => {
            let most = super::keymap::HELP.len() as u16;
            match key.code {
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    state.quit = true;
                    return vec![Effect::Quit];
                }
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => {
                    state.overlay = Overlay::None;
                    state.help_scroll = 0;
                }
                // The help scrolls when the terminal is too short for it.
                KeyCode::Char('j') | KeyCode::Down => {
                    state.help_scroll = (state.help_scroll + 1).min(most)
                }
                KeyCode::Char('k') | KeyCode::Up => {
                    state.help_scroll = state.help_scroll.saturating_sub(1)
                }
                KeyCode::PageDown | KeyCode::Char(' ') => {
                    state.help_scroll = (state.help_scroll + 10).min(most)
                }
                KeyCode::PageUp => state.help_scroll = state.help_scroll.saturating_sub(10),
                KeyCode::Char('g') | KeyCode::Home => state.help_scroll = 0,
                KeyCode::Char('G') | KeyCode::End => state.help_scroll = most,
                _ => {}
            }
            return Vec::new();
        }
        Overlay::Filter(_) => return filter_key(state, key),
        Overlay::Questions(_) => return questions_key(state, key),
        Overlay::Picker(_) => return picker_key(state, key),
        Overlay::None => {}
    }
    if state.prompt.is_some() {
        return prompt_key(state, key);
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
                    if matches!(act, Action::Down | Action::Up) {
                        step_answer(state, sign);
                    } else {
                        let n = step(state.viewport(Pane::Answers));
                        page_answers(state, sign * n);
                    }
                    Vec::new()
                }
            }
        }
        Action::Top => match state.focus {
            Pane::List => select_row(state, 0),
            Pane::Transcript => {
                state.transcript.scroll = 0;
                Vec::new()
            }
            Pane::Answers => {
                answers_to_end(state, false);
                Vec::new()
            }
        },
        Action::Bottom => match state.focus {
            Pane::List => {
                let last = state.list.total.saturating_sub(1);
                let fx = select_row(state, last);
                // While the sync walks, the end moves: follow it.
                state.list.to_end = state.sync.running && !state.sync.complete;
                fx
            }
            Pane::Transcript => {
                scroll_transcript(state, isize::MAX);
                Vec::new()
            }
            Pane::Answers => {
                answers_to_end(state, true);
                Vec::new()
            }
        },
        Action::Enter => match state.focus {
            Pane::List => {
                let Some(id) = state.selected().map(|i| i.id.clone()) else {
                    return Vec::new();
                };
                state.focus = Pane::Transcript;
                // In question mode: at the answer's excerpt.
                state.excerpt_pending = state.question.is_some();
                state.overview = None;
                let mut fx = fetch_selected(state);
                if let Some(query) = state.list_search.clone() {
                    // Open at the first hit; n/N walk the others.
                    fx.push(Effect::LoadHits { id, query });
                }
                fx
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
            show_the_list_if_one_pane(state);
            new_query(state)
        }
        Action::Quality(q) => {
            if state.filters.quality.as_deref() == q {
                return Vec::new();
            }
            state.filters.quality = q.map(str::to_string);
            show_the_list_if_one_pane(state);
            new_query(state)
        }
        Action::FilterForm => {
            state.overlay = Overlay::Filter(FilterForm {
                field: 0,
                status: state.filters.status.clone(),
                quality: state.filters.quality.clone(),
                reference: LineEdit::new(state.filters.reference_id.clone().unwrap_or_default()),
                reviewed: state.mark_filters.reviewed,
                starred: state.mark_filters.starred,
                tag: LineEdit::new(state.mark_filters.tag.clone().unwrap_or_default()),
            });
            Vec::new()
        }
        Action::PrevMessage | Action::NextMessage => {
            step_message(state, if act == Action::NextMessage { 1 } else { -1 });
            Vec::new()
        }
        Action::CopyQuote => copy_quote(state),
        Action::Questions => {
            state.overlay = Overlay::Questions(QuestionPicker::default());
            let mut query = state.query();
            query.question = None;
            vec![Effect::LoadQuestions { query }]
        }
        Action::Overview => {
            if state.overview.take().is_some() {
                return Vec::new();
            }
            state.overview = Some(None);
            refresh_overview(state)
        }
        Action::CopyId => match state.selected().map(|i| i.id.clone()) {
            Some(id) => copy(state, id, "the interview's id"),
            None => Vec::new(),
        },
        Action::ToggleReviewed => mark(state, MarkChange::ToggleReviewed),
        Action::ToggleStarred => mark(state, MarkChange::ToggleStarred),
        Action::EditTags | Action::EditNote => {
            let Some(id) = state.selected().map(|i| i.id.clone()) else {
                return Vec::new();
            };
            let (kind, text) = if act == Action::EditTags {
                (PromptKind::Tags, String::new())
            } else {
                let note = state.marks_of(&id).map(|m| m.note.clone());
                (PromptKind::Note, note.unwrap_or_default())
            };
            state.prompt = Some(Prompt {
                kind,
                id,
                text: LineEdit::new(text),
            });
            Vec::new()
        }
        Action::Search => {
            // From Answers, `/` searches the interview's transcript: the
            // letters typed next belong to the prompt, never to commands.
            if state.focus == Pane::Answers {
                state.focus = Pane::Transcript;
            }
            state.search = Some(Search {
                pane: state.focus,
                editing: true,
                ..Search::default()
            });
            Vec::new()
        }
        Action::NextMatch => next_match(state, 1),
        Action::PrevMatch => next_match(state, -1),
        Action::Escape if state.overview.is_some() => {
            state.overview = None;
            Vec::new()
        }
        Action::Escape
            if state.focus == Pane::List
                && state.list_search.is_none()
                && state.question.is_some() =>
        {
            state.question = None;
            new_query(state)
        }
        Action::Escape => {
            let was_list = state.search.as_ref().is_none_or(|s| s.pane == Pane::List);
            state.search = None;
            state.transcript.highlight = None;
            if was_list && state.focus == Pane::List {
                end_list_search(state)
            } else {
                Vec::new()
            }
        }
        Action::Reload => {
            // What is shown stays until the new answers arrive.
            state.list.error = None;
            let mut fx = store_changed(state);
            fx.extend(fetch_detail(state, true));
            fx.extend(start_sync(state));
            if let Some(s) = &state.study {
                fx.push(Effect::LoadStudy { id: s.id.clone() });
            }
            fx
        }
        Action::SwitchStudy => {
            state.overlay = Overlay::Picker(Picker::default());
            vec![Effect::LoadStudies]
        }
    }
}

/// `n` / `N` act where the user is: in the list, on the rows the study's
/// search found; in the transcript (and from Answers), on this interview's
/// matches — of its own search, else of the list's.
fn next_match(state: &mut State, delta: isize) -> Vec<Effect> {
    if state.focus == Pane::List {
        if state.list_search.is_some() {
            // Every row of a searched list is a hit.
            return move_list(state, delta);
        }
        notify(
            state,
            Level::Info,
            "no search in the list: press / to search the study".into(),
        );
        return Vec::new();
    }
    state.focus = Pane::Transcript;
    let own = state
        .search
        .as_ref()
        .is_some_and(|s| s.pane == Pane::Transcript);
    if !own && let Some(q) = state.list_search.clone() {
        state.search = Some(Search {
            pane: Pane::Transcript,
            query: LineEdit::new(q),
            ..Search::default()
        });
        find_matches(state);
        if state.search.as_ref().is_some_and(|s| !s.matches.is_empty()) {
            // The first match from here, not the one after it.
            return jump_to_match(state);
        }
    }
    if !own && state.list_search.is_none() {
        state.search = None;
    }
    step_match(state, delta)
}

/// A filter key changes the list; with one pane on screen, show it, or
/// the change happens out of sight.
fn show_the_list_if_one_pane(state: &mut State) {
    if state.areas().mode == Mode::Narrow {
        state.focus = Pane::List;
    }
}

fn say_mode(state: &mut State) {
    let english = state.selected().is_some_and(crate::present::is_english);
    if !english {
        return;
    }
    // The mode is kept for the next interview; say what it means here.
    let text = match state.transcript.mode {
        TextMode::Original => "the original again (this interview is in English either way)",
        TextMode::English => "this interview is in English: there is no translation to show",
        TextMode::Both => "this interview is in English: there is no translation to add",
    };
    notify(state, Level::Info, text.into());
}

/// Enter on an answer: show the transcript message its excerpt quotes.
fn jump_to_excerpt(state: &mut State) {
    let Some(detail) = state.shown_detail().cloned() else {
        return;
    };
    let Some(qa) = detail.question_answers.get(state.answers.selected) else {
        notify(
            state,
            Level::Info,
            "this interview has no answers yet".into(),
        );
        return;
    };
    // Each Enter on the same answer goes to its next excerpt: the one
    // after the message highlighted now, round to the first.
    let mut all: Vec<usize> = qa
        .answer_excerpt
        .iter()
        .filter_map(|e| e.message.as_deref())
        .filter_map(|quote| detail.quoted_message(quote))
        .collect();
    all.dedup();
    let at = state
        .transcript
        .highlight
        .and_then(|h| all.iter().position(|&m| m == h))
        .map_or(0, |k| (k + 1) % all.len());
    let found = all.get(at).copied();
    if all.len() > 1 {
        notify(
            state,
            Level::Info,
            format!(
                "excerpt {} of {} (Enter in Answers again for the next)",
                at + 1,
                all.len()
            ),
        );
    }
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

/// The text field of the form under the cursor, if it is one.
fn text_field(form: &mut FilterForm) -> Option<&mut LineEdit> {
    match form.field {
        2 => Some(&mut form.reference),
        5 => Some(&mut form.tag),
        _ => None,
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
    let n = FilterForm::FIELDS;
    match key.code {
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Esc => state.overlay = Overlay::None,
        KeyCode::Tab | KeyCode::Down => form.field = (form.field + 1) % n,
        KeyCode::BackTab | KeyCode::Up => form.field = (form.field + n - 1) % n,
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
            if matches!(form.field, 0 | 1 | 3 | 4) =>
        {
            let d = if key.code == KeyCode::Left { -1 } else { 1 };
            match form.field {
                0 => form.status = cycle(&STATUSES, &form.status, d),
                1 => form.quality = cycle(&QUALITIES, &form.quality, d),
                3 => {
                    const REVIEWED: [Option<bool>; 3] = [None, Some(true), Some(false)];
                    let i = REVIEWED
                        .iter()
                        .position(|r| *r == form.reviewed)
                        .unwrap_or(0) as isize;
                    form.reviewed = REVIEWED[(i + d).rem_euclid(3) as usize];
                }
                _ => form.starred = !form.starred,
            }
        }
        KeyCode::Enter => {
            let form = form.clone();
            state.overlay = Overlay::None;
            let reference = form.reference.text().trim();
            let tag = form.tag.text().trim();
            state.filters.status = form.status;
            state.filters.quality = form.quality;
            state.filters.reference_id = (!reference.is_empty()).then(|| reference.to_string());
            state.mark_filters = MarkFilters {
                reviewed: form.reviewed,
                starred: form.starred,
                tag: (!tag.is_empty()).then(|| tag.to_string()),
            };
            return new_query(state);
        }
        _ => {
            if let Some(field) = text_field(form) {
                field.key(key);
            }
        }
    }
    Vec::new()
}

/// The message the transcript is on: the highlighted one, else the first
/// one in view.
fn current_message(state: &State) -> Option<usize> {
    state.transcript.highlight.or_else(|| {
        let w = state.transcript.wrapped.as_ref()?;
        w.lines[state.transcript.scroll.min(w.lines.len().saturating_sub(1))..]
            .iter()
            .find_map(|l| l.message)
    })
}

/// `[` / `]`: the previous / next message becomes current (highlighted)
/// and is brought into view.
fn step_message(state: &mut State, delta: isize) {
    let Some(count) = state.shown_detail().map(|d| d.transcript.len()) else {
        return;
    };
    if count == 0 {
        return;
    }
    let next = match (state.transcript.highlight, current_message(state)) {
        (Some(h), _) => h.saturating_add_signed(delta).min(count - 1),
        (None, Some(m)) => m,
        (None, None) => 0,
    };
    state.transcript.highlight = Some(next);
    let start = state
        .transcript
        .wrapped
        .as_ref()
        .and_then(|w| w.message_starts.get(next).copied())
        .unwrap_or(0);
    let view = state.transcript_viewport();
    if start < state.transcript.scroll || start >= state.transcript.scroll + view {
        state.transcript.scroll = 0;
        scroll_transcript(state, start.saturating_sub(1) as isize);
    }
}

/// `y`: the current message as a quote (transcript), the selected answer
/// as Markdown (answers), the interview's id (list).
fn copy_quote(state: &mut State) -> Vec<Effect> {
    let Some(d) = state.shown_detail().cloned() else {
        return match state.selected().map(|i| i.id.clone()) {
            Some(id) => copy(state, id, "the interview's id"),
            None => Vec::new(),
        };
    };
    let mode = if crate::present::is_english(&d.interview) {
        TextMode::Original
    } else {
        state.transcript.mode
    };
    match state.focus {
        Pane::Transcript => {
            match current_message(state).and_then(|k| crate::present::quote_message(&d, k, mode)) {
                Some(q) => copy(state, q, "the quote"),
                None => Vec::new(),
            }
        }
        Pane::Answers => match crate::present::quote_answer(&d, state.answers.selected, mode) {
            Some(q) => copy(state, q, "the answer"),
            None => Vec::new(),
        },
        Pane::List => {
            let id = d.interview.id.clone();
            copy(state, id, "the interview's id")
        }
    }
}

fn copy(state: &mut State, text: String, what: &str) -> Vec<Effect> {
    let cut = text.len() > crate::clipboard::MAX_COPY_BYTES;
    let said = if cut {
        format!(
            "copied the first {} bytes of {what} (terminals take no more)",
            crate::clipboard::MAX_COPY_BYTES
        )
    } else {
        format!("copied {what} to the clipboard")
    };
    notify(state, if cut { Level::Warn } else { Level::Info }, said);
    vec![Effect::Copy { text }]
}

/// Asks the store to change the selected interview's marks; the screen
/// shows the change when the store says it is committed.
fn mark(state: &mut State, change: MarkChange) -> Vec<Effect> {
    match (state.selected(), &state.study) {
        (Some(i), Some(study)) => vec![Effect::Mark {
            id: i.id.clone(),
            study_id: study.id.clone(),
            change,
        }],
        _ => Vec::new(),
    }
}

/// Keys while the tags or note prompt is open.
fn prompt_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(prompt) = &mut state.prompt else {
        return Vec::new();
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c') if ctrl => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Esc => state.prompt = None,
        KeyCode::Enter => {
            let Some(p) = state.prompt.take() else {
                return Vec::new();
            };
            let change = match p.kind {
                PromptKind::Tags => MarkChange::parse_tags(p.text.text()),
                PromptKind::Note => MarkChange::Note(p.text.text().to_string()),
            };
            return match &state.study {
                Some(study) => vec![Effect::Mark {
                    id: p.id,
                    study_id: study.id.clone(),
                    change,
                }],
                None => Vec::new(),
            };
        }
        _ => {
            prompt.text.key(key);
        }
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
        KeyCode::Char('g') | KeyCode::Home => picker.selected = 0,
        KeyCode::Char('G') | KeyCode::End => picker.selected = count.saturating_sub(1),
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
                if state.study.as_ref().is_some_and(|s| s.id == id) {
                    // The same study again: keep its filters and place.
                    return Vec::new();
                }
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
    let list = search.pane == Pane::List;
    match key.code {
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Esc => {
            state.search = None;
            return if list {
                end_list_search(state)
            } else {
                Vec::new()
            };
        }
        KeyCode::Enter => {
            search.editing = false;
            let nothing = if list {
                state.list.loaded && state.list.total == 0
            } else {
                search.matches.is_empty()
            };
            if nothing && !search.query.is_empty() {
                let q = search.query.clone();
                notify(
                    state,
                    Level::Warn,
                    format!("no match for “{}”", crate::text::sanitize_line(q.text())),
                );
            }
            return Vec::new();
        }
        _ => {
            let before = search.query.text().to_string();
            search.query.key(key);
            if search.query.text() == before {
                // The cursor moved, or the key was not an editing one.
                return Vec::new();
            }
        }
    }
    search_changed(state)
}

/// The search query changed: narrow the list, or find in the transcript.
fn search_changed(state: &mut State) -> Vec<Effect> {
    let Some(search) = &state.search else {
        return Vec::new();
    };
    if search.pane == Pane::List {
        // The list narrows to the interviews the whole study's index finds.
        let query = search.query.text().trim().to_string();
        state.list_search = (!query.is_empty()).then_some(query);
        return new_query(state);
    }
    find_matches(state);
    jump_to_match(state)
}

/// Leaves the list's search: the whole list again, the selection kept.
fn end_list_search(state: &mut State) -> Vec<Effect> {
    if state.list_search.take().is_some() {
        new_query(state)
    } else {
        Vec::new()
    }
}

/// Keys of the question picker.
fn questions_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Overlay::Questions(p) = &mut state.overlay else {
        return Vec::new();
    };
    let count = match &p.questions {
        Some(Ok(q)) => q.len(),
        _ => 0,
    };
    match key.code {
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Esc | KeyCode::Char('q') => state.overlay = Overlay::None,
        KeyCode::Char('j') | KeyCode::Down if count > 0 => {
            p.selected = (p.selected + 1).min(count - 1)
        }
        KeyCode::Char('k') | KeyCode::Up => p.selected = p.selected.saturating_sub(1),
        KeyCode::Enter => {
            let chosen = match &p.questions {
                Some(Ok(q)) => q.get(p.selected).map(|q| q.index),
                _ => None,
            };
            if let Some(index) = chosen {
                state.overlay = Overlay::None;
                state.question = Some(index);
                state.focus = Pane::List;
                return new_query(state);
            }
        }
        _ => {}
    }
    Vec::new()
}

/// After Enter on a row of the question list: once the interview is
/// here, the answers pane is on that question and the transcript at its
/// excerpt.
fn excerpt_if_pending(state: &mut State) {
    let (Some(q), true) = (state.question, state.excerpt_pending) else {
        return;
    };
    let Some(detail) = state.shown_detail().cloned() else {
        return;
    };
    if state.transcript.wrapped.is_none() {
        return;
    }
    state.excerpt_pending = false;
    if let Some(pos) = detail
        .question_answers
        .iter()
        .enumerate()
        .position(|(n, qa)| qa.question_index.map_or(n, |i| i as usize) == q)
    {
        state.answers.selected = pos;
        reveal_answer(state);
        jump_to_excerpt(state);
    }
}

/// A transcript search opened from the list (Enter on a hit) jumps once
/// the transcript is wrapped.
pub(super) fn jump_if_pending(state: &mut State) {
    excerpt_if_pending(state);
    let ready = state.transcript.wrapped.is_some()
        && state
            .search
            .as_ref()
            .is_some_and(|s| s.jump_pending && s.pane == Pane::Transcript);
    if ready {
        if let Some(s) = &mut state.search {
            s.jump_pending = false;
        }
        jump_to_match(state);
    }
}

/// Recomputes the matches of the search query in its pane.
fn find_matches(state: &mut State) {
    let Some(search) = &state.search else {
        return;
    };
    let needle = search.query.text().to_lowercase();
    let matches: Vec<usize> = if needle.is_empty() {
        Vec::new()
    } else {
        let hit = |s: Option<&str>| s.is_some_and(|s| s.to_lowercase().contains(&needle));
        match search.pane {
            // The list itself is the search's result (`list_search`).
            Pane::List => Vec::new(),
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
        let q = crate::text::sanitize_line(search.query.text()).into_owned();
        notify(state, Level::Info, format!("no match for “{q}”"));
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

/// Pasted text goes into the text field being edited, cleaned; with no
/// field open it is ignored, so a paste never runs as commands.
pub(super) fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    if let Some(p) = &mut state.prompt {
        p.text.paste(text);
        return Vec::new();
    }
    if let Overlay::Filter(form) = &mut state.overlay {
        if let Some(field) = text_field(form) {
            field.paste(text);
        }
        return Vec::new();
    }
    if !matches!(state.overlay, Overlay::None) {
        return Vec::new();
    }
    match &mut state.search {
        Some(search) if search.editing => {
            search.query.paste(text);
            search_changed(state)
        }
        _ => {
            notify(
                state,
                Level::Info,
                "nothing to paste into: press / to search, then paste".into(),
            );
            Vec::new()
        }
    }
}

pub(super) fn on_mouse(state: &mut State, m: MouseEvent) -> Vec<Effect> {
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
                    for _ in 0..WHEEL_STEP {
                        step_answer(state, sign);
                        refresh_views(state);
                    }
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
                    if row < state.list.total {
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
