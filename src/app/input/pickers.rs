//! The study picker (`S`) and the question picker (`Q`).

use super::super::keymap::Action;
use super::super::list::{new_query, open_study};
use super::super::msg::Effect;
use super::super::state::{Overlay, Pane, State};

/// A picker's selection after a move among `count` rows.
fn moved(selected: usize, count: usize, action: &Action) -> usize {
    let last = count.saturating_sub(1);
    match action {
        Action::Down => (selected + 1).min(last),
        Action::Up => selected.saturating_sub(1),
        Action::Top => 0,
        Action::Bottom => last,
        _ => selected,
    }
}

pub(super) fn study(state: &mut State, action: Action) -> Vec<Effect> {
    let Overlay::Picker(picker) = &mut state.overlay else {
        return Vec::new();
    };
    let count = match &picker.studies {
        Some(Ok(s)) => s.len(),
        _ => 0,
    };
    match action {
        // With no study open there is nothing to go back to.
        Action::CloseOverlay if state.study.is_some() => state.overlay = Overlay::None,
        Action::Down | Action::Up | Action::Top | Action::Bottom => {
            picker.selected = moved(picker.selected, count, &action);
        }
        Action::ReloadStudies => {
            picker.studies = None;
            return vec![Effect::LoadStudies];
        }
        Action::OpenStudy => {
            let Some(Ok(studies)) = &picker.studies else {
                return Vec::new();
            };
            let Some(s) = studies.get(picker.selected) else {
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
    let count = match &p.questions {
        Some(Ok(q)) => q.len(),
        _ => 0,
    };
    match action {
        Action::CloseOverlay => state.overlay = Overlay::None,
        Action::Down | Action::Up | Action::Top | Action::Bottom => {
            p.selected = moved(p.selected, count, &action);
        }
        Action::ChooseQuestion => {
            let chosen = match &p.questions {
                Some(Ok(q)) => q.get(p.selected).map(|q| q.index),
                _ => None,
            };
            if let Some(index) = chosen {
                state.overlay = Overlay::None;
                state.question = Some(index);
                state.focus = Pane::List;
                if let Some(detail) = state.shown_detail().cloned() {
                    let _ = crate::app::viewport::select_chosen_question(state, &detail);
                }
                return new_query(state);
            }
        }
        _ => {}
    }
    Vec::new()
}
