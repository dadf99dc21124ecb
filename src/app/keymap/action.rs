//! The contexts a key is looked up in, and the actions keys name.

use super::*;

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
