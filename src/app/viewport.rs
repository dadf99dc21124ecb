//! Keeping what is shown current after every message: the list's
//! selection in view, the transcript and answers wrapped again when the
//! interview, the width or the mode changes (their scrolling is
//! `detail::scroll`'s).

use super::detail::{
    answer_span, reveal_answer, scroll_transcript, select_chosen_question, wrap_answers,
    wrap_transcript_coded,
};
use super::state::{Pane, State};

pub fn refresh_views(state: &mut State) {
    let viewport = state.list_viewport();
    state.list.keep_selection_in_view(viewport);
    rewrap_if_changed(state);
    // Clamp the transcript scroll to its content.
    scroll_transcript(state, 0);
    keep_answer_in_view(state);
}

/// Wraps the shown interview's transcript and answers again when the
/// interview, the width, the mode, its marks or its codes changed.
fn rewrap_if_changed(state: &mut State) {
    let mode = state.transcript.mode;
    let widths = state
        .text_width(Pane::Transcript)
        .zip(state.text_width(Pane::Answers));
    let (detail, (width, a_width)) = match (state.shown_detail().cloned(), widths) {
        (Some(detail), Some(widths)) => (detail, widths),
        // Too small to show: nothing to wrap.
        (Some(_), None) => return,
        (None, _) => {
            state.transcript.wrapped = None;
            state.answers.wrapped_for = None;
            state.answers.wrapped = Default::default();
            return;
        }
    };
    // Compared in place: a note can be long, and this runs on every
    // message.
    let marks = state.marks_of(&detail.interview.id);
    let coded = state.coding.coded(&detail.interview.id);
    let stale = state.transcript.wrapped.as_ref().is_none_or(|w| {
        w.id != detail.interview.id
            || w.width != width
            || w.mode != mode
            || w.marks.as_ref() != marks
            || w.codes.as_slice() != coded
    });
    if stale {
        state.transcript.wrapped = Some(wrap_transcript_coded(
            &detail,
            marks,
            &coded.to_vec(),
            width,
            mode,
        ));
    }
    // One column is the selection marker.
    let a_width = a_width.saturating_sub(1).max(1);
    let key = (detail.interview.id.clone(), a_width, mode);
    if state.answers.wrapped_for.as_ref() != Some(&key) {
        let another = state
            .answers
            .wrapped_for
            .as_ref()
            .is_none_or(|(id, _, _)| *id != detail.interview.id);
        state.answers.wrapped = wrap_answers(&detail, a_width, mode);
        state.answers.wrapped_for = Some(key);
        if another {
            select_chosen_question(state, &detail);
        }
    }
}

/// The answers' scroll within their content, and never off the selected
/// answer.
fn keep_answer_in_view(state: &mut State) {
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
