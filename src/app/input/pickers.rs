//! The study picker (`S`) and the question picker (`Q`).

use super::super::keymap::Action;
use super::super::list::{new_query, open_study};
use super::super::msg::Effect;
use super::super::state::{Loadable, Overlay, Pane, State};

pub(super) fn study(state: &mut State, action: Action) -> Vec<Effect> {
    let Overlay::Picker(picker) = &mut state.overlay else {
        return Vec::new();
    };
    if picker.list.on_move(&action) {
        return Vec::new();
    }
    match action {
        // With no study open there is nothing to go back to.
        Action::CloseOverlay if state.study.is_some() => state.overlay = Overlay::None,
        Action::ReloadStudies => {
            picker.list.items = Loadable::Loading;
            return vec![Effect::LoadStudies];
        }
        Action::OpenStudy => {
            let Some(s) = picker.list.chosen() else {
                return Vec::new();
            };
            let (id, name) = (s.id.clone(), s.name.clone());
            state.overlay = Overlay::None;
            state.focus = Pane::List;
            if state.study.as_ref().is_some_and(|s| s.id == id) {
                // The same study again: keep its filters and place.
                return Vec::new();
            }
            let fx = open_study(state, id);
            if let Some(study) = &mut state.study {
                study.name = name;
            }
            return fx;
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn question(state: &mut State, action: Action) -> Vec<Effect> {
    let Overlay::Questions(p) = &mut state.overlay else {
        return Vec::new();
    };
    if p.list.on_move(&action) {
        return Vec::new();
    }
    match action {
        Action::CloseOverlay => state.overlay = Overlay::None,
        Action::ChooseQuestion => {
            let chosen = p.list.chosen().map(|q| q.index);
            if let Some(index) = chosen {
                state.overlay = Overlay::None;
                state.list.query.question = Some(index);
                state.focus = Pane::List;
                if let Some(detail) = state.shown_detail().cloned() {
                    let _ = crate::app::detail::select_chosen_question(state, &detail);
                }
                return new_query(state);
            }
        }
        _ => {}
    }
    Vec::new()
}
