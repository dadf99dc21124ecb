//! Coding in the browser, through the real runtime on tokio's paused
//! clock: code messages through the picker (a new code, then a recent
//! one by number), see the codes under the message, undo and redo, open
//! the codebook, the board and the matrix.

mod support;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::harness::Harness;
use support::keys::{keys, press, screen_text};
use support::mirror_of;
use uj::api::SnapshotSource;
use uj::app::update::init;
use uj::app::{Msg, State};
use uj::runtime::Runtime;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

async fn started() -> Harness {
    let terminal = Terminal::new(TestBackend::new(140, 40)).expect("terminal");
    let mut state = State::new(50);
    state.width = 140;
    state.height = 40;
    state.sync.ephemeral = true;
    state.this_year = 2026;
    let mut rt = Harness::new(Runtime::new(
        terminal,
        mirror_of(SnapshotSource::demo().expect("demo"), true),
        state,
    ));
    let fx = init(&mut rt.state, Some(MAIN.to_string()));
    rt.start(fx);
    rt.settle().await;
    rt
}

fn typed(rt: &mut Harness, text: &str) {
    for c in text.chars() {
        rt.handle(Msg::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        )));
    }
}

#[tokio::test(start_paused = true)]
async fn code_undo_redo_and_the_coding_views() {
    let mut rt = started().await;
    // To the transcript, onto the second message.
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "]]");
    keys(&mut rt, "c");
    // No code yet: the picker says how one is made.
    let text = screen_text(&mut rt).await;
    assert!(text.contains("no codes yet: type a name"), "{text}");
    typed(&mut rt, "Delivery fee");
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("▍ Delivery fee"), "{text}");
    assert_eq!(rt.state.coding.undo.len(), 1);

    // The next message, by the recent code's number.
    keys(&mut rt, "]");
    keys(&mut rt, "c");
    let text = screen_text(&mut rt).await;
    assert!(text.contains("recent: 1 Delivery fee"), "{text}");
    keys(&mut rt, "1");
    let text = screen_text(&mut rt).await;
    assert_eq!(text.matches("▍ Delivery fee").count(), 2, "{text}");

    // A second code on the same message: one highlight, two codes.
    keys(&mut rt, "c");
    typed(&mut rt, "Speed");
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("▍ Delivery fee · Speed"), "{text}");

    // Undo twice, redo once.
    keys(&mut rt, "uu");
    let text = screen_text(&mut rt).await;
    assert_eq!(text.matches("▍ Delivery fee").count(), 1, "{text}");
    assert!(!text.contains("Speed"), "{text}");
    rt.handle(support::keys::ctrl('r'));
    let text = screen_text(&mut rt).await;
    assert_eq!(text.matches("▍ Delivery fee").count(), 2, "{text}");
    assert!(text.contains("redid"), "{text}");

    // The codebook lists both codes with counts; Enter opens the board.
    keys(&mut rt, "C");
    let text = screen_text(&mut rt).await;
    assert!(
        text.contains("Codebook") && text.contains("Delivery fee"),
        "{text}"
    );
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("Evidence: Delivery fee"), "{text}");
    assert_eq!(
        text.matches("— Respondent").count() + text.matches("— Interviewer").count(),
        2,
        "{text}"
    );
    press(&mut rt, KeyCode::Esc);

    // The matrix: by quality, then the next segmentation.
    keys(&mut rt, "M");
    let text = screen_text(&mut rt).await;
    assert!(text.contains("codes × quality"), "{text}");
    press(&mut rt, KeyCode::Tab);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("codes × language"), "{text}");
    press(&mut rt, KeyCode::Esc);

    // `d` removes the highlight of the current message.
    keys(&mut rt, "d");
    press(&mut rt, KeyCode::End);
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert_eq!(text.matches("▍ Delivery fee").count(), 1, "{text}");
}

/// The underlined characters of the screen, in reading order.
async fn underlined_text(rt: &mut Harness) -> String {
    screen_text(rt).await;
    let buf = rt.terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            if cell.modifier.contains(ratatui::style::Modifier::UNDERLINED) {
                out.push_str(cell.symbol());
            }
        }
    }
    out
}

