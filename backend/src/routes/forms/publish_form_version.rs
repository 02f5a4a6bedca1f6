use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, FormVersionView, PublishInput};

use crate::auth::extract::Admin;
use crate::db::services::VersionOutcome;
use crate::error::{AppError, ErrorCode};
use crate::routes::admin_service;
use crate::state::AppState;

/// The longest note a publication takes.
const MAX_NOTE: usize = 500;

/// Publishes a version: from now on applicants fill in this version, and it
/// never changes again. Cases submitted under earlier versions keep theirs.
/// A version published before becomes the current one again (after the
/// service was unpublished, or to go back to an older version); drafts move to
/// it as they do to a new one.
/// The service's signing settings must fit the version: the fields they name
/// (the child, the co-signer's personnummer, their e-mail) must be in it with
/// the right kinds (422 `invalid_signing`). The body's `note` (what changed, at most 500
/// characters) is kept with the version and in the builder's log. Every blocking item of the
/// publishing checklist (`GET /services/{slug}/forms/{version}/checklist`) must hold: at least
/// one handler, valid statuses, a valid form, English throughout if the service offers English.
#[utoipa::path(tag = "forms", request_body(content = Option<PublishInput>, description = "What changed, for the version history (optional)"), security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("version" = u32, Path, description = "The version number")
), responses(
    (status = 200, description = "Published", body = FormVersionView),
    (status = 404, description = "No such version", body = ApiError),
    (status = 400, description = "`invalid_json`: a body that is not `{\"note\": …}`", body = ApiError),
    (status = 409, description = "`form_version_published`: it is the current version already", body = ApiError),
    (status = 422, description = "`invalid_signing`: the service's signing settings name a field the version lacks (or has with another kind); `note_too_long`: the note is over 500 characters; `not_ready_to_publish` (or `invalid_settings` with several): a blocking item of the checklist fails, each in `problems` under its key (see `GET …/checklist`)", body = ApiError)
))]
#[post("/services/{slug}/forms/{version}/publish")]
pub async fn publish_form_version(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<(String, u32)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    // The body is optional: none (or blank) publishes without a note.
    let input: PublishInput = if body.iter().all(u8::is_ascii_whitespace) {
        PublishInput::default()
    } else {
        serde_json::from_slice(&body).map_err(crate::error::invalid_json)?
    };
    let note = input.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(AppError::new(ErrorCode::NoteTooLong, format!("note: at most {MAX_NOTE} characters.")));
    }
    let (slug, version) = path.into_inner();
    let service = admin_service(&state, &slug).await?;
    if let Some(draft) = crate::db::services::get_version(&state.db, service.id, &service.slug, version).await? {
        service
            .signing
            .check_form(&draft.definition)
            .map_err(|e| AppError::new(ErrorCode::InvalidSigning, format!("{e}.")))?;
        // The version in use already: nothing to check, it is refused below.
        if service.published_version != Some(version) {
            let view = crate::db::services::get(&state.db, &service.slug)
                .await?
                .ok_or_else(|| AppError::NotFound("There is no such service.".into()))?;
            crate::publishing::require_ready(&crate::publishing::checklist(&state, &view, &draft).await?)?;
        }
    }
    match crate::db::services::publish_version(
        &state.db,
        service.id,
        &service.slug,
        version,
        note.as_deref(),
        &admin.username,
    )
    .await?
    {
        VersionOutcome::Done(v) => {
            tracing::info!(service.slug = %service.slug, form.version = version, "form version published");
            Ok(HttpResponse::Ok().json(v))
        }
        VersionOutcome::NotFound => Err(super::no_version(version)),
        VersionOutcome::Published => Err(super::published(version)),
        VersionOutcome::Stale(_) | VersionOutcome::Refused => {
            Err(AppError::internal("publishing compares no revision and refuses no change"))
        }
    }
}
