use actix_web::{HttpResponse, delete, web};
use shared::api::ApiError;

use crate::error::AppError;
use crate::handling::{HeldCase, act};
use crate::state::AppState;

/// Lifts the case's legal hold: a closed case whose period has passed is
/// purged by the next run. Logged in the case's access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])), params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 204, description = "No hold any more"),
    (status = 403, description = "Not a service owner or platform admin", body = ApiError),
    (status = 404, description = "No such case that you may see", body = ApiError)
))]
#[delete("/cases/{reference}/legal-hold")]
pub async fn lift_legal_hold(
    state: web::Data<AppState>,
    case: HeldCase<act::LiftLegalHold>,
) -> Result<HttpResponse, AppError> {
    crate::handling::legal_hold::lift(&state, &case).await?;
    Ok(HttpResponse::NoContent().finish())
}
