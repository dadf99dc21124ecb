//! What keys do in the three panes: moving, opening, filtering,
//! marking, copying, the translation modes and the overview.

use super::super::detail::{
    answers_to_end, current_message, page_answers, scroll_transcript, step_answer, step_message,
};
use super::super::keymap::Action;
use super::super::layout::Mode;
use super::super::line_edit::LineEdit;
use super::super::list::{
    fetch_detail, fetch_selected, move_list, new_query, refresh_overview, select_row, start_sync,
    store_changed,
};
use super::super::msg::Effect;
use super::super::state::{
    FilterForm, Level, Overlay, Pane, Prompt, PromptKind, QuestionPicker, Search, State,
    StudyPicker, notify,
};
use super::jumps::jump_to_excerpt;
use super::search::{end_list_search, find_matches, jump_to_match, step_match};
use crate::present::TextMode;
use crate::store::MarkChange;

pub(super) fn on_action(state: &mut State, act: Action) -> Vec<Effect> {
    match act {
        Action::Quit => vec![Effect::Quit],
        Action::Suspend => vec![Effect::Suspend],
        Action::CodeCurrent
        | Action::RemoveCode
        | Action::OpenCodebook
        | Action::OpenBoard
        | Action::OpenMatrix
        | Action::Undo
        | Action::Redo
        | Action::TrimMessage
        | Action::CommentHighlight => crate::app::coding::on_pane_action(state, act),
        Action::OpenViews => crate::app::views::open(state),
        Action::BulkPrefix => crate::app::bulk::start(state),
        Action::ShowHelp => {
            state.overlay = Overlay::Help { scroll: 0 };
            Vec::new()
        }
        Action::SyncAgain => {
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
            state.overlay = Overlay::Picker(StudyPicker::default());
            vec![Effect::LoadStudies]
        }
        Action::FocusNext
        | Action::FocusPrev
        | Action::Down
        | Action::Up
        | Action::HalfPageDown
        | Action::HalfPageUp
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom
        | Action::PrevMessage
        | Action::NextMessage
        | Action::WidenList => on_move(state, act),
        Action::OpenInterview
        | Action::JumpToExcerpt
        | Action::ToggleTranslation
        | Action::ToggleBoth
        | Action::ToggleOverview
        | Action::CloseOverview => on_view(state, act),
        Action::CycleStatus
        | Action::CycleLanguage
        | Action::CycleOrder
        | Action::ClearFilters
        | Action::FilterQuality(_)
        | Action::OpenFilterForm
        | Action::PickQuestion
        | Action::ShowWholeList => on_filter(state, act),
        Action::CopyQuote
        | Action::CopyId
        | Action::ToggleReviewed
        | Action::ToggleStarred
        | Action::EditTags
        | Action::EditNote => on_marks(state, act),
        Action::StartSearch | Action::NextMatch | Action::PrevMatch | Action::ClearFind => {
            on_search(state, act)
        }
        // The other actions belong to overlays and text fields.
        _ => Vec::new(),
    }
}

