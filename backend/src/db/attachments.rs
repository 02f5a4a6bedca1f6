//! Message attachments: the files sent with messages. An applicant's file is
//! one of their uploads (its bytes stay in the uploads store, the case takes
//! it when the message is sent); a handler's file is stored in the documents
//! store when uploaded and waits, unsent, until a message of the same case
//! takes it. Every download is recorded.

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use shared::handling::MessageAttachment;

use super::Db;
use super::entity::message_attachment;

/// Where an attachment's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// The uploads store: an applicant's upload, under its id.
    Uploads,
    /// The documents store: a handler's file, under its id.
    Documents,
}

impl Store {
    fn as_str(self) -> &'static str {
        match self {
            Store::Uploads => "uploads",
            Store::Documents => "documents",
        }
    }
}

/// A file to record as an attachment, its bytes already stored.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    /// The id, also the key of the bytes in their store.
    pub id: Uuid,
    /// The case.
    pub case_id: Uuid,
    /// The store.
    pub store: Store,
    /// The file name.
    pub name: String,
    /// The sniffed media type.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 (hex).
    pub sha256: String,
    /// The handler who uploaded it (handlers' files).
    pub staff_id: Option<Uuid>,
}

/// A recorded attachment.
#[derive(Debug, Clone)]
pub struct AttachmentRecord {
    /// The file as the API shows it.
    pub file: MessageAttachment,
    /// Where its bytes are.
    pub store: Store,
    /// The message that sent it; none while a handler's file waits.
    pub message_id: Option<Uuid>,
}

fn record(m: message_attachment::Model) -> Result<AttachmentRecord, DbErr> {
    let store = match m.store.as_str() {
        "uploads" => Store::Uploads,
        "documents" => Store::Documents,
        other => return Err(DbErr::Custom(format!("unknown attachment store {other:?}"))),
    };
    Ok(AttachmentRecord {
        file: MessageAttachment { id: m.id, name: m.name, content_type: m.content_type, size: m.size.max(0) as u64 },
        store,
        message_id: m.message_id,
    })
}

/// Records an attachment (a handler's unsent file, or, inside the message's
/// transaction, an applicant's upload with the message that sends it).
pub(super) async fn insert(
    db: &impl ConnectionTrait,
    a: &NewAttachment,
    message_id: Option<Uuid>,
) -> Result<MessageAttachment, DbErr> {
    let m = message_attachment::ActiveModel {
        id: Set(a.id),
        case_id: Set(a.case_id),
        message_id: Set(message_id),
        store: Set(a.store.as_str().to_string()),
        name: Set(a.name.clone()),
        content_type: Set(a.content_type.clone()),
        size: Set(i64::try_from(a.size).map_err(|e| DbErr::Custom(e.to_string()))?),
        sha256: Set(a.sha256.clone()),
        staff_user_id: Set(a.staff_id),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(record(m)?.file)
}

/// Records a handler's file that waits to be sent with a message.
pub async fn create_unsent(db: &Db, a: &NewAttachment) -> Result<MessageAttachment, DbErr> {
    insert(db, a, None).await
}

/// Gives a handler's unsent files of a case to a message, inside its
/// transaction; false when one is gone, of another case, or already sent.
pub(super) async fn send_with(
    txn: &impl ConnectionTrait,
    ids: &[Uuid],
    case_id: Uuid,
    message_id: Uuid,
) -> Result<bool, DbErr> {
    if ids.is_empty() {
        return Ok(true);
    }
    let res = message_attachment::Entity::update_many()
        .col_expr(message_attachment::Column::MessageId, Expr::value(message_id))
        .filter(message_attachment::Column::Id.is_in(ids.iter().copied()))
        .filter(message_attachment::Column::CaseId.eq(case_id))
        .filter(message_attachment::Column::Store.eq(Store::Documents.as_str()))
        .filter(message_attachment::Column::MessageId.is_null())
        .exec(txn)
        .await?;
    Ok(res.rows_affected == ids.len() as u64)
}

/// An attachment of the given case (`None` for another case's).
pub async fn find(db: &Db, case_id: Uuid, id: Uuid) -> Result<Option<AttachmentRecord>, DbErr> {
    match message_attachment::Entity::find_by_id(id).one(db).await? {
        Some(m) if m.case_id == case_id => Ok(Some(record(m)?)),
        _ => Ok(None),
    }
}

/// The sent attachments of a case's messages, by message, oldest first.
pub async fn of_messages(db: &Db, case_id: Uuid) -> Result<BTreeMap<Uuid, Vec<MessageAttachment>>, DbErr> {
    let rows = message_attachment::Entity::find()
        .filter(message_attachment::Column::CaseId.eq(case_id))
        .filter(message_attachment::Column::MessageId.is_not_null())
        .order_by_asc(message_attachment::Column::Id)
        .limit(10_000)
        .all(db)
        .await?;
    let mut out: BTreeMap<Uuid, Vec<MessageAttachment>> = BTreeMap::new();
    for m in rows {
        let r = record(m)?;
        if let Some(message) = r.message_id {
            out.entry(message).or_default().push(r.file);
        }
    }
    Ok(out)
}
