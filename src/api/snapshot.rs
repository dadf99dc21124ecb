//! A directory of JSON served with the API's semantics: the demo, and
//! `--offline DIR`. The format is in `docs/snapshot-format.md`.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;

use super::error::ApiError;
use super::model::{Interview, InterviewDetail, Page, Study, StudyDetail};
use super::source::{DEFAULT_LIMIT, InterviewFilters, MAX_LIMIT, Source};

pub const STUDIES_FILE: &str = "studies.json";
pub const INTERVIEWS_FILE: &str = "interviews.jsonl";

/// The bundled demo, compiled into the binary so `uj --demo` works from
/// anywhere.
const DEMO_STUDIES: &str = include_str!("../../assets/demo/studies.json");
const DEMO_INTERVIEWS: &str = include_str!("../../assets/demo/interviews.jsonl");

/// A snapshot held in memory.
#[derive(Debug, Clone, Default)]
pub struct SnapshotSource {
    studies: Vec<StudyDetail>,
    /// Interviews per study id, in list order (newest first).
    by_study: HashMap<String, Vec<InterviewDetail>>,
    /// (study id, position) per interview id.
    index: HashMap<String, (String, usize)>,
    latency: Duration,
}

impl SnapshotSource {
    /// The bundled demo dataset.
    pub fn demo() -> Result<Self, ApiError> {
        Self::parse("the bundled demo", DEMO_STUDIES, DEMO_INTERVIEWS)
    }

    /// A snapshot directory (`studies.json` + `interviews.jsonl`).
    pub fn open(dir: &Path) -> Result<Self, ApiError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|e| ApiError::Snapshot {
                path: path.display().to_string(),
                detail: e.to_string(),
            })
        };
        Self::parse(
            &dir.display().to_string(),
            &read(STUDIES_FILE)?,
            &read(INTERVIEWS_FILE)?,
        )
    }

    /// Builds a snapshot from the two files' contents.
    pub fn parse(origin: &str, studies: &str, interviews: &str) -> Result<Self, ApiError> {
        let studies: Vec<StudyDetail> =
            serde_json::from_str(studies).map_err(|e| ApiError::Snapshot {
                path: format!("{origin}/{STUDIES_FILE}"),
                detail: e.to_string(),
            })?;
        let mut all = Vec::new();
        for (n, line) in interviews.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let detail: InterviewDetail =
                serde_json::from_str(line).map_err(|e| ApiError::Snapshot {
                    path: format!("{origin}/{INTERVIEWS_FILE}"),
                    detail: format!("line {}: {e}", n + 1),
                })?;
            all.push(detail);
        }
        Ok(Self::from_parts(studies, all))
    }

    /// Builds a snapshot from decoded objects (tests make hostile ones).
    pub fn from_parts(studies: Vec<StudyDetail>, interviews: Vec<InterviewDetail>) -> Self {
        let mut by_study: HashMap<String, Vec<InterviewDetail>> = HashMap::new();
        let mut index = HashMap::new();
        for detail in interviews {
            let study = detail.interview.study_id.clone().unwrap_or_default();
            let list = by_study.entry(study.clone()).or_default();
            index.insert(detail.interview.id.clone(), (study, list.len()));
            list.push(detail);
        }
        Self {
            studies,
            by_study,
            index,
            latency: Duration::ZERO,
        }
    }

    /// Every call waits this long first, to show lazy loading.
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    pub fn studies(&self) -> &[StudyDetail] {
        &self.studies
    }

    /// All interviews of a study, in list order.
    pub fn interviews_of(&self, study_id: &str) -> &[InterviewDetail] {
        self.by_study
            .get(study_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    async fn wait(&self) {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
    }
}

/// The API's `limit` rules: default 20, at most 100, at least 1.
fn page_size(limit: Option<u32>) -> Result<usize, ApiError> {
    match limit {
        None => Ok(DEFAULT_LIMIT as usize),
        Some(0) => Err(ApiError::BadRequest {
            message: "limit must be between 1 and 100".into(),
        }),
        Some(n) => Ok(n.min(MAX_LIMIT) as usize),
    }
}

/// One page of `items` after the item whose id is `cursor`.
fn paginate<'a, T>(
    items: &[&'a T],
    id: impl Fn(&T) -> &str,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<(Vec<&'a T>, bool), ApiError> {
    let size = page_size(limit)?;
    let start = match cursor {
        None => 0,
        Some(c) => {
            items
                .iter()
                .position(|item| id(item) == c)
                .ok_or_else(|| ApiError::BadRequest {
                    message: "starting_after is not an item of this list".into(),
                })?
                + 1
        }
    };
    let end = (start + size).min(items.len());
    Ok((items[start..end].to_vec(), end < items.len()))
}

#[async_trait]
impl Source for SnapshotSource {
    async fn list_studies(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Study>, ApiError> {
        self.wait().await;
        let all: Vec<&StudyDetail> = self.studies.iter().collect();
        let (items, has_more) = paginate(&all, |s| &s.id, cursor, limit)?;
        Ok(Page {
            data: items.into_iter().map(StudyDetail::summary).collect(),
            has_more,
        })
    }

    async fn get_study(&self, id: &str) -> Result<StudyDetail, ApiError> {
        self.wait().await;
        self.studies
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .ok_or_else(|| ApiError::NotFound {
                what: format!("study {id}"),
            })
    }

    async fn list_interviews(
        &self,
        filters: &InterviewFilters,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Interview>, ApiError> {
        self.wait().await;
        if filters.study_id.is_empty() {
            return Err(ApiError::BadRequest {
                message: "study_id is required".into(),
            });
        }
        if !self.studies.iter().any(|s| s.id == filters.study_id) {
            return Err(ApiError::NotFound {
                what: format!("study {}", filters.study_id),
            });
        }
        let matches = |d: &&InterviewDetail| {
            let i = &d.interview;
            let is = |want: Option<&str>, got: Option<&str>| want.is_none_or(|w| got == Some(w));
            is(
                filters.status.as_ref().map(|s| s.as_str()),
                i.status.as_ref().map(|s| s.as_str()),
            ) && is(
                filters.quality.as_ref().map(|q| q.as_str()),
                i.quality_score.as_ref().map(|q| q.as_str()),
            ) && is(filters.reference_id.as_deref(), i.reference_id.as_deref())
        };
        let all: Vec<&InterviewDetail> = self
            .interviews_of(&filters.study_id)
            .iter()
            .filter(matches)
            .collect();
        let (items, has_more) = paginate(&all, |d| &d.interview.id, cursor, limit)?;
        Ok(Page {
            data: items.into_iter().map(|d| d.interview.clone()).collect(),
            has_more,
        })
    }

    async fn get_interview(&self, id: &str) -> Result<InterviewDetail, ApiError> {
        self.wait().await;
        self.index
            .get(id)
            .and_then(|(study, at)| self.by_study.get(study)?.get(*at))
            .cloned()
            .ok_or_else(|| ApiError::NotFound {
                what: format!("interview {id}"),
            })
    }
}
