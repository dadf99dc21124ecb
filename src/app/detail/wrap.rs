//! Transcript and answers turned into screen lines for one pane width:
//! done once per (interview, width, mode), so a frame only slices the
//! visible lines. Widths are terminal columns (CJK and emoji count two).

use crate::api::model::{InterviewDetail, Message, Role};
use crate::present::{TextMode, language, message_texts, quality_text, role_label, status_text};
use crate::store::Marks;
use crate::text::{clock, display_block, display_line, duration, truncate_to_width, width};

/// What a screen line shows, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The interview's headline.
    Headline,
    /// Summary and facts above the messages.
    Header,
    /// The interview's tags and note (the user's marks).
    Marks,
    /// A message's first line (carries the time and speaker).
    MessageStart,
    /// A continuation of a message, hanging under its text.
    MessageCont,
    /// A line of the English text shown under the original (mode Both).
    Translation,
    /// The codes of a highlighted message, after it.
    Codes,
    Blank,
}

/// One screen line.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenLine {
    pub kind: LineKind,
    /// The time and speaker (first line) or spaces (continuations).
    pub prefix: String,
    pub text: String,
    /// The message this line belongs to, if any.
    pub message: Option<usize>,
    /// Who spoke, for colouring.
    pub role: Option<Role>,
    /// Side by side (`T` in a wide pane): the English beside `text`, which
    /// is then padded to the original's column.
    pub beside: Option<String>,
    /// A highlighted part of a message on this line: a byte range of `text`.
    pub part: Option<(usize, usize)>,
    /// The code whose colour the line's gutter mark takes (a codes line).
    pub code: Option<i64>,
}

/// A wrapped transcript and where each message starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Wrapped {
    pub id: String,
    pub width: usize,
    pub mode: TextMode,
    /// The marks shown in the header (tags and note), as they were wrapped.
    pub marks: Option<Marks>,
    /// The codes of each highlighted message, as they were wrapped.
    pub codes: Coded,
    pub lines: Vec<ScreenLine>,
    /// For each message, its first line.
    pub message_starts: Vec<usize>,
}

/// Below this many columns for text, the speaker goes on its own line.
const MIN_TEXT_COLS: usize = 12;

/// From this pane width (borders included), `T` shows the English beside
/// the original rather than beneath it.
pub const SIDE_BY_SIDE_PANE: usize = 110;

/// Between the columns: ` │ `.
pub const SEPARATOR_COLS: usize = 3;

pub fn wrap_into(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        if para.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        // Unicode line breaking (UAX #14): CJK breaks between characters
        // but never before closing punctuation (`。`, `、`, `”`, `)`), and
        // a Latin word inside CJK text moves to the next line whole. Only a
        // word wider than the pane is cut.
        let opts = textwrap::Options::new(cols)
            .break_words(true)
            .word_separator(textwrap::WordSeparator::UnicodeBreakProperties);
        out.extend(
            textwrap::wrap(para, opts)
                .into_iter()
                .map(|c| c.into_owned()),
        );
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn header_line(kind: LineKind, text: String) -> ScreenLine {
    ScreenLine {
        kind,
        prefix: String::new(),
        text,
        message: None,
        role: None,
        beside: None,
        part: None,
        code: None,
    }
}

/// Wraps an interview's header and messages to `cols` columns.
/// A highlighted message as the transcript draws it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodedMessage {
    pub message: usize,
    pub names: Vec<String>,
    /// The first code, for the gutter mark's colour.
    pub first: Option<i64>,
    /// A trimmed part: whether of the English, and its character range.
    pub part: Option<(bool, usize, usize)>,
}

/// Each highlighted message, in order.
pub type Coded = Vec<CodedMessage>;

pub fn wrap_transcript(
    detail: &InterviewDetail,
    marks: Option<&Marks>,
    cols: usize,
    mode: TextMode,
) -> Wrapped {
    wrap_transcript_coded(detail, marks, &Vec::new(), cols, mode)
}

