//! The Markdown export: `index.md` and one file per interview. Every piece
//! of text that came from the API is sanitised and escaped, so a
//! respondent's words cannot open a link, an image, an HTML tag, a heading
//! or any other block of their own.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::Item;
use crate::api::model::{Interview, InterviewDetail, StudyDetail};
use crate::output::{json_line, mode_for};
use crate::present::{
    TextMode, excerpt_texts, language, message_texts, quality_text, role_label, status_text,
};
use crate::text::{clock, duration, sanitize};

/// Text as Markdown that renders exactly as written.
pub fn escape(text: &str) -> String {
    let clean = sanitize(text);
    let mut out = String::with_capacity(clean.len() + clean.len() / 8);
    for (n, line) in clean.split('\n').enumerate() {
        if n > 0 {
            // A hard break keeps the respondent's line without a new block.
            out.push_str("\\\n");
        }
        escape_line(line.trim_start(), &mut out);
    }
    out
}

fn escape_line(line: &str, out: &mut String) {
    // What may start a block (heading, quote, list, rule, fence, setext
    // underline, table) loses that meaning at the start of a line; ASCII
    // digits are one byte each, so `digits` is a byte index too.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let mut rest = line;
    if digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')')) {
        out.push_str(&line[..digits]);
        out.push('\\');
        rest = &line[digits..];
    } else if matches!(line.chars().next(), Some('-' | '+' | '=')) {
        out.push('\\');
    }
    // Inline: emphasis, code, links, images, HTML, entities, autolinks
    // (`scheme:`, `www.`, `@`), tables and strikethrough. Every one is
    // ASCII, so the text is walked by bytes and copied between them.
    let bytes = rest.as_bytes();
    let mut copied = 0;
    for (i, b) in bytes.iter().enumerate() {
        let special = matches!(
            b,
            b'\\'
                | b'`'
                | b'*'
                | b'_'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'#'
                | b'!'
                | b'|'
                | b'~'
                | b'&'
                | b':'
                | b'@'
                | b'{'
                | b'}'
        ) || (*b == b'.' && i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www"));
        if special {
            out.push_str(&rest[copied..i]);
            out.push('\\');
            copied = i;
        }
    }
    out.push_str(&rest[copied..]);
}

/// A one-line cell of a Markdown table.
fn cell(text: &str) -> String {
    escape(&text.replace(['\n', '\r'], " ")).replace("\\\n", " ")
}

/// The names an export has given, by a 64-bit hash of each: a tenth of
/// the memory of the names themselves, which kept 100,000 of them from
/// fitting in the cache. Two names with one hash only make the second
/// name longer: a name is never given twice.
#[derive(Default)]
pub struct Taken(HashSet<u64>);

impl Taken {
    fn has(&self, name: &str) -> bool {
        self.0.contains(&crate::store::fnv1a(name))
    }

    fn take(&mut self, name: &str) {
        self.0.insert(crate::store::fnv1a(name));
    }
}

/// The file name of an interview: sortable by its start (UTC), unique by
/// its id, and made of characters that are safe in any file system, so an
/// id like `../../x` cannot leave the export directory.
pub fn file_name(i: &Interview, taken: &mut Taken) -> String {
    let when = i
        .started_at
        .as_deref()
        .or(i.created_at.as_deref())
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map_or_else(
            || "undated".to_string(),
            |t| {
                use chrono::{Datelike, Timelike};
                let t = t.with_timezone(&chrono::Utc);
                format!(
                    "{:04}-{:02}-{:02}_{:02}{:02}",
                    t.year(),
                    t.month(),
                    t.day(),
                    t.hour(),
                    t.minute()
                )
            },
        );
    let safe: String =
        i.id.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
    let (safe, mut take) = if safe.is_empty() {
        ("interview".to_string(), "interview".len())
    } else {
        let take = 8.min(safe.len());
        (safe, take)
    };
    let mut name = String::with_capacity(when.len() + safe.len() + 8);
    loop {
        name.clear();
        let _ = write!(name, "{when}_{}.md", &safe[..take]);
        if take == safe.len() && taken.has(&name) {
            // The whole id is taken too (ids that differ only in unsafe
            // characters): number it.
            let base = format!("{when}_{safe}");
            name = (2..)
                .map(|n| format!("{base}-{n}.md"))
                .find(|n| !taken.has(n))
                .unwrap_or_else(|| format!("{base}-x.md"));
        }
        if !taken.has(&name) {
            taken.take(&name);
            return name;
        }
        take = (take + 4).min(safe.len());
    }
}

fn marks_text(item: &Item) -> String {
    let Some(m) = &item.marks else {
        return String::new();
    };
    let mut parts = Vec::new();
    if m.reviewed {
        parts.push("reviewed".to_string());
    }
    if m.starred {
        parts.push("starred".to_string());
    }
    parts.extend(m.tags.iter().map(|t| format!("#{t}")));
    parts.join(" ")
}

