//! Whole-screen snapshots of the browser, driven through the real runtime
//! with a `TestBackend` on tokio's paused clock (the 150 ms rest passes at
//! once). Each snapshot was read and checked before it was accepted.

mod support;

use std::sync::Once;

use async_trait::async_trait;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use support::harness::Harness;
use support::keys::{keys, press, screen};
use support::mirror_of;
use uj::api::model::{Interview, InterviewDetail, Page, Study, StudyDetail};
use uj::api::{ApiError, InterviewFilters, SnapshotSource, Source};
use uj::app::update::init;
use uj::app::{Msg, State};
use uj::runtime::Runtime;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
const HOLIDAY: &str = "e9f0a1b2-c3d4-4e5f-a6b7-c8d9e0f1a2b3";

fn utc() {
    static ONCE: Once = Once::new();
    // SAFETY: every test calls this first and the others wait on the Once,
    // so nothing reads the environment while it is written.
    ONCE.call_once(|| unsafe { std::env::set_var("TZ", "UTC") });
}

async fn start(
    source: impl Source + 'static,
    width: u16,
    height: u16,
    study: Option<&str>,
) -> Harness {
    utc();
    let terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let mut state = State::new(50);
    state.width = width;
    state.height = height;
    state.offline_label = Some("demo".into());
    state.sync.ephemeral = true;
    // The demo's year, so dates read the same whatever year it is now.
    state.this_year = 2026;
    let mut rt = Harness::new(Runtime::new(terminal, mirror_of(source, true), state));
    let fx = init(&mut rt.state, study.map(str::to_string));
    rt.start(fx);
    rt
}

/// `start`, then wait for the first page and the first detail.
async fn started(
    source: impl Source + 'static,
    width: u16,
    height: u16,
    study: Option<&str>,
) -> Harness {
    let mut rt = start(source, width, height, study).await;
    rt.settle().await;
    rt
}

fn demo() -> SnapshotSource {
    SnapshotSource::demo().expect("demo")
}

fn resize(rt: &mut Harness, width: u16, height: u16) {
    rt.terminal.backend_mut().resize(width, height);
    rt.handle(Msg::Resize { width, height });
}

#[tokio::test(start_paused = true)]
async fn wide_loaded() {
    let mut rt = started(demo(), 160, 40, Some(MAIN)).await;
    keys(&mut rt, "jjjj");
    insta::assert_snapshot!(screen(&mut rt).await);
}

#[tokio::test(start_paused = true)]
async fn medium_loaded() {
    let mut rt = started(demo(), 100, 30, Some(MAIN)).await;
    keys(&mut rt, "jjjj");
    insta::assert_snapshot!(screen(&mut rt).await);
}

#[tokio::test(start_paused = true)]
async fn narrow_tabs_through_panes() {
    let mut rt = started(demo(), 60, 24, Some(MAIN)).await;
    keys(&mut rt, "jjjj");
    insta::assert_snapshot!("narrow_list", screen(&mut rt).await);
    press(&mut rt, KeyCode::Tab);
    insta::assert_snapshot!("narrow_transcript", screen(&mut rt).await);
    press(&mut rt, KeyCode::Tab);
    insta::assert_snapshot!("narrow_answers", screen(&mut rt).await);
}

#[tokio::test(start_paused = true)]
async fn resize_relays_out_and_too_small_is_polite() {
    let mut rt = started(demo(), 160, 40, Some(MAIN)).await;
    screen(&mut rt).await;
    resize(&mut rt, 30, 8);
    insta::assert_snapshot!("too_small", screen(&mut rt).await);
    resize(&mut rt, 80, 20);
    insta::assert_snapshot!("back_to_medium", screen(&mut rt).await);
    // No size panics (TestBackend cannot print a 0-wide screen, so only draw).
    for (w, h) in [(0, 0), (1, 1), (40, 10), (79, 10), (150, 10), (300, 100)] {
        resize(&mut rt, w, h);
        rt.settle().await;
        rt.draw().expect("draws");
    }
}

#[tokio::test(start_paused = true)]
async fn loading_before_the_first_page() {
    let mut rt = start(demo(), 100, 20, Some(MAIN)).await;
    rt.draw().expect("draws");
    insta::assert_snapshot!(rt.terminal.backend().to_string());
}

