//! Every key binding, as data: (context, keys, action, help). The key
//! lookup, the help overlay, the bottom bar's key hints and the README's
//! key table are all made from [`BINDINGS`], so they cannot disagree.

use std::fmt;

pub use super::keys_config::{Bound, KeyTable, KeysConfig, parse_key};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::model::Quality;

mod action;
mod bindings;
mod help;
mod hints;
mod key;
mod readme;

pub use action::*;
pub use bindings::*;
pub use help::*;
pub use hints::*;
pub use key::*;
pub use readme::*;

/// The action `key` has in the first of `contexts` that binds it.
pub fn lookup(contexts: &[Context], key: &KeyEvent) -> Option<&'static Action> {
    lookup_in(contexts, key).map(|(_, a)| a)
}

/// The first of `contexts` that binds `key`, and the action there.
pub fn lookup_in(contexts: &[Context], key: &KeyEvent) -> Option<(Context, &'static Action)> {
    contexts.iter().find_map(|c| {
        BINDINGS
            .iter()
            .filter(|b| b.context == *c)
            .find(|b| b.keys.iter().any(|k| k.matches(key)))
            .map(|b| (*c, &b.action))
    })
}

/// The default table (the README's), for what has no state at hand.
pub fn default_table() -> &'static KeyTable {
    static TABLE: std::sync::LazyLock<KeyTable> = std::sync::LazyLock::new(KeyTable::default);
    &TABLE
}

impl KeyTable {
    /// The first of `contexts` that binds `key`, and the action there.
    pub fn lookup_in(&self, contexts: &[Context], key: &KeyEvent) -> Option<(Context, Action)> {
        contexts.iter().find_map(|c| {
            self.bound
                .iter()
                .filter(|b| b.context == *c)
                .find(|b| b.keys.iter().any(|k| k.matches(key)))
                .map(|b| (*c, b.action.clone()))
        })
    }

    /// The keys bound to `action` in `context`, as the help writes them.
    pub fn keys_for(&self, context: Context, action: &Action) -> Option<String> {
        self.bound
            .iter()
            .find(|b| b.context == context && b.action == *action)
            .map(|b| keys_joined(&b.keys))
    }

    /// The key a message names for `action` in `place` (its first key in
    /// force), so no text names a key the table does not bind.
    pub fn key(&self, place: Context, action: &Action) -> String {
        self.first_key(place, action)
            .map_or_else(|| "(unbound)".into(), |k| k.to_string())
    }

    /// The key of `action` in every pane: what a notice names.
    pub fn pane_key(&self, action: &Action) -> String {
        self.key(Context::Panes, action)
    }

    /// The first key bound to `action` in `place` (for a pane: its own,
    /// else every pane's).
    fn first_key(&self, place: Context, action: &Action) -> Option<Key> {
        let pane = matches!(
            place,
            Context::List | Context::Transcript | Context::Answers | Context::Overview
        );
        let places: &[Context] = if pane {
            &[place, Context::Panes]
        } else {
            &[place]
        };
        places.iter().find_map(|c| {
            self.bound
                .iter()
                .find(|b| b.context == *c && b.action == *action)
                .and_then(|b| b.keys.first().copied())
        })
    }

    /// The bottom bar's hints for a pane or an overlay, with the keys in
    /// force.
    pub fn hint_line(&self, pane: Context) -> String {
        self.hint_line_without(pane, &[])
    }

    /// The hints, leaving out those of `absent`.
    pub fn hint_line_without(&self, pane: Context, absent: &[Action]) -> String {
        hints_with(pane, absent, &|place, action| self.first_key(place, action))
    }

    /// The help, wrapped for `inner` columns, with the keys in force.
    pub fn help_lines(&self, inner: usize) -> Vec<HelpLine> {
        help_lines_with(inner, &|c| {
            self.bound
                .iter()
                .filter(|b| b.context == c)
                .map(|b| (keys_joined(&b.keys), b.help))
                .collect()
        })
    }

    /// The help box's inner width, visible lines and total lines.
    pub fn help_box(&self, width: u16, height: u16) -> (usize, usize, usize) {
        let inner = usize::from(width.min(HELP_WIDTH).saturating_sub(2)).max(1);
        let total = self.help_lines(inner).len();
        let visible = (total + 2).min(usize::from(height)).saturating_sub(2);
        (inner, visible, total)
    }

    /// How far the help can scroll.
    pub fn help_scroll_max(&self, width: u16, height: u16) -> usize {
        let (_, visible, total) = self.help_box(width, height);
        total.saturating_sub(visible)
    }
}
