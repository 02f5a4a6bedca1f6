//! Uploaded files: who owns each, its stored name, type, size and SHA-256,
//! and the case that took it (none until a submission does, within 24 hours,
//! or it is garbage). The bytes are on disk, named by the upload's id.

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, Condition};

use super::Db;
use super::entity::upload;

/// Who may use an upload: a logged-in applicant (by personnummer) and/or the
/// holder of an anonymous owner token (by its SHA-256).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadOwner {
    /// The applicant's personnummer (12 digits).
    pub personnummer: Option<String>,
    /// SHA-256 (hex) of the anonymous owner token.
    pub token_hash: Option<String>,
}

impl UploadOwner {
    /// True when this owner owns the upload.
    pub fn owns(&self, u: &UploadRecord) -> bool {
        let by_pnr = self.personnummer.is_some() && self.personnummer == u.personnummer;
        let by_token = self.token_hash.is_some() && self.token_hash == u.owner_token_hash;
        by_pnr || by_token
    }

    fn condition(&self) -> Condition {
        let mut any = Condition::any();
        if let Some(p) = &self.personnummer {
            any = any.add(upload::Column::Personnummer.eq(p.as_str()));
        }
        if let Some(h) = &self.token_hash {
            any = any.add(upload::Column::OwnerTokenHash.eq(h.as_str()));
        }
        any
    }

    /// True when nobody is named (then nothing is owned).
    pub fn is_nobody(&self) -> bool {
        self.personnummer.is_none() && self.token_hash.is_none()
    }
}

/// A stored upload.
#[derive(Debug, Clone)]
pub struct UploadRecord {
    /// The upload's id; also the file's name on disk.
    pub id: Uuid,
    /// The owning applicant, if uploaded logged in.
    pub personnummer: Option<String>,
    /// SHA-256 of the owner token, if uploaded anonymously.
    pub owner_token_hash: Option<String>,
    /// The file name the applicant gave.
    pub name: String,
    /// The media type the applicant gave.
    pub content_type: String,
    /// Size in bytes, as received.
    pub size: u64,
    /// SHA-256 (hex) of the bytes.
    pub sha256: String,
    /// The case that took the file.
    pub case_id: Option<Uuid>,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
}

fn record(m: upload::Model) -> UploadRecord {
    UploadRecord {
        id: m.id,
        personnummer: m.personnummer,
        owner_token_hash: m.owner_token_hash,
        name: m.name,
        content_type: m.content_type,
        size: m.size.max(0) as u64,
        sha256: m.sha256,
        case_id: m.case_id,
        created_at: m.created_at,
    }
}

/// Records a received file (not yet attached to a case).
pub async fn create(db: &Db, u: &UploadRecord) -> Result<(), DbErr> {
    upload::ActiveModel {
        id: Set(u.id),
        personnummer: Set(u.personnummer.clone()),
        owner_token_hash: Set(u.owner_token_hash.clone()),
        name: Set(u.name.clone()),
        content_type: Set(u.content_type.clone()),
        size: Set(i64::try_from(u.size).map_err(|e| DbErr::Custom(e.to_string()))?),
        sha256: Set(u.sha256.clone()),
        case_id: Set(None),
        created_at: Set(u.created_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// An upload by id.
pub async fn find(db: &Db, id: Uuid) -> Result<Option<UploadRecord>, DbErr> {
    Ok(upload::Entity::find_by_id(id).one(db).await?.map(record))
}

/// Gives an unattached upload of `owner` to a case, inside the submission's
/// transaction; false when it is gone, someone else's, or taken meanwhile.
pub(super) async fn attach(
    txn: &impl ConnectionTrait,
    id: Uuid,
    case_id: Uuid,
    owner: &UploadOwner,
) -> Result<bool, DbErr> {
    if owner.is_nobody() {
        return Ok(false);
    }
    let res = upload::Entity::update_many()
        .col_expr(upload::Column::CaseId, Expr::value(case_id))
        .filter(upload::Column::Id.eq(id))
        .filter(upload::Column::CaseId.is_null())
        .filter(owner.condition())
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}
