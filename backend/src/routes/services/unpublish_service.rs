use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, ServiceView};

use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::routes::admin_service;
use crate::state::AppState;

/// Takes a service out of the catalogue. Platform admins only. Applicants can
/// no longer start it or send a draft of it (their drafts are kept, and wait);
/// its cases are handled, followed and purged as before. Publishing one of its
/// versions again (`POST /services/{slug}/forms/{version}/publish`) brings it
/// back. Unpublishing a service that is not published changes nothing.
#[utoipa::path(tag = "services", security(("bearer" = [])), params(("slug" = String, Path, description = "The service's URL name")), responses(
    (status = 200, description = "The service, now without a published version", body = ServiceView),
    (status = 403, description = "Not a platform admin", body = ApiError),
    (status = 404, description = "No such service", body = ApiError)
))]
#[post("/services/{slug}/unpublish")]
pub async fn unpublish_service(
    state: web::Data<AppState>,
    user: Admin,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let not_found = || AppError::NotFound("There is no such service.".into());
    let service = admin_service(&state, &slug).await?;
    if !crate::db::services::unpublish(&state.db, service.id, &service.slug, &user.username).await? {
        return Err(not_found());
    }
    let view = crate::db::services::get(&state.db, &slug).await?.ok_or_else(not_found)?;
    tracing::info!(service.slug = %view.slug, staff.username = %user.username, "service unpublished");
    Ok(HttpResponse::Ok().json(crate::retention::complete(view, &state.settings.retention)))
}
