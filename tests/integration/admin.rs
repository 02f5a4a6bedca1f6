//! The first platform admin: from configuration at start-up, or from the CLI.

use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::json;

use crate::helpers::{Options, spawn_app_with};

#[tokio::test]
async fn the_first_admin_is_created_from_configuration_and_can_log_in() {
    let app = spawn_app_with(Options {
        bootstrap_admin: Some(("forsta".into(), SecretString::from("a-long-bootstrap-password"))),
        ..Default::default()
    })
    .await;
    let (status, body) = app
        .post("/api/v1/auth/staff/token", None, &json!({"username": "forsta", "password": "a-long-bootstrap-password"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().expect("token");
    let (status, staff) = app.get("/api/v1/staff", Some(token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(staff[0]["roles"], json!(["platform_admin"]));
}

#[tokio::test]
async fn the_create_admin_command_makes_an_admin_and_refuses_a_short_password() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("cli.db").display());
    let run = |password: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_backend"))
            .args(["create-admin", "--username", "cli-admin", "--email", "cli@example.org"])
            .env("DATABASE_URL", &url)
            .env("APP_ADMIN_PASSWORD", password)
            .env("RUST_LOG", "warn")
            .current_dir(dir.path())
            .output()
            .expect("run backend")
    };
    let short = run("short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12"), "{short:?}");
    let ok = run("a-long-cli-password");
    assert!(ok.status.success(), "{ok:?}");
    assert!(String::from_utf8_lossy(&ok.stdout).contains("cli-admin"));
    // The password never appears in the command's output.
    assert!(!String::from_utf8_lossy(&ok.stdout).contains("a-long-cli-password"));
    assert!(!String::from_utf8_lossy(&ok.stderr).contains("a-long-cli-password"));
}
