//! The record of every download of a case's files — documents, files sent
//! with messages, and the files the applicant sent with the case — by staff
//! or the applicant: one module for the three tables.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::QueryOrder;
use sea_orm::prelude::*;

use super::Db;
use super::entity::{document_download, message_attachment_download, upload_download};

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

/// Who downloaded a file.
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

/// Records one download of a case's file: the one record every download
/// path writes, whoever downloads.
pub async fn record(db: &Db, what: Downloaded, by: Downloader) -> Result<(), DbErr> {
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

fn downloader(by: &str, staff: Option<Uuid>) -> Result<Downloader, DbErr> {
    match (by, staff) {
        ("staff", Some(id)) => Ok(Downloader::Staff(id)),
        ("applicant", None) => Ok(Downloader::Applicant),
        (other, _) => Err(DbErr::Custom(format!("unknown downloader {other:?}"))),
    }
}

/// The downloads of one file, oldest first (for audits and tests).
pub async fn of(db: &Db, what: Downloaded) -> Result<Vec<DownloadRecord>, DbErr> {
    let rows: Vec<(String, Option<Uuid>, DateTime<Utc>)> = match what {
        Downloaded::Document(id) => document_download::Entity::find()
            .filter(document_download::Column::DocumentId.eq(id))
            .order_by_asc(document_download::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.downloaded_by, m.staff_user_id, m.at))
            .collect(),
        Downloaded::MessageFile(id) => message_attachment_download::Entity::find()
            .filter(message_attachment_download::Column::AttachmentId.eq(id))
            .order_by_asc(message_attachment_download::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.downloaded_by, m.staff_user_id, m.at))
            .collect(),
        Downloaded::Upload(id) => upload_download::Entity::find()
            .filter(upload_download::Column::UploadId.eq(id))
            .order_by_asc(upload_download::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.downloaded_by, m.staff_user_id, m.at))
            .collect(),
    };
    rows.into_iter().map(|(by, staff, at)| Ok(DownloadRecord { by: downloader(&by, staff)?, at })).collect()
}
