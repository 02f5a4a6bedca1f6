use std::io::{Read, Write};

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{APPLICANT, OTHER_APPLICANT, Options, TestApp, spawn_app, spawn_app_with};

/// A form with a required PDF field (at most 1 MB) and an optional,
/// conditional field for up to two images.
fn form_with_files() -> Value {
    json!({"pages": [{"key": "ansokan", "title": "Ansökan", "fields": [
        {"key": "beskrivning", "label": "Beskrivning", "required": true, "kind": {"type": "short_text"}},
        {"key": "ritning", "label": "Ritning", "required": true,
         "kind": {"type": "file", "max_size_bytes": 1048576, "accept": [".pdf"]}},
        {"key": "vill_bifoga_bilder", "label": "Vill du bifoga bilder?", "kind": {"type": "yes_no"}},
        {"key": "bilder", "label": "Bilder", "condition": {"op": "equals", "field": "vill_bifoga_bilder", "value": true},
         "kind": {"type": "file", "max_files": 2, "max_size_bytes": 1048576, "accept": ["image/*"]}}
    ]}]})
}

fn pdf_bytes() -> Vec<u8> {
    let mut b = b"%PDF-1.7\n".to_vec();
    b.extend((0..2000u32).map(|i| (i % 251) as u8));
    b
}

/// The file reference an upload answered with.
fn file_ref(upload: &Value) -> Value {
    json!({ "id": upload["id"], "name": upload["name"], "size": upload["size"], "content_type": upload["content_type"] })
}

