//! Case handling: assignment, messages, internal notes and counts per status.

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use shared::handling::{AccessAction, CaseMessage, CaseNote, MessageAttachment, MessageAuthor};

use super::Db;
use super::entity::{case, case_message, case_note, staff_user};

/// Assigns a case (or unassigns it with `None`) and records who did it; a
/// case staff may not see ([`super::cases::staff_visible`]) is left as it is.
pub async fn assign(db: &Db, case_id: Uuid, assignee: Option<Uuid>, by_staff: Uuid) -> Result<(), DbErr> {
    let txn = super::begin_write(db).await?;
    case::Entity::update_many()
        .col_expr(case::Column::AssigneeId, Expr::value(assignee))
        .col_expr(case::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(case::Column::Id.eq(case_id))
        .filter(super::cases::staff_visible())
        .exec(&txn)
        .await?;
    super::access_log::record(&txn, case_id, by_staff, AccessAction::Assign).await?;
    txn.commit().await
}

/// The assignee of a case.
pub async fn assignee_of(db: &Db, case_id: Uuid) -> Result<Option<Uuid>, DbErr> {
    Ok(case::Entity::find_by_id(case_id).one(db).await?.and_then(|m| m.assignee_id))
}

/// The applicant's contact address of a case, if the form gave one.
pub async fn contact_email_of(db: &Db, case_id: Uuid) -> Result<Option<String>, DbErr> {
    Ok(case::Entity::find_by_id(case_id).one(db).await?.and_then(|m| m.contact_email))
}

/// Display names by account id.
pub async fn usernames(db: &Db, ids: impl IntoIterator<Item = Uuid>) -> Result<BTreeMap<Uuid, String>, DbErr> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(staff_user::Entity::find()
        .filter(staff_user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.display_name))
        .collect())
}

/// A message to store.
pub struct NewMessage<'a> {
    /// The case.
    pub case_id: Uuid,
    /// The author.
    pub author: MessageAuthor,
    /// The handler who wrote it (staff messages).
    pub staff_id: Option<Uuid>,
    /// The text.
    pub body: &'a str,
    /// Status keys in which the case takes no messages, checked against the
    /// case's status inside the transaction (a concurrent close wins).
    pub closed_statuses: Vec<String>,
    /// The applicant's uploads to send with it (the case takes them), with
    /// their owner's personnummer.
    pub uploads: Vec<super::attachments::NewAttachment>,
    /// The owner of those uploads (12 digits).
    pub upload_owner: Option<String>,
    /// A handler's unsent files of the case to send with it.
    pub staff_files: Vec<Uuid>,
    /// The mails telling the other party, queued in the transaction.
    pub mails: super::outbox::Mails,
}

/// Why a message was not stored (nothing changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageRefused {
    /// The case's status does not take messages (now).
    Closed,
    /// An attachment is gone, someone else's, or was taken meanwhile.
    AttachmentTaken,
}

fn kind(a: MessageAuthor) -> &'static str {
    match a {
        MessageAuthor::Applicant => "applicant",
        MessageAuthor::Staff => "staff",
    }
}

fn message_view(
    m: case_message::Model,
    names: &BTreeMap<Uuid, String>,
    show_names: bool,
    attachments: Vec<MessageAttachment>,
) -> CaseMessage {
    let author = if m.author_kind == "staff" { MessageAuthor::Staff } else { MessageAuthor::Applicant };
    CaseMessage {
        id: m.id,
        author,
        author_name: if show_names { m.staff_user_id.and_then(|id| names.get(&id).cloned()) } else { None },
        body: m.body,
        sent_at: m.sent_at,
        read_at: m.read_at,
        attachments,
    }
}

