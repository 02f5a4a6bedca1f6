use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, FormVersionInput, FormVersionView};

use shared::api::BuilderAction;

use crate::auth::extract::ServiceBuilder;
use crate::db::builder_audit::Entry;
use crate::error::AppError;
use crate::routes::staff_service;
use crate::state::AppState;

/// Creates the next draft version of a service's form. Platform admins; a service owner of the
/// service only from its newest version, changing its texts at most (403 otherwise).
#[utoipa::path(tag = "forms", request_body = FormVersionInput, security(("bearer" = [])),
    params(("slug" = String, Path, description = "The service's URL name")), responses(
    (status = 201, description = "Created as a draft", body = FormVersionView),
    (status = 403, description = "A service owner's draft that changes more than the newest version's texts", body = ApiError),
    (status = 422, description = "The form is not valid; the message names the field", body = ApiError)
))]
#[post("/services/{slug}/forms")]
pub async fn create_form_version(
    state: web::Data<AppState>,
    user: ServiceBuilder,
    slug: web::Path<String>,
    body: web::Json<FormVersionInput>,
) -> Result<HttpResponse, AppError> {
    let service = staff_service(&state, &user, &slug).await?;
    super::check_definition(&body.definition)?;
    // A service owner starts a draft from the newest version (as it is under the service's row
    // lock), changing its texts at most.
    let admin = user.has(shared::api::StaffRole::PlatformAdmin);
    let view = crate::db::services::create_version(
        &state.db,
        service.id,
        &service.slug,
        &body.definition,
        Entry::new(&user.username, BuilderAction::CreateVersion),
        |newest| admin || newest.is_some_and(|n| super::may_change(&user, n, &body.definition)),
    )
    .await?
    .ok_or_else(super::texts_only)?;
    tracing::info!(service.slug = %service.slug, form.version = view.version, "form version created");
    Ok(crate::routes::created(&format!("/services/{}/forms/{}", service.slug, view.version))
        .insert_header(crate::headers::etag(view.revision))
        .json(view))
}
