//! Key presses as messages, for tests that drive `update` or a runtime.

use super::harness::Harness;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use uj::app::{Effect, Msg, State, update};

/// A printable key.
pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// A named key (`Enter`, `Esc`, `PageDown`, …).
pub fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

/// Types `text` into `update`, a key at a time; the effects of the last.
pub fn typing(s: &mut State, text: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    for c in text.chars() {
        fx = update(s, key(c));
    }
    fx
}

/// Presses each character of `keys` in a runtime.
pub fn keys(rt: &mut Harness, keys: &str) {
    for c in keys.chars() {
        rt.handle(key(c));
    }
}

/// Presses a named key in a runtime.
pub fn press(rt: &mut Harness, c: KeyCode) {
    rt.handle(code(c));
}

/// Once the runtime has settled, one full frame as text, a line per row
/// (insta snapshots take it as it is).
pub async fn screen(rt: &mut Harness) -> String {
    rt.settle().await;
    // A full frame: TestBackend applies diffs over wide characters
    // differently from a terminal, which would leave stale cells.
    rt.terminal.clear().expect("clears");
    rt.draw().expect("draws");
    rt.terminal.backend().to_string()
}

/// Once the runtime has settled, one full frame as plain text: the cells'
/// symbols, a line per row (for tests that look for words on screen).
pub async fn screen_text(rt: &mut Harness) -> String {
    rt.settle().await;
    rt.terminal.clear().expect("clear");
    rt.draw().expect("draw");
    super::buffer_text(rt.terminal.backend().buffer())
}
