use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::signing::{SignatureCheck, SignatureVerification};

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::signing::digest::{answers_digest, signature_carries};
use crate::state::AppState;

/// Re-checks a case's signatures against its answers as they are stored
/// now: for each signed signature, that its stored digest is the digest of
/// the answers (with the service and form version) and that BankID's signed
/// data carries that digest and shows the stored summary. `valid` is true only when the case has signed
/// signatures and every one of them passes both checks. The check is written
/// to the case's access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The result of the check", body = SignatureVerification),
    (status = 403, description = "Not a case handler", body = ApiError),
    (status = 404, description = "No such case that you may handle", body = ApiError)
))]
#[post("/cases/{reference}/signatures/verify")]
pub async fn verify_case_signatures(
    state: web::Data<AppState>,
    case: HandledCase<act::VerifySignatures>,
) -> Result<HttpResponse, AppError> {
    let (rec, service, user) = (&case.case, &case.service, &case.user);
    let now = answers_digest(&service.slug, rec.form_version(), &rec.answers()?);
    let signatures: Vec<SignatureCheck> = crate::db::signature_evidence::of_case(&state.db, rec.id)
        .await?
        .into_iter()
        .filter(|s| s.is_signed())
        .map(|s| {
            let digest_matches_answers = s.digest.eq_ignore_ascii_case(&now);
            let carries = s.signature.as_deref().is_some_and(|sig| signature_carries(sig, &s.digest, &s.summary));
            SignatureCheck {
                id: s.id,
                role: s.role,
                digest_matches_answers,
                signature_carries_digest: carries,
                valid: digest_matches_answers && carries,
            }
        })
        .collect();
    let valid = !signatures.is_empty() && signatures.iter().all(|c| c.valid);
    if !valid {
        tracing::warn!(case.reference = %rec.reference, staff.username = %user.username, "signature verification failed");
    }
    Ok(HttpResponse::Ok().json(SignatureVerification { valid, answers_digest: now, signatures }))
}
