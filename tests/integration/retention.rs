//! Retention ("gallring"): closed cases are purged on their day (UTC, whole
//! days) and not a second earlier; legal holds and re-opening stop it; two
//! runs at once purge each case once; a purge leaves nothing of the case in
//! any table or the file store but its purge record; a file that cannot be
//! removed stays on the retry list until a later run removes it; abandoned
//! drafts and loose uploads go; the dry run, the purge log (JSON and CSV) and
//! the job's figures. The clock is injected: runs are called with the instant
//! to purge as of.

use std::path::Path;

use backend::retention::{RetentionSettings, RunError};
use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::api::StaffRole;

use crate::helpers::{APPLICANT, OTHER_APPLICANT, Options, TestApp, spawn_app, spawn_app_with};

/// A form with a file field and an e-mail field that is the applicant's contact address.
fn form() -> Value {
    json!({"pages": [{"key": "ansokan", "title": "Ansökan", "fields": [
        {"key": "beskrivning", "label": "Beskrivning", "required": true, "kind": {"type": "short_text"}},
        {"key": "epost", "label": "E-post", "required": true, "autocomplete": "email", "kind": {"type": "email"}},
        {"key": "ritning", "label": "Ritning", "kind": {"type": "file", "max_size_bytes": 1048576, "accept": [".pdf"]}}
    ]}]})
}

fn pdf(tag: &str) -> Vec<u8> {
    let mut b = b"%PDF-1.7\n".to_vec();
    b.extend_from_slice(tag.as_bytes());
    b.extend((0..2000u32).map(|i| (i.wrapping_mul(31) % 251) as u8));
    b
}

struct World {
    app: TestApp,
    admin: String,
    /// Handler and service owner on `bygglov`.
    owner: String,
    /// Handler only, on `bygglov`.
    handler: String,
    handler_id: String,
    applicant: String,
}

