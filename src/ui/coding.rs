//! The coding views: the code picker, the codebook, the evidence board
//! and the matrix. No key is named here: the bottom bar's hints and the
//! help come from the binding table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;
use crate::app::State;
use crate::app::coding::{Board, CodePicker, Codebook, Loadable, MatrixView, PickFor};
use crate::app::detail::wrap_into;
use crate::app::keymap::{Action, Context};
use crate::store::Evidence;
use crate::text::{display_line, truncate_to_width, width};

fn boxed(area: Rect, width: u16, height: u16) -> Rect {
    super::overlay::centered(area, width, height)
}

fn loading<T>(l: &Loadable<T>, theme: &Theme) -> Option<Vec<Line<'static>>> {
    match l {
        Loadable::Ready(_) => None,
        Loadable::Loading => Some(vec![Line::styled("Reading…", theme.dim())]),
        Loadable::Failed(e) => Some(vec![Line::styled(
            format!("Could not read it: {}", display_line(&e.to_string())),
            theme.dim(),
        )]),
    }
}

pub fn picker(frame: &mut Frame, state: &State, p: &CodePicker, theme: &Theme) {
    let area = frame.area();
    let rows = p.rows.len().clamp(1, 12) as u16;
    let r = boxed(area, 60, rows + 6);
    frame.render_widget(Clear, r);
    let inner = usize::from(r.width.saturating_sub(4));
    let bulk_title;
    let title = match p.purpose {
        PickFor::Bulk(n) => {
            bulk_title = format!(
                " Code all {} of the list ",
                crate::text::count(n, "interview", "interviews")
            );
            bulk_title.as_str()
        }
        PickFor::Code(_) => " Code this message ",
        PickFor::Remove { .. } => " Remove a code ",
        PickFor::MergeInto { .. } => " Merge into ",
        PickFor::Parent { .. } => " Put under ",
    };
    let mut lines = vec![Line::from(vec![
        Span::styled("code: ", theme.bold()),
        Span::raw(super::field_text(&p.query, inner.saturating_sub(6))),
    ])];
    if !p.recent.is_empty() && p.query.is_empty() {
        let recent: Vec<String> = p
            .recent
            .iter()
            .enumerate()
            .filter_map(|(n, name)| {
                let key = state
                    .keys
                    .keys_for(Context::CodePicker, &Action::PickRecent(n as u8 + 1))?;
                Some(format!("{key} {}", display_line(name)))
            })
            .collect();
        lines.push(Line::styled(
            truncate_to_width(&format!("recent: {}", recent.join("  ")), inner).into_owned(),
            theme.dim(),
        ));
    } else {
        lines.push(Line::raw(""));
    }
    let visible = usize::from(rows);
    let first = p.selected.saturating_sub(visible.saturating_sub(1));
    if p.rows.is_empty() {
        // With nothing typed and no code yet, say how a code is made.
        let empty = if p.making() && p.choices.is_empty() && p.query.text().is_empty() {
            "(no codes yet: type a name to make one)"
        } else {
            "(no code matches)"
        };
        lines.push(Line::styled(empty, theme.dim()));
    }
    for (n, row) in p.rows.iter().enumerate().skip(first).take(visible) {
        let marker = if n == p.selected { "▶ " } else { "  " };
        let label = if row.new {
            format!("{} (new code)", display_line(&row.name))
        } else {
            display_line(&row.name)
        };
        let style = if n == p.selected {
            theme.selected()
        } else {
            row.id
                .map_or_else(ratatui::style::Style::new, |id| theme.code(id))
        };
        lines.push(Line::from(vec![
            Span::raw(marker),
            Span::styled(truncate_to_width(&label, inner).into_owned(), style),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        r,
    );
}

pub fn codebook(frame: &mut Frame, state: &State, book: &Codebook, theme: &Theme) {
    let area = frame.area();
    let entries = &state.coding.codebook;
    let r = boxed(area, 76, (entries.len() as u16 + 2).clamp(5, area.height));
    frame.render_widget(Clear, r);
    let inner = usize::from(r.width.saturating_sub(2));
    let visible = usize::from(r.height.saturating_sub(2)).max(1);
    let first = book.selected.saturating_sub(visible - 1);
    let mut lines = Vec::new();
    if entries.is_empty() {
        lines.push(Line::styled(
            truncate_to_width("No codes yet: code a message in the transcript.", inner)
                .into_owned(),
            theme.dim(),
        ));
    }
    for (n, e) in entries.iter().enumerate().skip(first).take(visible) {
        let counts = format!("{} · {}", e.highlights, e.interviews);
        let name = format!("{}▍{}", "  ".repeat(e.depth), display_line(&e.code.name));
        let description = if e.code.description.is_empty() {
            String::new()
        } else {
            format!(" — {}", display_line(&e.code.description))
        };
        let room = inner.saturating_sub(width(&counts) + 1);
        let left = truncate_to_width(&format!("{name}{description}"), room).into_owned();
        let pad = inner.saturating_sub(width(&left) + width(&counts));
        let style = if n == book.selected {
            theme.selected()
        } else {
            theme.code(e.code.id)
        };
        lines.push(Line::from(vec![
            Span::styled(left, style),
            Span::raw(" ".repeat(pad)),
            Span::styled(counts, theme.dim()),
        ]));
    }
    let block = Block::bordered()
        .title(" Codebook ")
        .title_bottom(Line::from(" highlights · interviews ").right_aligned());
    frame.render_widget(Paragraph::new(lines).block(block), r);
}

pub fn board(frame: &mut Frame, state: &State, b: &Board, theme: &Theme) {
    let area = frame.area();
    let r = boxed(
        area,
        area.width.saturating_sub(4).max(20),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, r);
    let cols = usize::from(r.width.saturating_sub(4)).max(1);
    let mut title = format!(" Evidence: {} ", display_line(&b.name));
    if let Some((segment, column)) = &b.cell {
        title = format!(
            " Evidence: {} · {} {} ",
            display_line(&b.name),
            segment.name(),
            display_line(column)
        );
    }
    let shown = b.shown();
    let mut block = Block::bordered().title(truncate_to_width(&title, cols).into_owned());
    if !shown.is_empty() {
        block = block.title_bottom(
            Line::from(format!(" {} of {} ", b.selected + 1, shown.len())).right_aligned(),
        );
    }
    let visible = usize::from(r.height.saturating_sub(2));
    let (lines, selected_at) = match loading(&b.items, theme) {
        Some(lines) => (lines, 0),
        None if shown.is_empty() => (
            vec![Line::styled(
                "No highlight has this code here.",
                theme.dim(),
            )],
            0,
        ),
        None => {
            let mut lines = Vec::new();
            let mut selected_at = 0;
            for (n, e) in shown.iter().enumerate() {
                if n == b.selected {
                    selected_at = lines.len();
                }
                lines.extend(evidence_lines(state, e, n == b.selected, cols, theme));
            }
            (lines, selected_at)
        }
    };
    // The selected quote stays in view, a third of the way down.
    let most = lines.len().saturating_sub(visible);
    let scroll = selected_at.saturating_sub(visible / 3).min(most);
    let lines: Vec<Line> = lines.into_iter().skip(scroll).take(visible).collect();
    frame.render_widget(Paragraph::new(lines).block(block), r);
}

/// One quote on the board: the quote, its English, then who said it,
/// the quality, its codes, its comment; a blank line after.
fn evidence_lines(
    state: &State,
    e: &Evidence,
    here: bool,
    cols: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let h = &e.highlight;
    let mut lines = Vec::new();
    let marker = if here { "▶ " } else { "  " };
    let quote_style = if here {
        theme.selected()
    } else {
        ratatui::style::Style::new()
    };
    let quote = wrap_into(&format!("“{}”", display_line(h.quote.trim())), cols);
    for (k, l) in quote.into_iter().enumerate() {
        let m = if k == 0 { marker } else { "  " };
        lines.push(Line::from(vec![Span::raw(m), Span::styled(l, quote_style)]));
    }
    if let Some(en) = &e.english {
        for l in wrap_into(&display_line(en.trim()), cols) {
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(l, theme.translation()),
            ]));
        }
    }
    let codes: Vec<String> = h
        .codes
        .iter()
        .map(|c| display_line(state.coding.name(*c).unwrap_or("(deleted code)")))
        .collect();
    let mut facts = vec![display_line(&crate::present::evidence_citation(e))];
    facts.push(e.quality.clone().unwrap_or_else(|| "not scored".into()));
    facts.push(codes.join(", "));
    if !h.comment.is_empty() {
        facts.push(format!("comment: {}", display_line(&h.comment)));
    }
    if !e.in_api {
        facts.push("(no longer in the API)".into());
    }
    for l in wrap_into(&format!("— {}", facts.join(" · ")), cols) {
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(l, theme.dim()),
        ]));
    }
    lines.push(Line::raw(""));
    lines
}

