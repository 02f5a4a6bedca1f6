//! Logging. Request logs carry the matched route *pattern*
//! (`/api/v1/cases/{reference}`), never the concrete path or query, so case
//! references and personnummer never reach the log.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber (`RUST_LOG`, default `info`). Idempotent.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).try_init();
}

/// Logs method, route pattern, status and duration of every request.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    let method = req.method().clone();
    let res = next.call(req).await?;
    let pattern = res.request().match_pattern().unwrap_or_else(|| "(unmatched)".into());
    let status = res.status().as_u16();
    let duration_ms = start.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(http.method = %method, http.route = %pattern, http.status = status, duration_ms, "request");
    } else {
        tracing::debug!(http.method = %method, http.route = %pattern, http.status = status, duration_ms, "request");
    }
    Ok(res)
}
