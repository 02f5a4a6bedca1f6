//! Request and response types of the REST API (`/api/v1`), used by the
//! backend to serve and by the SPA to call. Database rows never cross the
//! wire; these types do.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::form::FormDefinition;
use crate::status::{StatusDefinition, StatusKind};
use crate::validate::{Answers, FieldError};

/// Whether a service requires e-identification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdentityRequirement {
    /// The applicant must log in with e-ID.
    #[default]
    EId,
    /// The applicant may log in with e-ID or continue anonymously.
    AnonymousAllowed,
}

/// A service (e-tjänst) as the platform team writes it. A setting the platform does not know
/// is refused (400 `invalid_json`), never silently ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    /// URL name, unique: lowercase letters, digits and `-`, 2 to 64 characters.
    #[cfg_attr(feature = "server", schema(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length = 2, max_length = 64))]
    pub slug: String,
    /// The name: simple, short, and not starting with "Ansökan" or "Anmälan".
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 2, max_length = 80))]
    pub name: String,
    /// Who the service is for (the target group).
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 2000))]
    pub audience: String,
    /// Text of the first page: what the service is and what to have ready.
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 20000))]
    pub first_page_text: String,
    /// Text of the last page, shown after submission.
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 20000))]
    pub last_page_text: String,
    /// The heading of the last page and the receipt, in the service's own words (e.g.
    /// "Felanmälan är skickad"); the platform's neutral "Ditt ärende är skickat" when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 120))]
    pub receipt_heading: Option<String>,
    /// How personal data is processed (the privacy notice at collection).
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 20000))]
    pub privacy_text: String,
    /// Subject of the confirmation e-mail to the applicant.
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 200))]
    pub confirmation_email_subject: String,
    /// Body of the confirmation e-mail to the applicant (plain text; a blank line starts a new
    /// paragraph). Placeholders: `{{service_name}}`, `{{case_reference}}`, `{{submitted_date}}`,
    /// `{{min_sida_link}}`, `{{first_name}}`; any other `{{…}}` is rejected. The subject takes the same.
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 20000))]
    pub confirmation_email_body: String,
    /// The confirmation e-mail's subject in English, for applicants using the English app;
    /// the Swedish one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 200))]
    pub confirmation_email_subject_en: Option<String>,
    /// The confirmation e-mail's body in English; the Swedish one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 20000))]
    pub confirmation_email_body_en: Option<String>,
    /// The handlers' functional (shared) mailbox.
    #[cfg_attr(feature = "server", schema(pattern = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$", max_length = 254))]
    pub handler_mailbox: String,
    /// Whether e-ID is required.
    #[serde(default)]
    pub identity: IdentityRequirement,
    /// Days after a case is closed before it is purged (1 to 3650).
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 3650))]
    pub retention_days_after_closing: u32,
    /// Days an unsubmitted draft is kept after the applicant last saved it (1 to 3650); the
    /// platform's default (`[retention] draft_days`) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 3650))]
    pub retention_days_for_drafts: Option<u32>,
    /// Days a case may wait for its co-signers before it is purged (1 to 3650); the platform's
    /// default (`[retention] awaiting_signatures_days`) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 3650))]
    pub retention_days_awaiting_signatures: Option<u32>,
    /// The ordered status list; the four standard statuses when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Vec<StatusDefinition>>,
    /// Signing: not required (default), the applicant, or the applicant and co-signers.
    #[serde(default)]
    pub signing: crate::signing::SigningSettings,
}

