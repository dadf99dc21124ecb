//! The scriptable commands, run as a user or a script would run them.

mod support;

use assert_cmd::Command;
use serde_json::{Value, json};
use support::KEY;
use support::standin::StandIn;
use uj::api::SnapshotSource;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

/// `uj` with a clean environment: no key, no config, UTC.
fn uj(home: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("uj").expect("binary");
    cmd.env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("TZ", "UTC")
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf8"),
        stderr: String::from_utf8(out.stderr).expect("utf8"),
    }
}

/// The `id` of each JSON line.
fn ids_of(json_lines: &str) -> Vec<String> {
    json_lines
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json")["id"]
                .as_str()
                .expect("id")
                .to_string()
        })
        .collect()
}

fn demo_ids(pred: impl Fn(&Value) -> bool) -> Vec<String> {
    let demo = SnapshotSource::demo().expect("demo");
    demo.interviews_of(MAIN)
        .iter()
        .map(|d| serde_json::to_value(d).expect("json"))
        .filter(|v| pred(v))
        .map(|v| v["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn studies_in_text_and_json() {
    let home = tempfile::tempdir().expect("tmp");
    let r = run(uj(&home).args(["--demo", "studies"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 4);
    assert!(r.stdout.contains("Checkout and payment experience"));
    let r = run(uj(&home).args(["studies", "--json", "--demo"]));
    for line in r.stdout.lines() {
        let v: Value = serde_json::from_str(line).expect("one JSON object per line");
        assert_eq!(v["object"], "study");
    }
}

#[test]
fn interviews_all_limit_and_filters() {
    let home = tempfile::tempdir().expect("tmp");
    let all = run(uj(&home).args(["--demo", "interviews", "--study", MAIN, "--all", "--json"]));
    assert_eq!(all.code, 0, "{}", all.stderr);
    let ids = ids_of(&all.stdout);
    assert_eq!(ids, demo_ids(|_| true));

    let five = run(uj(&home).args(["--demo", "interviews", "--study", MAIN, "--limit", "5"]));
    assert_eq!(five.stdout.lines().count(), 5);
    assert!(
        five.stderr.contains("5 shown; there are more"),
        "{}",
        five.stderr
    );

    let default = run(uj(&home).args(["--demo", "interviews", "--study", MAIN]));
    assert_eq!(default.stdout.lines().count(), 50, "page_size by default");

    let started = run(uj(&home).args([
        "--demo",
        "interviews",
        "--study",
        MAIN,
        "--status",
        "started",
        "--all",
    ]));
    assert_eq!(
        started.stdout.lines().count(),
        demo_ids(|v| v["status"] == "started").len()
    );
    assert!(started.stdout.lines().all(|l| l.contains(" started ")));

    let q = run(uj(&home).args([
        "--demo",
        "interviews",
        "--study",
        MAIN,
        "--quality",
        "unsuccessful",
        "--all",
    ]));
    assert_eq!(
        q.stdout.lines().count(),
        demo_ids(|v| v["quality_score"] == "unsuccessful").len()
    );
}

#[test]
fn interview_rows_are_aligned_by_display_width() {
    let home = tempfile::tempdir().expect("tmp");
    let r = run(uj(&home).args(["--demo", "interviews", "--study", MAIN, "--all"]));
    // Every column before the headline starts at the same display column.
    let prefix_widths: std::collections::HashSet<usize> = r
        .stdout
        .lines()
        .map(|l| {
            let cut = l
                .char_indices()
                .nth(36 + 2 + 10 + 2 + 12 + 2 + 5 + 2 + 7 + 2 + 16 + 2 + 16 + 2)
                .map_or(l.len(), |(i, _)| i);
            uj::text::width(&l[..cut])
        })
        .collect();
    assert_eq!(prefix_widths.len(), 1, "{prefix_widths:?}");
    let dated = r
        .stdout
        .lines()
        .find(|l| l.contains("2026-11-"))
        .expect("local dates");
    assert!(dated.contains(":"), "{dated}");
}

#[test]
fn show_in_every_format() {
    let home = tempfile::tempdir().expect("tmp");
    let demo = SnapshotSource::demo().expect("demo");
    let es = demo
        .interviews_of(MAIN)
        .iter()
        .find(|d| d.interview.language.as_deref() == Some("es") && !d.question_answers.is_empty())
        .expect("a Spanish interview");
    let id = es.interview.id.as_str();

    let text = run(uj(&home).args(["--demo", "show", id]));
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("Transcript — original (es)"));
    assert!(
        text.stdout
            .contains("00:00  Interviewer  Gracias por acompañarme hoy.")
    );
    assert!(
        text.stdout
            .contains("\nAnswers\n1. What was your first impression of the new checkout?")
    );

    let english = run(uj(&home).args(["--demo", "show", id, "--translated"]));
    assert!(english.stdout.contains("Transcript — English"));
    assert!(
        english
            .stdout
            .contains("00:00  Interviewer  Thank you for joining me today.")
    );
    // The answers' excerpts read in English too: each is the English of
    // the message it quotes, not the Spanish quote.
    let (_, answers) = english.stdout.split_once("\nAnswers\n").expect("answers");
    let excerpts: Vec<&str> = answers
        .lines()
        .filter_map(|l| l.strip_prefix("   > ")?.split_once(": ").map(|(_, t)| t))
        .collect();
    assert!(!excerpts.is_empty(), "{answers}");
    for qa in &es.question_answers {
        for e in &qa.answer_excerpt {
            let quote = e.message.as_deref().unwrap_or("");
            let english = es
                .quoted_message(quote)
                .and_then(|k| es.transcript[k].translated.clone())
                .expect("the demo's excerpts quote translated messages");
            assert!(
                excerpts.contains(&english.trim()),
                "{english} in {excerpts:?}"
            );
            assert!(!excerpts.contains(&quote.trim()), "{quote}");
        }
    }
    // --text english is the same as the alias; --text both puts the
    // English under each original.
    let named = run(uj(&home).args(["--demo", "show", id, "--text", "english"]));
    assert_eq!(named.stdout, english.stdout);
    let both = run(uj(&home).args(["--demo", "show", id, "--text", "both"]));
    assert!(
        both.stdout
            .contains("00:00  Interviewer  Gracias por acompañarme hoy.")
            && both.stdout.contains("↳ Thank you for joining me today."),
        "{}",
        both.stdout
    );
    assert!(
        both.stdout.contains("     ↳ "),
        "excerpts too: {}",
        both.stdout
    );

    let md = run(uj(&home).args(["--demo", "show", id, "--format", "markdown"]));
    assert!(md.stdout.starts_with("# "));
    assert!(md.stdout.contains("## Transcript — original (es)"));
    assert!(md.stdout.contains("**00:00 Interviewer:** Gracias"));
    assert!(md.stdout.contains("### 1. What was your first impression"));

    let json = run(uj(&home).args(["--demo", "show", id, "--format", "json"]));
    assert_eq!(json.stdout.lines().count(), 1);
    let mut v: Value = serde_json::from_str(&json.stdout).expect("json");
    // The user's marks ride beside the API's object, as in `uj export
    // --format jsonl`.
    let marks = v
        .as_object_mut()
        .and_then(|o| o.remove("marks"))
        .expect("marks");
    assert_eq!(marks["tags"], serde_json::json!([]));
    assert_eq!(
        v,
        serde_json::to_value(es).expect("json"),
        "the API's JSON, re-encoded"
    );
}

#[test]
fn long_interviews_show_hours() {
    let home = tempfile::tempdir().expect("tmp");
    let demo = SnapshotSource::demo().expect("demo");
    let long = demo
        .interviews_of(MAIN)
        .iter()
        .find(|d| d.interview.duration_secs.unwrap_or(0.0) > 3600.0)
        .expect("an interview past an hour");
    let r = run(uj(&home).args(["--demo", "show", &long.interview.id]));
    assert!(
        r.stdout.lines().any(|l| l.starts_with("1:0")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Duration   1:"), "{}", r.stdout);
}

#[test]
fn exit_codes_and_one_line_errors() {
    let home = tempfile::tempdir().expect("tmp");
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, i32, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["studies"],
            vec![],
            2,
            "no API key is configured: set USERJOURNEYS_API_KEY",
        ),
        (
            vec!["--demo", "interviews"],
            vec![],
            2,
            "no study given: pass --study ID",
        ),
        (
            vec!["--demo", "show", "nope"],
            vec![],
            1,
            "interview nope was not found",
        ),
        (
            vec!["studies"],
            vec![
                ("USERJOURNEYS_API_KEY", KEY),
                ("USERJOURNEYS_BASE_URL", "http://example.com/api/v1"),
            ],
            2,
            "plain http to a host that is not loopback",
        ),
        (
            vec!["--demo", "show", "x", "--format", "pdf"],
            vec![],
            2,
            "invalid value 'pdf'",
        ),
        (
            vec!["--snapshot", "/no/such/dir", "studies"],
            vec![],
            2,
            "could not be read",
        ),
        (
            vec!["--demo", "interviews", "--study", MAIN, "--limit", "0"],
            vec![],
            2,
            "invalid value '0'",
        ),
    ];
    for (args, env, code, message) in cases {
        let mut cmd = uj(&home);
        cmd.args(&args).envs(env);
        let r = run(&mut cmd);
        assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains(KEY));
    }
}

#[test]
fn against_the_stand_in_server() {
    let home = tempfile::tempdir().expect("tmp");
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let with = |key: &str| {
        let mut cmd = uj(&home);
        cmd.env("USERJOURNEYS_API_KEY", key)
            .env("USERJOURNEYS_BASE_URL", server.base_url());
        cmd
    };
    let all = run(with(KEY).args(["interviews", "--study", MAIN, "--all"]));
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert_eq!(all.stdout.lines().count(), demo_ids(|_| true).len());
    let interview_pages = server
        .requests()
        .iter()
        .filter(|r| r.starts_with("/interviews?"))
        .count();
    assert_eq!(interview_pages, 3, "pages of 100");
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.contains("limit=") || r.contains("limit=100"))
    );

    let wrong = run(with("uj_live_wrong_canary").args(["studies"]));
    assert_eq!(wrong.code, 1);
    assert_eq!(wrong.stderr.lines().count(), 1, "{}", wrong.stderr);
    assert!(
        wrong
            .stderr
            .contains("the API refused the key (HTTP 401: Invalid API key)"),
        "{}",
        wrong.stderr
    );
    assert!(!wrong.stderr.contains("canary"));

    let show = run(with(KEY).args(["show", &demo_ids(|_| true)[20], "--format", "json"]));
    assert_eq!(show.code, 0, "{}", show.stderr);
}

