//! Case documents: the records of decisions and other documents staff attach
//! to a case (the bytes are in the documents store, under the document's
//! id). Their downloads are recorded by [`super::downloads`].

use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use shared::documents::{CaseDocument, DocumentKind};

use super::Db;
use super::entity::{case_document, staff_user};

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