/// A service as the API returns it to staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ServiceView {
    /// The service's id.
    pub id: Uuid,
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Who the service is for.
    pub audience: String,
    /// First page text.
    pub first_page_text: String,
    /// Last page text.
    pub last_page_text: String,
    /// The receipt's heading in the service's own words, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_heading: Option<String>,
    /// Privacy notice.
    pub privacy_text: String,
    /// Confirmation e-mail subject.
    pub confirmation_email_subject: String,
    /// Confirmation e-mail body.
    pub confirmation_email_body: String,
    /// Confirmation e-mail subject in English, if written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_email_subject_en: Option<String>,
    /// Confirmation e-mail body in English, if written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_email_body_en: Option<String>,
    /// Handlers' functional mailbox.
    pub handler_mailbox: String,
    /// Whether e-ID is required.
    pub identity: IdentityRequirement,
    /// Days after closing before purge.
    pub retention_days_after_closing: u32,
    /// The service's own period for drafts, if it overrides the platform's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days_for_drafts: Option<u32>,
    /// The service's own period for cases awaiting signatures, if it overrides the platform's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days_awaiting_signatures: Option<u32>,
    /// The periods that apply: the service's own, the platform's defaults elsewhere.
    pub retention: RetentionRules,
    /// The ordered status list.
    pub statuses: Vec<StatusDefinition>,
    /// The signing settings.
    #[serde(default)]
    pub signing: crate::signing::SigningSettings,
    /// The published form version applicants fill in now, if any.
    pub published_version: Option<u32>,
    /// When the service was created.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub created_at: DateTime<Utc>,
    /// When the service was last changed.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub updated_at: DateTime<Utc>,
}

/// The life-cycle state of a form version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FormVersionState {
    /// Being built; may change.
    Draft,
    /// Published; immutable forever.
    Published,
}

/// Body for creating or replacing a draft form version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FormVersionInput {
    /// The form definition.
    pub definition: FormDefinition,
}

/// A form version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FormVersionView {
    /// The service's URL name.
    pub service: String,
    /// Version number, counting from 1 per service.
    pub version: u32,
    /// Draft or published.
    pub state: FormVersionState,
    /// The form definition.
    pub definition: FormDefinition,
    /// When the version was created.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub created_at: DateTime<Utc>,
    /// When it was published.
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt")]
    pub published_at: Option<DateTime<Utc>>,
}

/// A published service in the public catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CatalogueEntry {
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Who the service is for.
    pub audience: String,
    /// Whether e-ID is required.
    pub identity: IdentityRequirement,
}

/// A published service with its current form, for applicants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CatalogueService {
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Who the service is for.
    pub audience: String,
    /// First page text.
    pub first_page_text: String,
    /// Last page text.
    pub last_page_text: String,
    /// The heading of the last page in the service's own words (e.g. "Felanmälan är skickad");
    /// the platform's neutral one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_heading: Option<String>,
    /// Privacy notice.
    pub privacy_text: String,
    /// Whether e-ID is required.
    pub identity: IdentityRequirement,
    /// Who signs before the case is submitted; when not `not_required`, submit through
    /// `POST /catalogue/{slug}/signings` instead of `…/cases`.
    #[serde(default)]
    pub signing: crate::signing::SigningRequirement,
    /// With co-signers from the population register: how to apply when that flow cannot run
    /// (someone has a protected identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_contact_route: Option<String>,
    /// The form version to fill in.
    pub form_version: u32,
    /// The form definition.
    pub form: FormDefinition,
}

/// Body of a case submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SubmitCaseRequest {
    /// The form version the answers were given for (the current published one).
    pub form_version: u32,
    /// The answers, keyed by field key.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub answers: Answers,
}

/// A status as shown on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseStatus {
    /// Status key.
    pub key: String,
    /// Display name (Swedish).
    pub name: String,
    /// English display name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// What the status means.
    pub kind: StatusKind,
}

/// The receipt of a submission, and an applicant's view of one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApplicantCase {
    /// The case reference, e.g. `HBG-2026-000123`.
    pub reference: String,
    /// The service's URL name.
    pub service: String,
    /// The service's name.
    pub service_name: String,
    /// The form version the case was submitted under.
    pub form_version: u32,
    /// The current status.
    pub status: CaseStatus,
    /// When the case was submitted.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub submitted_at: DateTime<Utc>,
    /// The accepted answers (hidden fields dropped, values normalised).
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub answers: Answers,
    /// For a closed case: the day (UTC) it will be purged — the day it was closed plus the
    /// service's retention period.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::date::deserialize_date_opt")]
    pub purge_on: Option<chrono::NaiveDate>,
    /// The case's status history, oldest first (only in `GET /me/cases/{reference}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<ApplicantStatusChange>,
    /// Whether applicant and handler may exchange messages in the current
    /// status (only in `GET /me/cases/{reference}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_allowed: Option<bool>,
    /// Whether the applicant may supplement the case in the current status
    /// (only in `GET /me/cases/{reference}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub may_supplement: Option<bool>,
}

