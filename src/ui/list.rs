use crate::app::keymap::{Action, Context};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, inner, pane_block};
use crate::api::model::{Interview, Status};
use crate::app::State;
use crate::app::state::Pane;
use crate::present::{quality_letter, status_text};
use crate::store::AnswerRow;
use crate::store::Marks;
use crate::store::search::RowHits;
use crate::text::{count, display_line, duration, pad_to_width, sanitize_line, truncate_to_width};

/// The columns that fit. The text (headline, snippet, answer) keeps at
/// least `TEXT_MIN` columns: each optional column comes only when that is
/// left beside it — the duration, the date, the reference id and the
/// status as a word — so on a narrow list they give way in the reverse
/// order. The language stays: in a multilingual study it says which text
/// the row's words are in.
struct Columns {
    duration: bool,
    status_word: bool,
    date: bool,
    reference: bool,
}

/// Cursor, status symbol, quality, marks and language.
const BASE_COLS: usize = 17;
const TEXT_MIN: usize = 30;
const DURATION_COLS: usize = 8;
const DATE_COLS: usize = 12;
const REFERENCE_COLS: usize = 15;
/// The status as a word takes this many more than its symbol.
const STATUS_WORD_COLS: usize = 9;

fn columns(width: usize) -> Columns {
    let mut used = BASE_COLS + TEXT_MIN;
    let mut fits = |cols: usize| {
        used += cols;
        width >= used
    };
    let duration = fits(DURATION_COLS);
    let date = duration && fits(DATE_COLS);
    let reference = date && fits(REFERENCE_COLS);
    let status_word = reference && fits(STATUS_WORD_COLS);
    Columns {
        duration,
        status_word,
        date,
        reference,
    }
}

/// The text column: `parts` (text, hit) laid into `room` columns, the
/// hits marked, cut with `…` and padded to the width.
fn text_spans(parts: &[(String, bool)], room: usize, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::with_capacity(parts.len() + 1);
    let mut left = room;
    for (k, (text, hit)) in parts.iter().enumerate() {
        if left == 0 {
            break;
        }
        let last = k + 1 == parts.len();
        let w = crate::text::width(text);
        let shown = if w > left || (w == left && !last) {
            truncate_to_width(&format!("{text}…"), left).into_owned()
        } else {
            text.clone()
        };
        left = left.saturating_sub(crate::text::width(&shown));
        spans.push(if *hit {
            Span::styled(shown, theme.matched())
        } else {
            Span::raw(shown)
        });
    }
    if left > 0 {
        spans.push(Span::raw(" ".repeat(left)));
    }
    spans
}

/// A snippet cut into its plain and hit parts.
fn snippet_parts(snippet: &str, hits: &[(usize, usize)]) -> Vec<(String, bool)> {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for &(a, b) in hits {
        let (a, b) = (a.min(chars.len()), b.min(chars.len()));
        if a < at || a >= b {
            continue;
        }
        if a > at {
            out.push((chars[at..a].iter().collect(), false));
        }
        out.push((chars[a..b].iter().collect(), true));
        at = b;
    }
    if at < chars.len() {
        out.push((chars[at..].iter().collect(), false));
    }
    out
}

/// One column for the status: ✓ completed, ▸ started, … processing,
/// ? anything else.
fn status_symbol(s: Option<&Status>) -> char {
    match s {
        Some(Status::Completed) => '✓',
        Some(Status::Started) => '▸',
        Some(Status::Processing) => '…',
        Some(Status::Other(_)) => '?',
        None => '·',
    }
}

/// Three columns for the user's marks, readable without colour:
/// `R` reviewed, `*` starred, `#` tagged.
fn marks_cell(m: Option<&Marks>) -> String {
    let m = m.cloned().unwrap_or_default();
    format!(
        "{}{}{} ",
        if m.reviewed { 'R' } else { ' ' },
        if m.starred { '*' } else { ' ' },
        if m.tags.is_empty() { ' ' } else { '#' }
    )
}

/// What the list knows of a row besides the interview itself.
struct Extras<'a> {
    marks: Option<&'a Marks>,
    /// Under a search.
    hits: Option<&'a RowHits>,
    /// In question mode (inner `None`: no answer).
    answer: Option<Option<&'a AnswerRow>>,
    /// Dates in this year are shown without it.
    this_year: i32,
}