#[tokio::test(start_paused = true)]
async fn translation_modes() {
    let mut rt = started(demo(), 160, 40, Some(MAIN)).await;
    keys(&mut rt, "jjjj");
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "t");
    insta::assert_snapshot!("english", screen(&mut rt).await);
    keys(&mut rt, "T");
    insta::assert_snapshot!("both", screen(&mut rt).await);
}

#[tokio::test(start_paused = true)]
async fn empty_states() {
    let mut rt = started(demo(), 100, 16, Some(HOLIDAY)).await;
    insta::assert_snapshot!("empty_study", screen(&mut rt).await);
    // A filter on an empty study does not make it "no match".
    keys(&mut rt, "s");
    let shown = screen(&mut rt).await;
    assert!(
        shown.contains("This study has no interviews yet."),
        "{shown}"
    );
    assert!(!shown.contains("match these filters"), "{shown}");
    let mut rt = started(demo(), 100, 16, Some(MAIN)).await;
    screen(&mut rt).await;
    keys(&mut rt, "F");
    press(&mut rt, KeyCode::Tab);
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "nobody");
    insta::assert_snapshot!("filter_form", screen(&mut rt).await);
    press(&mut rt, KeyCode::Enter);
    insta::assert_snapshot!("no_match", screen(&mut rt).await);
    // The advice names the key for each filter in force.
    keys(&mut rt, "1");
    let shown = screen(&mut rt).await;
    assert!(
        shown.contains("To widen: 0 clears the quality; F clears")
            && shown.contains("the reference id; Backspace clears them"),
        "{shown}"
    );
}

#[tokio::test(start_paused = true)]
async fn overlays() {
    let mut rt = started(demo(), 100, 30, Some(MAIN)).await;
    screen(&mut rt).await;
    keys(&mut rt, "?");
    insta::assert_snapshot!("help", screen(&mut rt).await);
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "S");
    insta::assert_snapshot!("picker", screen(&mut rt).await);
}

#[tokio::test(start_paused = true)]
async fn the_study_picker_scrolls_to_its_selection() {
    // Twenty studies in a 45×12 terminal: more than the picker can show.
    let base = demo().studies()[0].clone();
    let studies: Vec<_> = (1..=20)
        .map(|n| uj::api::model::StudyDetail {
            id: format!("study-{n:02}"),
            name: Some(format!("Study number {n:02}")),
            ..base.clone()
        })
        .collect();
    let many = SnapshotSource::from_parts(studies, Vec::new());
    let mut rt = started(many, 45, 12, Some("study-01")).await;
    screen(&mut rt).await;
    keys(&mut rt, "S");
    let first = screen(&mut rt).await;
    assert!(first.contains("▶ Study number 01"), "{first}");
    keys(&mut rt, "G");
    let last = screen(&mut rt).await;
    assert!(last.contains("▶ Study number 20"), "{last}");
    assert!(!last.contains("Study number 01"), "{last}");
    keys(&mut rt, "g");
    let back = screen(&mut rt).await;
    assert!(back.contains("▶ Study number 01"), "{back}");
}

/// Started without a study, the picker does not offer to close: there is
/// nothing behind it. Once a study is open, it does.
#[tokio::test]
async fn the_picker_offers_esc_only_when_a_study_is_open() {
    let mut rt = started(demo(), 120, 34, None).await;
    let first = screen(&mut rt).await;
    assert!(first.contains("Choose a study (j/k, Enter)"), "{first}");
    assert!(!first.contains("Esc closes"), "{first}");
    assert!(!first.contains("Esc close"), "nor the hints: {first}");
    press(&mut rt, KeyCode::Enter);
    rt.settle().await;
    keys(&mut rt, "S");
    let again = screen(&mut rt).await;
    assert!(again.contains("Esc closes"), "{again}");
}

/// The API unreachable: the study picker lists the stored studies, says
/// it is offline, when each was synced, and which is open.
#[tokio::test(start_paused = true)]
async fn the_picker_lists_the_stored_studies_offline() {
    let faulty = Faulty {
        inner: demo(),
        list: false,
        detail: false,
        studies: true,
    };
    let mut rt = started(faulty, 150, 30, Some(MAIN)).await;
    screen(&mut rt).await;
    keys(&mut rt, "S");
    let shown = screen(&mut rt).await;
    assert!(shown.contains("Offline: the stored studies"), "{shown}");
    assert!(
        shown.contains("Checkout and payment experience (open)"),
        "{shown}"
    );
    assert!(shown.contains("263 interviews · synced"), "{shown}");
}

/// The demo, with some calls failing as the network would.
struct Faulty {
    inner: SnapshotSource,
    list: bool,
    detail: bool,
    studies: bool,
}

