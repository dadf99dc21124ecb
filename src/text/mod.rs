//! The one place untrusted text is made safe and measured.
//!
//! Everything that came from the API (or a snapshot) passes through
//! [`sanitize`] before it reaches a terminal, a pager or a file a user may
//! `cat` later.

mod format;
mod limit;
mod sanitize;

pub use format::{
    clock, count, duration, grouped, local_datetime, pad_to_width, short_datetime,
    truncate_to_width,
};
pub use limit::{CELL_LIMIT, FIELD_LIMIT, clip, display_block, display_line};
pub use sanitize::{sanitize, sanitize_line};
pub use unicode_width::UnicodeWidthStr;

/// Terminal columns a string occupies (CJK and most emoji take two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}
