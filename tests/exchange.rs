//! `uj marks export/import` of marks, highlights and codes between two
//! stores: the latest change of each field wins, removals travel, two
//! notes changed on both sides are both kept, importing twice changes
//! nothing, and two stores that import each other's files agree.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use uj::api::model::{Interview, InterviewDetail, Status};
use uj::store::{MarkChange, NewHighlight, Quoted, Store, WorkRecord, parse_work_line};

const STUDY: &str = "s1";
const INTERVIEWS: [&str; 3] = ["i0", "i1", "i2"];
const CODES: [&str; 3] = ["Price", "Speed", "Trust"];
const TAGS: [&str; 3] = ["coupon", "pix", "Call-back"];
const TEXTS: [&str; 3] = ["call again", "wants a refund", ""];

fn store() -> Store {
    let mut s = Store::in_memory().expect("store");
    let rows: Vec<Interview> = INTERVIEWS
        .iter()
        .map(|id| Interview {
            id: (*id).into(),
            study_id: Some(STUDY.into()),
            status: Some(Status::Completed),
            ..Interview::default()
        })
        .collect();
    let walk = s.begin_walk(STUDY).expect("walk");
    s.apply_page(STUDY, walk, 0, &rows).expect("page");
    for r in &rows {
        s.put_detail(
            &InterviewDetail {
                interview: r.clone(),
                ..InterviewDetail::default()
            },
            None,
        )
        .expect("detail");
    }
    s.finish_walk(STUDY, walk).expect("finish");
    s
}

#[derive(Debug, Clone)]
enum Op {
    Review(usize),
    Star(usize),
    Tag(usize, usize, bool),
    Note(usize, usize),
    Code(usize, usize, usize),
    Uncode(usize, usize, usize),
    Delete(usize, usize),
    Comment(usize, usize, usize),
    /// Undo the store's last change.
    Undo,
}

fn op() -> impl Strategy<Value = Op> {
    let i = 0..INTERVIEWS.len();
    let m = 0..3usize;
    let k = 0..3usize;
    prop_oneof![
        i.clone().prop_map(Op::Review),
        i.clone().prop_map(Op::Star),
        (i.clone(), k.clone(), any::<bool>()).prop_map(|(i, t, on)| Op::Tag(i, t, on)),
        (i.clone(), k.clone()).prop_map(|(i, n)| Op::Note(i, n)),
        (i.clone(), m.clone(), k.clone()).prop_map(|(i, m, c)| Op::Code(i, m, c)),
        (i.clone(), m.clone(), k.clone()).prop_map(|(i, m, c)| Op::Uncode(i, m, c)),
        (i.clone(), m.clone()).prop_map(|(i, m)| Op::Delete(i, m)),
        (i, m, k).prop_map(|(i, m, c)| Op::Comment(i, m, c)),
        Just(Op::Undo),
    ]
}

fn passage(i: usize, m: usize) -> NewHighlight {
    NewHighlight {
        study_id: STUDY.into(),
        interview_id: INTERVIEWS[i].into(),
        message: Some(m),
        quoted: Quoted::Original,
        start: 0,
        end: 5,
        quote: format!("quote{m}"),
        ..NewHighlight::default()
    }
}

fn highlight_at(s: &Store, i: usize, m: usize) -> Option<uj::store::Highlight> {
    s.highlights_of_interview(INTERVIEWS[i])
        .expect("read")
        .into_iter()
        .find(|h| h.message == Some(m))
}

/// A store and the steps it can undo.
struct Side {
    store: Store,
    steps: Vec<uj::store::Step>,
}

fn apply_side(side: &mut Side, op: &Op) {
    if let Op::Undo = op {
        if let Some(step) = side.steps.pop() {
            side.store.restore(&step.before).expect("undo");
        }
        return;
    }
    if let Some(step) = apply(&mut side.store, op) {
        side.steps.push(step);
    }
}