#[tokio::test(start_paused = true)]
async fn hostile_code_names_and_comments_reach_no_view_raw() {
    let mut rt = started().await;
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "]]");
    // A code name cannot hold a control character: refused, said.
    keys(&mut rt, "c");
    rt.handle(Msg::Paste("evil\u{1b}[2J".into()));
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(!text.contains('\u{1b}'));
    // A pasted escape is dropped by the field; markup stays text.
    keys(&mut rt, "c");
    typed(&mut rt, "<b>[x](http://e)</b>");
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "E");
    rt.handle(Msg::Paste("\u{1b}]52;c;AAAA\u{7} note\u{202e}".into()));
    press(&mut rt, KeyCode::Enter);
    for view in ["", "C", "b", "M"] {
        keys(&mut rt, view);
        let text = screen_text(&mut rt).await;
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
            "{view}: {text}"
        );
        press(&mut rt, KeyCode::Esc);
    }
    let h = rt.state.coding.highlights[0].clone();
    assert!(!h.comment.contains('\u{1b}'), "{:?}", h.comment);
}

/// Codes the current message with `name` through the picker.
fn code_as(rt: &mut Harness, name: &str) {
    keys(rt, "c");
    typed(rt, name);
    press(rt, KeyCode::Enter);
}

/// From the transcript, back to the list, `moves` there, then into the
/// transcript of the row reached once it has arrived (after the rest).
async fn to_transcript_of(rt: &mut Harness, moves: &str) {
    press(rt, KeyCode::BackTab);
    keys(rt, moves);
    screen_text(rt).await;
    press(rt, KeyCode::Tab);
}

#[tokio::test(start_paused = true)]
async fn trim_comment_and_the_codebook_keys() {
    let mut rt = started().await;
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "]]");
    // Trim: delete from the start, keep the rest, code it.
    keys(&mut rt, "v");
    let whole = rt
        .state
        .prompt
        .as_ref()
        .map(|p| p.text.text().to_string())
        .expect("the trim field");
    for _ in 0..5 {
        press(&mut rt, KeyCode::Home);
        press(&mut rt, KeyCode::Delete);
    }
    press(&mut rt, KeyCode::Enter);
    typed(&mut rt, "Part");
    press(&mut rt, KeyCode::Enter);
    screen_text(&mut rt).await;
    let h = rt
        .state
        .coding
        .highlights
        .first()
        .cloned()
        .expect("a highlight");
    // What was kept, as typed: the part after the first five characters,
    // without the space that then leads it.
    let rest: String = whole.chars().skip(5).collect();
    let kept = rest.trim_start();
    let start = 5 + (rest.chars().count() - kept.chars().count());
    assert_eq!((h.start, h.end), (start, whole.chars().count()));
    assert_eq!(h.quote, kept);
    // The part is underlined on screen, and only the part.
    let underlined = underlined_text(&mut rt).await;
    assert!(
        !underlined.is_empty() && kept.starts_with(underlined.split(' ').next().unwrap_or("")),
        "{underlined:?}"
    );
    assert!(
        !underlined.contains(&whole.chars().take(5).collect::<String>()),
        "{underlined:?}"
    );

    // A kept part that is not one piece of the message is refused.
    keys(&mut rt, "v");
    press(&mut rt, KeyCode::End);
    typed(&mut rt, " and more");
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("one part of the message"), "{text}");
    assert_eq!(rt.state.coding.highlights.len(), 1);

    // A comment on the highlight.
    keys(&mut rt, "E");
    typed(&mut rt, "strong quote");
    press(&mut rt, KeyCode::Enter);
    screen_text(&mut rt).await;
    assert_eq!(rt.state.coding.highlights[0].comment, "strong quote");

    // Another code on the next message, then the codebook: rename,
    // merge, delete (asked first).
    keys(&mut rt, "]");
    code_as(&mut rt, "Other");
    keys(&mut rt, "C");
    screen_text(&mut rt).await;
    let names: Vec<String> = rt
        .state
        .coding
        .codebook
        .iter()
        .map(|e| e.code.name.clone())
        .collect();
    assert_eq!(names, ["Other", "Part"]);
    keys(&mut rt, "R");
    for _ in 0..5 {
        press(&mut rt, KeyCode::Backspace);
    }
    typed(&mut rt, "Else");
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("Codebook") && text.contains("Else"), "{text}");
    // Merge "Else" (now first) into "Part".
    keys(&mut rt, "m");
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("merged Else into Part"), "{text}");
    assert_eq!(rt.state.coding.codebook.len(), 1);
    keys(&mut rt, "D");
    let text = screen_text(&mut rt).await;
    assert!(text.contains("2 highlights would lose it"), "{text}");
    assert_eq!(rt.state.coding.codebook.len(), 1, "asked, not deleted");
    keys(&mut rt, "D");
    screen_text(&mut rt).await;
    assert!(rt.state.coding.codebook.is_empty());
    // And undo brings it back with its highlights.
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "u");
    screen_text(&mut rt).await;
    assert_eq!(rt.state.coding.codebook.len(), 1);
    // The counts are read when the codebook opens.
    keys(&mut rt, "C");
    let text = screen_text(&mut rt).await;
    assert_eq!(rt.state.coding.codebook[0].highlights, 2, "{text}");
}

