//! The claim an outbox item's lease belongs to: a worker records an outcome
//! only while its claim is the item's latest.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// The claim an outbox item's lease belongs to: a worker records an outcome
/// only while its claim is the item's latest.
#[derive(DeriveMigrationName)]
pub struct M0009OutboxClaimToken;

#[async_trait::async_trait]
impl MigrationTrait for M0009OutboxClaimToken {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("outbox").add_column(uuid_null("claim_token")).take()).await
    }
}
