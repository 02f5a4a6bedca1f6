use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::AccessLogEntry;
use uuid::Uuid;

use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::state::AppState;

/// Which cases a staff member read or changed, newest first (up to 500 entries), including
/// cases purged since (`purged`: the entry kept without the case, under its reference). Platform admins only.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The staff account's id")), responses(
    (status = 200, description = "The access log", body = [AccessLogEntry]),
    (status = 403, description = "Not a platform admin", body = ApiError),
    (status = 404, description = "No such account", body = ApiError)
))]
#[get("/staff/{id}/access-log")]
pub async fn get_staff_access_log(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    if crate::db::staff::find_by_id(&state.db, *id).await?.is_none() {
        return Err(AppError::NotFound("There is no staff account with that id.".into()));
    }
    let (mut entries, _) =
        crate::db::access_log::entries(&state.db, crate::db::access_log::AccessOf::Staff(*id), None, 500).await?;
    entries.extend(crate::db::retention::purged_access_of_staff(&state.db, *id, 500).await?);
    entries.sort_by_key(|e| std::cmp::Reverse(e.at));
    entries.truncate(500);
    Ok(HttpResponse::Ok().json(entries))
}