#[tokio::test(start_paused = true)]
async fn a_code_is_set_under_another_theme_and_back_to_the_top() {
    let mut rt = started().await;
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "]]");
    code_as(&mut rt, "Speed");
    keys(&mut rt, "]");
    code_as(&mut rt, "Delivery");
    keys(&mut rt, "C");
    screen_text(&mut rt).await;
    let names = |rt: &Harness| -> Vec<(String, usize)> {
        rt.state
            .coding
            .codebook
            .iter()
            .map(|e| (e.code.name.clone(), e.depth))
            .collect()
    };
    assert_eq!(names(&rt), [("Delivery".into(), 0), ("Speed".into(), 0)]);
    // "Speed" (second) under "Delivery": the picker offers the top and
    // every other code, not the code itself.
    keys(&mut rt, "j");
    keys(&mut rt, "p");
    let uj::app::state::Overlay::Codes(picker) = &rt.state.overlay else {
        panic!("the code picker, not {:?}", rt.state.overlay);
    };
    let offered: Vec<&str> = picker.choices.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(offered, ["(the top: a theme of its own)", "Delivery"]);
    // The picker takes typed letters: arrows move in it.
    press(&mut rt, KeyCode::Down);
    press(&mut rt, KeyCode::Enter);
    screen_text(&mut rt).await;
    keys(&mut rt, "C");
    screen_text(&mut rt).await;
    assert_eq!(names(&rt), [("Delivery".into(), 0), ("Speed".into(), 1)]);
    // And back to the top.
    keys(&mut rt, "j");
    keys(&mut rt, "p");
    press(&mut rt, KeyCode::Enter);
    screen_text(&mut rt).await;
    keys(&mut rt, "C");
    screen_text(&mut rt).await;
    assert_eq!(names(&rt), [("Delivery".into(), 0), ("Speed".into(), 0)]);
}

