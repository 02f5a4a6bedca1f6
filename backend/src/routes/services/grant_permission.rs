use actix_web::{HttpResponse, put, web};
use shared::api::{ApiError, BuilderAction, StaffUserView};
use uuid::Uuid;

use crate::auth::extract::Admin;
use crate::db::builder_audit::Entry;
use crate::error::AppError;
use crate::state::AppState;

/// Permits a staff account on a service (handlers see its cases; service
/// owners edit its texts). Platform admins only. Idempotent.
#[utoipa::path(tag = "services", security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("staff_id" = Uuid, Path, description = "The staff account's id")
), responses(
    (status = 200, description = "Permitted; the account with its services", body = StaffUserView),
    (status = 404, description = "No such service or account", body = ApiError)
))]
#[put("/services/{slug}/permissions/{staff_id}")]
pub async fn grant_permission(
    state: web::Data<AppState>,
    user: Admin,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (slug, staff_id) = path.into_inner();
    let service = crate::db::services::get_ref(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such service.".into()))?;
    let account = crate::db::staff::find_by_id(&state.db, staff_id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such staff account.".into()))?;
    let entry = Entry::new(&user.username, BuilderAction::GrantPermission).with_detail(&account.username);
    crate::db::staff::grant(&state.db, service.id, staff_id, &service.slug, entry).await?;
    let view = crate::db::staff::get_view(&state.db, staff_id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such staff account.".into()))?;
    tracing::info!(service.slug = %slug, staff.id = %staff_id, by = %user.username, "permission granted");
    Ok(HttpResponse::Ok().json(view))
}
