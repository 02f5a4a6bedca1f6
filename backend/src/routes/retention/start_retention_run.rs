use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use shared::api::{ApiError, RetentionRunView};
use utoipa::ToSchema;

use crate::auth::extract::Admin;
use crate::error::{AppError, ErrorCode};
use crate::retention::RunError;
use crate::state::AppState;

/// Body of `POST /retention/runs`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRunRequest {
    /// Purge as if at this instant (RFC 3339). Accepted only when the server
    /// runs with `[retention] allow_as_of = true` (tests and demonstrations).
    #[serde(default)]
    pub as_of: Option<DateTime<Utc>>,
}

/// Runs the purge job now (it also runs on its schedule) and answers with the
/// run's figures when it is done; a client that disconnects meanwhile does not
/// stop it (`GET /retention` shows it). Platform admins only.
#[utoipa::path(tag = "retention", security(("bearer" = [])), request_body = StartRunRequest, responses(
    (status = 200, description = "The finished run", body = RetentionRunView),
    (status = 403, description = "Not a platform admin", body = ApiError),
    (status = 409, description = "Another instance is running the purge", body = ApiError),
    (status = 422, description = "`as_of` given but not allowed", body = ApiError)
))]
#[post("/retention/runs")]
pub async fn start_retention_run(
    state: web::Data<AppState>,
    user: Admin,
    body: web::Json<StartRunRequest>,
) -> Result<HttpResponse, AppError> {
    let as_of = match body.into_inner().as_of {
        Some(_) if !state.settings.retention.allow_as_of => {
            return Err(AppError::new(
                ErrorCode::AsOfNotAllowed,
                "This server purges as of the current time only ([retention] allow_as_of is off).",
            ));
        }
        Some(t) => t,
        None => Utc::now(),
    };
    tracing::info!(staff.username = %user.username, "retention run started by hand");
    // Its own task: a client that goes away does not stop the run halfway.
    let job = state.clone();
    let outcome = tokio::spawn(async move { crate::retention::run(&job, as_of, "manual").await })
        .await
        .map_err(AppError::internal)?;
    match outcome {
        Ok(run) => Ok(HttpResponse::Ok().json(run)),
        Err(RunError::Busy) => Err(AppError::new(
            ErrorCode::RetentionRunInProgress,
            "Another instance is running the purge now; try again when it is done.",
        )),
        Err(RunError::Db(e)) => Err(e.into()),
    }
}