fn yaml(value: &str) -> String {
    // A JSON string is a YAML double-quoted scalar; json_line also escapes
    // C1 and bidi controls.
    json_line(&value).unwrap_or_else(|_| "\"\"".into())
}

/// One interview's file.
/// One interview's file: front matter, then [`body`].
fn interview_file(item: &Item, text: TextMode) -> String {
    let d = &item.detail;
    let i = &d.interview;
    let mut out = String::from("---\n");
    let opt = |v: Option<&str>| v.map_or_else(|| "null".to_string(), yaml);
    let _ = writeln!(out, "id: {}", yaml(&i.id));
    let _ = writeln!(out, "reference_id: {}", opt(i.reference_id.as_deref()));
    let _ = writeln!(
        out,
        "status: {}",
        opt(i.status.as_ref().map(|s| s.as_str()))
    );
    let _ = writeln!(
        out,
        "quality: {}",
        opt(i.quality_score.as_ref().map(|q| q.as_str()))
    );
    let _ = writeln!(out, "language: {}", opt(i.language.as_deref()));
    let _ = writeln!(
        out,
        "duration_secs: {}",
        i.duration_secs
            .map_or_else(|| "null".into(), |s| s.to_string())
    );
    let _ = writeln!(out, "started_at: {}", opt(i.started_at.as_deref()));
    let marks = item.marks.clone().unwrap_or_default();
    let _ = writeln!(out, "reviewed: {}", marks.reviewed);
    let _ = writeln!(out, "starred: {}", marks.starred);
    let tags: Vec<String> = marks.tags.iter().map(|t| yaml(t)).collect();
    let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    let _ = writeln!(out, "note: {}", yaml(&marks.note));
    out.push_str("---\n\n");
    out.push_str(&body(item, text));
    out
}

/// An interview as Markdown with every respondent's word escaped (what
/// `uj show --format markdown` prints, and each exported file after its
/// front matter).
pub fn interview_markdown(
    detail: &InterviewDetail,
    marks: Option<&crate::store::Marks>,
    text: TextMode,
) -> String {
    body(
        &Item {
            detail: detail.clone(),
            has_detail: true,
            marks: marks.cloned(),
        },
        text,
    )
}

fn body(item: &Item, text: TextMode) -> String {
    let d = &item.detail;
    let i = &d.interview;
    let mode = mode_for(d, text);
    let marks = item.marks.clone().unwrap_or_default();
    let mut out = String::new();
    let headline = i.headline.as_deref().unwrap_or("(no headline yet)");
    let _ = writeln!(out, "# {}\n", escape(headline));
    if let Some(summary) = i.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        let _ = writeln!(out, "{}\n", escape(summary));
    }
    let _ = writeln!(
        out,
        "{} · {} · {} · {}\n",
        escape(&language(i)),
        escape(&status_text(i.status.as_ref())),
        escape(&quality_text(i.quality_score.as_ref())),
        i.duration_secs.map_or_else(|| "-".into(), duration)
    );
    let mut facts = vec![format!("interview {}", escape(&i.id))];
    if let Some(r) = i.reference_id.as_deref() {
        facts.push(format!("reference {}", escape(r)));
    }
    if let Some(t) = i.started_at.as_deref() {
        facts.push(format!(
            "started {}",
            escape(&crate::text::local_datetime(t))
        ));
    }
    if let Some(e) = i.respondent_email.as_deref() {
        facts.push(escape(e));
    }
    let _ = writeln!(out, "{}\n", facts.join(" · "));
    let flags = marks_text(item);
    if !flags.is_empty() {
        let _ = writeln!(out, "**Marks:** {}\n", escape(&flags));
    }
    if !marks.note.trim().is_empty() {
        let _ = writeln!(out, "**Note:** {}\n", escape(&marks.note));
    }
    let _ = writeln!(out, "## Transcript — {}\n", escape(&mode.title(i)));
    if !item.has_detail {
        out.push_str("_The transcript is not stored: run `uj sync` and export again._\n\n");
    } else if d.transcript.is_empty() {
        out.push_str("_No transcript yet._\n\n");
    }
    for m in &d.transcript {
        let time = m
            .time_in_call_secs
            .map_or_else(|| "--:--".to_string(), clock);
        let (text, english) = message_texts(m, mode);
        let _ = write!(
            out,
            "**{time} {}:** {}",
            escape(&role_label(m.role.as_ref())),
            escape(text)
        );
        if let Some(e) = english {
            let _ = write!(out, "\\\n↳ {}", escape(e));
        }
        out.push_str("\n\n");
    }
    out.push_str("## Answers\n\n");
    if d.question_answers.is_empty() {
        out.push_str("_No answers yet._\n\n");
    }
    for (n, qa) in d.question_answers.iter().enumerate() {
        let number = qa.number(n);
        let _ = writeln!(
            out,
            "### {number}. {}\n",
            escape(qa.question_text.as_deref().unwrap_or("-"))
        );
        match qa.summary() {
            Some(s) => {
                let _ = writeln!(out, "{}\n", escape(s));
            }
            None => out.push_str("_No answer._\n\n"),
        }
        for e in &qa.answer_excerpt {
            let (shown, english) = excerpt_texts(d, e.message.as_deref().unwrap_or(""), mode);
            let _ = write!(
                out,
                "> **{}:** {}",
                escape(&role_label(e.role.as_ref())),
                escape(shown)
            );
            if let Some(e) = english {
                let _ = write!(out, "\\\n> ↳ {}", escape(e));
            }
            out.push_str("\n\n");
        }
    }
    out
}