/// Moving: the selection, the scroll, the focus, the current message.
fn on_move(state: &mut State, act: Action) -> Vec<Effect> {
    match act {
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
        | Action::PageUp => step_focused(state, act),
        Action::Top => to_end_of_focused(state, false),
        Action::Bottom => to_end_of_focused(state, true),
        Action::PrevMessage | Action::NextMessage => {
            step_message(state, if act == Action::NextMessage { 1 } else { -1 });
            Vec::new()
        }
        Action::WidenList => {
            state.wide_list = !state.wide_list;
            if state.wide_list {
                state.focus = Pane::List;
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A line, half a page or a page down or up, in the focused pane.
fn step_focused(state: &mut State, act: Action) -> Vec<Effect> {
    let sign = if matches!(act, Action::Down | Action::HalfPageDown | Action::PageDown) {
        1
    } else {
        -1
    };
    let step = |viewport: usize| match act {
        Action::Down | Action::Up => 1,
        Action::HalfPageDown | Action::HalfPageUp => (viewport / 2).max(1) as isize,
        _ => viewport.max(1) as isize,
    };
    match state.focus {
        Pane::List => {
            let n = step(state.list_viewport());
            return move_list(state, sign * n);
        }
        Pane::Transcript => {
            let n = step(state.transcript_viewport());
            scroll_transcript(state, sign * n);
        }
        Pane::Answers if matches!(act, Action::Down | Action::Up) => step_answer(state, sign),
        Pane::Answers => {
            let n = step(state.viewport(Pane::Answers));
            page_answers(state, sign * n);
        }
    }
    Vec::new()
}

/// The top (or the bottom) of the focused pane.
fn to_end_of_focused(state: &mut State, bottom: bool) -> Vec<Effect> {
    match state.focus {
        Pane::List if bottom => {
            let last = state.list.window.total.saturating_sub(1);
            let fx = select_row(state, last);
            // While the sync walks, the end moves: follow it.
            state.list.to_end = state.sync.running && !state.sync.complete;
            return fx;
        }
        Pane::List => return select_row(state, 0),
        Pane::Transcript if bottom => scroll_transcript(state, isize::MAX),
        Pane::Transcript => state.transcript.scroll = 0,
        Pane::Answers => answers_to_end(state, bottom),
    }
    Vec::new()
}

/// What the panes show: the interview, its language, the overview.
fn on_view(state: &mut State, act: Action) -> Vec<Effect> {
    match act {
        Action::OpenInterview => {
            let Some(id) = state.selected().map(|i| i.id.clone()) else {
                return Vec::new();
            };
            state.focus = Pane::Transcript;
            // In question mode: at the answer's excerpt.
            state.excerpt_pending = state.list.query.question.is_some();
            state.overview.close();
            let mut fx = fetch_selected(state);
            if let Some(query) = state.list.query.search_words() {
                // Open at the first hit; n/N walk the others.
                fx.push(Effect::LoadHits { id, query });
            }
            fx
        }
        Action::JumpToExcerpt => {
            jump_to_excerpt(state);
            Vec::new()
        }
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
        Action::ToggleOverview => {
            if state.overview.close() {
                return Vec::new();
            }
            // The overview is where the transcript was: keys go to it.
            if state.focus == Pane::List && state.areas().mode != Mode::Narrow {
                state.focus = Pane::Transcript;
            }
            state.overview.open();
            refresh_overview(state)
        }
        Action::CloseOverview => {
            state.overview.close();
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The list's filters, order and question.
fn on_filter(state: &mut State, act: Action) -> Vec<Effect> {
    match act {
        Action::CycleStatus => {
            state.list.query.next_status();
            show_the_list_if_one_pane(state);
            new_query(state)
        }
        Action::CycleLanguage => match &state.study {
            Some(s) => vec![Effect::LoadLanguages {
                study_id: s.id.clone(),
            }],
            None => Vec::new(),
        },
        Action::CycleOrder => {
            state.list.query.order = state.list.query.order.next();
            notify(
                state,
                Level::Info,
                format!("order: {}", state.list.query.order.name()),
            );
            show_the_list_if_one_pane(state);
            new_query(state)
        }
        Action::ClearFilters => {
            if !state.list.query.has_filters() && state.search.is_none() {
                return Vec::new();
            }
            state.list.query.clear_filters();
            state.search = None;
            state.view = None;
            if state.list.query.search.is_some() {
                return end_list_search(state);
            }
            new_query(state)
        }
        Action::FilterQuality(q) => {
            if state.list.query.filters.quality == q {
                return Vec::new();
            }
            state.list.query.filters.quality = q;
            show_the_list_if_one_pane(state);
            new_query(state)
        }
        Action::OpenFilterForm => {
            state.overlay = Overlay::Filter(FilterForm::of(&state.list.query));
            Vec::new()
        }
        Action::PickQuestion => {
            state.overlay = Overlay::Questions(QuestionPicker::default());
            let mut query = state.list.query.to_store();
            query.question = None;
            vec![Effect::LoadQuestions { query }]
        }
        Action::ShowWholeList => {
            state.search = None;
            state.transcript.highlight = None;
            if state.list.query.search.is_some() {
                end_list_search(state)
            } else if state.list.query.question.take().is_some() {
                new_query(state)
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// Marks and copies of the selected interview.
fn on_marks(state: &mut State, act: Action) -> Vec<Effect> {
    match act {
        Action::CopyQuote => copy_quote(state),
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
            let marks = state.marks_of(&id).cloned().unwrap_or_default();
            let (kind, text, fx) = if act == Action::EditTags {
                // The line opens on the tags, with a space to type the next.
                let line = marks
                    .tags
                    .iter()
                    .map(|t| format!("{t} "))
                    .collect::<String>();
                let fx = state
                    .study
                    .as_ref()
                    .map(|s| Effect::LoadTags {
                        study_id: s.id.clone(),
                    })
                    .into_iter()
                    .collect();
                (PromptKind::Tags, LineEdit::new(line), fx)
            } else {
                (
                    PromptKind::Note,
                    LineEdit::new(marks.note.clone()).with_limit(crate::store::NOTE_CHARS),
                    Vec::new(),
                )
            };
            state.notice = None;
            state.prompt = Some(Prompt {
                kind,
                id,
                text,
                before: marks.tags,
                choices: Vec::new(),
            });
            fx
        }
        _ => Vec::new(),
    }
}

/// Searching the study and finding in an interview.
fn on_search(state: &mut State, act: Action) -> Vec<Effect> {
    match act {
        Action::StartSearch => {
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
        Action::ClearFind => {
            let finding = state
                .search
                .as_ref()
                .is_some_and(|s| s.pane == Pane::Transcript);
            if finding {
                state.search = None;
            }
            // In the one-pane layout, Esc with nothing to clear goes back
            // to the list, as in a pager.
            let nothing = !finding && state.transcript.highlight.is_none();
            if nothing && state.areas().mode == Mode::Narrow {
                state.focus = Pane::List;
            }
            state.transcript.highlight = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// `n` / `N` act where the user is: in the list, on the rows the study's
/// search found; in the transcript (and from Answers), on this interview's
/// matches — of its own search, else of the list's.
fn next_match(state: &mut State, delta: isize) -> Vec<Effect> {
    if state.focus == Pane::List {
        if state.list.query.search.is_some() {
            // Every row of a searched list is a hit.
            return move_list(state, delta);
        }
        let text = format!(
            "no search in the list: press {} to search the study",
            state
                .keys
                .pane_key(&crate::app::keymap::Action::StartSearch)
        );
        notify(state, Level::Info, text);
        return Vec::new();
    }
    state.focus = Pane::Transcript;
    let own = state
        .search
        .as_ref()
        .is_some_and(|s| s.pane == Pane::Transcript);
    if !own && let Some(q) = state.list.query.search_words() {
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
    if !own && state.list.query.search.is_none() {
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

/// Copies `text`, saying so, and whether it was cut to what terminals take.
pub(in crate::app) fn copy(state: &mut State, text: String, what: &str) -> Vec<Effect> {
    let (text, cut) = crate::clipboard::prepare(&text);
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