pub fn matrix(frame: &mut Frame, m: &MatrixView, theme: &Theme) {
    let area = frame.area();
    let r = boxed(
        area,
        area.width.saturating_sub(4).max(20),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, r);
    let cols = usize::from(r.width.saturating_sub(2));
    let what = if m.shares {
        "share of each column"
    } else {
        "interviews"
    };
    let title = format!(" Matrix: codes × {} ({what}) ", m.segment.name());
    let block = Block::bordered().title(truncate_to_width(&title, cols).into_owned());
    let lines = match loading(&m.matrix, theme) {
        Some(lines) => lines,
        None => {
            let Loadable::Ready(matrix) = &m.matrix else {
                return;
            };
            crate::present::matrix_text(matrix, m.shares)
                .into_iter()
                .enumerate()
                .map(|(n, l)| {
                    let l = truncate_to_width(&l, cols).into_owned();
                    if n == 0 {
                        Line::styled(l, theme.bold())
                    } else if n == m.row + 1 {
                        Line::styled(l, theme.selected())
                    } else {
                        Line::raw(l)
                    }
                })
                .collect()
        }
    };
    let mut block = block;
    if let Loadable::Ready(x) = &m.matrix
        && let (Some(row), Some((column, total))) = (x.rows.get(m.row), x.columns.get(m.column))
    {
        let n = row.cells.get(m.column).copied().unwrap_or(0);
        let cell = format!(
            " {} × {}: {n} of {total} interviews ",
            display_line(&row.name),
            display_line(column)
        );
        block = block
            .title_bottom(Line::from(truncate_to_width(&cell, cols).into_owned()).right_aligned());
    }
    let visible = usize::from(r.height.saturating_sub(2));
    let scroll = (m.row + 1)
        .saturating_sub(visible.saturating_sub(1))
        .min(lines.len().saturating_sub(visible));
    let lines: Vec<Line> = lines.into_iter().skip(scroll).take(visible).collect();
    frame.render_widget(Paragraph::new(lines).block(block), r);
}

