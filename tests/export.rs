//! `uj export`'s formats from a store holding demo interviews and hostile
//! ones: Markdown that a respondent cannot hijack, CSV read back by a
//! strict parser cell by cell, JSON Lines with marks, snapshots that open.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::{Value, json};
use uj::api::model::{InterviewDetail, StudyDetail};
use uj::api::{InterviewFilters, SnapshotSource};
use uj::export::{Format, Request, export};
use uj::present::TextMode;
use uj::store::{MarkFilters, Store};

const STUDY: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

fn hostile(id: &str, text: &str) -> InterviewDetail {
    serde_json::from_value(json!({
        "id": id, "study_id": STUDY, "status": "completed", "language": "es",
        "quality_score": "insightful", "duration_secs": 125,
        "started_at": "2026-11-27T10:00:00Z",
        "reference_id": text, "respondent_email": "me@evil.example",
        "headline": text, "summary": format!("# Heading\n- list\n=cmd {text}"),
        "transcript": [
            {"role": "agent", "message": "Q?", "time_in_call_secs": 1},
            {"role": "user", "message": text, "translated": format!("EN {text}"), "time_in_call_secs": 65}
        ],
        "question_answers": [{"question_index": 0, "question_text": text,
            "answer_summary": text, "answer_excerpt": [{"role": "user", "message": text}]}]
    }))
    .expect("hostile detail")
}

/// Texts that would act if they reached Markdown, a spreadsheet or a
/// terminal unescaped.
fn hostile_texts() -> Vec<(&'static str, String)> {
    vec![
        (
            "../../evil",
            "[click](https://evil.example) <img src=x onerror=alert(1)>".into(),
        ),
        (
            "a/b\\c:d*?\"<>|",
            "![pixel](https://t.example/p.gif) www.evil.example".into(),
        ),
        ("formula-1", "=HYPERLINK(\"http://evil\",\"x\")".into()),
        ("formula-2", "+1+1".into()),
        ("formula-3", "-2+3".into()),
        ("formula-4", "@SUM(A1:A2)".into()),
        ("formula-5", "\tTAB".into()),
        ("formula-6", "\rCR first".into()),
        (
            "escapes",
            "\u{1b}]52;c;aGk=\u{7}\u{1b}[2J bidi \u{202e}reversed\u{202c} nul\0".into(),
        ),
        (
            "heading",
            "# Not a heading\n> not a quote\n1. not a list\n```\nnot code".into(),
        ),
        ("huge", "x".repeat(1 << 20)),
    ]
}

/// A store with 20 demo interviews and the hostile ones, some with marks.
fn store() -> (Store, Vec<InterviewDetail>) {
    let demo = SnapshotSource::demo().expect("demo");
    let mut all: Vec<InterviewDetail> = demo.interviews_of(STUDY)[..20].to_vec();
    all.extend(hostile_texts().iter().map(|(id, t)| hostile(id, t)));
    let mut store = Store::in_memory().expect("store");
    let study: StudyDetail = demo.studies()[0].clone();
    store.put_study_detail(&study).expect("study");
    let walk = store.begin_walk(STUDY).expect("walk");
    let rows: Vec<_> = all.iter().map(|d| d.interview.clone()).collect();
    store.apply_page(STUDY, walk, 0, &rows).expect("page");
    for d in &all {
        store.put_detail(d, None).expect("detail");
    }
    store.finish_walk(STUDY, walk).expect("finish");
    for (id, reviewed, starred, tags, note) in [
        (
            all[0].interview.id.as_str(),
            1,
            0,
            r#"["coupon"]"#,
            "call back",
        ),
        (
            all[1].interview.id.as_str(),
            1,
            1,
            r#"["coupon","pix"]"#,
            "",
        ),
        ("escapes", 0, 1, "[]", "[link](https://evil.example)"),
    ] {
        store
            .connection()
            .execute(
                "INSERT INTO marks (interview_id, study_id, reviewed, starred, tags, note, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'now')",
                rusqlite::params![id, STUDY, reviewed, starred, tags, note],
            )
            .expect("mark");
    }
    (store, all)
}