fn row_spans(
    i: &Interview,
    extras: &Extras,
    cols: &Columns,
    width: usize,
    selected: bool,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let q = i.quality_score.as_ref();
    let mut spans = Vec::with_capacity(9);
    // A cursor that reads without colour or reverse video (and in captures).
    spans.push(Span::raw(if selected { "›" } else { " " }));
    let mut fixed = 1;
    if cols.status_word {
        spans.push(Span::raw(
            pad_to_width(&status_text(i.status.as_ref()), 10) + " ",
        ));
        fixed += 11;
    } else {
        spans.push(Span::raw(format!("{} ", status_symbol(i.status.as_ref()))));
        fixed += 2;
    }
    spans.push(Span::styled(
        format!("[{}] ", quality_letter(q)),
        theme.quality(q),
    ));
    spans.push(Span::styled(marks_cell(extras.marks), theme.bold()));
    fixed += 8;
    let lang = i
        .language
        .as_deref()
        .map_or_else(|| "-".into(), display_line);
    spans.push(Span::raw(pad_to_width(&lang, 5) + " "));
    fixed += 6;
    if cols.duration {
        let dur = i.duration_secs.map_or_else(|| "-".into(), duration);
        spans.push(Span::raw(format!(
            "{:>7} ",
            pad_to_width(&dur, 7).trim_end()
        )));
        fixed += DURATION_COLS;
    }
    if cols.date {
        let date = i.started_at.as_deref().map_or_else(
            || "-".to_string(),
            |s| display_line(&crate::text::short_datetime(s, extras.this_year)),
        );
        spans.push(Span::styled(pad_to_width(&date, 11) + " ", theme.dim()));
        fixed += 12;
    }
    if cols.reference {
        let r = i
            .reference_id
            .as_deref()
            .map_or_else(|| "-".into(), display_line);
        spans.push(Span::raw(pad_to_width(&r, 14) + " "));
        fixed += 15;
    }
    let room = width.saturating_sub(fixed);
    spans.extend(text_spans(&row_text(i, extras), room, theme));
    spans
}

