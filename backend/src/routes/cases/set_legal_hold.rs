use actix_web::{HttpResponse, put, web};
use shared::api::{ApiError, LegalHold, LegalHoldRequest, StaffRole};

use crate::auth::extract::StaffUser;
use crate::error::AppError;
use crate::state::AppState;

/// Who may set and lift legal holds: platform admins on any case, service
/// owners on the cases of their services.
pub fn may_hold(user: &StaffUser) -> Result<(), AppError> {
    if user.has(StaffRole::ServiceOwner) || user.has(StaffRole::PlatformAdmin) {
        Ok(())
    } else {
        Err(AppError::Forbidden("Only service owners and platform admins may set or lift a legal hold.".into()))
    }
}

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
    user: StaffUser,
    reference: web::Path<String>,
    body: web::Json<LegalHoldRequest>,
) -> Result<HttpResponse, AppError> {
    let (rec, _) = super::held_case(&state, &user, &reference).await?;
    may_hold(&user)?;
    let reason = crate::domain::required_text(&body.reason, "reason", 1000)?;
    let set_at = crate::db::retention::set_legal_hold(&state.db, rec.id, &reason, &user.username, user.id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no case with that reference that you may handle.".into()))?;
    tracing::info!(staff.username = %user.username, "legal hold set");
    Ok(HttpResponse::Ok().json(LegalHold { reason, set_by: user.username.clone(), set_at }))
}