fn run(store: &Store, format: Format, out: &Path, marks: MarkFilters, text: TextMode) -> usize {
    let req = Request {
        filters: InterviewFilters::for_study(STUDY),
        marks,
        language: None,
        text,
        format,
        table: None,
        out: out.to_path_buf(),
        force: false,
        query: None,
    };
    export(store, &req, &AtomicBool::new(false), &|_, _| {})
        .expect("exports")
        .interviews
}

/// No terminal escape can leave through an export: no raw control
/// character but newline (and CR/tab where a format needs them).
fn assert_terminal_safe(text: &str, what: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\n' | '\r'))
                || ('\u{202a}'..='\u{202e}').contains(c)
                || ('\u{2066}'..='\u{2069}').contains(c)
        })
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:?}");
}

#[test]
fn markdown_gives_respondents_no_links_tags_or_headings() {
    let (store, all) = store();
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("md");
    assert_eq!(
        run(
            &store,
            Format::Markdown,
            &out,
            MarkFilters::default(),
            TextMode::Original
        ),
        all.len()
    );
    let files: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != uj::export::MARKER)
        .collect();
    assert!(
        out.join(uj::export::MARKER).is_file(),
        "the export's marker"
    );
    assert_eq!(files.len(), all.len() + 1, "index.md and one file each");
    assert!(!dir.path().join("evil").exists() && !dir.path().join("..").join("evil.md").exists());
    let mut sorted = files.clone();
    sorted.sort();
    let unique: HashSet<_> = files.iter().collect();
    assert_eq!(unique.len(), files.len());
    for name in &files {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')),
            "{name}"
        );
        let text = std::fs::read_to_string(out.join(name)).expect("read");
        assert_terminal_safe(&text, name);
        let mut links = 0;
        let mut headings = Vec::new();
        let mut levels = Vec::new();
        let mut in_heading: Option<HeadingLevel> = None;
        // Front matter as the tools that read it do (a YAML block).
        for event in Parser::new_ext(&text, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS) {
            match event {
                Event::Html(h) | Event::InlineHtml(h) => panic!("{name}: HTML {h:?}"),
                Event::Start(Tag::Image { .. }) => panic!("{name}: an image"),
                Event::Start(Tag::Link { dest_url, .. }) => {
                    assert!(name == "index.md", "{name}: a link to {dest_url}");
                    assert!(files.contains(&dest_url.to_string()), "{dest_url}");
                    links += 1;
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    in_heading = Some(level);
                    levels.push(level);
                }
                Event::Start(Tag::BlockQuote(_)) if name == "index.md" => panic!("a quote"),
                Event::Start(Tag::List(_)) => panic!("{name}: a list"),
                Event::Start(Tag::CodeBlock(_)) => panic!("{name}: a code block"),
                Event::End(TagEnd::Heading(_)) => in_heading = None,
                Event::Text(t) if in_heading.is_some() => {
                    headings.push((in_heading, t.to_string()));
                }
                _ => {}
            }
        }
        if name == "index.md" {
            assert_eq!(links, all.len());
        } else {
            // Ours only: the headline, Transcript, Answers, each question.
            assert_eq!(levels.first(), Some(&HeadingLevel::H1), "{name}");
            assert!(
                headings
                    .iter()
                    .any(|(l, t)| *l == Some(HeadingLevel::H2) && t.starts_with("Transcript")),
                "{name}: {headings:?}"
            );
            let h1 = levels.iter().filter(|l| **l == HeadingLevel::H1).count();
            assert_eq!(h1, 1, "{name}: {headings:?}");
            let questions = levels.iter().filter(|l| **l == HeadingLevel::H3).count();
            let h2 = levels.iter().filter(|l| **l == HeadingLevel::H2).count();
            assert_eq!(h2, 2, "{name}: {headings:?}");
            assert_eq!(levels.len(), 3 + questions, "{name}: {headings:?}");
        }
    }
    // What was written reads back as written.
    let evil = files
        .iter()
        .find(|f| f.ends_with("_evil.md"))
        .expect("the ../../evil interview");
    let text = std::fs::read_to_string(out.join(evil)).expect("read");
    let plain: String = Parser::new_ext(&text, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS)
        .filter_map(|e| match e {
            Event::Text(t) => Some(t.to_string()),
            _ => None,
        })
        .collect();
    assert!(
        plain.contains("[click](https://evil.example) <img src=x onerror=alert(1)>"),
        "{plain}"
    );
    assert!(text.starts_with("---\nid: \"../../evil\"\n"), "{text}");
}

