//! Decisions and other documents on a case: handlers attach them (typed by
//! their content, size-limited, stored through the storage trait), the
//! applicant reads them on Min sida, every download is recorded; handlers
//! download the applicant's attachments. Also the S3-compatible store,
//! against moto's S3 server on loopback.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use backend::db::downloads::{Downloaded, Downloader};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{APPLICANT, OTHER_APPLICANT, Options, TestApp, spawn_app, spawn_app_with};

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

/// A form with one file field that takes a PDF.
fn form_with_file() -> Value {
    json!({"pages": [{"key": "ansokan", "title": "Ansökan", "fields": [
        {"key": "beskrivning", "label": "Beskrivning", "required": true, "kind": {"type": "short_text"}},
        {"key": "ritning", "label": "Ritning", "required": true,
         "kind": {"type": "file", "max_size_bytes": 1048576, "accept": [".pdf"]}}
    ]}]})
}

/// Two services; applicant A has a case on `bygglov` with an attached PDF.
struct Setup {
    admin: String,
    reference: String,
    upload_id: String,
    upload_bytes: Vec<u8>,
    /// Handler permitted on `bygglov` (service X).
    hanna: String,
    hanna_id: uuid::Uuid,
    /// Handler permitted on `forskola` (service Y) only.
    yngve: String,
    applicant: String,
}

