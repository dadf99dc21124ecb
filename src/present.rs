//! How API values are named on screen and in text output, shared by the
//! commands and the browser so both say the same thing.

use std::borrow::Cow;

use crate::api::model::{Interview, InterviewDetail, Message, Quality, Role, Status};
use crate::text::display_line;

/// The label for who spoke. Unknown roles are shown as they came.
pub fn role_label(role: Option<&Role>) -> Cow<'_, str> {
    match role {
        Some(Role::Agent) => Cow::Borrowed("Interviewer"),
        Some(Role::User) => Cow::Borrowed("Respondent"),
        Some(Role::Other(s)) => Cow::Owned(display_line(s)),
        None => Cow::Borrowed("?"),
    }
}

/// The status word; unknown values as they came, a missing one as `-`.
pub fn status_text(status: Option<&Status>) -> Cow<'_, str> {
    status.map_or(Cow::Borrowed("-"), |s| Cow::Owned(display_line(s.as_str())))
}

/// The quality word; unknown values as they came, none as `-`.
pub fn quality_text(quality: Option<&Quality>) -> Cow<'_, str> {
    quality.map_or(Cow::Borrowed("-"), |q| Cow::Owned(display_line(q.as_str())))
}

/// One letter that reads without colour: Insightful, Successful,
/// Unsuccessful, `?` for an unknown value, `·` for none yet.
pub fn quality_letter(quality: Option<&Quality>) -> char {
    match quality {
        Some(Quality::Insightful) => 'I',
        Some(Quality::Successful) => 'S',
        Some(Quality::Unsuccessful) => 'U',
        Some(Quality::Other(_)) => '?',
        None => '·',
    }
}

/// The interview's language code, or `-`.
pub fn language(interview: &Interview) -> Cow<'_, str> {
    interview
        .language
        .as_deref()
        .map_or(Cow::Borrowed("-"), |l| Cow::Owned(display_line(l)))
}

/// Whether an interview's transcript is in English (so there is nothing
/// to translate). An unknown language counts as not English.
pub fn is_english(interview: &Interview) -> bool {
    interview
        .language
        .as_deref()
        .is_some_and(|l| l.eq_ignore_ascii_case("en") || l.to_ascii_lowercase().starts_with("en-"))
}

/// Which text of a transcript is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TextMode {
    /// The words as spoken.
    #[default]
    Original,
    /// The English translation where there is one.
    English,
    /// Each original message with its translation beneath.
    Both,
}

impl TextMode {
    /// The title naming the text shown: `original (es)`, `English`, …
    pub fn title(self, interview: &Interview) -> String {
        let lang = language(interview);
        match self {
            // The mode carries over to the next interview; an English one
            // says that it needs no translation rather than look ignored.
            TextMode::English | TextMode::Both if is_english(interview) => {
                format!("original ({lang}) · English already")
            }
            TextMode::Original => format!("original ({lang})"),
            TextMode::English => "English".to_string(),
            TextMode::Both => format!("original ({lang}) + English"),
        }
    }
}

/// What a message shows in `mode`: its main text, and in `Both` the English
/// to show beneath it (when there is one that differs). `English` falls back
/// to the original where there is no translation. Unsanitised: callers
/// sanitise (and the browser clips) what they print.
pub fn message_texts(m: &Message, mode: TextMode) -> (&str, Option<&str>) {
    let original = m.message.as_deref().unwrap_or("");
    let translated = m.translated.as_deref().filter(|t| !t.is_empty());
    match (mode, translated) {
        (TextMode::English, Some(t)) => (t, None),
        (TextMode::Both, Some(t)) if t != original => (original, Some(t)),
        _ => (original, None),
    }
}

/// The text an answer's excerpt shows in `mode`: the English of the
/// message it quotes when English is asked for and known, else the quote.
pub fn excerpt_text<'a>(d: &'a InterviewDetail, quoted: &'a str, mode: TextMode) -> &'a str {
    if mode != TextMode::English {
        return quoted;
    }
    d.quoted_message(quoted)
        .and_then(|k| d.transcript.get(k))
        .and_then(|m| m.translated.as_deref())
        .unwrap_or(quoted)
}

/// The texts an excerpt shows in `mode`: the quote, or its English, or
/// (`Both`) the quote with the English of its message beneath when that
/// differs.
pub fn excerpt_texts<'a>(
    d: &'a InterviewDetail,
    quoted: &'a str,
    mode: TextMode,
) -> (&'a str, Option<&'a str>) {
    let english = || {
        d.quoted_message(quoted)
            .and_then(|k| d.transcript.get(k))
            .and_then(|m| m.translated.as_deref())
            .filter(|t| !t.is_empty() && *t != quoted)
    };
    match mode {
        TextMode::Original => (quoted, None),
        TextMode::English => (english().unwrap_or(quoted), None),
        TextMode::Both => (quoted, english()),
    }
}

