//! A service's texts in English (its name, target group, first and last page, privacy notice
//! and receipt heading), as one JSON object beside the Swedish columns.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// A service's texts in English, as one JSON object beside the Swedish columns.
#[derive(DeriveMigrationName)]
pub struct M0018ServiceEnglish;

#[async_trait::async_trait]
impl MigrationTrait for M0018ServiceEnglish {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("services").add_column(json_null("english")).take()).await
    }
}
