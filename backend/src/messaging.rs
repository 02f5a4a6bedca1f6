//! Messages between an applicant and the handlers of their case: the one
//! path both sides send through. A message is stored with the mail that tells
//! the other party (which says only that a message waits) in one transaction.

use shared::handling::{CaseMessage, MessageAuthor};
use uuid::Uuid;

use crate::db::cases::CaseRecord;
use crate::db::services::ServiceRef;
use crate::error::AppError;
use crate::outbox::{Language, Payload, Recipients};
use crate::state::AppState;

/// Longest message or note, in characters.
pub const MAX_TEXT: usize = 10_000;

/// The trimmed text, or 422 when it is empty or too long.
pub fn text(body: &str, what: &str) -> Result<String, AppError> {
    let t = body.trim();
    if t.is_empty() {
        return Err(AppError::unprocessable("empty_text", format!("The {what} is empty.")));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(AppError::unprocessable(
            "text_too_long",
            format!("The {what} can be at most {MAX_TEXT} characters."),
        ));
    }
    Ok(t.to_string())
}

/// Sends a message on a case: refused with 409 `messaging_closed` when the
/// case's status does not allow messages.
pub async fn send(
    state: &AppState,
    rec: &CaseRecord,
    service: &ServiceRef,
    author: MessageAuthor,
    staff_id: Option<Uuid>,
    body: &str,
) -> Result<CaseMessage, AppError> {
    let body = text(body, "message")?;
    let open = service.statuses.iter().find(|s| s.key == rec.status_key).is_none_or(|s| s.messaging_allowed);
    if !open {
        return Err(AppError::conflict(
            "messaging_closed",
            "Messages cannot be sent on this case in its current status.",
        ));
    }
    let (event, to) = match author {
        MessageAuthor::Staff => (
            &crate::outbox::MESSAGE_TO_APPLICANT,
            Recipients { applicant: rec.contact_email.clone(), handler_mailbox: None },
        ),
        MessageAuthor::Applicant => (
            &crate::outbox::MESSAGE_TO_HANDLERS,
            Recipients { applicant: None, handler_mailbox: Some(service.handler_mailbox.clone()) },
        ),
    };
    let mails = if state.settings.mail.enabled {
        crate::outbox::plan(
            event,
            &to,
            Language::parse(rec.language.as_deref()),
            &state.settings.mail.message_id_domain(),
        )
    } else {
        Vec::new()
    };
    let payload = serde_json::to_value(Payload { reference: rec.reference.clone(), submitted_at: rec.submitted_at })
        .map_err(AppError::internal)?;
    let message = crate::db::handling::add_message(
        &state.db,
        crate::db::handling::NewMessage {
            case_id: rec.id,
            author,
            staff_id,
            body: &body,
            mails,
            payload,
            service_id: service.id,
        },
    )
    .await?;
    state.outbox_wake.notify_one();
    Ok(message)
}

/// The mails of `event` about a case (none when mail is off), with their payload.
pub fn mails_about(
    state: &AppState,
    rec: &CaseRecord,
    service: &ServiceRef,
    event: &crate::outbox::Event,
) -> Result<crate::db::supplements::Mails, AppError> {
    let to =
        Recipients { applicant: rec.contact_email.clone(), handler_mailbox: Some(service.handler_mailbox.clone()) };
    let items = if state.settings.mail.enabled {
        crate::outbox::plan(
            event,
            &to,
            Language::parse(rec.language.as_deref()),
            &state.settings.mail.message_id_domain(),
        )
    } else {
        Vec::new()
    };
    let payload = serde_json::to_value(Payload { reference: rec.reference.clone(), submitted_at: rec.submitted_at })
        .map_err(AppError::internal)?;
    Ok(crate::db::supplements::Mails { items, payload, service_id: service.id })
}
