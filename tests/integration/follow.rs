//! An anonymous applicant's private link (`backend::follow_link`): sent in
//! their mails, it opens the case's status and messages, and nothing else.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, service_input, spawn_app};

/// An anonymous service whose contact e-mail is optional; its confirmation greets by first name.
async fn street_service(app: &TestApp, admin: &str) {
    let mut input = service_input("gata", true);
    input["confirmation_email_body"] = json!("Hej {{first_name}},\n\nFölj ärendet här: {{min_sida_link}}");
    input["receipt_heading"] = json!("Felanmälan är skickad");
    let (status, body) = app.post("/api/v1/services", Some(admin), &input).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let form = json!({"pages": [{"key": "fel", "title": "Felet", "fields": [
        {"key": "plats", "label": "Var är felet?", "required": true, "kind": {"type": "short_text"}},
        {"key": "epost", "label": "Din e-post (om du vill ha svar)", "autocomplete": "email", "kind": {"type": "email"}}
    ]}]});
    let (status, body) = app.post("/api/v1/services/gata/forms", Some(admin), &json!({"definition": form})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.ready_to_publish(admin, "gata").await;
    let (status, body) = app.post("/api/v1/services/gata/forms/1/publish", Some(admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The mails written so far (the file transport), as their decoded text, oldest first.
async fn mails(app: &TestApp, at_least: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&app.mail_dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        if files.len() >= at_least || Instant::now() > deadline {
            files.sort_by_key(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok());
            return files
                .iter()
                .map(|f| {
                    let raw = std::fs::read(f).expect("file");
                    let msg = mail_parser::MessageParser::default().parse(&raw).expect("MIME");
                    let to = msg.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or("").to_string();
                    format!("To: {to}\n{}", msg.body_text(0).expect("text"))
                })
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The private link in a mail: its path and token.
fn link_in(mail: &str) -> (String, String) {
    let start = mail.find("/mina-sidor/folj/").expect("a private link in the mail");
    let link: String = mail[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    let (path, token) = link.split_once('#').expect("the token after #");
    (path.to_string(), token.to_string())
}

async fn follow(app: &TestApp, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut rb = app.client.get(format!("{}{path}", app.address));
    if let Some(t) = token {
        rb = rb.header("Authorization", format!("CaseLink {t}"));
    }
    crate::helpers::json_of(rb.send().await.expect("request")).await
}

#[tokio::test]
async fn an_anonymous_reporter_follows_the_case_and_answers_the_city_through_the_private_link_in_their_mail() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    street_service(&app, &admin).await;
    let handler = app.handler(&admin, "handlaggare", &["gata"]).await;
    let (status, case) =
        app.submit("gata", None, 1, json!({"plats": "Storgatan 1", "epost": "anna@example.org"}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let reference = case["reference"].as_str().expect("reference").to_string();

    // The confirmation: "Hej!" without a name, and the private link instead of Min sida.
    let sent = mails(&app, 2).await;
    let confirmation = sent.iter().find(|m| m.starts_with("To: anna@example.org")).expect("the confirmation");
    assert!(confirmation.lines().any(|l| l.trim_end() == "Hej!"), "{confirmation}");
    let (path, token) = link_in(confirmation);
    assert_eq!(path, format!("/mina-sidor/folj/{reference}"));
    assert_eq!(token.len(), 43);
    let api = format!("/api/v1/follow/{reference}");

    // The link opens the status, without the answers; nothing else opens it.
    let (status, followed) = follow(&app, &api, Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{followed}");
    assert_eq!(followed["status"]["key"], "inskickat");
    assert!(!followed.to_string().contains("Storgatan"), "no answers through the link: {followed}");
    assert_eq!(follow(&app, &api, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(follow(&app, &api, Some(&token[..42])).await.0, StatusCode::NOT_FOUND);
    assert_eq!(follow(&app, &api, Some("x")).await.0, StatusCode::NOT_FOUND);
    let (_, other) =
        app.submit("gata", None, 1, json!({"plats": "Lillgatan 2", "epost": "bo@example.org"}), None).await;
    let other_api = format!("/api/v1/follow/{}", other["reference"].as_str().expect("reference"));
    assert_eq!(follow(&app, &other_api, Some(&token)).await.0, StatusCode::NOT_FOUND, "another case's link");
    let (_, detail) = app.get(&format!("/api/v1/cases/{reference}"), Some(&handler)).await;
    assert_eq!(detail["applicant_reach"], "private_link");

    // The city writes; the mail says to read it with the link; the reporter reads and answers.
    let (status, body) = app
        .post(&format!("/api/v1/cases/{reference}/messages"), Some(&handler), &json!({"body": "Vilken lyktstolpe?"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let sent = mails(&app, 5).await;
    let notice = sent.iter().rev().find(|m| m.starts_with("To: anna@example.org")).expect("the notice");
    assert!(notice.contains("personliga länk") && !notice.contains("Logga in"), "{notice}");
    assert_eq!(link_in(notice), (path.clone(), token.clone()));
    let (status, messages) = follow(&app, &format!("{api}/messages"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{messages}");
    assert_eq!(messages[0]["body"], "Vilken lyktstolpe?");
    let answer = app
        .client
        .post(format!("{}{api}/messages", app.address))
        .header("Authorization", format!("CaseLink {token}"))
        .json(&json!({"body": "Den vid busshållplatsen."}))
        .send()
        .await
        .expect("request");
    assert_eq!(answer.status(), StatusCode::CREATED);
    let (_, staff_view) = app.get(&format!("/api/v1/cases/{reference}/messages"), Some(&handler)).await;
    assert_eq!(staff_view[1]["body"], "Den vid busshållplatsen.");
    assert!(!crate::helpers::captured_logs().contains(&token), "the token is in no log");

    // The handler revokes the link: it opens nothing, and the reporter can no longer be written to.
    let revoke = format!("/api/v1/cases/{reference}/follow-link");
    assert_eq!(app.delete(&revoke, Some(&handler)).await.0, StatusCode::NO_CONTENT);
    assert_eq!(follow(&app, &api, Some(&token)).await.0, StatusCode::NOT_FOUND);
    let (status, err) =
        app.post(&format!("/api/v1/cases/{reference}/messages"), Some(&handler), &json!({"body": "Hallå?"})).await;
    assert_eq!((status, err["code"].as_str()), (StatusCode::CONFLICT, Some("applicant_unreachable")));
    let (_, detail) = app.get(&format!("/api/v1/cases/{reference}"), Some(&handler)).await;
    assert_eq!(detail["applicant_reach"], "unreachable");
    assert_eq!(app.delete(&revoke, Some(&handler)).await.0, StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_anonymous_report_without_an_address_has_no_link_and_a_message_to_it_is_refused_and_kept_nowhere() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    street_service(&app, &admin).await;
    let handler = app.handler(&admin, "handlaggare", &["gata"]).await;
    let (status, case) = app.submit("gata", None, 1, json!({"plats": "Parken"}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let reference = case["reference"].as_str().expect("reference");
    let (_, detail) = app.get(&format!("/api/v1/cases/{reference}"), Some(&handler)).await;
    assert_eq!(detail["applicant_reach"], "unreachable");
    let (status, err) =
        app.post(&format!("/api/v1/cases/{reference}/messages"), Some(&handler), &json!({"body": "Hej"})).await;
    assert_eq!((status, err["code"].as_str()), (StatusCode::CONFLICT, Some("applicant_unreachable")), "{err}");
    assert_eq!(app.count("case_messages").await, 0);
    // The service's own wording of its receipt comes with the catalogue.
    let (_, service) = app.get("/api/v1/catalogue/gata", None).await;
    assert_eq!(service["receipt_heading"], "Felanmälan är skickad");
}
