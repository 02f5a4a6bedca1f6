//! Staff sessions: a row per staff login, checked on every request, so that
//! logging out (or an admin ending it) stops its token at once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

/// Staff sessions: a row per staff login, checked on every request, so that
/// logging out (or an admin ending it) stops its token at once.
#[derive(DeriveMigrationName)]
pub struct M0013StaffSessions;

#[async_trait::async_trait]
impl MigrationTrait for M0013StaffSessions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("staff_sessions")
                .col(pk_uuid("id"))
                .col(uuid("staff_user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("ended_at"))
                .foreign_key(&mut fk("staff_sessions", "staff_user_id", "staff_users", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_staff_sessions_staff_user").table("staff_sessions").col("staff_user_id").take(),
        )
        .await
    }
}
