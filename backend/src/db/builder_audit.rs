//! The service builder's log: who did what to which service, and when. Written in the
//! transaction of the change it records, so a change is never without its entry; kept by URL
//! name, so a deleted service's entries stay.

use chrono::Utc;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use shared::api::{BuilderAction, BuilderAuditEntry};

use super::Db;
use super::entity::builder_audit;

/// What one builder action was: by whom, on which version, with what detail.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The username of who did it.
    pub by: &'a str,
    /// What was done.
    pub action: BuilderAction,
    /// The form version acted on, if one was.
    pub version: Option<u32>,
    /// The note, the service copied from, the account given or losing a permission.
    pub detail: Option<&'a str>,
}

impl<'a> Entry<'a> {
    /// An action on the service as a whole, without detail.
    pub fn new(by: &'a str, action: BuilderAction) -> Self {
        Entry { by, action, version: None, detail: None }
    }

    /// The same, on a form version.
    pub fn on_version(self, version: u32) -> Self {
        Entry { version: Some(version), ..self }
    }

    /// The same, with a detail.
    pub fn with_detail(self, detail: &'a str) -> Self {
        Entry { detail: Some(detail), ..self }
    }
}

/// Records an action on the service `slug`, in the caller's transaction.
pub async fn record(conn: &impl ConnectionTrait, slug: &str, e: Entry<'_>) -> Result<(), DbErr> {
    builder_audit::ActiveModel {
        id: Set(Uuid::now_v7()),
        service_slug: Set(slug.to_owned()),
        staff_username: Set(e.by.to_owned()),
        action: Set(e.action.as_str().to_owned()),
        version: Set(e.version.map(|v| v as i32)),
        detail: Set(e.detail.map(str::to_owned)),
        at: Set(Utc::now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// A service's entries, newest first: at most `limit`, those older than the entry `before`.
pub async fn list(db: &Db, slug: &str, limit: u64, before: Option<Uuid>) -> Result<Vec<BuilderAuditEntry>, DbErr> {
    let mut q = builder_audit::Entity::find().filter(builder_audit::Column::ServiceSlug.eq(slug));
    if let Some(before) = before {
        q = q.filter(builder_audit::Column::Id.lt(before));
    }
    q.order_by_desc(builder_audit::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(BuilderAuditEntry {
                action: BuilderAction::parse(&m.action)
                    .ok_or_else(|| DbErr::Custom(format!("stored builder action: {}", m.action)))?,
                id: m.id,
                service: m.service_slug,
                staff_username: m.staff_username,
                version: m.version.map(|v| v.max(0) as u32),
                detail: m.detail,
                at: m.at,
            })
        })
        .collect()
}
