//! Coding in the store: highlights, the codebook's changes, undo and redo
//! by writing a step's sides back, and highlights outliving their
//! interview.

use uj::api::model::{Interview, InterviewDetail, Quality, Status};
use uj::store::{NewHighlight, Quoted, Store, StoreError};

fn interview(id: &str) -> Interview {
    Interview {
        id: id.into(),
        study_id: Some("s1".into()),
        status: Some(Status::Completed),
        quality_score: Some(Quality::Insightful),
        reference_id: Some(format!("ref-{id}")),
        ..Interview::default()
    }
}

fn stored(ids: &[&str]) -> Store {
    let mut store = Store::in_memory().expect("store");
    let rows: Vec<Interview> = ids.iter().map(|i| interview(i)).collect();
    let walk = store.begin_walk("s1").expect("walk");
    store.apply_page("s1", walk, 0, &rows).expect("page");
    for r in &rows {
        let d = InterviewDetail {
            interview: r.clone(),
            ..InterviewDetail::default()
        };
        store.put_detail(&d, None).expect("detail");
    }
    store.finish_walk("s1", walk).expect("finish");
    store
}

fn passage(interview: &str, message: usize, quote: &str) -> NewHighlight {
    NewHighlight {
        study_id: "s1".into(),
        interview_id: interview.into(),
        message: Some(message),
        quoted: Quoted::Original,
        start: 0,
        end: quote.chars().count(),
        quote: quote.into(),
        speaker: Some("Respondent".into()),
        at_secs: Some(72.0),
        ..NewHighlight::default()
    }
}

fn names(store: &Store) -> Vec<(String, usize, u64, u64)> {
    store
        .codebook("s1")
        .expect("codebook")
        .into_iter()
        .map(|e| (e.code.name, e.depth, e.highlights, e.interviews))
        .collect()
}

#[test]
fn coding_a_passage_twice_adds_codes_to_one_highlight() {
    let mut store = stored(&["a", "b"]);
    store
        .code_passage(&passage("a", 2, "too expensive"), &["Price".into()])
        .expect("code");
    store
        .code_passage(&passage("a", 2, "too expensive"), &["churn risk".into()])
        .expect("code");
    // The same name in another case is the same code.
    store
        .code_passage(&passage("b", 0, "pricey"), &["price".into()])
        .expect("code");
    let hs = store.highlights_of_interview("a").expect("read");
    assert_eq!(hs.len(), 1, "{hs:?}");
    assert_eq!(hs[0].codes.len(), 2);
    assert_eq!(
        names(&store),
        [("churn risk".into(), 0, 1, 1), ("Price".into(), 0, 2, 2)]
    );
}

#[test]
fn a_step_undoes_and_redoes_exactly() {
    let mut store = stored(&["a"]);
    let first = store
        .code_passage(&passage("a", 1, "slow delivery"), &["Delivery".into()])
        .expect("code");
    let hs_after_first = store.highlights_of_interview("a").expect("read");
    let second = store
        .code_passage(&passage("a", 1, "slow delivery"), &["Pain".into()])
        .expect("code");
    store.restore(&second.before).expect("undo");
    assert_eq!(
        store.highlights_of_interview("a").expect("read"),
        hs_after_first
    );
    assert!(store.code_named("s1", "Pain").expect("read").is_none());
    store.restore(&first.before).expect("undo");
    assert!(store.highlights_of_interview("a").expect("read").is_empty());
    assert!(names(&store).is_empty());
    store.restore(&first.after).expect("redo");
    store.restore(&second.after).expect("redo");
    let hs = store.highlights_of_interview("a").expect("read");
    assert_eq!(hs[0].codes.len(), 2);
    assert_eq!(
        hs[0].id, hs_after_first[0].id,
        "the same highlight came back"
    );
}

