use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, ServiceCopyInput, ServiceView};

use crate::auth::extract::Admin;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Creates a new service as a copy of another: its settings, statuses, texts and e-mails,
/// and its form as the newest version has it, as the copy's draft version 1. The copy has its
/// own URL name and name, is not published, and has no handlers until given some. Platform
/// admins only.
#[utoipa::path(tag = "services", request_body = ServiceCopyInput, security(("bearer" = [])),
    params(("slug" = String, Path, description = "The URL name of the service to copy")), responses(
    (status = 201, description = "The copy, a draft", body = ServiceView),
    (status = 404, description = "No such service", body = ApiError),
    (status = 409, description = "`slug_taken`: the URL name is taken", body = ApiError),
    (status = 422, description = "The URL name or name is not valid: every problem at once in `problems`", body = ApiError)
))]
#[post("/services/{slug}/copy")]
pub async fn copy_service(
    state: web::Data<AppState>,
    user: Admin,
    slug: web::Path<String>,
    body: web::Json<ServiceCopyInput>,
) -> Result<HttpResponse, AppError> {
    let source = crate::db::services::get(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such service.".into()))?;
    let body = body.into_inner();
    let input = shared::api::ServiceInput { slug: body.slug, name: body.name, ..source.to_input() };
    // No published form of its own yet: the signing settings are checked when it is published.
    let record = super::parse_input(input, super::Existing::default())?;
    let newest = crate::db::services::list_versions(&state.db, source.id, &source.slug).await?.into_iter().next();
    let new_slug = record.slug.clone();
    let view = crate::db::services::copy(
        &state.db,
        &source.slug,
        record,
        newest.as_ref().map(|v| &v.definition),
        &user.username,
    )
    .await?
    .ok_or_else(|| {
        AppError::new(ErrorCode::SlugTaken, format!("A service with the URL name '{new_slug}' already exists."))
    })?;
    tracing::info!(service.slug = %view.slug, copied_from = %source.slug, staff.username = %user.username, "service copied");
    Ok(crate::routes::created(&format!("/services/{}", view.slug))
        .insert_header(crate::headers::etag(view.revision))
        .json(crate::retention::complete(view, &state.settings.retention)))
}
