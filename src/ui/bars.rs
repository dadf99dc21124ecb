use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::State;
use crate::app::keymap::pane_hint;
use crate::app::state::{Level, Pane};
use crate::text::{count, display_line, local_datetime, sanitize_line, truncate_to_width, width};

const SPINNER: [char; 8] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧'];

/// "263 interviews", "120 stored of 237", "12 stored": what the list holds.
pub fn count_text(state: &State) -> String {
    let n = state.list.total;
    if !state.list.loaded && n == 0 {
        return "…".into();
    }
    let whole = state.sync.complete
        || (!state.sync.running && state.sync.ephemeral && state.sync.error.is_none());
    if whole {
        return count(n as u64, "interview", "interviews");
    }
    match state.study.as_ref().and_then(|s| s.total) {
        Some(total) if !state.has_filters() => format!("{n} stored of {total}"),
        _ => format!("{n} stored"),
    }
}

/// "syncing 120/263", "synced 14:02", "offline · synced 14:02": where the
/// mirroring stands (empty for the demo and snapshots once loaded).
pub fn sync_text(state: &State) -> String {
    let sync = &state.sync;
    let when = sync.last_synced.as_deref().map(|t| {
        let local = local_datetime(t);
        // "2026-11-29 14:02" → "11-29 14:02"
        display_line(local.get(5..).unwrap_or(&local))
    });
    if sync.running {
        let listed = match sync.expected {
            Some(m) => format!("syncing {}/{m}", sync.listed),
            None => format!("syncing {}", sync.listed),
        };
        let (done, queued) = sync.details;
        return if queued > 0 {
            format!("{listed} · transcripts {done}/{queued}")
        } else {
            listed
        };
    }
    if sync.offline {
        return match when {
            Some(w) => format!("offline · synced {w}"),
            None => "offline · not synced".into(),
        };
    }
    match when {
        Some(w) if !sync.ephemeral => format!("synced {w}"),
        _ => String::new(),
    }
}

