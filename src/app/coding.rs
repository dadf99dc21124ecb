//! Coding in the browser: the current interview's highlights and the
//! study's codebook as last read, the undo and redo stacks, and the four
//! views that own their state: the code picker, the codebook, the
//! evidence board and the matrix. Changes go to the store as effects and
//! show only once the store says they are committed.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use super::keymap::Action;
use super::line_edit::LineEdit;
use super::msg::{CodebookChange, CodingRequest, Effect};
use super::state::{Level, Overlay, Pane, State, notify};
use crate::present::{TextMode, role_label};
use crate::store::{
    CODE_CHARS, CodeEntry, Evidence, Highlight, Matrix, NewHighlight, Quoted, Segment, Step,
};

/// How many steps `u` can go back in one run of the browser.
pub const UNDO_STEPS: usize = 1000;

/// How many board items' English is read at once (a transcript read
/// each): the first screens come at once, the rest as the cursor nears.
pub const ENGLISH_BATCH: usize = 100;

/// How many recent codes the picker offers by number.
const RECENT: usize = 9;

pub use super::overlays::Loadable;

/// What the browser knows of coding, and its history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodingView {
    /// Whose highlights `highlights` are.
    pub interview: Option<String>,
    pub highlights: Vec<Highlight>,
    pub codebook: Vec<CodeEntry>,
    /// The codes used last, most recent first.
    pub recent: Vec<String>,
    pub undo: Vec<Step>,
    pub redo: Vec<Step>,
    /// The interview whose highlights were last asked for.
    pub asked: Option<String>,
    /// The shown interview's coded messages as the transcript draws them.
    pub drawn: crate::app::detail::Coded,
    /// The board's Enter: the transcript goes to this interview's message
    /// once it is shown.
    pub jump: Option<(String, usize)>,
    /// A change is on its way to the store: the next waits, so changes
    /// and undos reach it in the order they were made.
    pub writing: bool,
    pub waiting: std::collections::VecDeque<Pending>,
    /// The codebook's reads: one asked before a change must not replace
    /// one asked after it.
    pub reads: super::reads::Reads,
}

/// A change waiting for the one before it.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    Write(Box<CodingRequest>),
    Undo,
    Redo,
}

impl CodingView {
    /// A code's name by id.
    pub fn name(&self, id: i64) -> Option<&str> {
        self.codebook
            .iter()
            .find(|e| e.code.id == id)
            .map(|e| e.code.name.as_str())
    }

    /// The shown interview's coded messages with their code names, in
    /// message order (empty when its highlights are not read yet).
    pub fn coded(&self, interview_id: &str) -> &[crate::app::detail::CodedMessage] {
        if self.interview.as_deref() == Some(interview_id) {
            &self.drawn
        } else {
            &[]
        }
    }

    /// Works out `drawn` from the highlights and the codebook, once each
    /// time they are read (not on every key).
    fn redraw(&mut self) {
        use crate::app::detail::CodedMessage;
        let mut out: Vec<CodedMessage> = Vec::new();
        for h in &self.highlights {
            let Some(m) = h.message else { continue };
            let at = match out.iter().position(|c| c.message == m) {
                Some(at) => at,
                None => {
                    out.push(CodedMessage {
                        message: m,
                        ..CodedMessage::default()
                    });
                    out.len() - 1
                }
            };
            let entry = &mut out[at];
            for c in &h.codes {
                let name = self.name(*c).unwrap_or("(deleted code)").to_string();
                if !entry.names.contains(&name) {
                    entry.names.push(name);
                }
                entry.first.get_or_insert(*c);
            }
            // A part, not the whole message (the whole starts at 0 and
            // ends at the quote's length).
            let whole = h.start == 0 && h.end == h.quote.chars().count();
            if !whole && entry.part.is_none() {
                entry.part = Some((h.quoted == Quoted::English, h.start, h.end));
            }
        }
        out.sort_by_key(|c| c.message);
        self.drawn = out;
    }

    fn remember(&mut self, name: &str) {
        self.recent.retain(|r| !r.eq_ignore_ascii_case(name));
        self.recent.insert(0, name.to_string());
        self.recent.truncate(RECENT);
    }

