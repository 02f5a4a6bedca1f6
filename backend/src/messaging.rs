//! Messages between an applicant and the handlers of their case: the one
//! path both sides send through. A message is stored with the mail that tells
//! the other party (which says only that a message waits) in one transaction.

use shared::handling::{CaseMessage, MessageAuthor, NewMessage};
use uuid::Uuid;

use crate::db::cases::CaseRecord;
use crate::db::handling::MessageRefused;
use crate::db::services::ServiceRef;
use crate::error::{AppError, ErrorCode};
use crate::outbox::{Language, Payload, Recipients};
use crate::state::AppState;
use crate::storage::sniff::{FileType, HEAD_BYTES, sniff};

/// Longest message or note, in characters.
pub const MAX_TEXT: usize = 10_000;

/// The trimmed text, or 422 when it is empty or too long.
pub fn text(body: &str, what: &str) -> Result<String, AppError> {
    let t = body.trim();
    if t.is_empty() {
        return Err(AppError::new(ErrorCode::EmptyText, format!("The {what} is empty.")));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(AppError::new(ErrorCode::TextTooLong, format!("The {what} can be at most {MAX_TEXT} characters.")));
    }
    Ok(t.to_string())
}

/// Most files sent with one message.
pub const MAX_ATTACHMENTS: usize = 10;

/// Whether a file's (sniffed) type may be sent with a message: what a case
/// document may be (no archives, nothing unrecognised).
pub fn attachable(t: FileType) -> bool {
    !matches!(t, FileType::Zip | FileType::Unknown)
}

/// The 422 for a file of a type that cannot be sent.
pub fn unsupported_type(t: FileType) -> AppError {
    let what = match t {
        FileType::Unknown => "of a type the platform does not accept".to_string(),
        other => format!("{} content", other.media_type()),
    };
    AppError::new(
        ErrorCode::UnsupportedFileType,
        format!(
            "A file is {what}. Send a PDF, an image (PNG, JPEG, GIF, WebP), a Word, Excel or OpenDocument file, or plain text."
        ),
    )
}

fn unknown_attachment(author: MessageAuthor) -> AppError {
    AppError::new(
        ErrorCode::UnknownAttachment,
        match author {
            MessageAuthor::Applicant => {
                "An attachment is not one of your uploads, or it is already on a case. Upload the file again."
            }
            MessageAuthor::Staff => {
                "An attachment is not an unsent file of this case; upload it to the case's message-attachments first."
            }
        },
    )
}

/// The applicant's uploads to send: their own (by the case's personnummer),
/// taken by no case, of a type a message may carry (told from the content).
async fn applicant_files(
    state: &AppState,
    rec: &CaseRecord,
    ids: &[Uuid],
) -> Result<Vec<crate::db::attachments::NewAttachment>, AppError> {
    let owner = crate::db::uploads::UploadOwner { personnummer: rec.applicant_personnummer.clone(), token_hash: None };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let upload = crate::db::uploads::find(&state.db, *id)
            .await?
            .filter(|u| owner.owns(u) && u.case_id.is_none())
            .ok_or_else(|| unknown_attachment(MessageAuthor::Applicant))?;
        let file = state
            .storage
            .uploads
            .get(&upload.id.to_string())
            .await?
            .ok_or_else(|| unknown_attachment(MessageAuthor::Applicant))?;
        let (head, _) = crate::storage::peek(file.body, HEAD_BYTES).await.map_err(AppError::internal)?;
        let file_type = sniff(&head, head.len() as u64 >= file.size);
        if !attachable(file_type) {
            return Err(unsupported_type(file_type));
        }
        out.push(crate::db::attachments::NewAttachment {
            id: upload.id,
            case_id: rec.id,
            store: crate::db::attachments::Store::Uploads,
            name: crate::storage::names::safe_file_name(&upload.name).unwrap_or_else(|| "fil".into()),
            content_type: file_type.media_type().to_string(),
            size: upload.size,
            sha256: upload.sha256,
            staff_id: None,
        });
    }
    Ok(out)
}

/// The statuses without messages: those the service closes to messages, and
/// every status of a case not (yet) submitted — waiting for its co-signers or
/// ended without them, the platform's or the service's own — which no handler
/// may see.
pub fn closed_statuses(statuses: &[shared::StatusDefinition]) -> Vec<String> {
    let mut closed: Vec<String> = statuses
        .iter()
        .filter(|s| !s.messaging_allowed || s.kind == shared::StatusKind::AwaitingSignatures)
        .map(|s| s.key.clone())
        .collect();
    closed.extend([shared::status::AWAITING_SIGNATURES_KEY.to_string(), shared::status::SIGNING_ENDED_KEY.to_string()]);
    closed
}

