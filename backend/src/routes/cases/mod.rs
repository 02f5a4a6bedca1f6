//! The handler's cases: list, read (every read is logged), change status.
pub mod change_case_status;
pub mod get_case;
pub mod list_cases;

use shared::api::StaffRole;

use crate::auth::extract::StaffUser;
use crate::db::cases::CaseRecord;
use crate::db::services::ServiceRef;
use crate::error::AppError;
use crate::state::AppState;

/// Loads a case the caller may handle: a handler permitted on its service.
/// Anything else is 404, so the existence of a case is not revealed.
pub async fn handled_case(
    state: &AppState,
    user: &StaffUser,
    reference: &str,
) -> Result<(CaseRecord, ServiceRef), AppError> {
    let not_found = || AppError::NotFound("There is no case with that reference that you may handle.".into());
    if !user.has(StaffRole::Handler) {
        return Err(AppError::Forbidden("Only case handlers may read cases.".into()));
    }
    let rec = crate::db::cases::find(&state.db, reference).await?.ok_or_else(not_found)?;
    if !crate::db::staff::is_permitted(&state.db, rec.service_id, user.id).await? {
        return Err(not_found());
    }
    let service = crate::db::services::get_ref_by_id(&state.db, rec.service_id).await?.ok_or_else(not_found)?;
    Ok((rec, service))
}
