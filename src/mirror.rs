//! What the browser reads, and from where: the store first, the API (or
//! the demo, or a snapshot) behind it. Each call is the I/O of one
//! [`Effect`](crate::app::Effect); blocking store calls run off the async
//! threads through [`with_store`].

use std::collections::HashMap;

use crate::api::model::{InterviewDetail, Study, StudyDetail};
use crate::api::walk::all_studies;
use crate::api::{ApiError, SharedSource};
use crate::store::{
    ListQuery, MarkChange, Marks, Overview, QuestionCount, SharedStore, Store, StoreError,
    SyncState, with_store,
};
use crate::store::{StudyCount, Window, read_window};
use crate::sync::SyncEnd;
use crate::sync::{Progress, SyncError, SyncOptions, Tally, sync_study};

/// The store, the source behind it (`None` under `--offline`) and how the
/// background sync runs.
///
/// The browser reads (and saves the user's marks) through `store`; the
/// background sync writes through `writer`, a connection of its own, so a
/// read never queues behind a sync's write transaction (WAL lets readers
/// run beside the one writer). An in-memory store has one connection,
/// shared.
#[derive(Clone)]
pub struct Mirror {
    pub store: SharedStore,
    pub writer: SharedStore,
    pub source: Option<SharedSource>,
    pub sync: SyncOptions,
}

impl Mirror {
    /// The browser's connection `store`, and a second one to the same file
    /// for the sync.
    pub fn new(
        store: Store,
        source: Option<SharedSource>,
        sync: SyncOptions,
    ) -> Result<Mirror, StoreError> {
        let writer = store.reopen().transpose()?;
        let store = store.shared();
        let writer = writer.map_or_else(|| store.clone(), Store::shared);
        Ok(Mirror {
            store,
            writer,
            source,
            sync,
        })
    }
}

/// What a read of the browser's could not do, by the layer that failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MirrorError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Without a network, a transcript that is not stored cannot be read.
    #[error(
        "the transcript of interview {0} is not stored: run `uj sync` for its study while online"
    )]
    NotStored(String),
}

impl Mirror {
    /// The project's studies, and whether they are the stored ones (no
    /// network, or the API could not be reached).
    pub async fn studies(&self) -> Result<(Vec<Study>, bool), MirrorError> {
        let stored = || async {
            with_store(&self.store, |s| s.study_list())
                .await
                .map_err(MirrorError::from)
        };
        let Some(source) = &self.source else {
            return Ok((stored().await?, true));
        };
        let studies = match all_studies(source.as_ref()).await {
            Ok((studies, _)) => studies,
            Err(e) if e.is_unreachable() => {
                let kept = stored().await?;
                if kept.is_empty() {
                    return Err(e.into());
                }
                return Ok((kept, true));
            }
            Err(e) => return Err(e.into()),
        };
        let listed = studies.clone();
        if let Err(e) = with_store(&self.store, move |s| s.put_studies(&listed)).await {
            tracing::warn!(error = %e, "the study list was not stored");
        }
        Ok((studies, false))
    }

    /// What the store knows of each study's size, for the picker; nothing
    /// when the store cannot say.
    pub async fn study_counts(&self) -> HashMap<String, StudyCount> {
        with_store(&self.store, |s| s.study_counts())
            .await
            .unwrap_or_default()
    }

    /// A study's stored detail and sync state. What is not stored yet
    /// comes with the sync (its first step fetches the study), so this
    /// never asks the API a second time.
    pub async fn study(
        &self,
        id: &str,
    ) -> Result<(Option<StudyDetail>, Option<SyncState>), MirrorError> {
        let key = id.to_string();
        with_store(&self.store, move |s| {
            Ok((s.study_detail(&key)?, s.sync_state_counted(&key)?))
        })
        .await
        .map_err(MirrorError::from)
    }

    pub async fn window(
        &self,
        query: ListQuery,
        start: usize,
        len: usize,
        follow: Option<String>,
    ) -> Result<Window, MirrorError> {
        with_store(&self.store, move |s| {
            read_window(s, &query, start, len, follow.as_deref())
        })
        .await
        .map_err(MirrorError::from)
    }

