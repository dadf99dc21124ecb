//! Every key binding, as data: (context, keys, action, help). The key
//! lookup, the help overlay, the bottom bar's key hints and the README's
//! key table are all made from [`BINDINGS`], so they cannot disagree.

use std::fmt;

pub use super::keys_config::{Bound, KeyTable, KeysConfig, parse_key};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::model::Quality;

/// Where a binding applies. The browser asks the contexts in force, most
/// particular first (see `input::contexts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Any of the three panes.
    Panes,
    List,
    Transcript,
    Answers,
    /// While the overview (`o`) is shown.
    Overview,
    /// The search prompt, the tags and note prompts, the form's text fields.
    TextField,
    /// The tags prompt (`+`), before the text field's own keys.
    TagsPrompt,
    FilterForm,
    StudyPicker,
    QuestionPicker,
    /// The code picker (`c`, `d`), before the text field's own keys.
    CodePicker,
    Codebook,
    Board,
    Matrix,
    Views,
    /// A question that waits for yes or no (a change to many interviews).
    Confirm,
    Help,
}

impl Context {
    /// In the order the help and the README list them.
    pub const ALL: [Context; 17] = [
        Context::Panes,
        Context::List,
        Context::Transcript,
        Context::Answers,
        Context::Overview,
        Context::TextField,
        Context::TagsPrompt,
        Context::FilterForm,
        Context::StudyPicker,
        Context::QuestionPicker,
        Context::CodePicker,
        Context::Codebook,
        Context::Board,
        Context::Matrix,
        Context::Views,
        Context::Confirm,
        Context::Help,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Context::Panes => "In every pane",
            Context::List => "Interview list",
            Context::Transcript => "Transcript",
            Context::Answers => "Answers",
            Context::Overview => "Overview (o)",
            Context::TextField => "Text fields (/ search, + tags, e note, F form)",
            Context::TagsPrompt => "Tags prompt (+)",
            Context::FilterForm => "Filter form (F)",
            Context::StudyPicker => "Study picker (S)",
            Context::QuestionPicker => "Question picker (Q)",
            Context::CodePicker => "Code picker (c, d)",
            Context::Codebook => "Codebook (C)",
            Context::Board => "Evidence board (b)",
            Context::Matrix => "Matrix (M)",
            Context::Views => "Saved views (V)",
            Context::Confirm => "A question (a change to every interview of the list)",
            Context::Help => "This help",
        }
    }
}

/// A key as bound: its code and whether Ctrl or Alt is held. Shift is not
/// compared (terminals differ in reporting it with `G` or `*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
        alt: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
        alt: false,
    }
}

const fn alt(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
        alt: true,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: false,
        alt: false,
    }
}

/// Stands for any printable character (typing into a text field).
const ANY_CHAR: Key = code(KeyCode::Null);

impl Key {
    pub fn matches(&self, e: &KeyEvent) -> bool {
        let ctrl = e.modifiers.contains(KeyModifiers::CONTROL);
        let alt = e.modifiers.contains(KeyModifiers::ALT);
        if *self == ANY_CHAR {
            return matches!(e.code, KeyCode::Char(c) if !c.is_control()) && !ctrl && !alt;
        }
        self.code == e.code && self.ctrl == ctrl && self.alt == alt
    }

    /// The event this key sends (for tests that press every binding).
    pub fn event(&self) -> KeyEvent {
        let mut m = KeyModifiers::NONE;
        if self.ctrl {
            m |= KeyModifiers::CONTROL;
        }
        if self.alt {
            m |= KeyModifiers::ALT;
        }
        let code = if *self == ANY_CHAR {
            KeyCode::Char('a')
        } else {
            self.code
        };
        KeyEvent::new(code, m)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == ANY_CHAR {
            return f.write_str("letters");
        }
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// What a key does, named for what happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    Suspend,
    ShowHelp,
    Down,
    Up,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    FocusNext,
    FocusPrev,
    OpenInterview,
    /// Leave the study's search, then the one-question view.
    ShowWholeList,
    JumpToExcerpt,
    /// Clear the find in this interview (its highlights).
    ClearFind,
    ToggleTranslation,
    ToggleBoth,
    PrevMessage,
    NextMessage,
    CycleStatus,
    /// `None`: any quality.
    FilterQuality(Option<Quality>),
    OpenFilterForm,
    StartSearch,
    NextMatch,
    PrevMatch,
    SyncAgain,
    SwitchStudy,
    ToggleReviewed,
    ToggleStarred,
    EditTags,
    EditNote,
    CopyQuote,
    CopyId,
    PickQuestion,
    ToggleOverview,
    CloseOverview,
    CloseHelp,
    /// Close the open form or picker, changing nothing.
    CloseOverlay,
    OpenStudy,
    ReloadStudies,
    ChooseQuestion,
    NextField,
    PrevField,
    NextValue,
    PrevValue,
    ApplyFilters,
    /// Enter in a text field: search, save, or apply the form.
    SubmitText,
    /// Esc in a text field: close it, changing nothing.
    CancelText,
    /// A printable character: typed at the cursor.
    TypeText,
    /// Cursor movement and deletion, done by the field's line editor.
    EditText,
    /// Complete the word at the cursor (a tag used in the study).
    CompleteText,
    /// Widen the list over the transcript's columns, and back.
    WidenList,
    /// The language filter: each language of the study in turn, then all.
    CycleLanguage,
    /// The list's order: newest, oldest, longest, quality.
    CycleOrder,
    /// Clear every filter (status, quality, reference id, marks,
    /// language) and the search.
    ClearFilters,
    /// Code the current message (transcript) or excerpt (answers).
    CodeCurrent,
    /// Remove a code from the current message's highlight, or the whole.
    RemoveCode,
    OpenCodebook,
    /// The evidence board of the current highlight's code (else the
    /// codebook, to choose one).
    OpenBoard,
    OpenMatrix,
    /// Undo the last change to marks, highlights or codes.
    Undo,
    Redo,
    /// In the code picker: a recent code by its number (1-9).
    PickRecent(u8),
    /// Pick the selected row (the code picker, the codebook).
    Choose,
    /// The matrix: the next segmentation of its columns.
    NextSegment,
    /// The matrix: counts ↔ shares of each column.
    ToggleShares,
    /// Trim the current message to the part to highlight.
    TrimMessage,
    /// Comment on the current message's highlight.
    CommentHighlight,
    RenameCode,
    MergeCode,
    SetParent,
    DescribeCode,
    DeleteCode,
    /// The board: copy the selected quote with its citation.
    CopyEvidence,
    /// The board: code the selected quote with another code.
    RecodeEvidence,
    /// The matrix: the cell to the left / right.
    Left,
    Right,
    /// The saved views, with their counts.
    OpenViews,
    /// Save the list's query as a view.
    SaveView,
    /// The next mark key applies to every interview of the list.
    BulkPrefix,
}

/// One row of the table.
#[derive(Debug)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        help,
    }
}

