use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::Theme;
use crate::app::State;
use crate::app::keymap::{Action, Context, HELP_WIDTH};
use crate::app::state::{
    Field, FilterForm, Loadable, Overlay, Picker, QuestionPicker, StudyPicker,
};
use crate::text::{display_line, pad_to_width, sanitize_line, truncate_to_width};

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    r
}

/// The first row a list overlay in `r` shows, so that row `selected` is
/// on screen.
/// A picker's box: its rows in the frame, or room for a wrapped message.
fn picker_height<T>(p: &Picker<T>, message: u16) -> u16 {
    if p.is_empty() {
        message
    } else {
        u16::try_from(p.len()).unwrap_or(u16::MAX).saturating_add(2)
    }
}

/// A picker's lines: `waiting` while it loads, failed or is empty; else
/// its rows, scrolled so the selection is on screen and marked.
fn picker_lines<T>(
    p: &Picker<T>,
    r: Rect,
    theme: &Theme,
    waiting: Vec<Line<'static>>,
    row: impl Fn(&T) -> String,
) -> Vec<Line<'static>> {
    let Some(rows) = p.rows().filter(|rows| !rows.is_empty()) else {
        return waiting;
    };
    rows.iter()
        .enumerate()
        .skip(first_row(p.selected, r))
        .map(|(n, item)| {
            if n == p.selected {
                Line::styled(format!("▶ {}", row(item)), theme.selected())
            } else {
                Line::raw(format!("  {}", row(item)))
            }
        })
        .collect()
}

/// The block with where the visible rows stand, once there are rows.
fn picker_position<'a, T>(block: Block<'a>, p: &Picker<T>, r: Rect) -> Block<'a> {
    match p.rows() {
        Some(rows) => with_position(block, first_row(p.selected, r), r, rows.len()),
        None => block,
    }
}

fn first_row(selected: usize, r: Rect) -> usize {
    selected.saturating_sub(usize::from(r.height.saturating_sub(3)))
}

/// Says in the box's bottom border which rows are shown, when not all.
fn with_position<'a>(block: Block<'a>, first: usize, r: Rect, rows: usize) -> Block<'a> {
    let visible = usize::from(r.height.saturating_sub(2));
    match super::position(first, visible.min(rows.saturating_sub(first)), rows) {
        Some(p) => block.title_bottom(Line::from(p).right_aligned()),
        None => block,
    }
}

pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) {
    let area = frame.area();
    match &state.overlay {
        Overlay::None => {}
        Overlay::Codes(p) => super::coding::picker(frame, state, p, theme),
        Overlay::Codebook(b) => super::coding::codebook(frame, state, b, theme),
        Overlay::Board(b) => super::coding::board(frame, state, b, theme),
        Overlay::Matrix(m) => super::coding::matrix(frame, m, theme),
        Overlay::Views(v) => super::coding::views(frame, state, v, theme),
        Overlay::Confirm(c) => super::coding::confirm(frame, c, theme),
        Overlay::Help { scroll } => help(frame, area, state, *scroll, theme),
        Overlay::Filter(form) => filter_form(frame, area, state, form, theme),
        Overlay::Questions(p) => question_picker(frame, area, state, p, theme),
        Overlay::Picker(picker) => study_picker(frame, area, state, picker, theme),
    }
}

fn help(frame: &mut Frame, area: Rect, state: &State, scroll: u16, theme: &Theme) {
    let (inner, visible, total) = state.keys.help_box(area.width, area.height);
    let r = centered(area, HELP_WIDTH, (total + 2) as u16);
    frame.render_widget(Clear, r);
    let scroll = usize::from(scroll).min(total.saturating_sub(visible));
    let lines: Vec<Line> = state
        .keys
        .help_lines(inner)
        .into_iter()
        .skip(scroll)
        .take(visible)
        .map(|l| {
            if l.title {
                Line::styled(l.text, theme.bold().add_modifier(Modifier::UNDERLINED))
            } else {
                Line::from(vec![Span::styled(l.keys, theme.bold()), Span::raw(l.text)])
            }
        })
        .collect();
    let closes = state.keys.key(Context::Help, &Action::CloseHelp);
    let mut block = Block::bordered().title(format!(" Keys · {closes} closes "));
    if let Some(p) = super::position(scroll, visible, total) {
        block = block.title_bottom(Line::from(p).right_aligned());
    }
    frame.render_widget(Paragraph::new(lines).block(block), r);
}

