//! Text, Markdown and JSON renderings for the scriptable commands. Every
//! API string is sanitised here, as in the browser.

use std::fmt::Write as _;

use crate::api::model::{Interview, InterviewDetail, Message, Study};
use crate::present::{
    TextMode, is_english, language, message_texts, quality_text, role_label, status_text,
};
use crate::text::{clock, duration, local_datetime, pad_to_width, sanitize, sanitize_line, width};

const ID_COLS: usize = 36;
const STORED_COLS: usize = 6;
const STATUS_COLS: usize = 10;
const QUALITY_COLS: usize = 12;
const LANG_COLS: usize = 5;
const DURATION_COLS: usize = 7;
const DATE_COLS: usize = 16;
const REF_COLS: usize = 16;

fn opt_line(s: Option<&str>) -> String {
    s.map_or_else(|| "-".to_string(), |s| sanitize_line(s).into_owned())
}

/// The header for [`interview_row`].
pub fn interview_header() -> String {
    row(&[
        ("ID", ID_COLS),
        ("STATUS", STATUS_COLS),
        ("QUALITY", QUALITY_COLS),
        ("LANG", LANG_COLS),
        ("DUR", DURATION_COLS),
        ("STARTED", DATE_COLS),
        ("REFERENCE", REF_COLS),
    ]) + "HEADLINE"
}

/// One interview as a line, columns aligned by display width.
pub fn interview_row(i: &Interview) -> String {
    let dur = i.duration_secs.map_or_else(|| "-".to_string(), duration);
    let dur = format!("{dur:>DURATION_COLS$}");
    let started = i.started_at.as_deref().map_or_else(
        || "-".to_string(),
        |s| sanitize_line(&local_datetime(s)).into_owned(),
    );
    row(&[
        (&sanitize_line(&i.id), ID_COLS),
        (&status_text(i.status.as_ref()), STATUS_COLS),
        (&quality_text(i.quality_score.as_ref()), QUALITY_COLS),
        (&language(i), LANG_COLS),
        (&dur, DURATION_COLS),
        (&started, DATE_COLS),
        (&opt_line(i.reference_id.as_deref()), REF_COLS),
    ]) + &opt_line(i.headline.as_deref())
}

/// The header for [`study_row`]; `stored` adds what the local store
/// holds of each study.
pub fn study_header(stored: bool) -> String {
    let mut cols = vec![
        ("ID", ID_COLS),
        ("STATUS", 8),
        ("RESPONSES", 9),
        ("LANGUAGES", 20),
    ];
    if stored {
        cols.extend([("STORED", STORED_COLS), ("SYNCED", DATE_COLS)]);
    }
    row(&cols) + "NAME"
}

/// What the local store holds of a study, for [`study_row`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredCounts {
    pub interviews: u64,
    /// When a sync last reached the end of the list (RFC 3339).
    pub last_synced: Option<String>,
}

/// One study as a line.
pub fn study_row(s: &Study, stored: Option<&StoredCounts>) -> String {
    let accepting = match s.accepting_responses {
        Some(true) => "open",
        Some(false) => "closed",
        None => "-",
    };
    let langs = sanitize_line(&s.supported_languages.join(",")).into_owned();
    let id = sanitize_line(&s.id);
    let status = opt_line(s.status.as_deref());
    let count;
    let synced;
    let mut cols: Vec<(&str, usize)> =
        vec![(&id, ID_COLS), (&status, 8), (accepting, 9), (&langs, 20)];
    if let Some(st) = stored {
        count = st.interviews.to_string();
        synced = st.last_synced.as_deref().map_or_else(
            || "never".to_string(),
            |t| sanitize_line(&local_datetime(t)).into_owned(),
        );
        cols.extend([(count.as_str(), STORED_COLS), (synced.as_str(), DATE_COLS)]);
    }
    row(&cols) + &opt_line(s.name.as_deref())
}

