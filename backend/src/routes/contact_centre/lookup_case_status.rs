use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;
use shared::handling::{AccessAction, CaseStatusLookup};

use crate::auth::extract::{StaffWith, role};
use crate::error::AppError;
use crate::state::AppState;

/// A case's status by reference, for the contact centre answering a caller:
/// service, status and dates, never answers or personal data. Every look-up
/// is written to the case's access log, and one that finds nothing to the
/// server's log. Each person has at most 300 look-ups and 20 that find nothing
/// an hour (429 with `Retry-After` beyond). Contact centre staff and platform admins.
#[utoipa::path(tag = "contact-centre", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The status", body = CaseStatusLookup),
    (status = 403, description = "Not contact centre staff", body = ApiError),
    (status = 404, description = "No such case", body = ApiError),
    (status = 429, description = "Too many look-ups, or too many that found nothing, in the last hour", body = ApiError)
))]
#[get("/contact-centre/cases/{reference}")]
pub async fn lookup_case_status(
    state: web::Data<AppState>,
    user: StaffWith<role::ContactCentre>,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let not_found = || AppError::NotFound("There is no case with that reference.".into());
    state.lookups.take(user.id, std::time::Instant::now()).map_err(|retry_after| AppError::TooManyRequests {
        message: "You have made too many look-ups, or too many that found no case, in the last hour. Ask the caller to check the reference; you can look up again later.".into(),
        retry_after,
    })?;
    let Some(rec) = crate::db::cases::find_for_staff(&state.db, reference.trim()).await? else {
        let misses = state.lookups.missed(user.id, std::time::Instant::now());
        tracing::warn!(staff.username = %user.username, lookup.misses_last_hour = misses, "a contact centre look-up found no case");
        return Err(not_found());
    };
    let service = crate::db::services::get_ref_by_id(&state.db, rec.service_id).await?.ok_or_else(not_found)?;
    crate::db::access_log::record(&state.db, rec.id, user.id, AccessAction::LookUpStatus).await?;
    let view = crate::db::cases::applicant_view(&rec, &service)?;
    Ok(HttpResponse::Ok().json(CaseStatusLookup {
        reference: rec.reference.clone(),
        service_name: service.name.clone(),
        status: view.status,
        submitted_at: rec.submitted_at,
        updated_at: rec.updated_at,
    }))
}
