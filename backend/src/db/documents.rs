//! Case documents: the records of decisions and other documents staff attach
//! to a case (the bytes are in the documents store, under the document's
//! id), and every download of one, by staff or the applicant.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use shared::documents::{CaseDocument, DocumentKind};

use super::Db;
use super::entity::{case_document, document_download, staff_user};

/// A document to record, its bytes already stored.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// The id, also the key of the bytes in the store.
    pub id: Uuid,
    /// The case.
    pub case_id: Uuid,
    /// Decision or other document.
    pub kind: DocumentKind,
    /// The (cleaned) file name.
    pub name: String,
    /// The sniffed media type.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 (hex).
    pub sha256: String,
    /// The handler who attached it.
    pub created_by: Uuid,
}

/// Who downloaded a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Downloader {
    /// A staff member.
    Staff(Uuid),
    /// The case's applicant.
    Applicant,
}

/// One recorded download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadRecord {
    /// Who.
    pub by: Downloader,
    /// When.
    pub at: DateTime<Utc>,
}

fn kind_of(s: &str) -> Result<DocumentKind, DbErr> {
    DocumentKind::parse(s).ok_or_else(|| DbErr::Custom(format!("unknown document kind {s:?}")))
}

fn view(m: case_document::Model, created_by_name: Option<String>) -> Result<CaseDocument, DbErr> {
    Ok(CaseDocument {
        id: m.id,
        kind: kind_of(&m.kind)?,
        name: m.name,
        content_type: m.content_type,
        size: m.size.max(0) as u64,
        sha256: m.sha256,
        created_at: m.created_at,
        created_by_name,
    })
}

/// Records a stored document, with the applicant's mail about it and the
/// attaching handler's access-log entry, in one transaction; returns it as staff see it.
pub async fn create(db: &Db, d: &NewDocument, mails: super::outbox::Mails) -> Result<CaseDocument, DbErr> {
    let now = Utc::now();
    let txn = super::begin_write(db).await?;
    let m = case_document::ActiveModel {
        id: Set(d.id),
        case_id: Set(d.case_id),
        kind: Set(d.kind.as_str().to_string()),
        name: Set(d.name.clone()),
        content_type: Set(d.content_type.clone()),
        size: Set(i64::try_from(d.size).map_err(|e| DbErr::Custom(e.to_string()))?),
        sha256: Set(d.sha256.clone()),
        created_by: Set(d.created_by),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    super::outbox::insert(&txn, &mails.items, mails.service_id, d.case_id, &mails.payload, now).await?;
    super::access_log::record(&txn, d.case_id, d.created_by, shared::handling::AccessAction::AttachDocument).await?;
    txn.commit().await?;
    let name = staff_user::Entity::find_by_id(d.created_by).one(db).await?.map(|s| s.display_name);
    view(m, name)
}

/// The documents of a case, oldest first (at most 1,000). Staff views name
/// the handler who attached each; the applicant's do not.
pub async fn list(db: &Db, case_id: Uuid, with_names: bool) -> Result<Vec<CaseDocument>, DbErr> {
    let rows = case_document::Entity::find()
        .filter(case_document::Column::CaseId.eq(case_id))
        .order_by_asc(case_document::Column::Id)
        .limit(1000)
        .all(db)
        .await?;
    let names: std::collections::BTreeMap<Uuid, String> = if with_names && !rows.is_empty() {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.created_by).collect();
        staff_user::Entity::find()
            .filter(staff_user::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.display_name))
            .collect()
    } else {
        Default::default()
    };
    rows.into_iter()
        .map(|m| {
            let name = if with_names { names.get(&m.created_by).cloned() } else { None };
            view(m, name)
        })
        .collect()
}

/// A document of the given case (`None` for another case's document).
pub async fn find(db: &Db, case_id: Uuid, id: Uuid) -> Result<Option<CaseDocument>, DbErr> {
    match case_document::Entity::find_by_id(id).one(db).await? {
        Some(m) if m.case_id == case_id => Ok(Some(view(m, None)?)),
        _ => Ok(None),
    }
}

/// A file of a case that can be downloaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Downloaded {
    /// A decision or other document.
    Document(Uuid),
    /// A file sent with a message.
    MessageFile(Uuid),
    /// A file the applicant sent with the case (an upload it took).
    Upload(Uuid),
}

/// Records one download of a case's file: the one record every download
/// path writes, whoever downloads.
pub async fn record_download(db: &Db, what: Downloaded, by: Downloader) -> Result<(), DbErr> {
    use super::entity::{message_attachment_download, upload_download};
    let (kind, staff) = match by {
        Downloader::Staff(id) => ("staff", Some(id)),
        Downloader::Applicant => ("applicant", None),
    };
    let (id, downloaded_by, staff_user_id, at) = (Uuid::now_v7(), kind.to_string(), staff, Utc::now());
    match what {
        Downloaded::Document(document_id) => {
            document_download::ActiveModel {
                id: Set(id),
                document_id: Set(document_id),
                downloaded_by: Set(downloaded_by),
                staff_user_id: Set(staff_user_id),
                at: Set(at),
            }
            .insert(db)
            .await?;
        }
        Downloaded::MessageFile(attachment_id) => {
            message_attachment_download::ActiveModel {
                id: Set(id),
                attachment_id: Set(attachment_id),
                downloaded_by: Set(downloaded_by),
                staff_user_id: Set(staff_user_id),
                at: Set(at),
            }
            .insert(db)
            .await?;
        }
        Downloaded::Upload(upload_id) => {
            upload_download::ActiveModel {
                id: Set(id),
                upload_id: Set(upload_id),
                downloaded_by: Set(downloaded_by),
                staff_user_id: Set(staff_user_id),
                at: Set(at),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// The downloads of a document, oldest first (for audits and tests).
pub async fn downloads(db: &Db, document_id: Uuid) -> Result<Vec<DownloadRecord>, DbErr> {
    document_download::Entity::find()
        .filter(document_download::Column::DocumentId.eq(document_id))
        .order_by_asc(document_download::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let by = match (m.downloaded_by.as_str(), m.staff_user_id) {
                ("staff", Some(id)) => Downloader::Staff(id),
                ("applicant", None) => Downloader::Applicant,
                (other, _) => return Err(DbErr::Custom(format!("unknown downloader {other:?}"))),
            };
            Ok(DownloadRecord { by, at: m.at })
        })
        .collect()
}