#[test]
fn csv_reads_back_cell_by_cell_with_a_strict_parser() {
    let (store, all) = store();
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("csv");
    run(
        &store,
        Format::Csv,
        &out,
        MarkFilters::default(),
        TextMode::Original,
    );
    let read = |name: &str| -> Vec<csv::StringRecord> {
        let bytes = std::fs::read(out.join(name)).expect("read");
        assert!(
            bytes.starts_with("\u{feff}".as_bytes()),
            "{name}: a byte-order mark"
        );
        let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
        assert_terminal_safe(text, name);
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(false)
            .from_reader(text.as_bytes());
        r.records().map(|x| x.expect("a valid record")).collect()
    };
    let interviews = read("interviews.csv");
    assert_eq!(&interviews[0][0], "id");
    assert_eq!(interviews.len(), all.len() + 1);
    let answers = read("answers.csv");
    let expected: usize = all.iter().map(|d| d.question_answers.len()).sum();
    assert_eq!(answers.len(), expected + 1);
    for (row, d) in interviews[1..].iter().zip(&all) {
        assert_eq!(row.len(), 15);
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula reaches the spreadsheet: {cell:?}"
            );
        }
        let i = &d.interview;
        assert_eq!(&row[0], i.id.trim_start_matches(['=', '+', '-', '@']));
        let want = uj::export::spreadsheet_safe(i.headline.as_deref().unwrap_or(""));
        assert_eq!(&row[8], want, "headline of {}", i.id);
    }
    let by_id = |id: &str| {
        interviews
            .iter()
            .find(|r| &r[0] == id)
            .expect("row")
            .clone()
    };
    assert_eq!(&by_id("formula-1")[8], "'=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(&by_id("formula-3")[8], "'-2+3");
    assert_eq!(&by_id("formula-5")[8], "'    TAB");
    assert_eq!(&by_id("formula-6")[8], "'\nCR first");
    assert_eq!(by_id("huge")[8].len(), 1 << 20, "nothing is cut");
    let first = by_id(&all[1].interview.id);
    assert_eq!(
        (&first[11], &first[12], &first[13]),
        ("true", "true", "coupon, pix")
    );
    let answer = answers
        .iter()
        .find(|r| &r[0] == "formula-2")
        .expect("answer row");
    assert_eq!(&answer[3], "1");
    assert_eq!(&answer[6], "'+1+1");
    assert_eq!(&answer[7], "01:05", "time of the quoted message");
}

#[test]
fn json_lines_carry_the_objects_and_their_marks() {
    let (store, all) = store();
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("all.jsonl");
    run(
        &store,
        Format::Jsonl,
        &out,
        MarkFilters::default(),
        TextMode::Original,
    );
    let text = std::fs::read_to_string(&out).expect("read");
    assert_terminal_safe(&text, "jsonl");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), all.len());
    for (v, d) in lines.iter().zip(&all) {
        assert_eq!(v["id"], d.interview.id.as_str());
        let back: InterviewDetail = serde_json::from_value(v.clone()).expect("an interview");
        assert_eq!(back.transcript, d.transcript);
        assert!(v["marks"].is_object());
    }
    let escapes = lines.iter().find(|v| v["id"] == "escapes").expect("line");
    assert_eq!(escapes["marks"]["starred"], true);
    assert_eq!(
        escapes["transcript"][1]["message"],
        "\u{1b}]52;c;aGk=\u{7}\u{1b}[2J bidi \u{202e}reversed\u{202c} nul\0"
    );
}