#[async_trait]
impl Source for Faulty {
    async fn list_studies(&self, c: Option<&str>, l: Option<u32>) -> Result<Page<Study>, ApiError> {
        if self.studies {
            return Err(ApiError::Network {
                detail: "connection refused".into(),
            });
        }
        self.inner.list_studies(c, l).await
    }
    async fn get_study(&self, id: &str) -> Result<StudyDetail, ApiError> {
        self.inner.get_study(id).await
    }
    async fn list_interviews(
        &self,
        f: &InterviewFilters,
        c: Option<&str>,
        l: Option<u32>,
    ) -> Result<Page<Interview>, ApiError> {
        if self.list {
            return Err(ApiError::Network {
                detail: "connection refused".into(),
            });
        }
        self.inner.list_interviews(f, c, l).await
    }
    async fn get_interview(&self, id: &str) -> Result<InterviewDetail, ApiError> {
        if self.detail {
            return Err(ApiError::Server {
                status: 503,
                message: "maintenance".into(),
            });
        }
        self.inner.get_interview(id).await
    }
}

#[tokio::test(start_paused = true)]
async fn error_states() {
    let mut rt = started(
        Faulty {
            inner: demo(),
            list: true,
            detail: false,
            studies: false,
        },
        100,
        16,
        Some(MAIN),
    )
    .await;
    insta::assert_snapshot!("list_error", screen(&mut rt).await);
    let mut rt = started(
        Faulty {
            inner: demo(),
            list: false,
            detail: true,
            studies: false,
        },
        100,
        20,
        Some(MAIN),
    )
    .await;
    keys(&mut rt, "jjjj");
    insta::assert_snapshot!("detail_error", screen(&mut rt).await);
}

#[tokio::test(start_paused = true)]
async fn cjk_emoji_and_combining_marks_wrap_by_columns() {
    let study: StudyDetail = serde_json::from_value(
        json!({"id": "s", "name": "Wrapping 文字 🧪", "questions": [{"text": "Q?"}]}),
    )
    .expect("study");
    let detail: InterviewDetail = serde_json::from_value(json!({
        "id": "i", "study_id": "s", "status": "completed", "language": "ja", "quality_score": "insightful",
        "duration_secs": 3725, "headline": "絵文字 👩‍👩‍👧‍👦 と結合文字 é (e + ◌́) のテスト",
        "transcript": [
            {"role": "agent", "message": "家族構成を教えてください。👨‍👩‍👧 のような絵文字でも構いません。", "translated": "Tell me about your family. Emoji like 👨‍👩‍👧 are fine.", "time_in_call_secs": 3599},
            {"role": "user", "message": "夫と娘が二人です 👩‍👧‍👧🏳️‍🌈 café naïve e\u{301}te\u{301} — とても長い文章で折り返しを確認します。", "translated": "My husband and two daughters.", "time_in_call_secs": 3725.5},
            {"role": "user", "message": "مرحبا بالعالم، هذا نص عربي طويل بما يكفي ليلتف على السطر التالي", "time_in_call_secs": 3800}
        ],
        "question_answers": [{"question_index": 0, "question_text": "Q?", "answer_summary": null, "answer_excerpt": []}]
    }))
    .expect("detail");
    let source = SnapshotSource::from_parts(vec![study], vec![detail]);
    let mut rt = started(source, 70, 24, Some("s")).await;
    press(&mut rt, KeyCode::Enter);
    insta::assert_snapshot!(screen(&mut rt).await);
}

#[tokio::test(start_paused = true)]
async fn run_loop_takes_a_scripted_event_stream_to_the_end() {
    use crossterm::event::{Event, KeyEventKind, KeyEventState};
    let mut rt = started(demo(), 100, 30, Some(MAIN)).await;
    let key = |c: char, kind| {
        Ok(Event::Key(KeyEvent {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::NONE,
            kind,
            state: KeyEventState::NONE,
        }))
    };
    let events = futures::stream::iter(vec![
        key('j', KeyEventKind::Press),
        // Releases are dropped, or every key would act twice.
        key('j', KeyEventKind::Release),
        key('j', KeyEventKind::Press),
        Ok(Event::Resize(120, 40)),
        key('q', KeyEventKind::Press),
        // Never read: q ended the loop.
        key('j', KeyEventKind::Press),
    ]);
    rt.run(events, |_| Ok(())).await.expect("runs to q");
    assert_eq!(rt.state.list.selected, 2);
    assert_eq!((rt.state.width, rt.state.height), (120, 40));
}