/// One entry of a case's status history as the applicant sees it: without
/// who made the change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApplicantStatusChange {
    /// The status the case entered.
    pub status: CaseStatus,
    /// When.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub at: DateTime<Utc>,
    /// The comment given with the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A case in a handler's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    /// The case reference.
    pub reference: String,
    /// The service's URL name.
    pub service: String,
    /// The current status.
    pub status: CaseStatus,
    /// The applicant's name, when known.
    pub applicant_name: Option<String>,
    /// The id of the handler the case is assigned to, if any: the same id the assignment
    /// calls take and answer with (`PUT /cases/{reference}/assignee`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Uuid>,
    /// The assignee's name, beside the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_name: Option<String>,
    /// When the case was submitted.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub submitted_at: DateTime<Utc>,
    /// When the case last changed.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub updated_at: DateTime<Utc>,
}

/// A page of the handler's case list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseList {
    /// The cases, newest first.
    pub items: Vec<CaseSummary>,
    /// Pass as `after` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Who an applicant is, as a handler sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApplicantView {
    /// Personnummer (12 digits); absent for an anonymous applicant.
    pub personnummer: Option<String>,
    /// Name, when known.
    pub name: Option<String>,
}

/// One entry of a case's status history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StatusChange {
    /// The status before; absent for the first entry.
    pub from: Option<String>,
    /// The status after.
    pub to: String,
    /// Who made the change: a staff member's user name, or `applicant`, `co_signer` (the last
    /// co-signer's signature, or a co-signer's refusal) or `system` (the platform, e.g. when a
    /// signing deadline passed).
    pub by: String,
    /// The display name of the staff member who made the change (their name as it is now, for
    /// people to read); absent when the applicant, a co-signer or the system made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_name: Option<String>,
    /// When.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub at: DateTime<Utc>,
    /// The comment given with the change.
    pub comment: Option<String>,
}

/// A case as a handler sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    /// The case reference.
    pub reference: String,
    /// The service's URL name.
    pub service: String,
    /// The service's name.
    #[serde(default)]
    pub service_name: String,
    /// The service's statuses in order, the ones the case can be moved to.
    #[serde(default)]
    pub statuses: Vec<StatusDefinition>,
    /// The id of the handler the case is assigned to, if any (as in the case list and the
    /// assignment calls).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Uuid>,
    /// The assignee's name, beside the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_name: Option<String>,
    /// The form version it was submitted under.
    pub form_version: u32,
    /// The form definition of that version, to render the answers exactly.
    pub form: FormDefinition,
    /// The current status.
    pub status: CaseStatus,
    /// The applicant.
    pub applicant: ApplicantView,
    /// The answers as submitted.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub answers: Answers,
    /// When the case was submitted.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub submitted_at: DateTime<Utc>,
    /// Every status change, oldest first.
    pub history: Vec<StatusChange>,
    /// For a closed case: the day (UTC) it will be purged; absent while a legal hold stops it.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::date::deserialize_date_opt")]
    pub purge_on: Option<chrono::NaiveDate>,
    /// The legal hold that stops the case from being purged, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_hold: Option<LegalHold>,
    /// How the handlers reach the applicant: messages are refused (409 `applicant_unreachable`)
    /// when nobody could read them.
    #[serde(default)]
    pub applicant_reach: ApplicantReach,
}

/// How the handlers reach a case's applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicantReach {
    /// On Min sida (an applicant who logged in with e-ID).
    #[default]
    MinSida,
    /// Through the private link of an anonymous case, sent to the address the form gave.
    PrivateLink,
    /// Not at all: the case was sent anonymously without an e-mail address, or its link was
    /// revoked.
    Unreachable,
}

/// Body of a status change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChangeStatusRequest {
    /// Key of the new status, from the service's status list.
    pub status: String,
    /// An optional comment, kept in the history.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A staff role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// The platform team: builds and publishes services, sets permissions.
    PlatformAdmin,
    /// The business unit: owns a service's texts.
    ServiceOwner,
    /// Handles cases of the services they are permitted on.
    Handler,
    /// Looks up case status for callers, read-only.
    ContactCentre,
}

