//! What opens over the panes: the help, the filter form, the pickers, the
//! coding views, the views picker and a confirmation. Each owns its
//! state; the keys reach it through the binding table's context.

mod filter_form;
mod picker;

pub use filter_form::{Field, FilterForm};
pub use picker::{Loadable, Picker, QuestionPicker, StudyPicker};

/// The overlay open, if any, with its state.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Overlay {
    #[default]
    None,
    /// The keys in force, scrolled this many lines.
    Help {
        scroll: u16,
    },
    Filter(FilterForm),
    Picker(StudyPicker),
    Questions(QuestionPicker),
    Codes(crate::app::coding::CodePicker),
    Codebook(crate::app::coding::Codebook),
    Board(crate::app::coding::Board),
    Matrix(crate::app::coding::MatrixView),
    Views(crate::app::views::ViewsPicker),
    /// A change to every interview of the list, waiting for yes.
    Confirm(crate::app::bulk::Confirm),
}
