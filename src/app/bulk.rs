//! One mark on many interviews (`;` then a mark key): every interview of
//! the list as it stands (its filters, search or view), after a question
//! that names how many; one transaction, one step to undo.

use super::keymap::Action;
use super::line_edit::LineEdit;
use super::msg::Effect;
use super::state::{Level, Overlay, State, notify};
use crate::store::MarkChange;

/// The question before a change to the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub change: MarkChange,
    pub question: String,
}

/// `;`: the next mark key applies to the whole list.
pub fn start(state: &mut State) -> Vec<Effect> {
    if state.study.is_none() || state.list.window.total == 0 {
        notify(
            state,
            Level::Info,
            "the list is empty: nothing to mark".into(),
        );
        return Vec::new();
    }
    state.bulk = true;
    notify(
        state,
        Level::Info,
        format!(
            "the next mark (reviewed, star, tags or a code) applies to all {} of the list",
            crate::text::count(state.list.window.total as u64, "interview", "interviews")
        ),
    );
    Vec::new()
}

/// The key after `;`.
pub fn on_mark_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let Some(action) = action else {
        notify(
            state,
            Level::Info,
            "not a mark for the whole list: nothing was changed".into(),
        );
        return Vec::new();
    };
    let n = state.list.window.total as u64;
    let many = crate::text::count(n, "interview", "interviews");
    match action {
        Action::ToggleReviewed | Action::ToggleStarred => {
            let (change, what) = if action == Action::ToggleReviewed {
                (MarkChange::ToggleReviewed, "reviewed")
            } else {
                (MarkChange::ToggleStarred, "starred")
            };
            state.overlay = Overlay::Confirm(Confirm {
                change,
                question: format!("Mark all {many} of the list {what} (or, if all are, none)?"),
            });
        }
        Action::EditTags => {
            state.prompt = Some(super::state::Prompt {
                kind: super::state::PromptKind::BulkTags(n),
                id: String::new(),
                text: LineEdit::default(),
                before: Vec::new(),
                choices: Vec::new(),
            });
        }
        // The code key: the picker, then every interview coded as a whole
        // (the picker's title names how many).
        Action::CodeCurrent => super::coding::open_bulk_picker(state),
        _ => notify(
            state,
            Level::Info,
            "not a mark for the whole list: nothing was changed".into(),
        ),
    }
    Vec::new()
}

/// Yes or no.
pub fn on_confirm(state: &mut State, action: Action) -> Vec<Effect> {
    let Overlay::Confirm(c) = std::mem::take(&mut state.overlay) else {
        return Vec::new();
    };
    match action {
        Action::Choose => apply(state, c.change),
        Action::CloseOverlay => {
            notify(state, Level::Info, "nothing was changed".into());
            Vec::new()
        }
        _ => {
            state.overlay = Overlay::Confirm(c);
            Vec::new()
        }
    }
}

/// Enter in the tags prompt for the whole list.
pub fn on_tags(state: &mut State, text: &str) -> Vec<Effect> {
    let change = MarkChange::parse_tags(text);
    if matches!(&change, MarkChange::Tags { add, remove } if add.is_empty() && remove.is_empty()) {
        notify(
            state,
            Level::Info,
            "no tag given: nothing was changed".into(),
        );
        return Vec::new();
    }
    apply(state, change)
}

fn apply(state: &mut State, change: MarkChange) -> Vec<Effect> {
    let mut query = state.list.query.to_store();
    query.question = None;
    vec![Effect::BulkMark { query, change }]
}

/// The store answered.
pub fn on_marked(
    state: &mut State,
    result: Result<crate::store::Step, crate::mirror::MirrorError>,
) -> Vec<Effect> {
    match result {
        Ok(step) => {
            notify(state, Level::Info, step.what.clone());
            state.coding.did(step);
        }
        Err(e) => notify(state, Level::Error, format!("nothing was changed: {e}")),
    }
    super::list::store_changed(state)
}
