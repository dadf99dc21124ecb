//! Where each pane goes for a terminal size: a pure function, so `update`
//! (scrolling, mouse hit-tests, wrapping width) and the view agree.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::pane::Pane;

pub const WIDE_MIN: u16 = 150;
pub const MEDIUM_MIN: u16 = 80;
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Three columns.
    Wide,
    /// List left; transcript over answers right.
    Medium,
    /// One pane at a time with a tab bar.
    Narrow,
    /// Below about 40×10: a polite message only.
    TooSmall,
}

/// The rectangles of one frame. A pane that is not shown has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub mode: Mode,
    pub top: Rect,
    pub bottom: Rect,
    pub tabs: Option<Rect>,
    pub list: Option<Rect>,
    pub transcript: Option<Rect>,
    pub answers: Option<Rect>,
}

impl Areas {
    pub fn pane(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::List => self.list,
            Pane::Transcript => self.transcript,
            Pane::Answers => self.answers,
        }
    }

    /// The pane under a screen position.
    pub fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let p = Position::new(column, row);
        Pane::ALL
            .into_iter()
            .find(|pane| self.pane(*pane).is_some_and(|r| r.contains(p)))
    }
}

/// Lines inside a bordered pane.
pub fn inner_height(r: Rect) -> usize {
    r.height.saturating_sub(2) as usize
}

/// Columns inside a bordered pane.
pub fn inner_width(r: Rect) -> usize {
    r.width.saturating_sub(2) as usize
}

/// Lays out a `width`×`height` terminal. `top_lines` is the height of the
/// top bar (2 when the demo banner shows). `wide_transcript` (the English
/// beside the original, `T`) gives the transcript half of a wide terminal,
/// so it reaches the width where the two columns stand side by side.
/// `wide_list` (`z`, while the list has the focus) gives the list the
/// transcript's columns too: all of a medium terminal, and the list's and
/// the transcript's share of a wide one.
pub fn areas(
    width: u16,
    height: u16,
    focus: Pane,
    top_lines: u16,
    wide_transcript: bool,
    wide_list: bool,
) -> Areas {
    let full = Rect::new(0, 0, width, height);
    let none = Areas {
        mode: Mode::TooSmall,
        top: Rect::default(),
        bottom: Rect::default(),
        tabs: None,
        list: None,
        transcript: None,
        answers: None,
    };
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return Areas { top: full, ..none };
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(top_lines),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(full);
    let base = Areas {
        top,
        bottom,
        ..none
    };
    if wide_list && focus == Pane::List && width >= MEDIUM_MIN {
        return list_widened(body, width, base);
    }
    if width >= WIDE_MIN {
        let shares = if wide_transcript {
            [30, 50, 20]
        } else {
            [38, 38, 24]
        };
        let [list, transcript, answers] =
            Layout::horizontal(shares.map(Constraint::Percentage)).areas(body);
        Areas {
            mode: Mode::Wide,
            list: Some(list),
            transcript: Some(transcript),
            answers: Some(answers),
            ..base
        }
    } else if width >= MEDIUM_MIN {
        let [list, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(body);
        let [transcript, answers] =
            Layout::vertical([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(right);
        Areas {
            mode: Mode::Medium,
            list: Some(list),
            transcript: Some(transcript),
            answers: Some(answers),
            ..base
        }
    } else {
        one_pane(body, focus, base)
    }
}

/// `z` with the list focused: the list takes the transcript's columns
/// (and, when wide, leaves the answers beside it).
fn list_widened(body: Rect, width: u16, base: Areas) -> Areas {
    if width >= WIDE_MIN {
        let [list, answers] =
            Layout::horizontal([Constraint::Percentage(76), Constraint::Percentage(24)])
                .areas(body);
        return Areas {
            mode: Mode::Wide,
            list: Some(list),
            answers: Some(answers),
            ..base
        };
    }
    Areas {
        mode: Mode::Medium,
        list: Some(body),
        ..base
    }
}

/// Narrow: a line of tabs, and the focused pane alone below it.
fn one_pane(body: Rect, focus: Pane, base: Areas) -> Areas {
    let [tabs, pane] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
    let mut a = Areas {
        mode: Mode::Narrow,
        tabs: Some(tabs),
        ..base
    };
    match focus {
        Pane::List => a.list = Some(pane),
        Pane::Transcript => a.transcript = Some(pane),
        Pane::Answers => a.answers = Some(pane),
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_follow_width() {
        assert_eq!(areas(200, 50, Pane::List, 1, false, false).mode, Mode::Wide);
        assert_eq!(areas(150, 50, Pane::List, 1, false, false).mode, Mode::Wide);
        assert_eq!(
            areas(149, 50, Pane::List, 1, false, false).mode,
            Mode::Medium
        );
        assert_eq!(
            areas(80, 24, Pane::List, 1, false, false).mode,
            Mode::Medium
        );
        assert_eq!(
            areas(79, 24, Pane::List, 1, false, false).mode,
            Mode::Narrow
        );
        assert_eq!(
            areas(39, 24, Pane::List, 1, false, false).mode,
            Mode::TooSmall
        );
        assert_eq!(
            areas(60, 9, Pane::List, 1, false, false).mode,
            Mode::TooSmall
        );
        assert_eq!(
            areas(0, 0, Pane::List, 1, false, false).mode,
            Mode::TooSmall
        );
    }

    #[test]
    fn both_texts_give_the_transcript_half_a_wide_terminal() {
        let t = |w, both| {
            areas(w, 50, Pane::List, 1, both, false)
                .transcript
                .map(|r| r.width)
        };
        assert_eq!(t(200, false), Some(76));
        assert_eq!(t(220, true), Some(110));
        // Medium and narrow layouts keep their shape.
        assert_eq!(t(120, true), t(120, false));
    }

    #[test]
    fn z_gives_the_list_the_transcript_columns_while_it_has_the_focus() {
        let wide = areas(200, 50, Pane::List, 1, false, true);
        assert_eq!(wide.list.map(|r| r.width), Some(152));
        assert!(wide.transcript.is_none() && wide.answers.is_some());
        let medium = areas(120, 40, Pane::List, 1, false, true);
        assert_eq!(medium.list.map(|r| r.width), Some(120));
        assert!(medium.transcript.is_none() && medium.answers.is_none());
        // Focus elsewhere: the usual shape.
        let t = areas(200, 50, Pane::Transcript, 1, false, true);
        assert_eq!(t, areas(200, 50, Pane::Transcript, 1, false, false));
    }

    #[test]
    fn narrow_shows_only_the_focused_pane() {
        let a = areas(60, 20, Pane::Answers, 1, false, false);
        assert!(a.list.is_none() && a.transcript.is_none());
        assert!(a.answers.is_some());
        assert_eq!(a.pane_at(5, 5), Some(Pane::Answers));
    }
}