fn row(cells: &[(&str, usize)]) -> String {
    let mut out = String::new();
    for (text, cols) in cells {
        out.push_str(&pad_to_width(text, *cols));
        out.push_str("  ");
    }
    out
}

/// The text of a message in a mode: for `Both`, the original followed by
/// the translation on its own line when there is a different one.
pub fn message_text(m: &Message, mode: TextMode) -> String {
    let text = match message_texts(m, mode) {
        (main, Some(english)) => format!("{main}\n↳ {english}"),
        (main, None) => main.to_string(),
    };
    sanitize(&text).into_owned()
}

/// The mode `--text` asks for, honest for English interviews (which
/// have no other text to show).
pub fn mode_for(detail: &InterviewDetail, text: TextMode) -> TextMode {
    if is_english(&detail.interview) {
        TextMode::Original
    } else {
        text
    }
}

/// The first line of `uj show`: the headline, or, until the interviewer
/// has written one, what the interview is (a bare `-` said nothing).
fn show_title(i: &Interview) -> String {
    match i.headline.as_deref().map(sanitize_line) {
        Some(h) if !h.trim().is_empty() => h.into_owned(),
        _ => format!(
            "Interview {} (no headline yet; {})",
            sanitize_line(&i.id),
            i.status
                .as_ref()
                .map_or(std::borrow::Cow::Borrowed("status not given"), |s| {
                    status_text(Some(s))
                })
        ),
    }
}

