//! Coding in the browser: the current interview's highlights and the
//! study's codebook as last read, the undo and redo stacks, the coding
//! keys of the panes, and the writes (one at a time, in order). The views
//! that own their state are submodules: the code picker (`picker.rs`),
//! the codebook (`codebook.rs`), the evidence board and the matrix
//! (`board.rs`), and the prompts (`prompt.rs`). Changes go to the store
//! as effects and show only once the store says they are committed.

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

pub use super::overlays::Loadable;

mod board;
mod codebook;
mod picker;
mod prompt;

pub use board::{Board, ENGLISH_BATCH, MatrixView, on_board_english, on_view_action};
use board::{open_board, open_matrix};
pub use codebook::{Codebook, on_codebook_action};
pub use picker::{CodePicker, PickFor, PickRow, on_picker_action, open_bulk_picker, picker_typed};
use picker::{RECENT, open_picker};
use prompt::open_prompt;
pub use prompt::{CodingPrompt, on_prompt, part_of};

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
