//! Services (e-tjänster): created and configured by platform admins; their
//! texts are also editable by the service's owners.

pub mod copy_service;
pub mod create_service;
pub mod delete_service;
pub mod get_service;
pub mod grant_permission;
pub mod list_builder_log;
pub mod list_services;
pub mod revoke_permission;
pub mod unpublish_service;
pub mod update_service;

use shared::api::ServiceInput;

use crate::db::services::ServiceRecord;
use crate::domain::{EmailAddress, RetentionDays, Slug, check_service_name, required_text};
use crate::error::{AppError, ErrorCode, Problems};

/// A required e-mail template text: checked as [`required_text`], and every
/// `{{placeholder}}` must be one an applicant mail may use.
fn template_text(s: &str, what: &str, max: usize) -> Result<String, AppError> {
    let t = required_text(s, what, max)?;
    crate::mail::template::Template::parse(&t, crate::mail::template::APPLICANT_PLACEHOLDERS)
        .map_err(|e| AppError::new(ErrorCode::InvalidTemplate, format!("{what}: {e}.")))?;
    Ok(t)
}

/// An optional template text; empty counts as absent.
fn optional_template(s: Option<&str>, what: &str, max: usize) -> Result<Option<String>, AppError> {
    match s.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => template_text(t, what, max).map(Some),
    }
}

/// An optional text; empty counts as absent.
fn optional_text(t: &Option<String>, what: &str, max: usize) -> Result<Option<String>, AppError> {
    t.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|t| required_text(t, what, max)).transpose()
}

/// The English texts: each optional (empty counts as absent), each as long as its Swedish may be.
fn english(e: &shared::api::ServiceEnglish) -> Result<shared::api::ServiceEnglish, AppError> {
    let text = optional_text;
    Ok(shared::api::ServiceEnglish {
        name: text(&e.name, "english.name", 80)?,
        audience: text(&e.audience, "english.audience", 2_000)?,
        first_page_text: text(&e.first_page_text, "english.first_page_text", 20_000)?,
        last_page_text: text(&e.last_page_text, "english.last_page_text", 20_000)?,
        privacy_text: text(&e.privacy_text, "english.privacy_text", 20_000)?,
        receipt_heading: text(&e.receipt_heading, "english.receipt_heading", 120)?,
    })
}

/// What a service's settings are checked against besides themselves: on an
/// update, the service as it is.
#[derive(Debug, Default, Clone, Copy)]
pub struct Existing<'a> {
    /// The URL name it has (which cannot change).
    pub slug: Option<&'a str>,
    /// Its published form, which the signing settings must fit.
    pub published_form: Option<&'a shared::FormDefinition>,
}

/// Checks every field of a service and turns it into a record to store. Every
/// problem is reported at once (422, each naming its setting).
pub fn parse_input(input: ServiceInput, existing: Existing<'_>) -> Result<ServiceRecord, AppError> {
    let mut p = Problems::default();
    let slug = p.check("slug", Slug::parse(&input.slug));
    if let Some(current) = existing.slug
        && input.slug != current
    {
        p.add("slug", AppError::new(ErrorCode::SlugImmutable, "The URL name of a service cannot change."));
    }
    let statuses = input.statuses.unwrap_or_else(shared::status::standard_statuses);
    p.check(
        "statuses",
        shared::status::check_status_list(&statuses)
            .map_err(|e| AppError::new(ErrorCode::InvalidStatuses, e.to_string())),
    );
    let signing_problem = |e: &dyn std::fmt::Display| AppError::new(ErrorCode::InvalidSigning, format!("{e}."));
    let signing_ok = match input.signing.check() {
        Err(e) => Err(signing_problem(&e)),
        Ok(()) if input.signing.applicant_signs() && input.identity != shared::api::IdentityRequirement::EId => {
            Err(AppError::new(
                ErrorCode::InvalidSigning,
                "A service that requires signing must require e-ID login (identity: e_id).",
            ))
        }
        // The signing settings must fit the published form: the fields they name exist with the right kinds.
        Ok(()) => existing
            .published_form
            .map_or(Ok(()), |form| input.signing.check_form(form).map_err(|e| signing_problem(&e))),
    };
    p.check("signing", signing_ok);
    let days =
        |d: Option<u32>, name: &str| d.map(|d| RetentionDays::parse_named(d, name).map(|r| r.days())).transpose();
    let record = ServiceRecord {
        slug: slug.map(|s| s.as_str().to_string()).unwrap_or_default(),
        name: p.check("name", check_service_name(&input.name)).unwrap_or_default(),
        audience: p
            .check("audience", required_text(&input.audience, "audience (who the service is for)", 2_000))
            .unwrap_or_default(),
        first_page_text: p
            .check("first_page_text", required_text(&input.first_page_text, "first_page_text", 20_000))
            .unwrap_or_default(),
        last_page_text: p
            .check("last_page_text", required_text(&input.last_page_text, "last_page_text", 20_000))
            .unwrap_or_default(),
        receipt_heading: p
            .check("receipt_heading", optional_text(&input.receipt_heading, "receipt_heading", 120))
            .flatten(),
        privacy_text: p
            .check(
                "privacy_text",
                required_text(&input.privacy_text, "privacy_text (how personal data is processed)", 20_000),
            )
            .unwrap_or_default(),
        confirmation_email_subject: p
            .check(
                "confirmation_email_subject",
                template_text(&input.confirmation_email_subject, "confirmation_email_subject", 200),
            )
            .unwrap_or_default(),
        confirmation_email_body: p
            .check(
                "confirmation_email_body",
                template_text(&input.confirmation_email_body, "confirmation_email_body", 20_000),
            )
            .unwrap_or_default(),
        confirmation_email_subject_en: p
            .check(
                "confirmation_email_subject_en",
                optional_template(input.confirmation_email_subject_en.as_deref(), "confirmation_email_subject_en", 200),
            )
            .flatten(),
        confirmation_email_body_en: p
            .check(
                "confirmation_email_body_en",
                optional_template(input.confirmation_email_body_en.as_deref(), "confirmation_email_body_en", 20_000),
            )
            .flatten(),
        english: p.check("english", english(&input.english)).unwrap_or_default(),
        handler_mailbox: p
            .check("handler_mailbox", EmailAddress::parse(&input.handler_mailbox, "handler_mailbox"))
            .map(|e| e.as_str().to_string())
            .unwrap_or_default(),
        identity: input.identity,
        retention_days_after_closing: p
            .check("retention_days_after_closing", RetentionDays::parse(input.retention_days_after_closing))
            .map(RetentionDays::days)
            .unwrap_or_default(),
        retention_days_for_drafts: p
            .check("retention_days_for_drafts", days(input.retention_days_for_drafts, "retention_days_for_drafts"))
            .flatten(),
        retention_days_awaiting_signatures: p
            .check(
                "retention_days_awaiting_signatures",
                days(input.retention_days_awaiting_signatures, "retention_days_awaiting_signatures"),
            )
            .flatten(),
        statuses,
        signing: input.signing,
    };
    // The defaults above stand in for values with a problem; the record is used only without any.
    p.finish()?;
    Ok(record)
}