fn filter_form(frame: &mut Frame, area: Rect, state: &State, form: &FilterForm, theme: &Theme) {
    // On a short terminal: the fields only, clear of the bottom bar.
    let short = area.height < 13;
    let r = if short {
        // Over the top bar rather than the bottom one, which names
        // the form's keys.
        let above = Rect {
            height: area.height.saturating_sub(1),
            ..area
        };
        let r = centered(above, 60, Field::ALL.len() as u16 + 2);
        Rect { y: area.y, ..r }
    } else {
        centered(area, 60, 13)
    };
    frame.render_widget(Clear, r);
    let mut lines = form_fields(form, usize::from(r.width), theme);
    lines.extend([
        Line::raw(""),
        Line::styled(
            {
                let all = |a: &Action| {
                    state
                        .keys
                        .keys_for(Context::FilterForm, a)
                        .unwrap_or_default()
                };
                format!(
                    "{}/{} field · {}/{} change · type the id, tag or language",
                    all(&Action::NextField),
                    all(&Action::PrevField),
                    all(&Action::NextValue),
                    all(&Action::PrevValue)
                )
            },
            theme.dim(),
        ),
        Line::styled(
            format!(
                "{} applies · {} cancels",
                state.keys.key(Context::FilterForm, &Action::ApplyFilters),
                state.keys.key(Context::FilterForm, &Action::CloseOverlay)
            ),
            theme.dim(),
        ),
    ]);
    if short {
        lines.truncate(Field::ALL.len());
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Filter interviews ")),
        r,
    );
}

/// The form's fields, one line each, for a box `width` columns wide.
fn form_fields(form: &FilterForm, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    // The cursor shows in the field being edited only.
    let room = width.saturating_sub(2 + 2 + 14);
    let text = |f: Field, edit: &crate::app::line_edit::LineEdit| {
        if form.field == f {
            super::field_text(edit, room)
        } else {
            crate::text::truncate_to_width(&sanitize_line(edit.text()), room).into_owned()
        }
    };
    let value = |f: Field| match f {
        Field::Status => {
            format!("‹ {} ›", form.status.as_ref().map_or("all", |s| s.as_str()))
        }
        Field::Quality => format!(
            "‹ {} ›",
            form.quality.as_ref().map_or("any", |q| q.as_str())
        ),
        Field::Reference => text(f, &form.reference),
        Field::Reviewed => format!(
            "‹ {} ›",
            match form.reviewed {
                None => "any",
                Some(true) => "yes",
                Some(false) => "no",
            }
        ),
        Field::Starred => format!("‹ {} ›", if form.starred { "only" } else { "any" }),
        Field::Tag => text(f, &form.tag),
        Field::Language => text(f, &form.language),
    };
    Field::ALL
        .iter()
        .map(|f| {
            let (marker, style) = if form.field == *f {
                ("▶ ", theme.selected())
            } else {
                ("  ", ratatui::style::Style::new())
            };
            Line::from(vec![
                Span::raw(marker),
                Span::styled(pad_to_width(f.label(), 14), theme.bold()),
                Span::styled(value(*f), style),
            ])
        })
        .collect()
}

fn question_picker(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    p: &QuestionPicker,
    theme: &Theme,
) {
    let r = centered(area, 90, picker_height(&p.list, 5));
    frame.render_widget(Clear, r);
    let waiting = match &p.list.items {
        Loadable::Loading => vec![Line::styled("Counting answers…", theme.dim())],
        Loadable::Failed(e) => vec![Line::raw(format!(
            "Could not count the answers: {}",
            display_line(&e.to_string())
        ))],
        Loadable::Ready(_) => vec![Line::raw(
            "This study's questions are not stored yet (sync it first).",
        )],
    };
    let lines = picker_lines(&p.list, r, theme, waiting, |q| {
        format!(
            "{}. {} — answered {}",
            q.index + 1,
            display_line(&q.text),
            q.answered
        )
    });
    let block = Block::bordered().title(format!(
        " One question across interviews ({}/{}, {}; {} closes) ",
        state.keys.key(Context::QuestionPicker, &Action::Down),
        state.keys.key(Context::QuestionPicker, &Action::Up),
        state
            .keys
            .key(Context::QuestionPicker, &Action::ChooseQuestion),
        state
            .keys
            .key(Context::QuestionPicker, &Action::CloseOverlay)
    ));
    let block = picker_position(block, &p.list, r);
    frame.render_widget(Paragraph::new(lines).block(block), r);
}

