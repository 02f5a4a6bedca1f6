//! Applicants' drafts: answers saved as the applicant goes, resumed on any
//! device. Drafts are not public records: every query here is scoped to the
//! owner's personnummer, and no staff query reads this table.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use shared::api::{DraftSummary, DraftView, ReanswerField};
use shared::{Answers, FormDefinition};

use super::Db;
use super::entity::draft;
use super::services::ServiceRef;

/// A stored draft.
#[derive(Debug, Clone)]
pub struct DraftRecord {
    /// The draft's id.
    pub id: Uuid,
    /// The service's id.
    pub service_id: Uuid,
    /// The row id of the form version the answers belong to.
    pub form_version_id: Uuid,
    /// That version's number.
    pub form_version: u32,
    /// The answers, as given.
    pub answers: Answers,
    /// The page to resume on.
    pub current_page: Option<String>,
    /// Fields to answer again since the last move to a new version (until the next save).
    pub reanswer: Vec<ReanswerField>,
    /// When the applicant last saved.
    pub updated_at: DateTime<Utc>,
}

impl DraftRecord {
    /// The API view of the draft.
    pub fn view(self, service: &ServiceRef) -> DraftView {
        DraftView {
            id: self.id,
            service: service.slug.clone(),
            service_name: service.name.clone(),
            form_version: self.form_version,
            answers: self.answers,
            current_page: self.current_page,
            updated_at: self.updated_at,
            reanswer: self.reanswer,
        }
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<Json, DbErr> {
    serde_json::to_value(v).map_err(|e| DbErr::Custom(e.to_string()))
}

fn record(m: draft::Model) -> Result<DraftRecord, DbErr> {
    Ok(DraftRecord {
        id: m.id,
        service_id: m.service_id,
        form_version_id: m.form_version_id,
        form_version: m.form_version.max(0) as u32,
        answers: super::stored(m.answers, "draft answers", m.id)?,
        current_page: m.current_page,
        reanswer: super::stored(m.reanswer, "draft's fields to answer again", m.id)?,
        updated_at: m.updated_at,
    })
}

/// A draft to store.
#[derive(Debug, Clone)]
pub struct NewDraft {
    /// The service.
    pub service_id: Uuid,
    /// The row id of the form version.
    pub form_version_id: Uuid,
    /// The version number.
    pub form_version: u32,
    /// The owner (12 digits).
    pub personnummer: String,
    /// The answers so far.
    pub answers: Answers,
}

/// Stores a new draft.
pub async fn create(db: &Db, n: NewDraft) -> Result<DraftRecord, DbErr> {
    let now = Utc::now();
    let m = draft::ActiveModel {
        id: Set(Uuid::now_v7()),
        service_id: Set(n.service_id),
        form_version_id: Set(n.form_version_id),
        form_version: Set(n.form_version as i32),
        personnummer: Set(n.personnummer),
        answers: Set(json(&n.answers)?),
        current_page: Set(None),
        reanswer: Set(json(&Vec::<ReanswerField>::new())?),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    record(m)
}

fn owned(id: Uuid, personnummer: &str) -> sea_orm::Select<draft::Entity> {
    draft::Entity::find().filter(draft::Column::Id.eq(id)).filter(draft::Column::Personnummer.eq(personnummer))
}

/// The owner's draft; `None` when there is none with that id, or it is someone else's.
pub async fn find(db: &Db, id: Uuid, personnummer: &str) -> Result<Option<DraftRecord>, DbErr> {
    owned(id, personnummer).one(db).await?.map(record).transpose()
}

/// The owner's drafts, last saved first.
pub async fn list(db: &Db, personnummer: &str) -> Result<Vec<DraftSummary>, DbErr> {
    let rows = draft::Entity::find()
        .filter(draft::Column::Personnummer.eq(personnummer))
        .order_by_desc(draft::Column::UpdatedAt)
        .order_by_desc(draft::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let mut services: BTreeMap<Uuid, Option<ServiceRef>> = BTreeMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        if let std::collections::btree_map::Entry::Vacant(e) = services.entry(m.service_id) {
            e.insert(super::services::get_ref_by_id(db, m.service_id).await?);
        }
        if let Some(Some(s)) = services.get(&m.service_id) {
            out.push(DraftSummary {
                id: m.id,
                service: s.slug.clone(),
                service_name: s.name.clone(),
                updated_at: m.updated_at,
            });
        }
    }
    Ok(out)
}

/// What happened to a save.
#[derive(Debug)]
pub enum SaveOutcome {
    /// Saved.
    Saved(DraftRecord),
    /// No such draft of the owner's.
    NotFound,
    /// The draft is on another form version than the answers were given for.
    VersionChanged(u32),
}

/// Replaces the answers and page of a draft, if it is still on `form_version`.
/// A save clears the list of fields to answer again.
pub async fn save(
    db: &Db,
    id: Uuid,
    personnummer: &str,
    form_version: u32,
    answers: &Answers,
    current_page: Option<String>,
) -> Result<SaveOutcome, DbErr> {
    let res = draft::Entity::update_many()
        .col_expr(draft::Column::Answers, Expr::value(json(answers)?))
        .col_expr(draft::Column::CurrentPage, Expr::value(current_page))
        .col_expr(draft::Column::Reanswer, Expr::value(json(&Vec::<ReanswerField>::new())?))
        .col_expr(draft::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(draft::Column::Id.eq(id))
        .filter(draft::Column::Personnummer.eq(personnummer))
        .filter(draft::Column::FormVersion.eq(form_version as i32))
        .exec(db)
        .await?;
    match find(db, id, personnummer).await? {
        None => Ok(SaveOutcome::NotFound),
        Some(r) if res.rows_affected == 0 => Ok(SaveOutcome::VersionChanged(r.form_version)),
        Some(r) => Ok(SaveOutcome::Saved(r)),
    }
}

/// The result of moving answers to a new form version: the answers kept and the fields to answer again.
pub type Moved = (Answers, Vec<ReanswerField>);

/// Moves a draft to the form version `current` of its service when it is on
/// an older one, with `carry(old form, new form, answers, fields still to
/// answer again)` deciding the new answers and notice. Runs in one write
/// transaction with the draft locked, so a save in between is never lost.
/// `None` when the draft is gone.
pub async fn move_to_version(
    db: &Db,
    id: Uuid,
    personnummer: &str,
    current: u32,
    carry: impl FnOnce(&FormDefinition, &FormDefinition, &Answers, &[ReanswerField]) -> Moved,
) -> Result<Option<DraftRecord>, DbErr> {
    let txn = super::begin_write(db).await?;
    let Some(m) = owned(id, personnummer).lock_exclusive().one(&txn).await? else {
        txn.rollback().await?;
        return Ok(None);
    };
    let r = record(m.clone())?;
    if r.form_version == current {
        txn.rollback().await?;
        return Ok(Some(r));
    }
    let old = super::services::published_form(&txn, r.service_id, r.form_version).await?;
    let Some((new_id, new)) = super::services::published_form(&txn, r.service_id, current).await? else {
        txn.rollback().await?;
        return Ok(Some(r));
    };
    let old = old.map(|(_, d)| d).unwrap_or_default();
    let (answers, reanswer) = carry(&old, &new, &r.answers, &r.reanswer);
    let mut am: draft::ActiveModel = m.into();
    am.form_version_id = Set(new_id);
    am.form_version = Set(current as i32);
    am.answers = Set(json(&answers)?);
    am.reanswer = Set(json(&reanswer)?);
    // Not a save by the applicant: `updated_at` stays.
    let m = am.update(&txn).await?;
    txn.commit().await?;
    record(m).map(Some)
}

/// Deletes the owner's draft (also inside a submission's transaction); false when there was none.
pub async fn delete(db: &impl ConnectionTrait, id: Uuid, personnummer: &str) -> Result<bool, DbErr> {
    let res = draft::Entity::delete_many()
        .filter(draft::Column::Id.eq(id))
        .filter(draft::Column::Personnummer.eq(personnummer))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}
