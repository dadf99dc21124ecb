//! The coding commands as a script runs them: `uj highlights add`, `uj
//! codes`, `uj highlights`, `uj matrix`, `uj report` and `uj export
//! --format qdpx`, over a stored study with CJK, emoji and hostile text.

mod support;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::KEY;
use uj::api::SnapshotSource;
use uj::store::{Store, database_path};

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
const NOWHERE: &str = "http://127.0.0.1:9/api/v1";
const HOSTILE: &str = "# [link](http://evil.example) <b>x</b> `code` \u{1b}[31mred";
/// A code's name cannot hold a control character; the rest is allowed.
const HOSTILE_CODE: &str = "# [link](http://evil.example) <b>x</b> `code`";

/// A home whose store holds the main study, with one message made of
/// emoji and CJK and one of hostile text.
fn home() -> (tempfile::TempDir, Vec<String>) {
    let home = tempfile::tempdir().expect("tmp");
    let data = home.path().join(".local").join("share").join("uj");
    let mut store =
        Store::open(&database_path(&data, &NOWHERE.parse().expect("url"))).expect("store");
    let demo = SnapshotSource::demo().expect("demo");
    store.put_study_detail(&demo.studies()[0]).expect("study");
    let mut all = demo.interviews_of(MAIN).to_vec();
    all[0].transcript[1].message = Some("頼んだ 🍕🍕 が冷めていた、でも 👍🏽 配達は速い".into());
    all[1].transcript[1].message = Some(HOSTILE.into());
    support::store_whole_study(&mut store, MAIN, &all);
    let ids = all.iter().map(|d| d.interview.id.clone()).collect();
    (home, ids)
}