/// The row's last column, in parts (`true`: a search hit, marked). Under
/// a search, how often and where it matched; in question mode, its
/// answer; else its headline.
fn row_text(i: &Interview, extras: &Extras) -> Vec<(String, bool)> {
    match (extras.answer, extras.hits) {
        (Some(a), _) => vec![(
            a.and_then(|a| a.summary.as_deref())
                .map_or_else(|| "(no answer)".to_string(), display_line),
            false,
        )],
        (None, Some(h)) => {
            let mut p = vec![(format!("({}) ", h.count), false)];
            p.extend(snippet_parts(&h.snippet, &h.hit_ranges));
            p
        }
        (None, None) => vec![(
            i.headline
                .as_deref()
                .map_or_else(|| "(no headline yet)".to_string(), display_line),
            false,
        )],
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let title = match state.list.query.question {
        Some(q) => format!(
            "Question {} · answered {} · unanswered {}",
            q + 1,
            state.list.window.answered,
            (state.list.window.total as u64).saturating_sub(state.list.window.answered)
        ),
        None => format!("Interviews · {}", super::bars::count_text(state)),
    };
    let body = inner(area);
    let (w, h) = (body.width as usize, body.height as usize);
    let mut block = pane_block(state, Pane::List, title, theme);
    let shown = h.min(state.list.window.total.saturating_sub(state.list.offset));
    if let Some(p) = super::position(state.list.offset, shown, state.list.window.total) {
        block = block.title_bottom(Line::from(p).right_aligned());
    }
    frame.render_widget(block, area);
    if w == 0 || h == 0 {
        return;
    }
    let list = &state.list;
    let mut lines: Vec<Line> = Vec::with_capacity(h);
    if list.window.total == 0 {
        frame.render_widget(
            Paragraph::new(empty_lines(state, theme)).wrap(ratatui::widgets::Wrap { trim: true }),
            body,
        );
        return;
    }
    let cols = columns(w);
    let end = (list.offset + h).min(list.window.total);
    for row in list.offset..end {
        let Some(i) = list.row(row) else {
            // Not read from the store yet (a moment at most).
            let marker = if row == list.selected { "›" } else { " " };
            lines.push(Line::styled(format!("{marker}…"), theme.dim()));
            continue;
        };
        let extras = Extras {
            marks: state.marks_of(&i.id),
            hits: list.window.hits.get(&i.id),
            answer: state
                .list
                .query
                .question
                .map(|_| list.window.answers.get(&i.id)),
            this_year: state.this_year,
        };
        let mut line = Line::from(row_spans(i, &extras, &cols, w, row == list.selected, theme));
        if row == list.selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    if lines.len() < h {
        lines.push(tail_line(state, theme));
    }
    frame.render_widget(Paragraph::new(lines), body);
}

/// What an empty list says: why it is empty, and what to do.
fn empty_lines(state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let list = &state.list;
    let study = state
        .study
        .as_ref()
        .map_or_else(String::new, |s| display_line(&s.id));
    if let Some(e) = list.error.as_ref().or(state.sync.error.as_ref()) {
        vec![
            Line::styled(
                "Could not load interviews.",
                theme.level(crate::app::state::Level::Error),
            ),
            Line::raw(display_line(e)),
            Line::raw(format!(
                "Press {} to retry.",
                state.keys.pane_key(&Action::SyncAgain)
            )),
        ]
    } else if state.study.is_none() {
        vec![Line::styled(
            format!(
                "Pick a study ({}).",
                state.keys.pane_key(&Action::SwitchStudy)
            ),
            theme.dim(),
        )]
    } else if !list.loaded || state.sync.running {
        vec![Line::styled("Loading interviews…", theme.dim())]
    } else if state.sync.offline() && !state.sync.complete {
        vec![
            Line::raw("This study is not stored yet."),
            Line::styled(
                format!("Run `uj sync --study {study}` while online."),
                theme.dim(),
            ),
        ]
    } else if let Some(q) = &state.list.query.search {
        vec![
            Line::raw(format!("No interview matches “{}”.", sanitize_line(q))),
            Line::styled(
                format!(
                    "{} shows the whole list again.",
                    state.keys.key(Context::List, &Action::ShowWholeList)
                ),
                theme.dim(),
            ),
        ]
    } else if state.list.query.has_filters()
        && state.study.as_ref().and_then(|s| s.total) != Some(0)
    {
        vec![
            Line::raw("No interviews match these filters."),
            Line::styled(widen_advice(state), theme.dim()),
        ]
    } else {
        vec![Line::raw("This study has no interviews yet.")]
    }
}

/// What lies past the last row: more coming, the end, or a failure.
fn tail_line(state: &State, theme: &Theme) -> Line<'static> {
    let list = &state.list;
    let n = count(list.window.total as u64, "interview", "interviews");
    if let Some(e) = &list.error {
        Line::styled(
            format!(
                "  ✗ {} retries · {}",
                state.keys.pane_key(&Action::SyncAgain),
                display_line(e)
            ),
            theme.level(crate::app::state::Level::Error),
        )
    } else if state.sync.running && !state.sync.complete && !state.sync.walked {
        Line::styled("  loading more…", theme.dim())
    } else if state.sync.complete || state.sync.ephemeral || state.sync.walked {
        Line::styled(format!("  — end of list · {n} —"), theme.dim())
    } else {
        Line::styled(format!("  — end of what is stored · {n} —"), theme.dim())
    }
}

/// The keys that undo the filters in force, each named for what it
/// clears (`0` does nothing to a reference id).
fn widen_advice(state: &crate::app::State) -> String {
    let mut keys = Vec::new();
    if state.list.query.filters.status.is_some() {
        keys.push("s until status: all".to_string());
    }
    if state.list.query.filters.quality.is_some() {
        keys.push("0 clears the quality".to_string());
    }
    let m = &state.list.query.marks;
    let in_form: Vec<&str> = [
        (
            state.list.query.filters.reference_id.is_some(),
            "reference id",
        ),
        (m.reviewed.is_some(), "reviewed"),
        (m.starred, "starred"),
        (m.tag.is_some(), "tag"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    if !in_form.is_empty() {
        keys.push(format!("F clears the {}", in_form.join(", ")));
    }
    if state.list.query.language.is_some() {
        keys.push("L until all languages".to_string());
    }
    keys.push("Backspace clears them all".to_string());
    format!("To widen: {}.", keys.join("; "))
}