/// The code names of a highlighted message, as a line under it.
fn codes_lines(coded: &Coded, n: usize, indent: &str, cols: usize) -> Vec<ScreenLine> {
    let Some(c) = coded.iter().find(|c| c.message == n) else {
        return Vec::new();
    };
    let names: Vec<String> = c.names.iter().map(|c| display_line(c)).collect();
    let text_cols = cols.saturating_sub(indent.len()).max(1);
    wrap_into(&format!("▍ {}", names.join(" · ")), text_cols)
        .into_iter()
        .map(|text| ScreenLine {
            kind: LineKind::Codes,
            prefix: indent.to_string(),
            text,
            message: Some(n),
            role: None,
            beside: None,
            part: None,
            code: c.first,
        })
        .collect()
}

/// Marks on each wrapped line of a message the bytes that fall in the
/// character range `start..end` of its text. Wrapped lines are pieces of
/// the text in order (the spaces at breaks dropped), so each is found
/// from where the last one ended.
fn mark_part(lines: &mut [ScreenLine], text: &str, start: usize, end: usize) {
    let mut from = 0usize; // byte position in `text`
    for line in lines {
        let Some(at) = text
            .get(from..)
            .and_then(|rest| rest.find(line.text.trim_end()))
        else {
            continue;
        };
        let line_start = from + at;
        let line_end = line_start + line.text.trim_end().len();
        from = line_end;
        let chars_before = text[..line_start].chars().count();
        let mut lo = None;
        let mut hi = 0;
        for (k, (byte, ch)) in line.text.trim_end().char_indices().enumerate() {
            let pos = chars_before + k;
            if pos >= start && pos < end {
                lo.get_or_insert(byte);
                hi = byte + ch.len_utf8();
            }
        }
        if let Some(lo) = lo {
            line.part = Some((lo, hi));
        }
    }
}

/// The transcript wrapped to `cols`, each highlighted message followed by
/// its codes.
pub fn wrap_transcript_coded(
    detail: &InterviewDetail,
    marks: Option<&Marks>,
    coded: &Coded,
    cols: usize,
    mode: TextMode,
) -> Wrapped {
    let cols = cols.max(1);
    let mut lines = header_lines(detail, marks, cols);
    let layout = Layout::of(detail, cols, mode);
    let mut message_starts = Vec::with_capacity(detail.transcript.len());
    for (n, m) in detail.transcript.iter().enumerate() {
        if n > 0 {
            lines.extend(codes_lines(coded, n - 1, &layout.indent, cols));
        }
        message_starts.push(lines.len());
        push_message(&mut lines, &layout, n, m, coded, mode);
    }
    if let Some(last) = detail.transcript.len().checked_sub(1) {
        lines.extend(codes_lines(coded, last, &layout.indent, cols));
    }
    Wrapped {
        id: detail.interview.id.clone(),
        width: cols,
        mode,
        marks: marks.cloned(),
        codes: coded.clone(),
        lines,
        message_starts,
    }
}

