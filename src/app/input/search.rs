//! Finding: the list narrowed by the study's search, and matches inside
//! the shown interview, with the jumps between them.

use super::super::detail::show_message;
use super::super::list::{new_query, select_row};
use super::super::msg::Effect;
use super::super::state::{Level, Pane, State, notify};

/// The search query changed: narrow the list, or find in the transcript.
pub(super) fn search_changed(state: &mut State) -> Vec<Effect> {
    let Some(search) = &state.search else {
        return Vec::new();
    };
    if search.pane == Pane::List {
        // The list narrows to the interviews the whole study's index finds.
        let query = search.query.text().trim().to_string();
        state.list.query.search = (!query.is_empty()).then_some(query);
        // Typed: no longer the view it may have been.
        state.view = None;
        return new_query(state);
    }
    find_matches(state);
    jump_to_match(state)
}

/// Leaves the list's search: the whole list again, the selection kept.
pub(super) fn end_list_search(state: &mut State) -> Vec<Effect> {
    state.view = None;
    if state.list.query.search.take().is_some() {
        new_query(state)
    } else {
        Vec::new()
    }
}

/// Recomputes the matches of the search query in its pane.
pub(super) fn find_matches(state: &mut State) {
    let Some(search) = &state.search else {
        return;
    };
    let needle = search.query.text().to_lowercase();
    let matches: Vec<usize> = if needle.is_empty() {
        Vec::new()
    } else {
        let hit = |s: Option<&str>| s.is_some_and(|s| s.to_lowercase().contains(&needle));
        match search.pane {
            // The list itself is the search's result (`list.query.search`).
            Pane::List => Vec::new(),
            _ => state
                .shown_detail()
                .map(|d| {
                    d.transcript
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| hit(m.message.as_deref()) || hit(m.translated.as_deref()))
                        .map(|(n, _)| n)
                        .collect()
                })
                .unwrap_or_default(),
        }
    };
    // Start from the first match at or after where the user is.
    let here = match search.pane {
        Pane::List => state.list.selected,
        _ => state
            .transcript
            .wrapped
            .as_ref()
            .and_then(|w| w.lines.get(state.transcript.scroll))
            .and_then(|l| l.message)
            .unwrap_or(0),
    };
    let current = matches.iter().position(|&m| m >= here).unwrap_or(0);
    if let Some(s) = &mut state.search {
        s.matches = matches;
        s.current = current;
    }
}

pub(super) fn step_match(state: &mut State, delta: isize) -> Vec<Effect> {
    let Some(search) = &mut state.search else {
        let text = format!(
            "no search: press {} to search",
            state
                .keys
                .pane_key(&crate::app::keymap::Action::StartSearch)
        );
        notify(state, Level::Info, text);
        return Vec::new();
    };
    if search.matches.is_empty() {
        let q = crate::text::sanitize_line(search.query.text()).into_owned();
        notify(state, Level::Info, format!("no match for “{q}”"));
        return Vec::new();
    }
    let n = search.matches.len() as isize;
    search.current = (search.current as isize + delta).rem_euclid(n) as usize;
    jump_to_match(state)
}

pub(super) fn jump_to_match(state: &mut State) -> Vec<Effect> {
    let Some((pane, target)) = state
        .search
        .as_ref()
        .and_then(|s| s.matches.get(s.current).map(|m| (s.pane, *m)))
    else {
        return Vec::new();
    };
    match pane {
        Pane::List => {
            // Keep the search while the selection moves.
            let search = state.search.take();
            let fx = select_row(state, target);
            state.search = search;
            fx
        }
        _ => {
            // The match walked to is the current message: drawn as
            // current, and what `y`, `c` and `[`/`]` start from.
            state.transcript.highlight = Some(target);
            show_message(state, target, 0);
            Vec::new()
        }
    }
}
