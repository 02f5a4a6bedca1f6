//! The readiness check's scratch table (`db::write_probe`): a row is written
//! and deleted in one transaction, so that `/ready` fails when the database
//! cannot take writes. It never holds a row after the check.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// The readiness check's scratch table (`db::write_probe`): a row is written
/// and deleted in one transaction, so that `/ready` fails when the database
/// cannot take writes. It never holds a row after the check.
#[derive(DeriveMigrationName)]
pub struct M0012WriteProbe;

#[async_trait::async_trait]
impl MigrationTrait for M0012WriteProbe {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("write_probe")
                .col(pk_uuid("id"))
                .col(blob("filler"))
                .col(timestamp_with_time_zone("at"))
                .take(),
        )
        .await
    }
}
