use actix_web::{HttpResponse, put, web};
use shared::api::{ApiError, FormVersionInput, FormVersionView};

use crate::auth::extract::ServiceBuilder;
use crate::db::services::VersionOutcome;
use crate::error::AppError;
use crate::headers::IfMatch;
use crate::routes::staff_service;
use crate::state::AppState;

/// Replaces the definition of a draft version. Published versions are immutable (409).
/// With `If-Match` (the `ETag` of the version as it was loaded), a save over someone else's
/// newer one is refused (412 `edit_conflict`, saying who saved and when) and changes nothing.
/// Platform admins; a service owner of the service may change the draft's texts only (403
/// otherwise).
#[utoipa::path(tag = "forms", request_body = FormVersionInput, security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("version" = u32, Path, description = "The version number")
), responses(
    (status = 200, description = "Updated", body = FormVersionView),
    (status = 403, description = "A service owner's change of more than texts", body = ApiError),
    (status = 404, description = "No such version", body = ApiError),
    (status = 409, description = "The version is published", body = ApiError),
    (status = 412, description = "`edit_conflict`: someone saved a newer revision than `If-Match` names; nothing changed", body = ApiError),
    (status = 422, description = "The form is not valid", body = ApiError)
))]
#[put("/services/{slug}/forms/{version}")]
pub async fn update_form_version(
    state: web::Data<AppState>,
    user: ServiceBuilder,
    path: web::Path<(String, u32)>,
    if_match: IfMatch,
    body: web::Json<FormVersionInput>,
) -> Result<HttpResponse, AppError> {
    let (slug, version) = path.into_inner();
    let service = staff_service(&state, &user, &slug).await?;
    super::check_definition(&body.definition)?;
    let saved = crate::db::services::update_version(
        &state.db,
        &service,
        version,
        &body.definition,
        if_match.0,
        &user.username,
        // Under the version's row lock: against the draft as it is stored.
        |stored| super::may_change(&user, stored, &body.definition),
    )
    .await?;
    match saved {
        VersionOutcome::Done(v) => Ok(HttpResponse::Ok().insert_header(crate::headers::etag(v.revision)).json(v)),
        VersionOutcome::Stale(changed) => {
            Err(crate::routes::edit_conflict(&format!("form version {version}"), &changed))
        }
        VersionOutcome::NotFound => Err(super::no_version(version)),
        VersionOutcome::Refused => Err(super::texts_only()),
        VersionOutcome::Published => Err(super::published(version)),
    }
}