use Context as C;
use KeyCode as K;

pub const BINDINGS: &[Binding] = &[
    // In every pane.
    bind(
        C::Panes,
        &[code(K::Char('j')), code(K::Down)],
        Action::Down,
        "move down / scroll",
    ),
    bind(
        C::Panes,
        &[code(K::Char('k')), code(K::Up)],
        Action::Up,
        "move up / scroll",
    ),
    bind(
        C::Panes,
        &[ctrl('d')],
        Action::HalfPageDown,
        "half a page down",
    ),
    bind(C::Panes, &[ctrl('u')], Action::HalfPageUp, "half a page up"),
    bind(
        C::Panes,
        &[code(K::PageDown)],
        Action::PageDown,
        "a page down",
    ),
    bind(C::Panes, &[code(K::PageUp)], Action::PageUp, "a page up"),
    bind(
        C::Panes,
        &[ch('g'), code(K::Home)],
        Action::Top,
        "to the top",
    ),
    bind(
        C::Panes,
        &[ch('G'), code(K::End)],
        Action::Bottom,
        "to the bottom (list: the last stored row; follows the end while a sync walks)",
    ),
    bind(
        C::Panes,
        &[code(K::Tab), ch('l')],
        Action::FocusNext,
        "focus the next pane",
    ),
    bind(
        C::Panes,
        &[code(K::BackTab), ch('h')],
        Action::FocusPrev,
        "focus the previous pane",
    ),
    bind(
        C::Panes,
        &[ch('t')],
        Action::ToggleTranslation,
        "transcript: original ↔ English",
    ),
    bind(
        C::Panes,
        &[ch('T')],
        Action::ToggleBoth,
        "transcript: both (side by side when the pane is 110 columns wide, else beneath)",
    ),
    bind(
        C::Panes,
        &[ch('[')],
        Action::PrevMessage,
        "transcript: the previous message becomes current",
    ),
    bind(
        C::Panes,
        &[ch(']')],
        Action::NextMessage,
        "transcript: the next message becomes current",
    ),
    bind(
        C::Panes,
        &[ch('s')],
        Action::CycleStatus,
        "status filter: all → completed → started → processing",
    ),
    bind(
        C::Panes,
        &[ch('1')],
        Action::FilterQuality(Some(Quality::Insightful)),
        "quality filter: insightful",
    ),
    bind(
        C::Panes,
        &[ch('2')],
        Action::FilterQuality(Some(Quality::Successful)),
        "quality filter: successful",
    ),
    bind(
        C::Panes,
        &[ch('3')],
        Action::FilterQuality(Some(Quality::Unsuccessful)),
        "quality filter: unsuccessful",
    ),
    bind(
        C::Panes,
        &[ch('0')],
        Action::FilterQuality(None),
        "quality filter: any",
    ),
    bind(
        C::Panes,
        &[ch('L')],
        Action::CycleLanguage,
        "language filter: each language of the study in turn, then all",
    ),
    bind(
        C::Panes,
        &[ch('O')],
        Action::CycleOrder,
        "order: newest → oldest → longest → quality",
    ),
    bind(
        C::Panes,
        &[ch('F')],
        Action::OpenFilterForm,
        "filter form (status, quality, reference id, marks)",
    ),
    bind(
        C::Panes,
        &[ch('/')],
        Action::StartSearch,
        "list: search the whole study; transcript or answers: find in this interview",
    ),
    bind(
        C::Panes,
        &[ch('n')],
        Action::NextMatch,
        "next match in the focused pane",
    ),
    bind(
        C::Panes,
        &[ch('N')],
        Action::PrevMatch,
        "previous match in the focused pane",
    ),
    bind(
        C::Panes,
        &[ch('x')],
        Action::ToggleReviewed,
        "mark the interview reviewed / not reviewed",
    ),
    bind(
        C::Panes,
        &[ch('*')],
        Action::ToggleStarred,
        "star / unstar the interview",
    ),
    bind(
        C::Panes,
        &[ch('+')],
        Action::EditTags,
        "tags: the line is the interview's tags; edit it (-tag removes)",
    ),
    bind(
        C::Panes,
        &[ch('e')],
        Action::EditNote,
        "edit the interview's note",
    ),
    bind(
        C::Panes,
        &[ch('y')],
        Action::CopyQuote,
        "copy: the message as a quote / the answer as Markdown / the id",
    ),
    bind(
        C::Panes,
        &[ch('Y')],
        Action::CopyId,
        "copy the interview's id",
    ),
    bind(
        C::Panes,
        &[ch('Q')],
        Action::PickQuestion,
        "one question across interviews",
    ),
    bind(
        C::Panes,
        &[ch('o')],
        Action::ToggleOverview,
        "the study at a glance (o again closes)",
    ),
    bind(
        C::Panes,
        &[ch('r')],
        Action::SyncAgain,
        "sync the study again; fetch the open interview anew",
    ),
    bind(C::Panes, &[ch('S')], Action::SwitchStudy, "switch study"),
    bind(
        C::Panes,
        &[ch('z')],
        Action::WidenList,
        "widen the list over the transcript's columns, and back",
    ),
    bind(C::Panes, &[ch('?')], Action::ShowHelp, "this help"),
    bind(
        C::Panes,
        &[ctrl('z')],
        Action::Suspend,
        "suspend (fg resumes)",
    ),
    bind(C::Panes, &[ch('q'), ctrl('c')], Action::Quit, "quit"),
    // The panes' own.
    bind(
        C::List,
        &[code(K::Enter)],
        Action::OpenInterview,
        "open the interview (at the first hit under a search)",
    ),
    bind(
        C::List,
        &[code(K::Backspace)],
        Action::ClearFilters,
        "clear every filter and the search: the whole list",
    ),
    bind(
        C::List,
        &[code(K::Esc)],
        Action::ShowWholeList,
        "leave the search, then the question: the whole list again",
    ),
    bind(
        C::Transcript,
        &[code(K::Esc)],
        Action::ClearFind,
        "clear the find in this interview; one pane: back to the list",
    ),
    bind(
        C::Answers,
        &[code(K::Enter)],
        Action::JumpToExcerpt,
        "show the excerpt in the transcript (again: the next one)",
    ),
    bind(
        C::Answers,
        &[code(K::Esc)],
        Action::ClearFind,
        "clear the find in this interview; one pane: back to the list",
    ),
    bind(
        C::Overview,
        &[code(K::Char('j')), code(K::Down)],
        Action::Down,
        "scroll down, when it is taller than its pane",
    ),
    bind(
        C::Overview,
        &[code(K::Char('k')), code(K::Up)],
        Action::Up,
        "scroll up",
    ),
    bind(
        C::Overview,
        &[code(K::PageDown), ctrl('d')],
        Action::PageDown,
        "a page down",
    ),
    bind(
        C::Overview,
        &[code(K::PageUp), ctrl('u')],
        Action::PageUp,
        "a page up",
    ),
    bind(
        C::Overview,
        &[ch('g'), code(K::Home)],
        Action::Top,
        "to the top",
    ),
    bind(
        C::Overview,
        &[ch('G'), code(K::End)],
        Action::Bottom,
        "to the bottom",
    ),
    bind(
        C::Overview,
        &[code(K::Esc)],
        Action::CloseOverview,
        "close the overview",
    ),
    // Text fields.
    bind(
        C::TextField,
        &[ANY_CHAR],
        Action::TypeText,
        "typed at the cursor (a paste too, as one line)",
    ),
    bind(
        C::TextField,
        &[code(K::Left), code(K::Right), ctrl('b'), ctrl('f')],
        Action::EditText,
        "move the cursor a character",
    ),
    bind(
        C::TextField,
        &[alt('b'), alt('f')],
        Action::EditText,
        "move the cursor a word back / forward",
    ),
    bind(
        C::TextField,
        &[code(K::Home), ctrl('a'), code(K::End), ctrl('e')],
        Action::EditText,
        "to the start / the end",
    ),
    bind(
        C::TextField,
        &[code(K::Backspace), code(K::Delete)],
        Action::EditText,
        "delete the character before / under the cursor",
    ),
    bind(
        C::TextField,
        &[ctrl('w')],
        Action::EditText,
        "delete the word before the cursor",
    ),
    bind(
        C::TextField,
        &[ctrl('u'), ctrl('k')],
        Action::EditText,
        "delete to the start / to the end",
    ),
    bind(
        C::TextField,
        &[code(K::Enter)],
        Action::SubmitText,
        "search / save / apply",
    ),
    bind(
        C::TextField,
        &[code(K::Esc)],
        Action::CancelText,
        "cancel (a search: the whole list again)",
    ),
    bind(C::TextField, &[ctrl('c')], Action::Quit, "quit"),
    bind(
        C::TagsPrompt,
        &[code(K::Tab)],
        Action::CompleteText,
        "complete a tag used in this study",
    ),
    // The filter form.
    bind(
        C::FilterForm,
        &[code(K::Tab), code(K::Down)],
        Action::NextField,
        "next field",
    ),
    bind(
        C::FilterForm,
        &[code(K::BackTab), code(K::Up)],
        Action::PrevField,
        "previous field",
    ),
    bind(
        C::FilterForm,
        &[code(K::Right), ch(' ')],
        Action::NextValue,
        "next value (status, quality, reviewed, starred)",
    ),
    bind(
        C::FilterForm,
        &[code(K::Left)],
        Action::PrevValue,
        "previous value",
    ),
    bind(
        C::FilterForm,
        &[code(K::Enter)],
        Action::ApplyFilters,
        "apply the filters",
    ),
    bind(
        C::FilterForm,
        &[code(K::Esc)],
        Action::CloseOverlay,
        "cancel",
    ),
    bind(C::FilterForm, &[ctrl('c')], Action::Quit, "quit"),
    // The pickers.
    bind(
        C::StudyPicker,
        &[code(K::Char('j')), code(K::Down)],
        Action::Down,
        "next study",
    ),
    bind(
        C::StudyPicker,
        &[code(K::Char('k')), code(K::Up)],
        Action::Up,
        "previous study",
    ),
    bind(
        C::StudyPicker,
        &[ch('g'), code(K::Home)],
        Action::Top,
        "the first",
    ),
    bind(
        C::StudyPicker,
        &[ch('G'), code(K::End)],
        Action::Bottom,
        "the last",
    ),
    bind(
        C::StudyPicker,
        &[code(K::Enter)],
        Action::OpenStudy,
        "open the study (the same one keeps its filters)",
    ),
    bind(
        C::StudyPicker,
        &[ch('r')],
        Action::ReloadStudies,
        "load the studies again",
    ),
    bind(
        C::StudyPicker,
        &[code(K::Esc)],
        Action::CloseOverlay,
        "close (when a study is open)",
    ),
    bind(C::StudyPicker, &[ch('q'), ctrl('c')], Action::Quit, "quit"),
    bind(
        C::QuestionPicker,
        &[code(K::Char('j')), code(K::Down)],
        Action::Down,
        "next question",
    ),
    bind(
        C::QuestionPicker,
        &[code(K::Char('k')), code(K::Up)],
        Action::Up,
        "previous question",
    ),
    bind(
        C::QuestionPicker,
        &[ch('g'), code(K::Home)],
        Action::Top,
        "the first",
    ),
    bind(
        C::QuestionPicker,
        &[ch('G'), code(K::End)],
        Action::Bottom,
        "the last",
    ),
    bind(
        C::QuestionPicker,
        &[code(K::Enter)],
        Action::ChooseQuestion,
        "list every interview's answer to it",
    ),
    bind(
        C::QuestionPicker,
        &[code(K::Esc), ch('q')],
        Action::CloseOverlay,
        "close",
    ),
    bind(C::QuestionPicker, &[ctrl('c')], Action::Quit, "quit"),
    // Coding.
    bind(
        C::Transcript,
        &[ch('c')],
        Action::CodeCurrent,
        "code the current message",
    ),
    bind(
        C::Answers,
        &[ch('c')],
        Action::CodeCurrent,
        "code the current answer's first excerpt",
    ),
    bind(
        C::Transcript,
        &[ch('d')],
        Action::RemoveCode,
        "remove a code from the current message's highlight",
    ),
    bind(
        C::Panes,
        &[ch('C')],
        Action::OpenCodebook,
        "the codebook: every code with its counts",
    ),
    bind(
        C::Panes,
        &[ch('b')],
        Action::OpenBoard,
        "the evidence board of the current highlight's code",
    ),
    bind(
        C::Panes,
        &[ch('M')],
        Action::OpenMatrix,
        "the matrix: codes × quality, language, status, tag, reviewed, question",
    ),
    bind(
        C::Panes,
        &[ch('u')],
        Action::Undo,
        "undo the last change to marks, highlights or codes",
    ),
    bind(C::Panes, &[ctrl('r')], Action::Redo, "redo what was undone"),
    bind(
        C::CodePicker,
        &[code(K::Down), ctrl('n')],
        Action::Down,
        "next code",
    ),
    bind(
        C::CodePicker,
        &[code(K::Up), ctrl('p')],
        Action::Up,
        "previous code",
    ),
    bind(
        C::CodePicker,
        &[code(K::Enter)],
        Action::Choose,
        "choose the code (a new name makes it)",
    ),
    bind(
        C::CodePicker,
        &[ch('1')],
        Action::PickRecent(1),
        "with nothing typed: the most recent code",
    ),
    bind(
        C::CodePicker,
        &[ch('2')],
        Action::PickRecent(2),
        "with nothing typed: recent code 2",
    ),
    bind(
        C::CodePicker,
        &[ch('3')],
        Action::PickRecent(3),
        "with nothing typed: recent code 3",
    ),
    bind(
        C::CodePicker,
        &[ch('4')],
        Action::PickRecent(4),
        "with nothing typed: recent code 4",
    ),
    bind(
        C::CodePicker,
        &[ch('5')],
        Action::PickRecent(5),
        "with nothing typed: recent code 5",
    ),
    bind(
        C::CodePicker,
        &[ch('6')],
        Action::PickRecent(6),
        "with nothing typed: recent code 6",
    ),
    bind(
        C::CodePicker,
        &[ch('7')],
        Action::PickRecent(7),
        "with nothing typed: recent code 7",
    ),
    bind(
        C::CodePicker,
        &[ch('8')],
        Action::PickRecent(8),
        "with nothing typed: recent code 8",
    ),
    bind(
        C::CodePicker,
        &[ch('9')],
        Action::PickRecent(9),
        "with nothing typed: recent code 9",
    ),
    bind(
        C::CodePicker,
        &[code(K::Esc)],
        Action::CloseOverlay,
        "close, changing nothing",
    ),
    bind(C::CodePicker, &[ctrl('c')], Action::Quit, "quit"),
    bind(
        C::Codebook,
        &[code(K::Char('j')), code(K::Down)],
        Action::Down,
        "next code",
    ),
    bind(
        C::Codebook,
        &[code(K::Char('k')), code(K::Up)],
        Action::Up,
        "previous code",
    ),
    bind(
        C::Codebook,
        &[ch('g'), code(K::Home)],
        Action::Top,
        "the first",
    ),
    bind(
        C::Codebook,
        &[ch('G'), code(K::End)],
        Action::Bottom,
        "the last",
    ),
    bind(
        C::Codebook,
        &[code(K::Enter)],
        Action::Choose,
        "the code's evidence board",
    ),
    bind(
        C::Codebook,
        &[code(K::Esc), ch('q')],
        Action::CloseOverlay,
        "close",
    ),
    bind(C::Codebook, &[ctrl('c')], Action::Quit, "quit"),
    bind(
        C::Board,
        &[code(K::Char('j')), code(K::Down)],
        Action::Down,
        "scroll down",
    ),
    bind(
        C::Board,
        &[code(K::Char('k')), code(K::Up)],
        Action::Up,
        "scroll up",
    ),
    bind(
        C::Board,
        &[code(K::PageDown), ch(' ')],
        Action::PageDown,
        "a page down",
    ),
    bind(C::Board, &[code(K::PageUp)], Action::PageUp, "a page up"),
    bind(
        C::Board,
        &[ch('g'), code(K::Home)],
        Action::Top,
        "to the top",
    ),
    bind(
        C::Board,
        &[ch('G'), code(K::End)],
        Action::Bottom,
        "to the bottom",
    ),
    bind(
        C::Board,
        &[code(K::Esc), ch('q')],
        Action::CloseOverlay,
        "close",
    ),
    bind(C::Board, &[ctrl('c')], Action::Quit, "quit"),
    bind(
        C::Matrix,
        &[code(K::Tab)],
        Action::NextSegment,
        "columns: quality → language → status → tag → reviewed → question",
    ),
    bind(
        C::Matrix,
        &[ch('%')],
        Action::ToggleShares,
        "counts ↔ share of each column",
    ),
    bind(
        C::Matrix,
        &[code(K::Char('j')), code(K::Down)],
        Action::Down,
        "scroll down",
    ),
    bind(
        C::Matrix,
        &[code(K::Char('k')), code(K::Up)],
        Action::Up,
        "scroll up",
    ),
    bind(
        C::Matrix,
        &[code(K::Esc), ch('q')],
        Action::CloseOverlay,
        "close",
    ),
    bind(C::Matrix, &[ctrl('c')], Action::Quit, "quit"),
    bind(
        C::Transcript,
        &[ch('v')],
        Action::TrimMessage,
        "trim the current message to the part to code",
    ),
    bind(
        C::Transcript,
        &[ch('E')],
        Action::CommentHighlight,
        "comment on the current message's highlight",
    ),
    bind(
        C::Codebook,
        &[ch('R')],
        Action::RenameCode,
        "rename the code",
    ),
    bind(
        C::Codebook,
        &[ch('m')],
        Action::MergeCode,
        "merge it into another code (its highlights move, the descriptions join)",
    ),
    bind(
        C::Codebook,
        &[ch('p')],
        Action::SetParent,
        "set its parent theme (or the top)",
    ),
    bind(
        C::Codebook,
        &[ch('a')],
        Action::DescribeCode,
        "edit its description",
    ),
    bind(
        C::Codebook,
        &[ch('D')],
        Action::DeleteCode,
        "delete it (asks first, saying how many highlights lose it)",
    ),
    bind(
        C::Board,
        &[code(K::Enter)],
        Action::Choose,
        "open the transcript at the quote",
    ),
    bind(
        C::Board,
        &[ch('y')],
        Action::CopyEvidence,
        "copy the quote with its citation",
    ),
    bind(
        C::Board,
        &[ch('c')],
        Action::RecodeEvidence,
        "code the quote with another code",
    ),
    bind(
        C::Matrix,
        &[code(K::Char('h')), code(K::Left)],
        Action::Left,
        "the column to the left",
    ),
    bind(
        C::Matrix,
        &[code(K::Char('l')), code(K::Right)],
        Action::Right,
        "the column to the right",
    ),
    bind(
        C::Matrix,
        &[code(K::Enter)],
        Action::Choose,
        "the board of the cell's interviews",
    ),
    bind(
        C::Panes,
        &[ch('V')],
        Action::OpenViews,
        "saved views, with their counts",
    ),
    bind(
        C::Views,
        &[code(K::Char('j')), code(K::Down)],
        Action::Down,
        "next view",
    ),
    bind(
        C::Views,
        &[code(K::Char('k')), code(K::Up)],
        Action::Up,
        "previous view",
    ),
    bind(
        C::Views,
        &[code(K::Enter)],
        Action::Choose,
        "show the view: its query alone",
    ),
    bind(
        C::Views,
        &[ch('s')],
        Action::SaveView,
        "save the list's search and filters as a view",
    ),
    bind(
        C::Views,
        &[code(K::Esc), ch('q')],
        Action::CloseOverlay,
        "close",
    ),
    bind(C::Views, &[ctrl('c')], Action::Quit, "quit"),
    bind(
        C::Panes,
        &[ch(';')],
        Action::BulkPrefix,
        "then a mark key (reviewed, star, tags): apply it to every interview of the list (asks first)",
    ),
    bind(
        C::Confirm,
        &[code(K::Enter), ch('y')],
        Action::Choose,
        "yes, do it",
    ),
    bind(
        C::Confirm,
        &[code(K::Esc), ch('n'), ch('q')],
        Action::CloseOverlay,
        "no, change nothing",
    ),
    bind(C::Confirm, &[ctrl('c')], Action::Quit, "quit"),
    // The help.
    bind(
        C::Help,
        &[code(K::Char('j')), code(K::Down)],
        Action::Down,
        "scroll down",
    ),
    bind(
        C::Help,
        &[code(K::Char('k')), code(K::Up)],
        Action::Up,
        "scroll up",
    ),
    bind(
        C::Help,
        &[code(K::PageDown), ch(' ')],
        Action::PageDown,
        "a page down",
    ),
    bind(C::Help, &[code(K::PageUp)], Action::PageUp, "a page up"),
    bind(
        C::Help,
        &[ch('g'), code(K::Home)],
        Action::Top,
        "to the top",
    ),
    bind(
        C::Help,
        &[ch('G'), code(K::End)],
        Action::Bottom,
        "to the bottom",
    ),
    bind(
        C::Help,
        &[code(K::Esc), ch('?'), ch('q'), code(K::Enter)],
        Action::CloseHelp,
        "close the help",
    ),
    bind(C::Help, &[ctrl('c')], Action::Quit, "quit"),
];

