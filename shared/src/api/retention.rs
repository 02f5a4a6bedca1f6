//! Retention (gallring): periods, legal holds, what the next purge would delete, the purge log and the job's runs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CaseStatus, Page};

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
pub type PurgeLog = Page<PurgeRecordView>;

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
