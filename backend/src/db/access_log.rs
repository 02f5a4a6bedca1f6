//! The case access log: every staff read or change of a case, recorded by
//! [`record`] with an [`AccessAction`], and listed per case or per staff
//! member. Entries of purged cases live on in `purged_access_log`
//! ([`super::retention::purged_access_of_staff`]).

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use shared::handling::{AccessAction, AccessLogEntry};

use super::Db;
use super::entity::{case, case_access, staff_user};

/// Records that a staff member read or changed a case; a change records it in
/// the transaction that makes the change.
pub async fn record(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    staff_id: Uuid,
    action: AccessAction,
) -> Result<(), DbErr> {
    case_access::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        staff_user_id: Set(staff_id),
        action: Set(action.as_str().to_string()),
        at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The action of a stored entry: an unknown name is an error, never a guess.
pub(super) fn action_of(name: &str) -> Result<AccessAction, DbErr> {
    AccessAction::parse(name).ok_or_else(|| DbErr::Custom(format!("unknown access-log action {name:?}")))
}

/// How many times staff read or changed a case (for tests and audits).
pub async fn count(db: &Db, case_id: Uuid) -> Result<u64, DbErr> {
    case_access::Entity::find().filter(case_access::Column::CaseId.eq(case_id)).count(db).await
}

/// Whose access the listing is of.
pub enum AccessOf {
    /// One case.
    Case(Uuid),
    /// One staff member.
    Staff(Uuid),
}

/// Access-log entries, newest first, before the cursor (an entry id).
pub async fn entries(
    db: &Db,
    of: AccessOf,
    before: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<AccessLogEntry>, Option<Uuid>), DbErr> {
    let mut q = case_access::Entity::find();
    q = match of {
        AccessOf::Case(id) => q.filter(case_access::Column::CaseId.eq(id)),
        AccessOf::Staff(id) => q.filter(case_access::Column::StaffUserId.eq(id)),
    };
    if let Some(b) = before {
        q = q.filter(case_access::Column::Id.lt(b));
    }
    let mut rows = q.order_by_desc(case_access::Column::Id).limit(limit + 1).all(db).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let case_ids: Vec<Uuid> = rows.iter().map(|r| r.case_id).collect();
    let references: BTreeMap<Uuid, String> = if case_ids.is_empty() {
        BTreeMap::new()
    } else {
        case::Entity::find()
            .filter(case::Column::Id.is_in(case_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.reference))
            .collect()
    };
    let staff: BTreeMap<Uuid, String> = {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.staff_user_id).collect();
        if ids.is_empty() {
            BTreeMap::new()
        } else {
            staff_user::Entity::find()
                .filter(staff_user::Column::Id.is_in(ids))
                .all(db)
                .await?
                .into_iter()
                .map(|m| (m.id, m.username))
                .collect()
        }
    };
    let entries = rows
        .into_iter()
        .map(|r| {
            Ok(AccessLogEntry {
                reference: references.get(&r.case_id).cloned().unwrap_or_default(),
                staff_username: staff.get(&r.staff_user_id).cloned().unwrap_or_default(),
                staff_id: r.staff_user_id,
                action: action_of(&r.action)?,
                at: r.at,
                purged: false,
            })
        })
        .collect::<Result<_, DbErr>>()?;
    Ok((entries, next))
}
