//! The keys in force: the binding table with the config's `[keys]` laid
//! over it. Names of contexts and actions come from here, so the README,
//! `uj keys` and the config speak the same words.
//!
//! ```toml
//! [keys.list]
//! open = ["Enter", "o"]
//!
//! [keys.every_pane]
//! quit = ["q"]
//! ```

use crossterm::event::KeyCode;

use super::keymap::{Action, BINDINGS, Context, Key};

impl Context {
    /// The context's name in the config (`[keys.NAME]`).
    pub fn name(self) -> &'static str {
        match self {
            Context::Panes => "every_pane",
            Context::List => "list",
            Context::Transcript => "transcript",
            Context::Answers => "answers",
            Context::Overview => "overview",
            Context::TextField => "text_field",
            Context::TagsPrompt => "tags_prompt",
            Context::FilterForm => "filter_form",
            Context::StudyPicker => "study_picker",
            Context::QuestionPicker => "question_picker",
            Context::CodePicker => "code_picker",
            Context::Codebook => "codebook",
            Context::Board => "board",
            Context::Matrix => "matrix",
            Context::Views => "views",
            Context::Confirm => "confirm",
            Context::Help => "help",
        }
    }
}

impl Action {
    /// The action's name in the config.
    pub fn name(&self) -> String {
        let plain = match self {
            Action::Quit => "quit",
            Action::Suspend => "suspend",
            Action::ShowHelp => "help",
            Action::Down => "down",
            Action::Up => "up",
            Action::HalfPageDown => "half_page_down",
            Action::HalfPageUp => "half_page_up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::FocusNext => "focus_next",
            Action::FocusPrev => "focus_previous",
            Action::OpenInterview => "open",
            Action::ShowWholeList => "whole_list",
            Action::JumpToExcerpt => "jump_to_excerpt",
            Action::ClearFind => "clear_find",
            Action::ToggleTranslation => "translation",
            Action::ToggleBoth => "both_texts",
            Action::PrevMessage => "previous_message",
            Action::NextMessage => "next_message",
            Action::CycleStatus => "cycle_status",
            Action::FilterQuality(None) => "quality_any",
            Action::FilterQuality(Some(q)) => {
                return format!("quality_{}", q.as_str());
            }
            Action::OpenFilterForm => "filter_form",
            Action::StartSearch => "search",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "previous_match",
            Action::SyncAgain => "sync_again",
            Action::SwitchStudy => "switch_study",
            Action::ToggleReviewed => "reviewed",
            Action::ToggleStarred => "starred",
            Action::EditTags => "tags",
            Action::EditNote => "note",
            Action::CopyQuote => "copy_quote",
            Action::CopyId => "copy_id",
            Action::PickQuestion => "pick_question",
            Action::ToggleOverview => "overview",
            Action::CloseOverview => "close_overview",
            Action::CloseHelp => "close_help",
            Action::CloseOverlay => "close",
            Action::OpenStudy => "open_study",
            Action::ReloadStudies => "reload",
            Action::ChooseQuestion => "choose_question",
            Action::NextField => "next_field",
            Action::PrevField => "previous_field",
            Action::NextValue => "next_value",
            Action::PrevValue => "previous_value",
            Action::ApplyFilters => "apply",
            Action::SubmitText => "submit",
            Action::CancelText => "cancel",
            Action::TypeText => "type",
            Action::EditText => "edit",
            Action::CompleteText => "complete",
            Action::WidenList => "widen_list",
            Action::CycleLanguage => "cycle_language",
            Action::CycleOrder => "cycle_order",
            Action::ClearFilters => "clear_filters",
            Action::CodeCurrent => "code",
            Action::RemoveCode => "remove_code",
            Action::OpenCodebook => "codebook",
            Action::OpenBoard => "board",
            Action::OpenMatrix => "matrix",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::PickRecent(n) => return format!("recent_{n}"),
            Action::Choose => "choose",
            Action::NextSegment => "next_segmentation",
            Action::ToggleShares => "shares",
            Action::TrimMessage => "trim",
            Action::CommentHighlight => "comment",
            Action::RenameCode => "rename",
            Action::MergeCode => "merge",
            Action::SetParent => "parent",
            Action::DescribeCode => "describe",
            Action::DeleteCode => "delete",
            Action::CopyEvidence => "copy",
            Action::RecodeEvidence => "recode",
            Action::Left => "left",
            Action::Right => "right",
            Action::OpenViews => "views",
            Action::SaveView => "save_view",
            Action::BulkPrefix => "bulk",
        };
        plain.to_string()
    }
}

