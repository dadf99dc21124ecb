//! Frame costs: `cargo bench --bench render`. The budgets compare sizes in
//! one run (BENCHMARKS.md): a frame of a 50,000-message transcript within
//! 1.5× of a 50-message one; a list of 10,000 rows within 1.5× of 100.

#[path = "support.rs"]
mod support;

use crossterm::event::{KeyCode, KeyEvent};
use divan::Bencher;
use uj::app::detail::wrap_transcript;
use uj::app::state::Pane;
use uj::app::{Msg, update};
use uj::present::TextMode;
use uj::ui::view;

fn main() {
    divan::main();
}

/// One frame of the transcript pane (the whole screen) at 200×50, scrolled
/// to the middle.
#[divan::bench(args = [50, 5_000, 50_000])]
fn transcript_frame(bencher: Bencher, messages: usize) {
    let mut state = support::state(
        support::rows(1),
        Some(support::detail(messages)),
        TextMode::Both,
    );
    state.focus = Pane::Transcript;
    state.transcript.scroll = state
        .transcript
        .wrapped
        .as_ref()
        .map_or(0, |w| w.lines.len() / 2);
    let mut terminal = support::terminal();
    bencher.bench_local(|| {
        // Force a full frame each time: the diff would otherwise hide the cost.
        terminal.clear().expect("clear");
        terminal.draw(|f| view(f, &state)).expect("draw");
    });
}

/// One scroll step (`j` in the transcript): update + frame.
#[divan::bench(args = [50, 5_000, 50_000])]
fn transcript_scroll_step(bencher: Bencher, messages: usize) {
    let mut state = support::state(
        support::rows(1),
        Some(support::detail(messages)),
        TextMode::Original,
    );
    state.focus = Pane::Transcript;
    let mut terminal = support::terminal();
    let mut down = true;
    bencher.bench_local(|| {
        let key = if down { 'j' } else { 'k' };
        down = !down;
        update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Char(key))));
        terminal.draw(|f| view(f, &state)).expect("draw");
    });
}

/// One frame of the list at 200×50.
#[divan::bench(args = [100, 10_000])]
fn list_frame(bencher: Bencher, rows: usize) {
    let mut state = support::state(support::rows(rows), None, TextMode::Original);
    state.list.selected = rows / 2;
    update(&mut state, Msg::Tick);
    let mut terminal = support::terminal();
    bencher.bench_local(|| {
        terminal.clear().expect("clear");
        terminal.draw(|f| view(f, &state)).expect("draw");
    });
}

/// Sanitise + wrap a whole 5,000-message transcript (bytes of message text
/// per second), as happens once per (interview, width, mode).
#[divan::bench]
fn sanitize_and_wrap_5000(bencher: Bencher) {
    let detail = support::detail(5_000);
    let bytes: usize = detail
        .transcript
        .iter()
        .map(|m| m.message.as_deref().map_or(0, str::len))
        .sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench_local(|| wrap_transcript(&detail, None, 120, TextMode::Original));
}