fn files_on_disk(app: &TestApp) -> Vec<String> {
    std::fs::read_dir(&app.uploads_dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default()
}

async fn upload_record(app: &TestApp, id: &str) -> backend::db::uploads::UploadRecord {
    backend::db::uploads::find(&app.state.db, id.parse().expect("uuid")).await.expect("query").expect("stored")
}

#[tokio::test]
async fn an_upload_is_stored_under_its_id_with_its_sha256_and_only_its_owner_downloads_it() {
    let app = spawn_app().await;
    let me = app.applicant(APPLICANT).await;
    let bytes = pdf_bytes();
    let (status, upload) = app.upload(Some(&me), None, "Ritning våning 1.pdf", "application/pdf", bytes.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{upload}");
    let id = upload["id"].as_str().expect("id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(
        (&upload["name"], &upload["size"], &upload["content_type"]),
        (&json!("Ritning våning 1.pdf"), &json!(bytes.len()), &json!("application/pdf"))
    );
    assert!(upload.get("owner_token").is_none(), "a logged-in upload needs no token: {upload}");
    assert_eq!(files_on_disk(&app), [id], "stored under the id, never the client's name");
    assert_eq!(std::fs::read(app.uploads_dir.join(id)).expect("file"), bytes);
    let record = upload_record(&app, id).await;
    assert_eq!(record.sha256, hex::encode(Sha256::digest(&bytes)));
    assert_eq!((record.case_id, record.personnummer.as_deref()), (None, Some(APPLICANT)));

    let r =
        app.client.get(format!("{}/api/v1/me/uploads/{id}", app.address)).bearer_auth(&me).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let disposition = r.headers()["content-disposition"].to_str().expect("ascii").to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''Ritning%20v%C3%A5ning%201.pdf"), "{disposition}");
    assert_eq!(r.bytes().await.expect("body").to_vec(), bytes);

    let other = app.applicant(OTHER_APPLICANT).await;
    assert_eq!(app.get(&format!("/api/v1/me/uploads/{id}"), Some(&other)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/me/uploads/{id}"), None).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_submission_with_an_upload_takes_the_stored_values_and_attaches_the_file_to_the_case() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", form_with_files(), false).await;
    let me = app.applicant(APPLICANT).await;
    let (_, pdf) = app.upload(Some(&me), None, "ritning.pdf", "application/pdf", pdf_bytes()).await;
    let (_, png) = app.upload(Some(&me), None, "altan.png", "image/png", vec![0x89, b'P', b'N', b'G', 1, 2, 3]).await;

    // A PNG passed off as a PDF is judged by what was stored: refused.
    let disguised = json!({ "id": png["id"], "name": "altan.pdf", "size": 7, "content_type": "application/pdf" });
    let answers = json!({ "beskrivning": "Altan", "ritning": disguised });
    let (status, body) = app.submit("bygglov", Some(&me), 1, answers, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        (&body["errors"][0]["field"], &body["errors"][0]["code"]),
        (&json!("ritning"), &json!("file_type_not_allowed"))
    );

    // A wrong name, size and type in the answer: the case keeps the stored ones.
    let lies = json!({ "id": pdf["id"], "name": "något annat.pdf", "size": 1, "content_type": "application/x-annat" });
    let answers =
        json!({ "beskrivning": "Altan", "ritning": lies, "vill_bifoga_bilder": false, "bilder": [file_ref(&png)] });
    let (status, case) = app.submit("bygglov", Some(&me), 1, answers.clone(), Some("med-fil")).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(case["answers"]["ritning"], json!([file_ref(&pdf)]));
    assert!(case["answers"].get("bilder").is_none(), "a hidden field's files are not taken");
    let attached = upload_record(&app, pdf["id"].as_str().expect("id")).await;
    assert!(attached.case_id.is_some());
    assert_eq!(upload_record(&app, png["id"].as_str().expect("id")).await.case_id, None);

    // A retry with the same key finds its case, although the file is attached now.
    let (status, again) = app.submit("bygglov", Some(&me), 1, answers, Some("med-fil")).await;
    assert_eq!((status, &again["reference"]), (StatusCode::OK, &case["reference"]));
    // Another submission cannot take the same file.
    let answers = json!({ "beskrivning": "Igen", "ritning": file_ref(&pdf) });
    let (status, body) = app.submit("bygglov", Some(&me), 1, answers, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        (&body["errors"][0]["field"], &body["errors"][0]["code"]),
        (&json!("ritning"), &json!("file_unavailable"))
    );
    assert_eq!(app.count("cases").await, 1);
}

#[tokio::test]
async fn someone_elses_upload_or_an_unknown_one_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", form_with_files(), false).await;
    let me = app.applicant(APPLICANT).await;
    let other = app.applicant(OTHER_APPLICANT).await;
    let (_, theirs) = app.upload(Some(&other), None, "deras.pdf", "application/pdf", pdf_bytes()).await;

    let unknown = json!({ "id": uuid::Uuid::new_v4().to_string(), "name": "x.pdf", "size": 10, "content_type": "application/pdf" });
    let not_a_uuid =
        json!({ "id": "../../etc/passwd", "name": "x.pdf", "size": 10, "content_type": "application/pdf" });
    for file in [file_ref(&theirs), unknown, not_a_uuid] {
        let (status, body) =
            app.submit("bygglov", Some(&me), 1, json!({ "beskrivning": "Altan", "ritning": file }), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            body["errors"],
            json!([{
                "field": "ritning",
                "code": "file_unavailable",
                "message": body["errors"][0]["message"]
            }])
        );
    }
    assert_eq!(app.count("cases").await, 0);
    assert_eq!(upload_record(&app, theirs["id"].as_str().expect("id")).await.case_id, None);
}

#[tokio::test]
async fn an_upload_over_the_limit_is_413_and_leaves_no_file_on_disk() {
    let app = spawn_app_with(Options { upload_max_bytes: Some(1000), ..Default::default() }).await;
    let me = app.applicant(APPLICANT).await;
    let (status, body) = app.upload(Some(&me), None, "stor.pdf", "application/pdf", vec![7; 1001]).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")));

    // Without a Content-Length (chunked), the limit holds while streaming.
    let address = app.address.trim_start_matches("http://").to_string();
    let response = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(address).expect("connect");
        let mut request = b"POST /api/v1/uploads HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pdf\r\n\
                    X-File-Name: stor.pdf\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
        for _ in 0..4 {
            request.extend_from_slice(format!("{:x}\r\n", 400).as_bytes());
            request.extend_from_slice(&[b'x'; 400]);
            request.extend_from_slice(b"\r\n");
        }
        request.extend_from_slice(b"0\r\n\r\n");
        // One write, so the server has it all before it answers early.
        let _ = s.write_all(&request);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    })
    .await
    .expect("join");
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("payload_too_large"), "{response}");

    assert_eq!(files_on_disk(&app), Vec::<String>::new());
    assert_eq!(app.count("uploads").await, 0);
    let (status, _) = app.upload(Some(&me), None, "lagom.pdf", "application/pdf", vec![7; 1000]).await;
    assert_eq!(status, StatusCode::CREATED, "exactly the limit is fine");
}