    /// A new change: it can be undone, and what was undone before it can
    /// no longer be redone.
    pub fn did(&mut self, step: Step) {
        self.undo.push(step);
        if self.undo.len() > UNDO_STEPS {
            self.undo.remove(0);
        }
        self.redo.clear();
    }
}

/// A coding prompt in the bottom bar.
#[derive(Debug, Clone, PartialEq)]
pub enum CodingPrompt {
    /// The trim field: the message to cut to the part to code (its whole
    /// text is the passage's quote).
    Trim(Box<NewHighlight>),
    Comment {
        highlight: i64,
    },
    Rename {
        code: String,
    },
    Describe {
        code: String,
    },
}

impl CodingPrompt {
    pub fn label(&self) -> &'static str {
        match self {
            CodingPrompt::Trim(_) => "keep the part to code:",
            CodingPrompt::Comment { .. } => "comment:",
            CodingPrompt::Rename { .. } => "new name:",
            CodingPrompt::Describe { .. } => "description:",
        }
    }
}

fn open_prompt(state: &mut State, kind: CodingPrompt, text: &str, limit: usize) {
    state.prompt = Some(super::state::Prompt {
        kind: super::state::PromptKind::Coding(kind),
        id: state
            .shown_detail()
            .map(|d| d.interview.id.clone())
            .unwrap_or_default(),
        text: LineEdit::new(text).with_limit(limit),
        before: Vec::new(),
        choices: Vec::new(),
    });
}

/// Where `kept` stands in `whole`, in characters: it must be one
/// contiguous part (the first such place when it occurs more than once).
pub fn part_of(whole: &str, kept: &str) -> Option<(usize, usize)> {
    let kept = kept.trim();
    if kept.is_empty() {
        return None;
    }
    let at = whole.find(kept)?;
    let start = whole[..at].chars().count();
    Some((start, start + kept.chars().count()))
}

/// Enter in a coding prompt.
pub fn on_prompt(state: &mut State, prompt: CodingPrompt, text: &str) -> Vec<Effect> {
    let study = study_id(state).unwrap_or_default();
    let request = match prompt {
        CodingPrompt::Trim(whole) => {
            let Some((start, end)) = part_of(&whole.quote, text) else {
                notify(
                    state,
                    Level::Warn,
                    "what is kept must be one part of the message, as written: delete words from either end only".into(),
                );
                return Vec::new();
            };
            let mut part = *whole;
            part.quote = part.quote.chars().skip(start).take(end - start).collect();
            part.start = start;
            part.end = end;
            open_picker(state, PickFor::Code(Box::new(part)));
            return Vec::new();
        }
        CodingPrompt::Comment { highlight } => CodingRequest::Comment {
            highlight,
            text: text.to_string(),
        },
        CodingPrompt::Rename { code } => {
            // Back to the codebook, which shows the change once made.
            state.overlay = Overlay::Codebook(Codebook::default());
            CodingRequest::Codebook {
                study_id: study,
                change: CodebookChange::Rename {
                    code,
                    to: text.to_string(),
                },
            }
        }
        CodingPrompt::Describe { code } => {
            state.overlay = Overlay::Codebook(Codebook::default());
            CodingRequest::Codebook {
                study_id: study,
                change: CodebookChange::Describe {
                    code,
                    text: text.to_string(),
                },
            }
        }
    };
    write(state, Pending::Write(Box::new(request)))
}

/// What the code picker is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PickFor {
    /// Code this passage.
    Code(Box<NewHighlight>),
    /// Remove one of this highlight's codes, or (`None`) the highlight.
    Remove { highlight: i64 },
    /// Merge this code into the one chosen.
    MergeInto { code: String },
    /// Put this code under the one chosen (`None`: the top).
    Parent { code: String },
    /// Code every interview of the list as a whole (`;` then the code
    /// key); the number is how many.
    Bulk(u64),
}

