use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::Supplement;

use crate::auth::extract::StaffUser;
use crate::error::AppError;
use crate::state::AppState;

/// A case's supplement requests, oldest first, each answered one with the
/// changes it made (before and after per field).
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The requests", body = [Supplement]),
    (status = 404, description = "No such case that you may handle", body = ApiError)
))]
#[get("/cases/{reference}/supplements")]
pub async fn list_case_supplements(
    state: web::Data<AppState>,
    user: StaffUser,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, _) = super::handled_case(&state, &user, &reference).await?;
    let list = crate::db::supplements::list(&state.db, rec.id).await?;
    crate::db::cases::log_access(&state.db, rec.id, user.id, "read_supplements").await?;
    Ok(HttpResponse::Ok().json(list))
}
