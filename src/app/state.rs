//! What is on screen, as data.

use std::sync::Arc;

use crate::api::model::{Interview, InterviewDetail};
use crate::present::TextMode;
use crate::store::Marks;

pub use super::detail::{DETAIL_CACHE, Details};
use super::detail::{Wrapped, WrappedAnswers};
use super::layout::{self, Areas};
use super::line_edit::LineEdit;
pub use super::list::ListModel;
pub use super::overlays::{
    Field, FilterForm, Loadable, Overlay, Picker, QuestionPicker, StudyPicker,
};
pub use super::pane::Pane;

/// The open study.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudyInfo {
    pub id: String,
    pub name: Option<String>,
    /// Interviews in the study, from its detail, when known.
    pub total: Option<u64>,
}

/// Whether the API is there for this session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Network {
    #[default]
    Online,
    /// The API could not be reached; a retry may find it.
    Unreachable,
    /// `--offline` (or no source at all): no request is made.
    Off,
}

impl SyncView {
    /// No network: `--offline`, or the API could not be reached.
    pub fn offline(&self) -> bool {
        self.network != Network::Online
    }
}

/// How the mirroring of the open study stands, for the top bar.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncView {
    /// A sync of the open study is running.
    pub running: bool,
    /// Interviews the running sync has walked so far.
    pub listed: u64,
    /// How many the study says it has, when known.
    pub expected: Option<u64>,
    /// When a sync last reached the end of the list (RFC 3339).
    pub last_synced: Option<String>,
    /// A walk has reached the end: the store holds the whole list.
    pub complete: bool,
    /// Whether the API is there for this session.
    pub network: Network,
    /// Why the last sync failed (cleared when another starts).
    pub error: Option<String>,
    /// The data is kept for this session only (demo, snapshot, no store).
    pub ephemeral: bool,
    /// The store can be read but not written: nothing is synced or saved.
    pub read_only: bool,
    /// Transcripts stored of the interviews stored, as the store said
    /// last (after the study opened and after each sync).
    pub transcripts: Option<(u64, u64)>,
    /// While a sync runs: transcripts stored of the interviews it listed.
    pub fetching: Option<(u64, u64)>,
    /// The running sync's walk reached the end: the whole list is here,
    /// nothing more is loading.
    pub walked: bool,
    /// A search is to be read again soon (transcripts were stored since).
    pub refresh_pending: bool,
}

#[derive(Debug, Clone, Default)]
pub struct TranscriptState {
    /// The first visible screen line.
    pub scroll: usize,
    pub mode: TextMode,
    /// The message an answer jump landed on.
    pub highlight: Option<usize>,
    /// The shown interview, wrapped for the pane's width and mode.
    pub wrapped: Option<Wrapped>,
}

#[derive(Debug, Clone, Default)]
pub struct AnswersState {
    pub selected: usize,
    pub scroll: usize,
    /// (interview id, width, mode) the lines were wrapped for.
    pub wrapped_for: Option<(String, usize, TextMode)>,
    pub wrapped: WrappedAnswers,
}

/// What a one-line prompt edits.
#[derive(Debug, Clone, PartialEq)]
pub enum PromptKind {
    /// `+`: tags to add (`+tag`, `tag`) and remove (`-tag`).
    Tags,
    /// `e`: the interview's note.
    Note,
    /// A coding prompt: the trim field, a comment, a code's name or
    /// description.
    Coding(super::coding::CodingPrompt),
    /// The name to save the list's query (held here) as a view under.
    SaveView(String),
    /// Tags for every interview of the list (this many).
    BulkTags(u64),
}

/// A one-line text prompt in the bottom bar for the interview `id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub id: String,
    pub text: LineEdit,
    /// What the prompt opened on (the interview's tags), so the line is
    /// read as the new list.
    pub before: Vec<String>,
    /// Words Tab completes from: the tags used in the study, most used
    /// first (loaded when the tags prompt opens).
    pub choices: Vec<String>,
}

