//! The mouse: the wheel scrolls the pane under it, a click focuses and
//! selects.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::super::detail::{scroll_transcript, step_answer};
use super::super::layout::{self, Mode};
use super::super::list::{move_list, select_row};
use super::super::msg::Effect;
use super::super::state::{Pane, State};
use super::super::viewport::refresh_views;

/// Rows or lines the mouse wheel moves.
const WHEEL_STEP: usize = 3;

pub(in crate::app) fn on_mouse(state: &mut State, m: MouseEvent) -> Vec<Effect> {
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
                    if row < state.list.window.total {
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
