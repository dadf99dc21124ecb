use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{Theme, inner, pane_block};
use crate::app::State;
use crate::app::detail::AnswerKind;
use crate::app::state::Pane;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let wrapped = &state.answers.wrapped;
    let count = wrapped.starts.len();
    let title = if count == 0 {
        "Answers".to_string()
    } else {
        format!("Answers · {} of {count}", state.answers.selected + 1)
    };
    let body = inner(area);
    let h = body.height as usize;
    let mut block = pane_block(state, Pane::Answers, title, theme);
    if state.shown_detail().is_some()
        && let Some(p) = super::position(state.answers.scroll, h, wrapped.lines.len())
    {
        block = block.title_bottom(Line::from(p).right_aligned());
    }
    frame.render_widget(block, area);
    if state.shown_detail().is_none() {
        return;
    }
    if count == 0 {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "No answers yet (the interview may still be running or being analysed).",
                theme.dim(),
            ))
            .wrap(ratatui::widgets::Wrap { trim: true }),
            body,
        );
        return;
    }
    let start = state.answers.scroll.min(wrapped.lines.len());
    let end = (start + h).min(wrapped.lines.len());
    let lines: Vec<Line> = wrapped.lines[start..end]
        .iter()
        .map(|l| {
            let selected = l.answer == state.answers.selected;
            let style = match l.kind {
                AnswerKind::Question if selected => theme.selected(),
                AnswerKind::Question => theme.bold(),
                AnswerKind::NoAnswer => theme.dim().add_modifier(ratatui::style::Modifier::ITALIC),
                AnswerKind::Excerpt | AnswerKind::Translation => theme.translation(),
                _ => ratatui::style::Style::new(),
            };
            let marker = if selected && l.kind != AnswerKind::Blank {
                "▌"
            } else {
                " "
            };
            Line::from(vec![
                ratatui::text::Span::styled(marker, theme.border(true)),
                ratatui::text::Span::styled(l.text.as_str(), style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}
