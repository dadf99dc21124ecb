//! The code picker: fuzzy-matched codes (nucleo), the recent ones by
//! number, a new code by its name; for a passage, the whole list, a merge
//! or a parent.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use super::*;

/// How many recent codes the picker offers by number.
pub(super) const RECENT: usize = 9;

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
    pub(super) fn new(
        purpose: PickFor,
        choices: Vec<(Option<i64>, String)>,
        recent: Vec<String>,
    ) -> Self {
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

    /// Whether a name no code has makes a new code (coding, not a merge,
    /// a parent or a removal).
    pub fn making(&self) -> bool {
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

/// `;` then the code key: the picker, for every interview of the list.
pub fn open_bulk_picker(state: &mut State) {
    let n = state.list.window.total as u64;
    open_picker(state, PickFor::Bulk(n));
}

/// The picker over the study's codes, the recent ones offered, for coding
/// (a passage, or the whole list).
pub(super) fn open_picker(state: &mut State, purpose: PickFor) {
    let choices = codebook_choices(state);
    let recent = state.coding.recent.clone();
    state.overlay = Overlay::Codes(CodePicker::new(purpose, choices, recent));
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
