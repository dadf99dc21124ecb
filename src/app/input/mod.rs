//! Keys, pastes and the mouse: the `Msg::Key`, `Msg::Paste` and
//! `Msg::Mouse` half of [`super::update::update`]. A key is looked up in
//! the binding table ([`super::keymap`]) for the contexts in force, and the
//! action goes to the handler of the place the user is in. Plain functions
//! on the state, no I/O.

mod fields;
mod form;
mod jumps;
mod mouse;
mod panes;
mod pickers;
mod search;

use crossterm::event::KeyEvent;

use super::keymap::{Action, Context};
use super::msg::Effect;
use super::state::{Level, Overlay, Pane, State, notify};

pub(super) use jumps::jump_if_pending;
pub(super) use mouse::on_mouse;
pub(super) use panes::copy;

/// The contexts whose bindings apply now, most particular first.
pub fn contexts(state: &State) -> Vec<Context> {
    match &state.overlay {
        Overlay::Help { .. } => vec![Context::Help],
        Overlay::Filter(form) if form.on_text_field() => {
            vec![Context::TextField, Context::FilterForm]
        }
        Overlay::Filter(_) => vec![Context::FilterForm],
        Overlay::Picker(_) => vec![Context::StudyPicker],
        Overlay::Questions(_) => vec![Context::QuestionPicker],
        Overlay::Codes(_) => vec![Context::CodePicker, Context::TextField],
        Overlay::Codebook(_) => vec![Context::Codebook],
        Overlay::Board(_) => vec![Context::Board],
        Overlay::Matrix(_) => vec![Context::Matrix],
        Overlay::Views(_) => vec![Context::Views],
        Overlay::Confirm(_) => vec![Context::Confirm],
        Overlay::None => {
            let editing =
                state.prompt.is_some() || state.search.as_ref().is_some_and(|s| s.editing);
            if state
                .prompt
                .as_ref()
                .is_some_and(|p| p.kind == crate::app::state::PromptKind::Tags)
            {
                return vec![Context::TagsPrompt, Context::TextField];
            }
            if editing {
                return vec![Context::TextField];
            }
            let mut found = Vec::with_capacity(3);
            // The overview takes keys when it is where the focus is: in
            // the transcript and answers' place, or the one pane shown.
            let narrow = state.areas().mode == super::layout::Mode::Narrow;
            if state.overview.is_open() && (narrow || state.focus != Pane::List) {
                found.push(Context::Overview);
            }
            found.push(match state.focus {
                Pane::List => Context::List,
                Pane::Transcript => Context::Transcript,
                Pane::Answers => Context::Answers,
            });
            found.push(Context::Panes);
            found
        }
    }
}

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    state.notice = None;
    if std::mem::take(&mut state.bulk) {
        // The mark keys, wherever they are bound (the code key belongs
        // to the transcript).
        let marks = [Context::List, Context::Transcript, Context::Panes];
        let action = state.keys.lookup_in(&marks, &key).map(|(_, a)| a);
        if action == Some(Action::Quit) {
            return vec![Effect::Quit];
        }
        return super::bulk::on_mark_key(state, action);
    }
    let places = contexts(state);
    let Some((place, action)) = state.keys.lookup_in(&places, &key) else {
        return Vec::new();
    };
    if action == Action::Quit {
        return vec![Effect::Quit];
    }
    match place {
        Context::Help => {
            help(state, action);
            Vec::new()
        }
        Context::TextField | Context::FilterForm if matches!(state.overlay, Overlay::Filter(_)) => {
            form::on_action(state, action, key)
        }
        Context::CodePicker => super::coding::on_picker_action(state, action),
        Context::TextField if matches!(state.overlay, Overlay::Codes(_)) => {
            if let Overlay::Codes(p) = &mut state.overlay {
                match action {
                    Action::CancelText => state.overlay = Overlay::None,
                    _ => {
                        p.query.key(key);
                        super::coding::picker_typed(state);
                    }
                }
            }
            Vec::new()
        }
        Context::Codebook => super::coding::on_codebook_action(state, action),
        Context::Views => super::views::on_action(state, action),
        Context::Confirm => super::bulk::on_confirm(state, action),
        Context::Board | Context::Matrix => super::coding::on_view_action(state, action),
        Context::TextField | Context::TagsPrompt => fields::on_action(state, action, key),
        Context::StudyPicker => pickers::study(state, action),
        Context::QuestionPicker => pickers::question(state, action),
        Context::Overview if action != Action::CloseOverview => {
            overview(state, action);
            Vec::new()
        }
        _ => panes::on_action(state, action),
    }
}

/// Scrolls the overview when it is taller than its pane.
fn overview(state: &mut State, action: Action) {
    let page = super::overview::overview_viewport(state).max(1) as isize;
    let lines = match action {
        Action::Down => 1,
        Action::Up => -1,
        Action::PageDown => page,
        Action::PageUp => -page,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => 0,
    };
    super::overview::scroll_overview(state, lines);
}

/// Scrolls the help, or closes it.
fn help(state: &mut State, action: Action) {
    let most = state.keys.help_scroll_max(state.width, state.height);
    let page = usize::from(state.height.saturating_sub(4)).max(1);
    let Overlay::Help { scroll } = &mut state.overlay else {
        return;
    };
    let at = usize::from(*scroll);
    let to = match action {
        Action::CloseHelp => {
            state.overlay = Overlay::None;
            return;
        }
        Action::Down => at + 1,
        Action::Up => at.saturating_sub(1),
        Action::PageDown => at + page,
        Action::PageUp => at.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => most,
        _ => at,
    };
    *scroll = u16::try_from(to.min(most)).unwrap_or(u16::MAX);
}

/// Pasted text goes into the text field being edited, cleaned; with no
/// field open it is ignored, so a paste never runs as commands.
pub(super) fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    if let Some(p) = &mut state.prompt {
        p.text.paste(text);
        fields::refused_at_limit(state);
        return Vec::new();
    }
    if let Overlay::Codes(picker) = &mut state.overlay {
        picker.query.paste(text);
        super::coding::picker_typed(state);
        return Vec::new();
    }
    if let Overlay::Filter(form) = &mut state.overlay {
        if let Some(field) = form.text_field() {
            field.paste(text);
        }
        return Vec::new();
    }
    if !matches!(state.overlay, Overlay::None) {
        return Vec::new();
    }
    match &mut state.search {
        Some(search) if search.editing => {
            search.query.paste(text);
            search::search_changed(state)
        }
        _ => {
            let text = format!(
                "nothing to paste into: press {} to search, then paste",
                state
                    .keys
                    .pane_key(&crate::app::keymap::Action::StartSearch)
            );
            notify(state, Level::Info, text);
            Vec::new()
        }
    }
}
