//! References are random now (`shared::reference`): the numbering of the
//! older ones goes (their references stay as they are).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

/// References are random now (`shared::reference`): the numbering of the
/// older ones goes (their references stay as they are).
#[derive(DeriveMigrationName)]
pub struct M0014RandomReferences;

#[async_trait::async_trait]
impl MigrationTrait for M0014RandomReferences {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => db.execute_unprepared("DROP SEQUENCE IF EXISTS case_reference_seq").await.map(drop),
            _ => m.drop_table(Table::drop().table("case_reference_counter").if_exists().take()).await,
        }
    }
}
