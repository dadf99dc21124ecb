//! The shown interview: its transcript and answers turned into lines for
//! a width and a mode (`wrap`), and which of them are on screen (`scroll`),
//! with the one notion of the message the transcript is on.

mod scroll;
pub mod wrap;

pub use scroll::*;
pub use wrap::*;