pub struct Sink {
    dir: PathBuf,
    study: StudyDetail,
    text: TextMode,
    taken: Taken,
    index: String,
}

impl Sink {
    pub fn new(dir: &Path, study: &StudyDetail, text: TextMode) -> Sink {
        Sink {
            dir: dir.to_path_buf(),
            study: study.clone(),
            text,
            taken: {
                let mut t = Taken::default();
                t.take("index.md");
                t
            },
            index: String::new(),
        }
    }
}

impl super::Sink for Sink {
    fn item(&mut self, item: &Item) -> std::io::Result<()> {
        let i = &item.detail.interview;
        let name = file_name(i, &mut self.taken);
        super::files::write(&self.dir.join(&name), interview_file(item, self.text))?;
        let date = i
            .started_at
            .as_deref()
            .map_or_else(|| "-".to_string(), |t| t.chars().take(10).collect());
        let _ = writeln!(
            self.index,
            "| {} | {} | {} | {} | [{}]({name}) | {} |",
            cell(&date),
            cell(&quality_text(i.quality_score.as_ref())),
            cell(&language(i)),
            i.duration_secs.map_or_else(|| "-".into(), duration),
            cell(i.headline.as_deref().unwrap_or("(no headline yet)")),
            cell(&marks_text(item)),
        );
        Ok(())
    }

    fn finish(self: Box<Self>) -> std::io::Result<()> {
        let mut f = super::files::create(&self.dir.join("index.md"))?;
        let name = self.study.name.as_deref().unwrap_or(&self.study.id);
        writeln!(f, "# {}\n", escape(name))?;
        writeln!(
            f,
            "| date | quality | language | duration | headline | marks |\n|---|---|---|---|---|---|"
        )?;
        f.write_all(self.index.as_bytes())?;
        f.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_takes_away_every_markdown_meaning() {
        let cases = [
            (
                "[click](https://evil.example)",
                "\\[click\\](https\\://evil.example)",
            ),
            (
                "<script>alert(1)</script>",
                "\\<script\\>alert(1)\\</script\\>",
            ),
            ("# Heading", "\\# Heading"),
            ("line\n# heading", "line\\\n\\# heading"),
            ("- item", "\\- item"),
            ("1. first", "1\\. first"),
            ("===", "\\==="),
            ("www.evil.example", "www\\.evil.example"),
            ("me@evil.example", "me\\@evil.example"),
            ("![x](y)", "\\!\\[x\\](y)"),
            ("a | b", "a \\| b"),
            ("`code`", "\\`code\\`"),
            ("&amp;", "\\&amp;"),
            ("plain words", "plain words"),
        ];
        for (input, want) in cases {
            assert_eq!(escape(input), want, "{input}");
        }
        assert_eq!(escape("\u{1b}[31mred"), "␛\\[31mred");
    }

    #[test]
    fn file_names_sort_by_date_and_stay_inside_the_directory() {
        let mut taken = Taken::default();
        let i = |id: &str, at: Option<&str>| Interview {
            id: id.into(),
            started_at: at.map(str::to_string),
            ..Interview::default()
        };
        assert_eq!(
            file_name(
                &i("5df3bf0a-15ba", Some("2026-11-25T12:31:00Z")),
                &mut taken
            ),
            "2026-11-25_1231_5df3bf0a.md"
        );
        assert_eq!(
            file_name(
                &i("5df3bf0a-99aa", Some("2026-11-25T12:31:00Z")),
                &mut taken
            ),
            "2026-11-25_1231_5df3bf0a-99a.md"
        );
        assert_eq!(
            file_name(&i("../../etc/passwd", None), &mut taken),
            "undated_etcpassw.md"
        );
        assert_eq!(file_name(&i("/", None), &mut taken), "undated_interview.md");
        assert_eq!(
            file_name(&i("//", None), &mut taken),
            "undated_interview-2.md"
        );
    }
}