/// Message `n`'s lines: its head (time and role), its text wrapped (or
/// beside its English), the trimmed part underlined, and its English.
fn push_message(
    lines: &mut Vec<ScreenLine>,
    layout: &Layout,
    n: usize,
    m: &Message,
    coded: &Coded,
    mode: TextMode,
) {
    let (hanging, text_cols, indent) = (layout.hanging, layout.text_cols, &layout.indent);
    let head = layout.head(n, m);
    let line = |kind, prefix: String, text: String| ScreenLine {
        kind,
        prefix,
        text,
        message: Some(n),
        role: m.role.clone(),
        beside: None,
        part: None,
        code: None,
    };
    if !hanging {
        let head = head.trim_end().to_string();
        lines.push(line(LineKind::MessageStart, head, String::new()));
    }
    let (main, english) = message_texts(m, mode);
    let (original, translation) = (display_block(main), english.map(display_block));
    if let (true, Some(tr)) = (layout.side_by_side, &translation) {
        // Message against message: the original on the left, its
        // English on the right, as many rows as the longer needs.
        for (k, (text, beside)) in side_by_side_rows(&original, tr, text_cols)
            .into_iter()
            .enumerate()
        {
            let (kind, prefix) = if k == 0 {
                (LineKind::MessageStart, head.clone())
            } else {
                (LineKind::MessageCont, indent.clone())
            };
            lines.push(ScreenLine {
                beside: Some(beside),
                ..line(kind, prefix, text)
            });
        }
        return;
    }
    let first_line = lines.len();
    for (k, l) in wrap_into(&original, text_cols).into_iter().enumerate() {
        if k == 0 && hanging {
            lines.push(line(LineKind::MessageStart, head.clone(), l));
        } else {
            lines.push(line(LineKind::MessageCont, indent.clone(), l));
        }
    }
    // A trimmed part of the text shown is underlined.
    let shows_english = m.message.as_deref().unwrap_or("") != main;
    if let Some((_, start, end)) = coded
        .iter()
        .find(|c| c.message == n)
        .and_then(|c| c.part)
        .filter(|(e, _, _)| *e == shows_english)
    {
        mark_part(&mut lines[first_line..], &original, start, end);
    }
    if let Some(tr) = translation {
        let wrapped = wrap_into(&tr, text_cols.saturating_sub(2).max(1));
        for (k, l) in wrapped.into_iter().enumerate() {
            let mark = if k == 0 { "↳ " } else { "  " };
            lines.push(line(LineKind::Translation, format!("{indent}{mark}"), l));
        }
    }
}

/// An original and its English side by side in `text_cols`: each row's
/// left text padded to its column, and the right text.
fn side_by_side_rows(original: &str, english: &str, text_cols: usize) -> Vec<(String, String)> {
    let left_cols = (text_cols - SEPARATOR_COLS) / 2;
    let right_cols = text_cols - SEPARATOR_COLS - left_cols;
    let left = wrap_into(original, left_cols);
    let right = wrap_into(english, right_cols);
    (0..left.len().max(right.len()))
        .map(|k| {
            let text = left.get(k).map_or("", String::as_str);
            let pad = " ".repeat(left_cols.saturating_sub(width(text)));
            (
                format!("{text}{pad}"),
                right.get(k).cloned().unwrap_or_default(),
            )
        })
        .collect()
}

/// The interview's header as lines: the headline, the facts, the summary,
/// the user's tags and note, a blank line.
fn header_lines(detail: &InterviewDetail, marks: Option<&Marks>, cols: usize) -> Vec<ScreenLine> {
    let i = &detail.interview;
    let mut lines = Vec::new();
    let headline = i
        .headline
        .as_deref()
        .map_or_else(|| "(no headline yet)".to_string(), display_line);
    for l in wrap_into(&headline, cols) {
        lines.push(header_line(LineKind::Headline, l));
    }
    let mut facts = vec![
        language(i).into_owned(),
        status_text(i.status.as_ref()).into_owned(),
        quality_text(i.quality_score.as_ref()).into_owned(),
        i.duration_secs.map_or_else(|| "-".into(), duration),
    ];
    if let Some(r) = &i.reference_id {
        facts.push(display_line(r));
    }
    if let Some(e) = &i.respondent_email {
        facts.push(display_line(e));
    }
    // The short id, as the export names its files.
    facts.push(format!(
        "id:{}",
        display_line(&i.id.chars().take(8).collect::<String>())
    ));
    for l in wrap_into(&facts.join(" · "), cols) {
        lines.push(header_line(LineKind::Header, l));
    }
    if let Some(summary) = i.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        for l in wrap_into(&display_block(summary), cols) {
            lines.push(header_line(LineKind::Header, l));
        }
    }
    // The user's own words about the interview, under the API's.
    if let Some(m) = marks {
        if !m.tags.is_empty() {
            let tags: Vec<String> = m
                .tags
                .iter()
                .map(|t| format!("#{}", display_line(t)))
                .collect();
            for l in wrap_into(&format!("tags: {}", tags.join(" ")), cols) {
                lines.push(header_line(LineKind::Marks, l));
            }
        }
        if !m.note.is_empty() {
            for l in wrap_into(&format!("note: {}", display_line(&m.note)), cols) {
                lines.push(header_line(LineKind::Marks, l));
            }
        }
    }
    lines.push(header_line(LineKind::Blank, String::new()));
    if detail.transcript.is_empty() {
        lines.push(header_line(LineKind::Header, "(no messages yet)".into()));
    }
    lines
}

