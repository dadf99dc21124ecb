//! The help overlay's layout: its lines, wrapped, and its box.

use super::*;

/// One line of the help as drawn: a section title, or a binding's keys
/// (on its first line) and a line of what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub title: bool,
    pub keys: String,
    pub text: String,
}

/// The columns the keys take in the help.
pub const HELP_KEYS_COLS: usize = 18;

/// The widest the help box gets.
pub const HELP_WIDTH: u16 = 84;

/// The help, wrapped for `inner` columns, so the view and the scrolling
/// agree on its length.
pub fn help_lines(inner: usize) -> Vec<HelpLine> {
    default_table().help_lines(inner)
}

pub(super) type ContextRows<'a> = &'a dyn Fn(Context) -> Vec<(String, &'static str)>;

pub(super) fn help_lines_with(inner: usize, rows: ContextRows<'_>) -> Vec<HelpLine> {
    let keys_cols = HELP_KEYS_COLS.min(inner / 2);
    let text_cols = inner.saturating_sub(keys_cols).max(8);
    let mut out = Vec::new();
    let title = |out: &mut Vec<HelpLine>, t: &str| {
        for l in textwrap::wrap(t, inner.max(1)) {
            out.push(HelpLine {
                title: true,
                keys: String::new(),
                text: l.into_owned(),
            });
        }
    };
    let row = |out: &mut Vec<HelpLine>, keys: String, what: &str| {
        // Keys wider than their column get a line of their own.
        let own_line = crate::text::width(&keys) >= keys_cols;
        if own_line {
            out.push(HelpLine {
                title: false,
                keys: crate::text::truncate_to_width(&keys, inner).into_owned(),
                text: String::new(),
            });
        }
        for (k, l) in textwrap::wrap(what, text_cols).into_iter().enumerate() {
            let keys = if k == 0 && !own_line {
                crate::text::pad_to_width(&keys, keys_cols)
            } else {
                " ".repeat(keys_cols)
            };
            out.push(HelpLine {
                title: false,
                keys,
                text: l.into_owned(),
            });
        }
    };
    for c in Context::ALL {
        title(&mut out, c.title());
        for (keys, help) in rows(c) {
            row(&mut out, keys, help);
        }
        out.push(HelpLine {
            title: false,
            keys: String::new(),
            text: String::new(),
        });
    }
    title(&mut out, "What you see");
    for (what, means) in LEGEND {
        row(&mut out, what.to_string(), means);
    }
    out
}

/// The help box's inner width and visible lines on a `width`×`height`
/// terminal, and its total lines.
pub fn help_box(width: u16, height: u16) -> (usize, usize, usize) {
    default_table().help_box(width, height)
}

/// How far the help can scroll on a `width`×`height` terminal.
pub fn help_scroll_max(width: u16, height: u16) -> usize {
    default_table().help_scroll_max(width, height)
}
