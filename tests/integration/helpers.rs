//! `spawn_app()` and friends.

use std::path::PathBuf;

use backend::config::Settings;
use backend::startup::Application;
use reqwest::{Client, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

/// The signing secret every test app uses (tests forge tokens with it).
pub const JWT_SECRET: &str = "integration-tests-secret-0123456789abcdef";

/// Official Skatteverket test personnummer.
pub const APPLICANT: &str = "189001019802";
/// Another official test personnummer.
pub const OTHER_APPLICANT: &str = "189001029819";

/// A running app and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// HTTP client.
    pub client: Client,
    /// The app's state (database handle).
    pub state: actix_web::web::Data<backend::state::AppState>,
    /// The SQLite file, when the test runs on SQLite.
    pub sqlite_file: Option<PathBuf>,
    /// Where the app stores uploaded files.
    pub uploads_dir: PathBuf,
    /// Where the `file` mail transport writes (the default in tests).
    pub mail_dir: PathBuf,
    /// Where the app stores case documents (local storage, the default in tests).
    pub documents_dir: PathBuf,
    _dir: tempfile::TempDir,
}

/// Every log line any test app wrote in this process (debug level and up).
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().map(|l| l.clone()).unwrap_or_default()).into_owned()
}

static LOGS: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut l) = LOGS.lock() {
            l.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug"))
            .with_writer(|| LogWriter)
            .with_ansi(false)
            .try_init();
    });
}

/// Turns the fresh database's URL into the one the app is given.
pub type UrlRewrite = Box<dyn Fn(&str) -> String + Send>;

/// Options for [`spawn_app_with`].
#[derive(Default)]
pub struct Options {
    /// Turn the development login off.
    pub dev_login_off: bool,
    /// JSON body limit override.
    pub json_limit: Option<usize>,
    /// A dist directory for the SPA.
    pub dist_dir: Option<PathBuf>,
    /// The first admin from configuration: user name and password.
    pub bootstrap_admin: Option<(String, SecretString)>,
    /// BankID settings instead of the default (simulator mode).
    pub bankid: Option<backend::config::BankIdSettings>,
    /// Upload size limit override.
    pub upload_max_bytes: Option<u64>,
    /// Mail settings instead of the default (`.eml` files in a temporary folder, worker on).
    pub mail: Option<backend::mail::MailSettings>,
    /// Origins of the city's portal (CORS and framing).
    pub portal_origins: Vec<String>,
    /// Storage settings instead of the default (local directories in a temporary folder).
    pub storage: Option<backend::storage::StorageSettings>,
    /// Case document size limit override.
    pub document_max_bytes: Option<u64>,
    /// Retention settings (the scheduled job is off unless these turn it on).
    pub retention: Option<backend::retention::RetentionSettings>,
    /// SQLite: the largest the database file may grow, in MiB.
    pub sqlite_max_size_mb: Option<u64>,
    /// Rewrites the database URL (e.g. to reach PostgreSQL through a proxy the test can cut).
    pub database_url: Option<UrlRewrite>,
}

/// Starts the app on a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE").as_deref() {
        Ok("postgres") => {
            let base =
                std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
            let name = format!("etj_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(format!("{base}/postgres")).await.expect("connect to PostgreSQL");
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
            admin.close().await.ok();
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("app.db").display()),
    }
}

/// Starts the app with options.
pub async fn spawn_app_with(opts: Options) -> TestApp {
    capture_logs();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::load_from(&dir.path().join("no-config")).expect("settings");
    settings.server.host = "127.0.0.1".into();
    settings.server.port = 0;
    let url = fresh_database_url(dir.path()).await;
    let url = match &opts.database_url {
        Some(rewrite) => rewrite(&url),
        None => url,
    };
    settings.database.url = SecretString::from(url);
    settings.database.max_connections = 5;
    settings.database.sqlite_max_size_mb = opts.sqlite_max_size_mb;
    settings.auth.jwt_secret = Some(SecretString::from(JWT_SECRET));
    settings.identity.dev_provider = !opts.dev_login_off;
    if let Some((username, password)) = opts.bootstrap_admin {
        settings.bootstrap.admin_username = Some(username);
        settings.bootstrap.admin_password = Some(password);
    }
    if let Some(bankid) = opts.bankid {
        settings.eid.bankid = bankid;
    }
    if let Some(limit) = opts.json_limit {
        settings.server.json_limit_bytes = limit;
    }
    settings.uploads.dir = dir.path().join("uploads");
    if let Some(limit) = opts.upload_max_bytes {
        settings.uploads.max_bytes = limit;
    }
    let uploads_dir = settings.uploads.dir.clone();
    settings.storage = opts.storage.unwrap_or_default();
    settings.storage.dir = dir.path().join("documents");
    if let Some(limit) = opts.document_max_bytes {
        settings.storage.document_max_bytes = limit;
    }
    let documents_dir = settings.storage.dir.clone();
    settings.mail = opts.mail.unwrap_or_default();
    settings.portal.allowed_origins = opts.portal_origins;
    settings.retention =
        opts.retention.unwrap_or(backend::retention::RetentionSettings { enabled: false, ..Default::default() });
    if settings.mail.transport == backend::mail::TransportKind::File {
        settings.mail.dir = dir.path().join("mail");
    }
    let mail_dir = settings.mail.dir.clone();
    settings.frontend.dist_dir = opts.dist_dir.unwrap_or_else(|| dir.path().join("no-dist")).display().to_string();
    let sqlite_file = settings
        .database
        .url
        .expose_secret()
        .strip_prefix("sqlite://")
        .map(|rest| PathBuf::from(rest.split('?').next().unwrap_or_default()));
    let app = Application::build(settings).await.expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    TestApp { address, client: Client::new(), state, sqlite_file, uploads_dir, mail_dir, documents_dir, _dir: dir }
}

