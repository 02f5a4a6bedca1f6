//! What an attacker without an account can try: floods of logins and of
//! BankID orders. The server's memory stays bounded, `/health` stays fast,
//! and one client cannot take what other clients need.

use std::io::BufRead as _;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

/// The real server binary in a process of its own (so that its memory can be
/// read), on a fresh SQLite database; killed when dropped.
struct Server {
    child: std::process::Child,
    address: String,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(env: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_backend"));
        cmd.arg("serve")
            .current_dir(dir.path())
            .env("APP_SERVER__HOST", "127.0.0.1")
            .env("APP_SERVER__PORT", "0")
            .env("DATABASE_URL", format!("sqlite://{}/app.db?mode=rwc", dir.path().display()))
            .env("APP_AUTH__JWT_SECRET", crate::helpers::JWT_SECRET)
            .env("APP_BOOTSTRAP__ADMIN_USERNAME", "admin")
            .env("APP_BOOTSTRAP__ADMIN_PASSWORD", "the-admins-password-1")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start the server");
        let stdout = child.stdout.take().expect("stdout");
        let mut address = None;
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.expect("line");
            if let Some(rest) = line.strip_prefix("Listening on ") {
                address = Some(rest.trim_end_matches('/').to_string());
                break;
            }
        }
        Self { child, address: address.expect("the server started"), _dir: dir }
    }

    /// Resident memory in bytes.
    fn rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("status");
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("VmRSS");
        kb * 1024
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_wrong_staff_logins_keep_memory_bounded_and_health_fast() {
    if std::env::var("TEST_DATABASE").as_deref() == Ok("postgres") {
        return; // The hashing does not depend on the database; once is enough.
    }
    backend::eid::tls::install_default_provider();
    let server = Server::start(&[]);
    let client = reqwest::Client::new();
    let (status, _) =
        crate::helpers::json_of(client.get(format!("{}/health", server.address)).send().await.expect("health")).await;
    assert_eq!(status, StatusCode::OK);
    let before = server.rss();

    let health = {
        let (client, url) = (client.clone(), format!("{}/health", server.address));
        tokio::spawn(async move {
            let mut worst = Duration::ZERO;
            let until = Instant::now() + Duration::from_secs(4);
            while Instant::now() < until {
                let started = Instant::now();
                let r = client.get(&url).send().await.expect("health");
                assert_eq!(r.status(), StatusCode::OK);
                worst = worst.max(started.elapsed());
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            worst
        })
    };
    let mut statuses = Vec::new();
    for _round in 0..2 {
        let logins: Vec<_> = (0..64)
            .map(|i| {
                let (client, url) = (client.clone(), format!("{}/api/v1/auth/staff/token", server.address));
                tokio::spawn(async move {
                    let username = if i % 2 == 0 { "admin".to_string() } else { format!("nobody{i}") };
                    client
                        .post(url)
                        .json(&json!({"username": username, "password": "a wrong password"}))
                        .send()
                        .await
                        .expect("login")
                        .status()
                })
            })
            .collect();
        for l in logins {
            statuses.push(l.await.expect("login"));
        }
    }
    let worst_health = health.await.expect("health");
    let after = server.rss();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert!(statuses.contains(&StatusCode::UNAUTHORIZED), "the logins were checked");
    let grown = after.saturating_sub(before);
    eprintln!(
        "128 wrong logins: the server grew by {} MiB; /health took {worst_health:?} at worst",
        grown / (1024 * 1024)
    );
    assert!(grown < 200 * 1024 * 1024, "the server grew by {} MiB under 128 wrong logins", grown / (1024 * 1024));
    assert!(worst_health < Duration::from_millis(500), "/health took {worst_health:?} at worst");
    // The right password still works afterwards.
    let r = client
        .post(format!("{}/api/v1/auth/staff/token", server.address))
        .json(&json!({"username": "admin", "password": "the-admins-password-1"}))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn one_client_cannot_hold_the_bankid_orders_other_clients_need() {
    let app = crate::helpers::spawn_app().await;
    let from =
        |ip: [u8; 4]| reqwest::Client::builder().local_address(std::net::IpAddr::from(ip)).build().expect("client");
    let flooder = from([127, 0, 0, 1]);
    let url = format!("{}/api/v1/auth/bankid", app.address);
    let mut started = 0;
    let mut refused = None;
    for _ in 0..40 {
        let r = flooder.post(&url).json(&json!({})).send().await.expect("start");
        match r.status() {
            StatusCode::OK => started += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                let retry_after = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
                let body: serde_json::Value = r.json().await.expect("json");
                refused = Some((retry_after, body));
                break;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(started, 30, "one address holds at most 30 orders");
    let (retry_after, body) = refused.expect("the 31st is refused");
    assert_eq!(retry_after.as_deref(), Some("60"));
    assert_eq!(body["code"], "too_many_requests");
    // Another client still gets in, and can sign in.
    let (status, body) =
        crate::helpers::json_of(from([127, 0, 0, 2]).post(&url).json(&json!({})).send().await.expect("start")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A same-device login from the flooding address is refused the same way.
    let (status, body) =
        crate::helpers::json_of(flooder.post(&url).json(&json!({"same_device": true})).send().await.expect("start"))
            .await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_requests")));
}
