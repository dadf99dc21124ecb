use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Theme, inner, pane_block};
use crate::app::State;
use crate::app::detail::LineKind;
use crate::app::state::{Level, Pane};
use crate::present::{language, quality_text, status_text};
use crate::text::{display_block, display_line, duration, sanitize_line};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(interview) = state.selected() else {
        frame.render_widget(
            pane_block(state, Pane::Transcript, "Transcript".into(), theme),
            area,
        );
        let text = if state.list.window.total == 0 {
            ""
        } else {
            "No interview selected."
        };
        frame.render_widget(Paragraph::new(text), inner(area));
        return;
    };
    // The title names the mode in force even where it changes nothing (an
    // English interview), so `t` never looks ignored.
    let title = format!(
        "Transcript · {}",
        sanitize_line(&state.transcript.mode.title(interview))
    );
    let body = inner(area);
    let h = body.height as usize;

    let Some(wrapped) = state
        .transcript
        .wrapped
        .as_ref()
        .filter(|w| w.id == interview.id)
    else {
        // The detail is not here yet: show what the list already knows.
        frame.render_widget(pane_block(state, Pane::Transcript, title, theme), area);
        let lines = pending_lines(state, interview, theme);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        return;
    };

    let total = wrapped.lines.len();
    let start = state.transcript.scroll.min(total);
    let end = (start + h).min(total);
    let mut block = pane_block(state, Pane::Transcript, title, theme);
    if let Some(p) = super::position(start, end - start, total) {
        block = block.title_bottom(Line::from(p).right_aligned());
    }
    frame.render_widget(block, area);

    let search = state
        .search
        .as_ref()
        .filter(|s| s.pane == Pane::Transcript && !s.query.is_empty());
    // One current message: the match walked to, the excerpt reached or
    // the message stepped to all set it.
    let current = state.transcript.highlight;
    let lines: Vec<Line> = wrapped.lines[start..end]
        .iter()
        .map(|l| screen_line(l, current, search, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}

/// What the list already knows of an interview whose transcript is on its
/// way, or why it is not coming.
fn pending_lines(
    state: &State,
    interview: &crate::api::model::Interview,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::styled(
            interview
                .headline
                .as_deref()
                .map_or_else(|| "(no headline yet)".into(), display_line),
            theme.bold(),
        ),
        Line::raw(format!(
            "{} · {} · {} · {}",
            language(interview),
            status_text(interview.status.as_ref()),
            quality_text(interview.quality_score.as_ref()),
            interview.duration_secs.map_or_else(|| "-".into(), duration)
        )),
    ];
    // The state line comes before the summary so a short pane shows it.
    match state.details.error(&interview.id) {
        Some(e) => {
            lines.push(Line::styled(
                format!(
                    "Could not load this interview. Press {} to retry.",
                    state.keys.pane_key(&crate::app::keymap::Action::SyncAgain)
                ),
                theme.level(Level::Error),
            ));
            lines.push(Line::raw(display_line(&e.to_string())));
        }
        None => lines.push(Line::styled("Loading transcript…", theme.dim())),
    }
    lines.push(Line::raw(""));
    if let Some(s) = interview.summary.as_deref() {
        lines.push(Line::raw(display_block(s)));
    }
    lines
}

/// One wrapped line as drawn: its kind's style, the current message and
/// the find's matches marked, a code's gutter mark in its colour, a trimmed
/// part underlined, the English beside.
fn screen_line<'a>(
    l: &'a crate::app::detail::ScreenLine,
    current: Option<usize>,
    search: Option<&crate::app::state::Search>,
    theme: &Theme,
) -> Line<'a> {
    let text_style = match l.kind {
        LineKind::Headline => theme.bold(),
        LineKind::Header => theme.dim(),
        LineKind::Marks => theme.bold(),
        LineKind::Translation => theme.translation(),
        LineKind::Codes => theme.dim(),
        _ => ratatui::style::Style::new(),
    };
    let mut text_style = text_style;
    if let Some(m) = l.message {
        if Some(m) == current {
            text_style = theme.current_match();
        } else if search.is_some_and(|s| s.matches.binary_search(&m).is_ok()) {
            text_style = theme.matched();
        }
    }
    let prefix_style = match l.kind {
        LineKind::MessageStart => theme.role(l.role.as_ref()),
        _ => theme.dim(),
    };
    let mut spans = vec![Span::styled(l.prefix.as_str(), prefix_style)];
    match (l.kind, l.part) {
        // The gutter mark in the code's colour, the names dim.
        (LineKind::Codes, _) => {
            let (mark, rest) = l
                .text
                .split_at(l.text.chars().next().map_or(0, char::len_utf8));
            let mark_style = l.code.map_or(text_style, |c| theme.code(c));
            spans.push(Span::styled(mark, mark_style));
            spans.push(Span::styled(rest, text_style));
        }
        // A trimmed part is underlined.
        (_, Some((lo, hi))) if hi <= l.text.len() && lo <= hi => {
            spans.push(Span::styled(&l.text[..lo], text_style));
            spans.push(Span::styled(
                &l.text[lo..hi],
                text_style.add_modifier(ratatui::style::Modifier::UNDERLINED),
            ));
            spans.push(Span::styled(&l.text[hi..], text_style));
        }
        _ => spans.push(Span::styled(l.text.as_str(), text_style)),
    }
    if let Some(en) = &l.beside {
        let en_style = if text_style == ratatui::style::Style::new() {
            theme.translation()
        } else {
            text_style
        };
        spans.push(Span::styled(" │ ", theme.dim()));
        spans.push(Span::styled(en.as_str(), en_style));
    }
    Line::from(spans)
}
