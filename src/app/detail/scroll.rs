//! The transcript's and the answers' scroll, kept within the content and
//! on the selection, and the message the transcript is on.

use super::super::state::{Pane, State};

pub(crate) fn scroll_transcript(state: &mut State, delta: isize) {
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
pub(crate) fn answer_span(state: &State, n: usize) -> Option<(usize, usize)> {
    let w = &state.answers.wrapped;
    let start = *w.starts.get(n)?;
    let end = w.starts.get(n + 1).copied().unwrap_or(w.lines.len());
    Some((start, end))
}

/// Scrolls the answers pane the least that shows the selected answer:
/// whole when it fits, else from its first line.
pub(crate) fn reveal_answer(state: &mut State) {
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
pub(crate) fn step_answer(state: &mut State, delta: isize) {
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
pub(crate) fn page_answers(state: &mut State, lines: isize) {
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
pub(crate) fn answers_to_end(state: &mut State, last: bool) {
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
/// In question mode, Answers stands on the chosen question of whichever
/// interview is shown; whether the interview has that question.
pub(crate) fn select_chosen_question(
    state: &mut State,
    detail: &crate::api::model::InterviewDetail,
) -> bool {
    let Some(q) = state.list.query.question else {
        return false;
    };
    let Some(pos) = detail
        .question_answers
        .iter()
        .enumerate()
        .position(|(n, qa)| qa.question_index.map_or(n, |i| i as usize) == q)
    else {
        return false;
    };
    state.answers.selected = pos;
    reveal_answer(state);
    true
}

/// The first screen line of message `n` of the shown transcript.
pub fn message_start(state: &State, n: usize) -> usize {
    state
        .transcript
        .wrapped
        .as_ref()
        .and_then(|w| w.message_starts.get(n).copied())
        .unwrap_or(0)
}

/// Scrolls the transcript so message `n` starts `context` lines below the
/// top (as near as the content allows).
pub fn show_message(state: &mut State, n: usize, context: usize) {
    let start = message_start(state, n);
    state.transcript.scroll = 0;
    scroll_transcript(state, start.saturating_sub(context) as isize);
}

/// The message the transcript is on: the highlighted one, else the first
/// one in view.
pub fn current_message(state: &State) -> Option<usize> {
    state.transcript.highlight.or_else(|| {
        let w = state.transcript.wrapped.as_ref()?;
        w.lines[state.transcript.scroll.min(w.lines.len().saturating_sub(1))..]
            .iter()
            .find_map(|l| l.message)
    })
}

/// `[` / `]`: the previous / next message becomes current (highlighted)
/// and is brought into view.
pub(crate) fn step_message(state: &mut State, delta: isize) {
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
    let start = message_start(state, next);
    let view = state.transcript_viewport();
    if start < state.transcript.scroll || start >= state.transcript.scroll + view {
        show_message(state, next, 1);
    }
}
