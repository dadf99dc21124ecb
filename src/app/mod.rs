//! The browser's state and the pure functions that change it. No I/O and no
//! drawing here: [`update::update`] takes a [`msg::Msg`] and returns the
//! [`msg::Effect`]s the runtime should start.
//!
//! The map, in the order the dependencies run (each uses only those above):
//! - [`pane`], [`layout`]: the three panes and where they go for a size.
//! - [`keymap`]: every key binding as data; [`line_edit`]: a text field.
//! - [`detail`]: the shown interview turned into lines for a width and mode, and
//!   which of them are on screen.
//! - [`msg`]: what happens (messages) and what to do (effects).
//! - [`state`]: what is on screen, as data.
//! - [`viewport`]: which lines are shown; wrapping kept current.
//! - `list`: the list's query, windows, selection and detail requests.
//! - `input`: keys, pastes and the mouse, by where the user is.
//! - [`update`](mod@update): the message handler that ties them together.

pub mod bulk;
pub mod coding;
pub mod detail;
mod input;
pub mod keymap;
pub mod keys_config;
pub mod layout;
pub mod line_edit;
mod list;
pub mod msg;
pub mod overlays;
pub mod overview;
pub mod pane;
pub mod reads;
pub mod state;
pub mod update;
pub mod viewport;
pub mod views;

pub use input::contexts;
pub use msg::{Effect, Msg};
pub use state::State;
pub use update::update;