/// A row of the picker.
#[derive(Debug, Clone, PartialEq)]
pub struct PickRow {
    pub name: String,
    /// The code's id; `None` for a name to make, or the whole highlight.
    pub id: Option<i64>,
    /// A new code will be made with this name.
    pub new: bool,
}

/// The code picker: a fuzzy search over the study's codes.
#[derive(Debug, Clone, PartialEq)]
pub struct CodePicker {
    pub purpose: PickFor,
    pub query: LineEdit,
    /// All it chooses from (the codebook, or the highlight's codes).
    pub choices: Vec<(Option<i64>, String)>,
    pub rows: Vec<PickRow>,
    pub selected: usize,
    pub recent: Vec<String>,
}

impl CodePicker {
    fn new(purpose: PickFor, choices: Vec<(Option<i64>, String)>, recent: Vec<String>) -> Self {
        let mut p = CodePicker {
            purpose,
            query: LineEdit::default().with_limit(CODE_CHARS),
            choices,
            rows: Vec::new(),
            selected: 0,
            recent,
        };
        p.refilter();
        p
    }

    fn making(&self) -> bool {
        matches!(self.purpose, PickFor::Code(_) | PickFor::Bulk(_))
    }

    /// The rows for the query: with a name no code has, making it comes
    /// first; then the codes that match, best first.
    pub fn refilter(&mut self) {
        let query = self.query.text().trim().to_string();
        let mut rows = Vec::new();
        if query.is_empty() {
            rows.extend(self.choices.iter().map(|(id, name)| PickRow {
                name: name.clone(),
                id: *id,
                new: false,
            }));
        } else {
            let exact = self
                .choices
                .iter()
                .any(|(_, n)| n.eq_ignore_ascii_case(&query));
            if self.making() && !exact {
                rows.push(PickRow {
                    name: query.clone(),
                    id: None,
                    new: true,
                });
            }
            let mut matcher = Matcher::new(Config::DEFAULT);
            let pattern = Pattern::parse(&query, CaseMatching::Ignore, Normalization::Smart);
            let names: Vec<&str> = self.choices.iter().map(|(_, n)| n.as_str()).collect();
            for (name, _) in pattern.match_list(names, &mut matcher) {
                if let Some((id, n)) = self.choices.iter().find(|(_, n)| n == name) {
                    rows.push(PickRow {
                        name: n.clone(),
                        id: *id,
                        new: false,
                    });
                }
            }
        }
        self.rows = rows;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }
}

/// The codebook (`C`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Codebook {
    pub selected: usize,
    /// Asked to delete this code; the same key again deletes it.
    pub confirm: Option<i64>,
}

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

fn study_id(state: &State) -> Option<String> {
    state.study.as_ref().map(|s| s.id.clone())
}

/// Asks for the highlights of the interview shown, once it changes.
pub fn follow_shown(state: &mut State) -> Vec<Effect> {
    let shown = state.shown_detail().map(|d| d.interview.id.clone());
    if shown.is_none() || shown == state.coding.asked {
        return Vec::new();
    }
    state.coding.asked = shown;
    reload(state)
}

/// Reads the codebook and the shown interview's highlights again.
pub fn reload(state: &mut State) -> Vec<Effect> {
    match study_id(state) {
        Some(study_id) => vec![Effect::Coding(CodingRequest::Load {
            read: state.coding.reads.ask(),
            study_id,
            interview_id: state.shown_detail().map(|d| d.interview.id.clone()),
            counts: matches!(state.overlay, Overlay::Codebook(_)),
        })],
        None => Vec::new(),
    }
}

/// `;` then the code key: the picker, for every interview of the list.
pub fn open_bulk_picker(state: &mut State) {
    let n = state.list.window.total as u64;
    open_picker(state, PickFor::Bulk(n));
}

/// The picker over the study's codes, the recent ones offered, for coding
/// (a passage, or the whole list).
fn open_picker(state: &mut State, purpose: PickFor) {
    let choices = codebook_choices(state);
    let recent = state.coding.recent.clone();
    state.overlay = Overlay::Codes(CodePicker::new(purpose, choices, recent));
}

