use actix_web::{HttpResponse, delete, web};
use shared::api::ApiError;

use crate::error::{AppError, ErrorCode};
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Ends the private link of an anonymous case (see [`crate::follow_link`]):
/// whoever holds it can no longer follow or answer the case, and no more mail
/// goes to the applicant's address with it. For a handler permitted on the
/// case's service; logged in the case's access log. It cannot be undone.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 204, description = "The link no longer works"),
    (status = 404, description = "No such case that you may handle", body = ApiError),
    (status = 409, description = "`no_follow_link`: the case has no live private link", body = ApiError)
))]
#[delete("/cases/{reference}/follow-link")]
pub async fn revoke_follow_link(
    state: web::Data<AppState>,
    case: HandledCase<act::RevokeFollowLink>,
) -> Result<HttpResponse, AppError> {
    let (rec, user) = (&case.case, &case.user);
    if !rec.follow_link_active() {
        return Err(AppError::new(ErrorCode::NoFollowLink, "The case has no private link that works."));
    }
    crate::db::cases::revoke_follow_link(&state.db, rec.id, user.id).await?;
    tracing::info!(staff.username = %user.username, "a case's private link revoked");
    Ok(HttpResponse::NoContent().finish())
}
