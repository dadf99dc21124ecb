//! The one-line prompts: the search being typed (`/`), and the tags (`+`)
//! and note (`e`) prompts. Editing keys go to the field's line editor.

use crossterm::event::KeyEvent;

use super::super::keymap::Action;
use super::super::msg::Effect;
use super::super::state::{Level, Pane, PromptKind, State, notify};
use super::search::{end_list_search, search_changed};
use crate::store::MarkChange;

pub(super) fn on_action(state: &mut State, action: Action, key: KeyEvent) -> Vec<Effect> {
    if state.prompt.is_some() {
        prompt(state, action, key)
    } else {
        search(state, action, key)
    }
}

/// The tags or note prompt: Enter asks the store to save, and the screen
/// shows the change once it is committed.
fn prompt(state: &mut State, action: Action, key: KeyEvent) -> Vec<Effect> {
    match action {
        Action::CancelText => state.prompt = None,
        Action::SubmitText => {
            let Some(p) = state.prompt.take() else {
                return Vec::new();
            };
            let change = match p.kind {
                PromptKind::Tags => MarkChange::edit_tags(p.text.text(), &p.before),
                PromptKind::Note => MarkChange::Note(p.text.text().to_string()),
                PromptKind::Coding(c) => {
                    return crate::app::coding::on_prompt(state, c, p.text.text());
                }
                PromptKind::SaveView(query) => {
                    return crate::app::views::on_save(state, query, p.text.text());
                }
                PromptKind::BulkTags(_) => {
                    return crate::app::bulk::on_tags(state, p.text.text());
                }
            };
            return match &state.study {
                Some(study) => vec![Effect::Mark {
                    id: p.id,
                    study_id: study.id.clone(),
                    change,
                }],
                None => Vec::new(),
            };
        }
        Action::TypeText | Action::EditText => {
            if let Some(p) = &mut state.prompt {
                p.text.key(key);
            }
            refused_at_limit(state);
        }
        Action::CompleteText => complete_tag(state),
        _ => {}
    }
    Vec::new()
}

/// Tab in the tags prompt: the word before the cursor is completed from
/// the study's tags (to the longest start they share; the candidates are
/// named when there are several).
fn complete_tag(state: &mut State) {
    let Some(p) = &mut state.prompt else { return };
    let before = p.text.before_cursor();
    let start = before
        .rfind(|c: char| c.is_whitespace() || c == ',')
        .map_or(0, |i| i + 1);
    let word = &before[start..];
    let (sign, stem) = match word.strip_prefix(['+', '-']) {
        Some(rest) => (&word[..1], rest),
        None => ("", word),
    };
    let lower = stem.to_lowercase();
    let found: Vec<&String> = p
        .choices
        .iter()
        .filter(|t| t.to_lowercase().starts_with(&lower))
        .collect();
    let Some(first) = found.first() else {
        return;
    };
    let common = found.iter().skip(1).fold(first.to_string(), |acc, t| {
        acc.chars()
            .zip(t.chars())
            .take_while(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
            .map(|(a, _)| a)
            .collect()
    });
    let mut done = format!("{sign}{common}");
    if found.len() == 1 {
        done.push(' ');
    }
    if done.chars().count() > word.chars().count() {
        p.text.replace_before_cursor(word.len(), &done);
    }
    if found.len() > 1 {
        let names: Vec<String> = found
            .iter()
            .take(8)
            .map(|t| crate::text::sanitize_line(t).into_owned())
            .collect();
        let more = if found.len() > 8 { " …" } else { "" };
        notify(
            state,
            Level::Info,
            format!("tags: {}{more}", names.join(" ")),
        );
    }
}

/// Says so when the prompt refused a key or a paste at its limit.
pub(super) fn refused_at_limit(state: &mut State) {
    let Some(p) = &mut state.prompt else { return };
    if !p.text.take_refused() {
        return;
    }
    let limit = p.text.limit().unwrap_or_default();
    notify(
        state,
        Level::Warn,
        format!(
            "a note holds at most {} characters: that was not added",
            crate::text::grouped(limit)
        ),
    );
}

/// The search being typed: the list (or the transcript's matches) follow
/// each change; Enter keeps the search, Esc ends it.
fn search(state: &mut State, action: Action, key: KeyEvent) -> Vec<Effect> {
    let Some(search) = &mut state.search else {
        return Vec::new();
    };
    let list = search.pane == Pane::List;
    match action {
        Action::CancelText => {
            state.search = None;
            if list {
                end_list_search(state)
            } else {
                Vec::new()
            }
        }
        Action::SubmitText => {
            search.editing = false;
            let nothing = if list {
                state.list.loaded && state.list.window.total == 0
            } else {
                search.matches.is_empty()
            };
            if nothing && !search.query.is_empty() {
                let q = crate::text::sanitize_line(search.query.text()).into_owned();
                notify(state, Level::Warn, format!("no match for “{q}”"));
            }
            Vec::new()
        }
        Action::TypeText | Action::EditText => {
            let before = search.query.text().to_string();
            search.query.key(key);
            if search.query.text() == before {
                // Only the cursor moved.
                return Vec::new();
            }
            search_changed(state)
        }
        _ => Vec::new(),
    }
}
