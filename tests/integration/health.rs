use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_ok_and_ready_answers_when_the_database_is_reachable() {
    let app = spawn_app().await;
    let (status, body) = app.get("/health", None).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (status, body) = app.get("/ready", None).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("ready")));
}

#[tokio::test]
async fn unknown_api_paths_get_the_json_error_shape() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/no-such-thing", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
    assert_eq!(body["type"], "not_found");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("/api/v1/no-such-thing")), "{body}");
}

#[tokio::test]
async fn deep_links_are_answered_with_the_spa_index() {
    let dist = tempfile::tempdir().expect("dir");
    std::fs::write(dist.path().join("index.html"), "<!doctype html><title>spa-index-marker</title>").expect("write");
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        dist_dir: Some(dist.path().to_path_buf()),
        ..Default::default()
    })
    .await;
    for path in ["/", "/tjanster/plats-i-forskola", "/mina-uppgifter", "/handlaggningar", "/mina-sidorna"] {
        let r = app.client.get(format!("{}{path}", app.address)).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.text().await.expect("body").contains("spa-index-marker"), "{path}");
    }
}

#[tokio::test]
async fn deep_links_of_mina_sidor_and_the_handlers_pages_are_answered_with_their_own_apps() {
    let dist = tempfile::tempdir().expect("dir");
    std::fs::write(dist.path().join("index.html"), "<title>applicant-marker</title>").expect("write");
    std::fs::create_dir(dist.path().join("handlaggning-app")).expect("dir");
    std::fs::write(dist.path().join("handlaggning-app/index.html"), "<title>staff-marker</title>").expect("write");
    std::fs::create_dir(dist.path().join("mina-sidor-app")).expect("dir");
    std::fs::write(dist.path().join("mina-sidor-app/index.html"), "<title>my-pages-marker</title>").expect("write");
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        dist_dir: Some(dist.path().to_path_buf()),
        ..Default::default()
    })
    .await;
    for (path, marker) in [
        ("/handlaggning", "staff-marker"),
        ("/handlaggning/arenden/HBG-2026-000001", "staff-marker"),
        ("/handlaggning/logga-in?till=%2Fhandlaggning", "staff-marker"),
        ("/mina-sidor", "my-pages-marker"),
        ("/mina-sidor/arenden/HBG-2026-000001", "my-pages-marker"),
        ("/embed/cases", "my-pages-marker"),
        ("/mina-uppgifter", "applicant-marker"),
        ("/tjanster/plats-i-forskola/ansokan", "applicant-marker"),
    ] {
        let r = app.client.get(format!("{}{path}", app.address)).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.text().await.expect("body").contains(marker), "{path}");
    }
}

#[tokio::test]
async fn a_known_path_with_a_wrong_method_gets_405_listing_the_allowed_methods() {
    let app = spawn_app().await;
    let r = app.client.delete(format!("{}/api/v1/catalogue", app.address)).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers().get("allow").and_then(|v| v.to_str().ok()), Some("GET"));
    let (_, body) = crate::helpers::json_of(r).await;
    assert_eq!(body["code"], "method_not_allowed");
    let r = app.client.patch(format!("{}/api/v1/services/bygglov", app.address)).send().await.expect("request");
    assert_eq!(r.headers().get("allow").and_then(|v| v.to_str().ok()), Some("DELETE, GET, PUT"));
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_gzip() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/api/openapi.json", app.address))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
}