#[tokio::test]
async fn a_malformed_upload_is_400_and_stores_nothing() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(format!("{}/api/v1/uploads", app.address))
        .header("Content-Type", "application/pdf")
        .body(pdf_bytes())
        .send()
        .await
        .expect("request");
    let (status, body) = crate::helpers::json_of(r).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_file_name")));
    for (name, content_type, bytes, code) in [
        ("../x.pdf", "application/pdf", pdf_bytes(), "invalid_file_name"),
        ("x.pdf", "pdf", pdf_bytes(), "invalid_content_type"),
        ("tom.pdf", "application/pdf", Vec::new(), "empty_file"),
    ] {
        let (status, body) = app.upload(None, None, name, content_type, bytes).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some(code)), "{name}");
    }
    let (status, body) = app.upload(None, Some("kort"), "x.pdf", "application/pdf", pdf_bytes()).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_upload_token")));
    assert_eq!(files_on_disk(&app), Vec::<String>::new());
    assert_eq!(app.count("uploads").await, 0);
}

#[tokio::test]
async fn an_anonymous_upload_belongs_to_its_owner_token_and_an_anonymous_submission_uses_it() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "felanmalan", form_with_files(), true).await;

    let (status, pdf) = app.upload(None, None, "karta.pdf", "application/pdf", pdf_bytes()).await;
    assert_eq!(status, StatusCode::CREATED, "{pdf}");
    let token = pdf["owner_token"].as_str().expect("an anonymous upload gets an owner token").to_string();
    assert!(token.len() >= 43, "{token}");
    // Further uploads of the same submission share the token.
    let (status, photo) = app.upload(None, Some(&token), "hål.jpg", "image/jpeg", vec![0xFF, 0xD8, 0xFF, 1]).await;
    assert_eq!((status, photo["owner_token"].as_str()), (StatusCode::CREATED, Some(token.as_str())));

    let answers = json!({
        "beskrivning": "Hål i gatan", "ritning": file_ref(&pdf), "vill_bifoga_bilder": true, "bilder": [file_ref(&photo)]
    });
    let submit = |upload_token: Option<String>, key: &'static str| {
        let mut rb = app
            .client
            .post(format!("{}/api/v1/catalogue/felanmalan/cases", app.address))
            .header("Idempotency-Key", key)
            .json(&json!({ "form_version": 1, "answers": answers }));
        if let Some(t) = upload_token {
            rb = rb.header("X-Upload-Token", t);
        }
        async move { crate::helpers::json_of(rb.send().await.expect("request")).await }
    };
    // Without the token, or with another one, the files are not the submitter's.
    let (_, someone_else) = app.upload(None, None, "annan.pdf", "application/pdf", pdf_bytes()).await;
    let other_token = someone_else["owner_token"].as_str().expect("token").to_string();
    for (upload_token, key) in [(None, "a"), (Some(other_token.clone()), "b")] {
        let (status, body) = submit(upload_token, key).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let fields: Vec<&str> =
            body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["ritning", "bilder"]);
    }
    // A logged-in applicant cannot take them either.
    let me = app.applicant(APPLICANT).await;
    let (status, _) = app.submit("felanmalan", Some(&me), 1, answers.clone(), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, case) = submit(Some(token.clone()), "c").await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(case["answers"]["bilder"], json!([file_ref(&photo)]));
    assert!(upload_record(&app, pdf["id"].as_str().expect("id")).await.case_id.is_some());
    assert!(upload_record(&app, photo["id"].as_str().expect("id")).await.case_id.is_some());

    // The owner token downloads; only its hash is stored.
    let path = format!("{}/api/v1/me/uploads/{}", app.address, pdf["id"].as_str().expect("id"));
    let r = app.client.get(&path).header("X-Upload-Token", &token).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.client.get(&path).header("X-Upload-Token", &other_token).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!app.database_dump().await.contains(&token), "the owner token itself is never stored");
}

