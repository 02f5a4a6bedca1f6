use actix_web::{HttpResponse, delete, web};
use shared::api::{ApiError, BuilderAction};
use uuid::Uuid;

use crate::auth::extract::Admin;
use crate::db::builder_audit::Entry;
use crate::error::AppError;
use crate::state::AppState;

/// Withdraws a staff account's permission on a service. Platform admins only. Idempotent.
#[utoipa::path(tag = "services", security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("staff_id" = Uuid, Path, description = "The staff account's id")
), responses(
    (status = 204, description = "Not permitted any more"),
    (status = 404, description = "No such service", body = ApiError)
))]
#[delete("/services/{slug}/permissions/{staff_id}")]
pub async fn revoke_permission(
    state: web::Data<AppState>,
    user: Admin,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (slug, staff_id) = path.into_inner();
    let service = crate::db::services::get_ref(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such service.".into()))?;
    let account = crate::db::staff::find_by_id(&state.db, staff_id).await?;
    let whom = account.map_or_else(|| staff_id.to_string(), |a| a.username);
    let entry = Entry::new(&user.username, BuilderAction::RevokePermission).with_detail(&whom);
    crate::db::staff::revoke(&state.db, service.id, staff_id, &service.slug, entry).await?;
    tracing::info!(service.slug = %slug, staff.id = %staff_id, by = %user.username, "permission revoked");
    Ok(HttpResponse::NoContent().finish())
}
