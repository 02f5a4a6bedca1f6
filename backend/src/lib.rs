//! The e-service platform's server: a JSON REST API (actix-web) over
//! SQLite or PostgreSQL (sea-orm), serving the single-page app too.
//! `main.rs` only parses the command line and calls into this library, so
//! everything is testable in-process.

pub mod accounts;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod edge;
pub mod eid;
pub mod error;
pub mod expiring;
pub mod files;
pub mod follow_link;
pub mod handling;
pub mod headers;
pub mod mail;
pub mod messaging;
pub mod navet;
pub mod outbox;
pub mod portal;
pub mod publishing;
pub mod retention;
pub mod routes;
pub mod sessions;
pub mod signing;
pub mod spa;
pub mod startup;
pub mod state;
pub mod storage;
pub mod submission;
pub mod telemetry;

/// The OpenAPI document as pretty JSON with a trailing newline, exactly as
/// committed in `openapi/openapi.json`.
pub fn openapi_json() -> Result<String, serde_json::Error> {
    let mut doc = serde_json::to_string_pretty(&routes::openapi())?;
    doc.push('\n');
    Ok(doc)
}
