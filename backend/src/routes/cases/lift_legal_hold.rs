use actix_web::{HttpResponse, delete, web};
use shared::api::ApiError;

use crate::auth::extract::StaffUser;
use crate::error::AppError;
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
    user: StaffUser,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, _) = super::held_case(&state, &user, &reference).await?;
    super::set_legal_hold::may_hold(&user)?;
    if !crate::db::retention::lift_legal_hold(&state.db, rec.id, user.id).await? {
        return Err(AppError::NotFound("There is no case with that reference that you may handle.".into()));
    }
    tracing::info!(staff.username = %user.username, "legal hold lifted");
    Ok(HttpResponse::NoContent().finish())
}
