//! The shown interview: the details read and asked for (`loaded`), its
//! transcript and answers turned into lines for a width and a mode
//! (`wrap`), and which of them are on screen (`scroll`), with the one
//! notion of the message the transcript is on.

mod loaded;
mod scroll;
pub mod wrap;

pub use loaded::{DETAIL_CACHE, Details};
pub use scroll::*;
pub use wrap::*;