async fn setup(app: &TestApp) -> Setup {
    let admin = app.admin().await;
    app.published_service(&admin, "bygglov", form_with_file(), false).await;
    app.published_service(&admin, "forskola", form_with_file(), false).await;
    let applicant = app.applicant(APPLICANT).await;
    let upload_bytes = pdf_bytes(3000);
    let (status, upload) =
        app.upload(Some(&applicant), None, "ritning.pdf", "application/pdf", upload_bytes.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{upload}");
    let file = json!({"id": upload["id"], "name": upload["name"], "size": upload["size"], "content_type": upload["content_type"]});
    let (status, case) =
        app.submit("bygglov", Some(&applicant), 1, json!({"beskrivning": "Altan", "ritning": file}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let reference = case["reference"].as_str().expect("reference").to_string();
    let (hanna_id, hanna) = app.staff("hanna", vec![shared::api::StaffRole::Handler]).await;
    let (status, body) =
        app.put(&format!("/api/v1/services/bygglov/permissions/{hanna_id}"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let yngve = app.handler(&admin, "yngve", &["forskola"]).await;
    Setup {
        admin,
        reference,
        upload_id: upload["id"].as_str().expect("id").to_string(),
        upload_bytes,
        hanna,
        hanna_id: hanna_id.parse().expect("uuid"),
        yngve,
        applicant,
    }
}

/// `POST /cases/{reference}/documents?kind=…&name=…` with raw bytes and a claimed type.
async fn attach(
    app: &TestApp,
    token: &str,
    reference: &str,
    kind: &str,
    name: &str,
    claimed_type: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let r = app
        .client
        .post(format!("{}/api/v1/cases/{reference}/documents", app.address))
        .query(&[("kind", kind), ("name", name)])
        .header("Content-Type", claimed_type)
        .bearer_auth(token)
        .body(bytes)
        .send()
        .await
        .expect("request");
    crate::helpers::json_of(r).await
}

/// A download: status, headers and bytes.
async fn download(app: &TestApp, path: &str, token: Option<&str>) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let mut rb = app.client.get(format!("{}{path}", app.address));
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    let r = rb.send().await.expect("request");
    let (status, headers) = (r.status(), r.headers().clone());
    (status, headers, r.bytes().await.expect("body").to_vec())
}

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers.get(name).map(|v| v.to_str().expect("ascii header").to_string()).unwrap_or_default()
}

fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default()
}

/// The actions in a case's access log, oldest first (read as a platform admin).
async fn access_actions(app: &TestApp, admin: &str, reference: &str) -> Vec<String> {
    let (status, log) = app.get(&format!("/api/v1/cases/{reference}/access-log"), Some(admin)).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let mut actions: Vec<String> =
        log.as_array().expect("entries").iter().map(|e| e["action"].as_str().unwrap_or("").to_string()).collect();
    actions.reverse();
    actions
}

#[tokio::test]
async fn a_decision_is_attached_listed_and_downloaded_byte_for_byte_with_its_sniffed_type() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let bytes = pdf_bytes(200_000);
    let (status, doc) = attach(
        &app,
        &s.hanna,
        &s.reference,
        "decision",
        "Beslut bygglov.pdf",
        "application/octet-stream",
        bytes.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    let id = doc["id"].as_str().expect("id").to_string();
    assert_eq!(
        (&doc["kind"], &doc["name"], &doc["content_type"], &doc["size"]),
        (&json!("decision"), &json!("Beslut bygglov.pdf"), &json!("application/pdf"), &json!(bytes.len()))
    );
    assert_eq!(doc["sha256"], json!(hex::encode(Sha256::digest(&bytes))));
    assert_eq!(doc["created_by_name"], "hanna");
    assert_eq!(files_in(&app.documents_dir), [id.as_str()], "stored under the id, never the name");

    let (status, list) = app.get(&format!("/api/v1/cases/{}/documents", s.reference), Some(&s.hanna)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list, json!([doc]));

    let (status, headers, body) =
        download(&app, &format!("/api/v1/cases/{}/documents/{id}", s.reference), Some(&s.hanna)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, bytes, "byte for byte");
    assert_eq!(header(&headers, "content-type"), "application/pdf");
    assert_eq!(header(&headers, "content-length"), bytes.len().to_string());
    assert_eq!(header(&headers, "cache-control"), "no-store");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(&headers, "content-disposition"),
        "attachment; filename=\"Beslut bygglov.pdf\"; filename*=UTF-8''Beslut%20bygglov.pdf"
    );
    // A document id of no document, or one that is not a UUID.
    let unknown = uuid::Uuid::now_v7();
    let path = format!("/api/v1/cases/{}/documents/{unknown}", s.reference);
    assert_eq!(app.get(&path, Some(&s.hanna)).await.0, StatusCode::NOT_FOUND);
    let path = format!("/api/v1/cases/{}/documents/nope", s.reference);
    assert_eq!(app.get(&path, Some(&s.hanna)).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_content_decides_the_type_not_the_file_name_or_the_claimed_type() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    // A PNG named and declared as a PDF: a document, stored as the PNG it is.
    let (status, doc) =
        attach(&app, &s.hanna, &s.reference, "document", "Karta.pdf", "application/pdf", png_bytes()).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(doc["content_type"], "image/png");
    let (_, headers, body) = download(
        &app,
        &format!("/api/v1/cases/{}/documents/{}", s.reference, doc["id"].as_str().expect("id")),
        Some(&s.hanna),
    )
    .await;
    assert_eq!((header(&headers, "content-type"), body), ("image/png".to_string(), png_bytes()));

    // A decision must be a PDF: the same file is refused as a decision, and nothing more is kept.
    let (status, body) =
        attach(&app, &s.hanna, &s.reference, "decision", "Beslut.pdf", "application/pdf", png_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "unsupported_file_type");
    assert!(body["message"].as_str().expect("message").contains("PDF"), "{body}");
    assert_eq!(app.count("case_documents").await, 1);
    assert_eq!(files_in(&app.documents_dir).len(), 1);

    // Plain UTF-8 text is text, whatever it is called.
    let (status, doc) = attach(
        &app,
        &s.hanna,
        &s.reference,
        "document",
        "anteckning.docx",
        "application/msword",
        "Tjänsteanteckning: platsbesök på Åkervägen 3.\n".as_bytes().to_vec(),
    )
    .await;
    assert_eq!((status, &doc["content_type"]), (StatusCode::CREATED, &json!("text/plain; charset=utf-8")), "{doc}");
}

#[tokio::test]
async fn executable_or_unknown_content_is_refused_with_422_and_nothing_is_stored() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let mut zip = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x09\0\0\0setup.exe".to_vec();
    zip.extend_from_slice(b"MZ\x90\0");
    let samples: Vec<(&str, Vec<u8>)> = vec![
        ("Beslut.pdf", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0This program cannot be run in DOS mode".to_vec()),
        ("rapport.pdf", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0".to_vec()),
        ("bilagor.docx", zip),
        ("data.txt", (0..=255u8).cycle().take(4096).collect()),
    ];
    for (name, bytes) in samples {
        for kind in ["document", "decision"] {
            let (status, body) =
                attach(&app, &s.hanna, &s.reference, kind, name, "application/pdf", bytes.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name} as {kind}: {body}");
            assert_eq!(body["code"], "unsupported_file_type", "{body}");
        }
    }
    assert_eq!(app.count("case_documents").await, 0);
    assert!(files_in(&app.documents_dir).is_empty(), "{:?}", files_in(&app.documents_dir));
    let (status, body) =
        attach(&app, &s.hanna, &s.reference, "document", "tom.pdf", "application/pdf", Vec::new()).await;
    assert_eq!((status, &body["code"]), (StatusCode::BAD_REQUEST, &json!("empty_file")), "{body}");
    let (status, body) =
        attach(&app, &s.hanna, &s.reference, "verdict", "Beslut.pdf", "application/pdf", pdf_bytes(10)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown kind: {body}");
}

/// Sends a body in chunks without `Content-Length` (so only the streaming
/// limit can stop it) and returns the response's status code.
async fn post_chunked(app: &TestApp, path_and_query: &str, token: &str, chunks: usize, chunk: &[u8]) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.address.trim_start_matches("http://");
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (mut rd, mut wr) = stream.into_split();
    // Read while writing: the answer may come (and the connection close) before the body is sent.
    let reader = tokio::spawn(async move {
        let mut response = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = rd.read(&mut buf).await {
            if n == 0 {
                break;
            }
            response.extend_from_slice(&buf[..n]);
        }
        response
    });
    let head = format!(
        "POST {path_and_query} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/pdf\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    wr.write_all(head.as_bytes()).await.expect("head");
    for _ in 0..chunks {
        let mut piece = format!("{:x}\r\n", chunk.len()).into_bytes();
        piece.extend_from_slice(chunk);
        piece.extend_from_slice(b"\r\n");
        if wr.write_all(&piece).await.is_err() {
            break;
        }
    }
    let _ = wr.write_all(b"0\r\n\r\n").await;
    let response = reader.await.expect("reader");
    let text = String::from_utf8_lossy(&response);
    text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn a_document_over_the_size_limit_is_413_and_nothing_is_stored() {
    let app = spawn_app_with(Options { document_max_bytes: Some(100_000), ..Default::default() }).await;
    let s = setup(&app).await;
    // Declared too large.
    let (status, body) =
        attach(&app, &s.hanna, &s.reference, "decision", "Stort beslut.pdf", "application/pdf", pdf_bytes(100_001))
            .await;
    assert_eq!((status, &body["code"]), (StatusCode::PAYLOAD_TOO_LARGE, &json!("payload_too_large")), "{body}");
    // Streamed without a length: stopped by the limit while it arrives.
    let path = format!("/api/v1/cases/{}/documents?kind=decision&name=stort.pdf", s.reference);
    let mut chunk = pdf_bytes(16 * 1024 - 15);
    chunk.truncate(16 * 1024);
    assert_eq!(post_chunked(&app, &path, &s.hanna, 40, &chunk).await, 413);
    // And right at the limit it is fine.
    let (status, body) =
        attach(&app, &s.hanna, &s.reference, "decision", "Beslut.pdf", "application/pdf", pdf_bytes(100_000 - 15))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(app.count("case_documents").await, 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(files_in(&app.documents_dir), [body["id"].as_str().expect("id").to_string()], "no partial files");
}

#[tokio::test]
async fn unicode_and_evil_file_names_come_back_safe_in_content_disposition() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let cases = [
        (
            "Beslut åäö.pdf",
            "Beslut åäö.pdf",
            "attachment; filename=\"Beslut aao.pdf\"; filename*=UTF-8''Beslut%20%C3%A5%C3%A4%C3%B6.pdf",
        ),
        (
            "../../etc/passwd\r\nX-Evil: 1;\".pdf",
            "etcpasswdX-Evil: 1;.pdf",
            "attachment; filename=\"etcpasswdX-Evil: 1_.pdf\"; filename*=UTF-8''etcpasswdX-Evil%3A%201%3B.pdf",
        ),
        (
            "faktura\u{202e}fdp.exe",
            "fakturafdp.exe",
            "attachment; filename=\"fakturafdp.exe\"; filename*=UTF-8''fakturafdp.exe",
        ),
        (
            "..\\..\\beslut 100%.pdf",
            "beslut 100%.pdf",
            "attachment; filename=\"beslut 100_.pdf\"; filename*=UTF-8''beslut%20100%25.pdf",
        ),
        (
            "日本語.pdf",
            "日本語.pdf",
            "attachment; filename=\"___.pdf\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.pdf",
        ),
    ];
    for (given, stored, disposition) in cases {
        let (status, doc) =
            attach(&app, &s.hanna, &s.reference, "decision", given, "application/pdf", pdf_bytes(100)).await;
        assert_eq!(status, StatusCode::CREATED, "{given:?}: {doc}");
        assert_eq!(doc["name"], stored, "{given:?}");
        let id = doc["id"].as_str().expect("id");
        for (path, token) in [
            (format!("/api/v1/cases/{}/documents/{id}", s.reference), &s.hanna),
            (format!("/api/v1/me/cases/{}/documents/{id}", s.reference), &s.applicant),
        ] {
            let (status, headers, _) = download(&app, &path, Some(token)).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(header(&headers, "content-disposition"), disposition, "{given:?}");
        }
    }
    // A name of nothing but separators and control characters is no name.
    let (status, body) =
        attach(&app, &s.hanna, &s.reference, "decision", "/\\\u{7}", "application/pdf", pdf_bytes(1)).await;
    assert_eq!((status, &body["code"]), (StatusCode::BAD_REQUEST, &json!("invalid_file_name")), "{body}");
}

#[tokio::test]
async fn the_applicant_reads_their_case_documents_and_another_applicant_gets_404() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let bytes = pdf_bytes(5000);
    let (_, doc) =
        attach(&app, &s.hanna, &s.reference, "decision", "Beslut.pdf", "application/pdf", bytes.clone()).await;
    let id = doc["id"].as_str().expect("id");
    let list_path = format!("/api/v1/me/cases/{}/documents", s.reference);
    let doc_path = format!("/api/v1/me/cases/{}/documents/{id}", s.reference);

    let (status, list) = app.get(&list_path, Some(&s.applicant)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let mut expected = doc.clone();
    expected.as_object_mut().expect("object").remove("created_by_name");
    assert_eq!(list, json!([expected]), "the applicant's view does not name the handler");
    let (status, headers, body) = download(&app, &doc_path, Some(&s.applicant)).await;
    assert_eq!((status, body), (StatusCode::OK, bytes));
    assert_eq!(header(&headers, "content-type"), "application/pdf");

    let other = app.applicant(OTHER_APPLICANT).await;
    assert_eq!(app.get(&list_path, Some(&other)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(download(&app, &doc_path, Some(&other)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&list_path, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(download(&app, &doc_path, None).await.0, StatusCode::UNAUTHORIZED);
    // A staff token is not an applicant's.
    assert!(app.get(&list_path, Some(&s.hanna)).await.0.is_client_error());
    // Only A's own download was recorded.
    let downloads = backend::db::downloads::of(&app.state.db, Downloaded::Document(id.parse().expect("uuid")))
        .await
        .expect("query");
    assert_eq!(downloads.iter().map(|d| d.by).collect::<Vec<_>>(), [Downloader::Applicant]);
}

#[tokio::test]
async fn a_handler_of_another_service_gets_404_and_nothing_is_stored() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let (_, doc) =
        attach(&app, &s.hanna, &s.reference, "decision", "Beslut.pdf", "application/pdf", pdf_bytes(10)).await;
    let id = doc["id"].as_str().expect("id");
    let r = &s.reference;
    let (status, body) = attach(&app, &s.yngve, r, "document", "intrång.pdf", "application/pdf", pdf_bytes(10)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(app.count("case_documents").await, 1);
    for path in [
        format!("/api/v1/cases/{r}/documents"),
        format!("/api/v1/cases/{r}/documents/{id}"),
        format!("/api/v1/cases/{r}/attachments/{}", s.upload_id),
    ] {
        assert_eq!(app.get(&path, Some(&s.yngve)).await.0, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(app.get(&path, None).await.0, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(app.get(&path, Some(&s.applicant)).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    // An unknown case is the same 404 as a case of another service.
    assert_eq!(app.get("/api/v1/cases/HBG-1999-999999/documents", Some(&s.hanna)).await.0, StatusCode::NOT_FOUND);
    let downloads = backend::db::downloads::of(&app.state.db, Downloaded::Document(id.parse().expect("uuid")))
        .await
        .expect("query");
    assert!(downloads.is_empty());
}

#[tokio::test]
async fn every_download_is_recorded_and_the_access_log_has_the_staff_reads() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let (_, doc) =
        attach(&app, &s.hanna, &s.reference, "decision", "Beslut.pdf", "application/pdf", pdf_bytes(10)).await;
    let id = doc["id"].as_str().expect("id");
    app.get(&format!("/api/v1/cases/{}/documents", s.reference), Some(&s.hanna)).await;
    for _ in 0..2 {
        let path = format!("/api/v1/cases/{}/documents/{id}", s.reference);
        assert_eq!(download(&app, &path, Some(&s.hanna)).await.0, StatusCode::OK);
    }
    let path = format!("/api/v1/me/cases/{}/documents/{id}", s.reference);
    assert_eq!(download(&app, &path, Some(&s.applicant)).await.0, StatusCode::OK);
    let downloads = backend::db::downloads::of(&app.state.db, Downloaded::Document(id.parse().expect("uuid")))
        .await
        .expect("query");
    assert_eq!(
        downloads.iter().map(|d| d.by).collect::<Vec<_>>(),
        [Downloader::Staff(s.hanna_id), Downloader::Staff(s.hanna_id), Downloader::Applicant]
    );
    assert!(downloads.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(app.count("document_downloads").await, 3);
    let actions = access_actions(&app, &s.admin, &s.reference).await;
    assert_eq!(actions, ["attach_document", "list_documents", "download_document", "download_document"]);
}

#[tokio::test]
async fn a_handler_downloads_the_applicants_attachment_typed_by_its_content_and_the_read_is_logged() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let path = format!("/api/v1/cases/{}/attachments/{}", s.reference, s.upload_id);
    let (status, headers, body) = download(&app, &path, Some(&s.hanna)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, s.upload_bytes, "byte for byte");
    assert_eq!(header(&headers, "content-type"), "application/pdf");
    assert_eq!(
        header(&headers, "content-disposition"),
        "attachment; filename=\"ritning.pdf\"; filename*=UTF-8''ritning.pdf"
    );
    assert_eq!(access_actions(&app, &s.admin, &s.reference).await, ["download_attachment"]);
    assert_eq!(app.count("document_downloads").await, 0, "attachments are not case documents");
    assert_eq!(app.count("upload_downloads").await, 1, "the download is recorded");

    // An upload the case did not take is no attachment of it.
    let (_, loose) = app.upload(Some(&s.applicant), None, "annat.pdf", "application/pdf", pdf_bytes(10)).await;
    let path = format!("/api/v1/cases/{}/attachments/{}", s.reference, loose["id"].as_str().expect("id"));
    assert_eq!(app.get(&path, Some(&s.hanna)).await.0, StatusCode::NOT_FOUND);
    let path = format!("/api/v1/cases/{}/attachments/{}", s.reference, uuid::Uuid::now_v7());
    assert_eq!(app.get(&path, Some(&s.hanna)).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_applicant_downloads_the_files_they_sent_with_their_case_and_nobody_else_can() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let path = format!("/api/v1/me/cases/{}/attachments/{}", s.reference, s.upload_id);
    let (status, headers, body) = download(&app, &path, Some(&s.applicant)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, s.upload_bytes, "byte for byte");
    assert_eq!(header(&headers, "content-type"), "application/pdf");
    assert!(header(&headers, "content-disposition").contains("ritning.pdf"));
    // Recorded as the applicant's download, like a document's or a message file's.
    use sea_orm::ConnectionTrait;
    let db = &app.state.db;
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT downloaded_by FROM upload_downloads".to_string(),
        ))
        .await
        .expect("query")
        .expect("a record");
    assert_eq!(row.try_get::<String>("", "downloaded_by").expect("by"), "applicant");
    assert!(access_actions(&app, &s.admin, &s.reference).await.is_empty(), "no staff read");

    // Another applicant, an anonymous caller, an upload the case did not take: 404 or 401.
    let other = app.applicant(OTHER_APPLICANT).await;
    assert_eq!(app.get(&path, Some(&other)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&path, None).await.0, StatusCode::UNAUTHORIZED);
    let (_, loose) = app.upload(Some(&s.applicant), None, "annat.pdf", "application/pdf", pdf_bytes(10)).await;
    let loose_path = format!("/api/v1/me/cases/{}/attachments/{}", s.reference, loose["id"].as_str().expect("id"));
    assert_eq!(app.get(&loose_path, Some(&s.applicant)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.count("upload_downloads").await, 1);
}

#[tokio::test]
async fn a_claimed_type_of_an_attachment_is_not_what_staff_are_served() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let form = json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "fil", "label": "Fil", "required": true, "kind": {"type": "file", "max_size_bytes": 1048576}}
    ]}]});
    app.published_service(&admin, "bygglov", form, false).await;
    let me = app.applicant(APPLICANT).await;
    // HTML passed off as a PNG image: staff get it as the text it is, never as a page.
    let html = b"<html><script>alert(1)</script></html>\n".to_vec();
    let (_, upload) = app.upload(Some(&me), None, "bild.png", "image/png", html.clone()).await;
    let file = json!({"id": upload["id"], "name": upload["name"], "size": upload["size"], "content_type": upload["content_type"]});
    let (status, case) = app.submit("bygglov", Some(&me), 1, json!({"fil": file}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let handler = app.handler(&admin, "hanna", &["bygglov"]).await;
    let path = format!(
        "/api/v1/cases/{}/attachments/{}",
        case["reference"].as_str().expect("ref"),
        upload["id"].as_str().expect("id")
    );
    let (status, headers, body) = download(&app, &path, Some(&handler)).await;
    assert_eq!((status, body), (StatusCode::OK, html));
    assert_eq!(header(&headers, "content-type"), "text/plain; charset=utf-8");
    assert!(header(&headers, "content-security-policy").contains("sandbox"));
    assert!(header(&headers, "content-disposition").starts_with("attachment;"));
}

/// The Python with moto: `MOTO_PYTHON` (set by scripts/test.sh), else the
/// virtualenv scripts/test.sh makes, else `python3`.
fn moto_python() -> PathBuf {
    if let Ok(p) = std::env::var("MOTO_PYTHON") {
        return p.into();
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/smtp-venv/bin/python");
    if venv.exists() { venv } else { "python3".into() }
}

/// moto's S3-compatible server on a loopback port, stopped when dropped.
struct S3Server {
    child: Child,
    url: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl S3Server {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        let child = Command::new(moto_python())
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto's S3 server (python3)");
        let server = Self { child, url: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = reqwest::Client::new();
        loop {
            if client.get(format!("{}/", server.url)).send().await.is_ok() {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "moto's S3 server did not start: is moto[server] installed? scripts/test.sh installs it into target/smtp-venv"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn create_bucket(&self, bucket: &str) {
        let r = reqwest::Client::new().put(format!("{}/{bucket}", self.url)).send().await.expect("create bucket");
        assert!(r.status().is_success(), "{}", r.status());
    }

    /// The keys under a prefix.
    async fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let r = reqwest::Client::new()
            .get(format!("{}/{bucket}?list-type=2&prefix={prefix}", self.url))
            .send()
            .await
            .expect("list");
        let xml = r.text().await.expect("xml");
        xml.split("<Key>").skip(1).filter_map(|k| k.split("</Key>").next()).map(String::from).collect()
    }
}

#[tokio::test]
async fn uploads_and_documents_round_trip_through_s3_compatible_storage() {
    // The bucket is made with a client of the test's own, before any app installs the TLS provider.
    backend::eid::tls::install_default_provider();
    let s3 = S3Server::start().await;
    s3.create_bucket("etjanster").await;
    let storage = backend::storage::StorageSettings {
        kind: backend::storage::StorageKind::S3,
        bucket: Some("etjanster".into()),
        endpoint: Some(s3.url.clone()),
        region: "us-east-1".into(),
        access_key_id: Some("testing".into()),
        secret_access_key: Some(secrecy::SecretString::from("testing")),
        allow_http: true,
        ..Default::default()
    };
    let app = spawn_app_with(Options { storage: Some(storage), ..Default::default() }).await;
    // The applicant's upload goes to the bucket, and staff read it back from there.
    let s = setup(&app).await;
    assert_eq!(s3.keys("etjanster", "uploads/").await, [format!("uploads/{}", s.upload_id)]);
    assert!(files_in(&app.uploads_dir).is_empty(), "nothing on local disk");
    let path = format!("/api/v1/cases/{}/attachments/{}", s.reference, s.upload_id);
    let (status, _, body) = download(&app, &path, Some(&s.hanna)).await;
    assert_eq!((status, body), (StatusCode::OK, s.upload_bytes.clone()));
    let path = format!("/api/v1/me/uploads/{}", s.upload_id);
    assert_eq!(download(&app, &path, Some(&s.applicant)).await.2, s.upload_bytes);

    // A document larger than the put buffer goes up as a multipart upload.
    let big = pdf_bytes(9 * 1024 * 1024);
    let (status, doc) =
        attach(&app, &s.hanna, &s.reference, "decision", "Beslut.pdf", "application/pdf", big.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    let id = doc["id"].as_str().expect("id");
    assert_eq!(doc["sha256"], json!(hex::encode(Sha256::digest(&big))));
    let (status, headers, body) =
        download(&app, &format!("/api/v1/me/cases/{}/documents/{id}", s.reference), Some(&s.applicant)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "content-length"), big.len().to_string());
    assert!(body == big, "byte for byte ({} bytes back)", body.len());
    let small = b"Kompletterande uppgifter.\n".to_vec();
    let (status, note) =
        attach(&app, &s.hanna, &s.reference, "document", "uppgifter.txt", "text/plain", small.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    let (_, _, body) = download(
        &app,
        &format!("/api/v1/cases/{}/documents/{}", s.reference, note["id"].as_str().expect("id")),
        Some(&s.hanna),
    )
    .await;
    assert_eq!(body, small);

    // A refused file leaves no object behind.
    let (status, _) =
        attach(&app, &s.hanna, &s.reference, "document", "x.pdf", "application/pdf", b"MZ\x90\0".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut keys = s3.keys("etjanster", "documents/").await;
    keys.sort();
    let mut expected = vec![format!("documents/{id}"), format!("documents/{}", note["id"].as_str().expect("id"))];
    expected.sort();
    assert_eq!(keys, expected);
    assert!(files_in(&app.documents_dir).is_empty(), "nothing on local disk");
}