    /// An interview's detail: the stored one while it is current (unless
    /// `fresh`), else the API's, written through. When the API fails, a
    /// stored detail, even an older one, is better than none.
    pub async fn detail(&self, id: &str, fresh: bool) -> Result<InterviewDetail, MirrorError> {
        let key = id.to_string();
        let stored = with_store(&self.store, move |s| s.detail(&key))
            .await
            .map_err(MirrorError::from)?;
        if let Some(st) = &stored
            && ((st.current && !fresh) || self.source.is_none())
        {
            return Ok(st.detail.clone());
        }
        let Some(source) = &self.source else {
            return Err(MirrorError::NotStored(id.to_string()));
        };
        match source.get_interview(id).await {
            Ok(detail) => {
                // Shown at once; stored beside, through the sync's
                // connection, so neither the screen nor the browser's
                // next read waits for the write lock.
                let written = detail.clone();
                let writer = self.writer.clone();
                tokio::spawn(async move {
                    if let Err(e) = with_store(&writer, move |s| s.put_detail(&written, None)).await
                    {
                        tracing::warn!(error = %e, "a detail was not stored");
                    }
                });
                Ok(detail)
            }
            Err(e) => match stored {
                Some(st) => {
                    tracing::warn!(error = %e, "showing the stored detail");
                    Ok(st.detail)
                }
                None => Err(e.into()),
            },
        }
    }

    pub async fn questions(&self, query: ListQuery) -> Result<Vec<QuestionCount>, MirrorError> {
        with_store(&self.store, move |s| s.questions(&query))
            .await
            .map_err(MirrorError::from)
    }

    /// Remembers the study opened (failing quietly: a read-only or
    /// in-memory store has nothing to keep it in).
    pub async fn remember_study(&self, id: String) {
        if let Err(e) = with_store(&self.store, move |s| s.set_last_study(&id)).await {
            tracing::debug!(error = %e, "the study opened was not remembered");
        }
    }

    pub async fn languages(&self, study_id: String) -> Result<Vec<String>, MirrorError> {
        with_store(&self.store, move |s| s.languages(&study_id))
            .await
            .map_err(MirrorError::from)
    }

    /// The store's `data_version` (`None` in memory, where no other
    /// connection can write).
    pub async fn data_version(&self) -> Option<i64> {
        with_store(&self.store, |s| {
            if s.is_memory() {
                return Ok(None);
            }
            s.data_version().map(Some)
        })
        .await
        .ok()
        .flatten()
    }

    pub async fn tags(&self, study_id: String) -> Result<Vec<String>, MirrorError> {
        with_store(&self.store, move |s| s.study_tags(&study_id))
            .await
            .map_err(MirrorError::from)
    }

    pub async fn overview(&self, query: ListQuery) -> Result<Overview, MirrorError> {
        with_store(&self.store, move |s| s.overview(&query))
            .await
            .map_err(MirrorError::from)
    }

    /// Runs a store call for the browser (coding's reads and changes).
    pub async fn call<T, F>(&self, f: F) -> Result<T, MirrorError>
    where
        T: Send + 'static,
        F: FnOnce(&mut crate::store::Store) -> Result<T, crate::store::StoreError> + Send + 'static,
    {
        with_store(&self.store, f).await.map_err(MirrorError::from)
    }

    /// The messages of an interview that match a search.
    pub async fn hits(&self, id: String, query: String) -> Result<Vec<usize>, MirrorError> {
        with_store(&self.store, move |s| s.hit_messages(&id, &query))
            .await
            .map_err(MirrorError::from)
    }

    /// Changes an interview's marks; the answer comes once committed.
    pub async fn mark(
        &self,
        id: String,
        study_id: String,
        change: MarkChange,
    ) -> Result<(Marks, crate::store::Step), MirrorError> {
        with_store(&self.store, move |s| s.mark_step(&id, &study_id, &change))
            .await
            .map_err(MirrorError::from)
    }

    /// Mirrors a study, reporting each committed page through `report`.
    pub async fn sync(
        &self,
        study_id: &str,
        report: impl Fn(Progress) + Send + Sync + 'static,
    ) -> SyncEnd {
        let Some(source) = &self.source else {
            return SyncEnd::Failed("this session has no network (--offline)".into());
        };
        let tally = Tally::new(study_id, report);
        match sync_study(source, &self.writer, study_id, self.sync, &tally).await {
            Ok(()) => SyncEnd::Done(tally.summary()),
            Err(SyncError::Api(e @ (ApiError::Network { .. } | ApiError::Timeout { .. }))) => {
                SyncEnd::Unreachable(e.to_string())
            }
            Err(SyncError::Api(e @ ApiError::NotFound { .. })) => SyncEnd::Unknown(e.to_string()),
            Err(e) => SyncEnd::Failed(e.to_string()),
        }
    }
}
