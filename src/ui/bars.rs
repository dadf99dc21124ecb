use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::State;
use crate::app::keymap::pane_hint;
use crate::app::state::{Level, Pane};
use crate::text::{display_line, sanitize_line, truncate_to_width, width};

const SPINNER: [char; 8] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧'];

/// "120 loaded of 237", "237 interviews", "…": what the list holds.
pub fn count_text(state: &State) -> String {
    let n = state.list.rows.len();
    if !state.list.walk.has_more() && !state.list.in_flight && state.list.error.is_none() {
        return if n == 1 {
            "1 interview".to_string()
        } else {
            format!("{n} interviews")
        };
    }
    match state.study.as_ref().and_then(|s| s.total) {
        Some(total) if !state.has_filters() => format!("{n} loaded of {total}"),
        _ => format!("{n} loaded"),
    }
}

pub fn top(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let study = state.study.as_ref().map_or_else(
        || "no study open".to_string(),
        |s| {
            s.name
                .as_deref()
                .map_or_else(|| display_line(&s.id), display_line)
        },
    );
    let f = &state.filters;
    let mut filters = vec![
        format!("status: {}", f.status.as_deref().unwrap_or("all")),
        format!("quality: {}", f.quality.as_deref().unwrap_or("any")),
    ];
    if let Some(r) = &f.reference_id {
        filters.push(format!("ref: {}", sanitize_line(r)));
    }
    let mut spans = vec![
        Span::styled(" uj ", theme.bold()),
        Span::raw("│ "),
        Span::styled(study, theme.bold()),
        Span::raw(" │ "),
        Span::raw(filters.join(" · ")),
        Span::raw(" │ "),
        Span::raw(count_text(state)),
    ];
    if let Some(label) = &state.offline_label {
        spans.push(Span::raw(format!(" │ {label}")));
    }
    let mut lines = vec![Line::from(spans).style(theme.bar())];
    if state.demo_banner {
        lines.push(
            Line::from(" Demo data (no API key set). To browse your studies: export USERJOURNEYS_API_KEY=uj_live_… or set api_key_command in ~/.config/uj/config.toml")
                .style(theme.banner()),
        );
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn bottom(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let cols = area.width as usize;
    let right = if state.is_loading() {
        // A reload keeps the old rows on screen; say that they are being replaced.
        let what = if state.list.replacing && state.list.in_flight {
            "reloading…"
        } else {
            "loading…"
        };
        format!(" {} {what} ", SPINNER[state.spinner % SPINNER.len()])
    } else {
        String::new()
    };
    let room = cols.saturating_sub(width(&right));
    let left: Line = if let Some(search) = state.search.as_ref().filter(|s| s.editing) {
        let found = if search.query.is_empty() {
            String::new()
        } else {
            format!("  ({} matches)", search.matches.len())
        };
        Line::from(format!("/{}▏{found}", sanitize_line(&search.query)))
    } else if let Some(n) = &state.notice {
        let mark = match n.level {
            Level::Info => "",
            Level::Warn => "⚠ ",
            Level::Error => "✗ ",
        };
        Line::from(Span::styled(
            truncate_to_width(&format!("{mark}{}", sanitize_line(&n.text)), room).into_owned(),
            theme.level(n.level),
        ))
    } else if let Some(search) = state.search.as_ref().filter(|s| !s.query.is_empty()) {
        let at = if search.matches.is_empty() {
            0
        } else {
            search.current + 1
        };
        Line::from(format!(
            "/{}  match {at} of {}  n/N next/previous  Esc clears",
            sanitize_line(&search.query),
            search.matches.len()
        ))
    } else {
        Line::from(Span::styled(pane_hint(state.focus), theme.dim()))
    };
    let left = Line::from(
        left.spans
            .into_iter()
            .map(|s| {
                let style = s.style;
                Span::styled(truncate_to_width(&s.content, room).into_owned(), style)
            })
            .collect::<Vec<_>>(),
    );
    frame.render_widget(Paragraph::new(left), area);
    if !right.is_empty() {
        let w = width(&right) as u16;
        let r = Rect::new(
            area.x + area.width.saturating_sub(w),
            area.y,
            w.min(area.width),
            1,
        );
        frame.render_widget(Paragraph::new(right).style(theme.bold()), r);
    }
}

pub fn tabs(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let third = (area.width / 3) as usize;
    let spans: Vec<Span> = Pane::ALL
        .iter()
        .map(|p| {
            let label = format!(
                "{:^third$}",
                if *p == state.focus {
                    format!("[{}]", p.title())
                } else {
                    p.title().to_string()
                }
            );
            if *p == state.focus {
                Span::styled(label, theme.selected())
            } else {
                Span::styled(label, theme.dim())
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