impl StaffRole {
    /// The machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::PlatformAdmin => "platform_admin",
            StaffRole::ServiceOwner => "service_owner",
            StaffRole::Handler => "handler",
            StaffRole::ContactCentre => "contact_centre",
        }
    }
    /// Parses the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::PlatformAdmin, Self::ServiceOwner, Self::Handler, Self::ContactCentre]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// Body for creating a staff account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffUserInput {
    /// Login name: 2 to 64 lowercase letters, digits, `.`, `_` or `-`.
    #[cfg_attr(feature = "server", schema(pattern = r"^[a-z0-9._-]{2,64}$"))]
    pub username: String,
    /// Full name.
    pub display_name: String,
    /// Work e-mail address.
    pub email: String,
    /// Password, at least 12 characters.
    #[cfg_attr(feature = "server", schema(min_length = 12))]
    pub password: String,
    /// Roles; at least one.
    #[cfg_attr(feature = "server", schema(min_items = 1))]
    pub roles: Vec<StaffRole>,
}

/// A staff account (never with its password).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffUserView {
    /// The account's id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Full name.
    pub display_name: String,
    /// Work e-mail.
    pub email: String,
    /// Roles.
    pub roles: Vec<StaffRole>,
    /// Services the account is permitted on (URL names).
    pub services: Vec<String>,
}

/// Staff login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffLoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// Applicant login through the development identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DevLoginRequest {
    /// One of Skatteverket's official test personnummer.
    #[cfg_attr(feature = "server", schema(pattern = r"^(\d{6}|\d{8})[-+]?\d{4}$"))]
    pub personnummer: String,
}

/// An issued access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// The JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
}

/// The one error shape of the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// What went wrong, in words a user understands.
    pub message: String,
    /// A stable machine-readable code, e.g. `validation_failed`; the
    /// `ErrorCode` schema lists every code with the HTTP status it comes with.
    #[cfg_attr(feature = "server", schema(value_type = crate::error_code::ErrorCode))]
    pub code: String,
    /// The class of error.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "server", schema(value_type = crate::error_code::ErrorType))]
    pub error_type: String,
    /// Per-field problems, for `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Every problem with the settings in a request body (a service's settings), each naming
    /// its setting: all of them at once, so that one correction fixes them all. The top-level
    /// `code` and `message` are the single problem's when there is one, `invalid_settings` when
    /// there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<SettingProblem>,
}

/// One problem with one setting of a request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SettingProblem {
    /// The setting, by its name in the body (`name`, `handler_mailbox`, `signing`, …).
    pub field: String,
    /// What is wrong, as a stable code (`invalid_email`, `missing_text`, …).
    #[cfg_attr(feature = "server", schema(value_type = crate::error_code::ErrorCode))]
    pub code: String,
    /// What is wrong, in plain words.
    pub message: String,
}

/// A postal address from the population register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PostalAddress {
    /// c/o line, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_of: Option<String>,
    /// Street address.
    pub street: String,
    /// Postal code, e.g. `252 21`.
    pub postal_code: String,
    /// City.
    pub city: String,
}

/// A person related to the applicant (e.g. a child in their custody).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RelatedPerson {
    /// Personnummer, 12 digits.
    pub personnummer: String,
    /// Name.
    pub name: String,
}

/// The logged-in applicant's own data from the population register (Navet),
/// for the personal data step. For a person with sekretessmarkering or
/// skyddad folkbokföring only `personnummer` and `protected: true` are
/// given: no name, address or relations, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PersonalData {
    /// The applicant's personnummer (12 digits), as logged in.
    pub personnummer: String,
    /// True when the person's data is protected; the app then offers a contact route instead.
    pub protected: bool,
    /// First name(s), unless protected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Surname, unless protected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Registered address, unless protected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<PostalAddress>,
    /// Children in the applicant's custody, unless protected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<RelatedPerson>,
    /// False when the register had no record of the person.
    pub found_in_register: bool,
}

