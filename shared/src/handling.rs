//! API types of case handling: assignment, messages between applicant and
//! handlers, internal notes, counts per status, the access log and the
//! contact centre's look-up.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::CaseStatus;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageAuthor {
    /// The applicant.
    Applicant,
    /// A case handler.
    Staff,
}

/// A message between the applicant and the handlers of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseMessage {
    /// The message's id.
    pub id: Uuid,
    /// Who wrote it.
    pub author: MessageAuthor,
    /// The handler's name, for a handler's message (shown to staff; applicants see "Handläggare").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    /// The text.
    pub body: String,
    /// When it was sent.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub sent_at: DateTime<Utc>,
    /// When the other party first read it (the read receipt).
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt")]
    pub read_at: Option<DateTime<Utc>>,
    /// The files sent with it; download one at `…/message-attachments/{id}` of the case.
    #[serde(default)]
    pub attachments: Vec<MessageAttachment>,
}

/// A file sent with a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MessageAttachment {
    /// The file's id: the applicant's upload id, or the id a handler's
    /// `POST /cases/{reference}/message-attachments` gave.
    pub id: Uuid,
    /// The file name (shown, and offered when saving the download).
    pub name: String,
    /// The media type, told from the file's content (never from its name or the client).
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
}

/// A new message, with the files to send with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewMessage {
    /// The text, 1 to 10,000 characters.
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 10000))]
    pub body: String,
    /// Files to send with it, at most 10: for the applicant, ids of their own
    /// uploads (`POST /uploads`) that no case has taken; for a handler, ids
    /// from `POST /cases/{reference}/message-attachments` of the same case
    /// not yet sent. Absent: none.
    #[serde(default)]
    pub attachments: Vec<Uuid>,
}

/// A new message or internal note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewText {
    /// The text, 1 to 10,000 characters.
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 10000))]
    pub body: String,
}

/// An internal note: staff only, never shown to the applicant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseNote {
    /// The note's id.
    pub id: Uuid,
    /// The author's name.
    pub author_name: String,
    /// The text.
    pub body: String,
    /// When it was written.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub created_at: DateTime<Utc>,
}

/// Body of an assignment: the handler to assign, or `null` to unassign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AssignRequest {
    /// A handler permitted on the case's service; `null` leaves the case unassigned.
    pub assignee: Option<Uuid>,
}

/// Who a case is assigned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Assignment {
    /// The case reference.
    pub reference: String,
    /// The handler's id, if assigned.
    pub assignee: Option<Uuid>,
    /// The handler's name, if assigned.
    pub assignee_name: Option<String>,
}

/// A handler a case can be assigned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HandlerName {
    /// The handler's id (for an assignment).
    pub id: Uuid,
    /// The handler's name.
    pub name: String,
}

/// How many cases are in one status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StatusCount {
    /// The status.
    pub status: CaseStatus,
    /// Cases in it.
    pub count: u64,
}

/// What a staff member did with a case, as its access log records it: a
/// verb and its object, named like the API operation that does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccessAction {
    /// Read the case with its answers (`GET /cases/{reference}`).
    ReadCase,
    /// Read the internal notes.
    ReadNotes,
    /// Read the messages.
    ReadMessages,
    /// Read the signatures.
    ReadSignatures,
    /// Read the supplement requests and their answers.
    ReadSupplements,
    /// Read the retention and legal hold.
    ReadLegalHold,
    /// Verified the signatures again.
    VerifySignatures,
    /// Downloaded a signature's evidence.
    DownloadSignatureEvidence,
    /// Listed the case's documents and files.
    ListDocuments,
    /// Downloaded a case document.
    DownloadDocument,
    /// Downloaded a file the applicant sent with the case.
    DownloadAttachment,
    /// Downloaded a file sent with a message.
    DownloadMessageAttachment,
    /// Sent a file with a message.
    AttachMessageFile,
    /// Attached a case document.
    AttachDocument,
    /// Looked the case's status up for a caller (contact centre).
    LookUpStatus,
    /// Assigned the case (or left it unassigned).
    Assign,
    /// Sent a message to the applicant.
    SendMessage,
    /// Wrote an internal note.
    AddNote,
    /// Changed the status.
    ChangeStatus,
    /// Asked the applicant for a supplement.
    RequestSupplement,
    /// Closed the anonymous applicant's private link.
    RevokeFollowLink,
    /// Put the case under a legal hold.
    SetLegalHold,
    /// Lifted the legal hold.
    LiftLegalHold,
}

impl AccessAction {
    /// Every action, in the order above.
    pub const ALL: [AccessAction; 23] = [
        Self::ReadCase,
        Self::ReadNotes,
        Self::ReadMessages,
        Self::ReadSignatures,
        Self::ReadSupplements,
        Self::ReadLegalHold,
        Self::VerifySignatures,
        Self::DownloadSignatureEvidence,
        Self::ListDocuments,
        Self::DownloadDocument,
        Self::DownloadAttachment,
        Self::DownloadMessageAttachment,
        Self::AttachMessageFile,
        Self::AttachDocument,
        Self::LookUpStatus,
        Self::Assign,
        Self::SendMessage,
        Self::AddNote,
        Self::ChangeStatus,
        Self::RequestSupplement,
        Self::RevokeFollowLink,
        Self::SetLegalHold,
        Self::LiftLegalHold,
    ];

