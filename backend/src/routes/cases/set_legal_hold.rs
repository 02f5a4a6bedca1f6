use actix_web::{HttpResponse, put, web};
use shared::api::{ApiError, LegalHold, LegalHoldRequest};

use crate::error::AppError;
use crate::handling::{HeldCase, act};
use crate::state::AppState;

/// Puts the case under a legal hold: it is not purged, whatever its retention
/// period, until the hold is lifted. Setting it again replaces the reason.
/// Logged in the case's access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])), params(("reference" = String, Path, description = "The case reference")), request_body = LegalHoldRequest, responses(
    (status = 200, description = "The hold", body = LegalHold),
    (status = 403, description = "Not a service owner or platform admin", body = ApiError),
    (status = 404, description = "No such case that you may see", body = ApiError),
    (status = 422, description = "No reason given", body = ApiError)
))]
#[put("/cases/{reference}/legal-hold")]
pub async fn set_legal_hold(
    state: web::Data<AppState>,
    case: HeldCase<act::SetLegalHold>,
    body: web::Json<LegalHoldRequest>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(crate::handling::legal_hold::set(&state, &case, &body.reason).await?))
}
