use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::AccessLogEntry;

use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::state::AppState;

/// Who read or changed a case, newest first (up to 500 entries). Platform admins only.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The access log", body = [AccessLogEntry]),
    (status = 403, description = "Not a platform admin", body = ApiError),
    (status = 404, description = "No such case", body = ApiError)
))]
#[get("/cases/{reference}/access-log")]
pub async fn get_case_access_log(
    state: web::Data<AppState>,
    _admin: Admin,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let rec = crate::db::cases::find_for_staff(&state.db, &reference)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no case with that reference.".into()))?;
    let (entries, _) =
        crate::db::access_log::entries(&state.db, crate::db::access_log::AccessOf::Case(rec.id), None, 500).await?;
    Ok(HttpResponse::Ok().json(entries))
}
