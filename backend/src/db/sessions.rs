//! Applicant sessions: a row per login, so logging out ends every token of it.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;

use super::Db;
use super::entity::applicant_session;

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
