//! Coding in the browser, through the real runtime on tokio's paused
//! clock: code messages through the picker (a new code, then a recent
//! one by number), see the codes under the message, undo and redo, open
//! the codebook, the board and the matrix.

mod support;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::keys::{keys, press, screen_text};
use support::mirror_of;
use uj::api::SnapshotSource;
use uj::app::update::init;
use uj::app::{Msg, State};
use uj::runtime::Runtime;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

async fn started() -> Runtime<TestBackend> {
    let terminal = Terminal::new(TestBackend::new(140, 40)).expect("terminal");
    let mut state = State::new(50);
    state.width = 140;
    state.height = 40;
    state.sync.ephemeral = true;
    state.this_year = 2026;
    let mut rt = Runtime::new(
        terminal,
        mirror_of(SnapshotSource::demo().expect("demo"), true),
        state,
    );
    let fx = init(&mut rt.state, Some(MAIN.to_string()));
    rt.start(fx);
    rt.settle().await;
    rt
}

fn typed(rt: &mut Runtime<TestBackend>, text: &str) {
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
