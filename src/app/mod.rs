//! The browser's state and the pure functions that change it. No I/O and no
//! drawing here: [`update::update`] takes a [`msg::Msg`] and returns the
//! [`msg::Effect`]s the runtime should start.

mod input;
pub mod keymap;
pub mod layout;
pub mod line_edit;
mod list;
pub mod msg;
pub mod screen_lines;
pub mod state;
pub mod update;
pub mod viewport;

pub use input::contexts;
pub use msg::{Effect, Msg};
pub use state::State;
pub use update::update;