/// What the help shows after the keys: what rows and the mouse mean.
pub const LEGEND: &[(&str, &str)] = &[
    (
        "mouse",
        "wheel scrolls the pane under it; click selects / focuses",
    ),
    ("row status", "✓ completed ▸ started … processing"),
    (
        "row quality",
        "[I]nsightful [S]uccessful [U]nsuccessful [·] not scored yet",
    ),
    ("row marks", "R reviewed  * starred  # tagged"),
    (
        "pane borders",
        "↑ 27–52 of 90 ↓: the lines shown, and that more lie above / below",
    ),
];

/// The action `key` has in the first of `contexts` that binds it.
pub fn lookup(contexts: &[Context], key: &KeyEvent) -> Option<&'static Action> {
    lookup_in(contexts, key).map(|(_, a)| a)
}

/// The first of `contexts` that binds `key`, and the action there.
pub fn lookup_in(contexts: &[Context], key: &KeyEvent) -> Option<(Context, &'static Action)> {
    contexts.iter().find_map(|c| {
        BINDINGS
            .iter()
            .filter(|b| b.context == *c)
            .find(|b| b.keys.iter().any(|k| k.matches(key)))
            .map(|b| (*c, &b.action))
    })
}

/// The default table (the README's), for what has no state at hand.
pub fn default_table() -> &'static KeyTable {
    static TABLE: std::sync::LazyLock<KeyTable> = std::sync::LazyLock::new(KeyTable::default);
    &TABLE
}

