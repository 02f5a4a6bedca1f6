//! Liveness and readiness.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;

use crate::state::AppState;

/// A probe's answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`, `ready` or `unavailable`.
    pub status: &'static str,
    /// Why it is not ready: `database_unreachable` (no answer within a second) or
    /// `database_not_writable` (it answers, but a write fails: full, read-only or locked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

/// The longest `/ready` takes: a load balancer gets an answer even while the database hangs.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// Liveness: the process answers.
#[utoipa::path(tag = "health", responses((status = 200, description = "The process is alive", body = Health)))]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok", reason: None })
}

/// Readiness: the database answers and takes writes (a row is written and
/// deleted in a transaction), within a second.
#[utoipa::path(tag = "health", responses(
    (status = 200, description = "Ready to serve", body = Health),
    (status = 503, description = "The database does not answer in time, or cannot take writes (`reason` says which)", body = Health)
))]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let deadline = tokio::time::Instant::now() + READY_TIMEOUT;
    let reason = if !tokio::time::timeout_at(deadline, crate::db::ping(&state.db)).await.unwrap_or(false) {
        "database_unreachable"
    } else {
        match tokio::time::timeout_at(deadline, crate::db::write_probe(&state.db)).await {
            Ok(Ok(())) => return HttpResponse::Ok().json(Health { status: "ready", reason: None }),
            Ok(Err(e)) => {
                tracing::warn!(error.cause = %e, "readiness: the database does not take writes");
                "database_not_writable"
            }
            Err(_) => {
                tracing::warn!("readiness: a write to the database did not finish within a second");
                "database_not_writable"
            }
        }
    };
    HttpResponse::ServiceUnavailable()
        .insert_header(("Retry-After", crate::error::RETRY_AFTER_SECONDS.to_string()))
        .json(Health { status: "unavailable", reason: Some(reason) })
}
