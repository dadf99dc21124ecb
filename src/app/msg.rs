use std::time::Duration;

use crate::mirror::MirrorError;
use crossterm::event::{KeyEvent, MouseEvent};

use std::collections::HashMap;

use crate::api::model::{InterviewDetail, Study, StudyDetail};
use crate::store::{ListQuery, MarkChange, Marks, Overview, QuestionCount, SyncState};
use crate::sync::Progress;

// The list's window and a study's count are the store's answers; how a
// sync ended is the sync's. They are named here as the messages carry them.
pub use crate::store::{StudyCount, Window};
pub use crate::sync::SyncEnd;

/// Something that happened: input, or the result of an [`Effect`], carrying
/// its data and the tag of what asked for it so stale answers can be
/// dropped.
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed (releases are filtered out by the runtime).
    Key(KeyEvent),
    /// The wheel turned or a button was pressed.
    Mouse(MouseEvent),
    /// Text pasted into the terminal (bracketed paste): one event, so no
    /// part of it can run as a key.
    Paste(String),
    /// The terminal changed size (also sent once at start).
    Resize { width: u16, height: u16 },
    /// The study list for the picker arrived, with what the store knows
    /// of each study's size.
    StudiesLoaded {
        result: Result<Vec<Study>, MirrorError>,
        counts: HashMap<String, StudyCount>,
        /// The API could not be reached: these are the stored studies.
        offline: bool,
    },
    /// What is known of a study: its detail (name, questions, total) and
    /// how far its mirroring got.
    StudyLoaded {
        id: String,
        result: Result<(Option<StudyDetail>, Option<SyncState>), MirrorError>,
    },
    /// A window of the list for query `generation` was read from the store.
    WindowLoaded {
        generation: u64,
        result: Result<Window, MirrorError>,
    },
    /// The study's questions with their answered counts (for `Q`).
    QuestionsLoaded(Result<Vec<QuestionCount>, MirrorError>),
    /// The overview's counts (for `o`).
    OverviewLoaded {
        /// Numbered as asked: an older answer is dropped.
        read: u64,
        result: Result<Overview, MirrorError>,
    },
    /// The transcript messages of interview `id` that match `query`.
    HitsLoaded {
        id: String,
        query: String,
        result: Result<Vec<usize>, MirrorError>,
    },
    /// The languages of a study's stored interviews (for `L`): the filter
    /// moves to the next one when they arrive.
    LanguagesLoaded {
        study_id: String,
        result: Result<Vec<String>, MirrorError>,
    },
    /// The time to read a search again has come (see
    /// [`Effect::RefreshSoon`]).
    RefreshDue,
    /// Another connection committed to the store (`uj marks import`, a
    /// second browser, a `uj sync`): what is shown is read again.
    StoreChangedElsewhere,
    /// The tags used in the study, most used first (for the `+` prompt's
    /// completion).
    TagsLoaded(Result<Vec<String>, MirrorError>),
    /// An interview's marks were committed (or could not be), with the
    /// step that undoes the change.
    Marked {
        id: String,
        result: Result<(Marks, crate::store::Step), MirrorError>,
    },
    /// The codebook and an interview's highlights were read.
    CodingLoaded {
        /// The read's number: an answer to a read older than one already
        /// shown is dropped.
        read: u64,
        interview_id: Option<String>,
        result: Result<(Vec<crate::store::Highlight>, Vec<crate::store::CodeEntry>), MirrorError>,
    },
    /// A change of coding was committed (or refused).
    Coded(Result<crate::store::Step, MirrorError>),
    /// An undo (`undo`) or redo was written back (or could not be).
    Restored {
        step: crate::store::Step,
        undo: bool,
        result: Result<(), MirrorError>,
    },
    /// The evidence of a code arrived (for the board).
    BoardLoaded {
        code: i64,
        result: Result<Vec<crate::store::Evidence>, MirrorError>,
    },
    /// The English of the board's items `from..` arrived.
    BoardEnglish {
        code: i64,
        from: usize,
        result: Result<Vec<Option<String>>, MirrorError>,
    },
    /// A change to a whole list was committed (or not).
    BulkMarked(Result<crate::store::Step, MirrorError>),
    /// The views' counts: (interviews, unreviewed) each, in order.
    ViewsCounted(Result<Vec<(u64, u64)>, MirrorError>),
    /// A view was written to the config (or not).
    ViewSaved {
        name: String,
        query: String,
        result: Result<(), crate::config::SaveViewError>,
    },
    /// The matrix for a segmentation arrived.
    MatrixLoaded {
        segment: crate::store::Segment,
        result: Result<crate::store::Matrix, MirrorError>,
    },
    /// An interview's transcript and answers arrived.
    DetailLoaded {
        id: String,
        result: Result<InterviewDetail, MirrorError>,
    },
    /// The sync of a study moved on (a page or a detail was committed).
    SyncProgress(Progress),
    /// The sync of a study ended.
    SyncEnded { study_id: String, end: SyncEnd },
    /// The selection has rested since debounce `token` was armed.
    SelectionRested { token: u64 },
    /// The spinner should advance (sent only while something loads).
    Tick,
    /// The process was resumed after `Ctrl-z`: everything must be redrawn.
    Resumed,
    /// SIGTERM, SIGHUP or SIGINT: leave, restoring the terminal.
    Terminate,
}