/// Stores a message, its attachments and its notification mails in one
/// transaction; a staff message is also written to the access log. The
/// case's status is read under the case's row lock, so a message cannot slip
/// in after a concurrent change to a status without messaging.
pub async fn add_message(db: &Db, n: NewMessage<'_>) -> Result<Result<CaseMessage, MessageRefused>, DbErr> {
    let now = Utc::now();
    let txn = super::begin_write(db).await?;
    // The update takes the case's row lock (PostgreSQL; SQLite has one writer) before the status is read.
    case::Entity::update_many()
        .col_expr(case::Column::UpdatedAt, Expr::value(now))
        .filter(case::Column::Id.eq(n.case_id))
        .exec(&txn)
        .await?;
    let status = case::Entity::find_by_id(n.case_id).one(&txn).await?.map(|c| c.status_key);
    if status.is_none_or(|s| n.closed_statuses.contains(&s)) {
        txn.rollback().await?;
        return Ok(Err(MessageRefused::Closed));
    }
    let m = case_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(n.case_id),
        author_kind: Set(kind(n.author).into()),
        staff_user_id: Set(n.staff_id),
        body: Set(n.body.to_string()),
        sent_at: Set(now),
        read_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let mut attachments = Vec::new();
    if !n.uploads.is_empty() {
        let owner = super::uploads::UploadOwner { personnummer: n.upload_owner.clone(), token_hash: None };
        for u in &n.uploads {
            if !super::uploads::attach(&txn, u.id, n.case_id, &owner).await? {
                txn.rollback().await?;
                return Ok(Err(MessageRefused::AttachmentTaken));
            }
            attachments.push(super::attachments::insert(&txn, u, Some(m.id)).await?);
        }
    }
    if !super::attachments::send_with(&txn, &n.staff_files, n.case_id, m.id).await? {
        txn.rollback().await?;
        return Ok(Err(MessageRefused::AttachmentTaken));
    }
    super::outbox::insert(&txn, &n.mails.items, n.mails.service_id, n.case_id, &n.mails.payload, now).await?;
    if let Some(staff) = n.staff_id {
        super::access_log::record(&txn, n.case_id, staff, AccessAction::SendMessage).await?;
    }
    txn.commit().await?;
    if !n.staff_files.is_empty() {
        attachments = super::attachments::of_messages(db, n.case_id).await?.remove(&m.id).unwrap_or_default();
    }
    let names = usernames(db, n.staff_id).await?;
    Ok(Ok(message_view(m, &names, true, attachments)))
}

/// A case's messages, oldest first, after marking the other party's unread
/// ones read by `reader` (the read receipts). Handlers' names are shown to staff only.
pub async fn read_messages(db: &Db, case_id: Uuid, reader: MessageAuthor) -> Result<Vec<CaseMessage>, DbErr> {
    let other = match reader {
        MessageAuthor::Applicant => MessageAuthor::Staff,
        MessageAuthor::Staff => MessageAuthor::Applicant,
    };
    case_message::Entity::update_many()
        .col_expr(case_message::Column::ReadAt, Expr::value(Utc::now()))
        .filter(case_message::Column::CaseId.eq(case_id))
        .filter(case_message::Column::AuthorKind.eq(kind(other)))
        .filter(case_message::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    let rows = case_message::Entity::find()
        .filter(case_message::Column::CaseId.eq(case_id))
        .order_by_asc(case_message::Column::Id)
        .all(db)
        .await?;
    let names = usernames(db, rows.iter().filter_map(|m| m.staff_user_id)).await?;
    let mut files = super::attachments::of_messages(db, case_id).await?;
    let show_names = reader == MessageAuthor::Staff;
    Ok(rows
        .into_iter()
        .map(|m| {
            let attachments = files.remove(&m.id).unwrap_or_default();
            message_view(m, &names, show_names, attachments)
        })
        .collect())
}

/// Stores an internal note and logs it.
pub async fn add_note(db: &Db, case_id: Uuid, staff_id: Uuid, body: &str) -> Result<CaseNote, DbErr> {
    let txn = super::begin_write(db).await?;
    let m = case_note::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        staff_user_id: Set(staff_id),
        body: Set(body.to_string()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    super::access_log::record(&txn, case_id, staff_id, AccessAction::AddNote).await?;
    txn.commit().await?;
    let names = usernames(db, [staff_id]).await?;
    Ok(CaseNote {
        id: m.id,
        author_name: names.get(&staff_id).cloned().unwrap_or_default(),
        body: m.body,
        created_at: m.created_at,
    })
}

/// A case's internal notes, oldest first.
pub async fn notes(db: &Db, case_id: Uuid) -> Result<Vec<CaseNote>, DbErr> {
    let rows = case_note::Entity::find()
        .filter(case_note::Column::CaseId.eq(case_id))
        .order_by_asc(case_note::Column::Id)
        .all(db)
        .await?;
    let names = usernames(db, rows.iter().map(|m| m.staff_user_id)).await?;
    Ok(rows
        .into_iter()
        .map(|m| CaseNote {
            author_name: names.get(&m.staff_user_id).cloned().unwrap_or_default(),
            id: m.id,
            body: m.body,
            created_at: m.created_at,
        })
        .collect())
}

/// Cases per (service, status key) among these services, of the cases staff
/// may see ([`super::cases::staff_visible`]).
pub async fn counts(db: &Db, service_ids: &[Uuid]) -> Result<Vec<(Uuid, String, i64)>, DbErr> {
    if service_ids.is_empty() {
        return Ok(Vec::new());
    }
    case::Entity::find()
        .select_only()
        .column(case::Column::ServiceId)
        .column(case::Column::StatusKey)
        .column_as(case::Column::Id.count(), "n")
        .filter(case::Column::ServiceId.is_in(service_ids.iter().copied()))
        .filter(super::cases::staff_visible())
        .group_by(case::Column::ServiceId)
        .group_by(case::Column::StatusKey)
        .into_tuple()
        .all(db)
        .await
}