#[tokio::test(start_paused = true)]
async fn marks_on_rows_and_the_tags_prompt() {
    let mut rt = started(demo(), 160, 16, Some(MAIN)).await;
    keys(&mut rt, "x");
    keys(&mut rt, "j*");
    keys(&mut rt, "j+coupon -none pix");
    insta::assert_snapshot!("tags_prompt", screen(&mut rt).await);
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "jx*");
    insta::assert_snapshot!("marked_rows", screen(&mut rt).await);
}

#[tokio::test(start_paused = true)]
async fn the_list_narrowed_by_a_search() {
    let mut rt = started(demo(), 160, 14, Some(MAIN)).await;
    keys(&mut rt, "/クーポン");
    insta::assert_snapshot!("search_typing", screen(&mut rt).await);
    press(&mut rt, KeyCode::Enter);
    press(&mut rt, KeyCode::Enter);
    insta::assert_snapshot!("search_opened", screen(&mut rt).await);
}

#[tokio::test(start_paused = true)]
async fn the_help_scrolls_when_it_does_not_fit() {
    let mut rt = started(demo(), 70, 24, Some(MAIN)).await;
    keys(&mut rt, "?");
    insta::assert_snapshot!("help_top", screen(&mut rt).await);
    keys(&mut rt, "G");
    insta::assert_snapshot!("help_bottom", screen(&mut rt).await);
}

#[tokio::test(start_paused = true)]
async fn one_question_across_interviews_and_the_overview() {
    let mut rt = started(demo(), 160, 30, Some(MAIN)).await;
    keys(&mut rt, "Q");
    insta::assert_snapshot!("question_picker", screen(&mut rt).await);
    keys(&mut rt, "j");
    press(&mut rt, KeyCode::Enter);
    insta::assert_snapshot!("question_list", screen(&mut rt).await);
    keys(&mut rt, "o");
    insta::assert_snapshot!("overview_wide", screen(&mut rt).await);
    // Narrow, and without colour: the bars are blocks and numbers.
    rt.state.color = false;
    resize(&mut rt, 70, 30);
    insta::assert_snapshot!("overview_narrow_mono", screen(&mut rt).await);
}

/// The research screens at the medium and narrow sizes, and without colour.
#[tokio::test(start_paused = true)]
async fn research_screens_at_other_sizes_and_without_colour() {
    for (name, w, h) in [("medium", 100u16, 28u16), ("narrow", 60, 22)] {
        let mut rt = started(demo(), w, h, Some(MAIN)).await;
        rt.state.color = false;
        keys(&mut rt, "x");
        keys(&mut rt, "j*");
        keys(&mut rt, "/coupon");
        press(&mut rt, KeyCode::Enter);
        insta::assert_snapshot!(
            format!("research_search_marks_{name}"),
            screen(&mut rt).await
        );
        press(&mut rt, KeyCode::Esc);
        keys(&mut rt, "Q");
        screen(&mut rt).await; // the answers are counted
        press(&mut rt, KeyCode::Enter);
        insta::assert_snapshot!(format!("research_question_{name}"), screen(&mut rt).await);
        keys(&mut rt, "o");
        insta::assert_snapshot!(format!("research_overview_{name}"), screen(&mut rt).await);
    }
}

/// `T` in a transcript pane at least 110 columns wide: the English beside
/// each message, row against row.
#[tokio::test(start_paused = true)]
async fn both_side_by_side_in_a_wide_pane() {
    let mut rt = started(demo(), 300, 30, Some(MAIN)).await;
    keys(&mut rt, "jjjjT");
    insta::assert_snapshot!(screen(&mut rt).await);
}

/// Reading a long answer with `T` at the five sizes a newcomer tried: the
/// pane says what lies above and below, and `j` reaches into the answer.
#[tokio::test(start_paused = true)]
async fn answers_scrolled_at_five_sizes() {
    for (w, h) in [(200, 50), (120, 34), (90, 30), (70, 24), (45, 12)] {
        let mut rt = started(demo(), w, h, Some(MAIN)).await;
        keys(&mut rt, "jjjjTll");
        rt.settle().await;
        keys(&mut rt, &"j".repeat(usize::from(h / 3)));
        insta::assert_snapshot!(format!("answers_scrolled_{w}x{h}"), screen(&mut rt).await);
    }
}