    /// The stored and wire name, e.g. `read_notes`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadCase => "read_case",
            Self::ReadNotes => "read_notes",
            Self::ReadMessages => "read_messages",
            Self::ReadSignatures => "read_signatures",
            Self::ReadSupplements => "read_supplements",
            Self::ReadLegalHold => "read_legal_hold",
            Self::VerifySignatures => "verify_signatures",
            Self::DownloadSignatureEvidence => "download_signature_evidence",
            Self::ListDocuments => "list_documents",
            Self::DownloadDocument => "download_document",
            Self::DownloadAttachment => "download_attachment",
            Self::DownloadMessageAttachment => "download_message_attachment",
            Self::AttachMessageFile => "attach_message_file",
            Self::AttachDocument => "attach_document",
            Self::LookUpStatus => "look_up_status",
            Self::Assign => "assign",
            Self::SendMessage => "send_message",
            Self::AddNote => "add_note",
            Self::ChangeStatus => "change_status",
            Self::RequestSupplement => "request_supplement",
            Self::RevokeFollowLink => "revoke_follow_link",
            Self::SetLegalHold => "set_legal_hold",
            Self::LiftLegalHold => "lift_legal_hold",
        }
    }

    /// The action with that stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

// Read by hand rather than derived: the names are already in `as_str`, which the handlers' app
// shows, and a derived reader would carry them twice more (as text and as bytes).
impl<'de> Deserialize<'de> for AccessAction {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::parse(&name).ok_or_else(|| serde::de::Error::custom(format_args!("unknown access action `{name}`")))
    }
}

/// One staff read or change of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AccessLogEntry {
    /// The case reference.
    pub reference: String,
    /// The staff member's id.
    pub staff_id: Uuid,
    /// The staff member's user name.
    pub staff_username: String,
    /// What they did.
    pub action: AccessAction,
    /// When.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub at: DateTime<Utc>,
    /// The case has since been purged: the entry is kept, tied to its purge record.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub purged: bool,
}

/// What the contact centre may see of a case: its status, never its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseStatusLookup {
    /// The case reference.
    pub reference: String,
    /// The service's name.
    pub service_name: String,
    /// The current status.
    pub status: CaseStatus,
    /// When it was submitted.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub submitted_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub updated_at: DateTime<Utc>,
}

/// A handler's request that the applicant supplement the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SupplementRequestInput {
    /// What the applicant should do, 1 to 10,000 characters (shown on Min sida, never mailed).
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 10000))]
    pub message: String,
    /// The fields (keys of the case's form version) to change; empty or absent: any field.
    #[serde(default)]
    pub fields: Vec<String>,
    /// The status of kind `awaiting_supplement` to move the case to; the service's first one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// One changed answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AnswerChange {
    /// The field key.
    pub field: String,
    /// The answer before (absent: none).
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub before: Option<serde_json::Value>,
    /// The answer after (absent: removed).
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub after: Option<serde_json::Value>,
}

/// A supplement request and, once answered, what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Supplement {
    /// The request's id.
    pub id: Uuid,
    /// What the applicant was asked to do.
    pub message: String,
    /// The fields to change; empty: any field.
    pub fields: Vec<String>,
    /// When it was asked.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub requested_at: DateTime<Utc>,
    /// When the applicant answered; absent while open.
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt")]
    pub answered_at: Option<DateTime<Utc>>,
    /// When it was closed unanswered (the case left the awaiting-supplement
    /// status, or a newer request replaced it); it can no longer be answered.
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt")]
    pub closed_at: Option<DateTime<Utc>>,
    /// What the answer changed (the diff the handler sees).
    #[serde(default)]
    pub changes: Vec<AnswerChange>,
}

/// The applicant's supplement: new answers to the requested fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SupplementAnswer {
    /// New answers, keyed by field; `null` removes an answer. Other fields keep theirs.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    #[serde(deserialize_with = "crate::wire::unique_answers")]
    pub answers: serde_json::Map<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::AccessAction;

    #[test]
    fn every_access_action_is_stored_under_its_wire_name_and_read_back() {
        for a in AccessAction::ALL {
            assert_eq!(serde_json::to_value(a).expect("json"), serde_json::json!(a.as_str()));
            assert_eq!(AccessAction::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::from_value::<AccessAction>(serde_json::json!(a.as_str())).expect("read"), a);
        }
        assert!(serde_json::from_value::<AccessAction>(serde_json::json!("read")).is_err());
        assert_eq!(AccessAction::parse("read"), None, "the old names are renamed by a migration");
    }
}
