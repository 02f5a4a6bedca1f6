use actix_web::{HttpResponse, post, web};
use sha2::{Digest, Sha256};
use shared::api::{ApiError, ApplicantCase};
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::error::{AppError, ErrorCode};
use crate::headers::{IdempotencyKey, UploadToken};
use crate::state::AppState;
use crate::submission::{Submission, Submitted};

/// Submits one of the signed-in applicant's drafts as a case, exactly as
/// `submit_case` would submit its answers, and deletes the draft in the same
/// transaction. Send an `Idempotency-Key` header: a retry with the same key
/// returns the same case (200), even after the draft is gone.
#[utoipa::path(tag = "drafts", security(("bearer" = [])), params(
    ("id" = Uuid, Path, description = "The draft's id"),
    ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and draft, same case"),
    ("X-Upload-Token" = Option<String>, Header, description = "The owner token of files uploaded anonymously before logging in")
), responses(
    (status = 201, description = "The case was created; the receipt", body = ApplicantCase),
    (status = 200, description = "A retry: the case the first request created", body = ApplicantCase),
    (status = 404, description = "No such draft of yours", body = ApiError),
    (status = 409, description = "`service_unpublished`: the service is not open for applications now (the draft is kept); `form_version_outdated`: the form changed since the draft was loaded (load it again); `idempotency_key_reused`: the key was used for another request; `signature_required`: the service's applications must be signed (start a signature with the draft's answers instead)", body = ApiError),
    (status = 422, description = "The answers are not valid; `errors` lists each field; `child_not_in_register`: a chosen child is not yours in the population register", body = ApiError),
    (status = 503, description = "The population register cannot be reached (a form with a `child` field)", body = ApiError)
))]
#[post("/me/drafts/{id}/submit")]
pub async fn submit_my_draft(
    state: web::Data<AppState>,
    me: Applicant,
    id: web::Path<Uuid>,
    IdempotencyKey(key): IdempotencyKey,
    UploadToken(upload_token): UploadToken,
    language: crate::outbox::Language,
) -> Result<HttpResponse, AppError> {
    let request_hash = hex::encode(Sha256::digest(format!("draft:{id}")));
    // First: a retry finds its case even though the first attempt deleted the draft.
    let submitted = match crate::submission::replay(&state, Some(&me), key.as_deref(), &request_hash, None).await? {
        Some(done) => done,
        None => {
            let Some(draft) = crate::db::drafts::find(&state.db, *id, &me.personnummer.as_digits()).await? else {
                // Gone: perhaps a concurrent retry submitted it just now; its case answers this one too.
                let done = crate::submission::replay(&state, Some(&me), key.as_deref(), &request_hash, None).await?;
                return done.map(respond).ok_or_else(super::no_such_draft);
            };
            let service = crate::db::services::get_ref_by_id(&state.db, draft.service_id)
                .await?
                .ok_or_else(super::no_such_draft)?;
            if service.published_version.is_none() {
                return Err(AppError::new(
                    ErrorCode::ServiceUnpublished,
                    "The service is not open for applications right now. Your draft is kept: send it when the service is published again.",
                ));
            }
            if service.published_version != Some(draft.form_version) {
                return Err(AppError::new(
                    ErrorCode::FormVersionOutdated,
                    "The form has changed since the draft was saved. Load the draft again: the answers that still fit are moved to the new version.",
                ));
            }
            crate::submission::submit(
                &state,
                Submission {
                    service: &service,
                    applicant: Some(&me),
                    upload_token,
                    form_version: draft.form_version,
                    answers: &draft.answers,
                    idempotency_key: key,
                    request_hash,
                    draft: Some(draft.id),
                    language,
                },
            )
            .await?
        }
    };
    Ok(respond(submitted))
}

fn respond(submitted: Submitted) -> HttpResponse {
    match submitted {
        Submitted::Created(case) => crate::routes::created(&format!("/me/cases/{}", case.reference)).json(case),
        Submitted::Existing(case) => HttpResponse::Ok().json(case),
    }
}