impl Msg {
    /// Whether this message is the one answer of an effect (progress and
    /// signals are not), so whoever drives the loop knows when the I/O it
    /// started is done.
    pub fn is_answer(&self) -> bool {
        !matches!(
            self,
            Msg::SyncProgress(_)
                | Msg::StoreChangedElsewhere
                | Msg::Terminate
                | Msg::Key(_)
                | Msg::Mouse(_)
                | Msg::Resize { .. }
                | Msg::Tick
                | Msg::Resumed
        )
    }
}

impl Effect {
    /// Whether this effect writes the user's work (marks, codes,
    /// highlights, a saved view): quitting waits for it.
    pub fn writes(&self) -> bool {
        match self {
            Effect::Mark { .. } | Effect::BulkMark { .. } | Effect::SaveView { .. } => true,
            Effect::Coding(request) => !matches!(request, CodingRequest::Load { .. }),
            _ => false,
        }
    }

    /// Whether the runtime answers this effect with exactly one message
    /// that [`Msg::is_answer`] (the sync reports through `SyncEnded`, the
    /// rest are done on the spot).
    pub fn answered(&self) -> bool {
        !matches!(
            self,
            Effect::Quit
                | Effect::Suspend
                | Effect::Sync { .. }
                | Effect::Copy { .. }
                | Effect::RememberStudy { .. }
        )
    }
}

