//! Assignment: who handles a case. Only a handler permitted on the case's
//! service can be its assignee.

use shared::api::StaffRole;
use shared::handling::Assignment;
use uuid::Uuid;

use super::{HandledCase, act};
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Assigns the case to `assignee` (a handler permitted on its service), or
/// with `None` leaves it unassigned; recorded in the access log.
pub async fn assign(
    state: &AppState,
    case: &HandledCase<act::Assign>,
    assignee: Option<Uuid>,
) -> Result<Assignment, AppError> {
    if let Some(id) = assignee {
        let permitted = match crate::db::staff::find_by_id(&state.db, id).await? {
            Some(h) => {
                h.roles.contains(&StaffRole::Handler)
                    && crate::db::staff::is_permitted(&state.db, case.case.service_id, id).await?
            }
            None => false,
        };
        if !permitted {
            return Err(AppError::new(
                ErrorCode::InvalidAssignee,
                "The assignee must be a handler permitted on the case's service.",
            ));
        }
    }
    crate::db::handling::assign(&state.db, case.case.id, assignee, case.user.id).await?;
    let names = crate::db::handling::usernames(&state.db, assignee).await?;
    tracing::info!(case.reference = %case.case.reference, staff.username = %case.user.username, "case assigned");
    Ok(Assignment {
        reference: case.case.reference.clone(),
        assignee,
        assignee_name: assignee.and_then(|id| names.get(&id).cloned()),
    })
}