#[test]
fn a_snapshot_export_opens_with_the_same_interviews_and_texts() {
    let (store, all) = store();
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("snap");
    run(
        &store,
        Format::Snapshot,
        &out,
        MarkFilters::default(),
        TextMode::Original,
    );
    let snap = SnapshotSource::open(&out).expect("opens as a snapshot");
    assert_eq!(snap.studies()[0].id, STUDY);
    let back = snap.interviews_of(STUDY);
    assert_eq!(back.len(), all.len());
    for (b, d) in back.iter().zip(&all) {
        assert_eq!(b.interview.id, d.interview.id);
        assert_eq!(b.transcript, d.transcript);
        assert_eq!(b.question_answers, d.question_answers);
    }
}

#[test]
fn marks_filters_and_translation() {
    let (store, all) = store();
    let dir = tempfile::tempdir().expect("tmp");
    let reviewed = MarkFilters {
        reviewed: Some(true),
        ..MarkFilters::default()
    };
    assert_eq!(
        run(
            &store,
            Format::Jsonl,
            &dir.path().join("r"),
            reviewed,
            TextMode::Original
        ),
        2
    );
    let unreviewed = MarkFilters {
        reviewed: Some(false),
        ..MarkFilters::default()
    };
    assert_eq!(
        run(
            &store,
            Format::Jsonl,
            &dir.path().join("u"),
            unreviewed,
            TextMode::Original
        ),
        all.len() - 2
    );
    let starred = MarkFilters {
        starred: true,
        ..MarkFilters::default()
    };
    assert_eq!(
        run(
            &store,
            Format::Jsonl,
            &dir.path().join("s"),
            starred,
            TextMode::Original
        ),
        2
    );
    let tagged = MarkFilters {
        tag: Some("PIX".into()),
        ..MarkFilters::default()
    };
    assert_eq!(
        run(
            &store,
            Format::Jsonl,
            &dir.path().join("t"),
            tagged,
            TextMode::Original
        ),
        1
    );

    // --translated: English where a translation exists.
    let out = dir.path().join("en");
    run(
        &store,
        Format::Markdown,
        &out,
        MarkFilters::default(),
        TextMode::English,
    );
    let ja = all
        .iter()
        .find(|d| d.interview.language.as_deref() == Some("ja"))
        .expect("a Japanese interview");
    let name = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .find(|n| n.contains(&ja.interview.id[..8]))
        .expect("its file");
    let text = std::fs::read_to_string(out.join(name)).expect("read");
    let english = ja.transcript[0].translated.as_deref().expect("English");
    assert!(text.contains("Transcript — English"), "{text}");
    assert!(
        text.contains(&uj::export::escape_markdown(english)),
        "{text}"
    );
    assert!(!text.contains(ja.transcript[0].message.as_deref().expect("original")));

    // --text both: the English under each original.
    let out = dir.path().join("both");
    run(
        &store,
        Format::Markdown,
        &out,
        MarkFilters::default(),
        TextMode::Both,
    );
    let name = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .find(|n| n.contains(&ja.interview.id[..8]))
        .expect("its file");
    let text = std::fs::read_to_string(out.join(name)).expect("read");
    let original = ja.transcript[0].message.as_deref().expect("original");
    assert!(
        text.contains(&uj::export::escape_markdown(original)),
        "{text}"
    );
    assert!(
        text.contains(&format!("↳ {}", uj::export::escape_markdown(english))),
        "{text}"
    );
}

/// `uj show --format markdown` prints the same escaped Markdown.
#[test]
fn show_markdown_is_escaped_like_the_export() {
    for (id, text) in hostile_texts() {
        // The user's marks carry the hostile text too (tags, note).
        let marks = uj::store::Marks {
            reviewed: true,
            starred: true,
            tags: vec![text.clone()],
            note: text.clone(),
        };
        let md = uj::export::interview_markdown(&hostile(id, &text), Some(&marks), TextMode::Both);
        assert_terminal_safe(&md, id);
        for event in Parser::new(&md) {
            match event {
                Event::Html(h) | Event::InlineHtml(h) => panic!("{id}: HTML {h:?}"),
                Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::List(_)) => {
                    panic!("{id}: {event:?}")
                }
                _ => {}
            }
        }
    }
}