/// Starts a BankID login.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BankIdLoginRequest {
    /// True when BankID is started on this device with the autostart token;
    /// false (default) when the user scans the animated QR code with another device.
    #[serde(default)]
    pub same_device: bool,
}

/// A started BankID login. BankID's `orderRef` and `qrStartSecret` never leave the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BankIdLoginStarted {
    /// The login's opaque id: poll `GET /api/v1/auth/bankid/{login_id}`.
    pub login_id: String,
    /// Starts BankID on the same device: `bankid:///?autostarttoken={auto_start_token}&redirect=null`.
    pub auto_start_token: String,
}

/// Where a BankID login is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BankIdLoginStatus {
    /// Waiting for the user; poll again.
    Pending,
    /// Ended without a login; show the message and offer to start again.
    Failed,
    /// Logged in; the answer carries the token (once).
    Complete,
}

/// A message BankID recommends showing the user (an "RFA" text), in Swedish and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BankIdMessage {
    /// The recommendation's code, e.g. `RFA9` or `RFA15A`.
    pub rfa: String,
    /// Swedish.
    pub sv: String,
    /// English.
    pub en: String,
}

/// The state of a BankID login, for the browser polling it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BankIdLoginProgress {
    /// Pending, failed or complete.
    pub status: BankIdLoginStatus,
    /// BankID's hint code, e.g. `outstandingTransaction`, `userSign`, `userCancel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_code: Option<String>,
    /// What to tell the user (absent once complete).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<BankIdMessage>,
    /// The animated QR code's content for this second, while waiting for a scan (QR flow only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_data: Option<String>,
    /// The same QR code as an SVG element, ready to insert into the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_svg: Option<String>,
    /// The applicant's token, in the one answer that reports `complete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenResponse>,
}

/// A one-time login ticket from an OIDC login redirect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TicketRequest {
    /// The `biljett` the login redirect carried.
    pub ticket: String,
}

/// Body for starting a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewDraftRequest {
    /// Answers so far (often none).
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub answers: Answers,
}

/// Body for saving a draft as the applicant goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SaveDraftRequest {
    /// The form version the answers were given for.
    pub form_version: u32,
    /// All answers so far (replaces the stored ones). Incomplete answers are fine.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub answers: Answers,
    /// The key of the page the applicant is on, to resume there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_page: Option<String>,
}

/// A field that must be answered again after a draft moved to a new form version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReanswerField {
    /// The field key in the new version.
    pub field: String,
    /// The field's label in the new version.
    pub label: String,
}

/// An applicant's draft (a case not yet submitted; not a public record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DraftView {
    /// The draft's id.
    pub id: uuid::Uuid,
    /// The service's URL name.
    pub service: String,
    /// The service's name.
    pub service_name: String,
    /// The form version the answers belong to (always the current published one when read).
    pub form_version: u32,
    /// The answers so far.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub answers: Answers,
    /// The page to resume on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_page: Option<String>,
    /// When the draft was last saved.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub updated_at: DateTime<Utc>,
    /// Fields to answer again because the form changed since the draft was saved
    /// (answers that still fit were carried over). Empty when nothing changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reanswer: Vec<ReanswerField>,
}

/// A draft in the applicant's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DraftSummary {
    /// The draft's id.
    pub id: uuid::Uuid,
    /// The service's URL name.
    pub service: String,
    /// The service's name.
    pub service_name: String,
    /// When the draft was last saved.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub updated_at: DateTime<Utc>,
}

/// A stored upload: the file reference to put in a file field's answer,
/// and, for an anonymous upload, the owner token that proves the uploader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UploadedFile {
    /// The upload's id (a UUID).
    pub id: String,
    /// The file name, as given in `X-File-Name`.
    pub name: String,
    /// Size in bytes, as received.
    pub size: u64,
    /// The media type, as given in `Content-Type`.
    pub content_type: String,
    /// Anonymous uploads only: send it as `X-Upload-Token` with further
    /// uploads and with the submission, which may use only files uploaded
    /// with it. Keep it in memory; it is never shown again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_token: Option<String>,
}

