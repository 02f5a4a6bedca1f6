//! Drafts of applications, and uploaded files.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::validate::Answers;

/// Body for starting a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewDraftRequest {
    /// Answers so far (often none).
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    #[serde(deserialize_with = "crate::wire::unique_answers")]
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
    #[serde(deserialize_with = "crate::wire::unique_answers")]
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
    pub label: crate::text::Text,
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