#[tokio::test(start_paused = true)]
async fn the_board_opens_the_transcript_at_the_quote_and_the_matrix_narrows_it() {
    let mut rt = started().await;
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "]]]");
    code_as(&mut rt, "Checkout");
    // Another interview, another message.
    to_transcript_of(&mut rt, "jj").await;
    keys(&mut rt, "]]]]]");
    code_as(&mut rt, "Checkout");
    let here = rt.state.selected().map(|i| i.id.clone()).expect("row");
    let message = rt.state.transcript.highlight.expect("a current message");
    // Back to the first row, then the board: Enter on the quote of the
    // other interview takes the list and the transcript there.
    press(&mut rt, KeyCode::BackTab);
    keys(&mut rt, "g");
    screen_text(&mut rt).await;
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "C");
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("1 of 2"), "{text}");
    let target = match &rt.state.overlay {
        uj::app::state::Overlay::Board(b) => b
            .shown()
            .iter()
            .position(|e| e.highlight.interview_id == here)
            .expect("its quote"),
        _ => panic!("not the board"),
    };
    for _ in 0..target {
        keys(&mut rt, "j");
    }
    keys(&mut rt, "y");
    press(&mut rt, KeyCode::Enter);
    screen_text(&mut rt).await;
    assert_eq!(rt.state.selected().map(|i| i.id.clone()), Some(here));
    assert_eq!(rt.state.transcript.highlight, Some(message));

    // The matrix by quality: Enter on a cell opens the board of that cell.
    keys(&mut rt, "M");
    screen_text(&mut rt).await;
    let (column, count) = match &rt.state.overlay {
        uj::app::state::Overlay::Matrix(m) => match &m.matrix {
            uj::app::coding::Loadable::Ready(x) => {
                let at = x.rows[0].cells.iter().position(|n| *n > 0).expect("a cell");
                (at, x.rows[0].cells[at])
            }
            _ => panic!("not read"),
        },
        _ => panic!("not the matrix"),
    };
    for _ in 0..column {
        keys(&mut rt, "l");
    }
    press(&mut rt, KeyCode::Enter);
    screen_text(&mut rt).await;
    match &rt.state.overlay {
        uj::app::state::Overlay::Board(b) => assert_eq!(b.shown().len() as u64, count),
        _ => panic!("not the board"),
    }
}

/// The codebook, the evidence board and the matrix as drawn, at two
/// sizes (snapshots: reviewed as assertions).
#[tokio::test(start_paused = true)]
async fn the_coding_views_as_drawn() {
    let mut rt = started().await;
    // The respondent's first answer.
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "]]]");
    code_as(&mut rt, "Delivery fee");
    // The comment waits for the highlight to be stored.
    screen_text(&mut rt).await;
    keys(&mut rt, "E");
    typed(&mut rt, "the clearest of them");
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "]]");
    code_as(&mut rt, "Speed");
    // Another interview's answer to the same question, coded the same.
    to_transcript_of(&mut rt, "jj").await;
    keys(&mut rt, "]]]");
    code_as(&mut rt, "Delivery fee");
    screen_text(&mut rt).await;
    keys(&mut rt, "C");
    insta::assert_snapshot!("codebook", support::keys::screen(&mut rt).await);
    press(&mut rt, KeyCode::Enter);
    insta::assert_snapshot!("board", support::keys::screen(&mut rt).await);
    keys(&mut rt, "j");
    rt.terminal.backend_mut().resize(70, 24);
    rt.handle(Msg::Resize {
        width: 70,
        height: 24,
    });
    insta::assert_snapshot!("board_70x24", support::keys::screen(&mut rt).await);
    press(&mut rt, KeyCode::Esc);
    rt.terminal.backend_mut().resize(140, 40);
    rt.handle(Msg::Resize {
        width: 140,
        height: 40,
    });
    keys(&mut rt, "M");
    insta::assert_snapshot!("matrix", support::keys::screen(&mut rt).await);
}

/// With a find in force, an open picker's bar names the picker's keys,
/// not the find's (whose keys do not work there).
#[tokio::test(start_paused = true)]
async fn an_open_picker_names_its_own_keys_over_a_find_in_force() {
    let mut rt = started().await;
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "/");
    typed(&mut rt, "checkout");
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    let last = |t: &str| t.lines().last().unwrap_or("").to_string();
    assert!(last(&text).contains("next/previous"), "{text}");
    keys(&mut rt, "c");
    let text = screen_text(&mut rt).await;
    assert!(last(&text).contains("choose"), "{}", last(&text));
    assert!(!last(&text).contains("next/previous"), "{}", last(&text));
    // Closed, the find's line is back.
    press(&mut rt, KeyCode::Esc);
    let text = screen_text(&mut rt).await;
    assert!(last(&text).contains("next/previous"), "{text}");
}