/// How a transcript's lines are laid out at a width: each message's time
/// and speaker as a hanging prefix when there is room, and the original
/// beside its English when both are asked for and the pane is wide.
struct Layout {
    times: Vec<String>,
    time_cols: usize,
    role_cols: usize,
    hanging: bool,
    text_cols: usize,
    indent: String,
    side_by_side: bool,
}

impl Layout {
    /// Message `n`'s head: its time and role, padded to their columns.
    fn head(&self, n: usize, m: &Message) -> String {
        let role = truncate_to_width(&role_label(m.role.as_ref()), 16).into_owned();
        format!(
            "{:>tw$}  {}{}  ",
            self.times[n],
            role,
            " ".repeat(self.role_cols.saturating_sub(width(&role))),
            tw = self.time_cols
        )
    }

    fn of(detail: &InterviewDetail, cols: usize, mode: TextMode) -> Layout {
        let times: Vec<String> = detail
            .transcript
            .iter()
            .map(|m| m.time_in_call_secs.map_or_else(|| "--:--".into(), clock))
            .collect();
        let time_cols = times.iter().map(|t| width(t)).max().unwrap_or(5);
        let role_cols = detail
            .transcript
            .iter()
            .map(|m| width(&truncate_to_width(&role_label(m.role.as_ref()), 16)))
            .max()
            .unwrap_or(0);
        let mut prefix_cols = time_cols + 2 + role_cols + 2;
        let hanging = cols >= prefix_cols + MIN_TEXT_COLS;
        if !hanging {
            prefix_cols = 2;
        }
        let text_cols = cols.saturating_sub(prefix_cols).max(1);
        let indent = " ".repeat(prefix_cols);
        let side_by_side =
            mode == TextMode::Both && hanging && cols + 2 >= SIDE_BY_SIDE_PANE && text_cols > 40;
        Layout {
            times,
            time_cols,
            role_cols,
            hanging,
            text_cols,
            indent,
            side_by_side,
        }
    }
}

/// One screen line of the answers pane.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerLine {
    pub kind: AnswerKind,
    pub text: String,
    /// The answer this line belongs to.
    pub answer: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    Question,
    Summary,
    NoAnswer,
    Excerpt,
    /// The English of an excerpt, under it (mode Both).
    Translation,
    Blank,
}

/// The answers pane's lines, and where each answer starts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WrappedAnswers {
    pub lines: Vec<AnswerLine>,
    pub starts: Vec<usize>,
}

