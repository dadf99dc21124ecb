//! One contract, two sources: the snapshot read directly, and the HTTP
//! client talking to the stand-in server that serves the same snapshot.
//! Every case must give the same answer from both.

mod support;

use std::sync::Arc;

use support::standin::StandIn;
use support::{KEY, http_source};
use uj::api::model::Status;
use uj::api::walk::{CursorWalk, walk};
use uj::api::{ApiError, InterviewFilters, SharedSource, SnapshotSource, Source};

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

/// The snapshot source and an HTTP source over the stand-in.
async fn both() -> (SharedSource, SharedSource, StandIn) {
    let snap = SnapshotSource::demo().expect("demo loads");
    let server = StandIn::start(snap.clone(), KEY).await;
    let http = http_source(&server.base_url(), KEY, true);
    (Arc::new(snap), Arc::new(http), server)
}

/// Runs `case` against both sources and asserts they agree; returns the
/// (shared) answer.
macro_rules! agree {
    ($snap:expr, $http:expr, |$s:ident| $case:expr) => {{
        let a = {
            let $s = &$snap;
            $case.await
        };
        let b = {
            let $s = &$http;
            $case.await
        };
        assert_eq!(a, b, "snapshot and HTTP disagree");
        a
    }};
}

#[tokio::test]
async fn studies_list_and_detail() {
    let (snap, http, _server) = both().await;
    let all = agree!(snap, http, |s| s.list_studies(None, None)).expect("lists");
    assert!(all.data.len() >= 3);
    assert!(!all.has_more);
    let first_two = agree!(snap, http, |s| s.list_studies(None, Some(2))).expect("lists");
    assert_eq!(first_two.data.len(), 2);
    assert!(first_two.has_more);
    let rest = agree!(snap, http, |s| s
        .list_studies(Some(&first_two.data[1].id), Some(100)))
    .expect("lists");
    assert_eq!(rest.data.len(), all.data.len() - 2);

    let detail = agree!(snap, http, |s| s.get_study(MAIN)).expect("study");
    assert_eq!(detail.questions.len(), 4);
    assert!(detail.interview_count.unwrap_or(0) >= 250);
    let missing = agree!(snap, http, |s| s.get_study("no-such-study"));
    assert!(matches!(missing, Err(ApiError::NotFound { .. })));
}

#[tokio::test]
async fn interview_paging_limits_and_cursor() {
    let (snap, http, _server) = both().await;
    let filters = InterviewFilters::for_study(MAIN);
    let default = agree!(snap, http, |s| s.list_interviews(&filters, None, None)).expect("page");
    assert_eq!(default.data.len(), 20, "the API's default page size");
    assert!(default.has_more);
    let capped =
        agree!(snap, http, |s| s.list_interviews(&filters, None, Some(500))).expect("page");
    assert_eq!(capped.data.len(), 100, "limit is capped at 100");
    let zero = agree!(snap, http, |s| s.list_interviews(&filters, None, Some(0)));
    assert!(matches!(zero, Err(ApiError::BadRequest { .. })), "{zero:?}");

    let next = agree!(snap, http, |s| s.list_interviews(
        &filters,
        Some(&default.data[19].id),
        Some(20)
    ))
    .expect("page");
    assert_eq!(
        next.data[0].id, capped.data[20].id,
        "the cursor continues after the given id"
    );

    let bad_cursor = agree!(snap, http, |s| s.list_interviews(
        &filters,
        Some("not-an-id"),
        None
    ));
    assert!(
        matches!(bad_cursor, Err(ApiError::BadRequest { .. })),
        "{bad_cursor:?}"
    );

    let no_study = agree!(snap, http, |s| s.list_interviews(
        &InterviewFilters::for_study("nope"),
        None,
        None
    ));
    assert!(
        matches!(no_study, Err(ApiError::NotFound { .. })),
        "{no_study:?}"
    );
}