/// I/O for the runtime to start; each reports back with a [`Msg`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Fetch every study (for the picker) → [`Msg::StudiesLoaded`].
    LoadStudies,
    /// Read a study's detail and sync state (fetching the detail when it
    /// is not stored) → [`Msg::StudyLoaded`].
    LoadStudy { id: String },
    /// Read rows `start..start + len` of the filtered list from the store
    /// → [`Msg::WindowLoaded`]. With `follow`, the window is placed around
    /// that interview wherever it now stands.
    LoadWindow {
        generation: u64,
        query: ListQuery,
        start: usize,
        len: usize,
        follow: Option<String>,
    },
    /// Find the messages of interview `id` that match `query`
    /// → [`Msg::HitsLoaded`].
    LoadHits { id: String, query: String },
    /// Change an interview's marks in the store → [`Msg::Marked`] once
    /// the change is committed.
    Mark {
        id: String,
        study_id: String,
        change: MarkChange,
    },
    /// An interview's detail: from the store when current, else from the
    /// API and written through (`fresh`: from the API in any case)
    /// → [`Msg::DetailLoaded`].
    LoadDetail { id: String, fresh: bool },
    /// Mirror a study into the store in the background: progress as
    /// [`Msg::SyncProgress`], the end as [`Msg::SyncEnded`]. A sync of
    /// another study still running is stopped.
    Sync { study_id: String },
    /// The languages of a study's interviews → [`Msg::LanguagesLoaded`].
    LoadLanguages { study_id: String },
    /// Remember the study opened, so `uj` without one reopens it; no
    /// answer (a preference: nothing waits for it).
    RememberStudy { id: String },
    /// The tags used in a study → [`Msg::TagsLoaded`].
    LoadTags { study_id: String },
    /// Count the study's questions' answers → [`Msg::QuestionsLoaded`].
    LoadQuestions { query: ListQuery },
    /// Count the listed interviews for the overview → [`Msg::OverviewLoaded`].
    LoadOverview { read: u64, query: ListQuery },
    /// Put `text` on the clipboard (OSC 52); no answer.
    Copy { text: String },
    /// Send [`Msg::SelectionRested`] with `token` after `delay`.
    Debounce { token: u64, delay: Duration },
    /// Send [`Msg::RefreshDue`] after `delay` (a search read again while
    /// the sync stores transcripts, at most so often).
    RefreshSoon { delay: Duration },
    /// A read or change of coding (see [`CodingRequest`]).
    Coding(CodingRequest),
    /// Apply a change to every interview of a list, in one transaction
    /// → [`Msg::BulkMarked`].
    BulkMark {
        query: ListQuery,
        change: MarkChange,
    },
    /// Count each view's interviews and unreviewed → [`Msg::ViewsCounted`].
    CountViews { queries: Vec<ListQuery> },
    /// Write a view into the config file → [`Msg::ViewSaved`].
    SaveView {
        path: std::path::PathBuf,
        name: String,
        query: String,
    },
    /// Suspend the process (`Ctrl-z`), giving the terminal back first.
    Suspend,
    /// Leave, restoring the terminal.
    Quit,
}

/// What coding asks of the store; each answer is a message.
#[derive(Debug, Clone, PartialEq)]
pub enum CodingRequest {
    /// The codebook and the interview's highlights → [`Msg::CodingLoaded`].
    Load {
        /// Numbered in the order asked (`CodingView::reads`).
        read: u64,
        study_id: String,
        interview_id: Option<String>,
        /// Count each code's highlights too (the codebook is open): a
        /// pass over the study's highlights.
        counts: bool,
    },
    /// Code a passage → [`Msg::Coded`].
    Code {
        new: crate::store::NewHighlight,
        codes: Vec<String>,
    },
    /// Remove a code from a highlight → [`Msg::Coded`].
    Uncode { highlight: i64, code: i64 },
    /// Remove a highlight → [`Msg::Coded`].
    DeleteHighlight { highlight: i64 },
    /// Code every interview of a list as a whole → [`Msg::Coded`].
    BulkCode { query: ListQuery, code: String },
    /// Set a highlight's comment → [`Msg::Coded`].
    Comment { highlight: i64, text: String },
    /// A codebook change → [`Msg::Coded`].
    Codebook {
        study_id: String,
        change: CodebookChange,
    },
    /// Write a step's earlier (`undo`) or later side back → [`Msg::Restored`].
    Restore {
        step: crate::store::Step,
        undo: bool,
    },
    /// The evidence of a code and the codes beneath it → [`Msg::BoardLoaded`].
    Board { query: ListQuery, code: i64 },
    /// The English of board items `from..` → [`Msg::BoardEnglish`].
    BoardEnglish {
        code: i64,
        from: usize,
        items: Vec<crate::store::Evidence>,
    },
    /// The matrix → [`Msg::MatrixLoaded`].
    Matrix {
        query: ListQuery,
        segment: crate::store::Segment,
    },
}

/// A change to the codebook, by the codes' names.
#[derive(Debug, Clone, PartialEq)]
pub enum CodebookChange {
    Rename {
        code: String,
        to: String,
    },
    Merge {
        code: String,
        into: String,
    },
    /// `None`: to the top.
    Parent {
        code: String,
        parent: Option<String>,
    },
    Describe {
        code: String,
        text: String,
    },
    Delete {
        code: String,
    },
}