/// How a quote cites its source: `Respondent, REF, 03:12` (REF is the
/// reference id, else the interview's short id). Unsanitised.
pub fn cite(speaker: &str, reference: Option<&str>, interview_id: &str, at: Option<f64>) -> String {
    let reference =
        reference.map_or_else(|| interview_id.chars().take(8).collect(), str::to_string);
    let mut parts = vec![speaker.to_string(), reference];
    if let Some(t) = at {
        parts.push(crate::text::clock(t));
    }
    parts.join(", ")
}

/// How a highlight is cited, from what it stores.
pub fn evidence_citation(e: &crate::store::Evidence) -> String {
    let h = &e.highlight;
    cite(
        h.speaker.as_deref().unwrap_or("Respondent"),
        e.reference_id.as_deref(),
        &h.interview_id,
        h.at_secs,
    )
}

fn citation(d: &InterviewDetail, role: Option<&Role>, at: Option<f64>) -> String {
    let i = &d.interview;
    cite(&role_label(role), i.reference_id.as_deref(), &i.id, at)
}

/// Message `k` as a quote: `“text” — Respondent, REF, 03:12`; with
/// `Both`, the English follows the original.
pub fn quote_message(d: &InterviewDetail, k: usize, mode: TextMode) -> Option<String> {
    let m = d.transcript.get(k)?;
    let (text, english) = message_texts(m, mode);
    let mut out = format!("“{}”", text.trim());
    if let Some(e) = english {
        out.push_str(&format!(" (English: “{}”)", e.trim()));
    }
    out.push_str(&format!(
        " — {}",
        citation(d, m.role.as_ref(), m.time_in_call_secs)
    ));
    Some(out)
}

/// Answer `n` as Markdown: the question, the summary, and each excerpt
/// quoted with its citation.
pub fn quote_answer(d: &InterviewDetail, n: usize, mode: TextMode) -> Option<String> {
    let qa = d.question_answers.get(n)?;
    let mut out = format!(
        "**{}. {}**\n\n{}\n",
        qa.number(n),
        qa.question_text.as_deref().unwrap_or("-"),
        qa.summary().unwrap_or("(no answer)")
    );
    for e in &qa.answer_excerpt {
        let quoted = e.message.as_deref().unwrap_or("");
        let at = d
            .quoted_message(quoted)
            .and_then(|k| d.transcript.get(k))
            .and_then(|m| m.time_in_call_secs);
        out.push_str(&format!(
            "\n> “{}” — {}\n",
            excerpt_text(d, quoted, mode).trim(),
            citation(d, e.role.as_ref(), at)
        ));
    }
    Some(out)
}

/// The matrix as aligned text lines (counts, or shares of each column).
pub fn matrix_text(m: &crate::store::Matrix, shares: bool) -> Vec<String> {
    use crate::text::{pad_to_width, sanitize, sanitize_line, truncate_to_width, width};
    let names: Vec<String> = m
        .rows
        .iter()
        .map(|r| format!("{}{}", "  ".repeat(r.depth), sanitize_line(&r.name)))
        .collect();
    let first = names
        .iter()
        .map(|n| width(n))
        .chain([width(m.segment.name()) + 7])
        .max()
        .unwrap_or(4)
        .min(40);
    let heads: Vec<String> = m
        .columns
        .iter()
        .map(|(c, n)| format!("{} ({n})", sanitize_line(c)))
        .collect();
    let widths: Vec<usize> = heads.iter().map(|h| width(h).clamp(5, 24)).collect();
    let mut lines = Vec::new();
    let mut head = pad_to_width(&format!("code \\ {}", m.segment.name()), first + 2);
    for (h, w) in heads.iter().zip(&widths) {
        head.push_str(&format!(" {:>w$}", truncate_to_width(h, *w), w = w));
    }
    lines.push(head.trim_end().to_string());
    for (row, name) in m.rows.iter().zip(&names) {
        let mut line = pad_to_width(&truncate_to_width(name, first), first + 2);
        for ((n, (_, total)), w) in row.cells.iter().zip(&m.columns).zip(&widths) {
            let cell = if shares {
                if *total == 0 {
                    "-".to_string()
                } else {
                    format!("{}%", (*n as f64 * 100.0 / *total as f64).round())
                }
            } else {
                n.to_string()
            };
            line.push_str(&format!(" {cell:>w$}", w = w));
        }
        lines.push(line.trim_end().to_string());
    }
    if m.rows.is_empty() {
        lines.push("(no codes yet)".into());
    }
    lines.iter().map(|l| sanitize(l).into_owned()).collect()
}
