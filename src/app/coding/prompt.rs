//! The coding prompts in the bottom bar: trimming a message to the part
//! to code, a highlight's comment, a code's new name or description.

use super::*;

/// A coding prompt in the bottom bar.
#[derive(Debug, Clone, PartialEq)]
pub enum CodingPrompt {
    /// The trim field: the message to cut to the part to code (its whole
    /// text is the passage's quote).
    Trim(Box<NewHighlight>),
    Comment {
        highlight: i64,
    },
    Rename {
        code: String,
    },
    Describe {
        code: String,
    },
}

impl CodingPrompt {
    pub fn label(&self) -> &'static str {
        match self {
            CodingPrompt::Trim(_) => "keep the part to code:",
            CodingPrompt::Comment { .. } => "comment:",
            CodingPrompt::Rename { .. } => "new name:",
            CodingPrompt::Describe { .. } => "description:",
        }
    }
}

pub(super) fn open_prompt(state: &mut State, kind: CodingPrompt, text: &str, limit: usize) {
    state.prompt = Some(crate::app::state::Prompt {
        kind: crate::app::state::PromptKind::Coding(kind),
        id: state
            .shown_detail()
            .map(|d| d.interview.id.clone())
            .unwrap_or_default(),
        text: LineEdit::new(text).with_limit(limit),
        before: Vec::new(),
        choices: Vec::new(),
    });
}

/// Where `kept` stands in `whole`, in characters: it must be one
/// contiguous part (the first such place when it occurs more than once).
pub fn part_of(whole: &str, kept: &str) -> Option<(usize, usize)> {
    let kept = kept.trim();
    if kept.is_empty() {
        return None;
    }
    let at = whole.find(kept)?;
    let start = whole[..at].chars().count();
    Some((start, start + kept.chars().count()))
}

/// Enter in a coding prompt.
pub fn on_prompt(state: &mut State, prompt: CodingPrompt, text: &str) -> Vec<Effect> {
    let study = study_id(state).unwrap_or_default();
    let request = match prompt {
        CodingPrompt::Trim(whole) => {
            let Some((start, end)) = part_of(&whole.quote, text) else {
                notify(
                    state,
                    Level::Warn,
                    "what is kept must be one part of the message, as written: delete words from either end only".into(),
                );
                return Vec::new();
            };
            let mut part = *whole;
            part.quote = part.quote.chars().skip(start).take(end - start).collect();
            part.start = start;
            part.end = end;
            open_picker(state, PickFor::Code(Box::new(part)));
            return Vec::new();
        }
        CodingPrompt::Comment { highlight } => CodingRequest::Comment {
            highlight,
            text: text.to_string(),
        },
        CodingPrompt::Rename { code } => {
            // Back to the codebook, which shows the change once made.
            state.overlay = Overlay::Codebook(Codebook::default());
            CodingRequest::Codebook {
                study_id: study,
                change: CodebookChange::Rename {
                    code,
                    to: text.to_string(),
                },
            }
        }
        CodingPrompt::Describe { code } => {
            state.overlay = Overlay::Codebook(Codebook::default());
            CodingRequest::Codebook {
                study_id: study,
                change: CodebookChange::Describe {
                    code,
                    text: text.to_string(),
                },
            }
        }
    };
    write(state, Pending::Write(Box::new(request)))
}
