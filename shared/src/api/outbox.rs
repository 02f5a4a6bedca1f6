//! The outbox: queued e-mails, for platform admins.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Page;

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
    /// The page of items.
    #[serde(flatten)]
    pub page: Page<OutboxItemView>,
    /// Items pending.
    pub pending: u64,
    /// Items sent.
    pub sent: u64,
    /// Items dead-lettered.
    pub dead: u64,
}