const FIVE_SIZES: [(u16, u16); 5] = [(200, 50), (120, 34), (90, 30), (70, 24), (45, 12)];

/// The help, the study picker and the filter form at the five sizes a
/// newcomer tried: each fits, scrolls, or says what lies beyond.
#[tokio::test(start_paused = true)]
async fn overlays_at_five_sizes() {
    for (w, h) in FIVE_SIZES {
        let mut rt = started(demo(), w, h, Some(MAIN)).await;
        keys(&mut rt, "?");
        insta::assert_snapshot!(format!("help_{w}x{h}"), screen(&mut rt).await);
        press(&mut rt, KeyCode::Esc);
        keys(&mut rt, "S");
        insta::assert_snapshot!(format!("picker_{w}x{h}"), screen(&mut rt).await);
        press(&mut rt, KeyCode::Esc);
        keys(&mut rt, "F");
        press(&mut rt, KeyCode::Tab);
        press(&mut rt, KeyCode::Tab);
        keys(&mut rt, "cust_1");
        insta::assert_snapshot!(format!("form_{w}x{h}"), screen(&mut rt).await);
    }
}

/// The top and bottom bars at the five sizes, with filters and a search in
/// force: the count and the filters outlive the study's name, and the
/// hints keep `? help  q quit`.
#[tokio::test(start_paused = true)]
async fn bars_at_five_sizes() {
    let mut shots = String::new();
    for (w, h) in FIVE_SIZES {
        let mut rt = started(demo(), w, h, Some(MAIN)).await;
        keys(&mut rt, "s1");
        rt.settle().await;
        keys(&mut rt, "/card");
        press(&mut rt, KeyCode::Enter);
        let screen = screen(&mut rt).await;
        let lines: Vec<&str> = screen.lines().collect();
        shots.push_str(&format!(
            "{w}x{h}\n{}\n{}\n",
            lines.first().copied().unwrap_or_default(),
            lines.last().copied().unwrap_or_default()
        ));
        // Once the search is done: the pane's own hints.
        press(&mut rt, KeyCode::Esc);
        let screen = self::screen(&mut rt).await;
        shots.push_str(&format!("{}\n", screen.lines().last().unwrap_or_default()));
    }
    insta::assert_snapshot!(shots);
}

/// The overview taller than its pane: it scrolls, and its border says
/// where it is, down to the day chart.
#[tokio::test(start_paused = true)]
async fn the_overview_scrolls_when_it_does_not_fit() {
    for (w, h) in [(70, 24), (45, 12)] {
        let mut rt = started(demo(), w, h, Some(MAIN)).await;
        keys(&mut rt, "o");
        insta::assert_snapshot!(format!("overview_top_{w}x{h}"), screen(&mut rt).await);
        keys(&mut rt, "G");
        let bottom = screen(&mut rt).await;
        assert!(bottom.contains("Interviews per day"), "{bottom}");
        insta::assert_snapshot!(format!("overview_bottom_{w}x{h}"), bottom);
        // The list did not move under it.
        assert_eq!(rt.state.list.selected, 0);
    }
}

/// `t` on an English interview: the title still says which mode is on.
#[tokio::test(start_paused = true)]
async fn the_transcript_title_is_true_for_an_english_interview() {
    let mut rt = started(demo(), 120, 30, Some(MAIN)).await;
    let first = screen(&mut rt).await;
    assert!(first.contains("Transcript · original (en) "), "{first}");
    keys(&mut rt, "t");
    let english = screen(&mut rt).await;
    assert!(
        english.contains("Transcript · original (en) · English already"),
        "{english}"
    );
    // A Japanese interview in the same mode is shown in English.
    keys(&mut rt, "jjjj");
    let ja = screen(&mut rt).await;
    assert!(ja.contains("Transcript · English "), "{ja}");
}

/// The smallest terminal uj draws on: the filter form still shows every
/// field, and the bottom bar its keys.
#[tokio::test(start_paused = true)]
async fn the_filter_form_fits_the_smallest_terminal() {
    let mut rt = started(demo(), 40, 10, Some(MAIN)).await;
    keys(&mut rt, "F");
    let s = screen(&mut rt).await;
    for field in [
        "Status",
        "Quality",
        "Reference id",
        "Reviewed",
        "Starred",
        "Tag",
        "Language",
    ] {
        assert!(s.contains(field), "{field} missing:\n{s}");
    }
    assert!(s.lines().last().is_some_and(|l| l.contains("field")), "{s}");
}
