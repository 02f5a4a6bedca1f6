//! Services (e-tjänster): created and configured by platform admins; their
//! texts are also editable by the service's owners.

pub mod create_service;
pub mod get_service;
pub mod grant_permission;
pub mod list_services;
pub mod revoke_permission;
pub mod update_service;

use shared::api::ServiceInput;

use crate::db::services::ServiceRecord;
use crate::domain::{EmailAddress, RetentionDays, Slug, check_service_name, required_text};
use crate::error::AppError;

/// A required e-mail template text: checked as [`required_text`], and every
/// `{{placeholder}}` must be one an applicant mail may use.
fn template_text(s: &str, what: &str, max: usize) -> Result<String, AppError> {
    let t = required_text(s, what, max)?;
    crate::mail::template::Template::parse(&t, crate::mail::template::APPLICANT_PLACEHOLDERS)
        .map_err(|e| AppError::unprocessable("invalid_template", format!("{what}: {e}.")))?;
    Ok(t)
}

/// An optional template text; empty counts as absent.
fn optional_template(s: Option<&str>, what: &str, max: usize) -> Result<Option<String>, AppError> {
    match s.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => template_text(t, what, max).map(Some),
    }
}

/// Checks every field of a service and turns it into a record to store.
pub fn parse_input(input: ServiceInput) -> Result<ServiceRecord, AppError> {
    let slug = Slug::parse(&input.slug)?;
    let statuses = input.statuses.unwrap_or_else(shared::status::standard_statuses);
    shared::status::check_status_list(&statuses)
        .map_err(|e| AppError::unprocessable("invalid_statuses", e.to_string()))?;
    input.signing.check().map_err(|e| AppError::unprocessable("invalid_signing", format!("{e}.")))?;
    if input.signing.applicant_signs() && input.identity != shared::api::IdentityRequirement::EId {
        return Err(AppError::unprocessable(
            "invalid_signing",
            "A service that requires signing must require e-ID login (identity: e_id).",
        ));
    }
    Ok(ServiceRecord {
        slug: slug.as_str().to_string(),
        name: check_service_name(&input.name)?,
        audience: required_text(&input.audience, "audience (who the service is for)", 2_000)?,
        first_page_text: required_text(&input.first_page_text, "first_page_text", 20_000)?,
        last_page_text: required_text(&input.last_page_text, "last_page_text", 20_000)?,
        privacy_text: required_text(&input.privacy_text, "privacy_text (how personal data is processed)", 20_000)?,
        confirmation_email_subject: template_text(
            &input.confirmation_email_subject,
            "confirmation_email_subject",
            200,
        )?,
        confirmation_email_body: template_text(&input.confirmation_email_body, "confirmation_email_body", 20_000)?,
        confirmation_email_subject_en: optional_template(
            input.confirmation_email_subject_en.as_deref(),
            "confirmation_email_subject_en",
            200,
        )?,
        confirmation_email_body_en: optional_template(
            input.confirmation_email_body_en.as_deref(),
            "confirmation_email_body_en",
            20_000,
        )?,
        handler_mailbox: EmailAddress::parse(&input.handler_mailbox, "handler_mailbox")?.as_str().to_string(),
        identity: input.identity,
        retention_days_after_closing: RetentionDays::parse(input.retention_days_after_closing)?.days(),
        retention_days_for_drafts: input
            .retention_days_for_drafts
            .map(|d| RetentionDays::parse_named(d, "retention_days_for_drafts").map(|r| r.days()))
            .transpose()?,
        retention_days_awaiting_signatures: input
            .retention_days_awaiting_signatures
            .map(|d| RetentionDays::parse_named(d, "retention_days_awaiting_signatures").map(|r| r.days()))
            .transpose()?,
        statuses,
        signing: input.signing,
    })
}
