//! The codebook view: every code of the study with its counts, and its
//! changes (rename, describe, merge, parent, delete after asking).

use super::*;

/// The codebook (`C`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Codebook {
    pub selected: usize,
    /// Asked to delete this code; the same key again deletes it.
    pub confirm: Option<i64>,
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
        .keys_for(crate::app::keymap::Context::Codebook, &Action::DeleteCode)
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
