//! A large study made from the demo's, for tests and benchmarks of scale.

use uj::api::SnapshotSource;
use uj::api::model::{InterviewDetail, Status};

/// The synthetic study's id.
pub const SYNTHETIC: &str = "0b5e55ed-0000-4000-8000-000000000000";

/// The demo plus a settled study of `n` interviews copied from the main
/// study's (new ids, every one `completed`).
pub fn synthetic(n: usize) -> SnapshotSource {
    let demo = SnapshotSource::demo().expect("demo");
    let main = demo.studies()[0].clone();
    let mut studies = demo.studies().to_vec();
    let mut study = main.clone();
    study.id = SYNTHETIC.into();
    study.name = Some(format!("Synthetic study ({n} interviews)"));
    study.interview_count = Some(n as u64);
    studies.push(study);
    let pool = demo.interviews_of(&main.id);
    let mut all: Vec<InterviewDetail> = demo
        .studies()
        .iter()
        .flat_map(|s| demo.interviews_of(&s.id).to_vec())
        .collect();
    for i in 0..n {
        let mut d = pool[i % pool.len()].clone();
        d.interview.id = format!("00000000-0000-4000-8000-{i:012}");
        d.interview.study_id = Some(SYNTHETIC.into());
        d.interview.status = Some(Status::Completed);
        all.push(d);
    }
    SnapshotSource::from_parts(studies, all)
}
