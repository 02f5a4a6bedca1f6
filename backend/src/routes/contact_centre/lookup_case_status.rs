use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, StaffRole};
use shared::handling::CaseStatusLookup;

use crate::auth::extract::StaffUser;
use crate::error::AppError;
use crate::state::AppState;

/// A case's status by reference, for the contact centre answering a caller:
/// service, status and dates, never answers or personal data. Every look-up
/// is written to the case's access log. Contact centre staff and platform admins.
#[utoipa::path(tag = "contact-centre", security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "The status", body = CaseStatusLookup),
    (status = 403, description = "Not contact centre staff", body = ApiError),
    (status = 404, description = "No such case", body = ApiError)
))]
#[get("/contact-centre/cases/{reference}")]
pub async fn lookup_case_status(
    state: web::Data<AppState>,
    user: StaffUser,
    reference: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if !(user.has(StaffRole::ContactCentre) || user.has(StaffRole::PlatformAdmin)) {
        return Err(AppError::Forbidden("Only the contact centre may look cases up.".into()));
    }
    let not_found = || AppError::NotFound("There is no case with that reference.".into());
    let rec = crate::db::cases::find_for_staff(&state.db, reference.trim()).await?.ok_or_else(not_found)?;
    let service = crate::db::services::get_ref_by_id(&state.db, rec.service_id).await?.ok_or_else(not_found)?;
    crate::db::cases::log_access(&state.db, rec.id, user.id, "contact_centre_lookup").await?;
    let view = crate::db::cases::applicant_view(&rec, &service);
    Ok(HttpResponse::Ok().json(CaseStatusLookup {
        reference: rec.reference.clone(),
        service_name: service.name.clone(),
        status: view.status,
        submitted_at: rec.submitted_at,
        updated_at: rec.updated_at,
    }))
}