impl KeyTable {
    /// The first of `contexts` that binds `key`, and the action there.
    pub fn lookup_in(&self, contexts: &[Context], key: &KeyEvent) -> Option<(Context, Action)> {
        contexts.iter().find_map(|c| {
            self.bound
                .iter()
                .filter(|b| b.context == *c)
                .find(|b| b.keys.iter().any(|k| k.matches(key)))
                .map(|b| (*c, b.action.clone()))
        })
    }

    /// The keys bound to `action` in `context`, as the help writes them.
    pub fn keys_for(&self, context: Context, action: &Action) -> Option<String> {
        self.bound
            .iter()
            .find(|b| b.context == context && b.action == *action)
            .map(|b| keys_joined(&b.keys))
    }

    /// The key a message names for `action` in `place` (its first key in
    /// force), so no text names a key the table does not bind.
    pub fn key(&self, place: Context, action: &Action) -> String {
        self.first_key(place, action)
            .map_or_else(|| "(unbound)".into(), |k| k.to_string())
    }

    /// The first key bound to `action` in `place` (for a pane: its own,
    /// else every pane's).
    fn first_key(&self, place: Context, action: &Action) -> Option<Key> {
        let pane = matches!(
            place,
            Context::List | Context::Transcript | Context::Answers | Context::Overview
        );
        let places: &[Context] = if pane {
            &[place, Context::Panes]
        } else {
            &[place]
        };
        places.iter().find_map(|c| {
            self.bound
                .iter()
                .find(|b| b.context == *c && b.action == *action)
                .and_then(|b| b.keys.first().copied())
        })
    }

