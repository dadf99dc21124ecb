use std::borrow::Cow;

use super::{sanitize, sanitize_line};

/// Most bytes of one long field (a message, a summary) the browser lays
/// out; past it the text is cut and says so. One hostile 1 MB message then
/// costs what 16 KiB do, and wrapping stays fast.
pub const FIELD_LIMIT: usize = 16 * 1024;
/// Most bytes of a one-line cell (headline, reference id, name).
pub const CELL_LIMIT: usize = 1024;

/// `s` cut to at most `max` bytes at a character boundary, with a note
/// saying how much was left out.
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!(
        "{}… [{} more bytes not shown; `uj show ID` prints all]",
        &s[..end],
        s.len() - end
    ))
}

/// A long untrusted field, clipped and sanitised, for the browser.
pub fn display_block(s: &str) -> String {
    sanitize(&clip(s, FIELD_LIMIT)).into_owned()
}

/// A one-line untrusted cell, clipped and sanitised, for the browser.
pub fn display_line(s: &str) -> String {
    sanitize_line(&clip(s, CELL_LIMIT)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_at_char_boundaries() {
        assert_eq!(clip("short", 10), "short");
        let long = "日本語".repeat(1000);
        let c = clip(&long, 10);
        assert!(c.starts_with("日本語"));
        assert!(c.contains("more bytes not shown"));
        assert!(display_line(&"x\n".repeat(100_000)).len() < CELL_LIMIT + 100);
    }
}
