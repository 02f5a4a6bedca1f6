//! The e-mail outbox, for platform admins: what is pending, sent and
//! dead-lettered, and retrying a dead item.

pub mod list_outbox_items;
pub mod retry_outbox_item;

use shared::api::{OutboxItemView, OutboxStatus};

use crate::db::entity::outbox;

/// The API view of a stored item.
pub fn view(m: outbox::Model) -> OutboxItemView {
    let case_reference = m.payload.get("reference").and_then(|r| r.as_str()).map(str::to_string);
    OutboxItemView {
        id: m.id,
        message_id: m.message_id,
        event: m.event,
        template: m.template,
        recipient: m.recipient,
        language: m.language,
        case_reference,
        status: match m.status.as_str() {
            crate::db::outbox::SENT => OutboxStatus::Sent,
            crate::db::outbox::DEAD => OutboxStatus::Dead,
            _ => OutboxStatus::Pending,
        },
        attempts: m.attempts.max(0) as u32,
        next_attempt_at: m.next_attempt_at,
        last_error: m.last_error,
        created_at: m.created_at,
        sent_at: m.sent_at,
    }
}
