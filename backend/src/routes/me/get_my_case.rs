use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, ApplicantCase, ApplicantStatusChange};

use crate::auth::extract::Applicant;
use crate::db::cases::{applicant_view, history_of, status_of};
use crate::error::AppError;
use crate::state::AppState;

/// One of the signed-in applicant's cases, with its status history (without
/// who made the changes) and what the current status allows.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The case", body = ApplicantCase),
    (status = 404, description = "No such case of yours", body = ApiError)
))]
#[get("/me/cases/{reference}")]
pub async fn get_my_case(
    state: web::Data<AppState>,
    me: Applicant,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (rec, service) = super::my_case(&state, &me, &reference).await?;
    let case = full_view(&state, &rec, &service).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// The applicant's view of a case with its status history (without who made
/// the changes) and what the current status allows: for Min sida and for the
/// private link of an anonymous case.
pub async fn full_view(
    state: &AppState,
    rec: &crate::db::cases::CaseRecord,
    service: &crate::db::services::ServiceRef,
) -> Result<ApplicantCase, AppError> {
    let mut case = applicant_view(rec, service)?;
    case.history = history_of(&state.db, rec.id)
        .await?
        .into_iter()
        .map(|h| ApplicantStatusChange {
            // The current status keeps its stored kind even if removed from the list since.
            status: if h.to == case.status.key { case.status.clone() } else { status_of(&service.statuses, &h.to, "") },
            at: h.at,
            comment: h.comment,
        })
        .collect();
    // A case waiting for its co-signers (or ended without them) is not submitted: no messages, no supplements.
    let current = shared::status::find_status(&service.statuses, &rec.status_key);
    let submitted = current.as_ref().is_some_and(|s| s.kind != shared::StatusKind::AwaitingSignatures);
    case.messaging_allowed = current.as_ref().map(|s| submitted && s.messaging_allowed);
    case.may_supplement = current.as_ref().map(|s| submitted && s.applicant_may_supplement);
    Ok(case)
}
