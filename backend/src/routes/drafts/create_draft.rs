use actix_web::{HttpResponse, post, web};
use shared::api::{ApiError, DraftView, NewDraftRequest};

use crate::auth::extract::Applicant;
use crate::db::drafts::NewDraft;
use crate::error::AppError;
use crate::state::AppState;

/// Starts a draft of a published service's current form for the signed-in
/// applicant, optionally with the answers so far. Answers may be incomplete
/// or not yet valid, but must be for fields of the form.
#[utoipa::path(tag = "drafts", request_body = NewDraftRequest, security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name")
), responses(
    (status = 201, description = "The draft", body = DraftView),
    (status = 404, description = "No such published service", body = ApiError),
    (status = 422, description = "An answer names a field the form does not have (`errors` names it)", body = ApiError)
))]
#[post("/catalogue/{slug}/drafts")]
pub async fn create_draft(
    state: web::Data<AppState>,
    me: Applicant,
    slug: web::Path<String>,
    body: web::Json<NewDraftRequest>,
) -> Result<HttpResponse, AppError> {
    let not_found = || AppError::NotFound("There is no published service with that name.".into());
    let service = crate::db::services::get_ref(&state.db, &slug).await?.ok_or_else(not_found)?;
    let version = service.published_version.ok_or_else(not_found)?;
    let (form_version_id, definition) =
        crate::db::services::published_form(&state.db, service.id, version).await?.ok_or_else(not_found)?;
    let answers = body.into_inner().answers;
    super::check_answers(&definition, &answers, None)?;
    let draft = crate::db::drafts::create(
        &state.db,
        NewDraft {
            service_id: service.id,
            form_version_id,
            form_version: version,
            personnummer: me.personnummer.as_digits(),
            answers,
        },
    )
    .await?;
    Ok(crate::routes::created(&format!("/me/drafts/{}", draft.id))
        .insert_header(("Cache-Control", "no-store"))
        .json(draft.view(&service)))
}