/// The passage `c` codes: the current message in the transcript, the
/// selected answer's first excerpt (as the message it quotes) in Answers.
fn current_passage(state: &State) -> Option<NewHighlight> {
    let d = state.shown_detail()?;
    let study = study_id(state)?;
    let english_shown =
        state.transcript.mode == TextMode::English && !crate::present::is_english(&d.interview);
    let (message, question) = match state.focus {
        Pane::Answers => {
            let n = state.answers.selected;
            let qa = d.question_answers.get(n)?;
            let quoted = qa.answer_excerpt.first()?.message.as_deref()?;
            (d.quoted_message(quoted)?, Some(n))
        }
        _ => (super::detail::current_message(state)?, None),
    };
    let m = d.transcript.get(message)?;
    let english = english_shown && m.translated.as_deref().is_some_and(|t| !t.is_empty());
    let text = if english {
        m.translated.as_deref().unwrap_or("")
    } else {
        m.message.as_deref().unwrap_or("")
    };
    Some(NewHighlight {
        study_id: study,
        interview_id: d.interview.id.clone(),
        message: Some(message),
        question,
        quoted: if english {
            Quoted::English
        } else {
            Quoted::Original
        },
        start: 0,
        end: text.chars().count(),
        quote: text.to_string(),
        speaker: Some(role_label(m.role.as_ref()).into_owned()),
        at_secs: m.time_in_call_secs,
        comment: String::new(),
    })
}

fn codebook_choices(state: &State) -> Vec<(Option<i64>, String)> {
    state
        .coding
        .codebook
        .iter()
        .map(|e| (Some(e.code.id), e.code.name.clone()))
        .collect()
}

/// An action of the panes that belongs to coding.
pub fn on_pane_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::CodeCurrent => match current_passage(state) {
            Some(new) => {
                open_picker(state, PickFor::Code(Box::new(new)));
                Vec::new()
            }
            None => {
                notify(
                    state,
                    Level::Info,
                    "no message to code here: open an interview and step to a message".into(),
                );
                Vec::new()
            }
        },
        Action::RemoveCode => remove_code(state),
        Action::TrimMessage => match current_passage(state) {
            Some(new) if state.focus == Pane::Transcript => {
                let whole = new.quote.clone();
                open_prompt(state, CodingPrompt::Trim(Box::new(new)), &whole, usize::MAX);
                Vec::new()
            }
            _ => {
                notify(
                    state,
                    Level::Info,
                    "no message to trim here: step to a message in the transcript".into(),
                );
                Vec::new()
            }
        },
        Action::CommentHighlight => comment_current(state),
        Action::OpenCodebook => {
            state.overlay = Overlay::Codebook(Codebook::default());
            reload(state)
        }
        Action::OpenBoard => {
            let code = current_highlight(state).and_then(|h| h.codes.first().copied());
            match code {
                Some(code) => open_board(state, code),
                // No code here: choose one in the codebook.
                None => {
                    state.overlay = Overlay::Codebook(Codebook::default());
                    reload(state)
                }
            }
        }
        Action::OpenMatrix => open_matrix(state, Segment::Quality, false),
        Action::Undo => write(state, Pending::Undo),
        Action::Redo => write(state, Pending::Redo),
        _ => Vec::new(),
    }
}

/// The highlight of the message the transcript is on, if it has one.
fn current_highlight(state: &State) -> Option<&Highlight> {
    let current = super::detail::current_message(state)?;
    state
        .coding
        .highlights
        .iter()
        .find(|h| h.message == Some(current))
}

/// `d`: choose a code to take off the current message's highlight, or
/// the whole highlight.
fn remove_code(state: &mut State) -> Vec<Effect> {
    let Some(h) = current_highlight(state).cloned() else {
        notify(
            state,
            Level::Info,
            "the current message has no highlight".into(),
        );
        return Vec::new();
    };
    let mut choices: Vec<(Option<i64>, String)> = h
        .codes
        .iter()
        .map(|c| {
            let name = state.coding.name(*c).unwrap_or("(deleted code)");
            (Some(*c), name.to_string())
        })
        .collect();
    choices.push((None, "(the whole highlight)".into()));
    state.overlay = Overlay::Codes(CodePicker::new(
        PickFor::Remove { highlight: h.id },
        choices,
        Vec::new(),
    ));
    Vec::new()
}

