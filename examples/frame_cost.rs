//! Draws 100 full frames of the transcript pane (or the list) for a given
//! size, inside one function, so `valgrind --tool=callgrind
//! --toggle-collect=frame_cost::draw_frames` counts the instructions of the
//! frames alone — a figure that, unlike wall time, does not move with the
//! machine's load. Used by BENCHMARKS.md:
//!
//! ```sh
//! cargo build --release --example frame_cost
//! valgrind --tool=callgrind --toggle-collect='frame_cost::draw_frames' \
//!     target/release/examples/frame_cost transcript 50000
//! ```

#[path = "../benches/support.rs"]
mod support;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use uj::app::State;
use uj::app::state::Pane;
use uj::present::TextMode;
use uj::ui::view;

#[inline(never)]
fn draw_frames(terminal: &mut Terminal<TestBackend>, state: &State) {
    for _ in 0..100 {
        terminal.clear().expect("clear");
        terminal.draw(|f| view(f, state)).expect("draw");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map_or("transcript", String::as_str);
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(50);
    let mut state = if what == "list" {
        let mut s = support::state(support::rows(n), None, TextMode::Original);
        s.list.selected = n / 2;
        uj::app::update(&mut s, uj::app::Msg::Tick);
        s
    } else {
        let mut s = support::state(support::rows(1), Some(support::detail(n)), TextMode::Both);
        s.focus = Pane::Transcript;
        s.transcript.scroll = s
            .transcript
            .wrapped
            .as_ref()
            .map_or(0, |w| w.lines.len() / 2);
        s
    };
    state.spinner = 0;
    let mut terminal = support::terminal();
    draw_frames(&mut terminal, &state);
}