fn uj(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_uj"))
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("USERJOURNEYS_API_KEY", KEY)
        .env("USERJOURNEYS_BASE_URL", NOWHERE)
        .env("UJ_STUDY", MAIN)
        .env("TZ", "UTC")
        .arg("--offline")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Codes four passages: a part of the emoji message, the hostile one
/// whole (with a hostile code and comment), and two more.
fn coded(home: &Path, ids: &[String]) {
    ok(uj(
        home,
        &[
            "highlights",
            "add",
            "--interview",
            &ids[0],
            "--message",
            "2",
            "--code",
            "Food",
            "--start",
            "4",
            "--end",
            "10",
        ],
    ));
    ok(uj(
        home,
        &[
            "highlights",
            "add",
            "--interview",
            &ids[1],
            "--message",
            "2",
            "--code",
            HOSTILE_CODE,
            "--code",
            "Food",
            "--comment",
            HOSTILE,
        ],
    ));
    ok(uj(
        home,
        &[
            "highlights",
            "add",
            "--interview",
            &ids[2],
            "--message",
            "3",
            "--code",
            "Speed",
        ],
    ));
    ok(uj(
        home,
        &[
            "highlights",
            "add",
            "--interview",
            &ids[3],
            "--message",
            "4",
            "--code",
            "Speed",
        ],
    ));
}

fn highlights(home: &Path) -> Vec<Value> {
    ok(uj(home, &["highlights", "--format", "json"]))
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect()
}

#[test]
fn a_trimmed_part_is_stored_with_its_offsets_and_codes_nest() {
    let (home, ids) = home();
    coded(home.path(), &ids);
    let all = highlights(home.path());
    assert_eq!(all.len(), 4);
    let emoji = all
        .iter()
        .find(|h| h["interview_id"] == ids[0].as_str())
        .expect("emoji one");
    // Characters, not bytes: 🍕🍕 are two, 👍🏽 would be two as well.
    assert_eq!(emoji["quote"], "🍕🍕 が冷め");
    assert_eq!(
        (emoji["start"].as_u64(), emoji["end"].as_u64()),
        (Some(4), Some(10))
    );

    // A part outside the message is refused, naming the bounds.
    let out = uj(
        home.path(),
        &[
            "highlights",
            "add",
            "--interview",
            &ids[0],
            "--message",
            "2",
            "--code",
            "X",
            "--start",
            "5",
            "--end",
            "500",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("characters"));

    ok(uj(
        home.path(),
        &["codes", "move", "Speed", "--parent", "Food"],
    ));
    let list = ok(uj(home.path(), &["codes", "list", "--json"]));
    let codes: Vec<Value> = list
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let food = codes.iter().find(|c| c["name"] == "Food").expect("food");
    assert_eq!(
        (food["highlights"].as_u64(), food["interviews"].as_u64()),
        (Some(4), Some(4))
    );
    let speed = codes.iter().find(|c| c["name"] == "Speed").expect("speed");
    assert_eq!(
        (speed["parent"].as_str(), speed["depth"].as_u64()),
        (Some("Food"), Some(1))
    );
    // --code takes in the codes beneath.
    let food_only = ok(uj(
        home.path(),
        &["highlights", "--code", "food", "--format", "json"],
    ));
    assert_eq!(food_only.lines().count(), 4);

    // Delete asks; off a terminal it needs --yes and deletes nothing.
    let out = uj(home.path(), &["codes", "delete", "Speed"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 highlights would lose it"));
    assert_eq!(highlights(home.path()).len(), 4);
    ok(uj(home.path(), &["codes", "delete", "Speed", "--yes"]));
    assert_eq!(
        highlights(home.path()).len(),
        2,
        "highlights left with no code go"
    );
    ok(uj(home.path(), &["codes", "rename", "Food", "Meals"]));
    ok(uj(home.path(), &["codes", "merge", HOSTILE_CODE, "Meals"]));
    let left = highlights(home.path());
    assert!(
        left.iter()
            .all(|h| h["codes"] == serde_json::json!(["Meals"])),
        "{left:?}"
    );
}

#[test]
fn hostile_text_stays_inert_in_every_format() {
    let (home, ids) = home();
    coded(home.path(), &ids);
    for format in ["text", "markdown", "csv"] {
        let out = ok(uj(home.path(), &["highlights", "--format", format]));
        assert!(
            !out.contains('\u{1b}'),
            "{format}: an escape reached the output"
        );
    }
    let csv = ok(uj(home.path(), &["highlights", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 4, "one row per quote");
    let hostile = rows
        .iter()
        .find(|r| r[1] == *ids[1])
        .expect("the hostile row");
    assert!(
        hostile[12].contains("Food") && hostile[12].contains("[link]"),
        "every code: {hostile:?}"
    );
    let text = ok(uj(home.path(), &["matrix"]));
    assert!(!text.contains('\u{1b}'));

    // The report: only our headings; no link, HTML or code from respondents.
    let report = ok(uj(
        home.path(),
        &["report", "--out", "-", "--quotes-per-code", "10"],
    ));
    use pulldown_cmark::{Event, Parser, Tag};
    let mut headings = 0;
    for event in Parser::new(&report) {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                panic!("respondent text made markup: {report}")
            }
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h} in {report}"),
            Event::Code(c) => panic!("code span {c} in {report}"),
            Event::Start(Tag::Heading { .. }) => headings += 1,
            _ => {}
        }
    }
    // The study, two sections, three codes, the appendix.
    assert_eq!(headings, 7, "{report}");
    assert!(
        report.contains("In 2 interviews (50% of those coded)"),
        "{report}"
    );
    assert!(report.contains("— Respondent,") || report.contains("— Interviewer,"));
}

#[test]
fn the_matrix_counts_interviews_and_the_interview_table_is_zero_one() {
    let (home, ids) = home();
    coded(home.path(), &ids);
    // Two highlights of one code in one interview count once.
    ok(uj(
        home.path(),
        &[
            "highlights",
            "add",
            "--interview",
            &ids[2],
            "--message",
            "5",
            "--code",
            "Speed",
        ],
    ));
    let json: Value =
        serde_json::from_str(&ok(uj(home.path(), &["matrix", "--format", "json"]))).expect("json");
    let speed = json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["code"] == "Speed")
        .expect("speed");
    let total: u64 = speed["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| c.as_u64().unwrap_or(0))
        .sum();
    assert_eq!(total, 2);
    let columns: u64 = json["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["interviews"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        columns as usize,
        ids.len(),
        "every interview is in one quality column"
    );
    let table = ok(uj(
        home.path(),
        &["matrix", "--by", "interview", "--format", "csv"],
    ));
    let mut reader = csv::Reader::from_reader(table.as_bytes());
    let head = reader.headers().expect("head").clone();
    assert_eq!(head.len(), ids.len() + 1);
    for row in reader.records() {
        let row = row.expect("row");
        assert!(row.iter().skip(1).all(|c| c == "0" || c == "1"), "{row:?}");
    }
}

/// What a QDPX holds: the project XML and each source's text by GUID.
fn unzip(path: &Path) -> (String, HashMap<String, String>) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    let mut project = String::new();
    let mut sources = HashMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("entry");
        let name = f.name().expect("name").to_string();
        let mut text = String::new();
        f.read_to_string(&mut text).expect("utf-8");
        if name == "project.qde" {
            project = text;
        } else if let Some(guid) = name
            .strip_prefix("sources/")
            .and_then(|n| n.strip_suffix(".txt"))
        {
            sources.insert(guid.to_string(), text);
        }
    }
    (project, sources)
}

/// Each selection's source GUID, GUID, start and end.
fn selections(project: &str) -> Vec<(String, String, usize, usize)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(project);
    let mut source = String::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("xml") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| a.value.to_string())
                        .unwrap_or_default()
                };
                match e.name().as_ref() {
                    "TextSource" => source = attr("guid"),
                    "PlainTextSelection" => out.push((
                        source.clone(),
                        attr("guid"),
                        attr("startPosition").parse().expect("start"),
                        attr("endPosition").parse().expect("end"),
                    )),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn a_qdpx_validates_and_each_quote_is_at_its_positions() {
    let (home, ids) = home();
    coded(home.path(), &ids);
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("study.qdpx");
    ok(uj(
        home.path(),
        &[
            "export",
            "--format",
            "qdpx",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    ));
    let (project, sources) = unzip(&out);
    assert_eq!(sources.len(), ids.len(), "one source per interview");
    let quotes: HashMap<String, String> = highlights(home.path())
        .into_iter()
        .map(|h| {
            (
                h["id"].as_str().expect("id").to_string(),
                h["quote"].as_str().expect("quote").to_string(),
            )
        })
        .collect();
    let found = selections(&project);
    assert_eq!(found.len(), 4, "{project}");
    for (source, guid, start, end) in &found {
        let text = &sources[source];
        let part: String = text.chars().skip(*start).take(end - start).collect();
        // Controls are written as spaces, one for one.
        let expected: String = quotes[guid]
            .chars()
            .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
            .collect();
        assert_eq!(part, expected, "selection {guid}");
    }
    assert!(project.contains("<Code ") && project.contains("<Case ") && project.contains("<User "));

    if !support::has("xmllint", "libxml2-utils") {
        return;
    }
    let qde = dir.path().join("project.qde");
    std::fs::write(&qde, &project).expect("write");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/Project.xsd");
    let check = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(&qde)
        .output()
        .expect("xmllint runs");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn a_code_of_a_whole_interview_selects_its_whole_text_in_qdpx() {
    let (home, ids) = home();
    let data = home.path().join(".local").join("share").join("uj");
    let mut store =
        Store::open(&database_path(&data, &NOWHERE.parse().expect("url"))).expect("store");
    let query = uj::store::ListQuery {
        filter: uj::store::query::parse("ref:none").filter,
        ..uj::store::ListQuery::from(uj::api::InterviewFilters::for_study(MAIN))
    };
    // No interview has that reference: nothing coded, one step anyway.
    let none = store.bulk_code(&query, "Whole").expect("bulk");
    assert!(none.after.highlights.is_empty());
    let all = uj::store::ListQuery::from(uj::api::InterviewFilters::for_study(MAIN));
    store.bulk_code(&all, "Whole").expect("bulk");
    drop(store);
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("whole.qdpx");
    ok(uj(
        home.path(),
        &[
            "export",
            "--format",
            "qdpx",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    ));
    let (project, sources) = unzip(&out);
    let found = selections(&project);
    assert_eq!(found.len(), ids.len(), "one selection per interview");
    for (source, _, start, end) in found {
        assert_eq!((start, end), (0, sources[&source].chars().count()));
    }
}
