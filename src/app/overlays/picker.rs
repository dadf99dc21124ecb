//! A read that may still be on its way, and a list to choose from that
//! loads: what the study picker, the question picker, the overview and the
//! coding views share.

use std::collections::HashMap;

use crate::api::model::Study;
use crate::app::keymap::Action;
use crate::store::QuestionCount;

/// A read that may still be on its way.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Loadable<T> {
    #[default]
    Loading,
    Ready(T),
    /// The read failed, with what to do (shown where the rows would be).
    Failed(crate::mirror::MirrorError),
}

impl<T> From<Result<T, crate::mirror::MirrorError>> for Loadable<T> {
    fn from(r: Result<T, crate::mirror::MirrorError>) -> Self {
        match r {
            Ok(t) => Loadable::Ready(t),
            Err(e) => Loadable::Failed(e),
        }
    }
}

impl<T> Loadable<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading)
    }
}

/// A list that loads, and which of its rows is selected.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker<T> {
    pub items: Loadable<Vec<T>>,
    pub selected: usize,
}

impl<T> Default for Picker<T> {
    fn default() -> Self {
        Picker {
            items: Loadable::Loading,
            selected: 0,
        }
    }
}

impl<T> Picker<T> {
    /// The rows, once read.
    pub fn rows(&self) -> Option<&[T]> {
        self.items.ready().map(Vec::as_slice)
    }

    /// How many rows there are (none while loading or after a failure).
    pub fn len(&self) -> usize {
        self.rows().map_or(0, <[T]>::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The selected row.
    pub fn chosen(&self) -> Option<&T> {
        self.rows().and_then(|r| r.get(self.selected))
    }

    /// Moves the selection for `Down`, `Up`, `Top` and `Bottom`; says
    /// whether the action was one of them.
    pub fn on_move(&mut self, action: &Action) -> bool {
        let last = self.len().saturating_sub(1);
        self.selected = match action {
            Action::Down => (self.selected + 1).min(last),
            Action::Up => self.selected.saturating_sub(1),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        true
    }
}

/// The study picker (`S`, or at start without a study).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudyPicker {
    pub list: Picker<Study>,
    /// Each study's size as the store knows it, by id.
    pub counts: HashMap<String, crate::app::msg::StudyCount>,
    /// The API could not be reached: the list is the stored studies.
    pub offline: bool,
}

/// The question picker (`Q`): each question with how many answered it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuestionPicker {
    pub list: Picker<QuestionCount>,
}
