//! The handler's cases: list and count, read (every read is logged), change
//! status, assign, messages with the applicant, internal notes, the signatures
//! with their evidence and its verification; the access log.
pub mod add_case_note;
pub mod assign_case;
pub mod assign_case_to_me;
pub mod change_case_status;
pub mod count_cases;
pub mod get_case;
pub mod get_case_access_log;
pub mod get_case_legal_hold;
pub mod get_case_signature_evidence;
pub mod lift_legal_hold;
pub mod list_case_handlers;
pub mod list_case_messages;
pub mod list_case_notes;
pub mod list_case_signatures;
pub mod list_case_supplements;
pub mod list_cases;
pub mod request_supplement;
pub mod revoke_follow_link;
pub mod search_cases;
pub mod send_case_message;
pub mod set_legal_hold;
pub mod verify_case_signatures;

use actix_web::HttpResponse;
use shared::api::StaffRole;
use shared::handling::Assignment;
use uuid::Uuid;

use crate::auth::extract::StaffUser;
use crate::db::cases::CaseRecord;
use crate::db::services::ServiceRef;
use crate::error::AppError;
use crate::state::AppState;

/// Loads a case the caller may handle: a handler permitted on its service,
/// and a case staff may see (not one awaiting signatures or ended without
/// them). Anything else is 404, so the existence of a case is not revealed.
pub async fn handled_case(
    state: &AppState,
    user: &StaffUser,
    reference: &str,
) -> Result<(CaseRecord, ServiceRef), AppError> {
    if !user.has(StaffRole::Handler) {
        return Err(AppError::Forbidden("Only case handlers may read cases.".into()));
    }
    staff_case(state, user, reference, false, "There is no case with that reference that you may handle.").await
}

/// Loads a case for its retention and legal hold: any case staff may see for a
/// platform admin; for a service owner or handler, one of a service they are
/// permitted on. Anything else is 404.
pub async fn held_case(
    state: &AppState,
    user: &StaffUser,
    reference: &str,
) -> Result<(CaseRecord, ServiceRef), AppError> {
    let any = user.has(StaffRole::PlatformAdmin);
    staff_case(state, user, reference, any, "There is no case with that reference that you may see.").await
}

/// A case staff may see with its service, when `any` or the caller is permitted on the
/// service; else 404 with `missing`.
async fn staff_case(
    state: &AppState,
    user: &StaffUser,
    reference: &str,
    any: bool,
    missing: &'static str,
) -> Result<(CaseRecord, ServiceRef), AppError> {
    let not_found = || AppError::NotFound(missing.into());
    let rec = crate::db::cases::find_for_staff(&state.db, reference).await?.ok_or_else(not_found)?;
    if !any && !crate::db::staff::is_permitted(&state.db, rec.service_id, user.id).await? {
        return Err(not_found());
    }
    let service = crate::db::services::get_ref_by_id(&state.db, rec.service_id).await?.ok_or_else(not_found)?;
    Ok((rec, service))
}

/// Sets the assignee and answers with the assignment.
async fn assign(
    state: &AppState,
    user: &StaffUser,
    rec: &CaseRecord,
    assignee: Option<Uuid>,
) -> Result<HttpResponse, AppError> {
    crate::db::handling::assign(&state.db, rec.id, assignee, user.id).await?;
    let names = crate::db::handling::usernames(&state.db, assignee).await?;
    tracing::info!(case.reference = %rec.reference, staff.username = %user.username, "case assigned");
    Ok(HttpResponse::Ok().json(Assignment {
        reference: rec.reference.clone(),
        assignee,
        assignee_name: assignee.and_then(|id| names.get(&id).cloned()),
    }))
}
