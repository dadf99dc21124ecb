//! `view(frame, &State)`: draws the state and changes nothing. One module
//! per pane or overlay.

mod answers;
mod bars;
mod coding;
mod list;
mod overlay;
mod overview;
mod theme;
mod transcript;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use crate::app::State;
use crate::app::layout::{MIN_HEIGHT, MIN_WIDTH, Mode};
use crate::app::state::Pane;

pub use theme::Theme;

/// Where a scrolled pane is: ` ↑ 27–52 of 90 ↓ `, the arrows saying that more
/// lies above or below; `None` when everything fits.
pub(crate) fn position(start: usize, shown: usize, total: usize) -> Option<String> {
    if total <= shown && start == 0 {
        return None;
    }
    let end = (start + shown).min(total);
    let up = if start > 0 { "↑ " } else { "" };
    let down = if end < total { " ↓" } else { "" };
    Some(format!(" {up}{}–{end} of {total}{down} ", start + 1))
}

/// A text field as drawn: its text with the cursor `▏` where it stands,
/// cut at the left when needed so the cursor stays within `room` columns.
pub(crate) fn field_text(field: &crate::app::line_edit::LineEdit, room: usize) -> String {
    use crate::text::{sanitize_line, width};
    use unicode_segmentation::UnicodeSegmentation;
    let before = sanitize_line(field.before_cursor());
    let after = sanitize_line(field.after_cursor());
    let room = room.max(2);
    // Leave the cursor a column and a little of what follows it, and keep
    // the end of the text before it (counted from the cursor, so a long
    // paste costs one pass).
    let mut want = room.saturating_sub(1 + width(&after).min(room / 4));
    if width(&before) > want {
        want = want.saturating_sub(1); // for the `…`
    }
    let mut start = before.len();
    let mut used = 0;
    for (i, g) in before.grapheme_indices(true).rev() {
        used += width(g);
        if used > want {
            break;
        }
        start = i;
    }
    let cut = if start > 0 { "…" } else { "" };
    let shown = format!("{cut}{}▏{after}", &before[start..]);
    crate::text::truncate_to_width(&shown, room).into_owned()
}

/// Draws the state. The layout follows the size the state last heard of;
/// when the terminal has changed size since (a resize not yet handled), the
/// screen is drawn at that size off screen and clipped to the frame, so no
/// area ever lies outside the buffer. The resize message that follows
/// redraws it at the new size.
pub fn view(frame: &mut Frame, state: &State) {
    let area = frame.area();
    if (area.width, area.height) == (state.width, state.height) && area.x == 0 && area.y == 0 {
        draw(frame, state);
        return;
    }
    let backend = ratatui::backend::TestBackend::new(state.width, state.height);
    let Ok(mut off) = ratatui::Terminal::new(backend);
    if off.draw(|f| draw(f, state)).is_err() {
        return;
    }
    let drawn = off.backend().buffer();
    let screen = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if let (Some(src), Some(dst)) = (drawn.cell((x, y)), screen.cell_mut((x, y))) {
                *dst = src.clone();
            }
        }
    }
}

fn draw(frame: &mut Frame, state: &State) {
    let theme = Theme::new(state.color);
    let areas = state.areas();
    if areas.mode == Mode::TooSmall {
        let text = format!(
            "Terminal too small ({}×{}): uj needs at least {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it, or press {} to quit.",
            state.width,
            state.height,
            state.keys.pane_key(&crate::app::keymap::Action::Quit)
        );
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .alignment(Alignment::Center),
            frame.area(),
        );
        return;
    }
    bars::top(frame, areas.top, state, &theme);
    bars::bottom(frame, areas.bottom, state, &theme);
    if let Some(r) = areas.tabs {
        bars::tabs(frame, r, state, &theme);
    }
    if state.overview.is_open() && areas.mode == Mode::Narrow {
        // One pane at a time: the overview takes it, whichever it is.
        if let Some(r) = areas.list.or(areas.transcript).or(areas.answers) {
            overview::draw(frame, r, state, &theme);
        }
        overlay::draw(frame, state, &theme);
        return;
    }
    if let Some(r) = areas.list {
        list::draw(frame, r, state, &theme);
    }
    if state.overview.is_open() {
        // In place of transcript and answers.
        let r = match (areas.transcript, areas.answers) {
            (Some(t), Some(a)) => Some(t.union(a)),
            (t, a) => t.or(a),
        };
        if let Some(r) = r {
            overview::draw(frame, r, state, &theme);
        }
    } else {
        if let Some(r) = areas.transcript {
            transcript::draw(frame, r, state, &theme);
        }
        if let Some(r) = areas.answers {
            answers::draw(frame, r, state, &theme);
        }
    }
    overlay::draw(frame, state, &theme);
}

/// A pane's frame: bold double border and a marker when focused, so focus
/// reads without colour.
fn pane_block<'a>(state: &State, pane: Pane, title: String, theme: &Theme) -> Block<'a> {
    let focused = state.focus == pane;
    let title = if focused {
        format!(" ▶ {title} ")
    } else {
        format!(" {title} ")
    };
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(theme.border(focused))
        .title(title)
}

/// The inner area of a bordered rectangle.
fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

#[cfg(test)]
mod field_tests {
    use super::field_text;
    use crate::app::line_edit::LineEdit;
    use crate::text::width;

    #[test]
    fn the_cursor_stays_in_view_of_a_long_field() {
        let long = LineEdit::new("a long search for the delivery fee shown at checkout");
        let shown = field_text(&long, 20);
        assert!(
            shown.starts_with('…') && shown.ends_with("checkout▏"),
            "{shown}"
        );
        assert!(width(&shown) <= 20);
        // A short one is drawn whole, the cursor where it stands.
        let mut short = LineEdit::new("送料 fee");
        short.key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Home,
        ));
        assert_eq!(field_text(&short, 20), "▏送料 fee");
        // Control characters never reach the screen.
        assert_eq!(field_text(&LineEdit::new("a\u{1b}[2J"), 20), "a␛[2J▏");
    }
}
