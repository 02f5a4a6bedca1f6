//! Sweeps: abandoned drafts, loose files no case took, and ended applicant sessions.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};

use super::*;
use crate::db::Db;
use crate::db::entity::{draft, upload};

/// Every UUID-shaped string in a JSON value (the upload ids a draft's file answers hold).
fn uuids_in(v: &serde_json::Value, out: &mut BTreeSet<Uuid>) {
    match v {
        serde_json::Value::String(s) => {
            if let Ok(u) = Uuid::parse_str(s) {
                out.insert(u);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| uuids_in(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| uuids_in(x, out)),
        _ => {}
    }
}

/// Upload ids referred to by any draft of this person.
async fn draft_uploads(c: &impl ConnectionTrait, personnummer: &str) -> Result<BTreeSet<Uuid>, DbErr> {
    let mut out = BTreeSet::new();
    for a in draft::Entity::find()
        .select_only()
        .column(draft::Column::Answers)
        .filter(draft::Column::Personnummer.eq(personnummer))
        .into_tuple::<serde_json::Value>()
        .all(c)
        .await?
    {
        uuids_in(&a, &mut out);
    }
    Ok(out)
}

/// Deletes up to `limit` drafts of a service not saved for its draft period,
/// each with the uploads only it referred to; the number deleted.
pub async fn purge_drafts(db: &Db, s: &ServiceRules, now: DateTime<Utc>, limit: u64) -> Result<u64, DbErr> {
    let before = cutoff(now, s.drafts);
    let due = draft::Entity::find()
        .select_only()
        .column(draft::Column::Id)
        .filter(draft::Column::ServiceId.eq(s.id))
        .filter(draft::Column::UpdatedAt.lt(before))
        .order_by_asc(draft::Column::UpdatedAt)
        .limit(limit)
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    let mut deleted = 0;
    for id in due {
        let txn = crate::db::begin_write(db).await?;
        let Some(d) = draft::Entity::find_by_id(id).one(&txn).await? else {
            txn.rollback().await?;
            continue;
        };
        // Deleted only if still not saved since (a save or a submission meanwhile keeps or took it).
        let gone = draft::Entity::delete_many()
            .filter(draft::Column::Id.eq(id))
            .filter(draft::Column::UpdatedAt.lt(before))
            .exec(&txn)
            .await?;
        if gone.rows_affected != 1 {
            txn.rollback().await?;
            continue;
        }
        let mut mine = BTreeSet::new();
        uuids_in(&d.answers, &mut mine);
        let still_used = draft_uploads(&txn, &d.personnummer).await?;
        let mut files = BTreeSet::new();
        for upload_id in mine.difference(&still_used) {
            // Only the owner's upload that no case took meanwhile, and only what was deleted is queued.
            let res = upload::Entity::delete_many()
                .filter(upload::Column::Id.eq(*upload_id))
                .filter(upload::Column::Personnummer.eq(d.personnummer.clone()))
                .filter(upload::Column::CaseId.is_null())
                .exec(&txn)
                .await?;
            if res.rows_affected == 1 {
                files.insert(("uploads", upload_id.to_string()));
            }
        }
        queue_files(&txn, &files, Utc::now()).await?;
        txn.commit().await?;
        deleted += 1;
    }
    Ok(deleted)
}

/// Where the next page of loose uploads starts.
pub type UploadCursor = (DateTime<Utc>, Uuid);

/// Deletes loose files older than `hours` among up to `limit` candidates
/// after `after`: uploads no case took and no draft refers to, then
/// handlers' message files never sent. The number deleted, and where the
/// next page starts (`None`: done).
pub async fn purge_loose_files(
    db: &Db,
    now: DateTime<Utc>,
    hours: u32,
    after: Option<UploadCursor>,
    limit: u64,
) -> Result<(u64, Option<UploadCursor>), DbErr> {
    let before = now - chrono::Duration::hours(i64::from(hours));
    let mut q =
        upload::Entity::find().filter(upload::Column::CaseId.is_null()).filter(upload::Column::CreatedAt.lt(before));
    if let Some((at, id)) = after {
        q = q.filter(
            sea_orm::Condition::any()
                .add(upload::Column::CreatedAt.gt(at))
                .add(sea_orm::Condition::all().add(upload::Column::CreatedAt.eq(at)).add(upload::Column::Id.gt(id))),
        );
    }
    let candidates =
        q.order_by_asc(upload::Column::CreatedAt).order_by_asc(upload::Column::Id).limit(limit).all(db).await?;
    let next = if candidates.len() as u64 == limit { candidates.last().map(|u| (u.created_at, u.id)) } else { None };
    let mut referenced: BTreeMap<String, BTreeSet<Uuid>> = BTreeMap::new();
    let mut deleted = 0;
    for u in candidates {
        if let Some(p) = &u.personnummer {
            if !referenced.contains_key(p) {
                referenced.insert(p.clone(), draft_uploads(db, p).await?);
            }
            if referenced.get(p).is_some_and(|ids| ids.contains(&u.id)) {
                continue;
            }
        }
        let txn = crate::db::begin_write(db).await?;
        let gone = upload::Entity::delete_many()
            .filter(upload::Column::Id.eq(u.id))
            .filter(upload::Column::CaseId.is_null())
            .exec(&txn)
            .await?;
        if gone.rows_affected == 1 {
            queue_files(&txn, &BTreeSet::from([("uploads", u.id.to_string())]), Utc::now()).await?;
            deleted += 1;
        }
        txn.commit().await?;
    }
    if next.is_some() {
        return Ok((deleted, next));
    }
    loop {
        let unsent = crate::db::entity::message_attachment::Entity::find()
            .select_only()
            .column(crate::db::entity::message_attachment::Column::Id)
            .filter(crate::db::entity::message_attachment::Column::MessageId.is_null())
            .filter(crate::db::entity::message_attachment::Column::Store.eq("documents"))
            .filter(crate::db::entity::message_attachment::Column::CreatedAt.lt(before))
            .limit(limit)
            .into_tuple::<Uuid>()
            .all(db)
            .await?;
        let mut progress = 0;
        for id in &unsent {
            let txn = crate::db::begin_write(db).await?;
            let gone =
                exec(&txn, "DELETE FROM message_attachments WHERE id = ? AND message_id IS NULL", vec![(*id).into()])
                    .await?;
            if gone == 1 {
                queue_files(&txn, &BTreeSet::from([("documents", id.to_string())]), Utc::now()).await?;
                progress += 1;
            }
            txn.commit().await?;
        }
        deleted += progress;
        // A short page, or one whose files were all sent meanwhile: done.
        if (unsent.len() as u64) < limit || progress == 0 {
            return Ok((deleted, None));
        }
    }
}

/// Deletes up to `limit` applicant sessions that ended or expired more than
/// `days` days ago; the number.
pub async fn purge_sessions(db: &Db, now: DateTime<Utc>, days: u32, limit: u64) -> Result<u64, DbErr> {
    let before = now - chrono::Duration::days(i64::from(days));
    exec(
        db,
        "DELETE FROM applicant_sessions WHERE id IN \
         (SELECT id FROM applicant_sessions WHERE expires_at < ? OR ended_at < ? LIMIT ?)",
        vec![before.into(), before.into(), i64::try_from(limit).unwrap_or(i64::MAX).into()],
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_ids_are_found_anywhere_in_a_drafts_answers() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let answers = serde_json::json!({"namn": "Tolvan", "bilagor": [{"id": a.to_string(), "name": "x.pdf"}], "x": {"y": [b.to_string()]}});
        let mut out = BTreeSet::new();
        uuids_in(&answers, &mut out);
        assert_eq!(out, BTreeSet::from([a, b]));
    }
}
