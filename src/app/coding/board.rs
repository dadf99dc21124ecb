//! The evidence board (a code's quotes, their English read in batches)
//! and the matrix (codes against a segmentation), and going from a quote
//! to its place in the transcript.

use super::*;

/// How many board items' English is read at once (a transcript read
/// each): the first screens come at once, the rest as the cursor nears.
pub const ENGLISH_BATCH: usize = 100;

/// The evidence board of one code (and the codes beneath it).
#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub code: i64,
    pub name: String,
    pub items: Loadable<Vec<Evidence>>,
    /// The quote the cursor is on.
    pub selected: usize,
    /// Only the interviews of one matrix cell: its segmentation and column.
    pub cell: Option<(Segment, String)>,
    /// The items before this one have their English read (or asked for).
    pub english_upto: usize,
}

impl Board {
    /// The quotes shown: all, or the cell's.
    pub fn shown(&self) -> Vec<&Evidence> {
        match &self.items {
            Loadable::Ready(items) => items
                .iter()
                .filter(|e| {
                    self.cell
                        .as_ref()
                        .is_none_or(|(seg, col)| crate::store::in_column(*seg, e, col))
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The matrix (`M`).
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixView {
    pub segment: Segment,
    pub shares: bool,
    pub matrix: Loadable<Matrix>,
    /// The cell the cursor is on: a code's row and a column.
    pub row: usize,
    pub column: usize,
}

pub(super) fn open_board(state: &mut State, code: i64) -> Vec<Effect> {
    open_board_in(state, code, None)
}

fn open_board_in(state: &mut State, code: i64, cell: Option<(Segment, String)>) -> Vec<Effect> {
    let name = state
        .coding
        .name(code)
        .unwrap_or("(deleted code)")
        .to_string();
    state.overlay = Overlay::Board(Board {
        code,
        name,
        items: Loadable::Loading,
        selected: 0,
        cell,
        english_upto: 0,
    });
    vec![Effect::Coding(CodingRequest::Board {
        query: state.list.query.to_store(),
        code,
    })]
}

pub(super) fn open_matrix(state: &mut State, segment: Segment, shares: bool) -> Vec<Effect> {
    state.overlay = Overlay::Matrix(MatrixView {
        segment,
        shares,
        matrix: Loadable::Loading,
        row: 0,
        column: 0,
    });
    let mut query = state.list.query.to_store();
    query.question = None;
    vec![Effect::Coding(CodingRequest::Matrix { query, segment })]
}

/// A cursor moved by `action` (clamped by the caller).
fn scrolled(at: usize, action: &Action, page: usize) -> usize {
    match action {
        Action::Down => at + 1,
        Action::Up => at.saturating_sub(1),
        Action::PageDown => at + page,
        Action::PageUp => at.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => usize::MAX / 2,
        _ => at,
    }
}

/// A key on the board or the matrix.
pub fn on_view_action(state: &mut State, action: Action) -> Vec<Effect> {
    let page = usize::from(state.height.saturating_sub(6)).max(1);
    match &mut state.overlay {
        Overlay::Board(board) => {
            let count = board.shown().len();
            let item = board.shown().get(board.selected).map(|e| (*e).clone());
            match action {
                Action::CloseOverlay => state.overlay = Overlay::None,
                Action::Choose => {
                    if let Some(e) = item {
                        return open_evidence(state, &e);
                    }
                }
                Action::CopyEvidence => {
                    if let Some(e) = item {
                        let text = format!(
                            "“{}” — {}",
                            e.highlight.quote.trim(),
                            crate::present::evidence_citation(&e)
                        );
                        return crate::app::input::copy(state, text, "the quote");
                    }
                }
                Action::RecodeEvidence => {
                    if let Some(e) = item {
                        let new = NewHighlight::from(e.highlight);
                        open_picker(state, PickFor::Code(Box::new(new)));
                    }
                }
                a => {
                    board.selected =
                        scrolled(board.selected, &a, page).min(count.saturating_sub(1));
                    return more_english(state);
                }
            }
        }
        Overlay::Matrix(m) => {
            let (rows, columns) = match &m.matrix {
                Loadable::Ready(x) => (x.rows.len(), x.columns.len()),
                _ => (0, 0),
            };
            match action {
                Action::CloseOverlay => state.overlay = Overlay::None,
                Action::NextSegment => {
                    let (next, shares) = (m.segment.next(), m.shares);
                    return open_matrix(state, next, shares);
                }
                Action::ToggleShares => m.shares = !m.shares,
                Action::Left => m.column = m.column.saturating_sub(1),
                Action::Right => m.column = (m.column + 1).min(columns.saturating_sub(1)),
                Action::Choose => {
                    let Loadable::Ready(x) = &m.matrix else {
                        return Vec::new();
                    };
                    let (Some(row), Some((column, _))) =
                        (x.rows.get(m.row), x.columns.get(m.column))
                    else {
                        return Vec::new();
                    };
                    let (code, cell) = (row.code_id, (m.segment, column.clone()));
                    return open_board_in(state, code, Some(cell));
                }
                a => m.row = scrolled(m.row, &a, page).min(rows.saturating_sub(1)),
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Asks for the English of the next board items when the cursor nears
/// the last read.
fn more_english(state: &mut State) -> Vec<Effect> {
    let Overlay::Board(board) = &mut state.overlay else {
        return Vec::new();
    };
    let Loadable::Ready(items) = &board.items else {
        return Vec::new();
    };
    // Where the cursor is in the whole list (the cell's items are a part).
    let at = board
        .shown()
        .get(board.selected)
        .and_then(|e| items.iter().position(|x| x.highlight.id == e.highlight.id))
        .unwrap_or(0);
    if at + ENGLISH_BATCH / 2 < board.english_upto || board.english_upto >= items.len() {
        return Vec::new();
    }
    let from = board.english_upto;
    let to = (from + ENGLISH_BATCH)
        .max(at + ENGLISH_BATCH / 2)
        .min(items.len());
    let chunk = items[from..to].to_vec();
    board.english_upto = to;
    vec![Effect::Coding(CodingRequest::BoardEnglish {
        code: board.code,
        from,
        items: chunk,
    })]
}

/// The English of board items arrived.
pub fn on_board_english(
    state: &mut State,
    code: i64,
    from: usize,
    result: Result<Vec<Option<String>>, crate::mirror::MirrorError>,
) {
    let Overlay::Board(board) = &mut state.overlay else {
        return;
    };
    if board.code != code {
        return;
    }
    let (Loadable::Ready(items), Ok(english)) = (&mut board.items, result) else {
        return;
    };
    for (e, en) in items.iter_mut().skip(from).zip(english) {
        e.english = en;
    }
}

/// The board's Enter: the list goes to the quote's interview and the
/// transcript to its message, once it is shown.
fn open_evidence(state: &mut State, e: &Evidence) -> Vec<Effect> {
    if !e.in_api {
        notify(
            state,
            Level::Info,
            "this interview is no longer in the API: only its quote is kept".into(),
        );
        return Vec::new();
    }
    state.overlay = Overlay::None;
    state.focus = Pane::Transcript;
    let id = e.highlight.interview_id.clone();
    if let Some(m) = e.highlight.message {
        state.coding.jump = Some((id.clone(), m));
    }
    state.list.selected_id = Some(id);
    vec![crate::app::list::window_for_query(state)]
}
