//! Keys to actions (PRODUCT.md "Keys"). Overlays and the search prompt take
//! keys before this map does.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for, whatever pane is focused; `update` decides what it
/// means there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Suspend,
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
    Enter,
    ToggleTranslation,
    ToggleBoth,
    CycleStatus,
    Quality(Option<&'static str>),
    FilterForm,
    Search,
    NextMatch,
    PrevMatch,
    Escape,
    Reload,
    SwitchStudy,
    Help,
    ToggleReviewed,
    ToggleStarred,
    EditTags,
    EditNote,
    PrevMessage,
    NextMessage,
    CopyQuote,
    CopyId,
    Questions,
    Overview,
}

/// Every binding, for the help overlay: (keys, what they do).
pub const HELP: &[(&str, &str)] = &[
    ("j/k ↓/↑", "move / scroll"),
    ("Ctrl-d/Ctrl-u", "half page down / up"),
    ("PgDn/PgUp", "page down / up"),
    ("g/Home", "top"),
    ("G/End", "bottom (list: the last stored row)"),
    ("Tab/l", "focus next pane"),
    ("Shift-Tab/h", "focus previous pane"),
    ("Enter", "list: open interview · answers: jump to excerpt"),
    ("t", "transcript: original ↔ English"),
    ("T", "transcript: original with English beneath"),
    ("s", "status filter: all → completed → started → processing"),
    (
        "1 2 3 0",
        "quality: insightful, successful, unsuccessful, any",
    ),
    ("F", "filter form (status, quality, reference, marks)"),
    ("x", "mark the interview reviewed / not reviewed"),
    ("*", "star / unstar the interview"),
    ("+", "tags: +tag adds, -tag removes, several at once"),
    ("e", "edit the interview's note"),
    ("[ ]", "transcript: previous / next message"),
    ("y", "copy: the message as a quote / the answer as Markdown"),
    ("Y", "copy the interview's id"),
    ("Q", "one question across interviews (Esc leaves it)"),
    ("o", "the study at a glance (o again closes)"),
    (
        "/",
        "search the focused pane; n/N next/previous; Esc clears",
    ),
    ("r", "sync the study again; fetch the open interview anew"),
    ("S", "switch study"),
    ("?", "this help"),
    ("Ctrl-z", "suspend (fg resumes)"),
    ("q/Ctrl-c", "quit"),
    (
        "mouse",
        "wheel scrolls the pane under it; click selects / focuses",
    ),
    ("row status", "✓ completed ▸ started … processing"),
    (
        "row quality",
        "[I]nsightful [S]uccessful [U]nsuccessful [·] none yet",
    ),
    ("row marks", "R reviewed  * starred  # tagged"),
];

pub fn action(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('z') if ctrl => Action::Suspend,
        KeyCode::Char('d') if ctrl => Action::HalfPageDown,
        KeyCode::Char('u') if ctrl => Action::HalfPageUp,
        _ if ctrl => return None,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::Tab | KeyCode::Char('l') => Action::FocusNext,
        KeyCode::BackTab | KeyCode::Char('h') => Action::FocusPrev,
        KeyCode::Enter => Action::Enter,
        KeyCode::Char('t') => Action::ToggleTranslation,
        KeyCode::Char('T') => Action::ToggleBoth,
        KeyCode::Char('s') => Action::CycleStatus,
        KeyCode::Char('1') => Action::Quality(Some("insightful")),
        KeyCode::Char('2') => Action::Quality(Some("successful")),
        KeyCode::Char('3') => Action::Quality(Some("unsuccessful")),
        KeyCode::Char('0') => Action::Quality(None),
        KeyCode::Char('F') => Action::FilterForm,
        KeyCode::Char('/') => Action::Search,
        KeyCode::Char('n') => Action::NextMatch,
        KeyCode::Char('N') => Action::PrevMatch,
        KeyCode::Esc => Action::Escape,
        KeyCode::Char('r') => Action::Reload,
        KeyCode::Char('S') => Action::SwitchStudy,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('x') => Action::ToggleReviewed,
        KeyCode::Char('*') => Action::ToggleStarred,
        KeyCode::Char('+') => Action::EditTags,
        KeyCode::Char('e') => Action::EditNote,
        KeyCode::Char('[') => Action::PrevMessage,
        KeyCode::Char(']') => Action::NextMessage,
        KeyCode::Char('y') => Action::CopyQuote,
        KeyCode::Char('Y') => Action::CopyId,
        KeyCode::Char('Q') => Action::Questions,
        KeyCode::Char('o') => Action::Overview,
        _ => return None,
    })
}

/// The keys of a pane, for the bottom bar.
pub fn pane_hint(pane: super::state::Pane) -> &'static str {
    use super::state::Pane;
    match pane {
        Pane::List => {
            "j/k move  Enter open  x/*/+/e mark  s status  1/2/3/0 quality  F filter  / search  ? help  q quit"
        }
        Pane::Transcript => {
            "j/k scroll  [/] message  y quote  t English  T both  / search  n/N  Tab pane  ? help  q quit"
        }
        Pane::Answers => "j/k answer  Enter jump to excerpt  y copy  Tab pane  ? help  q quit",
    }
}
