use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, PublishChecklist};

use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::state::AppState;

/// Whether a version can be published, as a checklist: the service's first and last page,
/// privacy notice, confirmation e-mail, handlers' mailbox and retention period, at least one
/// handler, valid statuses, a valid form that fits the signing settings, English throughout if
/// the service offers English (blocking: publishing waits for them); the name's length and the
/// analysis' findings (warnings). Platform admins only.
#[utoipa::path(tag = "forms", security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("version" = u32, Path, description = "The version number")
), responses(
    (status = 200, description = "The checklist", body = PublishChecklist),
    (status = 404, description = "No such version", body = ApiError)
))]
#[get("/services/{slug}/forms/{version}/checklist")]
pub async fn get_publish_checklist(
    state: web::Data<AppState>,
    _admin: Admin,
    path: web::Path<(String, u32)>,
) -> Result<HttpResponse, AppError> {
    let (slug, version) = path.into_inner();
    let (_, view) = super::service_version(&state, &slug, version).await?;
    let service = crate::db::services::get(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such service.".into()))?;
    let service = crate::retention::complete(service, &state.settings.retention);
    Ok(HttpResponse::Ok().json(crate::publishing::checklist(&state, &service, &view).await?))
}
