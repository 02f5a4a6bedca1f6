//! Supplement requests that were closed unanswered (the case left the status
//! that waits for them, or a newer request replaced them).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Supplement requests that were closed unanswered (the case left the status
/// that waits for them, or a newer request replaced them).
#[derive(DeriveMigrationName)]
pub struct M0008SupplementClosing;

#[async_trait::async_trait]
impl MigrationTrait for M0008SupplementClosing {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table("case_supplements").add_column(timestamp_with_time_zone_null("closed_at")).take(),
        )
        .await
    }
}
