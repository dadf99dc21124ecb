use std::time::Duration;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::api::model::{Interview, InterviewDetail, Page, Study, StudyDetail};
use crate::api::{ApiError, InterviewFilters};

/// Something that happened: input, or the result of an [`Effect`], carrying
/// its data and the tag of what asked for it so stale answers can be
/// dropped.
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed (releases are filtered out by the runtime).
    Key(KeyEvent),
    /// The wheel turned or a button was pressed.
    Mouse(MouseEvent),
    /// The terminal changed size (also sent once at start).
    Resize { width: u16, height: u16 },
    /// The study list for the picker arrived.
    StudiesLoaded(Result<Vec<Study>, ApiError>),
    /// A study's detail (name, questions, total) arrived.
    StudyLoaded {
        id: String,
        result: Result<StudyDetail, ApiError>,
    },
    /// A page of interviews for query `generation` arrived.
    PageLoaded {
        generation: u64,
        result: Result<Page<Interview>, ApiError>,
    },
    /// An interview's transcript and answers arrived.
    DetailLoaded {
        id: String,
        result: Result<InterviewDetail, ApiError>,
    },
    /// The selection has rested since debounce `token` was armed.
    SelectionRested { token: u64 },
    /// The spinner should advance (sent only while something loads).
    Tick,
    /// The process was resumed after `Ctrl-z`: everything must be redrawn.
    Resumed,
    /// SIGTERM, SIGHUP or SIGINT: leave, restoring the terminal.
    Terminate,
}

/// I/O for the runtime to start; each reports back with a [`Msg`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Fetch every study (for the picker) → [`Msg::StudiesLoaded`].
    LoadStudies,
    /// Fetch a study's detail → [`Msg::StudyLoaded`].
    LoadStudy { id: String },
    /// Fetch one page → [`Msg::PageLoaded`] tagged with `generation`.
    LoadPage {
        generation: u64,
        filters: InterviewFilters,
        cursor: Option<String>,
        limit: u32,
    },
    /// Fetch an interview's detail → [`Msg::DetailLoaded`].
    LoadDetail { id: String },
    /// Send [`Msg::SelectionRested`] with `token` after `delay`.
    Debounce { token: u64, delay: Duration },
    /// Suspend the process (`Ctrl-z`), giving the terminal back first.
    Suspend,
    /// Leave, restoring the terminal.
    Quit,
}
