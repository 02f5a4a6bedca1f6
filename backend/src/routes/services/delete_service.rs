use actix_web::{HttpResponse, delete, web};
use shared::api::ApiError;

use crate::auth::extract::Admin;
use crate::db::services::Deletion;
use crate::error::{AppError, ErrorCode};
use crate::routes::admin_service;
use crate::state::AppState;

/// Deletes a service that has never been published, with its draft form
/// versions and permissions. Platform admins only. A service that has been
/// published is kept (its cases and purge records refer to it): unpublish it
/// instead.
#[utoipa::path(tag = "services", security(("bearer" = [])), params(("slug" = String, Path, description = "The service's URL name")), responses(
    (status = 204, description = "Deleted"),
    (status = 403, description = "Not a platform admin", body = ApiError),
    (status = 404, description = "No such service", body = ApiError),
    (status = 409, description = "`service_was_published`: a version of it has been published; unpublish it instead", body = ApiError)
))]
#[delete("/services/{slug}")]
pub async fn delete_service(
    state: web::Data<AppState>,
    user: Admin,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let service = admin_service(&state, &slug).await?;
    match crate::db::services::delete_unpublished(&state.db, service.id, &service.slug, &user.username).await? {
        Deletion::Deleted => {
            tracing::info!(service.slug = %slug, staff.username = %user.username, "service deleted");
            Ok(HttpResponse::NoContent().finish())
        }
        Deletion::WasPublished => Err(AppError::new(
            ErrorCode::ServiceWasPublished,
            "A service that has been published is never deleted: its cases and purge records refer to it. Unpublish it instead (POST /api/v1/services/{slug}/unpublish).",
        )),
        Deletion::NotFound => Err(AppError::NotFound("There is no such service.".into())),
    }
}
