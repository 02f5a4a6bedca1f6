use actix_web::{HttpResponse, get, web};
use shared::api::FormVersionView;

use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::routes::admin_service;
use crate::state::AppState;

/// All versions of a service's form, newest first.
#[utoipa::path(tag = "forms", security(("bearer" = [])), params(("slug" = String, Path, description = "The service's URL name")), responses(
    (status = 200, description = "The versions", body = [FormVersionView])
))]
#[get("/services/{slug}/forms")]
pub async fn list_form_versions(
    state: web::Data<AppState>,
    _admin: Admin,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let service = admin_service(&state, &slug).await?;
    Ok(HttpResponse::Ok().json(crate::db::services::list_versions(&state.db, service.id, &service.slug).await?))
}
