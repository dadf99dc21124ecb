//! Jumps in the transcript: to an answer's excerpt, and the ones that wait
//! for an interview to arrive (a question's excerpt, a search's first hit).

use super::super::detail::{select_chosen_question, show_message};
use super::super::state::{Level, Pane, State, notify};
use super::super::viewport::refresh_views;
use super::search::jump_to_match;

/// Enter on an answer: show the transcript message its excerpt quotes.
pub(super) fn jump_to_excerpt(state: &mut State) {
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
                "excerpt {} of {} ({} in Answers again for the next)",
                at + 1,
                all.len(),
                state.keys.key(
                    crate::app::keymap::Context::Answers,
                    &crate::app::keymap::Action::JumpToExcerpt
                )
            ),
        );
    }
    match found {
        Some(n) => {
            state.transcript.highlight = Some(n);
            state.focus = Pane::Transcript;
            refresh_views(state);
            show_message(state, n, 1);
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

/// After Enter on a row of the question list: once the interview is
/// here, the answers pane is on that question and the transcript at its
/// excerpt.
fn excerpt_if_pending(state: &mut State) {
    let (Some(_), true) = (state.list.query.question, state.excerpt_pending) else {
        return;
    };
    let Some(detail) = state.shown_detail().cloned() else {
        return;
    };
    if state.transcript.wrapped.is_none() {
        return;
    }
    state.excerpt_pending = false;
    if select_chosen_question(state, &detail) {
        jump_to_excerpt(state);
    }
}

/// A transcript search opened from the list (Enter on a hit) jumps once
/// the transcript is wrapped.
pub(in crate::app) fn jump_if_pending(state: &mut State) {
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
