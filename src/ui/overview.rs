//! The study at a glance (`o`), in place of transcript and answers:
//! horizontal `BarChart`s for quality, status, language and answers per
//! question, a `Sparkline` of interviews per day, and triage counts.
//! Counts and percentages sit in the label column, so they read without
//! colour and never cover a bar; a count that is not zero always gets at
//! least one block.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Direction, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Sparkline};

use super::Theme;
use crate::app::State;
use crate::app::keymap::Action;
use crate::app::overview::{overview_rows, overview_text_rows};
use crate::app::state::Loadable;
use crate::store::Overview;
use crate::text::{display_line, pad_to_width, truncate_to_width};

const LABEL_COLS: usize = 14;
const COUNT_COLS: usize = 13;

/// How many blocks `n` gets out of `room`, scaled to the largest count:
/// never zero for a count that is not zero.
fn blocks(n: u64, max: u64, room: u64) -> u64 {
    if n == 0 || room == 0 {
        return 0;
    }
    ((n as f64 / max.max(1) as f64) * room as f64)
        .round()
        .clamp(1.0, room as f64) as u64
}

/// One titled section: its title row, one bar per row, `gap` blank rows.
/// Draws what fits in `area` and returns the next free row.
fn draw_section(
    buf: &mut Buffer,
    area: Rect,
    title: &str,
    rows: &[(String, u64)],
    total: u64,
    gap: u16,
    theme: &Theme,
) -> u16 {
    let bottom = area.bottom();
    if area.height == 0 {
        return area.y;
    }
    Paragraph::new(Line::styled(title.to_string(), theme.bold()))
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
    let y = area.y + 1;
    let height = (rows.len() as u16).min(bottom.saturating_sub(y));
    if height > 0 {
        // The chart's own scale is the bar room itself, so each bar is
        // exactly the blocks computed here.
        // Labels take the width they need (a question's text), leaving
        // the bars at least a fifth of the pane.
        let widest = rows
            .iter()
            .map(|(l, _)| crate::text::width(&display_line(l)))
            .max()
            .unwrap_or(0);
        let most = (area.width as usize)
            .saturating_sub(COUNT_COLS + 1)
            .saturating_sub(area.width as usize / 5);
        let label_cols = (widest + 1).clamp(LABEL_COLS, most.max(LABEL_COLS));
        let room = (area.width as usize).saturating_sub(label_cols + COUNT_COLS + 1) as u64;
        let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let bars: Vec<Bar> = rows
            .iter()
            .map(|(label, n)| {
                let pct = if total == 0 {
                    0.0
                } else {
                    *n as f64 * 100.0 / total as f64
                };
                let label = pad_to_width(
                    &truncate_to_width(&display_line(label), label_cols - 1),
                    label_cols,
                );
                let count = pad_to_width(&format!("{n} ({pct:.0}%)"), COUNT_COLS);
                Bar::default()
                    .value(blocks(*n, max, room))
                    .text_value("")
                    .label(Line::from(vec![Span::raw(label), Span::raw(count)]))
            })
            .collect();
        let chart = BarChart::default()
            .direction(Direction::Horizontal)
            .bar_width(1)
            .bar_gap(0)
            .bar_style(theme.bold())
            .max(room.max(1))
            .data(BarGroup::default().bars(&bars));
        chart.render(Rect::new(area.x, y, area.width, height), buf);
    }
    (y + rows.len() as u16 + gap).min(bottom.max(y))
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let filters = super::bars::filters_text(state);
    let mut block = Block::bordered()
        .border_type(ratatui::widgets::BorderType::Thick)
        .title(format!(
            " Overview · {filters} · {} closes ",
            state.keys.pane_key(&Action::ToggleOverview)
        ));
    let inner = super::inner(area);
    let o: &Overview = match &state.overview.counts {
        Some(Loadable::Ready(o)) => o,
        other => {
            let line = match other {
                Some(Loadable::Failed(e)) => {
                    Line::raw(format!("Could not count: {}", display_line(&e.to_string())))
                }
                _ => Line::styled("Counting…", theme.dim()),
            };
            frame.render_widget(block, area);
            frame.render_widget(Paragraph::new(line), inner);
            return;
        }
    };
    let h = usize::from(inner.height);
    if overview_rows(o, 0) <= h {
        frame.render_widget(block, area);
        draw_content(frame.buffer_mut(), inner, o, theme);
        return;
    }
    // Taller than the pane even tightened: drawn whole off screen, and the
    // rows scrolled to copied in.
    let full = overview_rows(o, 1);
    let scroll = state.overview.scroll.min(full.saturating_sub(h));
    if let Some(p) = super::position(scroll, h, full) {
        block = block.title_bottom(Line::from(p).right_aligned());
    }
    frame.render_widget(block, area);
    let tall = Rect::new(
        inner.x,
        0,
        inner.width,
        u16::try_from(full).unwrap_or(u16::MAX),
    );
    let mut off = Buffer::empty(tall);
    draw_content(&mut off, tall, o, theme);
    let screen = frame.buffer_mut();
    for row in 0..inner.height {
        let from = u16::try_from(scroll).unwrap_or(0).saturating_add(row);
        for x in inner.x..inner.right() {
            if let (Some(src), Some(dst)) = (
                off.cell((x, from)).cloned(),
                screen.cell_mut((x, inner.y + row)),
            ) {
                *dst = src;
            }
        }
    }
}