fn apply(s: &mut Store, op: &Op) -> Option<uj::store::Step> {
    let id = |i: usize| INTERVIEWS[i];
    match op {
        Op::Undo => None,
        Op::Review(i) => Some(
            s.mark_step(id(*i), STUDY, &MarkChange::ToggleReviewed)
                .expect("mark")
                .1,
        ),
        Op::Star(i) => Some(
            s.mark_step(id(*i), STUDY, &MarkChange::ToggleStarred)
                .expect("mark")
                .1,
        ),
        Op::Tag(i, t, on) => {
            let tag = vec![TAGS[*t].to_string()];
            let change = if *on {
                MarkChange::Tags {
                    add: tag,
                    remove: vec![],
                }
            } else {
                MarkChange::Tags {
                    add: vec![],
                    remove: tag,
                }
            };
            Some(s.mark_step(id(*i), STUDY, &change).expect("mark").1)
        }
        Op::Note(i, n) => Some(
            s.mark_step(id(*i), STUDY, &MarkChange::Note(TEXTS[*n].into()))
                .expect("mark")
                .1,
        ),
        Op::Code(i, m, c) => Some(
            s.code_passage(&passage(*i, *m), &[CODES[*c].to_string()])
                .expect("code"),
        ),
        Op::Uncode(i, m, c) => {
            let h = highlight_at(s, *i, *m)?;
            let code = s.code_named(STUDY, CODES[*c]).expect("read")?;
            h.codes
                .contains(&code.id)
                .then(|| s.uncode(h.id, code.id).expect("uncode"))
        }
        Op::Delete(i, m) => {
            let h = highlight_at(s, *i, *m)?;
            Some(s.delete_highlight(h.id).expect("delete"))
        }
        Op::Comment(i, m, n) => {
            let h = highlight_at(s, *i, *m)?;
            Some(s.comment_highlight(h.id, TEXTS[*n]).expect("comment"))
        }
    }
}

/// What a user sees of a store's work, without ids or uids.
#[derive(Debug, PartialEq, Eq, Clone)]
struct Seen {
    marks: BTreeMap<String, (bool, bool, BTreeSet<String>, String)>,
    highlights: BTreeMap<(String, usize), (BTreeSet<String>, String)>,
    codes: BTreeSet<String>,
}

fn seen(s: &Store) -> Seen {
    let ids: Vec<String> = INTERVIEWS.iter().map(|i| i.to_string()).collect();
    let marks = s
        .marks_of(&ids)
        .expect("marks")
        .into_iter()
        // Unmarked and marked-then-cleared read the same.
        .filter(|(_, m)| m.reviewed || m.starred || !m.tags.is_empty() || !m.note.is_empty())
        .map(|(id, m)| {
            (
                id,
                (m.reviewed, m.starred, m.tags.into_iter().collect(), m.note),
            )
        })
        .collect();
    let codes: BTreeMap<i64, String> = s
        .codes(STUDY)
        .expect("codes")
        .into_iter()
        .map(|(id, c)| (id, c.name))
        .collect();
    let mut highlights = BTreeMap::new();
    for id in INTERVIEWS {
        for h in s.highlights_of_interview(id).expect("read") {
            let names = h
                .codes
                .iter()
                .filter_map(|c| codes.get(c).cloned())
                .collect();
            highlights.insert(
                (id.to_string(), h.message.unwrap_or(99)),
                (names, h.comment),
            );
        }
    }
    Seen {
        marks,
        highlights,
        codes: codes.into_values().collect(),
    }
}

