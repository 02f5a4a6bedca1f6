//! API types of case documents: decisions and other documents staff attach
//! to a case, which the applicant reads and downloads on Min sida.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A decision (beslut): a PDF.
    Decision,
    /// Any other document: PDF, image (PNG, JPEG, GIF, WebP), Word, Excel, OpenDocument or plain text.
    Document,
}

impl DocumentKind {
    /// The stored and wire name (`decision`, `document`).
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Decision => "decision",
            DocumentKind::Document => "document",
        }
    }

    /// The kind of a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "decision" => Some(DocumentKind::Decision),
            "document" => Some(DocumentKind::Document),
            _ => None,
        }
    }
}

/// A document attached to a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseDocument {
    /// The document's id; download it at `…/documents/{id}`.
    pub id: Uuid,
    /// A decision or another document.
    pub kind: DocumentKind,
    /// The file name the handler gave (shown, and offered when saving the download).
    pub name: String,
    /// The media type, told from the file's content (never from its name).
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes (hex), to check a downloaded copy.
    pub sha256: String,
    /// When it was attached.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub created_at: DateTime<Utc>,
    /// The handler who attached it (staff views only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by_name: Option<String>,
}