/// A status and JSON body.
pub async fn json_of(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.expect("body");
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    (status, body)
}

impl TestApp {
    /// `GET path` with an optional bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        let mut rb = self.client.get(format!("{}{path}", self.address));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        json_of(rb.send().await.expect("request")).await
    }

    /// A request with a JSON body and an optional bearer token.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> (StatusCode, Value) {
        let mut rb = self.client.request(method, format!("{}{path}", self.address)).json(body);
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        json_of(rb.send().await.expect("request")).await
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, token, body).await
    }

    /// `PUT path` with a JSON body.
    pub async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::PUT, path, token, body).await
    }

    /// `DELETE path` with an optional bearer token.
    pub async fn delete(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        let mut rb = self.client.delete(format!("{}{path}", self.address));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        json_of(rb.send().await.expect("request")).await
    }

    /// Uploads a file (`POST /api/v1/uploads`), logged in or with an anonymous owner token.
    pub async fn upload(
        &self,
        token: Option<&str>,
        upload_token: Option<&str>,
        name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> (StatusCode, Value) {
        let encoded: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let mut rb = self
            .client
            .post(format!("{}/api/v1/uploads", self.address))
            .header("Content-Type", content_type)
            .header("X-File-Name", encoded)
            .body(bytes);
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(t) = upload_token {
            rb = rb.header("X-Upload-Token", t);
        }
        json_of(rb.send().await.expect("request")).await
    }

    /// Creates a staff account directly and logs it in over HTTP; returns (id, token).
    pub async fn staff(&self, username: &str, roles: Vec<shared::api::StaffRole>) -> (String, String) {
        let password = format!("{username}-password-123");
        let view = backend::accounts::create(
            &self.state.db,
            backend::accounts::NewAccount {
                username: username.into(),
                display_name: username.into(),
                email: format!("{username}@example.org"),
                password: SecretString::from(password.clone()),
                roles,
            },
        )
        .await
        .expect("create staff");
        let (status, body) =
            self.post("/api/v1/auth/staff/token", None, &json!({"username": username, "password": password})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (view.id.to_string(), body["access_token"].as_str().expect("token").to_string())
    }

    /// A platform admin's token.
    pub async fn admin(&self) -> String {
        self.staff("admin", vec![shared::api::StaffRole::PlatformAdmin]).await.1
    }

    /// A handler permitted on the given services; returns the token.
    pub async fn handler(&self, admin: &str, username: &str, services: &[&str]) -> String {
        let (id, token) = self.staff(username, vec![shared::api::StaffRole::Handler]).await;
        for slug in services {
            let (status, body) =
                self.put(&format!("/api/v1/services/{slug}/permissions/{id}"), Some(admin), &json!({})).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        token
    }

    /// An applicant's token from the development login.
    pub async fn applicant(&self, personnummer: &str) -> String {
        let (status, body) = self.post("/api/v1/auth/dev/token", None, &json!({"personnummer": personnummer})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["access_token"].as_str().expect("token").to_string()
    }

    /// Gives the service a handler (`mottagare-{slug}`), which publishing requires.
    pub async fn ready_to_publish(&self, admin: &str, slug: &str) {
        let username = format!("mottagare-{slug}");
        let id = match backend::db::staff::find_by_username(&self.state.db, &username).await.expect("find") {
            Some(account) => account.id.to_string(),
            None => self.staff(&username, vec![shared::api::StaffRole::Handler]).await.0,
        };
        let (status, body) =
            self.put(&format!("/api/v1/services/{slug}/permissions/{id}"), Some(admin), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// Creates a service (e-ID required unless `anonymous`) with `definition` published as version 1.
    pub async fn published_service(&self, admin: &str, slug: &str, definition: Value, anonymous: bool) {
        let (status, body) = self.post("/api/v1/services", Some(admin), &service_input(slug, anonymous)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) =
            self.post(&format!("/api/v1/services/{slug}/forms"), Some(admin), &json!({"definition": definition})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let version = body["version"].as_u64().expect("version");
        self.ready_to_publish(admin, slug).await;
        let (status, body) =
            self.post(&format!("/api/v1/services/{slug}/forms/{version}/publish"), Some(admin), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// Submits answers to version `version` with an optional idempotency key.
    pub async fn submit(
        &self,
        slug: &str,
        token: Option<&str>,
        version: u64,
        answers: Value,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut rb = self
            .client
            .post(format!("{}/api/v1/catalogue/{slug}/cases", self.address))
            .json(&json!({"form_version": version, "answers": answers}));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(k) = key {
            rb = rb.header("Idempotency-Key", k);
        }
        json_of(rb.send().await.expect("request")).await
    }

    /// Number of rows in a table.
    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.state.db.get_database_backend();
        let row = self
            .state
            .db
            .query_one_raw(sea_orm::Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}")))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

/// A valid service body.
pub fn service_input(slug: &str, anonymous: bool) -> Value {
    json!({
        "slug": slug,
        "name": format!("Tjänst {slug}"),
        "audience": "Alla som bor i kommunen.",
        "first_page_text": "Så här fungerar e-tjänsten.",
        "last_page_text": "Tack, vi har tagit emot ditt ärende.",
        "privacy_text": "Vi behandlar dina personuppgifter enligt GDPR.",
        "confirmation_email_subject": "Vi har tagit emot ditt ärende",
        "confirmation_email_body": "Logga in på Min sida för att följa ärendet.",
        "handler_mailbox": "funktionsbrevlada@example.org",
        "identity": if anonymous { "anonymous_allowed" } else { "e_id" },
        "retention_days_after_closing": 30
    })
}

/// A two-page form with a conditional field.
pub fn sample_form() -> Value {
    json!({"pages": [
        {"key": "om_dig", "title": "Om dig", "fields": [
            {"key": "namn", "label": "Namn", "required": true, "kind": {"type": "short_text", "max_length": 50}},
            {"key": "alder", "label": "Ålder", "required": true, "kind": {"type": "number", "min": 0, "max": 130, "integer": true}},
            {"key": "har_hund", "label": "Har du hund?", "required": true, "kind": {"type": "yes_no"}},
            {"key": "hundens_namn", "label": "Hundens namn", "required": true,
             "condition": {"op": "equals", "field": "har_hund", "value": true},
             "kind": {"type": "short_text"}}
        ]},
        {"key": "kontakt", "title": "Kontakt", "fields": [
            {"key": "epost", "label": "E-post", "required": true, "kind": {"type": "email"}},
            {"key": "barn", "label": "Barnets personnummer", "kind": {"type": "personnummer"}}
        ]}
    ]})
}

/// Valid answers to [`sample_form`].
pub fn sample_answers() -> Value {
    json!({"namn": "Tolvan Tolvansson", "alder": 40, "har_hund": false, "epost": "tolvan@example.org"})
}

/// A definition as the API returns it: parsed and serialised (defaults filled in).
pub fn canonical(def: Value) -> Value {
    serde_json::to_value(serde_json::from_value::<shared::FormDefinition>(def).expect("definition")).expect("json")
}

impl TestApp {
    /// Everything the database holds, as text: the SQLite files byte for
    /// byte (WAL included), or every PostgreSQL table row by row.
    pub async fn database_dump(&self) -> String {
        if let Some(file) = &self.sqlite_file {
            let mut out = String::new();
            for suffix in ["", "-wal", "-shm"] {
                let path = PathBuf::from(format!("{}{suffix}", file.display()));
                if let Ok(bytes) = std::fs::read(&path) {
                    out.push_str(&String::from_utf8_lossy(&bytes));
                }
            }
            return out;
        }
        let db = &self.state.db;
        let backend = db.get_database_backend();
        let tables = db
            .query_all_raw(sea_orm::Statement::from_string(
                backend,
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
            ))
            .await
            .expect("tables");
        let mut out = String::new();
        for t in tables {
            let name: String = t.try_get("", "tablename").expect("name");
            let rows = db
                .query_all_raw(sea_orm::Statement::from_string(
                    backend,
                    format!("SELECT t::text AS row FROM \"{name}\" t"),
                ))
                .await
                .expect("rows");
            for r in rows {
                out.push_str(&r.try_get::<String>("", "row").expect("row"));
                out.push('\n');
            }
        }
        out
    }
}
