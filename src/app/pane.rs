//! The three panes, and the order focus moves through them.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Pane {
    #[default]
    List,
    Transcript,
    Answers,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::List, Pane::Transcript, Pane::Answers];

    pub fn next(self) -> Pane {
        match self {
            Pane::List => Pane::Transcript,
            Pane::Transcript => Pane::Answers,
            Pane::Answers => Pane::List,
        }
    }

    pub fn prev(self) -> Pane {
        self.next().next()
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::List => "Interviews",
            Pane::Transcript => "Transcript",
            Pane::Answers => "Answers",
        }
    }
}