#[test]
fn the_codebook_nests_merges_renames_and_deletes() {
    let mut store = stored(&["a", "b", "c"]);
    store
        .code_passage(&passage("a", 0, "q1"), &["fees".into()])
        .expect("code");
    store
        .code_passage(&passage("b", 0, "q2"), &["delivery fee".into()])
        .expect("code");
    store
        .code_passage(&passage("c", 0, "q3"), &["cost".into(), "fees".into()])
        .expect("code");
    store
        .code_passage(&passage("c", 1, "q4"), &["Pricing".into()])
        .expect("code");
    store
        .move_code("s1", "fees", Some("Pricing"))
        .expect("move");
    store
        .move_code("s1", "delivery fee", Some("fees"))
        .expect("move");
    // A code cannot go beneath itself.
    let err = store
        .move_code("s1", "Pricing", Some("delivery fee"))
        .expect_err("cycle");
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    assert_eq!(
        names(&store),
        [
            ("cost".into(), 0, 1, 1),
            ("Pricing".into(), 0, 4, 3),
            ("fees".into(), 1, 3, 3),
            ("delivery fee".into(), 2, 1, 1),
        ]
    );
    store
        .describe_code("s1", "cost", "what it costs")
        .expect("describe");
    store
        .describe_code("s1", "fees", "fees named")
        .expect("describe");
    let merged = store.merge_codes("s1", "cost", "fees").expect("merge");
    assert!(
        merged.what.contains("merged cost into fees"),
        "{}",
        merged.what
    );
    let fees = store.code_named("s1", "fees").expect("read").expect("kept");
    assert_eq!(fees.description, "fees named\n\nwhat it costs");
    assert!(store.code_named("s1", "cost").expect("read").is_none());
    let err = store
        .rename_code("s1", "fees", "pricing")
        .expect_err("taken");
    assert!(err.to_string().contains("merge"), "{err}");
    store.rename_code("s1", "fees", "Fees").expect("rename");
    let deleted = store.delete_code("s1", "Fees").expect("delete");
    assert!(deleted.what.contains("2 highlights"), "{}", deleted.what);
    // Its child moved up to its parent; the highlight left without a code went.
    assert_eq!(
        names(&store),
        [
            ("Pricing".into(), 0, 2, 2),
            ("delivery fee".into(), 1, 1, 1)
        ]
    );
    assert!(store.highlights_of_interview("a").expect("read").is_empty());
    store.restore(&deleted.before).expect("undo");
    assert_eq!(store.highlights_of_interview("a").expect("read").len(), 1);
}

#[test]
fn removing_the_last_code_removes_the_highlight() {
    let mut store = stored(&["a"]);
    store
        .code_passage(&passage("a", 0, "x"), &["one".into(), "two".into()])
        .expect("code");
    let h = store.highlights_of_interview("a").expect("read").remove(0);
    let one = store.code_named("s1", "one").expect("read").expect("one");
    let two = store.code_named("s1", "two").expect("read").expect("two");
    store.uncode(h.id, one.id).expect("uncode");
    assert_eq!(
        store.highlight(h.id).expect("read").expect("kept").codes,
        [two.id]
    );
    store.uncode(h.id, two.id).expect("uncode");
    assert!(store.highlight(h.id).expect("read").is_none());
    // The codes stay in the codebook, now unused.
    assert_eq!(names(&store).len(), 2);
}

#[test]
fn a_highlight_outlives_its_interview_leaving_the_api() {
    let mut store = stored(&["a", "b"]);
    store
        .code_passage(&passage("a", 3, "keep me"), &["kept".into()])
        .expect("code");
    store
        .comment_highlight(
            store.highlights_of_interview("a").expect("read")[0].id,
            "a comment",
        )
        .expect("comment");
    let before = store.highlights_of_interview("a").expect("read");
    let walk = store.begin_walk("s1").expect("walk");
    store
        .apply_page("s1", walk, 0, &[interview("b")])
        .expect("page");
    assert_eq!(store.finish_walk("s1", walk).expect("finish"), 1);
    assert!(store.interview("a").expect("read").is_none());
    assert_eq!(store.highlights_of_interview("a").expect("read"), before);
    assert_eq!(names(&store), [("kept".into(), 0, 1, 1)]);
}

#[test]
fn bad_names_and_long_comments_are_refused_whole() {
    let mut store = stored(&["a"]);
    for bad in ["", "   ", "tab\tinside\u{7}", &"x".repeat(101)] {
        let err = store
            .code_passage(&passage("a", 0, "q"), &[bad.to_string()])
            .expect_err("refused");
        assert!(matches!(err, StoreError::Refused(_)), "{bad:?}: {err}");
    }
    let mut long = passage("a", 0, "q");
    long.comment = "c".repeat(100_001);
    let err = store
        .code_passage(&long, &["fine".into()])
        .expect_err("refused");
    assert!(err.to_string().contains("100,000"), "{err}");
    assert!(names(&store).is_empty(), "nothing was written");
}
