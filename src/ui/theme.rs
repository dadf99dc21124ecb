use ratatui::style::{Color, Modifier, Style};

use crate::api::model::{Quality, Role};
use crate::app::state::Level;

/// Styles, with a colourless variant for `NO_COLOR` that keeps every
/// distinction through bold, reverse, italics and markers.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn quality(&self, q: Option<&Quality>) -> Style {
        match q {
            Some(Quality::Insightful) => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            Some(Quality::Successful) => self.fg(Color::Blue),
            Some(Quality::Unsuccessful) => self.fg(Color::Red),
            Some(Quality::Other(_)) => self.fg(Color::Magenta),
            None => self.dim(),
        }
    }

    pub fn role(&self, r: Option<&Role>) -> Style {
        match r {
            Some(Role::Agent) => self.fg(Color::Cyan),
            Some(Role::User) => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            _ => self.fg(Color::Magenta),
        }
    }

    /// A code's mark: its palette colour, or bold without colour.
    pub fn code(&self, id: i64) -> Style {
        if self.color {
            let (r, g, b) = crate::palette::code_rgb(id);
            Style::new().fg(ratatui::style::Color::Rgb(r, g, b))
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    pub fn translation(&self) -> Style {
        self.dim().add_modifier(Modifier::ITALIC)
    }

    pub fn matched(&self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
    }

    pub fn current_match(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn level(&self, l: Level) -> Style {
        match l {
            Level::Info => Style::new(),
            Level::Warn => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Level::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }

    pub fn bar(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Indexed(236)).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn banner(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Yellow).fg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
}
