use actix_web::{HttpResponse, post, web};
use sha2::{Digest, Sha256};
use shared::api::{ApiError, ApplicantCase, SubmitCaseRequest};

use crate::auth::extract::MaybeApplicant;
use crate::error::AppError;
use crate::headers::{IdempotencyKey, UploadToken};
use crate::state::AppState;
use crate::submission::{Submission, Submitted};

/// Submits a case to a published service. The answers are validated with
/// the same code the browser runs; answers to hidden fields are dropped.
/// Send an `Idempotency-Key` header (e.g. a UUID made when the applicant
/// pressed "send"): a retry with the same key and body returns the same case
/// (200) instead of creating a second one. A file field's answer refers to
/// uploads (`POST /uploads`) by id; they must be the submitter's (an
/// anonymous submitter sends the uploads' owner token as `X-Upload-Token`)
/// and not attached to another case. The case keeps the stored name, size
/// and type of each file, whatever the answer said.
#[utoipa::path(tag = "catalogue", request_body = SubmitCaseRequest, security((), ("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and body, same case"),
    ("X-Upload-Token" = Option<String>, Header, description = "Anonymous submitters: the owner token of the uploads the answers refer to")
), responses(
    (status = 201, description = "The case was created; the receipt", body = ApplicantCase),
    (status = 200, description = "A retry: the case the first request created", body = ApplicantCase),
    (status = 401, description = "The service requires e-ID login", body = ApiError),
    (status = 404, description = "No such published service", body = ApiError),
    (status = 409, description = "The form version is not the current one (`form_version_outdated`), the key was used for another request (`idempotency_key_reused`), or the service's applications must be signed (`signature_required`: start a signature with `POST /catalogue/{slug}/signings` instead)", body = ApiError),
    (status = 422, description = "The answers are not valid (`errors` lists each field; `file_unavailable` for a file that is not the submitter's to use); `child_not_in_register` (a chosen child is not the applicant's in the population register)", body = ApiError),
    (status = 503, description = "The population register cannot be reached (a form with a `child` field)", body = ApiError)
))]
#[post("/catalogue/{slug}/cases")]
pub async fn submit_case(
    state: web::Data<AppState>,
    who: MaybeApplicant,
    slug: web::Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    UploadToken(upload_token): UploadToken,
    language: crate::outbox::Language,
    body: web::Json<SubmitCaseRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let service = crate::db::services::get_ref(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no published service with that name.".into()))?;
    let request_hash = hex::encode(Sha256::digest(serde_json::to_vec(&body).map_err(AppError::internal)?));
    let submitted = crate::submission::submit(
        &state,
        Submission {
            service: &service,
            applicant: who.0.as_ref(),
            upload_token,
            form_version: body.form_version,
            answers: &body.answers,
            idempotency_key: key,
            request_hash,
            draft: None,
            language,
        },
    )
    .await?;
    let logged_in = who.0.is_some();
    Ok(match submitted {
        // An applicant follows the case at its address on Min sida; an anonymous case has none.
        Submitted::Created(case) if logged_in => {
            crate::routes::created(&format!("/me/cases/{}", case.reference)).json(case)
        }
        Submitted::Created(case) => HttpResponse::Created().json(case),
        Submitted::Existing(case) => HttpResponse::Ok().json(case),
    })
}