async fn world_with(opts: Options) -> World {
    let app = spawn_app_with(opts).await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", form(), false).await;
    let (owner_id, owner) = app.staff("agare", vec![StaffRole::Handler, StaffRole::ServiceOwner]).await;
    let (status, body) =
        app.put(&format!("/api/v1/services/bygglov/permissions/{owner_id}"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (handler_id, handler) = app.staff("hanna", vec![StaffRole::Handler]).await;
    let (status, body) =
        app.put(&format!("/api/v1/services/bygglov/permissions/{handler_id}"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let applicant = app.applicant(APPLICANT).await;
    World { app, admin, owner, handler, handler_id, applicant }
}

async fn world() -> World {
    world_with(Options::default()).await
}

/// Submits a case with `text` as its description (and a file when `with_file`); its reference.
async fn submit(w: &World, text: &str, with_file: bool) -> String {
    let mut answers = json!({"beskrivning": text, "epost": "tolvan.retention@example.org"});
    if with_file {
        let (status, up) = w.app.upload(Some(&w.applicant), None, "ritning.pdf", "application/pdf", pdf(text)).await;
        assert_eq!(status, StatusCode::CREATED, "{up}");
        answers["ritning"] =
            json!({"id": up["id"], "name": up["name"], "size": up["size"], "content_type": up["content_type"]});
    }
    let (status, case) = w.app.submit("bygglov", Some(&w.applicant), 1, answers, None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    case["reference"].as_str().expect("reference").to_string()
}

async fn set_status(w: &World, reference: &str, status_key: &str) {
    let (status, body) = w
        .app
        .post(&format!("/api/v1/cases/{reference}/status"), Some(&w.handler), &json!({"status": status_key}))
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{body} {}",
        crate::helpers::captured_logs().lines().filter(|l| l.contains("ERROR")).collect::<Vec<_>>().join("\n")
    );
}

/// The instant the case was closed, from the database.
/// The signatures the signing flow stores with a case (the applicant's with its
/// BankID evidence, a co-signer's), written directly: the purge must take them too.
async fn add_signatures(w: &World, case_id: uuid::Uuid, secret: &str) {
    use base64::Engine as _;
    use sea_orm::ActiveModelTrait as _;
    use sea_orm::ActiveValue::Set;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let now = Utc::now();
    for (position, personnummer, email) in
        [(0, APPLICANT, None), (1, OTHER_APPLICANT, Some("medsokande.retention@example.org"))]
    {
        backend::db::entity::case_signature::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            case_id: Set(case_id),
            role: Set(if position == 0 { "applicant" } else { "co_signer" }.into()),
            position: Set(position),
            personnummer: Set(personnummer.into()),
            name: Set(Some(format!("Signerare {secret}"))),
            email: Set(email.map(String::from)),
            state: Set("signed".into()),
            summary: Set(format!("Ansökan: {secret}")),
            digest: Set("ab".repeat(32)),
            requested_at: Set(now),
            provider: Set(Some("BankID".into())),
            signature: Set(Some(b64(&format!("<Signature><usrVisibleData>{secret}</usrVisibleData></Signature>")))),
            ocsp_response: Set(Some(b64("ocsp"))),
            signed_at: Set(Some(now)),
            decided_at: Set(Some(now)),
            decline_message: Set(None),
        }
        .insert(&w.app.state.db)
        .await
        .expect("signature");
    }
}

async fn closed_at(w: &World, reference: &str) -> DateTime<Utc> {
    let rec = backend::db::cases::find(&w.app.state.db, reference).await.expect("find").expect("case");
    rec.closed_at().expect("closed")
}

async fn run(w: &World, as_of: DateTime<Utc>) -> shared::api::RetentionRunView {
    backend::retention::run(&w.app.state, as_of, "manual").await.expect("run")
}

async fn exists(w: &World, reference: &str) -> bool {
    backend::db::cases::find(&w.app.state.db, reference).await.expect("find").is_some()
}

#[tokio::test]
async fn a_closed_case_is_kept_until_a_second_before_its_day_and_purged_at_midnight_utc_of_that_day() {
    let w = world().await;
    let reference = submit(&w, "Altan vid sjön", true).await;
    set_status(&w, &reference, "avslutat").await;
    let closed = closed_at(&w, &reference).await;
    let due = backend::db::retention::due_from(closed, 30).expect("due");
    assert_eq!(due.date_naive(), closed.date_naive() + chrono::Days::new(30));
    assert_eq!(due.time(), chrono::NaiveTime::MIN);

    // The date shown to the handler and on Min sida is that day.
    let (_, detail) = w.app.get(&format!("/api/v1/cases/{reference}"), Some(&w.handler)).await;
    assert_eq!(detail["purge_on"], json!(due.date_naive().to_string()));
    let (_, mine) = w.app.get(&format!("/api/v1/me/cases/{reference}"), Some(&w.applicant)).await;
    assert_eq!(mine["purge_on"], json!(due.date_naive().to_string()));

    let early = run(&w, due - Duration::seconds(1)).await;
    assert_eq!(early.cases_purged, 0);
    assert!(exists(&w, &reference).await, "purged a second early");

    let on_time = run(&w, due).await;
    assert_eq!((on_time.cases_purged, on_time.case_failures, on_time.file_failures), (1, 0, 0));
    assert_eq!(on_time.files_deleted, 1);
    assert!(!exists(&w, &reference).await);
    let (status, _) = w.app.get(&format!("/api/v1/cases/{reference}"), Some(&w.handler)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // (The run as of that day also ended the applicant's session of today: log in again.)
    let applicant = w.app.applicant(APPLICANT).await;
    let (status, _) = w.app.get(&format!("/api/v1/me/cases/{reference}"), Some(&applicant)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Running again changes nothing.
    let again = run(&w, due + Duration::days(1)).await;
    assert_eq!((again.cases_purged, again.files_deleted), (0, 0));
    assert_eq!(w.app.count("purge_records").await, 1);
}

#[tokio::test]
async fn a_case_that_is_not_closed_is_never_purged_however_old() {
    let w = world().await;
    let open = submit(&w, "Öppet ärende", false).await;
    set_status(&w, &open, "under_handlaggning").await;
    let r = run(&w, Utc::now() + Duration::days(20_000)).await;
    assert_eq!(r.cases_purged, 0);
    assert!(exists(&w, &open).await);
}

#[tokio::test]
async fn a_legal_hold_set_by_a_service_owner_stops_the_purge_until_it_is_lifted() {
    let w = world().await;
    let reference = submit(&w, "Överklagat beslut", false).await;
    set_status(&w, &reference, "avslutat").await;
    let due = backend::db::retention::due_from(closed_at(&w, &reference).await, 30).expect("due");
    let path = format!("/api/v1/cases/{reference}/legal-hold");

    // A handler without the service owner role may not; a blank reason is refused.
    let (status, err) = w.app.put(&path, Some(&w.handler), &json!({"reason": "Överklagat"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    let (status, err) = w.app.put(&path, Some(&w.owner), &json!({"reason": "   "})).await;
    assert_eq!((status, err["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("missing_text")));

    let (status, hold) =
        w.app.put(&path, Some(&w.owner), &json!({"reason": "Överklagat till förvaltningsrätten"})).await;
    assert_eq!(status, StatusCode::OK, "{hold}");
    assert_eq!(
        (hold["reason"].as_str(), hold["set_by"].as_str()),
        (Some("Överklagat till förvaltningsrätten"), Some("agare"))
    );
    let (_, detail) = w.app.get(&format!("/api/v1/cases/{reference}"), Some(&w.handler)).await;
    assert_eq!(detail["legal_hold"]["reason"], "Överklagat till förvaltningsrätten");
    assert!(detail.get("purge_on").is_none(), "a held case shows no purge date: {detail}");
    let (_, mine) = w.app.get(&format!("/api/v1/me/cases/{reference}"), Some(&w.applicant)).await;
    assert!(mine.get("purge_on").is_none() && mine.get("legal_hold").is_none(), "{mine}");

    let (status, preview) = w
        .app
        .get(
            &format!(
                "/api/v1/services/bygglov/retention-preview?at={}",
                (due + Duration::days(5)).to_rfc3339().replace('+', "%2B")
            ),
            Some(&w.owner),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!((preview["case_count"].as_u64(), preview["held_count"].as_u64()), (Some(0), Some(1)));

    assert_eq!(run(&w, due + Duration::days(5)).await.cases_purged, 0);
    assert!(exists(&w, &reference).await);

    let (status, _) = w.app.delete(&path, Some(&w.handler)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w.app.delete(&path, Some(&w.owner)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, log) = w.app.get(&format!("/api/v1/cases/{reference}/access-log"), Some(&w.admin)).await;
    let actions: Vec<&str> =
        log.as_array().map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect()).unwrap_or_default();
    assert!(actions.contains(&"set_legal_hold") && actions.contains(&"lift_legal_hold"), "{log}");

    assert_eq!(run(&w, due + Duration::days(5)).await.cases_purged, 1);
    assert!(!exists(&w, &reference).await);
}

#[tokio::test]
async fn a_platform_admin_who_handles_no_cases_reads_a_cases_retention_and_sets_and_lifts_its_hold() {
    let w = world().await;
    let reference = submit(&w, "Arkivfråga", false).await;
    set_status(&w, &reference, "avslutat").await;
    let due = backend::db::retention::due_from(closed_at(&w, &reference).await, 30).expect("due");
    let path = format!("/api/v1/cases/{reference}/legal-hold");
    // The admin is no handler: the case itself stays closed to them.
    assert_eq!(w.app.get(&format!("/api/v1/cases/{reference}"), Some(&w.admin)).await.0, StatusCode::FORBIDDEN);

    let (status, view) = w.app.get(&path, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!((view["reference"].as_str(), view["status"]["key"].as_str()), (Some(&*reference), Some("avslutat")));
    assert_eq!(view["purge_on"], json!(due.date_naive().to_string()));
    assert!(view.get("legal_hold").is_none() && view.get("answers").is_none() && view.get("applicant").is_none());

    let (status, hold) = w.app.put(&path, Some(&w.admin), &json!({"reason": "Begäran om allmän handling"})).await;
    assert_eq!(status, StatusCode::OK, "{hold}");
    let (_, view) = w.app.get(&path, Some(&w.admin)).await;
    assert_eq!(view["legal_hold"]["reason"], "Begäran om allmän handling");
    assert!(view.get("purge_on").is_none(), "{view}");
    assert_eq!(run(&w, due + Duration::days(1)).await.cases_purged, 0);
    assert_eq!(w.app.delete(&path, Some(&w.admin)).await.0, StatusCode::NO_CONTENT);

    // A handler not permitted on the service finds nothing; every read is logged.
    let (_, stranger) = w.app.staff("annan", vec![StaffRole::Handler, StaffRole::ServiceOwner]).await;
    assert_eq!(w.app.get(&path, Some(&stranger)).await.0, StatusCode::NOT_FOUND);
    let (_, log) = w.app.get(&format!("/api/v1/cases/{reference}/access-log"), Some(&w.admin)).await;
    let actions: Vec<&str> =
        log.as_array().map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect()).unwrap_or_default();
    assert_eq!(actions.iter().filter(|a| **a == "read_legal_hold").count(), 2, "{log}");
    assert!(actions.contains(&"set_legal_hold") && actions.contains(&"lift_legal_hold"), "{log}");
    assert_eq!(run(&w, due + Duration::days(1)).await.cases_purged, 1);
}

#[tokio::test]
async fn reopening_a_closed_case_cancels_its_purge_and_closing_it_again_starts_the_clock_anew() {
    let w = world().await;
    let reference = submit(&w, "Återöppnat", false).await;
    set_status(&w, &reference, "avslutat").await;
    let first = closed_at(&w, &reference).await;
    set_status(&w, &reference, "under_handlaggning").await;
    let (_, detail) = w.app.get(&format!("/api/v1/cases/{reference}"), Some(&w.handler)).await;
    assert!(detail.get("purge_on").is_none(), "{detail}");
    let due = backend::db::retention::due_from(first, 30).expect("due");
    assert_eq!(run(&w, due + Duration::days(100)).await.cases_purged, 0);
    assert!(exists(&w, &reference).await);

    set_status(&w, &reference, "avslutat").await;
    let second = closed_at(&w, &reference).await;
    assert!(second >= first);
    assert!(exists(&w, &reference).await);
    assert_eq!(run(&w, backend::db::retention::due_from(second, 30).expect("due")).await.cases_purged, 1);
}

#[tokio::test]
async fn two_runs_at_once_purge_each_case_exactly_once() {
    let w = world().await;
    let mut refs = Vec::new();
    for i in 0..6 {
        let r = submit(&w, &format!("Samtidigt {i}"), i % 2 == 0).await;
        set_status(&w, &r, "avslutat").await;
        refs.push(r);
    }
    let as_of = Utc::now() + Duration::days(40);
    let (a, b) = tokio::join!(
        backend::retention::run(&w.app.state, as_of, "manual"),
        backend::retention::run(&w.app.state, as_of, "manual")
    );
    let purged: u64 = [&a, &b].iter().filter_map(|r| r.as_ref().ok()).map(|r| r.cases_purged).sum();
    assert_eq!(purged, 6, "{a:?} {b:?}");
    assert!(a.is_ok() || matches!(a, Err(RunError::Busy)));
    assert_eq!(w.app.count("purge_records").await, 6);
    assert_eq!(w.app.count("cases").await, 0);

    // Below the lease too: two purges of the same case race, one wins.
    let w = World { applicant: w.app.applicant(APPLICANT).await, ..w };
    let r = submit(&w, "Kapplöpning", true).await;
    set_status(&w, &r, "avslutat").await;
    let rec = backend::db::cases::find(&w.app.state.db, &r).await.expect("find").expect("case");
    let rules =
        backend::db::retention::rules_by_slug(&w.app.state.db, "bygglov", w.app.state.settings.retention.defaults())
            .await
            .expect("rules")
            .expect("service");
    let purge = || {
        backend::db::retention::purge_case(
            &w.app.state.db,
            rec.id,
            shared::api::PurgeRule::Closed,
            &rules,
            as_of,
            backend::db::retention::AccessLogMode::Pseudonymise,
            None,
        )
    };
    let (x, y) = tokio::join!(purge(), purge());
    let wins = [x.expect("purge"), y.expect("purge")].iter().filter(|o| o.is_some()).count();
    assert_eq!(wins, 1);
    assert_eq!(w.app.count("purge_records").await, 7);
    assert_eq!(w.app.count("file_deletions").await, 1, "the file is queued once");
}

/// Every row of every table as text: SQLite through `quote()` of each column
/// (blobs as hex), PostgreSQL as row literals.
async fn table_rows(app: &TestApp) -> Vec<(String, String)> {
    use sea_orm::ConnectionTrait as _;
    let db = &app.state.db;
    let backend = db.get_database_backend();
    let sql = |s: String| sea_orm::Statement::from_string(backend, s);
    let mut out = Vec::new();
    if backend == sea_orm::DbBackend::Sqlite {
        let tables =
            db.query_all_raw(sql("SELECT name FROM sqlite_master WHERE type = 'table'".into())).await.expect("tables");
        for t in tables {
            let name: String = t.try_get("", "name").expect("name");
            let cols = db.query_all_raw(sql(format!("PRAGMA table_info(\"{name}\")"))).await.expect("columns");
            let cols: Vec<String> = cols.iter().map(|c| c.try_get::<String>("", "name").expect("col")).collect();
            if cols.is_empty() {
                continue;
            }
            let expr = cols.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
            for r in db.query_all_raw(sql(format!("SELECT {expr} AS row FROM \"{name}\""))).await.expect("rows") {
                out.push((name.clone(), r.try_get::<String>("", "row").unwrap_or_default().to_lowercase()));
            }
        }
    } else {
        let tables = db
            .query_all_raw(sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'".into()))
            .await
            .expect("tables");
        for t in tables {
            let name: String = t.try_get("", "tablename").expect("name");
            for r in db.query_all_raw(sql(format!("SELECT t::text AS row FROM \"{name}\" t"))).await.expect("rows") {
                out.push((name.clone(), r.try_get::<String>("", "row").expect("row").to_lowercase()));
            }
        }
    }
    out
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(files_under(&p)) } else { out.push(p) }
        }
    }
    out
}

#[tokio::test]
async fn after_a_purge_no_table_and_no_stored_file_holds_the_cases_id_reference_personnummer_or_answers() {
    let w = world().await;
    let app = &w.app;
    let secret = "Blåbärsvägen-17-Altanbygge";
    let reference = submit(&w, secret, true).await;
    let case_id = backend::db::cases::find(&app.state.db, &reference).await.expect("find").expect("case").id;
    // The case's whole life: its signatures, reads (of them too), messages both ways with files, a note,
    // a document downloaded, a supplement.
    add_signatures(&w, case_id, secret).await;
    let (status, signatures) = app.get(&format!("/api/v1/cases/{reference}/signatures"), Some(&w.handler)).await;
    assert_eq!((status, signatures.as_array().map(Vec::len)), (StatusCode::OK, Some(2)), "{signatures}");
    let (status, _) = app.get(&format!("/api/v1/cases/{reference}"), Some(&w.handler)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app
        .post(
            &format!("/api/v1/cases/{reference}/messages"),
            Some(&w.handler),
            &json!({"body": format!("Fråga om {secret}")}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, up) = app.upload(Some(&w.applicant), None, "svar.pdf", "application/pdf", pdf("svar-fil")).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    let (status, body) = app
        .post(
            &format!("/api/v1/me/cases/{reference}/messages"),
            Some(&w.applicant),
            &json!({"body": format!("Svar om {secret}"), "attachments": [up["id"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .post(
            &format!("/api/v1/cases/{reference}/notes"),
            Some(&w.handler),
            &json!({"body": format!("Anteckning {secret}")}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let r = app
        .client
        .post(format!("{}/api/v1/cases/{reference}/documents", app.address))
        .query(&[("kind", "decision"), ("name", "beslut.pdf")])
        .header("Content-Type", "application/pdf")
        .bearer_auth(&w.handler)
        .body(pdf("beslut"))
        .send()
        .await
        .expect("attach");
    assert_eq!(r.status(), StatusCode::CREATED);
    let doc: Value = r.json().await.expect("json");
    let r = app
        .client
        .get(format!("{}/api/v1/me/cases/{reference}/documents/{}", app.address, doc["id"].as_str().expect("id")))
        .bearer_auth(&w.applicant)
        .send()
        .await
        .expect("download");
    assert_eq!(r.status(), StatusCode::OK);
    // The applicant downloads the file they sent with the case too.
    let (_, mine) = app.get(&format!("/api/v1/me/cases/{reference}"), Some(&w.applicant)).await;
    let upload_id = mine["answers"]["ritning"][0]["id"].as_str().expect("upload id").to_string();
    let (status, _) =
        app.get(&format!("/api/v1/me/cases/{reference}/attachments/{upload_id}"), Some(&w.applicant)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.count("upload_downloads").await, 1);
    set_status(&w, &reference, "avslutat").await;
    // Mail about the case goes out (sent items are case data too).
    for _ in 0..100 {
        if app.count("outbox").await > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(app.count("outbox").await > 0);
    assert!(app.count("case_access_log").await > 0);
    assert_eq!(app.count("case_signatures").await, 2);
    assert!(files_under(&app.uploads_dir).len() >= 2 && !files_under(&app.documents_dir).is_empty());

    // Far enough ahead that the applicant's session has ended too.
    let r = run(&w, Utc::now() + Duration::days(400)).await;
    assert_eq!((r.cases_purged, r.case_failures, r.file_failures), (1, 0, 0), "{r:?}");
    assert_eq!(r.files_deleted, 3, "the applicant's two uploads and the decision");

    let id = case_id.to_string();
    let needles = [
        id.clone(),
        case_id.simple().to_string(),
        reference.to_lowercase(),
        APPLICANT.to_string(),
        APPLICANT[2..].to_string(),
        OTHER_APPLICANT.to_string(),
        secret.to_lowercase(),
        "tolvan.retention@example.org".to_string(),
        "medsokande.retention@example.org".to_string(),
    ];
    let rows = table_rows(app).await;
    for needle in &needles {
        let found: Vec<&String> =
            rows.iter().filter(|(_, row)| row.contains(needle.as_str())).map(|(t, _)| t).collect();
        let allowed = needle == &id || needle == &case_id.simple().to_string() || needle == &reference.to_lowercase();
        if allowed {
            assert!(found.iter().all(|t| *t == "purge_records"), "{needle} outside the purge record: {found:?}");
        } else {
            assert!(found.is_empty(), "{needle} left in {found:?}");
        }
    }
    // The purge record itself holds no personal data.
    let record: Vec<&String> = rows.iter().filter(|(t, _)| t == "purge_records").map(|(_, r)| r).collect();
    assert_eq!(record.len(), 1);
    assert!(record[0].contains(&reference.to_lowercase()));
    assert!(!record[0].contains(APPLICANT) && !record[0].contains(&secret.to_lowercase()));
    assert_eq!(app.count("case_signatures").await, 0);
    let (status, log) = app.get("/api/v1/services/bygglov/purge-log", Some(&w.owner)).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let removed = &log["items"][0]["removed"];
    assert_eq!((removed["signatures"].as_u64(), removed["notes"].as_u64()), (Some(2), Some(1)), "{log}");
    assert_eq!(removed["messages"], 2, "{log}");
    assert_eq!(removed["downloads"], 2, "the document's and the upload's: {log}");
    assert_eq!(app.count("upload_downloads").await, 0);
    // The staff's reads are kept without the case.
    assert!(app.count("purged_access_log").await > 0);
    assert_eq!(app.count("case_access_log").await, 0);

    // No stored file is left, and none holds the case's content.
    let files: Vec<_> = files_under(&app.uploads_dir).into_iter().chain(files_under(&app.documents_dir)).collect();
    assert!(files.is_empty(), "{files:?}");
    // SQLite: the deleted rows' bytes are overwritten, not merely unlinked.
    if let Some(file) = &app.sqlite_file {
        for suffix in ["", "-wal"] {
            let bytes = std::fs::read(format!("{}{suffix}", file.display())).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            for needle in [APPLICANT, OTHER_APPLICANT, secret, "tolvan.retention@example.org"] {
                assert!(!text.contains(needle), "{needle} still in the database file{suffix}");
            }
        }
    }
}

#[tokio::test]
async fn a_file_that_cannot_be_removed_stays_on_the_retry_list_and_a_later_run_removes_it() {
    let w = world().await;
    let reference = submit(&w, "Fil som sitter fast", true).await;
    set_status(&w, &reference, "avslutat").await;
    let files = files_under(&w.app.uploads_dir);
    assert_eq!(files.len(), 1);
    let path = files[0].clone();
    // The store cannot remove a non-empty directory in the file's place.
    std::fs::remove_file(&path).expect("remove");
    std::fs::create_dir_all(path.join("blocker")).expect("dir");
    let as_of = Utc::now() + Duration::days(40);
    let r = run(&w, as_of).await;
    assert_eq!((r.cases_purged, r.files_deleted, r.file_failures), (1, 0, 1), "{r:?}");
    assert!(!exists(&w, &reference).await, "the case is purged even though its file is not gone yet");
    let (status, st) = w.app.get("/api/v1/retention", Some(&w.admin)).await;
    assert_eq!(status, StatusCode::OK, "{st}");
    assert_eq!((st["files_pending"].as_u64(), st["failures_total"].as_u64()), (Some(1), Some(1)));

    // A run before the retry is due leaves it; one after removes it.
    std::fs::remove_dir_all(&path).expect("unblock");
    std::fs::write(&path, b"still here").expect("file back");
    let r = run(&w, as_of).await;
    assert_eq!((r.files_deleted, r.file_failures), (0, 0), "the retry waits: {r:?}");
    let r = run(&w, as_of + Duration::hours(1)).await;
    assert_eq!((r.files_deleted, r.file_failures), (1, 0), "{r:?}");
    assert!(!path.exists());
    assert_eq!(w.app.count("file_deletions").await, 0);
}

#[tokio::test]
async fn abandoned_drafts_go_with_the_uploads_only_they_held_and_a_recent_draft_stays() {
    let w = world().await;
    let app = &w.app;
    let (status, up) = app.upload(Some(&w.applicant), None, "utkast.pdf", "application/pdf", pdf("utkast")).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    let file = json!({"id": up["id"], "name": up["name"], "size": up["size"], "content_type": up["content_type"]});
    let (status, draft) = app
        .post(
            "/api/v1/catalogue/bygglov/drafts",
            Some(&w.applicant),
            &json!({"answers": {"beskrivning": "Utkast", "ritning": file}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(files_under(&app.uploads_dir).len(), 1);

    // The service keeps drafts 10 days (the platform's default is 90).
    let mut input = crate::helpers::service_input("bygglov", false);
    input["retention_days_for_drafts"] = json!(10);
    let (status, view) = app.put("/api/v1/services/bygglov", Some(&w.owner), &input).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(
        view["retention"],
        json!({"days_after_closing": 30, "days_for_drafts": 10, "days_awaiting_signatures": 30})
    );

    // Day 9 after the last save: kept, and its upload (older than a day, but the draft's) too.
    let saved: DateTime<Utc> = serde_json::from_value(draft["updated_at"].clone()).expect("updated_at");
    let day = |n: u64| (saved.date_naive() + chrono::Days::new(n)).and_time(chrono::NaiveTime::MIN).and_utc();
    let r = run(&w, day(10) - Duration::seconds(1)).await;
    assert_eq!((r.drafts_deleted, r.loose_files_deleted), (0, 0), "{r:?}");
    let (_, preview) = app.get("/api/v1/services/bygglov/retention-preview", Some(&w.owner)).await;
    assert_eq!(preview["draft_count"], 0);
    let r = run(&w, day(10)).await;
    assert_eq!((r.drafts_deleted, r.files_deleted), (1, 1), "{r:?}");
    assert_eq!(app.count("drafts").await, 0);
    assert_eq!(app.count("uploads").await, 0);
    assert!(files_under(&app.uploads_dir).is_empty());
}

#[tokio::test]
async fn an_upload_no_case_took_is_removed_after_a_day_unless_a_draft_holds_it() {
    let w = world().await;
    let app = &w.app;
    let (_, loose) = app.upload(Some(&w.applicant), None, "los.pdf", "application/pdf", pdf("los")).await;
    let (_, kept) = app.upload(Some(&w.applicant), None, "sparad.pdf", "application/pdf", pdf("sparad")).await;
    let file =
        json!({"id": kept["id"], "name": kept["name"], "size": kept["size"], "content_type": kept["content_type"]});
    let (status, _) =
        app.post("/api/v1/catalogue/bygglov/drafts", Some(&w.applicant), &json!({"answers": {"ritning": file}})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(run(&w, Utc::now() + Duration::hours(23)).await.loose_files_deleted, 0);
    let r = run(&w, Utc::now() + Duration::hours(25)).await;
    assert_eq!((r.loose_files_deleted, r.files_deleted), (1, 1), "{r:?}");
    let left: Vec<String> = files_under(&app.uploads_dir)
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec![kept["id"].as_str().expect("id").to_string()]);
    assert!(loose["id"].is_string());
}

#[tokio::test]
async fn the_dry_run_lists_what_is_due_for_the_services_owner_and_deletes_nothing() {
    let w = world().await;
    let reference = submit(&w, "Förhandsvisning", false).await;
    set_status(&w, &reference, "avslutat").await;
    let due = backend::db::retention::due_from(closed_at(&w, &reference).await, 30).expect("due");
    let at = |t: DateTime<Utc>| {
        format!("/api/v1/services/bygglov/retention-preview?at={}", t.to_rfc3339().replace('+', "%2B"))
    };

    let (status, p) = w.app.get(&at(due - Duration::seconds(1)), Some(&w.owner)).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["case_count"], 0);
    let (_, p) = w.app.get(&at(due), Some(&w.owner)).await;
    assert_eq!(p["case_count"], 1);
    assert_eq!(p["cases"][0]["reference"], json!(reference));
    assert_eq!(p["cases"][0]["purge_on"], json!(due.date_naive().to_string()));
    assert_eq!(p["cases"][0]["status"]["key"], "avslutat");
    assert_eq!(p["rules"]["days_after_closing"], 30);
    assert!(exists(&w, &reference).await, "a dry run deletes nothing");

    // Without `at`: the next scheduled run.
    let (_, p) = w.app.get("/api/v1/services/bygglov/retention-preview", Some(&w.owner)).await;
    let run_at: DateTime<Utc> = serde_json::from_value(p["run_at"].clone()).expect("run_at");
    assert!(run_at > Utc::now() && run_at < Utc::now() + Duration::days(1), "{p}");

    // Who may look.
    let (status, _) = w.app.get(&at(due), Some(&w.handler)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, stranger) = w.app.staff("annan_agare", vec![StaffRole::ServiceOwner]).await;
    let (status, _) = w.app.get(&at(due), Some(&stranger)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w.app.get(&at(due), Some(&w.admin)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, err) = w.app.get("/api/v1/services/bygglov/retention-preview?at=igar", Some(&w.owner)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
}

#[tokio::test]
async fn the_purge_log_lists_and_exports_each_purged_case_without_personal_data() {
    let w = world().await;
    let mut refs = Vec::new();
    for i in 0..3 {
        let r = submit(&w, &format!("Logg {i}"), i == 0).await;
        set_status(&w, &r, "avslutat").await;
        refs.push(r);
    }
    let (status, body) = w.app.get(&format!("/api/v1/cases/{}", refs[0]), Some(&w.handler)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let r = run(&w, Utc::now() + Duration::days(31)).await;
    assert_eq!(r.cases_purged, 3);

    let (status, page) = w.app.get("/api/v1/services/bygglov/purge-log?limit=2", Some(&w.owner)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    let cursor = page["next_cursor"].as_str().expect("cursor");
    let (_, rest) =
        w.app.get(&format!("/api/v1/services/bygglov/purge-log?limit=2&after={cursor}"), Some(&w.owner)).await;
    assert_eq!(rest["items"].as_array().map(Vec::len), Some(1));
    assert!(rest.get("next_cursor").is_none(), "absent on the last page, as documented: {rest}");
    let all: Vec<Value> = page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(rest["items"].as_array().into_iter().flatten())
        .cloned()
        .collect();
    let first = all.iter().find(|p| p["reference"] == json!(refs[0])).expect("record of the first case");
    assert_eq!(
        (first["rule"].as_str(), first["days"].as_u64(), first["access_log"].as_str()),
        (Some("closed"), Some(30), Some("pseudonymised"))
    );
    assert_eq!(first["removed"]["files"], 1);
    assert_eq!(first["removed"]["uploads"], 1);
    assert_eq!(first["removed"]["answers"], 3);
    assert!(first["removed"]["status_changes"].as_u64() >= Some(1));
    assert!(first["removed"]["access_log_entries"].as_u64() >= Some(2));
    assert!(first["submitted_on"].is_string() && first["closed_on"].is_string() && first["purged_at"].is_string());

    let r = w
        .app
        .client
        .get(format!("{}/api/v1/services/bygglov/purge-log.csv", w.app.address))
        .bearer_auth(&w.owner)
        .send()
        .await
        .expect("csv");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"].to_str().unwrap_or_default().contains("gallringslogg-bygglov.csv"));
    let csv = r.text().await.expect("text");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("id,reference,service,rule,days,submitted_on,closed_on,purged_at,answers"));
    for reference in &refs {
        assert!(csv.contains(reference.as_str()));
    }
    assert!(!csv.contains(APPLICANT) && !csv.contains("Logg 0") && !csv.contains("example.org"));

    // The handler's reads of the purged cases stay in their access log, under the reference.
    let (status, log) = w.app.get(&format!("/api/v1/staff/{}/access-log", w.handler_id), Some(&w.admin)).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let read = log
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["reference"] == json!(refs[0]) && e["action"] == "read_case")
        .expect("the read of the first case");
    assert_eq!(read["purged"], true);

    let (status, _) = w.app.get("/api/v1/services/bygglov/purge-log", Some(&w.handler)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) = w.app.get("/api/v1/services/bygglov/purge-log?limit=0", Some(&w.owner)).await;
    assert_eq!((status, err["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_limit")));
}

#[tokio::test]
async fn only_admins_run_the_job_by_hand_and_a_time_to_purge_as_of_needs_the_test_switch() {
    let w = world().await;
    let (status, _) = w.app.post("/api/v1/retention/runs", Some(&w.owner), &json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) =
        w.app.post("/api/v1/retention/runs", Some(&w.admin), &json!({"as_of": "2030-01-01T00:00:00Z"})).await;
    assert_eq!((status, err["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("as_of_not_allowed")));
    let (status, run) = w.app.post("/api/v1/retention/runs", Some(&w.admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert_eq!((run["trigger"].as_str(), run["cases_purged"].as_u64()), (Some("manual"), Some(0)));
    assert!(run["finished_at"].is_string());
    let (status, st) = w.app.get("/api/v1/retention", Some(&w.admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(st["runs"][0]["id"], run["id"]);
    assert_eq!((st["schedule"].as_str(), st["access_log"].as_str()), (Some("0 30 2 * * *"), Some("pseudonymise")));
    assert_eq!(st["defaults"]["days_for_drafts"], 90);
    let (status, _) = w.app.get("/api/v1/retention", Some(&w.owner)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // While another instance holds the lease, a run is refused with 409.
    let other = uuid::Uuid::new_v4();
    assert!(
        backend::db::retention::take_lease(
            &w.app.state.db,
            "retention",
            other,
            Utc::now(),
            Utc::now() + Duration::minutes(5)
        )
        .await
        .expect("lease")
    );
    let (status, err) = w.app.post("/api/v1/retention/runs", Some(&w.admin), &json!({})).await;
    assert_eq!((status, err["code"].as_str()), (StatusCode::CONFLICT, Some("retention_run_in_progress")));
}

#[tokio::test]
async fn with_the_test_switch_an_admin_purges_as_of_a_later_day_over_http() {
    let w = world_with(Options {
        retention: Some(RetentionSettings { enabled: false, allow_as_of: true, ..Default::default() }),
        ..Default::default()
    })
    .await;
    let reference = submit(&w, "Över HTTP", false).await;
    set_status(&w, &reference, "avslutat").await;
    let due = backend::db::retention::due_from(closed_at(&w, &reference).await, 30).expect("due");
    let (status, run) = w.app.post("/api/v1/retention/runs", Some(&w.admin), &json!({"as_of": due})).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert_eq!(run["cases_purged"], 1);
}

#[tokio::test]
async fn with_access_log_delete_nothing_of_the_staffs_reads_is_kept() {
    let w = world_with(Options {
        retention: Some(RetentionSettings {
            enabled: false,
            access_log: backend::retention::AccessLogSetting::Delete,
            ..Default::default()
        }),
        ..Default::default()
    })
    .await;
    let reference = submit(&w, "Radera loggen", false).await;
    set_status(&w, &reference, "avslutat").await;
    assert_eq!(run(&w, Utc::now() + Duration::days(31)).await.cases_purged, 1);
    assert_eq!(w.app.count("purged_access_log").await, 0);
    assert_eq!(w.app.count("case_access_log").await, 0);
}

#[tokio::test]
async fn the_scheduled_job_runs_on_its_cron_schedule() {
    let w = world_with(Options {
        retention: Some(RetentionSettings { enabled: true, schedule: "* * * * * *".into(), ..Default::default() }),
        ..Default::default()
    })
    .await;
    let mut runs = 0;
    for _ in 0..60 {
        runs = w.app.count("retention_runs").await;
        if runs > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(runs > 0, "no scheduled run within 6 s");
    let (_, st) = w.app.get("/api/v1/retention", Some(&w.admin)).await;
    assert_eq!(st["runs"][0]["trigger"], "schedule");
}

#[tokio::test]
async fn a_service_with_an_invalid_retention_period_is_refused_and_its_periods_are_shown() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut input = crate::helpers::service_input("gallring", false);
    input["retention_days_for_drafts"] = json!(0);
    let (status, err) = app.post("/api/v1/services", Some(&admin), &input).await;
    assert_eq!((status, err["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_retention")));
    assert!(err["message"].as_str().unwrap_or_default().contains("retention_days_for_drafts"));
    input["retention_days_for_drafts"] = json!(14);
    input["retention_days_awaiting_signatures"] = json!(7);
    let (status, view) = app.post("/api/v1/services", Some(&admin), &input).await;
    assert_eq!(status, StatusCode::CREATED, "{view}");
    assert_eq!(
        view["retention"],
        json!({"days_after_closing": 30, "days_for_drafts": 14, "days_awaiting_signatures": 7})
    );
    assert_eq!(app.count("services").await, 1);
}

#[tokio::test]
async fn moving_between_two_closed_statuses_keeps_the_first_closing_time() {
    let w = world().await;
    let mut input = crate::helpers::service_input("bygglov", false);
    let mut statuses: Vec<Value> =
        serde_json::from_value(serde_json::to_value(shared::status::standard_statuses()).expect("json")).expect("list");
    statuses.push(json!({"key": "avvisat", "name": "Avvisat", "kind": "closed"}));
    input["statuses"] = json!(statuses);
    let (status, body) = w.app.put("/api/v1/services/bygglov", Some(&w.admin), &input).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reference = submit(&w, "Två avslut", false).await;
    set_status(&w, &reference, "avslutat").await;
    let first = closed_at(&w, &reference).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    set_status(&w, &reference, "avvisat").await;
    assert_eq!(closed_at(&w, &reference).await, first);
}

#[tokio::test]
async fn a_case_left_awaiting_signatures_is_purged_after_its_period_from_the_day_it_was_started() {
    use sea_orm::ConnectionTrait as _;
    let w = world().await;
    let reference = submit(&w, "Väntar på underskrift", false).await;
    // A case whose co-signer never signed (its status and signature rows set in the database; the
    // signing flow itself is tested in signing.rs).
    let db = &w.app.state.db;
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "UPDATE cases SET status_kind = 'awaiting_signatures' WHERE reference = $1",
        _ => "UPDATE cases SET status_kind = 'awaiting_signatures' WHERE reference = ?",
    };
    db.execute_raw(sea_orm::Statement::from_sql_and_values(db.get_database_backend(), sql, [reference.clone().into()]))
        .await
        .expect("update");
    let rec = backend::db::cases::find(db, &reference).await.expect("find").expect("case");
    add_signatures(&w, rec.id, "Väntar").await;
    let due = backend::db::retention::due_from(rec.submitted_at, 30).expect("due");
    assert_eq!(run(&w, due - Duration::seconds(1)).await.cases_purged, 0);
    assert_eq!(w.app.count("case_signatures").await, 2);
    let (_, p) = w
        .app
        .get(
            &format!("/api/v1/services/bygglov/retention-preview?at={}", due.to_rfc3339().replace('+', "%2B")),
            Some(&w.owner),
        )
        .await;
    assert_eq!(p["cases"][0]["rule"], "awaiting_signatures", "{p}");
    assert_eq!(run(&w, due).await.cases_purged, 1);
    let (_, log) = w.app.get("/api/v1/services/bygglov/purge-log", Some(&w.admin)).await;
    assert_eq!(
        (log["items"][0]["rule"].as_str(), log["items"][0]["days"].as_u64()),
        (Some("awaiting_signatures"), Some(30))
    );
    assert!(log["items"][0]["closed_on"].is_null());
    assert_eq!(log["items"][0]["removed"]["signatures"], 2, "{log}");
    assert_eq!(w.app.count("case_signatures").await, 0);
}

#[tokio::test]
async fn an_attempt_still_within_its_co_signers_deadline_is_kept_past_its_period_and_purged_once_it_expires() {
    use sea_orm::ConnectionTrait as _;
    let w = world().await;
    let reference = submit(&w, "Väntar på underskrift länge", false).await;
    let db = &w.app.state.db;
    let rec = backend::db::cases::find(db, &reference).await.expect("find").expect("case");
    // Its period (30 days) ends long before the co-signers' deadline (60 days).
    let deadline = rec.submitted_at + Duration::days(60);
    let backend_kind = db.get_database_backend();
    let sql = match backend_kind {
        sea_orm::DbBackend::Postgres => {
            "UPDATE cases SET status_kind = 'awaiting_signatures', status_key = 'vantar_pa_underskrift', \
             signing_outcome = 'awaiting', signing_deadline = $1 WHERE reference = $2"
        }
        _ => {
            "UPDATE cases SET status_kind = 'awaiting_signatures', status_key = 'vantar_pa_underskrift', \
             signing_outcome = 'awaiting', signing_deadline = ? WHERE reference = ?"
        }
    };
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend_kind,
        sql,
        [deadline.into(), reference.clone().into()],
    ))
    .await
    .expect("update");
    add_signatures(&w, rec.id, "Väntar länge").await;
    let due = backend::db::retention::due_from(rec.submitted_at, 30).expect("due");
    assert_eq!(run(&w, due + Duration::days(10)).await.cases_purged, 0, "a live attempt is not purged");
    assert_eq!(w.app.count("case_signatures").await, 2);
    // The run after the deadline ends the attempt (the applicant is told) and purges it, being past its period.
    assert_eq!(run(&w, deadline + Duration::seconds(1)).await.cases_purged, 1);
    assert_eq!(w.app.count("case_signatures").await, 0);
    assert!(backend::db::cases::find(db, &reference).await.expect("find").is_none());
}

#[tokio::test]
async fn loose_uploads_behind_a_page_of_uploads_that_drafts_hold_are_still_reached() {
    let w = world_with(Options {
        retention: Some(RetentionSettings { enabled: false, batch_size: 2, ..Default::default() }),
        ..Default::default()
    })
    .await;
    let app = &w.app;
    // The three oldest uploads are held by a draft; two newer ones are loose.
    let mut held = Vec::new();
    for i in 0..3 {
        let (_, up) =
            app.upload(Some(&w.applicant), None, &format!("h{i}.pdf"), "application/pdf", pdf(&format!("h{i}"))).await;
        held.push(json!({"id": up["id"], "name": up["name"], "size": up["size"], "content_type": up["content_type"]}));
    }
    for file in &held {
        let (status, body) = app
            .post("/api/v1/catalogue/bygglov/drafts", Some(&w.applicant), &json!({"answers": {"ritning": file}}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    for i in 0..2 {
        let (status, _) =
            app.upload(Some(&w.applicant), None, &format!("l{i}.pdf"), "application/pdf", pdf(&format!("l{i}"))).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let r = run(&w, Utc::now() + Duration::hours(25)).await;
    assert_eq!((r.loose_files_deleted, r.files_deleted), (2, 2), "{r:?}");
    assert_eq!(app.count("uploads").await, 3);
}

#[tokio::test]
async fn every_list_pages_the_same_way_with_limit_and_after_and_the_same_limits() {
    let w = world().await;
    for (list, who) in
        [("/api/v1/cases", &w.handler), ("/api/v1/outbox", &w.admin), ("/api/v1/services/bygglov/purge-log", &w.admin)]
    {
        for (query, code) in
            [("limit=0", "invalid_limit"), ("limit=101", "invalid_limit"), ("after=x", "invalid_cursor")]
        {
            let (status, err) = w.app.get(&format!("{list}?{query}"), Some(who)).await;
            assert_eq!((status, err["code"].as_str()), (StatusCode::BAD_REQUEST, Some(code)), "{list}?{query}: {err}");
        }
        let (status, page) = w.app.get(&format!("{list}?limit=100"), Some(who)).await;
        assert_eq!(status, StatusCode::OK, "{list}: {page}");
        assert!(page["items"].is_array() && page.get("next_cursor").is_none(), "{list}: {page}");
    }
}
