//! The bundled demo holds what docs/CONTRACT.md "The demo dataset" promises.

use std::collections::{HashMap, HashSet};

use uj::api::SnapshotSource;
use uj::api::model::{Quality, Role, Status};

#[test]
fn demo_looks_like_a_real_project() {
    let demo = SnapshotSource::demo().expect("the demo parses");
    let studies = demo.studies();
    assert!(studies.len() >= 3);
    let main = &studies[0];
    let interviews = demo.interviews_of(&main.id);
    assert!(interviews.len() >= 250, "{}", interviews.len());
    assert_eq!(main.interview_count, Some(interviews.len() as u64));

    let all: Vec<_> = studies
        .iter()
        .flat_map(|s| demo.interviews_of(&s.id))
        .collect();
    let statuses: HashSet<_> = all
        .iter()
        .filter_map(|d| d.interview.status.clone())
        .collect();
    for s in [Status::Completed, Status::Started, Status::Processing] {
        assert!(statuses.contains(&s), "{s:?}");
    }
    let qualities: HashSet<_> = all
        .iter()
        .map(|d| d.interview.quality_score.clone())
        .collect();
    for q in [
        Some(Quality::Insightful),
        Some(Quality::Successful),
        Some(Quality::Unsuccessful),
        None,
    ] {
        assert!(qualities.contains(&q), "{q:?}");
    }

    let mut languages: HashMap<String, usize> = HashMap::new();
    for d in &all {
        *languages
            .entry(d.interview.language.clone().unwrap_or_default())
            .or_default() += 1;
    }
    assert!(languages.len() >= 6, "{languages:?}");
    assert!(languages.contains_key("ja"), "a CJK language");
    assert!(languages.contains_key("ar"), "a right-to-left language");

    for d in &all {
        let english = d.interview.language.as_deref() == Some("en");
        for m in &d.transcript {
            assert_eq!(
                m.translated.is_some(),
                !english,
                "translations exactly for non-English"
            );
            assert!(matches!(m.role, Some(Role::Agent | Role::User)));
        }
        let said: HashSet<&str> = d
            .transcript
            .iter()
            .filter_map(|m| m.message.as_deref())
            .collect();
        for qa in &d.question_answers {
            for e in &qa.answer_excerpt {
                assert!(
                    said.contains(e.message.as_deref().unwrap_or("")),
                    "excerpts quote real messages"
                );
            }
            let index = qa.question_index.expect("index") as usize;
            let study = studies
                .iter()
                .find(|s| Some(&s.id) == d.interview.study_id.as_ref())
                .expect("study");
            assert_eq!(study.questions[index].text, qa.question_text);
        }
        if d.interview.status == Some(Status::Started) {
            assert!(
                d.interview.quality_score.is_none()
                    && d.interview.completed_at.is_none()
                    && d.interview.headline.is_none()
            );
        }
    }
    assert!(
        studies.iter().any(|s| demo.interviews_of(&s.id).is_empty()),
        "one study with no interviews yet"
    );
}
