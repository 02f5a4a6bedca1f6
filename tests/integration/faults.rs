//! Faults: a full or read-only database, a database that is down or locked,
//! a file store that is full or refuses. Nothing acknowledged is lost, the
//! answers say the service is temporarily unavailable (503 or 507 with
//! `Retry-After`), `/ready` tells within a second, and writing resumes by
//! itself once the fault is gone.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::json;

use crate::helpers::{Options, TestApp, sample_answers, sample_form, spawn_app, spawn_app_with};

/// A connection of the test's own to the app's SQLite file, which sees only what is committed.
async fn own_connection(file: &std::path::Path) -> DatabaseConnection {
    let db = Database::connect(format!("sqlite://{}?mode=rw", file.display())).await.expect("connect to the file");
    db.execute_unprepared("PRAGMA busy_timeout = 10000").await.expect("busy timeout");
    db
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
        .await
        .expect(sql)
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a number")
}

/// Waits up to ten seconds for `/ready` to answer 200.
async fn until_ready(app: &TestApp, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.get("/ready", None).await.0 != StatusCode::OK {
        assert!(Instant::now() < deadline, "ready again once {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `/ready` answers 503 within a second and a half; its reason.
async fn not_ready(app: &TestApp) -> Option<String> {
    let started = Instant::now();
    let (status, body) = app.get("/ready", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(started.elapsed() < Duration::from_millis(1500), "ready answered in {:?}", started.elapsed());
    body["reason"].as_str().map(str::to_string)
}

/// An anonymous submission the app cannot keep now: 503 `unavailable` with
/// `Retry-After`, answered within four seconds; its `Retry-After` and body.
async fn refused_submission(app: &TestApp, key: Option<&str>) -> (String, serde_json::Value) {
    let started = Instant::now();
    let mut rb = app
        .client
        .post(format!("{}/api/v1/catalogue/felanmalan/cases", app.address))
        .json(&json!({"form_version": 1, "answers": sample_answers()}));
    if let Some(key) = key {
        rb = rb.header("Idempotency-Key", key);
    }
    let r = rb.send().await.expect("request");
    let waited = started.elapsed();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry_after = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["code"], "unavailable");
    assert!(waited < Duration::from_secs(4), "answered after {waited:?} (acquire_timeout_ms is 2000)");
    (retry_after, body)
}

/// Submits anonymously from `clients` concurrent clients until `until`; the
/// references of every 201 and the statuses of the rest.
async fn submit_concurrently(app: &TestApp, clients: usize, until: Instant) -> (Vec<String>, Vec<(u16, String)>) {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let refused = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let client = reqwest::Client::new();
        let url = format!("{}/api/v1/catalogue/felanmalan/cases", app.address);
        let (acknowledged, refused) = (acknowledged.clone(), refused.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                let r = client
                    .post(&url)
                    .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                    .json(&json!({"form_version": 1, "answers": sample_answers()}))
                    .send()
                    .await
                    .expect("request");
                let status = r.status();
                let retry_after = r.headers().get("retry-after").is_some();
                let body: serde_json::Value = r.json().await.unwrap_or_default();
                if status == StatusCode::CREATED {
                    acknowledged.lock().unwrap().push(body["reference"].as_str().expect("reference").to_string());
                } else {
                    assert!(
                        status != StatusCode::SERVICE_UNAVAILABLE || retry_after,
                        "a 503 carries Retry-After: {body}"
                    );
                    refused.lock().unwrap().push((status.as_u16(), body["code"].as_str().unwrap_or("").to_string()));
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("client");
    }
    let a = acknowledged.lock().unwrap().clone();
    let r = refused.lock().unwrap().clone();
    (a, r)
}

/// A small filesystem of its own (tmpfs) for the database, where the machine
/// allows mounting one (CI runs as root); unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(mib: u32) -> Option<Self> {
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Self { dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Fills a full database with 32 concurrent submitters, checks the answers
/// and `/ready`, makes room with `make_room`, and checks that writing resumes
/// by itself and that every acknowledged case is committed.
async fn full_database_keeps_every_201(
    app: &TestApp,
    file: &std::path::Path,
    fill: impl AsyncFnOnce(),
    make_room: impl AsyncFnOnce(),
) {
    let admin = app.admin().await;
    app.published_service(&admin, "felanmalan", sample_form(), true).await;
    let (status, _) = app.submit("felanmalan", None, 1, sample_answers(), None).await;
    assert_eq!(status, StatusCode::CREATED);
    fill().await;

    // 32 clients submit for three seconds while the database is full.
    let (acknowledged_full, refused) = submit_concurrently(app, 32, Instant::now() + Duration::from_secs(3)).await;
    assert!(refused.len() > 32, "the full database refused submissions: {} refused", refused.len());
    assert!(
        refused.iter().all(|(status, code)| *status == 503 && code == "unavailable"),
        "a full database is 503 unavailable, never a bare 500: {:?}",
        refused.iter().filter(|(s, _)| *s != 503).take(5).collect::<Vec<_>>()
    );
    assert_eq!(not_ready(app).await.as_deref(), Some("database_not_writable"));

    make_room().await;

    // Writing resumes by itself, without a restart.
    until_ready(app, "there is room").await;
    let (acknowledged_after, refused_after) =
        submit_concurrently(app, 16, Instant::now() + Duration::from_secs(1)).await;
    assert!(refused_after.is_empty(), "every submission succeeds again: {refused_after:?}");
    assert!(!acknowledged_after.is_empty());

    // Every acknowledged case is committed: a connection of the test's own sees it.
    let own = own_connection(file).await;
    let stored: std::collections::HashSet<String> = own
        .query_all_raw(Statement::from_string(own.get_database_backend(), "SELECT reference FROM cases".to_string()))
        .await
        .expect("references")
        .iter()
        .map(|r| r.try_get::<String>("", "reference").expect("reference"))
        .collect();
    let lost: Vec<&String> =
        acknowledged_full.iter().chain(&acknowledged_after).filter(|r| !stored.contains(*r)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged cases are not in the database: {lost:?}",
        lost.len(),
        acknowledged_full.len() + acknowledged_after.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_a_full_disk_every_201_is_kept_ready_says_so_and_writing_resumes_when_room_returns() {
    if std::env::var("TEST_DATABASE").as_deref() == Ok("postgres") {
        return; // The embedded SQLite's file; PostgreSQL's outage is tested below.
    }
    // A real full disk where a small filesystem can be mounted; SQLite's own size limit elsewhere.
    let Some(disk) = SmallDisk::mount(6) else {
        eprintln!("no tmpfs can be mounted here: the full disk is SQLite's max_page_count instead");
        return on_a_full_sqlite_file().await;
    };
    let db_path = disk.dir.path().join("app.db");
    let url = format!("sqlite://{}?mode=rwc", db_path.display());
    let app =
        spawn_app_with(Options { database_url: Some(Box::new(move |_: &str| url.clone())), ..Default::default() })
            .await;
    let ballast = disk.dir.path().join("ballast");
    full_database_keeps_every_201(
        &app,
        &db_path,
        async || {
            use std::io::Write as _;
            let mut f = std::fs::File::create(&ballast).expect("ballast");
            let chunk = vec![7u8; 64 * 1024];
            while f.write_all(&chunk).is_ok() {}
            let _ = f.sync_all();
        },
        async || std::fs::remove_file(disk.dir.path().join("ballast")).expect("remove the ballast"),
    )
    .await;
}

/// The same on SQLite's own size limit (4 MiB = 1,024 pages): the file is
/// filled to it with a ballast table, which is dropped to make room.
async fn on_a_full_sqlite_file() {
    let app = spawn_app_with(Options { sqlite_max_size_mb: Some(4), ..Default::default() }).await;
    let file = app.sqlite_file.clone().expect("SQLite");
    let own = own_connection(&file).await;
    full_database_keeps_every_201(
        &app,
        &file,
        async || {
            own.execute_unprepared("CREATE TABLE ballast (b BLOB)").await.expect("ballast table");
            while scalar(&own, "PRAGMA page_count").await < 1024 {
                own.execute_unprepared("INSERT INTO ballast VALUES (randomblob(16000))").await.expect("ballast");
            }
        },
        // The test's own connection must get the write lock: no connection of the app keeps it.
        async || own.execute_unprepared("DROP TABLE ballast").await.map(|_| ()).expect("make room"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_a_sqlite_file_at_its_size_limit_every_201_is_kept_and_writing_resumes_when_room_returns() {
    if std::env::var("TEST_DATABASE").as_deref() == Ok("postgres") {
        return;
    }
    on_a_full_sqlite_file().await;
}

#[tokio::test]
async fn a_database_that_cannot_be_written_at_start_up_stops_the_start_and_names_the_file() {
    let app = spawn_app().await;
    let Some(file) = app.sqlite_file.clone() else {
        return; // The SQLite file; PostgreSQL's read-only standby is refused by the same check.
    };
    let mut settings = backend::config::Settings::load_from(&file.with_file_name("no-config")).expect("settings");
    settings.server.host = "127.0.0.1".into();
    settings.server.port = 0;
    settings.database.url = secrecy::SecretString::from(format!("sqlite://{}?mode=ro", file.display()));
    settings.frontend.dist_dir = file.with_file_name("no-dist").display().to_string();
    let err = match backend::startup::Application::build(settings).await {
        Ok(_) => panic!("a read-only database must not start"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains(&file.display().to_string()) && err.contains("cannot be written"), "{err}");
}

#[tokio::test]
async fn a_write_lock_held_elsewhere_gets_503_with_retry_after_within_the_timeout_and_ready_answers_in_a_second() {
    let app = spawn_app().await;
    let Some(file) = app.sqlite_file.clone() else {
        return; // PostgreSQL has row locks, not a database lock; its outage is the next test.
    };
    let admin = app.admin().await;
    app.published_service(&admin, "felanmalan", sample_form(), true).await;
    let own = own_connection(&file).await;
    own.execute_unprepared("BEGIN IMMEDIATE").await.expect("take the write lock");
    let (retry_after, body) = refused_submission(&app, None).await;
    assert_eq!(retry_after, "5");
    assert!(body["message"].as_str().unwrap_or("").contains("Nothing was saved"), "{body}");
    assert_eq!(not_ready(&app).await.as_deref(), Some("database_not_writable"));
    own.execute_unprepared("ROLLBACK").await.expect("release the lock");
    let (status, _) = app.get("/ready", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.count("cases").await, 0, "nothing of the refused submission was kept");
}

/// A TCP proxy in front of PostgreSQL that the test can cut (every
/// connection dropped, new ones refused) and restore.
struct Proxy {
    port: u16,
    cut: Arc<std::sync::atomic::AtomicBool>,
    conns: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: &'static str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let cut = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let conns = Arc::new(Mutex::new(Vec::new()));
        let (c, list) = (cut.clone(), conns.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if c.load(std::sync::atomic::Ordering::SeqCst) {
                    continue; // Dropped: the database is down.
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                list.lock().unwrap().push(task);
            }
        });
        Self { port, cut, conns }
    }

    fn cut(&self) {
        self.cut.store(true, std::sync::atomic::Ordering::SeqCst);
        for t in self.conns.lock().unwrap().drain(..) {
            t.abort();
        }
    }

    fn restore(&self) {
        self.cut.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_postgresql_is_down_requests_get_503_within_the_timeout_ready_answers_in_a_second_and_it_recovers() {
    if std::env::var("TEST_DATABASE").as_deref() != Ok("postgres") {
        return; // PostgreSQL only: the embedded SQLite cannot be down.
    }
    let proxy = Proxy::start("127.0.0.1:5432").await;
    let port = proxy.port;
    let app = spawn_app_with(Options {
        database_url: Some(Box::new(move |url: &str| url.replacen("127.0.0.1:5432", &format!("127.0.0.1:{port}"), 1))),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    app.published_service(&admin, "felanmalan", sample_form(), true).await;
    let (status, _) = app.submit("felanmalan", None, 1, sample_answers(), Some("before")).await;
    assert_eq!(status, StatusCode::CREATED);

    proxy.cut();
    let (retry_after, _) = refused_submission(&app, Some("during")).await;
    assert!(!retry_after.is_empty());
    not_ready(&app).await;

    proxy.restore();
    until_ready(&app, "PostgreSQL is back").await;
    // The refused submission is sent again and kept once; the earlier one is not duplicated.
    let (status, _) = app.submit("felanmalan", None, 1, sample_answers(), Some("during")).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app.submit("felanmalan", None, 1, sample_answers(), Some("before")).await;
    assert_eq!(status, StatusCode::OK, "a replay of an acknowledged submission");
    assert_eq!(app.count("cases").await, 2);
}

#[tokio::test]
async fn a_file_store_that_refuses_gets_503_with_retry_after_and_keeps_nothing() {
    let app = spawn_app().await;
    let token = app.applicant(crate::helpers::APPLICANT).await;
    // The uploads directory cannot be made: a file stands where it should be.
    let _ = std::fs::remove_dir_all(&app.uploads_dir);
    std::fs::write(&app.uploads_dir, b"not a directory").expect("file");
    let r = app
        .client
        .post(format!("{}/api/v1/uploads", app.address))
        .bearer_auth(&token)
        .header("Content-Type", "application/pdf")
        .header("X-File-Name", "ritning.pdf")
        .body(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec())
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.headers().get("retry-after").is_some());
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["code"], "unavailable");
    assert_eq!(app.count("uploads").await, 0);
}
