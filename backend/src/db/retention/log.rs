//! The purge log: the records of purged cases per service, and the staff's
//! pseudonymised access-log entries of purged cases.

use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use shared::api::{PurgeRecordView, PurgeRule};

use super::*;
use crate::db::entity::purge_record;
use crate::db::{Db, stmt};

fn record_view(m: purge_record::Model, slug: &str) -> Result<PurgeRecordView, DbErr> {
    Ok(PurgeRecordView {
        id: m.id,
        reference: m.reference,
        service: slug.to_string(),
        rule: if m.rule == "awaiting_signatures" { PurgeRule::AwaitingSignatures } else { PurgeRule::Closed },
        days: u32::try_from(m.days).unwrap_or(0),
        submitted_on: m.submitted_on,
        closed_on: m.closed_on,
        purged_at: m.purged_at,
        removed: crate::db::stored(m.counts, "purge counts", m.id)?,
        access_log: m.access_log,
    })
}

/// A page of a service's purge log, newest first, before the record `before`.
pub async fn purge_log(
    db: &Db,
    s: &ServiceRules,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<PurgeRecordView>, DbErr> {
    let mut q = purge_record::Entity::find().filter(purge_record::Column::ServiceId.eq(s.id));
    if let Some(b) = before {
        q = q.filter(purge_record::Column::Id.lt(b));
    }
    q.order_by_desc(purge_record::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| record_view(m, &s.slug))
        .collect()
}

/// A staff member's access-log entries of purged cases, newest first (the case
/// is gone; the reference is its purge record's).
pub async fn purged_access_of_staff(
    db: &Db,
    staff_id: Uuid,
    limit: u64,
) -> Result<Vec<shared::handling::AccessLogEntry>, DbErr> {
    let rows = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT p.reference AS reference, l.action AS action, l.at AS at, s.username AS username \
             FROM purged_access_log l JOIN purge_records p ON p.id = l.purge_record_id \
             JOIN staff_users s ON s.id = l.staff_user_id \
             WHERE l.staff_user_id = ? ORDER BY l.id DESC LIMIT ?",
            vec![staff_id.into(), i64::try_from(limit).unwrap_or(i64::MAX).into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(shared::handling::AccessLogEntry {
                reference: r.try_get("", "reference")?,
                staff_id,
                staff_username: r.try_get("", "username")?,
                action: crate::db::access_log::action_of(&r.try_get::<String>("", "action")?)?,
                at: r.try_get("", "at")?,
                purged: true,
            })
        })
        .collect()
}
