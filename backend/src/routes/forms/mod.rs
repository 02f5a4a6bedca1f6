//! Form versions: drafts are built and changed; publishing makes a version
//! immutable and the one applicants fill in. Platform admins only.

pub mod create_form_version;
pub mod get_form_analysis;
pub mod get_form_diff;
pub mod get_form_version;
pub mod list_form_versions;
pub mod publish_form_version;
pub mod restore_form_version;
pub mod update_form_version;

use shared::FormDefinition;

use crate::error::{AppError, ErrorCode};

/// Checks a definition, naming the offending page or field in the error.
pub fn check_definition(def: &FormDefinition) -> Result<(), AppError> {
    def.check().map_err(|e| AppError::new(ErrorCode::InvalidDefinition, format!("The form is not valid: {e}.")))
}

/// A service (for an admin) and one of its form versions; 404 when either does not exist.
pub async fn service_version(
    state: &crate::state::AppState,
    slug: &str,
    version: u32,
) -> Result<(crate::db::services::ServiceRef, shared::api::FormVersionView), AppError> {
    let service = crate::routes::admin_service(state, slug).await?;
    let view = crate::db::services::get_version(&state.db, service.id, &service.slug, version)
        .await?
        .ok_or_else(|| no_version(version))?;
    Ok((service, view))
}

/// The error for a version that does not exist.
pub fn no_version(version: u32) -> AppError {
    AppError::NotFound(format!("The service has no form version {version}."))
}

/// The error for changing a published version.
pub fn published(version: u32) -> AppError {
    AppError::new(
        ErrorCode::FormVersionPublished,
        format!("Form version {version} is published and cannot change. Create a new version instead."),
    )
}