/// The filters in force, as the top bar and the overview name them.
pub fn filters_text(state: &State) -> String {
    let f = &state.filters;
    let mut filters = vec![
        format!("status: {}", f.status.as_deref().unwrap_or("all")),
        format!("quality: {}", f.quality.as_deref().unwrap_or("any")),
    ];
    if let Some(r) = &f.reference_id {
        filters.push(format!("ref: {}", sanitize_line(r)));
    }
    let m = &state.mark_filters;
    match m.reviewed {
        Some(true) => filters.push("reviewed".into()),
        Some(false) => filters.push("not reviewed".into()),
        None => {}
    }
    if m.starred {
        filters.push("starred".into());
    }
    if let Some(t) = &m.tag {
        filters.push(format!("tag: {}", sanitize_line(t)));
    }
    if let Some(q) = &state.list_search {
        let mut text = format!("search: “{}”", sanitize_line(q));
        // Until the study is fully stored, say how much was searched.
        if !state.sync.complete
            && let Some(all) = state.study.as_ref().and_then(|s| s.total)
        {
            text.push_str(&format!(" · searched {} of {all}", state.list.searched));
        }
        filters.push(text);
    }
    if let Some(q) = state.question {
        filters.push(format!("question {}", q + 1));
    }
    filters.join(" · ")
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
    let filters = filters_text(state);
    let mut spans = vec![
        Span::styled(" uj ", theme.bold()),
        Span::raw("│ "),
        Span::styled(study, theme.bold()),
        Span::raw(" │ "),
        Span::raw(filters),
        Span::raw(" │ "),
        Span::raw(count_text(state)),
    ];
    let sync = sync_text(state);
    if !sync.is_empty() {
        spans.push(Span::raw(format!(" │ {sync}")));
    }
    if let Some(label) = &state.offline_label {
        spans.push(Span::raw(format!(" │ {}", display_line(label))));
    }
    // Triage progress, once triage has begun.
    if state.list.reviewed > 0 || state.list.starred > 0 {
        let all = state.study.as_ref().and_then(|s| s.total);
        let mut text = match all {
            Some(t) => format!("reviewed {} of {t}", state.list.reviewed),
            None => format!("reviewed {}", state.list.reviewed),
        };
        if state.list.starred > 0 {
            text.push_str(&format!(" · starred {}", state.list.starred));
        }
        spans.push(Span::raw(format!(" │ {text}")));
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
        // A sync alone is background work: say so, not "loading".
        let what = if state.list.in_flight.is_none() && state.detail_in_flight.is_empty() {
            "syncing…"
        } else {
            "loading…"
        };
        format!(" {} {what} ", SPINNER[state.spinner % SPINNER.len()])
    } else {
        String::new()
    };
    let room = cols.saturating_sub(width(&right));
    let left: Line = if let Some(p) = &state.prompt {
        let label = match p.kind {
            crate::app::state::PromptKind::Tags => "tags (+add -remove):",
            crate::app::state::PromptKind::Note => "note:",
        };
        let help = "  Enter saves · Esc cancels";
        let room = room.saturating_sub(width(label) + 1 + width(help));
        Line::from(format!(
            "{label} {}{help}",
            super::field_text(&p.text, room)
        ))
    } else if let Some(search) = state.search.as_ref().filter(|s| s.editing) {
        let found = if search.query.is_empty() {
            String::new()
        } else if search.pane == Pane::List {
            let n = state.list.total;
            format!("  ({})", count(n as u64, "interview", "interviews"))
        } else {
            let n = search.matches.len();
            format!("  ({})", count(n as u64, "match", "matches"))
        };
        let room = room.saturating_sub(1 + width(&found));
        Line::from(format!(
            "/{}{found}",
            super::field_text(&search.query, room)
        ))
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
    } else if let Some(search) = state
        .search
        .as_ref()
        .filter(|s| !s.query.is_empty() && s.pane == Pane::List)
    {
        let n = state.list.total;
        Line::from(format!(
            "/{}  {} found  n/N next/previous  Esc shows all",
            sanitize_line(search.query.text()),
            count(n as u64, "interview", "interviews")
        ))
    } else if let Some(search) = state.search.as_ref().filter(|s| !s.query.is_empty()) {
        let q = sanitize_line(search.query.text());
        Line::from(if search.matches.is_empty() {
            format!("/{q}  no match  Esc clears")
        } else {
            format!(
                "/{q}  match {} of {}  n/N next/previous  Esc clears",
                search.current + 1,
                search.matches.len()
            )
        })
    } else {
        Line::from(Span::styled(
            fit_hint(pane_hint(state.focus), room),
            theme.dim(),
        ))
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

/// The key hints that fit in `room` columns: the pane's own keys drop from
/// the end first, so `? help` and `q quit` stay at every width.
fn fit_hint(hint: &str, room: usize) -> String {
    const TAIL: [&str; 2] = ["? help", "q quit"];
    if width(hint) <= room {
        return hint.to_string();
    }
    let own: Vec<&str> = hint
        .split("  ")
        .filter(|item| !TAIL.contains(item))
        .collect();
    for keep in (0..own.len()).rev() {
        let line = own[..keep]
            .iter()
            .chain(TAIL.iter())
            .copied()
            .collect::<Vec<_>>()
            .join("  ");
        if width(&line) <= room {
            return line;
        }
    }
    truncate_to_width(&TAIL.join("  "), room).into_owned()
}

#[cfg(test)]
mod tests {
    use super::fit_hint;

    #[test]
    fn help_and_quit_outlive_the_other_hints() {
        let hint = "j/k move  Enter open  F filter  ? help  q quit";
        assert_eq!(fit_hint(hint, 80), hint);
        assert_eq!(fit_hint(hint, 36), "j/k move  Enter open  ? help  q quit");
        assert_eq!(fit_hint(hint, 35), "j/k move  ? help  q quit");
        assert_eq!(fit_hint(hint, 26), "j/k move  ? help  q quit");
        assert_eq!(fit_hint(hint, 14), "? help  q quit");
        assert_eq!(fit_hint(hint, 8), "? help …");
    }
}
