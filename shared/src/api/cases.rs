//! Cases: submitting one, the applicant's view and the handler's (list, detail, status changes).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{LegalHold, Page};
use crate::form::FormDefinition;
use crate::status::{StatusDefinition, StatusKind};
use crate::validate::Answers;

/// Body of a case submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SubmitCaseRequest {
    /// The form version the answers were given for (the current published one).
    pub form_version: u32,
    /// The answers, keyed by field key.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    #[serde(deserialize_with = "crate::wire::unique_answers")]
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

/// The answers of the applicant's newest case in a service that its form takes over (the fields
/// prefilled from the previous case), for a recurring application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PreviousAnswers {
    /// The previous case's reference.
    pub reference: String,
    /// The answers the form's `previous_case` fields take from it.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub answers: crate::validate::Answers,
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

/// A page of the handler's case list, newest first unless asked for oldest first.
pub type CaseList = Page<CaseSummary>;

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