/// A store's export, as the file `uj marks export` writes, read back.
fn file_of(s: &Store) -> Vec<WorkRecord> {
    s.export_work(None)
        .expect("export")
        .iter()
        .map(|r| serde_json::to_string(r).expect("json"))
        .map(|line| parse_work_line(&line).expect("parses"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn two_stores_exchanging_work_agree_and_lose_nothing(
        base in prop::collection::vec(op(), 0..8),
        left in prop::collection::vec(op(), 0..12),
        right in prop::collection::vec(op(), 0..12),
    ) {
        let mut sa = Side { store: store(), steps: Vec::new() };
        let mut sb = Side { store: store(), steps: Vec::new() };
        // A shared start: what A did, B imported.
        for o in &base {
            apply_side(&mut sa, o);
        }
        sb.store.import_work(&file_of(&sa.store)).expect("import");
        let start = seen(&sa.store);
        prop_assert_eq!(seen(&sb.store), start.clone());
        for o in &left {
            apply_side(&mut sa, o);
        }
        for o in &right {
            apply_side(&mut sb, o);
        }
        let (mut a, mut b) = (sa.store, sb.store);
        let (before_a, before_b) = (seen(&a), seen(&b));
        let (fa, fb) = (file_of(&a), file_of(&b));
        a.import_work(&fb).expect("import");
        b.import_work(&fa).expect("import");
        // Either order gives the same store.
        let merged = seen(&a);
        prop_assert_eq!(&seen(&b), &merged);
        // Importing again changes nothing.
        let again = a.import_work(&fb).expect("import");
        prop_assert_eq!((again.added, again.changed, again.removed), (0, 0, 0));
        prop_assert_eq!(&seen(&a), &merged);
        // Nothing lost: a note changed on both sides keeps both; a
        // highlight one side made or kept stays unless the other side
        // removed it (it was in the shared start and is gone there).
        for id in INTERVIEWS {
            let note = |s: &Seen| s.marks.get(id).map(|m| m.3.clone()).unwrap_or_default();
            let (n0, na, nb, nm) = (note(&start), note(&before_a), note(&before_b), note(&merged));
            if na != n0 && nb != n0 && na != nb {
                prop_assert!(nm.contains(&na) && nm.contains(&nb), "{na:?} + {nb:?} → {nm:?}");
            }
        }
        for (side, other) in [(&before_a, &before_b), (&before_b, &before_a)] {
            for place in side.highlights.keys() {
                let removed_there = start.highlights.contains_key(place)
                    && !other.highlights.contains_key(place);
                let in_start_here = start.highlights.contains_key(place);
                if !removed_there || !in_start_here {
                    prop_assert!(
                        merged.highlights.contains_key(place) || removed_there,
                        "{place:?} was lost"
                    );
                }
            }
        }
    }
}

#[test]
fn an_unstar_a_removed_tag_and_a_deleted_highlight_travel() {
    let (mut a, mut b) = (store(), store());
    a.change_marks("i0", STUDY, &MarkChange::ToggleStarred)
        .expect("star");
    a.change_marks("i0", STUDY, &MarkChange::parse_tags("coupon pix"))
        .expect("tags");
    a.code_passage(&passage(0, 1), &["Price".into()])
        .expect("code");
    b.import_work(&file_of(&a)).expect("import");
    assert_eq!(seen(&b), seen(&a));
    // Later, on A: un-star, drop a tag, delete the highlight.
    a.change_marks("i0", STUDY, &MarkChange::ToggleStarred)
        .expect("unstar");
    a.change_marks(
        "i0",
        STUDY,
        &MarkChange::Tags {
            add: vec![],
            remove: vec!["pix".into()],
        },
    )
    .expect("untag");
    let h = highlight_at(&a, 0, 1).expect("highlight");
    a.delete_highlight(h.id).expect("delete");
    let done = b.import_work(&file_of(&a)).expect("import");
    assert_eq!(done.removed, 1);
    let b_now = seen(&b);
    let (reviewed, starred, tags, _) = b_now.marks["i0"].clone();
    assert!(!reviewed && !starred);
    assert_eq!(tags, BTreeSet::from(["coupon".to_string()]));
    assert!(b_now.highlights.is_empty());
}

#[test]
fn notes_changed_on_both_sides_are_both_kept_and_the_time_is_the_change_s() {
    let (mut a, mut b) = (store(), store());
    a.change_marks("i1", STUDY, &MarkChange::Note("first".into()))
        .expect("note");
    b.import_work(&file_of(&a)).expect("import");
    a.change_marks("i1", STUDY, &MarkChange::Note("from A".into()))
        .expect("note");
    b.change_marks("i1", STUDY, &MarkChange::Note("from B".into()))
        .expect("note");
    let (fa, fb) = (file_of(&a), file_of(&b));
    a.import_work(&fb).expect("import");
    b.import_work(&fa).expect("import");
    let note = seen(&a).marks["i1"].3.clone();
    assert!(
        note.contains("from A") && note.contains("from B") && note.contains("conflict"),
        "{note}"
    );
    assert_eq!(seen(&b), seen(&a));
    // A later edit on one side, having seen the conflict, wins outright.
    a.change_marks("i1", STUDY, &MarkChange::Note("settled".into()))
        .expect("note");
    b.import_work(&file_of(&a)).expect("import");
    assert_eq!(seen(&b).marks["i1"].3, "settled");
    // The mark's time is its latest change's, not the import's.
    let records = file_of(&b);
    let at = records
        .iter()
        .find_map(|r| match r {
            WorkRecord::Marks(m) if m.marks.interview_id == "i1" => {
                Some(m.marks.updated_at.clone())
            }
            _ => None,
        })
        .expect("mark");
    let stamped = records
        .iter()
        .find_map(|r| match r {
            WorkRecord::Marks(m) if m.marks.interview_id == "i1" => m.clock.note.clone(),
            _ => None,
        })
        .expect("clock");
    assert_eq!(at, stamped.stamp.at);
}

#[test]
fn a_file_of_a_newer_format_is_refused_and_the_first_format_still_reads() {
    let err = parse_work_line(r#"{"kind":"header","format":99,"origin":"x"}"#).expect_err("newer");
    assert!(err.contains("newer uj") && err.contains("upgrade"), "{err}");
    let old = parse_work_line(
        r#"{"interview_id":"i2","study_id":"s1","reviewed":true,"starred":false,"tags":["a"],"note":"old note","updated_at":"2026-11-01T00:00:00Z"}"#,
    )
    .expect("the first format");
    let mut s = store();
    s.change_marks("i2", STUDY, &MarkChange::Note("mine".into()))
        .expect("note");
    s.import_work(&[old]).expect("import");
    let m = seen(&s).marks["i2"].clone();
    assert!(m.0, "reviewed came over");
    assert!(
        m.3.contains("mine") && m.3.contains("old note"),
        "both notes kept: {}",
        m.3
    );
}

/// A marks line keeps its shape: the first format's fields at the top
/// level, beside `kind` and the clock (an older uj, and the first format's
/// reader, read the same names).
#[test]
fn a_marks_line_has_the_first_formats_fields_beside_its_clock() {
    let mut s = store();
    s.change_marks("i0", STUDY, &MarkChange::ToggleStarred)
        .expect("star");
    s.change_marks("i0", STUDY, &MarkChange::parse_tags("coupon"))
        .expect("tag");
    let line = s
        .export_work(None)
        .expect("export")
        .iter()
        .find(|r| matches!(r, WorkRecord::Marks(_)))
        .map(|r| serde_json::to_string(r).expect("json"))
        .expect("a marks line");
    let value: serde_json::Value = serde_json::from_str(&line).expect("json");
    let keys: BTreeSet<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "kind",
            "interview_id",
            "study_id",
            "reviewed",
            "starred",
            "tags",
            "note",
            "updated_at",
            "clock"
        ]),
        "{line}"
    );
    assert_eq!(value["kind"], "marks");
    assert_eq!(value["starred"], true);
    assert_eq!(value["tags"], serde_json::json!(["coupon"]));
    let WorkRecord::Marks(back) = parse_work_line(&line).expect("reads") else {
        panic!("marks")
    };
    assert_eq!(back.marks.interview_id, "i0");
    assert!(back.clock.starred.is_some(), "{line}");
}
