//! Sessions: a row per login (applicants' and staff's), so logging out ends every token of it.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;

use super::Db;
use super::entity::{applicant_session, staff_session};

/// A session as the auth layer needs it.
#[derive(Debug, Clone)]
pub struct Session {
    /// Id (the token's `sid`).
    pub id: Uuid,
    /// Personnummer, 12 digits.
    pub personnummer: String,
    /// Identity provider.
    pub idp: String,
    /// Level of assurance.
    pub loa: String,
    /// Hard end of the session.
    pub expires_at: DateTime<Utc>,
    /// Set when the applicant logged out.
    pub ended_at: Option<DateTime<Utc>>,
}

/// Starts a session.
pub async fn create(
    db: &Db,
    personnummer: &str,
    idp: &str,
    loa: &str,
    expires_at: DateTime<Utc>,
) -> Result<Session, DbErr> {
    let now = Utc::now();
    let m = applicant_session::ActiveModel {
        id: Set(Uuid::now_v7()),
        personnummer: Set(personnummer.to_string()),
        idp: Set(idp.to_string()),
        loa: Set(loa.to_string()),
        created_at: Set(now),
        last_renewed_at: Set(now),
        expires_at: Set(expires_at),
        ended_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(session(m))
}

fn session(m: applicant_session::Model) -> Session {
    Session {
        id: m.id,
        personnummer: m.personnummer,
        idp: m.idp,
        loa: m.loa,
        expires_at: m.expires_at,
        ended_at: m.ended_at,
    }
}

/// A session by id.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<Session>, DbErr> {
    Ok(applicant_session::Entity::find_by_id(id).one(db).await?.map(session))
}

/// Records a renewal.
pub async fn touch(db: &Db, id: Uuid) -> Result<(), DbErr> {
    applicant_session::Entity::update_many()
        .col_expr(applicant_session::Column::LastRenewedAt, Expr::value(Utc::now()))
        .filter(applicant_session::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends a session (idempotent).
pub async fn end(db: &Db, id: Uuid) -> Result<(), DbErr> {
    applicant_session::Entity::update_many()
        .col_expr(applicant_session::Column::EndedAt, Expr::value(Some(Utc::now())))
        .filter(applicant_session::Column::Id.eq(id))
        .filter(applicant_session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Starts a staff session; its id.
pub async fn create_staff(db: &Db, staff_user_id: Uuid, expires_at: DateTime<Utc>) -> Result<Uuid, DbErr> {
    let id = Uuid::now_v7();
    staff_session::ActiveModel {
        id: Set(id),
        staff_user_id: Set(staff_user_id),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        ended_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Whether the staff session is live (not ended, not expired) and the account's.
pub async fn staff_live(db: &Db, id: Uuid, staff_user_id: Uuid) -> Result<bool, DbErr> {
    Ok(staff_session::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some_and(|s| s.staff_user_id == staff_user_id && s.ended_at.is_none() && s.expires_at > Utc::now()))
}

/// Ends a staff session (idempotent).
pub async fn end_staff(db: &Db, id: Uuid) -> Result<(), DbErr> {
    staff_session::Entity::update_many()
        .col_expr(staff_session::Column::EndedAt, Expr::value(Some(Utc::now())))
        .filter(staff_session::Column::Id.eq(id))
        .filter(staff_session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
