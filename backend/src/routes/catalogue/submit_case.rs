use actix_web::{HttpRequest, HttpResponse, post, web};
use sha2::{Digest, Sha256};
use shared::api::{ApiError, ApplicantCase, IdentityRequirement, SubmitCaseRequest};

use crate::auth::extract::MaybeApplicant;
use crate::db::cases::{NewCase, SubmitOutcome};
use crate::error::AppError;
use crate::state::AppState;

/// Longest accepted idempotency key.
const MAX_KEY_LEN: usize = 128;

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(v) = req.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let s = v.to_str().unwrap_or("");
    if s.is_empty() || s.len() > MAX_KEY_LEN || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::bad_request(
            "invalid_idempotency_key",
            format!("The Idempotency-Key header must be 1 to {MAX_KEY_LEN} visible ASCII characters, e.g. a UUID."),
        ));
    }
    Ok(Some(s.to_string()))
}

/// Submits a case to a published service. The answers are validated with
/// the same code the browser runs; answers to hidden fields are dropped.
/// Send an `Idempotency-Key` header (e.g. a UUID made when the applicant
/// pressed "send"): a retry with the same key and body returns the same case
/// (200) instead of creating a second one.
#[utoipa::path(tag = "catalogue", request_body = SubmitCaseRequest, security((), ("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and body, same case")
), responses(
    (status = 201, description = "The case was created; the receipt", body = ApplicantCase),
    (status = 200, description = "A retry: the case the first request created", body = ApplicantCase),
    (status = 401, description = "The service requires e-ID login", body = ApiError),
    (status = 404, description = "No such published service", body = ApiError),
    (status = 409, description = "The form version is not the current one, or the key was used for another request", body = ApiError),
    (status = 422, description = "The answers are not valid; `errors` lists each field", body = ApiError)
))]
#[post("/catalogue/{slug}/cases")]
pub async fn submit_case(
    state: web::Data<AppState>,
    who: MaybeApplicant,
    slug: web::Path<String>,
    req: HttpRequest,
    body: web::Json<SubmitCaseRequest>,
) -> Result<HttpResponse, AppError> {
    let key = idempotency_key(&req)?;
    let body = body.into_inner();
    let not_found = || AppError::NotFound("There is no published service with that name.".into());
    let service = crate::db::services::get_ref(&state.db, &slug).await?.ok_or_else(not_found)?;
    let current = service.published_version.ok_or_else(not_found)?;
    let applicant = who.0;
    if applicant.is_none() && service.identity == IdentityRequirement::EId {
        return Err(AppError::unauthenticated("eid_required", "This service requires you to log in with e-ID."));
    }
    if body.form_version != current {
        return Err(AppError::conflict(
            "form_version_outdated",
            format!(
                "The form has changed: answer version {current} of it (you sent answers for version {}).",
                body.form_version
            ),
        ));
    }
    let (form_version_id, definition) =
        crate::db::services::published_form(&state.db, service.id, current).await?.ok_or_else(not_found)?;
    let answers = shared::validate(&definition, &body.answers).map_err(AppError::Validation)?;
    let status = shared::status::initial_status(&service.statuses)
        .ok_or_else(|| AppError::internal(format!("service {} has no status of kind submitted", service.slug)))?;
    let request_hash = hex::encode(Sha256::digest(serde_json::to_vec(&body).map_err(AppError::internal)?));
    let personnummer = applicant.as_ref().map(|a| a.personnummer.as_digits());
    let outcome = crate::db::cases::submit(
        &state.db,
        NewCase {
            service: &service,
            form_version_id,
            form_version: current,
            status,
            idempotency_scope: personnummer.clone().unwrap_or_else(|| "anonymous".into()),
            applicant_personnummer: personnummer,
            applicant_name: applicant.as_ref().and_then(|a| a.name.clone()),
            answers,
            idempotency_key: key,
            request_hash,
            reference_prefix: &state.settings.cases.reference_prefix,
        },
    )
    .await?;
    match outcome {
        SubmitOutcome::Created(case) => {
            tracing::info!(service.slug = %service.slug, case.reference = %case.reference, "case submitted");
            Ok(HttpResponse::Created().json(case))
        }
        SubmitOutcome::Existing(case) => Ok(HttpResponse::Ok().json(case)),
        SubmitOutcome::KeyReused => Err(AppError::conflict(
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different submission. Use a new key for a new submission.",
        )),
    }
}
