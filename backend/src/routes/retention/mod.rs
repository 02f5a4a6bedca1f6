//! Retention ("gallring"): what the next purge would delete, the purge log
//! per service (JSON and CSV), the job's state and figures, and running it now.

pub mod export_purge_log;
pub mod get_retention_preview;
pub mod get_retention_status;
pub mod list_purge_log;
pub mod start_retention_run;

use shared::api::StaffRole;

use crate::auth::extract::{StaffWith, role};
use crate::db::retention::ServiceRules;
use crate::error::AppError;
use crate::state::AppState;

/// Who may see what is purged: platform admins and service owners.
pub type Keeper = StaffWith<role::Keeper>;

/// A service whose retention the caller (a [`Keeper`]: 403 for anyone else)
/// may see: platform admins any, service owners those they are permitted on;
/// 404 for a service the caller may not see.
pub async fn owned_service(state: &AppState, user: &Keeper, slug: &str) -> Result<ServiceRules, AppError> {
    let not_found = || AppError::NotFound("There is no such service.".into());
    let rules = crate::db::retention::rules_by_slug(&state.db, slug, state.settings.retention.defaults())
        .await?
        .ok_or_else(not_found)?;
    if user.has(StaffRole::PlatformAdmin) || crate::db::staff::is_permitted(&state.db, rules.id, user.id).await? {
        Ok(rules)
    } else {
        Err(not_found())
    }
}
