//! Stage 4: pagination and filtering on `GET /tasks`.

mod common;

use common::{Api, TestServer};
use hyper::StatusCode;
use rust_microservice::model::{DEFAULT_LIMIT, MAX_LIMIT};
use rust_microservice::{ApiError, ListQuery};
use serde_json::{json, Value};

fn ids(page: &Value) -> Vec<u64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("`items` must be an array: {page}"))
        .iter()
        .map(|task| task["id"].as_u64().expect("id"))
        .collect()
}

async fn create_many(api: &Api, count: usize) {
    for i in 1..=count {
        api.create_task(&format!("task {i}")).await;
    }
}

async fn list(api: &Api, query: &str) -> Value {
    let response = api.get(&format!("/tasks{query}")).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "GET /tasks{query}: {}",
        String::from_utf8_lossy(&response.body)
    );
    response.json()
}

#[test]
fn stage4_parse_query_defaults_and_values() {
    let defaults = ListQuery {
        done: None,
        limit: DEFAULT_LIMIT,
        offset: 0,
    };
    assert_eq!(ListQuery::parse(None).unwrap(), defaults);
    assert_eq!(ListQuery::parse(Some("")).unwrap(), defaults);
    assert_eq!(
        ListQuery::parse(Some("done=false&limit=5&offset=7&sort=title")).unwrap(),
        ListQuery {
            done: Some(false),
            limit: 5,
            offset: 7
        }
    );
    // The last occurrence of a repeated parameter counts.
    assert_eq!(ListQuery::parse(Some("limit=5&limit=9")).unwrap().limit, 9);
    assert_eq!(ListQuery::parse(Some("limit=1")).unwrap().limit, 1);
    assert_eq!(
        ListQuery::parse(Some("limit=100")).unwrap().limit,
        MAX_LIMIT
    );
}

#[test]
fn stage4_parse_query_rejects_bad_values() {
    let bad = [
        "limit=0",
        "limit=101",
        "limit=-1",
        "limit=abc",
        "limit=",
        "limit",
        "limit=+5",
        "limit=1.5",
        "offset=-5",
        "offset=x",
        "offset=",
        "done=yes",
        "done=1",
        "done=TRUE",
        "done",
        "offset=99999999999999999999999",
    ];
    for query in bad {
        match ListQuery::parse(Some(query)) {
            Err(ApiError::InvalidQuery(_)) => {}
            other => panic!("{query:?}: expected ApiError::InvalidQuery, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn stage4_list_uses_defaults() {
    let server = TestServer::start().await;
    let empty = list(&server.api, "").await;
    assert_eq!(
        empty,
        json!({ "items": [], "total": 0, "limit": 20, "offset": 0 })
    );

    create_many(&server.api, 25).await;
    let page = list(&server.api, "").await;
    assert_eq!(ids(&page), (1..=20).collect::<Vec<u64>>());
    assert_eq!(page["total"], 25);
    assert_eq!(page["limit"], 20);
    assert_eq!(page["offset"], 0);
    assert_eq!(
        page["items"][0],
        json!({ "id": 1, "title": "task 1", "done": false, "version": 1 })
    );
}

#[tokio::test]
async fn stage4_limit_and_offset_page_through_in_id_order() {
    let server = TestServer::start().await;
    create_many(&server.api, 25).await;
    let mut seen = Vec::new();
    for offset in [0, 10, 20] {
        let page = list(&server.api, &format!("?limit=10&offset={offset}")).await;
        assert_eq!(page["total"], 25);
        assert_eq!(page["limit"], 10);
        assert_eq!(page["offset"], offset);
        seen.extend(ids(&page));
    }
    assert_eq!(seen, (1..=25).collect::<Vec<u64>>());

    let past_the_end = list(&server.api, "?offset=30").await;
    assert_eq!(ids(&past_the_end), Vec::<u64>::new());
    assert_eq!(past_the_end["total"], 25);
}

#[tokio::test]
async fn stage4_filter_by_done() {
    let server = TestServer::start().await;
    create_many(&server.api, 10).await;
    for id in [2, 4, 6] {
        let response = server
            .api
            .put_json(
                &format!("/tasks/{id}"),
                &json!({ "title": format!("task {id}"), "done": true }),
            )
            .await;
        assert_eq!(response.status, StatusCode::OK);
    }
    let done = list(&server.api, "?done=true").await;
    assert_eq!(ids(&done), vec![2, 4, 6]);
    assert_eq!(done["total"], 3);

    let open = list(&server.api, "?done=false").await;
    assert_eq!(ids(&open), vec![1, 3, 5, 7, 8, 9, 10]);
    assert_eq!(open["total"], 7);

    // Filter first, then page: `total` counts the filtered tasks.
    let paged = list(&server.api, "?done=true&limit=2&offset=1").await;
    assert_eq!(ids(&paged), vec![4, 6]);
    assert_eq!(paged["total"], 3);
}

#[tokio::test]
async fn stage4_order_is_by_id_after_updates_and_deletes() {
    let server = TestServer::start().await;
    create_many(&server.api, 5).await;
    // Updating a task does not move it; deleting one leaves a gap.
    let response = server
        .api
        .put_json(
            "/tasks/1",
            &json!({ "title": "zzz renamed", "done": false }),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        server.api.delete("/tasks/3").await.status,
        StatusCode::NO_CONTENT
    );
    server.api.create_task("newest").await;

    let page = list(&server.api, "").await;
    assert_eq!(ids(&page), vec![1, 2, 4, 5, 6]);
    assert_eq!(page["total"], 5);
    assert_eq!(page["items"][0]["title"], "zzz renamed");
}

#[tokio::test]
async fn stage4_bad_query_values_are_400() {
    let server = TestServer::start().await;
    create_many(&server.api, 3).await;
    for query in [
        "?limit=0",
        "?limit=101",
        "?limit=-1",
        "?limit=abc",
        "?limit=",
        "?offset=-5",
        "?done=yes",
    ] {
        server
            .api
            .get(&format!("/tasks{query}"))
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    }
    // The bounds themselves are fine, and unknown parameters are ignored.
    assert_eq!(ids(&list(&server.api, "?limit=1").await), vec![1]);
    assert_eq!(ids(&list(&server.api, "?limit=100").await), vec![1, 2, 3]);
    assert_eq!(
        ids(&list(&server.api, "?sort=desc&page=2").await),
        vec![1, 2, 3]
    );
}