/// `uj show` as plain text.
pub fn show_text(
    d: &InterviewDetail,
    marks: Option<&crate::store::Marks>,
    mode: TextMode,
) -> String {
    let i = &d.interview;
    let mut out = String::new();
    let _ = writeln!(out, "{}", show_title(i));
    if let Some(summary) = i.summary.as_deref().filter(|s| !s.is_empty()) {
        let _ = writeln!(out, "\n{}", sanitize(summary));
    }
    out.push('\n');
    for (label, value) in fields(i) {
        let _ = writeln!(out, "{label:<10} {value}");
    }
    if let Some(m) = marks {
        let mut flags: Vec<String> = Vec::new();
        if m.reviewed {
            flags.push("reviewed".into());
        }
        if m.starred {
            flags.push("starred".into());
        }
        if !flags.is_empty() {
            let _ = writeln!(out, "{:<10} {}", "Marks", flags.join(", "));
        }
        if !m.tags.is_empty() {
            let tags: Vec<String> = m
                .tags
                .iter()
                .map(|t| sanitize_line(t).into_owned())
                .collect();
            let _ = writeln!(out, "{:<10} {}", "Tags", tags.join(", "));
        }
        if !m.note.is_empty() {
            let _ = writeln!(out, "{:<10} {}", "Note", sanitize_line(&m.note));
        }
    }
    let _ = writeln!(out, "\nTranscript — {}", sanitize_line(&mode.title(i)));
    if d.transcript.is_empty() {
        out.push_str("(no transcript yet)\n");
    }
    let role_cols = d
        .transcript
        .iter()
        .map(|m| width(&role_label(m.role.as_ref())))
        .max()
        .unwrap_or(0);
    for m in &d.transcript {
        let time = m
            .time_in_call_secs
            .map_or_else(|| "--:--".to_string(), clock);
        let role = pad_to_width(&role_label(m.role.as_ref()), role_cols);
        let indent = " ".repeat(width(&time) + 2 + role_cols + 2);
        let text = message_text(m, mode);
        let mut lines = text.split('\n');
        let _ = writeln!(out, "{time}  {role}  {}", lines.next().unwrap_or(""));
        for line in lines {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
    out.push_str("\nAnswers\n");
    if d.question_answers.is_empty() {
        out.push_str("(no answers yet)\n");
    }
    for (n, qa) in d.question_answers.iter().enumerate() {
        let number = qa.number(n);
        let _ = writeln!(out, "{number}. {}", opt_line(qa.question_text.as_deref()));
        match qa.summary() {
            Some(s) => {
                let _ = writeln!(out, "   {}", sanitize_line(s));
            }
            None => out.push_str("   (no answer)\n"),
        }
        for e in &qa.answer_excerpt {
            // Under --text english (or both) the excerpt reads in English too.
            let texts = e
                .message
                .as_deref()
                .map(|q| crate::present::excerpt_texts(d, q, mode));
            let _ = writeln!(
                out,
                "   > {}: {}",
                role_label(e.role.as_ref()),
                opt_line(texts.map(|t| t.0))
            );
            if let Some((_, Some(english))) = texts {
                let _ = writeln!(out, "     ↳ {}", sanitize_line(english));
            }
        }
    }
    out
}

/// The header facts, in order, each sanitised.
fn fields(i: &Interview) -> Vec<(&'static str, String)> {
    let mut f = vec![
        ("Interview", sanitize_line(&i.id).into_owned()),
        ("Status", status_text(i.status.as_ref()).into_owned()),
        (
            "Quality",
            quality_text(i.quality_score.as_ref()).into_owned(),
        ),
        ("Language", language(i).into_owned()),
        (
            "Duration",
            i.duration_secs.map_or_else(|| "-".to_string(), duration),
        ),
        (
            "Started",
            i.started_at.as_deref().map_or_else(
                || "-".to_string(),
                |s| sanitize_line(&local_datetime(s)).into_owned(),
            ),
        ),
        ("Reference", opt_line(i.reference_id.as_deref())),
    ];
    if let Some(email) = i.respondent_email.as_deref() {
        f.push(("Email", sanitize_line(email).into_owned()));
    }
    f
}

/// A value as one line of JSON. serde_json escapes C0 controls; this also
/// escapes DEL, C1 controls and bidi overrides/isolates as `\uXXXX`, so
/// the line is safe to print on a terminal while staying the same JSON.
pub fn json_line<T: serde::Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, TerminalSafe);
    value.serialize(&mut ser)?;
    // The serializer writes only valid UTF-8.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let unsafe_char = |c: char| matches!(c, '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if !fragment.chars().any(unsafe_char) {
            return writer.write_all(fragment.as_bytes());
        }
        for c in fragment.chars() {
            if unsafe_char(c) {
                write!(writer, "\\u{:04x}", c as u32)?;
            } else {
                let mut buf = [0u8; 4];
                writer.write_all(c.encode_utf8(&mut buf).as_bytes())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_without_a_headline_starts_with_what_the_interview_is() {
        let mut d = InterviewDetail::default();
        d.interview.id = "abc\u{1b}[2J".into();
        d.interview.status = Some(crate::api::model::Status::Processing);
        let text = show_text(&d, None, TextMode::Original);
        let first = text.lines().next().unwrap_or_default();
        assert!(first.starts_with("Interview abc"), "{first}");
        assert!(first.ends_with("(no headline yet; processing)"), "{first}");
        assert!(!first.contains('\u{1b}'));
        d.interview.status = None;
        d.interview.headline = Some("  ".into());
        let text = show_text(&d, None, TextMode::Original);
        assert!(text.starts_with("Interview abc"), "{text}");
        assert!(
            text.lines()
                .next()
                .unwrap_or_default()
                .contains("status not given")
        );
        d.interview.headline = Some("Found the coupon".into());
        assert!(show_text(&d, None, TextMode::Original).starts_with("Found the coupon\n"));
    }

    #[test]
    fn json_lines_escape_every_control_and_stay_the_same_json() {
        let v = serde_json::json!({"t": "a\u{1b}[1m\u{9b}2J\u{7f}\u{202e}x\u{2066}y\nz 日本"});
        let line = json_line(&v).expect("encodes");
        assert!(
            !line
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{line}"
        );
        assert!(line.contains("\\u009b") && line.contains("\\u202e") && line.contains("日本"));
        let back: serde_json::Value = serde_json::from_str(&line).expect("decodes");
        assert_eq!(back, v);
    }
}