/// A search in one pane (`/`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    pub pane: Pane,
    pub query: LineEdit,
    /// The prompt is open and takes keys.
    pub editing: bool,
    /// Matching rows (list) or messages (transcript), in order.
    pub matches: Vec<usize>,
    /// Index into `matches` of the current one.
    pub current: usize,
    /// Jump to the current match once the transcript is here.
    pub jump_pending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// A transient line in the bottom bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub study: Option<StudyInfo>,
    pub list: ListModel,
    pub focus: Pane,
    /// The interviews' details read, asked for, or failed.
    pub details: Details,
    pub sync: SyncView,
    pub transcript: TranscriptState,
    pub answers: AnswersState,
    pub overlay: Overlay,
    pub search: Option<Search>,
    /// The tags or note prompt, while open.
    pub prompt: Option<Prompt>,
    /// Jump to the chosen question's excerpt once the interview is here.
    pub excerpt_pending: bool,
    /// The overview (`o`) in place of transcript and answers, while open.
    pub overview: super::overview::OverviewPane,
    pub notice: Option<Notice>,
    pub width: u16,
    pub height: u16,
    /// No key is configured: the demo is shown, with how to set one.
    pub demo_banner: bool,
    /// The data is the demo or a snapshot (shown in the top bar).
    pub offline_label: Option<String>,
    /// `z`: the list takes the transcript's columns while it has the focus.
    pub wide_list: bool,
    /// The year dates are shown without (read once at start, so a screen
    /// never depends on the clock).
    pub this_year: i32,
    pub page_size: u32,
    /// Bumped on every selection change; a rest is only for the latest.
    pub debounce: u64,
    pub spinner: usize,
    /// Colours on (off with `NO_COLOR`).
    pub color: bool,
    /// The codebook, the shown interview's highlights, undo and redo.
    pub coding: super::coding::CodingView,
    /// Saved views (the config's `[views]`): name and query, in order.
    pub views: Vec<(String, String)>,
    /// The view the list shows, while its query is the list's.
    pub view: Option<String>,
    /// Where the config file is or would be (saving a view writes it).
    pub config_path: Option<std::path::PathBuf>,
    /// `;` was pressed: the next mark key applies to the whole list.
    pub bulk: bool,
    /// The keys in force (the config's `[keys]` over the defaults).
    pub keys: std::sync::Arc<super::keymap::KeyTable>,
    /// The config's profile in force, if one was chosen (the top bar
    /// names it).
    pub profile: Option<String>,
}

impl State {
    pub fn new(page_size: u32) -> Self {
        State {
            page_size: page_size.clamp(1, 100),
            width: 80,
            height: 24,
            color: true,
            this_year: chrono::Datelike::year(&chrono::Local::now()),
            ..State::default()
        }
    }

    pub fn top_lines(&self) -> u16 {
        if self.demo_banner { 2 } else { 1 }
    }

    pub fn areas(&self) -> Areas {
        layout::areas(
            self.width,
            self.height,
            self.focus,
            self.top_lines(),
            self.transcript.mode == TextMode::Both,
            self.wide_list,
        )
    }

    /// The interview under the list's cursor (once its row is read).
    pub fn selected(&self) -> Option<&Interview> {
        self.list.row(self.list.selected)
    }

    /// The detail of the selected interview, if loaded.
    pub fn shown_detail(&self) -> Option<&Arc<InterviewDetail>> {
        self.selected().and_then(|i| self.details.get(&i.id))
    }

    /// The rectangle `pane` has when it is shown. In the narrow layout only
    /// the focused pane is on screen; this gives the one each pane would
    /// have, so paging ahead and wrapping work the same whichever is shown.
    /// `None` while the terminal is too small.
    fn pane_rect(&self, pane: Pane) -> Option<ratatui::layout::Rect> {
        layout::areas(
            self.width,
            self.height,
            pane,
            self.top_lines(),
            self.transcript.mode == TextMode::Both,
            self.wide_list,
        )
        .pane(pane)
    }

    /// Lines inside `pane` (at least 1).
    pub fn viewport(&self, pane: Pane) -> usize {
        self.pane_rect(pane).map_or(1, layout::inner_height).max(1)
    }

    /// Columns inside `pane`; `None` while the terminal is too small to
    /// show it (nothing is wrapped then).
    pub fn text_width(&self, pane: Pane) -> Option<usize> {
        self.pane_rect(pane).map(|r| layout::inner_width(r).max(1))
    }

    /// Rows visible in the list pane.
    pub fn list_viewport(&self) -> usize {
        self.viewport(Pane::List)
    }

    /// Lines visible in the transcript pane.
    pub fn transcript_viewport(&self) -> usize {
        self.viewport(Pane::Transcript)
    }

    /// Whether anything is loading (the spinner ticks only then).
    pub fn is_loading(&self) -> bool {
        self.list.in_flight.is_some()
            || self.sync.running
            || self.details.loading()
            || matches!(&self.overlay, Overlay::Picker(p) if p.list.items.is_loading())
    }

    /// The marks of an interview in the window (none: unmarked).
    pub fn marks_of(&self, id: &str) -> Option<&Marks> {
        self.list.window.marks.get(id)
    }
}

/// Shows a transient line in the bottom bar (until the next key).
pub fn notify(state: &mut State, level: Level, text: String) {
    state.notice = Some(Notice { level, text });
}
