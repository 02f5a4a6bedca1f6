//! Form versions: drafts are built and changed; publishing makes a version
//! immutable and the one applicants fill in. Platform admins build and publish;
//! a service owner permitted on the service reads its versions and changes the
//! texts of a draft (never its structure).

pub mod create_form_version;
pub mod get_form_analysis;
pub mod get_form_diff;
pub mod get_form_version;
pub mod get_publish_checklist;
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

/// A service the builder's user may work on (platform admins any, service owners those they
/// are permitted on; 404 otherwise) and one of its form versions; 404 when either does not exist.
pub async fn built_version(
    state: &crate::state::AppState,
    user: &crate::auth::extract::StaffUser,
    slug: &str,
    version: u32,
) -> Result<(crate::db::services::ServiceRef, shared::api::FormVersionView), AppError> {
    let service = crate::routes::staff_service(state, user, slug).await?;
    let view = crate::db::services::get_version(&state.db, service.id, &service.slug, version)
        .await?
        .ok_or_else(|| no_version(version))?;
    Ok((service, view))
}

/// Whether the user may make `new` of `old`: a platform admin anything, a service owner a
/// change of texts only (`shared::diff::only_texts_differ`).
pub fn may_change(user: &crate::auth::extract::StaffUser, old: &FormDefinition, new: &FormDefinition) -> bool {
    user.has(shared::api::StaffRole::PlatformAdmin) || shared::diff::only_texts_differ(old, new)
}

/// The refusal of a structural change by a service owner.
pub fn texts_only() -> AppError {
    AppError::Forbidden(
        "Service owners may change the form's texts only (headings, questions, help texts, options' labels, \
         messages, in Swedish and English), not its questions, keys, kinds, options' values, conditions or rules."
            .into(),
    )
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
