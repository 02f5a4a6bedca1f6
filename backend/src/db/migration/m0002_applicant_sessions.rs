//! Applicant login sessions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Applicant login sessions.
#[derive(DeriveMigrationName)]
pub struct M0002ApplicantSessions;

#[async_trait::async_trait]
impl MigrationTrait for M0002ApplicantSessions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("applicant_sessions")
                .col(pk_uuid("id"))
                .col(string_len("personnummer", 12))
                .col(string_len("idp", 32))
                .col(string_len("loa", 128))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_renewed_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("ended_at"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_applicant_sessions_personnummer")
                .table("applicant_sessions")
                .col("personnummer")
                .take(),
        )
        .await
    }
}