impl UploadedFile {
    /// The reference to put in a file field's answer.
    pub fn file_ref(&self) -> crate::validate::FileRef {
        crate::validate::FileRef {
            id: self.id.clone(),
            name: self.name.clone(),
            size: self.size,
            content_type: self.content_type.clone(),
        }
    }
}

/// The state of a queued e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting to be sent, or to be retried at `next_attempt_at`.
    Pending,
    /// Delivered to the mail server.
    Sent,
    /// Given up on after too many attempts or a permanent refusal; can be retried.
    Dead,
}

/// A queued e-mail as platform admins see it: who and what, never the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OutboxItemView {
    /// The item's id.
    pub id: Uuid,
    /// The mail's Message-ID, the same on every attempt.
    pub message_id: String,
    /// What caused it, e.g. `case_submitted`.
    pub event: String,
    /// Which template renders it, e.g. `service_confirmation`, `handler_new_case`.
    pub template: String,
    /// The recipient's address.
    pub recipient: String,
    /// `sv` or `en`.
    pub language: String,
    /// The case reference it is about, if any.
    pub case_reference: Option<String>,
    /// Pending, sent or dead.
    pub status: OutboxStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// When it is (next) due.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was queued.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub created_at: DateTime<Utc>,
    /// When it was sent.
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt")]
    pub sent_at: Option<DateTime<Utc>>,
}

/// A page of queued e-mails, newest first, with counts per status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OutboxList {
    /// The items.
    pub items: Vec<OutboxItemView>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<Uuid>,
    /// Items pending.
    pub pending: u64,
    /// Items sent.
    pub sent: u64,
    /// Items dead-lettered.
    pub dead: u64,
}

/// The retention periods of a service, in whole days (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RetentionRules {
    /// A closed case is purged on the day it was closed plus this many days.
    pub days_after_closing: u32,
    /// A draft is deleted on the day it was last saved plus this many days.
    pub days_for_drafts: u32,
    /// A case still awaiting signatures is purged on the day it was started plus this many days.
    pub days_awaiting_signatures: u32,
}

/// A legal hold: the case is kept, whatever its retention period, until the hold is lifted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LegalHold {
    /// Why the case is kept (e.g. an appeal, a request under the Freedom of the Press Act).
    pub reason: String,
    /// Who set it (user name).
    pub set_by: String,
    /// When it was set.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub set_at: DateTime<Utc>,
}

/// A case's retention as a platform admin or service owner sees it (`GET
/// /cases/{reference}/legal-hold`): its status, the day it will be purged and its legal hold;
/// nothing about the applicant and none of the answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseRetention {
    /// The case reference.
    pub reference: String,
    /// The service's URL name.
    pub service: String,
    /// The service's name.
    pub service_name: String,
    /// The current status.
    pub status: CaseStatus,
    /// For a closed case: the day (UTC) it will be purged; absent while a legal hold stops it.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::date::deserialize_date_opt")]
    pub purge_on: Option<chrono::NaiveDate>,
    /// The legal hold that stops the case from being purged, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_hold: Option<LegalHold>,
}

/// Body of `PUT /cases/{reference}/legal-hold`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LegalHoldRequest {
    /// Why the case must be kept.
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 1000))]
    pub reason: String,
}

/// Which retention rule purged (or will purge) a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PurgeRule {
    /// Closed, and its days after closing have passed.
    Closed,
    /// Never signed by everyone, and its days awaiting signatures have passed.
    AwaitingSignatures,
}

impl PurgeRule {
    /// The machine name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PurgeRule::Closed => "closed",
            PurgeRule::AwaitingSignatures => "awaiting_signatures",
        }
    }
}

/// A case the next purge run would delete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PurgePreviewCase {
    /// The case reference.
    pub reference: String,
    /// Its current status.
    pub status: CaseStatus,
    /// The rule that makes it due.
    pub rule: PurgeRule,
    /// When it was closed (closed cases).
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt")]
    pub closed_at: Option<DateTime<Utc>>,
    /// The day (UTC) it became due.
    pub purge_on: chrono::NaiveDate,
}

