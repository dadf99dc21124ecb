//! The filter form (`F`): status, quality, reference id, reviewed, starred,
//! tag and language; Enter applies them all at once.

use crossterm::event::KeyEvent;

use super::super::keymap::Action;
use super::super::list::new_query;
use super::super::msg::Effect;
use super::super::state::{Field, Overlay, State};
use crate::api::model::{Quality, Status};

/// The next (or previous) of `none` then the known values.
fn cycle<T: Clone + PartialEq>(known: &[T], now: &Option<T>, delta: isize) -> Option<T> {
    let options: Vec<Option<T>> = std::iter::once(None)
        .chain(known.iter().cloned().map(Some))
        .collect();
    let i = options.iter().position(|o| o == now).unwrap_or(0) as isize;
    let n = options.len() as isize;
    options[(i + delta).rem_euclid(n) as usize].clone()
}

pub(super) fn on_action(state: &mut State, action: Action, key: KeyEvent) -> Vec<Effect> {
    let Overlay::Filter(form) = &mut state.overlay else {
        return Vec::new();
    };
    match action {
        Action::CloseOverlay | Action::CancelText => state.overlay = Overlay::None,
        Action::NextField => form.field = form.field.next(),
        Action::PrevField => form.field = form.field.prev(),
        Action::NextValue | Action::PrevValue => {
            let d = if action == Action::NextValue { 1 } else { -1 };
            match form.field {
                Field::Status => form.status = cycle(Status::KNOWN, &form.status, d),
                Field::Quality => form.quality = cycle(Quality::KNOWN, &form.quality, d),
                Field::Reviewed => {
                    form.reviewed = cycle(&[true, false], &form.reviewed, d);
                }
                Field::Starred => form.starred = !form.starred,
                Field::Reference | Field::Tag | Field::Language => {}
            }
        }
        Action::TypeText | Action::EditText => {
            if let Some(field) = form.text_field() {
                field.key(key);
            }
        }
        Action::ApplyFilters | Action::SubmitText => {
            form.apply_to(&mut state.list.query);
            state.overlay = Overlay::None;
            return new_query(state);
        }
        _ => {}
    }
    Vec::new()
}