    /// The bottom bar's hints for a pane or an overlay, with the keys in
    /// force.
    pub fn hint_line(&self, pane: Context) -> String {
        self.hint_line_without(pane, &[])
    }

    /// The hints, leaving out those of `absent`.
    pub fn hint_line_without(&self, pane: Context, absent: &[Action]) -> String {
        hints_with(pane, absent, &|place, action| self.first_key(place, action))
    }

    /// The help, wrapped for `inner` columns, with the keys in force.
    pub fn help_lines(&self, inner: usize) -> Vec<HelpLine> {
        help_lines_with(inner, &|c| {
            self.bound
                .iter()
                .filter(|b| b.context == c)
                .map(|b| (keys_joined(&b.keys), b.help))
                .collect()
        })
    }

    /// The help box's inner width, visible lines and total lines.
    pub fn help_box(&self, width: u16, height: u16) -> (usize, usize, usize) {
        let inner = usize::from(width.min(HELP_WIDTH).saturating_sub(2)).max(1);
        let total = self.help_lines(inner).len();
        let visible = (total + 2).min(usize::from(height)).saturating_sub(2);
        (inner, visible, total)
    }

    /// How far the help can scroll.
    pub fn help_scroll_max(&self, width: u16, height: u16) -> usize {
        let (_, visible, total) = self.help_box(width, height);
        total.saturating_sub(visible)
    }
}