/// What a purge run at `run_at` would delete of one service (a dry run: nothing is deleted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RetentionPreview {
    /// The instant the preview is for: the next scheduled run unless `at` was given.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub run_at: DateTime<Utc>,
    /// The periods that apply.
    pub rules: RetentionRules,
    /// The cases it would purge, oldest due first (at most 1,000).
    pub cases: Vec<PurgePreviewCase>,
    /// How many cases in all (may exceed the list).
    pub case_count: u64,
    /// How many abandoned drafts it would delete.
    pub draft_count: u64,
    /// Closed cases kept past their day by a legal hold.
    pub held_count: u64,
}

/// How many of each thing a purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PurgeCounts {
    /// Answered fields.
    pub answers: u64,
    /// Status changes.
    pub status_changes: u64,
    /// Messages.
    pub messages: u64,
    /// Files sent with messages.
    pub message_files: u64,
    /// Internal notes.
    pub notes: u64,
    /// Supplement requests and answers.
    pub supplements: u64,
    /// Decisions and other documents.
    pub documents: u64,
    /// The applicant's uploaded files.
    pub uploads: u64,
    /// Signatures and their evidence.
    pub signatures: u64,
    /// Access-log entries removed or pseudonymised.
    pub access_log_entries: u64,
    /// Queued or sent e-mails.
    pub outbox_items: u64,
    /// Download records of documents and files.
    pub downloads: u64,
    /// Stored files removed (or queued for removal).
    pub files: u64,
}

/// One purged case in the purge log: no personal data, only what the archive needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PurgeRecordView {
    /// The record's id.
    pub id: Uuid,
    /// The reference the case had.
    pub reference: String,
    /// The service's URL name.
    pub service: String,
    /// The rule that applied.
    pub rule: PurgeRule,
    /// The period of that rule, in days.
    pub days: u32,
    /// The day (UTC) the case was submitted.
    pub submitted_on: chrono::NaiveDate,
    /// The day (UTC) it was closed (closed cases).
    #[serde(default, deserialize_with = "crate::date::deserialize_date_opt")]
    pub closed_on: Option<chrono::NaiveDate>,
    /// When it was purged.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub purged_at: DateTime<Utc>,
    /// What was removed.
    pub removed: PurgeCounts,
    /// `pseudonymised` (the staff's access-log entries kept, tied to this record) or `deleted`.
    pub access_log: String,
}

/// A page of the purge log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PurgeLog {
    /// The records.
    pub items: Vec<PurgeRecordView>,
    /// Pass as `before` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<Uuid>,
}

/// One run of the purge job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RetentionRunView {
    /// The run's id.
    pub id: Uuid,
    /// `schedule` or `manual`.
    pub trigger: String,
    /// The instant the run purged as of.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub as_of: DateTime<Utc>,
    /// When it started.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub started_at: DateTime<Utc>,
    /// When it finished; absent while it runs (or if its instance stopped).
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Cases purged.
    pub cases_purged: u64,
    /// Abandoned drafts deleted.
    pub drafts_deleted: u64,
    /// Unattached uploads and unsent message files deleted.
    pub loose_files_deleted: u64,
    /// Ended applicant sessions deleted.
    pub sessions_deleted: u64,
    /// Stored files removed.
    pub files_deleted: u64,
    /// Cases that failed (left for the next run).
    pub case_failures: u64,
    /// File removals that failed (kept on the retry list).
    pub file_failures: u64,
}

/// The purge job's state and totals (its metrics).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RetentionStatus {
    /// Whether the scheduled job runs on this instance.
    pub enabled: bool,
    /// The cron schedule (UTC; seconds first).
    pub schedule: String,
    /// The next scheduled run.
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt")]
    pub next_run_at: Option<DateTime<Utc>>,
    /// `pseudonymise` or `delete`: what a purge does to the staff's access-log entries.
    pub access_log: String,
    /// The platform's default periods (`days_after_closing` is 0: every service sets its own).
    pub defaults: RetentionRules,
    /// Cases purged, ever.
    pub cases_purged_total: u64,
    /// Stored files removed, ever.
    pub files_deleted_total: u64,
    /// Failures (cases and files), ever.
    pub failures_total: u64,
    /// Files whose removal failed and waits for the next run.
    pub files_pending: u64,
    /// The latest runs, newest first.
    pub runs: Vec<RetentionRunView>,
}
