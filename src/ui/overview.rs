//! The study at a glance (`o`), in place of transcript and answers: bars
//! for quality, status and language, interviews per day, answers per
//! question, triage. Bars are text (`█`), so they read without colour, and
//! a count that is not zero always has at least one block.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Sparkline};

use super::Theme;
use crate::app::State;
use crate::store::Overview;
use crate::text::{display_line, pad_to_width, truncate_to_width};

fn bar_lines(
    title: &str,
    rows: &[(String, u64)],
    total: u64,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(title.to_string(), theme.bold())];
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let label_cols = 14;
    let number_cols = 13;
    let room = width.saturating_sub(label_cols + number_cols + 2).max(1);
    for (label, n) in rows {
        let blocks = if *n == 0 {
            0
        } else {
            ((*n as f64 / max as f64) * room as f64).round().max(1.0) as usize
        };
        let pct = if total == 0 {
            0.0
        } else {
            *n as f64 * 100.0 / total as f64
        };
        out.push(Line::from(vec![
            Span::raw(pad_to_width(
                &truncate_to_width(&display_line(label), label_cols - 1),
                label_cols,
            )),
            Span::styled("█".repeat(blocks), theme.bold()),
            Span::raw(format!(" {n} ({pct:.0}%)")),
        ]));
    }
    out.push(Line::raw(""));
    out
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let filters = super::bars::filters_text(state);
    let block = Block::bordered()
        .border_type(ratatui::widgets::BorderType::Thick)
        .title(format!(" Overview · {filters} · o closes "));
    let inner = super::inner(area);
    frame.render_widget(block, area);
    let Some(Some(result)) = &state.overview else {
        frame.render_widget(
            Paragraph::new(Line::styled("Counting…", theme.dim())),
            inner,
        );
        return;
    };
    let o: &Overview = match result {
        Ok(o) => o,
        Err(e) => {
            frame.render_widget(
                Paragraph::new(format!("Could not count: {}", display_line(e))),
                inner,
            );
            return;
        }
    };
    let w = inner.width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} interviews", o.total), theme.bold()),
        Span::raw(format!(
            " · reviewed {} · starred {}",
            o.reviewed, o.starred
        )),
    ])];
    lines.push(Line::raw(""));
    lines.extend(bar_lines("Quality", &o.quality, o.total, w, theme));
    lines.extend(bar_lines("Status", &o.status, o.total, w, theme));
    lines.extend(bar_lines("Language", &o.language, o.total, w, theme));
    let answered: Vec<(String, u64)> = o
        .answered
        .iter()
        .enumerate()
        .map(|(n, (q, c))| (format!("{}. {q}", n + 1), *c))
        .collect();
    lines.extend(bar_lines(
        "Answered, per question",
        &answered,
        o.total,
        w,
        theme,
    ));
    let text_rows = lines.len() as u16;
    // Interviews per day at the bottom, when there is room.
    let spark_rows = 4u16;
    let text_area = Rect {
        height: inner
            .height
            .saturating_sub(spark_rows)
            .max(1)
            .min(text_rows),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), text_area);
    if inner.height > text_area.height + 2 && !o.per_day.is_empty() {
        let y = inner.y + text_area.height;
        let first = o.per_day.first().map_or("", |(d, _)| d.as_str());
        let last = o.per_day.last().map_or("", |(d, _)| d.as_str());
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("Interviews per day, {first} to {last}"),
                theme.bold(),
            )),
            Rect::new(inner.x, y, inner.width, 1),
        );
        let days: Vec<u64> = o.per_day.iter().map(|(_, n)| *n).collect();
        let shown = &days[days.len().saturating_sub(inner.width as usize)..];
        let h = (inner.y + inner.height)
            .saturating_sub(y + 1)
            .min(spark_rows);
        frame.render_widget(
            Sparkline::default().data(shown).style(theme.bold()),
            Rect::new(inner.x, y + 1, inner.width, h),
        );
    }
}