fn keys_joined(keys: &[Key]) -> String {
    keys.iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The keys of a binding as the help writes them: `j/↓`.
pub fn keys_text(b: &Binding) -> String {
    b.keys
        .iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The bottom bar's hints: per pane, the actions shown and their word.
const HINTS: &[(Context, &[Action], &str)] = &[
    (C::List, &[Action::Down, Action::Up], "move"),
    (C::List, &[Action::OpenInterview], "open"),
    // Searching and filtering come first: at 80 columns they are what
    // stays, before the quality keys.
    (C::List, &[Action::StartSearch], "search"),
    (C::List, &[Action::OpenFilterForm], "filter"),
    (
        C::List,
        &[
            Action::ToggleReviewed,
            Action::ToggleStarred,
            Action::EditTags,
            Action::EditNote,
        ],
        "mark",
    ),
    (C::List, &[Action::CycleStatus], "status"),
    (
        C::List,
        &[
            Action::FilterQuality(Some(Quality::Insightful)),
            Action::FilterQuality(Some(Quality::Successful)),
            Action::FilterQuality(Some(Quality::Unsuccessful)),
            Action::FilterQuality(None),
        ],
        "quality",
    ),
    (C::Transcript, &[Action::Down, Action::Up], "scroll"),
    (
        C::Transcript,
        &[Action::PrevMessage, Action::NextMessage],
        "message",
    ),
    (C::Transcript, &[Action::CopyQuote], "quote"),
    (C::Transcript, &[Action::ToggleTranslation], "English"),
    (C::Transcript, &[Action::ToggleBoth], "both"),
    (C::Transcript, &[Action::StartSearch], "search"),
    (C::Transcript, &[Action::NextMatch, Action::PrevMatch], ""),
    (C::Transcript, &[Action::FocusNext], "pane"),
    (C::Answers, &[Action::Down, Action::Up], "answer"),
    (C::Answers, &[Action::JumpToExcerpt], "jump to excerpt"),
    (C::Answers, &[Action::CopyQuote], "copy"),
    (C::Answers, &[Action::FocusNext], "pane"),
    (C::Overview, &[Action::Down, Action::Up], "scroll"),
    (C::Overview, &[Action::CloseOverview], "close"),
    (C::Overview, &[Action::FocusNext], "pane"),
    (C::Help, &[Action::Down, Action::Up], "scroll"),
    (C::Help, &[Action::CloseHelp], "close"),
    (C::CodePicker, &[Action::Down, Action::Up], "move"),
    (C::CodePicker, &[Action::Choose], "choose"),
    (C::CodePicker, &[Action::CloseOverlay], "close"),
    (C::Codebook, &[Action::Down, Action::Up], "move"),
    (C::Codebook, &[Action::Choose], "board"),
    (C::Codebook, &[Action::RenameCode], "rename"),
    (C::Codebook, &[Action::DeleteCode], "delete"),
    (C::Codebook, &[Action::CloseOverlay], "close"),
    (C::Board, &[Action::Down, Action::Up], "move"),
    (C::Board, &[Action::Choose], "open"),
    (C::Board, &[Action::CopyEvidence], "copy"),
    (C::Board, &[Action::CloseOverlay], "close"),
    (C::Matrix, &[Action::NextSegment], "columns"),
    (C::Matrix, &[Action::Choose], "board"),
    (C::Matrix, &[Action::ToggleShares], "counts/shares"),
    (C::Matrix, &[Action::CloseOverlay], "close"),
    (C::Confirm, &[Action::Choose], "yes"),
    (C::Confirm, &[Action::CloseOverlay], "no"),
    (C::Views, &[Action::Down, Action::Up], "move"),
    (C::Views, &[Action::Choose], "show"),
    (C::Views, &[Action::SaveView], "save the list"),
    (C::Views, &[Action::CloseOverlay], "close"),
    (C::StudyPicker, &[Action::Down, Action::Up], "move"),
    (C::StudyPicker, &[Action::OpenStudy], "open"),
    (C::StudyPicker, &[Action::ReloadStudies], "reload"),
    (C::StudyPicker, &[Action::CloseOverlay], "close"),
    (C::QuestionPicker, &[Action::Down, Action::Up], "move"),
    (C::QuestionPicker, &[Action::ChooseQuestion], "choose"),
    (C::QuestionPicker, &[Action::CloseOverlay], "close"),
    (
        C::FilterForm,
        &[Action::NextField, Action::PrevField],
        "field",
    ),
    (
        C::FilterForm,
        &[Action::PrevValue, Action::NextValue],
        "change",
    ),
    (C::FilterForm, &[Action::ApplyFilters], "apply"),
    (C::FilterForm, &[Action::CloseOverlay], "cancel"),
];

/// The bottom bar's key hints for a pane or an overlay: `j/k move  Enter
/// open  …  ? help  q quit` (the last two are kept at every width by the
/// bar).
pub fn hint_line(pane: Context) -> String {
    hint_line_without(pane, &[])
}

/// The hints, leaving out those of `absent` (an action that does nothing
/// now, as Esc in the study picker when no study is open behind it).
pub fn hint_line_without(pane: Context, absent: &[Action]) -> String {
    default_table().hint_line_without(pane, absent)
}

type FirstKey<'a> = &'a dyn Fn(Context, &Action) -> Option<Key>;

fn hints_with(pane: Context, absent: &[Action], first_key: FirstKey<'_>) -> String {
    let mut parts: Vec<String> = HINTS
        .iter()
        .filter(|(c, actions, _)| *c == pane && !actions.iter().any(|a| absent.contains(a)))
        .map(|(_, actions, word)| {
            let keys: Vec<String> = actions
                .iter()
                .filter_map(|a| first_key(pane, a))
                .map(|k| k.to_string())
                .collect();
            let keys = keys.join("/");
            if word.is_empty() {
                keys
            } else {
                format!("{keys} {word}")
            }
        })
        .collect();
    for (action, word) in [(Action::ShowHelp, "help"), (Action::Quit, "quit")] {
        if let Some(k) = first_key(pane, &action) {
            parts.push(format!("{k} {word}"));
        }
    }
    parts.join("  ")
}

/// The README's key tables, in Markdown (checked by a test against the
/// README; `UJ_WRITE_README=1 cargo test --test keys` rewrites it).
pub fn readme_tables() -> String {
    let mut out = String::new();
    for c in Context::ALL {
        out.push_str(&format!(
            "\n**{}** (`[keys.{}]`)\n\n| keys | action | name |\n|---|---|---|\n",
            c.title(),
            c.name()
        ));
        for b in BINDINGS.iter().filter(|b| b.context == c) {
            let keys: Vec<String> = b
                .keys
                .iter()
                .map(|k| match k.to_string().as_str() {
                    "letters" => "letters".to_string(),
                    "`" => "`` ` ``".to_string(),
                    "|" => "`\\|`".to_string(),
                    t => format!("`{t}`"),
                })
                .collect();
            out.push_str(&format!(
                "| {} | {} | `{}` |\n",
                keys.join(" "),
                b.help,
                b.action.name()
            ));
        }
    }
    out
}

/// One line of the help as drawn: a section title, or a binding's keys
/// (on its first line) and a line of what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub title: bool,
    pub keys: String,
    pub text: String,
}

/// The columns the keys take in the help.
pub const HELP_KEYS_COLS: usize = 18;

/// The widest the help box gets.
pub const HELP_WIDTH: u16 = 84;

/// The help, wrapped for `inner` columns, so the view and the scrolling
/// agree on its length.
pub fn help_lines(inner: usize) -> Vec<HelpLine> {
    default_table().help_lines(inner)
}

type ContextRows<'a> = &'a dyn Fn(Context) -> Vec<(String, &'static str)>;

fn help_lines_with(inner: usize, rows: ContextRows<'_>) -> Vec<HelpLine> {
    let keys_cols = HELP_KEYS_COLS.min(inner / 2);
    let text_cols = inner.saturating_sub(keys_cols).max(8);
    let mut out = Vec::new();
    let title = |out: &mut Vec<HelpLine>, t: &str| {
        for l in textwrap::wrap(t, inner.max(1)) {
            out.push(HelpLine {
                title: true,
                keys: String::new(),
                text: l.into_owned(),
            });
        }
    };
    let row = |out: &mut Vec<HelpLine>, keys: String, what: &str| {
        // Keys wider than their column get a line of their own.
        let own_line = crate::text::width(&keys) >= keys_cols;
        if own_line {
            out.push(HelpLine {
                title: false,
                keys: crate::text::truncate_to_width(&keys, inner).into_owned(),
                text: String::new(),
            });
        }
        for (k, l) in textwrap::wrap(what, text_cols).into_iter().enumerate() {
            let keys = if k == 0 && !own_line {
                crate::text::pad_to_width(&keys, keys_cols)
            } else {
                " ".repeat(keys_cols)
            };
            out.push(HelpLine {
                title: false,
                keys,
                text: l.into_owned(),
            });
        }
    };
    for c in Context::ALL {
        title(&mut out, c.title());
        for (keys, help) in rows(c) {
            row(&mut out, keys, help);
        }
        out.push(HelpLine {
            title: false,
            keys: String::new(),
            text: String::new(),
        });
    }
    title(&mut out, "What you see");
    for (what, means) in LEGEND {
        row(&mut out, what.to_string(), means);
    }
    out
}

/// The help box's inner width and visible lines on a `width`×`height`
/// terminal, and its total lines.
pub fn help_box(width: u16, height: u16) -> (usize, usize, usize) {
    default_table().help_box(width, height)
}

/// How far the help can scroll on a `width`×`height` terminal.
pub fn help_scroll_max(width: u16, height: u16) -> usize {
    default_table().help_scroll_max(width, height)
}