/// A key as the config writes it: `o`, `Enter`, `Ctrl-r`, `Alt-d`, `Esc`,
/// `Tab`, `Shift-Tab`, `Space`, `Up`, `PgDn`, `F5`…
pub fn parse_key(text: &str) -> Option<Key> {
    let mut ctrl = false;
    let mut alt = false;
    let mut rest = text.trim();
    loop {
        if let Some(r) = rest
            .strip_prefix("Ctrl-")
            .or_else(|| rest.strip_prefix("C-"))
        {
            ctrl = true;
            rest = r;
        } else if let Some(r) = rest
            .strip_prefix("Alt-")
            .or_else(|| rest.strip_prefix("M-"))
        {
            alt = true;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "Enter" | "Return" => KeyCode::Enter,
        "Esc" | "Escape" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "Shift-Tab" | "BackTab" => KeyCode::BackTab,
        "Backspace" => KeyCode::Backspace,
        "Delete" | "Del" => KeyCode::Delete,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "PgUp" | "PageUp" => KeyCode::PageUp,
        "PgDn" | "PageDown" => KeyCode::PageDown,
        "Up" | "↑" => KeyCode::Up,
        "Down" | "↓" => KeyCode::Down,
        "Left" | "←" => KeyCode::Left,
        "Right" | "→" => KeyCode::Right,
        "Space" => KeyCode::Char(' '),
        f if f.len() > 1 && f.starts_with('F') => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?)
        }
        one => {
            let mut chars = one.chars();
            let c = chars.next()?;
            if chars.next().is_some() || c.is_control() {
                return None;
            }
            KeyCode::Char(c)
        }
    };
    Some(Key { code, ctrl, alt })
}

/// One binding as in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
    pub help: &'static str,
}

/// The binding table in force.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyTable {
    pub bound: Vec<Bound>,
}

impl Default for KeyTable {
    fn default() -> Self {
        KeyTable {
            bound: BINDINGS
                .iter()
                .map(|b| Bound {
                    context: b.context,
                    keys: b.keys.to_vec(),
                    action: b.action.clone(),
                    help: b.help,
                })
                .collect(),
        }
    }
}

pub use crate::config::KeysConfig;

impl KeyTable {
    /// The table with the config's keys laid over it. Every bad entry is
    /// an error naming it: an unknown context, action or key, an action
    /// left with no key, a key bound twice in one context.
    pub fn with_config(config: &KeysConfig) -> Result<KeyTable, String> {
        let mut table = KeyTable::default();
        for (context, actions) in config {
            let Some(c) = Context::ALL.iter().copied().find(|c| c.name() == context) else {
                let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                return Err(format!(
                    "[keys.{context}]: no such context; the contexts are {}",
                    known.join(", ")
                ));
            };
            for (action, keys) in actions {
                let Some(at) = table
                    .bound
                    .iter()
                    .position(|b| b.context == c && b.action.name() == *action)
                else {
                    let known: Vec<String> = table
                        .bound
                        .iter()
                        .filter(|b| b.context == c)
                        .map(|b| b.action.name())
                        .collect();
                    return Err(format!(
                        "[keys.{context}] {action}: no such action here; the actions of {context} are {}",
                        known.join(", ")
                    ));
                };
                if keys.is_empty() {
                    return Err(format!(
                        "[keys.{context}] {action} = []: an action needs at least one key"
                    ));
                }
                let mut parsed = Vec::new();
                for k in keys {
                    let key = parse_key(k).ok_or_else(|| {
                        format!(
                            "[keys.{context}] {action}: {:?} is not a key (write o, Enter, Esc, Tab, Ctrl-r, Alt-d, Up, PgDn, F5…)",
                            crate::text::sanitize_line(k)
                        )
                    })?;
                    parsed.push(key);
                }
                table.bound[at].keys = parsed;
            }
        }
        // A key bound twice in one context.
        for c in Context::ALL {
            let mut seen: Vec<(Key, String)> = Vec::new();
            for b in table.bound.iter().filter(|b| b.context == c) {
                for k in &b.keys {
                    if let Some((_, other)) = seen.iter().find(|(s, _)| s == k) {
                        return Err(format!(
                            "[keys.{}]: {k} is bound to both {other} and {}; give one of them another key",
                            c.name(),
                            b.action.name()
                        ));
                    }
                    seen.push((*k, b.action.name()));
                }
            }
        }
        Ok(table)
    }
}