/// Wraps every answer to `cols` columns. Excerpts quote the original
/// words; outside `Original` mode the English of the transcript message
/// they quote is shown too.
pub fn wrap_answers(detail: &InterviewDetail, cols: usize, mode: TextMode) -> WrappedAnswers {
    let mut out = WrappedAnswers::default();
    for (n, qa) in detail.question_answers.iter().enumerate() {
        out.starts.push(out.lines.len());
        let number = qa.number(n);
        let q = format!(
            "{number}. {}",
            qa.question_text
                .as_deref()
                .map_or_else(|| "(question not given)".into(), display_line)
        );
        // `mark` starts the first line and its width of spaces the others,
        // so wrapped text hangs after it.
        let mut push = |kind, mark: &str, text: String, indent: usize| {
            let hang = indent + width(mark);
            for (k, l) in wrap_into(&text, cols.saturating_sub(hang).max(1))
                .into_iter()
                .enumerate()
            {
                let lead = if k == 0 {
                    mark.to_string()
                } else {
                    " ".repeat(width(mark))
                };
                out.lines.push(AnswerLine {
                    kind,
                    text: format!("{}{lead}{l}", " ".repeat(indent)),
                    answer: n,
                });
            }
        };
        push(AnswerKind::Question, "", q, 0);
        match qa.summary() {
            Some(s) => push(AnswerKind::Summary, "", display_line(s), 3),
            None => push(AnswerKind::NoAnswer, "", "(no answer)".into(), 3),
        }
        for e in &qa.answer_excerpt {
            let quote = e.message.as_deref().unwrap_or("");
            let english = detail
                .quoted_message(quote)
                .and_then(|n| detail.transcript.get(n)?.translated.as_deref())
                .filter(|t| !t.is_empty() && t.trim() != quote.trim());
            let shown = match (mode, english) {
                (TextMode::English, Some(en)) => en,
                _ => quote,
            };
            let text = format!(
                "“{}” — {}",
                display_line(shown),
                role_label(e.role.as_ref())
            );
            push(AnswerKind::Excerpt, "", text, 5);
            if let (TextMode::Both, Some(en)) = (mode, english) {
                // As in the transcript: `↳` under the quote, and the
                // English hanging after it.
                push(AnswerKind::Translation, "↳ ", display_line(en), 5);
            }
        }
        out.lines.push(AnswerLine {
            kind: AnswerKind::Blank,
            text: String::new(),
            answer: n,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Interview, Message};

    fn detail(messages: &[(&str, &str, Option<&str>, f64)]) -> InterviewDetail {
        InterviewDetail {
            interview: Interview {
                id: "i".into(),
                language: Some("ja".into()),
                headline: Some("Headline".into()),
                ..Interview::default()
            },
            transcript: messages
                .iter()
                .map(|(role, text, tr, t)| Message {
                    role: Some(Role::from(role.to_string())),
                    message: Some(text.to_string()),
                    translated: tr.map(str::to_string),
                    time_in_call_secs: Some(*t),
                    ..Message::default()
                })
                .collect(),
            question_answers: Vec::new(),
        }
    }

    #[test]
    fn hanging_indent_and_columns() {
        let d = detail(&[(
            "user",
            "日本語のとても長い文章がここに続きますのでちゃんと折り返してください",
            None,
            65.0,
        )]);
        let w = wrap_transcript(&d, None, 40, TextMode::Original);
        let start = w.message_starts[0];
        assert_eq!(w.lines[start].prefix, "01:05  Respondent  ");
        for l in &w.lines[start..] {
            assert!(width(&l.prefix) + width(&l.text) <= 40, "{l:?}");
            assert_eq!(width(&l.prefix), 19);
        }
        assert!(w.lines.len() - start > 1, "wrapped");
    }

    #[test]
    fn both_mode_puts_the_translation_beneath() {
        let d = detail(&[("agent", "Hola", Some("Hello"), 0.0)]);
        let w = wrap_transcript(&d, None, 60, TextMode::Both);
        let start = w.message_starts[0];
        assert_eq!(w.lines[start].text, "Hola");
        assert_eq!(w.lines[start + 1].kind, LineKind::Translation);
        assert_eq!(w.lines[start + 1].text, "Hello");
        let en = wrap_transcript(&d, None, 60, TextMode::English);
        assert_eq!(en.lines[en.message_starts[0]].text, "Hello");
    }

    /// The lines of message 0 at `cols`, as text.
    fn message_lines(text: &str, cols: usize) -> Vec<String> {
        let d = detail(&[("user", text, None, 5.0)]);
        let w = wrap_transcript(&d, None, cols, TextMode::Original);
        w.lines[w.message_starts[0]..]
            .iter()
            .map(|l| l.text.clone())
            .filter(|t| !t.is_empty()) // the speaker's own line when narrow
            .collect()
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        let text = "送料込みの合計金額が最後まで表示されなかったので、少し不安になりました。「本当に」と思いました（本当に）。彼は“はい”と言った。";
        for cols in 19..60 {
            let lines = message_lines(text, cols);
            assert_eq!(lines.concat(), text, "nothing lost at {cols}");
            for l in &lines[1..] {
                let first = l.chars().next().expect("a line");
                assert!(
                    !"。、”）)」』，．".contains(first),
                    "{cols} columns: a line starts with {first}: {lines:?}"
                );
            }
            for l in &lines {
                let last = l.chars().last().expect("a line");
                assert!(!"「『（“".contains(last), "{cols}: {lines:?}");
            }
        }
    }

    #[test]
    fn latin_words_in_cjk_text_are_not_split() {
        let text = "新しいcheckout画面でPayPayとconvenience storeの支払いを試しました";
        for cols in 30..60 {
            let lines = message_lines(text, cols);
            assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
            for word in ["checkout", "PayPay", "convenience"] {
                assert!(
                    lines.iter().any(|l| l.contains(word)),
                    "{cols} columns split {word}: {lines:?}"
                );
            }
        }
        // A word wider than the pane is still cut, not lost.
        let lines = message_lines("antidisestablishmentarianism", 25);
        assert_eq!(lines.concat(), "antidisestablishmentarianism");
    }

    #[test]
    fn both_mode_goes_side_by_side_in_a_wide_pane() {
        let d = detail(&[
            (
                "user",
                "一ページにまとまっていて速くなったと思います。ただ、送料込みの合計金額が最後まで表示されなかったので、少し不安になりました。",
                Some(
                    "I think it became faster because it's all on one page. However, the total including the delivery fee wasn't shown until the end.",
                ),
                29.0,
            ),
            ("agent", "ありがとうございます。", None, 47.0),
        ]);
        // Below the width: beneath, as before.
        let narrow = wrap_transcript(&d, None, SIDE_BY_SIDE_PANE - 3, TextMode::Both);
        assert!(narrow.lines.iter().all(|l| l.beside.is_none()));
        assert!(narrow.lines.iter().any(|l| l.kind == LineKind::Translation));

        let cols = SIDE_BY_SIDE_PANE - 2;
        let w = wrap_transcript(&d, None, cols, TextMode::Both);
        assert!(w.lines.iter().all(|l| l.kind != LineKind::Translation));
        let (a, b) = (w.message_starts[0], w.message_starts[1]);
        let rows = &w.lines[a..b];
        // Both columns complete, row against row, within the pane.
        let left: String = rows.iter().map(|l| l.text.trim_end()).collect();
        let right: Vec<&str> = rows.iter().filter_map(|l| l.beside.as_deref()).collect();
        assert!(left.starts_with("一ページ") && left.ends_with("不安になりました。"));
        assert_eq!(right.len(), rows.len());
        assert!(
            right
                .join(" ")
                .contains("the delivery fee wasn't shown until the end.")
        );
        let left_cols = width(&rows[0].text);
        for l in rows {
            assert_eq!(width(&l.text), left_cols, "the column is padded: {l:?}");
            let beside = l.beside.as_deref().unwrap_or("");
            assert!(width(&l.prefix) + left_cols + SEPARATOR_COLS + width(beside) <= cols);
        }
        // A message with no English takes the whole width, alone.
        assert!(w.lines[b].beside.is_none());
        assert_eq!(w.lines[b].text, "ありがとうございます。");
    }

    #[test]
    fn tiny_widths_never_panic_or_overflow() {
        let d = detail(&[("agent", "a long message that wraps", None, 4000.0)]);
        for cols in 0..30 {
            let w = wrap_transcript(&d, None, cols, TextMode::Original);
            assert!(!w.lines.is_empty());
        }
    }
}
