use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, FormVersionInput, FormVersionView};

use shared::api::BuilderAction;

use crate::auth::extract::Admin;
use crate::db::builder_audit::Entry;
use crate::error::AppError;
use crate::routes::admin_service;
use crate::state::AppState;

/// Creates the next draft version of a service's form.
#[utoipa::path(tag = "forms", request_body = FormVersionInput, security(("bearer" = [])),
    params(("slug" = String, Path, description = "The service's URL name")), responses(
    (status = 201, description = "Created as a draft", body = FormVersionView),
    (status = 422, description = "The form is not valid; the message names the field", body = ApiError)
))]
#[post("/services/{slug}/forms")]
pub async fn create_form_version(
    state: web::Data<AppState>,
    admin: Admin,
    slug: web::Path<String>,
    body: web::Json<FormVersionInput>,
) -> Result<HttpResponse, AppError> {
    let service = admin_service(&state, &slug).await?;
    super::check_definition(&body.definition)?;
    let view = crate::db::services::create_version(
        &state.db,
        service.id,
        &service.slug,
        &body.definition,
        Entry::new(&admin.username, BuilderAction::CreateVersion),
    )
    .await?;
    tracing::info!(service.slug = %service.slug, form.version = view.version, "form version created");
    Ok(crate::routes::created(&format!("/services/{}/forms/{}", service.slug, view.version))
        .insert_header(crate::headers::etag(view.revision))
        .json(view))
}
