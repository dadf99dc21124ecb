//! One mark on many interviews: `;` then a mark key, asked first, one
//! transaction, one step of undo; 10,000 interviews at once.

mod support;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::harness::Harness;
use support::keys::{keys, press, screen_text};
use support::mirror_of;
use uj::api::model::{Interview, Status};
use uj::api::{InterviewFilters, SnapshotSource};
use uj::app::State;
use uj::app::update::init;
use uj::runtime::Runtime;
use uj::store::{ListQuery, MarkChange, MarkFilters, Store};

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

fn reviewed(s: &Store, study: &str) -> u64 {
    s.count_of(&ListQuery {
        marks: MarkFilters {
            reviewed: Some(true),
            ..MarkFilters::default()
        },
        ..ListQuery::from(InterviewFilters::for_study(study))
    })
    .expect("count")
}

#[test]
fn ten_thousand_interviews_marked_in_one_step_and_undone_in_one() {
    let mut s = Store::in_memory().expect("store");
    let rows: Vec<Interview> = (0..10_000)
        .map(|n| Interview {
            id: format!("i{n:05}"),
            study_id: Some("big".into()),
            status: Some(Status::Completed),
            ..Interview::default()
        })
        .collect();
    let walk = s.begin_walk("big").expect("walk");
    s.apply_page("big", walk, 0, &rows).expect("page");
    s.finish_walk("big", walk).expect("finish");
    // A few already reviewed and tagged: they stay as they were.
    for id in ["i00001", "i00002"] {
        s.change_marks(id, "big", &MarkChange::ToggleReviewed)
            .expect("mark");
    }
    let all = ListQuery::from(InterviewFilters::for_study("big"));
    let step = s
        .bulk_marks(&all, &MarkChange::ToggleReviewed)
        .expect("bulk");
    assert_eq!(reviewed(&s, "big"), 10_000);
    assert!(
        step.what.contains("9,998 of the list's 10,000"),
        "{}",
        step.what
    );
    // Again: all are, so all are cleared.
    let again = s
        .bulk_marks(&all, &MarkChange::ToggleReviewed)
        .expect("bulk");
    assert_eq!(reviewed(&s, "big"), 0);
    s.restore(&again.before).expect("undo");
    assert_eq!(reviewed(&s, "big"), 10_000);
    s.restore(&step.before).expect("undo");
    assert_eq!(
        reviewed(&s, "big"),
        2,
        "the two marked before are as they were"
    );
    // Tags for a part of the list: only those.
    let part = ListQuery {
        filter: uj::store::query::parse("ref:none").filter,
        ..all.clone()
    };
    let tagged = s
        .bulk_marks(&part, &MarkChange::parse_tags("+batch"))
        .expect("bulk");
    assert!(
        tagged.after.marks.is_empty(),
        "no interview has that reference"
    );
}

/// The browser on the demo's main study at 140×40, settled, and the store
/// it writes to.
async fn browser() -> (Harness, uj::store::SharedStore) {
    let terminal = Terminal::new(TestBackend::new(140, 40)).expect("terminal");
    let mut state = State::new(50);
    state.width = 140;
    state.height = 40;
    state.sync.ephemeral = true;
    let mirror = mirror_of(SnapshotSource::demo().expect("demo"), true);
    let store = mirror.writer.clone();
    let mut rt = Harness::new(Runtime::new(terminal, mirror, state));
    let fx = init(&mut rt.state, Some(MAIN.to_string()));
    rt.start(fx);
    rt.settle().await;
    (rt, store)
}

/// The marks of the rows the list has read.
fn marks_read(rt: &Harness) -> impl Iterator<Item = &uj::store::Marks> {
    rt.state.list.window.marks.values()
}

#[tokio::test(start_paused = true)]
async fn semicolon_then_x_asks_marks_the_list_and_u_undoes_it() {
    let (mut rt, _) = browser().await;
    // The insightful interviews of the study.
    keys(&mut rt, "1");
    screen_text(&mut rt).await;
    let n = rt.state.list.window.total;
    assert!(n > 10, "{n}");
    keys(&mut rt, ";x");
    let text = screen_text(&mut rt).await;
    assert!(
        text.contains(&format!("Mark all {n} interviews of the list reviewed")),
        "{text}"
    );
    // No: nothing changes.
    press(&mut rt, KeyCode::Esc);
    screen_text(&mut rt).await;
    assert_eq!(marks_read(&rt).filter(|m| m.reviewed).count(), 0);
    keys(&mut rt, ";x");
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("marked reviewed for"), "{text}");
    // The whole list is reviewed: the reviewed filter keeps all of it.
    let shown = marks_read(&rt).filter(|m| m.reviewed).count();
    assert_eq!(
        shown,
        rt.state.list.window.rows.len(),
        "every row on screen"
    );
    // Tags for all, then one undo each.
    keys(&mut rt, ";+");
    for c in "batch".chars() {
        rt.handle(support::keys::key(c));
    }
    let text = screen_text(&mut rt).await;
    assert!(
        text.contains(&format!("tags for all {n} interviews")),
        "{text}"
    );
    press(&mut rt, KeyCode::Enter);
    screen_text(&mut rt).await;
    let tagged = marks_read(&rt).filter(|m| m.tags == ["batch"]).count();
    assert_eq!(
        tagged,
        rt.state.list.window.rows.len(),
        "every row on screen"
    );
    keys(&mut rt, "uu");
    screen_text(&mut rt).await;
    assert!(marks_read(&rt).all(|m| !m.reviewed && m.tags.is_empty()));
}

/// A mark made just before `q` reaches the store: quitting waits for the
/// user's writes on their way (the terminal sends both keys at once).
#[tokio::test(start_paused = true)]
async fn a_mark_made_just_before_quitting_is_kept() {
    use crossterm::event::{Event, KeyEvent, KeyModifiers};
    let (mut rt, store) = browser().await;
    let id = rt.state.selected().expect("a row").id.clone();
    let key = |c| {
        Ok(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )))
    };
    let events = futures::stream::iter(vec![key('x'), key('q')]);
    rt.run(events, |_| Ok(())).await.expect("runs to q");
    // Nothing has waited since the loop ended: the mark is there because
    // quitting waited for it.
    let marks = store
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .marks_of(std::slice::from_ref(&id))
        .expect("read");
    assert!(marks.get(&id).is_some_and(|m| m.reviewed), "{marks:?}");
}
