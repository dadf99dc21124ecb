//! What part of the wrapped lines is on screen: the transcript's and the
//! answers' scroll, kept within the content and on the selection, and the
//! wrapping redone when the interview, the width or the mode changes.

use super::layout::Mode;
use super::screen_lines::{wrap_answers, wrap_transcript_coded};
use super::state::{Pane, State};
use crate::store::Overview;

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
pub(super) fn answer_span(state: &State, n: usize) -> Option<(usize, usize)> {
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
/// In question mode, Answers stands on the chosen question of whichever
/// interview is shown; whether the interview has that question.
pub(super) fn select_chosen_question(
    state: &mut State,
    detail: &crate::api::model::InterviewDetail,
) -> bool {
    let Some(q) = state.question else {
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

pub fn refresh_views(state: &mut State) {
    let viewport = state.list_viewport();
    let list = &mut state.list;
    if list.selected >= list.window.total {
        list.selected = list.window.total.saturating_sub(1);
    }
    if list.selected < list.offset {
        list.offset = list.selected;
    } else if list.selected >= list.offset + viewport {
        list.offset = list.selected + 1 - viewport;
    }
    // On the last row, keep the line below it in view: it says whether
    // more is loading, the list ended, or why it stopped.
    if viewport >= 2
        && list.selected + 1 == list.window.total
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
            // Compared in place: a note can be long, and this runs on
            // every message.
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

/// The overview's rows when it has room: the totals line, each section
/// (title, one row per value, a blank row), and interviews per day (a
/// title and three rows).
pub fn overview_rows(o: &Overview, gap: usize) -> usize {
    let per_day = if o.per_day.is_empty() { 0 } else { 1 + 2 + gap };
    overview_text_rows(o, gap) + per_day
}

/// The overview's rows above the day chart: the totals line and the four
/// sections, each with `gap` blank rows after it.
pub fn overview_text_rows(o: &Overview, gap: usize) -> usize {
    let sections = [&o.quality, &o.status, &o.language, &o.answered];
    1 + gap + sections.iter().map(|s| s.len() + 1 + gap).sum::<usize>()
}

/// Lines inside the overview's box: it takes the transcript and answers'
/// place, or the one pane when narrow.
pub fn overview_viewport(state: &State) -> usize {
    let areas = state.areas();
    let rect = match areas.mode {
        Mode::Narrow => areas.list.or(areas.transcript).or(areas.answers),
        _ => match (areas.transcript, areas.answers) {
            (Some(t), Some(a)) => Some(t.union(a)),
            (t, a) => t.or(a),
        },
    };
    rect.map_or(0, super::layout::inner_height)
}

/// How far the overview can scroll: nothing while it fits, tightened
/// (no blank rows, a shorter day chart) or not.
pub fn overview_scroll_max(state: &State) -> usize {
    let Some(super::state::Loadable::Ready(o)) = &state.overview else {
        return 0;
    };
    let view = overview_viewport(state);
    if overview_rows(o, 0) <= view {
        0
    } else {
        overview_rows(o, 1).saturating_sub(view)
    }
}

/// Scrolls the overview by `lines` (clamped).
pub fn scroll_overview(state: &mut State, lines: isize) {
    let most = overview_scroll_max(state);
    state.overview_scroll = state.overview_scroll.saturating_add_signed(lines).min(most);
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