/// `E`: the comment of the current message's highlight, in a prompt.
fn comment_current(state: &mut State) -> Vec<Effect> {
    match current_highlight(state).map(|h| (h.id, h.comment.clone())) {
        Some((highlight, comment)) => {
            open_prompt(
                state,
                CodingPrompt::Comment { highlight },
                &comment,
                crate::store::NOTE_CHARS,
            );
        }
        None => notify(
            state,
            Level::Info,
            "the current message has no highlight to comment on: code it first".into(),
        ),
    }
    Vec::new()
}

/// Sends a change to the store, or queues it behind the one in flight.
fn write(state: &mut State, change: Pending) -> Vec<Effect> {
    if state.coding.writing {
        state.coding.waiting.push_back(change);
        return Vec::new();
    }
    let request = match change {
        Pending::Write(r) => *r,
        Pending::Undo => match state.coding.undo.pop() {
            Some(step) => CodingRequest::Restore { step, undo: true },
            None => {
                notify(state, Level::Info, "nothing to undo".into());
                return next_waiting(state);
            }
        },
        Pending::Redo => match state.coding.redo.pop() {
            Some(step) => CodingRequest::Restore { step, undo: false },
            None => {
                notify(state, Level::Info, "nothing to redo".into());
                return next_waiting(state);
            }
        },
    };
    state.coding.writing = true;
    vec![Effect::Coding(request)]
}

/// The change in flight was answered: the next waiting one goes.
fn next_waiting(state: &mut State) -> Vec<Effect> {
    state.coding.writing = false;
    match state.coding.waiting.pop_front() {
        Some(change) => write(state, change),
        None => Vec::new(),
    }
}

