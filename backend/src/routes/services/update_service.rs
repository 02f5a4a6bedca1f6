use actix_web::{HttpResponse, put, web};
use shared::api::{ApiError, ServiceInput, ServiceView, StaffRole};

use crate::auth::extract::StaffUser;
use crate::db::services::Saved;
use crate::error::AppError;
use crate::headers::IfMatch;
use crate::routes::staff_service;
use crate::state::AppState;

/// Replaces a service's settings. Platform admins may change everything but
/// the URL name; a service owner permitted on the service may change only its
/// texts (first page, last page, privacy notice, confirmation e-mail).
/// With `If-Match` (the `ETag` of the service as it was loaded), a save over
/// someone else's newer one is refused (412 `edit_conflict`, saying who saved
/// and when) and changes nothing.
#[utoipa::path(tag = "services", request_body = ServiceInput, security(("bearer" = [])),
    params(("slug" = String, Path, description = "The service's URL name")), responses(
    (status = 200, description = "Updated", body = ServiceView),
    (status = 403, description = "Not allowed to change these fields", body = ApiError),
    (status = 404, description = "No such service", body = ApiError),
    (status = 412, description = "`edit_conflict`: someone saved a newer revision than `If-Match` names; nothing changed", body = ApiError),
    (status = 400, description = "`invalid_json`: not a service's settings, or a setting the platform does not know", body = ApiError),
    (status = 422, description = "Settings are not valid: every problem at once in `problems`, each naming its setting; `invalid_signing` also when the signing settings name a field the published form lacks", body = ApiError)
))]
#[put("/services/{slug}")]
pub async fn update_service(
    state: web::Data<AppState>,
    user: StaffUser,
    slug: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<ServiceInput>,
) -> Result<HttpResponse, AppError> {
    staff_service(&state, &user, &slug).await?;
    let current = crate::db::services::get(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such service.".into()))?;
    let published = match current.published_version {
        Some(version) => crate::db::services::get_version(&state.db, current.id, &current.slug, version).await?,
        None => None,
    };
    let existing =
        super::Existing { slug: Some(&current.slug), published_form: published.as_ref().map(|v| &v.definition) };
    let record = super::parse_input(body.into_inner(), existing)?;
    if !user.has(StaffRole::PlatformAdmin) {
        let structure_same = record.name == current.name
            && record.audience == current.audience
            && record.handler_mailbox == current.handler_mailbox
            && record.identity == current.identity
            && record.statuses == current.statuses
            && record.signing == current.signing;
        if !user.has(StaffRole::ServiceOwner) || !structure_same {
            return Err(AppError::Forbidden(
                "Service owners may change the texts and the retention periods only: first page, last page, privacy notice, confirmation e-mail and the days before purge.".into(),
            ));
        }
    }
    let view = match crate::db::services::update(&state.db, &slug, record, if_match.0, &user.username).await? {
        Saved::Done(view) => view,
        Saved::NotFound => return Err(AppError::NotFound("There is no such service.".into())),
        Saved::Stale(changed) => return Err(crate::routes::edit_conflict("the service's settings", &changed)),
    };
    tracing::info!(service.slug = %view.slug, staff.username = %user.username, "service updated");
    Ok(HttpResponse::Ok()
        .insert_header(crate::headers::etag(view.revision))
        .json(crate::retention::complete(view, &state.settings.retention)))
}
