//! E-mail through the outbox, delivered to a real SMTP server (aiosmtpd,
//! `tests/smtp/sink.py`) on loopback.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use backend::mail::{MailSettings, OutboxSettings, SmtpSecurity, SmtpSettings, TransportKind};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{APPLICANT, Options, TestApp, service_input, spawn_app, spawn_app_with};

/// The Python with aiosmtpd: `SMTP_SINK_PYTHON` (set by scripts/test.sh), else the
/// virtualenv scripts/test.sh makes, else `python3`.
fn python() -> PathBuf {
    if let Ok(p) = std::env::var("SMTP_SINK_PYTHON") {
        return p.into();
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/smtp-venv/bin/python");
    if venv.exists() { venv } else { "python3".into() }
}

/// A running aiosmtpd that stores each message it accepts as a file.
struct SmtpSink {
    child: Child,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    fn start(port: u16) -> Self {
        Self::start_with(port, &[])
    }

    /// With extra options of sink.py (`--starttls CERT KEY`, `--auth USER:PASSWORD`).
    fn start_with(port: u16, options: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("sink dir");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/smtp/sink.py");
        let mut child = Command::new(python())
            .arg(&script)
            .arg(port.to_string())
            .arg(dir.path())
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the SMTP sink (python3)");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).expect("sink output");
        assert_eq!(
            line.trim(),
            "ready",
            "the SMTP sink did not start: is aiosmtpd installed? scripts/test.sh installs it into target/smtp-venv"
        );
        Self { child, dir }
    }

    /// The received mails, oldest first.
    fn mails(&self) -> Vec<Received> {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.path())
            .expect("sink dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files.iter().map(|f| Received::parse(&std::fs::read(f).expect("mail file"))).collect()
    }

    /// Waits until at least `n` mails have arrived (at most `secs` seconds).
    async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let mails = self.mails();
            if mails.len() >= n || Instant::now() > deadline {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A mail as the server received it, decoded.
#[derive(Debug)]
struct Received {
    raw: String,
    envelope_to: String,
    message_id: String,
    subject: String,
    text: String,
    html: String,
}

impl Received {
    fn parse(bytes: &[u8]) -> Self {
        let raw = String::from_utf8_lossy(bytes).into_owned();
        let (first, rest) = raw.split_once("\r\n").expect("envelope line");
        let envelope_to = first.trim_start_matches("X-Envelope-To: ").to_string();
        let msg = mail_parser::MessageParser::default().parse(rest.as_bytes()).expect("a MIME message");
        Self {
            envelope_to,
            message_id: format!("<{}>", msg.message_id().expect("Message-ID")),
            subject: msg.subject().expect("Subject").to_string(),
            text: msg.body_text(0).expect("text part").replace("\r\n", "\n"),
            html: msg.body_html(0).expect("html part").replace("\r\n", "\n"),
            raw,
        }
    }
}

/// A free loopback port (nothing listens on it when this returns).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// Mail settings for an SMTP server on `port` with quick retries.
fn smtp_to(port: u16) -> MailSettings {
    MailSettings {
        transport: TransportKind::Smtp,
        from: "E-tjänster <noreply@kommun.example.se>".into(),
        smtp: SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            timeout_seconds: 5,
            ..Default::default()
        },
        outbox: OutboxSettings {
            poll_interval_ms: 50,
            backoff_base_ms: 100,
            backoff_max_ms: 500,
            max_attempts: 1000,
            lease_seconds: 30,
            ..Default::default()
        },
        ..Default::default()
    }
}

const TEMPLATE_SUBJECT: &str = "Vi har tagit emot {{case_reference}}";
const TEMPLATE_BODY: &str = "Hej {{first_name}}!\n\nDitt ärende i {{service_name}} har nummer {{case_reference}} \
     och kom in {{submitted_date}}.\n\nFölj det på Min sida: {{min_sida_link}}";

/// A form with a contact e-mail, a personnummer and free text: the answers must never reach a mail.
fn form() -> Value {
    json!({"pages": [{"key": "ansokan", "title": "Ansökan", "fields": [
        {"key": "epost", "label": "E-post", "required": true, "autocomplete": "email", "kind": {"type": "email"}},
        {"key": "barn", "label": "Barnets personnummer", "kind": {"type": "personnummer"}},
        {"key": "beskrivning", "label": "Beskrivning", "kind": {"type": "long_text"}}
    ]}]})
}

/// Answers whose values are easy to look for.
fn answers(email: &str) -> Value {
    json!({"epost": email, "barn": "201505012391", "beskrivning": "Hemligt-innehall-i-arendet"})
}

/// A service `slug` with the test templates (Swedish and English) and [`form`] published.
async fn mail_service(app: &TestApp, admin: &str, slug: &str, anonymous: bool) {
    let mut input = service_input(slug, anonymous);
    input["confirmation_email_subject"] = json!(TEMPLATE_SUBJECT);
    input["confirmation_email_body"] = json!(TEMPLATE_BODY);
    input["confirmation_email_subject_en"] = json!("We have received {{case_reference}}");
    input["confirmation_email_body_en"] =
        json!("Hello {{first_name}}! Your case {{case_reference}}: {{min_sida_link}}");
    input["handler_mailbox"] = json!(format!("{slug}@kommun.example.se"));
    let (status, body) = app.post("/api/v1/services", Some(admin), &input).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) =
        app.post(&format!("/api/v1/services/{slug}/forms"), Some(admin), &json!({"definition": form()})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.ready_to_publish(admin, slug).await;
    let (status, body) = app.post(&format!("/api/v1/services/{slug}/forms/1/publish"), Some(admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The outbox rows: message id → status.
async fn outbox(app: &TestApp, admin: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(a) => format!("/api/v1/outbox?limit=100&after={a}"),
            None => "/api/v1/outbox?limit=100".into(),
        };
        let (status, body) = app.get(&path, Some(admin)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        for item in body["items"].as_array().expect("items") {
            out.insert(
                item["message_id"].as_str().expect("id").to_string(),
                item["status"].as_str().expect("s").into(),
            );
        }
        match body["next_cursor"].as_str() {
            Some(c) => after = Some(c.to_string()),
            None => return out,
        }
    }
}

/// Waits until no item is pending (at most `secs` seconds).
async fn wait_until_sent(app: &TestApp, admin: &str, secs: u64) -> BTreeMap<String, String> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let items = outbox(app, admin).await;
        if items.values().all(|s| s != "pending") || Instant::now() > deadline {
            return items;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn assert_no_personal_data(mail: &Received) {
    for secret in [APPLICANT, &APPLICANT[2..], "201505012391", "1505012391", "Hemligt-innehall-i-arendet"] {
        assert!(!mail.raw.contains(secret), "the raw mail contains {secret}:\n{}", mail.raw);
        assert!(!mail.text.contains(secret) && !mail.html.contains(secret), "a decoded part contains {secret}");
    }
}

#[tokio::test]
async fn a_submission_mails_one_confirmation_to_the_applicant_and_one_notice_to_the_handler_mailbox() {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let app = spawn_app_with(Options { mail: Some(smtp_to(port)), ..Default::default() }).await;
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", false).await;
    let applicant = app.applicant(APPLICANT).await;
    let (status, case) = app.submit("bygglov", Some(&applicant), 1, answers("tolva@example.org"), None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let reference = case["reference"].as_str().expect("reference");

    let mails = sink.wait_for(2, 20).await;
    assert_eq!(mails.len(), 2, "exactly two mails: {mails:#?}");
    let confirmation = mails.iter().find(|m| m.envelope_to == "tolva@example.org").expect("the applicant's mail");
    let notice = mails.iter().find(|m| m.envelope_to == "bygglov@kommun.example.se").expect("the handlers' mail");
    assert_eq!(confirmation.subject, format!("Vi har tagit emot {reference}"));
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    // The first name comes from the population register (the tilltalsnamn of the test person).
    let expected = format!(
        "Hej Tolva!\n\nDitt ärende i Tjänst bygglov har nummer {reference} och kom in {today}.\n\nFölj det på Min sida: {}/mina-sidor",
        app.address
    );
    assert_eq!(confirmation.text.trim_end(), expected);
    assert!(confirmation.html.contains(&format!("<a href=\"{0}/mina-sidor\">{0}/mina-sidor</a>", app.address)));
    assert_eq!(notice.subject, format!("Nytt ärende {reference}: Tjänst bygglov"));
    assert!(notice.text.contains(&format!("{}/handlaggning/arenden/{reference}", app.address)), "{}", notice.text);
    for mail in &mails {
        assert_no_personal_data(mail);
        assert!(mail.raw.contains("From: =?utf-8?") || mail.raw.contains("noreply@kommun.example.se"));
    }
    // The Message-IDs are the outbox's, and both items are marked sent.
    let items = wait_until_sent(&app, &admin, 10).await;
    assert_eq!(items.len(), 2);
    for mail in &mails {
        assert_eq!(items.get(&mail.message_id).map(String::as_str), Some("sent"), "{}", mail.message_id);
    }
    // Nothing more arrives.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.mails().len(), 2);
}

#[tokio::test]
async fn the_confirmation_is_in_english_when_the_applicant_uses_the_english_app() {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let app = spawn_app_with(Options { mail: Some(smtp_to(port)), ..Default::default() }).await;
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", true).await;
    let r = app
        .client
        .post(format!("{}/api/v1/catalogue/bygglov/cases", app.address))
        .header("Accept-Language", "en-GB,en;q=0.9,sv;q=0.5")
        .json(&json!({"form_version": 1, "answers": answers("someone@example.org")}))
        .send()
        .await
        .expect("submit");
    assert_eq!(r.status(), StatusCode::CREATED);
    let case: Value = r.json().await.expect("case");
    let reference = case["reference"].as_str().expect("reference");
    let mails = sink.wait_for(2, 20).await;
    let confirmation = mails.iter().find(|m| m.envelope_to == "someone@example.org").expect("the applicant's mail");
    assert_eq!(confirmation.subject, format!("We have received {reference}"));
    // Anonymous: no name to greet with ("Hello!", never "Hello !"), and the case's private link
    // instead of Min sida, which an anonymous case is not on.
    let expected = format!("Hello! Your case {reference}: {}/mina-sidor/folj/{reference}#", app.address);
    assert!(confirmation.text.starts_with(&expected), "{}", confirmation.text);
    // The handlers' notice stays Swedish.
    let notice = mails.iter().find(|m| m.envelope_to == "bygglov@kommun.example.se").expect("notice");
    assert!(notice.subject.starts_with("Nytt ärende"));
}

#[tokio::test]
async fn a_protected_identity_is_not_named_in_the_confirmation() {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let app = spawn_app_with(Options { mail: Some(smtp_to(port)), ..Default::default() }).await;
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", false).await;
    let protected = backend::navet::simulator::fixtures::SEKRETESSMARKERING;
    let applicant = app.applicant(protected).await;
    let (status, _) = app.submit("bygglov", Some(&applicant), 1, answers("hemlig@example.org"), None).await;
    assert_eq!(status, StatusCode::CREATED);
    let mails = sink.wait_for(2, 20).await;
    let confirmation = mails.iter().find(|m| m.envelope_to == "hemlig@example.org").expect("the applicant's mail");
    assert!(confirmation.text.starts_with("Hej!\n"), "{}", confirmation.text);
    for mail in &mails {
        for secret in ["Sekretus", "Hemlig Skyddsson", "Skyddsson", protected, &protected[2..]] {
            assert!(!mail.raw.contains(secret), "{secret} in {}", mail.raw);
        }
    }
}

#[tokio::test]
async fn mails_queued_while_the_smtp_server_is_down_are_all_delivered_exactly_once_when_it_is_back() {
    let port = free_port();
    let app = spawn_app_with(Options { mail: Some(smtp_to(port)), ..Default::default() }).await;
    // A second worker beside the app's own: two never send the same item.
    backend::outbox::worker::spawn(app.state.clone());
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", true).await;
    for i in 0..200 {
        let (status, body) = app.submit("bygglov", None, 1, answers(&format!("person{i}@example.org")), None).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    // The server is down: every item is tried, fails, and the failure is recorded.
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.count("outbox WHERE attempts = 0 OR last_error IS NULL").await > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.count("outbox WHERE attempts = 0").await, 0, "every item was tried");
    assert_eq!(app.count("outbox WHERE last_error IS NULL").await, 0, "every failure is recorded");
    let (_, list) = app.get("/api/v1/outbox?status=pending&limit=1", Some(&admin)).await;
    assert_eq!(list["pending"], 400, "{list}");
    assert_eq!(list["sent"], 0);
    assert!(list["items"][0]["last_error"].as_str().is_some_and(|e| e.contains("SMTP")), "{list}");

    let sink = SmtpSink::start(port);
    let items = wait_until_sent(&app, &admin, 60).await;
    let mails = sink.wait_for(400, 10).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails = if mails.len() < sink.mails().len() { sink.mails() } else { mails };
    assert_eq!(items.len(), 400);
    assert!(items.values().all(|s| s == "sent"), "{items:?}");
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &mails {
        *seen.entry(m.message_id.as_str()).or_default() += 1;
    }
    assert_eq!(mails.len(), 400, "every mail exactly once");
    assert!(seen.values().all(|n| *n == 1), "a Message-ID arrived twice");
    assert!(seen.keys().all(|id| items.contains_key(*id)), "every mail is an outbox item");
    for i in 0..200 {
        let to = format!("person{i}@example.org");
        assert_eq!(mails.iter().filter(|m| m.envelope_to == to).count(), 1, "{to}");
    }
    assert_eq!(mails.iter().filter(|m| m.envelope_to == "bygglov@kommun.example.se").count(), 200);
}

#[tokio::test]
async fn a_crash_between_sending_and_marking_sent_leads_to_one_duplicate_with_the_same_message_id() {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let mut settings = smtp_to(port);
    settings.outbox.worker = false;
    settings.outbox.lease_seconds = 1;
    let app = spawn_app_with(Options { mail: Some(settings), ..Default::default() }).await;
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", true).await;
    // The confirmation and the handlers' notice are queued.
    let (status, body) = app.submit("bygglov", None, 1, json!({"epost": "x@example.org"}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // A worker claims, sends, and dies before it records the outcome.
    let claimed = backend::db::outbox::claim(&app.state.db, chrono::Utc::now(), chrono::Duration::seconds(1), 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 2);
    for item in &claimed {
        let mail = backend::outbox::render(&app.state, item).await.expect("render");
        app.state.mail.send(&mail).await.expect("send");
    }
    assert_eq!(sink.wait_for(2, 10).await.len(), 2);
    // Another worker takes the items once the lease has run out, and sends them again.
    backend::outbox::worker::spawn(app.state.clone());
    let mails = sink.wait_for(4, 20).await;
    let items = wait_until_sent(&app, &admin, 10).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mails = if sink.mails().len() > mails.len() { sink.mails() } else { mails };
    assert_eq!(mails.len(), 4, "one duplicate per item, no more");
    for item in &claimed {
        let copies = mails.iter().filter(|m| m.message_id == item.message_id).count();
        assert_eq!(copies, 2, "the duplicate carries the same Message-ID {}", item.message_id);
        assert_eq!(items.get(&item.message_id).map(String::as_str), Some("sent"));
    }
}

#[tokio::test]
async fn an_item_is_dead_lettered_after_its_attempts_and_an_admin_can_retry_it() {
    let port = free_port();
    let mut settings = smtp_to(port);
    settings.outbox.max_attempts = 2;
    let app = spawn_app_with(Options { mail: Some(settings), ..Default::default() }).await;
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", true).await;
    let (status, _) = app.submit("bygglov", None, 1, answers("someone@example.org"), None).await;
    assert_eq!(status, StatusCode::CREATED);
    let deadline = Instant::now() + Duration::from_secs(20);
    let dead = loop {
        let (_, list) = app.get("/api/v1/outbox?status=dead", Some(&admin)).await;
        if list["dead"] == 2 || Instant::now() > deadline {
            break list;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(dead["dead"], 2, "{dead}");
    let item = &dead["items"][0];
    assert_eq!(item["attempts"], 2);
    assert!(item["last_error"].as_str().is_some_and(|e| e.contains("SMTP")), "{item}");
    assert!(item["case_reference"].as_str().is_some_and(|r| r.starts_with("HBG-")), "{item}");

    // Only platform admins see or retry the outbox.
    let handler = app.handler(&admin, "handlaggare", &["bygglov"]).await;
    assert_eq!(app.get("/api/v1/outbox", Some(&handler)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/outbox", None).await.0, StatusCode::UNAUTHORIZED);
    let id = item["id"].as_str().expect("id");
    let (status, _) = app.post(&format!("/api/v1/outbox/{id}/retry"), Some(&handler), &json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) =
        app.post("/api/v1/outbox/00000000-0000-7000-8000-000000000000/retry", Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = app.get("/api/v1/outbox?limit=0", Some(&admin)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let sink = SmtpSink::start(port);
    let (status, body) = app.post(&format!("/api/v1/outbox/{id}/retry"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "pending");
    assert_eq!(body["attempts"], 0);
    let mails = sink.wait_for(1, 20).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].message_id, item["message_id"].as_str().expect("message id"));
    // Retrying an item that is not dead is a conflict, and changes nothing.
    let items = wait_until_sent(&app, &admin, 10).await;
    assert_eq!(items.get(&mails[0].message_id).map(String::as_str), Some("sent"));
    let (status, body) = app.post(&format!("/api/v1/outbox/{id}/retry"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "not_dead");
}

#[tokio::test]
async fn a_template_with_an_unknown_placeholder_is_rejected_on_save_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut input = service_input("bygglov", false);
    input["confirmation_email_body"] = json!("Hej {{first_name}}, ditt personnummer är {{personnummer}}.");
    let (status, body) = app.post("/api/v1/services", Some(&admin), &input).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "invalid_template");
    let message = body["message"].as_str().expect("message");
    assert!(message.contains("confirmation_email_body") && message.contains("{{personnummer}}"), "{message}");
    assert_eq!(app.count("services").await, 0);

    let (status, _) = app.post("/api/v1/services", Some(&admin), &service_input("bygglov", false)).await;
    assert_eq!(status, StatusCode::CREATED);
    for (field, text) in [
        ("confirmation_email_subject_en", "Case {{reference}}"),
        ("confirmation_email_subject", "Ärende {{case_reference"),
        ("confirmation_email_body", "Se {{case_link}}"),
    ] {
        let mut update = service_input("bygglov", false);
        update[field] = json!(text);
        let (status, body) = app.put("/api/v1/services/bygglov", Some(&admin), &update).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| m.starts_with(field)), "{body}");
    }
    let (_, service) = app.get("/api/v1/services/bygglov", Some(&admin)).await;
    assert_eq!(service["confirmation_email_subject"], service_input("bygglov", false)["confirmation_email_subject"]);
    assert!(service.get("confirmation_email_subject_en").is_none(), "{service}");
}

#[tokio::test]
async fn the_default_file_transport_writes_each_mail_as_an_eml_file_a_person_can_read() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", true).await;
    let (status, case) = app.submit("bygglov", None, 1, answers("someone@example.org"), None).await;
    assert_eq!(status, StatusCode::CREATED);
    let reference = case["reference"].as_str().expect("reference");
    let deadline = Instant::now() + Duration::from_secs(20);
    let files = loop {
        let files: Vec<PathBuf> = std::fs::read_dir(&app.mail_dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        if files.len() >= 2 || Instant::now() > deadline {
            break files;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(files.len(), 2, "{files:?}");
    for f in &files {
        assert_eq!(f.extension().and_then(|e| e.to_str()), Some("eml"));
        let raw = std::fs::read(f).expect("file");
        let msg = mail_parser::MessageParser::default().parse(&raw).expect("MIME");
        assert!(msg.body_text(0).expect("text").contains(reference));
    }
}

#[tokio::test]
async fn a_service_without_a_marked_contact_field_mails_only_the_handlers() {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let app = spawn_app_with(Options { mail: Some(smtp_to(port)), ..Default::default() }).await;
    let admin = app.admin().await;
    // The sample form's e-mail field is not marked as the applicant's own.
    app.published_service(&admin, "forskola", crate::helpers::sample_form(), true).await;
    let (status, _) = app.submit("forskola", None, 1, crate::helpers::sample_answers(), None).await;
    assert_eq!(status, StatusCode::CREATED);
    let mails = sink.wait_for(1, 20).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.mails().len(), 1);
    assert_eq!(mails[0].envelope_to, "funktionsbrevlada@example.org");
}

#[tokio::test]
async fn mail_goes_over_starttls_with_a_login_and_a_wrong_password_is_retried_not_dropped() {
    let pki = backend::eid::tls::TestPki::generate("smtp").expect("test PKI");
    let certs = tempfile::tempdir().expect("dir");
    let (cert, key, ca) = (certs.path().join("cert.pem"), certs.path().join("key.pem"), certs.path().join("ca.pem"));
    std::fs::write(&cert, &pki.server_cert_pem).expect("cert");
    std::fs::write(&key, &pki.server_key_pem).expect("key");
    std::fs::write(&ca, &pki.ca_pem).expect("ca");
    let port = free_port();
    let sink = SmtpSink::start_with(
        port,
        &["--starttls", cert.to_str().expect("path"), key.to_str().expect("path"), "--auth", "etjanster:ratt-losenord"],
    );
    let settings = |password: &str| {
        let mut s = smtp_to(port);
        s.smtp.security = SmtpSecurity::Starttls;
        s.smtp.server_ca = Some(ca.clone());
        s.smtp.username = Some("etjanster".into());
        s.smtp.password = Some(password.to_string().into());
        s.outbox.max_attempts = 3;
        s
    };

    let app = spawn_app_with(Options { mail: Some(settings("ratt-losenord")), ..Default::default() }).await;
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", true).await;
    let (status, _) = app.submit("bygglov", None, 1, answers("someone@example.org"), None).await;
    assert_eq!(status, StatusCode::CREATED);
    let mails = sink.wait_for(2, 20).await;
    assert_eq!(mails.len(), 2, "delivered over STARTTLS with the login");
    assert!(wait_until_sent(&app, &admin, 10).await.values().all(|s| s == "sent"));

    let wrong = spawn_app_with(Options { mail: Some(settings("fel-losenord")), ..Default::default() }).await;
    let admin = wrong.admin().await;
    mail_service(&wrong, &admin, "bygglov", true).await;
    let (status, _) = wrong.submit("bygglov", None, 1, answers("someone@example.org"), None).await;
    assert_eq!(status, StatusCode::CREATED, "the submission does not wait for the mail server");
    let items = wait_until_sent(&wrong, &admin, 20).await;
    assert!(items.values().all(|s| s == "dead"), "dead only after every attempt: {items:?}");
    let (_, dead) = wrong.get("/api/v1/outbox?status=dead", Some(&admin)).await;
    let item = &dead["items"][0];
    assert_eq!(item["attempts"], 3, "a refused login is the server's problem, retried like any outage: {item}");
    assert!(item["last_error"].as_str().is_some_and(|e| e.contains("535")), "{item}");
    assert_eq!(sink.mails().len(), 2);
}

#[tokio::test]
async fn a_submitted_draft_queues_its_mails_in_the_transaction_that_makes_the_case() {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let app = spawn_app_with(Options { mail: Some(smtp_to(port)), ..Default::default() }).await;
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", false).await;
    let applicant = app.applicant(APPLICANT).await;
    let (status, draft) = app
        .post("/api/v1/catalogue/bygglov/drafts", Some(&applicant), &json!({"answers": answers("tolva@example.org")}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let id = draft["id"].as_str().expect("id");
    let r = app
        .client
        .post(format!("{}/api/v1/me/drafts/{id}/submit", app.address))
        .bearer_auth(&applicant)
        .header("Accept-Language", "en")
        .header("Idempotency-Key", "draft-mail-1")
        .send()
        .await
        .expect("submit");
    assert_eq!(r.status(), StatusCode::CREATED);
    let case: Value = r.json().await.expect("case");
    let reference = case["reference"].as_str().expect("reference");
    // A retry of the same submission queues nothing more.
    let r = app
        .client
        .post(format!("{}/api/v1/me/drafts/{id}/submit", app.address))
        .bearer_auth(&applicant)
        .header("Idempotency-Key", "draft-mail-1")
        .send()
        .await
        .expect("retry");
    assert_eq!(r.status(), StatusCode::OK);
    let mails = sink.wait_for(2, 20).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.mails().len(), 2, "{mails:#?}");
    let confirmation = mails.iter().find(|m| m.envelope_to == "tolva@example.org").expect("confirmation");
    assert_eq!(confirmation.subject, format!("We have received {reference}"));
    assert!(confirmation.text.starts_with("Hello Tolva!"), "{}", confirmation.text);
    for mail in &mails {
        assert_no_personal_data(mail);
    }
}

#[tokio::test]
async fn a_new_decision_mails_the_applicant_only_that_a_document_waits_on_min_sida() {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let app = spawn_app_with(Options { mail: Some(smtp_to(port)), ..Default::default() }).await;
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", false).await;
    let handler = app.handler(&admin, "handlaggare", &["bygglov"]).await;
    let applicant = app.applicant(APPLICANT).await;
    let (status, case) = app.submit("bygglov", Some(&applicant), 1, answers("tolva@example.org"), None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let reference = case["reference"].as_str().expect("reference");
    assert_eq!(sink.wait_for(2, 20).await.len(), 2, "the submission's mails");

    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend_from_slice(b"Beslut: Hemligt-innehall-i-arendet");
    let r = app
        .client
        .post(format!("{}/api/v1/cases/{reference}/documents", app.address))
        .query(&[("kind", "decision"), ("name", "Beslut-om-bygglov-Tolva.pdf")])
        .bearer_auth(&handler)
        .body(pdf)
        .send()
        .await
        .expect("attach");
    assert_eq!(r.status(), StatusCode::CREATED);

    let mails = sink.wait_for(3, 20).await;
    assert_eq!(mails.len(), 3, "one more mail: {mails:#?}");
    let notice = &mails[2];
    assert_eq!(notice.envelope_to, "tolva@example.org");
    assert_eq!(notice.subject, format!("Nytt dokument i ditt ärende {reference}"));
    assert!(notice.text.contains(&format!("{}/mina-sidor", app.address)), "{}", notice.text);
    for said in ["Beslut-om-bygglov", "Tolva", "beslut", "decision"] {
        assert!(!notice.raw.contains(said), "the mail names the document ({said}):\n{}", notice.raw);
    }
    assert_no_personal_data(notice);
    let (_, outbox) = app.get("/api/v1/outbox", Some(&admin)).await;
    let events: Vec<&str> =
        outbox["items"].as_array().expect("items").iter().map(|i| i["event"].as_str().expect("e")).collect();
    assert_eq!(events.iter().filter(|e| **e == "document_added").count(), 1, "{events:?}");
}

#[tokio::test]
async fn a_worker_whose_lease_ran_out_cannot_overwrite_the_outcome_of_the_newer_claim() {
    let mut settings = MailSettings::default();
    settings.outbox.worker = false;
    let app = spawn_app_with(Options { mail: Some(settings), ..Default::default() }).await;
    let admin = app.admin().await;
    mail_service(&app, &admin, "bygglov", true).await;
    let (status, body) = app.submit("bygglov", None, 1, json!({"epost": "x@example.org"}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let db = &app.state.db;
    let now = chrono::Utc::now();
    // A slow worker claims both items; its lease runs out and a second worker claims them again.
    let stale = backend::db::outbox::claim(db, now, chrono::Duration::seconds(1), 10).await.expect("claim");
    assert_eq!(stale.len(), 2);
    let later = now + chrono::Duration::seconds(2);
    let fresh = backend::db::outbox::claim(db, later, chrono::Duration::seconds(30), 10).await.expect("claim");
    assert_eq!(fresh.len(), 2, "the lease ran out, so the items are claimable again");
    let (old, new) = (&stale[0], fresh.iter().find(|i| i.id == stale[0].id).expect("same item"));
    let (old_claim, new_claim) = (old.claim_token.expect("token"), new.claim_token.expect("token"));
    assert_ne!(old_claim, new_claim);

    // The slow worker's outcomes are not recorded: neither dead nor sent.
    let dead = backend::db::outbox::mark_failed(db, old.id, old_claim, "timeout", None).await.expect("mark");
    assert!(!dead);
    let sent = backend::db::outbox::mark_sent(db, old.id, old_claim, later).await.expect("mark");
    assert!(!sent);
    let item = backend::db::outbox::find(db, old.id).await.expect("find").expect("item");
    assert_eq!((item.status.as_str(), item.sent_at, item.last_error), ("pending", None, None));
    assert_eq!(item.claim_token, Some(new_claim));

    // The current claim's outcome is, and a stale mark after it changes nothing.
    assert!(backend::db::outbox::mark_sent(db, new.id, new_claim, later).await.expect("mark"));
    assert!(!backend::db::outbox::mark_failed(db, old.id, old_claim, "late", None).await.expect("mark"));
    let item = backend::db::outbox::find(db, old.id).await.expect("find").expect("item");
    assert_eq!((item.status.as_str(), item.last_error), ("sent", None));
    // A failure under the current claim is recorded as a retry.
    let other = fresh.iter().find(|i| i.id != old.id).expect("other item");
    let retry_at = later + chrono::Duration::seconds(5);
    let recorded =
        backend::db::outbox::mark_failed(db, other.id, other.claim_token.expect("token"), "421", Some(retry_at))
            .await
            .expect("mark");
    assert!(recorded);
    let item = backend::db::outbox::find(db, other.id).await.expect("find").expect("item");
    assert_eq!((item.status.as_str(), item.last_error.as_deref()), ("pending", Some("421")));
}
