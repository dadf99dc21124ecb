//! Saved views (`V`): the config's `[views]`, each a name for a query,
//! with their live counts in this study; Enter applies one, `s` saves the
//! list's query as a new one (the config file rewritten with its comments
//! and order kept).

use super::coding::Loadable;
use super::keymap::Action;
use super::line_edit::LineEdit;
use super::msg::Effect;
use super::state::{Level, Overlay, State, notify};
use crate::store::ListQuery;

/// A view's counts: its interviews, and how many of them are unreviewed.
pub type ViewCount = (u64, u64);

/// The views picker.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewsPicker {
    pub selected: usize,
    pub counts: Loadable<Vec<ViewCount>>,
}

/// A view's query on this study, alone (the list's other filters do not
/// apply: a view is the whole list it names).
pub fn view_query(state: &State, query: &str) -> ListQuery {
    let parsed = crate::store::query::parse(query);
    ListQuery {
        search: (!parsed.text.trim().is_empty()).then_some(parsed.text),
        filter: parsed.filter,
        ..ListQuery::from(crate::api::InterviewFilters::for_study(
            state.list.query.filters.study_id.clone(),
        ))
    }
}

/// `V`: the picker, its counts asked for.
pub fn open(state: &mut State) -> Vec<Effect> {
    if state.views.is_empty() {
        notify(
            state,
            Level::Info,
            "no saved views yet: search or filter the list, then save it as a view from the views picker (the config's [views] holds them)".into(),
        );
    }
    state.overlay = Overlay::Views(ViewsPicker {
        selected: 0,
        counts: Loadable::Loading,
    });
    count(state)
}

fn count(state: &State) -> Vec<Effect> {
    if state.study.is_none() {
        return Vec::new();
    }
    let queries = state
        .views
        .iter()
        .map(|(_, q)| view_query(state, q))
        .collect();
    vec![Effect::CountViews { queries }]
}

/// A key in the picker.
pub fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let count_of = state.views.len();
    let Overlay::Views(p) = &mut state.overlay else {
        return Vec::new();
    };
    match action {
        Action::Down => p.selected = (p.selected + 1).min(count_of.saturating_sub(1)),
        Action::Up => p.selected = p.selected.saturating_sub(1),
        Action::CloseOverlay => state.overlay = Overlay::None,
        Action::Choose => {
            let Some((name, query)) = state.views.get(p.selected).cloned() else {
                return Vec::new();
            };
            state.overlay = Overlay::None;
            return apply(state, name, query);
        }
        Action::SaveView => {
            let query = state.list.query.to_text();
            if query.trim().is_empty() {
                notify(
                    state,
                    Level::Info,
                    "the list has no search or filter to save: search or filter it first".into(),
                );
                return Vec::new();
            }
            state.overlay = Overlay::None;
            state.prompt = Some(super::state::Prompt {
                kind: super::state::PromptKind::SaveView(query),
                id: String::new(),
                text: LineEdit::default().with_limit(60),
                before: Vec::new(),
                choices: Vec::new(),
            });
        }
        _ => {}
    }
    Vec::new()
}

/// Shows a view: its query alone, the list's filters cleared.
pub fn apply(state: &mut State, name: String, query: String) -> Vec<Effect> {
    state.list.query.clear_filters();
    state.search = None;
    state.list.query.search = Some(query).filter(|q| !q.trim().is_empty());
    state.view = Some(name);
    super::list::new_query(state)
}

/// Enter in the name prompt: save.
pub fn on_save(state: &mut State, query: String, name: &str) -> Vec<Effect> {
    let name = name.trim().to_string();
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !bare {
        notify(
            state,
            Level::Warn,
            "a view's name is letters, digits, - and _ (it is a key in the config): nothing was saved".into(),
        );
        return Vec::new();
    }
    let Some(path) = state.config_path.clone() else {
        notify(
            state,
            Level::Error,
            "no config file is known (HOME and XDG_CONFIG_HOME are unset): nothing was saved"
                .into(),
        );
        return Vec::new();
    };
    vec![Effect::SaveView { path, name, query }]
}

/// The counts arrived.
pub fn on_counted(state: &mut State, result: Result<Vec<ViewCount>, crate::mirror::MirrorError>) {
    if let Overlay::Views(p) = &mut state.overlay {
        p.counts = match result {
            Ok(c) => Loadable::Ready(c),
            Err(e) => Loadable::Failed(e),
        };
    }
}

/// The view was written to the config file (or not).
pub fn on_saved(
    state: &mut State,
    name: String,
    query: String,
    result: Result<(), crate::config::SaveViewError>,
) {
    match result {
        Ok(()) => {
            match state.views.iter_mut().find(|(n, _)| *n == name) {
                Some(v) => v.1 = query,
                None => state.views.push((name.clone(), query)),
            }
            state.view = Some(name.clone());
            notify(
                state,
                Level::Info,
                format!("saved the view {}", crate::text::sanitize_line(&name)),
            );
        }
        Err(e) => notify(state, Level::Error, format!("the view was not saved: {e}")),
    }
}

/// The views picker's messages: the counts read, a view saved.
pub fn on_message(state: &mut State, msg: crate::app::msg::Msg) -> Vec<Effect> {
    use crate::app::msg::Msg;
    match msg {
        Msg::ViewsCounted(result) => on_counted(state, result),
        Msg::ViewSaved {
            name,
            query,
            result,
        } => on_saved(state, name, query, result),
        _ => {}
    }
    Vec::new()
}