#[test]
fn key_command_and_config_file() {
    let home = tempfile::tempdir().expect("tmp");
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let dir = home.path().join("config").join("uj");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("config.toml"),
        format!("api_key_command = \"printf '%s\\\\n' {KEY}\"\nbase_url = \"{}\"\ndefault_study = \"{MAIN}\"\npage_size = 7\n", server.base_url()),
    )
    .expect("write");
    let r = run(uj(&home).args(["interviews"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 7);
}

#[test]
fn hostile_text_is_sanitised_in_text_and_markdown_and_escaped_in_json() {
    let home = tempfile::tempdir().expect("tmp");
    let dir = tempfile::tempdir().expect("tmp");
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31mred\rOVER\u{202e}txt.exe\tTAB";
    std::fs::write(
        dir.path().join("studies.json"),
        json!([{"id": "s", "name": evil, "questions": [{"text": evil}]}]).to_string(),
    )
    .expect("write");
    let interview = json!({
        "id": "i1", "study_id": "s", "status": "hacked\u{1b}[5m", "quality_score": null, "language": "xx",
        "headline": evil, "summary": evil, "reference_id": evil, "respondent_email": evil,
        "transcript": [{"role": "wizard\u{1b}[1m", "message": evil, "translated": evil, "time_in_call_secs": -3}],
        "question_answers": [{"question_index": 0, "question_text": evil, "answer_summary": evil, "answer_excerpt": [{"role": "user", "message": evil}]}]
    });
    std::fs::write(
        dir.path().join("interviews.jsonl"),
        format!("{interview}\n"),
    )
    .expect("write");
    let snapshot = dir.path().to_str().expect("utf8");
    for args in [
        vec!["--snapshot", snapshot, "studies"],
        vec!["--snapshot", snapshot, "interviews", "--study", "s"],
        vec!["--snapshot", snapshot, "show", "i1"],
        vec![
            "--snapshot",
            snapshot,
            "show",
            "i1",
            "--translated",
            "--format",
            "markdown",
        ],
        vec!["--snapshot", snapshot, "show", "i1", "--format", "json"],
        vec![
            "--snapshot",
            snapshot,
            "interviews",
            "--study",
            "s",
            "--json",
        ],
    ] {
        let r = run(uj(&home).args(&args));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        let bad: Vec<char> = r
            .stdout
            .chars()
            .filter(|c| (c.is_control() && *c != '\n') || ('\u{202a}'..='\u{202e}').contains(c))
            .collect();
        assert!(bad.is_empty(), "{args:?} printed {bad:?}");
        assert!(
            r.stdout.contains("pwned"),
            "the text is shown, made harmless"
        );
    }
}

#[test]
fn all_pages_through_429_and_503_storms_exactly_once() {
    use support::standin::Fault;
    let home = tempfile::tempdir().expect("tmp");
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    server.fail_every(
        2,
        Fault::Status {
            status: 503,
            body: "<html>busy</html>".into(),
            retry_after: None,
        },
    );
    server.push_faults([Fault::Status {
        status: 429,
        body: String::new(),
        retry_after: Some("1".into()),
    }]);
    let r = run(uj(&home)
        .env("USERJOURNEYS_API_KEY", KEY)
        .env("USERJOURNEYS_BASE_URL", server.base_url())
        .args(["interviews", "--study", MAIN, "--all", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids = ids_of(&r.stdout);
    assert_eq!(
        ids,
        demo_ids(|_| true),
        "every interview exactly once, in order"
    );
    assert!(
        server.requests().len() >= 6,
        "faults were injected: {:?}",
        server.requests()
    );
}

#[test]
fn the_old_offline_dir_says_what_it_became() {
    let home = tempfile::tempdir().expect("tmp");
    let dir = home.path().to_str().expect("utf8");
    let r = run(uj(&home).args(["--offline", dir, "studies"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`--offline DIR` is now `--snapshot DIR`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    use std::io::{BufRead, BufReader};
    let home = tempfile::tempdir().expect("tmp");
    // JSON Lines of every interview: far more than a pipe holds.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_uj"))
        .env_clear()
        .env("HOME", home.path())
        .args(["--demo", "interviews", "--study", MAIN, "--all", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a line");
    // The reader is gone now, as `| head -1` leaves it.
    let out = child.wait_with_output().expect("wait");
    assert!(first.starts_with('{'));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_subcommands_help_lists_its_own_options_apart_from_the_global_ones() {
    let home = tempfile::tempdir().expect("tmp");
    for (sub, own) in [
        ("interviews", "--status"),
        ("export", "--format"),
        ("sync", "--concurrency"),
    ] {
        let r = run(uj(&home).args([sub, "--help"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let (mine, global) = r
            .stdout
            .split_once("Global options:")
            .unwrap_or_else(|| panic!("{sub}: no global heading in {}", r.stdout));
        assert!(mine.contains(own), "{sub}: {}", r.stdout);
        assert!(
            !mine.contains("--demo") && !mine.contains("--base-url"),
            "{sub}: {mine}"
        );
        assert!(global.contains("--demo") && global.contains("--base-url"));
        assert!(!global.contains(own), "{sub}: {global}");
    }
}

#[test]
fn show_takes_a_unique_id_prefix_and_lists_an_ambiguous_one() {
    let home = tempfile::tempdir().expect("tmp");
    let demo = SnapshotSource::demo().expect("demo");
    let ids: Vec<String> = demo
        .interviews_of(MAIN)
        .iter()
        .map(|d| d.interview.id.clone())
        .collect();
    let full = run(uj(&home).args(["--demo", "show", &ids[0]]));
    let short: String = ids[0].chars().take(8).collect();
    let by_short = run(uj(&home).args(["--demo", "show", &short]));
    assert_eq!(by_short.code, 0, "{}", by_short.stderr);
    assert_eq!(by_short.stdout, full.stdout);
    // One character is shared by several: exit 2 with the candidates.
    let first: String = ids[0].chars().take(1).collect();
    let sharing: Vec<&String> = ids.iter().filter(|i| i.starts_with(&first)).collect();
    assert!(sharing.len() > 1, "the demo has ids sharing {first}");
    let r = run(uj(&home).args(["--demo", "show", &first]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("matches more than one interview"),
        "{}",
        r.stderr
    );
    let listed: Vec<&str> = r
        .stderr
        .split(['(', ')'])
        .nth(1)
        .expect("the candidates")
        .split(", ")
        .filter(|c| *c != "…")
        .collect();
    assert!(listed.len() >= 2 && listed.len() <= 10, "{listed:?}");
    assert!(
        listed
            .iter()
            .all(|c| c.starts_with(&first) && c.len() == 36),
        "{listed:?}"
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    // What matches nothing is not found, as before.
    let r = run(uj(&home).args(["--demo", "show", "zzzz"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not found"), "{}", r.stderr);
}
