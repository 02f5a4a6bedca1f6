use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, ServiceInput, ServiceView};

use crate::auth::extract::Admin;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Creates a service. Platform admins only. Without `statuses`, the four
/// standard statuses are used.
#[utoipa::path(tag = "services", request_body = ServiceInput, security(("bearer" = [])), responses(
    (status = 201, description = "Created", body = ServiceView),
    (status = 409, description = "The URL name is taken", body = ApiError),
    (status = 400, description = "`invalid_json`: not a service's settings, or a setting the platform does not know", body = ApiError),
    (status = 422, description = "Settings are not valid: every problem at once in `problems`, each naming its setting", body = ApiError)
))]
#[post("/services")]
pub async fn create_service(
    state: web::Data<AppState>,
    user: Admin,
    body: web::Json<ServiceInput>,
) -> Result<HttpResponse, AppError> {
    let record = super::parse_input(body.into_inner(), super::Existing::default())?;
    let slug = record.slug.clone();
    let entry = crate::db::builder_audit::Entry::new(&user.username, shared::api::BuilderAction::CreateService);
    let view = crate::db::services::create(&state.db, record, entry).await?.ok_or_else(|| {
        AppError::new(ErrorCode::SlugTaken, format!("A service with the URL name '{slug}' already exists."))
    })?;
    tracing::info!(service.slug = %view.slug, staff.username = %user.username, "service created");
    Ok(crate::routes::created(&format!("/services/{}", view.slug))
        .insert_header(crate::headers::etag(view.revision))
        .json(crate::retention::complete(view, &state.settings.retention)))
}