/// The overview's rows in `inner`: with blank rows between sections when
/// they fit, else tightened (no blank rows, a two-row day chart).
fn draw_content(buf: &mut Buffer, inner: Rect, o: &Overview, theme: &Theme) {
    Paragraph::new(Line::from(vec![
        Span::styled(
            crate::text::count(o.total, "interview", "interviews"),
            theme.bold(),
        ),
        Span::raw(format!(
            " · reviewed {} · starred {}",
            o.reviewed, o.starred
        )),
    ]))
    .render(
        Rect::new(inner.x, inner.y, inner.width, 1.min(inner.height)),
        buf,
    );
    let answered: Vec<(String, u64)> = o
        .answered
        .iter()
        .enumerate()
        .map(|(n, (q, c))| (format!("{}. {q}", n + 1), *c))
        .collect();
    let sections: [(&str, &[(String, u64)]); 4] = [
        ("Quality", &o.quality),
        ("Status", &o.status),
        ("Language", &o.language),
        ("Answered, per question", &answered),
    ];
    let roomy = overview_rows(o, 1) <= usize::from(inner.height);
    let gap = u16::from(roomy);
    let spark_rows = if roomy { 3u16 } else { 2 };
    let text_rows = u16::try_from(overview_text_rows(o, usize::from(gap))).unwrap_or(u16::MAX);
    let text_area = Rect {
        height: inner.height.min(text_rows),
        ..inner
    };
    let bottom = text_area.y + text_area.height;
    let mut y = text_area.y + 1 + gap;
    for (title, rows) in sections {
        y = draw_section(
            buf,
            Rect {
                y,
                height: bottom.saturating_sub(y),
                ..text_area
            },
            title,
            rows,
            o.total,
            gap,
            theme,
        );
    }
    if inner.height > text_area.height + 1 && !o.per_day.is_empty() {
        let below = Rect {
            y: inner.y + text_area.height,
            height: inner.height - text_area.height,
            ..inner
        };
        draw_per_day(buf, below, &o.per_day, spark_rows, theme);
    }
}

/// Interviews per day as a sparkline under its title, in `area` (two
/// lines or more): the days that fit, the latest kept; the title names
/// the first and last of them and the busiest.
fn draw_per_day(
    buf: &mut Buffer,
    area: Rect,
    per_day: &[(String, u64)],
    spark_rows: u16,
    theme: &Theme,
) {
    let from = per_day.len().saturating_sub(area.width as usize);
    let days = &per_day[from..];
    let first = days.first().map_or("", |(d, _)| d.as_str());
    let last = days.last().map_or("", |(d, _)| d.as_str());
    let peak = days
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(d, n)| format!(" · peak {n} on {}", display_line(d)))
        .unwrap_or_default();
    let title = format!(
        "Interviews per day, {} to {}{peak}",
        display_line(first),
        display_line(last)
    );
    Paragraph::new(Line::styled(
        truncate_to_width(&title, area.width as usize).into_owned(),
        theme.bold(),
    ))
    .render(Rect { height: 1, ..area }, buf);
    let shown: Vec<u64> = days.iter().map(|(_, n)| *n).collect();
    let h = area.height.saturating_sub(1).min(spark_rows);
    Sparkline::default()
        .data(&shown)
        .style(theme.bold())
        .render(Rect::new(area.x, area.y + 1, area.width, h), buf);
}

#[cfg(test)]
mod tests {
    use super::blocks;

    #[test]
    fn a_count_that_is_not_zero_always_gets_a_block() {
        assert_eq!(blocks(1, 100_000, 40), 1);
        assert_eq!(blocks(0, 100_000, 40), 0);
        assert_eq!(blocks(100_000, 100_000, 40), 40);
        assert_eq!(blocks(50, 100, 40), 20);
        // No room at all (a very narrow pane): no bar, no panic.
        assert_eq!(blocks(5, 10, 0), 0);
    }
}
