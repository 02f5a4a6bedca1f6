//! Case handling: the inbox's filters and counts, assignment, messages with
//! read receipts and mail notices, internal notes, the access log, the
//! contact centre's look-up — and who may do what (the authorization matrix).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::api::StaffRole;

use crate::helpers::{APPLICANT, OTHER_APPLICANT, TestApp, sample_answers, sample_form, spawn_app};

/// A form whose e-mail field is the applicant's own: notices about messages go there.
fn contact_form() -> Value {
    let mut form = sample_form();
    form["pages"][1]["fields"][0]["autocomplete"] = json!("email");
    form
}

struct World {
    app: TestApp,
    admin: String,
    handler_x: String,
    handler_x_id: String,
    handler_y: String,
    owner: String,
    contact_centre: String,
    applicant_a: String,
    applicant_b: String,
    /// A's case in service X (`bygglov`).
    case_a: String,
}

async fn world() -> World {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", contact_form(), false).await;
    app.published_service(&admin, "forskola", sample_form(), false).await;
    let (handler_x_id, handler_x) = app.staff("handlaggare_x", vec![StaffRole::Handler]).await;
    let (status, body) =
        app.put(&format!("/api/v1/services/bygglov/permissions/{handler_x_id}"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let handler_y = app.handler(&admin, "handlaggare_y", &["forskola"]).await;
    let (owner_id, owner) = app.staff("agare", vec![StaffRole::ServiceOwner]).await;
    let (status, _) =
        app.put(&format!("/api/v1/services/bygglov/permissions/{owner_id}"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, contact_centre) = app.staff("kontaktcenter", vec![StaffRole::ContactCentre]).await;
    let applicant_a = app.applicant(APPLICANT).await;
    let applicant_b = app.applicant(OTHER_APPLICANT).await;
    let (status, case) = app.submit("bygglov", Some(&applicant_a), 1, sample_answers(), None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let case_a = case["reference"].as_str().expect("reference").to_string();
    World { app, admin, handler_x, handler_x_id, handler_y, owner, contact_centre, applicant_a, applicant_b, case_a }
}

#[tokio::test]
async fn messages_flow_both_ways_with_read_receipts_and_a_notice_that_carries_no_text() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    let (status, sent) = app
        .post(&format!("/api/v1/cases/{case}/messages"), Some(&w.handler_x), &json!({"body": "Vi behöver en ritning."}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["author"], "staff");
    assert_eq!(sent["author_name"], "handlaggare_x");
    assert!(sent["read_at"].is_null());

    // The applicant reads it: the handler's name is not shown, and reading is the read receipt.
    let (status, list) = app.get(&format!("/api/v1/me/cases/{case}/messages"), Some(&w.applicant_a)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["body"], "Vi behöver en ritning.");
    assert!(list[0].get("author_name").is_none(), "{list}");
    let (status, reply) = app
        .post(
            &format!("/api/v1/me/cases/{case}/messages"),
            Some(&w.applicant_a),
            &json!({"body": "  Här kommer den.  "}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert_eq!(reply["body"], "Här kommer den.");

    let (_, list) = app.get(&format!("/api/v1/cases/{case}/messages"), Some(&w.handler_x)).await;
    let list = list.as_array().expect("messages").clone();
    assert_eq!(list.len(), 2);
    assert!(list[0]["read_at"].is_string(), "the applicant read the handler's message: {list:?}");
    assert_eq!(list[1]["author"], "applicant");
    // The applicant sees that the handler has read the reply.
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{case}/messages"), Some(&w.applicant_a)).await;
    assert!(mine[1]["read_at"].is_string(), "{mine}");

    // Each message queued one notice to the other party; none carries the text.
    let (_, outbox) = app.get("/api/v1/outbox", Some(&w.admin)).await;
    let items = outbox["items"].as_array().expect("items");
    let to_applicant: Vec<&Value> = items.iter().filter(|i| i["event"] == "message_to_applicant").collect();
    let to_handlers: Vec<&Value> = items.iter().filter(|i| i["event"] == "message_to_handlers").collect();
    assert_eq!(to_applicant.len(), 1, "{outbox}");
    assert_eq!(to_applicant[0]["recipient"], "tolvan@example.org");
    assert_eq!(to_handlers.len(), 1);
    assert_eq!(to_handlers[0]["recipient"], "funktionsbrevlada@example.org");
    let item =
        backend::db::outbox::find(&app.state.db, to_applicant[0]["id"].as_str().expect("id").parse().expect("uuid"))
            .await
            .expect("find")
            .expect("item");
    let mail = backend::outbox::render(&app.state, &item).await.expect("render");
    assert!(mail.subject.contains(case.as_str()));
    assert!(!mail.text.contains("ritning") && !mail.html.contains("ritning"), "{}", mail.text);

    // Bad input changes nothing.
    for body in [json!({"body": "   "}), json!({"body": "x".repeat(10_001)})] {
        let (status, err) = app.post(&format!("/api/v1/cases/{case}/messages"), Some(&w.handler_x), &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    }
    assert_eq!(app.count("case_messages").await, 2);
}

#[tokio::test]
async fn messaging_is_closed_in_a_status_that_says_so() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    let (status, body) =
        app.post(&format!("/api/v1/cases/{case}/status"), Some(&w.handler_x), &json!({"status": "avslutat"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, err) =
        app.post(&format!("/api/v1/me/cases/{case}/messages"), Some(&w.applicant_a), &json!({"body": "Hallå?"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["code"], "messaging_closed");
    let (status, _) =
        app.post(&format!("/api/v1/cases/{case}/messages"), Some(&w.handler_x), &json!({"body": "Hej"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(app.count("case_messages").await, 0);
}

#[tokio::test]
async fn cases_are_assigned_and_the_inbox_filters_by_assignee_dates_and_order_with_counts_per_status() {
    let w = world().await;
    let app = &w.app;
    let mut refs = vec![w.case_a.clone()];
    for _ in 0..3 {
        let (_, case) = app.submit("bygglov", Some(&w.applicant_b), 1, sample_answers(), None).await;
        refs.push(case["reference"].as_str().expect("reference").to_string());
    }
    let (status, a) =
        app.post(&format!("/api/v1/cases/{}/assign-to-me", refs[1]), Some(&w.handler_x), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["assignee_name"], "handlaggare_x");
    let (status, _) = app
        .put(&format!("/api/v1/cases/{}/assignee", refs[2]), Some(&w.handler_x), &json!({"assignee": w.handler_x_id}))
        .await;
    assert_eq!(status, StatusCode::OK);
    // Only a handler permitted on the service can be the assignee.
    let (_, others) = app.get("/api/v1/staff", Some(&w.admin)).await;
    let y_id =
        others.as_array().expect("staff").iter().find(|s| s["username"] == "handlaggare_y").expect("y")["id"].clone();
    let (status, err) =
        app.put(&format!("/api/v1/cases/{}/assignee", refs[3]), Some(&w.handler_x), &json!({"assignee": y_id})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["code"], "invalid_assignee");

    let list = |q: &str| references(app, &w.handler_x, format!("/api/v1/cases?service=bygglov{q}"));
    assert_eq!(list("&assignee=me").await, vec![refs[2].clone(), refs[1].clone()]);
    assert_eq!(list("&assignee=unassigned").await, vec![refs[3].clone(), refs[0].clone()]);
    assert_eq!(list(&format!("&assignee={}", w.handler_x_id)).await.len(), 2);
    assert_eq!(list("&sort=oldest&limit=2").await, vec![refs[0].clone(), refs[1].clone()]);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(list(&format!("&submitted_from={today}&submitted_to={today}")).await.len(), 4);
    assert!(list("&submitted_to=2020-01-01").await.is_empty());
    // Keyset pages in the oldest-first order.
    let (_, page1) = app.get("/api/v1/cases?service=bygglov&sort=oldest&limit=3", Some(&w.handler_x)).await;
    let cursor = page1["next_cursor"].as_str().expect("cursor");
    let (_, page2) =
        app.get(&format!("/api/v1/cases?service=bygglov&sort=oldest&limit=3&after={cursor}"), Some(&w.handler_x)).await;
    assert_eq!(page2["items"][0]["reference"], json!(refs[3]));
    // The summary names the assignee.
    let (_, mine) = app.get("/api/v1/cases?assignee=me", Some(&w.handler_x)).await;
    // The same id as the assignment calls, with the name beside it.
    assert_eq!(mine["items"][0]["assignee"], json!(w.handler_x_id));
    assert_eq!(mine["items"][0]["assignee_name"], "handlaggare_x");
    for bad in ["&assignee=someone", "&sort=sideways", "&submitted_from=26-11-2026"] {
        let (status, _) = app.get(&format!("/api/v1/cases?service=bygglov{bad}"), Some(&w.handler_x)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    // Unassign.
    let (status, a) =
        app.put(&format!("/api/v1/cases/{}/assignee", refs[1]), Some(&w.handler_x), &json!({"assignee": null})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(a["assignee"].is_null());

    let (_, change) = app
        .post(&format!("/api/v1/cases/{}/status", refs[0]), Some(&w.handler_x), &json!({"status": "registrerat"}))
        .await;
    assert_eq!(change["status"]["key"], "registrerat", "{change}");
    let (status, counts) = app.get("/api/v1/cases/counts?service=bygglov", Some(&w.handler_x)).await;
    assert_eq!(status, StatusCode::OK, "{counts}");
    let count = |key: &str| {
        counts.as_array().expect("counts").iter().find(|c| c["status"]["key"] == key).expect(key)["count"].clone()
    };
    assert_eq!((count("inskickat"), count("registrerat"), count("avslutat")), (json!(3), json!(1), json!(0)));
    let (status, _) = app.get("/api/v1/cases/counts?service=bygglov", Some(&w.handler_y)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn notes_stay_internal_and_every_staff_read_and_change_is_in_the_access_log() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    let (status, note) =
        app.post(&format!("/api/v1/cases/{case}/notes"), Some(&w.handler_x), &json!({"body": "Ring grannen."})).await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert_eq!(note["author_name"], "handlaggare_x");
    let (_, notes) = app.get(&format!("/api/v1/cases/{case}/notes"), Some(&w.handler_x)).await;
    assert_eq!(notes[0]["body"], "Ring grannen.");
    // Nothing the applicant can reach shows the note.
    for path in
        [format!("/api/v1/me/cases/{case}"), format!("/api/v1/me/cases/{case}/messages"), "/api/v1/me/cases".into()]
    {
        let (_, body) = app.get(&path, Some(&w.applicant_a)).await;
        assert!(!body.to_string().contains("Ring grannen"), "{path}: {body}");
    }
    app.get(&format!("/api/v1/cases/{case}"), Some(&w.handler_x)).await;
    app.post(&format!("/api/v1/cases/{case}/assign-to-me"), Some(&w.handler_x), &json!({})).await;
    let (status, lookup) = app.get(&format!("/api/v1/contact-centre/cases/{case}"), Some(&w.contact_centre)).await;
    assert_eq!(status, StatusCode::OK, "{lookup}");

    let (status, log) = app.get(&format!("/api/v1/cases/{case}/access-log"), Some(&w.admin)).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let actions: Vec<(&str, &str)> = log
        .as_array()
        .expect("log")
        .iter()
        .map(|e| (e["staff_username"].as_str().expect("user"), e["action"].as_str().expect("action")))
        .collect();
    for expected in [
        ("handlaggare_x", "add_note"),
        ("handlaggare_x", "read_notes"),
        ("handlaggare_x", "read_case"),
        ("handlaggare_x", "assign"),
        ("kontaktcenter", "look_up_status"),
    ] {
        assert!(actions.contains(&expected), "{expected:?} missing from {actions:?}");
    }
    assert_eq!(actions[0], ("kontaktcenter", "look_up_status"), "newest first");
    let (status, by_staff) = app.get(&format!("/api/v1/staff/{}/access-log", w.handler_x_id), Some(&w.admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        by_staff
            .as_array()
            .expect("log")
            .iter()
            .all(|e| e["reference"] == json!(case) && e["staff_username"] == "handlaggare_x")
    );
    assert_eq!(app.get(&format!("/api/v1/cases/{case}/access-log"), Some(&w.handler_x)).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_contact_centre_sees_a_status_and_nothing_of_the_case() {
    let w = world().await;
    let app = &w.app;
    let (status, lookup) =
        app.get(&format!("/api/v1/contact-centre/cases/{}", w.case_a), Some(&w.contact_centre)).await;
    assert_eq!(status, StatusCode::OK, "{lookup}");
    assert_eq!(lookup["status"]["key"], "inskickat");
    assert_eq!(lookup["service_name"], "Tjänst bygglov");
    let text = lookup.to_string();
    for secret in ["Tolvan", "tolvan@example.org", APPLICANT, "answers"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let (status, _) = app.get("/api/v1/contact-centre/cases/HBG-2026-999999", Some(&w.contact_centre)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_contact_centre_login_cannot_search_for_cases_a_series_of_misses_is_refused_and_logged() {
    let w = world().await;
    let app = &w.app;
    let bound = backend::routes::contact_centre::MAX_MISSES_PER_HOUR;
    for i in 0..bound {
        let (status, _) =
            app.get(&format!("/api/v1/contact-centre/cases/HBG-2026-{i:04}-AAAA"), Some(&w.contact_centre)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let resp = app
        .client
        .get(format!("{}/api/v1/contact-centre/cases/{}", app.address, w.case_a))
        .bearer_auth(&w.contact_centre)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "even a right reference waits");
    let retry: u64 = resp.headers()["retry-after"].to_str().ok().and_then(|v| v.parse().ok()).expect("Retry-After");
    assert!((3500..=3600).contains(&retry), "{retry}");
    // Somebody else's look-ups are not affected; the misses are in the server's log, without the references.
    let (_, other) = app.staff("kontaktcenter2", vec![StaffRole::ContactCentre]).await;
    assert_eq!(app.get(&format!("/api/v1/contact-centre/cases/{}", w.case_a), Some(&other)).await.0, StatusCode::OK);
    let logs = crate::helpers::captured_logs();
    assert!(logs.contains("a contact centre look-up found no case") && logs.contains("lookup.misses_last_hour=20"));
    assert!(!logs.contains("HBG-2026-0001-AAAA"), "no reference in the log");
}

/// The references a case list answers with.
async fn references(app: &TestApp, token: &str, path: String) -> Vec<String> {
    let (status, body) = app.get(&path, Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body["items"].as_array().expect("items").iter().map(|c| c["reference"].as_str().expect("r").to_string()).collect()
}

/// Who may call what: every case-related endpoint as anonymous, applicant A,
/// applicant B, the handler of the case's service (X), a handler of another
/// service (Y), the service owner, the contact centre and a platform admin.
#[tokio::test]
async fn the_authorization_matrix_holds_for_every_case_endpoint() {
    let w = world().await;
    let app = &w.app;
    let c = &w.case_a;
    let tokens: [(&str, Option<&str>); 8] = [
        ("anonymous", None),
        ("applicant_a", Some(&w.applicant_a)),
        ("applicant_b", Some(&w.applicant_b)),
        ("handler_x", Some(&w.handler_x)),
        ("handler_y", Some(&w.handler_y)),
        ("owner", Some(&w.owner)),
        ("contact_centre", Some(&w.contact_centre)),
        ("admin", Some(&w.admin)),
    ];
    // Expected status per caller, in the order of `tokens`: 401 without a token,
    // 403 with the wrong kind of token (an applicant's on a staff endpoint, or the
    // reverse) or without the role, 404 for a case the caller may not see.
    const OK: u16 = 200;
    const CREATED: u16 = 201;
    let x_id = w.handler_x_id.clone();
    // A handler's file sent with a message, for the download endpoints.
    let (status, file) = staff_file(app, &w.handler_x, c, "Karta.png", png_bytes()).await;
    assert_eq!(status, StatusCode::CREATED, "{file}");
    let f = file["id"].as_str().expect("id").to_string();
    let (status, sent) = app
        .post(&format!("/api/v1/cases/{c}/messages"), Some(&w.handler_x), &json!({"body": "Karta", "attachments": [f]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let cases: Vec<(Method, String, Value, [u16; 8])> = vec![
        (Method::GET, "/api/v1/cases".into(), Value::Null, [401, 403, 403, OK, OK, 403, 403, 403]),
        (Method::GET, "/api/v1/cases/counts".into(), Value::Null, [401, 403, 403, OK, OK, 403, 403, 403]),
        (Method::GET, format!("/api/v1/cases/{c}"), Value::Null, [401, 403, 403, OK, 404, 403, 403, 403]),
        (Method::GET, format!("/api/v1/cases/{c}/messages"), Value::Null, [401, 403, 403, OK, 404, 403, 403, 403]),
        (
            Method::POST,
            format!("/api/v1/cases/{c}/messages"),
            json!({"body": "Hej"}),
            [401, 403, 403, CREATED, 404, 403, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{c}/message-attachments?name=fil.txt"),
            json!({"text": "en fil"}),
            [401, 403, 403, CREATED, 404, 403, 403, 403],
        ),
        (
            Method::GET,
            format!("/api/v1/cases/{c}/message-attachments/{f}"),
            Value::Null,
            [401, 403, 403, OK, 404, 403, 403, 403],
        ),
        (
            Method::GET,
            format!("/api/v1/me/cases/{c}/message-attachments/{f}"),
            Value::Null,
            [401, OK, 404, 403, 403, 403, 403, 403],
        ),
        (Method::GET, format!("/api/v1/cases/{c}/notes"), Value::Null, [401, 403, 403, OK, 404, 403, 403, 403]),
        (
            Method::POST,
            format!("/api/v1/cases/{c}/notes"),
            json!({"body": "Intern"}),
            [401, 403, 403, CREATED, 404, 403, 403, 403],
        ),
        (
            Method::PUT,
            format!("/api/v1/cases/{c}/assignee"),
            json!({"assignee": x_id}),
            [401, 403, 403, OK, 404, 403, 403, 403],
        ),
        (Method::POST, format!("/api/v1/cases/{c}/assign-to-me"), json!({}), [401, 403, 403, OK, 404, 403, 403, 403]),
        (Method::GET, format!("/api/v1/cases/{c}/handlers"), Value::Null, [401, 403, 403, OK, 404, 403, 403, 403]),
        (Method::GET, format!("/api/v1/cases/{c}/access-log"), Value::Null, [401, 403, 403, 403, 403, 403, 403, OK]),
        (Method::GET, format!("/api/v1/contact-centre/cases/{c}"), Value::Null, [401, 403, 403, 403, 403, 403, OK, OK]),
        (Method::GET, "/api/v1/me/cases".into(), Value::Null, [401, OK, OK, 403, 403, 403, 403, 403]),
        (Method::GET, format!("/api/v1/me/cases/{c}"), Value::Null, [401, OK, 404, 403, 403, 403, 403, 403]),
        (Method::GET, format!("/api/v1/me/cases/{c}/messages"), Value::Null, [401, OK, 404, 403, 403, 403, 403, 403]),
        (
            Method::POST,
            format!("/api/v1/me/cases/{c}/messages"),
            json!({"body": "Hej"}),
            [401, CREATED, 404, 403, 403, 403, 403, 403],
        ),
        (Method::GET, format!("/api/v1/cases/{c}/supplements"), Value::Null, [401, 403, 403, OK, 404, 403, 403, 403]),
        (
            Method::GET,
            format!("/api/v1/me/cases/{c}/supplements"),
            Value::Null,
            [401, OK, 404, 403, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/v1/me/cases/{c}/supplements/00000000-0000-7000-8000-000000000000/answer"),
            json!({"answers": {}}),
            [401, 404, 404, 403, 403, 403, 403, 403],
        ),
        (Method::GET, "/api/v1/outbox".into(), Value::Null, [401, 403, 403, 403, 403, 403, 403, OK]),
        // The status change goes last: it closes the case.
        (
            Method::POST,
            format!("/api/v1/cases/{c}/status"),
            json!({"status": "avslutat"}),
            [401, 403, 403, OK, 404, 403, 403, 403],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &cases {
        for ((who, token), want) in tokens.iter().zip(expected) {
            let mut rb = app.client.request(method.clone(), format!("{}{path}", app.address));
            if !body.is_null() {
                rb = rb.json(body);
            }
            if let Some(t) = token {
                rb = rb.bearer_auth(t);
            }
            let got = rb.send().await.expect("request").status().as_u16();
            if got != *want {
                failures.push(format!("{method} {path} as {who}: {got}, expected {want}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Applicant B and handler Y never saw anything of A's case: no access-log entry names Y.
    let (_, log) = app.get(&format!("/api/v1/cases/{c}/access-log"), Some(&w.admin)).await;
    assert!(log.as_array().expect("log").iter().all(|e| e["staff_username"] != "handlaggare_y"), "{log}");
}

#[tokio::test]
async fn a_status_that_says_so_tells_the_applicant_by_mail_without_saying_what_changed() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    let events = |outbox: &Value| -> Vec<String> {
        outbox["items"].as_array().expect("items").iter().map(|i| i["event"].as_str().expect("e").to_string()).collect()
    };
    let (_, before) = app.get("/api/v1/outbox", Some(&w.admin)).await;
    // Registrerat does not tell the applicant; Under handläggning does (the standard list).
    for status in ["registrerat", "under_handlaggning"] {
        let (s, body) = app
            .post(
                &format!("/api/v1/cases/{case}/status"),
                Some(&w.handler_x),
                &json!({"status": status, "comment": "Bygglovet beviljas."}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
    }
    let (_, after) = app.get("/api/v1/outbox", Some(&w.admin)).await;
    let new = events(&after);
    assert_eq!(
        new.iter().filter(|e| *e == "status_changed").count(),
        1,
        "one notice, for under_handlaggning: {after} (before: {before})"
    );
    let item = after["items"].as_array().expect("items").iter().find(|i| i["event"] == "status_changed").expect("item");
    assert_eq!(item["recipient"], "tolvan@example.org");
    let stored = backend::db::outbox::find(&app.state.db, item["id"].as_str().expect("id").parse().expect("uuid"))
        .await
        .expect("find")
        .expect("item");
    let mail = backend::outbox::render(&app.state, &stored).await.expect("render");
    assert!(mail.subject.contains(case.as_str()), "{}", mail.subject);
    assert!(!mail.text.contains("beviljas") && !mail.text.contains("Under handläggning"), "{}", mail.text);
}

/// Adds "Väntar på komplettering" (awaiting supplement, the applicant may supplement) to bygglov's statuses.
async fn with_supplement_status(w: &World) {
    let mut input = crate::helpers::service_input("bygglov", false);
    let mut statuses: Vec<Value> =
        serde_json::from_value(serde_json::to_value(shared::status::standard_statuses()).expect("json")).expect("list");
    statuses.insert(
        3,
        json!({"key": "vantar", "name": "Väntar på komplettering", "kind": "awaiting_supplement",
               "applicant_may_supplement": true}),
    );
    input["statuses"] = json!(statuses);
    let (status, body) = w.app.put("/api/v1/services/bygglov", Some(&w.admin), &input).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_supplement_request_whose_stored_field_list_cannot_be_read_lets_no_field_be_changed() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    with_supplement_status(&w).await;
    let ask = json!({"message": "Ange rätt ålder.", "fields": ["alder"]});
    let (status, asked) =
        app.post(&format!("/api/v1/cases/{case}/supplement-requests"), Some(&w.handler_x), &ask).await;
    assert_eq!(status, StatusCode::CREATED, "{asked}");
    // The stored list is damaged: not a list of field keys any more.
    use sea_orm::ConnectionTrait as _;
    let db = &app.state.db;
    db.execute_unprepared("UPDATE case_supplements SET fields = '\"alder\"'").await.expect("update");
    // An empty list means "any field": a list that cannot be read must not become one.
    let path = format!("/api/v1/me/cases/{case}/supplements/{}/answer", asked["id"].as_str().expect("id"));
    let (status, body) = app.post(&path, Some(&w.applicant_a), &json!({"answers": {"namn": "Någon annan"}})).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    let (_, detail) = app.get(&format!("/api/v1/cases/{case}"), Some(&w.handler_x)).await;
    assert_ne!(detail["answers"]["namn"], "Någon annan", "nothing changed: {detail}");
    assert!(crate::helpers::captured_logs().contains("field list cannot be read"));
}

#[tokio::test]
async fn a_supplement_request_goes_to_min_sida_and_the_answer_returns_to_the_handler_as_a_diff() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    // Without a status of kind awaiting_supplement the service cannot ask.
    let ask = json!({"message": "Ange hundens namn och rätt ålder.", "fields": ["har_hund", "hundens_namn", "alder"]});
    let (status, err) = app.post(&format!("/api/v1/cases/{case}/supplement-requests"), Some(&w.handler_x), &ask).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["code"], "no_supplement_status");
    with_supplement_status(&w).await;
    let (status, err) = app
        .post(
            &format!("/api/v1/cases/{case}/supplement-requests"),
            Some(&w.handler_x),
            &json!({"message": "x", "fields": ["finns_inte"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, asked) =
        app.post(&format!("/api/v1/cases/{case}/supplement-requests"), Some(&w.handler_x), &ask).await;
    assert_eq!(status, StatusCode::CREATED, "{asked}");
    let id = asked["id"].as_str().expect("id");
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{case}"), Some(&w.applicant_a)).await;
    assert_eq!(mine["status"]["kind"], "awaiting_supplement");
    let (_, open) = app.get(&format!("/api/v1/me/cases/{case}/supplements"), Some(&w.applicant_a)).await;
    assert_eq!(open[0]["message"], "Ange hundens namn och rätt ålder.");
    assert!(open[0]["answered_at"].is_null());
    // B cannot see or answer it.
    assert_eq!(
        app.get(&format!("/api/v1/me/cases/{case}/supplements"), Some(&w.applicant_b)).await.0,
        StatusCode::NOT_FOUND
    );
    let path = format!("/api/v1/me/cases/{case}/supplements/{id}/answer");
    assert_eq!(
        app.post(&path, Some(&w.applicant_b), &json!({"answers": {"alder": 41}})).await.0,
        StatusCode::NOT_FOUND
    );
    // A field not asked about, and an invalid answer, change nothing.
    let (status, err) = app.post(&path, Some(&w.applicant_a), &json!({"answers": {"namn": "Någon annan"}})).await;
    assert_eq!(
        (status, err["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("field_not_requested")),
        "{err}"
    );
    let (status, err) = app.post(&path, Some(&w.applicant_a), &json!({"answers": {"har_hund": true}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the dog's name is now required: {err}");
    assert_eq!(err["errors"][0]["field"], "hundens_namn", "{err}");
    let (_, still) = app.get(&format!("/api/v1/me/cases/{case}"), Some(&w.applicant_a)).await;
    assert_eq!(still["answers"]["har_hund"], false);
    assert_eq!(still["status"]["kind"], "awaiting_supplement");

    let (status, answered) = app
        .post(&path, Some(&w.applicant_a), &json!({"answers": {"har_hund": true, "hundens_namn": "Fido", "alder": 41}}))
        .await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert!(answered["answered_at"].is_string());
    // Back with the handler, in the status it had, with the diff.
    let (_, detail) = app.get(&format!("/api/v1/cases/{case}"), Some(&w.handler_x)).await;
    assert_eq!(detail["status"]["key"], "inskickat");
    assert_eq!(
        (detail["answers"]["hundens_namn"].clone(), detail["answers"]["alder"].clone()),
        (json!("Fido"), json!(41))
    );
    let (_, supplements) = app.get(&format!("/api/v1/cases/{case}/supplements"), Some(&w.handler_x)).await;
    let changes = supplements[0]["changes"].as_array().expect("changes");
    let change = |f: &str| changes.iter().find(|c| c["field"] == f).cloned().expect(f);
    assert_eq!(change("alder")["before"], 40);
    assert_eq!(change("alder")["after"], 41);
    assert_eq!(change("har_hund")["after"], true);
    assert!(change("hundens_namn")["before"].is_null());
    assert_eq!(changes.len(), 3, "{changes:?}");
    // The request is closed; answering again is 404.
    assert_eq!(
        app.post(&path, Some(&w.applicant_a), &json!({"answers": {"alder": 42}})).await.0,
        StatusCode::NOT_FOUND
    );
    // The applicant was told (no message text in the queue's events), and the handlers were.
    let (_, outbox) = app.get("/api/v1/outbox", Some(&w.admin)).await;
    let events: Vec<&str> =
        outbox["items"].as_array().expect("items").iter().map(|i| i["event"].as_str().expect("e")).collect();
    assert!(events.contains(&"supplement_requested") && events.contains(&"supplement_received"), "{events:?}");
}

#[tokio::test]
async fn a_closed_case_shows_its_purge_day_to_the_applicant_and_the_handler() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    let (_, open) = app.get(&format!("/api/v1/me/cases/{case}"), Some(&w.applicant_a)).await;
    assert!(open.get("purge_on").is_none(), "an open case has no purge day: {open}");
    let (status, closed) =
        app.post(&format!("/api/v1/cases/{case}/status"), Some(&w.handler_x), &json!({"status": "avslutat"})).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    // The sample service keeps closed cases 30 days (whole days, UTC).
    let expected = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
    assert_eq!(closed["purge_on"], json!(expected));
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{case}"), Some(&w.applicant_a)).await;
    assert_eq!(mine["purge_on"], json!(expected));
    let (_, list) = app.get("/api/v1/me/cases", Some(&w.applicant_a)).await;
    assert_eq!(list[0]["purge_on"], json!(expected));
}

#[tokio::test]
async fn the_portal_reads_the_persons_cases_from_its_own_origin_and_only_embed_views_may_be_framed() {
    let portal = "https://minasidor.example.se";
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        portal_origins: vec![portal.into()],
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let token = app.applicant(APPLICANT).await;
    app.submit("bygglov", Some(&token), 1, sample_answers(), None).await;
    let url = format!("{}/api/v1/me/cases", app.address);
    // The preflight of an allowed origin is answered; a stranger's is not.
    let pre = |origin: &str| {
        app.client
            .request(Method::OPTIONS, &url)
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization")
            .send()
    };
    let ok = pre(portal).await.expect("preflight");
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    assert_eq!(ok.headers()["access-control-allow-origin"], portal);
    assert!(ok.headers()["access-control-allow-headers"].to_str().expect("h").contains("Authorization"));
    let stranger = pre("https://evil.example.org").await.expect("preflight");
    assert!(stranger.headers().get("access-control-allow-origin").is_none());
    // The read itself carries the header for the portal only.
    let r = app.client.get(&url).bearer_auth(&token).header("Origin", portal).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["access-control-allow-origin"], portal);
    let cases: Value = r.json().await.expect("json");
    assert_eq!(cases[0]["status"]["key"], "inskickat");
    let r = app
        .client
        .get(&url)
        .bearer_auth(&token)
        .header("Origin", "https://evil.example.org")
        .send()
        .await
        .expect("get");
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // Other APIs get no CORS even for the portal.
    let r =
        app.client.get(format!("{}/api/v1/catalogue", app.address)).header("Origin", portal).send().await.expect("get");
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // Framing: nobody frames ordinary pages; the portal may frame /embed/ views.
    let page = app.client.get(format!("{}/mina-sidor", app.address)).send().await.expect("page");
    assert_eq!(page.headers()["content-security-policy"], "frame-ancestors 'none'");
    let embed = app.client.get(format!("{}/embed/cases", app.address)).send().await.expect("embed");
    assert_eq!(embed.headers()["content-security-policy"], format!("frame-ancestors 'self' {portal}"));
}

#[tokio::test]
async fn the_case_view_names_its_service_statuses_and_assignee_and_lists_who_it_can_be_assigned_to() {
    let w = world().await;
    let app = &w.app;
    let c = &w.case_a;
    let (status, handlers) = app.get(&format!("/api/v1/cases/{c}/handlers"), Some(&w.handler_x)).await;
    assert_eq!(status, StatusCode::OK, "{handlers}");
    // Handler x is permitted on the service, and the handler its publication required; the service
    // owner is permitted too but is no handler, and handler y is a handler of another service.
    let names: Vec<&str> = handlers.as_array().into_iter().flatten().filter_map(|h| h["name"].as_str()).collect();
    assert_eq!(names, ["handlaggare_x", "mottagare-bygglov"]);
    assert_eq!(handlers[0]["id"], json!(w.handler_x_id));

    let (_, case) = app.get(&format!("/api/v1/cases/{c}"), Some(&w.handler_x)).await;
    assert!(case.get("assignee").is_none() && case.get("assignee_name").is_none(), "{case}");
    assert!(case["service_name"].as_str().is_some_and(|n| !n.is_empty()), "{case}");
    let keys: Vec<&str> = case["statuses"].as_array().into_iter().flatten().filter_map(|s| s["key"].as_str()).collect();
    assert!(keys.contains(&"inskickat") && keys.contains(&"avslutat"), "{keys:?}");

    let (status, _) = app.post(&format!("/api/v1/cases/{c}/assign-to-me"), Some(&w.handler_x), &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, case) = app.get(&format!("/api/v1/cases/{c}"), Some(&w.handler_x)).await;
    assert_eq!(case["assignee"], json!(w.handler_x_id));
    assert_eq!(case["assignee_name"], "handlaggare_x");
}

fn pdf_bytes(n: usize) -> Vec<u8> {
    let mut b = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    b.extend((0..n as u32).map(|i| (i.wrapping_mul(31) % 251) as u8));
    b
}

fn png_bytes() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    b.extend_from_slice(&[0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]);
    b
}

/// A handler's file for a message on `case` (`POST …/message-attachments`).
async fn staff_file(app: &TestApp, token: &str, case: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let r = app
        .client
        .post(format!("{}/api/v1/cases/{case}/message-attachments", app.address))
        .query(&[("name", name)])
        .header("Content-Type", "application/pdf")
        .bearer_auth(token)
        .body(bytes)
        .send()
        .await
        .expect("request");
    crate::helpers::json_of(r).await
}

/// A download: status and bytes.
async fn download(app: &TestApp, path: &str, token: &str) -> (StatusCode, Vec<u8>) {
    let r = app.client.get(format!("{}{path}", app.address)).bearer_auth(token).send().await.expect("request");
    (r.status(), r.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn files_travel_with_messages_both_ways_and_only_the_cases_parties_download_them() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    // The applicant sends their upload with a message; the case takes it.
    let bytes = pdf_bytes(2000);
    let (status, upload) =
        app.upload(Some(&w.applicant_a), None, "ritning.pdf", "application/octet-stream", bytes.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{upload}");
    let upload_id = upload["id"].as_str().expect("id").to_string();
    let (status, sent) = app
        .post(
            &format!("/api/v1/me/cases/{case}/messages"),
            Some(&w.applicant_a),
            &json!({"body": "Här är ritningen.", "attachments": [upload_id]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["attachments"][0]["id"], json!(upload_id));
    assert_eq!(sent["attachments"][0]["name"], "ritning.pdf");
    assert_eq!(sent["attachments"][0]["content_type"], "application/pdf", "typed by content, not by the client");
    assert_eq!(sent["attachments"][0]["size"], json!(bytes.len()));

    // The handler sees and downloads it byte for byte; the read is logged and recorded.
    let (_, list) = app.get(&format!("/api/v1/cases/{case}/messages"), Some(&w.handler_x)).await;
    assert_eq!(list[0]["attachments"][0]["id"], json!(upload_id), "{list}");
    let staff_path = format!("/api/v1/cases/{case}/message-attachments/{upload_id}");
    assert_eq!(download(app, &staff_path, &w.handler_x).await, (StatusCode::OK, bytes.clone()));
    assert_eq!(download(app, &staff_path, &w.handler_y).await.0, StatusCode::NOT_FOUND);
    let mine_path = format!("/api/v1/me/cases/{case}/message-attachments/{upload_id}");
    assert_eq!(download(app, &mine_path, &w.applicant_a).await, (StatusCode::OK, bytes.clone()));
    assert_eq!(download(app, &mine_path, &w.applicant_b).await.0, StatusCode::NOT_FOUND);
    let (_, log) = app.get(&format!("/api/v1/cases/{case}/access-log"), Some(&w.admin)).await;
    assert!(log.as_array().expect("log").iter().any(|e| e["action"] == "download_message_attachment"), "{log}");
    let id: uuid::Uuid = upload_id.parse().expect("uuid");
    let downloads = backend::db::downloads::of(&app.state.db, backend::db::downloads::Downloaded::MessageFile(id))
        .await
        .expect("downloads");
    assert_eq!(downloads.len(), 2, "one by the handler, one by the applicant");

    // The handler uploads a file; the applicant cannot read it before a message sends it.
    let png = png_bytes();
    let (status, file) = staff_file(app, &w.handler_x, case, "Karta.png", png.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{file}");
    assert_eq!(file["content_type"], "image/png");
    let file_id = file["id"].as_str().expect("id").to_string();
    let mine_path = format!("/api/v1/me/cases/{case}/message-attachments/{file_id}");
    assert_eq!(download(app, &mine_path, &w.applicant_a).await.0, StatusCode::NOT_FOUND);
    let (status, sent) = app
        .post(
            &format!("/api/v1/cases/{case}/messages"),
            Some(&w.handler_x),
            &json!({"body": "Se kartan.", "attachments": [file_id]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["attachments"][0]["name"], "Karta.png");
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{case}/messages"), Some(&w.applicant_a)).await;
    assert_eq!(mine[1]["attachments"][0]["id"], json!(file_id), "{mine}");
    assert_eq!(download(app, &mine_path, &w.applicant_a).await, (StatusCode::OK, png));
    assert_eq!(download(app, &mine_path, &w.applicant_b).await.0, StatusCode::NOT_FOUND);

    // A file goes with one message only.
    let (status, err) = app
        .post(
            &format!("/api/v1/cases/{case}/messages"),
            Some(&w.handler_x),
            &json!({"body": "Igen.", "attachments": [file_id]}),
        )
        .await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unknown_attachment")));
    let (status, err) = app
        .post(
            &format!("/api/v1/me/cases/{case}/messages"),
            Some(&w.applicant_a),
            &json!({"body": "Igen.", "attachments": [upload_id]}),
        )
        .await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unknown_attachment")));
    assert_eq!(app.count("case_messages").await, 2);
}

#[tokio::test]
async fn an_attachment_that_is_not_the_senders_or_of_an_unsafe_type_is_refused_and_nothing_changes() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    let path = format!("/api/v1/me/cases/{case}/messages");
    let send_mine = |attachments: Value| {
        let (path, token) = (path.clone(), w.applicant_a.clone());
        async move { app.post(&path, Some(&token), &json!({"body": "Bifogat.", "attachments": attachments})).await }
    };
    // Another applicant's upload.
    let (_, theirs) = app.upload(Some(&w.applicant_b), None, "b.pdf", "application/pdf", pdf_bytes(10)).await;
    let (status, err) = send_mine(json!([theirs["id"]])).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unknown_attachment")));
    // An executable, whatever its name says.
    let (_, exe) =
        app.upload(Some(&w.applicant_a), None, "faktura.pdf", "application/pdf", b"MZ\x90\0\x03".to_vec()).await;
    let (status, err) = send_mine(json!([exe["id"]])).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unsupported_file_type")));
    let exe_id: uuid::Uuid = exe["id"].as_str().expect("id").parse().expect("uuid");
    let record = backend::db::uploads::find(&app.state.db, exe_id).await.expect("find").expect("upload");
    assert!(record.case_id.is_none(), "a refused message takes no file");
    // No such upload, the same file twice, too many files.
    let (status, err) = send_mine(json!([uuid::Uuid::now_v7()])).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unknown_attachment")));
    let (_, ok) = app.upload(Some(&w.applicant_a), None, "a.pdf", "application/pdf", pdf_bytes(10)).await;
    let (status, err) = send_mine(json!([ok["id"], ok["id"]])).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("duplicate_attachment")));
    let many: Vec<String> = (0..11).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let (status, err) = send_mine(json!(many)).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("too_many_attachments")));
    // A handler's file of another case cannot go with this case's message.
    let (status, other) = app.submit("bygglov", Some(&w.applicant_a), 1, sample_answers(), None).await;
    assert_eq!(status, StatusCode::CREATED, "{other}");
    let other = other["reference"].as_str().expect("reference");
    let (_, file) = staff_file(app, &w.handler_x, other, "Karta.png", png_bytes()).await;
    let (status, err) = app
        .post(
            &format!("/api/v1/cases/{case}/messages"),
            Some(&w.handler_x),
            &json!({"body": "Se kartan.", "attachments": [file["id"]]}),
        )
        .await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unknown_attachment")));
    assert_eq!(
        download(
            app,
            &format!("/api/v1/cases/{case}/message-attachments/{}", file["id"].as_str().expect("id")),
            &w.handler_x
        )
        .await
        .0,
        StatusCode::NOT_FOUND,
        "another case's file is not this case's"
    );
    // An unsafe type is not stored for a handler either.
    let (status, err) = staff_file(app, &w.handler_x, case, "x.exe", b"MZ\x90\0\x03".to_vec()).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unsupported_file_type")));
    assert_eq!(app.count("case_messages").await, 0);
    assert_eq!(app.count("message_attachments").await, 1, "only the other case's waiting file");
}

/// Adds `status` to bygglov's standard statuses (before the closing ones).
async fn with_extra_status(w: &World, status: Value) {
    let mut input = crate::helpers::service_input("bygglov", false);
    let mut statuses: Vec<Value> =
        serde_json::from_value(serde_json::to_value(shared::status::standard_statuses()).expect("json")).expect("list");
    statuses.insert(3, status);
    input["statuses"] = json!(statuses);
    let (status, body) = w.app.put("/api/v1/services/bygglov", Some(&w.admin), &input).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn leaving_the_awaiting_supplement_status_closes_the_request_and_only_the_newest_can_be_answered() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    with_supplement_status(&w).await;
    let ask = |message: &str| {
        let (path, token, body) = (
            format!("/api/v1/cases/{case}/supplement-requests"),
            w.handler_x.clone(),
            json!({"message": message, "fields": ["alder"]}),
        );
        async move { app.post(&path, Some(&token), &body).await }
    };
    let (status, first) = ask("Rätta åldern.").await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // The handler moves the case on without waiting: the request is closed.
    let (status, body) = app
        .post(&format!("/api/v1/cases/{case}/status"), Some(&w.handler_x), &json!({"status": "under_handlaggning"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{case}/supplements"), Some(&w.applicant_a)).await;
    assert!(mine[0]["closed_at"].is_string() && mine[0]["answered_at"].is_null(), "{mine}");
    let first_path = format!("/api/v1/me/cases/{case}/supplements/{}/answer", first["id"].as_str().expect("id"));
    let (status, err) = app.post(&first_path, Some(&w.applicant_a), &json!({"answers": {"alder": 41}})).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::CONFLICT, json!("supplement_closed")), "{err}");
    assert!(err["message"].as_str().expect("message").contains("closed"), "{err}");

    // A new request: the old one still cannot be answered, the new one can.
    let (status, second) = ask("Rätta åldern, igen.").await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let (status, err) = app.post(&first_path, Some(&w.applicant_a), &json!({"answers": {"alder": 41}})).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::CONFLICT, json!("supplement_closed")), "{err}");
    let (_, still) = app.get(&format!("/api/v1/me/cases/{case}"), Some(&w.applicant_a)).await;
    assert_eq!((still["answers"]["alder"].clone(), still["status"]["key"].clone()), (json!(40), json!("vantar")));
    let second_path = format!("/api/v1/me/cases/{case}/supplements/{}/answer", second["id"].as_str().expect("id"));
    let (status, answered) = app.post(&second_path, Some(&w.applicant_a), &json!({"answers": {"alder": 42}})).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    let (_, detail) = app.get(&format!("/api/v1/cases/{case}"), Some(&w.handler_x)).await;
    assert_eq!(
        (detail["answers"]["alder"].clone(), detail["status"]["key"].clone()),
        (json!(42), json!("under_handlaggning"))
    );
}

#[tokio::test]
async fn a_supplement_request_needs_a_status_in_which_the_applicant_may_supplement() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    with_extra_status(
        &w,
        json!({"key": "vantar_intern", "name": "Väntar (internt)", "kind": "awaiting_supplement",
               "applicant_may_supplement": false}),
    )
    .await;
    let path = format!("/api/v1/cases/{case}/supplement-requests");
    let (status, err) =
        app.post(&path, Some(&w.handler_x), &json!({"message": "Komplettera.", "status": "vantar_intern"})).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("status_not_supplementable")));
    let (status, err) = app.post(&path, Some(&w.handler_x), &json!({"message": "Komplettera."})).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::CONFLICT, json!("no_supplement_status")), "{err}");
    let (_, detail) = app.get(&format!("/api/v1/cases/{case}"), Some(&w.handler_x)).await;
    assert_eq!(detail["status"]["key"], "inskickat");
    assert_eq!(app.count("case_supplements").await, 0);
}

#[tokio::test]
async fn a_manual_status_change_into_awaiting_supplement_is_refused_and_points_to_the_request() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    with_supplement_status(&w).await;
    let (status, err) =
        app.post(&format!("/api/v1/cases/{case}/status"), Some(&w.handler_x), &json!({"status": "vantar"})).await;
    assert_eq!((status, err["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("supplement_needs_request")));
    assert!(err["message"].as_str().expect("message").contains("supplement-requests"), "{err}");
    let (_, detail) = app.get(&format!("/api/v1/cases/{case}"), Some(&w.handler_x)).await;
    assert_eq!(detail["status"]["key"], "inskickat");
    assert_eq!(detail["history"].as_array().map(Vec::len), Some(1), "{detail}");
}

#[tokio::test]
async fn a_supplemented_contact_address_is_where_later_mails_about_the_case_go() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    with_supplement_status(&w).await;
    let (status, asked) = app
        .post(
            &format!("/api/v1/cases/{case}/supplement-requests"),
            Some(&w.handler_x),
            &json!({"message": "Ange en adress du läser.", "fields": ["epost"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{asked}");
    let path = format!("/api/v1/me/cases/{case}/supplements/{}/answer", asked["id"].as_str().expect("id"));
    let (status, answered) =
        app.post(&path, Some(&w.applicant_a), &json!({"answers": {"epost": "ny.adress@example.org"}})).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    let (status, sent) =
        app.post(&format!("/api/v1/cases/{case}/messages"), Some(&w.handler_x), &json!({"body": "Tack!"})).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let (_, outbox) = app.get("/api/v1/outbox", Some(&w.admin)).await;
    let recipients = |event: &str| -> Vec<String> {
        outbox["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["event"] == event)
            .map(|i| i["recipient"].as_str().expect("recipient").to_string())
            .collect()
    };
    assert_eq!(recipients("supplement_requested"), ["tolvan@example.org"], "asked at the old address");
    assert_eq!(recipients("message_to_applicant"), ["ny.adress@example.org"], "told at the new one");
}

#[tokio::test]
async fn a_message_checked_before_a_concurrent_close_is_refused_when_it_is_stored() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    // The sender read the case while it was open …
    let stale = backend::db::cases::find(&app.state.db, case).await.expect("find").expect("case");
    let service =
        backend::db::services::get_ref_by_id(&app.state.db, stale.service_id).await.expect("service").expect("ref");
    // … and the handler closes it before the message is stored.
    let (status, body) =
        app.post(&format!("/api/v1/cases/{case}/status"), Some(&w.handler_x), &json!({"status": "avslutat"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let message = shared::handling::NewMessage { body: "Hann jag?".into(), attachments: Vec::new() };
    let refused = backend::messaging::send(
        &app.state,
        &stale,
        &service,
        shared::handling::MessageAuthor::Applicant,
        None,
        &message,
    )
    .await
    .expect_err("the case is closed");
    assert_eq!(refused.code(), backend::error::ErrorCode::MessagingClosed, "{refused:?}");
    assert_eq!(app.count("case_messages").await, 0);
    let (_, outbox) = app.get("/api/v1/outbox", Some(&w.admin)).await;
    assert!(outbox["items"].as_array().expect("items").iter().all(|i| i["event"] != "message_to_handlers"));
}

#[tokio::test]
async fn a_status_change_and_its_access_log_entry_are_stored_together_or_not_at_all() {
    let w = world().await;
    let app = &w.app;
    let rec = backend::db::cases::find(&app.state.db, &w.case_a).await.expect("find").expect("case");
    let staff: uuid::Uuid = w.handler_x_id.parse().expect("uuid");
    let statuses = shared::status::standard_statuses();
    let to = statuses.iter().find(|s| s.key == "registrerat").expect("registrerat");
    let update = |from_key: &'static str| backend::db::cases::StatusUpdate {
        from_key,
        to,
        by_staff: staff,
        by_name: "handlaggare_x",
        comment: None,
        mails: backend::db::outbox::Mails {
            items: Vec::new(),
            payload: backend::outbox::Payload { reference: rec.reference.clone(), submitted_at: rec.submitted_at },
            service_id: rec.service_id,
        },
    };
    let before = backend::db::access_log::count(&app.state.db, rec.id).await.expect("count");
    // A change from a status the case no longer has stores neither.
    let changed = backend::db::cases::change_status(&app.state.db, rec.id, update("avslutat")).await.expect("change");
    assert!(!changed);
    assert_eq!(backend::db::access_log::count(&app.state.db, rec.id).await.expect("count"), before);
    let changed = backend::db::cases::change_status(&app.state.db, rec.id, update("inskickat")).await.expect("change");
    assert!(changed);
    assert_eq!(backend::db::access_log::count(&app.state.db, rec.id).await.expect("count"), before + 1);
    let (_, log) = app.get(&format!("/api/v1/cases/{}/access-log", w.case_a), Some(&w.admin)).await;
    assert_eq!(log[0]["action"], "change_status", "{log}");
    assert_eq!(log[0]["staff_username"], "handlaggare_x");
}

#[tokio::test]
async fn the_portal_gets_cors_for_reads_only_never_for_a_write_or_its_preflight() {
    let portal = "https://minasidor.example.se";
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        portal_origins: vec![portal.into()],
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", sample_form(), false).await;
    let token = app.applicant(APPLICANT).await;
    let (_, case) = app.submit("bygglov", Some(&token), 1, sample_answers(), None).await;
    let reference = case["reference"].as_str().expect("reference");
    let messages = format!("{}/api/v1/me/cases/{reference}/messages", app.address);
    let allow_origin = |r: &reqwest::Response| r.headers().get("access-control-allow-origin").cloned();
    let preflight = |method: &str| {
        app.client
            .request(Method::OPTIONS, &messages)
            .header("Origin", portal)
            .header("Access-Control-Request-Method", method)
            .header("Access-Control-Request-Headers", "authorization, content-type")
            .send()
    };
    // A read's preflight and the read itself are allowed …
    let r = preflight("GET").await.expect("preflight");
    assert_eq!((r.status(), allow_origin(&r).expect("allowed")), (StatusCode::NO_CONTENT, portal.parse().expect("hv")));
    assert!(!r.headers()["access-control-allow-methods"].to_str().expect("h").contains("POST"));
    let r = app.client.get(&messages).bearer_auth(&token).header("Origin", portal).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(allow_origin(&r).is_some());
    // … a write's preflight is not, and neither is the write's response.
    for method in ["POST", "PUT", "DELETE"] {
        let r = preflight(method).await.expect("preflight");
        assert!(allow_origin(&r).is_none(), "{method} preflight: {:?}", r.headers());
    }
    let r = app
        .client
        .post(&messages)
        .bearer_auth(&token)
        .header("Origin", portal)
        .json(&json!({"body": "Från portalen"}))
        .send()
        .await
        .expect("post");
    assert!(allow_origin(&r).is_none(), "a write's response: {:?}", r.headers());
    // An OPTIONS that is no preflight gets nothing either.
    let r = app.client.request(Method::OPTIONS, &messages).header("Origin", portal).send().await.expect("options");
    assert!(allow_origin(&r).is_none());
}

#[tokio::test]
async fn the_applicants_case_shows_its_status_history_and_what_the_status_allows_but_no_staff_names() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    let (status, body) = app
        .post(
            &format!("/api/v1/cases/{case}/status"),
            Some(&w.handler_x),
            &json!({"status": "under_handlaggning", "comment": "Vi har börjat titta på ärendet."}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, mine) = app.get(&format!("/api/v1/me/cases/{case}"), Some(&w.applicant_a)).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let history = mine["history"].as_array().expect("history");
    assert_eq!(history.len(), 2, "{mine}");
    assert_eq!(history[0]["status"]["key"], "inskickat");
    assert_eq!(history[0]["status"]["kind"], "submitted");
    assert!(history[0]["comment"].is_null());
    assert!(history[0]["at"].is_string());
    assert_eq!(history[1]["status"]["key"], "under_handlaggning");
    assert_eq!(history[1]["status"]["name"], "Under handläggning");
    assert_eq!(history[1]["comment"], "Vi har börjat titta på ärendet.");
    assert!(history.iter().all(|h| h.get("by").is_none()), "{mine}");
    assert_eq!(mine["messaging_allowed"], true);
    assert_eq!(mine["may_supplement"], false);
    // Privacy: who made the change is not the applicant's to see.
    assert!(!mine.to_string().contains("handlaggare_x"), "{mine}");
    let parsed: shared::api::ApplicantCase = serde_json::from_value(mine.clone()).expect("ApplicantCase");
    assert_eq!(parsed.history.len(), 2);

    // Closed: no more messages.
    let (status, body) =
        app.post(&format!("/api/v1/cases/{case}/status"), Some(&w.handler_x), &json!({"status": "avslutat"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{case}"), Some(&w.applicant_a)).await;
    assert_eq!(mine["messaging_allowed"], false);
    assert_eq!(mine["history"].as_array().map(Vec::len), Some(3));

    // The list stays as it was: no history, no flags.
    let (status, list) = app.get("/api/v1/me/cases", Some(&w.applicant_a)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let first = list.get("items").and_then(|i| i.get(0)).or_else(|| list.get(0)).expect("a case");
    assert!(first.get("history").is_none() && first.get("messaging_allowed").is_none(), "{list}");
}

#[tokio::test]
async fn the_handlers_history_names_the_staff_member_by_display_name_and_keeps_by_for_integrators() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    // A handler whose display name differs from the user name.
    let new_staff = json!({
        "username": "anna.h",
        "display_name": "Anna Handläggare",
        "email": "anna.h@example.org",
        "password": "anna-password-123",
        "roles": ["handler"],
    });
    let (status, anna) = app.post("/api/v1/staff", Some(&w.admin), &new_staff).await;
    assert_eq!(status, StatusCode::CREATED, "{anna}");
    let anna_id = anna["id"].as_str().expect("id");
    let (status, _) =
        app.put(&format!("/api/v1/services/bygglov/permissions/{anna_id}"), Some(&w.admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, token) = app
        .post("/api/v1/auth/staff/token", None, &json!({"username": "anna.h", "password": "anna-password-123"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    let anna = token["access_token"].as_str().expect("token");
    let (status, body) =
        app.post(&format!("/api/v1/cases/{case}/status"), Some(anna), &json!({"status": "under_handlaggning"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, detail) = app.get(&format!("/api/v1/cases/{case}"), Some(&w.handler_x)).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let history = detail["history"].as_array().expect("history");
    assert_eq!(history.len(), 2, "{detail}");
    // The submission is the applicant's: no staff name.
    assert_eq!(history[0]["by"], "applicant");
    assert!(history[0].get("by_name").is_none(), "{detail}");
    // The change is the handler's: the user name as before, and the name people read.
    assert_eq!(history[1]["by"], "anna.h");
    assert_eq!(history[1]["by_name"], "Anna Handläggare");
    let parsed: shared::api::CaseDetail = serde_json::from_value(detail.clone()).expect("CaseDetail");
    assert_eq!(parsed.history[1].by_name.as_deref(), Some("Anna Handläggare"));

    // The applicant still sees nobody's name.
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{case}"), Some(&w.applicant_a)).await;
    assert!(!mine.to_string().contains("Anna") && !mine.to_string().contains("anna.h"), "{mine}");
}

#[tokio::test]
async fn every_staff_read_of_a_case_the_api_offers_is_written_to_its_access_log_once() {
    let w = world().await;
    let app = &w.app;
    let rec = backend::db::cases::find_for_staff(&app.state.db, &w.case_a).await.expect("query").expect("case");
    // Every GET under /cases/{reference} in the API's own description, but the
    // access log itself (reading who read is not a read of the case) and the
    // handlers it can be assigned to (the service's staff, nothing of the case).
    let doc = serde_json::to_value(backend::routes::openapi()).expect("openapi");
    let reads: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(path, ops)| {
            path.starts_with("/api/v1/cases/{reference}")
                && !path.ends_with("/access-log")
                && !path.ends_with("/handlers")
                && ops.get("get").is_some()
        })
        .map(|(path, _)| path.clone())
        .collect();
    assert!(reads.len() >= 11, "{reads:?}");
    let unknown = uuid::Uuid::now_v7();
    for path in &reads {
        // Any other parameter is the id of something the case does not have.
        let mut url = path.replace("{reference}", &w.case_a);
        while let (Some(open), Some(close)) = (url.find('{'), url.find('}')) {
            url.replace_range(open..=close, &unknown.to_string());
        }
        let before = backend::db::access_log::count(&app.state.db, rec.id).await.expect("count");
        let (status, body) = app.get(&url, Some(&w.handler_x)).await;
        assert!(status == StatusCode::OK || status == StatusCode::NOT_FOUND, "{path}: {status} {body}");
        let after = backend::db::access_log::count(&app.state.db, rec.id).await.expect("count");
        assert_eq!(after, before + 1, "{path} ({status}) did not log exactly one entry");
    }
    // A handler not permitted on the service reads nothing, and nothing is logged for them.
    let before = backend::db::access_log::count(&app.state.db, rec.id).await.expect("count");
    let (status, _) = app.get(&format!("/api/v1/cases/{}", w.case_a), Some(&w.handler_y)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(backend::db::access_log::count(&app.state.db, rec.id).await.expect("count"), before);
}

#[tokio::test]
async fn a_case_whose_stored_answers_cannot_be_read_is_an_error_never_a_case_without_answers() {
    let w = world().await;
    let app = &w.app;
    let case = &w.case_a;
    use sea_orm::ConnectionTrait as _;
    app.state.db.execute_unprepared("UPDATE cases SET answers = '\"namn\"'").await.expect("update");
    for (path, token) in [
        (format!("/api/v1/cases/{case}"), &w.handler_x),
        (format!("/api/v1/me/cases/{case}"), &w.applicant_a),
        ("/api/v1/me/cases".to_string(), &w.applicant_a),
    ] {
        let (status, body) = app.get(&path, Some(token)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{path}: {body}");
        assert!(!body.to_string().contains("\"answers\""), "{path}: {body}");
    }
    assert!(crate::helpers::captured_logs().contains("stored case answers"));
}
