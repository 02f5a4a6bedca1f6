//! Legal holds: a case under one is not purged, whatever its retention
//! period, until the hold is lifted. Service owners set and lift them on
//! their services' cases, platform admins on any; each is logged.

use shared::api::LegalHold;

use super::{HeldCase, act};
use crate::auth::extract::role;
use crate::error::AppError;
use crate::state::AppState;

/// Fails with 403 unless the caller keeps records (a service owner or a platform admin).
fn keeper<A: super::Access>(case: &HeldCase<A>) -> Result<(), AppError> {
    if case.user.meets::<role::Keeper>() {
        Ok(())
    } else {
        Err(AppError::Forbidden("Only service owners and platform admins may set or lift a legal hold.".into()))
    }
}

fn gone() -> AppError {
    AppError::NotFound("There is no case with that reference that you may handle.".into())
}

/// Puts the case under a legal hold; setting it again replaces the reason.
pub async fn set(state: &AppState, case: &HeldCase<act::SetLegalHold>, reason: &str) -> Result<LegalHold, AppError> {
    keeper(case)?;
    let reason = crate::domain::required_text(reason, "reason", 1000)?;
    let user = &case.user;
    let set_at = crate::db::retention::set_legal_hold(&state.db, case.case.id, &reason, &user.username, user.id)
        .await?
        .ok_or_else(gone)?;
    tracing::info!(staff.username = %user.username, "legal hold set");
    Ok(LegalHold { reason, set_by: user.username.clone(), set_at })
}

/// Lifts the case's legal hold.
pub async fn lift(state: &AppState, case: &HeldCase<act::LiftLegalHold>) -> Result<(), AppError> {
    keeper(case)?;
    if !crate::db::retention::lift_legal_hold(&state.db, case.case.id, case.user.id).await? {
        return Err(gone());
    }
    tracing::info!(staff.username = %case.user.username, "legal hold lifted");
    Ok(())
}
