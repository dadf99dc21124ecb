//! The bottom bar's key hints, made from the table in force.

use super::*;
use Context as C;

pub(super) fn keys_joined(keys: &[Key]) -> String {
    keys.iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The keys of a binding as the help writes them: `j/↓`.
pub fn keys_text(b: &Binding) -> String {
    keys_joined(b.keys)
}

/// The bottom bar's hints: per pane, the actions shown and their word.
pub(super) const HINTS: &[(Context, &[Action], &str)] = &[
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

pub(super) type FirstKey<'a> = &'a dyn Fn(Context, &Action) -> Option<Key>;

pub(super) fn hints_with(pane: Context, absent: &[Action], first_key: FirstKey<'_>) -> String {
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
