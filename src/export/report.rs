//! `uj report`: one Markdown file of a study's findings: the study, its
//! interviews counted, each theme and code in codebook order with how
//! many interviews it appears in and its best quotes, and the matrix by
//! quality. Respondents' text is escaped as in the Markdown export, so it
//! can open no heading, link, HTML or code block of its own.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use super::markdown::escape;
use super::{ExportError, Format, Shape, Staging, Written, check_target, files, io_error};
use crate::present::TextMode;
use crate::store::{CodeTree, Evidence, ListQuery, Segment, Store};
use crate::text::clock;

/// One report.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub query: ListQuery,
    /// Only these codes (and the codes beneath them); all when empty.
    pub codes: Vec<String>,
    pub quotes_per_code: usize,
    pub text: TextMode,
    pub out: PathBuf,
    pub force: bool,
    /// The filters in force, as the user gave them, for the header.
    pub filters_shown: Vec<String>,
}

pub const SHAPE: Shape = Shape {
    format: Format::Report,
    table: None,
};

fn cite(e: &Evidence) -> String {
    let h = &e.highlight;
    let speaker = h.speaker.as_deref().unwrap_or("Respondent");
    let mut s = escape(&crate::present::cite(
        speaker,
        e.reference_id.as_deref(),
        &h.interview_id,
        None,
    ));
    if let Some(t) = h.at_secs {
        // A clock is digits and a colon: nothing to escape.
        let _ = write!(s, ", {}", clock(t));
    }
    s
}

fn quote_lines(e: &Evidence, text: TextMode) -> String {
    let h = &e.highlight;
    let english = e.english.as_deref();
    let main = match (text, english) {
        (TextMode::English, Some(en)) => en,
        _ => h.quote.as_str(),
    };
    let mut s = format!("> “{}” — {}", escape(main.trim()), cite(e));
    if let (TextMode::Both, Some(en)) = (text, english) {
        let _ = write!(s, "\\\n> English: “{}”", escape(en.trim()));
    }
    if !e.in_api {
        s.push_str(" (no longer in the API)");
    }
    s.push_str("\n\n");
    s
}

fn counts_line(label: &str, counts: &[(String, u64)]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{} {n}", escape(k)))
        .collect();
    format!(
        "- {label}: {}\n",
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(" · ")
        }
    )
}

/// Writes the report; the file appears whole or not at all.
pub fn report(store: &Store, req: &ReportRequest) -> Result<Written, ExportError> {
    let out = check_target(&req.out, SHAPE, req.force)?;
    let study_id = &req.query.filters.study_id;
    let study = store.study_detail(study_id)?.unwrap_or_default();
    let overview = store.overview(&req.query)?;
    let tree = CodeTree::new(store.codes(study_id)?);
    let mut chosen: Option<HashSet<i64>> = None;
    for name in &req.codes {
        let code = store.code_named(study_id, name)?.ok_or_else(|| {
            ExportError::Target(format!(
                "no code is named “{}” in this study: `uj codes list` shows them",
                crate::text::sanitize_line(name)
            ))
        })?;
        chosen
            .get_or_insert_with(HashSet::new)
            .extend(tree.descendants(code.id));
    }
    let evidence = store.evidence(&req.query, None)?;
    let coded: HashSet<&str> = evidence
        .iter()
        .map(|e| e.highlight.interview_id.as_str())
        .collect();

    let mut md = String::new();
    let name = study.name.clone().unwrap_or_else(|| study_id.clone());
    let _ = writeln!(md, "# {}\n", escape(&name));
    if let Some(goal) = study.research_goal.as_deref().filter(|g| !g.is_empty()) {
        let _ = writeln!(md, "Research goal: {}\n", escape(goal));
    }
    let _ = writeln!(md, "## The interviews\n");
    let _ = writeln!(md, "- Interviews: {}", overview.total);
    md.push_str(&counts_line("By quality", &overview.quality));
    md.push_str(&counts_line("By status", &overview.status));
    md.push_str(&counts_line("By language", &overview.language));
    if let (Some(first), Some(last)) = (overview.per_day.first(), overview.per_day.last()) {
        let _ = writeln!(md, "- Dates: {} to {}", escape(&first.0), escape(&last.0));
    }
    let _ = writeln!(
        md,
        "- Coded: {} of {} interviews",
        coded.len(),
        overview.total
    );
    let _ = writeln!(
        md,
        "- Filters: {}\n",
        if req.filters_shown.is_empty() {
            "none".to_string()
        } else {
            escape(&req.filters_shown.join(", "))
        }
    );

    let _ = writeln!(md, "## Themes and codes\n");
    let mut any = false;
    for (code, depth) in tree.ordered() {
        if chosen.as_ref().is_some_and(|c| !c.contains(&code.id)) {
            continue;
        }
        any = true;
        let ids = tree.descendants(code.id);
        let own: Vec<&Evidence> = evidence
            .iter()
            .filter(|e| e.highlight.codes.iter().any(|c| ids.contains(c)))
            .collect();
        let interviews: HashSet<&str> = own
            .iter()
            .map(|e| e.highlight.interview_id.as_str())
            .collect();
        let hashes = "#".repeat((depth + 3).min(6));
        let _ = writeln!(md, "{hashes} {}\n", escape(&code.name));
        if !code.description.is_empty() {
            let _ = writeln!(md, "{}\n", escape(&code.description));
        }
        let share = if coded.is_empty() {
            0.0
        } else {
            interviews.len() as f64 * 100.0 / coded.len() as f64
        };
        let _ = writeln!(
            md,
            "In {} ({share:.0}% of those coded).\n",
            crate::text::count(interviews.len() as u64, "interview", "interviews")
        );
        // Evidence comes best first: insightful, then the latest.
        for e in own.iter().take(req.quotes_per_code) {
            md.push_str(&quote_lines(e, req.text));
        }
    }
    if !any {
        md.push_str("No codes yet.\n\n");
    }

    let matrix = store.matrix(&req.query, Segment::Quality)?;
    let _ = writeln!(md, "## Appendix: codes by quality\n");
    let mut head = String::from("| code |");
    let mut rule = String::from("| --- |");
    for (c, n) in &matrix.columns {
        let _ = write!(head, " {} ({n}) |", escape(c));
        rule.push_str(" ---: |");
    }
    let _ = writeln!(md, "{head}\n{rule}");
    for row in &matrix.rows {
        if chosen.as_ref().is_some_and(|c| !c.contains(&row.code_id)) {
            continue;
        }
        let indent = "\u{a0}\u{a0}".repeat(row.depth);
        let mut line = format!("| {indent}{} |", escape(&row.name));
        for n in &row.cells {
            let _ = write!(line, " {n} |");
        }
        let _ = writeln!(md, "{line}");
    }

    if super::is_stdout(&out) {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(md.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(io_error(&req.out))?;
        return Ok(Written {
            interviews: overview.total as usize,
            bytes: md.len() as u64,
        });
    }
    let staging = Staging::new(&out, false)?;
    let fail = io_error(&req.out);
    let mut file = files::create(&staging.tmp).map_err(&fail)?;
    file.write_all(md.as_bytes()).map_err(&fail)?;
    file.sync_all().map_err(&fail)?;
    drop(file);
    staging.commit(SHAPE, req.force)?;
    Ok(Written {
        interviews: overview.total as usize,
        bytes: md.len() as u64,
    })
}
