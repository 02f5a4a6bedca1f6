use actix_web::{HttpResponse, put, web};
use shared::api::{ApiError, DraftView, SaveDraftRequest};
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::db::drafts::SaveOutcome;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

fn outdated(current: u32, sent: u32) -> AppError {
    AppError::new(
        ErrorCode::FormVersionOutdated,
        format!(
            "The draft is on version {current} of the form (you sent answers for version {sent}): load the draft again and save."
        ),
    )
}

/// Saves the signed-in applicant's answers so far (they replace the stored
/// ones) and the page they are on. Unfinished answers are fine: nothing is
/// required and values are stored as given, but every answer must be for a
/// field of the draft's form version, which `form_version` must name. The
/// answer is the saved draft, moved to a newer form version if one was
/// published (see `get_my_draft`).
#[utoipa::path(tag = "drafts", request_body = SaveDraftRequest, security(("bearer" = [])), params(("id" = Uuid, Path, description = "The draft's id")), responses(
    (status = 200, description = "The saved draft", body = DraftView),
    (status = 404, description = "No such draft of yours", body = ApiError),
    (status = 409, description = "`form_version_outdated`: the draft is on another form version; load it again", body = ApiError),
    (status = 422, description = "An answer names a field the form version does not have (`errors` names it), or the page is unknown", body = ApiError)
))]
#[put("/me/drafts/{id}")]
pub async fn save_my_draft(
    state: web::Data<AppState>,
    me: Applicant,
    id: web::Path<Uuid>,
    body: web::Json<SaveDraftRequest>,
) -> Result<HttpResponse, AppError> {
    let personnummer = me.personnummer.as_digits();
    let body = body.into_inner();
    let draft = crate::db::drafts::find(&state.db, *id, &personnummer).await?.ok_or_else(super::no_such_draft)?;
    if body.form_version != draft.form_version {
        return Err(outdated(draft.form_version, body.form_version));
    }
    let (_, definition) = crate::db::services::published_form(&state.db, draft.service_id, draft.form_version)
        .await?
        .ok_or_else(|| AppError::internal("a draft's form version is missing"))?;
    super::check_answers(&definition, &body.answers, body.current_page.as_deref())?;
    let saved = crate::db::drafts::save(
        &state.db,
        draft.id,
        &personnummer,
        body.form_version,
        &body.answers,
        body.current_page,
    )
    .await?;
    let draft = match saved {
        SaveOutcome::Saved(d) => d,
        SaveOutcome::NotFound => return Err(super::no_such_draft()),
        SaveOutcome::VersionChanged(current) => return Err(outdated(current, body.form_version)),
    };
    let view = super::current_view(&state, &me, draft).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(view))
}