#[tokio::test]
async fn walking_every_page_gives_every_interview_once() {
    let (snap, http, _server) = both().await;
    let filters = InterviewFilters::for_study(MAIN);
    let mut ids = Vec::new();
    for source in [&snap, &http] {
        let mut got = Vec::new();
        let mut w = CursorWalk::default();
        let stop = walk(
            &mut w,
            |cursor| {
                let (source, filters) = (source.clone(), filters.clone());
                async move {
                    source
                        .list_interviews(&filters, cursor.as_deref(), Some(37))
                        .await
                }
            },
            |i| got.push(i.id),
        )
        .await
        .expect("walks");
        assert_eq!(stop, None);
        ids.push(got);
    }
    assert_eq!(ids[0], ids[1]);
    let demo = SnapshotSource::demo().expect("demo");
    let expected: Vec<String> = demo
        .interviews_of(MAIN)
        .iter()
        .map(|d| d.interview.id.clone())
        .collect();
    assert_eq!(ids[0], expected);
}

#[tokio::test]
async fn filters_agree_and_hold() {
    let (snap, http, _server) = both().await;
    let mut f = InterviewFilters::for_study(MAIN);
    f.status = Some("started".into());
    let started = agree!(snap, http, |s| s.list_interviews(&f, None, Some(100))).expect("page");
    assert!(!started.data.is_empty());
    assert!(
        started
            .data
            .iter()
            .all(|i| i.status == Some(Status::Started))
    );

    let mut f = InterviewFilters::for_study(MAIN);
    f.quality = Some("insightful".into());
    f.status = Some("completed".into());
    let good = agree!(snap, http, |s| s.list_interviews(&f, None, Some(100))).expect("page");
    assert!(
        good.data
            .iter()
            .all(|i| i.quality_score.as_ref().map(|q| q.as_str()) == Some("insightful"))
    );

    let reference = good.data[0].reference_id.clone();
    let mut f = InterviewFilters::for_study(MAIN);
    f.reference_id = reference.clone();
    let one = agree!(snap, http, |s| s.list_interviews(&f, None, None)).expect("page");
    assert!(!one.data.is_empty());
    assert!(one.data.iter().all(|i| i.reference_id == reference));

    let mut f = InterviewFilters::for_study(MAIN);
    f.quality = Some("no-such-quality".into());
    let none = agree!(snap, http, |s| s.list_interviews(&f, None, None)).expect("page");
    assert!(none.data.is_empty() && !none.has_more);
}

#[tokio::test]
async fn interview_detail_and_not_found() {
    let (snap, http, _server) = both().await;
    let first = snap
        .list_interviews(&InterviewFilters::for_study(MAIN), None, Some(30))
        .await
        .expect("page");
    let translated = first
        .data
        .iter()
        .find(|i| i.language.as_deref() != Some("en") && i.status == Some(Status::Completed))
        .expect("a translated interview among the first 30");
    let detail = agree!(snap, http, |s| s.get_interview(&translated.id)).expect("detail");
    assert!(!detail.transcript.is_empty());
    assert!(detail.transcript.iter().all(|m| m.translated.is_some()));
    let missing = agree!(snap, http, |s| s
        .get_interview("00000000-0000-4000-8000-000000000000"));
    assert!(matches!(missing, Err(ApiError::NotFound { .. })));
    // A path-like id stays one path segment.
    let odd = agree!(snap, http, |s| s.get_interview("../studies"));
    assert!(matches!(odd, Err(ApiError::NotFound { .. })), "{odd:?}");
}

#[tokio::test]
async fn auth_is_required_and_the_key_never_leaks() {
    let (_snap, http, server) = both().await;
    assert!(http.list_studies(None, None).await.is_ok());
    let wrong = http_source(&server.base_url(), "uj_live_wrong_key_canary", true);
    let err = wrong.list_studies(None, None).await.expect_err("refused");
    assert!(
        matches!(err, ApiError::Unauthorized { status: 401, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 2, "401 is not retried");
    for text in [err.to_string(), format!("{err:?}"), format!("{wrong:?}")] {
        assert!(!text.contains("canary"), "{text}");
    }
    assert!(err.to_string().contains("USERJOURNEYS_API_KEY"));
}