fn open_board(state: &mut State, code: i64) -> Vec<Effect> {
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

fn open_matrix(state: &mut State, segment: Segment, shares: bool) -> Vec<Effect> {
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

/// A key in the code picker (the text field's own keys come after).
pub fn on_picker_action(state: &mut State, action: Action) -> Vec<Effect> {
    let study = study_id(state).unwrap_or_default();
    let Overlay::Codes(picker) = &mut state.overlay else {
        return Vec::new();
    };
    let count = picker.rows.len();
    match action {
        Action::Down => picker.selected = (picker.selected + 1).min(count.saturating_sub(1)),
        Action::Up => picker.selected = picker.selected.saturating_sub(1),
        Action::CloseOverlay => state.overlay = Overlay::None,
        Action::PickRecent(n) => {
            if !picker.query.is_empty() || !picker.making() {
                // Typed into the name instead.
                picker.query.paste(&char::from(b'0' + n).to_string());
                picker.refilter();
                return Vec::new();
            }
            let Some(name) = picker.recent.get(usize::from(n) - 1).cloned() else {
                return Vec::new();
            };
            return choose(state, name);
        }
        Action::Choose => {
            let Some(row) = picker.rows.get(picker.selected).cloned() else {
                return Vec::new();
            };
            let study_id = study;
            let change = match &picker.purpose {
                PickFor::MergeInto { code } => Some(CodebookChange::Merge {
                    code: code.clone(),
                    into: row.name.clone(),
                }),
                PickFor::Parent { code } => Some(CodebookChange::Parent {
                    code: code.clone(),
                    parent: row.id.map(|_| row.name.clone()),
                }),
                _ => None,
            };
            if let Some(change) = change {
                state.overlay = Overlay::Codebook(Codebook::default());
                return write(
                    state,
                    Pending::Write(Box::new(CodingRequest::Codebook { study_id, change })),
                );
            }
            if let PickFor::Remove { highlight } = picker.purpose {
                state.overlay = Overlay::None;
                let request = match row.id {
                    Some(code) => CodingRequest::Uncode { highlight, code },
                    None => CodingRequest::DeleteHighlight { highlight },
                };
                return write(state, Pending::Write(Box::new(request)));
            }
            return choose(state, row.name);
        }
        _ => {}
    }
    Vec::new()
}

fn choose(state: &mut State, name: String) -> Vec<Effect> {
    let Overlay::Codes(picker) = std::mem::take(&mut state.overlay) else {
        return Vec::new();
    };
    if let PickFor::Bulk(_) = picker.purpose {
        state.coding.remember(&name);
        let mut query = state.list.query.to_store();
        query.question = None;
        return write(
            state,
            Pending::Write(Box::new(CodingRequest::BulkCode { query, code: name })),
        );
    }
    let PickFor::Code(new) = picker.purpose else {
        return Vec::new();
    };
    state.coding.remember(&name);
    write(
        state,
        Pending::Write(Box::new(CodingRequest::Code {
            new: *new,
            codes: vec![name],
        })),
    )
}

/// After the picker's text changed.
pub fn picker_typed(state: &mut State) {
    if let Overlay::Codes(p) = &mut state.overlay {
        p.refilter();
    }
}

/// A key in the codebook.
pub fn on_codebook_action(state: &mut State, action: Action) -> Vec<Effect> {
    let count = state.coding.codebook.len();
    let Overlay::Codebook(book) = &mut state.overlay else {
        return Vec::new();
    };
    let last = count.saturating_sub(1);
    let confirm = book.confirm.take();
    let entry = state.coding.codebook.get(book.selected).cloned();
    match action {
        Action::Down => book.selected = (book.selected + 1).min(last),
        Action::Up => book.selected = book.selected.saturating_sub(1),
        Action::Top => book.selected = 0,
        Action::Bottom => book.selected = last,
        Action::CloseOverlay => state.overlay = Overlay::None,
        _ => {}
    }
    let Some(entry) = entry else {
        return Vec::new();
    };
    let name = entry.code.name.clone();
    match action {
        Action::Choose => return open_board(state, entry.code.id),
        Action::RenameCode => {
            state.overlay = Overlay::None;
            open_prompt(
                state,
                CodingPrompt::Rename { code: name.clone() },
                &name,
                CODE_CHARS,
            );
        }
        Action::DescribeCode => {
            state.overlay = Overlay::None;
            let text = entry.code.description.clone();
            open_prompt(
                state,
                CodingPrompt::Describe { code: name },
                &text,
                crate::store::NOTE_CHARS,
            );
        }
        Action::MergeCode => pick_another_code(state, &entry, PickFor::MergeInto { code: name }),
        Action::SetParent => pick_another_code(state, &entry, PickFor::Parent { code: name }),
        Action::DeleteCode if confirm == Some(entry.code.id) => {
            let study_id = study_id(state).unwrap_or_default();
            return write(
                state,
                Pending::Write(Box::new(CodingRequest::Codebook {
                    study_id,
                    change: CodebookChange::Delete { code: name },
                })),
            );
        }
        Action::DeleteCode => ask_to_delete(state, &entry),
        _ => {}
    }
    Vec::new()
}

/// The code picker over every code but `entry`'s, for a merge or a
/// parent (which may also be none: the top).
fn pick_another_code(state: &mut State, entry: &crate::store::CodeEntry, purpose: PickFor) {
    let mut choices = Vec::new();
    if matches!(purpose, PickFor::Parent { .. }) {
        choices.push((None, "(the top: a theme of its own)".to_string()));
    }
    choices.extend(
        codebook_choices(state)
            .into_iter()
            .filter(|(id, _)| *id != Some(entry.code.id)),
    );
    state.overlay = Overlay::Codes(CodePicker::new(purpose, choices, Vec::new()));
}

/// The first press of delete: the codebook waits for a second, and says
/// what would be lost.
fn ask_to_delete(state: &mut State, entry: &crate::store::CodeEntry) {
    if let Overlay::Codebook(book) = &mut state.overlay {
        book.confirm = Some(entry.code.id);
    }
    let again = state
        .keys
        .keys_for(super::keymap::Context::Codebook, &Action::DeleteCode)
        .unwrap_or_default();
    notify(
        state,
        Level::Warn,
        format!(
            "delete the code “{}”? {} lose it: {again} again deletes it",
            crate::text::sanitize_line(&entry.code.name),
            crate::text::count(entry.highlights, "highlight would", "highlights would")
        ),
    );
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
    vec![super::list::window_for_query(state)]
}

/// Goes to the message the board chose, once its interview is shown and
/// wrapped.
pub fn jump_if_pending(state: &mut State) {
    let Some((id, m)) = state.coding.jump.clone() else {
        return;
    };
    let shown = state.shown_detail().map(|d| d.interview.id.clone());
    let wrapped = state
        .transcript
        .wrapped
        .as_ref()
        .is_some_and(|w| w.id == id);
    if shown.as_deref() == Some(id.as_str()) && wrapped {
        state.coding.jump = None;
        state.transcript.highlight = Some(m);
        super::detail::show_message(state, m, 1);
    }
}

/// The answers of coding reads and changes.
pub fn on_loaded(
    state: &mut State,
    interview_id: Option<String>,
    result: Result<(Vec<Highlight>, Vec<CodeEntry>), crate::mirror::MirrorError>,
) {
    match result {
        Ok((highlights, codebook)) => {
            state.coding.codebook = codebook;
            state.coding.interview = interview_id;
            state.coding.highlights = highlights;
            state.coding.redraw();
        }
        Err(e) => notify(
            state,
            Level::Error,
            format!("could not read the codes: {e}"),
        ),
    }
}

/// A change was committed (or refused): it joins the undo stack, and what
/// is shown is read again.
pub fn on_coded(
    state: &mut State,
    result: Result<Step, crate::mirror::MirrorError>,
) -> Vec<Effect> {
    let mut fx = match result {
        Ok(step) => {
            notify(state, Level::Info, step.what.clone());
            state.coding.did(step);
            reload(state)
        }
        Err(e) => {
            notify(state, Level::Error, format!("not saved: {e}"));
            Vec::new()
        }
    };
    fx.extend(next_waiting(state));
    fx
}

/// An undo or redo was written back.
pub fn on_restored(
    state: &mut State,
    step: Step,
    undo: bool,
    result: Result<(), crate::mirror::MirrorError>,
) -> Vec<Effect> {
    match result {
        Ok(()) => {
            let verb = if undo { "undid" } else { "redid" };
            notify(state, Level::Info, format!("{verb}: {}", step.what));
            if undo {
                state.coding.redo.push(step);
            } else {
                state.coding.undo.push(step);
            }
            let mut fx = reload(state);
            // Marks may have changed too: the list reads them again.
            fx.extend(super::list::store_changed(state));
            fx.extend(next_waiting(state));
            fx
        }
        Err(e) => {
            // Not written: the step stays where it was.
            if undo {
                state.coding.undo.push(step);
            } else {
                state.coding.redo.push(step);
            }
            notify(state, Level::Error, format!("could not undo: {e}"));
            next_waiting(state)
        }
    }
}

/// The coding component's messages: its reads and its changes answered.
pub fn on_message(state: &mut State, msg: super::msg::Msg) -> Vec<Effect> {
    use super::msg::Msg;
    match msg {
        // An answer to a read asked before the one shown is dropped.
        Msg::CodingLoaded {
            read,
            interview_id,
            result,
        } if state.coding.reads.take(read) => on_loaded(state, interview_id, result),
        Msg::Coded(result) => return on_coded(state, result),
        Msg::Restored { step, undo, result } => return on_restored(state, step, undo, result),
        Msg::BoardLoaded { code, result } => {
            if let Overlay::Board(b) = &mut state.overlay
                && b.code == code
            {
                b.english_upto = ENGLISH_BATCH;
                b.items = result.into();
            }
        }
        Msg::BoardEnglish { code, from, result } => on_board_english(state, code, from, result),
        Msg::MatrixLoaded { segment, result } => {
            if let Overlay::Matrix(m) = &mut state.overlay
                && m.segment == segment
            {
                m.matrix = result.into();
            }
        }
        _ => {}
    }
    Vec::new()
}