/// A study's row in the picker, cut to `room` columns: its name, its size
/// as the store knows it (offline: when it was last synced), its
/// languages.
fn study_row(state: &State, p: &StudyPicker, s: &crate::api::model::Study, room: usize) -> String {
    let name = s
        .name
        .as_deref()
        .map_or_else(|| display_line(&s.id), display_line);
    let langs = display_line(&s.supported_languages.join(","));
    let count = p.counts.get(&s.id);
    let mut size = match count {
        // The demo or a snapshot is read when a study opens: there is
        // nothing to sync, so "not synced" would mislead.
        _ if state.sync.ephemeral && count.is_none_or(|c| c.stored == 0) => {
            "not opened yet".to_string()
        }
        Some(c) => c.text(),
        None => String::new(),
    };
    // Offline, each says when it was last synced.
    if p.offline
        && let Some(t) = count.and_then(|c| c.last_synced.as_deref())
    {
        size.push_str(&format!(
            " · synced {}",
            display_line(&crate::text::short_datetime(t, state.this_year))
        ));
    }
    let open = state.study.as_ref().is_some_and(|o| o.id == s.id);
    let name = if open { format!("{name} (open)") } else { name };
    // One row per study, cut to the box: a wrapped row would push the
    // selection out of sight. The size goes before the languages, which
    // matter less; the name gives way to the size when narrow.
    let name_cols = 40.min(room.saturating_sub(20)).max(room.min(12));
    let name = pad_to_width(&truncate_to_width(&name, name_cols), name_cols);
    let size = pad_to_width(&size, if p.offline { 34 } else { 18 });
    truncate_to_width(&format!("{name}  {size}  {langs}"), room).into_owned()
}

fn study_picker(frame: &mut Frame, area: Rect, state: &State, picker: &StudyPicker, theme: &Theme) {
    let p = picker;
    let r = centered(area, 80, picker_height(&p.list, 6));
    frame.render_widget(Clear, r);
    let waiting = match &p.list.items {
        Loadable::Loading => vec![Line::styled("Loading studies…", theme.dim())],
        Loadable::Failed(e) => vec![
            Line::styled(
                "Could not load the studies.",
                theme.level(crate::app::state::Level::Error),
            ),
            Line::raw(display_line(&e.to_string())),
            Line::raw(format!(
                "Press {} to retry, {} to quit.",
                state.keys.key(Context::StudyPicker, &Action::ReloadStudies),
                state.keys.key(Context::StudyPicker, &Action::Quit)
            )),
        ],
        Loadable::Ready(_) => vec![Line::raw(format!(
            "This project has no studies yet. Press {} to quit.",
            state.keys.key(Context::StudyPicker, &Action::Quit)
        ))],
    };
    let room = usize::from(r.width.saturating_sub(4));
    let lines = picker_lines(&p.list, r, theme, waiting, |s| study_row(state, p, s, room));
    // Closing is offered only when a study is open to go back to.
    let k = &state.keys;
    let move_open = format!(
        "{}/{}, {}",
        k.key(Context::StudyPicker, &Action::Down),
        k.key(Context::StudyPicker, &Action::Up),
        k.key(Context::StudyPicker, &Action::OpenStudy)
    );
    let close = k.key(Context::StudyPicker, &Action::CloseOverlay);
    let title = match (p.offline, state.study.is_some()) {
        (true, true) => {
            format!(" Offline: the stored studies ({move_open}; {close} closes) ")
        }
        (true, false) => format!(" Offline: the stored studies ({move_open}) "),
        (false, true) => format!(" Choose a study ({move_open}; {close} closes) "),
        (false, false) => format!(" Choose a study ({move_open}) "),
    };
    let listed = !p.list.is_empty();
    let block = picker_position(Block::bordered().title(title), &p.list, r);
    let body = Paragraph::new(lines).block(block);
    let body = if listed {
        body
    } else {
        body.wrap(Wrap { trim: false })
    };
    frame.render_widget(body, r);
}