/// Sends a message on a case, with files: refused with 409
/// `messaging_closed` when the case's status does not allow messages (also
/// when it changes so while the message is stored), with 409
/// `applicant_unreachable` when a handler writes to an anonymous applicant who
/// left no address, and with 422 when an attachment is not the sender's to
/// send. Nothing is kept on a refusal.
pub async fn send(
    state: &AppState,
    rec: &CaseRecord,
    service: &ServiceRef,
    author: MessageAuthor,
    staff_id: Option<Uuid>,
    new: &NewMessage,
) -> Result<CaseMessage, AppError> {
    let body = text(&new.body, "message")?;
    let closed =
        || AppError::new(ErrorCode::MessagingClosed, "Messages cannot be sent on this case in its current status.");
    let closed_statuses = closed_statuses(&service.statuses);
    if closed_statuses.contains(&rec.status_key) {
        return Err(closed());
    }
    if author == MessageAuthor::Staff && rec.applicant_reach() == shared::api::ApplicantReach::Unreachable {
        return Err(AppError::new(
            ErrorCode::ApplicantUnreachable,
            "The applicant cannot be reached: the case was sent anonymously without an e-mail address (or its private link was revoked), so nobody would read the message. Nothing was sent.",
        ));
    }
    if new.attachments.len() > MAX_ATTACHMENTS {
        return Err(AppError::new(
            ErrorCode::TooManyAttachments,
            format!("A message can carry at most {MAX_ATTACHMENTS} files."),
        ));
    }
    let distinct: std::collections::BTreeSet<&Uuid> = new.attachments.iter().collect();
    if distinct.len() != new.attachments.len() {
        return Err(AppError::new(ErrorCode::DuplicateAttachment, "The same file is attached twice."));
    }
    let (uploads, staff_files) = match author {
        MessageAuthor::Applicant => (applicant_files(state, rec, &new.attachments).await?, Vec::new()),
        MessageAuthor::Staff => {
            for id in &new.attachments {
                let waiting = crate::db::attachments::find(&state.db, rec.id, *id)
                    .await?
                    .is_some_and(|a| a.store == crate::db::attachments::Store::Documents && a.message_id.is_none());
                if !waiting {
                    return Err(unknown_attachment(author));
                }
            }
            (Vec::new(), new.attachments.clone())
        }
    };
    let (event, to) = match author {
        MessageAuthor::Staff => (
            &crate::outbox::MESSAGE_TO_APPLICANT,
            Recipients { applicant: rec.contact_email.clone(), ..Recipients::default() },
        ),
        MessageAuthor::Applicant => (
            &crate::outbox::MESSAGE_TO_HANDLERS,
            Recipients { handler_mailbox: Some(service.handler_mailbox.clone()), ..Recipients::default() },
        ),
    };
    let mails = mails_to(state, rec, service, event, &to);
    let stored = crate::db::handling::add_message(
        &state.db,
        crate::db::handling::NewMessage {
            case_id: rec.id,
            author,
            staff_id,
            body: &body,
            closed_statuses,
            uploads,
            upload_owner: rec.applicant_personnummer.clone(),
            staff_files,
            mails,
        },
    )
    .await?;
    let message = match stored {
        Ok(m) => m,
        Err(MessageRefused::Closed) => return Err(closed()),
        Err(MessageRefused::AttachmentTaken) => return Err(unknown_attachment(author)),
    };
    state.outbox_wake.notify_one();
    Ok(message)
}

/// The mails of `event` about a case to the applicant and the service's
/// mailbox (none when mail is off), with their payload.
pub fn mails_about(
    state: &AppState,
    rec: &CaseRecord,
    service: &ServiceRef,
    event: &crate::outbox::Event,
) -> crate::db::outbox::Mails {
    let to = Recipients {
        applicant: rec.contact_email.clone(),
        handler_mailbox: Some(service.handler_mailbox.clone()),
        ..Recipients::default()
    };
    mails_to(state, rec, service, event, &to)
}

/// The mails of `event` about a case to `to` (none when mail is off), with their payload.
pub fn mails_to(
    state: &AppState,
    rec: &CaseRecord,
    service: &ServiceRef,
    event: &crate::outbox::Event,
    to: &Recipients,
) -> crate::db::outbox::Mails {
    crate::db::outbox::Mails {
        items: crate::outbox::queue(&state.settings.mail, event, to, Language::parse(rec.language.as_deref())),
        payload: Payload { reference: rec.reference.clone(), submitted_at: rec.submitted_at },
        service_id: service.id,
    }
}
