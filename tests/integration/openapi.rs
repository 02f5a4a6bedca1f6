use reqwest::StatusCode;

use crate::helpers::spawn_app;

fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json")
}

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let generated = backend::openapi_json().expect("generate");
    let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
    if generated != committed {
        if std::env::var("UPDATE_OPENAPI").is_ok() {
            std::fs::write(committed_path(), &generated).expect("write");
            return;
        }
        panic!(
            "openapi/openapi.json is out of date: run `cargo run -p backend -- export-openapi openapi/openapi.json` (or UPDATE_OPENAPI=1 cargo test)"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_is_served_and_lists_every_operation() {
    let app = spawn_app().await;
    let (status, doc) = app.get("/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "E-tjänsteplattform API");
    let ops: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|p| {
            p.as_object()
                .into_iter()
                .flat_map(|m| m.values().filter_map(|o| o["operationId"].as_str().map(String::from)))
        })
        .collect();
    for op in ["submit_case", "list_cases", "change_case_status", "publish_form_version", "create_staff_token"] {
        assert!(ops.iter().any(|o| o == op), "{op} missing from {ops:?}");
    }
    assert!(doc["components"]["schemas"]["ApiError"].is_object());
    let r = app.client.get(format!("{}/api/docs/", app.address)).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.expect("body").contains("swagger"), "Swagger UI page");
}

/// DIGG's REST API profile and the municipalities' own API rules: a
/// personnummer never stands in a URL, where every proxy and load balancer
/// logs it. No path or query parameter of any operation may carry one.
#[test]
fn no_path_or_query_parameter_of_the_api_carries_a_personnummer() {
    let doc = serde_json::to_value(backend::routes::openapi()).expect("json");
    let mut carrying = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        if path.to_lowercase().contains("personnummer") {
            carrying.push(path.clone());
        }
        for (method, op) in item.as_object().expect("operations") {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let text = format!("{} {}", p["name"], p["description"]).to_lowercase();
                let in_url = matches!(p["in"].as_str(), Some("path" | "query"));
                if in_url && (text.contains("personnummer") || text.contains("personal identity")) {
                    carrying.push(format!("{method} {path} ?{}", p["name"]));
                }
            }
        }
    }
    assert!(carrying.is_empty(), "parameters in a URL that carry a personnummer: {carrying:?}");
}

/// Every page size the API takes states its bounds in the spec, and says how
/// the number is written.
#[test]
fn every_limit_parameter_states_its_bounds() {
    let doc = serde_json::to_value(backend::routes::openapi()).expect("json");
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            for p in op["parameters"].as_array().into_iter().flatten().filter(|p| p["name"] == "limit") {
                seen += 1;
                let schema = &p["schema"];
                assert!(schema["minimum"].is_number() && schema["maximum"].is_number(), "{method} {path}: {p}");
                assert!(p["description"].as_str().unwrap_or("").contains("decimal point"), "{method} {path}");
            }
        }
    }
    assert_eq!(seen, 4, "the list of cases, the purge log, the outbox and the builder's log");
}
