use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, BuilderAction, FormVersionView};

use crate::auth::extract::Admin;
use crate::db::builder_audit::Entry;
use crate::error::AppError;
use crate::state::AppState;

/// Makes an older version the next draft: a new draft version whose definition is the
/// restored version's, to change and publish like any other. The restored version itself
/// never changes.
#[utoipa::path(tag = "forms", security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("version" = u32, Path, description = "The version to restore")
), responses(
    (status = 201, description = "The new draft, equal to the version restored", body = FormVersionView),
    (status = 404, description = "No such version", body = ApiError),
    (status = 422, description = "`invalid_definition`: the old version no longer passes the definition check", body = ApiError)
))]
#[post("/services/{slug}/forms/{version}/restore")]
pub async fn restore_form_version(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<(String, u32)>,
) -> Result<HttpResponse, AppError> {
    let (slug, version) = path.into_inner();
    let (service, old) = super::service_version(&state, &slug, version).await?;
    super::check_definition(&old.definition)?;
    let restored = version.to_string();
    let entry = Entry::new(&admin.username, BuilderAction::RestoreVersion).with_detail(&restored);
    let view =
        crate::db::services::create_version(&state.db, service.id, &service.slug, &old.definition, entry, |_| true)
            .await?
            .ok_or_else(|| AppError::internal("a restore is never refused"))?;
    tracing::info!(service.slug = %service.slug, form.version = view.version, restored = version, "form version restored");
    Ok(crate::routes::created(&format!("/services/{}/forms/{}", service.slug, view.version))
        .insert_header(crate::headers::etag(view.revision))
        .json(view))
}