#[tokio::test]
async fn a_draft_with_an_uploaded_file_submits_it_with_the_case() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", form_with_files(), false).await;
    let me = app.applicant(APPLICANT).await;
    let (_, pdf) = app.upload(Some(&me), None, "ritning.pdf", "application/pdf", pdf_bytes()).await;
    let (status, draft) = app
        .post(
            "/api/v1/catalogue/bygglov/drafts",
            Some(&me),
            &json!({ "answers": { "beskrivning": "Altan", "ritning": [file_ref(&pdf)] } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let submit = || {
        app.client
            .post(format!("{}/api/v1/me/drafts/{}/submit", app.address, draft["id"].as_str().unwrap_or("")))
            .bearer_auth(&me)
            .header("Idempotency-Key", "utkast-med-fil")
            .send()
    };
    let (status, case) = crate::helpers::json_of(submit().await.expect("submit")).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(case["answers"]["ritning"], json!([file_ref(&pdf)]));
    let (status, again) = crate::helpers::json_of(submit().await.expect("retry")).await;
    assert_eq!((status, &again["reference"]), (StatusCode::OK, &case["reference"]));
    assert_eq!((app.count("cases").await, app.count("drafts").await), (1, 0));
    assert!(upload_record(&app, pdf["id"].as_str().expect("id")).await.case_id.is_some());
}

#[tokio::test]
async fn the_content_decides_an_uploads_type_and_a_field_refuses_what_the_name_or_header_only_claims() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", form_with_files(), false).await;
    let me = app.applicant(APPLICANT).await;
    // A Windows executable named and sent as a PDF, a text file named .pdf, an SVG with a script sent as an image.
    let (status, exe) =
        app.upload(Some(&me), None, "faktura.pdf", "application/pdf", b"MZ\x90\0\x03\0\0\0".to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{exe}");
    assert_eq!(exe["content_type"], "application/octet-stream");
    let (_, text) = app.upload(Some(&me), None, "ritning.pdf", "application/pdf", b"inte en pdf\n".to_vec()).await;
    assert_eq!(text["content_type"], "text/plain; charset=utf-8");
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec();
    let (_, svg) = app.upload(Some(&me), None, "bild.svg", "image/svg+xml", svg).await;
    assert_eq!(svg["content_type"], "text/plain; charset=utf-8", "an SVG is no image here");
    for (file, field, names) in [(&exe, "ritning", "PDF"), (&text, "ritning", "PDF")] {
        let answers = json!({ "beskrivning": "Altan", field: file_ref(file) });
        let (status, body) = app.submit("bygglov", Some(&me), 1, answers, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["errors"][0]["code"], "file_type_not_allowed", "{body}");
        assert_eq!(body["errors"][0]["message"]["sv"], format!("Filen måste vara {names}."), "{body}");
    }
    let real = app.upload(Some(&me), None, "ritning.pdf", "application/pdf", pdf_bytes()).await.1;
    let answers = json!({ "beskrivning": "Altan", "ritning": file_ref(&real), "vill_bifoga_bilder": true,
                          "bilder": [file_ref(&svg)] });
    let (status, body) = app.submit("bygglov", Some(&me), 1, answers, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        (&body["errors"][0]["field"], &body["errors"][0]["code"]),
        (&json!("bilder"), &json!("file_type_not_allowed"))
    );
    let message = body["errors"][0]["message"]["sv"].as_str().unwrap_or_default();
    assert_eq!(message, "Filen måste vara en bild (JPG, PNG, GIF eller WebP).");
    assert!(!message.contains('/'), "no media types in a message: {message}");
}

#[tokio::test]
async fn a_file_name_is_stored_without_bidirectional_overrides_or_invisible_characters() {
    let app = spawn_app().await;
    let me = app.applicant(APPLICANT).await;
    // "faktura" + RIGHT-TO-LEFT OVERRIDE + "fdp.exe" shows as "fakturaexe.pdf" where the override is obeyed.
    let (status, up) = app.upload(Some(&me), None, "faktura\u{202e}fdp.exe", "application/pdf", pdf_bytes()).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    assert_eq!(up["name"], "fakturafdp.exe");
    assert_eq!(upload_record(&app, up["id"].as_str().expect("id")).await.name, "fakturafdp.exe");
    let (_, up) = app.upload(Some(&me), None, "\u{200b}ritning\u{2066}.pdf", "application/pdf", pdf_bytes()).await;
    assert_eq!(up["name"], "ritning.pdf");
}
