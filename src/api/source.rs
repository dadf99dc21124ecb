use std::sync::Arc;

use async_trait::async_trait;

use super::error::ApiError;
use super::model::{Interview, InterviewDetail, Page, Quality, Status, Study, StudyDetail};

/// The API's largest page.
pub const MAX_LIMIT: u32 = 100;
/// The page size the API uses when none is asked for.
pub const DEFAULT_LIMIT: u32 = 20;

/// What `GET /interviews` is asked for, apart from the cursor and page size.
/// Hashable: the browser tags each list request with its query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct InterviewFilters {
    pub study_id: String,
    pub status: Option<Status>,
    pub quality: Option<Quality>,
    pub reference_id: Option<String>,
}

impl InterviewFilters {
    pub fn for_study(study_id: impl Into<String>) -> Self {
        Self {
            study_id: study_id.into(),
            ..Self::default()
        }
    }
}

/// Where interviews come from: the HTTP API or a local snapshot, with one
/// set of semantics (filters, `limit`, `starting_after`, not-found).
#[async_trait]
pub trait Source: Send + Sync {
    async fn list_studies(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Study>, ApiError>;

    async fn get_study(&self, id: &str) -> Result<StudyDetail, ApiError>;

    async fn list_interviews(
        &self,
        filters: &InterviewFilters,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Interview>, ApiError>;

    async fn get_interview(&self, id: &str) -> Result<InterviewDetail, ApiError>;
}

/// The shared handle the app and commands pass around.
pub type SharedSource = Arc<dyn Source>;
