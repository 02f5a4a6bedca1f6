//! An anonymous applicant's private link can be ended by a handler; a
//! service words its own receipt heading ("Felanmälan är skickad").

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// An anonymous applicant's private link can be ended by a handler; a
/// service words its own receipt heading ("Felanmälan är skickad").
#[derive(DeriveMigrationName)]
pub struct M0016FollowLinksAndReceipts;

#[async_trait::async_trait]
impl MigrationTrait for M0016FollowLinksAndReceipts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table("cases").add_column(timestamp_with_time_zone_null("follow_link_revoked_at")).take(),
        )
        .await?;
        m.alter_table(Table::alter().table("services").add_column(string_len_null("receipt_heading", 120)).take()).await
    }
}