pub fn views(frame: &mut Frame, state: &State, p: &crate::app::views::ViewsPicker, theme: &Theme) {
    let area = frame.area();
    let r = boxed(
        area,
        76,
        (state.views.len() as u16 + 2).clamp(5, area.height),
    );
    frame.render_widget(Clear, r);
    let inner = usize::from(r.width.saturating_sub(2));
    let visible = usize::from(r.height.saturating_sub(2)).max(1);
    let first = p.selected.saturating_sub(visible - 1);
    let mut lines = Vec::new();
    if state.views.is_empty() {
        lines.push(Line::styled(
            "No saved views yet: the list's search and filters can be saved as one.",
            theme.dim(),
        ));
    }
    for (n, (name, query)) in state.views.iter().enumerate().skip(first).take(visible) {
        let counts = match &p.counts {
            Loadable::Ready(c) => c
                .get(n)
                .map(|(all, open)| format!("{all} · {open} unreviewed"))
                .unwrap_or_default(),
            Loadable::Loading => "…".into(),
            Loadable::Failed(_) => "?".into(),
        };
        let left = format!("{}  {}", display_line(name), display_line(query));
        let room = inner.saturating_sub(width(&counts) + 1);
        let left = truncate_to_width(&left, room).into_owned();
        let pad = inner.saturating_sub(width(&left) + width(&counts));
        let style = if n == p.selected {
            theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(left, style),
            Span::raw(" ".repeat(pad)),
            Span::styled(counts, theme.dim()),
        ]));
    }
    // Rows are cut to the box; the empty list's sentence wraps.
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(Block::bordered().title(" Saved views ")),
        r,
    );
}

pub fn confirm(frame: &mut Frame, c: &crate::app::bulk::Confirm, theme: &Theme) {
    let area = frame.area();
    let r = boxed(area, 64, 5);
    frame.render_widget(Clear, r);
    let inner = usize::from(r.width.saturating_sub(2));
    let lines = vec![
        Line::raw(""),
        Line::styled(
            truncate_to_width(&c.question, inner).into_owned(),
            theme.bold(),
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Every interview of the list ")),
        r,
    );
}
